"""Findings of the outside probe of December 2026 on the local picture's pages, through
the real URLconf: a refused filter value named as typed; a hidden value drawn as a marked
placeholder, never a bar of 0; every year with data on offer; download names that say
what they hold."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from lens.data.registry import Role
from lens.picture import chart

from . import factories
from .test_picture import DONGEN, TILBURG, place, url


@pytest.fixture
def analist(world):
    return world.members[Role.ANALIST]


def persons(world, count, municipality=TILBURG, **fields):
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(count):
        place(actor, factories.person(actor), municipality, **fields)


@pytest.mark.parametrize(
    ("name", "typed", "shown", "cleaned"),
    [
        ("periode", "2026%00", "2026\\x00", "2026"),  # "2026" is a period the page knows
        ("gebied", "GM0855%C2%A0", "GM0855\\xa0", "GM0855"),  # a non-breaking space
        ("type", "%E2%80%8Bschool", "\\u200bschool", "school"),  # a zero-width space
    ],
)
def test_a_refused_value_is_named_as_typed_not_cleaned(
    world, login, analist, name, typed, shown, cleaned
):
    persons(world, 12)
    page = login(analist).get(url(**{name: typed}))
    assert page.status_code == 400
    html = page.content.decode()
    assert f"“{shown}”" in html
    assert f"“{cleaned}”" not in html


def test_a_long_refused_value_is_cut_visibly(world, login, analist):
    page = login(analist).get(url(fenomeen="a" * 150))
    assert page.status_code == 400
    assert "“" + "a" * 100 + "…”" in page.content.decode()


def test_a_hidden_value_is_a_marked_placeholder_never_a_bar_of_0():
    found = chart.bars(["2024", "2025", "2026", "2027"], [1000, "<10", "x", 0])
    big, small, hidden, empty = found
    assert small.hidden and hidden.hidden and not big.hidden and not empty.hidden
    assert small.height == hidden.height == chart.PLACEHOLDER > 0
    assert empty.height == 0  # a published 0 is a 0


def test_the_page_draws_hidden_values_hatched_and_labelled(world, login, analist):
    last_year = timezone.localdate().replace(year=timezone.localdate().year - 1, day=1)
    persons(world, 12, DONGEN, observed_on=last_year)
    persons(world, 3)  # this year's column: "<10"
    html = login(analist).get(url()).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    rects = re.findall(r"<rect [^>]*>", svg.split("</defs>")[1])
    hidden = [r for r in rects if "data-hidden" in r]
    assert hidden, rects
    for rect in hidden:
        assert 'fill="url(#trend-hatch)"' in rect and "stroke-dasharray" in rect
        assert float(re.search(r'height="([\d.]+)"', rect).group(1)) > 0


def test_every_year_with_data_is_on_offer(world, login, analist):
    """A registration of 2019 was in no period on offer and in no column."""
    persons(world, 12, observed_on=date(2019, 5, 4))
    persons(world, 12)
    client = login(analist)
    year = client.get(url(periode="2019"))
    assert year.status_code == 200
    assert 'value="2019-05"' in year.content.decode()
    everything = client.get(url()).content.decode()
    assert ">2019<" in everything and f">{timezone.localdate().year - 3}<" in everything
    out = io.StringIO()
    call_command(
        "picture", "export", "--region", "midden_brabant", "--period", "2019-05",
        "--format", "json", stdout=out,
    )  # fmt: skip
    assert '"2019-05"' in out.getvalue()


def download(format: str, **query) -> str:
    with translation.override("nl"):
        base = reverse("picture:download", kwargs={"format": format})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_download_is_named_after_its_area_period_and_filters(world, login, analist):
    persons(world, 12)
    client = login(analist)
    month = timezone.localdate().strftime("%Y-%m")
    stamp = timezone.localdate().isoformat()
    response = client.get(download("csv", gebied=TILBURG, periode=month, indicator="crime"))
    assert response["Content-Disposition"] == (
        f'attachment; filename="lokaal-beeld-tilburg-{month}-indicator-crime-{stamp}.csv"'
    )
    plain = client.get(download("xlsx"))
    assert plain["Content-Disposition"] == (
        f'attachment; filename="lokaal-beeld-midden-brabant-alle-perioden-{stamp}.xlsx"'
    )
    with translation.override("nl"):
        report = reverse("picture:report")
    head = client.head(report + "?leefgebied=wonen_financien&type=school")
    name = re.search(r'filename="([^"]+)"', head["Content-Disposition"]).group(1)
    assert name == (
        f"lokaal-beeld-midden-brabant-alle-perioden-type-school-leefgebied-wonen-financien-"
        f"{stamp}.pdf"
    )
    assert name.isascii()
