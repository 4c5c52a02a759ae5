"""Network drawings are reproducible: the same network gives the same figure whatever order
its file lists it in, and two separate `analysis run` processes write identical files."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import matplotlib
import networkx as nx
import numpy as np
import pytest
from conftest import notebook_of_build, use_demo_cache

from analysis.core import paths
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


@pytest.mark.slow
def test_two_separate_runs_write_identical_figures(tmp_path, demo_report_es):
    """Two separate runs on the demo data: an `analysis run` process of the network report
    alone (hash seed 1, one worker) and the shared Spanish demo build (every report on two
    workers, in kernels that draw their own hash seed): every figure file and the exported
    network are byte-identical."""
    first = tmp_path / "first"
    use_demo_cache(demo_report_es, tmp_path / "state")  # validated once, by the build
    env = {**os.environ, "PYTHONHASHSEED": "1", paths.STATE_ENV: str(tmp_path / "state")}
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--data", str(paths.DEMO), "--out",
         str(first), "--name", "determinism", "--notebooks", "40_networks", "--jobs", "1"],
        env=env, capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    second = tmp_path / "second"
    notebook_of_build(demo_report_es, "40_networks", second)  # its figures and network files
    figures = sorted(p.relative_to(first) for p in (first / "figures").iterdir())
    assert len(figures) >= 15  # PNG, SVG and PDF of every network figure
    assert figures == sorted(p.relative_to(second) for p in (second / "figures").iterdir())
    different = [str(p) for p in figures if (first / p).read_bytes() != (second / p).read_bytes()]
    assert not different
    for exported in ("networks/40_networks.gexf", "networks/40_networks.graphml"):
        assert (first / exported).read_bytes() == (second / exported).read_bytes()
