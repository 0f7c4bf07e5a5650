"""THE access policy: every read of person data goes through this module.

Two questions, asked in this order (healthchecks' `_get_check_for_user` style):

1. May this role ever do this action? If not: 403 (PermissionDenied). The answer does
   not depend on the person asked for, so it leaks nothing about who exists.
2. Is the person in the actor's scope? If not (another organisation's person, or no such
   pseudonym at all): 404 (Http404). Never 403 here: a 403 would tell that the person
   exists somewhere.

Only then is the access written to the access log, in the same transaction as the
read, so that a failed log write means no data is returned.

Two scopes:

- Organisation: professionals and aandachtsfunctionarissen see the records of their own
  organisation (PERSON_ACTIONS, `may`, `get_person`, ...). Of another organisation's
  record of the same person they see only that it exists, the organisation and its
  contact ("ook betrokken", lens.coordination.clusters), never its content.
- Region (need to know): the zorgcoördinator sees the records of the organisations in
  their region whose combined level is 2 or higher, or whose person an organisation
  referred to them (a scope coordination contributes, lens.access.scopes;
  COORDINATION_ACTIONS, `may_coordinate`, `get_coordinated`, ...), and
  the links with a record in their region: possible matches and rejected links to decide
  on, links that join records only in that scope; of a link's record in another region
  only that it exists; a link across regions is decided by the region of its first
  record (`visible_links`, `get_link_for`).

Analist and beheerder never see person data. An organisation's API client acts as a
professional of its organisation (lens.access.actor).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404

from lens.access import log, scopes
from lens.access.models import Action
from lens.data.coordination import InformationRequest, LinkState, PersonLink
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
    if not all(in_scope(actor, person) for person in persons):
        raise Http404
    with transaction.atomic():
        log.record_many(actor, Action.LIST, _as_persons(persons), purpose=purpose)


def _as_persons(persons: Iterable[Person]) -> list[tuple[Person, str, str]]:
    """Access-log reads (lens.access.log.record_many) of persons as a whole."""
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
# Who answers an information request for an organisation.
REQUEST_ANSWERERS = frozenset({Role.AANDACHTSFUNCTIONARIS})


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


def may_answer_requests(actor: Actor) -> bool:
    return actor.organisation_id is not None and str(actor.role) in REQUEST_ANSWERERS


def requests_for(actor: Actor) -> QuerySet[InformationRequest]:
    """The information requests addressed to the actor's organisation (about its own
    records), open ones first, then the answered ones, newest first; none for a role that
    does not answer them. Never logs: the caller logs what it shows."""
    if not may_answer_requests(actor):
        return InformationRequest.objects.none()
    return (
        InformationRequest.objects.filter(person__organisation_id=actor.organisation_id)
        .select_related("person", "asked_by", "answered_by")
        .order_by(F("answered_at").desc(nulls_first=True), "-asked_at", "-id")
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


def get_coordinated(
    actor: Actor, pseudonym: str, *, purpose: str, action: Action | str = Action.READ
) -> tuple[Person, list[Person]]:
    """The record behind `pseudonym` and the records of its cluster in the actor's region
    (the combined picture), each read logged with `purpose` in one transaction."""
    with transaction.atomic():
        person = find_coordinated(actor, pseudonym, action=action)
        members = scopes.region_scope().cluster_of(person, region=actor.region)
        log.record_many(actor, action, _as_persons(members), purpose=purpose)
    return person, members


def log_coordinated_list(actor: Actor, persons: list[Person], *, purpose: str) -> None:
    """Record a LIST entry for each record a zorgcoördinator page is about to show."""
    if not may_coordinate(actor, Action.LIST):
        raise PermissionDenied
    with transaction.atomic():
        allowed = set(
            coordinated_persons(actor)
            .filter(pk__in=[p.pk for p in persons])
            .values_list("pk", flat=True)
        )
        if any(person.pk not in allowed for person in persons):
            raise Http404
        log.record_many(actor, Action.LIST, _as_persons(persons), purpose=purpose)


# --- links: who sees and decides what (docs/design/coordination.md) ---------------------

# A possible match (to decide) and a link decided apart (to reopen if that was wrong) are
# shown to the zorgcoördinator of every region with a record in it, pseudonymised. A link
# that joins two records (automatic or confirmed) is part of the person across
# organisations: shown only when the link's records in the own region are in the
# need-to-know scope, as the combined picture.
_TO_DECIDE = (LinkState.CANDIDATE, LinkState.REJECTED)


@dataclass(frozen=True)
class LinkAccess:
    """A link as the actor may see it: only its records in the actor's region (`own`)
    are shown, logged and may have their identity opened; of a record in another region
    only that it exists, and where."""

    link: PersonLink
    own: tuple[Person, ...]
    region: str  # the actor's
    deciding_region: str

    @property
    def decides(self) -> bool:
        """Whether the actor's region confirms, rejects and reopens this link."""
        return self.region == self.deciding_region

    def shows(self, person: Person) -> bool:
        return any(person.pk == own.pk for own in self.own)


def deciding_region(link: PersonLink) -> str:
    """The region whose zorgcoördinator decides a link: that of the record registered
    first (person_a, the lower id). Fixed from the moment the link exists, and the same
    answer in both regions; for a link within one region, that region."""
    return link.person_a.organisation.region


def visible_links(actor: Actor) -> QuerySet[PersonLink]:
    """The links the zorgcoördinator may see (see above): with a record in their region,
    and either to decide (candidate, rejected) or with every record of their region in it
    in their need-to-know scope. Never logs: the caller logs what it shows (`log_links`)."""
    if not may_coordinate(actor, Action.LIST):
        return PersonLink.objects.none()
    here = Person.objects.filter(organisation__region=actor.region).values("pk")
    scope = coordinated_persons(actor).values("pk")
    a_here, b_here = Q(person_a__in=here), Q(person_b__in=here)
    a_known = ~a_here | Q(person_a__in=scope)
    b_known = ~b_here | Q(person_b__in=scope)
    return PersonLink.objects.filter(
        (a_here | b_here) & (Q(state__in=_TO_DECIDE) | (a_known & b_known))
    ).select_related("person_a__organisation", "person_b__organisation")


def link_access(actor: Actor, link: PersonLink) -> LinkAccess:
    """What of `link` (one of `visible_links(actor)`) the actor sees; no queries."""
    own = tuple(p for p in (link.person_a, link.person_b) if p.organisation.region == actor.region)
    return LinkAccess(
        link=link, own=own, region=actor.region, deciding_region=deciding_region(link)
    )


def find_link_for(actor: Actor, link_id: int, *, action: Action | str) -> LinkAccess:
    """A link the actor may see, without a log entry (for writes, which log). 403: the
    role may not do `action`, or (CHANGE, a decision) another region decides the link;
    404: not a link the actor may see, or none at all (the same answer)."""
    if not may_coordinate(actor, action):
        raise PermissionDenied
    link = visible_links(actor).filter(pk=link_id).first()
    if link is None:
        raise Http404
    access = link_access(actor, link)
    if Action(action) == Action.CHANGE and not access.decides:
        raise PermissionDenied  # it knows the link exists: no leak
    return access


def get_link_for(
    actor: Actor, link_id: int, *, purpose: str, action: Action | str = Action.READ
) -> LinkAccess:
    """A link the actor may see; reading it logs `action` on its records in the actor's
    region (the only ones shown), in one transaction."""
    with transaction.atomic():
        access = find_link_for(actor, link_id, action=action)
        reads = [(person, "link", access.link.pk) for person in access.own]
        log.record_many(actor, action, reads, purpose=purpose)
    return access


def log_links(actor: Actor, links: list[PersonLink], *, purpose: str) -> list[LinkAccess]:
    """Record a LIST entry for the records of the actor's region of each link a page is
    about to show (same transaction); Http404 if one of them is not for the actor."""
    if not may_coordinate(actor, Action.LIST):
        raise PermissionDenied
    with transaction.atomic():
        allowed = set(
            visible_links(actor)
            .filter(pk__in=[link.pk for link in links])
            .values_list("pk", flat=True)
        )
        if any(link.pk not in allowed for link in links):
            raise Http404
        accesses = [link_access(actor, link) for link in links]
        reads = [(person, "link", a.link.pk) for a in accesses for person in a.own]
        log.record_many(actor, Action.LIST, reads, purpose=purpose)
    return accesses
