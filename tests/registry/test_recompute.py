"""The bulk recompute (lens.registry.recompute) against the per-person path and the engine,
on the database: a fixed mixed registry with corrections, withdrawals, old and acute
signals, risk factors, two kinds of organisation and a linked pair."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.catalogue import services
from lens.coordination import clusters, combined
from lens.data import queries
from lens.data.coordination import CombinedOutcome
from lens.data.registry import OutcomeRun, Person, PersonOutcome, Role
from lens.registry import actions, recompute, recompute_input, tasks
from lens.rules import compiled
from lens.rules.engine import assess

from . import factories
from .test_tasks import new_ruleset_version

pytestmark = pytest.mark.django_db


def codes(catalogue, **wanted):
    """The storable signals (a check-only question is never registered) with `wanted`."""
    return sorted(
        c
        for c, s in catalogue.signals.items()
        if not s.check_only and all(getattr(s, k) == v for k, v in wanted.items())
    )


@pytest.fixture
def registry(world, catalogue):
    """Persons of two organisations with every kind of registration history."""
    own = world.actor(Role.PROFESSIONAL)
    other = factories.actor(world.other_professional)
    today = timezone.localdate()
    strong, soft = codes(catalogue, strength="sterk"), codes(catalogue, strength="zacht")
    acute = codes(catalogue, acute=True)
    risks = sorted(catalogue.risk_factors)
    made = []
    a = factories.person(own)
    factories.registration(own, a, signals=strong[:1], observed_on=today - timedelta(days=2))
    old = factories.registration(own, a, signals=soft[:3], observed_on=today - timedelta(days=500))
    actions.correct_registration(own, old, signals=soft[:2])
    factories.registration(own, a, signals=soft[3:4], risk_factors=risks[:2])
    made.append(a)
    b = factories.person(own)
    gone = factories.registration(own, b, signals=acute[:1], observed_on=today - timedelta(days=1))
    factories.registration(own, b, signals=acute[1:2], observed_on=today - timedelta(days=40))
    actions.withdraw_registration(own, gone, "Verkeerde persoon")
    made.append(b)
    c = factories.person(other)
    factories.registration(other, c, signals=[*strong[:2], soft[0]], risk_factors=risks[:1])
    made.append(c)
    # A linked pair across the two organisations: the combined outcome corroborates.
    d = factories.person(own)
    e = factories.person(other)
    factories.registration(own, d, signals=soft[:2])
    factories.registration(other, e, signals=soft[1:3], observed_on=today - timedelta(days=10))
    factories.link(world.actor(Role.ZORGCOORDINATOR), d, e)
    made += [d, e]
    return [*made, world.own_person, world.other_person]


def engine(person: Person, catalogue, ruleset):
    today = timezone.localdate()
    data, _ = queries.assessment_input(person, catalogue, today)
    return assess(catalogue, ruleset, data, today)


def assert_equal_to_engine(persons, catalogue, ruleset):
    for person in persons:
        person = Person.objects.select_related("organisation").get(pk=person.pk)
        stored = queries.latest_outcome(person)
        outcome = engine(person, catalogue, ruleset)
        assert stored.level == outcome.level.number, person
        assert stored.digest == compiled.digest(compiled.content(outcome)), person
        assert stored.blind_spots == queries.blind_spots(
            queries.outcome_document(stored, catalogue, ruleset)
        )
        assert queries.outcome_holds(stored, catalogue.version, ruleset.version)
    for person in persons:
        members = clusters.cluster_of(person)
        region = person.organisation.region
        in_region = [m for m in members if m.organisation.region == region]
        outcome, _ = combined.compute(in_region, region, catalogue, ruleset, timezone.localdate())
        stored = CombinedOutcome.objects.get(cluster_id=members[0].pk, region=region)
        assert stored.level == outcome.level.number
        assert stored.digest == compiled.digest(compiled.content(outcome))
        assert stored.members == [m.pk for m in in_region]


def test_the_per_person_path_stores_the_same_digest(registry, catalogue):
    _, ruleset = services.active()
    assert_equal_to_engine(registry, catalogue, ruleset)  # every outcome from actions


def test_bulk_recompute_equals_the_engine_and_stores_only_changes(registry, catalogue_files):
    before = PersonOutcome.objects.count()
    # Nothing changed: the run stores nothing, and says so.
    result = recompute.recompute_all()
    assert (result["persons"], result["changed"]) == (len(registry), 0)
    assert PersonOutcome.objects.count() == before
    # Every weight halved under a new version: every person with a signal changes.
    catalogue, ruleset = new_ruleset_version(catalogue_files)
    assert tasks.stale_persons(catalogue.version, ruleset.version).count() == len(registry)
    result = recompute.recompute_all()
    assert result["changed"] == len(registry)
    assert PersonOutcome.objects.count() == before + len(registry)
    assert not PersonOutcome.objects.filter(outcome__isnull=False).exists()  # no copies
    assert_equal_to_engine(registry, catalogue, ruleset)
    assert not tasks.stale_persons(catalogue.version, ruleset.version).exists()
    # The report the API serves for a bulk outcome is the engine's.
    stored = queries.latest_outcome(registry[0])
    document = queries.outcome_document(stored, catalogue, ruleset)
    assert document["level"] == stored.level
    assert document["ruleset_version"] == ruleset.version
    # Again: nothing changed any more.
    assert recompute.recompute_all()["changed"] == 0
    assert PersonOutcome.objects.count() == before + len(registry)
    assert OutcomeRun.objects.filter(finished_at__isnull=False).count() == 3


def test_an_outcome_the_per_person_path_wrote_during_the_run_is_kept(
    registry, catalogue_files, monkeypatch
):
    catalogue, _ = new_ruleset_version(catalogue_files)
    person = registry[0]
    exported = recompute_input.export

    def export_then_register(workdir):
        exported(workdir)
        # A professional registers while the run computes.
        actor = factories.actor(person.organisation.members.filter(role=Role.PROFESSIONAL).first())
        factories.registration(actor, person, signals=codes(catalogue, acute=True)[:1])

    monkeypatch.setattr(recompute_input, "export", export_then_register)
    before = person.outcomes.count()
    recompute.recompute_all()
    # One new row, the per-person path's (the new versions, the new signal); the run did
    # not write its older one for this person over it.
    assert person.outcomes.count() == before + 1
    latest = queries.latest_outcome(person)
    assert latest.level == 4


def test_bulk_recompute_reads_retired_codes_as_the_engine_does(world, catalogue_files):
    """A registration stored before codes were retired (two merged into one, one that is
    now a risk factor, a risk factor named twice that way): the bulk path reads it through
    the catalogue's retired codes, value by value equal to the engine."""
    catalogue, _ = services.active()
    merged = [c for c, r in catalogue.retired_signals.items() if r.replaced_by]
    into_risk = [c for c, r in catalogue.retired_signals.items() if r.replaced_by_risk_factor]
    assert len(merged) >= 2 and into_risk
    own = world.actor(Role.PROFESSIONAL)
    person = factories.person(own)
    registration = factories.registration(own, person, signals=codes(catalogue)[:1])
    risk = catalogue.retired_signals[into_risk[0]].replaced_by_risk_factor
    type(registration).objects.filter(pk=registration.pk).update(
        signals=[*merged[:2], into_risk[0], codes(catalogue)[0]], risk_factors=[risk]
    )
    catalogue, ruleset = new_ruleset_version(catalogue_files)
    assert recompute.recompute_all()["changed"] >= 1
    assert_equal_to_engine([person], catalogue, ruleset)


def test_the_coordinators_person_list_after_a_bulk_recompute(registry, catalogue_files, login):
    """A combined outcome the bulk recompute stores has no document (only its level and
    digest); the zorgcoördinator's person list read its blind spots from that document
    (found while reviewing the per-person path: an AttributeError, a 500)."""
    from django.urls import reverse

    from lens.data.registry import Membership

    catalogue, ruleset = new_ruleset_version(catalogue_files)
    assert recompute.recompute_all()["changed"] == len(registry)
    bulk = CombinedOutcome.objects.filter(outcome__isnull=True)
    assert bulk.exists() and not bulk.filter(blind_spots__isnull=True).exists()
    # The stored count is the engine's, as for the person's own outcome.
    for stored in bulk:
        members = list(Person.objects.filter(pk__in=stored.members).order_by("pk"))
        outcome, _ = combined.compute(
            members, stored.region, catalogue, ruleset, timezone.localdate()
        )
        assert stored.blind_spots == sum(1 for b in outcome.blind_spots if b.kind == "life_domain")
    coordinator = Membership.objects.filter(role=Role.ZORGCOORDINATOR).first()
    response = login(coordinator).get(reverse("coordination:persons"))
    assert response.status_code == 200
