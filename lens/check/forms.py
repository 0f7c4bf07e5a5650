"""The anonymous signal check's form: one answer per signal, risk factors and a region.

Every choice comes from the active catalogue, so a new signal or region needs no code
change. Answers are optional ("unanswered" is allowed and differs from "weet ik niet":
the first says nothing was looked at, the second that it could not be seen).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from lens.rules.model import AssessmentInput, Catalogue, LifeDomain, Observation, Signal
from lens.web.forms import MultipleChoiceField

YES, NO, UNKNOWN = "yes", "no", "unknown"
_VALID_ANSWERS = frozenset(("", YES, NO, UNKNOWN))
SIGNAL_PREFIX = "signal_"

# Who is asking: everything after the first step speaks to that person.
PROFESSIONAL, PARENT = "professional", "parent"
# The person's age, asked once as context (it decides the legal route and the
# wording), never as a signal: it adds nothing to the signal value.
AGES = ("under_16", "16_17", "18_23", "older", "unknown")
MINOR_AGES = ("under_16", "16_17")
ADULT_AGES = ("18_23", "older")
# The risk factor the age answer gives (issue 12 §1, acceptance review): the age is its one
# source in the check, so its checkbox is not asked there. Under 18 counts (why 16 and 17
# too: catalogue/README.md, "Age and the risk factor young age"); the registry keeps the
# checkbox.
AGE_RISK_FACTOR = "young_age"
AGE_RISK_FACTOR_AGES = MINOR_AGES
# The legal route the age gives (CheckForm.age_route).
MINOR, ADULT, AGE_UNKNOWN = "minor", "adult", "unknown"
# The ages for which the check says "de jongere" / "the young person" (18 to 23 is a young
# adult); for an older person or an age not known it says "hem of haar" / "the person".
YOUNG_AGES = ("under_16", "16_17", "18_23")
# Signals asked on the first step, before the leefgebieden, and so not among them: whether
# there is direct danger now (issue 12 §4b: acute -> 112 is its own question, not what a
# threat or a knife alone gives). A code the active catalogue lacks is simply not asked.
# (Age, once a signal, is asked as context and is now a risk factor:
# catalogue/retired_signals.yaml.)
ASKED_FIRST = ("direct_danger_now",)
NOT_ASKED: frozenset[str] = frozenset(ASKED_FIRST)
# Retired signals named one by one in the errors; any further ones share one message.
MAX_NAMED_RETIRED = 5


def audience_choices() -> list[tuple[str, str]]:
    return [
        (PROFESSIONAL, _("I work with young people or adults (professional)")),
        (PARENT, _("I am a parent, carer or someone else close to this person")),
    ]


def age_choices() -> list[tuple[str, str]]:
    return [
        ("under_16", _("Under 16")),
        ("16_17", _("16 or 17")),
        ("18_23", _("18 to 23")),
        ("older", _("24 or older")),
        ("unknown", _("I don't know")),
    ]


def answer_choices() -> list[tuple[str, str]]:
    return [(YES, _("Yes")), (NO, _("No")), (UNKNOWN, _("Don't know"))]


def signal_field_name(code: str) -> str:
    return SIGNAL_PREFIX + code


def help_text(signal: Signal, language: str) -> str:
    """A signal's explanation as the check shows it: with its check-only hint (about the
    danger question, which only the check asks; the registry's form shows the explanation
    alone)."""
    text = signal.explanation.get(language)
    if signal.check_hint is not None:
        text = f"{text} {signal.check_hint.get(language)}"
    return text


def risk_factors_field(catalogue: Catalogue, language: str, label) -> forms.MultipleChoiceField:
    """The optional risk factors, as checkboxes: the check's form and the registry's; a
    value not on the list is named shortened (lens.web.forms.quoted)."""
    return MultipleChoiceField(
        label=label,
        choices=[(r.code, r.label.get(language)) for r in catalogue.risk_factors.values()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "The risk factor %(value)s is not on the list. Tick only the risk "
                "factors shown here."
            ),
            "invalid_list": _("Tick only the risk factors shown here."),
        },
    )


def risk_factor_rows(catalogue: Catalogue, language: str, chosen: set[str]) -> list[dict]:
    """The risk factors as a form page draws them (includes/checkbox.html), in catalogue
    order: code, label, help, checked (in `chosen`) and the checkbox's id."""
    return [
        {
            "code": r.code,
            "label": r.label.get(language),
            "help": r.explanation.get(language),
            "checked": r.code in chosen,
            "id": f"id_risk_factors_{i}",
        }
        for i, r in enumerate(catalogue.risk_factors.values())
    ]


def signals_by_life_domain(catalogue: Catalogue) -> list[tuple[LifeDomain, list[Signal]]]:
    """Leefgebieden in their catalogue order, each with the signals whose FIRST leefgebied
    it is (a signal shows once, where the catalogue puts it first)."""
    domains = sorted(catalogue.life_domains.values(), key=lambda d: (d.order, d.code))
    groups = []
    for domain in domains:
        members = [s for s in catalogue.signals.values() if s.life_domains[:1] == (domain.code,)]
        if members:
            groups.append((domain, members))
    return groups


_FIELDS: dict[tuple[str, str, str | None], dict[str, forms.Field]] = {}


class CheckForm(forms.Form):
    """Answers of the check. Build it with the catalogue and the page language."""

    # Every field is optional; Django would otherwise add `required`, which the
    # NL Design System CSS styles as invalid before anyone has answered.
    use_required_attribute = False

    def __init__(self, *args, catalogue: Catalogue, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.language = language
        self._hidden: tuple[tuple[str, str], ...] | None = None  # hidden_answers(), once made
        # Building some eighty fields took most of a step's time (issue 12 §5). The
        # fields hold no state of a request (values and errors live on the form), so
        # they are built once per catalogue version and language and shared.
        key = (catalogue.version, language, translation.get_language())
        cached = _FIELDS.get(key)
        if cached is None:
            self._build_fields(catalogue, language)
            if len(_FIELDS) > 16:  # old catalogue versions and languages
                _FIELDS.clear()
            _FIELDS[key] = dict(self.fields)
        else:
            self.fields = dict(cached)

    def _build_fields(self, catalogue: Catalogue, language: str) -> None:
        for signal in catalogue.signals.values():
            self.fields[signal_field_name(signal.code)] = forms.ChoiceField(
                label=signal.label.get(language),
                help_text=help_text(signal, language),
                choices=answer_choices(),
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _(
                        "Choose yes, no or don't know for this signal (or leave it open)."
                    )
                },
            )
        self.fields["audience"] = forms.ChoiceField(
            label=_("Who are you?"),
            choices=audience_choices(),
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Choose professional or parent/carer.")},
        )
        kinds = [t for t in catalogue.organisation_types.values() if t.code != PARENT]
        self.fields["organisation_type"] = forms.ChoiceField(
            label=_("Where do you work?"),
            choices=[("", _("Other / I'd rather not say"))]
            + [(t.code, t.label.get(language)) for t in kinds],
            required=False,
            error_messages={"invalid_choice": _("Choose a kind of organisation from the list.")},
        )
        self.fields["age"] = forms.ChoiceField(
            label=_("How old is this person?"),
            choices=age_choices(),
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Choose an age group from the list.")},
        )
        self.fields["risk_factors"] = risk_factors_field(catalogue, language, _("Risk factors"))
        regions = sorted(catalogue.regions.values(), key=lambda r: r.label.get(language))
        self.fields["region"] = forms.ChoiceField(
            label=_("Region"),
            choices=[
                ("", _("National / I don't know")),
                *((r.code, r.label.get(language)) for r in regions),
            ],
            required=False,
            error_messages={
                "invalid_choice": _("Choose a region from the list, or National / I don't know.")
            },
        )

    def _clean_fields(self) -> None:
        """Django's own, but a signal's answer that is valid as posted (yes, no, don't
        know, or none) is taken as it is, without a bound field for each of some eighty
        fields (issue 12 §5: that took a tenth of a step). Any other value, and every
        other field, Django cleans, with Django's errors."""
        for name, field in self.fields.items():
            if name.startswith(SIGNAL_PREFIX):
                value = self.data.get(name)  # what RadioSelect reads
                if value is None or value in _VALID_ANSWERS:
                    self.cleaned_data[name] = value or ""
                    continue
            try:
                self.cleaned_data[name] = field._clean_bound_field(self[name])
            except forms.ValidationError as error:
                self.add_error(name, error)

    def clean(self):
        cleaned = super().clean()
        # Answers for signals the catalogue does not (or no longer) know: a changed
        # catalogue (a page kept open across an update) or a hand-made request. Say so
        # rather than silently dropping them, in words: a retired signal by its label and
        # what replaced it, any other code not at all (it means nothing to the asker).
        posted = sorted(
            key.removeprefix(SIGNAL_PREFIX)
            for key in self.data
            if key.startswith(SIGNAL_PREFIX) and key not in self.fields
        )
        errors = [self._retired_error(code) for code in posted]
        named = [e for e in errors if e is not None][:MAX_NAMED_RETIRED]
        if len(named) < len(errors):
            named.append(
                forms.ValidationError(
                    _(
                        "Some answers belong to signals that are not on the list. Check "
                        "your answers below and send them again."
                    ),
                    code="unknown_signals",
                )
            )
        if named:
            raise forms.ValidationError(named)
        return cleaned

    def _retired_error(self, code: str) -> forms.ValidationError | None:
        """The error for an answer to a retired signal, naming its old label and what
        replaced it; None for a code that is not a retired signal."""
        retired = self.catalogue.retired_signals.get(code)
        now = self.catalogue.resolve_signal(code)
        if retired is None or now is None:
            return None
        kind, replacement = now
        params = {"old": retired.label.get(self.language)}
        if kind == "risk_factor":
            params["new"] = self.catalogue.risk_factors[replacement].label.get(self.language)
            message = _(
                "“%(old)s” is no longer a signal: it is now the risk factor "
                "“%(new)s”, at the last step. Tick it there if it applies, and "
                "send your answers again."
            )
        else:
            params["new"] = self.catalogue.signals[replacement].label.get(self.language)
            message = _(
                "“%(old)s” is no longer asked on its own: it is now part of "
                "“%(new)s”. Answer that question, and send your answers again."
            )
        return forms.ValidationError(message, code="retired_signal", params=params)

    # --- reading the answers ----------------------------------------------------------

    def answer(self, code: str) -> str:
        """The (valid) answer for a signal: yes, no, unknown or "" (not answered)."""
        name = signal_field_name(code)
        if self.is_bound:
            value = self.data.get(name, "")
            return value if value in (YES, NO, UNKNOWN) else ""
        return ""

    def selected_risk_factors(self) -> list[str]:
        """The ticked risk factors the check asks (never the one the age gives: a posted
        one, from a page of before, is dropped)."""
        if not self.is_bound:
            return []
        return [
            c
            for c in self.data.getlist("risk_factors")
            if c in self.catalogue.risk_factors and c != AGE_RISK_FACTOR
        ]

    def risk_factor_rows(self) -> list[dict]:
        rows = risk_factor_rows(self.catalogue, self.language, set(self.selected_risk_factors()))
        return [r for r in rows if r["code"] != AGE_RISK_FACTOR]

    def risk_factor_from_age(self) -> str:
        """The risk factor the age answer gives ("young age" under 18), or ""."""
        known = AGE_RISK_FACTOR in self.catalogue.risk_factors
        return AGE_RISK_FACTOR if known and self.choice("age") in AGE_RISK_FACTOR_AGES else ""

    def selected_region(self) -> str:
        value = self.data.get("region", "") if self.is_bound else ""
        return value if value in self.catalogue.regions else ""

    def choice(self, name: str) -> str:
        """A valid posted value of a single-choice field (audience, age, ...), or ""."""
        if not self.is_bound:
            return ""
        value = self.data.get(name, "")
        return value if value in {v for v, _label in self.fields[name].choices if v} else ""

    def audience(self) -> str:
        return self.choice("audience") or PROFESSIONAL

    def is_parent(self) -> bool:
        return self.audience() == PARENT

    def is_minor(self) -> bool:
        return self.choice("age") in MINOR_AGES

    def age_route(self) -> str:
        """ "minor" (under 18), "adult" (18 or older) or "unknown" (not known, or not
        answered): which legal route fits (the meldcode for minors, or not)."""
        age = self.choice("age")
        if age in MINOR_AGES:
            return MINOR
        return ADULT if age in ADULT_AGES else AGE_UNKNOWN

    def is_young(self) -> bool:
        """Under 18 or 18 to 23: the outcome may say "de jongere" / "the young person"."""
        return self.choice("age") in YOUNG_AGES

    def assessment_input(self) -> AssessmentInput:
        """The engine's input; call only after is_valid()."""
        answers = {
            code: self.cleaned_data.get(signal_field_name(code), "")
            for code in self.catalogue.signals
        }
        return AssessmentInput(
            signals=tuple(Observation(code) for code, a in answers.items() if a == YES),
            unknown=tuple(code for code, a in answers.items() if a == UNKNOWN),
            absent=tuple(code for code, a in answers.items() if a == NO),
            risk_factors=tuple(
                c for c in self.cleaned_data.get("risk_factors", []) if c != AGE_RISK_FACTOR
            )
            + ((self.risk_factor_from_age(),) if self.risk_factor_from_age() else ()),
            region=self.cleaned_data.get("region", ""),
        )

    def hidden_answers(self) -> list[tuple[str, str]]:
        """(name, value) pairs that re-post the valid answers, e.g. to edit them."""
        if self._hidden is not None:  # asked more than once for a page
            return list(self._hidden)
        pairs = [
            (signal_field_name(code), self.answer(code))
            for code in self.catalogue.signals
            if self.answer(code)
        ]
        pairs += [("risk_factors", code) for code in self.selected_risk_factors()]
        if self.selected_region():
            pairs.append(("region", self.selected_region()))
        pairs += [(n, self.choice(n)) for n in CONTEXT_FIELDS if self.choice(n)]
        self._hidden = tuple(pairs)
        return pairs


# The questions about who asks and about whom: context, not signals.
CONTEXT_FIELDS = ("audience", "organisation_type", "age")


@dataclass(frozen=True)
class SignalRow:
    """One signal on the form page, with its answer and error (if any)."""

    signal: Signal
    field: forms.BoundField
    label: str
    help: str
    answer: str
    options: list[tuple[str, str]]  # (value, label); the input's id ends in the value


def form_groups(form: CheckForm) -> list[tuple[LifeDomain, str, str, list[SignalRow]]]:
    """The form's signals grouped for the page: (leefgebied, label, explanation, rows)."""
    language = form.language
    groups = []
    for domain, signals in signals_by_life_domain(form.catalogue):
        rows = []
        for signal in signals:
            bound = form[signal_field_name(signal.code)]
            rows.append(
                SignalRow(
                    signal=signal,
                    field=bound,
                    label=signal.label.get(language),
                    help=help_text(signal, language),
                    answer=form.answer(signal.code),
                    options=answer_choices(),
                )
            )
        groups.append((domain, domain.label.get(language), domain.explanation.get(language), rows))
    return groups
