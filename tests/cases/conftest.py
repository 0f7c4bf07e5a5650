"""Fixtures for the casework tests: the registry tests' world of two organisations with
a user for every role (imported by name: a conftest below the root may not use
pytest_plugins), and helpers to open a case and walk it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lens.cases import actions
from lens.casework.holidays import DUTCH_HOLIDAYS
from lens.casework.workflow import StepData
from lens.data.cases import Case
from tests.casework.factories import VALID
from tests.registry.conftest import (  # noqa: F401 - fixtures, used by name
    active,
    catalogue,
    catalogue_files,
    login,
    world,
)


def _a_recent_tuesday() -> date:
    """A working Tuesday one to two weeks ago: steps are dated in the past, and within the
    year before the case is opened that a step may lie (lens.casework.dates), whenever
    the suite runs (a fixed date would be refused a year later)."""
    today = date.today()
    day = today - timedelta(days=(today.weekday() - 1) % 7 + 7)
    while day in DUTCH_HOLIDAYS:
        day -= timedelta(days=7)
    return day


DAY = _a_recent_tuesday()


def data(name: str, on: date = DAY, **fields) -> StepData:
    """Valid step data for `name` (the pure tests' examples); `by` is set by the action."""
    common = {"by": "-", "done": f"Gedaan: {name}"}
    return StepData(on=on, **{**common, **VALID[name], **fields})


def open_for(actor, person, on: date = DAY) -> Case:
    return actions.open_case(actor, person, data("open", on))


def walk(actor, case: Case, *names: str, on: date = DAY) -> Case:
    for name in names:
        actions.take_step(actor, case, name, data(name, on))
    case.refresh_from_db()
    return case


@pytest.fixture
def own_case(world):  # noqa: F811 - the fixture imported above
    from lens.data.registry import Role

    return open_for(world.actor(Role.PROFESSIONAL), world.own_person)


@pytest.fixture
def other_case(world):  # noqa: F811 - the fixture imported above
    from tests.registry import factories

    return open_for(factories.actor(world.other_professional), world.other_person)
