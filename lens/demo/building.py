"""Building the planned persons (lens.demo.persons) through the actions layer: one person
at a time in one transaction, skipping those the organisation knows already by their match
keys (no identity is read)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from lens.access.actor import Actor
from lens.access.matchkeys import match_keys
from lens.data.registry import Person
from lens.registry import actions

from .persons import PlannedRegistration, PlannedStay, Planner, Report
from .world import World

PURPOSE = "nieuwe registratie"  # as the registration page writes it
USER_AGENT = "lens demo (synthetic data)"


def build_persons(
    world: World,
    planner: Planner,
    count: int,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Register the planned persons 0..count-1 that are not there yet."""
    report = Report()
    organisations = world.organisations
    existing = _existing_keys(list(organisations.values()))
    actors = {
        slug: [actor_of(m) for m in world.members_of(organisation)]
        for slug, organisation in organisations.items()
    }
    for index in range(count):
        planned = planner.person(index)
        report.planned += 1
        for number, stay in enumerate(planned.stays):
            organisation = organisations[stay.organisation]
            bsn_key, name_key = match_keys(stay.identity)
            key = (organisation.pk, bsn_key) if bsn_key else (organisation.pk, "", name_key)
            if key in existing:
                report.skipped += 1
                continue
            build_stay(stay, actors[stay.organisation], report)
            existing.add(key)
            report.aimed[stay.level] += 1
            report.second_organisation += number > 0
        if progress is not None:
            progress(index + 1, count)
    return report


def build_stay(stay: PlannedStay, members: list[Actor], report: Report) -> None:
    def author(planned: PlannedRegistration) -> Actor:
        return members[planned.author % len(members)]

    with transaction.atomic():  # one person at a time: all of it or nothing
        first = author(stay.registrations[0])
        person, created = actions.register_person(first, stay.identity, purpose=PURPOSE)
        if not created:  # cannot happen: build_persons skips persons that exist
            raise RuntimeError(f"demo person {person.pseudonym} exists already")
        report.persons += 1
        for planned in stay.registrations:
            actor = author(planned)
            registration = actions.register_signals(
                actor,
                person,
                signals=planned.signals,
                observed_on=planned.observed_on,
                how_learned=planned.how_learned,
                context_note=planned.context_note,
                risk_factors=planned.risk_factors,
                **dict(planned.where),
            )
            report.registrations += 1
            if planned.correction:
                registration = actions.correct_registration(
                    actor, registration, **dict(planned.correction)
                )
                report.corrections += 1
            if planned.withdraw_reason:
                actions.withdraw_registration(actor, registration, planned.withdraw_reason)
                report.withdrawals += 1
        if stay.informed is not None:
            informed = stay.informed
            actions.record_informed(
                first,
                person,
                informed=informed.informed,
                informed_on=informed.informed_on,
                who=informed.who,
                reason_not=informed.reason_not,
            )
            report.informed += 1


def _existing_keys(organisations) -> set[tuple]:
    """Match keys of the persons the demo organisations have already (no identity read)."""
    keys: set[tuple] = set()
    rows = Person.objects.filter(organisation__in=organisations).values_list(
        "organisation_id", "bsn_match_key", "name_match_key"
    )
    for organisation_id, bsn_key, name_key in rows:
        keys.add((organisation_id, bsn_key) if bsn_key else (organisation_id, "", name_key))
    return keys


def actor_of(membership) -> Actor:
    return Actor(user=membership.user, membership=membership, user_agent=USER_AGENT)
