"""Querysets built once per process: a read model's base query (its joins, annotations
and columns) is the same for every request, and building and compiling it with the ORM
can cost more than running it. `prepared(build)` returns a function that gives a new
`.all()` copy of the queryset `build` made the first time: each request narrows its own
copy (which shares no rows: `.all()` copies the query, never the result cache), and the
base queryset itself is never evaluated. Never for anything that depends on the request
or the person: only the shape of the query."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db.models import QuerySet


class Prepared[M]:
    def __init__(self, build: Callable[[], QuerySet[M]]):
        self.base = functools.cache(build)  # the shared queryset: never evaluated

    def __call__(self) -> QuerySet[M]:
        return self.base().all()


def prepared[M](build: Callable[[], QuerySet[M]]) -> Prepared[M]:
    return Prepared(build)
