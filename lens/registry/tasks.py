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
from django.db.models import Q
from django.tasks import task

from lens.catalogue import services
from lens.data.registry import Person, PersonOutcome

logger = logging.getLogger(__name__)

# Persons recomputed per transaction: a short transaction keeps the access log's chain
# lock (and SQLite's write lock) free for people at work.
BATCH_SIZE = 200


def stale_persons(catalogue_version: str, ruleset_version: str):
    """Persons whose latest stored outcome was computed with other versions (or who have
    registrations but no outcome at all)."""
    latest = PersonOutcome.objects
    return (
        Person.objects.annotate(
            latest_catalogue=latest.latest_value("catalogue_version"),
            latest_ruleset=latest.latest_value("ruleset_version"),
        )
        .filter(
            Q(latest_catalogue__isnull=True, registrations__isnull=False)
            | ~Q(latest_catalogue=catalogue_version)
            | ~Q(latest_ruleset=ruleset_version)
        )
        .distinct()
        .order_by("pk")
    )


@task
def recompute_outcomes(catalogue_version: str, ruleset_version: str) -> int:
    """Recompute every person whose latest outcome used other versions; returns how many.

    Does nothing when the versions asked for are no longer the active ones: a newer load
    has enqueued its own run, which will do the work with the right versions.
    """
    # Imported here: the actions import the crypto module, which a worker only needs
    # once there is work to do.
    from lens.registry.actions import recompute_outcome

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
    done = 0
    last_pk = 0
    while True:
        batch = list(
            stale_persons(catalogue_version, ruleset_version)
            .filter(pk__gt=last_pk)
            .select_related("organisation")[:BATCH_SIZE]
        )
        if not batch:
            break
        with transaction.atomic():
            for person in batch:
                recompute_outcome(person)
        done += len(batch)
        last_pk = batch[-1].pk
    logger.info("recompute_outcomes: %d outcome(s) recomputed", done)
    return done


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
