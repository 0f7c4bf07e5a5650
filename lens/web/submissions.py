"""Idempotent submissions: the same form or API request sent twice writes once.

A web form that writes carries a hidden submission key (a random value made when the
form is shown); an API request may carry an `Idempotency-Key` header. `once()` runs the
write and stores the key with the request's fingerprint and a reference to the result
(ids and a status, never the content) in a Submission row, in the same transaction as
the write. The unique constraint on (user, key) settles a race: on PostgreSQL a second
insert with the same key waits until the first transaction ends and then fails, on
SQLite writers are serialised anyway. The second submission then gets the first one's
result (`replayed=True`) instead of writing again.

A write that fails (a ValidationError, an API error) rolls the key back with it, so the
same key may be sent again once the input is right. A key sent again with other content
is refused (KeyReused): it is a client error, not a second submission.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from lens.data.registry import Submission

if TYPE_CHECKING:
    from lens.access.actor import Actor

KEY_MAX = 255
FORM_FIELD = "submission_key"
# Fields of a posted form that say nothing about what is submitted.
NOT_CONTENT = ("csrfmiddlewaretoken", FORM_FIELD)


class KeyReused(Exception):
    """The key was used before for a request with other content."""


@dataclass(frozen=True)
class Outcome:
    result: dict[str, Any]
    replayed: bool


def new_key() -> str:
    return secrets.token_urlsafe(24)


def key_is_valid(key: str) -> bool:
    """1 to 255 visible ASCII characters (what an HTTP header can carry unchanged)."""
    return 0 < len(key) <= KEY_MAX and all(33 <= ord(c) <= 126 for c in key)


def fingerprint(method: str, path: str, content: Any) -> str:
    """SHA-256 over the method, the path and the content in a canonical JSON form."""
    text = json.dumps([method, path, content], sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def form_content(items: Iterable[tuple[str, list[str]]]) -> dict[str, list[str]]:
    """A posted form's fields (QueryDict.lists()) without the CSRF token and the key."""
    return {name: sorted(values) for name, values in items if name not in NOT_CONTENT}


def once(actor: Actor, key: str, fingerprint: str, write: Callable[[], dict[str, Any]]) -> Outcome:
    """Run `write` (which returns a JSON-able reference to its result) once per key.

    Without a key, `write` simply runs. With a key used before for the same content, the
    earlier result is returned with replayed=True and nothing is written; for other
    content KeyReused is raised. Call it outside any transaction: the key must be
    committed together with the write, and a replay must see the other's commit.
    """
    if not key:
        return Outcome(write(), replayed=False)
    user = actor.author()
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the duplicate must not end the outer one
                claim = Submission.objects.create(user=user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            earlier = Submission.objects.get(user=user, key=key)
            if earlier.fingerprint != fingerprint:
                raise KeyReused from None
            return Outcome(earlier.result, replayed=True)
        result = write()
        claim.result = result
        claim.save(update_fields=["result"])
        return Outcome(result, replayed=False)
