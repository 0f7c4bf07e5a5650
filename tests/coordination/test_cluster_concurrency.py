"""Two link changes at the same moment, with real threads and transactions: the stored
clusters end as the links say (clusters.renumber locks the records of the component).

PostgreSQL only (tests/concurrency.py says why); on SQLite the two run one after the
other, which tests/coordination/test_clusters.py covers."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from lens.coordination import clusters
from lens.data.coordination import ClusterMember, PersonLink
from lens.data.registry import Role
from tests.concurrency import at_once, log_emptied_afterwards, on_postgresql  # noqa: F401
from tests.registry import factories

ROUNDS = 3


def _link_and_renumber(a, b, *, before: float, hold: float):
    """In one transaction: write an active link a-b and renumber, keeping the locks
    `hold` seconds longer (the other change starts meanwhile)."""
    time.sleep(before)
    with transaction.atomic():
        low, high = sorted((a, b), key=lambda p: p.pk)
        PersonLink.objects.create(person_a=low, person_b=high, basis="bsn", state="linked")
        found = clusters.renumber([a.pk, b.pk])
        time.sleep(hold)
    return found


@on_postgresql
@pytest.mark.usefixtures("log_emptied_afterwards")
def test_two_links_made_at_once_leave_one_cluster(active):
    for n in range(ROUNDS):
        actors = [
            factories.actor(factories.membership(Role.PROFESSIONAL, factories.organisation()))
            for _ in range(3)
        ]
        a, b, c = (
            factories.person(by, bsn=factories.valid_bsn(700 + 10 * n + i))
            for i, by in enumerate(actors)
        )
        results = at_once(
            lambda a=a, b=b: _link_and_renumber(a, b, before=0, hold=0.3),
            lambda b=b, c=c: _link_and_renumber(b, c, before=0.1, hold=0),
        )
        assert not any(isinstance(r, Exception) for r in results), results
        stored = dict(
            ClusterMember.objects.filter(person__in=[a, b, c]).values_list(
                "person_id", "cluster_id"
            )
        )
        assert stored == {a.pk: a.pk, b.pk: a.pk, c.pk: a.pk}
