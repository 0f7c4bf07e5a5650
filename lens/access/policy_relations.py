"""The access policy for relations between records (lens.access.policy explains the
answers). A relation is seen and ended within one scope: an organisation's handlers
those between two of its own records (and, of a relation with a record elsewhere, only
its kind, never the other record or a note recorded by someone else); the
zorgcoördinator those between two records in their need-to-know scope. A relation with
an end outside the scope is a 404, like an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from lens.access.models import Action
from lens.access.policy_persons import check, coordinated_persons, may, may_coordinate
from lens.data.coordination import PersonRelation
from lens.data.prepared import compiled

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor
    from lens.data.registry import Person


@dataclass(frozen=True)
class RelationSeen:
    """A relation of a record as an organisation's handler may see it."""

    relation: PersonRelation
    this_is_a: bool  # the record is person_a (for a suspected recruiter: the recruiter)
    other: Person | None  # the other record when it is one of the actor's organisation
    note: str  # only a note the actor's organisation recorded
    # Why it ended (when it did): the reason for everyone who sees the relation, the
    # short text only on a relation between two of the organisation's own records.
    end_reason: str
    end_note: str
    by_coordinator: bool
    may_end: bool


# What the person page reads of a relation and its two records (not their encrypted
# identities, which a wide join of two persons would fetch and build for nothing).
RELATION_FIELDS = (
    "kind",
    "note",
    "recorded_by_organisation",
    "recorded_at",
    "ended_at",
    "ended_by",
    "end_reason",
    "end_note",
    "person_a__pseudonym",
    "person_a__organisation",
    "person_b__pseudonym",
    "person_b__organisation",
    "recorded_by__username",
    "recorded_by__first_name",
    "recorded_by__last_name",
)


# The relations of one record as `relations_of` reads them (both records and who
# recorded it joined, the columns of RELATION_FIELDS, newest first): built and compiled
# once per process (lens.data.prepared.compiled).
_relation_rows = compiled(
    lambda pk: (
        PersonRelation.objects.select_related("person_a", "person_b", "recorded_by")
        .only(*RELATION_FIELDS)
        .filter(Q(person_a_id=pk) | Q(person_b_id=pk))
        .order_by("-recorded_at", "-pk")
    ),
    int,
)


def relations_of(actor: Actor, person: Person) -> list[RelationSeen]:
    """The relations of `person` (a record the caller read through the policy) that the
    actor's organisation may see: recorded by it, with another own record, or recorded
    by the zorgcoördinator. 403/404 as `check(actor, person, READ)`."""
    check(actor, person, Action.READ)
    relations = _relation_rows(person.pk)
    seen = []
    for relation in relations:
        this_is_a = relation.person_a_id == person.pk
        other = relation.person_b if this_is_a else relation.person_a
        own_other = other.organisation_id == actor.organisation_id
        by_own = relation.recorded_by_organisation_id == actor.organisation_id
        by_coordinator = relation.recorded_by_organisation_id is None
        if not (by_own or own_other or by_coordinator):
            continue  # recorded by another organisation: not ours to show
        seen.append(
            RelationSeen(
                relation=relation,
                this_is_a=this_is_a,
                other=other if own_other else None,
                note=relation.note if by_own else "",
                end_reason=relation.get_end_reason_display() if relation.end_reason else "",
                end_note=relation.end_note if own_other else "",
                by_coordinator=by_coordinator,
                may_end=own_other and relation.ended_at is None,
            )
        )
    return seen


def coordinated_relations(actor: Actor) -> QuerySet[PersonRelation]:
    """The current relations between records in the zorgcoördinator's scope (the
    network). Never logs: the page logs the records it shows."""
    if not may_coordinate(actor, Action.LIST):
        return PersonRelation.objects.none()
    in_view = coordinated_persons(actor).values("pk")
    return PersonRelation.objects.filter(
        ended_at__isnull=True, person_a__in=in_view, person_b__in=in_view
    )


def find_relation_for(
    actor: Actor,
    relation_id: int,
    *,
    action: Action | str = Action.CHANGE,
    person: Person | None = None,
) -> PersonRelation:
    """A relation with both records in the actor's scope (and, given `person`, one of
    them that record); no log entry (ending it logs itself). 403: the role may not do
    `action` in any scope; 404: an end outside the scope, or no such relation."""
    organisation, region = may(actor, action), may_coordinate(actor, action)
    if not (organisation or region):
        raise PermissionDenied
    found = PersonRelation.objects.filter(pk=relation_id)
    if person is not None:
        found = found.filter(Q(person_a=person) | Q(person_b=person))
    if organisation:
        found = found.filter(
            person_a__organisation_id=actor.organisation_id,
            person_b__organisation_id=actor.organisation_id,
        )
    else:
        in_view = coordinated_persons(actor).values("pk")
        found = found.filter(person_a__in=in_view, person_b__in=in_view)
    relation = found.select_related("person_a", "person_b").first()
    if relation is None:
        raise Http404
    return relation
