"""One suppression pattern per region (lens.insight.pattern), without a database: over
random small registries, the published state of every cell of the lattice (area x period x
organisation type x kind) never lets the relations of the lattice, all at once, pin a
hidden or "<10" cell to fewer than disclosure.PROTECTION values (lens.insight.audit), no
cell shown as a number is a small difference from a wider cell, and no exact group has a
lone unknown beside a shown parent."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lens.insight import audit, disclosure, pattern

SECRET = b"test"
WIJKEN = {"GM1": ["GM1/W1", "GM1/W2", "GM1/"], "GM2": ["GM2/W3", "GM2/"]}
MONTHS = ["2026-01", "2026-02", "2026-04"]
TYPES = ["school", "care"]
INDICATORS = ["a", "b", "c"]

registration = st.tuples(
    st.sampled_from([w for ws in WIJKEN.values() for w in ws] + [""]),
    st.sampled_from(MONTHS),
    st.sampled_from(TYPES),
    st.integers(0, 4),
    st.sets(st.sampled_from(INDICATORS), max_size=2),
)
# Many persons with one registration (exact sums) and a few with several.
registry = st.lists(st.lists(registration, min_size=1, max_size=2), min_size=1, max_size=60)


def cells_of(persons: list[list[tuple]]) -> dict[pattern.Cell, disclosure.Count]:
    """The region's cells as lens.picture.maintain counts them (distinct persons per cell,
    the highest level per slice, the cell key from the record keys)."""
    slices: dict[tuple, dict[int, list]] = defaultdict(dict)
    for person, found in enumerate(persons):
        for wijk, month, kind, level, indicators in found:
            areas = [pattern.REGION, ""] if not wijk else [pattern.REGION, wijk[:3], wijk]
            year = month[:4]
            quarter = f"{year}-Q{(int(month[5:]) - 1) // 3 + 1}"
            for area in areas:
                for period in ("", year, quarter, month):
                    for of in ("", kind):
                        at = slices[(area, period, of)].setdefault(person, [0, set()])
                        at[0] = max(at[0], level)
                        at[1] |= indicators
    members: dict[pattern.Cell, set[int]] = defaultdict(set)
    for (area, period, of), persons_here in slices.items():
        for person, (level, indicators) in persons_here.items():
            kinds = ["n", f"l:{level}"]
            if indicators:
                kinds += ["i*", *(f"i:{i}" for i in indicators)]
            for kind in kinds:
                members[(area, period, of, kind)].add(person)
    return {
        cell: disclosure.Count(
            len(found), disclosure.cell_key(disclosure.record_key(p, SECRET) for p in found)
        )
        for cell, found in members.items()
    }


def known(found: pattern.Pattern, cell: pattern.Cell) -> disclosure.Shown:
    """What the adversary reads, knowing which "<10" are masked zeros (stronger than the
    reader: zeros in context only hide more)."""
    return 0 if found.persons(cell) == 0 else found.shown(cell)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(persons=registry)
def test_no_hidden_or_small_cell_is_pinned_by_the_whole_lattice(persons):
    counts = cells_of(persons)
    found = pattern.Pattern(counts, frozenset(pattern.hidden_cells(counts)))
    groups = pattern.groups(counts)
    names = sorted(counts.keys() | {parent for parent, _children in groups})
    index = {c: i for i, c in enumerate(names)}
    truth = [found.persons(c) for c in names]
    constraints = []
    for parent, children in groups:
        constraints += audit.relations(index[parent], [index[c] for c in children], truth)
    bounds = audit.propagate([disclosure.knowledge(known(found, c)) for c in names], constraints)
    for cell, (lo, hi) in zip(names, bounds, strict=True):
        assert lo <= found.persons(cell) <= hi, cell  # the attack is sound
        if known(found, cell) in pattern.SMALL:
            assert disclosure.protected((lo, hi)), (cell, (lo, hi), found.persons(cell))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(persons=registry)
def test_no_shown_cell_is_a_small_difference_and_no_unknown_is_alone(persons):
    counts = cells_of(persons)
    found = pattern.Pattern(counts, frozenset(pattern.hidden_cells(counts)))
    for cell in counts:
        if isinstance(found.shown(cell), int) and found.shown(cell):
            for wider in pattern.ancestors(cell):
                assert not 0 < found.persons(wider) - found.persons(cell) < 10, (cell, wider)
    for parent, children in pattern.groups(counts):
        if found.persons(parent) != sum(found.persons(c) for c in children):
            continue  # not an exact sum: no line to subtract along
        if isinstance(found.shown(parent), int) and found.shown(parent):
            unknown = [c for c in children if found.shown(c) in pattern.SMALL]
            unknown = [c for c in unknown if found.persons(c)]
            assert len(unknown) != 1, (parent, unknown)


def test_a_zero_beside_a_small_or_hidden_parent_is_shown_as_small():
    counts = cells_of([[("GM1/W1", "2026-01", "school", 1, {"a"})]])
    found = pattern.Pattern(counts, frozenset(pattern.hidden_cells(counts)))
    # One person: the other level, the other type, the other wijk all read "<10".
    assert found.shown(("GM1/W1", "2026-01", "school", "l:2")) == pattern.LT
    assert found.shown(("GM1/W1", "2026-01", "care", "n")) == pattern.LT
    assert found.shown(("GM1/W2", "2026-01", "", "n")) == pattern.LT
    # Where no small group is near, a zero is a zero.
    many = [[("GM2/W3", "2026-02", "school", 0, set())]] * 30
    more = [[("GM1/W1", "2026-01", "school", 0, set())]] * 12
    counts = cells_of(many + more)
    found = pattern.Pattern(counts, frozenset(pattern.hidden_cells(counts)))
    assert found.shown(("GM2/W3", "2026-02", "care", "n")) == 0


def test_closed_cells_stay_hidden():
    persons = [[("GM1/W1", "2026-01", "school", 0, set())]] * 30
    counts = cells_of(persons)
    cell = ("GM1/W1", "2026-01", "school", "n")
    assert cell not in pattern.hidden_cells(counts)
    assert cell in pattern.hidden_cells(counts, [cell])
