"""What an adversary can learn from a published table: interval bounds on every true count.

Plain Python, no Django. The publisher (lens.insight.disclosure) runs this audit on its own
output and suppresses more until every value shown as "<10" keeps enough possible values.

The adversary knows the method (the noise bound, that "<10" means 1-9 and "x" means a
suppressed count of at least 10), every published value, and every additive relation that
holds between a margin and its cells. A distinct-person margin equals the sum of its cells
only when no person is in two of them (an area at one registration, a single month); a
person seen in two months counts once in the quarter, so there the adversary only knows
max(cells) <= margin <= sum(cells). The audit is conservative: it gives the adversary the
equality whenever it holds in the true data, even when nothing public says so.

The bounds are found by interval propagation to a fixed point (bounds consistency): sound,
so the true value always lies inside, and as strong as the single-unknown and nested
differencing attacks (a row with one unknown; a year minus its quarters; a municipality
minus its districts), which are special cases of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

INFINITY = 10**12
MAX_ROUNDS = 200


@dataclass(frozen=True)
class Constraint:
    """lo <= sum(coefficient * variable) <= hi, coefficients +1 or -1."""

    terms: tuple[tuple[int, int], ...]  # (variable index, coefficient)
    lo: int
    hi: int


class Inconsistent(ValueError):
    """The published values and the relations contradict each other: no true table fits."""


def relations(margin: int, cells: Sequence[int], true_values: Sequence[int]) -> list[Constraint]:
    """The constraints between a margin variable and its cell variables: an equality when the
    true margin is the sum of the true cells, otherwise max(cells) <= margin <= sum(cells).

    Only what holds in the true counts is a relation: a closed period's cells stay as
    published while an open margin around them moves (a late registration into the closed
    month counts in the open year), so there a margin can exceed the sum of its frozen
    cells, or a frozen cell its margin. Such a pair is no relation at all; giving it to the
    audit made the constraints contradict each other and the propagation ran all its
    rounds on every step (outside probe, December 2026)."""
    total = sum(true_values[c] for c in cells)
    difference = ((margin, 1), *((c, -1) for c in cells))
    if true_values[margin] == total:
        return [Constraint(difference, 0, 0)]
    found = [Constraint(difference, -INFINITY, 0)] if true_values[margin] <= total else []
    found.extend(
        Constraint(((c, 1), (margin, -1)), -INFINITY, 0)
        for c in cells
        if true_values[c] <= true_values[margin]
    )
    return found


def propagate(
    bounds: list[tuple[int, int]], constraints: Iterable[Constraint]
) -> list[tuple[int, int]]:
    """Tighten each variable's [lo, hi] with the constraints until nothing changes.

    Bounded: at most MAX_ROUNDS passes. Raises Inconsistent when a bound crosses (lo > hi):
    the constraints then have no solution, which the publisher never gives it (its
    relations hold in the true counts and its knowledge contains them), and tightening a
    contradiction would only run every round for nothing."""
    bounds = list(bounds)
    constraints = list(constraints)
    for _ in range(MAX_ROUNDS):
        changed = False
        for constraint in constraints:
            low_sum = sum(_low(bounds[v], k) for v, k in constraint.terms)
            high_sum = sum(_high(bounds[v], k) for v, k in constraint.terms)
            for variable, coefficient in constraint.terms:
                lo, hi = bounds[variable]
                new = _narrowed(constraint, variable, (lo, hi), coefficient, low_sum, high_sum)
                if new != (lo, hi):
                    bounds[variable] = new
                    changed = True
                    low_sum = sum(_low(bounds[v], k) for v, k in constraint.terms)
                    high_sum = sum(_high(bounds[v], k) for v, k in constraint.terms)
        if not changed:
            return bounds
    return bounds


def _narrowed(
    constraint: Constraint,
    variable: int,
    bound: tuple[int, int],
    coefficient: int,
    low_sum: int,
    high_sum: int,
) -> tuple[int, int]:
    """The bound of one term's variable that the constraint leaves, given the sums of the
    lowest and highest values of all its terms: coefficient * x lies in
    [lo - (the others' highest), hi - (the others' lowest)]."""
    lo, hi = bound
    term_lo = constraint.lo - (high_sum - _high(bound, coefficient))
    term_hi = constraint.hi - (low_sum - _low(bound, coefficient))
    if coefficient == 1:
        new = (max(lo, term_lo), min(hi, term_hi))
    else:
        new = (max(lo, -term_hi), min(hi, -term_lo))
    new = (max(new[0], -INFINITY), min(new[1], INFINITY))
    if new[0] > new[1]:
        raise Inconsistent(f"variable {variable}: {new}")
    return new


def _low(bound: tuple[int, int], coefficient: int) -> int:
    return bound[0] if coefficient == 1 else -bound[1]


def _high(bound: tuple[int, int], coefficient: int) -> int:
    return bound[1] if coefficient == 1 else -bound[0]


def propagate_queue(
    bounds: list[tuple[int, int]], constraints: Sequence[Constraint], rounds: int = MAX_ROUNDS
) -> list[tuple[int, int]]:
    """`propagate` with a work list: a constraint is looked at again only when one of its
    variables changed. The same fixed point (bounds consistency), for the many constraints
    of many linked tables read together (tests/insight/test_linked_views.py, the one-way
    tables of every page of a region), where most never change after the first look.
    Bounded: at most `rounds` looks per constraint on average."""
    bounds = list(bounds)
    using: dict[int, list[int]] = {}
    for i, constraint in enumerate(constraints):
        for variable, _k in constraint.terms:
            using.setdefault(variable, []).append(i)
    queue = list(range(len(constraints)))
    waiting = set(queue)
    budget = rounds * max(1, len(constraints))
    while queue and budget:
        budget -= 1
        i = queue.pop()
        waiting.discard(i)
        constraint = constraints[i]
        low_sum = sum(_low(bounds[v], k) for v, k in constraint.terms)
        high_sum = sum(_high(bounds[v], k) for v, k in constraint.terms)
        for variable, coefficient in constraint.terms:
            lo, hi = bounds[variable]
            new = _narrowed(constraint, variable, (lo, hi), coefficient, low_sum, high_sum)
            if new != (lo, hi):
                bounds[variable] = new
                low_sum += _low(new, coefficient) - _low((lo, hi), coefficient)
                high_sum += _high(new, coefficient) - _high((lo, hi), coefficient)
                for j in using[variable]:
                    if j not in waiting:
                        waiting.add(j)
                        queue.append(j)
    return bounds
