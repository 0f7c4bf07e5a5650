"""The route on the professional's outcome fits the age the check asked (issue 12 §1:
"Gaat het om iemand onder de 18?" was asked for every age, also "24 of ouder"): for a
minor the meldcode for minors without the question, for an adult not the minors' step,
and the question only when the age is not known."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

QUESTION = "Gaat het om iemand onder de 18?"
MINORS_STEP = "Volg de meldcode bij minderjarigen"
WITHOUT_QUESTION = (
    "Doorloop de vijf stappen van de meldcode huiselijk geweld en kindermishandeling."
)
CASE = {
    "audience": "professional",
    "region": "midden_brabant",
    "signal_truancy": "yes",
    "signal_two_phones": "yes",
    "signal_debt_to_exploiter": "yes",
    "signal_unexplained_money_or_possessions": "yes",
}


def outcome(client, age: str) -> str:
    response = client.post("/uitkomst/", CASE | ({"age": age} if age else {}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("age", ["18_23", "older"])
def test_an_adult_gets_no_step_for_minors(client, catalogue, age):
    html = outcome(client, age)
    assert MINORS_STEP not in html
    assert QUESTION not in html
    assert "Bespreek uw vermoeden met een expert" in html  # the rest of the route stays


@pytest.mark.parametrize("age", ["under_16", "16_17"])
def test_a_minor_gets_the_meldcode_without_the_question(client, catalogue, age):
    html = outcome(client, age)
    assert MINORS_STEP in html
    assert WITHOUT_QUESTION in html
    assert QUESTION not in html


@pytest.mark.parametrize("age", ["unknown", ""])
def test_the_question_only_when_the_age_is_not_known(client, catalogue, age):
    html = outcome(client, age)
    assert MINORS_STEP in html and QUESTION in html


def test_each_age_its_own_route_in_one_process(client, catalogue):
    """The route is rendered once per process and kept: the age is part of its key."""
    assert QUESTION in outcome(client, "unknown")
    assert QUESTION not in outcome(client, "older")
    assert QUESTION in outcome(client, "unknown")
