"""Re-scoring one record after a new registration is a short write (issue 14, "Re-scoring
one person ... stays the per-person path"): one written-out read of what it compares
(lens.data.rescore) and only the writes of what changed, in the registration's
transaction, without a savepoint of its own. Linked records read their cluster and its
stored combined outcomes apart."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lens.catalogue import services
from lens.data.coordination import CombinedOutcome
from lens.data.registry import PersonOutcome, Registration, Role
from lens.picture.models import PicturePending
from lens.registry import actions

from . import factories

pytestmark = pytest.mark.django_db


def soft(catalogue) -> list[str]:
    return sorted(
        c
        for c, s in catalogue.signals.items()
        if s.strength == "zacht" and not s.acute and not s.check_only
    )


def new_registration(person, codes: list[str]) -> None:
    """A registration row as the action saves it, before its re-scoring."""
    catalogue, _ = services.active()
    Registration.objects.create(
        person=person,
        organisation=person.organisation,
        author_id=person.created_by_id,
        observed_on=timezone.localdate(),
        how_learned="seen_myself",
        signals=codes,
        catalogue_version=catalogue.version,
    )


def rescored(person) -> list[str]:
    """The statements of re-scoring `person` inside a registration's transaction, with
    the active versions the action has read already (as register_signals passes them)."""
    versions = services.active()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        actions.recompute_outcome(person, versions=versions)
    return [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]


def test_a_record_linked_to_nobody_is_read_once_and_writes_what_changed(world, catalogue):
    own = world.actor(Role.PROFESSIONAL)
    person = factories.person(own)
    factories.registration(own, person, signals=soft(catalogue)[:1])
    outcomes, pending = PersonOutcome.objects.count(), PicturePending.objects.count()
    new_registration(person, soft(catalogue)[1:3])  # the level moves: both outcomes change
    # One read; the new outcome, the combined outcome replaced, the picture's mark.
    assert rescored(person) == ["SELECT", "INSERT", "INSERT", "INSERT"]
    assert PersonOutcome.objects.count() == outcomes + 1
    assert PicturePending.objects.count() == pending + 1
    stored = CombinedOutcome.objects.get(cluster_id=person.pk)
    assert (stored.level, stored.digest) == (
        PersonOutcome.objects.latest_for(person).level,
        PersonOutcome.objects.latest_for(person).digest,
    )
    # Nothing changed: the read and the picture's mark only.
    assert rescored(person) == ["SELECT", "INSERT"]


def test_a_linked_record_reads_its_cluster_in_two_queries(world, catalogue):
    own = world.actor(Role.PROFESSIONAL)
    a, b = factories.person(own), factories.person(factories.actor(world.other_professional))
    factories.link(world.actor(Role.ZORGCOORDINATOR), a, b)
    new_registration(a, soft(catalogue)[:1])  # the first signal: below the threshold
    # The record's read and its new outcome; the cluster's records with their current
    # registrations, its stored combined outcomes; the combined outcome replaced, the mark.
    assert rescored(a) == ["SELECT", "INSERT", "SELECT", "SELECT", "INSERT", "INSERT"]
