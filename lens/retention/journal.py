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


class JournalError(Exception):
    """A tombstone journal that cannot be trusted; the message names the file and line."""


FIELDS = {"kind", "record_id", "rule", "deleted_at"}


def read(source: Path) -> Iterator[dict]:
    """The journal's entries. Only the last line may be torn (a crash while writing) and
    is then skipped; any other line that is not an entry is an error (JournalError), so
    that a wrong or damaged file never passes for a journal with nothing in it."""
    if not source.exists():
        return
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalError(f"{source}: cannot be read as a tombstone journal ({exc}).") from None
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            entry = None
        if isinstance(entry, dict) and set(entry) >= FIELDS:
            yield entry
        elif not line.strip():
            continue
        elif not (number == len(lines) and entry is None and line.startswith("{")):
            raise JournalError(
                f"{source}:{number}: not a tombstone entry (kind, record_id, rule, deleted_at)."
            )


def entries(sources: Iterable[Path]) -> list[dict]:
    return [entry for source in sources for entry in read(source)]
