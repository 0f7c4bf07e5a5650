"""One suppression pattern per region, decided once over the whole lattice of cells that
every view of the local picture reads (docs/design/insight.md, "One pattern per region").
Plain Python, no Django.

A cell is (area, period, organisation type, kind), as lens.picture.maintain keeps them for
one region. The same cell appears in many views: the persons of (GM0855, 2026-05, school)
are the total of that view, a row of the organisation-type table of (GM0855, 2026-05, all
types) and a cell of the region's area x period table. Deciding secondary suppression per
page let one page hide a cell that another page showed as a number (outside probe,
December 2026: 27 hidden totals and 25 of 33 withheld views were published elsewhere).
Here the hidden cells ("x") are decided once, over every relation of the lattice:

  area    a wijk ("GM/WK..", "GM/" unknown) in its municipality, a municipality (or ""
          unknown) in the region ("*");
  period  a month in its quarter and in its year, a quarter in its year, a year in "" (all);
  type    an organisation type in "" (all types);
  kind    the levels l:0..4 in n (an exact sum), i:<code> in i*, d:<code> in d*, and i*, d*,
          p each below n.

Rules, to a fixpoint (only ever adding hides):
  (a) a cell shown as a number whose ancestor along area, period or type holds 1 to 9
      persons more is hidden: the difference would be a small group (the old per-view
      "withheld", now per cell);
  (b) in a relation group that is an exact sum (parent = sum of the children in the true
      counts), a hidden or "<10" child must not be the only unknown one while the parent
      is shown: the smallest shown sibling is hidden with it, or the parent when none;
  (c) the audit (lens.insight.audit) over all the groups at once: a "<10" or "x" that the
      published values narrow to fewer than disclosure.PROTECTION possible values gets a
      cover, the largest shown value of one of its groups (a child before a parent), else
      a "<10" of that group.
Zeros in context are decided per cell too (`Pattern.shown`): a 0 is shown as "<10" where
the area's context (every period and type) counts 1 to 9 persons, or where a parent of the
cell is shown as "<10" or "x".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lens.insight import disclosure
from lens.insight.audit import Inconsistent, propagate_queue, relations

REGION = "*"
LT = disclosure.LESS_THAN_TEN
X = disclosure.SECONDARY
SMALL = (LT, X)
TOP = (REGION, "", "", "n")  # the region's persons: no cell holds more
type Cell = tuple[str, str, str, str]  # area, period, organisation type, kind
type Group = tuple[Cell, tuple[Cell, ...]]  # parent, children


def in_lattice(kind: str) -> bool:
    """The kinds the pattern decides (the co-occurrence kinds keep their own tables)."""
    return kind in ("n", "p", "i*", "d*") or kind[:2] in ("l:", "i:", "d:")


def area_parent(area: str) -> str | None:
    if area == REGION:
        return None
    return area.split("/")[0] if "/" in area else REGION


def period_parents(period: str) -> list[str]:
    """The periods a period is a column of: a month in its quarter and its year."""
    if not period:
        return []
    if len(period) == 4:
        return [""]
    year = period[:4]
    if "Q" in period:
        return [year]
    return [f"{year}-Q{(int(period[5:]) - 1) // 3 + 1}", year]


def _period_ancestors(period: str) -> list[str]:
    found: list[str] = []
    todo = period_parents(period)
    while todo:
        at = todo.pop()
        if at not in found:
            found.append(at)
            todo += period_parents(at)
    return found


def kind_parent(kind: str) -> tuple[str, str] | None:
    """(parent kind, group name) of a kind in the kind groups."""
    if kind in ("i*", "d*", "p"):
        return "n", kind
    if kind.startswith("l:"):
        return "n", "l"
    if kind.startswith("i:"):
        return "i*", "i"
    if kind.startswith("d:"):
        return "d*", "d"
    return None


def parents(cell: Cell) -> list[tuple[Cell, str]]:
    """The cell's parents with the name of the group they share."""
    area, period, kind_of, kind = cell
    found: list[tuple[Cell, str]] = []
    up = area_parent(area)
    if up is not None:
        found.append(((up, period, kind_of, kind), "area"))
    for at in period_parents(period):
        found.append(((area, at, kind_of, kind), f"period{len(period)}"))
    if kind_of:
        found.append(((area, period, "", kind), "type"))
    wider = kind_parent(kind)
    if wider is not None:
        found.append(((area, period, kind_of, wider[0]), wider[1]))
    return found


def ancestors(cell: Cell) -> list[Cell]:
    """The wider cells along area, period and type (one dimension at a time): the views a
    view is nested in."""
    area, period, kind_of, kind = cell
    found = []
    up = area_parent(area)
    while up is not None:
        found.append((up, period, kind_of, kind))
        up = area_parent(up)
    found += [(area, at, kind_of, kind) for at in _period_ancestors(period)]
    if kind_of:
        found.append((area, period, "", kind))
    return found


def groups(cells: Iterable[Cell]) -> list[Group]:
    """The relation groups of these (non-zero) cells: a parent and its children."""
    found: dict[tuple[Cell, str], list[Cell]] = defaultdict(list)
    for cell in sorted(cells):
        for parent, name in parents(cell):
            found[(parent, name)].append(cell)
    return [(parent, tuple(children)) for (parent, _name), children in sorted(found.items())]


@dataclass
class Pattern:
    """The region's counts and the cells hidden as "x": what every view shows of a cell."""

    counts: Mapping[Cell, disclosure.Count]
    hidden: frozenset[Cell]
    _masked: dict[Cell, bool] = field(default_factory=dict, repr=False)

    def persons(self, cell: Cell) -> int:
        found = self.counts.get(cell)
        return found.persons if found else 0

    def shown(self, cell: Cell) -> disclosure.Shown:
        if cell in self.hidden:
            return X
        n = self.persons(cell)
        if n == 0:
            return LT if self._zero_masked(cell) else 0
        if n < disclosure.THRESHOLD:
            return LT
        return disclosure.publish_value(self.counts[cell])

    def _zero_masked(self, cell: Cell) -> bool:
        """Zeros in context, per cell: a 0 whose area's context (every period and type)
        counts 1 to 9 persons, or one of whose parents is shown "<10" or "x"."""
        if cell in self._masked:
            return self._masked[cell]
        area = cell[0]
        context = self.persons((area, "", "", "n"))
        masked = 0 < context < disclosure.THRESHOLD or any(
            self.shown(parent) in SMALL for parent, _name in parents(cell)
        )
        self._masked[cell] = masked
        return masked


def hidden_cells(
    counts: Mapping[Cell, disclosure.Count], closed_hidden: Iterable[Cell] = ()
) -> set[Cell]:
    """The cells of one region to show as "x" (rules (a), (b), (c) of the module), starting
    from `closed_hidden` (cells of closed periods hidden when they were published: they
    stay hidden)."""
    cells = {c: v for c, v in counts.items() if v.persons > 0 and in_lattice(c[3])}
    value = lambda c: cells[c].persons if c in cells else 0  # noqa: E731
    hidden = {c for c in closed_hidden if c in cells}
    threshold = disclosure.THRESHOLD
    # (a) nested cells: once, it depends on the true counts only.
    for cell, count in cells.items():
        if count.persons >= threshold and any(
            0 < value(wider) - count.persons < threshold for wider in ancestors(cell)
        ):
            hidden.add(cell)
    found = groups(cells)
    exact = [
        (parent, children)
        for parent, children in found
        if value(parent) == sum(value(c) for c in children)
    ]
    member: dict[Cell, list[int]] = defaultdict(list)
    for i, (parent, children) in enumerate(exact):
        member[parent].append(i)
        for c in children:
            member[c].append(i)

    def number(c: Cell) -> bool:
        return c not in hidden and value(c) >= threshold

    def unknown(c: Cell) -> bool:
        return c in hidden or 0 < value(c) < threshold

    def lone(todo: Iterable[int]) -> None:
        """Rule (b) to a fixpoint, from the groups in `todo`."""
        todo = set(todo)
        while todo:
            i = todo.pop()
            parent, children = exact[i]
            if not number(parent) or sum(1 for c in children if unknown(c)) != 1:
                continue
            shown = [c for c in children if number(c)]
            cover = min(shown, key=lambda c: (value(c), c)) if shown else parent
            hidden.add(cover)
            todo.update(member[cover])

    lone(range(len(exact)))
    # (c) the audit over every group at once.
    names = sorted(cells.keys() | {parent for parent, _children in found})
    index = {c: i for i, c in enumerate(names)}
    true_values = [value(c) for c in names]
    constraints = []
    near: dict[Cell, set[Cell]] = defaultdict(set)
    for parent, children in found:
        constraints += relations(index[parent], [index[c] for c in children], true_values)
        for c in (parent, *children):
            near[c].update((parent, *children))
    for _round in range(len(names) + 1):
        pattern = Pattern(cells, frozenset(hidden))
        # Every count is at most the region's (no cell holds more persons): a finite
        # ceiling for "x", so that bounds do not creep down from infinity one by one.
        known = [disclosure.knowledge(_audited(pattern, c)) for c in names]
        ceiling = known[index[TOP]][1] if TOP in index else disclosure.THRESHOLD
        known = [(lo, min(hi, ceiling)) for lo, hi in known]
        try:
            bounds = propagate_queue(known, constraints)
        except Inconsistent:  # cannot happen (audit.relations); if it does, hide all
            return hidden | set(cells)
        exposed = [c for c in names if unknown(c) and not disclosure.protected(bounds[index[c]])]
        covers = {_cover(c, near[c], number, value, hidden) for c in exposed} - {None}
        if not covers:
            return hidden
        hidden.update(covers)
        lone(i for c in covers for i in member[c])
    return hidden


def _audited(pattern: Pattern, cell: Cell) -> disclosure.Shown:
    """What the audit reads: the shown value before zeros in context (a masked 0 only
    hides more)."""
    if cell in pattern.hidden:
        return X
    n = pattern.persons(cell)
    if n == 0:
        return 0
    return LT if n < disclosure.THRESHOLD else disclosure.publish_value(pattern.counts[cell])


def _cover(cell: Cell, near: set[Cell], number, value, hidden: set[Cell]) -> Cell | None:
    """The value to hide for an exposed one, from its groups: another "<10" first (shown
    as "x" it loses little: it was fewer than ten anyway, and it no longer counts as at
    least 1 in the sums), else a shown number (a sibling or child before a parent, the
    largest first: most cover)."""
    small = [
        c for c in near if c != cell and c not in hidden and 0 < value(c) < disclosure.THRESHOLD
    ]
    if small:
        return min(small, key=lambda c: (-value(c), c))
    up = {parent for parent, _name in parents(cell)}
    shown = [c for c in near if c != cell and number(c)]
    if shown:
        return min(shown, key=lambda c: (c in up, -value(c), c))
    return None
