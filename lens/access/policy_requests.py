"""The access policy for information requests (lens.access.policy explains the answers):
the zorgcoördinator asks an involved organisation about its record of a person; the
aandachtsfunctionaris of that organisation reads and answers. Another organisation's
request is a 404, like an unknown one; a role that does not answer requests gets 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import Http404

from lens.access import log
from lens.access.models import Action
from lens.data.coordination import InformationRequest
from lens.data.registry import Role

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor

# Who answers an information request for an organisation.
REQUEST_ANSWERERS = frozenset({Role.AANDACHTSFUNCTIONARIS})
OBJECT_TYPE = "information_request"


def may_answer_requests(actor: Actor) -> bool:
    return actor.organisation_id is not None and str(actor.role) in REQUEST_ANSWERERS


def requests_for(actor: Actor) -> QuerySet[InformationRequest]:
    """The information requests addressed to the actor's organisation (about its own
    records), open ones first, then the answered ones, newest first; none for a role that
    does not answer them. Never logs: the page logs what it shows (`log_requests`)."""
    if not may_answer_requests(actor):
        return InformationRequest.objects.none()
    return (
        InformationRequest.objects.filter(person__organisation_id=actor.organisation_id)
        .select_related("person", "asked_by", "answered_by")
        .order_by(F("answered_at").desc(nulls_first=True), "-asked_at", "-id")
    )


def log_requests(actor: Actor, requests: Iterable[InformationRequest], *, purpose: str) -> None:
    """Record a LIST entry for the record of each request a page is about to show, in one
    bulk write; 403 for a role that does not answer requests, 404 if one of them is not
    addressed to the actor's organisation."""
    if not may_answer_requests(actor):
        raise PermissionDenied
    shown = list(requests)
    if any(item.person.organisation_id != actor.organisation_id for item in shown):
        raise Http404
    with transaction.atomic(savepoint=False):
        reads = [(item.person, OBJECT_TYPE, item.pk) for item in shown]
        log.write_many(actor, Action.LIST, reads, purpose=purpose)


def find_request_for(actor: Actor, request_id: int) -> InformationRequest:
    """The request if it is addressed to the actor's organisation; no log entry (for the
    answer, which logs itself). 403: the role does not answer requests; 404: another
    organisation's request, or none at all (the same answer)."""
    if not may_answer_requests(actor):
        raise PermissionDenied
    asked = requests_for(actor).filter(pk=request_id).first()
    if asked is None:
        raise Http404
    return asked
