"""The API reads through lens.access.policy_reads: what an answer shows is read in the
transaction that writes its access-log entries, and nothing is answered when the log
cannot be written (a 500 without data, never data without its entry)."""

from __future__ import annotations

import pytest

from lens.api.views import persons as person_views
from lens.cases import documents
from lens.registry import selectors
from tests.access.reads import ReadWatch

from .test_case_report import open_case, report_path
from .test_idempotency import KEY, new_person

pytestmark = pytest.mark.django_db


def reads(side):
    """(path, query, headers, the module and function the answer reads what it shows with)."""
    return [
        ("/persons", {}, None, person_views, "page_in_range"),
        (f"/persons/{side.person.pseudonym}", {}, None, selectors, "overview_of"),
        (report_path(side), {}, None, documents, "report"),
        (report_path(side), {"identity": "true"}, {"X-Purpose": "Melding"}, documents, "report"),
    ]


@pytest.mark.parametrize("index", range(4))
def test_each_answer_reads_in_the_transaction_of_its_log_entries(ours, monkeypatch, index):
    open_case(ours)
    path, query, headers, module, name = reads(ours)[index]
    watch = ReadWatch(monkeypatch).spy(module, name)
    response = ours.api.get(path, query, headers=headers)
    assert response.status_code == 200, response.content[:300]
    watch.assert_one_transaction()


@pytest.mark.parametrize("index", range(4))
def test_nothing_is_answered_when_the_log_cannot_be_written(ours, monkeypatch, index):
    open_case(ours)
    path, query, headers, _module, _name = reads(ours)[index]
    watch = ReadWatch(monkeypatch, fail=True)
    response = ours.api.get(path, query, headers=headers)
    assert response.status_code == 500
    assert ours.person.pseudonym.encode() not in response.content
    watch.assert_nothing_logged()


def test_a_replayed_reply_is_built_in_the_transaction_of_its_read(ours, monkeypatch):
    first = ours.api.post("/persons", new_person(), headers=KEY)
    assert first.status_code == 201, first.content
    watch = ReadWatch(monkeypatch).spy(person_views, "registered_response")
    again = ours.api.post("/persons", new_person(), headers=KEY)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    watch.assert_one_transaction()


def test_a_replayed_reply_is_not_sent_without_its_log_entry(ours, monkeypatch):
    assert ours.api.post("/persons", new_person(), headers=KEY).status_code == 201
    watch = ReadWatch(monkeypatch, fail=True)
    again = ours.api.post("/persons", new_person(), headers=KEY)
    assert again.status_code == 500
    assert b"P-" not in again.content and "Location" not in again
    watch.assert_nothing_logged()
