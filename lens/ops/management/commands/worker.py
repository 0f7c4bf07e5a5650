"""`lens worker`: the background worker for the task queue (django_tasks_db's db_worker).

lens worker [--batch] [--max-tasks N] [--interval SECONDS]

The queue lives in the database (settings.TASKS); several workers, on one server or many,
share it safely: each claims a task with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL.
"""

from __future__ import annotations

import argparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def at_least_one(value: str) -> int:
    """A whole number of 1 or more (argparse type): 0 or -1 tasks is no limit anyone means."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is geen geheel getal van 1 of meer")
    return number


class Command(BaseCommand):
    help = (
        "Run the background worker for the task queue (recomputing stored outcomes after a "
        "catalogue or ruleset change). --batch works through the queue once and stops."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Work through the queue once, then stop."
        )
        parser.add_argument(
            "--max-tasks", type=at_least_one, default=None, help="Stop after this many tasks."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty queue (default 1).",
        )

    def handle(self, *args, batch, max_tasks, interval, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if backend != DATABASE_BACKEND:
            raise CommandError(
                f"TASKS_BACKEND is {backend}: tasks run without a worker there. The worker "
                f"needs {DATABASE_BACKEND} (the default)."
            )
        call_command(
            "db_worker",
            batch=batch,
            max_tasks=max_tasks,
            interval=interval,
            startup_delay=False,
            reload=False,
            verbosity=options.get("verbosity", 1),
        )
