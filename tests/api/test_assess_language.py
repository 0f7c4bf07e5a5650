"""POST /api/v1/assess gives its input problems' reasons in the requested language, as it
gives the outcome (third outside probe: English reasons with ?lang=nl), and names a wrong
date's value once, as sent (the probe: "'2026-13-45'" quoted inside the value too)."""

from __future__ import annotations

import pytest

from tests.api.conftest import error

pytestmark = pytest.mark.django_db


def reasons(response) -> dict[str, list[str]]:
    assert response.status_code == 400
    return {k: [p["message"] for p in v] for k, v in error(response)["fields"].items()}


def test_reasons_follow_lang(ours):
    body = {"signals": "truancy", "as_of": "2026-13-45", "colour": 1}
    dutch = reasons(ours.api.post("/assess?lang=nl", body))
    assert dutch["signals"] == ["signals: verwacht een lijst"]
    assert dutch["as_of"] == ["as_of: '2026-13-45' is geen datum (JJJJ-MM-DD)"]
    assert dutch["non_field_errors"] == ["onbekende sleutels ['colour']"]
    english = reasons(ours.api.post("/assess?lang=en", body))
    assert english["signals"] == ["signals: expected a list"]
    assert english["as_of"] == ["as_of: '2026-13-45' is not a date (YYYY-MM-DD)"]
    # no lang: Dutch, as the outcome without lang
    assert reasons(ours.api.post("/assess", body)) == dutch


def test_contradiction_and_too_old_in_dutch(ours):
    body = {"signals": ["truancy"], "absent": ["truancy"], "as_of": "1899-12-31"}
    dutch = reasons(ours.api.post("/assess?lang=nl", body))
    assert all("given in" not in m and "lies before" not in m for ms in dutch.values() for m in ms)
    assert dutch["as_of"] == ["as_of: 1899-12-31 ligt vóór 1900-01-01"]


def test_a_wrong_date_value_is_given_once_as_sent(ours):
    response = ours.api.post("/assess?lang=en", {"signals": [], "as_of": "2026-13-45"})
    (problem,) = error(response)["fields"]["as_of"]
    assert problem["value"] == "2026-13-45"
    assert problem["message"].count("2026-13-45") == 1
