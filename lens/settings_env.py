"""Reading the settings from the environment: typed values with a clear error for a value
that is not one (ImproperlyConfigured, which `lens` prints as one line), and the database
that DATABASE_URL names. lens/settings.py uses these; the README's "Configuration"
section documents every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A throttle rate like "120/minute" (per second, minute, hour or day)."""
    value = env_str(name, default).strip()
    number, _, period = value.partition("/")
    if not (number.isdigit() and period in ("second", "minute", "hour", "day")):
        raise ImproperlyConfigured(
            f"{name} must be a rate like 120/minute (per second, minute, hour or day), "
            f"not {value!r}"
        )
    return value


def databases(var_dir: Path, conn_max_age: int) -> dict:
    """DATABASES: the database DATABASE_URL names, or the embedded SQLite database in
    `var_dir` (see the comment at DATABASES in lens/settings.py)."""
    if env_str("DATABASE_URL"):
        try:
            return {
                "default": dj_database_url.parse(
                    env_str("DATABASE_URL"), conn_max_age=conn_max_age, conn_health_checks=True
                )
            }
        except ValueError as exc:  # UnknownSchemeError is one
            scheme = env_str("DATABASE_URL").partition(":")[0]
            raise ImproperlyConfigured(
                f"DATABASE_URL has a scheme the lens cannot use ({scheme!r}): use "
                "postgres://user@host:5432/name, or leave it unset for SQLite."
            ) from exc
    else:
        # synchronous=FULL: SQLite syncs the write-ahead log to disk at every commit, so a
        # registration or access-log entry that was acknowledged survives a power cut or an
        # operating-system crash too. With NORMAL (in WAL mode) a killed *process* loses
        # nothing either (scripts/crash_writes.py checks that), but a power cut may lose the
        # last commits: unacceptable for an access log that must be complete (NEN 7513) and
        # for signals a professional was told were saved. The cost is one fsync per commit;
        # README, "Configuration", has the figures. SQLITE_SYNCHRONOUS=NORMAL is for
        # measurements and throw-away databases only.
        synchronous = env_str("SQLITE_SYNCHRONOUS", "FULL").upper()
        if synchronous not in ("FULL", "EXTRA", "NORMAL"):
            raise ImproperlyConfigured(
                f"SQLITE_SYNCHRONOUS must be FULL, EXTRA or NORMAL, not {synchronous!r}"
            )
        # How long a writer waits for SQLite's one write lock before the request answers
        # 503 with Retry-After (lens.web.busy).
        busy_timeout = env_int("SQLITE_BUSY_TIMEOUT", 20)
        var_dir.mkdir(parents=True, exist_ok=True)
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": var_dir / "lens.sqlite3",
                "CONN_MAX_AGE": conn_max_age,
                "CONN_HEALTH_CHECKS": True,
                "OPTIONS": {
                    "transaction_mode": "IMMEDIATE",
                    "timeout": busy_timeout,
                    "init_command": (
                        "PRAGMA journal_mode=WAL;"
                        f"PRAGMA synchronous={synchronous};"
                        "PRAGMA foreign_keys=ON;"
                        f"PRAGMA busy_timeout={busy_timeout * 1000};"
                    ),
                },
            }
        }
