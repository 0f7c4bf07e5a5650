"""Every API error as one JSON shape, with a machine-readable code:

    {"error": {"code": "invalid_input", "message": "English text",
               "fields": {"signals[0]": [{"code": "unknown_code", "message": "...",
                                          "value": "truancy_", "suggestions": ["truancy"]}]}}}

`code` is stable (clients branch on it); `message` is for people; `fields` maps each field
(dotted for nested fields, `[i]` for list items, `non_field_errors` for the body as a
whole) to its problems, each with a code of its own. Bad input is always a 4xx: the
handler turns DRF's exceptions, Django's Http404 / PermissionDenied / ValidationError
(from the actions layer) and the lens engine's InputError into this shape. Anything
else is a bug: logged with its traceback and answered as a JSON 500.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from lens.access.policy_cases import NotTheHandler
from lens.catalogue.services import NoCatalogueLoaded
from lens.rules.engine import InputError, InputProblem
from lens.web import busy

logger = logging.getLogger("lens.api")

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"
INVALID_INPUT_MESSAGE = "The request has errors; see `fields`."

# DRF's own codes, renamed where ours say more.
CODES = {
    "parse_error": "malformed_json",
    "authentication_failed": "invalid_token",
}
# The code of an error that DRF raises without one it names itself.
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    503: "unavailable",
}


class ApiError(exceptions.APIException):
    """An error with our own code, status and (optionally) field problems."""

    def __init__(self, status_code: int, code: str, message: str, fields=None):
        super().__init__(message, code)
        self.status_code = status_code
        self.error_code = code
        self.fields = fields or {}


class InvalidInput(ApiError):
    def __init__(self, fields: dict[str, list[dict[str, Any]]], message: str = ""):
        super().__init__(400, "invalid_input", message or INVALID_INPUT_MESSAGE, fields)


def body(code: str, message: str, fields: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": dict(fields or {})}}


@csrf_exempt  # a POST to a wrong path must get this 404, not the CSRF failure page
def not_found_view(request, *args, **kwargs) -> JsonResponse:
    """Any path under the API that names no operation: a JSON 404, not the HTML page."""
    response = JsonResponse(
        body("not_found", "There is no API operation at this path."), status=404
    )
    response["Cache-Control"] = "no-store"
    return response


def problem(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": str(message), **extra}


def drf_fields(detail: Any, prefix: str = "") -> dict[str, list[dict[str, Any]]]:
    """Flatten DRF's nested error detail into {"path": [problem, ...]}."""
    fields: dict[str, list[dict[str, Any]]] = {}

    def key(name: Any) -> str:
        if isinstance(name, int) or (isinstance(name, str) and name.isdigit()):
            return f"{prefix}[{name}]"
        return f"{prefix}.{name}" if prefix else str(name)

    if isinstance(detail, Mapping):
        for name, value in detail.items():
            for path, problems in drf_fields(value, key(name)).items():
                fields.setdefault(path, []).extend(problems)
    elif isinstance(detail, list) and any(isinstance(item, Mapping) for item in detail):
        for index, value in enumerate(detail):  # a list of nested objects
            if value:
                for path, problems in drf_fields(value, key(index)).items():
                    fields.setdefault(path, []).extend(problems)
    else:
        items = detail if isinstance(detail, list) else [detail]
        fields[prefix or NON_FIELD] = [
            problem(getattr(item, "code", None) or "invalid", item) for item in items
        ]
    return fields


def django_fields(error: DjangoValidationError) -> dict[str, list[dict[str, Any]]]:
    """The actions layer's ValidationError (messages per field) in our shape."""
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if name == "__all__" else name): [
                problem(e.code or "invalid", message) for e in errors for message in e.messages
            ]
            for name, errors in error.error_dict.items()
        }
    return {
        NON_FIELD: [problem(e.code or "invalid", m) for e in error.error_list for m in e.messages]
    }


def input_problems(
    problems: Iterable[InputProblem], language: str = ""
) -> dict[str, list[dict[str, Any]]]:
    """The lens engine's InputError problems in our shape, with the closest known codes;
    with a `language` ("nl", "en": an operation's `lang`), each reason in that language."""
    fields: dict[str, list[dict[str, Any]]] = {}
    for p in problems:
        code = _input_code(p)
        extra: dict[str, Any] = {"value": p.value}
        if code == "unknown_code":
            extra["suggestions"] = list(p.suggestions)
        message = _reason(p, language)
        fields.setdefault(p.field or NON_FIELD, []).append(problem(code, message, **extra))
    return fields


def _reason(p: InputProblem, language: str) -> str:
    """The problem's reason in `language` (its marked text translated, its values filled
    in), or the English message without one."""
    if not language or not p.text:
        return p.message
    with translation.override(language):
        return _(p.text) % dict(p.args)


# The engine's lists of codes, and what their codes are codes of.
CODE_LISTS = {
    "signals": "signal",
    "unknown": "signal",
    "absent": "signal",
    "risk_factors": "risk factor",
}


# What an unknown code was sent as a code of (CODE_LISTS), in a sentence per kind.
NOT_A_CODE = {
    "signal": gettext_noop("%(value)r is not a signal code of the active catalogue."),
    "risk factor": gettext_noop("%(value)r is not a risk factor code of the active catalogue."),
    "organisation type": gettext_noop(
        "%(value)r is not an organisation type code of the active catalogue."
    ),
}


def sent_problems(
    problems: Iterable[InputProblem], data: Any, language: str = ""
) -> dict[str, list[dict[str, Any]]]:
    """input_problems for the body `data` they were found in: an unknown code keyed by the
    item that sent it ("unknown[1]", "signals[0].organisation_type"), as every other
    operation keys it, with its reason in `language` (English without one)."""
    fields = input_problems(problems, language)
    moved: dict[str, list[dict[str, Any]]] = {}
    used: set[str] = set()
    for name, items in fields.items():
        for item in items:
            path = _sent_path(name, item, data, used) if item["code"] == "unknown_code" else None
            if path is None:
                moved.setdefault(name, []).append(item)
                continue
            used.add(path)
            noun = CODE_LISTS.get(name, "organisation type")
            with translation.override(language or "en"):
                item["message"] = _(NOT_A_CODE[noun]) % {"value": item["value"]}
            moved.setdefault(path, []).append(item)
    return moved


def _sent_path(name: str, item: dict[str, Any], data: Any, used: set[str]) -> str | None:
    """Where in `data` the unknown code of `item` (found in the engine's field `name`)
    was sent: the first place not named yet, or None."""
    if not isinstance(data, Mapping):
        return None
    value = item["value"]
    if name in CODE_LISTS:
        sent = data.get(name)
        for index, entry in enumerate(sent if isinstance(sent, list) else []):
            code = entry.get("code") if isinstance(entry, Mapping) else entry
            if code == value and f"{name}[{index}]" not in used:
                return f"{name}[{index}]"
    elif name == "organisation_type":
        sent = data.get("signals")
        for index, entry in enumerate(sent if isinstance(sent, list) else []):
            path = f"signals[{index}].organisation_type"
            if isinstance(entry, Mapping) and entry.get(name) == value and path not in used:
                return path
    return None


def _input_code(p: InputProblem) -> str:
    # InputProblem carries no code of its own; its messages are fixed texts of
    # lens.rules.inputs / engine.check_input (tests/api/test_errors.py pins them).
    if p.code:
        return p.code
    if p.message.startswith("unknown keys"):
        return "unknown_field"
    if p.message.startswith("unknown "):
        return "unknown_code"
    if p.field == "observed_on":
        return "date_after_assessment"
    if "required" in p.message:
        return "required"
    return "invalid"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every exception of an API view -> our JSON."""
    response = _response(exc, context)
    set_rollback()
    response["Cache-Control"] = "no-store"
    return response


def _response(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.", code="not_found")
    elif isinstance(exc, NotTheHandler):  # the case's own organisation, not its handler
        exc = exceptions.PermissionDenied(
            "Only the case's handler or the aandachtsfunctionaris may do this; the case is "
            "handled by someone else in your organisation.",
            code="permission_denied",
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied("Your role may not do this.", code="permission_denied")
    if isinstance(exc, DjangoValidationError):
        fields = django_fields(exc)
        return Response(body("invalid_input", INVALID_INPUT_MESSAGE, fields), status=400)
    if isinstance(exc, InputError):
        return Response(
            body("invalid_input", INVALID_INPUT_MESSAGE, input_problems(exc.problems)), status=400
        )
    if busy.is_busy(exc):  # nothing written: the transaction was rolled back whole
        logger.warning("Busy database in API view: %s", exc)
        return Response(
            body(
                "busy",
                "The server was too busy to handle the request in time; nothing was saved. "
                "Send it again after the seconds in `Retry-After`.",
            ),
            status=503,
            headers={"Retry-After": str(busy.RETRY_AFTER)},
        )
    if isinstance(exc, NoCatalogueLoaded):
        return Response(
            body(
                "catalogue_unavailable",
                "No catalogue is loaded on the server: an administrator must run "
                "`lens catalogue load`.",
            ),
            status=503,
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            body(
                "body_too_large",
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
            ),
            status=413,
        )
    if isinstance(exc, SuspiciousOperation):
        return Response(body("bad_request", "The request was refused."), status=400)
    if isinstance(exc, ApiError):
        return Response(body(exc.error_code, str(exc.detail), exc.fields), status=exc.status_code)
    if isinstance(exc, exceptions.ValidationError):
        return Response(
            body("invalid_input", INVALID_INPUT_MESSAGE, drf_fields(exc.detail)), status=400
        )
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(math.ceil(exc.wait))  # whole seconds, never 0
        detail = exc.detail
        code = getattr(detail, "code", None) or STATUS_CODES.get(exc.status_code, "error")
        code = CODES.get(code, code)
        if isinstance(exc, exceptions.ParseError):
            message = f"The request body is not valid JSON: {detail}"
        else:
            message = str(detail)
        return Response(body(code, message), status=exc.status_code, headers=headers)
    view = context.get("view")
    logger.exception("Unhandled error in API view %s", type(view).__name__ if view else "?")
    return Response(
        body("server_error", "Something went wrong on the server; it was logged."),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
