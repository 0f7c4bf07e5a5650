"""The rows of the persons list (registry/persons.html), built in Python:
`{% load registry_rows %}{{ rows|person_rows }}`.

The list draws 25 rows of five cells; as template nodes that was about 15 variable and
tag renders a row (each resolving, escaping and localising its value), the largest part
of the page's template time. Here a row is one format_html call with the same markup:
every value escaped, the level badge and the date from lens_format as before.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from lens.web.templatetags.lens_format import day, level_badge, pseudonym

register = template.Library()

DASH = "\u2013"  # an en dash: no date, no count

ROW = (
    '<tr class="utrecht-table__row">\n'
    '          <th scope="row" class="utrecht-table__header-cell">'
    '<a class="utrecht-link utrecht-link--html-a" href="{}">{}</a></th>\n'
    '          <td class="utrecht-table__cell">{}</td>\n'
    '          <td class="utrecht-table__cell">{}</td>\n'
    '          <td class="utrecht-table__cell">{}</td>\n'
    '          <td class="utrecht-table__cell utrecht-table__cell--numeric-data">{}</td>\n'
    "        </tr>"
)


# ROW with its cells as one format string of plain f-string parts: the values go in
# escaped by `_escaped` (as format_html escapes them) or as the safe HTML of the helpers.
_ROW_START = ROW.split("{}")


@register.filter
def person_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """The table rows of the persons list (views.persons builds the row dicts)."""
    no_outcome = conditional_escape(gettext("no outcome yet"))
    before_url, before_pseudonym, before_age, before_level, before_day, before_spots, end = (
        _ROW_START
    )
    badges: dict[tuple[int, str], str] = {}  # the same few levels on every row
    out = []
    for row in rows:
        level = row["level"]
        if level is None:
            badge = no_outcome
        else:
            badge = badges.get((level, row["level_label"]))
            if badge is None:
                badge = badges[(level, row["level_label"])] = conditional_escape(
                    level_badge(level, row["level_label"])
                )
        blind_spots = row["blind_spots"]
        out.append(
            before_url
            + _escaped(row["url"])
            + before_pseudonym
            + _pseudonym(row["person"].pseudonym)
            + before_age
            + _escaped(row["age_band"])
            + before_level
            + badge
            + before_day
            + (conditional_escape(day(row["last_observed"])) if row["last_observed"] else DASH)
            + before_spots
            + (_escaped(blind_spots) if blind_spots is not None else DASH)
            + end
        )
    return mark_safe("\n        ".join(out))  # each value escaped as format_html does


def _escaped(value: Any) -> str:
    """`conditional_escape(value)` (format_html's escaping of a value), with the plain text
    and numbers of a row at the cost of one `html.escape`."""
    kind = type(value)
    if kind is str or kind is int:
        return html.escape(str(value))
    return conditional_escape(value)


def _pseudonym(value: Any) -> str:
    """`conditional_escape(pseudonym(value))`: the `pseudonym` filter's span."""
    if type(value) is str and value:
        return f'<span class="lens-pseudonym">{html.escape(value)}</span>'
    return conditional_escape(pseudonym(value))
