"""lens.access.policy: 403 for a role that may never, 404 outside the scope, and every
read logged in the same transaction as the read."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from lens.access import log, policy
from lens.access.actor import Actor
from lens.access.models import AccessLogEntry, Action
from lens.data.registry import Role

from . import factories

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_visible_persons_is_the_own_organisation(world):
    for role in (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS):
        assert list(policy.visible_persons(world.actor(role))) == [world.own_person]
    for role in (Role.ZORGCOORDINATOR, Role.ANALIST, Role.BEHEERDER):
        assert not policy.visible_persons(world.actor(role)).exists()
    nobody = Actor(user=None, membership=None)
    assert not policy.visible_persons(nobody).exists()


def test_get_person_logs_the_read_with_its_purpose(world):
    actor = world.actor(Role.PROFESSIONAL)
    person = policy.get_person(actor, world.own_person.pseudonym, purpose="persoonspagina")
    assert person == world.own_person
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.action, entry.person_pseudonym, entry.purpose, entry.role) == (
        Action.READ,
        person.pseudonym,
        "persoonspagina",
        Role.PROFESSIONAL,
    )
    assert entry.organisation_name == world.own.name and entry.ip_address == "192.0.2.10"


@pytest.mark.parametrize("which", ["other", "unknown"])
def test_out_of_scope_is_404_and_not_logged(world, which):
    pseudonym = world.other_person.pseudonym if which == "other" else "P-ZZZZ"
    before = AccessLogEntry.objects.count()
    with pytest.raises(Http404):
        policy.get_person(world.actor(Role.PROFESSIONAL), pseudonym, purpose="x")
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize("role", [Role.ZORGCOORDINATOR, Role.ANALIST, Role.BEHEERDER])
@pytest.mark.parametrize("which", ["own", "other", "unknown"])
def test_roles_without_person_data_get_403_whoever_is_asked_for(world, role, which):
    pseudonym = {
        "own": world.own_person.pseudonym,
        "other": world.other_person.pseudonym,
        "unknown": "P-ZZZZ",
    }[which]
    with pytest.raises(PermissionDenied):
        policy.get_person(world.actor(role), pseudonym, purpose="x")


def test_only_the_aandachtsfunctionaris_may_export(world):
    pseudonym = world.own_person.pseudonym
    with pytest.raises(PermissionDenied):
        policy.get_person(world.actor(Role.PROFESSIONAL), pseudonym, purpose="x", action="export")
    policy.get_person(
        world.actor(Role.AANDACHTSFUNCTIONARIS), pseudonym, purpose="x", action="export"
    )
    assert AccessLogEntry.objects.latest("id").action == Action.EXPORT


def test_the_read_and_its_log_entry_share_the_callers_transaction(world):
    before = AccessLogEntry.objects.count()
    with pytest.raises(Boom), transaction.atomic():
        policy.get_person(world.actor(Role.PROFESSIONAL), world.own_person.pseudonym, purpose="x")
        assert AccessLogEntry.objects.count() == before + 1
        raise Boom
    assert AccessLogEntry.objects.count() == before


def test_no_person_when_the_log_cannot_be_written(world, monkeypatch):
    def failing(*args, **kwargs):
        raise Boom

    # record() and log_list write through write_many(), the one writer of the chain.
    monkeypatch.setattr(log, "write_many", failing)
    with pytest.raises(Boom):
        policy.get_person(world.actor(Role.PROFESSIONAL), world.own_person.pseudonym, purpose="x")
    with pytest.raises(Boom):
        policy.log_list(world.actor(Role.PROFESSIONAL), [world.own_person], purpose="x")


def test_log_list_refuses_persons_out_of_scope(world):
    with pytest.raises(Http404):
        policy.log_list(world.actor(Role.PROFESSIONAL), [world.other_person], purpose="x")


def test_an_api_client_acts_for_its_organisation(world):
    class Client:
        name = "systeem"
        organisation = world.own
        user = world.members[Role.PROFESSIONAL].user

    actor = Actor(user=None, membership=None, api_client=Client())
    assert list(policy.visible_persons(actor)) == [world.own_person]
    with pytest.raises(Http404):
        policy.get_person(actor, world.other_person.pseudonym, purpose="x")
    assert policy.may(actor, Action.READ) and not policy.may(actor, Action.EXPORT)
    registration = factories.registration(actor, world.own_person)
    assert registration.author == Client.user  # written as the client's service user
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.api_client, entry.username, entry.object_id) == (
        "systeem",
        "api:systeem",
        str(registration.pk),
    )
