"""HEAD answers as GET, without the body: the one place that decides it, for the pages
and the API alike (monitoring tools and link checkers send HEAD).

The views allow GET (`require_GET`, `require_http_methods`, the API's handlers); this
middleware, the outermost, hands them a HEAD request as a GET, so that every route that
answers GET answers HEAD with the same status and headers: the same login redirect, 403
and 404 for what GET refuses, nothing more revealed. What differs:

- no body: a streamed body is never iterated (a download is not made);
- no access-log entry for what was shown (lens.access.log.nothing_shown): a reply without
  a body shows nothing, so it logs no read. Nothing else is written that GET would not.

A view that can skip costly work for a HEAD (a PDF rendered, a download made) asks
`is_head`. An Allow header that names GET names HEAD too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lens.access.log import nothing_shown


def is_head(request: HttpRequest) -> bool:
    """Whether the client sent HEAD (the view sees GET): its reply's body is dropped."""
    return request.META.get("REQUEST_METHOD", "").upper() == "HEAD"


class HeadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD":
            return with_head_allowed(self.get_response(request))
        request.method = "GET"
        try:
            with nothing_shown():
                response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            response.streaming_content = []  # the original is never iterated
        else:
            response.content = b""  # Content-Length (set below us) stays GET's
        return with_head_allowed(response)


def with_head_allowed(response: HttpResponse) -> HttpResponse:
    allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.insert(allowed.index("GET") + 1, "HEAD")
        response["Allow"] = ", ".join(allowed)
    return response
