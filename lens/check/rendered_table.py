"""The check outcome's indicator table built in Python (issue 12 §5 "Fast"), byte for
byte what includes/outcome/lens_table.html writes (tests/check/test_rendered.py and
test_table_caps.py compare them): the parts that depend only on the catalogue's version
and the language made once per process, the cells per request."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .kept import escaped as _e
from .kept import kept as _once
from .kept import numbers as _numbers

_CELL = '<td class="utrecht-table__cell utrecht-table__cell--numeric-data">'
_TOTAL = '<td class="utrecht-table__cell utrecht-table__cell--numeric-data lens-table__total">'


def lens_table(lens: dict[str, Any], indicator_heading: str, version: str) -> SafeString:
    """includes/outcome/lens_table.html: signal value per indicator and area of life.
    `version`: the catalogue's (it names the indicators and areas of life)."""

    def head() -> str:
        columns = "".join(
            '<th scope="col" class="utrecht-table__header-cell '
            f'utrecht-table__header-cell--numeric-column">{_e(d)}</th>'
            for d in lens["domains"]
        )
        heading = _e(indicator_heading) if indicator_heading else _("Indicator")
        return (
            '\n  <div class="utrecht-table-container lens-table-container" role="region" '
            'aria-labelledby="lens-table-caption" tabindex="0">\n'
            '    <table class="utrecht-table utrecht-table--html-table lens-table">\n'
            '      <caption class="utrecht-table__caption lens-table__caption" '
            f'id="lens-table-caption">{_("Signal value per indicator and area of life")}'
            f"{render_to_string('includes/table_hint.html')}</caption>\n"
            '      <thead class="utrecht-table__header">\n'
            '        <tr class="utrecht-table__row">\n'
            f'          <th scope="col" class="utrecht-table__header-cell">{heading}</th>\n'
            f"          {columns}\n"
            '          <th scope="col" class="utrecht-table__header-cell '
            f'utrecht-table__header-cell--numeric-column">{_("Indicator total")}</th>\n'
            "        </tr>\n"
            "      </thead>\n"
            '      <tbody class="utrecht-table__body">\n        '
        )

    def foot_start() -> str:
        return (
            "\n      </tbody>\n"
            '      <tfoot class="utrecht-table__footer">\n'
            '        <tr class="utrecht-table__row">\n'
            '          <th scope="row" class="utrecht-table__header-cell">'
            f"{_('Area of life total')}</th>\n          "
        )

    def foot_end() -> str:
        note = _(
            "A signal can fall under more than one indicator or area of life and is then "
            "shown in each cell; in the totals it counts once. A soft signal weighs 1, a "
            "medium one 2 and a strong one 4."
        )
        return (
            '\n          <td class="utrecht-table__cell"></td>\n'
            "        </tr>\n"
            "      </tfoot>\n"
            "    </table>\n"
            "  </div>\n"
            f'  <p class="utrecht-paragraph utrecht-paragraph--small">{note}</p>\n'
        )

    _number = _numbers()
    parts = [_once(("table", version, indicator_heading), head)]
    for row in lens["rows"]:
        cells = "".join(f"{_CELL}{_number(c)}</td>" for c in row["cells"])
        parts.append(
            '\n        <tr class="utrecht-table__row">\n'
            f'          <th scope="row" class="utrecht-table__header-cell">{_e(row["label"])}'
            f"</th>\n          {cells}\n"
            f"          {_TOTAL}{_number(row['total'])}</td>\n"
            "        </tr>\n        "
        )
    parts.append(_once(("table-foot",), foot_start))
    parts.append("".join(f"{_TOTAL}{_number(t)}</td>" for t in lens["domain_totals"]))
    parts.append(_once(("table-end",), foot_end))
    parts.append(_caps_note(lens["caps"]))
    return mark_safe("".join(parts))


def _caps_note(caps: dict[str, Any]) -> str:
    """The ruleset's caps on the totals, said under the table ({% blocktranslate %}: the
    values escaped, the sentence not)."""
    number = _numbers()
    values = {key: number(value) for key, value in caps.items()}
    if caps["theme"]:
        text = _(
            "The cells count every signal in full; the totals have a limit. Per theme "
            "(indicator) the signal value counts for at most %(indicator)s, per area of life "
            "for at most %(life_domain)s. In the signal value as a whole, soft signals on the "
            "same theme in the same area of life also count together for at most %(theme)s; "
            "the table's totals do not show that limit. That way one kind of signal does not "
            "weigh more than signals from different parts of someone's life."
        )
    else:
        text = _(
            "The cells count every signal in full; the totals have a limit. Per theme "
            "(indicator) the signal value counts for at most %(indicator)s, per area of life "
            "for at most %(life_domain)s. That way one kind of signal does not weigh more "
            "than signals from different parts of someone's life."
        )
    return (
        '  <p class="utrecht-paragraph utrecht-paragraph--small lens-table__caps">'
        f"{text % values}</p>\n"
    )


# --- what is not seen yet ---------------------------------------------------------------------
