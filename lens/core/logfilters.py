"""Logging filters for the server log.

Django logs every 4xx answer on `django.request` at WARNING, a refusal (403) with its
whole traceback, and with the path, which holds a person's pseudonym on the person pages.
A refusal is the policy working, not an error: the filter keeps one line without the
traceback, and puts `P-…` where a pseudonym stood, so the server log does not become a
second, unprotected record of who looked for whom (the access log is that record).
Errors (5xx) keep their traceback: they are what the log is for.
"""

from __future__ import annotations

import logging
import re

PSEUDONYM = re.compile(r"\bP-[2-9A-HJ-NP-Z]{4,}\b")


def masked(value: object) -> object:
    return PSEUDONYM.sub("P-…", value) if isinstance(value, str) else value


class QuietRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        if isinstance(record.args, tuple):
            record.args = tuple(masked(arg) for arg in record.args)
        record.msg = masked(record.msg)
        return True
