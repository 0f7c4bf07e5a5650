"""The check in steps: first who is asking (and about whom), then one step per
leefgebied. All answers travel with every POST (the current step's as inputs, the
others as hidden fields), so going back and forth keeps them and nothing is stored.

Per leefgebied the signals that the asker's kind of organisation typically sees come
first (at most MAX_ON_SCREEN); the rest waits one click away, in a <details> element
that needs no JavaScript. "Typically sees" is the catalogue's own `seen_by`, which it
gives per indicator and per leefgebied: a signal ranks higher the more of its
indicators (and its leefgebied) name that kind of organisation. A parent counts as the
organisation type `parent`.
"""

from __future__ import annotations

from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lens.rules.model import Catalogue, LifeDomain, Signal

from . import rendered
from .forms import (
    ASKED_FIRST,
    CONTEXT_FIELDS,
    NOT_ASKED,
    PARENT,
    CheckForm,
    answer_choices,
    help_text,
    signal_field_name,
    signals_by_life_domain,
)

MAX_ON_SCREEN = 15
ABOUT = 1  # the first step: who is asking, about whom, where


_GROUPS: dict[int, tuple[Catalogue, list, list]] = {}


def _groups(catalogue: Catalogue) -> tuple[Catalogue, list, list]:
    """(catalogue, every signal by leefgebied, the asked ones by leefgebied), made once
    per catalogue (a loaded catalogue does not change)."""
    kept = _GROUPS.get(id(catalogue))
    if kept is None or kept[0] is not catalogue:
        if len(_GROUPS) >= 8:
            _GROUPS.clear()
        every = signals_by_life_domain(catalogue)
        asked = [(d, [s for s in signals if s.code not in NOT_ASKED]) for d, signals in every]
        kept = _GROUPS[id(catalogue)] = (catalogue, every, asked)
    return kept


def signal_groups(catalogue: Catalogue) -> list[tuple[LifeDomain, list[Signal]]]:
    """forms.signals_by_life_domain, made once per catalogue."""
    return _groups(catalogue)[1]


def domain_groups(catalogue: Catalogue) -> list[tuple[LifeDomain, list[Signal]]]:
    """The leefgebieden with the signals the check asks (age is context, not a signal)."""
    return _groups(catalogue)[2]


def step_count(catalogue: Catalogue) -> int:
    return ABOUT + len(domain_groups(catalogue))


def clamp(catalogue: Catalogue, value: object) -> int:
    """A step number from a request, kept within 1..step_count (anything else: 1)."""
    try:
        number = int(str(value))
    except ValueError:
        return ABOUT
    return max(ABOUT, min(step_count(catalogue), number))


def seen_by(catalogue: Catalogue, kind: str):
    """A ranking for `kind` (an organisation type code, or "" for none): how many of a
    signal's indicators and leefgebieden name it in `seen_by`."""
    indicators, domains = catalogue.indicators, catalogue.life_domains

    def score(signal: Signal) -> int:
        if not kind:
            return 1
        areas = [indicators.get(c) for c in signal.indicators]
        areas += [domains.get(c) for c in signal.life_domains]
        return sum(1 for area in areas if kind in getattr(area, "seen_by", ()))

    return score


def viewer(form: CheckForm) -> str:
    return PARENT if form.is_parent() else form.choice("organisation_type")


# One answer of a signal. Built here rather than in a template loop: a step draws up to
# a hundred of these, and the template engine spends most of a request on such loops.
_OPTION = (
    '<span class="lens-option"><input class="utrecht-radio-button '
    'utrecht-radio-button--html-input" type="radio" id="{id}_{value}" name="{name}" '
    'value="{value}"{checked}{invalid}> <label class="utrecht-form-label '
    'utrecht-form-label--radio" for="{id}_{value}">{label}</label></span>'
)


def _options(name: str, answer: str, invalid: bool, choices) -> str:
    return "".join(
        _OPTION.format(
            id=f"id_{name}",
            name=name,
            value=value,
            label=label,
            checked=" checked" if value == answer else "",
            invalid=' aria-invalid="true"' if invalid else "",
        )
        for value, label in choices
    )


def _row(form: CheckForm, signal: Signal, errors, choices) -> dict:
    name = signal_field_name(signal.code)
    answer = form.answer(signal.code)
    row_errors = errors.get(name, [])
    # the same for every request with this answer, in this language (the choices are the
    # language's: answer_choices), so made once; the key holds no lazy text (hashing one
    # translates it)
    options = rendered.kept(
        ("options", name, answer, bool(row_errors)),
        lambda: _options(name, answer, bool(row_errors), choices),
    )
    return {
        "name": name,
        "id": f"id_{name}",
        "label": signal.label.get(form.language),
        "help": help_text(signal, form.language),
        "errors": row_errors,
        # safe: codes match the catalogue's CODE_PATTERN ([a-z0-9_]), labels are escaped
        "options": mark_safe(options),
    }


def split(form: CheckForm, signals: list[Signal]) -> tuple[list[Signal], list[Signal]]:
    """(first, more): the signals this asker typically sees first, in catalogue order,
    at most MAX_ON_SCREEN; the rest after. Answered signals always stay in view."""
    score = seen_by(form.catalogue, viewer(form))
    ranked = sorted(
        (s for s in signals if score(s) > 0), key=lambda s: -score(s)
    )  # stable: catalogue order within a score
    chosen = {s.code for s in ranked[:MAX_ON_SCREEN]}
    chosen |= {s.code for s in signals if form.answer(s.code) in ("yes", "unknown")}
    return (
        [s for s in signals if s.code in chosen],
        [s for s in signals if s.code not in chosen],
    )


def danger_now(form: CheckForm) -> bool:
    """Whether a check-only acute question (is there direct danger now?) is answered yes:
    then every step opens with the call-112 banner and a way straight to the outcome."""
    return any(
        s.check_only and s.acute and form.answer(s.code) == "yes"
        for s in form.catalogue.signals.values()
    )


def step_context(form: CheckForm, step: int) -> dict:
    """What the form page draws for `step`: the visible questions and the hidden rest."""
    catalogue = form.catalogue
    groups = domain_groups(catalogue)
    errors = form.errors if form.is_bound else {}
    visible: set[str] = set()
    context: dict = {"step": step, "step_count": ABOUT + len(groups)}
    if step == ABOUT:
        visible |= {*CONTEXT_FIELDS, "region"}
        first = [catalogue.signals[c] for c in ASKED_FIRST if c in catalogue.signals]
        choices = [(value, escape(label)) for value, label in answer_choices()]
        visible |= {signal_field_name(s.code) for s in first}
        context["danger_rows"] = [_row(form, s, errors, choices) for s in first]
        context["danger_rows_shown"] = rendered.questions(
            context["danger_rows"], "    ", catalogue.version, "lens-question--danger"
        )
    else:
        domain, signals = groups[step - ABOUT - 1]
        first, more = split(form, signals)
        choices = [(value, escape(label)) for value, label in answer_choices()]
        visible |= {signal_field_name(s.code) for s in signals}
        context |= {
            "domain": domain,
            "domain_label": domain.label.get(form.language),
            "domain_explanation": domain.explanation.get(form.language),
            "rows": [_row(form, s, errors, choices) for s in first],
            "more_rows": [_row(form, s, errors, choices) for s in more],
        }
        # the questions as form.html's loops of check/includes/question.html wrote them
        context["rows_shown"] = rendered.questions(context["rows"], "      ", catalogue.version)
        context["more_rows_shown"] = rendered.questions(
            context["more_rows"], "          ", catalogue.version
        )
    if step == context["step_count"]:
        visible.add("risk_factors")
        context["risk_factor_rows"] = form.risk_factor_rows()
    context["hidden_answers"] = format_html_join(
        "\n",
        '<input type="hidden" name="{}" value="{}">',
        ((n, v) for n, v in form.hidden_answers() if n not in visible),
    )
    context["steps"] = [
        {"number": ABOUT, "label": _("You and this person")},
        *(
            {"number": ABOUT + i, "label": d.label.get(form.language)}
            for i, (d, _signals) in enumerate(groups, start=1)
        ),
    ]
    return context


def step_of_first_error(form: CheckForm, current: int) -> int:
    """The step that shows the first field with an error (else `current`)."""
    for name in form.errors:
        if name in CONTEXT_FIELDS or name == "region":
            return ABOUT
        if name == "risk_factors":
            return step_count(form.catalogue)
        code = name.removeprefix("signal_")
        if code in ASKED_FIRST:
            return ABOUT
        for i, (_domain, signals) in enumerate(domain_groups(form.catalogue), start=1):
            if any(s.code == code for s in signals):
                return ABOUT + i
    return current
