"""Two writes of one case at the same moment, with real threads and transactions (as
tests/registry/test_concurrency.py): one open case per person per organisation, and
steps of one case taken one at a time. PostgreSQL only (SQLite serialises writers)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lens.access.models import AccessLogEntry
from lens.cases import actions
from lens.data.cases import Case, Step
from lens.data.registry import Role
from tests.concurrency import at_once, log_emptied_afterwards, on_postgresql  # noqa: F401
from tests.registry import factories

from .conftest import data, open_for

emptied = pytest.mark.usefixtures("log_emptied_afterwards")
ROUNDS = 4


@on_postgresql
@emptied
def test_two_openings_at_once_give_one_case(world):
    professional = world.actor(Role.PROFESSIONAL)
    officer = world.actor(Role.AANDACHTSFUNCTIONARIS)
    for _ in range(ROUNDS):
        person = factories.person(professional)
        results = at_once(
            lambda person=person: actions.open_case(professional, person, data("open")),
            lambda person=person: actions.open_case(officer, person, data("open")),
        )
        opened = [r for r in results if isinstance(r, Case)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(opened) == len(refused) == 1, results
        assert Case.objects.filter(person=person).count() == 1
    assert AccessLogEntry.objects.filter(object_type="case").count() == ROUNDS


@on_postgresql
@emptied
def test_two_closings_at_once_close_once(world):
    professional = world.actor(Role.PROFESSIONAL)
    officer = world.actor(Role.AANDACHTSFUNCTIONARIS)
    for _ in range(ROUNDS):
        case = open_for(professional, factories.person(professional))
        results = at_once(
            lambda case=case: actions.take_step(professional, case, "close", data("close")),
            lambda case=case: actions.take_step(officer, case, "close", data("close")),
        )
        taken = [r for r in results if isinstance(r, Step)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(taken) == len(refused) == 1, results
        assert list(case.steps.values_list("transition", flat=True)) == ["open", "close"]
