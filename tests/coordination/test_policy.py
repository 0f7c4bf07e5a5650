"""The zorgcoördinator's need-to-know scope (lens.access.policy, region scope).

Two soft signals, each seen by one organisation, stay below the threshold for each of
them (level 1) but reach level 2 combined: only then, or after a referral, does the
region's zorgcoördinator see the records; another region's zorgcoördinator never does.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lens.access import policy
from lens.access.actor import Actor
from lens.access.models import AccessLogEntry, Action
from lens.coordination import actions, combined
from lens.data.coordination import LinkBasis, LinkState, PersonLink, WorkItem, WorkKind
from lens.data.registry import Person, PersonOutcome, Role
from tests.registry import factories

OTHER_REGION = "amsterdam"


@dataclass
class Region:
    school: Actor
    youth_care: Actor
    elsewhere: Actor  # a school in another region
    coordinator: Actor
    other_coordinator: Actor  # the zorgcoördinator of another region
    analist: Actor
    beheerder: Actor


@pytest.fixture
def region(active) -> Region:
    school = factories.organisation(organisation_type="school")
    youth_care = factories.organisation(organisation_type="youth_care")
    elsewhere = factories.organisation(organisation_type="school", region=OTHER_REGION)

    def actor(role, org=None, **kwargs):
        return factories.actor(factories.membership(role, org, **kwargs))

    return Region(
        school=actor(Role.PROFESSIONAL, school),
        youth_care=actor(Role.PROFESSIONAL, youth_care),
        elsewhere=actor(Role.PROFESSIONAL, elsewhere),
        coordinator=actor(Role.ZORGCOORDINATOR),
        other_coordinator=actor(Role.ZORGCOORDINATOR, region=OTHER_REGION),
        analist=actor(Role.ANALIST),
        beheerder=actor(Role.BEHEERDER),
    )


def both_register(region: Region, bsn_seed: int = 1) -> tuple[Person, Person]:
    """The same person (same BSN) at the school (truancy) and at youth care (new
    expensive clothes, many new contacts): level 1 at each, level 2 combined (three soft
    signals in three leefgebieden; two soft signals alone are level 1 since ruleset
    2026.12)."""
    bsn = factories.valid_bsn(bsn_seed)
    at_school = factories.person(region.school, bsn=bsn)
    factories.registration(region.school, at_school, signals=["truancy"])
    at_youth_care = factories.person(region.youth_care, bsn=bsn)
    factories.registration(
        region.youth_care, at_youth_care, signals=["new_expensive_clothes", "many_new_contacts"]
    )
    return at_school, at_youth_care


def own_level(person: Person) -> int:
    return PersonOutcome.objects.filter(person=person).latest().level


def test_two_level_1_records_make_a_level_2_person_the_coordinator_sees(region):
    at_school, at_youth_care = both_register(region)
    assert own_level(at_school) == 1
    assert own_level(at_youth_care) == 1
    link = PersonLink.objects.get()
    assert (link.basis, link.state) == (LinkBasis.BSN, LinkState.LINKED)
    assert combined.latest(at_school).level == 2
    assert sorted(combined.latest(at_school).members) == sorted([at_school.pk, at_youth_care.pk])
    visible = set(policy.coordinated_persons(region.coordinator))
    assert visible == {at_school, at_youth_care}
    assert not policy.coordinated_persons(region.other_coordinator).exists()


def test_a_single_level_1_record_stays_with_its_organisation(region):
    person = factories.person(region.school)
    factories.registration(region.school, person, signals=["truancy"])
    assert not policy.coordinated_persons(region.coordinator).exists()
    with pytest.raises(Http404):
        policy.get_coordinated(region.coordinator, person.pseudonym, purpose="test")


def test_a_referral_brings_a_record_in_scope_whatever_its_level(region):
    person = factories.person(region.school)
    factories.registration(region.school, person, signals=["truancy"])
    actions.refer(region.school, person, "Zorgen over verzuim en nieuwe contacten.")
    assert list(policy.coordinated_persons(region.coordinator)) == [person]
    assert WorkItem.objects.filter(kind=WorkKind.REFERRAL, person=person).exists()
    with pytest.raises(Http404):
        policy.find_coordinated(region.other_coordinator, person.pseudonym, action=Action.READ)


def test_reading_the_combined_picture_logs_every_record_with_its_purpose(region):
    at_school, at_youth_care = both_register(region)
    before = AccessLogEntry.objects.count()
    person, members = policy.get_coordinated(
        region.coordinator, at_youth_care.pseudonym, purpose="gecombineerd beeld"
    )
    assert person == at_youth_care
    assert members == [at_school, at_youth_care]
    entries = AccessLogEntry.objects.order_by("pk")[before:]
    assert [(e.person_id, e.action, e.purpose, e.role) for e in entries] == [
        (at_school.pk, Action.READ, "gecombineerd beeld", Role.ZORGCOORDINATOR),
        (at_youth_care.pk, Action.READ, "gecombineerd beeld", Role.ZORGCOORDINATOR),
    ]


def test_records_in_another_region_stay_out_of_the_picture(region):
    at_school, _at_youth_care = both_register(region)
    bsn = factories.valid_bsn(1)
    far_away = factories.person(region.elsewhere, bsn=bsn)
    assert PersonLink.objects.filter(state=LinkState.LINKED).count() == 3
    _person, members = policy.get_coordinated(
        region.coordinator, at_school.pseudonym, purpose="gecombineerd beeld"
    )
    assert far_away not in members
    assert not AccessLogEntry.objects.filter(person_id=far_away.pk, role=Role.ZORGCOORDINATOR)


@pytest.mark.parametrize("who", ["school", "youth_care", "analist", "beheerder"])
def test_other_roles_may_not_coordinate(region, who):
    at_school, _ = both_register(region)
    actor = getattr(region, who)
    assert not policy.may_coordinate(actor, Action.READ)
    assert not policy.coordinated_persons(actor).exists()
    with pytest.raises(PermissionDenied):
        policy.get_coordinated(actor, at_school.pseudonym, purpose="test")
    with pytest.raises(PermissionDenied):
        policy.check_coordination(actor, at_school, Action.CHANGE)


def test_the_coordinator_has_no_organisation_scope(region):
    at_school, _ = both_register(region)
    assert not policy.may(region.coordinator, Action.READ)
    with pytest.raises(PermissionDenied):
        policy.get_person(region.coordinator, at_school.pseudonym, purpose="test")


def test_withdrawing_the_signal_that_made_level_2_takes_the_person_out_of_scope(region):
    at_school, at_youth_care = both_register(region)
    registration = at_youth_care.registrations.get()
    from lens.registry import actions as registry_actions

    registry_actions.withdraw_registration(region.youth_care, registration, "Verkeerde persoon.")
    assert combined.latest(at_school).level == 1
    assert not policy.coordinated_persons(region.coordinator).exists()


def test_rejecting_a_link_splits_the_combined_outcome_and_reopening_restores_it(region):
    at_school, _at_youth_care = both_register(region)
    link = PersonLink.objects.get()
    actions.decide_link(region.coordinator, link, "reject", "Tweeling, andere persoon.")
    assert combined.latest(at_school).members == [at_school.pk]
    assert combined.latest(at_school).level == 1
    # Out of scope now, so the same zorgcoördinator can still decide on the link itself.
    actions.decide_link(region.coordinator, link, "reopen")
    actions.decide_link(region.coordinator, link, "confirm")
    assert combined.latest(at_school).level == 2
    assert [d.decision for d in link.decisions.order_by("pk")] == ["reject", "reopen", "confirm"]


def test_a_link_of_another_region_is_not_found_by_the_coordinator(region):
    bsn = factories.valid_bsn(2)
    factories.person(region.elsewhere, bsn=bsn)
    far = factories.organisation(organisation_type="police", region=OTHER_REGION)
    police = factories.actor(factories.membership(Role.PROFESSIONAL, far))
    theirs = factories.person(police, bsn=bsn)
    link = PersonLink.objects.get()
    with pytest.raises(Http404):
        policy.get_link_for(region.coordinator, link.pk, purpose="test")
    # Linked automatically, both records at level 0: not in the other region's scope
    # either, until one is referred there.
    with pytest.raises(Http404):
        policy.get_link_for(region.other_coordinator, link.pk, purpose="test")
    actions.refer(police, theirs, "Zorgen over nieuwe contacten.")
    assert policy.get_link_for(region.other_coordinator, link.pk, purpose="test").link == link
