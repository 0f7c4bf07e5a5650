"""The stored cluster id (ClusterMember, kept by clusters.renumber) and the one combined
outcome per cluster and region (docs/design/coordination.md).

Synthetic records only: made-up names, BSNs that pass the elfproef only.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from lens.catalogue import services
from lens.coordination import actions, clusters, combined
from lens.coordination.scope import RegionScope
from lens.data.coordination import (
    ClusterMember,
    CombinedOutcome,
    LinkState,
    PersonLink,
    cluster_key,
    in_clusters,
)
from lens.data.registry import Person, Registration, Role
from tests.registry import factories

from .conftest import OTHER_REGION, REGION, SOFT


def stored(person) -> int | None:
    row = ClusterMember.objects.filter(person=person).first()
    return row.cluster_id if row else None


def link(across, a, b):
    return PersonLink.objects.get(person_a=min(a, b, key=_pk), person_b=max(a, b, key=_pk))


def _pk(person) -> int:
    return person.pk


@pytest.fixture
def three(active):
    """Three records at three organisations of one region, with different BSNs: no
    automatic link between them."""
    actors = [
        factories.actor(factories.membership(Role.PROFESSIONAL, factories.organisation()))
        for _ in range(3)
    ]
    return [factories.person(by, bsn=factories.valid_bsn(500 + n)) for n, by in enumerate(actors)]


def make_link(a, b) -> PersonLink:
    return PersonLink.objects.create(
        person_a=min(a, b, key=_pk), person_b=max(a, b, key=_pk), basis="bsn", state="linked"
    )


# --- the stored cluster id ----------------------------------------------------------------


def test_records_linked_when_registered_share_the_smallest_pk(across):
    records = [across.at_school, across.at_youth_care, across.in_amsterdam]
    first = min(r.pk for r in records)
    assert [stored(r) for r in records] == [first] * 3
    assert [clusters.cluster_id(r) for r in records] == [first] * 3
    # A record linked to nobody has no row: its cluster id is its own pk.
    assert stored(across.below) is None
    assert clusters.cluster_id(across.below) == across.below.pk
    assert [m.pk for m in clusters.cluster_of(across.below)] == [across.below.pk]


def test_undoing_links_renumbers_only_when_the_record_is_apart(across):
    zc = across.actor("zc")
    amsterdam = across.in_amsterdam
    actions.decide_link(zc, link(across, across.at_school, amsterdam), "reject")
    # Still linked through the youth care's record: the same cluster.
    assert stored(amsterdam) == across.at_school.pk
    actions.decide_link(zc, link(across, across.at_youth_care, amsterdam), "reject")
    assert stored(amsterdam) is None
    assert [m.pk for m in clusters.cluster_of(amsterdam)] == [amsterdam.pk]
    assert stored(across.at_youth_care) == across.at_school.pk
    # Its combined outcome is its own now, and the cluster keeps none in Amsterdam.
    assert CombinedOutcome.objects.get(cluster_id=amsterdam.pk).members == [amsterdam.pk]
    assert not CombinedOutcome.objects.filter(
        cluster_id=across.at_school.pk, region=OTHER_REGION
    ).exists()
    # Confirmed again: one cluster, one outcome in each region.
    actions.decide_link(zc, link(across, across.at_youth_care, amsterdam), "reopen")
    actions.decide_link(zc, link(across, across.at_youth_care, amsterdam), "confirm")
    assert stored(amsterdam) == across.at_school.pk
    assert not CombinedOutcome.objects.filter(cluster_id=amsterdam.pk).exists()
    assert CombinedOutcome.objects.get(
        cluster_id=across.at_school.pk, region=OTHER_REGION
    ).members == [amsterdam.pk]


def test_a_chain_of_three_is_one_cluster_and_breaks_where_the_link_goes(three):
    a, b, c = three
    make_link(a, b)
    assert clusters.renumber([a.pk, b.pk]) == [[a.pk, b.pk]]
    assert [stored(p) for p in three] == [a.pk, a.pk, None]
    make_link(b, c)
    clusters.renumber([b.pk, c.pk])
    assert [stored(p) for p in three] == [a.pk] * 3
    assert clusters.cluster_ids([c.pk]) == {a.pk, b.pk, c.pk}

    PersonLink.objects.filter(person_a=min(a, b, key=_pk)).update(state=LinkState.REJECTED)
    found = clusters.renumber([a.pk, b.pk])
    assert found == [[a.pk], [b.pk, c.pk]]
    assert [stored(p) for p in three] == [None, b.pk, b.pk]
    assert [m.pk for m in clusters.cluster_of(c)] == [b.pk, c.pk]


def test_two_link_changes_each_renumbered_alone_leave_one_cluster(three):
    """Two changes, each renumbering only its own pair (as two requests at once would):
    the second reads the links as they are then, so the first pair is in it too."""
    a, b, c = three
    make_link(b, c)
    make_link(a, b)  # written, its renumber still to come
    clusters.renumber([b.pk, c.pk])
    assert [stored(p) for p in three] == [a.pk] * 3
    clusters.renumber([a.pk, b.pk])  # the other change's own renumber changes nothing
    assert [stored(p) for p in three] == [a.pk] * 3
    assert ClusterMember.objects.count() == 3


def test_a_merge_removes_the_combined_outcome_of_the_cluster_id_that_is_gone(three):
    a, b, c = three
    for person in three:
        CombinedOutcome.objects.create(
            cluster_id=person.pk,
            region=REGION,
            members=[person.pk],
            level=1,
            outcome={},
            catalogue_version="x",
            ruleset_version="x",
            computed_at=timezone.now(),
        )
    make_link(b, c)
    clusters.renumber([b.pk, c.pk])
    assert set(CombinedOutcome.objects.values_list("cluster_id", flat=True)) == {a.pk, b.pk}


def test_the_indexed_membership_finds_the_records_the_key_expression_finds(three):
    """in_clusters (the members through the indexes) against the stored cluster id as an
    expression on every record, also where the stored rows disagree with each other."""
    a, b, c = three
    make_link(a, b)
    clusters.renumber([a.pk, b.pk])
    assert sorted(clusters.cluster_ids([b.pk])) == sorted([a.pk, b.pk])
    assert [m.pk for m in clusters.cluster_of(c)] == [c.pk]
    # A row that names c's pk as a cluster while c itself has none: c counts, as the
    # expression says (COALESCE of no row is its own pk); b, whose row names another
    # cluster, is not in its own.
    ClusterMember.objects.filter(person=b).update(cluster_id=c.pk)
    for keys in ([a.pk], [b.pk], [c.pk], [a.pk, c.pk], [0]):
        by_key = set(
            Person.objects.annotate(k=cluster_key()).filter(k__in=keys).values_list("pk", flat=True)
        )
        assert set(clusters.members_of(keys).values_list("pk", flat=True)) == by_key
        # The keys as a query: those of the records with these pks.
        query = Person.objects.filter(pk__in=keys).annotate(k=cluster_key()).values("k")
        by_query = Person.objects.annotate(k=cluster_key()).filter(k__in=query)
        found = Person.objects.filter(pk__in=in_clusters(query))
        assert set(found.values_list("pk", flat=True)) == set(by_query.values_list("pk", flat=True))
    assert [m.pk for m in clusters.cluster_of(b)] == sorted([b.pk, c.pk])


# --- one combined outcome per cluster and region --------------------------------------------


def _duplicates():
    return list(
        CombinedOutcome.objects.values("cluster_id", "region")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )


def test_one_combined_outcome_per_cluster_and_region_however_often_it_changes(across):
    key = across.at_school.pk
    assert CombinedOutcome.objects.filter(cluster_id=key).count() == 2  # two regions
    for _ in range(3):
        factories.registration(across.actor("youth_care"), across.at_youth_care, signals=[SOFT])
    assert CombinedOutcome.objects.filter(cluster_id=key).count() == 2
    assert _duplicates() == []
    # below and referred: below has one of its own; referred no registration, none yet.
    assert CombinedOutcome.objects.count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        CombinedOutcome.objects.create(
            cluster_id=key,
            region=REGION,
            level=0,
            outcome={},
            catalogue_version="x",
            ruleset_version="x",
            computed_at=timezone.now(),
        )


def test_the_stored_outcome_is_read_per_record_in_one_query(across, django_assert_num_queries):
    with django_assert_num_queries(1):
        levels = dict(
            type(across.at_school)
            .objects.filter(pk__in=[across.at_school.pk, across.at_youth_care.pk, across.below.pk])
            .annotate(level=CombinedOutcome.objects.latest_value("level"))
            .values_list("pk", "level")
        )
    assert levels == {across.at_school.pk: 2, across.at_youth_care.pk: 2, across.below.pk: 1}
    assert combined.latest(across.in_amsterdam).region == OTHER_REGION


# --- the picture and the list read the same stored level -------------------------------------


def _level_in_list(client) -> dict[str, int | None]:
    response = client.get(reverse("coordination:persons"))
    assert response.status_code == 200
    return {m.pseudonym: row["level"] for row in response.context["rows"] for m in row["members"]}


def test_the_picture_and_the_list_show_the_stored_level_when_days_have_passed(
    across, client, login
):
    """The signals were seen 360 days before the outcome was stored (current: the full
    weight); 20 days later they are old. The stored level stays what the list shows until
    something is recomputed, and the picture shows that level too, with its explanation
    as of the day it was stored."""
    catalogue_, ruleset = services.active()
    stored_at = timezone.now() - timedelta(days=20)
    members = clusters.cluster_of(across.at_school, region=REGION)
    Registration.objects.filter(person__in=members).update(
        observed_on=timezone.localdate() - timedelta(days=380)
    )
    before = combined.compute(members, REGION, catalogue_, ruleset, stored_at.date())[0]
    today = combined.compute(members, REGION, catalogue_, ruleset, timezone.localdate())[0]
    assert before.level.number != today.level.number  # else this test shows nothing
    CombinedOutcome.objects.filter(cluster_id=across.at_school.pk, region=REGION).update(
        level=before.level.number, computed_at=stored_at
    )

    login(across.members["zc"])
    listed = _level_in_list(client)[across.at_school.pseudonym]
    response = client.get(
        reverse("coordination:picture", kwargs={"pseudonym": across.at_school.pseudonym})
    )
    assert response.status_code == 200
    assert listed == before.level.number
    assert response.context["level"].number == listed


def test_the_region_scope_is_built_once_per_request(across, client, login, monkeypatch):
    """The picture checks the scope several times (find, log, relations): one build."""
    built = []
    real = RegionScope.persons

    def counted(self, region):
        built.append(region)
        return real(self, region)

    monkeypatch.setattr(RegionScope, "persons", counted)
    login(across.members["zc"])
    response = client.get(
        reverse("coordination:picture", kwargs={"pseudonym": across.at_school.pseudonym})
    )
    assert response.status_code == 200
    assert built == [REGION]
