"""The lens outcome of a person, as the person page shows it (in the page's language).

The stored PersonOutcome is the record (level, versions, Dutch JSON for the API). The
page redraws it with the lens engine from the same input at the stored date (`as_of`):
with the same catalogue and ruleset that gives exactly the stored outcome, and it lets
the page use the check's presentation helpers (lens picture, blind spots, contacts) in
Dutch or English. When the catalogue changed and the recompute task has not run yet,
the page says so and shows the current catalogue's picture.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lens.check.views import _blind_spots, _contact, _lens_picture
from lens.registry import queries
from lens.registry.models import Person, PersonOutcome
from lens.rules import report
from lens.rules.engine import assess
from lens.rules.model import Catalogue, Ruleset


def outcome_context(
    person: Person,
    stored: PersonOutcome,
    catalogue: Catalogue,
    ruleset: Ruleset,
    language: str,
) -> dict[str, Any]:
    as_of = date.fromisoformat(stored.outcome.get("as_of") or stored.computed_at.date().isoformat())
    data, dropped = queries.assessment_input(person, catalogue, as_of)
    result = assess(catalogue, ruleset, data, today=as_of)
    lang = "en" if language.startswith("en") else "nl"
    caveat = report.PHRASES[lang]["caveat"]
    lines = report.explanation_lines(result, ruleset, lang)
    levels = sorted(ruleset.levels, key=lambda lv: lv.number)
    return {
        "result": result,
        "level": result.level,
        "level_label": result.level.label.get(lang),
        "level_meaning": result.level.meaning.get(lang),
        "is_acute": result.level.number >= 4,
        "max_level": levels[-1].number if levels else 4,
        "levels": [
            {
                "number": lv.number,
                "label": lv.label.get(lang),
                "current": lv.number == result.level.number,
            }
            for lv in levels
        ],
        "caveat": caveat,
        "explanation": [line for line in lines if line != caveat],
        "risk_factors": [catalogue.risk_factors[c].label.get(lang) for c in result.risk_factors],
        "lens": _lens_picture(catalogue, ruleset, result, lang),
        "blind_spots": _blind_spots(catalogue, result, lang),
        "steps": [
            {
                "number": s.number,
                "label": s.label.get(lang),
                "explanation": s.explanation.get(lang),
            }
            for s in result.steps
        ],
        "contacts": [_contact(c, lang) for c in result.contacts if c.phone != "112"],
        "stale": (stored.catalogue_version, stored.ruleset_version)
        != (catalogue.version, ruleset.version),
        "not_in_catalogue": sorted(dropped),
    }
