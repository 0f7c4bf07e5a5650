"""Recomputing stored outcomes when the catalogue or ruleset changes (Django tasks; the
tests run them at once with the ImmediateBackend, tests/pytest_env.py)."""

from __future__ import annotations

import dataclasses

import pytest

from lens.catalogue import services
from lens.data import queries
from lens.data.registry import PersonOutcome, Role
from lens.registry import recompute_write, tasks

from . import factories

pytestmark = pytest.mark.django_db


def new_ruleset_version(catalogue_files, version="9999.1-tests"):
    """The same files with a stricter ruleset under a new version: every weight halved."""
    ruleset = catalogue_files.ruleset
    changed = dataclasses.replace(
        ruleset,
        version=version,
        weights={k: v / 2 for k, v in ruleset.weights.items()},
    )
    loaded = dataclasses.replace(catalogue_files, ruleset=changed, ruleset_digest="f" * 64)
    services.store(loaded)
    return services.active()


def test_nothing_to_do_when_every_outcome_is_current(world):
    assert tasks.enqueue_recompute_if_needed() is False


def test_a_new_ruleset_recomputes_every_stale_outcome(
    world, catalogue_files, django_capture_on_commit_callbacks
):
    extra = factories.person(world.actor(Role.PROFESSIONAL))  # no registrations: no outcome
    before = PersonOutcome.objects.count()
    catalogue, ruleset = new_ruleset_version(catalogue_files)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tasks.enqueue_recompute_if_needed() is True
    assert len(callbacks) == 1
    for person in (world.own_person, world.other_person):
        latest = queries.latest_outcome(person)
        assert (latest.catalogue_version, latest.ruleset_version) == (
            catalogue.version,
            ruleset.version,
        )
        # Stored by the bulk recompute without a copy of the report: drawn again.
        assert latest.outcome is None
        assert queries.outcome_document(latest, catalogue, ruleset)["ruleset_version"] == (
            ruleset.version
        )
    # Older outcomes stay: the history says what was advised when.
    assert PersonOutcome.objects.count() == before + 2
    assert queries.latest_outcome(extra) is None
    # Run again: nothing is stale any more.
    assert tasks.enqueue_recompute_if_needed() is False


def test_the_task_skips_versions_that_are_no_longer_active(world, catalogue_files):
    old_catalogue, old_ruleset = services.active()
    new_ruleset_version(catalogue_files)
    result = tasks.recompute_outcomes.enqueue(old_catalogue.version, old_ruleset.version)
    assert result.return_value == 0
    assert queries.latest_outcome(world.own_person).ruleset_version == old_ruleset.version


def test_the_task_works_in_batches(world, catalogue_files, monkeypatch):
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(4):
        factories.registration(actor, factories.person(actor))
    monkeypatch.setattr(recompute_write, "BATCH", 2)
    catalogue, ruleset = new_ruleset_version(catalogue_files)
    result = tasks.recompute_outcomes.enqueue(catalogue.version, ruleset.version)
    assert result.return_value == 6
    assert not tasks.stale_persons(catalogue.version, ruleset.version).exists()


def test_without_a_catalogue_nothing_is_enqueued(db):
    assert tasks.enqueue_recompute_if_needed() is False


def test_catalogue_load_command_recomputes_stale_outcomes(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    """`lens catalogue load` with a changed ruleset file: outcomes follow the new version."""
    import io
    import re
    import shutil

    from django.core.management import call_command

    copy = tmp_path / "catalogue"
    shutil.copytree(settings.CATALOGUE_DIR, copy)
    ruleset_file = copy / "ruleset.yaml"
    text, replaced = re.subn(
        r'^(\s*)version: "[^"]+"',
        r'\1version: "2099.1"',
        ruleset_file.read_text(),
        count=1,
        flags=re.M,
    )
    assert replaced == 1, "the ruleset file names its version on a line"
    ruleset_file.write_text(text)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("catalogue", "load", "--dir", str(copy), stdout=out)
    assert "herberekend" in out.getvalue()
    _, ruleset = services.active()
    assert ruleset.version.startswith("2099.1-")
    # Only the version changed: no outcome changed, so none is stored; the run says the
    # latest one holds under the new versions.
    latest = queries.latest_outcome(world.own_person)
    assert latest.ruleset_version != ruleset.version
    assert queries.outcome_holds(latest, "another-catalogue", ruleset.version) is False
    catalogue, _ = services.active()
    assert queries.outcome_holds(latest, catalogue.version, ruleset.version) is True
    assert not tasks.stale_persons(catalogue.version, ruleset.version).exists()
    assert tasks.enqueue_recompute_if_needed() is False
