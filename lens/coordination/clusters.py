"""Clusters: the records of one human being at several organisations, joined by active
links (PersonLink in state "linked"). Reads only; no access checks here: callers pass
persons the access policy gave them and filter what they show (lens.access.policy)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from lens.coordination import network
from lens.coordination.models import LeadAssignment, LinkState, PersonLink
from lens.registry.models import Organisation, Person


def cluster_ids(person_ids: Iterable[int]) -> set[int]:
    """The pks of every record linked (through any chain of active links) to the given ones,
    the given ones included."""
    found = set(person_ids)
    frontier = set(found)
    while frontier:
        links = PersonLink.objects.filter(state=LinkState.LINKED).filter(
            Q(person_a_id__in=frontier) | Q(person_b_id__in=frontier)
        )
        reached = set()
        for a, b in links.values_list("person_a_id", "person_b_id"):
            reached.update((a, b))
        frontier = reached - found
        found |= frontier
    return found


def cluster_of(person: Person, *, region: str | None = None) -> list[Person]:
    """The person's cluster (the person included), oldest record first; only records of
    organisations in `region` when given."""
    ids = cluster_ids([person.pk])
    if ids == {person.pk}:  # linked to nobody: no second query
        in_region = region is None or person.organisation.region == region
        return [person] if in_region else []
    members = Person.objects.filter(pk__in=ids).select_related("organisation")
    if region is not None:
        members = members.filter(organisation__region=region)
    return list(members.order_by("pk"))


def clusters_among(persons: Iterable[Person]) -> list[list[int]]:
    """Group the given records by cluster: lists of pks, each sorted, clusters in the order
    of their smallest pk. Records linked to none of the others form their own cluster."""
    given = {p.pk for p in persons}
    links = PersonLink.objects.filter(
        state=LinkState.LINKED, person_a_id__in=given, person_b_id__in=given
    ).values_list("person_a_id", "person_b_id")
    found = network.components([*((pk, pk) for pk in given), *links])
    return sorted((list(c.nodes) for c in found), key=lambda nodes: nodes[0])


def other_organisations(person: Person) -> list[Organisation]:
    """The other organisations that have a record linked to this person ("ook betrokken"),
    by name."""
    ids = cluster_ids([person.pk]) - {person.pk}
    return list(
        Organisation.objects.filter(persons__pk__in=ids)
        .exclude(pk=person.organisation_id)
        .distinct()
        .order_by("name")
    )


def current_lead(members: Iterable[Person]) -> Organisation | None:
    """The organisation with the lead (regie) for the cluster: that of the newest lead
    assignment on one of its records, or None when nobody was named."""
    assignment = (
        LeadAssignment.objects.filter(person__in=[m.pk for m in members])
        .select_related("person__organisation")
        .order_by("-assigned_at", "-pk")
        .first()
    )
    return assignment.person.organisation if assignment else None
