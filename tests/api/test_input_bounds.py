"""Input the API must refuse cheaply and precisely (issue 9, defects 3 and 7): lists of
codes beyond the bound, suggestions only for the first few unknown codes, names without
a letter, dates not written YYYY-MM-DD, charsets other than UTF-8.

Nothing here measures time: the cost of a request is what it computes (the number of
"closest codes" searches, counted) and the size of its answer."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from lens.data.registry import Person
from lens.rules import validation
from lens.rules.limits import MAX_CODES, SUGGESTED_CODES
from tests.api.conftest import API, error
from tests.api.factories import SIGNALS, identity, make_person

pytestmark = pytest.mark.django_db

SMALL = 2000  # bytes: an error about one field, not an echo of the request


@pytest.fixture
def searches(monkeypatch) -> list[str]:
    """The codes that the closest-codes search ran for, in order."""
    seen: list[str] = []
    original = validation.closest_codes

    def counting(code, known, labels):
        seen.append(code)
        return original(code, known, labels)

    monkeypatch.setattr(validation, "closest_codes", counting)
    return seen


def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def registrations(side) -> str:
    return f"/persons/{side.person.pseudonym}/registrations"


def observation(**fields) -> dict:
    return {"signals": SIGNALS, "observed_on": yesterday(), "how_learned": "seen_myself", **fields}


def nonsense(n: int) -> list[str]:
    return [f"no_such_code_{i}" for i in range(n)]


# --- too many codes ----------------------------------------------------------------------


@pytest.mark.parametrize("field", ["signals", "risk_factors"])
def test_a_registration_with_too_many_codes_gets_a_small_400_naming_the_bound(
    ours, searches, field
):
    response = ours.api.post(registrations(ours), observation(**{field: nonsense(20_000)}))
    assert response.status_code == 400
    assert len(response.content) < SMALL, len(response.content)
    problems = error(response)["fields"][field]
    assert problems[0]["code"] == "max_length"
    assert str(MAX_CODES) in problems[0]["message"]
    assert searches == []


def test_a_new_person_with_too_many_codes_in_the_first_observation(ours, searches):
    body = {
        "identity": {"given_names": "Ewout", "family_name": "Fenna", "birth_date": "2001-01-01"},
        "registration": observation(signals=nonsense(MAX_CODES + 1)),
    }
    response = ours.api.post("/persons", body)
    assert response.status_code == 400 and len(response.content) < SMALL
    assert error(response)["fields"]["registration.signals"][0]["code"] == "max_length"
    assert searches == []
    assert Person.objects.filter(organisation=ours.organisation).count() == 1


def test_the_bound_itself_is_allowed(ours):
    codes = (SIGNALS * MAX_CODES)[:MAX_CODES]
    assert ours.api.post(registrations(ours), observation(signals=codes)).status_code == 201


@pytest.mark.parametrize("field", ["signals", "unknown", "absent", "risk_factors"])
def test_assess_with_too_many_codes_gets_a_small_400_naming_the_bound(ours, searches, field):
    body = {"signals": [], field: nonsense(20_000)}
    response = ours.api.post("/assess?lang=en", body)
    assert response.status_code == 400
    assert len(response.content) < SMALL, len(response.content)
    (problem,) = error(response)["fields"][field]
    assert problem["code"] == "too_many"
    assert f"at most {MAX_CODES}" in problem["message"]
    # Dutch without lang (nl), as the outcome
    (dutch,) = error(ours.api.post("/assess", body))["fields"][field]
    assert f"hoogstens {MAX_CODES} codes" in dutch["message"]
    assert searches == []


def test_assess_refuses_a_code_longer_than_any_catalogue_code(ours, searches):
    response = ours.api.post("/assess", {"signals": ["x" * 100_000]})
    assert response.status_code == 400 and len(response.content) < SMALL
    assert searches == []


# --- suggestions for the first few unknown codes only -----------------------------------


def test_only_the_first_unknown_codes_of_a_registration_get_suggestions(ours, searches):
    unknown = nonsense(MAX_CODES)
    response = ours.api.post(registrations(ours), observation(signals=unknown))
    found = error(response)["fields"]
    assert len(found) == MAX_CODES  # every unknown code is still named
    assert searches == unknown[:SUGGESTED_CODES]
    assert all("suggestions" in found[f"signals[{i}]"][0] for i in range(MAX_CODES))


def test_a_typo_among_the_first_codes_still_gets_its_suggestion(ours, searches):
    response = ours.api.post(registrations(ours), observation(signals=["unexplaind_debts"]))
    assert "unexplained_debts" in error(response)["fields"]["signals[0]"][0]["suggestions"]
    assert searches == ["unexplaind_debts"]


def test_only_the_first_unknown_codes_of_an_assessment_get_suggestions(ours, searches):
    # Other nonsense in `unknown` than in `signals`: a code in both is contradictory.
    unknown = [f"no_such_unknown_{i}" for i in range(3)]
    body = {"signals": nonsense(MAX_CODES), "unknown": unknown, "risk_factors": ["x"]}
    response = ours.api.post("/assess", body)
    assert response.status_code == 400
    assert len(searches) == SUGGESTED_CODES
    problems = [p for ps in error(response)["fields"].values() for p in ps]
    assert len(problems) == MAX_CODES + 3 + 1


# --- names ---------------------------------------------------------------------------------


NO_LETTER = {
    "zero-width": "\u200b\u200c\u200d",
    "emoji": "\U0001f600\U0001f525",
    "punctuation": "-.'",
    "digits": "12345",
}
ANY_SCRIPT = {
    "arabic": ("\u0645\u062d\u0645\u062f", "\u0627\u0644\u0639\u0644\u064a"),
    "tigrinya": ("\u1230\u120b\u121d", "\u1308\u1265\u1228\u1218\u12f5\u1285"),
    "cyrillic": ("\u0401\u043b\u0435\u043d\u0430", "\u041f\u0435\u0442\u0440\u043e\u0432\u0430"),
    "diacritics": ("Ang\u00e9lique-\u0160\u00e1ra", "\u00c7elik-\u00d8stergaard"),
}


@pytest.mark.parametrize("field", ["given_names", "family_name"])
@pytest.mark.parametrize("name", NO_LETTER.values(), ids=NO_LETTER.keys())
def test_a_name_without_a_letter_is_refused(ours, field, name):
    who = {"given_names": "Ewout", "family_name": "Fenna", "birth_date": "2001-01-01"}
    response = ours.api.post("/persons", {"identity": {**who, field: name}})
    assert response.status_code == 400
    (problem,) = error(response)["fields"][f"identity.{field}"]
    assert problem["code"] == "no_letter"
    assert "letter" in problem["message"]
    assert Person.objects.filter(organisation=ours.organisation).count() == 1


CONTROLS = {
    "bell-escape": "A\x07\x1b[2J",
    "delete-nel": "Jansen\x07\x7f\u0085",
    "bidi-override": "\u202eevil",
}


@pytest.mark.parametrize("field", ["given_names", "family_name"])
@pytest.mark.parametrize("name", CONTROLS.values(), ids=CONTROLS.keys())
def test_a_name_with_a_control_or_format_character_is_refused(ours, field, name):
    who = {"given_names": "Ewout", "family_name": "Fenna", "birth_date": "2001-01-01"}
    response = ours.api.post("/persons", {"identity": {**who, field: name}})
    assert response.status_code == 400
    (problem,) = error(response)["fields"][f"identity.{field}"]
    assert problem["code"] == "control_character"
    assert "control characters" in problem["message"]
    assert Person.objects.filter(organisation=ours.organisation).count() == 1


@pytest.mark.parametrize(("given", "family"), ANY_SCRIPT.values(), ids=ANY_SCRIPT.keys())
def test_names_in_any_script_are_accepted(ours, given, family):
    who = {"given_names": given, "family_name": family, "birth_date": "2001-01-01"}
    response = ours.api.post("/persons", {"identity": who})
    assert response.status_code == 201, response.content
    pseudonym = response.json()["pseudonym"]
    revealed = ours.api.post(f"/persons/{pseudonym}/reveal", {"purpose": "controle"}).json()
    assert (revealed["given_names"], revealed["family_name"]) == (given, family)


def test_a_name_with_a_letter_among_other_characters_is_accepted(ours):
    who = {"given_names": "-J.", "family_name": "O'Neill-2", "birth_date": "2001-01-01"}
    assert ours.api.post("/persons", {"identity": who}).status_code == 201
    # An invisible character among them is not (a zero-width space: format, Cf).
    who["given_names"] = "\u200bJ."
    response = ours.api.post("/persons", {"identity": who})
    assert error(response)["fields"]["identity.given_names"][0]["code"] == "control_character"


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["20260101", "2026-1-1", "2026-01-1", "2026-W01-1"])
def test_dates_only_as_yyyy_mm_dd(ours, written):
    response = ours.api.post(registrations(ours), observation(observed_on=written))
    assert error(response)["fields"]["observed_on"][0]["code"] == "invalid"
    who = {"given_names": "Ewout", "family_name": "Fenna", "birth_date": written}
    response = ours.api.post("/persons", {"identity": who})
    assert error(response)["fields"]["identity.birth_date"][0]["code"] == "invalid"
    response = ours.api.post("/assess", {"signals": [], "as_of": written})
    assert "as_of" in error(response)["fields"]
    response = ours.api.post("/assess", {"signals": [{"code": SIGNALS[0], "observed_on": written}]})
    assert "signals[0].observed_on" in error(response)["fields"]


def test_assess_refuses_an_empty_as_of_but_takes_null(ours):
    response = ours.api.post("/assess", {"signals": [], "as_of": ""})
    assert error(response)["fields"]["as_of"][0]["code"] == "invalid"
    assert ours.api.post("/assess", {"signals": [], "as_of": None}).status_code == 200
    assert ours.api.post("/assess", {"signals": [], "as_of": "2026-01-01"}).status_code == 200


# --- charset -------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["bogus", "latin-1", "utf-16", ""])
def test_a_charset_other_than_utf8_is_415_with_a_reason(ours, charset):
    # generic(): post() would encode the body in that charset itself.
    response = ours.api.client.generic(
        "POST",
        f"{API}/persons/{ours.person.pseudonym}/reveal",
        json.dumps({"purpose": "controle"}).encode(),
        content_type=f"application/json; charset={charset}",
        headers=ours.api.headers(),
    )
    assert response.status_code == 415
    problem = error(response)
    assert problem["code"] == "unsupported_media_type"
    assert "UTF-8" in problem["message"]


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8"])
def test_utf8_may_be_named(ours, charset):
    who = identity("Ewout", "Fenna")
    person, _registration = make_person(ours.client, who)
    response = ours.api.post(
        f"/persons/{person.pseudonym}/reveal",
        raw=json.dumps({"purpose": "contr\u00f4le"}),
        content_type=f"application/json; charset={charset}",
    )
    assert response.status_code == 200, response.content
