"""The API's person list and person detail answer in the same bounded number of queries
with 10 rows as with 50 (tests.api.querycount.at_most, one bound for both sizes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.registry import actions
from tests.api import factories
from tests.api.querycount import at_most

pytestmark = pytest.mark.django_db

SIZES = [10, 50]
# On PostgreSQL (one query more than SQLite: the access-log chain lock).
PERSONS_LIST = 11
# The detail: one more since catalogue 2026.12, once per request (not per row): the active
# catalogue's versions, to read retired signal codes as what replaced them.
PERSON_DETAIL = 15


@pytest.mark.parametrize("n", SIZES)
def test_the_persons_list(ours, n):
    for i in range(n - 1):
        factories.make_person(ours.client, factories.identity(f"Naam{i}", "Synthetisch"))
    with at_most(PERSONS_LIST):
        response = ours.api.get("/persons", {"page_size": 50})
    assert response.status_code == 200
    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_the_person_detail(ours, n):
    actor = factories.actor_of(ours.client)
    for i in range(n - 1):
        actions.register_signals(
            actor,
            ours.person,
            signals=factories.SIGNALS[:1],
            observed_on=timezone.localdate() - timedelta(days=i + 1),
            how_learned="seen_myself",
        )
    with at_most(PERSON_DETAIL):
        response = ours.api.get(f"/persons/{ours.person.pseudonym}")
    assert response.status_code == 200
    assert len(response.json()["registrations"]) == n


def test_sort_and_signal_within_months(ours):
    actor = factories.actor_of(ours.client)
    old, _registration = factories.make_person(
        ours.client, factories.identity("Oude", "Synthetisch")
    )
    actions.withdraw_registration(actor, _registration, "test")
    actions.register_signals(
        actor,
        old,
        signals=factories.SIGNALS[:1],
        observed_on=timezone.localdate() - timedelta(days=300),
        how_learned="seen_myself",
    )
    recent = ours.api.get("/persons", {"signal_within_months": 6}).json()["results"]
    assert [r["pseudonym"] for r in recent] == [ours.person.pseudonym]
    by_name = ours.api.get("/persons", {"sort": "pseudonym"}).json()["results"]
    assert [r["pseudonym"] for r in by_name] == sorted([ours.person.pseudonym, old.pseudonym])
    for bad in ({"sort": "name"}, {"signal_within_months": 0}, {"signal_within_months": 121}):
        assert ours.api.get("/persons", bad).status_code == 400
