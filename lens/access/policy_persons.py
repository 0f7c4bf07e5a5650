"""The access policy for persons: the organisation scope (professionals and
aandachtsfunctionarissen) and the region scope (the zorgcoördinator). Read the module
lens.access.policy first: it says how the policy answers (403 for the role, 404 for the
scope, the read logged in the same transaction) and re-exports everything here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from lens.access import log, scopes
from lens.access.models import Action
from lens.data.prepared import compiled, prepared
from lens.data.pseudonyms import is_pseudonym
from lens.data.registry import Person, Role

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
    Role.ZORGCOORDINATOR: frozenset(),  # no organisation: see COORDINATION_ACTIONS
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


def visible_persons(actor: Actor, among: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """The persons the actor may list (of `among`, a Person queryset a read model
    prepared, e.g. annotated; all persons by default). Never logs: the caller logs LIST
    for what it shows."""
    persons = Person.objects.all() if among is None else among
    organisation = listed_organisation(actor)
    if organisation is None:
        return persons.none()
    return in_organisation(persons, organisation)


def in_organisation(persons: QuerySet[Person], organisation: int) -> QuerySet[Person]:
    """`persons` narrowed to the scope of `visible_persons` for an actor whose
    `listed_organisation` is `organisation` (for a query compiled once with the
    organisation as a slot: lens.data.prepared.compiled)."""
    return persons.filter(organisation_id=organisation)


def listed_organisation(actor: Actor) -> int | None:
    """The organisation whose persons the actor may list (`visible_persons`), or None."""
    return actor.organisation_id if may(actor, Action.LIST) else None


def in_scope(actor: Actor, person: Person) -> bool:
    """Whether `person` lies in the actor's scope (regardless of the action)."""
    return actor.organisation_id is not None and person.organisation_id == actor.organisation_id


def check(actor: Actor, person: Person, action: Action | str) -> None:
    """Raise PermissionDenied (role) or Http404 (scope) unless the actor may do `action`
    with `person`. Does not log: the caller logs in the same transaction (the actions
    layer records every write it makes; lens.access.policy_reads records reads)."""
    if not may(actor, action):
        raise PermissionDenied
    if not in_scope(actor, person):
        raise Http404


# A person with its organisation joined, before the actor's scope narrows it: built once
# per process (lens.data.prepared); `visible_persons` scopes every copy.
_with_organisation = prepared(lambda: Person.objects.select_related("organisation"))
# The person of a pseudonym in the organisation `listed_organisation` gives (the scope of
# `visible_persons`), with its organisation: built and compiled once per process.
_visible_by_pseudonym = compiled(
    lambda organisation, pseudonym: (
        in_organisation(Person.objects.select_related("organisation"), organisation)
        .filter(pseudonym=pseudonym)
        .order_by("pk")[:1]
    ),
    int,
    str,
)


def find_person(actor: Actor, pseudonym: str, *, action: Action | str) -> Person:
    """The person behind `pseudonym` if the actor may do `action` with them; no log entry.

    Only for writes: pass the person straight to a `lens.registry.actions` function, which
    checks again and records the write in its own transaction. To show person data, use
    `get_person` (lens.access.policy_reads), which logs the read.
    """
    if not may(actor, action):
        raise PermissionDenied
    if not is_pseudonym(pseudonym):
        raise Http404
    # With its organisation: every page of a person shows or uses it (one query, not two).
    organisation = listed_organisation(actor)
    person = None if organisation is None else _visible_by_pseudonym.first(organisation, pseudonym)
    if person is None:
        raise Http404
    return person


def find_person_by_id(actor: Actor, person_id: int, *, action: Action | str) -> Person:
    """As `find_person`, by id (a reply replayed from what an earlier write stored)."""
    if not may(actor, action):
        raise PermissionDenied
    person = visible_persons(actor, _with_organisation()).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def log_list(actor: Actor, persons: list[Person] | tuple[Person, ...], *, purpose: str) -> None:
    """Record a LIST entry for each person a page is about to show (same transaction)."""
    if not may(actor, Action.LIST):
        raise PermissionDenied
    if not all(in_scope(actor, person) for person in persons):
        raise Http404
    with transaction.atomic(savepoint=False):
        log.write_many(actor, Action.LIST, _as_persons(persons), purpose=purpose)


def _as_persons(persons: Iterable[Person]) -> list[tuple[Person, str, str]]:
    """Access-log reads (lens.access.log.write_many) of persons as a whole."""
    return [(person, "person", "") for person in persons]


# --- the region scope: the zorgcoördinator ---------------------------------------------

# What the zorgcoördinator may do with the records in their need-to-know scope: list
# and read them (the combined picture), ask an organisation for information (CREATE),
# decide on links, name the lead, record relations (CHANGE), and open the identities of
# a candidate pair to judge it (REVEAL).
COORDINATION_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ZORGCOORDINATOR: frozenset(
        {Action.LIST, Action.READ, Action.CREATE, Action.CHANGE, Action.REVEAL}
    ),
}


def may_coordinate(actor: Actor, action: Action | str) -> bool:
    """Whether the actor works for a region (no organisation) in a role that may do
    `action` with the records in its need-to-know scope."""
    if actor.organisation_id is not None or not actor.region:
        return False
    return Action(action) in COORDINATION_ACTIONS.get(str(actor.role), frozenset())


def coordination_roles_for(action: Action | str) -> frozenset[str]:
    return frozenset(
        str(role) for role, allowed in COORDINATION_ACTIONS.items() if action in allowed
    )


def coordinated_persons(actor: Actor) -> QuerySet[Person]:
    """The records the zorgcoördinator may see: of organisations in their region, whose
    latest combined level is at least 2, or in a cluster with a referred record. Never
    logs: the caller logs what it shows."""
    if not may_coordinate(actor, Action.LIST):
        return Person.objects.none()
    # Built once per actor (request); `.all()`: a fresh queryset, never a stale result.
    scope = actor.once("region_scope", lambda: scopes.region_scope().persons(actor.region))
    return scope.all()


def in_coordination_scope(actor: Actor, person: Person) -> bool:
    return coordinated_persons(actor).filter(pk=person.pk).exists()


def check_coordination(actor: Actor, person: Person, action: Action | str) -> None:
    """PermissionDenied (role) or Http404 (out of scope), as `check` for organisations."""
    if not may_coordinate(actor, action):
        raise PermissionDenied
    if not in_coordination_scope(actor, person):
        raise Http404


def find_coordinated(actor: Actor, pseudonym: str, *, action: Action | str) -> Person:
    """The record behind `pseudonym` in the zorgcoördinator's scope; no log entry (for
    writes, which log themselves)."""
    if not may_coordinate(actor, action):
        raise PermissionDenied
    if not is_pseudonym(pseudonym):
        raise Http404
    person = coordinated_persons(actor).filter(pseudonym=pseudonym).first()
    if person is None:
        raise Http404
    return person


def log_coordinated_list(actor: Actor, persons: list[Person], *, purpose: str) -> None:
    """Record a LIST entry for each record a zorgcoördinator page is about to show."""
    if not may_coordinate(actor, Action.LIST):
        raise PermissionDenied
    allowed = set(
        coordinated_persons(actor)
        .filter(pk__in=[p.pk for p in persons])
        .values_list("pk", flat=True)
    )
    if any(person.pk not in allowed for person in persons):
        raise Http404
    with transaction.atomic(savepoint=False):
        log.write_many(actor, Action.LIST, _as_persons(persons), purpose=purpose)
