"""The API's permission table (lens.api.permissions.API_OPERATIONS) is complete and
enforced: every operation of the schema is in it, every entry names an operation, every
handler has an operation id, and an operation missing from it is refused."""

from __future__ import annotations

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from lens.access.policy import roles_for
from lens.access.routes import ROUTES, SIGNED_IN
from lens.api import permissions
from lens.api import urls as api_urls
from lens.data.registry import Role
from tests.api.conftest import error

# The web page doing the same as each API operation: both tables must agree.
SAME_AS_WEB = {
    "persons_list": "registry:persons",
    "persons_register": "registry:register",
    "persons_retrieve": "registry:person",
    "registrations_create": "registry:register_more",
    "registrations_correct": "registry:correct",
    "registrations_withdraw": "registry:withdraw",
    "informed_record": "registry:informed",
    "identity_reveal": "registry:reveal",
    "case_report": "cases:report",
}


def schema_operations() -> dict[str, tuple[str, str]]:
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        operation["operationId"]: (method.upper(), path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def api_handlers():
    """(view class, method, handler) for every handler of every API URL."""
    for pattern in api_urls.urlpatterns:
        view_class = getattr(pattern.callback, "cls", None)
        if view_class is None:
            continue  # the JSON 404 for unknown paths: no operation
        for method in view_class.http_method_names:
            handler = getattr(view_class, method, None)
            if handler is not None and method not in ("options", "head"):
                yield view_class, method, handler


def test_every_operation_in_the_schema_is_in_the_table():
    operations = schema_operations()
    missing = sorted(set(operations) - set(permissions.API_OPERATIONS))
    assert not missing, (
        f"API operations missing from lens.api.permissions.API_OPERATIONS: {missing} "
        f"({[operations[m] for m in missing]}): declare who may call them."
    )
    stale = sorted(set(permissions.API_OPERATIONS) - set(operations))
    assert not stale, f"Entries in API_OPERATIONS for operations that do not exist: {stale}"


def test_every_handler_has_an_explicit_operation_id_in_the_table():
    seen = []
    for view_class, method, handler in api_handlers():
        operation_id = getattr(handler, "operation_id", None)
        assert operation_id, f"{view_class.__name__}.{method} has no operation id"
        assert operation_id in permissions.API_OPERATIONS, operation_id
        assert view_class.permission_classes[-1] is permissions.OperationPermission
        seen.append(operation_id)
    assert len(seen) == len(set(seen)), "an operation id is used twice"
    assert set(seen) == set(permissions.API_OPERATIONS)


@pytest.mark.parametrize(("operation_id", "route"), sorted(SAME_AS_WEB.items()))
def test_api_and_web_tables_agree(operation_id, route):
    api, web = permissions.API_OPERATIONS[operation_id], ROUTES[route]
    assert api.action == web.action
    assert api.roles == web.roles == roles_for(api.action)


def test_api_clients_may_call_every_operation():
    """An API client acts as a professional: every operation must be open to that role
    (or to every client); otherwise it could not be called at all."""
    for operation_id, permission in permissions.API_OPERATIONS.items():
        assert Role.PROFESSIONAL in permission.roles or SIGNED_IN in permission.roles, operation_id
    assert set(SAME_AS_WEB) | {"assess"} == set(permissions.API_OPERATIONS)


def test_an_operation_missing_from_the_table_is_refused(ours, monkeypatch):
    monkeypatch.delitem(permissions.API_OPERATIONS, "persons_list")
    response = ours.api.get("/persons")
    assert response.status_code == 500  # a configuration error, never an open door
    assert error(response)["code"] == "server_error"
    assert "results" not in response.content.decode()


def test_the_api_checks_the_declared_action_in_its_scope_as_the_pages_do():
    """OperationPermission asks `Permission.allows`, as the pages' `protected`: the role
    alone would admit a professional without an organisation (the database refuses such a
    membership; this guards the API should one ever arrive), the declared action in the
    organisation's scope (policy.may) refuses them."""
    from types import SimpleNamespace

    from lens.access.actor import Actor
    from lens.data.registry import Membership, Organisation

    class Request:
        method = "GET"

    def handler():
        pass

    handler.operation_id = "persons_list"
    without = Actor(user=None, membership=Membership(role=Role.PROFESSIONAL))
    with_one = Actor(
        user=None,
        membership=Membership(role=Role.PROFESSIONAL, organisation=Organisation(pk=1)),
    )
    check = permissions.OperationPermission()
    assert permissions.API_OPERATIONS["persons_list"].admits(without.role)
    assert not check.has_permission(Request(), SimpleNamespace(get=handler, actor=without))
    assert check.has_permission(Request(), SimpleNamespace(get=handler, actor=with_one))
