"""The check's heavy blocks built in Python (issue 12 §5 "Fast"): the outcome page's
blind spots, its indicator table and the answers it posts again, and a step's questions.

Each function writes, byte for byte, what the template it replaces wrote
(tests/check/test_rendered.py keeps those templates and compares, in Dutch and English).
What depends only on the catalogue's version, the language and the audience (translated
words, a question's legend and help, a blind spot without answers) is made once per
process and kept (`_once`); what depends on the answers is joined around it per request.
The catalogue's texts and the answers are escaped here, as the template engine escaped
them; the interface's own translated words are not (a template's {% translate %} of a
literal is not escaped either).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .kept import escaped as _e
from .kept import kept as _once
from .kept import kept as kept
from .rendered_table import lens_table as lens_table

# --- the answers posted again ---------------------------------------------------------------


def hidden_inputs(pairs: Iterable[tuple[str, object]]) -> SafeString:
    """check/includes/hidden_answers.html: one hidden input per (name, value), each on
    its own line, and the file's last line end."""
    inputs = "".join(f'<input type="hidden" name="{_e(n)}" value="{_e(v)}">\n' for n, v in pairs)
    return mark_safe(inputs + "\n")


_SENTINEL = "\x00hidden\x00"


def language_switch(other_languages: list[dict[str, str]], hidden: str) -> SafeString:
    """check/includes/language_switch_post.html with `hidden` (hidden_inputs) as each
    form's answers: the template rendered once per language and set of links, with a
    marker where the answers go."""

    def parts() -> list[str]:
        marked = render_to_string(
            "check/includes/language_switch_post.html",
            {"other_languages": other_languages, "hidden_answers": [(_SENTINEL, "")]},
        )
        return marked.split(f'<input type="hidden" name="{_SENTINEL}" value="">\n\n')

    links = tuple((o["code"], o["url"], o["name"]) for o in other_languages)
    return mark_safe(hidden.join(_once(("switch", links), parts)))


def _spot(spot: dict[str, Any], words: dict[str, str]) -> str:
    """One item of includes/outcome/blind_spot.html."""
    if spot["status"] == "unknown":
        said = f"{words['unknown']} {_e('; '.join(spot['unknown_signals']))}"
    else:
        said = words["nothing"]
    seen_by = ""
    if spot["seen_by"]:
        seen_by = (
            f'<p class="utrecht-paragraph">{words["seen_by"]} {_e(", ".join(spot["seen_by"]))}</p>'
        )
    return (
        '<li class="lens-blind__item">\n'
        f'  <p class="lens-blind__label">{_e(spot["label"])}</p>\n'
        f'  <p class="utrecht-paragraph">{said}</p>\n'
        f"  {seen_by}\n</li>"
    )


def _spot_words() -> dict[str, str]:
    return {
        "unknown": _("You answered don't know for:"),
        "nothing": _("Nothing filled in about this yet."),
        "seen_by": _("Who may see this:"),
    }


def _spots(spots: list[dict[str, Any]], kind: str, version: str) -> str:
    """The items of one list: an item without answers in it ("nothing filled in") is the
    same for every outcome of a catalogue version and language, and made once."""
    words = _once(("spot-words",), _spot_words)
    shown = []
    for spot in spots:
        if spot["status"] == "unknown":
            shown.append(_spot(spot, words))
        else:
            key = ("spot", version, kind, spot["label"], spot["status"], tuple(spot["seen_by"]))
            shown.append(_once(key, lambda spot=spot: _spot(spot, words)))
    return "".join(shown) + "\n"  # the include's last line


def blind_spots(
    blind: dict[str, list], *, intro: str, none: str, is_parent: bool, version: str
) -> SafeString:
    """includes/outcome/blind_spots.html as the check shows it (the indicators folded
    away): `blind` is lens.web.presentation.blind_spots; `intro` and `none` the sentences
    above the list and when there is nothing to list."""
    domains, indicators = blind["life_domain"], blind["indicator"]
    parts = [
        '\n<section class="lens-section" aria-labelledby="blind">\n'
        f'  <h2 class="utrecht-heading-2" id="blind">'
        f"{_once(('blind-title',), lambda: _('What am I not seeing yet?'))}</h2>\n  "
    ]
    if domains or indicators:
        parts.append(f'\n  <p class="utrecht-paragraph">{_e(intro)}</p>\n  ')
        if domains:
            parts.append(
                '\n  <h3 class="utrecht-heading-3">'
                f"{_once(('blind-areas',), lambda: _('Areas of life'))}</h3>\n"
                '  <ul class="lens-blind">\n    '
                f"{_spots(domains, 'life_domain', version)}\n  </ul>\n  "
            )
        parts.append("\n  ")
        if indicators:
            parts.append("\n  ")
            if is_parent:
                parts.append(
                    '<p class="utrecht-paragraph lens-subjects-note">'
                    f"{_once(('blind-subjects',), _subjects_note)}</p>"
                )
            parts.append(
                '\n  <details class="lens-details">\n'
                f'    <summary class="lens-details__summary">'
                f"{_folded_summary(len(indicators), is_parent)}</summary>\n"
                '    <ul class="lens-blind lens-details__body">\n      '
                f"{_spots(indicators, 'indicator', version)}\n    </ul>\n  </details>\n  "
            )
        parts.append("\n  ")
    else:
        parts.append(f'\n  <p class="utrecht-paragraph">{_e(none)}</p>\n  ')
    parts.append("\n</section>\n")
    return mark_safe("".join(parts))


def _subjects_note() -> str:
    return _(
        "A subject (a theme) says what a signal is about, such as money, travel or "
        "coercion. An area of life says where in someone's life you see it."
    )


def _folded_summary(count: int, is_parent: bool) -> str:
    """The folded list's summary ({% blocktranslate count %}: not escaped, as there)."""
    if is_parent:
        text = ngettext(
            "%(counter)s subject you know nothing about yet",
            "%(counter)s subjects you know nothing about yet",
            count,
        )
    else:
        text = ngettext(
            "%(counter)s theme (indicator) without information",
            "%(counter)s themes (indicators) without information",
            count,
        )
    return text % {"counter": count}


# --- a step's questions -------------------------------------------------------------------------


def question(row: dict[str, Any], modifier: str, version: str) -> str:
    """check/includes/question.html for one signal row (lens.check.steps._row); a row
    with an error is drawn by the template itself (rare: a changed catalogue)."""
    if row["errors"]:
        return render_to_string("check/includes/question.html", {"row": row, "modifier": modifier})

    def fixed() -> tuple[str, str]:
        row_id = _e(row["id"])
        extra = f" {_e(modifier)}" if modifier else ""
        return (
            '<fieldset class="utrecht-form-fieldset__fieldset '
            f'utrecht-form-fieldset--html-fieldset lens-question{extra}" '
            f'aria-describedby="{row_id}_help">\n'
            '  <legend class="utrecht-form-fieldset__legend '
            'utrecht-form-fieldset__legend--html-legend lens-question__legend">'
            f"{_e(row['label'])}</legend>\n"
            '  <p class="utrecht-form-field-description lens-question__help" '
            f'id="{row_id}_help">{_e(row["help"])}</p>\n'
            '  \n  <div class="lens-options">',
            "</div>\n</fieldset>\n",
        )

    start, end = _once(("question", version, row["id"], modifier), fixed)
    return f"{start}{row['options']}{end}"


def questions(rows: list[dict[str, Any]], indent: str, version: str, modifier: str = "") -> str:
    """A template loop of question includes, `{% for row in rows %}` + newline, `indent`,
    the include, newline, `indent`, `{% endfor %}`: what that loop wrote."""
    around = f"\n{indent}"
    return mark_safe("".join(f"{around}{question(row, modifier, version)}{around}" for row in rows))


# --- why this outcome -------------------------------------------------------------------------


def _why_words() -> dict[str, str]:
    return {
        "title": _("Why this outcome?"),
        "areas": _("The four areas of life"),
        "how": _("How is this calculated?"),
        "themes": _(
            "Themes (indicators) say what a signal is about, such as money or coercion; the "
            "four areas of life say where in someone's life it shows. A signal can fall under "
            "more than one of each. A soft signal weighs 1, a medium one 2 and a strong one 4."
        ),
        "filled_in": _("What you filled in"),
        "no_yes": _("You did not answer yes to any signal."),
        "unknown": _("Don't know:"),
        "risk_factors": _("Risk factors:"),
        "none_ticked": _("none ticked"),
        "region": _("Region:"),
        "national": _("National / I don't know"),
        "unknown_spot": _("don't know: blind spot"),
        "no_information": _("nothing known yet: blind spot"),
        "seen": _("no signals seen"),
    }


def _figure_value(area: dict[str, Any], words: dict[str, str]) -> str:
    if area["count"]:
        return ngettext("%(counter)s signal seen", "%(counter)s signals seen", area["count"]) % {
            "counter": area["count"]
        }
    if area["status"] == "unknown":
        return words["unknown_spot"]
    if area["status"] == "no_information":
        return words["no_information"]
    return words["seen"]


def why(context: dict[str, Any]) -> SafeString:
    """The outcome page's "Why this outcome?" section (lens.check.views.outcome_context
    gives `context`; `lens_table_shown` is lens_table's)."""
    words = _once(("why-words",), _why_words)
    li = '<li class="utrecht-unordered-list__item">'
    plain = "".join(f'<p class="utrecht-paragraph">{_e(line)}</p>' for line in context["why_plain"])
    figure = "".join(
        f'\n      <li class="lens-figure__item lens-figure__item--{_e(d["status"])}">'
        f'<span class="lens-figure__label">{_e(d["label"])}</span> '
        f'<span class="lens-figure__value">{_figure_value(d, words)}</span></li>\n      '
        for d in context["figure"]
    )
    lines = "".join(f"{li}{_e(line)}</li>" for line in context["explanation"])
    parts = [
        '  <section class="lens-section" aria-labelledby="why">\n'
        f'    <h2 class="utrecht-heading-2" id="why">{words["title"]}</h2>\n'
        f"    {plain}\n"
        f'    <ul class="lens-figure" aria-label="{words["areas"]}">\n'
        f"      {figure}\n"
        "    </ul>\n"
        '    <details class="lens-details">\n'
        f'      <summary class="lens-details__summary">{words["how"]}</summary>\n'
        '      <div class="lens-details__body">\n'
        '        <ul class="utrecht-unordered-list">\n'
        f"          {lines}\n"
        "        </ul>\n"
        f'        <p class="utrecht-paragraph">{words["themes"]}</p>\n'
        "        \n"
        f"        {context['lens_table_shown']}\n"
        "      </div>\n"
        "    </details>\n"
        f'    <h3 class="utrecht-heading-3">{words["filled_in"]}</h3>\n    '
    ]
    if context["answered_by_domain"]:
        domains = "".join(
            f"\n      <dt>{_e(d['label'])}</dt>\n"
            '      <dd><ul class="utrecht-unordered-list">'
            + "".join(f"{li}{_e(s)}</li>" for s in d["yes"])
            + "</ul></dd>\n      "
            for d in context["answered_by_domain"]
        )
        parts.append(f'\n    <dl class="lens-answers">\n      {domains}\n    </dl>\n    ')
    else:
        parts.append(f'\n    <p class="utrecht-paragraph">{words["no_yes"]}</p>\n    ')
    parts.append("\n    ")
    if context["unknown_signals"]:
        parts.append(
            f'\n    <p class="utrecht-paragraph"><strong>{words["unknown"]}</strong> '
            f"{_e('; '.join(context['unknown_signals']))}</p>\n    "
        )
    risk = context["risk_factors"]
    region = context["region"]
    parts.append(
        f'\n    <p class="utrecht-paragraph"><strong>{words["risk_factors"]}</strong> '
        f"{_e('; '.join(risk)) if risk else words['none_ticked']}</p>\n"
        f'    <p class="utrecht-paragraph"><strong>{words["region"]}</strong> '
        f"{_e(region) if region else words['national']}</p>\n"
        "  </section>\n"
    )
    return mark_safe("".join(parts))
