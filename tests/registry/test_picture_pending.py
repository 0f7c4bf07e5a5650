"""The local picture's upkeep out of the write path (lens.picture.pending): a write only
marks its records pending; a read of the picture, `lens picture catch-up`, closing a
period and a rebuild apply the marks, many persons at once, and the cells then equal the
recount from scratch (maintain.recount, the oracle). Applied once, also by two catch-ups
at once; a failed catch-up leaves its marks for the next one."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lens.data.registry import Role
from lens.picture import maintain, pending
from lens.picture.models import PictureCell, PictureMember, PicturePending, PictureState
from lens.registry import actions
from tests.concurrency import at_once, log_emptied_afterwards, on_postgresql  # noqa: F401

from . import factories
from .test_picture import DONGEN, TILBURG, place

UPKEEP_TABLES = (PictureCell, PictureState, PictureMember)


def recounted() -> dict:
    _facts, expected = maintain.recount()
    return {cell: v for cell, v in expected.items() if any(v)}


def some_writes(world, n: int = 4) -> list:
    """n persons at two organisations with registrations in two municipalities, one
    withdrawn and one corrected: every kind of write the picture follows."""
    school = world.actor(Role.PROFESSIONAL)
    youth_care = factories.actor(world.other_professional)
    persons, made = [], []
    for i in range(n):
        by = (school, youth_care)[i % 2]
        person = factories.person(by)
        persons.append(person)
        made.append((by, place(by, person, (TILBURG, DONGEN)[i % 2])))
        made.append((by, place(by, person, TILBURG)))
    by, first = made[0]
    actions.withdraw_registration(by, first, "Dubbel geregistreerd.")
    return persons


def test_a_registration_writes_only_the_pending_mark(world):
    professional = world.actor(Role.PROFESSIONAL)
    person = factories.person(professional)
    before = PicturePending.objects.count()  # the world's own registrations
    with CaptureQueriesContext(connection) as queries:
        place(professional, person, TILBURG)
    tables = [model._meta.db_table for model in UPKEEP_TABLES]
    touched = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]
    assert touched == []
    assert not PictureCell.objects.exists() and not PictureState.objects.exists()
    marking = [
        q["sql"] for q in queries.captured_queries if PicturePending._meta.db_table in q["sql"]
    ]
    assert len(marking) == 1 and marking[0].startswith("INSERT")  # one small insert
    new = PicturePending.objects.order_by("pk")[before:]
    assert [m.person_id for m in new] == [person.pk]


def test_a_read_of_the_picture_catches_up_first(world, login):
    some_writes(world)
    assert PicturePending.objects.exists() and not PictureCell.objects.exists()
    client = login(world.members[Role.ANALIST])
    with translation.override("nl"):
        assert client.get(reverse("picture:overview")).status_code == 200
    assert not PicturePending.objects.exists()
    assert maintain.stored_cells() == recounted() != {}


def test_the_catch_up_command_applies_the_marks_and_says_so(world, capsys):
    some_writes(world)
    marked = PicturePending.objects.count()
    call_command("picture", "catch-up")
    out = capsys.readouterr().out
    assert out.startswith(f"Lokaal beeld bijgewerkt: {marked} wijzigingen verwerkt in ")
    assert not PicturePending.objects.exists()
    assert maintain.stored_cells() == recounted() != {}
    call_command("picture", "catch-up")  # nothing left: nothing changes
    assert capsys.readouterr().out.startswith("Lokaal beeld bijgewerkt: 0 wijzigingen")
    assert maintain.stored_cells() == recounted()


def test_marks_applied_again_count_once(world):
    """What a second catch-up that read the same marks would do: nothing more (the
    upkeep compares each cluster's stored state with its registrations now)."""
    persons = some_writes(world)
    pending.catch_up()
    once = maintain.stored_cells()
    pending.mark([p.pk for p in persons])
    assert pending.catch_up() == len(persons)
    assert maintain.stored_cells() == once == recounted()


def test_a_failed_catch_up_leaves_the_marks_for_the_next_one(world, monkeypatch):
    some_writes(world)
    marks = list(PicturePending.objects.order_by("pk").values_list("pk", "person_id"))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(maintain, "apply", broken)
        with pytest.raises(RuntimeError):
            pending.catch_up()
    assert list(PicturePending.objects.order_by("pk").values_list("pk", "person_id")) == marks
    assert not PictureCell.objects.exists() and not PictureState.objects.exists()
    pending.catch_up()
    assert not PicturePending.objects.exists()
    assert maintain.stored_cells() == recounted() != {}


def test_a_mark_made_during_a_catch_up_stays_for_the_next_one(world, monkeypatch):
    persons = some_writes(world)
    refresh = maintain.refresh

    def meanwhile(records, catalogue=None):
        refresh(records, catalogue)
        # a write that commits while the catch-up applies: its own row, after the read
        factories.registration(world.actor(Role.PROFESSIONAL), persons[0])

    with monkeypatch.context() as patched:
        patched.setattr(maintain, "refresh", meanwhile)
        pending.catch_up()
    assert list(PicturePending.objects.values_list("person_id", flat=True)) == [persons[0].pk]
    assert maintain.stored_cells() != recounted()  # the new registration is not in yet
    pending.catch_up()
    assert maintain.stored_cells() == recounted()


def test_a_rebuild_clears_the_marks_it_counted(world):
    some_writes(world)
    call_command("picture", "rebuild")
    assert not PicturePending.objects.exists()
    assert maintain.stored_cells() == recounted() != {}


@on_postgresql
@pytest.mark.usefixtures("log_emptied_afterwards")
def test_two_catch_ups_at_once_apply_each_mark_once(world):
    some_writes(world, n=12)
    marked = PicturePending.objects.count()
    results = at_once(lambda: pending.catch_up(batch=3), lambda: pending.catch_up(batch=3))
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == marked  # each batch of marks applied by one of them
    assert not PicturePending.objects.exists()
    assert maintain.stored_cells() == recounted()
