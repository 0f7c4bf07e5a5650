"""Lists people can work with: a page of rows, and the choices above a list (sort order,
filters) read from the query string by whitelisted values, so that a view can be shared
as a link.

A value the list does not know (a sort order or filter value that is not an option, a
page number that is not a number from 1, a page past the last) is never ignored in
silence: the list shows its default (the first option; the first page, or the last page
for a number past the end), says so in a notice above the list (`Control.notice`,
`page.notice`, shown by "includes/list_notices.html") and answers 400
(lens.web.pages.render), as the API does for the same link. An empty value is not asked
for anything and gets no notice.

Pages pass the controls to "includes/list_controls.html" (one GET form, no JavaScript)
and the page to "web/includes/pagination.html", which keeps every other choice in
its links (Django's {% querystring %})."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lens.web import pages

PAGE_PARAMETER = "pagina"
# The annotation that carries the length of the whole list on each row of a page
# (`page_of(..., count_with_rows=True)`).
TOTAL = "lens_list_total"
# The largest row offset a database is asked for: SQLite and PostgreSQL read LIMIT and
# OFFSET as signed 64-bit integers (a larger one is "datatype mismatch" or "bigint out of
# range"). A page that starts further on is past the end of any list this app keeps.
LAST_OFFSET = 2**62


@dataclass(frozen=True)
class Control:
    """One select above a list: its query-string name, its label, its (value, label)
    options, and the value chosen in this request (always one of the options);
    `refused` when the request asked for a value that is not an option, or (`repeated`)
    for more than one value: a list filters by one value, and taking the first or the last
    would show another view than the link seems to ask for."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    chosen: str
    refused: bool = False
    repeated: bool = False

    @property
    def field_id(self) -> str:
        return f"id_{self.name}"

    @property
    def notice(self) -> str:
        """What the page says when the link asked for a value that is not an option
        (never the value itself: it is shown by its label, the default's)."""
        if not self.refused:
            return ""
        default = dict(self.options)[self.chosen]
        return _(
            "The link asks for a choice under “%(label)s” that this list does not have; "
            "it shows “%(default)s” instead."
        ) % {"label": self.label, "default": default}


def control(
    request: HttpRequest, name: str, label: str, options: Sequence[tuple[str, str]]
) -> Control:
    """The control `name` with the value the request asks for, or the first option's when
    it asks for nothing or (refused, with a notice) for a value that is not an option."""
    values = [value for value, _label in options]
    every = request.GET.getlist(name)
    repeated = len(every) > 1
    asked = every[-1] if every else ""
    known = asked in values and not repeated
    return Control(
        name=name,
        label=label,
        options=tuple(options),
        chosen=asked if known else values[0],
        refused=(bool(asked) and not known) or repeated,
        repeated=repeated,
    )


def whole_number(value: str) -> int:
    """A number written in the digits 0-9 only: Python's int() also reads an Arabic-Indic
    or a full-width digit, which no form here offers (ValueError otherwise)."""
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"not a number in the digits 0-9: {value!r}")
    return int(value)


def page_of(
    request: HttpRequest,
    rows,
    size: int | None = None,
    *,
    count_with_rows: bool = False,
    parameter: str = PAGE_PARAMETER,
    read: Callable[[int, int], list | None] | None = None,
) -> Page:
    """The page the request asks for (?pagina=N; `parameter`=N for a list that shares its
    page with another, such as the person page's timeline). The first page for no number,
    and, with a notice (`page.notice`), for anything that is not a number from 1; the last page,
    with a notice, for a number past the end. `size` defaults to the shared page size
    (lens.web.pages.PAGE_SIZE).

    `count_with_rows` (for a queryset without DISTINCT or UNION): the page's rows and the
    length of the list come in one query instead of two, each row carrying the count of
    all rows (`COUNT(*) OVER ()`, worked out before the LIMIT). When the asked page has no
    rows (past the end, an empty list) the list is counted on its own, as without it.
    `read(bottom, size)`, with `count_with_rows`: those rows of `counted(rows)` read
    another way than by slicing `rows` (a query compiled once), or None to slice them."""
    paginator = Paginator(rows, size or pages.PAGE_SIZE)
    asked = request.GET.get(parameter, "").strip()
    notice = ""
    try:
        number = whole_number(asked) if asked else 1
    except ValueError:
        number = 0
    if number < 1:
        number = 1
        notice = _(
            "The page number in the link is not a page of this list; it shows the first page."
        )
    if count_with_rows and isinstance(rows, QuerySet):
        page = _page_with_its_count(paginator, rows, number, read)
        if page is not None:
            return _named(page, notice, parameter)
        if number == 1:  # no rows on the first page: the list is empty, nothing to count
            paginator.__dict__["count"] = 0
            return _named(Page([], 1, paginator), notice, parameter)
    if number > paginator.num_pages:
        last = paginator.num_pages
        number = last
        notice = ngettext(
            "This list has only %(last)s page; it is shown.",
            "This list has only %(last)s pages; it shows the last one.",
            last,
        ) % {"last": last}
    return _named(paginator.page(number), notice, parameter)


def _named(page: Page, notice: str, parameter: str) -> Page:
    """The page with its notice and, for "web/includes/pagination_named.html", the
    query-string changes to its neighbours under its own parameter."""
    page.notice = notice  # type: ignore[attr-defined]
    page.previous_query = (  # type: ignore[attr-defined]
        {parameter: page.previous_page_number()} if page.has_previous() else None
    )
    page.next_query = (  # type: ignore[attr-defined]
        {parameter: page.next_page_number()} if page.has_next() else None
    )
    return page


def counted(rows: QuerySet) -> QuerySet:
    """`rows`, each with the length of the whole list (`COUNT(*) OVER ()`) as TOTAL."""
    return rows.annotate(**{TOTAL: Window(Count("*"))})


def _page_with_its_count(
    paginator: Paginator,
    rows: QuerySet,
    number: int,
    read: Callable[[int, int], list | None] | None = None,
) -> Page | None:
    """Page `number` of `rows` and the list's length from one query; None when that page
    has no rows (also when it starts past any offset the database reads: then the list is
    counted on its own and the caller falls back to its last page)."""
    bottom, size = (number - 1) * paginator.per_page, paginator.per_page
    if bottom + size > LAST_OFFSET:
        return None
    found = read(bottom, size) if read is not None else None
    if found is None:
        found = list(counted(rows)[bottom : bottom + size])
    if not found:
        return None
    # Paginator.count is a cached property: set, it is not asked of the database.
    paginator.__dict__["count"] = getattr(found[0], TOTAL)
    return Page(found, number, paginator)


def notices(controls: Sequence[Control] = (), page: Page | None = None) -> list[str]:
    """The notices of a list's controls and page, in the order they are shown."""
    found = [c.notice for c in controls if c.notice]
    if page is not None and getattr(page, "notice", ""):
        found.append(page.notice)  # type: ignore[attr-defined]
    return found
