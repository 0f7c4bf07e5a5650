"""The lens outcome of a person, as the person page shows it (in the page's language).

The stored PersonOutcome is the record (level, versions, Dutch JSON for the API). The
page redraws it with the lens engine from the same input at the stored date (`as_of`):
with the same catalogue and ruleset that gives exactly the stored outcome, and it lets
the page show it the way the anonymous check does (lens.web.presentation and the
includes in lens/templates/includes/outcome/), in Dutch or English. When the catalogue
changed and the recompute task has not run yet, the page says so and shows the current
catalogue's picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from lens.data import queries
from lens.data.registry import Person, PersonOutcome
from lens.rules.engine import assess
from lens.rules.model import Catalogue, Ruleset
from lens.web import presentation


def outcome_context(
    person: Person,
    stored: PersonOutcome,
    catalogue: Catalogue,
    ruleset: Ruleset,
    language: str,
    entries: list[queries.TimelineEntry] | None = None,
) -> dict[str, Any]:
    """The outcome as the person page shows it; `entries`: the person's timeline, when
    the page read it already (the engine's input is read from it, not again)."""
    as_of = date.fromisoformat(stored.outcome.get("as_of") or stored.computed_at.date().isoformat())
    data, dropped = queries.assessment_input(person, catalogue, as_of, entries=entries)
    result = assess(catalogue, ruleset, data, today=as_of)
    return {
        **presentation.outcome(catalogue, ruleset, result, language),
        "stale": (stored.catalogue_version, stored.ruleset_version)
        != (catalogue.version, ruleset.version),
        "not_in_catalogue": sorted(dropped),
    }


def labels(items: Mapping[str, Any], codes: Iterable[str], language: str) -> list[str]:
    """Catalogue labels of `codes` (signals, risk factors, ...); an unknown code as itself
    (a newer catalogue may have dropped it)."""
    return [items[c].label.get(language) if c in items else c for c in codes]


def timeline_rows(
    person: Person,
    catalogue: Catalogue,
    language: str,
    entries: list[queries.TimelineEntry] | None = None,
) -> list[dict[str, Any]]:
    """The person page's timeline (lens.data.queries.timeline) with the signals and
    risk factors of each version as labels; the zorgcoördinator's combined picture shows
    the same rows for every record (lens.coordination.picture.timeline), which reads the
    `entries` of all records at once (queries.timelines)."""
    return [
        {
            "entry": entry,
            "signals": labels(catalogue.signals, entry.registration.signals, language),
            "risk_factors": labels(
                catalogue.risk_factors, entry.registration.risk_factors, language
            ),
            "previous": [
                {
                    "registration": old,
                    "signals": labels(catalogue.signals, old.signals, language),
                    "risk_factors": labels(catalogue.risk_factors, old.risk_factors, language),
                }
                for old in entry.previous_versions
            ],
        }
        for entry in (queries.timeline(person) if entries is None else entries)
    ]
