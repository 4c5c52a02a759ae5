"""Disruption: remove actors step by step and follow the structure; key players (KPP-Neg)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from analysis.diagnostic.network import scale
from analysis.diagnostic.network.build import igraph_view, missing
from analysis.diagnostic.network.measures import (
    component_samples,
    igraph_betweenness,
)

STRATEGIES = ("degree", "betweenness", "role", "random")


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
    betweenness: pd.Series | None = None,
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

    Components are weak components for a directed network (a tie in either direction keeps
    two actors together); degree counts distinct neighbours and betweenness follows the arcs,
    as in `measures.centrality`. `betweenness` (actor → score, e.g. the column of
    `measures.centrality(G)`) ranks the actors without measuring it again (not with
    `recompute`).
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}")
    g, nodes = igraph_view(G)
    paths, _ = igraph_view(G, directed=True)
    n = len(nodes)
    if isinstance(per_step, float) and 0 < per_step < 1:
        count = max(1, round(per_step * n))
    else:
        count = int(per_step)
    if count < 1:
        raise ValueError("per_step must be a positive count or a fraction between 0 and 1")
    stages = _StageTracker(G, nodes, stage_attr)
    removed = np.zeros(n, dtype=bool)
    scores = None if betweenness is None else betweenness.reindex(nodes).to_numpy(dtype=float)
    order = None if recompute else _removal_order(g, paths, G, nodes, strategy, seed,
                                                  role_order, sample, scores)
    edges = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    rows = [_disruption_row(edges, removed, stages, 0, [], nodes)]
    pointer = 0
    for step in range(1, steps + 1):
        alive = np.flatnonzero(~removed)
        if len(alive) == 0:
            break
        if order is not None:
            chosen = order[pointer:pointer + count]
            pointer += count
        else:
            sub, sub_paths = (graph.induced_subgraph(alive.tolist()) for graph in (g, paths))
            sub_nodes = [nodes[i] for i in alive]
            ranked = _removal_order(sub, sub_paths, G, sub_nodes, strategy, seed + step,
                                    role_order, sample)
            chosen = alive[ranked[:count]]
        removed[chosen] = True
        rows.append(_disruption_row(edges, removed, stages, step, chosen, nodes))
    return pd.DataFrame(rows)


class _StageTracker:
    """Which pairs of route stages some component still joins."""

    def __init__(self, G: nx.Graph, nodes: list, attr: str) -> None:
        values = [G.nodes[v].get(attr) for v in nodes]
        self.present = sorted({str(v) for v in values if not missing(v)})
        code = {stage: i for i, stage in enumerate(self.present)}
        self.codes = np.asarray([-1 if missing(v) else code[str(v)] for v in values])
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


def _disruption_row(edges: np.ndarray, removed: np.ndarray, stages: _StageTracker, step: int,
                    chosen: Sequence[int], nodes: list) -> dict:
    """What is left after a step: components of the remaining actors over the ties (`edges`,
    the undirected view's) between them."""
    n = len(removed)
    alive = np.flatnonzero(~removed)
    kept = edges[~removed[edges[:, 0]] & ~removed[edges[:, 1]]]
    _, labels = connected_components(sp.csr_matrix(
        (np.ones(len(kept)), (kept[:, 0], kept[:, 1])), shape=(n, n)), directed=False)
    membership = np.unique(labels[alive], return_inverse=True)[1].astype(int)
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


def _removal_order(g: ig.Graph, paths: ig.Graph, G: nx.Graph, nodes: list, strategy: str,
                   seed: int, role_order: Sequence[str] | None,
                   sample: int | str | None, betweenness: np.ndarray | None = None) -> np.ndarray:
    """Vertex positions of g, first to remove first (ties: earlier actor first); g is the
    undirected view, `paths` the graph betweenness follows (the arcs of a directed network);
    `betweenness`, when given, the scores already measured (in g's order)."""
    n = g.vcount()
    if strategy == "random":
        return np.random.default_rng(seed).permutation(n)
    degree = np.asarray(g.degree(), dtype=float)
    if strategy == "degree":
        return np.argsort(-degree, kind="stable")
    if strategy == "betweenness":
        if betweenness is None:
            membership = np.asarray(g.connected_components().membership)
            sizes = np.bincount(membership)
            k = scale.sources(n, paths.ecount(), sample)
            betweenness = igraph_betweenness(paths, membership, sizes,
                                             component_samples(membership, sizes, k, seed))
        return np.lexsort((-degree, -np.asarray(betweenness, dtype=float)))
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
    return _fragmentation((sizes * (sizes - 1)).sum(), sizes.sum())


def _fragmentation(joined_pairs: float, n: float) -> float:
    """F from the ordered pairs that still reach each other and the actors left."""
    if n < 2:
        return 1.0
    return float(1 - float(joined_pairs) / (float(n) * (float(n) - 1)))


class _PoolFragmentation:
    """Fragmentation after removing some of the `pool` actors, exact and fast: the components
    the other actors form without the pool are found once and become single weighted nodes,
    so each evaluation walks only the ties that touch the pool, not the whole network."""

    def __init__(self, edges: np.ndarray, n: int, pool: Sequence[int]) -> None:
        pool = np.asarray(pool, dtype=np.int64)
        in_pool = np.zeros(n, dtype=bool)
        in_pool[pool] = True
        inside = in_pool[edges[:, 0]] | in_pool[edges[:, 1]]
        outside = edges[~inside]
        _, labels = connected_components(sp.csr_matrix(
            (np.ones(len(outside)), (outside[:, 0], outside[:, 1])), shape=(n, n)),
            directed=False)
        sizes = np.bincount(labels[~in_pool], minlength=labels.max() + 1 if n else 0)
        touching = edges[inside].ravel()
        touched = np.unique(labels[touching[~in_pool[touching]]])
        self.slot = np.full(n, -1, dtype=np.int64)  # contracted node of each actor
        self.slot[pool] = np.arange(len(pool))
        outer = np.full(len(sizes), -1, dtype=np.int64)
        outer[touched] = len(pool) + np.arange(len(touched))
        self.slot[~in_pool] = outer[labels[~in_pool]]
        self.weights = np.concatenate([np.ones(len(pool), dtype=np.int64),
                                       sizes[touched].astype(np.int64)])
        untouched = np.ones(len(sizes), dtype=bool)
        untouched[touched] = False
        self.constant = int((sizes[untouched] * (sizes[untouched] - 1)).sum())
        ends = self.slot[edges[inside]]
        self.ends = np.unique(ends, axis=0) if len(ends) else ends.reshape(-1, 2)
        self.n = n

    def __call__(self, chosen: Iterable[int]) -> float:
        chosen = list(chosen)
        alive = np.ones(len(self.weights), dtype=bool)
        alive[self.slot[chosen]] = False
        kept = self.ends[alive[self.ends[:, 0]] & alive[self.ends[:, 1]]]
        size = len(self.weights)
        _, labels = connected_components(sp.csr_matrix(
            (np.ones(len(kept)), (kept[:, 0], kept[:, 1])), shape=(size, size)), directed=False)
        merged = np.bincount(labels[alive], weights=self.weights[alive]).astype(np.int64)
        joined = self.constant + int((merged * (merged - 1)).sum())
        return _fragmentation(joined, self.n - len(set(chosen)))


def key_players(G: nx.Graph, k: int, seed: int = 0, candidates: Sequence | None = None,
                pool: int = scale.KEY_PLAYER_POOL, restarts: int | None = None,
                max_rounds: int = 50, sample: int | str | None = "auto",
                betweenness: pd.Series | None = None) -> KeyPlayers:
    """KPP-Neg (Borgatti 2006): k actors whose removal fragments the network most.

    Maximises fragmentation F of the remaining actors (over weak components for a directed
    network): a greedy start, then best-improvement swaps until none helps (at most
    `max_rounds`); repeated from `restarts` random starts (fixed `seed`; default 5, or 1 on
    graphs past `scale.KEY_PLAYER_ALL_CANDIDATES` actors) and the best set kept. Candidates:
    every actor up to `scale.KEY_PLAYER_ALL_CANDIDATES` actors, else the top `pool` by
    betweenness plus the top `pool` by degree (betweenness sampled with `seed` on large
    graphs, or the scores given in `betweenness`). Each evaluation sees the network contracted
    around the candidates (`_PoolFragmentation`), so its cost follows the candidates' ties,
    not the size of the network. Deterministic.
    """
    g, nodes = igraph_view(G)
    paths, _ = igraph_view(G, directed=True)
    n = len(nodes)
    position = {node: i for i, node in enumerate(nodes)}
    scores = None if betweenness is None else betweenness.reindex(nodes).to_numpy(dtype=float)
    if candidates is not None:
        pool_ids = [position[c] for c in candidates]
    else:
        by_betweenness = _removal_order(g, paths, G, nodes, "betweenness", seed, None, sample,
                                        scores)
        if n <= scale.KEY_PLAYER_ALL_CANDIDATES:
            pool_ids = by_betweenness.tolist()
        else:
            by_degree = _removal_order(g, paths, G, nodes, "degree", seed, None, sample)
            pool_ids = list(dict.fromkeys([*by_betweenness[:pool], *by_degree[:pool]]))
    edges = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    score = _PoolFragmentation(edges, n, pool_ids)

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
        restarts = 5 if n <= scale.KEY_PLAYER_ALL_CANDIDATES else 1
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
