"""GET /persons/{pseudonym}: "also_involved" and "lead", as on the person's web page. The
other organisations that registered the same person, with their contact, and the lead;
never the other organisation's pseudonym, signals or notes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lens.coordination import actions as coordination
from lens.data.registry import HowLearned, Role
from lens.registry import actions
from tests.api import factories
from tests.api.conftest import error
from tests.registry import factories as registry

pytestmark = pytest.mark.django_db

THEIR_NOTE = "Notitie-van-de-jeugdzorg-geheim"


@pytest.fixture
def linked(ours, theirs):
    """Their organisation registers our person too (the same BSN: linked at once), with a
    signal and a note of its own."""
    actor = factories.actor_of(theirs.client)
    person, _created = actions.register_person(actor, ours.identity, purpose="test")
    actions.register_signals(
        actor,
        person,
        signals=[factories.OTHER_SIGNAL],
        observed_on=timezone.localdate() - timedelta(days=1),
        how_learned=HowLearned.SEEN,
        context_note=THEIR_NOTE,
        risk_factors=[],
    )
    return person


def test_the_other_organisation_and_its_contact_but_nothing_of_its_record(ours, theirs, linked):
    response = ours.api.get(f"/persons/{ours.person.pseudonym}")
    assert response.status_code == 200
    data = response.json()
    other = theirs.organisation
    assert data["also_involved"] == [
        {
            "organisation": other.name,
            "contact_name": other.contact_name,
            "contact_phone": other.contact_phone,
            "contact_email": other.contact_email,
        }
    ]
    assert data["lead"] is None
    body = response.content.decode()
    for secret in (linked.pseudonym, factories.OTHER_SIGNAL, THEIR_NOTE, theirs.client.name):
        assert secret not in body, secret
    # Their client sees ours, the same way.
    mine = theirs.api.get(f"/persons/{linked.pseudonym}").json()
    assert [o["organisation"] for o in mine["also_involved"]] == [ours.organisation.name]
    assert ours.person.pseudonym not in str(mine)


def test_nobody_else_involved(ours, theirs):
    data = ours.api.get(f"/persons/{ours.person.pseudonym}").json()
    assert data["also_involved"] == [] and data["lead"] is None
    assert theirs.organisation.name not in str(data)


def test_the_lead_named_by_the_care_coordinator(ours, theirs, linked):
    coordinator = registry.actor(registry.membership(Role.ZORGCOORDINATOR))
    coordination.refer(factories.actor_of(ours.client), ours.person, "Zorgen.")
    coordination.assign_lead(coordinator, ours.person, theirs.organisation)
    data = ours.api.get(f"/persons/{ours.person.pseudonym}").json()
    assert data["lead"] == theirs.organisation.name
    data = theirs.api.get(f"/persons/{linked.pseudonym}").json()
    assert data["lead"] == theirs.organisation.name


def test_another_organisations_client_gets_404(ours, theirs, linked):
    """Even when both registered the same person: our record is ours."""
    response = theirs.api.get(f"/persons/{ours.person.pseudonym}")
    assert response.status_code == 404
    assert error(response)["code"] == "person_not_found"
    body = response.content.decode()
    assert ours.organisation.name not in body and ours.person.pseudonym not in body
