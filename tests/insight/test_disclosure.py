"""Disclosure control: properties over random persons and random filter choices, attacked by
an adversary written here independently of lens.insight.audit (no database)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lens.insight.disclosure import (
    LESS_THAN_TEN,
    NOISE_BOUND,
    PROTECTION,
    SECONDARY,
    THRESHOLD,
    Count,
    noise,
    publish,
    publish_value,
    table_from_persons,
)

SECRET = b"test-secret-for-record-keys"
EXAMPLES = settings(max_examples=150, deadline=None)
DISTRICTS = ("WK085501", "WK085502", "WK085503", "WK085504")
MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")
ORG_TYPES = ("onderwijs", "zorg", "politie")
INDICATORS = ("geld", "gedrag", "contacten")
BIG = 10**9


@st.composite
def populations(draw):
    """Persons, each with registrations (district, month, organisation type, indicator).
    Small groups and many small cells on purpose: that is where disclosure happens."""
    size = draw(st.integers(min_value=1, max_value=30) | st.integers(min_value=1, max_value=150))
    registration = st.tuples(
        st.sampled_from(DISTRICTS),
        st.sampled_from(MONTHS),
        st.sampled_from(ORG_TYPES),
        st.sampled_from(INDICATORS),
    )
    # Half the runs: one registration per person, so every margin is an exact sum.
    most = draw(st.sampled_from([1, 4]))
    return {f"p{i}": draw(st.lists(registration, min_size=1, max_size=most)) for i in range(size)}


@st.composite
def filter_choices(draw):
    """A view: rows and columns among the fixed dimensions, plus optional filters."""
    rows, columns = draw(
        st.sampled_from([("district", "month"), ("district", "indicator"), ("org", "month")])
    )
    org = draw(st.none() | st.sampled_from(ORG_TYPES))
    indicator = draw(st.none() | st.sampled_from(INDICATORS))
    return rows, columns, org, indicator


AXES = {
    "district": (0, DISTRICTS),
    "month": (1, MONTHS),
    "org": (2, ORG_TYPES),
    "indicator": (3, INDICATORS),
}


def build(population, choice):
    rows, columns, org, indicator = choice
    (ri, row_keys), (ci, column_keys) = AXES[rows], AXES[columns]
    places = {
        person: {
            (reg[ri], reg[ci])
            for reg in registrations
            if (org is None or reg[2] == org) and (indicator is None or reg[3] == indicator)
        }
        for person, registrations in population.items()
    }
    return table_from_persons(places, row_keys, column_keys, SECRET)


def flatten(table, published):
    """(true, shown) for every cell, margin and total, with the relations between them."""
    names = [("c", r, c) for r in table.rows for c in table.columns]
    names += [("r", r) for r in table.rows] + [("k", c) for c in table.columns] + [("t",)]

    def true(name):
        if name[0] == "c":
            return table.cells[(name[1], name[2])].persons
        if name[0] == "r":
            return table.row_totals[name[1]].persons
        if name[0] == "k":
            return table.column_totals[name[1]].persons
        return table.total.persons

    def shown(name):
        if name[0] == "c":
            return published.cells[(name[1], name[2])]
        if name[0] == "r":
            return published.row_totals[name[1]]
        if name[0] == "k":
            return published.column_totals[name[1]]
        return published.total

    groups = [(("r", r), [("c", r, c) for c in table.columns]) for r in table.rows]
    groups += [(("k", c), [("c", r, c) for r in table.rows]) for c in table.columns]
    groups += [
        (("t",), [("r", r) for r in table.rows]),
        (("t",), [("k", c) for c in table.columns]),
    ]
    return {n: true(n) for n in names}, {n: shown(n) for n in names}, groups


def adversary(truth, shown, groups):
    """Interval attack: start from what each shown value says, then use every margin
    relation (an exact sum where it holds: a single unknown in a row or column, a year minus
    its months, a municipality minus its districts; otherwise max <= margin <= sum)."""
    low, high = {}, {}
    for name, value in shown.items():
        if value == LESS_THAN_TEN:
            low[name], high[name] = 1, THRESHOLD - 1
        elif value == SECONDARY:
            low[name], high[name] = 0, BIG
        elif value == 0:
            low[name], high[name] = 0, 0
        else:
            low[name], high[name] = max(THRESHOLD, value - NOISE_BOUND), value + NOISE_BOUND
    changed = True
    while changed:
        changed = False
        for margin, parts in groups:
            exact = truth[margin] == sum(truth[p] for p in parts)
            for part in parts:
                others = [p for p in parts if p != part]
                new_low, new_high = low[part], min(high[part], high[margin])
                if exact:
                    new_low = max(new_low, low[margin] - sum(high[o] for o in others))
                    new_high = min(new_high, high[margin] - sum(low[o] for o in others))
                if (new_low, new_high) != (low[part], high[part]):
                    low[part], high[part], changed = new_low, new_high, True
            margin_low = max(low[margin], *(low[p] for p in parts))
            if exact:
                margin_low = max(margin_low, sum(low[p] for p in parts))
            margin_high = min(high[margin], sum(high[p] for p in parts))
            if (margin_low, margin_high) != (low[margin], high[margin]):
                low[margin], high[margin], changed = margin_low, margin_high, True
    return low, high


@EXAMPLES
@given(populations(), filter_choices())
def test_no_suppressed_value_can_be_narrowed_from_the_table_and_its_margins(population, choice):
    table = build(population, choice)
    truth, shown, groups = flatten(table, publish(table))
    low, high = adversary(truth, shown, groups)
    for name, value in shown.items():
        # The attack is sound: the true count always stays inside what it derives...
        assert low[name] <= truth[name] <= high[name], name
        # ...and never pins a "<10" to fewer than PROTECTION possible counts.
        if value == LESS_THAN_TEN:
            assert high[name] - low[name] + 1 >= PROTECTION, (name, low[name], high[name])


@EXAMPLES
@given(populations(), filter_choices())
def test_no_hidden_value_is_the_difference_of_shown_ones(population, choice):
    """The subtraction attack (outside probe): in a line that is an exact sum (a margin and
    its cells), a hidden value ("<10" or "x") alone among shown ones is the margin minus
    the rest. The view's total counts as shown even when hidden here: the parent page (the
    wider area, the view without its filter) shows the same count with the same number."""
    table = build(population, choice)
    published = publish(table, total_elsewhere=True)
    truth, shown, groups = flatten(table, published)
    shown[("t",)] = publish_value(table.total)
    for margin, parts in groups:
        if truth[margin] != sum(truth[p] for p in parts):
            continue  # a person in two cells: the difference says nothing exact
        hidden = [n for n in (margin, *parts) if not isinstance(shown[n], int)]
        assert len(hidden) != 1, (margin, hidden, shown)


def exposed_lines(table, published):
    """The lines of `published` (the view's total as the parent page shows it) that give a
    value back: an exact sum with one hidden value, or a margin and its only part with
    persons (the same persons) shown differently or one of them hidden."""
    truth, shown, groups = flatten(table, published)
    shown[("t",)] = publish_value(table.total)
    found = []
    for margin, parts in groups:
        if truth[margin] != sum(truth[p] for p in parts):
            continue  # a person in two cells: the difference says nothing exact
        hidden = [n for n in (margin, *parts) if not isinstance(shown[n], int)]
        if len(hidden) == 1:
            found.append((margin, hidden, shown[margin]))
        full = [p for p in parts if truth[p]]
        if truth[margin] and len(full) == 1 and shown[margin] != shown[full[0]]:
            found.append((margin, full, shown[margin], shown[full[0]]))
    return found


@EXAMPLES
@given(
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=10, max_value=40),
    st.binary(min_size=1, max_size=8),
)
def test_a_margin_and_its_only_part_are_one_value_whatever_the_keys(empty_rows, few, many, secret):
    """The view of one municipality (and a few persons without one), one period column:
    the column's total is the very same persons as the view's total, which the parent page
    shows. Whatever the record keys (the noise), the column is shown as the total, and no
    line keeps a single hidden value; the "<10" keeps PROTECTION values (December 2026:
    the column was hidden alone beside the total 11 on the parent page, and every empty
    municipality with it)."""
    rows = [f"GM{i:04d}" for i in range(empty_rows)] + ["GM0855", ""]
    persons = {f"m{i}": {("GM0855", "2026")} for i in range(many)}
    persons |= {f"u{i}": {("", "2026")} for i in range(few)}
    table = table_from_persons(persons, rows, ["2026"], secret)
    published = publish(table, total_elsewhere=True)
    assert exposed_lines(table, published) == []
    assert published.column_totals["2026"] == publish_value(table.total)
    truth, shown, groups = flatten(table, published)
    shown[("t",)] = publish_value(table.total)
    low, high = adversary(truth, shown, groups)
    for name, value in shown.items():
        if value == LESS_THAN_TEN:
            assert high[name] - low[name] + 1 >= PROTECTION, (name, low[name], high[name])


def test_a_small_group_is_not_the_parent_total_minus_the_shown_cells():
    """The probe's case: 14 shown beside a "<10" whose view total (hidden here as "x") is
    18 on the parent page; the "<10" must have a hidden companion in its line."""
    persons = {p: {("a", "2026-01")} for p in range(14)}
    persons |= {100 + p: {("b", "2026-01")} for p in range(4)}
    table = table_from_persons(persons, ["a", "b"], ["2026-01"], SECRET)
    shown = publish(table, total_elsewhere=True)
    assert shown.cells[("b", "2026-01")] == LESS_THAN_TEN
    assert shown.total == publish_value(table.total)  # the total is never the cover
    assert SECONDARY in (shown.cells[("a", "2026-01")], shown.column_totals["2026-01"])
    assert SECONDARY in (shown.row_totals["a"], shown.cells[("a", "2026-01")])


@EXAMPLES
@given(populations(), filter_choices())
def test_published_values_are_zero_ten_or_more_or_a_marker(population, choice):
    table = build(population, choice)
    truth, shown, _ = flatten(table, publish(table))
    for name, value in shown.items():
        assert value in (LESS_THAN_TEN, SECONDARY) or (
            isinstance(value, int) and (value == 0 or value >= THRESHOLD)
        )
        if 1 <= truth[name] < THRESHOLD:
            assert value in (LESS_THAN_TEN, SECONDARY)
        if truth[name] == 0:
            assert value in (0, SECONDARY)
        if truth[name] >= THRESHOLD:
            assert value != LESS_THAN_TEN
        if isinstance(value, int) and value:
            assert abs(value - truth[name]) <= NOISE_BOUND


@EXAMPLES
@given(populations(), filter_choices())
def test_publication_is_deterministic(population, choice):
    assert publish(build(population, choice)) == publish(build(population, choice))


@EXAMPLES
@given(populations(), filter_choices())
def test_the_same_persons_get_the_same_number_in_every_table(population, choice):
    # A nested query (the margin of this table asked on its own, or as a cell of another
    # table) shows the same number unless it was hidden: no second noisy look at one count.
    table = build(population, choice)
    published = publish(table)
    for key, count in table.row_totals.items():
        if published.row_totals[key] != SECONDARY:
            assert published.row_totals[key] == publish_value(count)
    if published.total != SECONDARY:
        assert published.total == publish_value(table.total)


def test_a_lone_small_cell_beside_an_exact_margin_is_covered():
    # One row: 3 persons in January, 30 in February, no one in two months, margin 33. With
    # the threshold alone the adversary learns 33 - 30 = 3 up to the noise; at the noise's
    # extremes that pins the count. The publisher must leave at least PROTECTION values.
    persons = {f"a{i}": {("WK085501", "2026-01")} for i in range(3)}
    persons |= {f"b{i}": {("WK085501", "2026-02")} for i in range(30)}
    table = table_from_persons(persons, ("WK085501",), ("2026-01", "2026-02"), SECRET)
    truth, shown, groups = flatten(table, publish(table))
    assert shown[("c", "WK085501", "2026-01")] == LESS_THAN_TEN
    low, high = adversary(truth, shown, groups)
    assert high[("c", "WK085501", "2026-01")] - low[("c", "WK085501", "2026-01")] >= 2


def test_nine_persons_each_alone_in_a_cell_are_not_given_away_by_the_total():
    # Nine persons, nine different cells, no one twice: the total is "<10", so at most 9,
    # and nine cells of at least 1 each sum to it, so each cell is exactly 1, unless
    # the publisher hides something more.
    cells = [(d, m) for d in DISTRICTS[:3] for m in MONTHS[:3]]
    persons = {f"p{i}": {cell} for i, cell in enumerate(cells)}
    table = table_from_persons(persons, DISTRICTS[:3], MONTHS[:3], SECRET)
    truth, shown, groups = flatten(table, publish(table))
    assert {shown[("c", d, m)] for d, m in cells} == {LESS_THAN_TEN, SECONDARY}
    low, high = adversary(truth, shown, groups)
    for name, value in shown.items():
        if value == LESS_THAN_TEN:
            assert high[name] - low[name] + 1 >= PROTECTION, name


def test_noise_is_bounded_keyed_and_spread():
    """Random rounding to tens by the cell key: every count lands on a multiple of 10
    within NOISE_BOUND, 51 as 50 or 60, unbiased, the same for the same persons."""
    values = [noise(Count(n, key)) for n in range(50, 60) for key in range(1000)]
    assert set(values) == set(range(-NOISE_BOUND, NOISE_BOUND + 1))
    assert abs(sum(values)) < len(values) * 0.1  # roughly unbiased
    assert {publish_value(Count(51, key)) for key in range(200)} == {50, 60}
    assert noise(Count(52, 123)) == noise(Count(52, 123))


def test_single_values():
    assert publish_value(Count(0)) == 0
    assert publish_value(Count(1, 5)) == LESS_THAN_TEN
    assert publish_value(Count(9, 5)) == LESS_THAN_TEN
    assert publish_value(Count(10, 5)) >= THRESHOLD


def test_frozen_cells_beside_a_moved_margin_publish_without_contradiction(monkeypatch):
    """A closed month keeps its cells while the open margin around it grows (a late
    registration into the closed month): the margin exceeds the sum of its frozen cells.
    That is no relation between them, and the audit must not be given one: it contradicted
    the published bounds and the propagation ran all its rounds on every step (probe)."""
    import lens.insight.disclosure as disclosure
    from lens.insight.audit import propagate

    crossed: list = []

    def watched(bounds, constraints):
        found = propagate(bounds, constraints)
        crossed.extend(b for b in found if b[0] > b[1])
        return found

    monkeypatch.setattr(disclosure, "propagate", watched)
    table = disclosure.Table(
        rows=("a", "b"),
        columns=("2026-10", "2026-11"),
        cells={
            ("a", "2026-10"): Count(20, 1),
            ("a", "2026-11"): Count(15, 2),  # frozen
            ("b", "2026-10"): Count(3, 3),
            ("b", "2026-11"): Count(0, 0),  # frozen
        },
        row_totals={"a": Count(45, 4), "b": Count(3, 3)},  # open: ten late in a's 2026-11
        column_totals={"2026-10": Count(23, 5), "2026-11": Count(15, 6)},  # 2026-11 frozen
        total=Count(48, 7),
    )
    shown = publish(table)
    assert not crossed
    assert abs(shown.cells[("a", "2026-11")] - 15) <= NOISE_BOUND  # as published
    assert shown.cells[("b", "2026-10")] == LESS_THAN_TEN


def test_each_person_s_record_key_is_computed_once_per_table_and_keys_are_unchanged(
    monkeypatch,
):
    """A person is in many cells and margins; their key (an HMAC) is made once per table,
    and the cell keys are the sums of the same HMAC-SHA256 record keys as before."""
    import hashlib
    import hmac

    from lens.insight import disclosure

    made = []
    real = disclosure.record_key
    monkeypatch.setattr(disclosure, "record_key", lambda p, s: made.append(p) or real(p, s))
    persons = {
        1: {("WK085501", "2026-01"), ("WK085502", "2026-02")},
        2: {("WK085501", "2026-01")},
        3: {("WK085502", "2026-01"), ("WK085502", "2026-02")},
    }
    table = table_from_persons(persons, DISTRICTS[:2], MONTHS[:2], SECRET)
    assert sorted(made) == [1, 2, 3]

    def old_key(p):
        return int.from_bytes(hmac.new(SECRET, str(p).encode(), hashlib.sha256).digest()[:4])

    assert table.total == Count(3, sum(old_key(p) for p in (1, 2, 3)) % disclosure.KEY_MODULUS)
    assert table.cells[("WK085501", "2026-01")].key == (old_key(1) + old_key(2)) % (
        disclosure.KEY_MODULUS
    )
