"""THE access policy: every read of person data goes through this module.

Two questions, asked in this order (healthchecks' `_get_check_for_user` style):

1. May this role ever do this action? If not: 403 (PermissionDenied). The answer does
   not depend on the person asked for, so it leaks nothing about who exists.
2. Is the person in the actor's scope? If not (another organisation's person, or no such
   pseudonym at all): 404 (Http404). Never 403 here: a 403 would tell that the person
   exists somewhere.

Only then is the access written to the access log, in the same transaction as the
read, so that a failed log write means no data is returned.

Scope for issue 4: professionals and aandachtsfunctionarissen see the persons of their
own organisation; the zorgcoördinator gets nothing yet (the cross-organisation issue
defines it); analist and beheerder never see person data. An organisation's API client
acts as a professional of its organisation (lens.access.actor).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from lens.access import log
from lens.access.models import Action
from lens.registry.models import Person, Role
from lens.registry.pseudonyms import is_pseudonym

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor

# What each role may do with person data. The table in docs/design/registry.md, as data;
# lens.access.routes derives each page's roles from it.
_HANDLING = frozenset(
    {
        Action.LIST,
        Action.READ,
        Action.CREATE,
        Action.CHANGE,
        Action.WITHDRAW,
        Action.REVEAL,
    }
)
PERSON_ACTIONS: dict[str, frozenset[Action]] = {
    Role.PROFESSIONAL: _HANDLING,
    # Plus "wie heeft dit ingezien": the access log per person, on screen and as CSV.
    Role.AANDACHTSFUNCTIONARIS: _HANDLING | {Action.EXPORT},
    Role.ZORGCOORDINATOR: frozenset(),  # defined by the cross-organisation issue
    Role.ANALIST: frozenset(),  # aggregates only, never person-level
    Role.BEHEERDER: frozenset(),  # catalogue, organisations, users; no person data
}


def may(actor: Actor, action: Action | str) -> bool:
    """Whether the actor's role may ever do `action` with person data (within scope)."""
    if actor.organisation_id is None:
        return False  # every person-data role so far works inside one organisation
    return Action(action) in PERSON_ACTIONS.get(str(actor.role), frozenset())


def roles_for(action: Action | str) -> frozenset[str]:
    """The roles that may do `action` (for the permission table in lens.access.routes)."""
    return frozenset(str(role) for role, allowed in PERSON_ACTIONS.items() if action in allowed)


def visible_persons(actor: Actor) -> QuerySet[Person]:
    """The persons the actor may list. Never logs: the caller logs LIST for what it shows."""
    if not may(actor, Action.LIST):
        return Person.objects.none()
    return Person.objects.filter(organisation_id=actor.organisation_id)


def in_scope(actor: Actor, person: Person) -> bool:
    """Whether `person` lies in the actor's scope (regardless of the action)."""
    return actor.organisation_id is not None and person.organisation_id == actor.organisation_id


def check(actor: Actor, person: Person, action: Action | str) -> None:
    """Raise PermissionDenied (role) or Http404 (scope) unless the actor may do `action`
    with `person`. Does not log: the caller logs in the same transaction (the actions
    layer records every write it makes; `get_person` records reads)."""
    if not may(actor, action):
        raise PermissionDenied
    if not in_scope(actor, person):
        raise Http404


def find_person(actor: Actor, pseudonym: str, *, action: Action | str) -> Person:
    """The person behind `pseudonym` if the actor may do `action` with them; no log entry.

    Only for writes: pass the person straight to a `lens.registry.actions` function, which
    checks again and records the write in its own transaction. To show person data, use
    `get_person`, which logs the read.
    """
    if not may(actor, action):
        raise PermissionDenied
    if not is_pseudonym(pseudonym):
        raise Http404
    person = visible_persons(actor).filter(pseudonym=pseudonym).first()
    if person is None:
        raise Http404
    return person


def get_person(
    actor: Actor, pseudonym: str, *, purpose: str, action: Action | str = Action.READ
) -> Person:
    """The person behind `pseudonym`, for `purpose`; the access is logged first.

    Raises PermissionDenied (403) when the actor's role may not do `action` at all, and
    Http404 when the person is not in the actor's scope (another organisation's, or
    unknown). The log entry is written in the caller's transaction (or one of its own):
    if it cannot be written, this raises and nothing is returned.
    """
    with transaction.atomic():
        person = find_person(actor, pseudonym, action=action)
        log.record(actor, action, person=person, object_type="person", purpose=purpose)
    return person


def log_list(actor: Actor, persons: list[Person] | tuple[Person, ...], *, purpose: str) -> None:
    """Record a LIST entry for each person a page is about to show (same transaction)."""
    if not may(actor, Action.LIST):
        raise PermissionDenied
    with transaction.atomic():
        for person in persons:
            if not in_scope(actor, person):
                raise Http404
            log.record(actor, Action.LIST, person=person, object_type="person", purpose=purpose)
