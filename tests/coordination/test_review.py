"""Regression tests from the review of working across organisations: each proves a
defect that was fixed (see the test's docstring)."""

from __future__ import annotations

from datetime import date

import pytest

from lens.coordination import clusters
from lens.data.coordination import LinkState, PersonLink
from lens.data.registry import Role
from tests.coordination import linkworld
from tests.coordination.linkworld import url
from tests.registry import conftest as registry
from tests.registry import factories

active = registry.active
catalogue_files = registry.catalogue_files
login = registry.login
links_world = linkworld.links_world

pytestmark = pytest.mark.django_db

BIRTH = date(2010, 3, 9)
HUGE = 2**70


def test_a_record_without_bsn_never_joins_two_different_bsns(links_world):
    """Two people with the same names and birth date but different BSNs are two people;
    a third record without a BSN and the same names must not link to both (that would
    make one cluster, one combined outcome, of two people)."""
    same = {"given_names": "Sanne", "family_name": "Visser", "birth_date": BIRTH}
    third = factories.organisation("Synthetische Derde", organisation_type="youth_care")
    third_actor = factories.actor(factories.membership(Role.PROFESSIONAL, third))
    first = factories.person(links_world.actor("school"), bsn=factories.valid_bsn(11), **same)
    second = factories.person(links_world.actor("youth_care"), bsn=factories.valid_bsn(12), **same)
    assert not PersonLink.objects.exists()
    factories.person(third_actor, bsn="", **same)

    assert second.pk not in clusters.cluster_ids([first.pk])
    # Not linked: two possible matches for the zorgcoördinator to decide.
    assert sorted(PersonLink.objects.values_list("state", flat=True)) == [
        LinkState.CANDIDATE,
        LinkState.CANDIDATE,
    ]


def test_a_record_with_bsn_does_not_join_a_cluster_of_another_bsn(links_world):
    """A record without a BSN linked by name to a record with BSN 1; a new record with
    BSN 2 and the same names must not link to it (and so to BSN 1)."""
    same = {"given_names": "Daan", "family_name": "Smit", "birth_date": BIRTH}
    third = factories.organisation("Synthetische Derde", organisation_type="youth_care")
    third_actor = factories.actor(factories.membership(Role.PROFESSIONAL, third))
    first = factories.person(links_world.actor("school"), bsn=factories.valid_bsn(21), **same)
    middle = factories.person(links_world.actor("youth_care"), bsn="", **same)
    assert middle.pk in clusters.cluster_ids([first.pk])
    last = factories.person(third_actor, bsn=factories.valid_bsn(22), **same)

    assert last.pk not in clusters.cluster_ids([first.pk])
    link = PersonLink.objects.get(person_a=middle, person_b=last)
    assert link.state == LinkState.CANDIDATE


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("coordination:link", {"link_id": HUGE}),
        ("coordination:link_reveal", {"link_id": HUGE}),
    ],
)
def test_huge_ids_in_coordination_urls_are_a_404(links_world, login, name, kwargs):
    client = login(links_world.members["zc"])
    assert client.get(url(name, **kwargs)).status_code == 404


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("coordination:relation_end", {"relation_id": HUGE}),
        ("coordination:link", {"link_id": HUGE}),
    ],
)
def test_huge_ids_posted_to_coordination_urls_are_a_404(links_world, login, name, kwargs):
    client = login(links_world.members["zc"])
    assert client.post(url(name, **kwargs), {"decision": "confirm"}).status_code == 404


def test_huge_ids_in_organisation_urls_are_a_404(links_world, login):
    af = login(links_world.members["af"])
    assert af.get(url("registry:request", request_id=HUGE)).status_code == 404
    person = factories.person(links_world.actor("school"))
    response = af.post(url("registry:relation_end", pseudonym=person.pseudonym, relation_id=HUGE))
    assert response.status_code == 404


def test_a_decision_without_an_active_catalogue_is_a_503_not_a_500(links_world, login):
    """Deciding a link recomputes the combined outcome, which needs the active catalogue;
    without one the page must say so (503, as the registry pages), not crash."""
    from lens.catalogue.models import CatalogueVersion
    from lens.data.coordination import LinkDecision

    _a, _b, link = linkworld.pair(links_world)
    CatalogueVersion.objects.update(is_active=False)
    client = login(links_world.members["zc"])
    client.raise_request_exception = False
    response = client.post(
        url("coordination:link", link_id=link.pk), {"decision": "confirm", "shown": "candidate"}
    )
    assert response.status_code == 503
    link.refresh_from_db()
    assert link.state == LinkState.CANDIDATE
    assert not LinkDecision.objects.exists()


def test_the_batch_run_writes_a_candidate_and_its_work_list_line_together(links_world, monkeypatch):
    """`lens matching run` stored a candidate in one transaction and put it on the work
    list after it: a failure in between left a candidate that no work list names and no
    later run announces (it is 'known'). Both go in one transaction now."""
    from lens.coordination import matching, notify

    def unmatched(who, **fields):
        with monkeypatch.context() as patched:
            patched.setattr("lens.coordination.actions.after_new_person", lambda *a: None)
            return factories.person(links_world.actor(who), **fields)

    unmatched("school", given_names="Daan", family_name="Willemsen", birth_date=BIRTH)
    unmatched("youth_care", given_names="Daan", family_name="Wilemsen", birth_date=BIRTH)

    def broken(*args, **kwargs):
        raise RuntimeError("work list unavailable")

    monkeypatch.setattr(notify, "candidates", broken)
    with pytest.raises(RuntimeError):
        matching.fuzzy_run()
    assert not PersonLink.objects.exists()


def test_a_rejected_link_is_not_undone_by_a_third_record_with_the_same_names(links_world):
    """The zorgcoördinator decided that two records with the same names and birth date are
    two people. A third record with those names must not link to both automatically: that
    would join the two in one cluster again, against the decision."""
    from lens.coordination import actions

    same = {"given_names": "Lotte", "family_name": "Mulder", "birth_date": BIRTH}
    third = factories.organisation("Synthetische Derde", organisation_type="youth_care")
    third_actor = factories.actor(factories.membership(Role.PROFESSIONAL, third))
    first = factories.person(links_world.actor("school"), **same)
    second = factories.person(links_world.actor("youth_care"), **same)
    link = PersonLink.objects.get(person_a=first, person_b=second)
    assert link.state == LinkState.LINKED
    # Referred, so the link is the zorgcoördinator's to decide (need to know).
    actions.refer(links_world.actor("school"), first, "Zorgen over verzuim.")
    actions.decide_link(links_world.actor("zc"), link, "reject", "Twee kinderen.")
    factories.person(third_actor, **same)

    assert second.pk not in clusters.cluster_ids([first.pk])


def test_a_record_with_bsn_does_not_join_two_records_decided_apart(links_world):
    """Two records without a BSN, decided to be two people; a new record with a BSN and
    the same names could be either: it links to neither."""
    from lens.coordination import actions

    same = {"given_names": "Milan", "family_name": "Bos", "birth_date": BIRTH}
    third = factories.organisation("Synthetische Derde", organisation_type="youth_care")
    third_actor = factories.actor(factories.membership(Role.PROFESSIONAL, third))
    first = factories.person(links_world.actor("school"), **same)
    second = factories.person(links_world.actor("youth_care"), **same)
    link = PersonLink.objects.get(person_a=first, person_b=second)
    actions.refer(links_world.actor("school"), first, "Zorgen over verzuim.")
    actions.decide_link(links_world.actor("zc"), link, "reject")
    factories.person(third_actor, bsn=factories.valid_bsn(31), **same)

    assert second.pk not in clusters.cluster_ids([first.pk])
