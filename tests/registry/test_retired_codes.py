"""Registrations stored with a code the catalogue has since retired keep their meaning:
shown, scored, corrected and exported as what replaced them (catalogue/retired_signals.yaml).

A registration made under an older catalogue is simulated by writing the old codes into
a stored registration (no older catalogue version needs loading for that)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lens.data.registry import Registration, Role
from lens.picture.filters import Filters
from lens.registry import actions
from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Observation
from tests.api.conftest import Api

from . import factories
from .test_views import text, url

pytestmark = pytest.mark.django_db

OLD_SIGNALS = ["lots_of_cash", "luxury_items", "new_expensive_clothes", "possibly_minor"]


def stored_with(registration: Registration, signals: list[str], risk_factors=()) -> None:
    Registration.objects.filter(pk=registration.pk).update(
        signals=signals, risk_factors=list(risk_factors)
    )
    registration.refresh_from_db()


@pytest.fixture
def old_person(world):
    registration = world.own_registration
    stored_with(registration, [*OLD_SIGNALS, "truancy", "dealing_or_police_record"])
    actions.recompute_outcome(world.own_person)
    return world.own_person


def test_the_mapping_is_in_the_real_catalogue(catalogue):
    assert catalogue.resolve_signal("lots_of_cash") == (
        "signal",
        "unexplained_money_or_possessions",
    )
    assert catalogue.resolve_signal("possibly_minor") == ("risk_factor", "young_age")
    assert catalogue.resolve_signal("no_dutch_or_illiterate") == ("risk_factor", "language_barrier")
    assert catalogue.resolve_signal("low_self_esteem_suggestible") == (
        "risk_factor",
        "low_self_confidence_impulsive",
    )
    assert catalogue.resolve_signal("dealing_or_police_record") == (
        "risk_factor",
        "justice_contact",
    )
    assert catalogue.resolve_signal("ordered_serious_crime") == (
        "signal",
        "forced_to_commit_crimes",
    )
    for code in catalogue.retired_signals:
        assert code not in catalogue.signals


def test_old_registration_is_scored_as_its_replacement(old_person, catalogue, active):
    _catalogue, ruleset = active
    stored = old_person.outcomes.latest()
    today = timezone.localdate()
    expected = assess(
        catalogue,
        ruleset,
        AssessmentInput(
            signals=tuple(
                Observation(code, "school", today - timedelta(days=3))
                for code in ("unexplained_money_or_possessions", "truancy")
            ),
            risk_factors=("justice_contact", "young_age"),
            region=old_person.organisation.region,
        ),
        today,
    )
    assert stored.level == expected.level.number
    shown = factories.document(stored)
    counted = [s["code"] for s in shown["explanation"]["signals"]]
    assert sorted(counted) == [
        "truancy",
        "unexplained_money_or_possessions",
    ]  # three codes, one signal
    risk_factors = shown["explanation"]["risk_factors"]
    assert sorted(r["code"] for r in risk_factors) == ["justice_contact", "young_age"]


def test_person_page_shows_the_replacement(old_person, world, catalogue, login):
    client = login(world.members[Role.PROFESSIONAL])
    body = text(client.get(url("registry:person", pseudonym=old_person.pseudonym)))
    assert catalogue.signals["unexplained_money_or_possessions"].label.nl in body
    assert catalogue.risk_factors["young_age"].label.nl in body
    assert catalogue.risk_factors["justice_contact"].label.nl in body
    for code in OLD_SIGNALS:
        assert code not in body


def test_correcting_an_old_registration_offers_the_replacement(old_person, world):
    values = actions.correctable_values(world.own_registration)
    assert values["signals"] == ["unexplained_money_or_possessions", "truancy"]
    assert values["risk_factors"] == ["young_age", "justice_contact"]
    # Nothing changed is still nothing changed, read through the mapping.
    with pytest.raises(ValidationError):
        actions.correct_registration(world.actor(Role.PROFESSIONAL), world.own_registration)


def test_api_returns_the_replacement(old_person, world):
    _client, token = factories_api_client(world)
    response = Api(token).get(f"/persons/{old_person.pseudonym}")
    assert response.status_code == 200, response.content[:300]
    (registration,) = response.json()["registrations"]
    assert registration["signals"] == ["unexplained_money_or_possessions", "truancy"]
    assert registration["risk_factors"] == ["young_age", "justice_contact"]


def factories_api_client(world):
    from tests.api import factories as api_factories

    return api_factories.make_client(world.own, "Systeem eigen school")


def test_local_picture_filters_read_the_mapping(catalogue):
    by_indicator = Filters(indicator="finances")
    assert by_indicator.admits(["lots_of_cash"], [], catalogue)
    assert not Filters(indicator="crime").admits(["lots_of_cash"], [], catalogue)


def test_new_input_old_code_is_stored_as_its_replacement_unknown_refused(world):
    actor = world.actor(Role.PROFESSIONAL)
    new = factories.registration(actor, world.own_person, signals=["luxury_items", "truancy"])
    assert new.signals == ["unexplained_money_or_possessions", "truancy"]
    moved = factories.registration(
        actor, world.own_person, signals=["truancy", "no_dutch_or_illiterate"]
    )
    assert (moved.signals, moved.risk_factors) == (["truancy"], ["language_barrier"])
    with pytest.raises(ValidationError) as caught:
        factories.registration(actor, world.own_person, signals=["lots_of_cashh"])
    assert "lots_of_cashh" in str(caught.value)
    # A retired code that is now a risk factor is no signal on its own.
    with pytest.raises(ValidationError):
        factories.registration(actor, world.own_person, signals=["possibly_minor"])
