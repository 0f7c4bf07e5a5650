"""`lens demo`: demo mode only, every role, synthetic persons through the actions layer,
idempotent. (The benchmark scripts beside it: tests/core/test_bench_scripts.py.)"""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from lens.access import policy
from lens.access.actor import Actor
from lens.access.crypto import Sealed, open_identity
from lens.access.matchkeys import bsn_is_valid, match_keys
from lens.access.models import AccessLogEntry, Action
from lens.access.verify import verify as verify_log
from lens.coordination import clusters
from lens.data import queries
from lens.data.coordination import (
    CombinedOutcome,
    InformationRequest,
    LeadAssignment,
    LinkState,
    PersonLink,
    PersonRelation,
    Referral,
    RelationKind,
    WorkItem,
    WorkKind,
)
from lens.data.registry import (
    InformedNotice,
    Membership,
    Organisation,
    Person,
    PersonOutcome,
    Registration,
    Role,
    Withdrawal,
)
from lens.demo import coordination
from lens.demo.world import DEMO_PASSWORD, ORGANISATIONS, user_specs

REQUIRED_TYPES = {
    "school",
    "youth_care",
    "general_practitioner",
    "debt_counselling",
    "police",
    "neighbourhood_team",
    "housing_corporation",
}
PERSONS = "20"


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE, settings.DEBUG = True, True
    return settings


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = (
        Organisation,
        Membership,
        get_user_model(),
        TOTPDevice,
        Person,
        Registration,
        Withdrawal,
        PersonOutcome,
        InformedNotice,
        AccessLogEntry,
        PersonLink,
        WorkItem,
        PersonRelation,
        Referral,
        InformationRequest,
        LeadAssignment,
        CombinedOutcome,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
@pytest.mark.parametrize(("demo", "debug"), [(False, True), (False, False), (True, False)])
def test_demo_is_refused_outside_demo_mode(settings, demo, debug):
    settings.DEMO_MODE, settings.DEBUG = demo, debug
    with pytest.raises(CommandError, match="DEMO_MODE=1") as refused:
        run("--persons", PERSONS)
    assert refused.value.returncode == 1
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_demo_creates_organisations_and_an_account_for_every_role(demo_mode):
    out = run("--persons", PERSONS)

    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for region in ("midden_brabant", "amsterdam"):
        types = set(
            Organisation.objects.filter(region=region).values_list("organisation_type", flat=True)
        )
        assert types >= REQUIRED_TYPES, region
        for role in (Role.ZORGCOORDINATOR, Role.ANALIST):
            assert Membership.objects.filter(role=role, region=region).exists()
        for role in (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS):
            assert Membership.objects.filter(role=role, organisation__region=region).count() >= 2
    assert Organisation.objects.count() == len(ORGANISATIONS)
    for organisation in Organisation.objects.all():
        assert organisation.name.startswith("Demo ")
        assert organisation.contact_name
        assert organisation.contact_phone
        assert organisation.contact_email.endswith("@example.nl")

    users = get_user_model().objects.all()
    assert {u.username for u in users} == {spec.username for spec in user_specs()}
    for user in users:
        assert user.username.startswith("demo-")
        assert user.check_password(DEMO_PASSWORD)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert any(user.memberships.count() >= 2 for user in users)

    # The printed table: the password, every account with its role, how to get a code.
    assert DEMO_PASSWORD in out
    for membership in Membership.objects.select_related("user", "organisation"):
        scope = membership.organisation.name if membership.organisation else ""
        line = re.compile(
            rf"^\s+{re.escape(membership.user.username)}\s+{membership.role}\s+{re.escape(scope)}",
            re.M,
        )
        assert line.search(out), membership
    assert "lens demo-code USERNAME" in out


@pytest.mark.django_db
def test_demo_persons_are_synthetic_and_registered_through_the_actions(demo_mode):
    run("--persons", PERSONS)

    persons = list(Person.objects.select_related("organisation"))
    assert len(persons) >= int(PERSONS)
    assert {p.organisation.name for p in persons} <= {o.name for o in ORGANISATIONS}
    for person in persons:
        assert PersonOutcome.objects.filter(person=person).exists(), person
        assert Registration.objects.filter(person=person).exists(), person
        # Written by the actions layer, as a demo user, with an access-log record.
        created = AccessLogEntry.objects.get(
            person_id=person.pk, action=Action.CREATE, object_type="person"
        )
        assert created.username.startswith("demo-")
    levels = set(queries.with_overview(Person.objects.all()).values_list("latest_level", flat=True))
    assert len(levels) >= 2, levels
    assert verify_log() == []

    # Only a sealed identity: no plaintext identity field, and no name, birth date or
    # BSN anywhere in the registry's tables or the access log.
    fields = {f.name for f in Person._meta.get_fields()}
    assert not fields & {"name", "given_names", "family_name", "birth_date", "bsn", "sex"}
    identities = [
        open_identity(
            Sealed(
                p.identity_key_id,
                bytes(p.identity_wrapped_key),
                bytes(p.identity_nonce),
                bytes(p.identity_ciphertext),
            ),
            p.pseudonym.encode(),
        )
        for p in persons
    ]
    stored = "\n".join(
        repr(row)
        for model in (
            Person,
            Registration,
            Withdrawal,
            PersonOutcome,
            InformedNotice,
            AccessLogEntry,
        )
        for row in model.objects.values()
    )
    for identity in identities:
        assert f"{identity.given_names} {identity.family_name}" not in stored
        if len(identity.family_name) >= 6:
            assert not re.search(rf"\b{re.escape(identity.family_name)}\b", stored)
        assert identity.birth_date.isoformat() not in stored
        if identity.bsn:
            assert identity.bsn.startswith("9999")
            assert bsn_is_valid(identity.bsn)
            assert identity.bsn not in stored


def demo_record(stay: coordination.Stay) -> Person:
    """The demo's record of a fixed coordination persona, found by its match keys."""
    bsn_key, name_key = match_keys(stay.identity)
    persons = Person.objects.filter(organisation__name=_org_name(stay.organisation))
    if bsn_key:
        return persons.get(bsn_match_key=bsn_key)
    return persons.get(bsn_match_key="", name_match_key=name_key)


def _org_name(slug: str) -> str:
    return next(o.name for o in ORGANISATIONS if o.slug == slug)


@pytest.mark.django_db
def test_demo_gives_the_zorgcoordinator_work_across_organisations(demo_mode):
    run("--persons", PERSONS)
    membership = Membership.objects.get(
        role=Role.ZORGCOORDINATOR, region="midden_brabant", user__username__startswith="demo-zc"
    )
    coordinator = Actor(user=membership.user, membership=membership)
    assert membership.user.email.endswith("@example.nl")

    # Possible matches to review: every planted near-duplicate is a candidate pair.
    candidates = policy.visible_links(coordinator).filter(state=LinkState.CANDIDATE)
    assert candidates.exists()
    for first, second, change in coordination.NEAR_DUPLICATES:
        a, b = sorted((demo_record(first), demo_record(second)), key=lambda p: p.pk)
        link = PersonLink.objects.get(person_a=a, person_b=b)
        assert link.state == LinkState.CANDIDATE, change
        assert first.identity.bsn and not second.identity.bsn

    # The suspected recruiter's network: three edges, every record in the scope.
    recruiter = demo_record(coordination.RECRUITER)
    young = [demo_record(stay) for stay in coordination.RECRUITED]
    edges = PersonRelation.objects.filter(
        person_a=recruiter, kind=RelationKind.SUSPECTED_RECRUITER, ended_at__isnull=True
    )
    assert edges.count() == 3
    assert {edge.person_b for edge in edges} == set(young)
    siblings = [demo_record(s) for s in coordination.RECRUITED if s.key in coordination.SIBLINGS]
    assert PersonRelation.objects.filter(
        person_a=siblings[0], person_b=siblings[1], kind=RelationKind.FAMILY
    ).exists()
    in_scope = policy.coordinated_persons(coordinator)
    assert set(in_scope.filter(pk__in=[recruiter.pk, *(p.pk for p in young)])) == {
        recruiter,
        *young,
    }
    # Recorded through the actions layer, by a police professional of the demo.
    recorded = AccessLogEntry.objects.filter(object_type="relation", person_id=recruiter.pk)
    assert recorded.count() == 3
    assert all(entry.username == "demo-prof-politie-tilburg" for entry in recorded)

    # The linked person: referred, the lead named, one request answered and one open.
    school, care = (demo_record(stay) for stay in coordination.CLUSTER)
    assert {school.pk, care.pk} <= clusters.cluster_ids([school.pk])
    assert clusters.current_lead([school, care]) == care.organisation
    assert Referral.objects.filter(person__in=[school, recruiter]).count() == 2
    answered = InformationRequest.objects.get(person=school)
    assert answered.answered_at is not None
    assert answered.answered_by.username == "demo-af-school-tilburg"
    still_open = InformationRequest.objects.get(person=care)
    assert still_open.answered_at is None

    # Open lines on the region's work list, of every kind the demo makes.
    open_items = WorkItem.objects.filter(region="midden_brabant", done_at__isnull=True)
    assert set(open_items.values_list("kind", flat=True)) >= {
        WorkKind.NEW_LINK,
        WorkKind.CANDIDATE,
        WorkKind.REFERRAL,
        WorkKind.ANSWER,
    }
    assert verify_log() == []


@pytest.mark.django_db
def test_running_the_demo_twice_adds_no_rows(demo_mode):
    run("--persons", PERSONS)
    before = row_counts()
    out = run("--persons", PERSONS)
    assert row_counts() == before
    assert "are there already" in out
    assert "demo work is there already" in out
    # A larger run adds only the missing persons.
    run("--persons", str(int(PERSONS) + 2))
    after = row_counts()
    assert after["Person"] > before["Person"]
    assert after["Organisation"] == before["Organisation"]
    assert after["User"] == before["User"]


@pytest.mark.django_db
def test_demo_gives_analists_per_municipality_and_registrations_a_home(demo_mode):
    from lens.insight.areas import area_region, areas

    out = run("--persons", PERSONS)
    table = areas()
    for region in ("midden_brabant", "amsterdam"):
        analists = Membership.objects.filter(role=Role.ANALIST, region=region)
        assert analists.filter(municipality="").count() == 1  # the region's analist
        expected = {m.code for m in table.municipalities_in(area_region(region))}
        assert set(analists.exclude(municipality="").values_list("municipality", flat=True)) == (
            expected
        )
    assert "demo-analist-gemeente-tilburg" in out and "Tilburg" in out
    registrations = list(Registration.objects.select_related("organisation"))
    assert registrations
    for registration in registrations:
        municipality = table.municipalities[registration.municipality_code]
        assert municipality.region == area_region(registration.organisation.region)
        assert table.districts[registration.wijk_code].municipality_code == municipality.code
    assert any(r.phenomena for r in registrations)


def test_demo_plans_never_register_a_check_only_question(loaded_catalogue):
    """ "Is er nu direct gevaar?" (check_only) is never stored: the demo plans none."""
    from datetime import date

    from lens.demo.persons import Planner

    catalogue, ruleset = loaded_catalogue
    only = {c for c, s in catalogue.signals.items() if s.check_only}
    assert only == {"direct_danger_now"}
    planner = Planner(catalogue, ruleset, date(2026, 12, 1), seed=1)
    planned = [planner.person(i) for i in range(150)]
    signals = {c for p in planned for s in p.stays for r in s.registrations for c in r.signals}
    assert signals and not signals & only
    # the persons at level 4 still have an acute signal to stand on
    assert any(catalogue.signals[c].acute for c in signals)
