"""`lens serve`: the production server (gunicorn on lens.wsgi, static files by WhiteNoise).

lens serve [--bind 127.0.0.1:8000] [--workers N] [--no-collectstatic] [--check]

It collects the static files first (`lens collectstatic --no-input`; quick when nothing
changed), then replaces itself with gunicorn, so a container's stop signal reaches
gunicorn directly. Settings come from the environment; logs are JSON lines.
"""

from __future__ import annotations

import os
import shlex
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Gunicorn's rule of thumb is 2 x cores + 1 sync workers; past this many, one server
# waits on the database more than on its processors (and each worker holds a database
# connection): add servers behind the load balancer instead (README, "Deployment").
MAX_WORKERS = 12


def cores() -> int:
    """The processors this process may run on (a container's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """WEB_CONCURRENCY when set (the usual name), else 2 x cores + 1, at most 12."""
    value = os.environ.get("WEB_CONCURRENCY", "")
    if value:
        if not value.isdigit() or int(value) < 1:
            raise CommandError(f"WEB_CONCURRENCY must be a whole number of 1 or more: {value!r}")
        return int(value)
    return min(2 * cores() + 1, MAX_WORKERS)


def gunicorn_command(bind: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "lens.wsgi:application",
        "--config",
        "python:lens.ops.gunicorn_conf",
        "--bind",
        bind,
        "--workers",
        str(workers),
    ]


class Command(BaseCommand):
    help = (
        "Run the production server: gunicorn on lens.wsgi with a worker count from the "
        "processors (2 x cores + 1, at most 12, or WEB_CONCURRENCY), static files served by "
        "WhiteNoise (collected first), settings from the environment, JSON log lines."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("BIND", "127.0.0.1:8000"),
            help="HOST:PORT to listen on (default: BIND or 127.0.0.1:8000; 0.0.0.0:8000 in "
            "a container).",
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="Worker processes (default: see above)."
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Do not collect the static files first (they were collected at build time).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Check the settings and print the gunicorn command, without serving.",
        )

    def handle(self, *args, bind, workers, no_collectstatic, check, **options):
        workers = workers if workers is not None else default_workers()
        if workers < 1:
            raise CommandError("--workers must be 1 or more.")
        if ":" not in bind:
            raise CommandError(f"--bind must be HOST:PORT, not {bind!r}.")
        command = gunicorn_command(bind, workers)
        if check:
            self.stdout.write(shlex.join(command))
            return
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        env = dict(os.environ, LOG_FORMAT=os.environ.get("LOG_FORMAT", "json"))
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(command[0], command, env)
