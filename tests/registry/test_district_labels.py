"""A district (wijk) is named the same way wherever a user sees one (lens.web.places):
"wijk WK085510", since the public source of catalogue/areas/ gives no district names,
with a sentence that says so: on the registration form, the person page, the local
picture and its exports."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from lens.data.registry import Role
from lens.web.places import district_label, place_label

from . import factories

TILBURG = "GM0855"
WIJK = "WK085510"  # the district holding most of PC4 5038's addresses
NOTE_NL = "de openbare bron van de gebiedstabel (CBS, 2024) geeft de codes van de wijken"


def url(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


def test_a_district_is_named_as_a_wijk_with_its_code_in_dutch_and_english():
    with translation.override("nl"):
        assert district_label(WIJK) == place_label(WIJK) == "wijk WK085510"
        assert place_label(TILBURG) == "Tilburg"
        assert place_label("") == "Onbekend"
    with translation.override("en"):
        assert place_label(WIJK) == "district WK085510"


def test_a_district_with_a_name_in_the_area_data_is_shown_by_its_name_too(monkeypatch):
    """The outside probe: wijken were shown by their code only. Where districts.csv has a
    `name` column with the wijk's name, the label carries it."""
    from dataclasses import replace

    from lens.insight import areas as area_data
    from lens.web import places

    table = area_data.areas()
    named = replace(table.districts[WIJK], name="Reeshof")
    monkeypatch.setattr(
        places, "areas", lambda: replace(table, districts={**table.districts, WIJK: named})
    )
    with translation.override("nl"):
        assert district_label(WIJK) == place_label(WIJK) == "wijk Reeshof (WK085510)"
        assert district_label("WK035800") == "wijk WK035800"  # no name: the code
    with translation.override("en"):
        assert place_label(WIJK) == "district Reeshof (WK085510)"


def test_districts_csv_may_carry_names(tmp_path):
    from lens.insight.areas import AREAS_DIR, load_areas

    for name in ("municipalities.csv", "pc4.csv"):
        (tmp_path / name).write_text((AREAS_DIR / name).read_text(encoding="utf-8"))
    lines = (AREAS_DIR / "districts.csv").read_text(encoding="utf-8").splitlines()
    named = [lines[0] + ",name"] + [
        line + (",Reeshof" if line.startswith(WIJK) else ",") for line in lines[1:]
    ]
    (tmp_path / "districts.csv").write_text("\n".join(named) + "\n", encoding="utf-8")
    found = load_areas(tmp_path).districts
    assert found[WIJK].name == "Reeshof" and found["WK035800"].name == ""
    assert load_areas().districts[WIJK].name == ""  # the committed data: codes only


def test_the_registration_form_lists_districts_as_wijken_and_says_why(world, login):
    page = login(world.members[Role.PROFESSIONAL]).get(url("registry:register")).content.decode()
    assert re.search(rf'<option value="{WIJK}"[^>]*>wijk {WIJK}</option>', page)
    assert f">{WIJK}</option>" not in page
    assert NOTE_NL in page


def test_the_person_page_names_the_wijk_and_says_why(world, login):
    actor = world.actor(Role.PROFESSIONAL)
    factories.registration(actor, world.own_person, pc4="5038")
    client = login(world.members[Role.PROFESSIONAL])
    page = client.get(url("registry:person", pseudonym=world.own_person.pseudonym))
    html = page.content.decode()
    assert f"Tilburg · wijk {WIJK}" in html
    assert NOTE_NL in html


def test_the_person_page_without_a_wijk_has_no_note(world, login):
    actor = world.actor(Role.PROFESSIONAL)
    factories.registration(actor, world.own_person, municipality_code=TILBURG)
    client = login(world.members[Role.PROFESSIONAL])
    html = client.get(url("registry:person", pseudonym=world.own_person.pseudonym))
    assert NOTE_NL not in html.content.decode()


@pytest.fixture
def municipal(world, login):
    """The picture of Tilburg's analist: its rows are Tilburg's districts."""
    return login(factories.membership(Role.ANALIST, municipality=TILBURG))


def test_the_local_picture_names_its_districts_as_wijken_and_says_why(municipal):
    html = municipal.get(url("picture:overview")).content.decode()
    rows = re.findall(r'<th scope="row" class="utrecht-table__header-cell">([^<]*)</th>', html)
    assert f"wijk {WIJK}" in rows and WIJK not in rows
    assert f'<option value="{WIJK}">wijk {WIJK}</option>' in html  # the area filter
    assert NOTE_NL in html


def test_the_region_picture_lists_municipalities_without_the_note(world, login):
    html = login(world.members[Role.ANALIST]).get(url("picture:overview")).content.decode()
    assert "Tilburg" in html and NOTE_NL not in html


def test_the_exports_name_the_districts_as_wijken(municipal):
    text = municipal.get(url("picture:download", format="csv")).content.decode()
    areas = [row[0] for row in csv.reader(io.StringIO(text)) if row]
    assert f"wijk {WIJK}" in areas and WIJK not in areas
