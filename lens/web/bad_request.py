"""A form post Django cannot read (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS, more
files or bytes than allowed) answered with the project's 400 page, in Dutch first, with
DEBUG on as with it off (the third outside probe: a POST with 5000 fields got Django's
English debug page under DEBUG=1; with it off, Django's English "Bad Request (400)", as
the project had no 400 template).

Django raises these while the CSRF check reads the posted form (request.POST), and under
DEBUG answers with its technical page. This middleware, placed before the CSRF
middleware, reads the form first and, when that fails, answers with the project's
handler400 (Django's bad_request with lens/templates/400.html). The REST API (its own
JSON errors; it reads no forms) is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver, get_urlconf

API_NAMESPACE = "api"  # lens.access.routes.API_NAMESPACE (lens.web imports no app)

UNREADABLE = (TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig)


class UnreadablePostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method != "POST" or in_api(request):
            return None
        try:
            request.POST  # noqa: B018 (reading the form is the check)
        except UNREADABLE as exc:
            request._mark_post_parse_error()  # as Django does: POST is not read again
            handler = get_resolver(get_urlconf()).resolve_error_handler(400)
            return handler(request, exception=exc)
        return None


def in_api(request: HttpRequest) -> bool:
    """Whether the request is for the REST API (its URL namespace), which answers bad
    input and methods itself, in its JSON shape."""
    match = request.resolver_match
    return bool(match and match.namespaces and match.namespaces[0] == API_NAMESPACE)
