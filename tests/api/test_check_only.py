""" "Is er nu direct gevaar?" (direct_danger_now) is a check-only question: the API never
stores it as a signal about a person; `lens assess` (the engine) still takes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.data.registry import Person, Registration
from tests.api.conftest import error
from tests.api.factories import SIGNALS

pytestmark = pytest.mark.django_db

DANGER = "direct_danger_now"


def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def refused(response, path: str) -> None:
    assert response.status_code == 400, response.content
    problem = error(response)
    assert problem["code"] == "invalid_input"
    assert [p["code"] for p in problem["fields"][path]] == ["check_only_signal"]
    assert "112" in problem["fields"][path][0]["message"]


@pytest.mark.parametrize("signals", [[DANGER], [DANGER, *SIGNALS]])
def test_a_registration_with_danger_now_is_refused(ours, signals):
    before = Registration.objects.count()
    response = ours.api.post(
        f"/persons/{ours.person.pseudonym}/registrations",
        {"signals": signals, "observed_on": yesterday(), "how_learned": "seen_myself"},
    )
    refused(response, "signals")
    assert Registration.objects.count() == before
    # the same observation without it is stored
    response = ours.api.post(
        f"/persons/{ours.person.pseudonym}/registrations",
        {"signals": SIGNALS, "observed_on": yesterday(), "how_learned": "seen_myself"},
    )
    assert response.status_code == 201, response.content


def test_a_new_person_with_danger_now_is_refused(ours):
    persons = Person.objects.filter(organisation=ours.organisation).count()
    response = ours.api.post(
        "/persons",
        {
            "identity": {"given_names": "E", "family_name": "F", "birth_date": "2001-01-01"},
            "registration": {
                "signals": [DANGER],
                "observed_on": yesterday(),
                "how_learned": "seen_myself",
            },
        },
    )
    assert response.status_code == 400, response.content
    codes = {p["code"] for problems in error(response)["fields"].values() for p in problems}
    assert codes == {"check_only_signal"}
    assert Person.objects.filter(organisation=ours.organisation).count() == persons


def test_assess_counts_danger_now_for_acute_danger_only(ours):
    """The third outside probe: the JSON's numbers agree with its summary: the answer is
    level 4, listed under `questions`, and counted nowhere as a signal."""
    response = ours.api.post("/assess?lang=nl", {"signals": [DANGER, "truancy"]})
    assert response.status_code == 200
    found = response.json()
    explanation = found["explanation"]
    assert found["level"] == 4
    assert [q["code"] for q in explanation["questions"]] == [DANGER]
    assert [s["code"] for s in explanation["signals"]] == ["truancy"]
    assert explanation["metrics"]["signals"] == 1 and explanation["metrics"]["acute"] == 1
    assert found["values"]["total"] == 1
    assert "1 signaal geteld, samen een signaalwaarde van 1." in explanation["summary"]
