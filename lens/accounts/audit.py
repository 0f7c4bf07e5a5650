"""The audit record of the beheerder's and the operator's writes: who changed which
account, membership, organisation, API client or key, loaded or reactivated which
catalogue version, closed or recounted which period of the local picture, erased which
person record on request, when.

Every action that makes such a write calls `record()` inside its own transaction, so the
write and its record commit or fail together: no write without a record. The record is
append-only (database triggers, migration 0003). It names objects by type and id, never
by a person's identity; it holds no person data (the beheerder sees none).

Who: an `Operator`. On the web that is the logged-in user with their role; on the
command line (`lens users ...`) it is "the command line" with the operating-system user
that ran it, because a command has no logged-in user: whoever can run `lens` on the
server can already change the database. The same `Operator` is the user of the access-log
entries a command writes (`Actor(user=Operator.command_line(), membership=None)`), named
there "lens-cli:<os user>".
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from .models import AuditKind, AuditRecord

DETAILS_MAX = AuditRecord._meta.get_field("details").max_length


@dataclass(frozen=True)
class Operator:
    """Who makes a beheerder's write."""

    user_id: int | None = None
    username: str = ""
    role: str = ""
    os_user: str = ""

    @classmethod
    def command_line(cls) -> Operator:
        """The operator of a `lens` command: the operating-system user running it."""
        try:
            os_user = getpass.getuser()
        except (KeyError, OSError):  # no name for the uid (e.g. in a container)
            os_user = "?"
        return cls(os_user=os_user[:150])

    @classmethod
    def of_request(cls, request) -> Operator:
        """The logged-in user of a web request, in their active membership's role."""
        membership = getattr(request, "membership", None)
        return cls(
            user_id=request.user.pk,
            username=request.user.get_username(),
            role=str(membership.role) if membership else "",
        )

    @property
    def on_command_line(self) -> bool:
        return self.user_id is None

    # The access log's "user" (lens.access.actor.Actor.user) on the command line, so
    # that a command's reads and its writes name the same operator.
    @property
    def pk(self) -> int | None:
        return self.user_id

    def get_username(self) -> str:
        return f"lens-cli:{self.os_user}" if self.on_command_line else self.username


def record(
    by: Operator | None,
    kind: AuditKind,
    object_type: str,
    object_id: int | str | None = "",
    details: str = "",
) -> AuditRecord:
    """Write one audit record in the caller's transaction and return it.

    `by` None is the command line (Operator.command_line()). Must be called inside
    `transaction.atomic()`, so that the write and its record commit together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError(
            "audit.record() must run inside the transaction of the write it records."
        )
    by = by or Operator.command_line()
    return AuditRecord.objects.create(
        at=timezone.now(),
        user_id=by.user_id,
        username=by.username,
        role=by.role,
        os_user=by.os_user,
        kind=kind,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        details=details[:DETAILS_MAX],
    )
