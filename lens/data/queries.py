"""Reads for the registry pages. Every function takes what the access policy returned
(`policy.visible_persons`, `policy.get_person`) and never widens it."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Max, OuterRef, QuerySet, Subquery

from lens.catalogue import services
from lens.data.coordination import Referral
from lens.data.kept import Kept
from lens.data.prepared import compiled, prepared
from lens.data.registry import InformedNotice, OutcomeRun, Person, PersonOutcome, Registration
from lens.rules import report
from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Catalogue, Observation, Ruleset


def current_registrations(person: Person) -> QuerySet[Registration]:
    """The registrations that count: of the person's organisation, not superseded by a
    correction, not withdrawn."""
    return Registration.objects.current_of(person)


def current_registrations_of(persons: list[Person]) -> dict[int, list[Registration]]:
    """`current_registrations` of several records in one query, by person pk."""
    found: dict[int, list[Registration]] = {p.pk: [] for p in persons}
    rows = (
        Registration.objects.current()
        .filter(person__in=list(found), organisation_id=F("person__organisation_id"))
        .order_by("observed_on", "pk")
    )
    for registration in rows:
        found[registration.person_id].append(registration)
    return found


def assessment_input(
    person: Person,
    catalogue: Catalogue,
    as_of: date,
    *,
    entries: list[TimelineEntry] | None = None,
) -> tuple[AssessmentInput, set[str]]:
    """The lens engine's input for the person: every signal of the current registrations
    (with its date and the organisation's type), the union of their risk factors and the
    organisation's region. Also returns the codes left out because the catalogue does not
    know them (any more). `entries`: the person's `timeline`, when the caller read it
    already (its versions that are not withdrawn are the current registrations)."""
    current = None if entries is None else {person.pk: current_in(entries)}
    return records_input(
        [person], catalogue, as_of, region=person.organisation.region, current=current
    )


def current_in(entries: list[TimelineEntry]) -> list[Registration]:
    """The current registrations in a timeline (the newest version of each chain of
    corrections, unless withdrawn), oldest first: what `current_registrations` reads."""
    current = [e.registration for e in entries if not e.withdrawn]
    return sorted(current, key=lambda r: (r.observed_on, r.pk))


def records_input(
    persons: list[Person],
    catalogue: Catalogue,
    as_of: date,
    *,
    region: str,
    current: dict[int, list[Registration]] | None = None,
) -> tuple[AssessmentInput, set[str]]:
    """The lens engine's input over several records of one person (each of its own
    organisation): the signals of all their current registrations, each with its
    organisation's type, so that a signal seen by two kinds of organisation counts once
    and shows as corroborated (lens.rules.engine). `current`: their current registrations
    by person pk, when the caller has them (`current_registrations_of`)."""
    if current is None:
        current = current_registrations_of(persons)
    rows = (
        (person.organisation.organisation_type, r.observed_on, r.signals, r.risk_factors)
        for person in persons
        for r in current[person.pk]
    )
    return registrations_input(rows, catalogue, as_of, region=region)


def registrations_input(
    rows: Iterable[tuple[str, date, list[str], list[str]]],
    catalogue: Catalogue,
    as_of: date,
    *,
    region: str,
) -> tuple[AssessmentInput, set[str]]:
    """The lens engine's input from current registrations given as (organisation type,
    observed_on, signal codes, risk-factor codes), with the codes left out because the
    catalogue does not know them (any more): what `records_input` builds from model
    instances and the per-person re-scoring from its one written-out read
    (lens.data.rescore)."""
    observations: list[Observation] = []
    risk_factors: set[str] = set()
    dropped: set[str] = set()
    for org_type, observed, signals, risks in rows:
        if org_type not in catalogue.organisation_types:
            org_type = ""
        # Retired codes read as what replaced them (a signal or a risk factor).
        codes = catalogue.current_codes(signals, risks)
        dropped.update(codes.dropped)
        risk_factors.update(codes.risk_factors)
        # A date after as_of cannot be stored (validation), but a clock that moved back
        # must not break the outcome.
        observed_on = min(observed, as_of)
        for code in codes.signals:
            observations.append(Observation(code, org_type, observed_on))
    data = AssessmentInput(
        signals=tuple(observations),
        risk_factors=tuple(sorted(risk_factors)),
        region=region if region in catalogue.regions else "",
        as_of=as_of,
    )
    return data, dropped


def with_overview(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Annotate each person with the level and the blind spots of the latest outcome and
    the date of the last current signal (for the list and its level filter)."""
    latest = PersonOutcome.objects
    last = Registration.objects.current().filter(person=OuterRef("pk")).order_by("-observed_on")
    return persons.annotate(
        latest_level=latest.latest_value("level"),
        latest_blind_spots=latest.latest_value("blind_spots"),
        last_observed=Subquery(last.values("observed_on")[:1]),
    ).order_by(F("last_observed").desc(nulls_last=True), "pseudonym")


def outcomes_by_id(ids: list[int]) -> dict[int, PersonOutcome]:
    return {o.pk: o for o in PersonOutcome.objects.filter(pk__in=[i for i in ids if i])}


def blind_spot_count(outcome: PersonOutcome | None) -> int | None:
    """Leefgebieden without information in the outcome (the lens' "Wat zie ik nog niet?")."""
    if outcome is None:
        return None
    if outcome.outcome is None:  # stored by the bulk recompute: the column alone
        return outcome.blind_spots
    return blind_spots(outcome.outcome)


def outcome_as_of(stored: PersonOutcome) -> date:
    """The reference date the stored outcome was computed for."""
    if stored.as_of is not None:
        return stored.as_of
    return date.fromisoformat(
        (stored.outcome or {}).get("as_of") or stored.computed_at.date().isoformat()
    )


def outcome_document(stored: PersonOutcome, catalogue: Catalogue, ruleset: Ruleset) -> dict:
    """The stored outcome as lens.rules.report.outcome_to_dict (Dutch). Only older rows
    keep a copy of it: since issue 14 neither the bulk recompute nor the per-person path
    stores one. It is drawn again with the engine from the person's current registrations
    as of the stored date, with the versions it was computed with (`catalogue` and
    `ruleset` when those are the active ones): that gives the stored outcome, since every
    registration change stores a new one unless the content, the versions and the date
    are the same (lens.registry.actions.recompute_outcome)."""
    if stored.outcome is not None:
        return stored.outcome
    if (stored.catalogue_version, stored.ruleset_version) != (catalogue.version, ruleset.version):
        # Not stored (any more): drawn with the given versions.
        with suppress(services.NoCatalogueLoaded):
            catalogue, ruleset = services.versions(stored.catalogue_version, stored.ruleset_version)
    person, current = _person_and_current(stored)
    data, dropped = records_input(
        [person],
        catalogue,
        outcome_as_of(stored),
        region=person.organisation.region,
        current=current,
    )
    return drawn_document(data, dropped, catalogue, ruleset)


def drawn_document(data: AssessmentInput, dropped: set[str], catalogue, ruleset) -> dict:
    """The report of the engine's outcome over `data`, as the per-person path stored it."""
    outcome = assess(catalogue, ruleset, data, data.as_of)
    document = report.outcome_to_dict(outcome, catalogue, ruleset, "nl")
    document["not_in_catalogue"] = sorted(dropped)
    return document


def _person_and_current(stored: PersonOutcome) -> tuple[Person, dict | None]:
    """The outcome's person with its organisation and, unless both were read already,
    its current registrations: one query (the registrations with their person and its
    organisation joined)."""
    person_field = PersonOutcome._meta.get_field("person")
    if person_field.is_cached(stored):
        person = stored.person
        if Person._meta.get_field("organisation").is_cached(person):
            return person, None
    rows = list(
        Registration.objects.current()
        .filter(person_id=stored.person_id, organisation_id=F("person__organisation_id"))
        .select_related("person__organisation")
        .order_by("observed_on", "pk")
    )
    if not rows:  # every registration withdrawn: the person alone
        person = Person.objects.select_related("organisation").get(pk=stored.person_id)
        return person, {person.pk: []}
    return rows[0].person, {rows[0].person_id: rows}


def with_document(
    stored: PersonOutcome,
    person: Person,
    catalogue: Catalogue,
    ruleset: Ruleset,
    entries: list[TimelineEntry],
) -> PersonOutcome:
    """`stored` with its report drawn in memory (never saved: outcomes are written once)
    from the person's timeline the page read already, so that what reads the report on
    the page (the case box's acute advice) asks the database nothing more."""
    versions = (catalogue.version, ruleset.version)
    if stored.outcome is None and (stored.catalogue_version, stored.ruleset_version) == versions:
        data, dropped = assessment_input(person, catalogue, outcome_as_of(stored), entries=entries)
        # The same versions and input draw the same document: kept per process by them
        # (as the page's outcome section is, lens.web.outcomes), so that a page seen again
        # does not run the engine again for its case box.
        key = (*versions, data, frozenset(dropped))
        document = documents.get(key)
        if document is None:
            document = drawn_document(data, dropped, catalogue, ruleset)
            documents.put(key, document)
        stored.outcome = document
    return stored


# Drawn outcome documents kept per process (`with_document`), at most this many. Shared
# by the requests that draw the same one: read, never changed (outcomes are never saved
# from a page).
DOCUMENTS_KEPT = 256
documents: Kept[dict] = Kept(DOCUMENTS_KEPT)


def outcome_holds(stored: PersonOutcome, catalogue_version: str, ruleset_version: str) -> bool:
    """Whether the stored outcome is the one for these versions: computed with them, or
    left unchanged by a finished recompute with them that began after it."""
    if (stored.catalogue_version, stored.ruleset_version) == (catalogue_version, ruleset_version):
        return True
    return OutcomeRun.objects.filter(
        catalogue_version=catalogue_version,
        ruleset_version=ruleset_version,
        finished_at__isnull=False,
        started_at__gte=stored.computed_at,
    ).exists()


def blind_spots(stored: dict) -> int:
    """Leefgebieden without information in a stored outcome (report.outcome_to_dict)."""
    return sum(1 for b in stored.get("blind_spots", []) if b.get("kind") == "life_domain")


# The small reads of a person's page (its overview), newest first, for one person: the
# same query as PersonOutcome.objects.latest_for and the models' orderings, built and
# compiled once per process (lens.data.prepared.compiled).
_latest_outcome = compiled(
    lambda pk: PersonOutcome.objects.newest_first().filter(person_id=pk)[:1], int
)
_latest_informed = compiled(
    lambda pk: InformedNotice.objects.order_by("-recorded_at", "-pk").filter(person_id=pk)[:1],
    int,
)
_referrals = compiled(
    lambda pk: Referral.objects.select_related("referred_by").filter(person_id=pk), int
)


def latest_outcome(person: Person) -> PersonOutcome | None:
    return _latest_outcome.first(person.pk)


def latest_informed(person: Person) -> InformedNotice | None:
    return _latest_informed.first(person.pk)


def referrals_of(person: Person) -> list[Referral]:
    """The person's referrals to the zorgcoördinator, newest first, with who referred."""
    return _referrals(person.pk)


@dataclass(frozen=True)
class TimelineEntry:
    registration: Registration
    withdrawn: bool
    previous_versions: list[Registration]


def timeline(person: Person) -> list[TimelineEntry]:
    """The organisation's registrations of the person, newest observation first; each
    chain of corrections shown once, under its newest version, with the older versions."""
    return _timeline(_timeline_of(person.pk))


def _timeline_base() -> QuerySet[Registration]:
    """The registrations as a timeline reads them (with their withdrawal and author,
    oldest first; the organisation's own of each record), before they are narrowed to
    persons."""
    return (
        Registration.objects.select_related("withdrawal", "author")
        .filter(organisation_id=F("person__organisation_id"))
        .order_by("pk")
    )


_timeline_rows = prepared(_timeline_base)
# One person's: built and compiled once per process (lens.data.prepared.compiled).
_timeline_of = compiled(lambda pk: _timeline_base().filter(person_id=pk), int)


def timelines(persons: list[Person]) -> dict[int, list[TimelineEntry]]:
    """`timeline` of several records in one query, by person pk."""
    by_person: dict[int, list[Registration]] = {p.pk: [] for p in persons}
    rows = _timeline_rows().filter(person_id__in=list(by_person))
    for registration in rows:
        by_person[registration.person_id].append(registration)
    return {pk: _timeline(registrations) for pk, registrations in by_person.items()}


def _timeline(registrations: list[Registration]) -> list[TimelineEntry]:
    by_pk = {r.pk: r for r in registrations}
    superseded = {r.supersedes_id for r in registrations if r.supersedes_id}
    entries = []
    for registration in registrations:
        if registration.pk in superseded:
            continue  # shown under the version that replaced it
        previous = []
        cursor = by_pk.get(registration.supersedes_id) if registration.supersedes_id else None
        while cursor is not None:
            previous.append(cursor)
            cursor = by_pk.get(cursor.supersedes_id) if cursor.supersedes_id else None
        withdrawn = hasattr(registration, "withdrawal")
        entries.append(
            TimelineEntry(
                registration=registration,
                withdrawn=withdrawn,
                previous_versions=previous,
            )
        )
    entries.sort(key=lambda e: (e.registration.observed_on, e.registration.pk), reverse=True)
    return entries


def registration_of(person: Person, registration_id: int) -> Registration | None:
    """One of the person's registrations (of the person's own organisation), or None."""
    return (
        Registration.objects.filter(
            person=person, organisation_id=person.organisation_id, pk=registration_id
        )
        .select_related("withdrawal")
        .first()
    )


def why_not_current(registration: Registration) -> str | None:
    """Why the registration no longer counts, as the database says now (not as the object
    in hand remembers): "corrected" (a newer version supersedes it), "withdrawn", or None
    while it is current. The one rule for the pages, the API and the actions layer."""
    fresh = Registration.objects.filter(pk=registration.pk)
    if fresh.filter(superseded_by__isnull=False).exists():
        return "corrected"
    if fresh.filter(withdrawal__isnull=False).exists():
        return "withdrawn"
    return None


def is_current(registration: Registration) -> bool:
    return why_not_current(registration) is None


def last_signal_date(person: Person) -> date | None:
    return (
        Registration.objects.current()
        .filter(person=person)
        .aggregate(last=Max("observed_on"))["last"]
    )
