"""Fixtures for the pages of lens.core (the landing page) and the page frame: the real
catalogue, a synthetic user per role, and logging in as our login does."""

from __future__ import annotations

import pytest

from lens.data.registry import Membership, Organisation, Role
from tests.login import log_in
from tests.registry import factories

ROLES = [str(role) for role in Role]
REGISTRY_ROLES = [str(Role.PROFESSIONAL), str(Role.AANDACHTSFUNCTIONARIS)]
# The zorgcoördinator goes on to the work list (lens.coordination); the others read the
# landing page.
COORDINATION_ROLES = [str(Role.ZORGCOORDINATOR)]
OTHER_ROLES = [role for role in ROLES if role not in REGISTRY_ROLES + COORDINATION_ROLES]


@pytest.fixture
def organisation(loaded_catalogue) -> Organisation:
    return factories.organisation("Synthetische Basisschool Het Voorbeeld")


@pytest.fixture
def member(organisation):
    """member(role): a new synthetic user with one active membership of that role."""

    def make(role: str) -> Membership:
        return factories.membership(role, organisation)

    return make


@pytest.fixture
def login(client):
    """login(membership): the test client logged in with both factors in that role."""

    def do(membership: Membership):
        log_in(client, membership.user, membership)
        return client

    return do
