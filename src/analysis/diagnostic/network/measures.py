"""Whole-network and actor measures: size, density, components, Freeman centralization (in-
and out-degree for directed networks), paths, clustering; degree, betweenness, closeness,
eigenvector and k-core per actor, exact with networkx or fast with igraph (see the package
docstring for the conventions both follow)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.linalg import eigs, eigsh

from analysis.diagnostic.network import scale
from analysis.diagnostic.network.build import (
    igraph_view,
    induced,
    path_view,
    undirected_view,
)

MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "core")
# Freeman degree centralization: undirected, sum(max - degree) / ((n-1)(n-2)); directed,
# sum(max - outdegree) / (n-1)^2 (and likewise for indegree)
FORMULAS = {False: "freeman_degree", True: "freeman_outdegree"}
_CELLS = 4_000_000  # distances held at once (BFS sources per igraph call × targets)


def _use_fast(G: nx.Graph, fast: bool | None) -> bool:
    return G.number_of_nodes() > scale.FAST_THRESHOLD if fast is None else bool(fast)


def sample_size(G: nx.Graph, sample: int | str | None) -> int | None:
    """Sources to sample per large component of G (None: exact), by `scale.sources`."""
    return scale.sources(G.number_of_nodes(), G.number_of_edges(), sample)


def _distance_rows(g: ig.Graph, sources: Sequence[int], targets: Sequence[int] | None = None,
                   mode: str = "out"):
    """Unweighted distances from each source (`mode` "in": to each source), a (chunk ×
    targets) float array at a time, inf where there is no path."""
    step = max(1, min(64, _CELLS // max(len(targets) if targets is not None else g.vcount(),
                                        1)))
    for start in range(0, len(sources), step):
        chunk = list(sources[start:start + step])
        rows = g.distances(source=chunk, target=targets, mode=mode)
        yield chunk, np.asarray(rows, dtype=float)


# ---------------------------------------------------------------------------------------------
# Whole-network description


def describe(G: nx.Graph, fast: bool | None = None, sample: int | str | None = "auto",
             seed: int = 0) -> dict:
    """Size, density, components, Freeman centralization, path lengths and clustering.

    `edges`, `density` and centralization follow the graph as given (arcs for a directed
    graph); `ties` and clustering use the undirected view; `components` are weak
    components (a tie in either direction joins), `strong_components` (directed graphs only)
    counts the groups whose actors all reach each other along arcs (a lone actor is one)
    and `largest_strong_component` gives the size of the largest. Diameter and average path
    length are those of the largest (weak) component, along arcs in a directed graph: the
    longest and the mean shortest path over the ordered pairs joined by a path. On the fast
    path with more than `scale.EXACT_LIMIT` actors they are estimated from `sample` sources
    (`path_length_sources`; the diameter is then a lower bound from those sources plus a
    double sweep).
    """
    n = G.number_of_nodes()
    arcs = G.number_of_edges() - nx.number_of_selfloops(G)
    pairs = n * (n - 1) if G.is_directed() else n * (n - 1) / 2
    result: dict[str, Any] = {
        "nodes": n,
        "edges": arcs,
        "directed": G.is_directed(),
        "density": arcs / pairs if pairs else 0.0,
    }
    if _use_fast(G, fast):
        result.update(_describe_igraph(G, sample_size(G, sample), seed))
    else:
        result.update(_describe_networkx(G))
    degrees = np.asarray(result.pop("_degrees"), dtype=float)
    result.update(degree_centralization(G, degrees))
    result["largest_component_share"] = result["largest_component"] / n if n else 0.0
    strong = [len(c) for c in nx.strongly_connected_components(G)] if G.is_directed() else []
    result["strong_components"] = len(strong) if G.is_directed() else None
    result["largest_strong_component"] = max(strong, default=0) if G.is_directed() else None
    order = ("nodes", "edges", "ties", "directed", "density", "components",
             "strong_components", "largest_strong_component", "isolates",
             "largest_component", "largest_component_share", "centralization",
             "centralization_in", "centralization_out", "centralization_formula", "diameter",
             "average_path_length", "path_length_sources", "average_clustering", "transitivity",
             "method")
    return {key: _plain(result[key]) for key in order}


def degree_centralization(G: nx.Graph, degrees: np.ndarray) -> dict:
    """Freeman degree centralization as the graph is read: undirected, on degrees; directed,
    on out-degrees (`centralization`, the one reports show) and in-degrees, each divided by
    (n-1)^2, the most a star of arcs can reach. The formula used is named."""
    directed = G.is_directed()
    result = {"centralization_in": None, "centralization_out": None,
              "centralization_formula": FORMULAS[directed]}
    if not directed:
        result["centralization"] = freeman_centralization(degrees)
        return result
    simple = _simple_digraph(G)
    n = simple.number_of_nodes()
    for key, values in (("centralization_out", [d for _, d in simple.out_degree()]),
                        ("centralization_in", [d for _, d in simple.in_degree()])):
        values = np.asarray(values, dtype=float)
        result[key] = float((values.max() - values).sum() / (n - 1) ** 2) if n >= 2 else None
    result["centralization"] = result["centralization_out"]
    return result


def _simple_digraph(G: nx.Graph) -> nx.DiGraph:
    simple = nx.DiGraph()
    simple.add_nodes_from(G)
    simple.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return simple


def freeman_centralization(degrees: Sequence[float]) -> float | None:
    """Freeman degree centralization, 0..1: sum(max - deg_i) / ((n-1)(n-2)); None if n < 3."""
    degrees = np.asarray(degrees, dtype=float)
    n = len(degrees)
    if n < 3:
        return None
    return float((degrees.max() - degrees).sum() / ((n - 1) * (n - 2)))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _describe_networkx(G: nx.Graph) -> dict:
    view = undirected_view(G)
    # components come in the order of their first actor, as igraph numbers them
    components = list(nx.connected_components(view))
    largest = max(components, key=len) if components else set()
    diameter, total, joined = 0, 0, 0
    # from each actor of the largest component, on the whole graph: the paths from an actor
    # never leave its component, and a search through a subgraph view, which filters every
    # neighbour it meets, took several times as long
    paths = path_view(G)
    for source in largest:
        distances = list(nx.single_source_shortest_path_length(paths, source).values())
        diameter, total = max(diameter, max(distances)), total + sum(distances)
        joined += len(distances) - 1  # ordered pairs joined by a path (itself excluded)
    return {
        "ties": view.number_of_edges(),
        "components": len(components),
        "isolates": nx.number_of_isolates(view),
        "largest_component": len(largest),
        "_degrees": [d for _, d in view.degree()],
        "diameter": diameter,
        "average_path_length": total / joined if joined else 0.0,
        "path_length_sources": None,
        "average_clustering": nx.average_clustering(view) if len(view) else 0.0,
        "transitivity": nx.transitivity(view),
        "method": "networkx",
    }


def _describe_igraph(G: nx.Graph, sample: int | None, seed: int) -> dict:
    g, _ = igraph_view(G)
    clusters = g.connected_components()
    sizes = np.asarray(clusters.sizes())
    largest_id = int(np.argmax(sizes)) if len(sizes) else 0
    largest = clusters[largest_id] if len(sizes) else []
    paths, _ = igraph_view(G, directed=True)
    if sample is not None and len(largest) > sample:
        diameter, average = _sampled_paths(paths, largest, sample, seed)
        sources = sample
    else:
        core = paths.induced_subgraph(largest)
        diameter = core.diameter(directed=True, unconn=True) if core.ecount() else 0
        average = core.average_path_length(directed=True, unconn=True) if core.ecount() else 0.0
        sources = None
    transitivity = g.transitivity_undirected() if g.ecount() else 0.0
    return {
        "ties": g.ecount(),
        "components": len(sizes),
        "isolates": int((np.asarray(g.degree()) == 0).sum()),
        "largest_component": int(sizes.max()) if len(sizes) else 0,
        "_degrees": g.degree(),
        "diameter": int(diameter),
        "average_path_length": float(average),
        "path_length_sources": sources,
        "average_clustering": (g.transitivity_avglocal_undirected(mode="zero")
                               if g.vcount() else 0.0),
        "transitivity": 0.0 if math.isnan(transitivity) else transitivity,
        "method": "igraph",
    }


def _sampled_paths(g: ig.Graph, component: list[int], k: int, seed: int) -> tuple[int, float]:
    """Average path length and a diameter lower bound from k sampled sources + double sweep
    (out-paths in a directed graph, over the pairs joined by a path)."""
    rng = np.random.default_rng(seed)
    sources = np.sort(rng.choice(np.asarray(component), size=k, replace=False))
    total, joined, diameter, farthest = 0.0, 0, 0, int(sources[0])
    for _, rows in _distance_rows(g, sources, component):
        rows = np.where(np.isfinite(rows), rows, 0.0)
        total, joined = total + rows.sum(), joined + int((rows > 0).sum())
        eccentricity = rows.max(axis=1)
        if eccentricity.max() > diameter:
            best = int(np.argmax(eccentricity))
            diameter = int(eccentricity[best])
            farthest = component[int(np.argmax(rows[best]))]
    # double sweep: BFS from the farthest actor seen, the classic diameter lower bound
    _, rows = next(_distance_rows(g, [farthest], component))
    diameter = max(diameter, int(rows[np.isfinite(rows)].max()))
    return diameter, total / joined if joined else 0.0


# ---------------------------------------------------------------------------------------------
# Actor centrality


def centrality(G: nx.Graph, fast: bool | None = None, sample: int | str | None = "auto",
               seed: int = 0) -> pd.DataFrame:
    """Per actor: degree and weighted_degree (undirected view), betweenness (normalized),
    closeness, eigenvector and core (k-core number), which follow the arcs of a directed graph
    (see the package docstring); for a directed graph also in_degree and out_degree (distinct
    senders and receivers).

    `fast` = None uses igraph above `scale.FAST_THRESHOLD` actors. On the igraph path `sample`
    ("auto": exact up to `scale.EXACT_LIMIT` actors, else `scale.sources`; or an int; or None for
    exact) estimates betweenness and closeness in components larger than the sample from that
    many sources (fixed `seed`). `df.attrs` records the method and the sample size.
    """
    nodes = list(G)
    if not nodes:
        return pd.DataFrame(columns=list(MEASURES), index=pd.Index([], name="actor"))
    if _use_fast(G, fast):
        k = sample_size(G, sample)
        values = _centrality_igraph(G, k, seed)
        method = "igraph"
    else:
        k = None
        values = _centrality_networkx(G)
        method = "networkx"
    table = pd.DataFrame(values, index=pd.Index(nodes, name="actor"))[list(MEASURES)]
    table = table.astype({"degree": int, "core": int, "weighted_degree": float})
    if G.is_directed():
        simple = _simple_digraph(G)
        table.insert(1, "in_degree", [simple.in_degree(v) for v in nodes])
        table.insert(2, "out_degree", [simple.out_degree(v) for v in nodes])
    table.attrs.update(method=method, sample=k, seed=seed)
    return table


def _centrality_networkx(G: nx.Graph) -> dict[str, list]:
    view = undirected_view(G)
    paths = path_view(G)
    directed = paths.is_directed()
    nodes = list(view)
    betweenness = nx.betweenness_centrality(paths, normalized=True)
    # networkx measures closeness on incoming paths: the reversed graph gives out-paths
    closeness = nx.closeness_centrality(paths.reverse(copy=False) if directed else paths)
    core = nx.core_number(paths)  # a DiGraph's degree is in + out: total degree
    position = {node: i for i, node in enumerate(nodes)}
    groups = nx.strongly_connected_components(paths) if directed else nx.connected_components(
        paths)
    components = [np.sort([position[v] for v in c]) for c in groups]
    adjacency = nx.to_scipy_sparse_array(paths, nodelist=nodes, weight=None, format="csr")
    # in-eigenvector: x_v sums the x_u of the actors u with an arc u -> v, i.e. x = A^T x / λ
    matrix = adjacency.T.tocsr() if directed else adjacency
    bound = np.asarray(matrix.sum(axis=1)).ravel()  # row sums bound λ
    # the solver sees the actors in the graph's order (a subgraph view would follow a set's
    # hash-seeded order and change the last digits from one process to the next)
    dominant, vector = _dominant_component(components, matrix, bound, symmetric=not directed)
    eigenvector = dict.fromkeys(nodes, 0.0)
    if dominant is not None:
        eigenvector.update({nodes[i]: float(value) for i, value in zip(dominant, vector,
                                                                         strict=True)})
    return {
        "degree": [view.degree(v) for v in nodes],
        "weighted_degree": [view.degree(v, weight="weight") for v in nodes],
        "betweenness": [betweenness[v] for v in nodes],
        "closeness": [closeness[v] for v in nodes],
        "eigenvector": [eigenvector[v] for v in nodes],
        "core": [core[v] for v in nodes],
    }


def _centrality_igraph(G: nx.Graph, k: int | None, seed: int) -> dict[str, Any]:
    g, _ = igraph_view(G)
    paths, _ = igraph_view(G, directed=True)
    membership = np.asarray(g.connected_components().membership)  # weak components
    sizes = np.bincount(membership)
    samples = component_samples(membership, sizes, k, seed)
    return {
        "degree": g.degree(),
        "weighted_degree": g.strength(weights="weight"),
        "betweenness": igraph_betweenness(paths, membership, sizes, samples),
        "closeness": _igraph_closeness(paths, membership, sizes, samples),
        "eigenvector": _igraph_eigenvector(paths),
        "core": paths.coreness(mode="all"),
    }


def component_samples(membership: np.ndarray, sizes: np.ndarray, k: int | None,
                       seed: int) -> dict[int, np.ndarray]:
    """For each component larger than k: k sources drawn with a fixed seed."""
    if k is None:
        return {}
    rng = np.random.default_rng(seed)
    return {
        int(c): np.sort(rng.choice(np.flatnonzero(membership == c), size=k, replace=False))
        for c in np.flatnonzero(sizes > k)
    }


def igraph_betweenness(g: ig.Graph, membership: np.ndarray, sizes: np.ndarray,
                        samples: dict[int, np.ndarray]) -> np.ndarray:
    """Betweenness normalized as networkx does, along arcs if g is directed; `membership`
    and `sizes` are g's weak components, `samples` the sources drawn in large ones."""
    n = g.vcount()
    directed = g.is_directed()
    # igraph counts each unordered pair once on an undirected graph, networkx both orders
    pairs = 1 if directed else 2
    if n < 3:
        return np.zeros(n)
    if not samples:
        ordered = pairs * np.asarray(g.betweenness(directed=directed))
    else:
        # exact for small components (every actor a source), k sources in large ones
        small = np.flatnonzero((sizes[membership] >= 3) & ~np.isin(membership, list(samples)))
        sources = np.sort(np.concatenate([small, *samples.values()]))
        raw = np.asarray(g.betweenness(directed=directed, sources=sources.tolist()))
        factor = np.ones(n)
        for component, chosen in samples.items():
            factor[membership == component] = sizes[component] / len(chosen)
        ordered = pairs * raw * factor
    return ordered / ((n - 1) * (n - 2))


def _igraph_closeness(g: ig.Graph, membership: np.ndarray, sizes: np.ndarray,
                      samples: dict[int, np.ndarray]) -> np.ndarray:
    """Wasserman-Faust closeness on out-paths: (r/total) * r/(n-1), r = actors reachable,
    total = their distance; estimated from the sources in sampled components."""
    n = g.vcount()
    if n < 2:
        return np.zeros(n)
    exact = np.flatnonzero(~np.isin(membership, list(samples)))
    closeness = np.zeros(n)
    if len(exact):
        if g.is_directed():
            # actors each one reaches along arcs (itself excluded)
            reach = np.asarray(g.neighborhood_size(exact.tolist(), order=n, mode="out")) - 1
        else:
            reach = sizes[membership[exact]] - 1
        values = np.asarray(g.closeness(vertices=exact.tolist(), mode="out", normalized=True),
                            dtype=float)
        closeness[exact] = np.nan_to_num(values) * reach / (n - 1)
    for component, sources in samples.items():
        # Eppstein-Wang: each actor's reach and total distance from its paths to k sources
        # (scaled by r/k), exact for the sources themselves
        members = np.flatnonzero(membership == component)
        total, reached = np.zeros(len(members)), np.zeros(len(members))
        for _, rows in _distance_rows(g, sources, members, mode="in"):
            found = np.isfinite(rows) & (rows > 0)
            total += np.where(found, rows, 0.0).sum(axis=0)
            reached += found.sum(axis=0)
        scale = (sizes[component] - 1) / len(sources)
        total, reached = total * scale, reached * scale
        exact_values = {}
        for chunk, rows in _distance_rows(g, sources, members, mode="out"):
            found = np.isfinite(rows) & (rows > 0)
            exact_values.update(zip(chunk, zip(np.where(found, rows, 0.0).sum(axis=1),
                                               found.sum(axis=1), strict=True), strict=True))
        for i in np.flatnonzero(np.isin(members, sources)):
            total[i], reached[i] = exact_values[members[i]]
        safe = np.where(total > 0, total, 1.0)
        closeness[members] = np.where(total > 0, reached / safe, 0.0) * reached / (n - 1)
    return closeness


def _leading_eigenpair(matrix: sp.spmatrix, symmetric: bool = True) -> tuple[float, np.ndarray]:
    """Perron root of a non-negative matrix (symmetric, or irreducible: one strongly connected
    component) and its unit, non-negative vector (deterministic: dense solver for small
    matrices, ARPACK from a fixed start otherwise). The Perron root is the eigenvalue with
    the largest real part, also when a cyclic component has others of the same modulus."""
    size = matrix.shape[0]
    if symmetric and size <= 300:
        values, vectors = np.linalg.eigh(matrix.toarray().astype(float))
        value, vector = values[-1], vectors[:, -1]
    elif symmetric:
        values, vectors = eigsh(matrix.astype(float), k=1, which="LA", v0=np.ones(size))
        value, vector = values[0], vectors[:, 0]
    else:
        if size <= 300:
            values, vectors = np.linalg.eig(matrix.toarray().astype(float))
        else:
            values, vectors = eigs(matrix.astype(float), k=1, which="LR", v0=np.ones(size))
        best = int(np.argmax(values.real))
        value, vector = values[best].real, vectors[:, best].real
    vector = np.abs(vector)
    return float(value), vector / np.linalg.norm(vector)


def _dominant_component(components: list[np.ndarray], matrix: sp.spmatrix, bound: np.ndarray,
                        symmetric: bool = True) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The component with the largest leading eigenvalue (ties: the larger, then the first)
    and its leading eigenvector; `bound` holds each actor's row sum (λ <= the largest)."""
    ordered = sorted(components, key=lambda c: (-len(c), int(c.min())))
    best, best_value, best_vector = None, 0.0, None
    matrix = sp.csr_matrix(matrix)
    for members in ordered:
        if len(members) < 2:
            break
        if bound[members].max() <= best_value + 1e-9:  # cannot win
            continue
        value, vector = _leading_eigenpair(matrix[members][:, members], symmetric)
        if value > best_value + 1e-9:
            best, best_value, best_vector = members, value, vector
    return best, best_vector


def _igraph_eigenvector(g: ig.Graph) -> np.ndarray:
    """Leading (in-)eigenvector of the dominant (strongly) connected component with scipy's
    solver (igraph's ARPACK start vector is random, so its last digits change from run to
    run)."""
    n = g.vcount()
    result = np.zeros(n)
    if g.ecount() == 0:
        return result
    directed = g.is_directed()
    edges = np.asarray(g.get_edgelist())
    # rows are receivers: x = A^T x / λ (in-eigenvector); undirected, both directions
    matrix = sp.coo_matrix((np.ones(len(edges)), (edges[:, 1], edges[:, 0])), shape=(n, n))
    matrix = (matrix if directed else matrix + matrix.T).tocsr()
    membership = np.asarray(g.connected_components(mode="strong").membership)
    order = np.argsort(membership, kind="stable")
    bounds = np.cumsum(np.bincount(membership))[:-1]
    components = np.split(order, bounds)
    bound = np.asarray(matrix.sum(axis=1)).ravel()
    dominant, vector = _dominant_component(components, matrix, bound, symmetric=not directed)
    if dominant is not None:
        result[dominant] = vector
    return result


def top_actors(G: nx.Graph, n: int = 10, by: str = "degree",
               table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The n actors ranked highest by `by` (ties: the other of degree/betweenness, then order)."""
    table = centrality(G) if table is None else table
    second = "betweenness" if by != "betweenness" else "degree"
    return table.sort_values([by, second], ascending=False, kind="stable").head(n)


def summary(G: nx.Graph, top: int = 10) -> dict:
    """What a network summary reports, as plain data: how the file was read (direction and
    why, two modes, merged and dropped ties), `describe()`, and the top actors by degree and
    by betweenness."""
    figures = describe(G)
    table = centrality(G)
    reading = dict(G.graph.get("reading", {}))
    payload: dict[str, Any] = {
        "file": G.graph.get("source_file"),
        "directed": G.is_directed(),
        "direction": reading.get("direction"),
        "two_mode": bool(reading.get("two_mode", False)),
        **{k: figures[k] for k in ("nodes", "edges", "density", "centralization",
                                   "centralization_in", "centralization_out",
                                   "centralization_formula", "components",
                                   "strong_components", "largest_strong_component",
                                   "largest_component")},
        "people": reading.get("people"),
        "events": reading.get("events"),
        "duplicates_merged": reading.get("duplicates_merged", 0),
        "reciprocal_merged": reading.get("reciprocal_merged", 0),
        "self_loops_dropped": reading.get("self_loops_dropped", 0),
        "public_labels": reading.get("public_labels"),
        "network": figures,
    }
    for by in ("degree", "betweenness"):
        ranked = top_actors(G, top, by, table)
        payload[f"top_{by}"] = [
            {"actor": str(actor), "degree": int(row["degree"]),
             **({"in_degree": int(row["in_degree"]), "out_degree": int(row["out_degree"])}
                if "in_degree" in row else {}),
             "betweenness": float(row["betweenness"])}
            for actor, row in ranked.iterrows()
        ]
    return payload


# ---------------------------------------------------------------------------------------------
# The error of sampled measures


def pilot(G: nx.Graph, actors: int = scale.PILOT_ACTORS, seed: int = 0) -> nx.Graph:
    """A connected subnetwork of up to `actors` actors where exact measures are cheap: the
    first actors a breadth-first search reaches from a seeded actor of the largest component
    (so the pilot keeps the network's local structure), with the ties among them."""
    g, nodes = igraph_view(G)
    membership = np.asarray(g.connected_components().membership)
    largest = np.flatnonzero(membership == np.argmax(np.bincount(membership)))
    start = int(np.random.default_rng(seed).choice(largest))
    reached, _, _ = g.bfs(start)
    return induced(G, [nodes[i] for i in reached[:actors]])


def sampling_error(G: nx.Graph, sources: int, seed: int = 0,
                   actors: int = scale.PILOT_ACTORS, top: int = 10) -> dict:
    """How far the estimates from `sources` sampled sources fall from the exact values, measured
    on `pilot(G, actors, seed)` with the same number of sources and seed: for betweenness and
    closeness the largest and mean absolute error, the largest exact value and how many of
    the `top` actors both rank highest; for average path length and diameter, both values."""
    sub = pilot(G, actors, seed)
    exact = centrality(sub, fast=True, sample=None, seed=seed)
    estimate = centrality(sub, fast=True, sample=sources, seed=seed)
    whole, sampled = (describe(sub, fast=True, sample=k, seed=seed) for k in (None, sources))
    result: dict[str, Any] = {"actors": sub.number_of_nodes(), "ties": sub.number_of_edges(),
                              "sources": sources, "seed": seed, "top": top}
    for measure in ("betweenness", "closeness"):
        difference = (estimate[measure] - exact[measure]).abs()
        shared = set(estimate[measure].nlargest(top).index) & set(
            exact[measure].nlargest(top).index)
        result[measure] = {"max_abs_error": float(difference.max()),
                           "mean_abs_error": float(difference.mean()),
                           "max_value": float(exact[measure].max()),
                           "top_overlap": len(shared)}
    for measure in ("average_path_length", "diameter"):
        result[measure] = {"exact": whole[measure], "estimate": sampled[measure]}
    return result
