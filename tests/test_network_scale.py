"""Networks at national scale: the size rule (network.scale), the column-wise contract
builder, key players on the contracted network, the sampling error measured on a pilot,
reduced drawings and exports, and the report's words for them in both languages."""

from __future__ import annotations

import itertools

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import connected_components

from analysis.core.i18n import fmt_number, t
from analysis.diagnostic.network import build, measures, scale
from analysis.diagnostic.network import disruption as scenarios
from analysis.report import network_report
from analysis.report.figures import network as drawings

matplotlib.use("Agg")


# the size rule --------------------------------------------------------------------------------
def test_the_size_rule_keeps_small_networks_exact_and_budgets_large_ones():
    assert scale.sources(scale.EXACT_LIMIT, 10 * scale.EXACT_LIMIT) is None
    regional = scale.sources(100_000, 300_000)
    national = scale.sources(1_000_000, 3_000_000)
    huge = scale.sources(100_000_000, 300_000_000)
    assert regional == scale.DEFAULT_SAMPLE  # fits in the budget
    assert scale.MIN_SAMPLE < national < regional  # fewer sources on a larger network
    assert national * 4_000_000 <= scale.SEARCH_BUDGET
    assert huge == scale.MIN_SAMPLE  # never fewer than the minimum
    assert scale.sources(1_000, 0, 50) == 50 and scale.sources(40, 0, 50) is None
    assert scale.sources(10**6, 0, None) is None
    assert scale.sampled(10**6, 3 * 10**6) and not scale.sampled(1_000, 5_000)


def test_centrality_and_describe_follow_the_size_rule(monkeypatch):
    graph = nx.gnm_random_graph(1_500, 4_000, seed=3)
    monkeypatch.setattr(scale, "EXACT_LIMIT", 1_000)
    monkeypatch.setattr(scale, "SEARCH_BUDGET", 60 * 5_500)
    expected = scale.sources(1_500, 4_000)
    assert expected == 60
    table = measures.centrality(graph, fast=True)
    assert table.attrs["sample"] == expected
    assert measures.describe(graph, fast=True)["path_length_sources"] == expected
    monkeypatch.setattr(scale, "EXACT_LIMIT", 2_000)
    assert measures.centrality(graph, fast=True).attrs["sample"] is None


# building from the contract tables, column-wise -----------------------------------------------
def reference_graph(actors: pd.DataFrame, links: pd.DataFrame) -> nx.Graph:
    """The contract graph built the plain way, one row at a time."""
    graph = nx.Graph()
    by_actor: dict[str, list] = {}
    for row in actors.sort_values("reporting_country", kind="stable").itertuples():
        by_actor.setdefault(row.actor_id, []).append(row)
    for actor in dict.fromkeys(actors["actor_id"]):
        rows, attrs = by_actor[actor], {}
        for column in ("role", "base_country"):
            found = [getattr(r, column) for r in rows if not build.missing(getattr(r, column))]
            if found:
                attrs[column] = found[0]
        attrs["reporting_countries"] = ";".join(sorted({r.reporting_country for r in rows}))
        graph.add_node(actor, **attrs)
    for row in links.itertuples():
        u, v = sorted((row.source, row.target))
        if u == v:
            continue
        weight = 1.0 if build.missing(row.weight) else float(row.weight)
        if graph.has_edge(u, v):
            data = graph[u][v]
            data["weight"] += weight
            data["links"] += 1
            data["relations"][row.relation] = data["relations"].get(row.relation, 0) + 1
        else:
            graph.add_edge(u, v, weight=weight, links=1, relations={row.relation: 1})
    return graph


def random_contract_tables(seed: int, n: int = 400, rows: int = 3_000):
    rng = np.random.default_rng(seed)
    ids = np.array([f"A-{i:04d}" for i in rng.permutation(n)], dtype=object)
    reported = rng.integers(0, n, n + n // 5)  # some actors reported twice
    roles = np.array(["guide", "transporter", "", None, "organizer"], dtype=object)
    actors = pd.DataFrame({
        "reporting_country": rng.choice(["GTM", "HND", "MEX"], len(reported)),
        "actor_id": ids[reported],
        "role": roles[rng.integers(0, len(roles), len(reported))],
        "base_country": rng.choice(["GTM", "HND", "MEX", None], len(reported)),
    })
    weights = np.where(rng.random(rows) < 0.1, np.nan, rng.integers(1, 9, rows))
    links = pd.DataFrame({
        "source": ids[rng.integers(0, n + 20, rows) % n],
        "target": ids[rng.integers(0, n, rows)],
        "relation": rng.choice(["money", "kinship", "communication"], rows),
        "weight": weights,
    })
    return actors, links


@pytest.mark.parametrize("seed", [0, 1])
def test_the_column_wise_builder_gives_the_row_by_row_graph(seed):
    actors, links = random_contract_tables(seed)
    graph = build.from_tables(actors, links)
    expected = reference_graph(actors, links)
    assert list(graph)[:len(expected)] == list(expected)
    assert dict(graph.nodes(data=True)) == dict(expected.nodes(data=True))
    assert {tuple(sorted(e)) for e in graph.edges()} == {tuple(sorted(e)) for e in
                                                          expected.edges()}
    for u, v, data in expected.edges(data=True):
        assert graph[u][v] == data  # integer weights: sums are exact in any order
    reading = graph.graph["reading"]
    loops = int((links["source"] == links["target"]).sum())
    assert reading["self_loops_dropped"] == loops and reading["ties_listed"] == len(links)
    assert (len(links) - loops - reading["duplicates_merged"] - reading["reciprocal_merged"]
            == graph.number_of_edges())


def test_the_igraph_view_is_built_once_and_follows_changes():
    graph = nx.path_graph(5)
    first, _ = build.igraph_view(graph)
    assert build.igraph_view(graph)[0] is first
    graph.add_edge(4, 5)
    again, nodes = build.igraph_view(graph)
    assert again is not first and again.ecount() == 5 and nodes == list(graph)


# key players on the contracted network --------------------------------------------------------
def test_fragmentation_on_the_contracted_network_is_exact():
    graph = nx.gnm_random_graph(900, 1_100, seed=7)
    g, _ = build.igraph_view(graph)
    edges = np.asarray(g.get_edgelist(), dtype=np.int64)
    pool = list(range(0, 900, 9))
    score = scenarios._PoolFragmentation(edges, 900, pool)
    rng = np.random.default_rng(0)
    for chosen in [[], *[list(rng.choice(pool, size, replace=False)) for size in (1, 3, 5, 8)]]:
        keep = np.ones(900, dtype=bool)
        keep[chosen] = False
        kept = edges[keep[edges[:, 0]] & keep[edges[:, 1]]]
        rest = nx.empty_graph(900)
        rest.add_edges_from(kept.tolist())
        adjacency = nx.to_scipy_sparse_array(rest, nodelist=range(900))
        _, labels = connected_components(adjacency, directed=False)
        assert score(chosen) == scenarios.fragmentation(np.bincount(labels[keep]))


def test_key_players_on_a_large_network_reuse_the_measured_betweenness():
    graph = nx.barabasi_albert_graph(1_200, 1, seed=2)  # a tree: every hub is a cut point
    table = measures.centrality(graph)
    found = scenarios.key_players(graph, 3, betweenness=table["betweenness"])
    again = scenarios.key_players(graph, 3)
    assert found == again  # the same scores as measuring them again (exact at this size)
    pool = set(table.nlargest(scale.KEY_PLAYER_POOL, "betweenness").index) | set(
        table.nlargest(scale.KEY_PLAYER_POOL, "degree").index)
    best = max(scenarios.fragmentation([len(c) for c in nx.connected_components(
        graph.subgraph(set(graph) - set(trio)))]) for trio in itertools.combinations(
        sorted(table.nlargest(12, "betweenness").index), 3))
    assert set(found.actors) <= pool and found.fragmentation >= best


def test_disruption_by_betweenness_reuses_the_measured_scores():
    graph = nx.gnm_random_graph(300, 600, seed=4)
    table = measures.centrality(graph)
    given = scenarios.disruption(graph, "betweenness", steps=5, per_step=3,
                                 betweenness=table["betweenness"])
    measured = scenarios.disruption(graph, "betweenness", steps=5, per_step=3)
    pd.testing.assert_frame_equal(given, measured)


# the error of sampled measures ----------------------------------------------------------------
def test_the_pilot_is_a_connected_part_of_the_largest_component():
    graph = nx.disjoint_union(nx.gnm_random_graph(3_000, 6_000, seed=1), nx.path_graph(50))
    pilot = measures.pilot(graph, actors=800, seed=5)
    assert pilot.number_of_nodes() == 800 and nx.is_connected(pilot)
    assert all(node < 3_000 for node in pilot)
    assert list(measures.pilot(graph, actors=800, seed=5)) == list(pilot)


def test_sampling_error_is_measured_against_exact_values():
    graph = nx.gnm_random_graph(4_000, 12_000, seed=8)
    error = measures.sampling_error(graph, 40, seed=0, actors=600)
    assert (error["actors"], error["sources"], error["top"]) == (600, 40, 10)
    for measure in ("betweenness", "closeness"):
        e = error[measure]
        assert 0 < e["mean_abs_error"] <= e["max_abs_error"] < e["max_value"]
        assert 0 <= e["top_overlap"] <= 10
    assert error["diameter"]["estimate"] <= error["diameter"]["exact"]  # a lower bound
    assert error["average_path_length"]["estimate"] == pytest.approx(
        error["average_path_length"]["exact"], rel=0.1)
    assert measures.sampling_error(graph, 40, seed=0, actors=600) == error
    exact = measures.sampling_error(graph, 600, seed=0, actors=600)  # as many sources as actors
    assert exact["betweenness"]["max_abs_error"] == 0 == exact["closeness"]["max_abs_error"]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_report_states_what_was_sampled_and_the_error(lang):
    graph = nx.gnm_random_graph(25_000, 50_000, seed=0)  # built only, not measured whole
    error = measures.sampling_error(nx.gnm_random_graph(3_000, 9_000, seed=8), 60, actors=500)

    def num(value, decimals=0):
        return fmt_number(value, lang, decimals)

    values = network_report.sampling_text_values(graph, error, num)
    text = t("networks.sampled_text", lang, **values)
    for figure in ("25,000", "20,000", "60", "500"):
        assert figure in text
    table = network_report.sampling_table(error, lambda key, **v: t(key, lang, **v))
    assert list(table.iloc[:, 0]) == [t("network.betweenness", lang),
                                      t("network.closeness", lang)]
    assert table.iloc[0, 1] == error["betweenness"]["max_abs_error"]
    assert t("networks.tab_sampling", lang, sources="60", pilot="500")


# reduced drawings and exports -----------------------------------------------------------------
def test_a_large_network_is_drawn_as_its_top_actors_and_says_so():
    graph = nx.disjoint_union(nx.barabasi_albert_graph(700, 2, seed=1), nx.path_graph(400))
    view = drawings.drawn_view(graph, max_nodes=100)
    assert len(view) == 100 and all(node < 700 for node in view)  # the hub component
    degree = dict(graph.degree())
    assert min(degree[v] for v in view) >= max(degree[v] for v in range(700) if v not in view)
    key, values = network_report.drawing_caption("networks.fig_roles", graph, view,
                                                 lambda x: str(x))
    assert key == "networks.fig_roles_reduced" and values == {"shown": "100",
                                                              "actors": "1100"}
    for lang in ("es", "en"):
        assert "1100" in t(key, lang, **values)
    small = nx.path_graph(10)
    assert network_report.drawing_caption("networks.fig_roles", small,
                                          drawings.drawn_view(small), str) == (
        "networks.fig_roles", {})
    # equal largest components: the one holding the first actor by sort key
    twins = nx.disjoint_union(nx.star_graph(4), nx.star_graph(4))
    assert set(drawings.drawn_view(twins, max_nodes=3)) <= set(range(5))


def test_a_large_network_is_exported_as_its_drawn_view(monkeypatch):
    graph = nx.gnm_random_graph(300, 900, seed=2)
    view = drawings.drawn_view(graph, max_nodes=50)
    assert network_report.exported_view(graph, view) is graph
    monkeypatch.setattr(scale, "EXPORT_LIMIT", 200)
    exported = network_report.exported_view(graph, view)
    assert set(exported) == set(view) and exported.number_of_edges() == \
        graph.subgraph(view).number_of_edges()


def test_geographic_ties_count_reciprocal_arcs_once():
    import matplotlib.pyplot as plt

    graph = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    positions = {"a": (0.0, 0.0), "b": (1.0, 0.0), "c": (0.0, 1.0)}
    fig, ax = plt.subplots()
    drawings.plot_geo_network(graph, positions, ax)
    widths = sorted(ax.collections[0].get_linewidths())
    assert len(widths) == 2 and widths[0] == widths[1]  # each pair of places: one tie
    plt.close(fig)


# brokerage, column-wise in blocks -------------------------------------------------------------
@pytest.mark.parametrize("directed", [False, True])
def test_brokerage_in_blocks_counts_every_open_two_path(monkeypatch, directed):
    from analysis.diagnostic.network import brokerage

    graph = nx.gnm_random_graph(150, 500, seed=11, directed=directed)
    rng = np.random.default_rng(1)
    groups = {v: (None if rng.random() < 0.1 else str(rng.integers(0, 3))) for v in graph}
    monkeypatch.setattr(brokerage, "_PAIRS_PER_BLOCK", 37)  # many blocks, some of one broker
    table = brokerage.brokerage(graph, groups)
    arcs = set(graph.edges()) | (set() if directed else {(v, u) for u, v in graph.edges()})
    expected = pd.DataFrame(0, index=table.index, columns=list(brokerage.BROKERAGE_ROLES))
    for b in graph:
        ins = [a for a, x in arcs if x == b]
        outs = [c for x, c in arcs if x == b]
        for a, c in itertools.product(ins, outs):
            ga, gb, gc = groups[a], groups[b], groups[c]
            if a == c or (a, c) in arcs or None in (ga, gb, gc):
                continue
            role = ("coordinator" if ga == gb == gc else "itinerant" if ga == gc else
                    "gatekeeper" if gc == gb else "representative" if ga == gb else "liaison")
            expected.loc[b, role] += 1
    pd.testing.assert_frame_equal(table[list(brokerage.BROKERAGE_ROLES)], expected,
                                  check_dtype=False)


def test_past_the_limit_ties_leave_their_relations_to_the_links_table(monkeypatch):
    actors, links = random_contract_tables(2)
    detailed = build.from_tables(actors, links)
    monkeypatch.setattr(scale, "TIE_RELATIONS_LIMIT", 100)
    lean = build.from_tables(actors, links)
    assert detailed.graph["reading"]["tie_relations"] and not lean.graph["reading"][
        "tie_relations"]
    for u, v, data in detailed.edges(data=True):
        assert lean[u][v] == {"weight": data["weight"], "links": data["links"]}
    assert dict(lean.nodes(data=True)) == dict(detailed.nodes(data=True))


def test_large_networks_use_igraphs_leiden_with_the_same_seed(monkeypatch):
    from analysis.diagnostic.network.communities import communities

    graph = nx.barabasi_albert_graph(3_000, 2, seed=1)
    package = communities(graph, seed=42)
    monkeypatch.setattr(scale, "LEIDEN_PACKAGE_LIMIT", 1_000)
    native = communities(graph, seed=42)
    assert communities(graph, seed=42).membership.equals(native.membership)  # deterministic
    assert native.modularity == pytest.approx(package.modularity, abs=0.02)
    sizes = native.membership.value_counts()
    assert list(sizes.sort_index()) == sorted(sizes, reverse=True)  # 0 = the largest


def test_the_pilot_and_the_exported_view_keep_the_networks_order():
    graph = nx.Graph()
    graph.add_edges_from((f"actor {i}", f"actor {(i * 7 + 3) % 400}") for i in range(400))
    pilot = measures.pilot(graph, actors=50, seed=1)
    order = {node: i for i, node in enumerate(graph)}
    assert [order[v] for v in pilot] == sorted(order[v] for v in pilot)
    sub = build.induced(graph, ["actor 9", "actor 3", "actor 66"])
    assert list(sub) == [v for v in graph if v in {"actor 9", "actor 3", "actor 66"}]
    assert sub.number_of_edges() == graph.subgraph(sub).number_of_edges()
