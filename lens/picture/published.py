"""The published local picture (what lens.picture.selectors and lens.picture.cells both
return) and the publishing steps they share: every figure through lens.insight.disclosure."""

from __future__ import annotations

from dataclasses import dataclass

from lens.insight import disclosure

from . import cooccurrence

SMALL = (disclosure.LESS_THAN_TEN, disclosure.SECONDARY)
SIGNAL_BASE = 10  # signal counts are shown rounded to tens
UNKNOWN = ""  # the area row of registrations without a municipality (or wijk)
LEVELS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Picture:
    area_rows: tuple[str, ...]  # municipality or wijk codes, UNKNOWN last
    by_area: disclosure.Published  # area x trend column
    signals_by_area: dict[str, disclosure.Shown]
    columns: tuple[str, ...]  # the trend's columns
    by_indicator: disclosure.Published
    by_life_domain: disclosure.Published
    by_organisation_type: disclosure.Published
    by_level: disclosure.Published
    level_shares: dict[int, int | None]  # percent of the published total, when both shown
    together: cooccurrence.CoOccurrence
    # The view's selection (its areas, every period and type) counts 1 to 9 persons: its
    # breakdowns show no zeros and the page lists no co-occurrence (zeros_in_context).
    small_selection: bool
    # For comparisons only (lens.picture.blind_spots), never shown: whether at least
    # THRESHOLD persons in the view live in a known municipality, and in how many.
    enough_persons: bool
    municipalities_with_data: int


def level_shares(by_level: disclosure.Published) -> dict[int, int | None]:
    """Percent of the published total per level, when both are shown."""
    total = by_level.total
    return {
        level: round(100 * value / total)
        if isinstance(value, int) and value and isinstance(total, int) and total
        else None
        for (_row, level), value in by_level.cells.items()
    }


def one_way(
    persons: dict[int, set], columns: list[str], key: bytes, small: set[str]
) -> disclosure.Published:
    return disclosure.zeros_in_context(
        disclosure.publish(disclosure.table_from_persons(persons, ["all"], columns, key)), small
    )


def signals_by_area(
    signals: dict[str, disclosure.Count], persons: dict[str, disclosure.Shown]
) -> dict[str, disclosure.Shown]:
    """The signal counts per area row. A hidden one alone could be found back by taking the
    others from the total of the same area in a wider view (the municipality on the
    region's page), so when exactly one row with persons is hidden, the largest shown one
    is hidden with it."""
    shown = {area: signals_shown(count, persons[area]) for area, count in signals.items()}
    hidden = [a for a, value in shown.items() if value == disclosure.SECONDARY]
    visible = [a for a, value in shown.items() if isinstance(value, int) and value > 0]
    if len(hidden) == 1 and visible:
        shown[max(visible, key=lambda a: (shown[a], a))] = disclosure.SECONDARY
    return shown


def signals_shown(signals: disclosure.Count, persons: disclosure.Shown) -> disclosure.Shown:
    """Signals are plain sums, shown only beside a shown number of persons: next to "<10"
    or "x" persons they would say something about a small group. Their noise comes from the
    cell key of the persons behind them: with a fixed key anyone who knows the method could
    take the noise off again."""
    if persons == 0:
        return 0
    if not isinstance(persons, int):
        return disclosure.SECONDARY
    shown = disclosure.publish_value(signals)
    if not isinstance(shown, int) or shown == 0:
        return shown
    # Rounded to tens as well: a signal count is a plain sum, and the same area's count on a
    # wider or a narrower view (a wijk alone, the municipality on the region's page) let a
    # hidden neighbour's count be taken back by subtraction to within the noise.
    return max(disclosure.THRESHOLD, SIGNAL_BASE * round(shown / SIGNAL_BASE))
