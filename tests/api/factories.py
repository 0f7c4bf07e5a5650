"""Synthetic test data for the API tests: the registry's factories (tests/registry), plus
API clients, made through the same actions the API uses. Nothing here is a real person
or organisation."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lens.access.actor import Actor
from lens.access.crypto import Identity
from lens.api import actions as api_actions
from lens.api.models import ApiClient
from lens.data.registry import HowLearned, Organisation, Person, Registration
from lens.registry import actions
from tests.registry import factories as registry

SIGNALS = ["unexplained_debts", "unexplained_money_or_possessions"]
OTHER_SIGNAL = "two_phones"
RISK_FACTOR = "young_age"

valid_bsn = registry.valid_bsn


def make_organisation(name: str) -> Organisation:
    return registry.organisation(name)


def make_client(organisation: Organisation, name: str = "Dossiersysteem") -> tuple[ApiClient, str]:
    return api_actions.create_client(organisation, name)


def actor_of(client: ApiClient) -> Actor:
    """The client as the API sees it (lens.access.actor.actor_from_request)."""
    return Actor(user=client.user, membership=None, ip_address="192.0.2.1", api_client=client)


def identity(given: str, family: str, **fields) -> Identity:
    return registry.identity(given_names=given, family_name=family, **fields)


def make_person(
    client: ApiClient, who: Identity, *, context_note: str = ""
) -> tuple[Person, Registration]:
    """A person of the client's organisation with one registration of SIGNALS."""
    actor = actor_of(client)
    person, _created = actions.register_person(actor, who, purpose="test")
    registration = actions.register_signals(
        actor,
        person,
        signals=SIGNALS,
        observed_on=timezone.localdate() - timedelta(days=3),
        how_learned=HowLearned.SEEN,
        context_note=context_note,
        risk_factors=[RISK_FACTOR],
    )
    return person, registration
