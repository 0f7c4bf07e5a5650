"""After a restore: delete again what the tombstones name and the restored database still
holds (`lens restore`).

A backup holds what existed when it was taken; a person erased on request (or whose
retention period ended) after that is back in the restored copy. The tombstones (of the
restored database, and of the journal kept outside it, lens.retention.journal) name every
deleted record by kind and former id, and ids are not reused (`lens restore` moves the id
counters past every tombstone), so the same id is the same record: each one still
present is deleted again, a person with all it holds, through the same path as the first
time (an access-log entry per person, a tombstone per record).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lens.data.registry import Person
from lens.retention import erase, journal, rules
from lens.retention.models import Tombstone

# Ids per query: far below SQLite's limit on the parameters of one statement.
CHUNK = 5000


def models_by_kind() -> dict[str, type[models.Model]]:
    """{tombstone kind: its model}, in an order in which they can be deleted."""
    kinds = {kind: qs.model for kind, qs in erase.person_data([]).items()}
    kinds["submission"] = rules.old_submissions().model
    kinds.update({kind: qs.model for kind, qs in rules.old_login_records().items()})
    return kinds


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def reapply(entries: list[dict]) -> Counter:
    """Delete what the tombstones name and the database still holds; keep the tombstones
    the database lacks. Returns {kind: records deleted again}."""
    named: dict[str, dict[int, str]] = defaultdict(dict)
    for entry in entries:
        named[entry["kind"]][int(entry["record_id"])] = entry["rule"]
    done: Counter = Counter()
    actor = erase.SystemActor(user=None, membership=None, name="restore")
    for chunk in _chunks(named.get("person", {})):
        with transaction.atomic():
            by_rule: dict[str, list[Person]] = defaultdict(list)
            for person in Person.objects.select_for_update().filter(pk__in=chunk).order_by("pk"):
                by_rule[named["person"][person.pk]].append(person)
            for rule, persons in sorted(by_rule.items()):
                done += erase.delete_persons(
                    persons, rule, actor, purpose=f"{rule}: deleted again after a restore"
                )
    with transaction.atomic():
        # Records named on their own (old login records, idempotency records; or a record
        # whose person stayed).
        now = timezone.now()
        for kind, model in models_by_kind().items():
            if kind == "person":
                continue
            for chunk in _chunks(named.get(kind, {})):
                ids = list(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
                if not ids:
                    continue
                journal.record(
                    [
                        Tombstone(kind=kind, record_id=pk, rule=named[kind][pk], deleted_at=now)
                        for pk in ids
                    ]
                )
                rows = model.objects.filter(pk__in=ids)
                if kind == "registration":
                    rows.update(supersedes=None)
                rows.delete()
                done[kind] += len(ids)
        _keep(entries)
    return done


def _keep(entries: list[dict]) -> None:
    """The journal's tombstones that the restored database does not have (deletions after
    the backup was taken), so its record of what was deleted is complete again."""
    have = set(Tombstone.objects.values_list("kind", "record_id"))
    missing = {}
    for entry in entries:
        key = (entry["kind"], int(entry["record_id"]))
        if key not in have and key not in missing:
            missing[key] = Tombstone(
                kind=entry["kind"],
                record_id=key[1],
                rule=entry["rule"],
                deleted_at=parse_datetime(entry["deleted_at"]),
            )
    Tombstone.objects.bulk_create(missing.values(), batch_size=1000)


def highest_ids(entries: list[dict]) -> dict[type[models.Model], int]:
    """{model: the highest id a tombstone names}: the id counters must pass these."""
    kinds = models_by_kind()
    highest: dict[type[models.Model], int] = {}
    for entry in entries:
        model = kinds.get(entry["kind"])
        if model is not None:
            highest[model] = max(highest.get(model, 0), int(entry["record_id"]))
    return highest
