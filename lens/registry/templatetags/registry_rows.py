"""The rows of the persons list (registry/persons.html), built in Python:
`{% load registry_rows %}{{ rows|person_rows }}`.

The list draws 25 rows of five cells; as template nodes that was about 15 variable and
tag renders a row (each resolving, escaping and localising its value), the largest part
of the page's template time. Here a row is one format_html call with the same markup:
every value escaped, the level badge and the date from lens_format as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import format_html
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


@register.filter
def person_rows(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    """The table rows of the persons list (views.persons builds the row dicts)."""
    no_outcome = gettext("no outcome yet")
    out = []
    for row in rows:
        level = row["level"]
        blind_spots = row["blind_spots"]
        out.append(
            format_html(
                ROW,
                row["url"],
                pseudonym(row["person"].pseudonym),
                row["age_band"],
                level_badge(level, row["level_label"]) if level is not None else no_outcome,
                day(row["last_observed"]) if row["last_observed"] else DASH,
                blind_spots if blind_spots is not None else DASH,
            )
        )
    return mark_safe("\n        ".join(out))  # each row built by format_html
