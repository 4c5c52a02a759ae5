"""Communities: modularity partitions (Leiden or Louvain) with a fixed seed."""

from __future__ import annotations

import random
from typing import NamedTuple

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from analysis.diagnostic.network import scale
from analysis.diagnostic.network.build import igraph_view, undirected_view


class Communities(NamedTuple):
    membership: pd.Series  # actor → community id, 0 = the largest community
    modularity: float


def communities(G: nx.Graph, seed: int = 42, method: str = "leiden") -> Communities:
    """Modularity communities of the weighted undirected view: Leiden (leidenalg; igraph's own
    past `scale.LEIDEN_PACKAGE_LIMIT` actors) or Louvain (networkx), with a fixed seed. Ids
    are ordered by size (0 = largest; ties: first actor)."""
    g, nodes = igraph_view(G)
    if g.ecount() == 0:
        labels = np.arange(len(nodes))
    elif method == "leiden" and g.vcount() > scale.LEIDEN_PACKAGE_LIMIT:
        labels = _igraph_leiden(g, seed)
    elif method == "leiden":
        import leidenalg

        partition = leidenalg.find_partition(
            g, leidenalg.ModularityVertexPartition, weights="weight", seed=seed
        )
        labels = np.asarray(partition.membership)
    elif method == "louvain":
        found = nx.community.louvain_communities(undirected_view(G), weight="weight", seed=seed)
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


def _igraph_leiden(g: ig.Graph, seed: int) -> np.ndarray:
    """Leiden for modularity in igraph's own implementation (several times faster than the
    leidenalg package on a network of a million actors), from a generator seeded with
    `seed` and put back afterwards."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        found = g.community_leiden(objective_function="modularity", weights="weight",
                                   n_iterations=2)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(found.membership)


def _relabel_by_size(labels: np.ndarray) -> np.ndarray:
    if len(labels) == 0:
        return labels.astype(int)
    unique, first, counts = np.unique(labels, return_index=True, return_counts=True)
    ranking = sorted(range(len(unique)), key=lambda i: (-counts[i], first[i]))
    new = np.empty(len(unique), dtype=int)
    new[ranking] = np.arange(len(unique))
    return new[np.searchsorted(unique, labels)]
