"""Ending a relation says why (lens.coordination.actions.end_relation): a reason from
RelationEndReason and a short text, required for "another reason". The database refuses
an ended relation without a reason; migration 0005 gives the relations ended before it
"recorded in error" (the only way to end one then). Who sees the reason: everyone who
sees the relation; the short text only an organisation whose two records it joins.

Everything here is synthetic: made-up names, BSNs generated to pass the elfproef only.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lens.coordination import actions
from lens.data.coordination import END_NOTE_MAX, PersonRelation, RelationEndReason, RelationKind
from tests.coordination import linkworld
from tests.coordination.linkworld import in_dutch, url
from tests.registry import conftest as registry
from tests.registry import factories

active = registry.active
catalogue_files = registry.catalogue_files
login = registry.login
links_world = linkworld.links_world


def two_own_records(world) -> PersonRelation:
    school = world.actor("school")
    a, b = factories.person(school), factories.person(school)
    return actions.record_relation(school, a, b, RelationKind.SAME_ADDRESS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [
        ("", "", "reason"),
        ("bored", "", "reason"),
        (RelationEndReason.OTHER, "   ", "note"),
        (RelationEndReason.OTHER, "\u200b\u200b", "note"),  # invisible only
        (RelationEndReason.OTHER, "x", "note"),
        (RelationEndReason.RECORDED_IN_ERROR, "x" * (END_NOTE_MAX + 1), "note"),
    ],
)
def test_a_reason_is_required_and_the_text_is_short(links_world, reason, note, field):
    relation = two_own_records(links_world)
    with pytest.raises(ValidationError) as refused:
        actions.end_relation(links_world.actor("school"), relation, reason, note)
    assert field in refused.value.message_dict
    relation.refresh_from_db()
    assert relation.ended_at is None and relation.end_reason == ""


@pytest.mark.django_db
def test_the_reason_and_the_text_are_stored(links_world):
    relation = two_own_records(links_world)
    actions.end_relation(
        links_world.actor("school"), relation, RelationEndReason.OTHER, "  Verhuisd.  "
    )
    relation.refresh_from_db()
    assert relation.ended_at is not None
    assert (relation.end_reason, relation.end_note) == ("other", "Verhuisd.")


@pytest.mark.django_db
def test_the_database_refuses_an_end_without_a_reason(links_world):
    relation = two_own_records(links_world)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonRelation.objects.filter(pk=relation.pk).update(ended_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonRelation.objects.filter(pk=relation.pk).update(end_reason="other")


@pytest.mark.django_db
def test_the_text_shows_only_to_an_organisation_whose_two_records_it_joins(links_world, login):
    """The zorgcoördinator ends a relation between a school record and a youth care
    record: the school sees that it ended and why, not the zorgcoördinator's text."""
    school, youth_care = links_world.actor("school"), links_world.actor("youth_care")
    ours, theirs = factories.person(school), factories.person(youth_care)
    actions.refer(school, ours, "Zorgen, graag meekijken.")
    actions.refer(youth_care, theirs, "Zorgen, graag meekijken.")
    zc = links_world.actor("zc")
    relation = actions.record_relation(zc, ours, theirs, RelationKind.FOUND_TOGETHER)
    actions.end_relation(zc, relation, RelationEndReason.OTHER, "Eindnoot-van-de-regie")
    html = (
        login(links_world.members["school"])
        .get(url("registry:person", pseudonym=ours.pseudonym))
        .content.decode()
    )
    assert in_dutch(lambda: RelationEndReason.OTHER.label) in html
    assert "Eindnoot-van-de-regie" not in html
    # Between two own records the organisation sees the text too.
    own = two_own_records(links_world)
    actions.end_relation(school, own, RelationEndReason.OTHER, "Eigen-eindnoot")
    page = login(links_world.members["school"]).get(
        url("registry:person", pseudonym=own.person_a.pseudonym)
    )
    assert "Eigen-eindnoot" in page.content.decode()


# --- migration 0005 --------------------------------------------------------------------------

BEFORE = ("coordination", "0004_one_combined_outcome_per_cluster")


@pytest.fixture
def migrator(transactional_db):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    yield executor
    executor.loader.build_graph()
    executor.migrate(latest)


def test_relations_ended_before_were_recorded_in_error(migrator):
    registry_now = [n for n in migrator.loader.graph.leaf_nodes() if n[0] == "registry"]
    target = [BEFORE, *registry_now]
    migrator.migrate(target)
    apps = migrator.loader.project_state(target).apps
    Organisation = apps.get_model("registry", "Organisation")
    Person = apps.get_model("registry", "Person")
    Relation = apps.get_model("coordination", "PersonRelation")
    User = apps.get_model("auth", "User")
    user = User.objects.create(username="migratie-relatie")
    here = Organisation.objects.create(name="Synthetisch Midden", region="midden_brabant")
    a, b, c = (
        Person.objects.create(
            pseudonym=f"P-MGR{n}", organisation=here, created_by=user, birth_year=2010
        )
        for n in range(3)
    )
    ended = Relation.objects.create(
        person_a=a, person_b=b, kind="family", recorded_by=user, ended_at=timezone.now()
    )
    current = Relation.objects.create(person_a=a, person_b=c, kind="family", recorded_by=user)

    migrator.loader.build_graph()
    migrator.migrate(migrator.loader.graph.leaf_nodes())

    assert PersonRelation.objects.get(pk=ended.pk).end_reason == "recorded_in_error"
    assert PersonRelation.objects.get(pk=current.pk).end_reason == ""
