"""Figures of the Work Plan report: progress as shares by status, the completion timeline by
axis, and the graph of overlapping actions.

The overlap graph is drawn the same in every process: nodes in plan order, edges sorted, and
a layout computed from fixed starting positions (no randomness, no set order).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from analysis.core import i18n
from analysis.diagnostic import workplan

STATUS_COLOURS = {"completed": "#38761d", "in_progress": "#e69138", "not_started": "#a61c00",
                  "not_applicable": "#b7bec5", workplan.NO_REPORT: "#eceff1"}
AXIS_COLOURS = {1: "#0b5394", 2: "#e69138", 3: "#38761d", 4: "#a61c00"}
EDGE_COLOUR = "#8a949c"


def _percent_axis(axis, lang: str) -> None:
    axis.set_major_formatter(plt.FuncFormatter(lambda v, _: i18n.fmt_percent(v, lang, 0)))


def axis_names(lang: str) -> dict[int, str]:
    """'Eje 1: <title>' for every axis of the plan."""
    axes = workplan.axes()
    return {a: i18n.t("workplan.axis_label", lang, axis=a) + f": {title}"
            for a, title in zip(axes["axis"], axes[f"title_{lang}"], strict=True)}


def progress_shares(counts: pd.DataFrame, labels: list[str], lang: str, axis_label: str,
                    row_height: float, legend_offset: float):
    """One bar per row of `counts` (from workplan.progress), split into the shares of
    country × action pairs by status."""
    fig, ax = plt.subplots(figsize=(8, row_height * len(counts) + 1.4))
    left = np.zeros(len(counts))
    for status in workplan.ALL_STATUSES:
        share = (counts[status] / counts["total"]).to_numpy()
        ax.barh(labels, share, left=left, color=STATUS_COLOURS[status],
                label=workplan.status_label(status, lang), edgecolor="white", linewidth=0.6)
        left += share
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    _percent_axis(ax.xaxis, lang)
    ax.set_xlabel(axis_label)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, legend_offset), ncol=5)
    return fig


def timeline(steps: pd.DataFrame, years: list[int], lang: str):
    """Share of applicable pairs completed at each year-end, one line per axis."""
    names = axis_names(lang)
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for axis, group in steps.groupby("axis"):
        ax.plot(group["year"], group["share_completed"], marker="o", linewidth=2,
                color=AXIS_COLOURS.get(axis), label=names[axis])
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylim(0, 1)
    _percent_axis(ax.yaxis, lang)
    ax.set_xlabel(i18n.t("workplan.year_axis", lang))
    ax.set_ylabel(i18n.t("workplan.completed_axis", lang))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=1)
    return fig


def _ordered(graph: nx.Graph, nodes, order: dict[str, int]) -> nx.Graph:
    """A copy of the subgraph on `nodes` with nodes in plan order and edges sorted, so that
    nothing downstream depends on insertion or set order."""
    members = sorted(nodes, key=order.__getitem__)
    out = nx.Graph()
    out.add_nodes_from((n, graph.nodes[n]) for n in members)
    edges = sorted((tuple(sorted(e, key=order.__getitem__)) for e in graph.subgraph(members)
                    .edges), key=lambda e: (order[e[0]], order[e[1]]))
    out.add_edges_from(edges)
    return out


def overlap_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Fixed positions for the overlap figure: each group laid out on its own (Kamada-Kawai
    from a circle in plan order: deterministic), the largest on the left, the others stacked
    in a column on the right."""
    order = workplan.plan_order()
    groups = sorted(nx.connected_components(graph),
                    key=lambda c: (-len(c), min(order[a] for a in c)))
    positions: dict[str, tuple[float, float]] = {}
    column_x, column_y = 0.0, 0.0
    for index, members in enumerate(groups):
        sub = _ordered(graph, members, order)
        raw = nx.kamada_kawai_layout(sub, pos=nx.circular_layout(sub))
        size = math.sqrt(len(members))
        xs = [raw[n][0] for n in sub.nodes]
        ys = [raw[n][1] for n in sub.nodes]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        if index == 0:
            origin = (0.0, 0.0)
            column_x = size / 2 + 1.6
            column_y = size / 2
        else:
            origin = (column_x, column_y - size / 2)
            column_y -= size + 0.6
        for node in sub.nodes:
            x, y = raw[node]
            positions[node] = (round(origin[0] + (x - cx) / span * size, 9),
                               round(origin[1] + (y - cy) / span * size, 9))
    return positions


def overlaps(graph: nx.Graph, lang: str):
    """The actions that overlap, as a graph coloured by axis, with the axes in the legend."""
    ordered = _ordered(graph, graph.nodes, workplan.plan_order())
    positions = overlap_layout(ordered)
    fig, ax = plt.subplots(figsize=(8, 6))
    nodes = list(ordered.nodes)
    nx.draw_networkx_edges(ordered, positions, ax=ax, edgelist=list(ordered.edges),
                           edge_color=EDGE_COLOUR, width=1.2)
    nx.draw_networkx_nodes(ordered, positions, ax=ax, nodelist=nodes,
                           node_color=[AXIS_COLOURS[ordered.nodes[n]["axis"]] for n in nodes],
                           node_size=620, edgecolors="white", linewidths=1.2)
    nx.draw_networkx_labels(ordered, positions, ax=ax, labels={n: n for n in nodes},
                            font_size=8, font_color="white", font_weight="bold")
    names = axis_names(lang)
    ax.legend(handles=[Line2D([], [], marker="o", linestyle="", markersize=9,
                              color=AXIS_COLOURS[a], label=names[a]) for a in sorted(names)],
              loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=1)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.margins(0.08)
    return fig
