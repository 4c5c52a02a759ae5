"""Charts shared by the reports: bars, stacked bars, lines by year, heatmaps of counts, intervals,
the population pyramid and the legal funnel.

Each function draws one figure from a ready table (labels already in the run's language) and
returns it; the notebook helper saves, shows and closes it. `num` formats a number for the
run's language (pass `report.num`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

Formatter = Callable[[float], str]


def number_axis(axis, num: Formatter, size: bool = False) -> None:
    """Tick labels in the run's number format (1.234 / 1,234); `size`: negative ticks (the
    left side of a pyramid) are shown as their size."""
    shown = abs if size else (lambda value: value)
    axis.set_major_formatter(FuncFormatter(lambda value, _: num(shown(value))))


def stacked(ax, table: pd.DataFrame, colours: Mapping, label: Callable[[str], str],
            horizontal: bool = False) -> None:
    """Stacked bars on `ax`: one bar per row of `table`, one segment per column."""
    base = [0.0] * len(table)
    for column in table.columns:
        values = list(table[column])
        if horizontal:
            ax.barh(list(table.index), values, left=base, color=colours[column],
                    label=label(column))
        else:
            ax.bar(list(table.index), values, bottom=base, color=colours[column],
                   label=label(column))
        base = [b + v for b, v in zip(base, values, strict=True)]
    if horizontal:
        ax.invert_yaxis()
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)


def stacked_years(table: pd.DataFrame, colours: Mapping, label: Callable[[str], str],
                  x_label: str, y_label: str, legend_title: str, figsize=(8, 4.2),
                  legend_outside: bool = False):
    """Stacked bars by year (the index), one segment per column, legend titled."""
    fig, ax = plt.subplots(figsize=figsize)
    stacked(ax, table.set_axis([str(y) for y in table.index]), colours, label)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    if legend_outside:
        ax.legend(title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.legend(title=legend_title)
    return fig


def count_bars(labels, values, rows: int, axis_label: str, num: Formatter):
    """Horizontal bars of counts, largest category first as given; `rows` sets the height
    (the rows of the published table, suppressed ones included)."""
    fig, ax = plt.subplots(figsize=(7, 0.4 * rows + 1.2))
    ax.barh(labels, values)
    ax.invert_yaxis()
    ax.set_xlabel(axis_label)
    number_axis(ax.xaxis, num)
    return fig


def intervals(labels, median, q1, q3, axis_label: str, num: Formatter):
    """Median (dot) and interquartile range (bar), one row per label."""
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(labels) + 1.2))
    y = np.arange(len(labels))
    ax.hlines(y, q1, q3, linewidth=4, alpha=0.5)
    ax.plot(median, y, "o")
    ax.set_yticks(y, list(labels))
    ax.invert_yaxis()
    ax.set_xlabel(axis_label)
    number_axis(ax.xaxis, num)
    return fig


def lines_by_year(values: pd.DataFrame, x_label: str, y_label: str, num: Formatter):
    """One line per column over the index (years), legend on the right."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for column in values.columns:
        ax.plot(values.index, values[column], marker="o", label=column)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_ylim(bottom=0)
    number_axis(ax.yaxis, num)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return fig


def named_lines(values: pd.DataFrame, names: Mapping, colours: list[str], x_label: str,
                y_label: str):
    """One coloured line per column over the years (the index), named by `names`."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for i, column in enumerate(values.columns):
        ax.plot(values.index, values[column], marker="o", linewidth=1.8,
                label=names[column], color=colours[i % len(colours)])
    ax.set_xticks(list(values.index), [str(y) for y in values.index])
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.14))
    return fig


def coverage_heatmap(table: pd.DataFrame, row_labels: list[str], colour_label: str):
    """Counts by row (countries) and column (years) as shades of blue, with a colour bar."""
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(table) + 1.5))
    image = ax.imshow(table.to_numpy(), aspect="auto", cmap="Blues")
    ax.set_xticks(range(len(table.columns)), [str(y) for y in table.columns])
    ax.set_yticks(range(len(table.index)), row_labels)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label=colour_label)
    return fig


def count_matrix(values: pd.DataFrame, x_label: str, colour_label: str, threshold: int,
                 num: Formatter):
    """A crosstab of counts as shades of blue with the count in each cell; suppressed cells
    (missing) read "<k"."""
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(values) + 2))
    image = ax.imshow(values.to_numpy(), aspect="auto", cmap="Blues")
    ax.set_xticks(range(values.shape[1]), list(values.columns), rotation=30, ha="right")
    ax.set_yticks(range(values.shape[0]), list(values.index))
    ax.grid(False)
    for (row, column), value in np.ndenumerate(values.to_numpy()):
        text = f"<{threshold}" if np.isnan(value) else num(value)
        ax.annotate(text, (column, row), ha="center", va="center", fontsize=8)
    ax.set_xlabel(x_label)
    fig.colorbar(image, ax=ax, label=colour_label)
    return fig


def funnel(labels, values: np.ndarray, num: Formatter):
    """Centred bars narrowing stage by stage, each with its count."""
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(values) + 1))
    widest = values.max() if len(values) else 0
    ax.barh(labels, values, left=(widest - values) / 2)
    ax.invert_yaxis()
    ax.set_xticks([])
    ax.grid(False)
    ax.spines["bottom"].set_visible(False)
    for y, v in enumerate(values):
        ax.annotate(num(v), (widest / 2, y), ha="center", va="center", color="white",
                    fontweight="bold")
    return fig


def pyramid(values: pd.DataFrame, axis_label: str, num: Formatter):
    """A population pyramid: the first column (women) to the left, the second to the right,
    one row per age band (the index)."""
    female, male = values.columns[:2]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    y = np.arange(len(values))
    ax.barh(y, -values[female].fillna(0), label=female)
    ax.barh(y, values[male].fillna(0), label=male)
    ax.set_yticks(y, list(values.index))
    ax.axvline(0, linewidth=0.8, color="0.3")
    widest = np.nanmax(values.to_numpy()) if values.notna().any().any() else 1
    ax.set_xlim(-1.1 * widest, 1.1 * widest)
    ax.set_xlabel(axis_label)
    number_axis(ax.xaxis, num, size=True)
    ax.legend(loc="upper right")
    return fig


def paired_bars(values: pd.DataFrame, columns: list[str], x_label: str, y_label: str,
                num: Formatter):
    """Two bars side by side per row of `values` (years), one per column named."""
    fig, ax = plt.subplots(figsize=(8, 4))
    x = np.arange(len(values))
    for i, column in enumerate(columns):
        ax.bar(x + (i - 0.5) * 0.4, values[column], width=0.4, label=column)
    ax.set_xticks(x, list(values.index))
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    number_axis(ax.yaxis, num)
    ax.legend()
    return fig


def share_panels(per_year: pd.DataFrame, per_group: pd.DataFrame, colours: Mapping,
                 label: Callable[[str], str], share_label: str, titles: tuple[str, str]):
    """Two panels of stacked shares: by year (columns, left) and by group (bars, right), one
    legend below for the categories present."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4.2), width_ratios=[1.2, 1],
                                      layout="constrained")
    stacked(left, per_year, colours, label)
    left.set_ylabel(share_label)
    stacked(right, per_group, colours, label, horizontal=True)
    right.set_xlabel(share_label)
    left.set_ylim(0, 1)
    right.set_xlim(0, 1)
    left.set_title(titles[0], fontsize=9.5)
    right.set_title(titles[1], fontsize=9.5)
    present = [c for c in colours if c in per_year.columns or c in per_group.columns]
    fig.legend([plt.Rectangle((0, 0), 1, 1, color=colours[c]) for c in present],
               [label(c) for c in present], loc="outside lower center", ncols=4)
    return fig
