"""The data step of coordination 0003: the clusters of existing links are numbered, and
of the combined outcomes stored per record only the newest per cluster and region stays.

Runs the real migrations: back to 0002, data written through the models of that moment,
forward again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("coordination", "0002_latest_outcome_index")]


def before(executor) -> list[tuple[str, str]]:
    """Coordination at 0002 and the registry as it is now: the persons' table has every
    column of today, so the rows written here must come from today's registry models."""
    registry = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "registry"]
    return BEFORE + registry


@pytest.fixture
def migrator(transactional_db):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def test_existing_links_and_outcomes_become_stored_clusters(migrator):
    migrator.migrate(before(migrator))
    apps = migrator.loader.project_state(before(migrator)).apps
    Organisation = apps.get_model("registry", "Organisation")
    Person = apps.get_model("registry", "Person")
    PersonLink = apps.get_model("coordination", "PersonLink")
    CombinedOutcome = apps.get_model("coordination", "CombinedOutcome")
    User = apps.get_model("auth", "User")
    user = User.objects.create(username="migratie-test")

    def organisation(region):
        return Organisation.objects.create(name=f"Synthetisch {region}", region=region)

    here, there = organisation("midden_brabant"), organisation("amsterdam")
    a, b, c, d = (
        Person.objects.create(
            pseudonym=f"P-MIG{n}", organisation=org, created_by=user, birth_year=2010
        )
        for n, org in enumerate([here, here, there, here])
    )
    PersonLink.objects.create(person_a=a, person_b=b, basis="bsn", state="linked")
    PersonLink.objects.create(person_a=b, person_b=c, basis="bsn", state="linked")
    PersonLink.objects.create(person_a=a, person_b=d, basis="fuzzy", state="rejected")
    now = timezone.now()
    for n, person in enumerate([a, b, a, c, d]):  # older first
        CombinedOutcome.objects.create(
            person=person,
            members=[],
            level=n,
            outcome={"n": n},
            catalogue_version="x",
            ruleset_version="x",
        )
    for n, row in enumerate(CombinedOutcome.objects.order_by("pk")):
        CombinedOutcome.objects.filter(pk=row.pk).update(computed_at=now + timedelta(seconds=n))

    migrator.loader.build_graph()
    migrator.migrate(migrator.loader.graph.leaf_nodes())

    from lens.data.coordination import ClusterMember
    from lens.data.coordination import CombinedOutcome as Stored

    assert dict(ClusterMember.objects.values_list("person_id", "cluster_id")) == {
        a.pk: a.pk,
        b.pk: a.pk,
        c.pk: a.pk,
    }
    kept = {(o.cluster_id, o.region): o.level for o in Stored.objects.all()}
    # Cluster a in midden_brabant: rows of a (0, 2) and b (1): the newest, 2. In
    # amsterdam: c's (3). d, linked to nobody: its own (4).
    assert kept == {
        (a.pk, "midden_brabant"): 2,
        (a.pk, "amsterdam"): 3,
        (d.pk, "midden_brabant"): 4,
    }
