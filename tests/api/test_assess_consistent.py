"""POST /api/v1/assess refuses contradictory input (the outside probe: a code in signals,
unknown and absent at once answered 200, level 1) and a date before 1900-01-01 (as_of
0001-01-01 answered 200), with a 400 that names the code or the date."""

from __future__ import annotations

import pytest

from tests.api.conftest import error

pytestmark = pytest.mark.django_db


def test_a_code_in_more_than_one_list_is_a_400_naming_it(ours):
    body = {"signals": ["truancy"], "unknown": ["truancy"], "absent": ["truancy"]}
    response = ours.api.post("/assess", body)
    assert response.status_code == 400
    (problem,) = error(response)["fields"]["non_field_errors"]
    assert problem["code"] == "contradictory" and problem["value"] == "truancy"
    assert "'truancy'" in problem["message"] and "signals, unknown, absent" in problem["message"]


def test_an_as_of_before_1900_is_a_400(ours):
    response = ours.api.post("/assess", {"signals": ["truancy"], "as_of": "0001-01-01"})
    assert response.status_code == 400
    (problem,) = error(response)["fields"]["as_of"]
    assert problem["code"] == "too_old" and problem["value"] == "0001-01-01"
    assert ours.api.post("/assess", {"signals": [], "as_of": "1900-01-01"}).status_code == 200


def test_a_retired_code_and_its_replacement_are_a_400(ours):
    """Retired codes are mapped before the lists are compared (third outside probe)."""
    body = {"signals": ["lots_of_cash"], "absent": ["unexplained_money_or_possessions"]}
    response = ours.api.post("/assess", body)
    assert response.status_code == 400
    (problem,) = error(response)["fields"]["non_field_errors"]
    assert problem["code"] == "contradictory"
    assert problem["value"] == "unexplained_money_or_possessions"
    assert "lots_of_cash" in problem["message"]
