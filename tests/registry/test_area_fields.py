"""Where the person lives and the linked phenomena (lens.registry.area_fields): the rule in
the actions layer, and the registration form that asks for them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lens.data.registry import Person, Role
from lens.insight.areas import DATA_YEAR

from . import factories
from .test_views import new_person_data

TILBURG = "GM0855"
AMSTERDAM = "GM0363"


@pytest.fixture
def actor(world):
    return world.actor(Role.PROFESSIONAL)


def test_a_pc4_fills_municipality_and_district(world, actor):
    registration = factories.registration(actor, world.own_person, pc4="5038")
    assert registration.municipality_code == TILBURG
    assert registration.wijk_code == "WK085510"  # most of 5038's addresses
    assert registration.pc4 == "5038"
    assert registration.areas_year == DATA_YEAR


@pytest.mark.parametrize("postcode", ["5038 AB", "5038ab"])
def test_a_full_postcode_is_refused_with_only_the_four_digits(world, actor, postcode):
    before = world.own_person.registrations.count()
    with pytest.raises(ValidationError) as refused:
        factories.registration(actor, world.own_person, pc4=postcode)
    assert "pc4" in refused.value.message_dict
    assert world.own_person.registrations.count() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pc4": "50a8"}, "pc4"),
        ({"pc4": "1011"}, "pc4"),  # Amsterdam: not in the organisation's region
        ({"municipality_code": AMSTERDAM}, "municipality_code"),
        ({"municipality_code": "GM9999"}, "municipality_code"),
        ({"municipality_code": TILBURG, "wijk_code": "WK036201"}, "wijk_code"),
        ({"phenomena": ["fraud", "not_a_phenomenon"]}, "phenomena"),
    ],
)
def test_the_action_refuses_what_is_not_in_the_tables(world, actor, fields, field):
    with pytest.raises(ValidationError) as refused:
        factories.registration(actor, world.own_person, **fields)
    assert field in refused.value.message_dict


def test_phenomena_are_kept_in_catalogue_order_and_a_correction_keeps_the_area(
    world, actor, catalogue
):
    codes = list(catalogue.phenomena)
    registration = factories.registration(
        actor, world.own_person, municipality_code=TILBURG, phenomena=[codes[3], codes[0]]
    )
    assert registration.phenomena == [codes[0], codes[3]]
    assert registration.wijk_code == "" and registration.areas_year == DATA_YEAR
    from lens.registry import actions

    corrected = actions.correct_registration(actor, registration, context_note="Aangevuld.")
    assert corrected.municipality_code == TILBURG
    assert corrected.phenomena == [codes[0], codes[3]]


def test_without_answers_nothing_is_recorded(world):
    registration = world.own_registration
    assert registration.municipality_code == registration.wijk_code == registration.pc4 == ""
    assert registration.areas_year is None and registration.phenomena == []


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


def test_the_form_offers_the_region_and_the_phenomena(professional, catalogue):
    html = professional.get(reverse("registry:register")).content.decode()
    assert f'value="{TILBURG}"' in html and f'value="{AMSTERDAM}"' not in html
    assert 'name="pc4"' in html
    for code in catalogue.phenomena:
        assert f'value="{code}"' in html


def test_the_form_records_a_pc4_and_phenomena(professional, catalogue, world):
    data = new_person_data(catalogue, pc4="5038", phenomena=["fraud"])
    response = professional.post(reverse("registry:register"), data)
    assert response.status_code == 302
    person = Person.objects.exclude(pk__in=[world.own_person.pk, world.other_person.pk]).get()
    registration = person.registrations.get()
    assert (registration.municipality_code, registration.wijk_code) == (TILBURG, "WK085510")
    assert registration.phenomena == ["fraud"]


def test_the_form_says_in_dutch_only_the_four_digits(professional, catalogue):
    before = Person.objects.count()
    data = new_person_data(catalogue, pc4="5038 AB")
    response = professional.post(reverse("registry:register"), data)
    assert response.status_code == 400
    assert "alleen de vier cijfers" in response.content.decode()
    assert Person.objects.count() == before


def test_the_person_page_shows_where_and_the_phenomena_of_each_registration(
    professional, catalogue, world
):
    data = new_person_data(catalogue, pc4="5038", phenomena=["fraud"])
    response = professional.post(reverse("registry:register"), data)
    html = professional.get(response["Location"]).content.decode()
    assert "Woont in (voor het lokale beeld):</strong> Tilburg · wijk WK085510" in html
    assert f"Verwante fenomenen:</strong> {catalogue.phenomena['fraud'].label.get('nl')}" in html
