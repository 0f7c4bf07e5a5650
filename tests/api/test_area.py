"""Where the person lives and the linked phenomena through the API (municipality_code,
wijk_code, pc4, phenomena): checked by the actions layer's rule (lens.registry.area_fields)
like the web form's, stored like the web form's, so that an API registration counts in
the municipality's local picture (lens.picture.selectors) exactly as a web one does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from lens.access.models import AccessLogEntry
from lens.data.registry import Person, PersonOutcome, Registration, Role
from lens.insight.areas import DATA_YEAR
from lens.picture import selectors
from lens.registry import actions
from lens.rules.limits import MAX_CODES
from tests.api.conftest import error
from tests.api.factories import SIGNALS, actor_of
from tests.login import log_in
from tests.registry import factories as registry

pytestmark = pytest.mark.django_db

TILBURG, DONGEN, AMSTERDAM = "GM0855", "GM0766", "GM0363"
WIJK_5038 = "WK085510"  # the district holding most of 5038's addresses
OBSERVED_ON = (timezone.localdate() - timedelta(days=2)).isoformat()


def observation(**area) -> dict:
    return {"signals": SIGNALS, "observed_on": OBSERVED_ON, "how_learned": "seen_myself", **area}


def new_person(n: int, **area) -> dict:
    return {
        "identity": {
            "given_names": "Dirk",
            "family_name": f"Nergens{'e' * n}",
            "birth_date": "2008-01-01",
        },
        "registration": observation(**area),
    }


def stored(registration: Registration) -> tuple:
    """What the local picture reads of a registration, and what it keeps of its place."""
    return (
        registration.municipality_code,
        registration.wijk_code,
        registration.pc4,
        registration.areas_year,
        registration.phenomena,
        registration.signals,
    )


def everything() -> tuple:
    return (
        Person.objects.count(),
        Registration.objects.count(),
        PersonOutcome.objects.count(),
        AccessLogEntry.objects.count(),
    )


def web_professional(side) -> Client:
    member = registry.membership(Role.PROFESSIONAL, side.organisation)
    client = Client()
    log_in(client, member.user, member)
    return client


def web_form(**area) -> dict:
    return {
        "signals": SIGNALS,
        "observed_on": OBSERVED_ON,
        "how_learned": "seen_myself",
        "context_note": "",
        "risk_factors": [],
        **area,
    }


def register_more_url(person: Person) -> str:
    with translation.override("nl"):
        return reverse("registry:register_more", kwargs={"pseudonym": person.pseudonym})


# --- stored and shown -----------------------------------------------------------------------


def test_a_first_registration_records_the_area_and_shows_it(ours, catalogue_codes):
    fraud, other = catalogue_codes
    response = ours.api.post("/persons", new_person(1, pc4="5038", phenomena=[other, fraud]))
    assert response.status_code == 201, response.content
    shown = response.json()["registration"]
    assert (shown["municipality_code"], shown["wijk_code"], shown["pc4"]) == (
        TILBURG,
        WIJK_5038,
        "5038",
    )
    assert shown["phenomena"] == [fraud, other]  # catalogue order, as the form stores them
    registration = Registration.objects.get(pk=shown["id"])
    assert stored(registration) == (TILBURG, WIJK_5038, "5038", DATA_YEAR, [fraud, other], SIGNALS)
    detail = ours.api.get(f"/persons/{response.json()['pseudonym']}").json()
    assert detail["registrations"][0]["phenomena"] == [fraud, other]
    assert detail["registrations"][0]["municipality_code"] == TILBURG


def test_without_the_fields_nothing_is_recorded(ours):
    response = ours.api.post(f"/persons/{ours.person.pseudonym}/registrations", observation())
    assert response.status_code == 201, response.content
    shown = response.json()
    assert shown["municipality_code"] == shown["wijk_code"] == shown["pc4"] == ""
    assert shown["phenomena"] == []
    assert Registration.objects.get(pk=shown["id"]).areas_year is None


@pytest.mark.parametrize(
    "area",
    [
        {"pc4": "5038"},
        {"municipality_code": TILBURG, "wijk_code": WIJK_5038},
        {"wijk_code": WIJK_5038},  # the district's municipality follows
        {"municipality_code": DONGEN, "phenomena": ["fraud"]},
    ],
)
def test_stored_as_the_web_form_stores_the_same_answers(ours, area):
    person = registry.person(actor_of(ours.client))
    by_api = ours.api.post(f"/persons/{person.pseudonym}/registrations", observation(**area))
    assert by_api.status_code == 201, by_api.content
    by_web = web_professional(ours).post(register_more_url(person), web_form(**area))
    assert by_web.status_code == 302, by_web.content.decode()[:2000]
    api_row, web_row = person.registrations.order_by("pk")
    assert api_row.pk == by_api.json()["id"]
    assert stored(api_row) == stored(web_row)
    assert api_row.municipality_code in (TILBURG, DONGEN)


def test_api_registrations_count_in_the_municipality_picture_as_web_ones(ours, loaded_catalogue):
    """The same 24 persons, first registered through the API, then (the API's withdrawn)
    through the web form with the same answers: the municipality's picture is the same,
    figure for figure (the noise comes from the persons in each cell, so it is the same
    too); and the API's registrations are in it."""
    catalogue, _ruleset = loaded_catalogue
    actor = actor_of(ours.client)
    # 24 persons, 12 in the wijk of PC4 5038 and 12 without a wijk: every row and the view
    # differ by 10 or more (a difference of 1-9 would withhold the row, lens.picture.published).
    persons = [registry.person(actor, family_name=f"Gebied{'a' * i}") for i in range(24)]
    answers = [
        {"pc4": "5038", "phenomena": ["fraud"]}
        if i % 2
        else {"municipality_code": TILBURG, "phenomena": ["fraud"]}
        for i in range(24)
    ]
    scope = selectors.Scope(registry.REGION, municipality=TILBURG)
    views = [selectors.Filters(), selectors.Filters(phenomenon="fraud")]
    empty = [selectors.picture(scope, f, catalogue) for f in views]
    for person, area in zip(persons, answers, strict=True):
        response = ours.api.post(f"/persons/{person.pseudonym}/registrations", observation(**area))
        assert response.status_code == 201, response.content
    by_api = [selectors.picture(scope, f, catalogue) for f in views]
    assert by_api != empty
    # (The municipality's view itself may be withheld beside the rest of the region, which
    # differs by 1-9 persons in this world; the comparison below holds either way.)
    for person in persons:
        actions.withdraw_registration(actor, person.registrations.get(), "Via de website opnieuw.")
    assert [selectors.picture(scope, f, catalogue) for f in views] == empty
    web = web_professional(ours)
    for person, area in zip(persons, answers, strict=True):
        assert web.post(register_more_url(person), web_form(**area)).status_code == 302
    by_web = [selectors.picture(scope, f, catalogue) for f in views]
    assert by_web == by_api


# --- refused --------------------------------------------------------------------------------

BAD = [
    ({"pc4": "5038 AB"}, "pc4", "full_postcode"),
    ({"pc4": "5038ab"}, "pc4", "full_postcode"),
    ({"pc4": "50a8"}, "pc4", "invalid_postcode"),
    ({"pc4": "1011"}, "pc4", "postcode_outside_region"),  # Amsterdam
    ({"municipality_code": AMSTERDAM}, "municipality_code", "unknown_municipality"),
    ({"municipality_code": "GM9999"}, "municipality_code", "unknown_municipality"),
    ({"municipality_code": TILBURG, "wijk_code": "WK036201"}, "wijk_code", "unknown_wijk"),
    ({"wijk_code": "WK999999"}, "wijk_code", "unknown_wijk"),
    ({"phenomena": ["fraud", "not_a_phenomenon"]}, "phenomena", "unknown_code"),
    # A JSON string only (issue 10, L3): a number was taken as if it were "5038".
    ({"pc4": 5038}, "pc4", "invalid"),
    ({"pc4": True}, "pc4", "invalid"),
    ({"wijk_code": 855}, "wijk_code", "invalid"),
]


@pytest.mark.parametrize(("area", "field", "code"), BAD)
def test_a_bad_value_is_400_and_nothing_is_stored(ours, area, field, code):
    before = everything()
    for path, body, at in (
        ("/persons", new_person(2, **area), f"registration.{field}"),
        (f"/persons/{ours.person.pseudonym}/registrations", observation(**area), field),
    ):
        response = ours.api.post(path, body)
        assert response.status_code == 400, response.content
        found = error(response)
        assert found["code"] == "invalid_input"
        assert [p["code"] for p in found["fields"][at]] == [code], found
        assert everything() == before


def test_a_full_postcode_is_refused_for_the_same_reason_as_on_the_web_form(ours):
    response = ours.api.post("/persons", new_person(3, pc4="5038 AB"))
    problem = error(response)["fields"]["registration.pc4"][0]
    assert problem["message"] == "Only the four digits of the postcode, e.g. 5038; no letters."
    person = registry.person(actor_of(ours.client))
    page = web_professional(ours).post(register_more_url(person), web_form(pc4="5038 AB"))
    assert page.status_code == 400 and "alleen de vier cijfers" in page.content.decode()
    assert not person.registrations.exists()


def test_the_observation_and_the_area_are_refused_together(ours):
    body = new_person(4, municipality_code="GM9999")
    body["registration"]["observed_on"] = "2005-01-01"  # before the birth year
    before = everything()
    response = ours.api.post("/persons", body)
    fields = {k: [p["code"] for p in v] for k, v in error(response)["fields"].items()}
    assert fields == {
        "registration.observed_on": ["before_birth"],
        "registration.municipality_code": ["unknown_municipality"],
    }
    assert everything() == before


@pytest.mark.parametrize(
    ("area", "field", "code"),
    [
        ({"pc4": "5038 AB 1"}, "pc4", "max_length"),  # the web form's limit: 8 characters
        ({"pc4": None}, "pc4", "null"),
        ({"pc4": 5038}, "pc4", "invalid"),  # a JSON string only, as the schema says
        ({"municipality_code": "G" * 65}, "municipality_code", "max_length"),
        ({"phenomena": ["fraud"] * (MAX_CODES + 1)}, "phenomena", "max_length"),
        ({"phenomena": "fraud"}, "phenomena", "not_a_list"),
        ({"postcode": "5038"}, "postcode", "unknown_field"),
    ],
)
def test_the_same_limits_as_the_web_form(ours, area, field, code):
    before = everything()
    response = ours.api.post(f"/persons/{ours.person.pseudonym}/registrations", observation(**area))
    if code is None:
        assert response.status_code == 201, response.content
        return
    assert response.status_code == 400, response.content
    assert [p["code"] for p in error(response)["fields"][field]] == [code]
    assert everything() == before


def test_the_web_form_refuses_a_pc4_over_its_limit_too(ours):
    person = registry.person(actor_of(ours.client))
    page = web_professional(ours).post(register_more_url(person), web_form(pc4="5038 AB 1"))
    assert page.status_code == 400 and not person.registrations.exists()


def test_a_correction_keeps_the_area(ours):
    path = f"/persons/{ours.person.pseudonym}/registrations"
    first = ours.api.post(path, observation(pc4="5038", phenomena=["fraud"])).json()
    corrected = ours.api.post(f"{path}/{first['id']}/corrections", {"context_note": "Aangevuld."})
    assert corrected.status_code == 201, corrected.content
    shown = corrected.json()
    assert (shown["municipality_code"], shown["pc4"], shown["phenomena"]) == (
        TILBURG,
        "5038",
        ["fraud"],
    )


@pytest.fixture
def catalogue_codes(loaded_catalogue):
    """fraud and another phenomenon after it in the catalogue."""
    catalogue, _ruleset = loaded_catalogue
    codes = list(catalogue.phenomena)
    assert "fraud" in codes and codes.index("fraud") < len(codes) - 1
    return "fraud", codes[codes.index("fraud") + 1]
