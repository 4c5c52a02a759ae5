"""Smuggling networks: build, measure, find brokers and key players, simulate disruption.

Conventions used throughout (so that the networkx and the igraph paths agree):

- Measures of position (degree, betweenness, closeness, eigenvector, k-core, clustering,
  components, path lengths, centralization) use the *undirected simple view* of the graph:
  a tie in either direction is a tie, parallel ties are merged with their weights summed,
  self-ties are dropped. Brokerage roles and cross-border matrices use direction.
- Shortest paths count steps (weights are call or link counts, not distances).
- Betweenness is normalized as networkx does (divided by (n-1)(n-2) over ordered pairs).
- Closeness follows networkx's Wasserman-Faust convention for disconnected graphs:
  (r-1)/sum of distances, times (r-1)/(n-1), r = size of the actor's component.
- Eigenvector centrality is the leading eigenvector of the whole adjacency matrix, which is
  concentrated on the component with the largest leading eigenvalue (the limit networkx's
  power iteration reaches on a disconnected graph): that component gets the unit-norm vector,
  every other actor 0.
- Above `EXACT_LIMIT` actors the igraph path estimates betweenness, closeness and path
  lengths from a fixed-seed sample of sources (per component; small components stay exact).
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import eigsh

from analysis.core.i18n import fmt_number, fmt_percent, t

FAST_THRESHOLD = 2_000  # above this many actors centrality()/describe() use igraph
EXACT_LIMIT = 20_000  # above this many actors the fast path samples sources by default
DEFAULT_SAMPLE = 500  # sources sampled per large component
KEY_PLAYER_ALL_CANDIDATES = 500  # up to this many actors every actor is a key-player candidate
MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "core")
BROKERAGE_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
STRATEGIES = ("degree", "betweenness", "role", "random")
NODE_ATTRIBUTES = ("role", "base_country", "base_place", "route_stage", "nationality")
_CHUNK = 64  # BFS sources per igraph distances() call


# ---------------------------------------------------------------------------------------------
# Reading external network files


class NetworkFileError(ValueError):
    """A network file that cannot be read: which file and what is wrong with it."""

    def __init__(self, path: str | Path, key: str, **values: object) -> None:
        self.path = Path(path)
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return f"{self.path}: {t(f'network.{self.key}', lang, **self.values)}"


def read_network(path: str | Path, directed: bool = True) -> nx.Graph:
    """A graph from an edge list (CSV with header source,target[,weight] or whitespace pairs)
    or a square labelled adjacency matrix (UCINET-style CSV, "," or ";"), detected
    automatically. Node ids are kept as written (CAVIAR's N1 is "1").

    Weights default to 1 and are summed over repeated edges; a matrix cell is the weight of the
    tie row → column (0 = no tie; the diagonal is ignored). Raises `NetworkFileError`.
    """
    path = Path(path)
    if not path.is_file():
        raise NetworkFileError(path, "error_not_found")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise NetworkFileError(path, "error_binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    content = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
               if line.strip() and not line.lstrip().startswith("#")]
    if not content:
        raise NetworkFileError(path, "error_empty")
    first = content[0][1]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if delimiter in first:
        rows = [(n, [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))])
                for n, line in content]
        header = [cell.lower() for cell in rows[0][1]]
        if "source" in header and "target" in header:
            graph = _edges_from_csv(path, rows, header, directed)
        elif "source" in header or "target" in header:
            raise NetworkFileError(path, "error_header", header=",".join(rows[0][1]))
        else:
            graph = _graph_from_matrix(path, rows, directed)
    else:
        graph = _edges_from_pairs(path, content, directed)
    graph.graph["source_file"] = path.name
    return graph


def _weight(path: Path, row: int, value: str | None) -> float:
    if value is None or value == "":
        return 1.0
    try:
        weight = float(value)
    except ValueError:
        raise NetworkFileError(path, "error_weight", row=row, value=value) from None
    if not math.isfinite(weight):
        raise NetworkFileError(path, "error_weight", row=row, value=value)
    return weight


def _too_few_columns(path: Path, row: int, n: int) -> NetworkFileError:
    if n == 1:
        return NetworkFileError(path, "error_one_column", row=row)
    return NetworkFileError(path, "error_columns", row=row, n=n)


def _add_tie(graph: nx.Graph, source: str, target: str, weight: float) -> None:
    if source == target:
        graph.add_node(source)
    elif graph.has_edge(source, target):
        graph[source][target]["weight"] += weight
    else:
        graph.add_edge(source, target, weight=weight)


def _edges_from_csv(path: Path, rows: list, header: list[str], directed: bool) -> nx.Graph:
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph["format"] = "edge_list_csv"
    source, target = header.index("source"), header.index("target")
    weight = header.index("weight") if "weight" in header else None
    for number, cells in rows[1:]:
        if len(cells) <= max(source, target):
            raise _too_few_columns(path, number, len(cells))
        if not cells[source] or not cells[target]:
            raise NetworkFileError(path, "error_missing_id", row=number)
        value = cells[weight] if weight is not None and weight < len(cells) else None
        _add_tie(graph, cells[source], cells[target], _weight(path, number, value))
    if graph.number_of_nodes() == 0:
        raise NetworkFileError(path, "error_empty")
    return graph


def _edges_from_pairs(path: Path, content: list, directed: bool) -> nx.Graph:
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph["format"] = "edge_list_pairs"
    for position, (number, line) in enumerate(content):
        cells = line.split()
        if position == 0 and [c.lower() for c in cells[:2]] == ["source", "target"]:
            continue
        if len(cells) < 2:
            raise _too_few_columns(path, number, len(cells))
        if len(cells) > 3:
            raise NetworkFileError(path, "error_too_many", row=number, n=len(cells))
        weight = _weight(path, number, cells[2] if len(cells) == 3 else None)
        _add_tie(graph, cells[0], cells[1], weight)
    if graph.number_of_nodes() == 0:
        raise NetworkFileError(path, "error_empty")
    return graph


def _graph_from_matrix(path: Path, rows: list, directed: bool) -> nx.Graph:
    (_, header), data = rows[0], rows[1:]
    width = len(header)
    widths = {len(cells) for _, cells in data}
    if data and widths == {width + 1}:
        labels = header  # no corner cell: the header holds only the column labels
    else:
        labels = header[1:]
        for number, cells in data:
            if len(cells) != width:
                raise NetworkFileError(path, "error_row_width", row=number, n=len(cells),
                                       expected=width)
    if len(labels) != len(data):
        key = "error_not_square_hint" if width <= 3 else "error_not_square"
        raise NetworkFileError(path, key, rows=len(data), columns=len(labels))
    row_labels = [cells[0] for _, cells in data]
    for number, label in [(rows[0][0], c) for c in labels] + [(n, c[0]) for n, c in data]:
        if not label:
            raise NetworkFileError(path, "error_empty_label", row=number)
    for names in (labels, row_labels):
        repeated = sorted(label for label, count in Counter(names).items() if count > 1)
        if repeated:
            raise NetworkFileError(path, "error_duplicate_labels", labels=", ".join(repeated[:5]))
    if set(labels) != set(row_labels):
        only_rows = sorted(set(row_labels) - set(labels))[:3]
        only_columns = sorted(set(labels) - set(row_labels))[:3]
        raise NetworkFileError(path, "error_labels", rows=", ".join(only_rows) or "-",
                               columns=", ".join(only_columns) or "-")
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph["format"] = "matrix"
    graph.add_nodes_from(labels)
    for number, cells in data:
        source = cells[0]
        for target, cell in zip(labels, cells[1:], strict=True):
            if cell == "":
                continue
            try:
                value = float(cell)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise NetworkFileError(path, "error_cell", row=number, column=target, value=cell)
            if value != 0 and source != target:
                _add_tie(graph, source, target, value)
    return graph


# ---------------------------------------------------------------------------------------------
# Building from the contract tables


def from_tables(
    actors: pd.DataFrame | None,
    links: pd.DataFrame,
    relations: Iterable[str] | None = None,
    periods: tuple[Any, Any] | None = None,
    directed: bool = False,
) -> nx.Graph:
    """A graph from the contract tables `actors` and `links`.

    One node per actor_id (an actor reported by several countries keeps the first non-missing
    value of each attribute, countries in alphabetical order, and `reporting_countries`).
    Edge `weight` is the sum of the links' weights (missing → 1), `links` their number and
    `relations` a {relation: count} dict. `relations` keeps only those relation codes;
    `periods` = (start, end), either may be None, keeps links dated inside it (inclusive).
    """
    graph = nx.DiGraph() if directed else nx.Graph()
    if actors is not None and len(actors):
        table = actors.dropna(subset=["actor_id"]).astype({"actor_id": str})
        order = pd.unique(table["actor_id"])
        if "reporting_country" in table:
            table = table.sort_values("reporting_country", kind="stable")
        present = [c for c in NODE_ATTRIBUTES if c in table]
        grouped = table.groupby("actor_id", sort=False)
        first = (grouped[present].first() if present else pd.DataFrame(index=order))
        first = first.reindex(order)
        if "reporting_country" in table:
            reports = table[["actor_id", "reporting_country"]].dropna().astype(str)
            countries = (reports.drop_duplicates().sort_values("reporting_country")
                         .groupby("actor_id", sort=False)["reporting_country"].agg(";".join))
            first["reporting_countries"] = countries.reindex(order)
        records = first.to_dict("index")
        graph.add_nodes_from(
            (actor, {k: v for k, v in attrs.items() if not _missing(v)})
            for actor, attrs in records.items()
        )
    if links is None or not len(links):
        return graph
    ties = links.dropna(subset=["source", "target"])
    if relations is not None:
        ties = ties[ties["relation"].isin(list(relations))]
    if periods is not None:
        start, end = periods
        when = pd.to_datetime(ties["period"], errors="coerce")
        keep = when.notna()
        if start is not None:
            keep &= when >= pd.Timestamp(start)
        if end is not None:
            keep &= when <= pd.Timestamp(end)
        ties = ties[keep]
    ties = ties[ties["source"] != ties["target"]]
    source, target = ties["source"].astype(str), ties["target"].astype(str)
    if not directed:  # one key per unordered pair
        source, target = source.where(source <= target, target), target.where(
            source <= target, source
        )
    weight = (
        pd.to_numeric(ties["weight"], errors="coerce").fillna(1.0)
        if "weight" in ties
        else pd.Series(1.0, index=ties.index)
    )
    relation = ties["relation"].astype(str) if "relation" in ties else pd.Series(
        "unknown", index=ties.index
    )
    frame = pd.DataFrame({"u": source, "v": target, "w": weight, "relation": relation})
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for (u, v, rel), count in frame.groupby(["u", "v", "relation"], sort=False).size().items():
        counts[(u, v)][rel] = int(count)
    summed = frame.groupby(["u", "v"], sort=False).agg(weight=("w", "sum"), links=("w", "size"))
    graph.add_edges_from(
        (u, v, {"weight": float(w), "links": int(n), "relations": counts[(u, v)]})
        for (u, v), w, n in zip(summed.index, summed["weight"], summed["links"], strict=True)
    )
    return graph


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) \
        or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------------
# Undirected simple views


def _undirected_nx(G: nx.Graph) -> nx.Graph:
    """Undirected simple graph with the same node order: weights summed, self-ties dropped."""
    view = nx.Graph()
    view.add_nodes_from(G)
    for u, v, w in G.edges(data="weight", default=1.0):
        if u == v:
            continue
        w = 1.0 if _missing(w) else float(w)
        if view.has_edge(u, v):
            view[u][v]["weight"] += w
        else:
            view.add_edge(u, v, weight=w)
    return view


def _igraph_view(G: nx.Graph) -> tuple[ig.Graph, list]:
    """The undirected simple view as igraph (vertex i = i-th node of G) and the node list."""
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    edges, weights = [], []
    for u, v, w in G.edges(data="weight", default=1.0):
        if u != v:
            edges.append((index[u], index[v]))
            weights.append(1.0 if _missing(w) else float(w))
    g = ig.Graph(n=len(nodes), edges=edges, directed=False)
    g.es["weight"] = weights
    g.simplify(multiple=True, loops=True, combine_edges={"weight": "sum"})
    return g, nodes


def _use_fast(G: nx.Graph, fast: bool | None) -> bool:
    return G.number_of_nodes() > FAST_THRESHOLD if fast is None else bool(fast)


def _sample_size(n: int, sample: int | str | None) -> int | None:
    if sample == "auto":
        return DEFAULT_SAMPLE if n > EXACT_LIMIT else None
    if sample is None:
        return None
    return int(sample) if int(sample) < n else None


def _distance_rows(g: ig.Graph, sources: Sequence[int], targets: Sequence[int] | None = None):
    """Unweighted distances from each source, a (chunk × targets) float array at a time."""
    for start in range(0, len(sources), _CHUNK):
        chunk = list(sources[start:start + _CHUNK])
        rows = g.distances(source=chunk, target=targets, mode="all")
        yield chunk, np.asarray(rows, dtype=float)


# ---------------------------------------------------------------------------------------------
# Whole-network description


def describe(G: nx.Graph, fast: bool | None = None, sample: int | str | None = "auto",
             seed: int = 0) -> dict:
    """Size, density, components, Freeman centralization, path lengths and clustering.

    `edges` and `density` follow the graph as given (arcs for a directed graph); `ties`, the
    components, centralization, paths and clustering use the undirected view. Diameter and
    average path length are those of the largest component; on the fast path with more than
    `EXACT_LIMIT` actors they are estimated from `sample` sources (`path_length_sources`;
    the diameter is then a lower bound from those sources plus a double sweep).
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
        result.update(_describe_igraph(G, _sample_size(n, sample), seed))
    else:
        result.update(_describe_networkx(G))
    degrees = np.asarray(result.pop("_degrees"), dtype=float)
    result["centralization"] = freeman_centralization(degrees)
    result["largest_component_share"] = result["largest_component"] / n if n else 0.0
    order = ("nodes", "edges", "ties", "directed", "density", "components", "isolates",
             "largest_component", "largest_component_share", "centralization", "diameter",
             "average_path_length", "path_length_sources", "average_clustering", "transitivity",
             "method")
    return {key: _plain(result[key]) for key in order}


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
    view = _undirected_nx(G)
    # components come in the order of their first actor, as igraph numbers them
    components = list(nx.connected_components(view))
    largest = max(components, key=len) if components else set()
    diameter, total = 0, 0
    for _, lengths in nx.all_pairs_shortest_path_length(view.subgraph(largest)):
        distances = list(lengths.values())
        diameter, total = max(diameter, max(distances)), total + sum(distances)
    size = len(largest)
    return {
        "ties": view.number_of_edges(),
        "components": len(components),
        "isolates": nx.number_of_isolates(view),
        "largest_component": len(largest),
        "_degrees": [d for _, d in view.degree()],
        "diameter": diameter,
        "average_path_length": total / (size * (size - 1)) if size > 1 else 0.0,
        "path_length_sources": None,
        "average_clustering": nx.average_clustering(view) if len(view) else 0.0,
        "transitivity": nx.transitivity(view),
        "method": "networkx",
    }


def _describe_igraph(G: nx.Graph, sample: int | None, seed: int) -> dict:
    g, _ = _igraph_view(G)
    clusters = g.connected_components()
    sizes = np.asarray(clusters.sizes())
    largest_id = int(np.argmax(sizes)) if len(sizes) else 0
    largest = clusters[largest_id] if len(sizes) else []
    if sample is not None and len(largest) > sample:
        diameter, average = _sampled_paths(g, largest, sample, seed)
        sources = sample
    else:
        core = g.induced_subgraph(largest)
        diameter = core.diameter(directed=False) if len(largest) > 1 else 0
        average = core.average_path_length(directed=False) if len(largest) > 1 else 0.0
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
    """Average path length and a diameter lower bound from k sampled sources + double sweep."""
    rng = np.random.default_rng(seed)
    sources = np.sort(rng.choice(np.asarray(component), size=k, replace=False))
    total, diameter, farthest = 0.0, 0, int(sources[0])
    for _, rows in _distance_rows(g, sources, component):
        total += rows.sum()
        eccentricity = rows.max(axis=1)
        if eccentricity.max() > diameter:
            best = int(np.argmax(eccentricity))
            diameter = int(eccentricity[best])
            farthest = component[int(np.argmax(rows[best]))]
    # double sweep: BFS from the farthest actor seen, the classic diameter lower bound
    _, rows = next(_distance_rows(g, [farthest], component))
    diameter = max(diameter, int(rows.max()))
    return diameter, total / (k * (len(component) - 1))


# ---------------------------------------------------------------------------------------------
# Actor centrality


def centrality(G: nx.Graph, fast: bool | None = None, sample: int | str | None = "auto",
               seed: int = 0) -> pd.DataFrame:
    """Per actor: degree, weighted_degree, betweenness (normalized), closeness, eigenvector
    and core (k-core number), on the undirected view (see the module docstring).

    `fast` = None uses igraph above `FAST_THRESHOLD` actors. On the igraph path `sample`
    ("auto": `DEFAULT_SAMPLE` above `EXACT_LIMIT` actors, else exact; or an int; or None for
    exact) estimates betweenness and closeness in components larger than the sample from that
    many sources (fixed `seed`). `df.attrs` records the method and the sample size.
    """
    nodes = list(G)
    if not nodes:
        return pd.DataFrame(columns=list(MEASURES), index=pd.Index([], name="actor"))
    if _use_fast(G, fast):
        k = _sample_size(len(nodes), sample)
        values = _centrality_igraph(G, k, seed)
        method = "igraph"
    else:
        k = None
        values = _centrality_networkx(G)
        method = "networkx"
    table = pd.DataFrame(values, index=pd.Index(nodes, name="actor"))[list(MEASURES)]
    table = table.astype({"degree": int, "core": int, "weighted_degree": float})
    table.attrs.update(method=method, sample=k, seed=seed)
    return table


def _centrality_networkx(G: nx.Graph) -> dict[str, list]:
    view = _undirected_nx(G)
    nodes = list(view)
    betweenness = nx.betweenness_centrality(view, normalized=True)
    closeness = nx.closeness_centrality(view)
    core = nx.core_number(view)
    position = {node: i for i, node in enumerate(nodes)}
    components = [np.sort([position[v] for v in c]) for c in nx.connected_components(view)]
    adjacency = nx.to_scipy_sparse_array(view, nodelist=nodes, weight=None, format="csr")
    degree = np.asarray([d for _, d in view.degree()])
    dominant, _ = _dominant_component(components, adjacency, degree)
    eigenvector = dict.fromkeys(nodes, 0.0)
    if dominant is not None:
        members = [nodes[i] for i in dominant]
        if len(members) == 2:
            vector = dict.fromkeys(members, 1 / math.sqrt(2))
        else:
            vector = nx.eigenvector_centrality_numpy(view.subgraph(members), weight=None)
        eigenvector.update({node: abs(value) for node, value in vector.items()})
    return {
        "degree": [view.degree(v) for v in nodes],
        "weighted_degree": [view.degree(v, weight="weight") for v in nodes],
        "betweenness": [betweenness[v] for v in nodes],
        "closeness": [closeness[v] for v in nodes],
        "eigenvector": [eigenvector[v] for v in nodes],
        "core": [core[v] for v in nodes],
    }


def _centrality_igraph(G: nx.Graph, k: int | None, seed: int) -> dict[str, Any]:
    g, _ = _igraph_view(G)
    membership = np.asarray(g.connected_components().membership)
    sizes = np.bincount(membership)
    samples = _component_samples(membership, sizes, k, seed)
    return {
        "degree": g.degree(),
        "weighted_degree": g.strength(weights="weight"),
        "betweenness": _igraph_betweenness(g, membership, sizes, samples),
        "closeness": _igraph_closeness(g, membership, sizes, samples),
        "eigenvector": _igraph_eigenvector(g, membership),
        "core": g.coreness(),
    }


def _component_samples(membership: np.ndarray, sizes: np.ndarray, k: int | None,
                       seed: int) -> dict[int, np.ndarray]:
    """For each component larger than k: k sources drawn with a fixed seed."""
    if k is None:
        return {}
    rng = np.random.default_rng(seed)
    return {
        int(c): np.sort(rng.choice(np.flatnonzero(membership == c), size=k, replace=False))
        for c in np.flatnonzero(sizes > k)
    }


def _igraph_betweenness(g: ig.Graph, membership: np.ndarray, sizes: np.ndarray,
                        samples: dict[int, np.ndarray]) -> np.ndarray:
    n = g.vcount()
    if n < 3:
        return np.zeros(n)
    if not samples:
        ordered = 2 * np.asarray(g.betweenness(directed=False))
    else:
        # exact for small components (every actor a source), k sources in large ones; igraph's
        # subset betweenness counts half of networkx's ordered-pair sum on undirected graphs
        small = np.flatnonzero((sizes[membership] >= 3) & ~np.isin(membership, list(samples)))
        sources = np.sort(np.concatenate([small, *samples.values()]))
        raw = np.asarray(g.betweenness(directed=False, sources=sources.tolist()))
        factor = np.ones(n)
        for component, chosen in samples.items():
            factor[membership == component] = sizes[component] / len(chosen)
        ordered = 2 * raw * factor
    return ordered / ((n - 1) * (n - 2))


def _igraph_closeness(g: ig.Graph, membership: np.ndarray, sizes: np.ndarray,
                      samples: dict[int, np.ndarray]) -> np.ndarray:
    n = g.vcount()
    if n < 2:
        return np.zeros(n)
    reach = sizes[membership] - 1  # other actors each one can reach
    exact = np.flatnonzero(~np.isin(membership, list(samples)))
    closeness = np.zeros(n)
    if len(exact):
        values = np.asarray(g.closeness(vertices=exact.tolist(), normalized=True), dtype=float)
        closeness[exact] = np.nan_to_num(values) * reach[exact] / (n - 1)
    for component, sources in samples.items():
        # Eppstein-Wang: each actor's total distance from its mean distance to k sources
        members = np.flatnonzero(membership == component)
        total = np.zeros(len(members))
        exact_total = {}
        for chunk, rows in _distance_rows(g, sources, members):
            total += rows.sum(axis=0)
            exact_total.update(zip(chunk, rows.sum(axis=1), strict=True))
        r = sizes[component] - 1
        estimate = total * r / len(sources)
        is_source = np.isin(members, sources)
        estimate[is_source] = [exact_total[v] for v in members[is_source]]
        closeness[members] = np.where(estimate > 0, r / estimate, 0.0) * r / (n - 1)
    return closeness


def _leading_eigenpair(adjacency: sp.spmatrix) -> tuple[float, np.ndarray]:
    """Largest eigenvalue of a symmetric adjacency matrix and its unit, non-negative vector
    (deterministic: dense solver for small matrices, ARPACK from a fixed start otherwise)."""
    size = adjacency.shape[0]
    if size <= 300:
        values, vectors = np.linalg.eigh(adjacency.toarray().astype(float))
        value, vector = values[-1], vectors[:, -1]
    else:
        values, vectors = eigsh(adjacency.astype(float), k=1, which="LA", v0=np.ones(size))
        value, vector = values[0], vectors[:, 0]
    vector = np.abs(vector)
    return float(value), vector / np.linalg.norm(vector)


def _dominant_component(components: list[np.ndarray], adjacency: sp.spmatrix,
                        degree: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The component with the largest leading eigenvalue (ties: the larger, then the first)
    and its leading eigenvector."""
    ordered = sorted(components, key=lambda c: (-len(c), int(c.min())))
    best, best_value, best_vector = None, 0.0, None
    adjacency = sp.csr_matrix(adjacency)
    for members in ordered:
        if len(members) < 2:
            break
        if degree[members].max() <= best_value + 1e-9:  # λ <= max degree: cannot win
            continue
        value, vector = _leading_eigenpair(adjacency[members][:, members])
        if value > best_value + 1e-9:
            best, best_value, best_vector = members, value, vector
    return best, best_vector


def _igraph_eigenvector(g: ig.Graph, membership: np.ndarray) -> np.ndarray:
    """Leading eigenvector of the dominant component with scipy's solver (igraph's ARPACK
    start vector is random, so its last digits change from run to run)."""
    n = g.vcount()
    result = np.zeros(n)
    if g.ecount() == 0:
        return result
    edges = np.asarray(g.get_edgelist())
    adjacency = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    adjacency = (adjacency + adjacency.T).tocsr()
    order = np.argsort(membership, kind="stable")
    bounds = np.cumsum(np.bincount(membership))[:-1]
    components = np.split(order, bounds)
    dominant, vector = _dominant_component(components, adjacency, np.asarray(g.degree()))
    if dominant is not None:
        result[dominant] = vector
    return result


def top_actors(G: nx.Graph, n: int = 10, by: str = "degree",
               table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The n actors ranked highest by `by` (ties: the other of degree/betweenness, then order)."""
    table = centrality(G) if table is None else table
    second = "betweenness" if by != "betweenness" else "degree"
    return table.sort_values([by, second], ascending=False, kind="stable").head(n)


def network_summary(path: str | Path, as_json: bool = False, lang: str = "en",
                    top: int = 10) -> str:
    """What `analysis network-summary FILE [--json]` prints: describe() and the top actors."""
    graph = read_network(path)
    figures = describe(graph)
    table = centrality(graph)
    rankings = {
        "top_degree": top_actors(graph, top, "degree", table),
        "top_betweenness": top_actors(graph, top, "betweenness", table),
    }
    if as_json:
        payload = {"file": Path(path).name, "network": figures}
        for key, ranked in rankings.items():
            payload[key] = [
                {"actor": str(actor), "degree": int(row.degree),
                 "betweenness": float(row.betweenness)}
                for actor, row in ranked.iterrows()
            ]
        return json.dumps(payload, indent=2, ensure_ascii=False)
    return _summary_text(Path(path).name, figures, rankings, lang)


def _summary_text(name: str, figures: dict, rankings: dict, lang: str) -> str:
    def number(value: Any, decimals: int = 0) -> str:
        return "-" if value is None else fmt_number(value, lang, decimals)

    paths_note = ""
    if figures["path_length_sources"]:
        paths_note = f" ({t('network.estimated', lang, k=figures['path_length_sources'])})"
    largest = (f"{number(figures['largest_component'])} "
               f"({fmt_percent(figures['largest_component_share'], lang)})")
    rows = [
        ("nodes", number(figures["nodes"])),
        ("edges", number(figures["edges"])),
        ("directed", t(f"network.{'yes' if figures['directed'] else 'no'}", lang)),
        ("density", number(figures["density"], 4)),
        ("components", number(figures["components"])),
        ("largest_component", largest),
        ("centralization", number(figures["centralization"], 3)),
        ("diameter", number(figures["diameter"]) + paths_note),
        ("average_path_length", number(figures["average_path_length"], 2) + paths_note),
        ("average_clustering", number(figures["average_clustering"], 3)),
        ("transitivity", number(figures["transitivity"], 3)),
    ]
    labels = [t(f"network.{key}", lang) for key, _ in rows]
    width = max(len(label) for label in labels)
    lines = [t("network.summary_file", lang, file=name), ""]
    lines += [f"{label:<{width}}  {value}" for label, (_, value) in zip(labels, rows, strict=True)]
    for key, ranked in rankings.items():
        lines += ["", t(f"network.{key}", lang)]
        actor_width = max([len(str(a)) for a in ranked.index] + [len(t("network.actor", lang))])
        lines.append(f"     {t('network.actor', lang):<{actor_width}}  "
                     f"{t('network.degree', lang):>8}  {t('network.betweenness', lang):>14}")
        for rank, (actor, row) in enumerate(ranked.iterrows(), start=1):
            lines.append(f"{rank:>3}. {actor!s:<{actor_width}}  {number(row.degree):>8}  "
                         f"{number(row.betweenness, 4):>14}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Brokerage and cross-border ties


def _group_codes(G: nx.Graph, groups: Mapping | str) -> np.ndarray:
    if isinstance(groups, str):
        groups = nx.get_node_attributes(G, groups)
    values = [groups.get(node) for node in G]
    known = sorted({str(v) for v in values if not _missing(v)})
    code = {value: i for i, value in enumerate(known)}
    return np.asarray([-1 if _missing(v) else code[str(v)] for v in values], dtype=np.int64)


def brokerage(G: nx.Graph, groups: Mapping | str) -> pd.DataFrame:
    """Gould-Fernandez brokerage counts per actor.

    For every open two-path a → b → c (a != c, no tie a → c), broker b is counted by the groups
    of a, b, c: coordinator (all one group), itinerant or consultant (a and c share a group,
    b outside it), representative (a with b, c outside), gatekeeper (b with c, a outside),
    liaison (three groups). An undirected tie counts in both directions. `groups` maps actor →
    group or names a node attribute (e.g. "base_country", "route_stage"); two-paths touching
    an actor without a group are not counted.
    """
    nodes = list(G)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    arcs = [(index[u], index[v]) for u, v in G.edges() if u != v]
    if not G.is_directed():
        arcs += [(v, u) for u, v in arcs]
    counts = np.zeros((n, len(BROKERAGE_ROLES)), dtype=np.int64)
    if arcs:
        arcs_array = np.unique(np.asarray(arcs, dtype=np.int64), axis=0)
        heads, tails = arcs_array[:, 0], arcs_array[:, 1]
        out = sp.csr_matrix((np.ones(len(heads)), (heads, tails)), shape=(n, n))
        into = out.T.tocsr()
        keys = np.sort(heads * n + tails)
        group = _group_codes(G, groups)
        for b in range(n):
            if group[b] < 0:
                continue
            senders = into.indices[into.indptr[b]:into.indptr[b + 1]]
            receivers = out.indices[out.indptr[b]:out.indptr[b + 1]]
            if len(senders) == 0 or len(receivers) == 0:
                continue
            a = np.repeat(senders, len(receivers))
            c = np.tile(receivers, len(senders))
            query = a * n + c
            position = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
            keep = (a != c) & (keys[position] != query)
            ga, gc, gb = group[a[keep]], group[c[keep]], group[b]
            valid = (ga >= 0) & (gc >= 0)
            ga, gc = ga[valid], gc[valid]
            counts[b] = [
                np.sum((ga == gb) & (gc == gb)),
                np.sum((ga == gc) & (ga != gb)),
                np.sum((gc == gb) & (ga != gb)),
                np.sum((ga == gb) & (gc != gb)),
                np.sum((ga != gb) & (gc != gb) & (ga != gc)),
            ]
    table = pd.DataFrame(counts, index=pd.Index(nodes, name="actor"), columns=BROKERAGE_ROLES)
    table["total"] = table.sum(axis=1)
    return table


def cross_border_ties(G: nx.Graph, attr: str = "base_country", value: str = "ties") -> pd.DataFrame:
    """Country × country matrix of ties (value="ties") or summed weights (value="weight")
    between actors based in different countries; the diagonal is 0. Symmetric for an
    undirected graph; rows are the source's country for a directed one."""
    if value not in ("ties", "weight"):
        raise ValueError("value must be 'ties' or 'weight'")
    country = {v: d.get(attr) for v, d in G.nodes(data=True)}
    present = sorted({str(c) for c in country.values() if not _missing(c)})
    rows = [(country[u], country[v], 1.0 if _missing(w) else float(w))
            for u, v, w in G.edges(data="weight", default=1.0)
            if not _missing(country[u]) and not _missing(country[v])
            and str(country[u]) != str(country[v])]
    frame = pd.DataFrame(rows, columns=["a", "b", "w"]).astype({"a": str, "b": str})
    if not G.is_directed():
        frame = pd.concat([frame, frame.rename(columns={"a": "b", "b": "a"})], ignore_index=True)
    grouped = frame.groupby(["a", "b"])["w"]
    cells = grouped.size() if value == "ties" else grouped.sum()
    matrix = cells.unstack(fill_value=0).reindex(index=present, columns=present, fill_value=0)
    matrix = matrix.astype(int if value == "ties" else float)
    directed = G.is_directed()
    matrix.index.name = f"source_{attr}" if directed else attr
    matrix.columns.name = f"target_{attr}" if directed else attr
    return matrix


# ---------------------------------------------------------------------------------------------
# Communities


class Communities(NamedTuple):
    membership: pd.Series  # actor → community id, 0 = the largest community
    modularity: float


def communities(G: nx.Graph, seed: int = 42, method: str = "leiden") -> Communities:
    """Modularity communities of the weighted undirected view: Leiden (leidenalg) or Louvain
    (networkx), with a fixed seed. Ids are ordered by size (0 = largest; ties: first actor)."""
    g, nodes = _igraph_view(G)
    if g.ecount() == 0:
        labels = np.arange(len(nodes))
    elif method == "leiden":
        import leidenalg

        partition = leidenalg.find_partition(
            g, leidenalg.ModularityVertexPartition, weights="weight", seed=seed
        )
        labels = np.asarray(partition.membership)
    elif method == "louvain":
        found = nx.community.louvain_communities(_undirected_nx(G), weight="weight", seed=seed)
        position = {node: i for i, node in enumerate(nodes)}
        labels = np.empty(len(nodes), dtype=int)
        for label, members in enumerate(found):
            labels[[position[v] for v in members]] = label
    else:
        raise ValueError("method must be 'leiden' or 'louvain'")
    labels = _relabel_by_size(labels)
    modularity = g.modularity(labels.tolist(), weights="weight") if g.ecount() else 0.0
    series = pd.Series(labels, index=pd.Index(nodes, name="actor"), name="community")
    return Communities(series, float(modularity))


def _relabel_by_size(labels: np.ndarray) -> np.ndarray:
    if len(labels) == 0:
        return labels.astype(int)
    unique, first, counts = np.unique(labels, return_index=True, return_counts=True)
    ranking = sorted(range(len(unique)), key=lambda i: (-counts[i], first[i]))
    new = np.empty(len(unique), dtype=int)
    new[ranking] = np.arange(len(unique))
    return new[np.searchsorted(unique, labels)]


# ---------------------------------------------------------------------------------------------
# Disruption scenarios and key players


def disruption(
    G: nx.Graph,
    strategy: str,
    steps: int,
    seed: int = 0,
    role_order: Sequence[str] | None = None,
    recompute: bool = False,
    stage_attr: str = "route_stage",
    per_step: int | float = 1,
    sample: int | str | None = "auto",
) -> pd.DataFrame:
    """Remove actors step by step and follow what is left of the structure.

    strategy: "degree" or "betweenness" (highest first; `recompute` re-ranks the remaining
    actors after each step), "role" (by `role_order`, default the actor_role code list order,
    then by degree) or "random" (fixed `seed`). Each step removes `per_step` actors (a count,
    or a fraction below 1 of the original actors). One row per step, step 0 = intact network:
    removed, removed_share, lcc_size, lcc_share (share of the original actors still in the
    largest component), components (fragments among the remaining actors),
    stage_pairs_connected (share of pairs of route stages present at the start that some
    component still joins), origin_destination_connected (some component still holds origin
    and destination actors), actors (those removed at that step).
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}")
    g, nodes = _igraph_view(G)
    n = len(nodes)
    if isinstance(per_step, float) and 0 < per_step < 1:
        count = max(1, round(per_step * n))
    else:
        count = int(per_step)
    if count < 1:
        raise ValueError("per_step must be a positive count or a fraction between 0 and 1")
    stages = _StageTracker(G, nodes, stage_attr)
    removed = np.zeros(n, dtype=bool)
    order = None if recompute else _removal_order(g, G, nodes, strategy, seed, role_order, sample)
    rows = [_disruption_row(g, removed, stages, 0, [], nodes)]
    pointer = 0
    for step in range(1, steps + 1):
        alive = np.flatnonzero(~removed)
        if len(alive) == 0:
            break
        if order is not None:
            chosen = order[pointer:pointer + count]
            pointer += count
        else:
            sub = g.induced_subgraph(alive.tolist())
            sub_nodes = [nodes[i] for i in alive]
            ranked = _removal_order(sub, G, sub_nodes, strategy, seed + step, role_order, sample)
            chosen = alive[ranked[:count]]
        removed[chosen] = True
        rows.append(_disruption_row(g, removed, stages, step, chosen, nodes))
    return pd.DataFrame(rows)


class _StageTracker:
    """Which pairs of route stages some component still joins."""

    def __init__(self, G: nx.Graph, nodes: list, attr: str) -> None:
        values = [G.nodes[v].get(attr) for v in nodes]
        self.present = sorted({str(v) for v in values if not _missing(v)})
        code = {stage: i for i, stage in enumerate(self.present)}
        self.codes = np.asarray([-1 if _missing(v) else code[str(v)] for v in values])
        self.pairs = [(i, j) for i in range(len(self.present)) for j in range(i + 1,
                                                                             len(self.present))]
        ends = ("origin", "destination")
        self.ends = tuple(code[e] for e in ends) if all(e in code for e in ends) else None

    def measure(self, membership: np.ndarray, alive: np.ndarray) -> tuple[Any, Any]:
        if not self.pairs:
            return math.nan, None
        codes = self.codes[alive]
        known = codes >= 0
        holds = np.zeros((membership.max() + 1 if len(membership) else 1, len(self.present)),
                         dtype=bool)
        holds[membership[known], codes[known]] = True
        joined = [bool((holds[:, i] & holds[:, j]).any()) for i, j in self.pairs]
        ends = None if self.ends is None else bool(
            (holds[:, self.ends[0]] & holds[:, self.ends[1]]).any()
        )
        return sum(joined) / len(joined), ends


def _disruption_row(g: ig.Graph, removed: np.ndarray, stages: _StageTracker, step: int,
                    chosen: Sequence[int], nodes: list) -> dict:
    n = g.vcount()
    alive = np.flatnonzero(~removed)
    membership = np.asarray(g.induced_subgraph(alive.tolist()).connected_components().membership,
                            dtype=int)
    sizes = np.bincount(membership) if len(membership) else np.zeros(0, dtype=int)
    pairs, ends = stages.measure(membership, alive)
    lcc = int(sizes.max()) if len(sizes) else 0
    return {
        "step": step,
        "removed": int(removed.sum()),
        "removed_share": removed.sum() / n if n else 0.0,
        "lcc_size": lcc,
        "lcc_share": lcc / n if n else 0.0,
        "components": len(sizes),
        "stage_pairs_connected": pairs,
        "origin_destination_connected": ends,
        "actors": tuple(nodes[i] for i in chosen),
    }


def _removal_order(g: ig.Graph, G: nx.Graph, nodes: list, strategy: str, seed: int,
                   role_order: Sequence[str] | None, sample: int | str | None) -> np.ndarray:
    """Vertex positions of g, first to remove first (ties: earlier actor first)."""
    n = g.vcount()
    if strategy == "random":
        return np.random.default_rng(seed).permutation(n)
    degree = np.asarray(g.degree(), dtype=float)
    if strategy == "degree":
        return np.argsort(-degree, kind="stable")
    if strategy == "betweenness":
        membership = np.asarray(g.connected_components().membership)
        sizes = np.bincount(membership)
        samples = _component_samples(membership, sizes, _sample_size(n, sample), seed)
        score = _igraph_betweenness(g, membership, sizes, samples)
        return np.lexsort((-degree, -score))
    order = list(role_order) if role_order is not None else _default_role_order()
    rank_of = {role: i for i, role in enumerate(order)}
    rank = np.asarray([rank_of.get(G.nodes[v].get("role"), len(order)) for v in nodes])
    return np.lexsort((-degree, rank))


def _default_role_order() -> list[str]:
    from analysis.core import reference

    return list(reference.code_list("actor_role"))


class KeyPlayers(NamedTuple):
    actors: list  # the key-player set, in the order found
    fragmentation: float  # fragmentation after removing them
    baseline: float  # fragmentation of the intact network


def fragmentation(component_sizes: Sequence[int]) -> float:
    """Borgatti's F: the share of pairs of actors that cannot reach each other."""
    sizes = np.asarray(component_sizes, dtype=float)
    n = sizes.sum()
    if n < 2:
        return 1.0
    return float(1 - (sizes * (sizes - 1)).sum() / (n * (n - 1)))


def key_players(G: nx.Graph, k: int, seed: int = 0, candidates: Sequence | None = None,
                pool: int = 50, restarts: int | None = None, max_rounds: int = 50,
                sample: int | str | None = "auto") -> KeyPlayers:
    """KPP-Neg (Borgatti 2006): k actors whose removal fragments the network most.

    Maximises fragmentation F of the remaining actors: a greedy start, then best-improvement
    swaps until none helps (at most `max_rounds`); repeated from `restarts` random starts
    (fixed `seed`; default 5, or 1 on graphs past `KEY_PLAYER_ALL_CANDIDATES` actors, where each
    evaluation costs a pass over all links) and the best set kept. Candidates: every actor up to
    `KEY_PLAYER_ALL_CANDIDATES` actors, else the top `pool` by betweenness plus the top `pool`
    by degree (betweenness sampled with `seed` on large graphs). Deterministic.
    """
    g, nodes = _igraph_view(G)
    n = len(nodes)
    position = {node: i for i, node in enumerate(nodes)}
    if candidates is not None:
        pool_ids = [position[c] for c in candidates]
    else:
        by_betweenness = _removal_order(g, G, nodes, "betweenness", seed, None, sample)
        if n <= KEY_PLAYER_ALL_CANDIDATES:
            pool_ids = by_betweenness.tolist()
        else:
            by_degree = _removal_order(g, G, nodes, "degree", seed, None, sample)
            pool_ids = list(dict.fromkeys([*by_betweenness[:pool], *by_degree[:pool]]))
    keep = np.ones(n, dtype=bool)
    edges = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)

    def score(chosen: Iterable[int]) -> float:
        keep[:] = True
        keep[list(chosen)] = False
        kept = edges[keep[edges[:, 0]] & keep[edges[:, 1]]]
        adjacency = sp.csr_matrix((np.ones(len(kept)), (kept[:, 0], kept[:, 1])), shape=(n, n))
        _, labels = connected_components(adjacency, directed=False)
        return fragmentation(np.bincount(labels[keep]))

    def improve(chosen: list[int]) -> tuple[list[int], float]:
        current = score(chosen)
        for _ in range(max_rounds):
            best, best_value = None, current + 1e-12
            for slot in range(len(chosen)):
                for c in pool_ids:
                    if c in chosen:
                        continue
                    trial = [*chosen[:slot], c, *chosen[slot + 1:]]
                    value = score(trial)
                    if value > best_value:
                        best, best_value = trial, value
            if best is None:
                break
            chosen, current = best, best_value
        return chosen, current

    if restarts is None:
        restarts = 5 if n <= KEY_PLAYER_ALL_CANDIDATES else 1
    baseline = score([])
    size = min(k, len(pool_ids))
    greedy: list[int] = []
    for _ in range(size):
        rest = [c for c in pool_ids if c not in greedy]
        values = [score([*greedy, c]) for c in rest]
        greedy.append(rest[int(np.argmax(values))])
    starts = [greedy]
    rng = np.random.default_rng(seed)
    if size < len(pool_ids):
        starts += [[pool_ids[i] for i in rng.choice(len(pool_ids), size, replace=False)]
                   for _ in range(restarts)]
    best_set, best_value = improve(starts[0])
    for start in starts[1:]:
        found, value = improve(start)
        if value > best_value + 1e-12:
            best_set, best_value = found, value
    return KeyPlayers([nodes[i] for i in best_set], best_value, baseline)


# ---------------------------------------------------------------------------------------------
# Figures (no titles: captions come from the caller)

_NEUTRAL = "#b0b0b0"


def _palette(count: int) -> list:
    import matplotlib as mpl

    colors = list(mpl.colormaps["tab10"].colors)
    if count > 10:
        colors = list(mpl.colormaps["tab20"].colors)
    return colors[:count]


def _plot_subgraph(G: nx.Graph, max_nodes: int) -> nx.Graph:
    view = _undirected_nx(G)
    if len(view) <= max_nodes:
        return view
    largest = max(nx.connected_components(view), key=len)
    core = view.subgraph(largest)
    ranked = sorted(core, key=lambda v: -core.degree(v))[:max_nodes]
    return view.subgraph([v for v in view if v in set(ranked)]).copy()


_CODE_LISTS = {"role": "actor_role", "route_stage": "route_stage", "base_country": "country",
               "nationality": "country"}


def _categories(G: nx.Graph, nodes: list, color_by: str | Mapping, seed: int,
                lang: str) -> tuple[dict, list[tuple[Any, str]]]:
    """node → category key, and the legend as [(key, label)] in display order."""
    from analysis.core import reference

    if isinstance(color_by, pd.Series):
        color_by = color_by.to_dict()
    if isinstance(color_by, Mapping):
        values = {v: color_by.get(v) for v in nodes}
    elif color_by == "community":
        color_by = communities(G, seed=seed).membership.to_dict()
        values = {v: color_by.get(v) for v in nodes}
    else:
        values = {v: G.nodes[v].get(color_by) if v in G else None for v in nodes}
    keys = {v: None if _missing(x) else x for v, x in values.items()}
    present = {x for x in keys.values() if x is not None}
    if isinstance(color_by, Mapping) and all(isinstance(x, int | np.integer) for x in present):
        ordered = sorted(present)  # community ids
        labels = {x: t("network.community", lang, n=int(x) + 1) for x in ordered}
    elif color_by in _CODE_LISTS:
        list_name = _CODE_LISTS[color_by]
        try:
            order = [] if list_name == "country" else list(reference.code_list(list_name))
        except (KeyError, FileNotFoundError):
            order = []
        rank = {code: i for i, code in enumerate(order)}
        ordered = sorted(present, key=lambda x: (rank.get(x, len(rank)), str(x)))
        labels = {}
        for x in ordered:
            try:
                labels[x] = reference.label(list_name, str(x), lang)
            except (KeyError, FileNotFoundError):
                labels[x] = str(x)
    else:
        ordered = sorted(present, key=str)
        labels = {x: str(x) for x in ordered}
    legend = [(x, labels[x]) for x in ordered]
    if any(x is None for x in keys.values()):
        legend.append((None, t("network.unknown", lang)))
    return keys, legend


def _draw(H: nx.Graph, G: nx.Graph, pos: dict, ax, color_by, size_by, labels, seed: int,
          lang: str, highlight=None) -> None:
    from matplotlib.lines import Line2D

    nodes = list(H)
    keys, legend = _categories(G, nodes, color_by, seed, lang)
    shown = legend if len(legend) <= 12 else legend[:11]
    colors = dict(zip([k for k, _ in shown], _palette(len(shown)), strict=True))
    if len(legend) > 12:
        shown = shown + [("__other__", t("network.other", lang))]
    colors[None] = _NEUTRAL
    node_colors = [colors.get(keys[v], _NEUTRAL) for v in nodes]
    if size_by is not None:
        values = np.asarray([float(size_by.get(v, 0.0)) for v in nodes])
        span = values.max() - values.min() if len(values) else 0.0
        scaled = (values - values.min()) / span if span > 0 else np.full(len(values), 0.5)
        sizes = 20 + 280 * scaled
    else:
        sizes = np.full(len(nodes), 60.0)
    nx.draw_networkx_edges(H, pos, ax=ax, width=0.6, alpha=0.35, edge_color="#555555")
    edge = ["black" if v == highlight else "white" for v in nodes]
    widths = [2.0 if v == highlight else 0.5 for v in nodes]
    ax.scatter([pos[v][0] for v in nodes], [pos[v][1] for v in nodes], s=sizes, c=node_colors,
               edgecolors=edge, linewidths=widths, zorder=3)
    if labels:
        nx.draw_networkx_labels(H, pos, labels={v: labels[v] for v in nodes if v in labels},
                                ax=ax, font_size=7)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=7,
                      markerfacecolor=colors.get(key, _NEUTRAL), markeredgecolor="white",
                      label=label) for key, label in shown]
    if handles:
        ax.legend(handles=handles, loc="best", fontsize=8, frameon=False)
    ax.set_axis_off()


def plot_network(G: nx.Graph, color_by: str | Mapping = "role", size_by: Mapping | None = None,
                 labels: Mapping | None = None, ax=None, seed: int = 42, max_nodes: int = 500,
                 lang: str = "en"):
    """Force-directed drawing (spring layout, fixed seed). Large graphs: the largest
    component's `max_nodes` actors of highest degree. `color_by`: a node attribute ("role",
    "route_stage", "base_country"), "community" (Leiden on G: pass `communities(G).membership`
    instead to reuse a partition), or a mapping actor → category. `size_by`:
    a mapping or Series actor → value (e.g. a centrality column). `labels`: actor → text
    (roles or pseudonyms only), default none."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 8))
    H = _plot_subgraph(G, max_nodes)
    pos = nx.spring_layout(H, seed=seed, weight=None) if len(H) else {}
    _draw(H, G, pos, ax, color_by, size_by, labels, seed, lang)
    return ax


def plot_ego(G: nx.Graph, node, radius: int = 1, ax=None, color_by: str | Mapping = "role",
             labels: Mapping | None = None, seed: int = 42, lang: str = "en"):
    """The actor's neighbourhood up to `radius` steps; the actor outlined in black."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6))
    H = nx.ego_graph(_undirected_nx(G), node, radius=radius)
    pos = nx.spring_layout(H, seed=seed, weight=None)
    _draw(H, G, pos, ax, color_by, None, labels, seed, lang, highlight=node)
    return ax


def plot_geo_network(G: nx.Graph, positions_by_node: Mapping, ax, color: str = "#8c2d04",
                     max_width: float = 6.0, lang: str = "en"):
    """Ties as lines between actors' places (lon, lat) on a map axis drawn by the caller.
    Ties between the same pair of places are merged, line width by their number; places are
    dots sized by their number of actors. Actors without a position are left out."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    pairs: Counter = Counter()
    for u, v in _undirected_nx(G).edges():
        a, b = positions_by_node.get(u), positions_by_node.get(v)
        if a is None or b is None:
            continue
        a, b = tuple(map(float, a)), tuple(map(float, b))
        if a != b:
            pairs[tuple(sorted((a, b)))] += 1
    places = Counter(tuple(map(float, positions_by_node[v])) for v in G
                     if positions_by_node.get(v) is not None)
    handles = []
    if pairs:
        ordered = sorted(pairs.items(), key=lambda item: (item[1], item[0]))
        top = max(pairs.values())
        widths = [0.5 + (max_width - 0.5) * count / top for _, count in ordered]
        ax.add_collection(LineCollection([list(p) for p, _ in ordered], linewidths=widths,
                                         colors=color, alpha=0.6, zorder=2))
        for count in sorted({1, top}):
            handles.append(Line2D([], [], color=color, alpha=0.6,
                                  linewidth=0.5 + (max_width - 0.5) * count / top,
                                  label=t("network.legend_ties", lang, n=count)))
    if places:
        coords = sorted(places)
        most = max(places.values())
        ax.scatter([c[0] for c in coords], [c[1] for c in coords],
                   s=[10 + 90 * places[c] / most for c in coords], c="black", zorder=3)
        handles.append(Line2D([], [], marker="o", linestyle="", color="black",
                              label=t("network.legend_actors", lang)))
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    return ax


def plot_disruption(results: Mapping[str, pd.DataFrame], ax=None, measure: str = "lcc_share",
                    lang: str = "en"):
    """One line per strategy: `measure` against the share of actors removed."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    for strategy, table in results.items():
        key = f"strategy_{strategy}"
        try:
            label = t(f"network.{key}", lang)
        except KeyError:
            label = str(strategy)
        ax.plot(table["removed_share"], table[measure], marker="o", markersize=3, label=label)
    ax.set_xlabel(t("network.axis_removed_share", lang))
    ax.set_ylabel(t(f"network.axis_{measure}", lang))
    if measure in ("lcc_share", "stage_pairs_connected"):
        ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.legend(frameon=False)
    return ax
