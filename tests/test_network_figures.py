"""Network drawings are reproducible: the same network gives the same figure whatever order
its file lists it in. (Two separate runs write identical network figures and exports, whatever
their hash seed: test_report_outputs.py::test_two_runs_give_identical_tables_and_figures.)"""

from __future__ import annotations

import random

import matplotlib
import networkx as nx
import numpy as np
import pytest

from analysis.report.figures import network as drawings

matplotlib.use("Agg")


def shuffled(graph: nx.Graph, seed: int) -> nx.Graph:
    """The same graph with nodes and ties inserted in another order."""
    rng = random.Random(seed)
    nodes, edges = list(graph.nodes(data=True)), list(graph.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    out = nx.Graph()
    out.add_nodes_from(nodes)
    out.add_edges_from((v, u, d) if rng.random() < 0.5 else (u, v, d) for u, v, d in edges)
    return out


def drawn(graph: nx.Graph, **options) -> tuple[np.ndarray, list[str]]:
    import matplotlib.pyplot as plt

    drawings._LAYOUTS.clear()  # each drawing lays its network out anew
    fig, ax = plt.subplots()
    drawings.plot_network(graph, ax=ax, **options)
    points = np.asarray(ax.collections[-1].get_offsets())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)
    return points[np.lexsort(points.T)], legend


@pytest.mark.parametrize("max_nodes", [500, 40])
def test_the_layout_does_not_depend_on_the_order_of_the_file(max_nodes):
    graph = nx.relabel_nodes(nx.barabasi_albert_graph(80, 2, seed=3), lambda v: f"actor-{v}")
    roles = ["organizer", "guide", "transporter"]
    nx.set_node_attributes(graph, {v: roles[i % 3] for i, v in enumerate(graph)}, "role")
    first = drawn(graph, max_nodes=max_nodes)
    for seed in (1, 2):
        again = drawn(shuffled(graph, seed), max_nodes=max_nodes)
        assert np.array_equal(first[0], again[0]) and first[1] == again[1]


def test_canonical_order_sorts_nodes_and_ties():
    graph = nx.Graph([("b", "a"), ("c", "b")])
    ordered = drawings.canonical(graph)
    assert list(ordered) == ["a", "b", "c"] and list(ordered.edges()) == [("a", "b"),
                                                                       ("b", "c")]


def test_the_maps_of_one_network_share_its_layout():
    """The layout of the same actors and ties (by role, then by community) is computed once
    and is spring_layout's own; each drawing gets its own copy of the positions."""
    graph = drawings.canonical(nx.barabasi_albert_graph(60, 2, seed=5))
    drawings._LAYOUTS.clear()
    first = drawings._spring_layout(graph, 42)
    first[0][0] = 99.0  # a drawing changing its positions leaves the kept layout alone
    second = drawings._spring_layout(graph, 42)
    expected = nx.spring_layout(graph, seed=42, weight=None)
    assert len(drawings._LAYOUTS) == 1
    assert list(second) == list(expected)
    assert all(np.array_equal(second[v], expected[v]) for v in graph)
    other = drawings._spring_layout(graph, 7)
    assert len(drawings._LAYOUTS) == 2 and not np.array_equal(other[1], second[1])
