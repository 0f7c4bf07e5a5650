"""Watch a request's reads of person data and its access-log writes: were they in one
transaction (lens.access.policy_reads), and is nothing served when the log write fails?

`ReadWatch.spy(module, name)` wraps a function a page calls to read what it shows; the
access log's one writer (`lens.access.log.write_many`) is wrapped too. Each records the
transactions open when it ran (Django's atomic blocks: a new object per `atomic()`).
A read and a log write were in one transaction when the first block the request opened
(above the test's own) is the same object in both. `rendered` checks that this
transaction had ended when the page was rendered: it is the read's, not one around the
whole request (which would make the first check prove nothing).
"""

from __future__ import annotations

import functools

from django.db import connection

from lens.access import log
from lens.access.models import AccessLogEntry


class LogDown(Exception):
    """The access log cannot be written."""


class ReadWatch:
    def __init__(self, monkeypatch, *, fail: bool = False):
        self.monkeypatch = monkeypatch
        self.base = len(connection.atomic_blocks)  # the test's own transaction(s)
        self.reads: list[tuple] = []
        self.writes: list[tuple] = []
        self.renders: list[tuple] = []
        self.entries_before = AccessLogEntry.objects.count()
        writer = log.write_many

        def write_many(*args, **kwargs):
            self.writes.append(tuple(connection.atomic_blocks))
            if fail:
                raise LogDown
            return writer(*args, **kwargs)

        monkeypatch.setattr(log, "write_many", write_many)

    def _wrap(self, module, name: str, into: list) -> None:
        original = getattr(module, name)

        @functools.wraps(original)
        def watched(*args, **kwargs):
            into.append(tuple(connection.atomic_blocks))
            return original(*args, **kwargs)

        self.monkeypatch.setattr(module, name, watched)

    def spy(self, module, name: str) -> ReadWatch:
        self._wrap(module, name, self.reads)
        return self

    def spy_render(self, module, name: str = "render") -> ReadWatch:
        self._wrap(module, name, self.renders)
        return self

    def assert_one_transaction(self) -> None:
        assert self.reads, "the spied read did not run"
        assert self.writes, "nothing was written to the access log"
        for read in self.reads:
            assert len(read) > self.base, "a read outside any transaction of the request"
            assert any(
                len(write) > self.base and write[self.base] is read[self.base]
                for write in self.writes
            ), "the read and the log write were in different transactions"
        for render in self.renders:
            assert len(render) == self.base, "rendered inside the read's transaction"

    def assert_nothing_logged(self) -> None:
        assert self.writes, "the log write was not attempted"
        assert AccessLogEntry.objects.count() == self.entries_before
