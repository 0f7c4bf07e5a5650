"""POST /persons with a first observation is one action (lens.registry.actions.register_new):
a refused part answers 400 naming the field with its path, and leaves no person behind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lens.access.models import AccessLogEntry
from lens.data.coordination import PersonLink
from lens.data.registry import Person, PersonOutcome, Registration
from lens.registry import actions
from tests.api.factories import SIGNALS

pytestmark = pytest.mark.django_db


def everything():
    return (
        Person.objects.count(),
        Registration.objects.count(),
        PersonOutcome.objects.count(),
        PersonLink.objects.count(),
        AccessLogEntry.objects.count(),
    )


def body(birth_date="2008-01-01", observed_on="2020-01-01", **identity):
    return {
        "identity": {
            "given_names": "Dirk",
            "family_name": "Nergens",
            "birth_date": birth_date,
            **identity,
        },
        "registration": {
            "signals": SIGNALS,
            "observed_on": observed_on,
            "how_learned": "seen_myself",
        },
    }


def fields_of(response) -> dict[str, list[str]]:
    return {k: [p["code"] for p in v] for k, v in response.json()["error"]["fields"].items()}


@pytest.mark.parametrize("key", [None, "ghost-probe-1"])
def test_observation_before_birth_leaves_no_person(ours, key):
    before = everything()
    headers = {"Idempotency-Key": key} if key else None
    response = ours.api.post("/persons", body(observed_on="2005-01-01"), headers=headers)
    assert response.status_code == 400, response.content
    assert fields_of(response) == {"registration.observed_on": ["before_birth"]}
    assert everything() == before


def test_a_refusal_after_the_person_was_written_leaves_nothing(ours, monkeypatch):
    def refuse(*args, **kwargs):
        raise ValidationError({"observed_on": ["refused after the person was written"]})

    monkeypatch.setattr(actions.registrations, "register_signals", refuse)
    before = everything()
    response = ours.api.post("/persons", body())
    assert response.status_code == 400
    assert fields_of(response) == {"registration.observed_on": ["invalid"]}
    assert everything() == before


def test_a_bad_identity_is_named_with_its_path(ours):
    before = everything()
    response = ours.api.post("/persons", body(birth_date="1899-12-31"))
    assert response.status_code == 400
    assert fields_of(response) == {"identity.birth_date": ["too_old"]}
    assert everything() == before


def test_a_good_request_still_registers(ours):
    response = ours.api.post("/persons", body())
    assert response.status_code == 201, response.content
    person = Person.objects.get(pseudonym=response.json()["pseudonym"])
    assert person.registrations.count() == 1
