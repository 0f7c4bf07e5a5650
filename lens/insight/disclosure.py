"""Disclosure control for the local picture: from exact distinct-person counts to the
numbers an analist may see. Plain Python, no Django. The method and its sources are in
docs/design/insight.md ("Disclosure control").

1. Threshold (primary suppression): a count of 1 to 9 persons is shown as "<10"; a 0 as 0
   (but see 4).
2. Cell-key random rounding to tens (ABS cell key, Thompson, Broadfoot & Elazar 2013;
   unbiased random rounding to a base as Statistics New Zealand and the ONS publish
   counts): every count of 10 or more is shown as a multiple of 10, rounded up with
   probability remainder / 10 and down otherwise, the draw looked up from the cell key,
   the sum modulo 2**32 of the record keys of the persons in the cell. The same persons
   always give the same key, so the same cell gets the same number in every table, page,
   export and API answer; two overlapping queries that differ by a few persons get
   unrelated draws. A shown number is within 9 of the truth and "<10" is the first step of
   the same scale, so subtracting published numbers (two pages, or a margin and up to 7
   shown parts) leaves a 1-9 group at least 3 possible values whatever the draws (the old
   -2..+2 noise left 1 at its extremes; rounding to fives, 2 with two shown parts).
3. Audit and secondary suppression: the publisher attacks its own table (lens.insight.audit:
   every margin relation, each as an equality where it holds) and, while some "<10" can be
   narrowed to fewer than PROTECTION possible values, hides one more value of a relation of
   that "<10" as "x" (a count of 10 or more first, a cell before a margin, the largest:
   most cover). "x" tells nothing but that the count is not negative.

4. Zeros in context (`zeros_in_context`, after the audit): a 0 beside a small group is
   shown as "<10", so that zeros do not sketch the profile of a few persons.

Published values are therefore 0, an integer of at least 10, "<10" (which may be a 0) or "x".
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from lens.insight.audit import INFINITY, Constraint, Inconsistent, propagate, relations

THRESHOLD = 10
# Shown numbers are multiples of ROUNDING_BASE; a shown number is at most NOISE_BOUND from
# the true count (docs/design/insight.md, "Disclosure control", step 2, and "Across pages":
# rounding to fives left a group pinned when the pages are read together, tens did not).
ROUNDING_BASE = 10
NOISE_BOUND = ROUNDING_BASE - 1
PROTECTION = 3  # a "<10" must keep at least this many possible values (e.g. 1, 2 or 3)
LESS_THAN_TEN = "<10"
SECONDARY = "x"
KEY_MODULUS = 2**32

type Shown = int | str


@dataclass(frozen=True)
class Count:
    """An exact count of distinct persons and the cell key of exactly those persons."""

    persons: int
    key: int = 0


@dataclass(frozen=True)
class Table:
    """A two-way table of distinct-person counts with its margins, each counted on its own
    (never summed from the cells). A one-way table has a single row."""

    rows: tuple[Hashable, ...]
    columns: tuple[Hashable, ...]
    cells: Mapping[tuple[Hashable, Hashable], Count]
    row_totals: Mapping[Hashable, Count]
    column_totals: Mapping[Hashable, Count]
    total: Count


@dataclass(frozen=True)
class Published:
    cells: dict[tuple[Hashable, Hashable], Shown]
    row_totals: dict[Hashable, Shown]
    column_totals: dict[Hashable, Shown]
    total: Shown


def record_key(person: str | int, secret: bytes) -> int:
    """A person's record key: stable per installation, unguessable without the secret."""
    digest = hmac.digest(secret, str(person).encode(), "sha256")  # one-shot: the same value
    return int.from_bytes(digest[:4], "big")


def cell_key(record_keys: Iterable[int]) -> int:
    return sum(record_keys) % KEY_MODULUS


def noise(count: Count, base: int = ROUNDING_BASE) -> int:
    """The deterministic perturbation of a count, from its cell key and its value: random
    rounding to a multiple of `base`, up with probability remainder / base (so the expected
    shown value is the count), down otherwise. A multiple of the base stays."""
    remainder = count.persons % base
    if not remainder:
        return 0
    digest = hashlib.sha256(f"{count.key}:{count.persons}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    return base - remainder if u < remainder / base else -remainder


def publish_value(count: Count) -> Shown:
    """A single count on its own (threshold and perturbation; no margins to audit)."""
    if count.persons < 0:
        raise ValueError("a count of persons cannot be negative")
    if count.persons == 0:
        return 0
    if count.persons < THRESHOLD:
        return LESS_THAN_TEN
    return max(THRESHOLD, count.persons + noise(count))


def knowledge(shown: Shown) -> tuple[int, int]:
    """What a published value tells about the true count, knowing the method."""
    if shown == LESS_THAN_TEN:
        return (1, THRESHOLD - 1)
    if shown == SECONDARY:
        return (0, INFINITY)
    if shown == 0:
        return (0, 0)
    assert isinstance(shown, int)
    return (max(THRESHOLD, shown - NOISE_BOUND), shown + NOISE_BOUND)


def protected(bound: tuple[int, int]) -> bool:
    return bound[1] - bound[0] + 1 >= PROTECTION


class _Layout:
    """The table's counts as one list of variables, and the relations between them."""

    def __init__(self, table: Table):
        self.table = table
        self.names: list[tuple] = [("cell", (r, c)) for r in table.rows for c in table.columns]
        self.names += [("row", r) for r in table.rows]
        self.names += [("column", c) for c in table.columns]
        self.names.append(("total", None))
        self.index = {name: i for i, name in enumerate(self.names)}
        self.counts = [self._count(name) for name in self.names]
        values = [count.persons for count in self.counts]
        cell = lambda r, c: self.index[("cell", (r, c))]  # noqa: E731
        self.constraints: list[Constraint] = []
        for r in table.rows:
            row = [cell(r, c) for c in table.columns]
            self.constraints += relations(self.index[("row", r)], row, values)
        for c in table.columns:
            column = [cell(r, c) for r in table.rows]
            self.constraints += relations(self.index[("column", c)], column, values)
        total = self.index[("total", None)]
        self.constraints += relations(total, [self.index[("row", r)] for r in table.rows], values)
        columns = [self.index[("column", c)] for c in table.columns]
        self.constraints += relations(total, columns, values)
        self.is_cell = [kind == "cell" for kind, _ in self.names]
        self.same = _same_persons(len(values), self.constraints, values)

    def hide(self, shown: list[Shown], i: int) -> None:
        """Hide a value with every value of the same persons (`_same_persons`): shown, the
        other would give it back."""
        for j in self.same[i]:
            shown[j] = SECONDARY

    def _count(self, name: tuple) -> Count:
        kind, key = name
        if kind == "cell":
            return self.table.cells.get(key, Count(0))
        if kind == "row":
            return self.table.row_totals.get(key, Count(0))
        if kind == "column":
            return self.table.column_totals.get(key, Count(0))
        return self.table.total


def publish(table: Table, total_elsewhere: bool = False) -> Published:
    """The table as it may be shown: threshold, perturbation, then audit and secondary
    suppression until no "<10" can be narrowed below PROTECTION values, and no hidden
    value ("<10" or "x") is the only one hidden of an additive line (a margin that is the
    sum of its cells): subtracting the shown ones from the margin would give it back
    (classical complementary suppression; the noise alone leaves it within a few).

    `total_elsewhere`: the grand total is the view's own count of persons, which the parent
    page (the wider area, the unfiltered view) shows as one of its cells, with the same
    number. Hiding it then covers nothing: the audit reads it as published and hides a
    value of the line instead (outside probe, December 2026: 18 on the parent page minus
    the 14 shown gave the "<10" back)."""
    layout = _Layout(table)
    public: list[Shown] = [publish_value(count) for count in layout.counts]
    shown = list(public)
    total = layout.index[("total", None)]
    lines = [c for c in layout.constraints if c.lo == c.hi == 0]
    while True:
        known = list(shown)
        if total_elsewhere:
            known[total] = public[total]  # published on the parent page anyway
        try:
            bounds = propagate([knowledge(value) for value in known], layout.constraints)
        except Inconsistent:  # cannot happen (audit.relations); if it does, show nothing
            shown = [SECONDARY if value != 0 else 0 for value in shown]
            break
        exposed = [
            (i, layout.constraints, True)
            for i, value in enumerate(known)
            if value == LESS_THAN_TEN and not protected(bounds[i])
        ]
        for line in lines:
            hidden = [v for v, _ in line.terms if not isinstance(known[v], int)]
            if len(hidden) == 1:
                exposed.append((hidden[0], [line], False))
        pinned = set(layout.same[total]) if total_elsewhere else set()
        choices = (_complement(layout, shown, *found, pinned) for found in exposed)
        choice = next((c for c in choices if c is not None), None)
        if choice is None:
            break  # nothing exposed, or nothing left that would cover it
        layout.hide(shown, choice)
    return _result(layout, shown)


def _same_persons(
    size: int, constraints: Sequence[Constraint], values: Sequence[int]
) -> list[tuple[int, ...]]:
    """For each variable, the variables that count the very same persons: a margin whose
    line (an exact sum) has one part with persons, the others 0 (a single column's total
    and the view's total; a row with one cell), and so on along such lines. They have the
    same count and cell key, so the same published number; hiding one of them alone
    covers nothing (the other is the same figure), and an "x" beside its equal shown is a
    line with one hidden value (outside probe, December 2026: the year's total "x" beside
    the view's total 11 on the parent page). So they are one variable: shown together or
    hidden together."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for constraint in constraints:
        if not constraint.lo == constraint.hi == 0:
            continue
        (margin, _k), *parts = constraint.terms
        full = [v for v, _k in parts if values[v]]
        if values[margin] and len(full) == 1:
            parent[root(full[0])] = root(margin)
    groups: dict[int, list[int]] = {}
    for i in range(size):
        groups.setdefault(root(i), []).append(i)
    return [tuple(groups[root(i)]) for i in range(size)]


def _complement(
    layout: _Layout,
    shown: Sequence[Shown],
    target: int,
    near_lines: Sequence[Constraint],
    widen: bool,
    pinned: set[int],
) -> int | None:
    """The value to hide next, from a relation of the exposed value (`near_lines`): a count
    of 10 or more (a cell before a margin, the largest first: most cover; see
    `margin_first`), else another
    "<10" (a margin first: a small total is what bounds many small cells), else a 0. Never
    a `pinned` value (the grand total shown on the parent page, and the values of the same
    persons as it), nor one of the same persons as the target (hidden with it): either
    would cover nothing."""
    near = {v for c in near_lines if any(v == target for v, _ in c.terms) for v, _ in c.terms}
    excluded = pinned | set(layout.same[target])

    # Covering a lone value of one line (not `widen`) in a table whose total is nobody
    # else's figure: its margin first (the line's own summary; the cells stay listed).
    margin_first = not widen and not pinned

    def rank(i: int) -> tuple:
        value = shown[i]
        if isinstance(value, int) and value >= THRESHOLD:
            # At an equal number (common since numbers are rounded to tens) the widest
            # margin: the layout lists cells, rows, columns, then the total.
            return (0, layout.is_cell[i] is margin_first, -value, -i)
        if value == LESS_THAN_TEN:
            return (1, layout.is_cell[i], 0, i)
        return (2, False, 0, i)

    candidates = [i for i in near if shown[i] != SECONDARY and i not in excluded]
    if not candidates and widen:
        # Nothing near is left to hide: widen the table elsewhere.
        candidates = [i for i in range(len(shown)) if shown[i] != SECONDARY and i not in excluded]
    if not candidates:
        return None
    return min(candidates, key=rank)


def _result(layout: _Layout, shown: Sequence[Shown]) -> Published:
    table = layout.table
    at = lambda name: shown[layout.index[name]]  # noqa: E731
    return Published(
        cells={(r, c): at(("cell", (r, c))) for r in table.rows for c in table.columns},
        row_totals={r: at(("row", r)) for r in table.rows},
        column_totals={c: at(("column", c)) for c in table.columns},
        total=at(("total", None)),
    )


def table_from_persons(
    persons: Mapping[Hashable, Iterable[tuple[Hashable, Hashable]]],
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    secret: bytes,
) -> Table:
    """Exact distinct counts from person -> the (row, column) cells they fall in: each
    cell, margin and total counts its own distinct persons. For tests and small exports;
    the Django layer reads the same numbers from maintained aggregates."""
    cell_sets: dict = {}
    row_sets: dict = {}
    column_sets: dict = {}
    everyone: set = set()
    for person, places in persons.items():
        for r, c in places:
            cell_sets.setdefault((r, c), set()).add(person)
            row_sets.setdefault(r, set()).add(person)
            column_sets.setdefault(c, set()).add(person)
            everyone.add(person)

    # Each person's key once (an HMAC each): a person is in many cells and margins.
    keys = {person: record_key(person, secret) for person in everyone}

    def count(members: Iterable[Hashable] | None) -> Count:
        members = set(members or ())
        return Count(len(members), cell_key(keys[p] for p in members))

    return Table(
        rows=tuple(rows),
        columns=tuple(columns),
        cells={(r, c): count(cell_sets.get((r, c))) for r in rows for c in columns},
        row_totals={r: count(row_sets.get(r)) for r in rows},
        column_totals={c: count(column_sets.get(c)) for c in columns},
        total=count(everyone),
    )


def zeros_in_context(
    published: Published,
    small_rows: Iterable[Hashable] = (),
    small_values: Iterable[tuple] = (),
) -> Published:
    """The published table with the zeros that would tell about a small group shown as "<10".

    A 0 beside a "<10" says where the few persons are not; read across a table's columns
    and across filtered views, the zeros sketch the profile of the few, and of one person
    when the few are one (indicator, organisation type, month). So a 0 is shown as "<10"
    (it is fewer than ten, too) where its row or column total is "<10" or "x", and every 0
    of a row in `small_rows`: rows whose context (the same area without the page's other
    filters) counts 1 to 9 persons. A total of 0 beside a "<10" in its row or column (or
    any "<10" for the grand total) would tell that this "<10" is a 0, so it goes too; and
    so on until nothing changes. Only zeros change, after the audit, so the audit's
    reasoning held a superset of what the reader now knows.

    `small_values`: single values whose own category counts 1 to 9 persons in the view's
    context (("cell", (r, c)), ("row", r), ("column", c), ("total", None)): a level, an
    indicator, a pair that a few persons of the area have; a 0 there in a filtered view
    says that the few are not in it (docs/design/insight.md, step 4).
    """
    small = {LESS_THAN_TEN, SECONDARY}
    small_rows = set(small_rows)
    context = set(small_values)
    cells = dict(published.cells)
    rows = dict(published.row_totals)
    columns = dict(published.column_totals)
    total = published.total
    changed = True
    while changed:
        changed = False
        for (r, c), value in cells.items():
            if value == 0 and (
                r in small_rows
                or ("cell", (r, c)) in context
                or rows.get(r) in small
                or columns.get(c) in small
            ):
                cells[(r, c)] = LESS_THAN_TEN
                changed = True
        for r, value in rows.items():
            line = [v for (row, _c), v in cells.items() if row == r]
            if value == 0 and (
                r in small_rows or ("row", r) in context or total in small or LESS_THAN_TEN in line
            ):
                rows[r] = LESS_THAN_TEN
                changed = True
        for c, value in columns.items():
            line = [v for (_r, column), v in cells.items() if column == c]
            if value == 0 and (
                ("column", c) in context
                or total in small
                or LESS_THAN_TEN in line
                or small_rows & set(rows)
            ):
                columns[c] = LESS_THAN_TEN
                changed = True
        margins = list(rows.values()) + list(columns.values())
        if total == 0 and (
            LESS_THAN_TEN in margins or small_rows & set(rows) or ("total", None) in context
        ):
            total = LESS_THAN_TEN
            changed = True
    return Published(cells=cells, row_totals=rows, column_totals=columns, total=total)
