"""The tombstone journal: every tombstone also as one JSON line in a file outside the
database (settings.TOMBSTONE_JOURNAL), so that a restore of an older backup can delete
again what was erased after that backup was taken (`lens restore`, lens.retention.reapply).

A line is written when the deleting transaction commits (never for a deletion that was
rolled back) and synced to disk. Like the keys, the journal is kept apart from the
database and its backups (README, "Backups"); it holds kinds, former ids, rules and
times, no content.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import transaction

from lens.retention.models import Tombstone


def path() -> Path | None:
    value = settings.TOMBSTONE_JOURNAL
    return Path(value) if value else None


def record(tombstones: list[Tombstone]) -> None:
    """Store the tombstones, and journal them once the transaction commits."""
    Tombstone.objects.bulk_create(tombstones)
    target = path()
    if target is None or not tombstones:
        return
    lines = "".join(
        json.dumps(
            {
                "kind": t.kind,
                "record_id": t.record_id,
                "rule": t.rule,
                "deleted_at": t.deleted_at.isoformat(),
            }
        )
        + "\n"
        for t in tombstones
    )
    transaction.on_commit(lambda: _append(target, lines))


def _append(target: Path, lines: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: the lines of several processes do not overwrite each other.
    descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, lines.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read(source: Path) -> Iterator[dict]:
    """The journal's entries; a torn last line (a crash while writing) is skipped."""
    if not source.exists():
        return
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and {"kind", "record_id", "rule", "deleted_at"} <= set(
                entry
            ):
                yield entry


def entries(sources: Iterable[Path]) -> list[dict]:
    return [entry for source in sources for entry in read(source)]
