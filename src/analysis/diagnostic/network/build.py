"""Graphs from network files and from the contract tables: the direction chosen once,
repeated and reciprocal ties merged, self-ties left out, two-mode data projected onto people.
"""

from __future__ import annotations

import math
import weakref
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from analysis.data.adapters.network_files import NetworkFile, read_network_file
from analysis.diagnostic.network import scale

NODE_ATTRIBUTES = ("role", "base_country", "base_place", "route_stage", "nationality")
# The columns `from_tables` reads of the contract tables (a narrow read of large tables).
ACTOR_INPUT = ["reporting_country", "actor_id", *NODE_ATTRIBUTES]
LINK_INPUT = ["source", "target", "relation", "weight", "period"]
DIRECTIONS = ("auto", "directed", "undirected")


def missing(value: object) -> bool:
    """None, NA, NaN or blank text."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) \
        or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------------
# From network files


def read_network(path: str | Path, direction: str = "auto", mode: int | None = None,
                 public_labels: bool = False, key: bytes | None = None) -> nx.Graph:
    """A network file as a graph: `read_network_file` then `graph_from_file`."""
    record = read_network_file(path, mode=mode, public_labels=public_labels, key=key)
    return graph_from_file(record, direction)


def choose_direction(record: NetworkFile, direction: str = "auto") -> tuple[bool, str]:
    """(directed, why): the flag if given; else a symmetric matrix is undirected and an
    asymmetric one directed; a file that declares its direction keeps it; an edge list
    without a direction column is undirected; two-mode data project onto an undirected graph."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}")
    if record.two_mode:
        return False, "two_mode"
    if direction != "auto":
        return direction == "directed", "flag"
    if record.symmetric is not None:
        return (False, "symmetric_matrix") if record.symmetric else (True, "asymmetric_matrix")
    if record.directed is not None:
        return record.directed, "declared"
    return False, "edge_list"


def graph_from_file(record: NetworkFile, direction: str = "auto") -> nx.Graph:
    """The graph of a network file. Repeated ties are merged and their weights summed (for an
    undirected reading, ties listed in both directions too; a symmetric matrix gives each tie
    once); self-ties are counted and left out. Two-mode data become the people's network,
    ties weighted by the number of events they share. `graph.graph["reading"]` says what was
    chosen and counted."""
    directed, why = choose_direction(record, direction)
    reading: dict[str, Any] = {
        "file": record.name, "format": record.format, "directed": directed, "direction": why,
        "two_mode": record.two_mode, "public_labels": record.public_labels,
        "ties_listed": len(record.ties), "duplicates_merged": 0, "reciprocal_merged": 0,
        "self_loops_dropped": 0,
    }
    if record.two_mode:
        graph, counts = project(record.nodes, record.events,
                                ((tie.source, tie.target) for tie in record.ties))
        reading.update(counts, people=len(record.nodes), events=len(record.events))
    else:
        graph = nx.DiGraph() if directed else nx.Graph()
        graph.add_nodes_from((label, dict(attrs)) for label, attrs in record.nodes.items())
        order = {label: i for i, label in enumerate(record.nodes)}
        seen: dict[tuple, tuple] = {}
        for tie in record.ties:
            if tie.source == tie.target:
                reading["self_loops_dropped"] += 1
                graph.add_node(tie.source)
                continue
            if not directed and record.symmetric and order[tie.source] > order[tie.target]:
                continue  # a symmetric matrix lists every tie twice: read its upper half
            arcs = [(tie.source, tie.target)]
            if directed and tie.directed is False:
                arcs.append((tie.target, tie.source))  # an undirected row in a directed file
            for u, v in arcs:
                _merge(graph, seen, reading, u, v, tie.weight, directed)
    graph.graph["reading"] = reading
    graph.graph["source_file"] = record.name
    graph.graph["format"] = record.format
    return graph


def _merge(graph: nx.Graph, seen: dict, reading: dict, u: str, v: str, weight: float,
           directed: bool) -> None:
    key = (u, v) if directed else tuple(sorted((u, v)))
    if key in seen:
        graph[u][v]["weight"] += weight
        same = seen[key] == (u, v)
        reading["duplicates_merged" if same else "reciprocal_merged"] += 1
    else:
        seen[key] = (u, v)
        graph.add_edge(u, v, weight=weight)


def project(people: dict[str, dict], events: dict[str, dict],
            incidences: Iterable[tuple[str, str]]) -> tuple[nx.Graph, dict]:
    """The one-mode projection of person–event data: people tied by the number of events
    they share (weight). Repeated person–event pairs count once."""
    members: dict[str, list[str]] = defaultdict(list)
    pairs, repeated = set(), 0
    for person, event in incidences:
        if (person, event) in pairs:
            repeated += 1
            continue
        pairs.add((person, event))
        members[event].append(person)
    graph = nx.Graph()
    graph.add_nodes_from((p, dict(attrs)) for p, attrs in people.items())
    for event in list(events) + [e for e in members if e not in events]:
        group = members.get(event, [])
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if graph.has_edge(a, b):
                    graph[a][b]["weight"] += 1.0
                else:
                    graph.add_edge(a, b, weight=1.0)
    return graph, {"duplicates_merged": repeated, "incidences": len(pairs)}


# ---------------------------------------------------------------------------------------------
# From the contract tables


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
    `relations` a {relation: count} dict (up to `scale.TIE_RELATIONS_LIMIT` ties: a larger
    network keeps them in its `links` table only, and `reading["tie_relations"]` says which).
    `relations` keeps only those relation codes;
    `periods` = (start, end), either may be None, keeps links dated inside it (inclusive).
    Column-wise throughout (no Python loop over table rows but the one adding each node and
    tie), so a national network of a million actors builds in seconds.
    """
    graph = nx.DiGraph() if directed else nx.Graph()
    if actors is not None and len(actors):
        graph.add_nodes_from(_actor_nodes(actors))
    if links is None or not len(links):
        graph.graph["reading"] = {"directed": directed, "direction": "contract",
                                  "two_mode": False, "ties_listed": 0, "duplicates_merged": 0,
                                  "reciprocal_merged": 0, "self_loops_dropped": 0}
        return graph
    ends = links[["source", "target"]].isna().to_numpy().any(axis=1)
    ties = links[~ends] if ends.any() else links  # no copy of a complete table
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
    # Factorized as text columns (one Python string per distinct actor, not per link end).
    index, names = pd.factorize(pd.concat([ties["source"].astype(str),
                                           ties["target"].astype(str)], ignore_index=True))
    names = np.asarray(names, dtype=object)
    source, target = np.split(index.astype(np.int64), 2)
    loop = source == target
    loops = int(loop.sum())
    source, target = source[~loop], target[~loop]
    size = max(len(names), 1)
    ordered_pairs = len(np.unique(source * size + target))
    if not directed:  # one key per unordered pair: the actor first by name first
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.argsort(names.astype(str), kind="stable")] = np.arange(len(names))
        swap = rank[source] > rank[target]
        source, target = np.where(swap, target, source), np.where(swap, source, target)
    pair, first = pd.factorize(source * size + target)
    weight = (pd.to_numeric(ties["weight"], errors="coerce").fillna(1.0).to_numpy(dtype=float)
              if "weight" in ties else np.ones(len(loop)))[~loop]
    summed = np.bincount(pair, weights=weight, minlength=len(first))
    counted = np.bincount(pair, minlength=len(first))
    u, v = names[first // size], names[first % size]
    detail = len(first) <= scale.TIE_RELATIONS_LIMIT
    if detail:
        # The relation codes in text order, each distinct value written once as text.
        relation = (ties["relation"].astype(str) if "relation" in ties
                    else pd.Series("unknown", index=ties.index))
        codes, values = pd.factorize(relation, use_na_sentinel=False)
        kinds, renumber = np.unique(np.asarray([str(x) for x in values], dtype=str),
                                    return_inverse=True)
        kind = renumber.reshape(-1)[codes[~loop]]
        cells, cell_counts = np.unique(pair.astype(np.int64) * len(kinds) + kind,
                                       return_counts=True)
        by_pair: list[dict[str, int]] = [{} for _ in range(len(first))]
        for cell, count in zip(cells.tolist(), cell_counts.tolist(), strict=True):
            by_pair[cell // len(kinds)][str(kinds[cell % len(kinds)])] = count
        graph.add_edges_from(
            (a, b, {"weight": w, "links": n, "relations": r})
            for a, b, w, n, r in zip(u.tolist(), v.tolist(), summed.tolist(),
                                     counted.tolist(), by_pair, strict=True))
    else:
        graph.add_edges_from(
            (a, b, {"weight": w, "links": n})
            for a, b, w, n in zip(u.tolist(), v.tolist(), summed.tolist(), counted.tolist(),
                                  strict=True))
    graph.graph["reading"] = {"directed": directed, "direction": "contract",
                              "two_mode": False, "ties_listed": len(ties),
                              "duplicates_merged": int(len(source) - ordered_pairs),
                              "reciprocal_merged": int(ordered_pairs - len(first)),
                              "self_loops_dropped": loops, "tie_relations": detail}
    return graph


def _actor_nodes(actors: pd.DataFrame) -> Iterable[tuple[str, dict]]:
    """(actor_id, attributes) per actor in order of first appearance: the first non-missing
    value of each attribute (reporting countries in alphabetical order) and the reporting
    countries joined by ';'."""
    table = actors.dropna(subset=["actor_id"]).astype({"actor_id": str})
    order = pd.unique(table["actor_id"].to_numpy(dtype=object))
    if "reporting_country" in table:
        table = table.sort_values("reporting_country", kind="stable")
    present = [c for c in NODE_ATTRIBUTES if c in table]
    values = {}
    if present:
        blank = table[present].apply(lambda column: column.isna() | (
            column.astype("string").str.strip() == "").fillna(True))
        first = table[present].mask(blank).groupby(table["actor_id"], sort=False).first()
        values = {c: _shared(first[c].reindex(order).to_numpy(dtype=object, na_value=None))
                  for c in present}
    if "reporting_country" in table:
        reports = (table[["actor_id", "reporting_country"]].dropna().astype(str)
                   .drop_duplicates().sort_values(["actor_id", "reporting_country"]))
        countries = reports.groupby("actor_id", sort=False)["reporting_country"]
        joined = countries.first()
        several = countries.size() > 1
        if several.any():  # the few actors reported by more than one country
            many = reports[reports["actor_id"].isin(several.index[several])]
            joined.update(many.groupby("actor_id")["reporting_country"].agg(";".join))
        values["reporting_countries"] = _shared(joined.reindex(order).to_numpy(
            dtype=object, na_value=None))
    columns = list(values)
    for actor, row in zip(order.tolist(), zip(*values.values(), strict=True) if columns
                          else ((),) * len(order), strict=True):
        yield actor, {c: x for c, x in zip(columns, row, strict=True) if x is not None}


def _shared(values: np.ndarray) -> np.ndarray:
    """The same values, each distinct one a single object (a million actors share a few
    roles and countries), None where missing."""
    codes, uniques = pd.factorize(values)
    return np.append(np.asarray(uniques, dtype=object), None)[codes]


def shared_cases(actors: pd.DataFrame) -> nx.Graph:
    """Actors tied by the cases they share (the `case_ids` field of `actors`, ';'-separated):
    the same projection as a two-mode network file."""
    people: dict[str, dict] = {}
    incidences = []
    table = actors.dropna(subset=["actor_id"]) if len(actors) else actors
    for actor, cases in zip(table.get("actor_id", []), table.get("case_ids", []), strict=False):
        people.setdefault(str(actor), {})
        if not missing(cases):
            incidences += [(str(actor), case.strip()) for case in str(cases).split(";")
                           if case.strip()]
    events = dict.fromkeys(dict.fromkeys(case for _, case in incidences), {})
    graph, counts = project(people, {e: {} for e in events}, incidences)
    graph.graph["reading"] = {"directed": False, "direction": "two_mode", "two_mode": True,
                              "people": len(people), "events": len(events), **counts}
    return graph


# ---------------------------------------------------------------------------------------------
# Simple views (what paths and positions are measured on)


def undirected_view(G: nx.Graph) -> nx.Graph:
    """Undirected simple graph with the same node order: weights summed, self-ties dropped."""
    return _simple_view(G, nx.Graph())


def path_view(G: nx.Graph) -> nx.Graph:
    """The simple graph paths follow: a DiGraph of the arcs for a directed graph (parallel
    arcs merged, weights summed, self-ties dropped), else the undirected view."""
    return _simple_view(G, nx.DiGraph() if G.is_directed() else nx.Graph())


def _simple_view(G: nx.Graph, view: nx.Graph) -> nx.Graph:
    view.add_nodes_from(G)
    for u, v, w in G.edges(data="weight", default=1.0):
        if u == v:
            continue
        w = 1.0 if missing(w) else float(w)
        if view.has_edge(u, v):
            view[u][v]["weight"] += w
        else:
            view.add_edge(u, v, weight=w)
    return view


def induced(G: nx.Graph, nodes: Iterable) -> nx.Graph:
    """The actors `nodes` and the ties among them as a graph of their own, in G's order (a
    networkx subgraph view of a few actors would list them in a set's hash-seeded order,
    which changes from one process to the next)."""
    keep = set(nodes)
    out = G.__class__()
    out.graph.update(G.graph)
    out.add_nodes_from((v, G.nodes[v]) for v in G if v in keep)
    out.add_edges_from((u, v, d) for u, v, d in G.edges(out, data=True) if v in keep)
    return out


# igraph views of each graph, built once: graph → ((actors, ties), {directed: (view, nodes)})
_IGRAPH_VIEWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def igraph_view(G: nx.Graph, directed: bool = False) -> tuple[ig.Graph, list]:
    """The simple view as igraph (vertex i = i-th node of G) and the node list: undirected,
    or with `directed` and a directed G the arcs (as `path_view`). Built once per graph and
    reused while the graph keeps its numbers of actors and ties (graphs are not changed
    after they are built); callers must not change the view."""
    directed = directed and G.is_directed()
    size = (G.number_of_nodes(), G.number_of_edges())
    try:
        cached_size, views = _IGRAPH_VIEWS.get(G, (None, {}))
    except TypeError:  # a graph class that cannot be weakly referenced
        return _igraph_view(G, directed)
    if cached_size != size:
        views = {}
        _IGRAPH_VIEWS[G] = (size, views)
    if directed not in views:
        views[directed] = _igraph_view(G, directed)
    return views[directed]


def _igraph_view(G: nx.Graph, directed: bool) -> tuple[ig.Graph, list]:
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    # Vertex numbers and weights straight into arrays (a tuple per tie would be hundreds of
    # megabytes on a national network).
    ends = np.fromiter((index[x] for u, v in G.edges() if u != v for x in (u, v)),
                       dtype=np.int64)
    weights = np.fromiter((1.0 if missing(w) else float(w)
                           for u, v, w in G.edges(data="weight", default=1.0) if u != v),
                          dtype=float, count=len(ends) // 2)
    g = ig.Graph(n=len(nodes), edges=ends.reshape(-1, 2), directed=directed)
    del ends
    g.es["weight"] = weights.tolist()
    g.simplify(multiple=True, loops=True, combine_edges={"weight": "sum"})
    return g, nodes
