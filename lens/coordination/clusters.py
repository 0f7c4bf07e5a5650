"""Clusters: the records of one human being at several organisations, joined by active
links (PersonLink in state "linked"). Reads only; no access checks here: callers pass
persons the access policy gave them and filter what they show (lens.access.policy)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from lens.coordination import network
from lens.data.coordination import LeadAssignment, LinkState, PersonLink
from lens.data.registry import Organisation, Person


def linked_edges_sql() -> tuple[str, list]:
    """A CTE body for edge(a, b): every active link in both directions."""
    table = PersonLink._meta.db_table
    sql = (
        f"SELECT person_a_id, person_b_id FROM {table} WHERE state = %s "
        f"UNION ALL SELECT person_b_id, person_a_id FROM {table} WHERE state = %s"
    )
    return sql, [LinkState.LINKED.value, LinkState.LINKED.value]


def pk_type() -> str:
    return Person._meta.pk.db_type(connection)


def reach(seeds: QuerySet | Iterable[int]) -> RawSQL:
    """The pks of every record linked (through any chain of active links) to the seeds,
    the seeds included, as ONE recursive query to use in `pk__in=`. `seeds`: pks, or a
    queryset of one column of person pks (run inside this query, not before it)."""
    if isinstance(seeds, QuerySet):
        seed_sql, seed_params = seeds.order_by().query.sql_with_params()
    else:
        pks = sorted({int(pk) for pk in seeds}) or [0]  # 0: no record has it
        # Typed as the column: PostgreSQL wants both terms of the recursion alike.
        seed_sql = " UNION ALL ".join([f"SELECT CAST(%s AS {pk_type()})"] * len(pks))
        seed_params = tuple(pks)
    edges, edge_params = linked_edges_sql()
    sql = (
        f"WITH RECURSIVE edge(a, b) AS ({edges}), "
        f"reach(id) AS ({seed_sql} UNION SELECT edge.b FROM reach JOIN edge ON edge.a = reach.id) "
        "SELECT id FROM reach"
    )
    return RawSQL(sql, (*edge_params, *seed_params))


def cluster_ids(person_ids: Iterable[int]) -> set[int]:
    """The pks of every record linked (through any chain of active links) to the given ones,
    the given ones included; one query."""
    given = set(person_ids)
    if not given:
        return set()
    return set(Person.objects.filter(pk__in=reach(given)).values_list("pk", flat=True))


def cluster_of(person: Person, *, region: str | None = None) -> list[Person]:
    """The person's cluster (the person included), oldest record first; only records of
    organisations in `region` when given. One query."""
    members = Person.objects.filter(pk__in=reach([person.pk])).select_related("organisation")
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


def other_organisations(
    person: Person, members: Sequence[Person] | None = None
) -> list[Organisation]:
    """The other organisations that have a record linked to this person ("ook betrokken"),
    by name. `members`: the person's `cluster_of`, when the caller has it already."""
    if members is None:
        members = cluster_of(person)
    found = {
        m.organisation_id: m.organisation
        for m in members
        if m.organisation_id != person.organisation_id
    }
    return sorted(found.values(), key=lambda o: (o.name, o.pk))


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


def current_leads(groups: Sequence[Sequence[Person]]) -> list[Organisation | None]:
    """`current_lead` of each group of records, in one query."""
    pks = [m.pk for members in groups for m in members]
    assignments = list(
        LeadAssignment.objects.filter(person__in=pks)
        .select_related("person__organisation")
        .order_by("-assigned_at", "-pk")
    )
    leads = []
    for members in groups:
        own = {m.pk for m in members}
        first = next((a for a in assignments if a.person_id in own), None)
        leads.append(first.person.organisation if first else None)
    return leads
