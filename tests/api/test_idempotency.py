"""The API's write operations with an Idempotency-Key, and registering a person whose
name and birth date (no BSN) the organisation knows already (issue 9, defects 2 and 5).

A retry with the same key gets the first answer and writes nothing; the same key with
another body is a 422. Without the key each request writes (as before)."""

from __future__ import annotations

import pytest

from lens.access.models import Action
from lens.accounts.audit import Operator
from lens.data.registry import InformedNotice, Person, Registration, Submission, Withdrawal
from lens.retention import erase
from tests.api.conftest import Api, error, last_log_id, new_log_entries
from tests.api.factories import SIGNALS
from tests.api.test_operations import days_ago
from tests.concurrency import at_once, log_emptied_afterwards, on_postgresql  # noqa: F401
from tests.registry import factories

pytestmark = pytest.mark.django_db
KEY = {"Idempotency-Key": "9f1c2d7e-0b7a-4c55-9a39-3e2f1d4c8b11"}


def new_person(given: str = "Jorinde", registration: bool = True) -> dict:
    body = {
        "identity": {
            "given_names": given,
            "family_name": "Proefpersoon",
            "birth_date": "2009-02-03",
        }
    }
    if registration:
        body["registration"] = {
            "signals": SIGNALS,
            "observed_on": days_ago(2),
            "how_learned": "seen_myself",
        }
    return body


def reports(person: Person) -> set[int]:
    outcome = factories.document(person.outcomes.latest())
    return {signal["reports"] for signal in outcome["explanation"]["signals"]}


def test_a_retried_registration_with_the_same_key_is_answered_and_not_written(ours):
    first = ours.api.post("/persons", new_person(), headers=KEY)
    assert first.status_code == 201, first.content
    since = last_log_id()
    again = ours.api.post("/persons", new_person(), headers=KEY)
    assert again.status_code == 201
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    person = Person.objects.get(pseudonym=first.json()["pseudonym"])
    assert person.registrations.count() == 1
    assert reports(person) == {1}
    # The replay wrote nothing but the read of what it shows again.
    [entry] = new_log_entries(since)
    assert (entry.action, entry.person_pseudonym, entry.purpose) == (
        Action.READ,
        person.pseudonym,
        "API: herhaald verzoek (Idempotency-Key)",
    )


def test_without_a_key_every_request_writes(ours):
    ours.api.post("/persons", new_person(), headers=KEY)
    person = Person.objects.latest("pk")
    body = new_person()["registration"]
    for _ in range(2):
        assert ours.api.post(f"/persons/{person.pseudonym}/registrations", body).status_code == 201
    assert person.registrations.count() == 3


def test_the_same_key_with_another_body_is_refused(ours):
    ours.api.post("/persons", new_person(), headers=KEY)
    before = (Person.objects.count(), Registration.objects.count())
    response = ours.api.post("/persons", new_person("Anders"), headers=KEY)
    assert response.status_code == 422
    assert error(response)["code"] == "idempotency_key_reused"
    assert (Person.objects.count(), Registration.objects.count()) == before
    # ... and so is the same key on another path.
    other = ours.api.post(
        f"/persons/{ours.person.pseudonym}/registrations", new_person()["registration"], headers=KEY
    )
    assert other.status_code == 422


@pytest.mark.parametrize("key", ["", " spatie", "é", "x" * 256])
def test_a_malformed_key_is_a_400(ours, key):
    if not key:
        # An empty header is no key at all.
        assert (
            ours.api.post("/persons", new_person(), headers={"Idempotency-Key": ""}).status_code
            == 201
        )
        return
    response = ours.api.post("/persons", new_person(), headers={"Idempotency-Key": key})
    assert response.status_code == 400
    assert error(response)["code"] == "invalid_idempotency_key"
    assert not Submission.objects.exists()


def test_a_refused_request_does_not_use_up_its_key(ours):
    bad = new_person()
    bad["registration"]["observed_on"] = "2999-01-01"
    assert ours.api.post("/persons", bad, headers=KEY).status_code == 400
    assert ours.api.post("/persons", new_person(), headers=KEY).status_code == 201


def test_keys_are_per_client(ours, theirs):
    assert ours.api.post("/persons", new_person(), headers=KEY).status_code == 201
    response = theirs.api.post("/persons", new_person(), headers=KEY)
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Person.objects.filter(organisation=theirs.organisation).count() == 2


@pytest.mark.parametrize("operation", ["registrations", "corrections", "withdrawal", "informed"])
def test_every_write_operation_replays(ours, operation):
    person, registration = ours.person, ours.registration
    base = f"/persons/{person.pseudonym}"
    path, body = {
        "registrations": (f"{base}/registrations", new_person()["registration"]),
        "corrections": (
            f"{base}/registrations/{registration.pk}/corrections",
            {"context_note": "Gecorrigeerd."},
        ),
        "withdrawal": (
            f"{base}/registrations/{registration.pk}/withdrawal",
            {"reason": "Verkeerde persoon."},
        ),
        "informed": (f"{base}/informed", {"informed": False, "reason_not": "Niet veilig."}),
    }[operation]
    first = ours.api.post(path, body, headers=KEY)
    assert first.status_code == 201, first.content
    rows = (
        Registration.objects.count(),
        Withdrawal.objects.count(),
        InformedNotice.objects.count(),
    )
    again = ours.api.post(path, body, headers=KEY)
    # A correction or withdrawal sent again is not a 409: it is the same request.
    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert (
        Registration.objects.count(),
        Withdrawal.objects.count(),
        InformedNotice.objects.count(),
    ) == rows


# --- the same name and birth date, no BSN ---------------------------------------------------


def test_the_same_name_and_birth_date_is_a_409_until_the_client_says(ours):
    first = ours.api.post("/persons", new_person())
    assert first.status_code == 201
    before = (Person.objects.count(), Registration.objects.count(), last_log_id())
    asked = ours.api.post("/persons", new_person())
    assert asked.status_code == 409
    problem = error(asked)
    assert problem["code"] == "possibly_same_person"
    assert "same_name_and_birth_date" in problem["message"]
    assert first.json()["pseudonym"] not in asked.content.decode()  # nothing about the person
    assert (Person.objects.count(), Registration.objects.count(), last_log_id()) == before

    same = ours.api.post("/persons", {**new_person(), "same_name_and_birth_date": "same_person"})
    assert same.status_code == 200
    assert same.json()["pseudonym"] == first.json()["pseudonym"] and same.json()["known"]

    different = ours.api.post(
        "/persons", {**new_person(), "same_name_and_birth_date": "different_person"}
    )
    assert different.status_code == 201
    assert different.json()["pseudonym"] != first.json()["pseudonym"]


def test_the_answer_is_checked(ours):
    response = ours.api.post("/persons", {**new_person(), "same_name_and_birth_date": "maybe"})
    assert response.status_code == 400
    assert "same_name_and_birth_date" in error(response)["fields"]


def test_a_bsn_decides_without_asking(ours):
    body = new_person()
    body["identity"]["bsn"] = ours.identity.bsn
    response = ours.api.post("/persons", body)
    assert response.status_code == 200 and response.json()["known"]


# --- at the same moment (PostgreSQL) --------------------------------------------------------


@on_postgresql
@pytest.mark.usefixtures("log_emptied_afterwards")
def test_the_same_identity_twice_at_once_gives_one_person(ours):
    other = Api(ours.token)
    for round_ in range(10):
        body = new_person(f"Gelijktijdig{'abcdefghij'[round_]}")
        answers = at_once(
            lambda body=body: ours.api.post("/persons", body),
            lambda body=body: other.post("/persons", body),
        )
        assert sorted(a.status_code for a in answers) == [201, 409], answers
    assert Person.objects.filter(organisation=ours.organisation).count() == 1 + 10


@on_postgresql
@pytest.mark.usefixtures("log_emptied_afterwards")
def test_a_double_submit_at_once_with_one_key_writes_once(ours):
    other = Api(ours.token)
    for round_ in range(5):
        body = new_person(f"Dubbel{'abcde'[round_]}")
        headers = {"Idempotency-Key": f"dubbel-{round_}"}
        answers = at_once(
            lambda body=body, headers=headers: ours.api.post("/persons", body, headers=headers),
            lambda body=body, headers=headers: other.post("/persons", body, headers=headers),
        )
        assert [a.status_code for a in answers] == [201, 201], answers
        assert answers[0].json() == answers[1].json()
        person = Person.objects.get(pseudonym=answers[0].json()["pseudonym"])
        assert person.registrations.count() == 1
        assert reports(person) == {1}


@on_postgresql
@pytest.mark.usefixtures("log_emptied_afterwards")
def test_correction_against_withdrawal_at_once_one_wins(ours):
    other = Api(ours.token)
    base = f"/persons/{ours.person.pseudonym}/registrations"
    for _round in range(5):
        made = ours.api.post(base, new_person()["registration"])
        registration = Registration.objects.get(pk=made.json()["id"])
        correct, withdraw = at_once(
            lambda pk=registration.pk: ours.api.post(
                f"{base}/{pk}/corrections", {"context_note": "Gecorrigeerd."}
            ),
            lambda pk=registration.pk: other.post(f"{base}/{pk}/withdrawal", {"reason": "Fout."}),
        )
        assert sorted([correct.status_code, withdraw.status_code]) == [201, 409]
        assert error(correct if correct.status_code == 409 else withdraw)["code"] == (
            "registration_not_current"
        )
        corrected = Registration.objects.filter(supersedes=registration).exists()
        withdrawn = Withdrawal.objects.filter(registration=registration).exists()
        assert corrected != withdrawn


def test_a_replay_after_the_person_was_erased_is_410_with_why(ours):
    """The key's person erased since (on request): the replay says so with 410, not a
    bare 404 "Not found." (issue 10, L4); nothing is written again."""
    first = ours.api.post("/persons", new_person(), headers=KEY)
    assert first.status_code == 201, first.content
    erase.erase_on_request(first.json()["pseudonym"], "Verzoek 21", Operator.command_line())
    persons = Person.objects.count()
    again = ours.api.post("/persons", new_person(), headers=KEY)
    assert again.status_code == 410, again.content
    problem = error(again)
    assert problem["code"] == "person_erased"
    assert "erased" in problem["message"]
    assert Person.objects.count() == persons
