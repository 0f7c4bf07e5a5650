"""What the coordinator's grouped lists share: a sequence of groups that django's
Paginator can page, counting the groups in SQL once and reading only the asked slice."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet


class PagedGroups(Sequence):
    """Subclasses give `_groups()` (one row per group, for the count) and `_slice(start,
    stop)` (the groups of one page, in order)."""

    _count: int | None = None

    def _groups(self) -> QuerySet:
        raise NotImplementedError

    def _slice(self, start: int, stop: int) -> list:
        raise NotImplementedError

    def count(self) -> int:
        if self._count is None:
            self._count = self._groups().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):  # type: ignore[override]
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        if stop <= start:
            return []
        return self._slice(start, stop)
