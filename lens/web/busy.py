"""A request that waited too long for a database lock answers 503 with Retry-After, never
a 500: on SQLite a writer waits its busy timeout (SQLITE_BUSY_TIMEOUT) for the one write
lock, and every read of person data writes its access-log entry in the read's
transaction (lens.access.policy_reads); on PostgreSQL a lock timeout, a deadlock or a
serialization failure. The transaction that failed was rolled back whole by its atomic
block: nothing of the request is half-written, and it can simply be sent again.

One rule (`is_busy`) for both front doors: `BusyMiddleware` answers the pages with a
Dutch page, lens.api.errors.exception_handler the API with a JSON reason."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before sending the request again.
RETRY_AFTER = 5
# SQLite's messages for a lock it waited for in vain; PostgreSQL's SQLSTATEs for a lock
# not granted in lock_timeout, a deadlock and a serialization failure.
SQLITE_LOCKED = ("database is locked", "database table is locked")
POSTGRES_BUSY = {"55P03", "40P01", "40001"}


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` is a database that was busy (a lock not granted in time), not a fault."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in POSTGRES_BUSY:
        return True
    return str(exc).strip().lower() in SQLITE_LOCKED


class BusyMiddleware:
    """A page whose view failed on a busy database: 503, Retry-After, a Dutch page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not is_busy(exc):
            return None
        logger.warning("Busy database on %s %s: %s", request.method, request.path, exc)
        response = render(request, "web/busy.html", {}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
