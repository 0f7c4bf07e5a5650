"""A method a page does not declare is refused by the page itself (405 with Allow), never
first by the CSRF check.

The pages declare their methods with `require_GET`, `require_POST`, `require_safe` or
`require_http_methods`, inside their access check (login, role): an anonymous visitor is
sent to the login page, a role that may not open the page gets 403, and only then does a
method the page does not take get 405 with an Allow header (tests/registry/test_routes.py).
But Django's CSRF check (CsrfViewMiddleware.process_view) runs before the view, so a PUT,
PATCH or DELETE on a page that only answers GET was refused as a CSRF failure (403, the
"Verzoek geweigerd" page), while the same page answered a POST with 405 (the third outside
probe). This middleware, placed before the CSRF middleware, reads the methods the view
declares and, for any other, lets the request past the CSRF check (as the test client
does): the view's own decorators then answer it, the same way for every method it does
not take. Nothing is done with such a request: the method decorator refuses it.

OPTIONS is answered 405 wherever the method check is reached, as the REST API decided
(lens.api.views.base.ApiView: there is nothing to discover that way); it is never in an
Allow header. HEAD reaches the views as GET (lens.web.head), which also adds HEAD to an
Allow header that names GET.

The REST API (which refuses a method itself, with its JSON error, and is exempt from
CSRF) and views that declare no methods this middleware can read are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from lens.web.bad_request import in_api


def declared_methods(view: Callable[..., Any]) -> tuple[str, ...] | None:
    """The methods a view declares with Django's require_* decorators (read from the
    decorator's closure, along the `__wrapped__` chain), or None when it declares none."""
    seen = 0
    func: Any = view
    while func is not None and seen < 20:
        code = getattr(func, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = func.__closure__[code.co_freevars.index("request_method_list")]
            return tuple(m.upper() for m in cell.cell_contents)
        func = getattr(func, "__wrapped__", None)
        seen += 1
    return None


class MethodMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> None:
        if in_api(request):
            return
        allowed = declared_methods(view)
        if allowed is not None and request.method not in allowed:
            # Not a request the view will act on: its decorator answers 405 (after the
            # access check), so the CSRF check has nothing to protect here.
            request._dont_enforce_csrf_checks = True  # CsrfViewMiddleware's own switch
