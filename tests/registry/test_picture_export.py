"""The local picture's exports (issue 11, section 4): `lens picture export` as JSON, CSV and
XLSX, and the page's downloads. The same published tables as the page, from the same
selector: no count of 1 to 9 persons as its number, bad input refused with exit status 2
(the command line) or 400 (the page), each export in the access log without a person."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from lens import cli
from lens.access.models import AccessLogEntry
from lens.data.registry import Role
from lens.picture import selectors, tables

from . import factories

TILBURG = "GM0855"
DONGEN = "GM0766"
GOIRLE = "GM0785"
NAMES = [
    "persons_by_area_and_period",
    "signals_by_area",
    "persons_by_indicator",
    "persons_by_leefgebied",
    "persons_by_organisation_type",
    "persons_by_level",
    "indicator_pairs",
    "phenomena_with_indicators",
]
# The CSV sections and XLSX sheets as the page captions its tables (Dutch here).
TITLES = {
    "persons_by_area_and_period": "Personen per gebied en periode",
    "signals_by_area": "Signalen per gebied",
    "persons_by_indicator": "Personen per indicator",
    "persons_by_leefgebied": "Personen per leefgebied",
    "persons_by_organisation_type": "Personen per soort organisatie",
    "persons_by_level": "Personen per adviesniveau (hun laatste niveau)",
    "indicator_pairs": "Personen met signalen bij allebei de indicatoren",
    "phenomena_with_indicators": (
        "Verwante fenomenen en de indicatoren die erbij gesignaleerd zijn (personen)"
    ),
}
HEADED_LABELS = {"Gebied", "Indicator", "Samen met", "Leefgebied", "Soort organisatie"}
HEADED_LABELS |= {"Niveau", "Fenomeen"}
LABELS = {
    "area",
    "indicator",
    "together_with",
    "leefgebied",
    "organisation_type",
    "level",
    "phenomenon",
}


@pytest.fixture
def data(world):
    """12 persons in Dongen (shown as a number) and 3 in Goirle (shown as "<10"), each
    with the linked phenomenon fraud."""
    actor = world.actor(Role.PROFESSIONAL)
    # and 10 in Tilburg: else Dongen would be all but 1-9 of the region, and withheld
    for municipality, persons in ((DONGEN, 12), (GOIRLE, 3), ("GM0855", 10)):
        for _ in range(persons):
            person = factories.person(actor)
            factories.registration(
                actor, person, municipality_code=municipality, phenomena=["fraud"]
            )
    return world


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("picture", "export", *args, stdout=out)
    return out.getvalue()


def counts(table: dict) -> list:
    """The values of a table's count columns (every column but its labels)."""
    at = [i for i, name in enumerate(table["columns"]) if name not in LABELS]
    return [row[i] for row in table["rows"] for i in at]


def assert_published(value) -> None:
    assert value in ("<10", "x") or (type(value) is int and (value == 0 or value >= 10)), value


def test_json_holds_the_pages_tables_as_published(data, catalogue):
    found = json.loads(export("--region", "midden_brabant", "--format", "json"))
    assert set(found) == {"tables", "suppression"} and "<10" in found["suppression"]
    assert [t["name"] for t in found["tables"]] == NAMES
    for table in found["tables"]:
        assert all(len(row) == len(table["columns"]) for row in table["rows"])
        assert all(isinstance(c, str) for c in table["columns"])
        for value in counts(table):
            assert_published(value)
    persons = found["tables"][0]
    rows = {row[0]: row for row in persons["rows"]}
    assert rows["Goirle"][-1] == "<10" and rows["Dongen"][-1] >= 10
    assert persons["rows"][-1][0] == "Totaal"  # the totals row, labelled in Dutch
    # The same values as the page's selector gives (no second computation).
    page = selectors.picture(selectors.Scope("midden_brabant"), selectors.Filters(), catalogue)
    assert rows["Dongen"][-1] == page.by_area.row_totals[DONGEN]
    # The 15 persons with the linked phenomenon fraud: its row, beside its indicators.
    fraud = catalogue.phenomena["fraud"].label.get("nl")
    linked = [row for row in found["tables"][-1]["rows"] if row[0] == fraud]
    assert linked[0][1] == "" and linked[0][2] >= 10 and len(linked) > 1


def test_the_export_is_in_the_access_log_without_a_person(data):
    before = AccessLogEntry.objects.count()
    export("--municipality", "Tilburg", "--format", "csv")
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.action == "export" and entry.object_type == "local_picture"
    assert entry.object_id == TILBURG and entry.person_id is None
    assert entry.username.startswith("lens-cli:") and "export csv" in entry.purpose


def test_a_municipality_by_name_or_code_shows_its_wijken(data):
    year = str(timezone.localdate().year)
    by_name = json.loads(export("--region", "Midden-Brabant", "--municipality", "dongen"))
    by_code = json.loads(export("--municipality", DONGEN, "--period", year))
    for found in (by_name, by_code):
        areas = [row[0] for row in found["tables"][0]["rows"]]
        assert "Tilburg" not in areas and "Goirle" not in areas
        # a district as lens.web.places names it: "wijk WK076601" ("district" in English)
        assert any(re.fullmatch(r"(wijk|district) WK0766\d\d", a) for a in areas), areas
    months = by_code["tables"][0]["columns"][1:-1]
    assert months == [f"{year}-{m:02d}" for m in range(1, 13)]


def sections(text: str) -> dict[str, list[list[str]]]:
    found, name = {}, None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            name = None
        elif name is None and len(row) == 1 and row[0] in TITLES.values():
            name = next(n for n, t in TITLES.items() if t == row[0])
            found[name] = []
        elif name:
            found[name].append(row)
    return found


def assert_csv_published(text: str) -> None:
    found = sections(text)
    assert list(found) == NAMES
    for name, (header, *rows) in found.items():
        at = [i for i, column in enumerate(header) if column not in HEADED_LABELS]
        for row in rows:
            for i in at:
                value = row[i]
                assert value in ("<10", "x", "") or int(value) == 0 or int(value) >= 10, (
                    name,
                    row,
                )
    goirle = next(r for r in found["persons_by_area_and_period"] if r[0] == "Goirle")
    assert goirle[-1] == "<10"


def test_csv_has_one_section_per_table(data):
    assert_csv_published(export("--region", "midden_brabant", "--format", "csv"))


def test_the_csv_method_note_reads_as_written(data):
    """The outside probe: the note read 'als '"<10" (ook een 0 ...); '"x" verbergt', an
    apostrophe before every quote after a space (the defusing meant for outside text)."""
    text = export("--region", "midden_brabant", "--format", "csv")
    *_rest, note = list(csv.reader(io.StringIO(text)))[-1:]
    with translation.override("nl"):
        assert note == [str(tables.SUPPRESSION)]
    assert "'" not in note[0]


def test_csv_cells_are_no_formulas():
    table = tables.Table("t", ["area", "persons"], [["=HYPERLINK(1)", 12], ["-1+2", "<10"]])
    rows = list(csv.reader(io.StringIO(tables.as_csv([table]))))
    assert rows[2] == ["'=HYPERLINK(1)", "12"] and rows[3] == ["'-1+2", "<10"]


def test_xlsx_has_one_sheet_per_table(data, tmp_path):
    path = tmp_path / "beeld.xlsx"
    assert export("--region", "midden_brabant", "--format", "xlsx", "--output", str(path)) == ""
    book = load_workbook(path)
    sheets = [TITLES[n][:31].strip() for n in NAMES]
    assert book.sheetnames == [*sheets, "Methode"]
    persons = list(book["Personen per gebied en periode"].iter_rows(values_only=True))
    assert persons[0][0] == "Gebied" and persons[0][-1] == "Personen"
    goirle = next(r for r in persons if r[0] == "Goirle")
    assert goirle[-1] == "<10"
    for sheet in sheets:
        header, *rows = book[sheet].iter_rows(values_only=True)
        at = [i for i, column in enumerate(header) if column not in HEADED_LABELS]
        for row in rows:
            for i in at:
                if row[i] is not None:
                    assert_published(row[i])


@pytest.mark.parametrize(
    "args, message",
    [
        (["--region", "atlantis"], "Onbekende regio"),
        (["--municipality", "Nergenshuizen"], "Onbekende gemeente"),
        (["--region", "midden_brabant", "--municipality", "GM0363"], "ligt niet in regio"),
        (["--region", "midden_brabant", "--period", "2026-13"], "geen jaar"),
        (["--region", "midden_brabant", "--period", "1999"], "niet aangeboden"),
        (["--region", "midden_brabant", "--format", "xlsx"], "--output"),
        ([], "--region of --municipality"),
        # Repeated: the last one was taken silently (outside probe).
        (["--region", "midden_brabant", "--period", "2026", "--period", "2025"], "meer dan eens"),
        (["--municipality", "GM0855", "--municipality", "GM0766"], "meer dan eens"),
        (["--region", "midden_brabant", "--format", "csv", "--format", "json"], "meer dan eens"),
    ],
)
def test_bad_input_exits_2_with_one_line(data, capsys, monkeypatch, args, message):
    """As the `lens` console script runs it (lens.cli.main): exit 2, one line, no trace."""
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test database
    before = AccessLogEntry.objects.count()
    with pytest.raises(SystemExit) as exit:
        cli.main(["lens", "picture", "export", *args])
    assert exit.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert err.startswith("lens: ") and message in err and err.count("\n") == 1
    assert AccessLogEntry.objects.count() == before  # nothing exported, nothing logged


def test_lens_help_lists_the_command(capsys):
    assert cli.main(["lens", "--help"]) == 0
    assert "picture" in capsys.readouterr().out


# The page's downloads ---------------------------------------------------------------


def download(format: str, **query) -> str:
    with translation.override("nl"):
        base = reverse("picture:download", kwargs={"format": format})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_page_links_the_downloads_with_its_filters(data, login):
    with translation.override("nl"):
        page = reverse("picture:overview")
    html = login(data.members[Role.ANALIST]).get(page + "?type=school").content.decode()
    assert "Downloaden als CSV" in html
    assert download("csv") + "?type=school" in html


def test_the_analist_downloads_csv_as_on_the_page(data, login):
    before = AccessLogEntry.objects.count()
    response = login(data.members[Role.ANALIST]).get(download("csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert_csv_published(response.content.decode("utf-8-sig"))
    # the method note in the page's language (Dutch here), as the page says it
    assert "Aantallen van 1 tot en met 9 personen" in response.content.decode("utf-8-sig")
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry.object_type == "local_picture" and entry.action == "export"
    assert entry.person_id is None


def test_the_analist_downloads_xlsx(data, login):
    response = login(data.members[Role.ANALIST]).get(download("xlsx", gebied=GOIRLE))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    persons = list(book["Personen per gebied en periode"].iter_rows(values_only=True))
    assert persons[-1][-1] == "<10"  # Goirle's 3 persons in total


def test_a_municipality_analist_downloads_only_their_municipality(data, login):
    member = factories.membership(Role.ANALIST, municipality=TILBURG)
    text = login(member).get(download("csv")).content.decode("utf-8-sig")
    assert "Dongen" not in text and "Goirle" not in text


def test_an_unknown_filter_or_format_is_refused(data, login):
    client = login(data.members[Role.ANALIST])
    response = client.get(download("csv", gebied="GM9999"))
    assert response.status_code == 400 and "GM9999" in response.content.decode()
    assert client.get(download("pdf")).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.ZORGCOORDINATOR, Role.BEHEERDER]
)
def test_other_roles_get_403(data, login, role):
    client = login(data.members[role])
    assert client.get(download("csv")).status_code == 403
    assert client.get(download("xlsx")).status_code == 403


def test_csv_and_xlsx_name_their_tables_and_columns_as_the_page_in_its_language(data, login):
    """The outside probe: the CSV and XLSX named sections and columns in English
    ("persons_by_area_and_period", "area") on a Dutch page; now as the page's tables, in
    Dutch, and in English for an English page."""
    client = login(data.members[Role.ANALIST])
    dutch = client.get(download("csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(dutch)))
    assert rows[0] == ["Personen per gebied en periode"] and rows[1][0] == "Gebied"
    assert "persons_by_area_and_period" not in dutch and '"area"' not in dutch
    with translation.override("en"):
        base = reverse("picture:download", kwargs={"format": "csv"})
        sheet = reverse("picture:download", kwargs={"format": "xlsx"})
    english = client.get(base).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(english)))
    assert rows[0] == ["Persons by area and period"] and rows[1][0] == "Area"
    book = load_workbook(io.BytesIO(client.get(sheet).content))
    assert book.sheetnames[0] == "Persons by area and period"
    assert next(book["Persons by area and period"].iter_rows(values_only=True))[0] == "Area"
