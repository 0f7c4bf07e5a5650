"""The case pages read through lens.access.policy_reads: what they show is read in the
transaction that writes their access-log entries, and nothing is served when the log
cannot be written."""

from __future__ import annotations

import pytest
from django.db import connection

from lens.cases import actions, documents, records, selectors
from lens.data.registry import Role
from lens.web import lists, pages
from tests.access.reads import LogDown, ReadWatch
from tests.registry.test_views import url

pytestmark = pytest.mark.django_db


def pages_and_reads(case):
    """(page, the module and function the page reads what it shows with, HTML or not)."""
    return [
        (url("cases:work_list"), lists, "page_of", True),
        (url("cases:case", case_id=case.pk), selectors, "case_page", True),
        (url("cases:conversation", case_id=case.pk), documents, "sheet", True),
        (url("cases:report", case_id=case.pk), documents, "report", False),
        # The form pages: the case's steps (the flow the form offers), the colleagues.
        (
            url("cases:step", case_id=case.pk, transition="map_signals"),
            records,
            "stored_steps",
            True,
        ),
        (url("cases:hand_over", case_id=case.pk), actions, "colleagues", True),
    ]


PAGES = 6


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS])
@pytest.mark.parametrize("index", range(PAGES))
def test_each_page_reads_in_the_transaction_of_its_log_entries(
    client, login, world, own_case, monkeypatch, index, role
):
    login(world.members[role])
    page, module, name, html = pages_and_reads(own_case)[index]
    watch = ReadWatch(monkeypatch).spy(module, name)
    if html:
        watch.spy_render(pages)
    response = client.get(page)
    assert response.status_code == 200, page
    watch.assert_one_transaction()


@pytest.mark.parametrize("index", range(PAGES))
def test_no_page_is_served_when_its_log_entry_cannot_be_written(
    client, login, world, own_case, monkeypatch, index
):
    login(world.members[Role.PROFESSIONAL])
    page, module, name, _html = pages_and_reads(own_case)[index]
    watch = ReadWatch(monkeypatch, fail=True).spy(module, name).spy_render(pages)
    with pytest.raises(LogDown):
        client.get(page)
    assert not watch.renders, "a page was rendered without its log entry"
    watch.assert_nothing_logged()


# --- the zorgcoördinator's list of case referrals ------------------------------------------


@pytest.fixture
def referred(world, own_case):
    from .test_referral_answers import refer

    return refer(world, own_case)


def test_the_referrals_list_reads_in_the_transaction_of_its_log_entries(
    client, login, world, referred, monkeypatch
):
    login(world.members[Role.ZORGCOORDINATOR])
    watch = ReadWatch(monkeypatch).spy(lists, "page_of").spy_render(pages)
    response = client.get(url("cases:referrals"))
    assert response.status_code == 200
    assert referred.referral.person.pseudonym in response.content.decode()
    watch.assert_one_transaction()


def test_the_referrals_list_is_not_served_when_its_log_cannot_be_written(
    client, login, world, referred, monkeypatch
):
    login(world.members[Role.ZORGCOORDINATOR])
    watch = ReadWatch(monkeypatch, fail=True).spy_render(pages)
    with pytest.raises(LogDown):
        client.get(url("cases:referrals"))
    assert not watch.renders, "a page was rendered without its log entry"
    watch.assert_nothing_logged()


def test_the_answer_form_reads_the_referral_in_the_transaction_of_its_log_entry(
    client, login, world, referred, monkeypatch
):
    from lens.cases import referrals

    login(world.members[Role.ZORGCOORDINATOR])
    page = url("cases:referral_answer", link_id=referred.pk)
    watch = ReadWatch(monkeypatch).spy_render(pages)
    reads = []
    real = referrals.find_referral

    def find(*args, **kwargs):
        reads.append(tuple(connection.atomic_blocks))
        return real(*args, **kwargs)

    monkeypatch.setattr(referrals, "find_referral", find)
    assert client.get(page).status_code == 200
    # The last find is the one whose referral the page shows: in the log's transaction.
    watch.reads.append(reads[-1])
    watch.assert_one_transaction()
    ReadWatch(monkeypatch, fail=True)
    with pytest.raises(LogDown):
        client.get(page)
