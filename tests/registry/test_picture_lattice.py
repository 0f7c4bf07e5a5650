"""A cell of the lattice (area, period, organisation type, kind) must show the same thing in
every view. The outside probe's finding (December 2026, open: docs/design/insight.md,
"Open: one pattern per region"): a figure hidden on one page ("x", or a whole view
withheld) stands as a number on the parent period's page or the parent area's page, and
subtraction gives the small group back. Strict xfail until one pattern per region
(lens.insight.pattern) is wired in: it then passes and the mark must go."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lens.data.registry import Role

from . import factories
from .test_picture import DONGEN, GOIRLE, TILBURG

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
MAY, JUNE, Q2 = f"{YEAR}-05", f"{YEAR}-06", f"{YEAR}-Q2"


def download(client, **query) -> dict[str, list[list[str]]]:
    """The CSV download of a view, as table name -> rows (header first)."""
    with translation.override("nl"):
        base = reverse("picture:download", kwargs={"format": "csv"})
    response = client.get(base + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert response.status_code == 200
    sections = response.content.decode().lstrip("\ufeff").split("\r\n\r\n")
    found = {}
    for section in sections:
        rows = list(csv.reader(io.StringIO(section)))
        if len(rows) >= 2:
            found[rows[0][0]] = rows[1:]
    return found


def persons_table(found: dict) -> dict[str, dict[str, str]]:
    header, *rows = found["Personen per gebied en periode"]
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows}


@pytest.mark.xfail(
    strict=True,
    reason="issue 11: secondary suppression is decided per page, not once per region "
    "(docs/design/insight.md, 'Open: one pattern per region')",
)
def test_a_cell_hidden_on_one_page_is_hidden_on_its_parents_pages(world, login):
    """Tilburg has 20 persons in May and 3 more in June (the region 10 more in June):
    its May is all but 3 of its second quarter, so the cell (Tilburg, May) is hidden, and
    that on its own page (the total), on the quarter's page (the May column) and on the
    region's May page (the Tilburg row). Today the region's page shows it (19), and
    Tilburg's quarter (about 23) minus it gave the 3 of June back."""
    actor = world.actor(Role.PROFESSIONAL)
    for municipality, day, n in (
        (TILBURG, date(YEAR, 5, 10), 20),
        (TILBURG, date(YEAR, 6, 10), 3),
        (DONGEN, date(YEAR, 5, 10), 15),
        (DONGEN, date(YEAR, 6, 10), 10),
        (GOIRLE, date(YEAR, 5, 10), 12),
    ):
        for _ in range(n):
            factories.registration(
                actor, factories.person(actor), municipality_code=municipality, observed_on=day
            )
    client = login(world.members[Role.ANALIST])
    own = persons_table(download(client, gebied=TILBURG, periode=MAY))
    assert own["Totaal"]["Personen"] == "x"
    quarter = persons_table(download(client, gebied=TILBURG, periode=Q2))
    assert quarter["Totaal"][MAY] == "x"
    region = persons_table(download(client, periode=MAY))
    assert region["Tilburg"]["Personen"] == "x"
    # The region's May as a whole stays a number.
    assert region["Totaal"]["Personen"].isdigit()
