"""The local picture's maintained cells (lens.picture.maintain): after any sequence of
registrations, corrections, withdrawals, links and unlinks (through the real actions), the
cells equal a recount from scratch, and `lens picture rebuild` writes that recount."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from django.core.management import call_command
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lens.coordination import actions as coordination
from lens.data.coordination import LinkBasis, LinkState, PersonLink
from lens.data.registry import Registration, Role
from lens.picture import bulk, cells, maintain, pending, selectors
from lens.picture.filters import Filters, Period, Scope
from lens.picture.models import PictureCell, PictureMember, PicturePending, PictureState
from lens.registry import actions

from . import factories

PLACES = [("GM0855", ""), ("GM0855", "WK085510"), ("GM0766", ""), ("", ""), ("GM0785", "")]
PHENOMENA = ["subversive_crime", "fraud", "human_trafficking"]

operation = st.one_of(
    st.tuples(
        st.just("register"),
        st.integers(0, 5),  # which person (0-2 own organisation, 3-5 the other)
        st.sampled_from(PLACES),
        st.integers(0, 14),  # months back
        st.integers(0, 6),  # which signals
        st.sets(st.sampled_from(PHENOMENA), max_size=2),
    ),
    st.tuples(st.just("withdraw"), st.integers(0, 50)),
    st.tuples(st.just("correct"), st.integers(0, 50), st.integers(0, 6)),
    st.tuples(st.just("decide"), st.integers(0, 2), st.integers(3, 5), st.booleans()),
    st.tuples(st.just("catch_up")),  # a read or `lens picture catch-up` in between
)


@pytest.fixture
def cast(world, catalogue):
    own, other = world.actor(Role.PROFESSIONAL), factories.actor(world.other_professional)
    persons = [factories.person(own) for _ in range(3)]
    persons += [factories.person(other) for _ in range(3)]
    zc = world.actor(Role.ZORGCOORDINATOR)
    codes = sorted(c for c, s in catalogue.signals.items() if not s.check_only)  # storable
    return own, other, persons, zc, codes


def signals(codes, n):
    return [codes[(7 * n + k) % len(codes)] for k in range(1 + n % 3)]


def run(operation, cast):
    own, other, persons, zc, codes = cast
    kind = operation[0]
    if kind == "catch_up":
        pending.catch_up()
        return
    if kind == "register":
        _k, who, (municipality, wijk), back, which, phenomena = operation
        today = date.today()
        month = (today.year * 12 + today.month - 1) - back
        factories.registration(
            own if who < 3 else other,
            persons[who],
            signals=signals(codes, which),
            observed_on=date(month // 12, month % 12 + 1, 1 + back),
            municipality_code=municipality,
            wijk_code=wijk,
            phenomena=sorted(phenomena),
        )
        return
    current = list(Registration.objects.current().filter(person__in=persons).order_by("pk"))
    if kind in ("withdraw", "correct") and current:
        registration = current[operation[1] % len(current)]
        actor = own if registration.person.organisation_id == persons[0].organisation_id else other
        if kind == "withdraw":
            actions.withdraw_registration(actor, registration, "Dubbel geregistreerd.")
        else:
            new = signals(codes, operation[2] + 1)
            if sorted(new) != sorted(registration.signals):
                actions.correct_registration(actor, registration, signals=new)
    if kind == "decide":
        _k, a, b, confirm = operation
        link, _new = PersonLink.objects.get_or_create(
            person_a=persons[a],
            person_b=persons[b],
            defaults={"basis": LinkBasis.FUZZY, "state": LinkState.CANDIDATE, "score": 0.8},
        )
        wanted = "confirm" if confirm else "reject"
        if link.state != (LinkState.LINKED if confirm else LinkState.REJECTED):
            # Outside the zorgcoördinator's need to know (no registration yet): refused.
            with contextlib.suppress(Http404):
                if link.state == LinkState.REJECTED or (
                    link.state == LinkState.LINKED and link.basis == LinkBasis.FUZZY
                ):
                    # A decided link is reopened before it is decided otherwise.
                    coordination.decide_link(zc, link, "reopen")
                    link.refresh_from_db()
                coordination.decide_link(zc, link, wanted)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=10))
def test_the_maintained_cells_equal_a_recount_from_scratch(cast, operations):
    for op in operations:
        run(op, cast)
    pending.catch_up()
    _facts, expected = maintain.recount()
    expected = {cell: v for cell, v in expected.items() if any(v)}
    assert maintain.stored_cells() == expected
    assert not PicturePending.objects.exists()


def test_a_link_counts_two_records_once_and_an_unlink_twice_again(cast):
    for who in (0, 3):
        run(("register", who, ("GM0855", ""), 1, 1, set()), cast)
    cell = dict(region="midden_brabant", area="GM0855", period="", organisation_type="", kind="n")
    pending.catch_up()
    assert PictureCell.objects.get(**cell).persons == 2
    run(("decide", 0, 3, True), cast)
    pending.catch_up()
    assert PictureCell.objects.get(**cell).persons == 1
    run(("decide", 0, 3, False), cast)
    pending.catch_up()
    assert PictureCell.objects.get(**cell).persons == 2


def test_rebuild_writes_the_recount_and_says_so(cast, capsys):
    run(("register", 0, ("GM0855", "WK085510"), 2, 3, {"fraud"}), cast)
    pending.catch_up()
    PictureCell.objects.all().update(persons=99)  # damaged
    call_command("picture", "rebuild")
    out = capsys.readouterr().out
    _facts, expected = maintain.recount()
    assert maintain.stored_cells() == {c: v for c, v in expected.items() if any(v)}
    assert out.rstrip().splitlines()[-1].startswith("Lokaal beeld herbouwd:")


def assert_rebuild_equals_recount() -> None:
    PictureCell.objects.all().update(persons=99, cell_key=1, signals=7)  # damaged
    PictureState.objects.all().delete()
    found = bulk.rebuild()
    assert not PicturePending.objects.exists()  # the marks it counted are cleared
    facts, expected = maintain.recount()
    assert maintain.stored_cells() == {c: v for c, v in expected.items() if any(v)}
    assert {s.cluster_id: s.slices for s in PictureState.objects.all()} == facts
    assert found["persons"] == len(facts)
    assert found["cells"] == PictureCell.objects.count()
    members = dict(PictureMember.objects.values_list("person_id", "cluster_id"))
    assert set(members.values()) == set(facts)
    assert all(members[r.person_id] in facts for r in Registration.objects.current())


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=10))
def test_the_set_based_rebuild_equals_the_recount_state_by_state(cast, operations):
    """lens.picture.bulk (DuckDB over the facts) writes what the per-person reference path
    (maintain.recount) computes: every cell, every person's state, every member."""
    for op in operations:
        run(op, cast)
    assert_rebuild_equals_recount()


def test_the_set_based_rebuild_of_mixed_records_equals_the_recount(cast):
    """One person placed and unplaced in one slice, with several indicators and
    phenomena, linked across organisations, in three months: each path of the kinds."""
    for op in [
        ("register", 0, ("GM0855", "WK085510"), 0, 5, {"fraud", "human_trafficking"}),
        ("register", 0, ("", ""), 0, 4, set()),
        ("register", 0, ("GM0855", ""), 4, 2, {"fraud"}),
        ("register", 3, ("GM0766", ""), 13, 5, {"subversive_crime"}),
        ("register", 4, ("GM0785", ""), 1, 1, set()),
        ("decide", 0, 3, True),
    ]:
        run(op, cast)
    assert_rebuild_equals_recount()


VIEWS = [
    (scope, Filters(area=area, period=Period(period), organisation_type=kind))
    for scope, areas in (
        (Scope("midden_brabant"), ("", "GM0855", "WK085510")),
        (Scope("midden_brabant", "GM0855"), ("", "WK085510")),
    )
    for area in areas
    for period in ("", str(date.today().year), f"{date.today().year}-{date.today().month:02d}")
    for kind in ("", "school")
]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_the_picture_from_the_cells_equals_the_recount(cast, catalogue, operations):
    for op in operations:
        run(op, cast)
    pending.catch_up()  # as selectors.picture does before it reads the cells
    for scope, filters in VIEWS:
        assert cells.picture(scope, filters, catalogue) == selectors.recounted(
            scope, filters, catalogue
        ), (scope, filters)


def test_without_the_picture_app_a_write_refuses_instead_of_leaving_the_cells_stale(
    monkeypatch,
):
    from django.core.exceptions import ImproperlyConfigured

    from lens.data import aggregates

    monkeypatch.setattr(aggregates, "_maintainer", None)
    with pytest.raises(ImproperlyConfigured):
        aggregates.changed([1])
