"""The person detail embeds a page of the current registrations, the newest first
(?registrations_page=, ?registrations_page_size=), with how many there are and a link
to the older ones: its size stays bounded however many registrations a person has. A
person with no more than a page answers as before (all of them, oldest first)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.registry import actions
from tests.api import factories
from tests.api.conftest import API, last_log_id, new_log_entries

pytestmark = pytest.mark.django_db

DEFAULT = 50  # lens.api.views.base.PAGE_SIZE


def register(ours, n: int) -> None:
    """`n - 1` registrations more for our person (it has one), a day apart, older."""
    actor = factories.actor_of(ours.client)
    for i in range(n - 1):
        actions.register_signals(
            actor,
            ours.person,
            signals=factories.SIGNALS[:1],
            observed_on=timezone.localdate() - timedelta(days=10 + i),
            how_learned="seen_myself",
        )


def detail(ours, **params):
    return ours.api.get(f"/persons/{ours.person.pseudonym}", params)


def test_a_page_of_the_newest_with_the_count_and_a_link_to_the_older(ours):
    register(ours, DEFAULT + 7)
    first = detail(ours)
    assert first.status_code == 200
    body = first.json()
    assert body["registrations_count"] == DEFAULT + 7
    assert len(body["registrations"]) == DEFAULT
    dates = [r["observed_on"] for r in body["registrations"]]
    assert dates == sorted(dates)  # listed oldest first, as before it was paged
    nxt = body["registrations_next"]
    assert nxt.endswith(f"{API}/persons/{ours.person.pseudonym}?registrations_page=2")
    second = ours.api.get(nxt.split(API, 1)[1]).json()
    assert len(second["registrations"]) == 7
    assert second["registrations_next"] is None
    older = [r["observed_on"] for r in second["registrations"]]
    assert max(older) <= min(dates)
    ids = {r["id"] for r in body["registrations"]} | {r["id"] for r in second["registrations"]}
    assert len(ids) == DEFAULT + 7


def test_a_person_with_no_more_than_a_page_answers_as_before(ours):
    register(ours, 3)
    body = detail(ours).json()
    assert body["registrations_count"] == 3
    assert body["registrations_next"] is None
    dates = [r["observed_on"] for r in body["registrations"]]
    assert len(dates) == 3 and dates == sorted(dates)


def test_the_page_size_and_a_page_past_the_last(ours):
    register(ours, 12)
    small = detail(ours, registrations_page_size=5).json()
    assert len(small["registrations"]) == 5
    assert small["registrations_next"].endswith("registrations_page_size=5&registrations_page=2")
    assert (
        len(detail(ours, registrations_page_size=5, registrations_page=3).json()["registrations"])
        == 2
    )
    since = last_log_id()
    beyond = detail(ours, registrations_page_size=5, registrations_page=4)
    assert beyond.status_code == 400
    assert beyond.json()["error"]["fields"]["registrations_page"][0]["code"] == "page_out_of_range"
    assert new_log_entries(since) == []  # nothing read, nothing logged
    for bad in (
        {"registrations_page": 0},
        {"registrations_page_size": 201},
        {"registrations_page": "x"},
    ):
        refused = detail(ours, **bad)
        assert refused.status_code == 400
        assert refused.json()["error"]["fields"][next(iter(bad))][0]["code"] == "invalid"


def test_the_size_stays_bounded(ours):
    register(ours, DEFAULT)
    at_a_page = len(detail(ours).content)
    register(ours, 151)  # 200 in all
    many = detail(ours)
    assert many.json()["registrations_count"] == 200
    # The same number of registrations shown, and a link: a few hundred bytes more.
    assert len(many.content) - at_a_page < 500, (at_a_page, len(many.content))
