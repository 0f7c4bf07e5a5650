"""The network graph (lens.coordination.network): components and the deterministic
layout. Pure Python, no database."""

from __future__ import annotations

import itertools
import math

import pytest

from lens.coordination import network
from lens.coordination.network import NODE_GAP, NODE_RADIUS, Component


def distance(p, q) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


# --- components -----------------------------------------------------------------------------


def test_no_edges_no_components():
    assert network.components([]) == []


def test_components_are_connected_groups_largest_first():
    edges = [(10, 11), (1, 2), (2, 3), (3, 4), (20, 21), (21, 22)]
    found = network.components(edges)
    assert [c.nodes for c in found] == [(1, 2, 3, 4), (20, 21, 22), (10, 11)]
    assert found[0].edges == ((1, 2), (2, 3), (3, 4))
    assert found[2].edges == ((10, 11),)


def test_ties_are_ordered_by_the_smallest_node_and_edges_break_ties():
    found = network.components([(5, 6), (1, 2), (7, 8), (8, 7)])
    # Same size: (7, 8) has two edges (parallel relations), so it comes first.
    assert [c.nodes for c in found] == [(7, 8), (1, 2), (5, 6)]


def test_a_star_is_one_component():
    recruiter, young = 1, [2, 3, 4]
    found = network.components((recruiter, y) for y in young)
    assert len(found) == 1
    assert found[0].nodes == (1, 2, 3, 4)
    assert len(found[0].edges) == 3
    assert found[0].degree(recruiter) == 3 and found[0].degree(2) == 1


def test_a_loop_makes_a_component_of_one_node():
    found = network.components([(3, 3)])
    assert [c.nodes for c in found] == [(3,)]
    assert found[0].edges == ((3, 3),)


def test_components_do_not_depend_on_the_order_of_the_edges():
    edges = [(1, 2), (2, 3), (7, 9), (4, 5), (5, 1)]
    expected = [c.nodes for c in network.components(edges)]
    for shuffled in itertools.permutations(edges):
        assert [c.nodes for c in network.components(shuffled)] == expected


def test_nodes_need_not_be_numbers():
    found = network.components([("b", "a"), ("c", "d")])
    assert [c.nodes for c in found] == [("a", "b"), ("c", "d")]


# --- layout ---------------------------------------------------------------------------------


def test_one_node_in_the_middle():
    placed = network.layout(Component(nodes=(7,), edges=((7, 7),)))
    assert placed.positions == {7: (placed.width / 2, placed.height / 2)}


def test_two_nodes_side_by_side():
    placed = network.layout(Component(nodes=(1, 2), edges=((1, 2),)))
    (x1, y1), (x2, y2) = placed.positions[1], placed.positions[2]
    assert y1 == y2 and x1 < x2
    assert distance(placed.positions[1], placed.positions[2]) > 2 * NODE_RADIUS


def test_a_star_has_its_hub_in_the_centre_and_the_others_around_it():
    component = network.components([(1, 2), (1, 3), (1, 4)])[0]
    placed = network.layout(component)
    assert placed.centre == 1
    middle = (placed.width / 2, placed.height / 2)
    assert placed.positions[1] == middle
    radii = {round(distance(placed.positions[n], middle), 1) for n in (2, 3, 4)}
    assert len(radii) == 1  # all on one circle
    assert radii.pop() >= network.MIN_RING


def test_a_hub_that_is_not_the_smallest_node_is_still_the_centre():
    component = network.components([(9, 2), (9, 3), (9, 4), (9, 5)])[0]
    assert network.layout(component).centre == 9


def test_a_chain_is_on_a_circle_without_a_centre():
    component = network.components([(1, 2), (2, 3), (3, 4), (4, 5)])[0]
    placed = network.layout(component)
    assert placed.centre is None
    middle = (placed.width / 2, placed.height / 2)
    radii = {round(distance(p, middle), 1) for p in placed.positions.values()}
    assert len(radii) == 1


def test_a_triangle_is_a_star_of_each_node_so_the_first_is_the_centre():
    component = network.components([(1, 2), (2, 3), (3, 1)])[0]
    assert network.layout(component).centre == 1


@pytest.mark.parametrize("size", [3, 5, 8, 13, 30])
def test_nodes_never_overlap_and_stay_inside_the_drawing(size):
    edges = [(i, i + 1) for i in range(1, size)]
    placed = network.layout(network.components(edges)[0])
    assert len(placed.positions) == size
    for p, q in itertools.combinations(placed.positions.values(), 2):
        assert distance(p, q) >= 2 * NODE_RADIUS + NODE_GAP - 0.5
    for x, y in placed.positions.values():
        assert NODE_RADIUS <= x <= placed.width - NODE_RADIUS
        assert NODE_RADIUS <= y <= placed.height - NODE_RADIUS


def test_a_big_star_grows_its_circle():
    small = network.layout(network.components([(0, n) for n in range(1, 4)])[0])
    big = network.layout(network.components([(0, n) for n in range(1, 25)])[0])
    assert big.width > small.width
    for p, q in itertools.combinations(big.positions.values(), 2):
        assert distance(p, q) >= 2 * NODE_RADIUS


def test_the_layout_is_deterministic():
    edges = [(4, 1), (1, 2), (2, 3), (3, 5), (5, 1), (6, 2)]
    first = network.layout(network.components(edges)[0])
    for shuffled in itertools.islice(itertools.permutations(edges), 50):
        again = network.layout(network.components(shuffled)[0])
        assert again == first


def test_related_nodes_sit_side_by_side_on_the_circle():
    # Walked breadth-first from the busiest node (2), which is drawn at the top; going
    # round clockwise come its neighbours in order, then theirs.
    component = network.components([(1, 2), (2, 3), (3, 4), (2, 5)])[0]
    placed = network.layout(component)
    assert placed.centre is None

    def clockwise_from_top(node):
        x, y = placed.positions[node]
        dx, dy = x - placed.width / 2, y - placed.height / 2
        return round(math.atan2(dx, -dy) % (2 * math.pi), 6)

    assert sorted(placed.positions, key=clockwise_from_top) == [2, 1, 3, 5, 4]


def test_segments_stop_at_the_edge_of_the_circles():
    x1, y1, x2, y2 = network.segment((0, 0), (100, 0), shrink=NODE_RADIUS)
    assert (x1, y1, x2, y2) == (NODE_RADIUS, 0, 100 - NODE_RADIUS, 0)
    assert network.segment((0, 0), (10, 0), shrink=NODE_RADIUS) == (0, 0, 10, 0)


def test_ring_radius():
    assert network.ring_radius(1) == network.MIN_RING
    assert network.ring_radius(3) == network.MIN_RING
    assert network.ring_radius(40) > network.MIN_RING
