"""Network drawings: force-directed maps of actors, ego networks, ties on a map, disruption
curves and centralization by phase. No titles: captions come from the caller.

Drawings are reproducible: the graph is put in a canonical order (nodes and ties sorted)
before a layout with a fixed seed, so the same network gives byte-identical figures in any
process, whatever order the file listed it in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from analysis.core import reference
from analysis.core.i18n import t
from analysis.diagnostic.network import scale
from analysis.diagnostic.network.build import igraph_view, missing, undirected_view
from analysis.diagnostic.network.communities import communities

_NEUTRAL = "#b0b0b0"


def _palette(count: int) -> list:
    colors = list(plt.colormaps["tab10"].colors)
    if count > 10:
        colors = list(plt.colormaps["tab20"].colors)
    return colors[:count]


def canonical(H: nx.Graph) -> nx.Graph:
    """The same undirected graph with nodes and ties in sorted order, so that a seeded layout
    does not depend on the order a file listed them in or on a set's hash-seeded order."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(H, key=_node_key))
    ordered.add_edges_from(sorted((tuple(sorted((u, v), key=_node_key)) for u, v in H.edges()),
                                  key=lambda e: (_node_key(e[0]), _node_key(e[1]))))
    return ordered


def _node_key(node) -> tuple[str, str]:
    return type(node).__name__, str(node)


def drawn_view(G: nx.Graph, max_nodes: int = scale.DRAW_LIMIT) -> list:
    """The actors a network map shows: all of them up to `max_nodes`, else the largest
    component's `max_nodes` actors of highest degree (ties: the node's sort key). Found on the
    igraph view, so a network of a million actors is never copied to be drawn."""
    if G.number_of_nodes() <= max_nodes:
        return list(G)
    g, nodes = igraph_view(G)
    membership = np.asarray(g.connected_components().membership)
    sizes = np.bincount(membership)
    biggest = np.flatnonzero(sizes == sizes.max())
    if len(biggest) > 1:  # equal sizes: the component holding the first actor by sort key
        first = {}
        for i in np.flatnonzero(np.isin(membership, biggest)):
            key = _node_key(nodes[i])
            if membership[i] not in first or key < first[membership[i]]:
                first[membership[i]] = key
        chosen = min(first, key=first.get)
    else:
        chosen = biggest[0]
    degree = np.asarray(g.degree())
    members = np.flatnonzero(membership == chosen)
    ranked = sorted(members.tolist(), key=lambda i: (-degree[i], _node_key(nodes[i])))
    return [nodes[i] for i in ranked[:max_nodes]]


def _plot_subgraph(G: nx.Graph, max_nodes: int, view: list | None = None) -> nx.Graph:
    """The graph to draw, in canonical order: the actors of `view` (default
    `drawn_view(G, max_nodes)`) and the ties among them."""
    shown = drawn_view(G, max_nodes) if view is None else view
    return canonical(undirected_view(G.subgraph(shown)))


_CODE_LISTS = {"role": "actor_role", "route_stage": "route_stage", "base_country": "country",
               "nationality": "country"}


def _categories(G: nx.Graph, nodes: list, color_by: str | Mapping, seed: int,
                lang: str) -> tuple[dict, list[tuple[Any, str]]]:
    """node → category key, and the legend as [(key, label)] in display order."""
    if isinstance(color_by, pd.Series):
        color_by = color_by.to_dict()
    if isinstance(color_by, Mapping):
        values = {v: color_by.get(v) for v in nodes}
    elif color_by == "community":
        color_by = communities(G, seed=seed).membership.to_dict()
        values = {v: color_by.get(v) for v in nodes}
    else:
        values = {v: G.nodes[v].get(color_by) if v in G else None for v in nodes}
    keys = {v: None if missing(x) else x for v, x in values.items()}
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
                 labels: Mapping | None = None, ax=None, seed: int = 42,
                 max_nodes: int = scale.DRAW_LIMIT, lang: str = "en",
                 view: list | None = None):
    """Force-directed drawing (spring layout, fixed seed). Large graphs: the largest
    component's `max_nodes` actors of highest degree (`drawn_view`; pass it as `view` to
    reuse it, and to say in the caption what is shown). `color_by`: a node attribute ("role",
    "route_stage", "base_country"), "community" (Leiden on G: pass `communities(G).membership`
    instead to reuse a partition), or a mapping actor → category. `size_by`:
    a mapping or Series actor → value (e.g. a centrality column). `labels`: actor → text
    (roles or pseudonyms only), default none."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 8))
    H = _plot_subgraph(G, max_nodes, view)
    pos = _spring_layout(H, seed) if len(H) else {}
    _draw(H, G, pos, ax, color_by, size_by, labels, seed, lang)
    return ax


_LAYOUTS: dict[tuple, dict] = {}  # (actors, ties, seed) → positions, the last few drawn
_LAYOUTS_KEPT = 4


def _spring_layout(H: nx.Graph, seed: int) -> dict:
    """`nx.spring_layout(H, seed=seed, weight=None)`, computed once for the same actors and
    ties in the same order: the maps of one network (by role, by community) share it."""
    key = (tuple(H), tuple(H.edges()), seed)
    if key not in _LAYOUTS:
        if len(_LAYOUTS) >= _LAYOUTS_KEPT:
            _LAYOUTS.clear()
        _LAYOUTS[key] = nx.spring_layout(H, seed=seed, weight=None)
    return {node: xy.copy() for node, xy in _LAYOUTS[key].items()}


def plot_ego(G: nx.Graph, node, radius: int = 1, ax=None, color_by: str | Mapping = "role",
             labels: Mapping | None = None, seed: int = 42, lang: str = "en"):
    """The actor's neighbourhood up to `radius` steps; the actor outlined in black."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6))
    undirected = G.to_undirected(as_view=True) if G.is_directed() else G
    near = nx.single_source_shortest_path_length(undirected, node, cutoff=radius)
    H = canonical(undirected_view(G.subgraph(near)))
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
    ties = G.edges() if not G.is_directed() else {
        tuple(sorted((u, v), key=_node_key)) for u, v in G.edges()}  # arcs both ways: one tie
    for u, v in ties:
        if u == v:
            continue
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


def plot_phases(phases: pd.DataFrame, ax=None, lang: str = "en"):
    """Degree centralization by investigation phase (a `phase_centralization` table)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.8))
    ax.plot(phases["phase"], phases["centralization"], marker="o")
    ax.set_xlabel(t("networks.phase", lang))
    ax.set_ylabel(t(phases.attrs.get("label_key", "network.centralization"), lang))
    ax.set_xticks(phases["phase"])
    return ax
