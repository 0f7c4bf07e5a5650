"""Across organisations in the demo: work for the zorgcoördinator of Midden-Brabant.

On top of the planned persons (lens.demo.persons), a fixed handful of synthetic
persons, all in Midden-Brabant:

- near-duplicates: the same (made-up) person registered at two organisations, the second
  time without a BSN and with a typing error in a name, day and month swapped or the
  tussenvoegsel left out, so that the fuzzy match rule proposes a candidate pair;
- one person known at the school and at youth care under the same BSN (an exact link),
  referred to the zorgcoördinator, with the lead named, one information request
  answered by the school's aandachtsfunctionaris and one still open;
- a suspected recruiter (an adult) with three young persons, two of them siblings, all
  registered by the police, with the relations recorded by a police professional; the
  recruiter is referred to the zorgcoördinator.

Everything goes through the actions layers (lens.registry.actions,
lens.coordination.actions), as the demo users, so the access log shows it. Running again
adds nothing: every step first looks whether its result is there already (persons by
their match keys, as lens.demo.persons does).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from lens.access.actor import Actor
from lens.access.crypto import Identity
from lens.access.matchkeys import match_keys
from lens.cases import referrals
from lens.coordination import actions as coordination
from lens.coordination import clusters
from lens.data.coordination import (
    InformationRequest,
    LeadAssignment,
    LinkState,
    PersonLink,
    PersonRelation,
    Referral,
    RelationKind,
)
from lens.data.registry import Person, Role

from .building import actor_of, build_stay
from .identities import synthetic_bsn, synthetic_bsn_count
from .persons import Planner, Report, age_on
from .world import ORGANISATIONS, World

REGION = "midden_brabant"
# The demo BSNs of these persons, counted from the end of the synthetic range; the
# planned persons (lens demo --persons) use the numbers from the start.
RESERVED_BSNS = 20


def max_planned_persons() -> int:
    """How many persons `lens demo --persons` may plan: the BSNs left over."""
    return synthetic_bsn_count() - RESERVED_BSNS


def _bsn(number: int) -> str:
    return synthetic_bsn(synthetic_bsn_count() - 1 - number)


@dataclass(frozen=True)
class Stay:
    """One record: a person as one organisation registered them."""

    key: str
    organisation: str  # OrgSpec slug
    identity: Identity
    level: int  # aimed for (lens.demo.persons.Planner)


def _stay(key, organisation, given, family, born, bsn=None, level=2, sex="") -> Stay:
    return Stay(key, organisation, Identity(given, family, born, bsn or "", sex), level)


# (first record with a BSN, second record without, what differs)
NEAR_DUPLICATES: tuple[tuple[Stay, Stay, str], ...] = (
    (
        _stay("dup1a", "school-tilburg", "Jayden", "Verhoeven", date(2010, 5, 14), _bsn(0), 1),
        _stay("dup1b", "jeugdhulp-tilburg", "Jayden", "Verhoven", date(2010, 5, 14), level=2),
        "family_typo",
    ),
    (
        _stay("dup2a", "wijkteam-tilburg", "Sanne", "de Wit", date(2009, 3, 8), _bsn(1), 2),
        _stay("dup2b", "politie-tilburg", "Sanne", "de Wit", date(2009, 8, 3), level=1),
        "date_day_month_swapped",
    ),
    (
        _stay("dup3a", "jongerenwerk-dongen", "Mohammed", "El Idrissi", date(2008, 11, 2), _bsn(2)),
        _stay("dup3b", "school-tilburg", "Mohamed", "El Idrissi", date(2008, 11, 2), level=1),
        "given_typo",
    ),
    (
        _stay(
            "dup4a", "huisarts-oisterwijk", "Lotte", "van den Heuvel", date(2011, 7, 21), _bsn(3)
        ),
        _stay("dup4b", "jeugdhulp-tilburg", "Lotte", "Heuvel", date(2011, 7, 21), level=1),
        "tussenvoegsel_missing",
    ),
    (
        _stay("dup5a", "politie-tilburg", "Noah", "Kuijpers", date(2007, 2, 11), _bsn(4), 3),
        _stay("dup5b", "schuldhulp-tilburg", "Noah", "Kuipers", date(2007, 2, 11), level=1),
        "family_typo",
    ),
    (
        _stay("dup6a", "school-tilburg", "Emma", "Schouten", date(2010, 12, 4), _bsn(5), 2),
        _stay("dup6b", "wijkteam-tilburg", "Emma", "Schouten", date(2010, 4, 12), level=1),
        "date_day_month_swapped",
    ),
)
# Known at the school and at youth care under one BSN: linked at once.
CLUSTER = (
    _stay("cluster_school", "school-tilburg", "Yara", "Bosman", date(2010, 9, 23), _bsn(6), 2),
    _stay("cluster_care", "jeugdhulp-tilburg", "Yara", "Bosman", date(2010, 9, 23), _bsn(6), 2),
)
# A suspected recruiter (24) and three young persons, two of them siblings, all at the police.
RECRUITER = _stay(
    "recruiter", "politie-tilburg", "Dylan", "Hoekstra", date(2002, 6, 19), _bsn(7), 2, "male"
)
RECRUITED = (
    _stay("young1", "politie-tilburg", "Milan", "Koster", date(2011, 1, 30), _bsn(8), 2, "male"),
    _stay("young2", "politie-tilburg", "Finn", "Dekker", date(2010, 10, 5), _bsn(9), 3, "male"),
    _stay("young3", "politie-tilburg", "Levi", "Dekker", date(2012, 4, 17), _bsn(10), 2, "male"),
)
SIBLINGS = ("young2", "young3")

RECRUITER_NOTE = "Gezien bij het ophalen na school; regelt vervoer en telefoons."
SIBLINGS_NOTE = "Broers, wonen op hetzelfde adres."
REFERRALS = (
    (
        "cluster_school",
        "Ook bekend bij jeugdhulp. Zorgen over verzuim en nieuwe oudere contacten; "
        "graag afstemming wie de regie neemt.",
    ),
    (
        "recruiter",
        "Jongvolwassene die vaker samen met minderjarigen wordt aangetroffen; mogelijk "
        "ronselaar. Graag bespreken in het zorg- en veiligheidsoverleg.",
    ),
)
QUESTION_ANSWERED = (
    "Is de leerling de afgelopen maand nog verzuimd, en is er contact met de ouders?"
)
ANSWER = (
    "Ja, drie dagen zonder bericht. Er is een gesprek met moeder geweest; zij maakt "
    "zich ook zorgen over nieuwe vrienden."
)
QUESTION_OPEN = "Is er sinds de laatste registratie nog een vermissing geweest?"


@dataclass
class CoordinationReport:
    persons: int = 0
    candidates: int = 0  # candidate pairs among the demo's near-duplicates
    relations: int = 0
    referrals: int = 0
    requests: int = 0
    answered: int = 0
    leads: int = 0
    emails: int = 0  # zorgcoördinatoren given an e-mail address


def build_coordination(world: World, planner: Planner) -> CoordinationReport:
    """Create whatever of the demo's cross-organisation work is missing."""
    report = CoordinationReport()
    report.emails = _coordinator_emails(world)
    stays = [
        *(stay for pair in NEAR_DUPLICATES for stay in pair[:2]),
        *CLUSTER,
        RECRUITER,
        *RECRUITED,
    ]
    persons = {stay.key: _ensure_person(world, planner, stay, report) for stay in stays}

    police = _member(world, Role.PROFESSIONAL, "politie-tilburg")
    for young in RECRUITED:
        report.relations += _ensure_relation(
            police,
            persons[RECRUITER.key],
            persons[young.key],
            RelationKind.SUSPECTED_RECRUITER,
            RECRUITER_NOTE,
        )
    a, b = SIBLINGS
    report.relations += _ensure_relation(
        police, persons[a], persons[b], RelationKind.FAMILY, SIBLINGS_NOTE
    )

    for key, reason in REFERRALS:
        person = persons[key]
        if not Referral.objects.filter(person=person).exists():
            organisation = _slug_of(world, person)
            # From the person's page: a step of the organisation's case (one is opened).
            referrals.refer_person(_member(world, Role.PROFESSIONAL, organisation), person, reason)
            report.referrals += 1

    coordinator = _coordinator(world)
    school, care = persons[CLUSTER[0].key], persons[CLUSTER[1].key]
    request = InformationRequest.objects.filter(person=school, question=QUESTION_ANSWERED).first()
    if request is None:
        request = coordination.ask_information(
            coordinator, school, school.organisation, QUESTION_ANSWERED
        )
        report.requests += 1
    if request.answered_at is None:
        officer = _member(world, Role.AANDACHTSFUNCTIONARIS, "school-tilburg")
        coordination.answer_information(officer, request, ANSWER)
        report.answered += 1
    if not InformationRequest.objects.filter(person=care, question=QUESTION_OPEN).exists():
        coordination.ask_information(coordinator, school, care.organisation, QUESTION_OPEN)
        report.requests += 1

    members = clusters.cluster_of(school)
    if not LeadAssignment.objects.filter(person__in=members).exists():
        coordination.assign_lead(coordinator, school, care.organisation)
        report.leads += 1

    pairs = [(persons[a.key], persons[b.key]) for a, b, _change in NEAR_DUPLICATES]
    report.candidates = sum(
        PersonLink.objects.filter(
            person_a=min(a, b, key=_pk), person_b=max(a, b, key=_pk), state=LinkState.CANDIDATE
        ).exists()
        for a, b in pairs
    )
    return report


def _pk(person: Person) -> int:
    return person.pk


def _ensure_person(world: World, planner: Planner, stay: Stay, report: CoordinationReport):
    """The stay's record, registered (with its planned registrations) when missing."""
    organisation = world.organisations[stay.organisation]
    bsn_key, name_key = match_keys(stay.identity)
    existing = Person.objects.filter(organisation=organisation)
    existing = (
        existing.filter(bsn_match_key=bsn_key)
        if bsn_key
        else existing.filter(bsn_match_key="", name_match_key=name_key)
    ).first()
    if existing is not None:
        return existing
    spec = next(o for o in ORGANISATIONS if o.slug == stay.organisation)
    rng = random.Random(f"uitbuitingslens-demo-coordination:{planner.seed}:{stay.key}")
    age = age_on(stay.identity.birth_date, planner.today)
    planned = planner._stay(rng, spec, stay.identity, age, stay.level)
    members = [actor_of(m) for m in world.members_of(organisation)]
    build_stay(planned, members, Report())
    report.persons += 1
    return existing_or_new(organisation, bsn_key, name_key)


def existing_or_new(organisation, bsn_key: str, name_key: str) -> Person:
    persons = Person.objects.filter(organisation=organisation)
    if bsn_key:
        return persons.get(bsn_match_key=bsn_key)
    return persons.filter(bsn_match_key="", name_match_key=name_key).order_by("pk").first()


def _ensure_relation(actor: Actor, a: Person, b: Person, kind: str, note: str) -> int:
    if PersonRelation.objects.filter(
        person_a=a, person_b=b, kind=kind, ended_at__isnull=True
    ).exists():
        return 0
    coordination.record_relation(actor, a, b, kind, note)
    return 1


def _member(world: World, role: str, organisation: str) -> Actor:
    target = world.organisations[organisation]
    membership = next(
        m for m in world.memberships if m.role == role and m.organisation_id == target.pk
    )
    return actor_of(membership)


def _coordinator(world: World) -> Actor:
    membership = next(
        m
        for m in world.memberships
        if m.role == Role.ZORGCOORDINATOR and m.region == REGION and m.organisation_id is None
    )
    return actor_of(membership)


def _slug_of(world: World, person: Person) -> str:
    return next(
        slug for slug, org in world.organisations.items() if org.pk == person.organisation_id
    )


def _coordinator_emails(world: World) -> int:
    """Demo zorgcoördinatoren without an e-mail address get one (@example.nl): the work
    list's notices go there (printed on the console in demo mode)."""
    ids = {m.user_id for m in world.memberships if m.role == Role.ZORGCOORDINATOR}
    changed = 0
    for user in get_user_model()._default_manager.filter(pk__in=ids, email=""):
        user.email = f"{user.get_username()}@example.nl"
        user.save(update_fields=["email"])
        changed += 1
    return changed
