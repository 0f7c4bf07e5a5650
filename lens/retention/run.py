"""One retention run: every rule applied, in short transactions, or only counted.

`run(dry_run=True)` changes nothing and answers what would go; `run()` deletes it. A
person is locked and its inactivity checked again under the lock, so a registration
added while the run works keeps the record (the run does not delete what became active).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from lens.data.cases import CLOSED, Case
from lens.data.registry import Person
from lens.retention import erase, journal, rules
from lens.retention.models import Tombstone

# Persons per transaction: short transactions keep the access log's chain lock (and
# SQLite's write lock) free for people at work.
BATCH_SIZE = 100


def to_review(now: datetime | None = None) -> dict[str, int]:
    """What a run does not delete but reports for review by the organisations: open
    cases idle past RETENTION_OPEN_CASE_IDLE_DAYS (the aandachtsfunctionaris' work list
    marks them)."""
    return {"open_cases_idle": rules.idle_open_cases(now or timezone.now()).count()}


def run(*, dry_run: bool = False, now: datetime | None = None) -> Counter:
    now = now or timezone.now()
    periods = rules.Periods.from_settings()
    due = list(rules.inactive_persons(now, periods).values_list("pk", flat=True))
    others = {
        "submission": rules.old_submissions(now, periods),
        **rules.old_login_records(now, periods),
    }
    if dry_run:
        counts = erase.count(due)
        counts.update({kind: n for kind, qs in others.items() if (n := qs.count())})
        return counts
    done: Counter = Counter()
    for start in range(0, len(due), BATCH_SIZE):
        with transaction.atomic():
            batch = list(
                Person.objects.select_for_update()
                .filter(pk__in=due[start : start + BATCH_SIZE])
                .order_by("pk")
            )
            still_due = set(
                rules.inactive_persons(now, periods)
                .filter(pk__in=[p.pk for p in batch])
                .values_list("pk", flat=True)
            )
            with_open_case = set(
                Case.objects.filter(person_id__in=still_due)
                .exclude(state=CLOSED)
                .values_list("person_id", flat=True)
            )
            for rule, persons in (
                (rules.INACTIVE_PERSON, [p for p in batch if p.pk in still_due - with_open_case]),
                (rules.IDLE_OPEN_CASE, [p for p in batch if p.pk in with_open_case]),
            ):
                if persons:
                    done += erase.delete_persons(persons, rule)
    for kind, qs in others.items():
        rule = rules.SUBMISSIONS if kind == "submission" else rules.LOGIN_RECORDS
        with transaction.atomic():
            record_ids = list(qs.values_list("pk", flat=True))
            if record_ids:
                at = timezone.now()
                journal.record(
                    [
                        Tombstone(kind=kind, record_id=pk, rule=rule, deleted_at=at)
                        for pk in record_ids
                    ]
                )
                qs.model.objects.filter(pk__in=record_ids).delete()
                done[kind] = len(record_ids)
    return done
