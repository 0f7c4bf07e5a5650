"""The local picture's upkeep out of the write path (docs/design/insight.md, "Maintained
aggregates"): a registration, correction, withdrawal, link decision, re-scoring or erasure
only marks its records pending (`mark`: one insert in the writer's transaction, through
lens.data.aggregates.changed); `catch_up` applies the marks afterwards with
lens.picture.maintain.refresh, many clusters at once, in batches.

Who catches up: every read of the cells (lens.picture.selectors.picture, before the cells
are read: the page never misses a committed registration), closing a period (its figures
are frozen with every committed change in them), a rebuild (which counts the marks it read
as applied) and `lens picture catch-up` (a scheduled job keeps the reads short).

Safe to repeat and to run at once: `maintain.refresh` is state-based (it compares a
cluster's stored state with its registrations now and applies the difference), so applying
a mark twice changes nothing the second time; and every batch runs in one transaction under
one lock (a PostgreSQL advisory lock; on SQLite the write lock every transaction takes,
BEGIN IMMEDIATE), so two catch-ups apply one after the other, the second seeing what the
first committed. A batch deletes only the rows it read: a mark made meanwhile stays. A
batch that fails rolls back whole and leaves its marks for the next catch-up.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from lens.catalogue import services
from lens.rules.model import Catalogue

from . import maintain
from .models import PicturePending

BATCH = 500  # marks applied per transaction
# Key for pg_advisory_xact_lock: the bytes "LENSPICT" as a bigint (the access log has its
# own). Constant, so every process of every release takes the same lock.
LOCK_ID = int.from_bytes(b"LENSPICT", "big")


def mark(person_ids: Iterable[int], catalogue: Catalogue | None = None) -> None:
    """These records' registrations or links changed: count them again at the next
    catch-up. In the caller's transaction, so the mark commits (or not) with the write.
    (`catalogue` is the maintainer's signature: the catch-up uses the active one.)"""
    ids = sorted({int(pk) for pk in person_ids})
    if len(ids) == 1:  # a re-scoring: one insert, written out (the ORM's cost more)
        with connection.cursor() as cursor:
            cursor.execute(_MARK_ONE, ids)
    elif ids:
        PicturePending.objects.bulk_create(
            [PicturePending(person_id=pk) for pk in ids], batch_size=BATCH
        )


_MARK_ONE = f"INSERT INTO {PicturePending._meta.db_table} (person_id) VALUES (%s)"


def lock() -> None:
    """The catch-up's lock, held until the transaction ends. SQLite: nothing to take, the
    transaction holds the database's write lock from its start (BEGIN IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


def catch_up(batch: int = BATCH) -> int:
    """Apply the pending marks to the cells; returns the number of marks applied (0 and
    one query when nothing is pending). Marks made after the start wait for the next
    catch-up, so a steady stream of writes cannot keep a reader here."""
    top = PicturePending.objects.order_by("-pk").values_list("pk", flat=True).first()
    if top is None:
        return 0
    catalogue = services.active()[0]
    applied = 0
    while True:
        with transaction.atomic():
            lock()
            rows = list(
                PicturePending.objects.filter(pk__lte=top)
                .order_by("pk")
                .values_list("pk", "person_id")[:batch]
            )
            if not rows:
                return applied
            maintain.refresh({person for _pk, person in rows}, catalogue)
            PicturePending.objects.filter(pk__in=[pk for pk, _person in rows]).delete()
        applied += len(rows)


def taken() -> list[int]:
    """For a rebuild, under `lock` in its transaction: the marks it covers (every mark
    committed before it reads the registrations), to `clear` when it has written."""
    lock()
    return list(PicturePending.objects.values_list("pk", flat=True))


def clear(marks: list[int]) -> None:
    for start in range(0, len(marks), BATCH * 10):
        PicturePending.objects.filter(pk__in=marks[start : start + BATCH * 10]).delete()


def count() -> int:
    return PicturePending.objects.count()
