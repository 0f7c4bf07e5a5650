"""Clusters: the records of one human being at several organisations, joined by active
links (PersonLink in state "linked").

The cluster of each record is stored (ClusterMember, docs/design/coordination.md) and
kept by `renumber`, which lens.coordination.actions calls whenever a link joins or parts
records; every read here is one query on that stored id. No access checks here: callers
pass persons the access policy gave them and filter what they show (lens.access.policy)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from lens.coordination import network
from lens.data.coordination import (
    ClusterMember,
    CombinedOutcome,
    LeadAssignment,
    LinkState,
    PersonLink,
    cluster_key,
    cluster_key_of,
    in_clusters,
)
from lens.data.prepared import compiled
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


def _linked_component(seeds: set[int]) -> set[int]:
    """The records the active links join to the seeds, as the links say now (one query)."""
    return set(Person.objects.filter(pk__in=reach(seeds)).values_list("pk", flat=True))


def renumber(person_ids: Iterable[int]) -> list[list[int]]:
    """Store the cluster of the given records (and of every record linked to them) after
    a link among them was made, confirmed or undone: the components of the active links,
    each numbered by its smallest pk. Returns the components, each sorted.

    The records are locked (select_for_update, in pk order) before their links are read
    again, and the lock grows until it holds the whole component: a second link change
    that touches one of these records waits for this transaction and then reads the
    links this one wrote, so two changes at once cannot leave a stale cluster. Combined
    outcomes of cluster ids that no longer exist are removed; the caller refreshes the
    others (lens.coordination.combined.refresh)."""
    seeds = {int(pk) for pk in person_ids}
    if not seeds:
        return []
    with transaction.atomic():
        locked: set[int] = set()
        component = seeds
        while not component <= locked:
            new = sorted(component - locked)
            list(Person.objects.select_for_update().filter(pk__in=new).order_by("pk").values("pk"))
            locked |= set(new)
            component = _linked_component(locked)
        links = PersonLink.objects.filter(
            state=LinkState.LINKED, person_a_id__in=component, person_b_id__in=component
        ).values_list("person_a_id", "person_b_id")
        edges = [*((pk, pk) for pk in component), *links]
        found = sorted((sorted(c.nodes) for c in network.components(edges)), key=lambda n: n[0])
        old = set(
            Person.objects.filter(pk__in=component)
            .annotate(key=cluster_key())
            .values_list("key", flat=True)
        )
        ClusterMember.objects.filter(person_id__in=component).delete()
        ClusterMember.objects.bulk_create(
            ClusterMember(person_id=pk, cluster_id=nodes[0])
            for nodes in found
            if len(nodes) > 1
            for pk in nodes
        )
        gone = old - {nodes[0] for nodes in found}
        CombinedOutcome.objects.filter(cluster_id__in=gone).delete()
    return found


def cluster_id(person: Person | int) -> int:
    """The stored cluster id of one record (one query)."""
    pk = person.pk if isinstance(person, Person) else int(person)
    stored = ClusterMember.objects.filter(person_id=pk).values_list("cluster_id", flat=True)
    return next(iter(stored), pk)


def members_of(keys: QuerySet | Iterable[int]) -> QuerySet[Person]:
    """The records whose stored cluster id is one of `keys` (ids, or a one-column query),
    annotated with it; found through the indexes (lens.data.coordination.in_clusters)."""
    return Person.objects.filter(pk__in=in_clusters(keys)).annotate(cluster_key=cluster_key())


def cluster_ids(person_ids: Iterable[int]) -> set[int]:
    """The pks of every record in the stored clusters of the given ones, the given ones
    included; one query."""
    given = sorted(set(person_ids))
    if not given:
        return set()
    keys = Person.objects.filter(pk__in=given).annotate(k=cluster_key()).values("k")
    return set(members_of(keys).values_list("pk", flat=True))


def cluster_of(person: Person, *, region: str | None = None) -> list[Person]:
    """The person's cluster (the person included), oldest record first; only records of
    organisations in `region` when given. One query, on the stored cluster id."""
    key = Person.objects.filter(pk=person.pk).annotate(k=cluster_key()).values("k")
    members = members_of(key).select_related("organisation")
    if region is not None:
        members = members.filter(organisation__region=region)
    return list(members.order_by("pk"))


def _build_with_lead() -> QuerySet[Person]:
    newest = LeadAssignment.objects.filter(person=OuterRef("pk")).order_by("-assigned_at", "-pk")
    return (
        Person.objects.annotate(
            lead_at=Subquery(newest.values("assigned_at")[:1]),
            lead_pk=Subquery(newest.values("pk")[:1]),
        )
        .select_related("organisation")
        .only("pk", "pseudonym", "organisation")
        .order_by("pk")
    )


# The records of `cluster_and_lead`: one record's cluster, each with its newest lead
# assignment, built and compiled once per process (lens.data.prepared.compiled; the two
# subqueries cost more to build than to run).
_cluster_with_lead = compiled(
    lambda pk: _build_with_lead().filter(pk__in=in_clusters(cluster_key_of(pk))), int
)


def cluster_and_lead(person: Person) -> tuple[list[Person], Organisation | None]:
    """`cluster_of(person)` and `current_lead` of it, in one query, for the "ook
    betrokken" block: each record carries its own newest lead assignment (time and id),
    and the newest of those is the cluster's, as `current_lead` orders them. The records
    hold only their pk, pseudonym and organisation (with its columns, joined): not the
    encrypted identity nor the match keys, which the block never reads."""
    members = _cluster_with_lead(person.pk)
    assigned = [m for m in members if m.lead_at is not None]
    if not assigned:
        return members, None
    return members, max(assigned, key=lambda m: (m.lead_at, m.lead_pk)).organisation


def clusters_among(persons: Iterable[Person]) -> list[list[int]]:
    """Group the given records by stored cluster: lists of pks, each sorted, clusters in
    the order of their smallest pk. One query."""
    given = sorted({p.pk for p in persons})
    keys = Person.objects.filter(pk__in=given).annotate(key=cluster_key()).values_list("pk", "key")
    grouped: dict[int, list[int]] = {}
    for pk, key in sorted(keys):
        grouped.setdefault(key, []).append(pk)
    return sorted(grouped.values(), key=lambda nodes: nodes[0])


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
    by_pk = {m.pk: m for m in members}
    assigned = (
        LeadAssignment.objects.filter(person__in=list(by_pk))
        .order_by("-assigned_at", "-pk")
        .values_list("person_id", flat=True)
        .first()
    )
    # The organisation from the member (cluster_of reads it with the records), not from a
    # join of the assignment with the whole record again.
    return by_pk[assigned].organisation if assigned is not None else None


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
