"""The access policy for links between records (lens.access.policy explains the
answers): which links a zorgcoördinator sees, which records of a link are shown, and
which region decides it (docs/design/coordination.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404

from lens.access import log
from lens.access.models import Action
from lens.access.policy_persons import coordinated_persons, may_coordinate
from lens.data.coordination import LinkState, PersonLink
from lens.data.registry import Person

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor

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


def log_links(actor: Actor, links: list[PersonLink], *, purpose: str) -> list[LinkAccess]:
    """Record a LIST entry for the records of the actor's region of each link a page is
    about to show (same transaction); Http404 if one of them is not for the actor."""
    if not may_coordinate(actor, Action.LIST):
        raise PermissionDenied
    allowed = set(
        visible_links(actor).filter(pk__in=[link.pk for link in links]).values_list("pk", flat=True)
    )
    if any(link.pk not in allowed for link in links):
        raise Http404
    accesses = [link_access(actor, link) for link in links]
    reads = [(person, "link", a.link.pk) for a in accesses for person in a.own]
    with transaction.atomic(savepoint=False):
        log.write_many(actor, Action.LIST, reads, purpose=purpose)
    return accesses
