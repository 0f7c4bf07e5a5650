"""schemathesis against the committed openapi.yaml, through the real WSGI application.

For each operation, schemathesis generates requests that the schema calls valid, sends
them with the API token of one of two organisations and checks the answers:

- never a 5xx;
- the status code is one the operation documents, the answer is JSON and conforms to
  the documented response schema (errors too);
- a schema-valid request is not refused, except for what the schema cannot say and the
  400 description names, each with its own code (unknown catalogue codes, dates in the
  future, a BSN failing the 11-test, a correction that changes nothing; for the list a
  level the ruleset does not have and a page past the last), or a person or
  registration that does not exist in the organisation (404, 409).

Path parameters are mostly the organisation's own person and a fresh registration (so
that the writes succeed), sometimes the other organisation's (404) or generated ones;
catalogue codes and dates are sometimes replaced by real codes and past dates, so that
bodies reach the actions, not only the catalogue check. Still schema-valid: codes are
any strings there, and dates any dates.

A few examples per operation here (FUZZ_EXAMPLES, default 4); `scripts/fuzz_api.sh`
runs hundreds per operation on both databases before a release and prints the figures.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lens.catalogue import services
from tests.api.factories import SIGNALS, actor_of
from tests.registry import factories as registry

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
# With FUZZ_REPORT set (the long script), failures are counted and printed, not raised
# at the first one, so one run gives every figure.
REPORT = bool(os.environ.get("FUZZ_REPORT"))

SCHEMA = schemathesis.openapi.from_path(str(settings.BASE_DIR / "openapi.yaml"))
SCHEMA.config.generation.update(database="none")
OPERATIONS = {op.ok().label: op.ok() for op in SCHEMA.get_all_operations()}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Refusals of schema-valid requests that the schema cannot express; each is named in
# the operation's 400 description (lens.api.views.ERROR_TEXTS).
SEMANTIC = {
    "unknown_code",
    "future_date",
    "date_after_assessment",
    "too_old",
    "contradictory",  # assess: a signal code in more than one of signals/unknown/absent
    "no_letter",
    "control_character",  # a name with a control or invisible formatting character
    "invalid_bsn",
    "before_birth",
    "unchanged",
    "unknown_level",  # persons_list: a level the active ruleset does not have
    "page_out_of_range",  # persons_list: a page past the last
    "required",  # a purpose or reason of invisible characters only (purposes.said)
    "meaningless",  # a purpose or reason with fewer than three letters or digits
    # where the person lives (lens.registry.area_fields): not in the area table
    "unknown_municipality",
    "unknown_wijk",
    "full_postcode",
    "invalid_postcode",
    "postcode_outside_region",
    # the case report: a purpose without identity=true (one parameter needing another)
    "purpose_without_identity",
    "purpose_in_query",  # the case report's purpose belongs in the X-Purpose header
}

FIGURES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_figures():
    yield
    if REPORT:
        print("\nschemathesis figures, all operations:", dict(sorted(FIGURES.items())))


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, as a server runs it; but, as Django's test client
    does, without closing the database connection at the end of each request: that would
    end the test's transaction (on PostgreSQL, the connection is closed)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def ids() -> list[str]:
    return list(OPERATIONS)


def valid_body(body: Any, catalogue, pick: int) -> Any:
    """`body` with catalogue codes replaced by real ones and dates moved into the past:
    still schema-valid, but now it reaches the actions layer."""
    if isinstance(body, list):
        return [valid_body(item, catalogue, pick + i) for i, item in enumerate(body)]
    if not isinstance(body, dict):
        return body
    # the signals a registration may hold (a check-only question is refused there)
    signals = sorted(c for c, s in catalogue.signals.items() if not s.check_only)
    risks = sorted(catalogue.risk_factors)
    phenomena = sorted(catalogue.phenomena)
    fixed = {}
    for key, value in body.items():
        if key in ("signals", "unknown", "absent") and isinstance(value, list):
            value = [
                signals[(pick + i) % len(signals)]
                if isinstance(v, str)
                else valid_body(v, catalogue, pick)
                for i, v in enumerate(value)
            ]
        elif key == "risk_factors" and isinstance(value, list):
            value = [risks[(pick + i) % len(risks)] for i in range(len(value))]
        elif key == "phenomena" and isinstance(value, list):
            value = [phenomena[(pick + i) % len(phenomena)] for i in range(len(value))]
        elif key in ("municipality_code", "wijk_code", "pc4") and isinstance(value, str):
            value = ["", "", "5038"][pick % 3] if key == "pc4" else ""
        elif key == "code" and isinstance(value, str):
            value = signals[pick % len(signals)]
        elif key in ("organisation_type", "region") and isinstance(value, str):
            value = ""
        elif key in ("observed_on", "informed_on", "as_of", "birth_date") and value:
            value = past(value)
        elif key == "bsn":
            value = ""
        elif isinstance(value, dict | list):
            value = valid_body(value, catalogue, pick)
        fixed[key] = value
    return fixed


def past(value: str) -> str:
    day = date.fromisoformat(value)
    today = timezone.localdate()
    if day > today or day.year < 1900:
        day = today - timedelta(days=1 + day.toordinal() % 3000)
    return day.isoformat()


def refusal_allowed(response, target: str) -> bool:
    """Whether a 4xx answer to a schema-valid request is one the API may give."""
    status = response.status_code
    if status in (404, 409):
        return target != "own" or status == 409
    if status != 400:
        return False
    problems = response.json()["error"]["fields"].values()
    return bool(problems) and all(p["code"] in SEMANTIC for ps in problems for p in ps)


@pytest.mark.parametrize("label", ids())
def test_schema_valid_requests(label, ours, theirs, loaded_catalogue, wsgi_app):
    operation = OPERATIONS[label]
    catalogue, _ruleset = services.active()
    sides = {"own": ours, "other": theirs}
    figures: Counter[str] = Counter()
    # The case report: each person has an open case (a report of the own person's case
    # must then answer 200), and a generated `case` is replaced by that case's id.
    cases = {}
    if "/case/" in label:
        from lens.cases import actions
        from tests.casework.factories import step

        for side in sides.values():
            data = step("open", on=timezone.localdate(), by="-")
            cases[side.person.pseudonym] = actions.open_case(
                actor_of(side.client), side.person, data
            ).pk

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not REPORT,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(),
        side=st.sampled_from(["own", "other"]),
        target=st.sampled_from(["own", "own", "other", "generated"]),
        fix=st.booleans(),
    )
    def run(case, side, target, fix):
        me = sides[side]
        other = sides["other" if side == "own" else "own"]
        if "pseudonym" in (case.path_parameters or {}) and target != "generated":
            owner = me if target == "own" else other
            case.path_parameters["pseudonym"] = owner.person.pseudonym
            if "registration_id" in case.path_parameters:
                by = actor_of(owner.client)
                fresh = registry.registration(by, owner.person, signals=SIGNALS)
                case.path_parameters["registration_id"] = fresh.pk
        pseudonym = (case.path_parameters or {}).get("pseudonym")
        if pseudonym in cases and "case" in (case.query or {}):
            case.query["case"] = cases[pseudonym]  # the person's own case
        if fix and case.body is not None:
            case.body = valid_body(case.body, catalogue, pick=len(str(case.body)))
        response = case.call(app=wsgi_app, headers={"Authorization": f"Token {me.token}"})
        figures["requests"] += 1
        figures[f"status {response.status_code}"] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as failure:
            if response.status_code >= 500:
                figures["5xx"] += 1
            else:
                figures["schema violations"] += 1
            if not REPORT:
                raise
            print(f"\n{label}: {failure}")
        if 400 <= response.status_code < 500 and not refusal_allowed(response, target):
            figures["schema-valid requests refused"] += 1
            message = f"{label}: a schema-valid request was refused: {response.text[:500]}"
            if not REPORT:
                raise AssertionError(f"{message}\nbody: {case.body!r}")
            print(f"\n{message}\nbody: {case.body!r}")

    try:
        run()
    finally:
        FIGURES.update(figures)
        if REPORT:
            print(f"\n{label}: {dict(sorted(figures.items()))}")
    assert not (figures["5xx"] or figures["schema violations"]), dict(figures)
    assert not figures["schema-valid requests refused"], dict(figures)


def test_the_idempotency_answers_conform_to_the_schema(ours, loaded_catalogue, wsgi_app):
    """What a key's replays answer, which generated requests do not reach: the first
    answer again, another body under the same key (422), and the replay after the person
    the key's request wrote was erased (410 `person_erased`). Each answer is checked as
    the generated ones are: its status documented for the operation, its body the
    documented error or result."""
    from lens.accounts.audit import Operator
    from lens.retention import erase

    operation = OPERATIONS["POST /api/v1/persons"]
    headers = {"Authorization": f"Token {ours.token}", "Idempotency-Key": "contract-1"}

    def sent(given_names: str):
        body = {
            "identity": {
                "given_names": given_names,
                "family_name": "Proefpersoon",
                "birth_date": "2009-02-03",
            }
        }
        case = operation.Case(body=body, headers=headers, media_type="application/json")
        response = case.call(app=wsgi_app)
        case.validate_response(response, checks=CHECKS)
        return response

    first = sent("Jorinde")
    assert first.status_code == 201
    assert sent("Jorinde").status_code == 201  # the replay
    assert sent("Marjolein").status_code == 422  # another body under the key
    erase.erase_on_request(first.json()["pseudonym"], "Verzoek 22", Operator.command_line())
    again = sent("Jorinde")
    assert (again.status_code, again.json()["error"]["code"]) == (410, "person_erased")
