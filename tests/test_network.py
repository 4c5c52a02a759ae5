"""Network analysis: graphs from the contract tables, measures checked against a second
implementation, brokerage, communities, disruption and key players, figures, and the CAVIAR
network (Morselli 2009). Reading network files: tests/test_network_files.py."""

from __future__ import annotations

import itertools
import json
import math

import igraph as ig
import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis.core.i18n import fmt_number, fmt_percent, t
from analysis.diagnostic.network import brokerage, build, measures
from analysis.diagnostic.network import disruption as scenarios
from analysis.diagnostic.network.communities import communities
from analysis.report import network_report
from analysis.report.figures import network as drawings

matplotlib.use("Agg")


def random_graph(seed: int, n: int = 120, m: int = 260, directed: bool = False) -> nx.Graph:
    """A weighted random graph with a second small component and an isolate."""
    graph = nx.gnm_random_graph(n, m, seed=seed, directed=directed)
    graph.add_edges_from([(n + 1, n + 2), (n + 2, n + 3), (n + 3, n + 1), (n + 3, n + 4)])
    graph.add_node(n + 9)
    for u, v in graph.edges():
        graph[u][v]["weight"] = 1.0 + (u + v) % 3
    return graph


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# building from the contract tables -----------------------------------------------------------
def contract_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    actors = pd.DataFrame({
        "reporting_country": ["MEX", "GTM", "GTM", "GTM"],
        "actor_id": ["A-1", "A-1", "A-2", "A-3"],
        "role": ["organizer", None, "guide", "transporter"],
        "base_country": ["GTM", "GTM", "GTM", "MEX"],
        "base_place": [None, "GT-01", None, "MX-07"],
        "nationality": ["GTM", "GTM", "HND", "MEX"],
        "route_stage": ["origin", "origin", "transit", "destination"],
        "case_ids": ["C-1", "C-2", "C-2", "C-3"],
    })
    links = pd.DataFrame({
        "reporting_country": ["GTM"] * 5,
        "source": ["A-1", "A-2", "A-1", "A-3", "A-2"],
        "target": ["A-2", "A-1", "A-3", "A-3", "A-9"],
        "relation": ["money", "communication", "money", "kinship", "logistics"],
        "weight": [2.0, None, 1.0, 1.0, 4.0],
        "period": pd.to_datetime(["2021-01-01", "2022-01-01", "2022-06-01", "2022-01-01",
                                  "2023-03-01"]),
    })
    return actors, links


def test_graph_from_contract_tables():
    actors, links = contract_tables()
    graph = build.from_tables(actors, links)
    assert list(graph)[:3] == ["A-1", "A-2", "A-3"] and "A-9" in graph  # link to an unlisted actor
    # one node for the actor reported by two countries; first non-missing value, GTM before MEX
    assert graph.nodes["A-1"] == {"role": "organizer", "base_country": "GTM",
                                  "base_place": "GT-01", "route_stage": "origin",
                                  "nationality": "GTM", "reporting_countries": "GTM;MEX"}
    assert graph["A-1"]["A-2"] == {"weight": 3.0, "links": 2,
                                   "relations": {"money": 1, "communication": 1}}
    assert not graph.has_edge("A-3", "A-3")


def test_contract_tables_filters_and_direction():
    actors, links = contract_tables()
    money = build.from_tables(actors, links, relations=["money"], directed=True)
    assert money.is_directed() and sorted(money.edges()) == [("A-1", "A-2"), ("A-1", "A-3")]
    recent = build.from_tables(actors, links, periods=("2022-01-01", "2022-12-31"))
    assert sorted(map(sorted, recent.edges())) == [["A-1", "A-2"], ["A-1", "A-3"]]
    assert recent["A-1"]["A-2"]["relations"] == {"communication": 1}


# measures against a second implementation ------------------------------------------------------
@pytest.mark.parametrize(("seed", "directed"), [(0, False), (1, False), (2, True), (3, True)])
def test_fast_path_gives_the_networkx_values(seed, directed):
    graph = random_graph(seed, directed=directed)
    slow = measures.centrality(graph, fast=False)
    fast = measures.centrality(graph, fast=True)
    assert slow.attrs["method"] == "networkx" and fast.attrs["method"] == "igraph"
    assert list(slow.index) == list(fast.index) == list(graph)
    for column in measures.MEASURES:
        assert np.allclose(slow[column], fast[column], rtol=0, atol=1e-9), column
    described = measures.describe(graph, fast=False), measures.describe(graph, fast=True)
    for key, value in described[0].items():
        if key != "method":
            assert described[1][key] == pytest.approx(value, abs=1e-12), key


def test_centrality_matches_independent_computations():
    graph = random_graph(4)
    table = measures.centrality(graph, fast=True)
    g = ig.Graph.from_networkx(graph)
    names = g.vs["_nx_name"]
    n = g.vcount()
    assert list(table.loc[names, "degree"]) == g.degree()
    assert list(table.loc[names, "core"]) == g.coreness()
    assert np.allclose(table.loc[names, "weighted_degree"], g.strength(weights="weight"))
    raw = np.asarray(g.betweenness(directed=False))  # igraph: unordered pairs, not normalized
    assert np.allclose(table.loc[names, "betweenness"], 2 * raw / ((n - 1) * (n - 2)))
    closeness = nx.closeness_centrality(graph)  # Wasserman-Faust, networkx default
    assert np.allclose(table["closeness"], [closeness[v] for v in table.index])


def test_eigenvector_follows_networkx_power_iteration_on_the_whole_graph():
    # the larger component is a long path (λ < 2); K5 (λ = 4) dominates the whole spectrum
    graph = nx.disjoint_union(nx.path_graph(30), nx.complete_graph(5))
    whole = nx.eigenvector_centrality(graph, max_iter=10_000, tol=1e-13)
    for fast in (False, True):
        table = measures.centrality(graph, fast=fast)
        assert np.allclose(table["eigenvector"], [whole[v] for v in table.index], atol=1e-6)
        assert table.loc[30:, "eigenvector"].round(12).eq(round(1 / math.sqrt(5), 12)).all()
    # a connected graph: the plain networkx value
    karate = nx.karate_club_graph()
    reference = nx.eigenvector_centrality_numpy(karate, weight=None)
    table = measures.centrality(karate, fast=True)
    assert np.allclose(table["eigenvector"], [reference[v] for v in karate], atol=1e-9)


def test_describe_matches_networkx_and_igraph():
    graph = random_graph(5)
    summary = measures.describe(graph)
    core = graph.subgraph(max(nx.connected_components(graph), key=len))
    g = ig.Graph.from_networkx(graph)
    assert summary["nodes"] == 125 and summary["edges"] == graph.number_of_edges()
    assert summary["density"] == pytest.approx(nx.density(graph)) == pytest.approx(g.density())
    assert summary["components"] == nx.number_connected_components(graph) >= 3
    assert summary["components"] == len(g.connected_components())
    assert summary["isolates"] == nx.number_of_isolates(graph) >= 1
    assert summary["largest_component"] == len(core)
    assert summary["diameter"] == nx.diameter(core) == g.subgraph(
        g.connected_components().giant().vs.indices).diameter()
    assert summary["average_path_length"] == pytest.approx(nx.average_shortest_path_length(core))
    assert summary["average_clustering"] == pytest.approx(
        g.transitivity_avglocal_undirected(mode="zero"))
    assert summary["transitivity"] == pytest.approx(g.transitivity_undirected())
    degrees = np.array(g.degree())
    assert summary["centralization"] == pytest.approx(
        (degrees.max() - degrees).sum() / ((len(degrees) - 1) * (len(degrees) - 2)))
    json.dumps(summary)  # plain numbers


def test_directed_density_counts_arcs():
    graph = random_graph(6, directed=True)
    summary = measures.describe(graph, fast=True)
    g = ig.Graph.from_networkx(graph)
    assert summary["directed"] and summary["density"] == pytest.approx(g.density(loops=False))
    assert summary["density"] == pytest.approx(nx.density(graph))
    assert summary["ties"] == nx.Graph(graph).number_of_edges()


def test_freeman_centralization_of_a_star_and_a_ring():
    star = measures.describe(nx.star_graph(9))
    assert star["centralization"] == pytest.approx(1.0)
    assert measures.describe(nx.cycle_graph(9))["centralization"] == pytest.approx(0.0)
    assert measures.freeman_centralization([1, 1]) is None


def test_sampled_estimates_are_close_and_repeatable():
    graph = nx.barabasi_albert_graph(1500, 3, seed=4)
    graph.add_edges_from([(2000, 2001), (2001, 2002)])  # a small component stays exact
    exact = measures.centrality(graph, fast=True, sample=None)
    sampled = measures.centrality(graph, fast=True, sample=300, seed=1)
    assert sampled.attrs["sample"] == 300
    for column in ("betweenness", "closeness"):
        assert float((sampled[column] - exact[column]).abs().max()) < 0.02, column
        assert sampled.loc[[2000, 2001, 2002], column].equals(exact.loc[[2000, 2001, 2002],
                                                                        column])
    assert sampled["betweenness"].idxmax() == exact["betweenness"].idxmax()
    assert sampled.equals(measures.centrality(graph, fast=True, sample=300, seed=1))
    paths = measures.describe(graph, fast=True, sample=None)
    estimate = measures.describe(graph, fast=True, sample=200)
    assert estimate["path_length_sources"] == 200 and paths["path_length_sources"] is None
    assert estimate["average_path_length"] == pytest.approx(paths["average_path_length"],
                                                            rel=0.02)
    assert paths["diameter"] - 1 <= estimate["diameter"] <= paths["diameter"]


def test_top_actors_of_a_star():
    top = measures.top_actors(nx.star_graph(5), n=2)
    assert list(top.index) == [0, 1] and top.loc[0, "degree"] == 5


# direction in the measures of paths ------------------------------------------------------------
def chain_with_a_feeder() -> nx.DiGraph:
    """1 -> 2 -> 3 -> 5 and 4 -> 2: a tree whose arcs all point towards 5."""
    return nx.DiGraph([(1, 2), (2, 3), (4, 2), (3, 5)])


@pytest.mark.parametrize("fast", [False, True])
def test_directed_paths_by_hand(fast):
    graph = chain_with_a_feeder()
    table = measures.centrality(graph, fast=fast)
    # (n-1)(n-2) = 12 ordered pairs. Along arcs, 2 lies on 1->3, 1->5, 4->3, 4->5 (4/12) and
    # 3 on 1->5, 2->5, 4->5 (3/12); with ties in either direction 2 separates {1}, {4} and
    # {3, 5} (5 pairs, both orders: 10/12) and 3 separates {5} from {1, 2, 4} (6/12)
    assert table["betweenness"].to_dict() == pytest.approx({1: 0, 2: 1 / 3, 3: 1 / 4, 4: 0,
                                                            5: 0})
    undirected = measures.centrality(graph.to_undirected(), fast=fast)
    assert undirected["betweenness"].to_dict() == pytest.approx({1: 0, 2: 5 / 6, 3: 1 / 2,
                                                                 4: 0, 5: 0})
    # closeness on out-paths, (r/d) * r/(n-1): 1 reaches 2, 3, 5 at 1+2+3 (3/6 * 3/4); 2
    # reaches 3, 5 at 1+2 (2/3 * 2/4); 3 reaches 5 (1 * 1/4); 5 reaches nobody
    assert table["closeness"].to_dict() == pytest.approx({1: 3 / 8, 2: 1 / 3, 3: 1 / 4,
                                                          4: 3 / 8, 5: 0})
    # no cycle, no strongly connected component of two or more actors: eigenvector 0
    assert (table["eigenvector"] == 0).all()
    assert table["core"].tolist() == [1, 1, 1, 1, 1]
    summary = measures.describe(graph, fast=fast)
    assert summary["components"] == 1 and summary["strong_components"] == 5
    # out-paths of the weak component: 9 ordered pairs joined, 1->5 and 4->5 the longest
    assert summary["diameter"] == 3
    assert summary["average_path_length"] == pytest.approx((1 + 2 + 3 + 1 + 2 + 1 + 2 + 3 + 1) / 9)


@pytest.mark.parametrize("fast", [False, True])
def test_directed_eigenvector_and_core_by_hand(fast):
    # a cycle 1 -> 2 -> 3 -> 1 fed by 5 and draining into 4; a mutual pair 6 <-> 7 -> 8
    graph = nx.DiGraph([(1, 2), (2, 3), (3, 1), (3, 4), (5, 1), (6, 7), (7, 6), (7, 8)])
    table = measures.centrality(graph, fast=fast)
    # the cycle (λ = 1, its other eigenvalues of the same modulus are complex) wins over the
    # pair (λ = 1, smaller): each of its actors 1/sqrt(3), everyone else 0
    third = 1 / math.sqrt(3)
    assert table["eigenvector"].to_dict() == pytest.approx(
        {1: third, 2: third, 3: third, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0})
    # total degree: 6 and 7 count their mutual tie twice (degrees 2 and 3): a 2-core
    assert table.loc[[6, 7, 8], "core"].tolist() == [2, 2, 1]
    assert table.loc[[1, 2, 3, 4, 5], "core"].tolist() == [2, 2, 2, 1, 1]
    assert measures.centrality(graph.to_undirected(), fast=fast).loc[[6, 7], "core"].tolist() \
        == [1, 1]
    assert measures.describe(graph, fast=fast)["strong_components"] == 5


@pytest.mark.parametrize("n", [70, 600])  # dense solver; ARPACK past 300 actors
def test_directed_eigenvector_is_the_in_eigenvector_of_the_dominant_strong_component(n):
    graph = nx.gnp_random_graph(n, 3.5 / n, seed=3, directed=True)
    strong = graph.subgraph(max(nx.strongly_connected_components(graph), key=len))
    assert 0 < len(strong) < n and (n < 300 or len(strong) > 300)
    reference = nx.eigenvector_centrality(strong, max_iter=10_000, tol=1e-13)  # in-edges
    for fast in (False, True):
        table = measures.centrality(graph, fast=fast)
        assert np.allclose(table.loc[list(strong), "eigenvector"],
                           [reference[v] for v in strong], atol=1e-6)
        assert (table.drop(index=list(strong))["eigenvector"] == 0).all()


@pytest.mark.parametrize("seed", [8, 9])
def test_directed_measures_agree_with_networkx_and_igraph(seed):
    graph = nx.MultiDiGraph(random_graph(seed, directed=True))
    graph.add_edges_from([(0, 0), (1, 2), (1, 2)])  # a self-tie and repeated arcs
    simple = nx.DiGraph(build.path_view(graph))
    slow = measures.centrality(graph, fast=False)
    fast = measures.centrality(graph, fast=True, sample=None)
    for column in measures.MEASURES:
        assert np.allclose(slow[column], fast[column], rtol=0, atol=1e-9), column
    g = ig.Graph.from_networkx(simple)
    nodes = g.vs["_nx_name"]
    n = g.vcount()
    assert np.allclose(slow.loc[nodes, "betweenness"],
                       np.asarray(g.betweenness(directed=True)) / ((n - 1) * (n - 2)))
    assert np.allclose(slow.loc[nodes, "core"], g.coreness(mode="all"))
    outward = nx.closeness_centrality(simple.reverse())
    assert np.allclose(slow["closeness"], [outward[v] for v in slow.index])
    summary = measures.describe(graph, fast=False)
    assert summary["components"] == nx.number_weakly_connected_components(simple)
    assert summary["strong_components"] == nx.number_strongly_connected_components(simple)
    fast_summary = measures.describe(graph, fast=True, sample=None)
    for key, value in summary.items():
        if key != "method":
            assert fast_summary[key] == pytest.approx(value, abs=1e-12), key


def test_sampled_directed_estimates_are_close_and_repeatable():
    graph = nx.gnp_random_graph(1500, 0.004, seed=2, directed=True)
    graph.add_edges_from([(2000, 2001), (2001, 2002)])  # a small component stays exact
    exact = measures.centrality(graph, fast=True, sample=None)
    sampled = measures.centrality(graph, fast=True, sample=400, seed=1)
    for column in ("betweenness", "closeness"):
        assert float((sampled[column] - exact[column]).abs().max()) < 0.02, column
        assert sampled.loc[[2000, 2001, 2002], column].equals(exact.loc[[2000, 2001, 2002],
                                                                        column])
    assert np.corrcoef(sampled["betweenness"], exact["betweenness"])[0, 1] > 0.9
    assert sampled.equals(measures.centrality(graph, fast=True, sample=400, seed=1))
    paths = measures.describe(graph, fast=True, sample=None)
    estimate = measures.describe(graph, fast=True, sample=300)
    assert estimate["average_path_length"] == pytest.approx(paths["average_path_length"],
                                                            rel=0.02)
    assert paths["diameter"] - 2 <= estimate["diameter"] <= paths["diameter"]


def test_removal_by_betweenness_follows_the_arcs():
    # 1, 2, 3, 4 all send to 0 (a sink: on no directed path); 4 -> 5 -> 6 -> 7 -> 8
    graph = nx.DiGraph([(1, 0), (2, 0), (3, 0), (4, 0), (4, 5), (5, 6), (6, 7), (7, 8)])
    table = measures.centrality(graph)
    # 6 lies on 4->7, 4->8, 5->7, 5->8: 4 of (n-1)(n-2) = 56 ordered pairs
    assert table["betweenness"].idxmax() == 6 and table.loc[6, "betweenness"] == 4 / 56
    assert table.loc[0, "betweenness"] == 0
    # ties in either direction make the sink the hub: 0 separates {1}, {2}, {3}, {4..8}
    undirected = measures.centrality(graph.to_undirected())["betweenness"]
    assert undirected.idxmax() == 0 and undirected[0] == pytest.approx(36 / 56)
    for recompute in (False, True):
        result = scenarios.disruption(graph, "betweenness", steps=1, recompute=recompute)
        assert result.loc[1, "actors"] == (6,)
        # weak components: the arcs 4 -> 0 and 4 -> 5 keep 0..5 together
        assert result.loc[1, "lcc_size"] == 6 and result.loc[1, "components"] == 2


def test_directed_summary_names_weak_and_strong_components(tmp_path):
    graph = nx.DiGraph([(1, 2), (2, 3), (3, 1), (3, 4)])  # a strong triangle and 4
    summary = measures.describe(graph)
    assert summary["strong_components"] == 2 and summary["largest_strong_component"] == 3
    rows = network_report.summary_rows(summary)
    assert [key for key, _, _ in rows[:5]] == ["nodes", "arcs", "density", "components_weak",
                                               "strong_components"]
    assert ("largest_strong_component", "largest_strong_component", 0) in rows
    keys = [key for _, key, _ in network_report.summary_rows(measures.describe(nx.path_graph(4)))]
    assert "strong_components" not in keys and "largest_strong_component" not in keys
    for lang, follow in (("es", "Los caminos siguen los arcos"), ("en", "Paths follow the arcs")):
        values = network_report.whole_text_values(
            summary, lambda v, d=0, lang=lang: fmt_number(v, lang, d),
            lambda v, lang=lang: fmt_percent(v, lang))
        text = t("networks.whole_text_directed", lang, **values)
        assert follow in text and fmt_percent(0.75, lang) in text  # 3 of 4 reach each other
        path = write(tmp_path, "arcs.csv", "source,target\n1,2\n2,3\n3,1\n3,4\n")
        printed = network_report.network_summary(path, lang=lang, direction="directed",
                                                 public_labels=True)
        assert t("network.paths_directed", lang) in printed
        assert t("network.strong_components", lang) in printed


# brokerage and cross-border ties ---------------------------------------------------------------
@pytest.mark.parametrize(("groups", "role"), [
    ({"a": "GTM", "b": "GTM", "c": "GTM"}, "coordinator"),
    ({"a": "GTM", "b": "MEX", "c": "GTM"}, "itinerant"),
    ({"a": "GTM", "b": "MEX", "c": "MEX"}, "gatekeeper"),
    ({"a": "GTM", "b": "GTM", "c": "MEX"}, "representative"),
    ({"a": "GTM", "b": "MEX", "c": "USA"}, "liaison"),
])
def test_brokerage_roles_by_hand(groups, role):
    path = nx.DiGraph([("a", "b"), ("b", "c")])
    table = brokerage.brokerage(path, groups)
    assert table.loc["b", role] == 1 and table.loc["b", "total"] == 1
    assert table.drop(index="b")["total"].sum() == 0
    closed = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])  # a reaches c without b
    assert brokerage.brokerage(closed, groups)["total"].sum() == 0
    back = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])  # c → a does not close a → c
    assert brokerage.brokerage(back, groups).loc["b", role] == 1


def test_brokerage_on_an_undirected_graph_and_by_attribute():
    # a - b - c undirected: a→b→c and c→b→a; d has no group and is not counted
    graph = nx.Graph([("a", "b"), ("b", "c"), ("b", "d")])
    nx.set_node_attributes(graph, {"a": "origin", "b": "origin", "c": "transit"}, "route_stage")
    table = brokerage.brokerage(graph, "route_stage")
    assert table.loc["b"].to_dict() == {"coordinator": 0, "itinerant": 0, "gatekeeper": 1,
                                        "representative": 1, "liaison": 0, "total": 2}
    assert list(table.columns) == [*brokerage.BROKERAGE_ROLES, "total"]


def test_cross_border_ties():
    graph = nx.Graph()
    graph.add_edges_from([("a", "b", {"weight": 2}), ("b", "c", {}), ("c", "d", {"weight": 5}),
                          ("a", "e", {})])
    nx.set_node_attributes(graph, {"a": "GTM", "b": "MEX", "c": "MEX", "d": "USA"},
                           "base_country")
    ties = brokerage.cross_border_ties(graph)
    assert list(ties.index) == ["GTM", "MEX", "USA"]
    assert ties.loc["GTM", "MEX"] == ties.loc["MEX", "GTM"] == 1
    assert ties.loc["MEX", "MEX"] == 0 and ties.to_numpy().sum() == 4
    weights = brokerage.cross_border_ties(graph, value="weight")
    assert weights.loc["MEX", "USA"] == 5.0 and weights.loc["GTM", "MEX"] == 2.0
    directed = brokerage.cross_border_ties(_directed(graph))
    assert directed.loc["GTM", "MEX"] == 1 and directed.loc["MEX", "GTM"] == 0


def _directed(graph: nx.Graph) -> nx.DiGraph:
    out = nx.DiGraph()
    out.add_nodes_from(graph.nodes(data=True))
    out.add_edges_from(graph.edges(data=True))  # in the order listed: a→b, b→c, c→d, a→e
    return out


# communities ----------------------------------------------------------------------------------
def cliques(*sizes: int) -> nx.Graph:
    """Cliques chained by single ties."""
    graph, start = nx.Graph(), 0
    for size in sizes:
        graph.add_edges_from((start + i, start + j) for i in range(size) for j in range(i))
        if start:
            graph.add_edge(start - 1, start)
        start += size
    return graph


@pytest.mark.parametrize("method", ["leiden", "louvain"])
def test_communities_are_deterministic_and_ordered_by_size(method):
    graph = cliques(4, 9, 6)
    first = communities(graph, seed=7, method=method)
    second = communities(graph, seed=7, method=method)
    assert first.membership.equals(second.membership) and first.modularity == second.modularity
    assert first.membership.loc[4:12].eq(0).all()  # the 9-clique is the largest community
    assert first.membership.loc[13:18].eq(1).all() and first.membership.loc[0:3].eq(2).all()
    groups = [set(first.membership.index[first.membership == c]) for c in range(3)]
    assert first.modularity == pytest.approx(nx.community.modularity(graph, groups))


def test_communities_reject_an_unknown_method():
    with pytest.raises(ValueError):
        communities(nx.path_graph(3), method="girvan")


# disruption and key players ---------------------------------------------------------------------
def test_removing_the_hub_shatters_a_star():
    result = scenarios.disruption(nx.star_graph(10), "degree", steps=1)
    assert result.loc[0, "lcc_share"] == 1.0 and result.loc[0, "components"] == 1
    assert result.loc[1, "actors"] == (0,) and result.loc[1, "components"] == 10
    assert result.loc[1, "lcc_share"] == pytest.approx(1 / 11)


@pytest.mark.parametrize("strategy", scenarios.STRATEGIES)
@pytest.mark.parametrize("recompute", [False, True])
def test_the_largest_component_never_grows(strategy, recompute):
    graph = random_graph(7)
    roles = ["organizer", "guide", "transporter", "money_handler", "recruiter"]
    nx.set_node_attributes(graph, {v: roles[i % 5] for i, v in enumerate(graph)}, "role")
    result = scenarios.disruption(graph, strategy, steps=10, per_step=0.03, seed=1,
                                recompute=recompute)
    assert len(result) == 11 and result["removed"].tolist() == [4 * i for i in range(11)]
    assert (result["lcc_share"].diff().dropna() <= 1e-12).all()
    assert result["lcc_share"].iloc[-1] < result["lcc_share"].iloc[0]
    again = scenarios.disruption(graph, strategy, steps=10, per_step=0.03, seed=1,
                               recompute=recompute)
    assert result.equals(again)


def test_role_strategy_follows_the_role_order():
    graph = nx.path_graph(6)
    nx.set_node_attributes(graph, {0: "guide", 1: "organizer", 2: "guide", 3: "forger",
                                   4: "organizer", 5: "other"}, "role")
    result = scenarios.disruption(graph, "role", steps=3, role_order=["forger", "organizer"])
    assert [a for step in result["actors"] for a in step] == [3, 1, 4]


def test_route_stages_lose_touch():
    graph = nx.path_graph(["o", "t", "b", "d"])
    nx.set_node_attributes(graph, {"o": "origin", "t": "transit", "b": "border",
                                   "d": "destination"}, "route_stage")
    result = scenarios.disruption(graph, "betweenness", steps=1)
    assert result["actors"].tolist() == [(), ("t",)]  # t and b tie; t comes first
    assert result["origin_destination_connected"].tolist() == [True, False]
    # of the six pairs of stages only border-destination are still joined
    assert result["stage_pairs_connected"].tolist() == [1.0, pytest.approx(1 / 6)]


def test_fragmentation():
    assert scenarios.fragmentation([4]) == 0.0
    assert scenarios.fragmentation([1, 1, 1]) == 1.0
    assert scenarios.fragmentation([2, 2]) == pytest.approx(1 - 4 / 12)


def test_key_players_cut_the_bridges():
    graph = nx.barbell_graph(6, 1)  # two 6-cliques joined through actor 6
    found = scenarios.key_players(graph, 1)
    assert found.actors == [6] and found.baseline == 0.0
    assert found.fragmentation == pytest.approx(scenarios.fragmentation([6, 6]))
    two = scenarios.key_players(cliques(5, 5, 5), 2)
    assert sorted(two.actors) in ([4, 9], [5, 9], [4, 10], [5, 10])
    assert two.fragmentation == pytest.approx(scenarios.fragmentation([4, 4, 5]), abs=0.05)
    assert scenarios.key_players(cliques(5, 5, 5), 2) == two


def test_key_players_match_brute_force():
    # two stars joined by a path: the best pair of actors, found by trying every pair
    graph = nx.Graph()
    graph.add_edges_from(("h", f"s{i}") for i in range(5))
    graph.add_edges_from([("h", "x"), ("x", "y"), ("y", "z")])
    graph.add_edges_from(("z", f"t{i}") for i in range(4))
    found = scenarios.key_players(graph, 2)
    best = max(
        (scenarios.fragmentation([len(c) for c in nx.connected_components(
            graph.subgraph(set(graph) - {a, b}))]), (a, b))
        for a in graph for b in graph if str(a) < str(b)
    )
    assert found.fragmentation == pytest.approx(best[0])


# figures ----------------------------------------------------------------------------------------
def test_figures_draw_without_titles():
    import matplotlib.pyplot as plt

    graph = random_graph(8)
    roles = ["organizer", "guide", None]
    for i, v in enumerate(graph):
        if roles[i % 3]:
            graph.nodes[v]["role"] = roles[i % 3]
    table = measures.centrality(graph)
    fig, axes = plt.subplots(2, 3)
    drawings.plot_network(graph, size_by=table["degree"], labels={0: "organizer"}, ax=axes[0, 0])
    legend = [t.get_text() for t in axes[0, 0].get_legend().get_texts()]
    assert legend == ["Organizer", "Guide", "Unknown"]
    assert [t.get_text() for t in axes[0, 0].texts] == ["organizer"]
    drawings.plot_network(graph, color_by="community", ax=axes[0, 1], max_nodes=50, lang="es")
    assert len(axes[0, 1].collections[-1].get_offsets()) == 50
    drawings.plot_ego(graph, 0, radius=2, ax=axes[0, 2])
    positions = {v: (-90.0 + (i % 4), 15.0) for i, v in enumerate(graph)}
    drawings.plot_geo_network(graph, positions, axes[1, 0])
    assert axes[1, 0].collections  # lines and places
    results = {s: scenarios.disruption(graph, s, steps=5, per_step=0.05) for s in ("degree",
                                                                               "random")}
    drawings.plot_disruption(results, ax=axes[1, 1])
    assert [line.get_label() for line in axes[1, 1].lines] == ["By degree", "At random"]
    assert all(not ax.get_title() for ax in axes.flat)
    plt.close(fig)


# the CAVIAR network (Morselli 2009) ---------------------------------------------------------------
def test_caviar_aggregate(realdata):
    graph = build.read_network(realdata / "caviar" / "caviar_aggregate_matrix.csv",
                               public_labels=True)
    # an asymmetric matrix: directed by default, 295 arcs among the 110 participants
    assert graph.is_directed() and graph.graph["reading"]["direction"] == "asymmetric_matrix"
    assert graph.number_of_nodes() == 110 and graph.number_of_edges() == 295
    table = measures.centrality(graph)
    # N1, the main coordinator, written "1" in the file: the most central by both measures
    assert table["degree"].idxmax() == "1" and table["betweenness"].idxmax() == "1"
    assert table["out_degree"].idxmax() == "1" and table["in_degree"].idxmax() == "1"
    fast = measures.centrality(graph, fast=True)
    assert np.allclose(fast.to_numpy(dtype=float), table.to_numpy(dtype=float), atol=1e-9)
    undirected = build.read_network(realdata / "caviar" / "caviar_aggregate_matrix.csv",
                                    direction="undirected", public_labels=True)
    assert not undirected.is_directed() and undirected.number_of_edges() == 205
    # along the arcs N1 still leads betweenness, closeness (out-paths) and eigenvector (in),
    # with fewer paths through it than when ties count in either direction
    both_ways = measures.centrality(undirected)
    for column in ("betweenness", "closeness", "eigenvector"):
        assert table[column].idxmax() == both_ways[column].idxmax() == "1", column
    assert table.loc["1", "betweenness"] < both_ways.loc["1", "betweenness"]
    summary = measures.describe(graph)
    assert summary["components"] == 1 and summary["largest_component"] == 110
    assert summary["strong_components"] == nx.number_strongly_connected_components(graph) > 1
    # the 90 pairs that called each other both ways are merged, their calls summed
    assert undirected.graph["reading"]["reciprocal_merged"] == 90
    assert undirected["1"]["2"]["weight"] == graph["1"]["2"]["weight"] + graph["2"]["1"]["weight"]


def test_caviar_phases(realdata):
    sizes, centralization = [], []
    for phase in range(1, 12):
        graph = build.read_network(realdata / "caviar" / f"phase{phase}.csv", public_labels=True)
        summary = measures.describe(graph)
        sizes.append(summary["nodes"])
        centralization.append(summary["centralization"])
    assert len(sizes) == 11 and all(n > 10 for n in sizes)
    assert all(0 < c < 1 for c in centralization)


def test_network_summary(realdata):
    path = realdata / "caviar" / "caviar_aggregate_matrix.csv"
    summary = json.loads(network_report.network_summary(path, as_json=True, public_labels=True))
    assert summary["nodes"] == 110 and summary["edges"] == 295 and summary["directed"] is True
    assert summary["two_mode"] is False and summary["components"] == 1
    assert summary["largest_component"] == 110
    assert summary["top_degree"][0]["actor"] == summary["top_betweenness"][0]["actor"] == "1"
    assert summary["centralization"] == summary["centralization_out"]
    assert summary["centralization_formula"] == "freeman_outdegree"
    text = network_report.network_summary(path, lang="es", public_labels=True)
    assert text.splitlines()[0].startswith("Lectura: red dirigida")
    assert "Centralización de grado de salida (Freeman)" in text
    assert "Red: caviar_aggregate_matrix.csv" in text
    undirected = json.loads(network_report.network_summary(
        path, as_json=True, direction="undirected", public_labels=True))
    assert undirected["edges"] == 205 and undirected["directed"] is False
    assert undirected["density"] == pytest.approx(205 / (110 * 109 / 2))


@pytest.mark.parametrize("seed", [15, 22, 23])
def test_key_player_restarts_reach_the_best_set(seed):
    # graphs where greedy selection plus swaps alone stops at a local optimum
    graph = nx.gnm_random_graph(18, 24, seed=seed)
    best = max(
        scenarios.fragmentation([len(c) for c in nx.connected_components(
            graph.subgraph(set(graph) - set(trio)))])
        for trio in itertools.combinations(graph, 3)
    )
    assert scenarios.key_players(graph, 3).fragmentation == pytest.approx(best)
    assert scenarios.key_players(graph, 3, restarts=0).fragmentation <= best


def test_both_paths_pick_the_same_largest_component_on_a_tie():
    graph = nx.Graph([(0, 1), (1, 2), (3, 4), (4, 5), (5, 3)])  # a path and a triangle
    slow, fast = measures.describe(graph, fast=False), measures.describe(graph, fast=True)
    assert slow["average_path_length"] == fast["average_path_length"] == pytest.approx(4 / 3)
    assert slow["diameter"] == fast["diameter"] == 2


def test_phase_centralization_follows_the_reading_of_each_phase(tmp_path):
    # a star of arcs out of A: out-degree centralization 1 by (n-1)^2
    (tmp_path / "phase1.csv").write_text(",A,B,C\nA,0,1,1\nB,0,0,0\nC,0,0,0\n")
    (tmp_path / "phase2.csv").write_text(",A,B,C\nA,0,1,0\nB,0,0,1\nC,0,0,0\n")
    (tmp_path / "phase_notes.csv").write_text("not a phase\n")
    phases = network_report.phase_centralization(tmp_path, public_labels=True)
    assert phases["phase"].tolist() == [1, 2] and phases["actors"].tolist() == [3, 3]
    assert phases["centralization"].tolist() == [pytest.approx(1.0), pytest.approx(0.25)]
    assert phases.attrs["label_key"] == "network.centralization_out"
