"""Zeros beside a small group: shown as "<10", so that no combination of a table's columns
or of filtered views sketches the profile of a few persons (or of one)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lens.insight.disclosure import (
    LESS_THAN_TEN,
    SECONDARY,
    THRESHOLD,
    publish,
    table_from_persons,
    zeros_in_context,
)

SECRET = b"test-secret-for-record-keys"
INDICATORS = ("geld", "gedrag", "contacten", "school")


def one_way(persons):
    return publish(table_from_persons(persons, ["all"], INDICATORS, SECRET))


def test_one_person_leaves_no_profile_in_a_breakdown():
    shown = zeros_in_context(one_way({1: {("all", "geld")}}))
    assert set(shown.cells.values()) == {LESS_THAN_TEN}
    assert shown.total == LESS_THAN_TEN


def test_zeros_beside_a_large_total_stay_zeros():
    persons = {p: {("all", "geld")} for p in range(30)}
    shown = zeros_in_context(one_way(persons))
    assert shown.cells[("all", "gedrag")] == 0
    assert shown.cells[("all", "geld")] >= THRESHOLD


def test_a_small_context_row_hides_its_zeros_even_when_empty_in_this_view():
    # Filtered to an empty month, the small district's row is all zeros: without its
    # context the zeros would tell the month in which its one person was not signalled.
    persons = {p: {("big", "geld")} for p in range(30)}
    table = publish(table_from_persons(persons, ["big", "small"], INDICATORS, SECRET))
    assert table.row_totals["small"] == 0
    shown = zeros_in_context(table, small_rows={"small"})
    assert shown.row_totals["small"] == LESS_THAN_TEN
    assert all(shown.cells[("small", c)] == LESS_THAN_TEN for c in INDICATORS)
    assert shown.row_totals["big"] >= THRESHOLD
    # a column nobody is in says the small row's persons are not in it either
    assert shown.column_totals["gedrag"] == LESS_THAN_TEN
    # and so does the big row's 0 in it: beside a "<10" column total it would place the few
    assert shown.cells[("big", "gedrag")] == LESS_THAN_TEN
    assert shown.cells[("big", "geld")] >= THRESHOLD


def test_an_empty_row_beside_a_small_column_does_not_unmask_its_zeros():
    # 30 persons in "a" (most "geld", three "gedrag"); row "b" is empty: its zero under the
    # small "gedrag" column shows "<10", so its row total may not say 0 beside it.
    persons = {p: {("a", "geld")} for p in range(30)}
    persons.update({100 + p: {("a", "gedrag")} for p in range(3)})
    table = publish(table_from_persons(persons, ["a", "b"], INDICATORS, SECRET))
    assert table.row_totals["b"] == 0 and table.column_totals["gedrag"] == LESS_THAN_TEN
    shown = zeros_in_context(table)
    assert shown.cells[("b", "gedrag")] == LESS_THAN_TEN
    assert shown.row_totals["b"] == LESS_THAN_TEN
    assert shown.cells[("b", "geld")] == LESS_THAN_TEN  # its row total is "<10" now
    # Row "a" is additive (30 + 3): its total and its "geld" are not both shown, or the
    # difference would give the three "gedrag" back (complementary suppression).
    assert shown.row_totals["a"] == SECONDARY or shown.cells[("a", "geld")] == SECONDARY


def test_an_empty_selection_of_a_small_area_is_fewer_than_ten_not_zero():
    table = publish(table_from_persons({}, ["small"], INDICATORS, SECRET))
    assert table.total == 0
    assert zeros_in_context(table, small_rows={"small"}).total == LESS_THAN_TEN
    assert zeros_in_context(table).total == 0


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.integers(0, 200),
        st.sets(
            st.tuples(st.sampled_from(("a", "b", "c")), st.sampled_from(INDICATORS)),
            min_size=1,
            max_size=3,
        ),
        max_size=60,
    )
)
def test_no_zero_stands_beside_a_hidden_total_and_nothing_else_changes(persons):
    table = publish(table_from_persons(persons, ["a", "b", "c"], INDICATORS, SECRET))
    shown = zeros_in_context(table)
    small = {LESS_THAN_TEN, SECONDARY}
    pairs = [(shown.cells, table.cells), (shown.row_totals, table.row_totals)]
    pairs += [(shown.column_totals, table.column_totals), ({0: shown.total}, {0: table.total})]
    for after, before in pairs:
        for key, value in after.items():
            assert value == before[key] or (before[key] == 0 and value == LESS_THAN_TEN)
    for (r, c), value in shown.cells.items():
        if shown.row_totals[r] in small or shown.column_totals[c] in small:
            assert value != 0
    for r, value in shown.row_totals.items():
        line = [v for (row, _c), v in shown.cells.items() if row == r]
        assert value != 0 or LESS_THAN_TEN not in line
    for c, value in shown.column_totals.items():
        line = [v for (_r, column), v in shown.cells.items() if column == c]
        assert value != 0 or LESS_THAN_TEN not in line
