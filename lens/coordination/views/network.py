"""The zorgcoördinator's network of relations (recording and ending a relation:
lens.coordination.views.relations).

The network page shows, for the records in the zorgcoördinator's need-to-know scope
(`policy.coordinated_persons`), the relations recorded between them: one node per
person across organisations (a cluster of linked records), one edge per pair of related
persons. Each network (a connected group of related persons) is drawn as an SVG made on
the server (lens.coordination.network: a deterministic layout, no JavaScript), with a
text description, and followed by a table of its relations (the same information, for
screen readers and for print). Relations with a record outside the scope are left out
entirely. The networks come largest first, NETWORKS_PER_PAGE to a page (the shared list
helper, lens.web.lists); what a page reads is in lens.coordination.relation_network, a
constant number of queries whatever the number of relations. Every record shown is
logged (LIST, "netwerkoverzicht") in one bulk write.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lens.access import policy
from lens.access.actor import Actor, actor_from_request
from lens.access.routes import protected
from lens.coordination import network as graph
from lens.coordination import relation_network
from lens.data.coordination import PersonRelation, RelationKind
from lens.data.registry import Person
from lens.web import lists, pages

# Purposes written to the access log (Dutch whatever the page language).
PURPOSE_NETWORK = "netwerkoverzicht"

# How many pseudonyms a node shows before "+n" (the list under the drawing has all).
NODE_PSEUDONYMS = 2
# Networks per page: each is a drawing and a table, so fewer than the rows of a list.
NETWORKS_PER_PAGE = 10

# Node colours by combined level; the level is written in the node as well.
_FILL = {"high": "#fde2e1", "consult": "#fff1cc", "low": "#eef2f6"}
_STROKE = {"high": "#a4262c", "consult": "#8a5a00", "low": "#4b5b6b"}


# --- the network ---------------------------------------------------------------------------


def _level_key(level: int | None) -> str:
    if level is None or level < 2:
        return "low"
    return "consult" if level == 2 else "high"


def _level_text(level: int | None) -> str:
    if level is None:
        return _("no level")
    return _("level %(level)s") % {"level": level}


def _recorded_by(relation: PersonRelation) -> str:
    if relation.recorded_by_organisation is not None:
        return relation.recorded_by_organisation.name
    return _("care coordinator")


def _node(index: int, members: list[Person], position: tuple[float, float]) -> dict[str, Any]:
    levels = [m.combined_level for m in members if m.combined_level is not None]
    level = max(levels) if levels else None
    shown = [m.pseudonym for m in members[:NODE_PSEUDONYMS]]
    more = len(members) - len(shown)
    lines = shown + ([f"+{more}"] if more else [])
    key = _level_key(level)
    x, y = position
    # Text lines centred on the node: pseudonyms, then the level.
    all_lines = [*lines, _level_text(level)]
    step = 14
    top = y - step * (len(all_lines) - 1) / 2
    return {
        "index": index,
        "members": members,
        "level": level,
        "level_text": _level_text(level),
        "label": " / ".join(m.pseudonym for m in members),
        "x": _n(x),
        "y": _n(y),
        "r": _n(graph.NODE_RADIUS),
        "fill": _FILL[key],
        "stroke": _STROKE[key],
        "lines": [
            {"text": text, "y": _n(top + i * step), "level": i == len(all_lines) - 1}
            for i, text in enumerate(all_lines)
        ],
    }


def _n(value: float) -> str:
    """A coordinate for the SVG: never localised (no decimal comma)."""
    return f"{value:.1f}"


def _edges(
    relations: list[PersonRelation], cluster_at: dict[int, int], layout: graph.Layout
) -> list[dict[str, Any]]:
    """One line per related pair of nodes, labelled with its relations; an arrowhead
    points from a suspected recruiter to the young person."""
    labels = dict(RelationKind.choices)
    pairs: dict[tuple[int, int], list[PersonRelation]] = defaultdict(list)
    for relation in relations:
        u, v = cluster_at[relation.person_a_id], cluster_at[relation.person_b_id]
        if u != v:
            pairs[(min(u, v), max(u, v))].append(relation)
    drawn = []
    for (u, v), among in sorted(pairs.items()):
        x1, y1, x2, y2 = graph.segment(layout.positions[u], layout.positions[v], shrink=44)
        recruits = [r for r in among if r.kind == RelationKind.SUSPECTED_RECRUITER]
        forward = any(cluster_at[r.person_a_id] == u for r in recruits)
        backward = any(cluster_at[r.person_a_id] == v for r in recruits)
        kinds = sorted({str(labels[r.kind]) for r in among})
        drawn.append(
            {
                "x1": _n(x1),
                "y1": _n(y1),
                "x2": _n(x2),
                "y2": _n(y2),
                "label": "; ".join(kinds),
                "lx": _n((x1 + x2) / 2),
                "ly": _n((y1 + y2) / 2 - 6),
                "arrow_end": forward,
                "arrow_start": backward,
                "recruiter": bool(recruits),
            }
        )
    return drawn


def _drawn(
    request: HttpRequest, actor: Actor
) -> tuple[Any, Any, list[dict[str, Any]], list[Person]]:
    """The page of networks the request asks for: the page, the networks, what is drawn of
    each and the records shown (by pseudonym: the caller logs them)."""
    networks = relation_network.networks_in_view(actor)
    page = lists.page_of(request, networks.components, NETWORKS_PER_PAGE)
    shown_components = list(page.object_list)
    contents = relation_network.page_contents(actor, networks, shown_components)
    labels = dict(RelationKind.choices)
    drawn = []
    shown: list[Person] = []
    for number, component in enumerate(shown_components, start=page.start_index()):
        layout = graph.layout(component)
        members = {node: contents.members[node] for node in component.nodes}
        own = [
            contents.relations[pk]
            for pk in networks.relations_of[component.nodes[0]]
            if pk in contents.relations
        ]
        by_pk = {p.pk: p for group in members.values() for p in group}
        cluster_at = {p.pk: node for node, group in members.items() for p in group}
        rows = [
            {
                "relation": r,
                "from": by_pk[r.person_a_id],
                "to": by_pk[r.person_b_id],
                "kind": labels.get(r.kind, r.kind),
                "recorded_by": _recorded_by(r),
            }
            for r in own
        ]
        node_list = [_node(i, members[i], layout.positions[i]) for i in component.nodes]
        drawn.append(
            {
                "number": number,
                "width": layout.width,
                "height": layout.height,
                "nodes": node_list,
                "edges": _edges(own, cluster_at, layout),
                "rows": rows,
                "description": _description(node_list, rows),
                "persons": len(component.nodes),
            }
        )
        for node in component.nodes:
            shown.extend(members[node])
    return page, networks, drawn, shown


@protected
@never_cache
@require_GET
def network(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    # The networks, what the page draws of them and the log entries of the records it
    # shows, in one transaction.
    page, networks, drawn = policy.read_shown(
        actor,
        lambda: _drawn(request, actor),
        lambda read: policy.log_coordinated_list(actor, read[3], purpose=PURPOSE_NETWORK),
        lambda read, _logged: read[:3],
    )
    return pages.render(
        request,
        "coordination/network.html",
        {
            "networks": drawn,
            "page": page,
            "list_notices": lists.notices(page=page),
            "network_count": page.paginator.count,
            "isolated": networks.isolated,
            "relation_count": networks.relation_count,
        },
    )


def _description(nodes: list[dict[str, Any]], rows: list[dict[str, Any]]) -> str:
    """What the drawing shows, in words (the SVG's <desc>)."""
    persons = "; ".join(f"{node['label']} ({node['level_text']})" for node in nodes)
    relations = "; ".join(
        f"{row['from'].pseudonym} {row['kind']} {row['to'].pseudonym}" for row in rows
    )
    return _("Persons: %(persons)s. Relations: %(relations)s.") % {
        "persons": persons,
        "relations": relations,
    }
