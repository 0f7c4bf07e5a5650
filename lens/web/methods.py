"""405 with an Allow header for a method a page does not accept, before the CSRF check.

The pages declare their methods with `require_GET`, `require_POST`, `require_safe` or
`require_http_methods`. Django's CSRF check (CsrfViewMiddleware.process_view) runs before
the view, so a PUT or DELETE on a page that only answers GET was refused as a CSRF failure
(403, the "Verzoek geweigerd" page), while a POST on the same page got 405 (the third
outside probe). This middleware, placed before the CSRF middleware, reads the methods the
view declares and answers 405 with Allow for any other, so every page refuses a method
the same way whatever CSRF would say.

OPTIONS is not answered (405) anywhere, as the REST API already decided
(lens.api.views.base.ApiView: there is nothing to discover that way); it is never in an
Allow header. HEAD reaches the views as GET (lens.web.head), which also adds HEAD to an
Allow header that names GET.

Views that declare no methods this middleware can read, and the REST API (which refuses
a method itself, with its JSON error), are left alone. A csrf-exempt page (the check's
form) is treated as any other: its decorator answers the same 405.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

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

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if in_api(request):
            return None  # the API's views and 404: they answer methods themselves
        allowed = declared_methods(view)
        if allowed is None or request.method in allowed:
            return None
        return HttpResponseNotAllowed([m for m in allowed if m != "OPTIONS"])
