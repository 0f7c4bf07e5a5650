"""GET /api/v1/persons/{pseudonym}/case/report (issue 13 §4): the case report as a
tagged PDF for the organisation's own dossier system: the open case, else the last
closed one, or `case`; pseudonymous and logged; the identity only with identity=true and
a purpose in the X-Purpose header (never the query string), for a case the client's
service user handles (need to know; the reveal logged); bad query parameters 400 with a
reason, another organisation's person or case 404, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.cases import actions
from lens.casework.workflow import StepData
from tests import pdf_reading
from tests.api.conftest import error, last_log_id, new_log_entries
from tests.api.factories import actor_of
from tests.casework.factories import VALID

pytestmark = pytest.mark.django_db


def step(name: str, **fields) -> StepData:
    day = timezone.localdate() - timedelta(days=1)
    return StepData(
        on=day, by="-", done=f"Gedaan via API-test: {name}", **{**VALID[name], **fields}
    )


def open_case(side):
    return actions.open_case(actor_of(side.client), side.person, step("open"))


def walk(side, case, *names):
    for name in names:
        actions.take_step(actor_of(side.client), case, name, step(name))
    case.refresh_from_db()
    return case


def report_path(side) -> str:
    return f"/persons/{side.person.pseudonym}/case/report"


def pdf_of(response, tmp_path) -> str:
    assert response.status_code == 200, response.content[:400]
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    path = pdf_reading.write(response.content, tmp_path)
    assert pdf_reading.info(path)["Tagged"] == "yes"
    assert 'pdfuaid:part="1"' in pdf_reading.xmp(path)
    return pdf_reading.text(path)


def test_the_open_case_pseudonymous_and_logged(ours, theirs, tmp_path):
    case = walk(ours, open_case(ours), "map_signals", "consult")
    open_case(theirs)
    since = last_log_id()
    response = ours.api.get(report_path(ours))
    text = pdf_of(response, tmp_path)
    assert response["Content-Language"] == "nl"
    assert f"Casusrapport {case.pk}" in text and ours.person.pseudonym in text
    assert "Gedaan via API-test: consult" in text and "ZVH Midden-Brabant" in text
    assert ours.organisation.name in text  # the signals' organisation
    assert ours.identity.family_name not in text and ours.identity.bsn not in text
    assert theirs.organisation.name not in text and theirs.person.pseudonym not in text
    [entry] = new_log_entries(since)
    assert (entry.action, entry.object_type, entry.object_id) == ("read", "case", str(case.pk))
    assert entry.purpose == "API: casusrapport" and entry.person_id == ours.person.pk


def test_without_an_open_case_the_last_closed_one_and_case_for_another(ours, tmp_path):
    first = walk(ours, open_case(ours), "close")
    second = walk(ours, open_case(ours), "close")
    text = pdf_of(ours.api.get(report_path(ours)), tmp_path)
    assert f"Casusrapport {second.pk}" in text
    text = pdf_of(ours.api.get(report_path(ours), {"case": first.pk}), tmp_path)
    assert f"Casusrapport {first.pk}" in text
    third = open_case(ours)
    text = pdf_of(ours.api.get(report_path(ours)), tmp_path)
    assert f"Casusrapport {third.pk}" in text


def test_in_english(ours, tmp_path):
    walk(ours, open_case(ours), "map_signals")
    response = ours.api.get(report_path(ours), {"lang": "en"})
    text = pdf_of(response, tmp_path)
    assert "Case report" in text and "Steps taken" in text and "Genomen stappen" not in text
    assert response["Content-Language"] == "en"


def test_the_identity_with_a_purpose_logs_the_reveal(ours, tmp_path):
    case = open_case(ours)
    since = last_log_id()
    response = ours.api.get(
        report_path(ours), {"identity": "true"}, headers={"X-Purpose": "dossier Veilig Thuis"}
    )
    text = pdf_of(response, tmp_path)
    assert ours.identity.family_name in text and ours.identity.bsn in text
    entries = [(e.action, e.object_type, e.object_id, e.purpose) for e in new_log_entries(since)]
    assert entries == [
        ("reveal", "identity", "", "dossier Veilig Thuis"),
        ("read", "case", str(case.pk), "API: casusrapport met identiteit"),
    ]


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"identity": "true"}, "purpose", "required"),
        ({"identity": "true", "X-Purpose": " . "}, "purpose", "meaningless"),
        ({"identity": "true", "X-Purpose": "%E2%80%8B%E2%80%8B"}, "purpose", "required"),
        ({"X-Purpose": "dossier"}, "purpose", "purpose_without_identity"),
        ({"identity": "false", "X-Purpose": "dossier"}, "purpose", "purpose_without_identity"),
        # Never in the query string (server logs keep it), not even with identity=true.
        ({"identity": "true", "purpose": "dossier"}, "purpose", "purpose_in_query"),
        ({"identity": "yes"}, "identity", "invalid"),
        ({"case": "abc"}, "case", "invalid"),
        ({"case": "0"}, "case", "invalid"),
        ({"case": "99999999999999999999"}, "case", "invalid"),
        ({"lang": "fr"}, "lang", "invalid_choice"),
    ],
)
def test_bad_query_parameters_are_400_with_a_reason_and_nothing_is_logged(ours, query, field, code):
    open_case(ours)
    since = last_log_id()
    headers = {k: v for k, v in query.items() if k == "X-Purpose"}
    query = {k: v for k, v in query.items() if k != "X-Purpose"}
    response = ours.api.get(report_path(ours), query, headers=headers)
    assert response.status_code == 400, response.content[:300]
    found = error(response)
    assert found["fields"][field][0]["code"] == code, found
    assert found["fields"][field][0]["message"]
    assert ours.identity.family_name not in response.content.decode()
    assert new_log_entries(since) == []


def test_the_purpose_header_may_be_percent_encoded_utf8(ours, tmp_path):
    open_case(ours)
    since = last_log_id()
    response = ours.api.get(
        report_path(ours),
        {"identity": "true"},
        headers={"X-Purpose": "dossier%20co%C3%B6rdinatie"},
    )
    assert ours.identity.bsn in pdf_of(response, tmp_path)
    assert new_log_entries(since)[0].purpose == "dossier coördinatie"


def test_the_purpose_header_may_be_raw_utf8_as_a_server_hands_it_over(ours, tmp_path):
    """A WSGI server hands a header over decoded as Latin-1 (PEP 3333): raw UTF-8 bytes
    are read back as UTF-8, not stored as "coÃ¶rdinatie" (an outside probe found that)."""
    open_case(ours)
    since = last_log_id()
    as_wsgi = "overleg zorgcoördinator".encode().decode("latin-1")
    response = ours.api.get(report_path(ours), {"identity": "true"}, headers={"X-Purpose": as_wsgi})
    assert ours.identity.bsn in pdf_of(response, tmp_path)
    assert new_log_entries(since)[0].purpose == "overleg zorgcoördinator"
    broken = ours.api.get(
        report_path(ours), {"identity": "true"}, headers={"X-Purpose": "\xff\xfe"}
    )
    assert broken.status_code == 400 and error(broken)["code"] == "invalid_input"
    assert "UTF-8" in broken.content.decode()


def test_the_client_acts_for_the_handlers_and_gets_the_identity_of_their_case(ours, tmp_path):
    """The organisation's dossier system files the report of a case handled by one of its
    professionals (the client acts for the handlers, policy.may_reveal_case); the reveal
    is logged with the purpose. On the pages a colleague who is not the handler does not
    get it (tests/cases)."""
    from lens.data.registry import Role
    from tests.registry import factories

    handler = factories.actor(factories.membership(Role.PROFESSIONAL, ours.organisation))
    actions.open_case(handler, ours.person, step("open"))
    since = last_log_id()
    response = ours.api.get(
        report_path(ours), {"identity": "true"}, headers={"X-Purpose": "dossier Veilig Thuis"}
    )
    assert ours.identity.bsn in pdf_of(response, tmp_path)
    assert [e.purpose for e in new_log_entries(since) if e.action == "reveal"] == [
        "dossier Veilig Thuis"
    ]


def test_no_case_or_another_organisations_case_is_404_case_not_found(ours, theirs):
    since = last_log_id()
    response = ours.api.get(report_path(ours))
    assert response.status_code == 404 and error(response)["code"] == "case_not_found"
    their_case = open_case(theirs)
    open_case(ours)
    since = last_log_id()
    other = ours.api.get(report_path(ours), {"case": their_case.pk})
    unknown = ours.api.get(report_path(ours), {"case": their_case.pk + 1000})
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()
    assert theirs.organisation.name not in other.content.decode()
    assert new_log_entries(since) == []


def test_accept_pdf_is_served_and_its_errors_stay_json(ours, tmp_path):
    open_case(ours)
    pdf_of(ours.api.get(report_path(ours), headers={"Accept": "application/pdf"}), tmp_path)
    refused = ours.api.get(
        report_path(ours), {"identity": "true"}, headers={"Accept": "application/pdf"}
    )
    assert refused.status_code == 400 and error(refused)["code"] == "invalid_input"


def test_anonymous_is_401(anonymous, ours):
    open_case(ours)
    response = anonymous.get(report_path(ours))
    assert response.status_code == 401
    assert error(response)["code"] == "not_authenticated"


def test_the_report_reads_a_constant_number_of_queries(ours, tmp_path):
    """No query per step, consultation or registration: a case with two steps and one
    with seven read the same number."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.api.factories import SIGNALS
    from tests.api.querycount import counted
    from tests.registry import factories as registry

    counts = []
    warm = open_case(ours)
    pdf_of(ours.api.get(report_path(ours)), tmp_path)  # per-process caches filled
    walk(ours, warm, "close")
    for names in (("map_signals",), ("map_signals", "consult", "converse", "weigh", "report")):
        case = walk(ours, open_case(ours), *names)
        with CaptureQueriesContext(connection) as queries:
            pdf_of(ours.api.get(report_path(ours)), tmp_path)
        counts.append(counted(queries))
        walk(ours, case, "organise_help", "close") if "report" in names else walk(
            ours, case, "close"
        )
        registry.registration(actor_of(ours.client), ours.person, signals=SIGNALS)
    assert counts[0] == counts[1], counts
