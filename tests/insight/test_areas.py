"""The PC4 table of catalogue/areas/ and its reader (no database)."""

import csv

import pytest

from lens.insight.areas import AREAS_DIR, InvalidPostcode, areas, load_areas

CATALOGUE_MUNICIPALITIES = {
    "Dongen", "Gilze en Rijen", "Goirle", "Heusden", "Hilvarenbeek", "Loon op Zand",
    "Oisterwijk", "Tilburg", "Waalwijk", "Amsterdam",
}  # fmt: skip


def test_every_municipality_of_the_catalogue_regions_has_districts_and_postcodes():
    table = areas()
    names = {m.name for m in table.municipalities.values()}
    assert names >= CATALOGUE_MUNICIPALITIES
    for municipality in table.municipalities.values():
        assert table.districts_of(municipality.code), municipality.name
        assert any(
            (match := table.lookup(pc4)) and match.municipality_code == municipality.code
            for pc4 in table.pc4_addresses
        ), municipality.name


def test_known_postcodes_resolve_to_their_municipality():
    table = areas()
    assert table.lookup("5038").municipality.name == "Tilburg"
    assert table.lookup(" 1012 ").municipality.name == "Amsterdam"
    assert table.lookup("1181").municipality.name == "Amstelveen"
    match = table.lookup("5011")
    assert match.district_code.startswith("WK0855")
    assert 0 < match.district_share <= match.municipality_share <= 1


def test_a_border_postcode_goes_where_most_addresses_are():
    # 5091 (Middelbeers) has one address in Hilvarenbeek and the rest in Oirschot (GM0823),
    # which is outside the regions: the match says so instead of claiming Hilvarenbeek.
    match = areas().lookup("5091")
    assert match.municipality_code == "GM0823"
    assert match.municipality is None
    assert match.municipality_share > 0.99


def test_a_postcode_outside_the_table_is_none():
    assert areas().lookup("9999") is None


@pytest.mark.parametrize("bad", ["5038AB", "5038 AB", "503", "0123", "50381", "abcd", "", None])
def test_only_four_digits_are_accepted(bad):
    with pytest.raises(InvalidPostcode):
        areas().lookup(bad)


def test_majority_and_ties_are_deterministic(tmp_path):
    (tmp_path / "municipalities.csv").write_text(
        "gemeente_code,name,region\nGM0001,A,r\nGM0002,B,r\n", encoding="utf-8"
    )
    (tmp_path / "districts.csv").write_text(
        "wijk_code,gemeente_code,addresses\nWK000101,GM0001,5\nWK000201,GM0002,5\n"
        "WK000202,GM0002,5\n",
        encoding="utf-8",
    )
    (tmp_path / "pc4.csv").write_text(
        "pc4,wijk_code,gemeente_code,addresses\n1000,WK000201,GM0002,3\n"
        "1000,WK000101,GM0001,4\n1000,WK000202,GM0002,3\n",
        encoding="utf-8",
    )
    match = load_areas(tmp_path).lookup("1000")
    # GM0002 holds 6 of 10 addresses, although WK000101 alone is the largest wijk.
    assert (match.municipality_code, match.district_code) == ("GM0002", "WK000201")
    assert match.municipality_share == pytest.approx(0.6)
    assert match.district_share == pytest.approx(0.3)


def test_a_row_whose_wijk_is_not_in_its_municipality_is_refused(tmp_path):
    for name in ("municipalities.csv", "districts.csv"):
        (tmp_path / name).write_text((AREAS_DIR / name).read_text(encoding="utf-8"))
    (tmp_path / "pc4.csv").write_text(
        "pc4,wijk_code,gemeente_code,addresses\n5038,WK085501,GM0363,1\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="not in GM0363"):
        load_areas(tmp_path)


def test_the_table_holds_no_full_postcodes():
    with (AREAS_DIR / "pc4.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert all(len(row["pc4"]) == 4 and row["pc4"].isdigit() for row in rows)
