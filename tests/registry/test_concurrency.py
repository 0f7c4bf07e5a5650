"""Two writes of the same thing at the same moment, with real threads and transactions:
one wins and nothing is written twice or half (issue 9, defects 2 and 5).

On PostgreSQL the threads really overlap. SQLite runs every write transaction under one
lock (BEGIN IMMEDIATE), so two writers never overlap there; its variant of these tests is
the same calls one after the other (here and in test_views / tests/api), and
scripts/crash_writes.py runs concurrent writers against a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lens.access.models import AccessLogEntry, Action
from lens.coordination import actions as coordination
from lens.data.coordination import PersonRelation, RelationKind
from lens.data.registry import Person, Registration, Withdrawal
from lens.registry import actions
from tests.concurrency import at_once, log_emptied_afterwards, on_postgresql  # noqa: F401

from . import factories

emptied = pytest.mark.usefixtures("log_emptied_afterwards")
ROUNDS = 5


def same_identity_twice(world, name_match: str, rounds: int = ROUNDS):
    """`rounds` times: the same identity (no BSN) registered by two users at once."""
    professional = world.actor("professional")
    officer = world.actor("aandachtsfunctionaris")
    outcomes = []
    for _round in range(rounds):
        identity = factories.identity()
        outcomes.append(
            at_once(
                lambda identity=identity: actions.register_person(
                    professional, identity, purpose="test", name_match=name_match
                ),
                lambda identity=identity: actions.register_person(
                    officer, identity, purpose="test", name_match=name_match
                ),
            )
        )
    return outcomes


@on_postgresql
@emptied
def test_the_same_identity_at_once_gives_one_person(world):
    outcomes = same_identity_twice(world, actions.SAME)
    for first, second in outcomes:
        assert not isinstance(first, Exception), first
        assert not isinstance(second, Exception), second
        assert first[0] == second[0]  # one person ...
        assert sorted([first[1], second[1]]) == [False, True]  # ... created once
    # The fixture's two persons and one per round.
    assert Person.objects.count() == 2 + ROUNDS


@on_postgresql
@emptied
def test_the_same_identity_at_once_asks_the_second(world):
    outcomes = same_identity_twice(world, actions.ASK)
    for pair in outcomes:
        created = [o for o in pair if not isinstance(o, Exception)]
        asked = [o for o in pair if isinstance(o, actions.PossiblySamePerson)]
        assert len(created) == len(asked) == 1, pair
        assert created[0][1] is True
        assert asked[0].persons == [created[0][0]]
    assert Person.objects.count() == 2 + ROUNDS


def test_a_different_person_with_the_same_name_can_be_registered(world):
    actor = world.actor("professional")
    identity = factories.identity()
    first, _ = actions.register_person(actor, identity, purpose="test")
    with pytest.raises(actions.PossiblySamePerson) as asked:
        actions.register_person(actor, identity, purpose="test")
    assert asked.value.persons == [first]
    second, created = actions.register_person(
        actor, identity, purpose="test", name_match=actions.DIFFERENT
    )
    assert created and second != first
    # Both are candidates from now on; SAME picks the earliest.
    with pytest.raises(actions.PossiblySamePerson) as asked:
        actions.register_person(actor, identity, purpose="test")
    assert asked.value.persons == [first, second]
    same, created = actions.register_person(actor, identity, purpose="test", name_match="same")
    assert (same, created) == (first, False)


@on_postgresql
@emptied
def test_correction_against_withdrawal_one_wins(world):
    professional = world.actor("professional")
    officer = world.actor("aandachtsfunctionaris")
    for _round in range(ROUNDS):
        person = factories.person(professional)
        registration = factories.registration(professional, person)
        before = AccessLogEntry.objects.count()
        correct, withdraw = at_once(
            lambda pk=registration.pk: actions.correct_registration(
                professional,
                Registration.objects.get(pk=pk),
                observed_on=timezone.localdate() - timedelta(days=1),
            ),
            lambda pk=registration.pk: actions.withdraw_registration(
                officer, Registration.objects.get(pk=pk), "verkeerde persoon"
            ),
        )
        won = [o for o in (correct, withdraw) if not isinstance(o, Exception)]
        lost = [o for o in (correct, withdraw) if isinstance(o, Exception)]
        assert len(won) == len(lost) == 1, (correct, withdraw)
        assert isinstance(lost[0], ValidationError)
        corrections = Registration.objects.filter(supersedes=registration).count()
        withdrawals = Withdrawal.objects.filter(registration=registration).count()
        assert corrections + withdrawals == 1
        # The winner's log entry and nothing of the loser's.
        written = AccessLogEntry.objects.filter(pk__gt=0).count() - before
        assert written == 1
        assert AccessLogEntry.objects.order_by("-pk").first().action in (
            Action.CHANGE,
            Action.WITHDRAW,
        )


@on_postgresql
@emptied
def test_without_the_lock_the_race_is_real(world, monkeypatch):
    # The test above is only worth something if the threads really overlap: without the
    # organisation lock the same calls do give duplicates (on PostgreSQL).
    monkeypatch.setattr(actions.persons, "lock_organisation", lambda actor: None)
    same_identity_twice(world, actions.SAME, rounds=10)
    assert Person.objects.count() > 2 + 10


def same_relation_twice(world, rounds: int = ROUNDS):
    """`rounds` times: the same family relation recorded by two users at once, each
    naming the two records the other way round."""
    professional = world.actor("professional")
    officer = world.actor("aandachtsfunctionaris")
    outcomes = []
    for _round in range(rounds):
        a, b = world.own_person, factories.person(professional)
        outcomes.append(
            at_once(
                lambda a=a, b=b: coordination.record_relation(
                    professional, a, b, RelationKind.FAMILY
                ),
                lambda a=a, b=b: coordination.record_relation(officer, b, a, RelationKind.FAMILY),
            )
        )
    return outcomes


@on_postgresql
@emptied
def test_the_same_relation_at_once_gives_one(world):
    for pair in same_relation_twice(world):
        recorded = [o for o in pair if isinstance(o, PersonRelation)]
        refused = [o for o in pair if isinstance(o, ValidationError)]
        assert len(recorded) == len(refused) == 1, pair
        assert refused[0].code == "duplicate"
    assert PersonRelation.objects.count() == ROUNDS


@on_postgresql
@emptied
def test_without_the_pair_lock_the_relation_race_is_real(world, monkeypatch):
    monkeypatch.setattr(coordination.relations, "lock_pair", lambda a, b: None)
    same_relation_twice(world, rounds=10)
    assert PersonRelation.objects.count() > 10


def test_the_same_relation_one_after_the_other_gives_one(world):
    professional = world.actor("professional")
    a, b = world.own_person, factories.person(professional)
    coordination.record_relation(professional, a, b, RelationKind.FAMILY)
    with pytest.raises(ValidationError) as refused:
        coordination.record_relation(world.actor("aandachtsfunctionaris"), b, a, "family")
    assert refused.value.code == "duplicate"
    assert PersonRelation.objects.count() == 1
