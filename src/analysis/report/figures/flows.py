"""Figures of the official flow statistics: the corridor's stages compared month by month,
nationalities by year, children, returns; and the headline block of the run's index.

Every figure compares series on one axis (lines), never stacks or adds them: the stages count
many of the same people again, and Mexico counts events. Labels come from the catalogs
(`flows.*`) in the run's language.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from analysis.core import i18n, reference
from analysis.diagnostic import flows as diagnostic

STAGE_COLOURS = {"darien": "#38761d", "honduras": "#0b5394", "mexico": "#a61c00",
                 "us_border": "#674ea7"}
SERIES_COLOURS = ("#0b5394", "#e69138", "#38761d", "#a61c00", "#674ea7", "#45818e",
                  "#999999")
DASHED_UNIT = "events"  # series that count events are dashed, persons solid


def stage_label(stage: str, lang: str) -> str:
    return i18n.t(f"flows.stage_{stage}", lang)


def _thousands(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda value, _: i18n.fmt_number(value, lang))


def _month_axis(ax, periods: list[str]) -> None:
    years = sorted({p[:4] for p in periods})
    ticks = [periods.index(f"{y}-01") for y in years if f"{y}-01" in periods]
    ax.set_xticks(ticks, [periods[i][:4] for i in ticks])
    ax.set_xlim(-0.5, len(periods) - 0.5)


def stages_figure(monthly: pd.DataFrame, lang: str):
    """The stages month by month, one line each on one axis: compared, never added."""
    fig, ax = plt.subplots(figsize=(9, 4.4))
    periods = list(monthly.index)
    units = {s.code: s.unit for s in diagnostic.STAGES}
    for stage in monthly.columns:
        values = monthly[stage]
        ax.plot(range(len(periods)), values.to_numpy(dtype=float), linewidth=1.8,
                color=STAGE_COLOURS.get(stage, "#333333"),
                linestyle="--" if units.get(stage) == DASHED_UNIT else "-",
                label=f"{stage_label(stage, lang)}: {i18n.t(f'flows.unit_{units[stage]}', lang)}")
    _month_axis(ax, periods)
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(i18n.t("flows.axis_per_month", lang))
    ax.legend(loc="upper left", fontsize=8)
    return fig


def nationalities_figure(tables: dict[str, pd.DataFrame], lang: str):
    """Per stage, the share of its main nationalities year by year (one panel per stage)."""
    stages = [s for s, t in tables.items() if len(t)]
    columns = 2 if len(stages) > 1 else 1
    rows = (len(stages) + 1) // 2
    fig, axes = plt.subplots(rows, columns, figsize=(9, 3.2 * rows), squeeze=False,
                             layout="constrained")
    colours = nationality_colours(tables)
    for ax, stage in zip(axes.flat, stages, strict=False):
        table = tables[stage].pivot(index="year", columns="nationality", values="share")
        order = list(dict.fromkeys(tables[stage]["nationality"]))
        other = diagnostic.OTHER_NATIONALITY
        for code in sorted(table.columns, key=lambda c: (c == other, order.index(c))):
            name = (i18n.t("flows.other_nationalities", lang) if code == other
                    else reference.label("country", code, lang))
            ax.plot([str(y) for y in table.index], table[code].to_numpy(dtype=float),
                    marker="o", markersize=3, linewidth=1.4, label=name, color=colours[code],
                    linestyle=":" if code == other else "-")
        ax.set_title(stage_label(stage, lang), fontsize=9.5)
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda value, _: i18n.fmt_percent(value, lang, 0)))
        ax.set_ylim(0, 1)
        ax.tick_params(axis="x", labelsize=7, rotation=45)
        ax.legend(fontsize=6.5, loc="upper left")
    for ax in list(axes.flat)[len(stages):]:
        ax.set_visible(False)
    return fig


NATIONALITY_COLOURS = ("#0b5394", "#e69138", "#38761d", "#a61c00", "#674ea7", "#45818e",
                       "#bf9000", "#c27ba0", "#134f5c", "#783f04", "#6aa84f", "#3d85c6")
OTHER_COLOUR = "#999999"


def nationality_colours(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """One colour per nationality across every panel (by total, largest first); other: grey."""
    totals = pd.concat(tables.values()).groupby("nationality")["count"].sum()
    ranked = totals.drop(diagnostic.OTHER_NATIONALITY, errors="ignore").sort_values(
        ascending=False, kind="stable").index
    colours = {code: NATIONALITY_COLOURS[i % len(NATIONALITY_COLOURS)]
               for i, code in enumerate(sorted(ranked, key=list(ranked).index))}
    colours[diagnostic.OTHER_NATIONALITY] = OTHER_COLOUR
    return colours


def children_figure(children: pd.DataFrame, lang: str):
    """Children counted per statistic and year, lines (unaccompanied dashed)."""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    series = children.groupby(["reporting_country", "event"], sort=True)
    for i, ((country, event), rows) in enumerate(series):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        name = statistic_label(country, event, lang)
        years = [str(y) for y in rows["year"]]
        ax.plot(years, rows["children"].to_numpy(dtype=float), marker="o", markersize=3,
                color=colour, label=name)
        if rows["unaccompanied"].sum() > 0:
            ax.plot(years, rows["unaccompanied"].to_numpy(dtype=float), linestyle="--",
                    color=colour, linewidth=1.2,
                    label=f"{name}: {i18n.t('flows.unaccompanied_short', lang)}")
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(i18n.t("flows.axis_children", lang))
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def returns_figure(monthly: pd.DataFrame, lang: str):
    """Returns month by month: received by Guatemala (by the returning country) and carried
    out by Mexico (by kind), one line each."""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    periods = list(monthly.index)
    for i, series in enumerate(monthly.columns):
        ax.plot(range(len(periods)), monthly[series].to_numpy(dtype=float), linewidth=1.5,
                color=SERIES_COLOURS[i % len(SERIES_COLOURS)], label=series_label(series, lang))
    _month_axis(ax, periods)
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(i18n.t("flows.axis_per_month", lang))
    ax.legend(fontsize=7.5, loc="upper left")
    return fig


def statistic_label(country: str, event: str, lang: str) -> str:
    return (f"{reference.label('country', country, lang)}: "
            f"{reference.label('flow_event', event, lang).lower()}")


def series_label(series: str, lang: str) -> str:
    """'GTM:return_received:USA' → 'Guatemala: return received from the United States'."""
    country, event, counterpart = series.split(":")
    label = statistic_label(country, event, lang)
    if event == "return_received":
        source = (reference.label("country", counterpart, lang) if counterpart
                  else i18n.t("flows.counterpart_unknown", lang))
        return i18n.t("flows.returned_from", lang, label=label, country=source)
    return label


def headline_lines(flows: pd.DataFrame, lang: str) -> list[str]:
    """The run's headline figures (last complete year of each stage), one plain line each, for
    the index page; empty when the run has no official flow statistics."""
    if flows is None or flows.empty:
        return []
    heads = diagnostic.headline(flows)
    t = lambda key, **kw: i18n.t(f"flows.{key}", lang, **kw)  # noqa: E731
    lines = []
    for row in heads.itertuples(index=False):
        change = ("" if row.change is None or pd.isna(row.change) else
                  " " + t("headline_change", change=("+" if row.change > 0 else "")
                          + i18n.fmt_percent(row.change, lang, 0),
                          previous=row.year - 1))
        lines.append(t("headline_item", stage=stage_label(row.stage, lang), year=row.year,
                       count=i18n.fmt_number(row.count, lang),
                       unit=i18n.t(f"flows.unit_{row.unit}", lang)) + change)
    return lines
