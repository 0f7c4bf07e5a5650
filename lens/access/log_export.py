"""Reading and exporting the access log: the entries of one person ("wie heeft dit
ingezien"), as flat rows, as CSV without formulas. Writing the chain is lens.access.log,
which re-exports these.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from lens.access.models import AccessLogEntry
from lens.data.cells import defused

if TYPE_CHECKING:
    from lens.data.registry import Person

# The columns of an export (`export_rows`), in order: what happened, by whom, when, why.
EXPORT_COLUMNS = (
    "id",
    "at",
    "username",
    "role",
    "organisation_name",
    "person_pseudonym",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "api_client",
    "ip_address",
    "user_agent",
)


def entries_for_person(person: Person | str) -> QuerySet[AccessLogEntry]:
    """Every access to one person's data, oldest first ("wie heeft dit ingezien").

    Takes a Person, or a pseudonym: the log keeps the pseudonym as text, so it still
    answers after the person's data were deleted (retention). A Person's entries are
    found through the index on `person_id`; a pseudonym's (`lens accesslog export`, an
    operator's rare request) by reading the whole log: no index on the pseudonym makes
    every write of the log pay for it (migration 0004).
    """
    if isinstance(person, str):
        return AccessLogEntry.objects.filter(person_pseudonym=person).order_by("id")
    return AccessLogEntry.objects.filter(person_id=person.pk).order_by("id")


def write_csv(rows: Iterable[dict[str, Any]], stream: Any, lineterminator: str = "\r\n") -> None:
    """Write export rows as CSV, every field quoted, with no formula in any cell.

    The text comes from outside (a purpose, a user agent) and the reader's spreadsheet may
    split on ';' (Dutch Excel), a tab or a line break: every value goes through `defused`
    (lens.data.cells), which puts an apostrophe before a formula character at the start
    of a field or right after one of those breaks. Other exports use the same function
    (lens.picture.tables, `lens audit export`); `defused` is importable from here too.
    """
    writer = csv.DictWriter(
        stream, fieldnames=EXPORT_COLUMNS, lineterminator=lineterminator, quoting=csv.QUOTE_ALL
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({name: defused(value) for name, value in row.items()})


def export_rows(queryset: QuerySet[AccessLogEntry]) -> Iterator[dict[str, Any]]:
    """The entries as flat dicts with the keys of EXPORT_COLUMNS, for CSV or JSON.

    Values are text (the time in ISO 8601, local time with offset), except `id`.
    """
    for entry in queryset.iterator(2000):
        yield {
            "id": entry.pk,
            "at": timezone.localtime(entry.at).isoformat(timespec="seconds"),
            "username": entry.username,
            "role": entry.role,
            "organisation_name": entry.organisation_name,
            "person_pseudonym": entry.person_pseudonym,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "purpose": entry.purpose,
            "api_client": entry.api_client,
            "ip_address": entry.ip_address or "",
            "user_agent": entry.user_agent,
        }
