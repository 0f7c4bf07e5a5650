"""Lists people can work with: a page of rows, and the choices above a list (sort order,
filters) read from the query string by whitelisted values, so that a view can be shared
as a link and anything else in the URL is ignored rather than refused.

Pages pass the controls to "includes/list_controls.html" (one GET form, no JavaScript)
and the page to "registry/includes/pagination.html", which keeps every other choice in
its links (Django's {% querystring %})."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from lens.web import pages

PAGE_PARAMETER = "pagina"


@dataclass(frozen=True)
class Control:
    """One select above a list: its query-string name, its label, its (value, label)
    options, and the value chosen in this request (always one of the options)."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    chosen: str

    @property
    def field_id(self) -> str:
        return f"id_{self.name}"


def control(
    request: HttpRequest, name: str, label: str, options: Sequence[tuple[str, str]]
) -> Control:
    """The control `name` with the value the request asks for, or the first option's when
    it asks for nothing or for a value that is not an option."""
    values = [value for value, _label in options]
    asked = request.GET.get(name, "")
    return Control(
        name=name,
        label=label,
        options=tuple(options),
        chosen=asked if asked in values else values[0],
    )


def page_of(request: HttpRequest, rows, size: int | None = None) -> Page:
    """The page the request asks for (?pagina=N); the last page for a number past the end
    and the first for anything that is not a number. `size` defaults to the shared
    page size (lens.web.pages.PAGE_SIZE)."""
    return Paginator(rows, size or pages.PAGE_SIZE).get_page(request.GET.get(PAGE_PARAMETER))
