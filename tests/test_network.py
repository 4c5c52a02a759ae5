"""Network measures, checked against a second implementation and against published work."""

from __future__ import annotations

import json

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis import network
from analysis.cli import main


def random_graph(seed: int, n: int = 120, m: int = 260) -> nx.Graph:
    graph = nx.gnm_random_graph(n, m, seed=seed)
    graph.add_edges_from([(n + 1, n + 2), (n + 2, n + 3)])  # a second component
    graph.add_node(n + 9)  # and an isolate
    for u, v in graph.edges():
        graph[u][v]["weight"] = 1.0 + (u + v) % 3
    return graph


# reading ---------------------------------------------------------------------------------
def test_edge_list_with_header_and_weights(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("Source,Target,Weight\na,b,2\nb,c,1\na,b,3\n")
    graph = network.read_network(path)
    assert graph.is_directed() and graph["a"]["b"]["weight"] == 5
    assert sorted(graph.nodes()) == ["a", "b", "c"]


def test_whitespace_pairs_with_comments(tmp_path):
    path = tmp_path / "pairs.txt"
    path.write_text("# a comment\nx y\ny  z 4\n")
    graph = network.read_network(path)
    assert graph.number_of_edges() == 2 and graph["y"]["z"]["weight"] == 4


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("first", ['""', '"players"', ""])
def test_ucinet_matrix(tmp_path, bom, first):
    path = tmp_path / "matrix.csv"
    path.write_bytes(bom + f'{first},A,B,C\nA,0,2,0\nB,1,0,0\nC,0,3,0\n'.encode())
    graph = network.read_network(path)
    assert sorted(graph.edges(data="weight")) == [("A", "B", 2), ("B", "A", 1), ("C", "B", 3)]


@pytest.mark.parametrize(("content", "message"), [
    ("", "empty"),
    (",A,B,C\nA,0,1,0\nB,1,0\nC,0,0,0\n", "square"),
    (",A,B,C\nA,0,x,0\nB,1,0,0\nC,0,0,0\n", "not a number"),
    ("source,target\na\n", "source and a target"),
])
def test_bad_files_say_what_is_wrong(tmp_path, capsys, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(network.NetworkFileError, match=message):
        network.read_network(path)
    assert main(["network-summary", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_graph_from_contract_tables():
    actors = pd.DataFrame({"actor_id": ["a", "b", "c", "c"], "role": ["organizer", "guide",
                           "transporter", "transporter"], "base_country": ["GTM", "MEX", "MEX",
                                                                          "MEX"]})
    links = pd.DataFrame({"source": ["a", "b", "a", "c"], "target": ["b", "a", "c", "c"],
                          "relation": ["money", "communication", "money", "kinship"],
                          "weight": [2.0, None, 1.0, 1.0],
                          "period": pd.to_datetime(["2021-01-01", "2022-01-01", "2022-06-01",
                                                    "2022-01-01"])})
    graph = network.from_tables(actors, links)
    assert graph.number_of_nodes() == 3 and graph["a"]["b"]["weight"] == 3.0
    assert graph["a"]["b"]["relation_counts"] == {"communication": 1, "money": 1}
    assert not graph.has_edge("c", "c")
    money = network.from_tables(actors, links, relations=["money"], directed=True)
    assert sorted(money.edges()) == [("a", "b"), ("a", "c")]
    recent = network.from_tables(actors, links, periods=("2022-01-01", None))
    assert sorted(map(sorted, recent.edges())) == [["a", "b"], ["a", "c"]]


# measures against a second implementation -------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_path_equals_networkx(seed):
    graph = random_graph(seed)
    slow = network.centrality(graph, fast=False)
    fast = network.centrality(graph, fast=True).loc[slow.index]
    for column in slow.columns:
        assert np.allclose(slow[column], fast[column], atol=1e-9), column


def test_measures_match_independent_implementations():
    graph = random_graph(3)
    table = network.centrality(graph, fast=True)
    core = graph.subgraph(max(nx.connected_components(graph), key=len))
    power = nx.eigenvector_centrality(core, max_iter=5000, tol=1e-12)
    values = table.loc[list(power), "eigenvector"]
    assert np.allclose(values / np.linalg.norm(values), list(power.values()), atol=1e-6)
    assert (table.loc[[n for n in graph if n not in core], "eigenvector"] < 1e-6).all()
    g = ig.Graph.from_networkx(graph)
    names = g.vs["_nx_name"]
    assert list(table.loc[names, "core"]) == g.coreness()
    summary = network.describe(graph)
    assert summary["density"] == pytest.approx(g.density())
    assert summary["components"] == nx.number_connected_components(graph) >= 3
    assert summary["diameter"] == nx.diameter(core)
    assert summary["average_path_length"] == pytest.approx(nx.average_shortest_path_length(core))
    assert summary["average_clustering"] == pytest.approx(nx.average_clustering(graph))
    assert summary["transitivity"] == pytest.approx(nx.transitivity(graph))
    degrees = np.array(g.degree())
    n = g.vcount()
    assert summary["centralization"] == pytest.approx(
        (degrees.max() - degrees).sum() / ((n - 1) * (n - 2)))


def test_freeman_centralization_of_a_star_and_a_ring():
    assert network.freeman_centralization(nx.star_graph(9)) == pytest.approx(1.0)
    assert network.freeman_centralization(nx.cycle_graph(9)) == pytest.approx(0.0)


def test_sampled_betweenness_is_close(monkeypatch):
    graph = nx.barabasi_albert_graph(1500, 3, seed=4)
    exact = network.centrality(graph, fast=True)["betweenness"]
    monkeypatch.setattr(network, "EXACT_UP_TO", 100)
    monkeypatch.setattr(network, "SAMPLED_SOURCES", 600)
    sampled = network.centrality(graph, fast=True)["betweenness"]
    assert exact.idxmax() == sampled.idxmax()
    assert float((sampled - exact).abs().max()) < 0.02
    again = network.centrality(graph, fast=True)["betweenness"]
    assert sampled.equals(again)  # a fixed seed


# roles ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("groups", "role"), [
    ({"a": 1, "b": 1, "c": 1}, "coordinator"),
    ({"a": 1, "b": 2, "c": 1}, "itinerant"),
    ({"a": 1, "b": 2, "c": 2}, "gatekeeper"),
    ({"a": 1, "b": 1, "c": 2}, "representative"),
    ({"a": 1, "b": 2, "c": 3}, "liaison"),
])
def test_brokerage_roles(groups, role):
    graph = nx.DiGraph([("a", "b"), ("b", "c")])
    table = network.brokerage(graph, groups)
    assert table.loc["b", role] == 1 and table.loc["b", "total"] == 1
    assert table.drop(index="b")["total"].sum() == 0
    closed = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    assert network.brokerage(closed, groups).loc["b", "total"] == 0


def test_cross_border_ties():
    graph = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    nx.set_node_attributes(graph, {"a": "GTM", "b": "MEX", "c": "MEX", "d": "USA"},
                           "base_country")
    matrix = network.cross_border_ties(graph)
    assert matrix.loc["GTM", "MEX"] == matrix.loc["MEX", "GTM"] == 1
    assert matrix.loc["MEX", "USA"] == 1 and matrix.to_numpy().sum() == 4


@pytest.mark.parametrize("method", ["leiden", "louvain"])
def test_communities_are_deterministic(method):
    graph = nx.connected_caveman_graph(4, 6)
    first, q1 = network.communities(graph, seed=7, method=method)
    second, q2 = network.communities(graph, seed=7, method=method)
    assert first == second and q1 == q2 > 0.5
    assert len(set(first.values())) == 4


# disruption -------------------------------------------------------------------------------
def test_removing_the_hub_shatters_a_star():
    graph = nx.star_graph(10)
    result = network.disruption(graph, "degree", steps=1, per_step=1)
    assert result.loc[1, "fragments"] == 10
    assert result.loc[1, "largest_share"] == pytest.approx(1 / 11)


@pytest.mark.parametrize("strategy", ["degree", "betweenness", "role", "random"])
def test_disruption_never_grows_the_largest_component(strategy):
    graph = random_graph(5)
    roles = dict(zip(graph.nodes(), network.ROLE_ORDER * 50, strict=False))
    nx.set_node_attributes(graph, roles, "role")
    result = network.disruption(graph, strategy, steps=8, seed=1)
    assert (result["largest_share"].diff().dropna() <= 1e-12).all()
    assert result["removed"].is_monotonic_increasing


def test_route_stages_lose_touch():
    graph = nx.path_graph(["o", "t", "b", "d"])
    nx.set_node_attributes(graph, {"o": "origin", "t": "transit", "b": "border",
                                   "d": "destination"}, "route_stage")
    result = network.disruption(graph, "betweenness", steps=1, per_step=1)
    assert list(result["stages_connected"]) == [True, False]


def test_key_players_cut_the_bridges():
    graph = nx.barbell_graph(6, 2)
    chosen = network.key_players(graph, 1)
    remaining = graph.copy()
    remaining.remove_nodes_from(chosen)
    assert nx.number_connected_components(remaining) == 2
    assert network.key_players(graph, 1) == chosen


# published work ---------------------------------------------------------------------------
def test_caviar_aggregate(realdata):
    path = realdata / "caviar" / "caviar_aggregate_matrix.csv"
    graph = network.read_network(path)
    assert graph.number_of_nodes() == 110  # Morselli (2009): 110 participants
    table = network.centrality(graph)
    assert table["degree"].idxmax() == "1" and table["betweenness"].idxmax() == "1"  # N1
    assert network.centrality(graph, fast=True).loc[table.index].round(12).equals(
        table.round(12))


def test_caviar_phases(realdata):
    sizes, central = [], []
    for phase in range(1, 12):
        graph = network.read_network(realdata / "caviar" / f"phase{phase}.csv")
        sizes.append(graph.number_of_nodes())
        central.append(network.freeman_centralization(graph))
    assert len(sizes) == 11 and sizes[0] < sizes[-1]
    assert all(0 <= c <= 1 for c in central)


def test_network_summary_command(realdata, capsys):
    path = realdata / "caviar" / "caviar_aggregate_matrix.csv"
    assert main(["network-summary", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["nodes"] == 110 and summary["top_degree"][0]["actor"] == "1"
    assert main(["network-summary", str(path), "--lang", "es"]) == 0
    assert "Centralización de grado" in capsys.readouterr().out
