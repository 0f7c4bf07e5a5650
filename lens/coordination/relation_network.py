"""What the zorgcoördinator's network page reads (a selector): the networks of relations
between the records in their need-to-know scope, and the persons and relations of one
page of them. Every read goes through lens.access.policy (`coordinated_relations`,
`coordinated_persons`); nothing here logs: the page logs what it shows, in one bulk
write (`policy.log_coordinated_list`).

Cost: the networks are found from one query that reads, for every current relation in
scope, only its id and the stored cluster ids of its two records (integers; the graph
itself is made in Python, lens.coordination.network). A page then reads its own persons
and relations in one query each, and the number of persons in view without a relation in
one more: five queries whatever the number of relations or networks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lens.access import policy
from lens.coordination import network as graph
from lens.data.coordination import PersonRelation, cluster_key

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.data.registry import Person


@dataclass(frozen=True)
class Networks:
    """The networks in view, largest first (each node a stored cluster id), and which
    relations (ids, in the order they were recorded) each one holds."""

    components: list[graph.Component]
    relations_of: dict[int, list[int]]  # cluster id of a component's first node -> ids
    relation_count: int
    clusters_in_view: int  # clusters with a record in view, related or not

    @property
    def isolated(self) -> int:
        """The clusters in view without a relation to another cluster in view."""
        related = sum(len(component.nodes) for component in self.components)
        return self.clusters_in_view - related


def networks_in_view(actor: Actor) -> Networks:
    """Two queries: the relations' ends (as cluster ids), and the clusters in view."""
    ends = list(
        policy.coordinated_relations(actor)
        .annotate(a_key=cluster_key("person_a__"), b_key=cluster_key("person_b__"))
        .order_by("recorded_at", "pk")
        .values_list("pk", "a_key", "b_key")
    )
    components = graph.components((a, b) for _pk, a, b in ends)
    first_node = {node: c.nodes[0] for c in components for node in c.nodes}
    relations_of: dict[int, list[int]] = {c.nodes[0]: [] for c in components}
    for pk, a, _b in ends:
        relations_of[first_node[a]].append(pk)
    clusters_in_view = (
        policy.coordinated_persons(actor).values("cluster_key").distinct().order_by().count()
    )
    return Networks(components, relations_of, len(ends), clusters_in_view)


@dataclass(frozen=True)
class PageOfNetworks:
    members: dict[int, list[Person]]  # cluster id -> its records in view, oldest first
    relations: dict[int, PersonRelation]  # id -> relation (with the recording organisation)


def page_contents(actor: Actor, networks: Networks, shown: list[graph.Component]) -> PageOfNetworks:
    """The records and relations of the networks `shown` (one page): two queries."""
    nodes = sorted({node for component in shown for node in component.nodes})
    ids = sorted(pk for c in shown for pk in networks.relations_of[c.nodes[0]])
    members: dict[int, list[Person]] = {node: [] for node in nodes}
    if nodes:
        persons = (
            policy.coordinated_persons(actor)
            .filter(cluster_key__in=nodes)
            .select_related("organisation")
            .order_by("pk")
        )
        for person in persons:
            members[person.cluster_key].append(person)
    relations = {}
    if ids:
        relations = {
            r.pk: r
            for r in policy.coordinated_relations(actor)
            .filter(pk__in=ids)
            .select_related("recorded_by_organisation")
        }
    return PageOfNetworks(members, relations)
