"""Co-occurrence on the local picture: which indicators are signalled together for the same
persons, and which linked phenomena come with which indicators. A picture of signals, never
a verdict on a person.

Counted per person (the cluster) over the registrations in the view: a person with signals
of indicators A and B (in one registration or several) is one person in the pair A + B.
Each pair counts its own distinct persons and goes through disclosure control like every
other table (lens.insight.disclosure): the threshold, noise from the cell key of exactly the
persons in the pair, and secondary suppression within the table. The total ("persons with
at least two indicators") is published with the pairs, as their margin.

**Where it is answered** (`answered`): for all organisation types together, over all
periods or one year, in any area. Pairs and phenomenon x indicator cells are most of the
maintained cells (measured with scripts/bench_picture.py: 68% of them when kept for
every period and organisation type), and a quarter, a month or one organisation type
seldom leaves ten persons in a pair, so a narrower view says where to look instead
(`shown` is False) rather than keep cells that are almost all suppressed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from lens.insight import disclosure

ALL = "all"


def answered(period: str, organisation_type: str) -> bool:
    """Whether a view (its period code: "", a year, a quarter or a month; its organisation
    type, "" for all) shows co-occurrence: all organisation types, all periods or a year."""
    return not organisation_type and len(period) <= 4


@dataclass(frozen=True)
class CoOccurrence:
    pairs: tuple[tuple[str, str], ...]  # indicator code pairs, in catalogue order
    by_pair: disclosure.Published  # one row ("all") x the pairs
    phenomena: tuple[str, ...]
    indicators: tuple[str, ...]
    by_phenomenon: disclosure.Published  # phenomenon x indicator
    shown: bool = True  # False: the view is narrower than `answered` allows


def of(
    indicators: Mapping[Hashable, Iterable[str]],
    phenomena: Mapping[Hashable, Iterable[str]],
    indicator_codes: Iterable[str],
    phenomenon_codes: Iterable[str],
    secret: bytes,
) -> CoOccurrence:
    """The published co-occurrence tables from person -> indicator codes and person ->
    phenomenon codes (exact, in the view)."""
    order = list(indicator_codes)
    rank = {code: i for i, code in enumerate(order)}
    pairs = list(combinations(order, 2))
    in_pairs = {}
    for person, codes in indicators.items():
        known = sorted({c for c in codes if c in rank}, key=rank.__getitem__)
        found = {(ALL, pair) for pair in combinations(known, 2)}
        if found:
            in_pairs[person] = found
    by_pair = disclosure.publish(disclosure.table_from_persons(in_pairs, [ALL], pairs, secret))
    kinds = list(phenomenon_codes)
    cells = {}
    for person, linked in phenomena.items():
        seen = [i for i in indicators.get(person, ()) if i in rank]
        found = {(p, i) for p in set(linked) if p in kinds for i in seen}
        if found:
            cells[person] = found
    by_phenomenon = disclosure.publish(disclosure.table_from_persons(cells, kinds, order, secret))
    return CoOccurrence(
        pairs=tuple(pairs),
        by_pair=by_pair,
        phenomena=tuple(kinds),
        indicators=tuple(order),
        by_phenomenon=by_phenomenon,
    )


def not_answered(indicator_codes: Iterable[str], phenomenon_codes: Iterable[str]) -> CoOccurrence:
    """The co-occurrence of a view `answered` does not cover: every value withheld ("x"),
    nothing listed, `shown` False."""
    order, kinds = list(indicator_codes), list(phenomenon_codes)
    pairs = list(combinations(order, 2))
    withheld = disclosure.SECONDARY
    return CoOccurrence(
        pairs=tuple(pairs),
        by_pair=disclosure.Published(
            cells={(ALL, pair): withheld for pair in pairs},
            row_totals={ALL: withheld},
            column_totals=dict.fromkeys(pairs, withheld),
            total=withheld,
        ),
        phenomena=tuple(kinds),
        indicators=tuple(order),
        by_phenomenon=disclosure.Published(
            cells={(p, i): withheld for p in kinds for i in order},
            row_totals=dict.fromkeys(kinds, withheld),
            column_totals=dict.fromkeys(order, withheld),
            total=withheld,
        ),
        shown=False,
    )


def _order(value: disclosure.Shown) -> tuple:
    """Largest published number first, then "<10", then "x": from the published values
    only, so the order gives away nothing the numbers do not."""
    if isinstance(value, int):
        return (0, -value)
    return (1 if value == disclosure.LESS_THAN_TEN else 2, 0)


def _listed(value: disclosure.Shown) -> bool:
    """Only pairs of ten persons or more are listed. Listing the "<10"s and leaving out the
    zeros told which pairs a small group has, and across narrow views (a month, a type)
    sketched its profile; so "<10", "x" and 0 all stay out of the list alike, and the page
    says that the pairs not listed have fewer than ten persons or none."""
    return isinstance(value, int) and value >= disclosure.THRESHOLD


def pair_rows(found: CoOccurrence, label) -> list[dict]:
    """The pairs of ten persons or more, for the page: {first, second, value}."""
    rows = [
        {"first": label(a), "second": label(b), "value": found.by_pair.cells[(ALL, (a, b))]}
        for a, b in found.pairs
    ]
    rows = [r for r in rows if _listed(r["value"])]
    return sorted(rows, key=lambda r: (_order(r["value"]), r["first"], r["second"]))


def phenomenon_rows(found: CoOccurrence, phenomenon_label, indicator_label) -> list[dict]:
    """Per phenomenon of ten persons or more: its published total and its indicators of ten
    persons or more (see `_listed`)."""
    rows = []
    for p in found.phenomena:
        total = found.by_phenomenon.row_totals[p]
        if not _listed(total):
            continue
        cells = [
            {"label": indicator_label(i), "value": found.by_phenomenon.cells[(p, i)]}
            for i in found.indicators
        ]
        cells = [c for c in cells if _listed(c["value"])]
        rows.append(
            {
                "label": phenomenon_label(p),
                "total": total,
                "indicators": sorted(cells, key=lambda c: (_order(c["value"]), c["label"])),
            }
        )
    return rows


def of_counts(
    count, indicator_codes: Iterable[str], phenomenon_codes: Iterable[str]
) -> CoOccurrence:
    """The same tables from maintained cells (lens.picture.cells): `count(kind)` gives the
    disclosure.Count of a cell kind of lens.picture.maintain (pairs "pp:a+b" with the codes
    in alphabetical order, "pp*" their margin; "f:p/i", "f*:p", "fi:i", "f**")."""
    order = list(indicator_codes)
    pairs = list(combinations(order, 2))
    pair = {(a, b): count("pp:{}+{}".format(*sorted((a, b)))) for a, b in pairs}
    by_pair = disclosure.publish(
        disclosure.Table(
            rows=(ALL,),
            columns=tuple(pairs),
            cells={(ALL, p): c for p, c in pair.items()},
            row_totals={ALL: count("pp*")},
            column_totals=pair,
            total=count("pp*"),
        )
    )
    kinds = list(phenomenon_codes)
    by_phenomenon = disclosure.publish(
        disclosure.Table(
            rows=tuple(kinds),
            columns=tuple(order),
            cells={(p, i): count(f"f:{p}/{i}") for p in kinds for i in order},
            row_totals={p: count(f"f*:{p}") for p in kinds},
            column_totals={i: count(f"fi:{i}") for i in order},
            total=count("f**"),
        )
    )
    return CoOccurrence(
        pairs=tuple(pairs),
        by_pair=by_pair,
        phenomena=tuple(kinds),
        indicators=tuple(order),
        by_phenomenon=by_phenomenon,
    )
