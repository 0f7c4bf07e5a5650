"""An outcome is stored only when it changed, without a copy of its report (issue 14):
the per-person path and the combined outcome write a row only for another content,
other versions or another day; the history keeps what the level was, when and with
which versions; the page and the API still show the explanation of the current
registrations, the one the engine gives (the report the path used to store)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.catalogue import services
from lens.coordination import combined
from lens.data import queries
from lens.data.coordination import CombinedOutcome
from lens.data.registry import PersonOutcome, Role
from lens.registry import actions
from lens.rules import report
from lens.rules.engine import assess
from lens.web import outcomes as web_outcomes
from tests.api.conftest import Api
from tests.concurrency import log_emptied_afterwards  # noqa: F401 (a fixture)

from . import factories
from .test_tasks import new_ruleset_version
from .test_views import text, url

pytestmark = pytest.mark.django_db


def soft(catalogue, n: int) -> list[str]:
    return sorted(
        c
        for c, s in catalogue.signals.items()
        if s.strength == "zacht" and not s.acute and not s.check_only
    )[:n]


def strong(catalogue) -> str:
    return sorted(
        c for c, s in catalogue.signals.items() if s.strength == "sterk" and not s.check_only
    )[0]


def engine_report(person) -> dict:
    """What the per-person path stored before issue 14: the engine's report over the
    current registrations as of today, with the codes left out."""
    catalogue, ruleset = services.active()
    today = timezone.localdate()
    data, dropped = queries.assessment_input(person, catalogue, today)
    document = report.outcome_to_dict(
        assess(catalogue, ruleset, data, today), catalogue, ruleset, "nl"
    )
    document["not_in_catalogue"] = sorted(dropped)
    return document


@pytest.fixture
def person(world, catalogue):
    own = world.actor(Role.PROFESSIONAL)
    made = factories.person(own)
    factories.registration(own, made, signals=soft(catalogue, 2))
    return made


def test_a_rescore_that_changes_nothing_stores_nothing(person):
    stored = queries.latest_outcome(person)
    together = combined.latest(person)
    rows = PersonOutcome.objects.count()
    again = actions.recompute_outcome(person)
    assert again.pk == stored.pk
    assert PersonOutcome.objects.count() == rows
    assert CombinedOutcome.objects.get(pk=together.pk).computed_at == together.computed_at


def test_a_changed_outcome_is_stored_and_the_history_keeps_level_time_and_versions(
    person, world, catalogue
):
    first = queries.latest_outcome(person)
    factories.registration(world.actor(Role.PROFESSIONAL), person, signals=[strong(catalogue)])
    history = list(PersonOutcome.objects.filter(person=person).order_by("pk"))
    assert [o.pk for o in history][:-1] == [first.pk] and history[-1].level > first.level
    earlier = history[0]
    assert (earlier.level, earlier.computed_at, earlier.catalogue_version) == (
        first.level,
        first.computed_at,
        first.catalogue_version,
    )
    assert earlier.ruleset_version == first.ruleset_version and earlier.as_of == first.as_of
    # No copy of the report in any row, person or combined.
    assert not PersonOutcome.objects.filter(outcome__isnull=False).exists()
    assert not CombinedOutcome.objects.filter(outcome__isnull=False).exists()


def test_a_new_registration_that_changes_no_value_is_shown_without_a_new_row(
    person, world, catalogue, login
):
    """The same signal again, seen earlier: no value, no level, no count changes, so no
    row; the page and the API still show the registration (two reports of the signal),
    as the engine's report over the current registrations does."""
    stored = queries.latest_outcome(person)
    code = soft(catalogue, 1)[0]
    factories.registration(
        world.actor(Role.PROFESSIONAL),
        person,
        signals=[code],
        observed_on=timezone.localdate() - timedelta(days=20),
    )
    assert queries.latest_outcome(person).pk == stored.pk  # nothing stored
    expected = engine_report(person)
    entry = next(s for s in expected["explanation"]["signals"] if s["code"] == code)
    assert entry["reports"] == 2
    # The API: the stored outcome's report is the engine's, value by value.
    _, token = _api_client(world)
    response = Api(token).get(f"/persons/{person.pseudonym}")
    assert response.status_code == 200, response.content[:300]
    shown = response.json()["outcome"]
    assert shown["level"] == stored.level
    assert _plain(shown["outcome"]) == _plain(expected)
    # The page: the same section as for a row stored with today's registrations.
    client = login(world.members[Role.PROFESSIONAL])
    page = text(client.get(url("registry:person", pseudonym=person.pseudonym)))
    web_outcomes.sections.clear()
    fresh = PersonOutcome.objects.create(
        person=person,
        level=stored.level,
        digest=stored.digest,
        as_of=timezone.localdate(),
        blind_spots=stored.blind_spots,
        catalogue_version=stored.catalogue_version,
        ruleset_version=stored.ruleset_version,
    )
    PersonOutcome.objects.filter(pk=fresh.pk).update(computed_at=stored.computed_at)
    assert text(client.get(url("registry:person", pseudonym=person.pseudonym))) == page


def test_another_day_stores_a_row_for_the_date_the_explanation_is_drawn_as_of(person):
    stored = queries.latest_outcome(person)
    later = timezone.localdate() + timedelta(days=1)
    moved = actions.recompute_outcome(person, today=later)
    assert moved.pk != stored.pk and moved.as_of == later


def test_an_older_row_with_its_report_stored_is_replaced(person):
    stored = queries.latest_outcome(person)
    PersonOutcome.objects.filter(pk=stored.pk).update(outcome=engine_report(person))
    assert actions.recompute_outcome(person).pk != stored.pk


def test_the_report_is_drawn_with_the_versions_the_outcome_was_computed_with(
    person, catalogue_files
):
    stored = queries.latest_outcome(person)
    before = engine_report(person)
    catalogue, ruleset = new_ruleset_version(catalogue_files)  # not recomputed yet
    assert ruleset.version != stored.ruleset_version
    document = queries.outcome_document(stored, catalogue, ruleset)
    assert document["ruleset_version"] == stored.ruleset_version
    assert document == before


def _plain(document: dict) -> dict:
    """The report as JSON reads it back (dates as text, tuples as lists)."""
    import json

    return json.loads(json.dumps(document, default=str))


def _api_client(world):
    from tests.api import factories as api_factories

    return api_factories.make_client(world.own, "Systeem eigen school")


@pytest.mark.usefixtures("log_emptied_afterwards")  # a migration needs a real transaction
def test_going_back_before_this_change_draws_every_missing_report(person):
    """registry 0011 reversed: every row without a report gets the one the pages draw
    (the code before 0009 needs one in each row), and forward again changes nothing."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    stored = queries.latest_outcome(person)
    assert stored.outcome is None
    catalogue, ruleset = services.active()
    expected = queries.outcome_document(stored, catalogue, ruleset)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("registry", "0010_narrow_block_keys")])
        stored.refresh_from_db(fields=["outcome"])  # the columns there are at 0010
        assert stored.outcome == expected
        assert not PersonOutcome.objects.filter(outcome__isnull=True).exists()
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)


@pytest.mark.usefixtures("log_emptied_afterwards")  # a migration needs a real transaction
def test_the_acute_flag_is_filled_for_the_outcomes_there_are(world, person, catalogue):
    """registry 0012: each outcome stored before it gets whether it counts a current
    signal marked acute: from its stored report (an older row), else from the report the
    pages draw; the same as the per-person path writes now."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    own = world.actor(Role.PROFESSIONAL)
    acute = factories.person(own)
    code = next(c for c, s in catalogue.signals.items() if s.acute and not s.check_only)
    factories.registration(own, acute, signals=[code])
    drawn_acute, drawn_calm = queries.latest_outcome(acute), queries.latest_outcome(person)
    assert (drawn_acute.acute_signal, drawn_calm.acute_signal) == (True, False)
    older = PersonOutcome.objects.create(
        person=person,
        level=2,
        outcome={"explanation": {"signals": [{"acute": False}, {"acute": True}]}},
        catalogue_version="t",
        ruleset_version="t",
    )
    rows = [drawn_acute, drawn_calm, older]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([("registry", "0011_outcome_reports_drawn")])
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)
    flags = dict(
        PersonOutcome.objects.filter(pk__in=[r.pk for r in rows]).values_list("pk", "acute_signal")
    )
    assert [flags[r.pk] for r in rows] == [True, False, True]
