"""The API's permission table: every operation (by its OpenAPI operation_id), per role.

The same shape as `lens.access.routes.ROUTES` (operation id -> `Permission`), with the
roles of person-data operations derived from the access policy, so the table and the
policy cannot disagree. An API client acts as a professional of its organisation
(`lens.access.actor.Actor.role`).

Enforced, not only documented: every API view has `OperationPermission`, which looks
up the operation's entry (an operation missing here is a configuration error, never an
open door) and answers 403 unless the entry allows the actor (`Permission.allows`, as the
pages' `protected`: the role, and the declared action in its scope). The object-level decision
(404 for another organisation's person) stays with `lens.access.policy`.
tests/api/test_permissions.py fails when an operation of the schema is missing here, or
an entry here names no operation.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission

from lens.access.models import Action
from lens.access.routes import LOGGED_IN, Permission, person_data

# Operation id -> permission. Keep in the order of lens/api/urls.py.
API_OPERATIONS: dict[str, Permission] = {
    "persons_list": person_data(Action.LIST),
    "persons_register": person_data(Action.CREATE),
    "persons_retrieve": person_data(Action.READ),
    "registrations_create": person_data(Action.CREATE),
    "registrations_correct": person_data(Action.CHANGE),
    "registrations_withdraw": person_data(Action.WITHDRAW),
    "informed_record": person_data(Action.CHANGE),
    "identity_reveal": person_data(Action.REVEAL),
    # The case report (PDF); with identity=true the reveal asks REVEAL (lens.access.reveal).
    "case_report": person_data(Action.READ),
    # The anonymous lens engine: no person data, but only for a valid client.
    "assess": LOGGED_IN,
}


def permission_for(operation_id: str) -> Permission:
    try:
        return API_OPERATIONS[operation_id]
    except KeyError:
        raise ImproperlyConfigured(
            f"The API operation {operation_id!r} is not in lens.api.permissions.API_OPERATIONS: "
            "declare who may call it."
        ) from None


def operation_id_of(view, method: str) -> str | None:
    """The operation id of the view's handler for `method`; None when it has no handler
    of ours (the view then answers 405)."""
    handler = getattr(view, method.lower(), None)
    # HEAD and OPTIONS are no operations: HEAD reaches the view as a GET
    # (lens.web.head), OPTIONS answers 405 (lens.api.views.base.ApiView).
    if handler is None or method.upper() in ("HEAD", "OPTIONS"):
        return None
    operation_id = getattr(handler, "operation_id", None)
    if operation_id is None:
        raise ImproperlyConfigured(
            f"{type(view).__name__}.{method.lower()} has no operation id: decorate it with "
            "lens.api.views.operation(...)."
        )
    return operation_id


class OperationPermission(BasePermission):
    """403 unless the operation's entry of API_OPERATIONS allows the actor: its role and
    the declared action (`Permission.allows`, the pages' check)."""

    message = "Your role may not do this."
    code = "permission_denied"

    def has_permission(self, request, view) -> bool:
        operation_id = operation_id_of(view, request.method)
        if operation_id is None:
            return True
        permission = permission_for(operation_id)
        return permission.allows(view.actor)
