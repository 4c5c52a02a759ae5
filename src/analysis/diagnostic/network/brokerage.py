"""Brokerage: Gould-Fernandez roles of actors between groups, and ties across borders."""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.diagnostic.network.build import missing

BROKERAGE_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


def _group_codes(G: nx.Graph, groups: Mapping | str) -> np.ndarray:
    if isinstance(groups, str):
        groups = nx.get_node_attributes(G, groups)
    values = [groups.get(node) for node in G]
    known = sorted({str(v) for v in values if not missing(v)})
    code = {value: i for i, value in enumerate(known)}
    return np.asarray([-1 if missing(v) else code[str(v)] for v in values], dtype=np.int64)


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
    # The arcs as an array (a tuple per arc would be a gigabyte on a national network).
    arcs = np.fromiter((index[x] for u, v in G.edges() if u != v for x in (u, v)),
                       dtype=np.int64).reshape(-1, 2)
    if not G.is_directed():
        arcs = np.concatenate([arcs, arcs[:, ::-1]])
    counts = np.zeros((n, len(BROKERAGE_ROLES)), dtype=np.int64)
    if len(arcs):
        arcs_array = np.unique(arcs, axis=0)
        del arcs
        heads, tails = arcs_array[:, 0], arcs_array[:, 1]
        out = sp.csr_matrix((np.ones(len(heads)), (heads, tails)), shape=(n, n))
        into = out.T.tocsr()
        keys = np.sort(heads * n + tails)
        group = _group_codes(G, groups)
        senders, receivers = np.diff(into.indptr), np.diff(out.indptr)
        work = np.where(group >= 0, senders * receivers, 0)
        for block in _blocks(work):
            _count_two_paths(block, into, out, keys, group, n, counts)
    table = pd.DataFrame(counts, index=pd.Index(nodes, name="actor"), columns=BROKERAGE_ROLES)
    table["total"] = table.sum(axis=1)
    return table


_PAIRS_PER_BLOCK = 2_000_000  # two-paths examined at once


def _blocks(work: np.ndarray) -> list[np.ndarray]:
    """Brokers with two-paths to examine, in blocks of about `_PAIRS_PER_BLOCK` two-paths
    (a broker with more is a block of its own)."""
    brokers = np.flatnonzero(work > 0)
    ends = np.cumsum(work[brokers])
    cuts = np.searchsorted(ends, np.arange(_PAIRS_PER_BLOCK, ends[-1] if len(ends) else 0,
                                           _PAIRS_PER_BLOCK), side="right")
    return [block for block in np.split(brokers, np.unique(cuts)) if len(block)]


def _count_two_paths(block: np.ndarray, into: sp.csr_matrix, out: sp.csr_matrix,
                     keys: np.ndarray, group: np.ndarray, n: int, counts: np.ndarray) -> None:
    """Add the brokerage roles of the brokers in `block`: every pair (sender a, receiver c)
    of each broker b, column-wise, kept when a != c, no arc a -> c and both have a group."""
    senders = np.diff(into.indptr)[block]
    receivers = np.diff(out.indptr)[block]
    pairs = senders * receivers
    broker = np.repeat(block, pairs)
    offset = np.arange(pairs.sum()) - np.repeat(np.cumsum(pairs) - pairs, pairs)
    width = np.repeat(receivers, pairs)
    a = into.indices[into.indptr[broker] + offset // width]
    c = out.indices[out.indptr[broker] + offset % width]
    query = a * n + c
    position = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    ga, gb, gc = group[a], group[broker], group[c]
    keep = (a != c) & (keys[position] != query) & (ga >= 0) & (gc >= 0)
    ga, gb, gc = ga[keep], gb[keep], gc[keep]
    local = np.repeat(np.arange(len(block)), pairs)[keep]
    roles = np.stack([(ga == gb) & (gc == gb), (ga == gc) & (ga != gb),
                      (gc == gb) & (ga != gb), (ga == gb) & (gc != gb),
                      (ga != gb) & (gc != gb) & (ga != gc)], axis=1)
    for column in range(len(BROKERAGE_ROLES)):
        counts[block, column] += np.bincount(local[roles[:, column]], minlength=len(block))


def cross_border_ties(G: nx.Graph, attr: str = "base_country", value: str = "ties") -> pd.DataFrame:
    """Country × country matrix of ties (value="ties") or summed weights (value="weight")
    between actors based in different countries; the diagonal is 0. Symmetric for an
    undirected graph; rows are the source's country for a directed one."""
    if value not in ("ties", "weight"):
        raise ValueError("value must be 'ties' or 'weight'")
    country = {v: d.get(attr) for v, d in G.nodes(data=True)}
    present = sorted({str(c) for c in country.values() if not missing(c)})
    rows = [(country[u], country[v], 1.0 if missing(w) else float(w))
            for u, v, w in G.edges(data="weight", default=1.0)
            if not missing(country[u]) and not missing(country[v])
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
