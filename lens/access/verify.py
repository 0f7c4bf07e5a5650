"""Check the access log's hash chain from the values as the database stores them.

`verify()` reads the rows with plain SQL, not through the model: the model's field
conversions would crash on a malformed value (a user_id 'abc' on SQLite, a timestamp
'infinity' on PostgreSQL) or make two stored values look alike (int() makes 1.5 a 1).
Each value must be exactly what `log.record()` writes: an integer column holds an
integer, a text column text, the time and address in the form the log writes them, the
hashes 64 hexadecimal characters. A row with any other value is reported with the
column and the reason, as a changed row; the check goes on with the next row and never
stops at a bad one.

Removing the newest entries leaves a shorter chain that is intact: only the last hash
noted earlier can show it (`expect_head`).
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from django.db import connection

from lens.access import log
from lens.access.models import AccessLogEntry

HASH = re.compile(r"[0-9a-f]{64}")
INTEGER_FIELDS = ("user_id", "organisation_id", "person_id")  # all nullable
HASH_FIELDS = ("prev_hash", "entry_hash")
COLUMNS = ("id", *log.HASHED_FIELDS, "entry_hash")
BATCH = 2000


class Invalid(ValueError):
    """A stored value that `log.record()` cannot have written."""


def verify(expect_head: str | None = None) -> list[str]:
    """Check the whole log in id order; returns the problems in plain words, [] if intact.

    Reports each changed entry (its content does not match its hash, or a value is not
    what the log writes), each removal (an entry does not link to the entry before it) and
    each inserted entry (a row that does not match and that the next entry skips). With
    `expect_head`, the last hash an earlier check printed: also that it is still in the
    chain (entries removed from the end).
    """
    key = log.signing_key()
    problems: list[str] = []
    # The last entry that belongs to the chain (not an inserted one).
    anchor_id: int | None = None
    anchor_hash = log.GENESIS_HASH
    head_found = False
    rows = _with_next(_stored_rows())
    for (row_id, row, reasons), following in rows:
        matches = not reasons and hmac.compare_digest(log.entry_hash(row, key), row.entry_hash)
        what = "; ".join(reasons) if reasons else "de hash klopt niet met de inhoud"
        if matches:
            if row.prev_hash != anchor_hash:
                problems.append(_removed(anchor_id, row_id))
        elif following is not None and following[1].prev_hash == anchor_hash:
            problems.append(
                f"Regel {row_id} is ingevoegd: {what} en de volgende regel "
                f"({following[0]}) slaat deze regel over."
            )
            continue  # not part of the chain: the anchor stays
        else:
            if row.prev_hash != anchor_hash:
                problems.append(_removed(anchor_id, row_id))
            if following is None:
                problems.append(
                    f"Regel {row_id} (de laatste) is gewijzigd of buiten het logboek om "
                    f"toegevoegd: {what}."
                )
            else:
                problems.append(f"Regel {row_id} is gewijzigd: {what}.")
        head_found = head_found or (matches and row.entry_hash == expect_head)
        anchor_id, anchor_hash = row_id, row.entry_hash
    if expect_head is not None and not head_found:
        problems.append(
            f"De opgegeven laatste hash {expect_head} staat niet (meer) in het logboek: "
            "regels aan het eind zijn verwijderd, of de hash hoort bij een ander logboek."
        )
    return problems


def head() -> tuple[int, str] | None:
    """The newest entry's id and hash: note them outside the database."""
    return AccessLogEntry.objects.order_by("-id").values_list("id", "entry_hash").first()


def _stored_rows() -> Iterator[tuple[int, SimpleNamespace, list[str]]]:
    """Each row in id order as (id, values as record() wrote them, reasons it cannot be).

    A value that is not valid is left as stored (the row cannot match its hash then).
    """
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    names = [connection.ops.quote_name(name) for name in COLUMNS]
    at = names[COLUMNS.index("at")]
    if connection.vendor == "postgresql":
        # As text: psycopg refuses to load a timestamp such as 'infinity'.
        names[COLUMNS.index("at")] = f"{at}::text"
    else:
        # Past the sqlite3 module's converter for the declared type (it parses, and may
        # raise on, the text); a time that is not stored as text is reported as such.
        names[COLUMNS.index("at")] = (
            f"CASE typeof({at}) WHEN 'text' THEN {at} ELSE CAST({at} AS BLOB) END"
        )
    select = f"SELECT {', '.join(names)} FROM {table}"
    last_id = None
    while True:
        with connection.cursor() as cursor:
            if last_id is None:
                cursor.execute(f"{select} ORDER BY 1 LIMIT %s", [BATCH])
            else:
                cursor.execute(
                    f"{select} WHERE {names[0]} > %s ORDER BY 1 LIMIT %s", [last_id, BATCH]
                )
            batch = cursor.fetchall()
        for stored in batch:
            yield _typed(dict(zip(COLUMNS, stored, strict=True)))
        if len(batch) < BATCH:
            return
        last_id = batch[-1][0]


def _typed(stored: dict[str, Any]) -> tuple[int, SimpleNamespace, list[str]]:
    values: dict[str, Any] = {}
    reasons: list[str] = []
    for name in COLUMNS[1:]:
        raw = stored[name]
        try:
            values[name] = _value(name, raw)
        except Invalid as problem:
            values[name] = raw
            reasons.append(f"{name} {problem}")
    return stored["id"], SimpleNamespace(**values), reasons


def _value(name: str, raw: Any) -> Any:
    """The stored value as record() had it, or Invalid with the reason."""
    if raw is None:
        if name in INTEGER_FIELDS or name == "ip_address":
            return None
        raise Invalid("is leeg (NULL)")
    if name in INTEGER_FIELDS:
        if type(raw) is not int:  # not 1.5, not '1', not True
            raise Invalid(f"is geen geheel getal: {_shown(raw)}")
        return raw
    if not isinstance(raw, str):
        raise Invalid(f"is geen tekst: {_shown(raw)}")
    if name == "at":
        return _time(raw)
    if name == "ip_address":
        return _address(raw)
    if name in HASH_FIELDS and not HASH.fullmatch(raw):
        raise Invalid(f"is geen hash van 64 hexadecimale tekens: {_shown(raw)}")
    return raw


def _time(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"is geen tijdstip: {_shown(raw)}") from None
    if connection.vendor == "sqlite":
        # SQLite keeps text: it must be the text Django writes (UTC, without offset).
        written = None if moment.tzinfo else moment.replace(tzinfo=UTC)
        if written is None or connection.ops.adapt_datetimefield_value(written) != raw:
            raise Invalid(f"is niet geschreven zoals het logboek tijden schrijft: {_shown(raw)}")
        return written
    if moment.tzinfo is None:
        raise Invalid(f"is een tijdstip zonder tijdzone: {_shown(raw)}")
    return moment


def _address(raw: str) -> str:
    try:
        address = str(ipaddress.ip_address(raw))
    except ValueError:
        raise Invalid(f"is geen IP-adres: {_shown(raw)}") from None
    # PostgreSQL stores an address, not text: only SQLite can hold another spelling.
    if connection.vendor == "sqlite" and address != raw:
        raise Invalid(f"is niet geschreven zoals het logboek adressen schrijft: {_shown(raw)}")
    return address


def _shown(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 80 else text[:77] + "..."


def _removed(before_id: int | None, row_id: int) -> str:
    if before_id is None:
        return (
            f"Regels verwijderd vóór regel {row_id}: deze regel is de eerste die er nog is, "
            "maar verwijst naar een eerdere."
        )
    missing = ""
    if row_id - before_id == 2:
        missing = f" (ontbrekend nummer: {before_id + 1})"
    elif row_id - before_id > 2:
        missing = f" (ontbrekende nummers: {before_id + 1} t/m {row_id - 1})"
    return (
        f"Regels verwijderd tussen regel {before_id} en regel {row_id}{missing}: "
        f"regel {row_id} sluit niet aan op regel {before_id}."
    )


def _with_next(rows: Iterator[Any]) -> Iterator[tuple[Any, Any]]:
    """Each row with the one after it (None after the last)."""
    current = next(rows, None)
    while current is not None:
        following = next(rows, None)
        yield current, following
        current = following
