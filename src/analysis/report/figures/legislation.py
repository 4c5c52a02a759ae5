"""Figures of the legislation report: the country × criterion heatmap, the scores with their
coverage, and the maximum penalties against the serious-crime line."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from analysis.core import i18n, reference
from analysis.diagnostic import legislation

FIGURE_COLOURS = {"yes": "#38761d", "partial": "#e6a83a", "no": "#a61c00", "no_data": "#e3e6ea"}
SCORE_COLOUR = "#0b5394"
BELOW_LINE_COLOUR = "#a61c00"
LINE_COLOUR = "#e69138"


def heatmap(cells: pd.DataFrame, lang: str):
    """The matrix as a coloured grid (a figure): symbols in the cells, years for the penalty,
    a line between axes and a legend below."""
    fig, ax = plt.subplots(figsize=(8.5, 0.3 * len(legislation.criteria()) + 1.6))
    draw_heatmap(ax, cells, lang)
    return fig


def draw_heatmap(ax, cells: pd.DataFrame, lang: str) -> None:
    """The matrix as a coloured grid on `ax`."""
    levels = legislation.level_matrix(cells)
    codes = levels.apply(lambda col: col.map({"no": 0.0, "partial": 1.0, "yes": 2.0}))
    cmap = ListedColormap([FIGURE_COLOURS[k] for k in ("no", "partial", "yes")])
    cmap.set_bad(FIGURE_COLOURS["no_data"])
    ax.imshow(np.ma.masked_invalid(codes.to_numpy(dtype=float)), aspect="auto", cmap=cmap,
              vmin=0, vmax=2, interpolation="nearest")
    penalty = cells.set_index(["criterion_id", "country"])["value"]
    for i, criterion in enumerate(codes.index):
        for j, country in enumerate(codes.columns):
            level = levels.iat[i, j]
            text = (penalty.get((criterion, country), "") if criterion == legislation.PENALTY
                    else legislation.SYMBOLS[level])
            ax.text(j, i, text, ha="center", va="center", fontsize=7.5,
                    color="#1f2a33" if level in ("no_data", "partial") else "white")
    ax.set_xticks(range(len(codes.columns)), list(codes.columns))
    ax.set_yticks(range(len(codes.index)),
                  [reference.label("criterion", c, lang) for c in codes.index], fontsize=7.5)
    ax.xaxis.tick_top()
    ax.grid(False)
    ax.set_xticks(np.arange(-0.5, len(codes.columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(codes.index)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    for boundary in legislation.axis_boundaries():
        ax.axhline(boundary - 0.5, color="#1f2a33", linewidth=1.4)
    ax.legend(handles=[Patch(color=FIGURE_COLOURS[k],
                             label=i18n.t(f"legislation.legend_{k}", lang))
                       for k in ("yes", "partial", "no", "no_data")],
              loc="upper center", bbox_to_anchor=(0.35, -0.01), ncol=4)


def _value_axis(ax) -> None:
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_axisbelow(True)


def scores(by_country: pd.DataFrame, lang: str):
    """One bar per country (lowest score first), each labelled with its coverage."""
    ranked = by_country.sort_values(["score", "coverage"], na_position="first")
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(ranked) + 1.2))
    y = range(len(ranked))
    ax.barh(y, ranked["score"].fillna(0), color=SCORE_COLOUR)
    for i, row in enumerate(ranked.itertuples()):
        label = i18n.t("legislation.coverage_label", lang,
                       coverage=i18n.fmt_percent(row.coverage, lang, 0))
        if np.isnan(row.score):
            label = i18n.t("legislation.no_score", lang)
        ax.text((0 if np.isnan(row.score) else row.score) + 0.01, i, label, va="center",
                fontsize=8)
    ax.set_yticks(list(y), [reference.label("country", c, lang) for c in ranked["country"]])
    ax.set_xlim(0, 1.3)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_xlabel(i18n.t("legislation.score_axis", lang))
    _value_axis(ax)
    return fig


def penalties(rows: pd.DataFrame, lang: str):
    """Maximum penalty in years by country, coloured by the serious-crime line (drawn)."""
    line = legislation.SERIOUS_CRIME_YEARS
    order = rows.sort_values("years", na_position="first")
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(order) + 1.2))
    y = range(len(order))
    ax.barh(y, order["years"].fillna(0), color=[SCORE_COLOUR if s else BELOW_LINE_COLOUR
                                                 for s in order["serious"]])
    for i, row in enumerate(order.itertuples()):
        text = (i18n.fmt_number(row.years, lang) if not np.isnan(row.years)
                else i18n.t("legislation.value_none", lang))
        ax.text((0 if np.isnan(row.years) else row.years) + 0.3, i, text, va="center",
                fontsize=8)
    ax.axvline(line, color=LINE_COLOUR, linestyle="--", linewidth=1.2)
    ax.text(line + 0.2, len(order) - 0.4, i18n.t("legislation.serious_line", lang),
            color=LINE_COLOUR, fontsize=8, va="bottom")
    ax.set_yticks(list(y), [reference.label("country", c, lang) for c in order["country"]])
    ax.set_xlabel(i18n.t("legislation.years_axis", lang))
    _value_axis(ax)
    return fig
