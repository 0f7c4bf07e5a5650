"""The lens outcome of a person, as the person page shows it (in the page's language).

The stored PersonOutcome is the record (level, versions, Dutch JSON for the API). The
page redraws it with the lens engine from the same input at the stored date (`as_of`):
with the same catalogue and ruleset that gives exactly the stored outcome, and it lets
the page show it the way the anonymous check does (lens.web.presentation and the
includes in lens/templates/includes/outcome/), in Dutch or English. When the catalogue
changed and the recompute task has not run yet, the page says so and shows the current
catalogue's picture. `outcome_section` keeps the rendered section per process, keyed by
everything that determines it (docs/design/registry.md, "Page speed").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from lens.data import queries
from lens.data.kept import Kept
from lens.data.registry import Person, PersonOutcome, Registration
from lens.insight.areas import areas
from lens.rules.engine import assess
from lens.rules.model import Catalogue, Ruleset
from lens.web import places, presentation


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
    data, dropped = queries.assessment_input(person, catalogue, _as_of(stored), entries=entries)
    return _outcome(stored, catalogue, ruleset, language, data, dropped)


# Rendered outcome sections kept per process (the person page's largest part: the engine
# run, the lens picture, the blind spots, the steps). At most this many; the oldest used
# goes first (lens.data.kept). A section is about 12 KB of HTML.
SECTIONS_KEPT = 256


sections: Kept[SafeString] = Kept(SECTIONS_KEPT)


def outcome_section(
    template: str,
    person: Person,
    stored: PersonOutcome,
    catalogue: Catalogue,
    ruleset: Ruleset,
    language: str,
    entries: list[queries.TimelineEntry],
) -> SafeString:
    """`template` rendered with `outcome_context`, kept per process by what determines it.

    The section shows nothing but what follows from the engine's input (the signals with
    their dates and organisation types, the risk factors, the region and the date, read
    from `entries` on every view), the catalogue and ruleset versions (the same version is
    the same content: lens.catalogue.services), the stored outcome's versions (the "being
    recomputed" note) and the language. With all of them in the key, a kept section is the
    one a fresh render would give; it names no person and no viewer, and the page around
    it (the access policy, the logged read) runs on every view as before. A person whose
    signals change gets a new key at once.
    """
    as_of = _as_of(stored)
    data, dropped = queries.assessment_input(person, catalogue, as_of, entries=entries)
    key = (
        template,
        catalogue.version,
        ruleset.version,
        stored.catalogue_version,
        stored.ruleset_version,
        queries.outcome_holds(stored, catalogue.version, ruleset.version),
        language,
        data,
        frozenset(dropped),
    )
    html = sections.get(key)
    if html is None:
        context = {
            "stored": stored,
            **_outcome(stored, catalogue, ruleset, language, data, dropped),
        }
        html = SafeString(render_to_string(template, context))
        sections.put(key, html)
    return html


def _as_of(stored: PersonOutcome) -> date:
    return queries.outcome_as_of(stored)


def _outcome(
    stored: PersonOutcome,
    catalogue: Catalogue,
    ruleset: Ruleset,
    language: str,
    data: Any,
    dropped: set[str],
) -> dict[str, Any]:
    result = assess(catalogue, ruleset, data, today=data.as_of)
    return {
        **presentation.outcome(catalogue, ruleset, result, language),
        "stale": not queries.outcome_holds(stored, catalogue.version, ruleset.version),
        "not_in_catalogue": sorted(dropped),
    }


def labels(items: Mapping[str, Any], codes: Iterable[str], language: str) -> list[str]:
    """Catalogue labels of `codes` (signals, risk factors, ...); an unknown code as itself
    (a newer catalogue may have dropped it)."""
    return [items[c].label.get(language) if c in items else c for c in codes]


def area_label(registration: Registration) -> str:
    """Where the person lived as known at this registration, for the local picture: the
    municipality's name and the district as lens.web.places names it, "" when not
    given."""
    found = areas().municipalities.get(registration.municipality_code)
    name = found.name if found else registration.municipality_code
    wijk = registration.wijk_code and places.district_label(registration.wijk_code)
    return " · ".join(part for part in (name, wijk) if part)


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
            **registration_labels(catalogue, entry.registration, language),
            "area": area_label(entry.registration),
            "phenomena": labels(catalogue.phenomena, entry.registration.phenomena, language),
            "previous": [
                {"registration": old, **registration_labels(catalogue, old, language)}
                for old in entry.previous_versions
            ],
        }
        for entry in (queries.timeline(person) if entries is None else entries)
    ]


def registration_labels(catalogue: Catalogue, registration: Any, language: str) -> dict:
    """A stored registration's signals and risk factors as labels, read through the
    catalogue's retired codes (an old code shows as what replaced it); a code the
    catalogue does not know at all as itself."""
    codes = catalogue.current_codes(registration.signals, registration.risk_factors)
    unknown = [c for c in registration.signals if c in codes.dropped]
    return {
        "signals": labels(catalogue.signals, [*codes.signals, *unknown], language),
        "risk_factors": labels(
            catalogue.risk_factors,
            [*codes.risk_factors, *(c for c in registration.risk_factors if c in codes.dropped)],
            language,
        ),
    }
