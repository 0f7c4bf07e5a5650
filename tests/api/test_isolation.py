"""Another organisation: every operation on its person answers 404 (never 403: no
existence leak), and no response to our client contains anything of theirs."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from lens.access.models import AccessLogEntry
from lens.data.registry import InformedNotice, Registration, Withdrawal
from tests import pdf_reading
from tests.api.conftest import error
from tests.api.factories import OTHER_SIGNAL

pytestmark = pytest.mark.django_db


def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


# Every operation on one person: (operation id, method, path, valid body). `{p}` is the
# pseudonym, `{r}` the registration id.
PERSON_OPERATIONS = [
    ("persons_retrieve", "GET", "/persons/{p}", None),
    (
        "registrations_create",
        "POST",
        "/persons/{p}/registrations",
        {"signals": [OTHER_SIGNAL], "observed_on": "{yesterday}", "how_learned": "seen_myself"},
    ),
    (
        "registrations_correct",
        "POST",
        "/persons/{p}/registrations/{r}/corrections",
        {"signals": [OTHER_SIGNAL]},
    ),
    (
        "registrations_withdraw",
        "POST",
        "/persons/{p}/registrations/{r}/withdrawal",
        {"reason": "Onjuist."},
    ),
    (
        "informed_record",
        "POST",
        "/persons/{p}/informed",
        {"informed": False, "reason_not": "Gevaar."},
    ),
    ("identity_reveal", "POST", "/persons/{p}/reveal", {"purpose": "Nieuwsgierigheid"}),
    ("case_report", "GET", "/persons/{p}/case/report", None),
    (
        "case_report",
        "GET",
        "/persons/{p}/case/report?identity=true",
        None,
    ),
]
# An operation's headers besides the token: the case report's purpose (not in the query).
HEADERS = {"/persons/{p}/case/report?identity=true": {"X-Purpose": "Nieuwsgierigheid"}}


@pytest.fixture(autouse=True)
def cases(ours, theirs):
    """Both organisations' persons have an open case (the case report's operation)."""
    from lens.cases import actions
    from tests.api.factories import actor_of
    from tests.casework.factories import step

    for side in (ours, theirs):
        data = step("open", on=timezone.localdate(), by="-")
        actions.open_case(actor_of(side.client), side.person, data)


def fill(value, p: str, r: int):
    if isinstance(value, str):
        return value.replace("{p}", p).replace("{r}", str(r)).replace("{yesterday}", yesterday())
    if isinstance(value, list):
        return [fill(v, p, r) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, p, r) for k, v in value.items()}
    return value


def their_content(side) -> list[str]:
    """Strings that only the other organisation's data contains."""
    return [
        side.person.pseudonym,
        side.organisation.name,
        side.client.name,
        side.identity.given_names,
        side.identity.family_name,
        side.identity.bsn,
        side.registration.context_note,
    ]


def readable(response) -> str:
    """The body as its reader reads it: a PDF (the case report) by its text."""
    if response.get("Content-Type") == "application/pdf":
        with tempfile.TemporaryDirectory() as folder:
            return pdf_reading.text(pdf_reading.write(response.content, Path(folder)))
    return response.content.decode()


def assert_nothing_of(side, response) -> None:
    body = readable(response)
    for text in their_content(side):
        assert text not in body, f"{text!r} of the other organisation in {body[:300]}"


def counts():
    return (
        Registration.objects.count(),
        Withdrawal.objects.count(),
        InformedNotice.objects.count(),
        AccessLogEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "body"),
    PERSON_OPERATIONS,
    ids=[o[0] + ("_identity" if "identity=" in o[2] else "") for o in PERSON_OPERATIONS],
)
def test_another_organisations_person_is_404_and_nothing_happens(
    ours, theirs, operation_id, method, path, body
):
    before = counts()
    url = fill(path, theirs.person.pseudonym, theirs.registration.pk)
    response = ours.api.request(method, url, fill(body, "", 0), HEADERS.get(path))
    assert response.status_code == 404, response.content
    assert error(response)["code"] == "person_not_found"
    assert_nothing_of(theirs, response)
    assert counts() == before  # no write, no read logged


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "body"),
    PERSON_OPERATIONS,
    ids=[o[0] + ("_identity" if "identity=" in o[2] else "") for o in PERSON_OPERATIONS],
)
def test_an_unknown_pseudonym_answers_exactly_as_another_organisations_person(
    ours, theirs, operation_id, method, path, body
):
    other = ours.api.request(
        method,
        fill(path, theirs.person.pseudonym, theirs.registration.pk),
        fill(body, "", 0),
        HEADERS.get(path),
    )
    unknown = ours.api.request(
        method, fill(path, "P-ZZZZ", theirs.registration.pk), fill(body, "", 0), HEADERS.get(path)
    )
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()


@pytest.mark.parametrize("suffix", ["corrections", "withdrawal"])
def test_their_registration_id_on_our_person_is_404(ours, theirs, suffix):
    path = f"/persons/{ours.person.pseudonym}/registrations/{theirs.registration.pk}/{suffix}"
    body = {"signals": [OTHER_SIGNAL]} if suffix == "corrections" else {"reason": "Onjuist."}
    before = counts()
    response = ours.api.post(path, body)
    assert response.status_code == 404
    assert error(response)["code"] == "registration_not_found"
    assert_nothing_of(theirs, response)
    assert counts() == before


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "body"),
    PERSON_OPERATIONS,
    ids=[o[0] + ("_identity" if "identity=" in o[2] else "") for o in PERSON_OPERATIONS],
)
def test_own_person_works_and_shows_nothing_of_theirs(
    ours, theirs, operation_id, method, path, body
):
    url = fill(path, ours.person.pseudonym, ours.registration.pk)
    response = ours.api.request(method, url, fill(body, "", 0), HEADERS.get(path))
    # A read or a reveal answers 200, a write 201.
    expected = (
        200 if operation_id in ("persons_retrieve", "identity_reveal", "case_report") else 201
    )
    assert response.status_code == expected, response.content
    assert_nothing_of(theirs, response)


def test_the_list_shows_only_own_persons(ours, theirs):
    response = ours.api.get("/persons")
    assert [r["pseudonym"] for r in response.json()["results"]] == [ours.person.pseudonym]
    assert_nothing_of(theirs, response)
    response = theirs.api.get("/persons")
    assert [r["pseudonym"] for r in response.json()["results"]] == [theirs.person.pseudonym]
    assert_nothing_of(ours, response)


def test_registering_their_person_makes_a_new_person_of_ours(ours, theirs):
    """Matching stays inside the organisation: their person's identity is new to us, and
    the answer says nothing about them."""
    body = {
        "identity": {
            "given_names": theirs.identity.given_names,
            "family_name": theirs.identity.family_name,
            "birth_date": theirs.identity.birth_date.isoformat(),
            "bsn": theirs.identity.bsn,
        }
    }
    response = ours.api.post("/persons", body)
    assert response.status_code == 201, response.content
    assert response.json()["known"] is False
    assert_nothing_of(theirs, response)


def test_assess_shows_nothing_of_anyone(ours, theirs):
    response = ours.api.post("/assess", {"signals": [OTHER_SIGNAL]})
    assert response.status_code == 200
    assert_nothing_of(theirs, response)
    assert_nothing_of(ours, response)
