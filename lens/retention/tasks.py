"""The retention run as a task for the worker, once a day: the same code as
`lens retention run` (lens.retention.run.run).

Django's task framework has no clock of its own: cron enqueues the task once a day with
`lens retention run --enqueue`, and the worker (`lens worker`) runs it. Cron may as
well run `lens retention run` itself; both are described in the README ("Scheduled
jobs").
"""

from __future__ import annotations

import logging

from django.tasks import task

from lens.retention.run import run

logger = logging.getLogger(__name__)


@task
def run_retention() -> dict[str, int]:
    """Apply the retention periods; returns the deleted records per kind (no content)."""
    counts = dict(sorted(run().items()))
    logger.info("retention run: %s", counts)
    return counts
