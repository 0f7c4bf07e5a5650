"""The access log (NEN 7513): record every access to person data, and check the record.

`record()` writes one AccessLogEntry in the caller's transaction, so the access and its
log entry commit or fail together: no access without a log entry. Each entry carries a
keyed hash (HMAC-SHA256 with ACCESS_LOG_KEY) over the previous entry's hash and its own
content, so `verify()` finds any entry that was changed, removed or inserted by someone
without the key. Database triggers (migration 0002) refuse UPDATE, DELETE and TRUNCATE.

One chain, one writer at a time: on PostgreSQL `record()` takes a transaction-level
advisory lock before reading the last entry, so two transactions can never both chain
onto the same entry; the lock is held until the caller's transaction ends, so keep
transactions that log short. On SQLite the project opens every transaction with BEGIN
IMMEDIATE (`transaction_mode` in settings), which takes the database's single write
lock at the start: writers are serialised before they read the last entry.

Reading the last entry under the lock assumes READ COMMITTED isolation (Django's
default on PostgreSQL): each statement then sees what earlier lock holders committed.

Ids may have gaps on PostgreSQL (a rolled-back insert still uses up a sequence number),
so `verify()` judges removals by the hash chain, not by the ids; it names missing ids
only to help find them. Removing the newest entries leaves an intact, shorter chain: to
catch that, pass the last hash that `lens accesslog verify` printed earlier
(`--expect-head`). `verify()` itself lives in lens/access/verify.py, reading and exporting
the entries in lens/access/log_export.py.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from json.encoder import encode_basestring as json_encode_string
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import NotSupportedError, connection
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from lens.access import log_sql

# Reading and exporting the log live in log_export; importable from here too, as is
# `defused` (lens.data.cells), which other exports use.
from lens.access.log_export import (  # noqa: F401 - re-exported
    EXPORT_COLUMNS,
    defused,
    entries_for_person,
    export_rows,
    write_csv,
)
from lens.access.matchkeys import require_own_secret
from lens.access.models import AccessLogEntry, Action

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.data.registry import Person

# The prev_hash of the first entry.
GENESIS_HASH = "0" * 64

# Key for pg_advisory_xact_lock: the bytes "LENS7513" as a bigint. Constant, so every
# process of every release takes the same lock.
ADVISORY_LOCK_ID = int.from_bytes(b"LENS7513", "big")

# Settings whose value ACCESS_LOG_KEY must not share.
OTHER_SECRETS = ("SECRET_KEY", "MATCH_KEY_SECRET")

# File in VAR_DIR for the development key (DEBUG on and ACCESS_LOG_KEY unset).
DEV_KEY_FILENAME = "access-log.key"

# Every field the hash covers, in the order of the model: all but `id` and `entry_hash`.
# A test checks that this matches the model, so a new field is a deliberate choice (old
# entries were hashed without it).
HASHED_FIELDS = (
    "at",
    "user_id",
    "username",
    "role",
    "organisation_id",
    "organisation_name",
    "person_id",
    "person_pseudonym",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "ip_address",
    "user_agent",
    "api_client",
    "prev_hash",
)

# The columns an entry's INSERT writes (`id` comes from the database).
INSERTED_FIELDS = (*HASHED_FIELDS, "entry_hash")


@functools.cache
def _columns() -> list[str]:
    """The model's columns in its order (Model.from_db builds an entry from them)."""
    return [field.attname for field in AccessLogEntry._meta.concrete_fields]


def record(
    actor: Actor,
    action: Action | str,
    *,
    person: Person | None = None,
    object_type: str = "",
    object_id: str | int = "",
    purpose: str,
) -> AccessLogEntry:
    """Write one access-log entry in the caller's transaction and return it.

    Call inside `transaction.atomic()`: the entry and the access it records commit or roll
    back together. Raises when it cannot write (the exception propagates; nothing is
    returned), so the caller's transaction fails with it. `purpose` (why) is required and
    may not be blank: NEN 7513 asks it of every entry.
    """
    return record_many(actor, action, [(person, object_type, object_id)], purpose=purpose)[0]


def record_many(
    actor: Actor,
    action: Action | str,
    reads: Iterable[tuple[Person | None, str, str | int]],
    *,
    purpose: str,
) -> list[AccessLogEntry]:
    """Write one entry per (person, object_type, object_id) in `reads`, as `record` does,
    under one lock acquisition and in one bulk insert: what a list page shows costs the
    same few queries whether it shows 10 rows or 50. The entries chain in the given order.
    Returns the entries (built as if read back; `write_many` writes without them)."""
    columns = _columns()
    alias = connection.alias
    return [
        AccessLogEntry.from_db(alias, columns, [values[n] for n in columns])
        for values in write_many(actor, action, reads, purpose=purpose)
    ]


def write_many(
    actor: Actor,
    action: Action | str,
    reads: Iterable[tuple[Person | None, str, str | int]],
    *,
    purpose: str,
) -> list[dict[str, Any]]:
    """The one writer of the chain: `record_many` without the model instances, for a
    caller that does not use them (a list page logging the rows it shows: 25 instances a
    page). Returns each entry's values by field, its id included."""
    if not connection.in_atomic_block:
        raise TransactionManagementError(
            "lens.access.log.record() must be called inside transaction.atomic(), so that "
            "the access and its log entry commit or fail together."
        )
    action = Action(action)  # ValueError for an unknown action
    if not purpose.strip():
        # NEN 7513: every entry says why. The callers know (a page, an action, a command).
        raise ValueError("purpose is required: say why the data are accessed")
    reads = list(reads)
    if not reads:
        return []
    common = _common(actor, action, purpose)  # the same for every entry of this call
    own = [
        {
            "person_id": person.pk if person is not None else None,
            "person_pseudonym": person.pseudonym if person is not None else "",
            "object_type": _checked("object_type", object_type),
            "object_id": _checked("object_id", str(object_id)),
        }
        for person, object_type, object_id in reads
    ]
    # The hashed content of the common fields, once per call (`_Members` writes each
    # entry's message with them: the bytes `_message` gives for the stored entry).
    hashed = {name: _canonical(name, value) for name, value in common.items()}
    key = signing_key()
    _lock_chain()
    last = log_sql.last_hash() or GENESIS_HASH
    # Taken under the lock, so times rise with the ids.
    at = timezone.now()
    hashed["at"] = _canonical("at", at)
    # Each entry's values by field: `record_many` builds the entries from them as if read
    # back (Model.from_db, positional: much cheaper per entry than keyword arguments), and
    # the INSERT passes the same values in the database's form.
    shared = {**common, "at": at}
    database = {name: log_sql.adapted(name, shared[name]) for name in ("at", "ip_address")}
    members = _Members(hashed)
    signer = hmac.new(key, digestmod=hashlib.sha256)
    rows, inserted = [], []
    for fields in own:
        mac = signer.copy()
        mac.update(members.message(last, fields))
        digest = mac.hexdigest()
        values = {**shared, **fields, "prev_hash": last, "entry_hash": digest}
        rows.append(values)
        inserted.append([database.get(name, values[name]) for name in INSERTED_FIELDS])
        last = digest
    ids = log_sql.insert(inserted, INSERTED_FIELDS)
    for pk, values in zip(ids, rows, strict=True):
        values["id"] = pk
    return rows


def _common(actor: Actor, action: Action, purpose: str) -> dict[str, Any]:
    """The fields of an unsaved entry (no time, no hashes yet) that depend on who reads
    and why, not on what: worked out once per call of `record_many`, not per row."""
    organisation = actor.organisation
    user = actor.user
    api_client = actor.api_client
    return {
        "user_id": user.pk if user is not None else None,
        "username": _fit("username", actor.username),
        "role": str(actor.role or ""),
        "organisation_id": organisation.pk if organisation is not None else None,
        "organisation_name": _fit("organisation_name", organisation.name if organisation else ""),
        "action": action.value,
        "purpose": _checked("purpose", purpose),
        "ip_address": _ip(actor.ip_address),
        "user_agent": _fit("user_agent", actor.user_agent or ""),
        "api_client": _fit("api_client", api_client.name if api_client is not None else ""),
    }


@functools.cache
def _max_length(name: str) -> int:
    return AccessLogEntry._meta.get_field(name).max_length


def _checked(name: str, value: str) -> str:
    """`value` for the column `name`; ValueError for text the column cannot hold (SQLite
    would store it, PostgreSQL would refuse it: refused everywhere)."""
    limit = _max_length(name)
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    if "\x00" in value:
        raise ValueError(f"{name} contains a NUL character")
    return value


def entry_hash(entry: AccessLogEntry, key: bytes) -> str:
    """HMAC-SHA256(key, prev_hash || canonical content), as 64 hex characters."""
    return hmac.new(key, _message(entry), hashlib.sha256).hexdigest()


def signing_key() -> bytes:
    """The secret for the hash chain: ACCESS_LOG_KEY, or a development key with DEBUG on."""
    if settings.ACCESS_LOG_KEY:
        require_own_secret("ACCESS_LOG_KEY", settings.ACCESS_LOG_KEY, OTHER_SECRETS)
        return settings.ACCESS_LOG_KEY.encode()
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "ACCESS_LOG_KEY must be set when DEBUG is off: the access log's hash chain needs "
            "a secret of its own (for example `python -c 'import secrets; "
            "print(secrets.token_hex(32))'`)."
        )
    return _development_key(Path(settings.VAR_DIR) / DEV_KEY_FILENAME)


def _message(entry: AccessLogEntry) -> bytes:
    """prev_hash followed by a canonical JSON serialisation of every hashed field.

    The values are normalised so that what comes back from either database serialises
    exactly as what was written: times in UTC with microseconds, addresses as Python
    writes them.
    """
    content = {name: _canonical(name, getattr(entry, name)) for name in HASHED_FIELDS}
    return _serialised(entry.prev_hash, content)


def _serialised(prev_hash: str, content: dict[str, Any]) -> bytes:
    serialised = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return prev_hash.encode("ascii") + serialised.encode("utf-8")


# The fields that differ between the entries of one `write_many` call; the others are
# the same for all of them (`_common` and the time).
_PER_ENTRY = ("person_id", "person_pseudonym", "object_type", "object_id", "prev_hash")


def _json(value: Any) -> str:
    """`value` (a `_canonical` one) as `json.dumps(..., ensure_ascii=False)` writes it,
    also inside an object (the C encoder's own string function)."""
    if value is None:
        return "null"
    if type(value) is str:
        return json_encode_string(value)
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


class _Members:
    """`_serialised` for the entries of one `write_many` call, without a `json.dumps` of
    the whole object per entry (25 on a list page): the members that all entries share
    are written once, in the order `sort_keys` gives, into a format string that each
    entry fills with its own. The same bytes (tests/access/test_log.py compares them)."""

    def __init__(self, shared: dict[str, Any]):
        parts = []
        for name in sorted((*shared, *_PER_ENTRY)):
            if name in _PER_ENTRY:
                parts.append(json_encode_string(name) + ":{}")
            else:
                member = f"{json_encode_string(name)}:{_json(shared[name])}"
                parts.append(member.replace("{", "{{").replace("}", "}}"))
        self.template = "{{" + ",".join(parts) + "}}"
        self.own = sorted(_PER_ENTRY)

    def message(self, prev_hash: str, fields: dict[str, Any]) -> bytes:
        """prev_hash and the serialised content of the entry with `fields` (its values of
        the fields in _PER_ENTRY, but prev_hash) and `prev_hash`."""
        values = {**fields, "prev_hash": prev_hash}
        body = self.template.format(*(_json(_canonical(n, values[n])) for n in self.own))
        return prev_hash.encode("ascii") + body.encode("utf-8")


def _canonical(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "at":
        assert isinstance(value, datetime)
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if name == "ip_address":
        return _ip(value)
    if name in ("user_id", "organisation_id", "person_id"):
        return int(value)
    return str(value)


def _ip(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return _normalised_ip(str(value))


@functools.lru_cache(maxsize=1024)
def _normalised_ip(value: str) -> str:
    """An address as Python writes it (ValueError for one that is not): once per address,
    not once per entry and again for its hash."""
    return str(ipaddress.ip_address(value))


def _fit(name: str, value: str) -> str:
    """Text from the environment (names, user agents) as the column can hold it: cut to
    its length, and a NUL (PostgreSQL refuses it in text; a client can put one in its user
    agent) replaced by U+FFFD, so that what the client sent cannot stop the log."""
    return value.replace("\x00", "\ufffd")[: _max_length(name)]


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
    elif connection.vendor != "sqlite":
        # SQLite: BEGIN IMMEDIATE (settings) already serialises writers.
        raise NotSupportedError(
            f"The access log supports SQLite and PostgreSQL, not {connection.vendor}."
        )


def _development_key(path: Path) -> bytes:
    """Read the development key, creating it (mode 0600) the first time."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write a temporary file, then link it into place: another process starting at the same
    # moment either wins the link or reads the complete file of the one that did.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".access-log-key-")
    try:
        with os.fdopen(descriptor, "w") as file:  # mkstemp creates it with mode 0600
            file.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another process was first: use theirs
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"The development access-log key file {path} is empty.")
    return key.encode()
