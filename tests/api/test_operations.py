"""Every operation for the client's own organisation, and its access-log entries: every
read, write and reveal of person data is logged with the API client named."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from lens.access import log
from lens.access.models import Action
from lens.access.verify import verify as verify_log
from lens.data.pseudonyms import age_band
from lens.data.registry import InformedNotice, Person, Registration, Withdrawal
from tests.api.conftest import Api, last_log_id, new_log_entries
from tests.api.factories import OTHER_SIGNAL, SIGNALS, make_client

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> str:
    return (timezone.localdate() - timedelta(days=n)).isoformat()


def assert_logged(entries, side, action: Action, person=None, purpose: str | None = None):
    """Each entry is by the side's API client, with the client named."""
    assert entries, "no access-log entry was written"
    for entry in entries:
        assert entry.action == action
        assert entry.api_client == side.client.name
        assert entry.username == f"api:{side.client.name}"
        assert entry.user_id == side.client.user_id
        assert entry.organisation_id == side.organisation.pk
        assert entry.role == "professional"
        assert entry.ip_address == "127.0.0.1"
        if person is not None:
            assert entry.person_pseudonym == person.pseudonym
        if purpose is not None:
            assert entry.purpose == purpose
    assert verify_log() == []


def test_list_shows_own_persons_and_logs_each(ours):
    since = last_log_id()
    response = ours.api.get("/persons")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["count"] == 1 and data["page"] == 1 and data["pages"] == 1
    (row,) = data["results"]
    assert row["pseudonym"] == ours.person.pseudonym
    assert row["age_band"] == age_band(ours.identity.birth_date.year, timezone.localdate())
    assert row["level"] is not None
    assert row["last_signal_on"] == ours.registration.observed_on.isoformat()
    assert isinstance(row["blind_spots"], int)
    assert set(row) == {"pseudonym", "age_band", "level", "last_signal_on", "blind_spots"}
    entries = new_log_entries(since)
    assert len(entries) == 1
    assert_logged(entries, ours, Action.LIST, ours.person)


def test_list_pages_and_level_filter(ours):
    level = ours.api.get("/persons").json()["results"][0]["level"]
    assert ours.api.get("/persons", {"level": level}).json()["count"] == 1
    assert ours.api.get("/persons", {"level": (level + 1) % 5}).json()["count"] == 0
    since = last_log_id()
    beyond = ours.api.get("/persons", {"page": 2, "page_size": 1})
    assert beyond.status_code == 400
    assert beyond.json()["error"]["fields"]["page"][0]["code"] == "page_out_of_range"
    assert new_log_entries(since) == []  # nothing shown, nothing logged


def test_register_a_new_person_with_a_first_observation(ours):
    since = last_log_id()
    body = {
        "identity": {
            "given_names": "Cornelis",
            "family_name": "Synthetica",
            "birth_date": "2009-02-03",
            "sex": "male",
        },
        "registration": {
            "signals": [SIGNALS[0], OTHER_SIGNAL],
            "observed_on": days_ago(1),
            "how_learned": "told_by_person",
            "context_note": "Synthetische notitie",
        },
    }
    response = ours.api.post("/persons", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["known"] is False
    person = Person.objects.get(pseudonym=data["pseudonym"])
    assert person.organisation == ours.organisation
    assert response["Location"] == f"/api/v1/persons/{person.pseudonym}"
    assert set(data["registration"]["signals"]) == {SIGNALS[0], OTHER_SIGNAL}
    registration = Registration.objects.get(person=person)
    assert registration.author == ours.client.user
    assert "Cornelis" not in response.content.decode()  # the identity is not echoed
    entries = new_log_entries(since)
    assert [e.action for e in entries] == [Action.CREATE, Action.CREATE]
    assert_logged(entries, ours, Action.CREATE, person)


def test_register_a_known_person_returns_its_pseudonym(ours):
    body = {
        "identity": {
            "given_names": ours.identity.given_names,
            "family_name": ours.identity.family_name,
            "birth_date": ours.identity.birth_date.isoformat(),
            "bsn": ours.identity.bsn,
        }
    }
    since = last_log_id()
    response = ours.api.post("/persons", body)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "pseudonym": ours.person.pseudonym,
        "known": True,
        "registration": None,
    }
    assert Person.objects.filter(organisation=ours.organisation).count() == 1
    assert_logged(new_log_entries(since), ours, Action.READ, ours.person)


def test_a_refused_first_observation_registers_no_person(ours):
    body = {
        "identity": {"given_names": "Dirk", "family_name": "Nergens", "birth_date": "2008-01-01"},
        "registration": {"signals": SIGNALS, "observed_on": days_ago(1), "how_learned": "x"},
    }
    response = ours.api.post("/persons", body)
    assert response.status_code == 400
    assert Person.objects.filter(organisation=ours.organisation).count() == 1


def test_person_detail_without_identity_and_logged(ours):
    ours.api.post(
        f"/persons/{ours.person.pseudonym}/informed",
        {"informed": True, "informed_on": days_ago(1), "who": "parents"},
    )
    since = last_log_id()
    response = ours.api.get(f"/persons/{ours.person.pseudonym}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["pseudonym"] == ours.person.pseudonym
    assert data["outcome"]["level"] == data["outcome"]["outcome"]["level"]
    assert data["outcome"]["outcome"]["catalogue_version"] == data["outcome"]["catalogue_version"]
    assert [r["id"] for r in data["registrations"]] == [ours.registration.pk]
    assert data["registrations"][0]["context_note"] == "Notitie-ons"
    assert data["informed"]["informed"] is True and data["informed"]["who"] == "parents"
    body = response.content.decode()
    for secret in (ours.identity.given_names, ours.identity.family_name, ours.identity.bsn):
        assert secret not in body
    assert ours.identity.birth_date.isoformat() not in body
    entries = new_log_entries(since)
    assert len(entries) == 1
    assert_logged(entries, ours, Action.READ, ours.person)


def test_register_signals_for_a_person(ours):
    since = last_log_id()
    response = ours.api.post(
        f"/persons/{ours.person.pseudonym}/registrations",
        {"signals": [OTHER_SIGNAL], "observed_on": days_ago(2), "how_learned": "told_by_others"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["signals"] == [OTHER_SIGNAL] and data["version"] == 1
    assert data["risk_factors"] == [] and data["context_note"] == ""
    assert Registration.objects.filter(person=ours.person).count() == 2
    assert_logged(new_log_entries(since), ours, Action.CREATE, ours.person)


def test_correct_a_registration(ours):
    since = last_log_id()
    path = f"/persons/{ours.person.pseudonym}/registrations/{ours.registration.pk}/corrections"
    response = ours.api.post(path, {"signals": [OTHER_SIGNAL]})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["version"] == 2 and data["supersedes"] == ours.registration.pk
    assert data["signals"] == [OTHER_SIGNAL]
    assert data["observed_on"] == ours.registration.observed_on.isoformat()  # unchanged
    assert_logged(new_log_entries(since), ours, Action.CHANGE, ours.person)
    # The old version stays, and is no longer current: correcting it again is a conflict.
    assert Registration.objects.filter(pk=ours.registration.pk).exists()
    again = ours.api.post(path, {"signals": SIGNALS})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "registration_not_current"
    detail = ours.api.get(f"/persons/{ours.person.pseudonym}").json()
    assert [r["id"] for r in detail["registrations"]] == [data["id"]]


def test_withdraw_a_registration(ours):
    since = last_log_id()
    path = f"/persons/{ours.person.pseudonym}/registrations/{ours.registration.pk}/withdrawal"
    response = ours.api.post(path, {"reason": "Verkeerde persoon geregistreerd."})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["registration"] == ours.registration.pk
    assert data["reason"] == "Verkeerde persoon geregistreerd."
    assert Withdrawal.objects.filter(registration=ours.registration).exists()
    assert Registration.objects.filter(pk=ours.registration.pk).exists()  # nothing deleted
    assert_logged(new_log_entries(since), ours, Action.WITHDRAW, ours.person)
    again = ours.api.post(path, {"reason": "Nog eens."})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "registration_not_current"
    detail = ours.api.get(f"/persons/{ours.person.pseudonym}").json()
    assert detail["registrations"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"informed": True, "informed_on": "{yesterday}", "who": "person"},
        {"informed": False, "reason_not": "Vertellen brengt de persoon in gevaar."},
    ],
)
def test_record_informed(ours, body):
    body = {k: (days_ago(1) if v == "{yesterday}" else v) for k, v in body.items()}
    since = last_log_id()
    response = ours.api.post(f"/persons/{ours.person.pseudonym}/informed", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["informed"] is body["informed"]
    assert data["reason_not"] == body.get("reason_not", "")
    assert InformedNotice.objects.filter(person=ours.person).count() == 1
    assert_logged(new_log_entries(since), ours, Action.CHANGE, ours.person)


def test_reveal_identity_with_purpose_is_logged(ours):
    since = last_log_id()
    purpose = "Afstemming met de leerplichtambtenaar"
    response = ours.api.post(f"/persons/{ours.person.pseudonym}/reveal", {"purpose": purpose})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "given_names": ours.identity.given_names,
        "family_name": ours.identity.family_name,
        "birth_date": ours.identity.birth_date.isoformat(),
        "bsn": ours.identity.bsn,
        "sex": "",
    }
    entries = new_log_entries(since)
    assert len(entries) == 1
    assert_logged(entries, ours, Action.REVEAL, ours.person, purpose=purpose)


def test_assess_is_the_lens_engine_and_touches_no_person_data(ours):
    since = last_log_id()
    body = {
        "signals": [
            {"code": SIGNALS[0], "organisation_type": "school", "observed_on": days_ago(5)},
            SIGNALS[1],
        ],
        "risk_factors": ["young_age"],
        "region": "midden_brabant",
    }
    response = ours.api.post("/assess", body)
    assert response.status_code == 200, response.content
    data = response.json()
    for key in ("level", "label", "values", "explanation", "blind_spots", "next_steps"):
        assert key in data
    assert {s["code"] for s in data["explanation"]["signals"]} == set(SIGNALS)
    assert new_log_entries(since) == []
    english = ours.api.client.post(
        "/api/v1/assess?lang=en",
        body,
        content_type="application/json",
        headers=ours.api.headers(),
    )
    assert english.status_code == 200
    assert english.json()["level"] == data["level"]


def test_assess_output_equals_lens_assess(ours, tmp_path):
    """The same input gives the same JSON as the CLI (`lens assess --json`)."""
    body = {"signals": [SIGNALS[0], OTHER_SIGNAL], "as_of": days_ago(0)}
    path = tmp_path / "input.json"
    path.write_text(json.dumps(body))
    out = io.StringIO()
    call_command("assess", str(path), stdout=out)
    assert ours.api.post("/assess", body).json() == json.loads(out.getvalue())


def test_a_second_client_of_the_same_organisation_sees_the_same_persons(ours):
    _client, token = make_client(ours.organisation, "Tweede systeem")
    response = Api(token).get(f"/persons/{ours.person.pseudonym}")
    assert response.status_code == 200


def test_no_data_is_returned_when_the_access_log_cannot_be_written(ours, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("the access log is unavailable")

    monkeypatch.setattr(log, "write_many", refuse)  # record() writes through it
    for response in (
        ours.api.get(f"/persons/{ours.person.pseudonym}"),
        ours.api.get("/persons"),
        ours.api.post(f"/persons/{ours.person.pseudonym}/reveal", {"purpose": "Test"}),
    ):
        assert response.status_code == 500
        assert response.json()["error"]["code"] == "server_error"
        body = response.content.decode()
        for secret in ("Notitie-ons", ours.identity.given_names, ours.identity.family_name):
            assert secret not in body
