"""Bad input gets a 4xx with a machine-readable code, never a 5xx; wrong role gets 403
(before any 404); every error has the one JSON shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.access import policy
from lens.access.models import AccessLogEntry, Action
from lens.access.routes import Permission
from lens.api import permissions
from lens.catalogue import services
from lens.catalogue.models import CatalogueVersion, RulesetVersion
from lens.data.registry import Person, Registration, Role
from tests.api.conftest import error
from tests.api.factories import OTHER_SIGNAL, SIGNALS

pytestmark = pytest.mark.django_db


def days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def fields(response) -> dict:
    assert response.status_code == 400, response.content
    problem = error(response)
    assert problem["code"] == "invalid_input"
    for path, problems in problem["fields"].items():
        assert problems, path
        for item in problems:
            assert item["code"] and item["message"], (path, item)
    return problem["fields"]


def codes(response) -> dict[str, list[str]]:
    return {path: [p["code"] for p in problems] for path, problems in fields(response).items()}


def registrations(side) -> str:
    return f"/persons/{side.person.pseudonym}/registrations"


# --- the body ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ['{"signals": [', "not json", '{"a": NaN}', "[" * 100_000, b"\xff\xfe{}"],
    ids=["truncated", "text", "nan", "deep", "not-utf8"],
)
def test_malformed_json_is_400(ours, raw):
    for path in (
        registrations(ours),
        "/persons",
        "/assess",
        f"/persons/{ours.person.pseudonym}/reveal",
    ):
        response = ours.api.post(path, raw=raw)
        assert response.status_code == 400, (path, response.content[:300])
        assert error(response)["code"] == "malformed_json"


# A lone surrogate (\ud800) is accepted by Python's decoder but is no Unicode text: echoed
# back in an error (unknown codes, invalid choices) it could not be encoded, a 500.
LONE_SURROGATE_BODIES = {
    "in-a-code": '{"signals": ["\\ud800"], "observed_on": "2020-01-01", "how_learned": "x"}',
    "in-a-choice": '{"identity": {"given_names": "A", "family_name": "B", '
    '"birth_date": "2000-01-01", "sex": "\\udfff"}}',
    "in-a-key": '{"\\ud800": 1}',
    "assess-code": '{"signals": ["\\ud800"]}',
    "assess-region": '{"signals": [], "region": "\\ud83d"}',
    "assess-date": '{"signals": [{"code": "x", "observed_on": "\\ud800"}]}',
}


@pytest.mark.parametrize("raw", LONE_SURROGATE_BODIES.values(), ids=LONE_SURROGATE_BODIES.keys())
def test_lone_surrogates_are_malformed_json_not_a_500(ours, raw):
    for path in (registrations(ours), "/persons", "/assess"):
        response = ours.api.post(path, raw=raw)
        assert response.status_code == 400, (path, response.content[:300])
        assert error(response)["code"] == "malformed_json"


def test_a_proper_surrogate_pair_is_just_text(ours):
    response = ours.api.post(
        f"/persons/{ours.person.pseudonym}/reveal", raw='{"purpose": "Melding \\ud83d\\ude00"}'
    )
    assert response.status_code == 200, response.content


def test_a_nul_in_the_user_agent_is_not_a_500(ours):
    # The user agent goes into the access log; PostgreSQL refuses NUL in text, so every
    # logged operation answered 500 there.
    response = ours.api.get(
        f"/persons/{ours.person.pseudonym}", headers={"User-Agent": "systeem\x00/1.0"}
    )
    assert response.status_code == 200, response.content
    assert AccessLogEntry.objects.latest("id").user_agent == "systeem\ufffd/1.0"


def test_duplicate_keys_are_refused_not_silently_overwritten(ours):
    before = Registration.objects.count()
    for raw in (
        '{"purpose": "Melding Veilig Thuis", "purpose": "iets anders"}',
        '{"signals": ["two_phones"], "signals": [], "observed_on": "2020-01-01", '
        '"how_learned": "seen_myself"}',
        '{"a": {"b": 1, "b": 2}}',
    ):
        for path in (f"/persons/{ours.person.pseudonym}/reveal", registrations(ours), "/assess"):
            response = ours.api.post(path, raw=raw)
            assert response.status_code == 400, (path, raw, response.content[:300])
            problem = error(response)
            assert problem["code"] == "malformed_json"
            assert "duplicate key" in problem["message"]
    assert Registration.objects.count() == before


@pytest.mark.parametrize(
    ("raw", "code"), [("[]", "invalid"), ('"text"', "invalid"), ("12", "invalid"), ("null", "null")]
)
def test_a_body_that_is_not_an_object_is_400(ours, raw, code):
    for path in (registrations(ours), "/persons", f"/persons/{ours.person.pseudonym}/reveal"):
        assert codes(ours.api.post(path, raw=raw)) == {"non_field_errors": [code]}


def test_an_empty_body_names_each_required_field(ours):
    assert codes(ours.api.post(registrations(ours))) == {
        "signals": ["required"],
        "observed_on": ["required"],
        "how_learned": ["required"],
    }


def test_wrong_content_type_is_415(ours):
    response = ours.api.post(
        registrations(ours), raw="signals=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert error(response)["code"] == "unsupported_media_type"


def test_too_large_a_body_is_413(ours, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = ours.api.post("/assess", {"signals": ["x" * 2000]})
    assert response.status_code == 413, response.content
    assert error(response)["code"] == "body_too_large"


def test_wrong_types(ours):
    response = ours.api.post(
        registrations(ours),
        {
            "signals": "unexplained_debts",
            "observed_on": 20260101,
            "how_learned": ["seen_myself"],
            "context_note": None,
            "risk_factors": [1, {"a": 1}],
        },
    )
    found = codes(response)
    assert found["signals"] == ["not_a_list"]
    assert found["observed_on"] == ["invalid"]
    assert found["how_learned"] == ["invalid_choice"]
    assert found["context_note"] == ["null"]
    assert found["risk_factors[1]"] == ["invalid"]
    assert Registration.objects.filter(person=ours.person).count() == 1


def test_unknown_fields_are_refused(ours):
    response = ours.api.post(
        registrations(ours),
        {"signals": SIGNALS, "observed_on": days(-1), "how_learned": "seen_myself", "signaal": 1},
    )
    assert codes(response) == {"signaal": ["unknown_field"]}


def test_unknown_signal_codes_come_with_suggestions(ours):
    response = ours.api.post(
        registrations(ours),
        {
            "signals": [SIGNALS[0], "unexplaind_debts", "zzzz"],
            "observed_on": days(-1),
            "how_learned": "seen_myself",
            "risk_factors": ["young_agee"],
        },
    )
    found = fields(response)
    assert set(found) == {"signals[1]", "signals[2]", "risk_factors[0]"}
    (typo,) = found["signals[1]"]
    assert typo["code"] == "unknown_code"
    assert typo["value"] == "unexplaind_debts"
    assert "unexplained_debts" in typo["suggestions"]
    assert found["signals[2]"][0]["suggestions"] == []
    assert found["risk_factors[0]"][0]["suggestions"][0] == "young_age"


def test_unknown_codes_in_the_first_observation_of_a_new_person(ours):
    response = ours.api.post(
        "/persons",
        {
            "identity": {"given_names": "E", "family_name": "F", "birth_date": "2001-01-01"},
            "registration": {
                "signals": ["two_phone"],
                "observed_on": days(-1),
                "how_learned": "seen_myself",
            },
        },
    )
    found = fields(response)
    assert "two_phones" in found["registration.signals[0]"][0]["suggestions"]
    assert Person.objects.filter(organisation=ours.organisation).count() == 1


def test_dates_in_the_future(ours):
    response = ours.api.post(
        registrations(ours),
        {"signals": SIGNALS, "observed_on": days(1), "how_learned": "seen_myself"},
    )
    assert codes(response) == {"observed_on": ["future_date"]}
    response = ours.api.post(
        "/persons",
        {"identity": {"given_names": "G", "family_name": "H", "birth_date": days(2)}},
    )
    assert codes(response) == {"identity.birth_date": ["future_date"]}
    response = ours.api.post(
        f"/persons/{ours.person.pseudonym}/informed",
        {"informed": True, "informed_on": days(1), "who": "person"},
    )
    assert codes(response) == {"informed_on": ["future_date"]}


def test_identity_errors(ours):
    response = ours.api.post(
        "/persons",
        {
            "identity": {
                "given_names": "",
                "family_name": "H",
                "birth_date": "1850-01-01",
                "bsn": "123456789",
            }
        },
    )
    found = codes(response)
    assert found["identity.given_names"] == ["blank"]
    assert found["identity.birth_date"] == ["too_old"]
    # The BSN's 11-test is the actions layer's; it is reached once the rest is valid.
    response = ours.api.post(
        "/persons",
        {
            "identity": {
                "given_names": "I",
                "family_name": "J",
                "birth_date": "2005-01-01",
                "bsn": "123456789",
            }
        },
    )
    # Named with its path in the body, like the serializer's errors.
    assert codes(response) == {"identity.bsn": ["invalid_bsn"]}
    assert codes(ours.api.post("/persons", {})) == {"identity": ["required"]}


def test_informed_needs_the_matching_fields(ours):
    path = f"/persons/{ours.person.pseudonym}/informed"
    assert set(fields(ours.api.post(path, {"informed": True}))) == {"informed_on", "who"}
    assert set(fields(ours.api.post(path, {"informed": False}))) == {"reason_not"}
    assert codes(ours.api.post(path, {"informed": "perhaps"})) == {"informed": ["invalid"]}


def test_reveal_needs_a_purpose(ours):
    path = f"/persons/{ours.person.pseudonym}/reveal"
    assert codes(ours.api.post(path, {})) == {"purpose": ["required"]}
    assert codes(ours.api.post(path, {"purpose": "   "})) == {"purpose": ["blank"]}
    assert codes(ours.api.post(path, {"purpose": "x" * 501})) == {"purpose": ["max_length"]}


@pytest.mark.parametrize(
    ("purpose", "code"),
    [
        ("\u200b\u200b", "required"),  # invisible only: nothing given
        ("\u2060\u00ad\ufeff\u202e", "required"),
        (".", "meaningless"),
        ("?!", "meaningless"),
        ("a\u200bb", "meaningless"),  # two letters once the zero-width space is gone
    ],
)
def test_reveal_refuses_a_purpose_that_says_nothing(ours, purpose, code):
    path = f"/persons/{ours.person.pseudonym}/reveal"
    response = ours.api.post(path, {"purpose": purpose})
    assert response.status_code == 400
    assert codes(response) == {"purpose": [code]}
    message = error(response)["fields"]["purpose"][0]["message"]
    assert message in (
        "Say why you need to see the identity.",
        "Say in words why: at least 3 letters or digits.",
    )
    assert not AccessLogEntry.objects.filter(action=Action.REVEAL).exists()


def test_reveal_logs_the_purpose_without_invisible_characters(ours):
    path = f"/persons/{ours.person.pseudonym}/reveal"
    assert ours.api.post(path, {"purpose": "\u200bcon\u200btrole\u200b"}).status_code == 200
    assert AccessLogEntry.objects.get(action=Action.REVEAL).purpose == "controle"


def test_withdraw_needs_a_reason(ours):
    path = f"/persons/{ours.person.pseudonym}/registrations/{ours.registration.pk}/withdrawal"
    assert codes(ours.api.post(path, {})) == {"reason": ["required"]}
    assert codes(ours.api.post(path, {"reason": ""})) == {"reason": ["blank"]}
    # invisible characters only, or one letter: no reason (outside probe: 201 before)
    assert codes(ours.api.post(path, {"reason": "\u200b\u200b\u200b\u200b"})) == {
        "reason": ["required"]
    }
    assert codes(ours.api.post(path, {"reason": "x"})) == {"reason": ["meaningless"]}
    assert ours.api.post(path, {"reason": "dubbel\u200b ingevoerd"}).status_code == 201


def test_a_correction_must_change_something(ours):
    path = f"/persons/{ours.person.pseudonym}/registrations/{ours.registration.pk}/corrections"
    assert codes(ours.api.post(path, {})) == {"non_field_errors": ["nothing_to_change"]}
    same = ours.api.post(path, {"signals": list(reversed(SIGNALS))})
    assert "non_field_errors" in fields(same)  # the actions layer: equals the registration


def test_list_parameters(ours):
    for params in (
        {"page": "x"},
        {"page": 0},
        {"page_size": 1000},
        {"level": "high"},
        {"level": -1},
    ):
        response = ours.api.get("/persons", params)
        assert response.status_code == 400, params
        assert set(error(response)["fields"]) == set(params)


LEVELS = "No such advice level; use one of: 0, 1, 2, 3, 4."
ONE_PAGE = "There is 1 page; ask for a page from 1 to 1."


@pytest.mark.parametrize(
    ("params", "field", "code", "message"),
    [
        ({"level": 9}, "level", "unknown_level", LEVELS),
        ({"page": 99999}, "page", "page_out_of_range", ONE_PAGE),
        ({"page": 2, "page_size": 1, "level": 0}, "page", "page_out_of_range", None),
        ({"sort": "bogus"}, "sort", "invalid_choice", None),
    ],
)
def test_unknown_level_bad_sort_and_a_page_past_the_last_are_400(
    ours, params, field, code, message
):
    since = AccessLogEntry.objects.count()
    response = ours.api.get("/persons", params)
    found = fields(response)
    assert set(found) == {field}
    (problem,) = found[field]
    assert problem["code"] == code
    if message:
        assert problem["message"] == message
    assert AccessLogEntry.objects.count() == since  # refused before anything was read


@pytest.mark.parametrize("name", ["level", "page", "page_size", "sort", "signal_within_months"])
def test_a_repeated_list_parameter_is_400_not_its_last_value(ours, name):
    """`level=1&level=2` was read as level 2 (issue 10, L3): every parameter takes one
    value; refused with the reason, before anything is read."""
    values = {"level": ["1", "2"], "page": ["1", "1"], "sort": ["pseudonym", "highest_level"]}
    since = AccessLogEntry.objects.count()
    response = ours.api.get("/persons", {name: values.get(name, ["1", "2"])})
    (problem,) = fields(response)[name]
    assert problem["code"] == "repeated"
    assert problem["message"] == "Given more than once; this parameter takes one value."
    assert AccessLogEntry.objects.count() == since
    report = ours.api.get(
        f"/persons/{ours.person.pseudonym}/case/report", {"identity": ["false", "true"]}
    )
    assert [p["code"] for p in fields(report)["identity"]] == ["repeated"]


def test_the_first_page_of_an_empty_list_is_not_an_error(ours):
    empty = ours.api.get("/persons", {"level": 0, "page": 1})  # nobody at level 0 here
    assert empty.status_code == 200, empty.content
    assert empty.json() == {"count": 0, "page": 1, "pages": 0, "results": []}
    assert ours.api.get("/persons", {"page": 1, "page_size": 1}).json()["pages"] == 1


# --- the anonymous lens engine -----------------------------------------------------------


def test_assess_unknown_codes_with_suggestions(ours):
    response = ours.api.post(
        "/assess",
        {
            "signals": ["unexplaind_debts", {"code": "two_phones", "organisation_type": "schol"}],
            "region": "amsterdm",
        },
    )
    found = fields(response)
    (signal,) = found["signals[0]"]
    assert signal["code"] == "unknown_code" and "unexplained_debts" in signal["suggestions"]
    assert "school" in found["signals[1].organisation_type"][0]["suggestions"]
    assert "amsterdam" in found["region"][0]["suggestions"]


@pytest.mark.parametrize("field", ["signals", "unknown", "absent", "risk_factors"])
def test_assess_names_the_item_of_an_unknown_code_with_its_reason(ours, field):
    catalogue, _ruleset = services.active()
    known = next(iter(catalogue.risk_factors)) if field == "risk_factors" else OTHER_SIGNAL
    body = {"signals": [], field: [known, "nope"]}
    found = fields(ours.api.post("/assess?lang=en", body))
    assert list(found) == [f"{field}[1]"], found
    (problem,) = found[f"{field}[1]"]
    noun = "risk factor" if field == "risk_factors" else "signal"
    assert problem["message"] == f"'nope' is not a {noun} code of the active catalogue."
    # Dutch first: without lang (nl), the reason is Dutch, as the outcome would be
    (dutch,) = fields(ours.api.post("/assess", body))[f"{field}[1]"]
    noun = "risicofactorcode" if field == "risk_factors" else "signaalcode"
    assert dutch["message"] == f"'nope' is geen {noun} van de actieve catalogus."
    assert problem["code"] == "unknown_code" and problem["value"] == "nope"


def test_assess_names_each_of_two_equal_unknown_codes(ours):
    found = fields(ours.api.post("/assess", {"signals": ["nope", {"code": "nope"}]}))
    assert sorted(found) == ["signals[0]", "signals[1]"]


@pytest.mark.parametrize(
    ("body", "path", "code"),
    [
        ({}, "signals", "required"),
        ({"signals": "x"}, "signals", "invalid"),
        ({"signals": [], "colour": 1}, "non_field_errors", "unknown_field"),
        (
            {"signals": [{"code": "x", "observed_on": "gisteren"}]},
            "signals[0].observed_on",
            "invalid",
        ),
        (
            {"signals": [{"code": OTHER_SIGNAL, "observed_on": "{tomorrow}"}]},
            "observed_on",
            "date_after_assessment",
        ),
        ([], "non_field_errors", "invalid"),
    ],
)
def test_assess_bad_input(ours, body, path, code):
    if isinstance(body, dict) and body.get("signals") and isinstance(body["signals"][0], dict):
        body["signals"][0] = {
            k: (days(1) if v == "{tomorrow}" else v) for k, v in body["signals"][0].items()
        }
    found = codes(ours.api.post("/assess", body))
    assert code in found[path], found


def test_assess_language_must_be_known(ours):
    response = ours.api.client.post(
        "/api/v1/assess?lang=fr", "{}", content_type="application/json", headers=ours.api.headers()
    )
    assert codes(response) == {"lang": ["invalid_choice"]}


def test_without_a_catalogue_the_engine_answers_503(ours):
    CatalogueVersion.objects.update(is_active=False)
    RulesetVersion.objects.update(is_active=False)
    response = ours.api.post("/assess", {"signals": []})
    assert response.status_code == 503
    assert error(response)["code"] == "catalogue_unavailable"


# --- methods and paths -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/persons/{p}"),
        ("put", "/persons/{p}"),
        ("get", "/assess"),
        ("get", "/persons/{p}/reveal"),
        ("patch", "/persons"),
        ("options", "/persons"),
    ],
)
def test_other_methods_are_405(ours, method, path):
    url = "/api/v1" + path.replace("{p}", ours.person.pseudonym)
    response = getattr(ours.api.client, method)(url, headers=ours.api.headers())
    assert response.status_code == 405, response.content
    assert error(response)["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "path", ["/nothing", "/persons/", "/persons/P-2345/registrations/x/withdrawal", "/"]
)
def test_unknown_paths_are_json_404(ours, anonymous, path):
    for api in (ours.api, anonymous):
        for response in (api.get(path), api.post(path, {"a": 1})):
            assert response.status_code == 404
            assert error(response)["code"] == "not_found"


def test_html_is_not_acceptable(ours):
    response = ours.api.get("/persons", headers={"Accept": "text/html"})
    assert response.status_code == 406
    assert error(response)["code"] == "not_acceptable"


# --- wrong role: 403, before 404 ---------------------------------------------------------


def test_a_role_missing_from_the_table_gets_403(ours, theirs, monkeypatch):
    only_officers = Permission(frozenset({Role.AANDACHTSFUNCTIONARIS.value}), action=Action.READ)
    monkeypatch.setitem(permissions.API_OPERATIONS, "persons_retrieve", only_officers)
    for pseudonym in (ours.person.pseudonym, theirs.person.pseudonym, "P-ZZZZ"):
        response = ours.api.get(f"/persons/{pseudonym}")
        assert response.status_code == 403, response.content
        assert error(response)["code"] == "permission_denied"


def test_a_role_the_policy_refuses_gets_403(ours, theirs, monkeypatch):
    allowed = policy.PERSON_ACTIONS[Role.PROFESSIONAL] - {Action.REVEAL}
    monkeypatch.setitem(policy.PERSON_ACTIONS, Role.PROFESSIONAL, allowed)
    for side in (ours, theirs):
        response = ours.api.post(f"/persons/{side.person.pseudonym}/reveal", {"purpose": "Test"})
        assert response.status_code == 403, response.content
        assert error(response)["code"] == "permission_denied"


def test_messages_are_english_whatever_the_server_language(ours, settings):
    settings.LANGUAGE_CODE = "nl"
    response = ours.api.post(
        registrations(ours),
        {"signals": SIGNALS, "observed_on": days(-1), "how_learned": "seen_myself"},
        headers={"Accept-Language": "nl"},
    )
    assert response.status_code == 201
    response = ours.api.post(f"/persons/{ours.person.pseudonym}/informed", {"informed": False})
    (problem,) = fields(response)["reason_not"]
    assert problem["message"] == "Give the reason for not informing."
    assert response["Content-Language"] == "en"
