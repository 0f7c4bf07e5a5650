"""A Django template as PDF bytes (WeasyPrint), for the reports that are made on request:
the analist's "lokaal beeld" (lens.picture.views.report) and the check's summary
(lens.check.views.summary_pdf). Nothing is stored; the caller sends the bytes.

No network, ever: WeasyPrint fetches what a document links (stylesheets, fonts, images)
through `StaticOnly`, which serves only the project's own static files (found as
`collectstatic` finds them, so also without it) and `data:` URIs, and refuses every other
URL (http, https elsewhere, file:). The documents link their static files relative to
STATIC_BASE; the print stylesheet (static/css/pdf.css: A4, the vendored Noto Sans of the
NL Design System example theme, its colours) is added to every document.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A base URL that resolves nowhere (.invalid is reserved, RFC 6761): relative links in the
# documents become STATIC_BASE + path, which StaticOnly maps to the static files.
STATIC_BASE = "https://lens.invalid/static/"
STYLESHEET = "css/pdf.css"
mimetypes.add_type("font/woff2", ".woff2")


class NotServed(ValueError):
    """A URL outside the project's static files (WeasyPrint skips the resource)."""


class StaticOnly(URLFetcher):
    """Serves STATIC_BASE + path from the project's static files and `data:` URIs;
    refuses every other URL without opening a connection."""

    def fetch(self, url: str, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)  # decoded in memory (urllib's DataHandler)
        if not url.startswith(STATIC_BASE):
            raise NotServed(f"Not a static file of the project: {url}")
        relative = url[len(STATIC_BASE) :].split("?", 1)[0].split("#", 1)[0]
        found = finders.find(relative) if relative and ".." not in relative else None
        if not found:
            raise NotServed(f"No such static file: {relative}")
        path = Path(found)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})


# Every PDF of the application is tagged (PDF/UA-1): read by screen readers, its
# structure and language known (WCAG 2.2 for documents).
TAGGED = "pdf/ua-1"


def render_pdf(
    template: str, context: dict, request: HttpRequest | None = None, *, variant: str = TAGGED
) -> bytes:
    """The template rendered in the current language, as PDF bytes. `variant`: the
    WeasyPrint PDF variant (tagged PDF/UA-1 unless told otherwise)."""
    html = render_to_string(template, context, request=request)
    fetcher = StaticOnly()
    fonts = FontConfiguration()  # the stylesheet's @font-face rules need one
    stylesheet = CSS(url=STATIC_BASE + STYLESHEET, url_fetcher=fetcher, font_config=fonts)
    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet], font_config=fonts, pdf_variant=variant
    )


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """The PDF as a download, never cached (it may hold what a user filled in)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
