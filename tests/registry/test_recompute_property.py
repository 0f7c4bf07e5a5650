"""The bulk recompute (lens.registry.recompute) equals the per-person path on random
registries, through the database: persons of two kinds of organisation with registrations
of random signals, dates and risk factors, some corrected, some withdrawn, some records
linked. The per-person path has stored every outcome with the engine
(test_recompute.test_the_per_person_path_stores_the_same_digest); the bulk path, reading
the same registrations through its export, must find every digest equal, so that it
stores nothing and replaces no combined outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lens.data.coordination import CombinedOutcome
from lens.data.registry import PersonOutcome, Role
from lens.registry import actions, recompute

from . import factories
from .test_recompute import codes

pytestmark = pytest.mark.django_db

# Around the acute and recency windows and far beyond them.
AGES = st.one_of(st.integers(min_value=0, max_value=800), st.sampled_from([6, 7, 8, 179, 180, 181]))


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_bulk_path_finds_every_outcome_of_the_per_person_path(world, catalogue, data):
    storable, risks = codes(catalogue), sorted(catalogue.risk_factors)
    some_signals = st.lists(st.sampled_from(storable), min_size=1, max_size=5, unique=True)
    today = timezone.localdate()
    actors = [world.actor(Role.PROFESSIONAL), factories.actor(world.other_professional)]
    with transaction.atomic():
        persons = []
        for _ in range(data.draw(st.integers(min_value=1, max_value=4), label="persons")):
            by = data.draw(st.sampled_from(actors), label="organisation")
            person = factories.person(by)
            persons.append(person)
            for _ in range(data.draw(st.integers(min_value=1, max_value=3), label="reports")):
                made = factories.registration(
                    by,
                    person,
                    signals=data.draw(some_signals, label="signals"),
                    risk_factors=data.draw(
                        st.lists(st.sampled_from(risks), max_size=2, unique=True), label="risks"
                    ),
                    observed_on=today - timedelta(days=data.draw(AGES, label="age")),
                )
                fate = data.draw(st.sampled_from(["kept", "corrected", "withdrawn"]))
                if fate == "corrected":
                    actions.correct_registration(by, made, signals=data.draw(some_signals))
                elif fate == "withdrawn":
                    actions.withdraw_registration(by, made, "Verkeerde persoon")
        if len(persons) > 1 and data.draw(st.booleans(), label="linked"):
            factories.link(world.actor(Role.ZORGCOORDINATOR), persons[0], persons[1])
        stored = PersonOutcome.objects.count()
        combined = set(CombinedOutcome.objects.values_list("pk", "digest"))
        result = recompute.recompute_all()
        assert result["changed"] == 0
        assert PersonOutcome.objects.count() == stored
        assert set(CombinedOutcome.objects.values_list("pk", "digest")) == combined
        transaction.set_rollback(True)
