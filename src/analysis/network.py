"""Network analysis of smuggling structures: graphs from the contract tables or from network
files, whole-network and actor measures, brokerage roles, communities and disruption.

Measures have two implementations that agree: networkx (reference) and igraph (fast path,
taken automatically past `FAST_FROM` actors). On very large graphs betweenness and path
lengths are estimated from a fixed-seed sample of sources; the benchmark measures the error.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from analysis import i18n

FAST_FROM = 2000  # actors: from here on igraph computes the measures
EXACT_UP_TO = 5000  # actors: above, betweenness is estimated from sampled sources
SAMPLED_SOURCES = 1000
ROLE_ORDER = ("organizer", "money_handler", "corrupt_official", "forger", "front_company",
              "recruiter", "transporter", "guide", "lodging", "other")
BROKERAGE_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


class NetworkFileError(ValueError):
    """A network file that cannot be read, with the reason in plain words."""


# building --------------------------------------------------------------------------------
def from_tables(
    actors: pd.DataFrame, links: pd.DataFrame, relations: list[str] | None = None,
    periods: tuple | None = None, directed: bool = False,
) -> nx.Graph:
    """The structure described by the contract tables `actors` and `links`.

    Parallel links add their weights (missing weight counts 1); `relation_counts` keeps how
    many links of each relation a tie has. `periods` is an inclusive (start, end) pair."""
    graph = nx.DiGraph() if directed else nx.Graph()
    nodes = actors.drop_duplicates("actor_id").set_index("actor_id")
    for column in ("role", "base_country", "base_place", "route_stage", "nationality"):
        if column not in nodes.columns:
            nodes[column] = None
    nodes = nodes.astype(object).where(nodes.notna(), None)
    graph.add_nodes_from(
        (actor, {"role": row.role, "base_country": row.base_country,
                 "base_place": row.base_place, "route_stage": row.route_stage})
        for actor, row in nodes.iterrows()
    )
    chosen = links
    if relations:
        chosen = chosen[chosen["relation"].isin(relations)]
    if periods is not None and "period" in chosen.columns:
        start, end = (pd.Timestamp(p) if p else None for p in periods)
        keep = pd.Series(True, index=chosen.index)
        if start is not None:
            keep &= chosen["period"] >= start
        if end is not None:
            keep &= chosen["period"] <= end
        chosen = chosen[keep]
    chosen = chosen[chosen["source"] != chosen["target"]]
    weights = pd.to_numeric(chosen.get("weight"), errors="coerce").fillna(1.0)
    frame = pd.DataFrame({"u": chosen["source"].to_numpy(), "v": chosen["target"].to_numpy(),
                          "relation": chosen["relation"].to_numpy(), "w": weights.to_numpy()})
    if not directed:
        swap = frame["u"] > frame["v"]
        frame.loc[swap, ["u", "v"]] = frame.loc[swap, ["v", "u"]].to_numpy()
    grouped = frame.groupby(["u", "v"], sort=True)
    totals = grouped["w"].sum()
    relation_counts = frame.groupby(["u", "v", "relation"]).size()
    counts: dict[tuple, dict] = {}
    for (u, v, relation), n in relation_counts.items():
        counts.setdefault((u, v), {})[relation] = int(n)
    graph.add_edges_from((u, v, {"weight": float(w), "relation_counts": counts[(u, v)]})
                         for (u, v), w in totals.items())
    return graph


def read_network(path: str | Path) -> nx.DiGraph:
    """A network file: an edge list (CSV `source,target[,weight]` or whitespace-separated
    pairs) or a square adjacency matrix with labels (UCINET style, BOM and first header
    cell optional). Directed and weighted."""
    path = Path(path)
    if not path.is_file():
        raise NetworkFileError(f"{path}: no such file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_bytes().decode("cp1252")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        raise NetworkFileError(f"{path}: the file is empty")
    if "," in lines[0] or ";" in lines[0]:
        sep = ";" if lines[0].count(";") > lines[0].count(",") else ","
        rows = [[cell.strip().strip('"').strip() for cell in line.split(sep)] for line in lines]
        if _is_matrix(rows):
            return _matrix_graph(rows, path)
        return _edge_list_graph(rows, path)
    return _edge_list_graph([line.split() for line in lines], path)


def _is_matrix(rows: list[list[str]]) -> bool:
    header = rows[0][1:]
    return len(rows) > 2 and len(header) > 2 and [r[0] for r in rows[1:]] == header


def _matrix_graph(rows: list[list[str]], path: Path) -> nx.DiGraph:
    labels = rows[0][1:]
    graph = nx.DiGraph()
    graph.add_nodes_from(labels)
    for i, row in enumerate(rows[1:], start=2):
        if len(row) - 1 != len(labels):
            raise NetworkFileError(
                f"{path}: row {i} has {len(row) - 1} values; the matrix is "
                f"{len(labels)} × {len(labels)} (it must be square)")
        for label, cell in zip(labels, row[1:], strict=True):
            try:
                value = float(cell) if cell else 0.0
            except ValueError as error:
                raise NetworkFileError(
                    f"{path}: row {i}, column {label}: {cell!r} is not a number") from error
            if value and row[0] != label:
                graph.add_edge(row[0], label, weight=value)
    return graph


def _edge_list_graph(rows: list[list[str]], path: Path) -> nx.DiGraph:
    header = [c.lower() for c in rows[0]]
    if "source" in header and "target" in header:
        s, t = header.index("source"), header.index("target")
        w = header.index("weight") if "weight" in header else None
        rows = rows[1:]
    else:
        s, t, w = 0, 1, 2
    graph = nx.DiGraph()
    for i, row in enumerate(rows, start=2 if header and "source" in header else 1):
        if len(row) <= max(s, t):
            raise NetworkFileError(
                f"{path}: row {i} has {len(row)} column(s); an edge needs a source and a target")
        weight = 1.0
        if w is not None and len(row) > w and row[w]:
            try:
                weight = float(row[w])
            except ValueError as error:
                raise NetworkFileError(
                    f"{path}: row {i}: the weight {row[w]!r} is not a number") from error
        u, v = row[s], row[t]
        previous = graph.get_edge_data(u, v, {"weight": 0.0})["weight"]
        graph.add_edge(u, v, weight=previous + weight)
    return graph


# measures --------------------------------------------------------------------------------
def undirected(graph: nx.Graph) -> nx.Graph:
    """The undirected view with weights of opposite ties added."""
    if not graph.is_directed():
        return graph
    out = nx.Graph()
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        w = data.get("weight", 1.0)
        if out.has_edge(u, v):
            out[u][v]["weight"] += w
        else:
            out.add_edge(u, v, weight=w)
    return out


def to_igraph(graph: nx.Graph) -> tuple[ig.Graph, list]:
    """The undirected igraph copy (weights kept) and the node order."""
    simple = undirected(graph)
    names = list(simple.nodes())
    index = {n: i for i, n in enumerate(names)}
    edges = [(index[u], index[v]) for u, v in simple.edges() if u != v]
    g = ig.Graph(n=len(names), edges=edges)
    g.es["weight"] = [d.get("weight", 1.0) for u, v, d in simple.edges(data=True) if u != v]
    return g, names


def freeman_centralization(graph: nx.Graph) -> float:
    """Freeman degree centralization of the undirected view, from 0 (all equal) to 1 (star)."""
    simple = undirected(graph)
    n = simple.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = np.array([d for _, d in simple.degree()], dtype=float)
    return float((degrees.max() - degrees).sum() / ((n - 1) * (n - 2)))


def describe(graph: nx.Graph, seed: int = 0) -> dict:
    """Whole-network measures of the undirected view, as plain numbers."""
    simple = undirected(graph)
    n, m = simple.number_of_nodes(), simple.number_of_edges()
    out = {"nodes": n, "edges": m, "directed": graph.is_directed(),
           "density": nx.density(simple) if n > 1 else 0.0}
    if n == 0:
        return out | {"components": 0, "largest_component": 0, "largest_component_share": 0.0,
                      "centralization": 0.0, "diameter": 0, "average_path_length": 0.0,
                      "average_clustering": 0.0, "transitivity": 0.0}
    g, _ = to_igraph(simple)
    parts = g.connected_components()
    largest = g.subgraph(max(parts, key=len))
    out |= {"components": len(parts), "largest_component": largest.vcount(),
            "largest_component_share": largest.vcount() / n,
            "centralization": freeman_centralization(simple)}
    if largest.vcount() <= 20000:
        out["diameter"] = int(largest.diameter(directed=False))
        out["average_path_length"] = (float(largest.average_path_length(directed=False))
                                      if largest.vcount() > 1 else 0.0)
    else:
        rng = np.random.default_rng(seed)
        sources = rng.choice(largest.vcount(), size=200, replace=False).tolist()
        distances = np.array(largest.distances(source=sources), dtype=float)
        finite = distances[(distances > 0) & np.isfinite(distances)]
        out["diameter"] = int(distances[np.isfinite(distances)].max())
        out["average_path_length"] = float(finite.mean())
        out["path_lengths_sampled_from"] = len(sources)
    out["average_clustering"] = float(g.transitivity_avglocal_undirected(mode="zero"))
    out["transitivity"] = float(g.transitivity_undirected(mode="zero"))
    return out


def centrality(graph: nx.Graph, fast: bool | None = None, seed: int = 0) -> pd.DataFrame:
    """Actor measures: degree, weighted degree, betweenness (normalized), closeness,
    eigenvector, k-core, on the undirected view. The fast path gives networkx's values."""
    simple = undirected(graph)
    n = simple.number_of_nodes()
    columns = ["degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "core"]
    if n == 0:
        return pd.DataFrame(columns=columns)
    if fast is None:
        fast = n >= FAST_FROM
    if not fast:
        table = pd.DataFrame({
            "degree": dict(simple.degree()),
            "weighted_degree": dict(simple.degree(weight="weight")),
            "betweenness": nx.betweenness_centrality(simple),
            "closeness": nx.closeness_centrality(simple),
            "eigenvector": _eigenvector(simple),
            "core": nx.core_number(simple),
        })
        return table[columns]
    g, names = to_igraph(simple)
    return pd.DataFrame({
        "degree": g.degree(),
        "weighted_degree": g.strength(weights="weight"),
        "betweenness": _betweenness_ig(g, seed),
        "closeness": _closeness_ig(g),
        "eigenvector": _eigenvector(simple, g, names),
        "core": g.coreness(),
    }, index=pd.Index(names))[columns]


def _betweenness_ig(g: ig.Graph, seed: int) -> np.ndarray:
    """networkx's normalized betweenness; estimated from sampled sources on large graphs."""
    n = g.vcount()
    if n < 3:
        return np.zeros(n)
    if n <= EXACT_UP_TO:
        raw = np.array(g.betweenness(directed=False))
    else:
        rng = np.random.default_rng(seed)
        sources = rng.choice(n, size=min(n, SAMPLED_SOURCES), replace=False).tolist()
        raw = np.array(g.betweenness(directed=False, sources=sources)) * n / len(sources)
    return 2 * raw / ((n - 1) * (n - 2))


def _closeness_ig(g: ig.Graph) -> np.ndarray:
    """networkx's closeness (Wasserman–Faust for disconnected graphs)."""
    n = g.vcount()
    if n < 2:
        return np.zeros(n)
    inner = np.nan_to_num(np.array(g.closeness(normalized=True), dtype=float))
    reach = np.array([size for size in _component_sizes(g)], dtype=float) - 1
    return inner * reach / (n - 1)


def _component_sizes(g: ig.Graph) -> list[int]:
    membership = g.connected_components().membership
    sizes = np.bincount(membership)
    return [int(sizes[c]) for c in membership]


def _eigenvector(simple: nx.Graph, g: ig.Graph | None = None, names=None) -> dict | np.ndarray:
    """Eigenvector centrality as networkx defines it (unit norm, leading eigenvector of the
    adjacency matrix of the whole graph), computed with a sparse eigensolver."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import eigsh

    order = names if names is not None else list(simple.nodes())
    n = len(order)
    if n == 1 or simple.number_of_edges() == 0:
        values = np.full(n, 1 / math.sqrt(n))
    else:
        if g is None:
            g, order = to_igraph(simple)
        edges = np.array(g.get_edgelist()) if g.ecount() else np.zeros((0, 2), int)
        data = np.ones(2 * len(edges))
        rows = np.concatenate([edges[:, 0], edges[:, 1]])
        cols = np.concatenate([edges[:, 1], edges[:, 0]])
        matrix = csr_matrix((data, (rows, cols)), shape=(n, n), dtype=float)
        if n < 3:
            vals, vecs = np.linalg.eigh(matrix.toarray())
        else:
            vals, vecs = eigsh(matrix, k=1, which="LA", v0=np.ones(n))
        values = np.abs(vecs[:, -1])
        values = values / np.linalg.norm(values)
    return values if names is not None else dict(zip(order, values, strict=True))


def top_actors(graph: nx.Graph, n: int = 10, by: str = "degree",
               table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The `n` most central actors by a measure, with their role where known."""
    table = centrality(graph) if table is None else table
    top = table.sort_values([by, "degree"], ascending=False, kind="stable").head(n).copy()
    top.insert(0, "role", [graph.nodes[a].get("role") for a in top.index])
    return top


# roles -----------------------------------------------------------------------------------
def brokerage(graph: nx.Graph, groups: Mapping) -> pd.DataFrame:
    """Gould–Fernandez brokerage roles: for each actor b, the open two-paths a → b → c
    (a not tied to c) by the groups of a, b and c. Undirected ties count both ways."""
    directed = graph if graph.is_directed() else graph.to_directed()
    counts = {b: dict.fromkeys(BROKERAGE_ROLES, 0) for b in directed.nodes()}
    for b in directed.nodes():
        gb = groups.get(b)
        for a in directed.predecessors(b):
            ga = groups.get(a)
            for c in directed.successors(b):
                if c == a or directed.has_edge(a, c):
                    continue
                gc = groups.get(c)
                if ga == gb == gc:
                    role = "coordinator"
                elif ga == gc:
                    role = "itinerant"
                elif gb == gc:
                    role = "gatekeeper"
                elif ga == gb:
                    role = "representative"
                else:
                    role = "liaison"
                counts[b][role] += 1
    table = pd.DataFrame.from_dict(counts, orient="index", columns=list(BROKERAGE_ROLES))
    table["total"] = table.sum(axis=1)
    return table


def cross_border_ties(graph: nx.Graph, attr: str = "base_country") -> pd.DataFrame:
    """Ties between actors based in different countries: a symmetric country × country
    matrix of tie counts."""
    pairs = [(graph.nodes[u].get(attr), graph.nodes[v].get(attr))
             for u, v in undirected(graph).edges()]
    pairs = [(a, b) for a, b in pairs if a and b and a != b]
    if not pairs:
        return pd.DataFrame()
    frame = pd.DataFrame(pairs + [(b, a) for a, b in pairs], columns=["from", "to"])
    return pd.crosstab(frame["from"], frame["to"]).rename_axis(index=None, columns=None)


def communities(graph: nx.Graph, seed: int = 42,
                method: str = "leiden") -> tuple[dict, float]:
    """Communities (node → id, the largest community is 0) and the partition's modularity."""
    simple = undirected(graph)
    if simple.number_of_edges() == 0:
        return {n: i for i, n in enumerate(simple.nodes())}, 0.0
    if method == "leiden":
        import leidenalg

        g, names = to_igraph(simple)
        partition = leidenalg.find_partition(g, leidenalg.ModularityVertexPartition, seed=seed)
        groups = [[names[i] for i in part] for part in partition]
    elif method == "louvain":
        groups = [sorted(c) for c in nx.community.louvain_communities(simple, seed=seed)]
    else:
        raise ValueError(f"unknown method {method!r}: leiden or louvain")
    groups.sort(key=lambda members: (-len(members), str(min(members, key=str))))
    membership = {node: i for i, members in enumerate(groups) for node in members}
    return membership, float(nx.community.modularity(simple, groups))


# disruption ------------------------------------------------------------------------------
def _fragmentation(sizes: np.ndarray, n: int) -> float:
    """Borgatti's fragmentation: the share of pairs of actors that cannot reach each other."""
    return 1 - float((sizes * (sizes - 1)).sum()) / (n * (n - 1)) if n > 1 else 0.0


def removal_order(graph: nx.Graph, strategy: str, seed: int = 0,
                  role_order: tuple[str, ...] = ROLE_ORDER,
                  table: pd.DataFrame | None = None) -> list:
    """The order in which a strategy removes actors."""
    table = centrality(graph) if table is None else table
    if strategy == "degree":
        return list(table.sort_values("degree", ascending=False, kind="stable").index)
    if strategy == "betweenness":
        return list(table.sort_values("betweenness", ascending=False, kind="stable").index)
    if strategy == "role":
        rank = {role: i for i, role in enumerate(role_order)}
        keyed = sorted(table.index, key=lambda a: (
            rank.get(graph.nodes[a].get("role"), len(rank)), -table.at[a, "degree"], str(a)))
        return keyed
    if strategy == "random":
        nodes = sorted(table.index, key=str)
        return [nodes[i] for i in np.random.default_rng(seed).permutation(len(nodes))]
    raise ValueError(f"unknown strategy {strategy!r}")


def disruption(graph: nx.Graph, strategy: str, steps: int = 10, per_step: int | None = None,
               seed: int = 0, role_order: tuple[str, ...] = ROLE_ORDER,
               stage_attr: str = "route_stage", table: pd.DataFrame | None = None
               ) -> pd.DataFrame:
    """Remove actors step by step and follow what is left: the share of the original actors
    in the largest component, the number of fragments, fragmentation, and whether some
    fragment still joins the origin and destination stages of the route."""
    simple = undirected(graph)
    n = simple.number_of_nodes()
    order = removal_order(simple, strategy, seed, role_order, table)
    per_step = per_step or max(1, math.ceil(n * 0.02))
    g, names = to_igraph(simple)
    index = {name: i for i, name in enumerate(names)}
    stages = np.array([simple.nodes[x].get(stage_attr) for x in names], dtype=object)
    alive = np.ones(n, dtype=bool)
    rows = []
    for step in range(steps + 1):
        if step:
            for node in order[(step - 1) * per_step: step * per_step]:
                alive[index[node]] = False
        sub = g.subgraph(np.flatnonzero(alive).tolist())
        parts = sub.connected_components() if sub.vcount() else []
        sizes = np.array([len(p) for p in parts]) if parts else np.array([0])
        kept = np.flatnonzero(alive)
        joined = False
        for part in parts:
            found = set(stages[kept[part]])
            if "origin" in found and "destination" in found:
                joined = True
                break
        rows.append({"step": step, "removed": int(n - alive.sum()),
                     "largest_share": float(sizes.max()) / n if n else 0.0,
                     "fragments": len(parts), "fragmentation": _fragmentation(sizes, n),
                     "stages_connected": joined})
    return pd.DataFrame(rows)


def key_players(graph: nx.Graph, k: int, seed: int = 0, pool: int = 50,
                table: pd.DataFrame | None = None) -> list:
    """A key-player set (Borgatti 2006, KPP-Neg): k actors whose removal fragments the network
    most, by greedy choice and then swaps, among the `pool` actors of highest betweenness."""
    simple = undirected(graph)
    n = simple.number_of_nodes()
    if n == 0 or k <= 0:
        return []
    table = centrality(simple) if table is None else table
    candidates = list(table.sort_values(["betweenness", "degree"], ascending=False,
                                        kind="stable").index[:max(pool, k)])
    g, names = to_igraph(simple)
    index = {name: i for i, name in enumerate(names)}

    def score(chosen: list) -> float:
        drop = {index[c] for c in chosen}
        sub = g.subgraph([i for i in range(n) if i not in drop])
        sizes = np.array([len(p) for p in sub.connected_components()] or [0])
        return _fragmentation(sizes, n)

    chosen: list = []
    for _ in range(min(k, len(candidates))):
        best = max((c for c in candidates if c not in chosen), key=lambda c: score(chosen + [c]))
        chosen.append(best)
    improved = True
    while improved:
        improved = False
        for i in range(len(chosen)):
            for c in candidates:
                if c in chosen:
                    continue
                trial = chosen[:i] + [c] + chosen[i + 1:]
                if score(trial) > score(chosen) + 1e-12:
                    chosen, improved = trial, True
    return chosen


# command line ----------------------------------------------------------------------------
def network_summary(path: str | Path, as_json: bool = False, lang: str = "en",
                    top: int = 10) -> str:
    """What `analysis network-summary FILE` prints: the measures and the top actors."""
    graph = read_network(path)
    summary = describe(graph)
    table = centrality(graph)
    by_degree = top_actors(graph, top, "degree", table)
    by_betweenness = top_actors(graph, top, "betweenness", table)
    if as_json:
        return json.dumps({"file": str(path), **summary,
                           "top_degree": by_degree.drop(columns="role").reset_index(
                               names="actor").to_dict(orient="records"),
                           "top_betweenness": by_betweenness.drop(columns="role").reset_index(
                               names="actor").to_dict(orient="records")},
                          indent=1, default=float)
    t = lambda key, **kw: i18n.t(f"network.{key}", lang, **kw)  # noqa: E731
    num = lambda x, d=0: i18n.fmt_number(x, lang, d)  # noqa: E731
    lines = [t("summary_file", file=Path(path).name), ""]
    rows = [("nodes", num(summary["nodes"])), ("edges", num(summary["edges"])),
            ("density", num(summary["density"], 4)), ("components", num(summary["components"])),
            ("largest_component", num(summary["largest_component"])),
            ("centralization", num(summary["centralization"], 3)),
            ("diameter", num(summary["diameter"])),
            ("average_path_length", num(summary["average_path_length"], 2)),
            ("average_clustering", num(summary["average_clustering"], 3)),
            ("transitivity", num(summary["transitivity"], 3))]
    width = max(len(t(k)) for k, _ in rows)
    lines += [f"  {t(k):<{width}}  {v}" for k, v in rows]
    for key, frame, measure, decimals in (("top_degree", by_degree, "degree", 0),
                                          ("top_betweenness", by_betweenness, "betweenness", 3)):
        lines += ["", t(key)]
        lines += [f"  {str(actor):<12} {num(value, decimals)}"
                  for actor, value in frame[measure].items()]
    return "\n".join(lines)


# figures ---------------------------------------------------------------------------------
def _drawn(graph: nx.Graph, limit: int) -> nx.Graph:
    """What a figure can show: the largest component, cut to its best-connected actors."""
    simple = undirected(graph)
    if simple.number_of_nodes() == 0:
        return simple
    core = simple.subgraph(max(nx.connected_components(simple), key=len))
    if core.number_of_nodes() > limit:
        ranked = sorted(core.degree(), key=lambda item: (-item[1], str(item[0])))[:limit]
        core = core.subgraph(node for node, _ in ranked)
    return core


def plot_network(graph: nx.Graph, color_by: Mapping | None = None, size_by: Mapping | None = None,
                 labels: Mapping | None = None, legend_labels: Mapping | None = None, ax=None,
                 seed: int = 42, limit: int = 400):
    """A force-directed map: colour by a group per actor (role, community…), size by a
    measure, optional labels (roles and pseudonyms only). Returns the axes."""
    import matplotlib.pyplot as plt

    shown = _drawn(graph, limit)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 6.5))
    nodes = sorted(shown.nodes(), key=str)
    positions = nx.spring_layout(shown.subgraph(nodes), seed=seed, weight=None)
    groups = [(color_by or {}).get(n) for n in nodes]
    kinds = sorted({g for g in groups if g is not None}, key=str)
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    colour = {g: cycle[i % len(cycle)] for i, g in enumerate(kinds)}
    values = np.array([float((size_by or {}).get(n, 0) or 0) for n in nodes])
    sizes = 12 + 260 * (values / values.max() if values.max() > 0 else values)
    nx.draw_networkx_edges(shown, positions, ax=ax, width=0.4, alpha=0.35, edge_color="#8a949c")
    ax.scatter([positions[n][0] for n in nodes], [positions[n][1] for n in nodes], s=sizes,
               c=[colour.get(g, "#bbbbbb") for g in groups], edgecolors="white",
               linewidths=0.5, zorder=3)
    if labels:
        for node, text in labels.items():
            if node in positions:
                ax.annotate(str(text), positions[node], fontsize=7, xytext=(4, 4),
                            textcoords="offset points", zorder=4)
    for group in kinds:
        name = (legend_labels or {}).get(group, group)
        ax.scatter([], [], c=colour[group], s=40, label=str(name))
    if kinds:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_axis_off()
    return ax


def plot_geo_network(graph: nx.Graph, positions_by_node: Mapping, ax, to_xy=None,
                     color: str = "#a61c00", label: str | None = None):
    """Ties drawn between the places of their actors (lon, lat); ties between the same two
    places are drawn once, wider by their number. Returns the number of lines drawn."""
    project = to_xy or (lambda lon, lat: (lon, lat))
    pairs: dict[tuple, int] = {}
    for u, v in undirected(graph).edges():
        a, b = positions_by_node.get(u), positions_by_node.get(v)
        if a is None or b is None or a == b:
            continue
        key = tuple(sorted((tuple(a), tuple(b))))
        pairs[key] = pairs.get(key, 0) + 1
    largest = max(pairs.values(), default=1)
    for (a, b), count in sorted(pairs.items()):
        (x0, y0), (x1, y1) = project(*a), project(*b)
        ax.plot([x0, x1], [y0, y1], color=color, alpha=0.55, solid_capstyle="round",
                linewidth=0.4 + 4 * count / largest, zorder=3)
    if label:
        ax.plot([], [], color=color, linewidth=2, label=label)
    return len(pairs)


def plot_ego(graph: nx.Graph, node, radius: int = 1, color_by: Mapping | None = None,
             labels: Mapping | None = None, ax=None, seed: int = 42):
    """The ego network of one actor."""
    ego = nx.ego_graph(undirected(graph), node, radius=radius)
    ax = plot_network(ego, color_by=color_by, labels=labels, ax=ax, seed=seed,
                      size_by={n: (3 if n == node else 1) for n in ego})
    return ax


def plot_disruption(results: Mapping[str, pd.DataFrame], labels: Mapping | None = None,
                    ax=None, measure: str = "largest_share"):
    """How each removal strategy shrinks the largest component, step by step."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    for strategy, frame in results.items():
        ax.plot(frame["removed"], frame[measure], marker="o", markersize=3,
                label=(labels or {}).get(strategy, strategy))
    ax.legend()
    return ax
