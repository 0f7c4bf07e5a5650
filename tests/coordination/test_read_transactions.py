"""The zorgcoördinator's pages read through lens.access.policy_reads: what they show is
read in the transaction that writes their access-log entries, and nothing is served when
the log cannot be written."""

from __future__ import annotations

import pytest

from lens.coordination import picture as building
from lens.coordination import relation_network
from lens.web import lists, pages
from tests.access.reads import LogDown, ReadWatch

from .test_picture_views import url

pytestmark = pytest.mark.django_db


def pages_and_reads(across):
    """(page, the module and function the page reads what it shows with)."""
    return [
        (url("persons"), lists, "page_of"),
        (url("picture", pseudonym=across.at_school.pseudonym), building, "relations"),
        (url("ask", pseudonym=across.at_school.pseudonym), building, "involved_organisations"),
        (url("network"), relation_network, "page_contents"),
        (url("links"), lists, "page_of"),
        (url("worklist"), lists, "page_of"),
    ]


@pytest.mark.parametrize("index", range(6))
def test_each_page_reads_in_the_transaction_of_its_log_entries(
    client, login, across, monkeypatch, index
):
    login(across.members["zc"])
    page, module, name = pages_and_reads(across)[index]
    watch = ReadWatch(monkeypatch).spy(module, name).spy_render(pages)
    response = client.get(page)
    assert response.status_code == 200, page
    watch.assert_one_transaction()


@pytest.mark.parametrize("index", range(6))
def test_no_page_is_served_when_its_log_entry_cannot_be_written(
    client, login, across, monkeypatch, index
):
    login(across.members["zc"])
    page, _module, _name = pages_and_reads(across)[index]
    watch = ReadWatch(monkeypatch, fail=True).spy_render(pages)
    with pytest.raises(LogDown):
        client.get(page)
    assert not watch.renders, "a page was rendered without its log entry"
    watch.assert_nothing_logged()
