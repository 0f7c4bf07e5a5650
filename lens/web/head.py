"""HEAD answers as GET, without the body: the one place that decides it, for the pages
and the API alike (monitoring tools and link checkers send HEAD).

The views allow GET (`require_GET`, `require_http_methods`, the API's handlers); this
middleware, the outermost, hands them a HEAD request as a GET, so that every route that
answers GET answers HEAD with the same status and headers: the same login redirect, 403
and 404 for what GET refuses, nothing more revealed. What differs:

- no body: a streamed body is never iterated (a download is not made).

A HEAD is logged in the access log exactly as its GET: the view runs and reads the same
person data, and the reply's Content-Length tells something of it (the second outside
probe: HEAD on a person page or a filtered local picture left no trace). Nothing is
written that GET would not write.

A view that can skip costly work for a HEAD (a PDF rendered, a download made) asks
`is_head`. An Allow header that names GET names HEAD too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
