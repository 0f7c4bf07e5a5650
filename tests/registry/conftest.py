"""Fixtures for the registry tests: the real catalogue and a small synthetic world of two
organisations with a user for every role. The pages run under lens/settings.py and
lens/urls.py as they are."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings

from lens.access.actor import Actor
from lens.catalogue import loader, services
from lens.data.registry import Membership, Organisation, Person, Registration, Role
from tests.login import log_in

from . import factories

ROLES = [
    Role.PROFESSIONAL,
    Role.AANDACHTSFUNCTIONARIS,
    Role.ZORGCOORDINATOR,
    Role.ANALIST,
    Role.BEHEERDER,
]


@pytest.fixture(scope="session")
def catalogue_files():
    """The real catalogue files, read and validated once per test run."""
    return loader.load_directory(django_settings.CATALOGUE_DIR)


@pytest.fixture
def active(db, catalogue_files):
    """The real catalogue and ruleset, stored in the test database (as `lens catalogue
    load` does) and active."""
    services.store(catalogue_files)
    return services.active()


@pytest.fixture
def catalogue(active):
    return active[0]


@dataclass
class World:
    own: Organisation
    other: Organisation
    members: dict[str, Membership]  # role -> membership (organisation roles: own org)
    other_professional: Membership
    own_person: Person
    other_person: Person
    own_registration: Registration
    other_registration: Registration

    def actor(self, role: str) -> Actor:
        return factories.actor(self.members[role])


# Text that only the other organisation's data contains: it must never show up for
# users of the own organisation.
OTHER_NOTE = "Vertrouwelijke-context-van-de-andere-organisatie"
OTHER_ORG_NAME = "Andere Synthetische Organisatie Geheim"
OWN_NOTE = "Context-van-de-eigen-organisatie"


@pytest.fixture
def world(active) -> World:
    own = factories.organisation("Eigen Synthetische School")
    other = factories.organisation(OTHER_ORG_NAME, organisation_type="youth_care")
    members = {
        Role.PROFESSIONAL: factories.membership(Role.PROFESSIONAL, own),
        Role.AANDACHTSFUNCTIONARIS: factories.membership(Role.AANDACHTSFUNCTIONARIS, own),
        Role.ZORGCOORDINATOR: factories.membership(Role.ZORGCOORDINATOR),
        Role.ANALIST: factories.membership(Role.ANALIST),
        Role.BEHEERDER: factories.membership(Role.BEHEERDER),
    }
    other_professional = factories.membership(Role.PROFESSIONAL, other)
    own_actor = factories.actor(members[Role.PROFESSIONAL])
    other_actor = factories.actor(other_professional)
    own_person = factories.person(own_actor)
    other_person = factories.person(other_actor)
    own_registration = factories.registration(own_actor, own_person, context_note=OWN_NOTE)
    other_registration = factories.registration(other_actor, other_person, context_note=OTHER_NOTE)
    return World(
        own=own,
        other=other,
        members=members,
        other_professional=other_professional,
        own_person=own_person,
        other_person=other_person,
        own_registration=own_registration,
        other_registration=other_registration,
    )


@pytest.fixture
def login(client):
    """login(membership): the test client logged in with both factors in that role."""

    def do(member: Membership):
        log_in(client, member.user, member)
        return client

    return do
