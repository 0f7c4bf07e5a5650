"""Querysets built once per process for the hot pages (the persons list's annotated rows,
the cluster with its lead, the timeline, the relations): each page narrows a new copy, so
one user's rows never show up for another and the shared queryset itself holds no rows."""

from __future__ import annotations

import pytest
from django.db.models import F

from lens.access import policy
from lens.coordination import clusters
from lens.data import queries
from lens.data.coordination import cluster_key, cluster_key_of, in_clusters
from lens.data.prepared import compiled, prepared
from lens.data.registry import Person, Role
from lens.registry import selectors
from lens.web import lists

from . import factories

pytestmark = pytest.mark.django_db


def test_the_persons_list_is_scoped_per_actor_from_the_shared_rows(world):
    own = world.actor(Role.PROFESSIONAL)
    other = factories.actor(world.other_professional)
    assert [p.pk for p in selectors.persons(own)] == [world.own_person.pk]
    assert [p.pk for p in selectors.persons(other)] == [world.other_person.pk]
    # Annotated as the list shows them (the latest level of the stored outcome).
    assert next(iter(selectors.persons(own))).latest_level is not None
    # The shared rows were never evaluated: they hold nothing of anyone.
    assert selectors._list_rows.base()._result_cache is None


def test_visible_persons_scopes_the_given_rows(world):
    own = world.actor(Role.PROFESSIONAL)
    among = Person.objects.filter(pk__in=[world.own_person.pk, world.other_person.pk])
    assert list(policy.visible_persons(own, among=among)) == [world.own_person]
    analist = world.actor(Role.ANALIST)  # may list no person
    assert list(policy.visible_persons(analist, among=among)) == []


def test_the_cluster_key_of_a_record_finds_the_same_records_as_the_queryset(world):
    zc = world.actor(Role.ZORGCOORDINATOR)
    own = world.actor(Role.PROFESSIONAL)
    third = factories.person(own)
    factories.link(zc, world.own_person, world.other_person)
    for person in (world.own_person, world.other_person, third):
        key = Person.objects.filter(pk=person.pk).annotate(k=cluster_key()).values("k")
        expected = set(Person.objects.filter(pk__in=in_clusters(key)).values_list("pk", flat=True))
        found = Person.objects.filter(pk__in=in_clusters(cluster_key_of(person.pk)))
        assert set(found.values_list("pk", flat=True)) == expected
    members, _lead = clusters.cluster_and_lead(world.own_person)
    assert [m.pk for m in members] == sorted([world.own_person.pk, world.other_person.pk])
    assert [m.pk for m in clusters.cluster_and_lead(third)[0]] == [third.pk]


def test_timelines_and_relations_are_narrowed_per_person(world):
    own = world.actor(Role.PROFESSIONAL)
    assert [e.registration for e in queries.timeline(world.own_person)] == [world.own_registration]
    assert [e.registration for e in queries.timeline(world.other_person)] == [
        world.other_registration
    ]
    assert policy.relations_of(own, world.own_person) == []
    assert queries._timeline_rows.base()._result_cache is None


def test_a_prepared_queryset_is_built_once_and_each_copy_keeps_its_own_rows(world):
    built = []

    def build():
        built.append(1)
        return Person.objects.order_by("pk")

    rows = prepared(build)
    first, second = rows(), rows()
    assert first is not second and first is not rows.base()
    assert [p.pk for p in first.filter(pk=world.own_person.pk)] == [world.own_person.pk]
    assert list(first) and first._result_cache is not None
    assert second._result_cache is None and rows.base()._result_cache is None
    assert built == [1]


def test_a_compiled_query_gives_what_the_orm_gives_for_each_value(world):
    built = []

    def build(organisation, pseudonym):
        built.append((organisation, pseudonym))
        return (
            Person.objects.select_related("organisation")
            .annotate(shown=F("pseudonym"))
            .filter(organisation_id=organisation, pseudonym=pseudonym)
            .order_by("pk")
        )

    query = compiled(build, int, str)
    for person in (world.own_person, world.other_person):
        found = query(person.organisation_id, person.pseudonym)
        assert [p.pk for p in found] == [person.pk]
        # The whole row, the related organisation (joined, no query more) and the
        # annotation, as the ORM gives them.
        expected = build(person.organisation_id, person.pseudonym).get()
        got = found[0]
        assert got.organisation.name == expected.organisation.name
        assert got.shown == expected.shown == person.pseudonym
        assert {f.attname: getattr(got, f.attname) for f in Person._meta.concrete_fields} == {
            f.attname: getattr(expected, f.attname) for f in Person._meta.concrete_fields
        }
    # Another organisation's pseudonym: nothing (the slots narrow the query).
    assert query.first(world.own_person.organisation_id, world.other_person.pseudonym) is None
    # Built once with stand-ins (the other calls above are the test's own).
    assert built.count(built[0]) == 1 and isinstance(built[0][0], int)


def test_a_compiled_query_refuses_a_value_of_another_type(world):
    query = compiled(lambda pk: Person.objects.filter(pk=pk), int)
    with pytest.raises(TypeError):
        query(str(world.own_person.pk))
    assert [p.pk for p in query(world.own_person.pk)] == [world.own_person.pk]


def test_a_constant_equal_to_a_stand_in_stays_a_constant(world):
    # 30001 is the first stand-in of an int slot: in the query it is a constant.
    query = compiled(lambda pk: Person.objects.filter(pk=pk).exclude(birth_year=30001), int)
    for person in (world.own_person, world.other_person):
        expected = list(Person.objects.filter(pk=person.pk).exclude(birth_year=30001))
        assert [p.pk for p in query(person.pk)] == [p.pk for p in expected] == [person.pk]


def test_the_compiled_pages_of_the_persons_list_are_the_sliced_queryset(world):
    own = world.actor(Role.PROFESSIONAL)
    for _ in range(3):
        factories.registration(own, factories.person(own))
    for sort in selectors.SORTS:
        for level in (None, 1, 2, 3):
            chosen = {"level": level, "sort": sort}
            for bottom in (0, 2):
                read = selectors.persons_read(own, **chosen)(bottom, 2)
                expected = list(
                    lists.counted(selectors.persons(own, **chosen))[bottom : bottom + 2]
                )
                assert read is not None
                assert [
                    (p.pk, p.latest_level, p.last_observed, getattr(p, lists.TOTAL)) for p in read
                ] == [
                    (p.pk, p.latest_level, p.last_observed, getattr(p, lists.TOTAL))
                    for p in expected
                ]
    assert selectors.persons_read(own)(0, 2)  # the default list has rows
    # The "recent signal" filter (its date moves every day) is read by slicing.
    assert selectors.persons_read(own, signal_within_months=3)(0, 2) is None
    # Another organisation's professional reads their own persons only.
    other = factories.actor(world.other_professional)
    assert [p.pk for p in selectors.persons_read(other)(0, 25)] == [world.other_person.pk]
