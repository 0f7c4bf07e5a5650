"""The signals total of the local picture: the "Totaal" row of the area table had an empty
Signalen cell, and the exports no signals total. It is published like every other number
(lens.picture.published.signals_shown: rounded to tens by the cell key of the view's
persons, "x" beside a hidden number of persons), the same number on the page, the PDF
report, the CSV, XLSX and JSON downloads and `lens picture export`, and the same number as
the area's own row on the wider area's page (one cell, one number)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lens.data.registry import Role
from lens.insight import disclosure
from lens.web import pdf

from . import factories

pytestmark = pytest.mark.django_db

DONGEN, GOIRLE, TILBURG = "GM0766", "GM0785", "GM0855"
SIGNALS = "Signalen per gebied"


@pytest.fixture
def data(world, catalogue):
    """Dongen 12 persons with two signals each, Tilburg 10 with one, Goirle 3 (a "<10")."""
    actor = world.actor(Role.PROFESSIONAL)
    two = list(catalogue.signals)[:2]
    for municipality, persons, signals in ((DONGEN, 12, two), (TILBURG, 10, two[:1])):
        for _ in range(persons):
            person = factories.person(actor)
            factories.registration(actor, person, signals=signals, municipality_code=municipality)
    for _ in range(3):
        factories.registration(actor, factories.person(actor), municipality_code=GOIRLE)
    return world


def url(name: str, format: str = "", **query) -> str:
    with translation.override("nl"):
        base = reverse(name, kwargs={"format": format} if format else {})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def csv_signals(client, **query) -> dict[str, str]:
    """The CSV download's signals table: area -> shown (its "Totaal" row included)."""
    text = client.get(url("picture:download", "csv", **query)).content.decode("utf-8-sig")
    for section in text.split("\r\n\r\n"):
        rows = list(csv.reader(io.StringIO(section)))
        if rows and rows[0] == [SIGNALS]:
            return {row[0]: row[1] for row in rows[2:]}
    raise AssertionError("no signals table")


PAGE_TOTAL = '<th scope="row" class="utrecht-table__header-cell">Totaal</th>'


def total_cell(html: str, head: str = PAGE_TOTAL) -> str:
    """The Signalen cell of the area table's "Totaal" row (its last column)."""
    row = html[html.index(head) :].split("</tr>")[0]
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1].strip().replace("&lt;", "<")


def test_the_signals_total_is_one_published_number_everywhere(data, login, monkeypatch):
    client = login(data.members[Role.ANALIST])
    shown = csv_signals(client)
    total = shown["Totaal"]
    assert total.isdigit() and int(total) >= 10 and int(total) % 10 == 0
    assert total_cell(client.get(url("picture:overview")).content.decode()) == total
    book = load_workbook(io.BytesIO(client.get(url("picture:download", "xlsx")).content))
    sheet = [list(r) for r in book[SIGNALS].iter_rows(values_only=True)]
    assert sheet[-1] == ["Totaal", int(total)]
    out = io.StringIO()
    with translation.override("nl"):
        call_command(
            "picture", "export", "--region", "midden_brabant", "--format", "json", stdout=out
        )
    table = next(t for t in json.loads(out.getvalue())["tables"] if t["name"] == "signals_by_area")
    assert table["rows"][-1] == ["Totaal", int(total)]
    # The PDF report's area table (its HTML, as handed to WeasyPrint: the PDF itself takes
    # 2-3 s of CPU and is read back in tests/registry/test_picture_report.py).
    monkeypatch.setattr(
        pdf,
        "render_pdf",
        lambda name, context, request: render_to_string(name, context, request).encode(),
    )
    report = client.get(url("picture:report")).content.decode()
    assert total_cell(report, '<th scope="row">Totaal</th>') == total


def test_a_municipalitys_total_is_its_row_on_the_regions_page(data, login):
    client = login(data.members[Role.ANALIST])
    region = csv_signals(client)
    dongen = csv_signals(client, gebied=DONGEN)
    tilburg = csv_signals(client, gebied=TILBURG)
    assert dongen["Totaal"] == region["Dongen"] and dongen["Totaal"].isdigit()
    assert tilburg["Totaal"] == region["Tilburg"]
    # 24 signals of Dongen's 12 persons, rounded to tens: within 9.
    assert abs(int(dongen["Totaal"]) - 24) <= disclosure.NOISE_BOUND


def test_the_total_of_a_small_view_is_hidden(data, login):
    """Goirle's 3 persons: every person count "<10", every signal count "x", the total too."""
    goirle = csv_signals(login(data.members[Role.ANALIST]), gebied=GOIRLE)
    assert goirle["Totaal"] == disclosure.SECONDARY
