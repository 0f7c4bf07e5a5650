"""Background work: recompute stored outcomes when the catalogue or ruleset changes.

Runs on Django's task framework (settings.TASKS). The default backend,
`django_tasks_db.DatabaseBackend`, keeps the queue in the project's own database (SQLite
or PostgreSQL), so it needs no extra server; start a worker with

    lens worker

(add `--batch` to work through the queue once and stop, e.g. from cron). Tests run
tasks at once with Django's ImmediateBackend (tests/pytest_env.py).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.tasks import task

from lens.catalogue import services
from lens.data.registry import OutcomeRun, Person, PersonOutcome

logger = logging.getLogger(__name__)


def stale_persons(catalogue_version: str, ruleset_version: str):
    """Persons whose latest stored outcome was computed with other versions and has not
    held under these versions since (no finished OutcomeRun of these versions began after
    it), or who have registrations but no outcome at all."""
    latest = PersonOutcome.objects
    held = OutcomeRun.objects.filter(
        catalogue_version=catalogue_version,
        ruleset_version=ruleset_version,
        finished_at__isnull=False,
        started_at__gte=OuterRef("latest_computed_at"),
    )
    return (
        Person.objects.annotate(
            latest_catalogue=latest.latest_value("catalogue_version"),
            latest_ruleset=latest.latest_value("ruleset_version"),
            latest_computed_at=latest.latest_value("computed_at"),
        )
        .filter(
            Q(latest_catalogue__isnull=True, registrations__isnull=False)
            | (
                (~Q(latest_catalogue=catalogue_version) | ~Q(latest_ruleset=ruleset_version))
                & ~Exists(held)
            )
        )
        .distinct()
        .order_by("pk")
    )


@task
def recompute_outcomes(catalogue_version: str, ruleset_version: str) -> int:
    """Recompute every outcome with the active versions, set-based (lens.registry.recompute:
    only the outcomes that changed are stored); returns how many persons' outcomes changed.

    Does nothing when the versions asked for are no longer the active ones: a newer load
    has enqueued its own run, which will do the work with the right versions.
    """
    # Imported here: the bulk path imports DuckDB, which a worker only needs once there
    # is work to do.
    from lens.registry import recompute

    catalogue, ruleset = services.active()
    if (catalogue.version, ruleset.version) != (catalogue_version, ruleset_version):
        logger.info(
            "recompute_outcomes for %s/%s skipped: %s/%s is active now",
            catalogue_version,
            ruleset_version,
            catalogue.version,
            ruleset.version,
        )
        return 0
    result = recompute.recompute_all(versions=(catalogue, ruleset))
    logger.info(
        "recompute_outcomes: %d person(s) assessed, %d outcome(s) changed",
        result["persons"],
        result["changed"],
    )
    return int(result["changed"])


def enqueue_recompute_if_needed() -> bool:
    """Enqueue `recompute_outcomes` for the active versions if any outcome is stale.

    Call after a catalogue or ruleset load (`lens catalogue load`); safe to call at any
    time. The task is enqueued when the surrounding transaction commits, so a worker never
    sees versions that were rolled back. Returns whether a run was enqueued.
    """
    try:
        catalogue, ruleset = services.active()
    except services.NoCatalogueLoaded:
        return False
    if not stale_persons(catalogue.version, ruleset.version).exists():
        return False
    transaction.on_commit(lambda: recompute_outcomes.enqueue(catalogue.version, ruleset.version))
    return True
