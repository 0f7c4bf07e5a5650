"""The network of relations, as a graph to draw: pure Python, no Django.

The zorgcoördinator's network page (lens.coordination.views.network) turns clusters
(one node per person across organisations) and the relations recorded between them
(edges) into networks: the connected components, each drawn as an SVG on the server
with the deterministic layout below. No JavaScript, no randomness: the same relations
always give the same picture, so that a picture can be described, compared and tested.

The layout:
- one node: in the middle; two nodes: side by side;
- a star (one node related to every other one, such as a suspected recruiter with
  several young persons): that node in the centre, the others on a circle around it;
- anything else: every node on one circle, in the order of a breadth-first walk from
  the node with the most relations, so that related nodes tend to sit side by side.
The circle grows with the number of nodes so that nodes never overlap.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

# Sizes in SVG user units (pixels at 100%).
NODE_RADIUS = 40
NODE_GAP = 36  # at least this much space between two nodes on the circle
MIN_RING = 240  # the smallest circle radius, to leave room for the edge labels (the labels
# of a star's neighbouring edges, at their midpoints, must not run into each other)
MARGIN = 24  # around the drawing, beyond the nodes
TWO_NODE_DISTANCE = 280


@dataclass(frozen=True)
class Component:
    """A connected network: its nodes (sorted) and its edges (as given, in order)."""

    nodes: tuple[Hashable, ...]
    edges: tuple[tuple[Hashable, Hashable], ...]

    def degree(self, node: Hashable) -> int:
        """The number of other nodes this node has a relation with."""
        return len(_neighbours(self.edges).get(node, set()))


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    positions: dict[Hashable, tuple[float, float]] = field(default_factory=dict)
    centre: Hashable | None = None  # the centre node of a star, if the layout is one


def components(edges: Iterable[tuple[Hashable, Hashable]]) -> list[Component]:
    """The connected components of the graph made by `edges` (pairs of nodes; a pair of
    the same node twice makes that node a component of its own). Nodes are sorted within
    a component; the components come largest first (most nodes, then most edges), ties
    in the order of their smallest node."""
    edges = list(edges)
    parent: dict[Hashable, Hashable] = {}

    def root(node: Hashable) -> Hashable:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            low, high = sorted((ra, rb), key=_order)
            parent[high] = low
    nodes_of: dict[Hashable, list[Hashable]] = {}
    for node in sorted(parent, key=_order):
        nodes_of.setdefault(root(node), []).append(node)
    edges_of: dict[Hashable, list[tuple[Hashable, Hashable]]] = {}
    for a, b in edges:
        edges_of.setdefault(root(a), []).append((a, b))
    found = [
        Component(nodes=tuple(nodes), edges=tuple(edges_of.get(key, ())))
        for key, nodes in nodes_of.items()
    ]
    found.sort(key=lambda c: (-len(c.nodes), -len(c.edges), _order(c.nodes[0])))
    return found


def layout(component: Component) -> Layout:
    """Where to draw each node of `component` (centres of circles of NODE_RADIUS), and
    the size of the drawing. Deterministic."""
    nodes = list(component.nodes)
    if not nodes:
        return Layout(width=0, height=0)
    if len(nodes) == 1:
        side = 2 * (NODE_RADIUS + MARGIN)
        return Layout(side, side, {nodes[0]: (side / 2, side / 2)})
    if len(nodes) == 2:
        width = TWO_NODE_DISTANCE + 2 * (NODE_RADIUS + MARGIN)
        height = 2 * (NODE_RADIUS + MARGIN)
        y = height / 2
        x0 = NODE_RADIUS + MARGIN
        return Layout(
            round(width), round(height), {nodes[0]: (x0, y), nodes[1]: (x0 + TWO_NODE_DISTANCE, y)}
        )
    neighbours = _neighbours(component.edges)
    hub = max(nodes, key=lambda n: (len(neighbours.get(n, set()) - {n}), _neg(n, nodes)))
    star = len(neighbours.get(hub, set()) - {hub}) == len(nodes) - 1
    ring = [n for n in _walk(hub, nodes, neighbours) if not (star and n == hub)]
    radius = ring_radius(len(ring))
    side = 2 * (radius + NODE_RADIUS + MARGIN)
    middle = side / 2
    positions: dict[Hashable, tuple[float, float]] = {}
    if star:
        positions[hub] = (middle, middle)
    for i, node in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * i / len(ring)  # start at the top, clockwise
        positions[node] = (
            round(middle + radius * math.cos(angle), 2),
            round(middle + radius * math.sin(angle), 2),
        )
    return Layout(round(side), round(side), positions, centre=hub if star else None)


def ring_radius(count: int) -> float:
    """The radius of a circle with `count` nodes on it that keeps NODE_GAP between them."""
    if count < 2:
        return float(MIN_RING)
    needed = (NODE_RADIUS + NODE_GAP / 2) / math.sin(math.pi / count)
    return max(float(MIN_RING), round(needed, 2))


def segment(
    start: tuple[float, float], end: tuple[float, float], *, shrink: float = NODE_RADIUS
) -> tuple[float, float, float, float]:
    """The line from the edge of the circle around `start` to the edge of the circle
    around `end` (so that an arrowhead at the end is not hidden under the node)."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= 2 * shrink:
        return x1, y1, x2, y2
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    return (
        round(x1 + dx * shrink, 2),
        round(y1 + dy * shrink, 2),
        round(x2 - dx * shrink, 2),
        round(y2 - dy * shrink, 2),
    )


def _neighbours(edges: Iterable[tuple[Hashable, Hashable]]) -> dict[Hashable, set[Hashable]]:
    found: dict[Hashable, set[Hashable]] = {}
    for a, b in edges:
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)
    return found


def _walk(start: Hashable, nodes: list[Hashable], neighbours: dict) -> list[Hashable]:
    """Breadth-first from `start`, neighbours in sorted order; then any node not reached
    (there are none in a component, but the layout does not depend on it)."""
    seen = [start]
    queue = [start]
    while queue:
        node = queue.pop(0)
        for other in sorted(neighbours.get(node, set()), key=_order):
            if other not in seen:
                seen.append(other)
                queue.append(other)
    return seen + [n for n in nodes if n not in seen]


def _order(node: Hashable) -> tuple[int, float | str]:
    """A total order on nodes of any type: numbers by value, the rest as text."""
    if isinstance(node, int | float):
        return (0, node)
    return (1, str(node))


def _neg(node: Hashable, nodes: list[Hashable]) -> int:
    """For max(): among nodes with as many relations, the first in sorted order wins."""
    return -nodes.index(node)
