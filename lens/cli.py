"""The `lens` command: the project's own commands plus every Django management command.

`lens --help` lists the project's commands with what they are for; `lens help --all`
(Django's own listing) shows every command, e.g. `lens migrate` or `lens runserver`.
"""

from __future__ import annotations

import os
import subprocess
import sys

# The project's own commands, in the order a newcomer needs them.
PROJECT_COMMANDS = {
    "assess": "Assess signals (JSON in, JSON out): the lens engine for other systems.",
    "catalogue": "Validate, load or export the catalogue (signals, steps, contacts).",
    "demo": "Load the catalogue and synthetic demo content for a first look.",
    "demo-code": "Print a demo user's current second-factor code (demo mode only).",
    "organisations": "Add or list organisations, or change an organisation's contact.",
    "users": "Add users, give or end their roles (memberships), list or deactivate them.",
    "accounts": "Enrol a user's authenticator app (TOTP) or lift a lockout.",
    "accesslog": "Verify the access log's hash chain, or export one person's accesses.",
    "audit": "Export the audit record of the beheerder's writes (CSV, no person data).",
    "identity": "Make a new identity master key, or re-wrap identities under it.",
    "apiclient": "Create, list or revoke API clients of an organisation.",
    "picture": "Export the local picture (lokaal beeld) of a region or municipality.",
    "matching": "Look for possible matches of persons across organisations (fuzzy run).",
    "retention": "Delete what has outlived its retention period, or erase one person's record.",
    "serve": "Run the production server (gunicorn, static files, JSON logs).",
    "worker": "Run the background worker that recomputes stored outcomes.",
    "db-worker": "The task queue's own worker command (`lens worker` wraps it).",
    "backup": "Back up the database to a file, or delete expired backups.",
    "restore": "Restore a backup into an empty database, then apply the tombstones.",
    "cases": "Send the daily e-mail of due and overdue cases (no person data).",
}

USAGE_ERROR = 2  # a wrong command line: argparse's exit status, for every command

# Commands that use the lens engine alone: they need no secret and no database
# (lens.settings_engine).
ENGINE_COMMANDS = {"assess"}

USAGE = """\
Usage: lens <command> [options]

Uitbuitingslens: signalling support for criminal exploitation (criminele uitbuiting).

Project commands:
{commands}

Django commands work too, for example:
  migrate           Create or update the database tables.
  runserver         Start the development server (http://127.0.0.1:8000).
  check --deploy    Check the settings for production.

`lens help <command>` explains one command; `lens help --all` lists them all.
Settings come from environment variables (README, "Configuration").
"""


def usage() -> str:
    width = max(len(name) for name in PROJECT_COMMANDS) + 2
    lines = [f"  {name.ljust(width)}{text}" for name, text in PROJECT_COMMANDS.items()]
    return USAGE.format(commands="\n".join(lines))


def engine_only(argv: list[str]) -> bool:
    """The engine commands, and the catalogue's `validate` and `export` of the files (not
    `export --active`, which reads the database): the README's tour runs them as written."""
    if argv[1] in ENGINE_COMMANDS:
        return True
    return (
        argv[1] == "catalogue"
        and argv[2:3] in (["validate"], ["export"])
        and "--active" not in argv
    )


def help_only(argv: list[str]) -> bool:
    """`lens help X`, `lens X --help`: help reads no secret and no data."""
    return argv[1] in ("help", "version", "--version") or any(
        arg in ("-h", "--help") for arg in argv[2:]
    )


def known_commands() -> set[str]:
    """Every command's name, found with the engine settings in a process of its own (so
    that this process keeps its real settings); only asked when the settings fail."""
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lens.settings_engine'; "
        "import django; django.setup(); "
        "from django.core.management import get_commands; print(' '.join(get_commands()))"
    )
    # Without the environment's settings: only the list of names is asked.
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "PYTHONPATH", "HOME")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env
    )
    return set(result.stdout.split())


class _Stderr:
    """Django writes a command's refusal as `CommandError: ...`; the lens writes every
    refusal the same way, as `lens: ...`."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        if text.startswith("CommandError: "):
            text = "lens: " + text.removeprefix("CommandError: ")
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        sys.stdout.write(usage())
        return 0
    if argv[1:3] == ["help", "--all"]:
        argv = [argv[0], "help", "--commands"]
    # Project commands may be typed with hyphens (`lens demo-code`); Django's names use
    # underscores, after the module file.
    if argv[1] in PROJECT_COMMANDS:
        argv[1] = argv[1].replace("-", "_")
    if argv[1] in ("serve", "worker"):
        os.environ.setdefault("LOG_FORMAT", "json")  # one JSON object per log line
    if engine_only(argv) or help_only(argv):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lens.settings_engine")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lens.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import ManagementUtility, get_commands

    class Utility(ManagementUtility):
        def fetch_command(self, subcommand: str):
            """Django answers an unknown command (`lens frob`, `lens help frob`) in two
            lines with exit status 1; a usage error exits with 2 in one line, as
            argparse's do."""
            if subcommand not in get_commands():
                from django.conf import settings

                settings.INSTALLED_APPS  # noqa: B018 (broken settings: their own line)
                sys.stderr.write(
                    f"lens: unknown command {subcommand!r}; `lens --help` lists them.\n"
                )
                raise SystemExit(USAGE_ERROR)
            return super().fetch_command(subcommand)

    from django.db import OperationalError, ProgrammingError

    stderr, sys.stderr = sys.stderr, _Stderr(sys.stderr)
    try:
        Utility(["lens", *argv[1:]]).execute()
    except ImproperlyConfigured as exc:
        sys.stderr = stderr
        if argv[1] not in known_commands():
            sys.stderr.write(f"lens: unknown command {argv[1]!r}; `lens --help` lists them.\n")
            return USAGE_ERROR
        # A missing or wrong setting: one line that names it, not a traceback.
        sys.stderr.write(f"lens: {exc} (see README.md, Configuration)\n")
        return 1
    except (OperationalError, ProgrammingError) as exc:
        sys.stderr = stderr
        # No database, or one without the tables (a fresh install): one line, not a
        # traceback. Commands that expect this answer themselves (lens catalogue load).
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "does not exist" in first:
            hint = "Create the database (e.g. createdb), then run `lens migrate`"
        else:
            hint = "Set it up with `lens migrate` (make setup does that and loads the demo)"
        sys.stderr.write(
            f"lens: the database is not ready ({first}). {hint}; see README.md, Configuration.\n"
        )
        return 1
    except BrokenPipeError:
        # `lens organisations list | head`: the reader stopped early; that is no error.
        # Python's advice: point stdout at devnull so the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if isinstance(sys.stderr, _Stderr):
            sys.stderr = stderr
    return 0
