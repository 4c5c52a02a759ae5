"""The sections of the official statistics report (15_flows), and the official-flows blocks
of the routes report and the country brief.

Each function takes the notebook helper (`report`); a section without data says so in a
sentence. Numbers come from `analysis.diagnostic.flows`, drawings from
`analysis.report.figures.flows`; every table goes through `report.table` (small cells
suppressed), every figure through `report.figure` (numbered annex figure).
"""

from __future__ import annotations

import pandas as pd

from analysis.diagnostic import flows as diagnostic
from analysis.report.figures import flows as figures
from analysis.report.notebook import Report

CAUTIONS = ("caution_same_people", "caution_events", "caution_views", "caution_coverage",
            "caution_sources")


def load(report: Report) -> pd.DataFrame:
    """The run's official flow statistics (empty when its data folder has none)."""
    data = report.data
    flows = data.flows if data is not None and "flows" in data.tables else pd.DataFrame()
    return diagnostic.prepared(flows) if len(flows) else flows


def _count(report: Report, n) -> str:
    """A count for the narrative: a small count (below k, not zero) is not given exactly."""
    n = int(n)
    return report.num(n) if n == 0 or n >= report.min_cell_size else report.t(
        "flows.fewer_than", k=report.min_cell_size)


def _present(report: Report, flows: pd.DataFrame) -> bool:
    if flows is None or flows.empty:
        report.notice("flows.no_flows")
        return False
    return True


def intro(report: Report) -> None:
    report.title("flows.title")
    report.say("flows.intro", k=report.min_cell_size)


def _stage_name(report: Report, stage: str) -> str:
    return figures.stage_label(stage, report.lang)


def _unit(report: Report, unit: str) -> str:
    return report.t(f"flows.unit_{unit}")


def stages(report: Report, flows: pd.DataFrame) -> None:
    """The corridor stage by stage, month by month, on one comparing figure."""
    if not _present(report, flows):
        return
    monthly = diagnostic.monthly_by_stage(flows)
    if monthly.empty:
        report.notice("flows.no_stage")
        return
    report.say("flows.stages_text", n=len(monthly.columns), first=monthly.index[0],
               last=monthly.index[-1])
    for row in diagnostic.headline(flows).itertuples(index=False):
        report.say("flows.stage_year", stage=_stage_name(report, row.stage), year=row.year,
                   count=report.num(row.count), unit=_unit(report, row.unit))
    report.figure(figures.stages_figure(monthly, report.lang), "stages_monthly",
                  "flows.fig_stages")
    yearly = diagnostic.yearly_by_stage(flows)
    table = yearly.pivot(index="stage", columns="year", values="count")
    table = table.loc[[s.code for s in diagnostic.STAGES if s.code in table.index]]
    table.columns = [str(c) for c in table.columns]
    years = list(table.columns)
    table = table.reset_index()
    table.insert(1, "unit", [_unit(report, {s.code: s.unit for s in diagnostic.STAGES}[c])
                             for c in table["stage"]])
    table["stage"] = [_stage_name(report, s) for s in table["stage"]]
    table = table.rename(columns={"stage": report.t("flows.col_stage"),
                                  "unit": report.t("flows.col_unit")})
    report.table(table, "stages_yearly", "flows.tab_stages", counts=years)
    report.say("flows.partial_years")


def nationalities(report: Report, flows: pd.DataFrame) -> None:
    """The main nationalities at each stage and how they shift from year to year."""
    if not _present(report, flows):
        return
    tables = {s.code: diagnostic.top_nationalities(flows, s) for s in diagnostic.STAGES}
    tables = {code: t for code, t in tables.items() if len(t)}
    if not tables:
        report.notice("flows.no_nationality")
        return
    for stage in diagnostic.STAGES:
        leaders = diagnostic.leading_nationality(flows, stage)
        if leaders.empty:
            continue
        first, last = leaders.iloc[0], leaders.iloc[-1]
        report.say("flows.nationality_text", stage=_stage_name(report, stage.code),
                   first_year=int(first["year"]),
                   first=report.label("country", first["nationality"]),
                   first_share=report.pct(first["share"], 0), last_year=int(last["year"]),
                   last=report.label("country", last["nationality"]),
                   last_share=report.pct(last["share"], 0))
    report.figure(figures.nationalities_figure(tables, report.lang), "nationalities",
                  "flows.fig_nationalities")
    frames = []
    for code, table in tables.items():
        wide = table.pivot(index="nationality", columns="year", values="count").fillna(0)
        order = wide.sum(axis=1).drop(diagnostic.OTHER_NATIONALITY, errors="ignore").sort_values(
            ascending=False, kind="stable").index.tolist()
        wide = wide.loc[order + [c for c in wide.index if c not in order]].astype("int64")
        wide.columns = [str(c) for c in wide.columns]
        wide = wide.reset_index()
        wide.insert(0, "stage", _stage_name(report, code))
        frames.append(wide)
    out = pd.concat(frames, ignore_index=True)
    years = sorted(c for c in out.columns if c not in ("stage", "nationality"))
    out[years] = out[years].fillna(0).astype("int64")
    out["nationality"] = [report.t("flows.other_nationalities") if c == diagnostic.OTHER_NATIONALITY
                          else report.label("country", c) for c in out["nationality"]]
    out = out[["stage", "nationality"] + years].rename(columns={
        "stage": report.t("flows.col_stage"), "nationality": report.t("flows.col_nationality")})
    report.table(out, "nationalities", "flows.tab_nationalities", counts=years)


def children(report: Report, flows: pd.DataFrame) -> None:
    """Children and unaccompanied children, where the producer counts them."""
    if not _present(report, flows):
        return
    table = diagnostic.children(flows)
    if table.empty:
        report.notice("flows.no_children")
        return
    report.say("flows.children_text")
    report.figure(figures.children_figure(table, report.lang), "children", "flows.fig_children")
    shown = table.assign(
        statistic=[figures.statistic_label(c, e, report.lang)
                   for c, e in zip(table["reporting_country"], table["event"], strict=True)],
        unit=[_unit(report, u) for u in table["unit"]], year=table["year"].astype(str))
    shown = shown[["statistic", "unit", "year", "total", "age_known", "children",
                   "unaccompanied"]]
    counts = ["total", "age_known", "children", "unaccompanied"]
    names = {c: report.t(f"flows.col_{c}") for c in ["statistic", "unit", "year"] + counts}
    report.table(shown.rename(columns=names), "children", "flows.tab_children",
                 counts=[names[c] for c in counts])
    report.say("flows.children_note")


def returns(report: Report, flows: pd.DataFrame) -> None:
    """Returns received by Guatemala and returns carried out by Mexico."""
    if not _present(report, flows):
        return
    table = diagnostic.returns(flows)
    if table.empty:
        report.notice("flows.no_returns")
        return
    report.say("flows.returns_text")
    monthly = diagnostic.monthly_returns(flows)
    if not monthly.empty:
        report.figure(figures.returns_figure(monthly, report.lang), "returns",
                      "flows.fig_returns")
    series = (table["reporting_country"] + ":" + table["event"] + ":"
              + table["counterpart_country"])
    wide = table.assign(series=series).pivot_table(index="series", columns="year",
                                                   values="count", aggfunc="sum", sort=True)
    wide = wide.fillna(0).astype("int64")
    wide.columns = [str(c) for c in wide.columns]
    years = list(wide.columns)
    wide = wide.reset_index()
    wide["series"] = [figures.series_label(s, report.lang) for s in wide["series"]]
    report.table(wide.rename(columns={"series": report.t("flows.col_statistic")}), "returns",
                 "flows.tab_returns", counts=years)


def by_country_year(report: Report, flows: pd.DataFrame) -> None:
    """Every statistic of the run by country and year, and the breakdowns that disagree."""
    if not _present(report, flows):
        return
    table = diagnostic.country_year(flows)
    wide = table.pivot_table(index=["reporting_country", "event", "unit"], columns="year",
                             values="count", aggfunc="sum", sort=True)
    wide.columns = [str(c) for c in wide.columns]
    years = list(wide.columns)
    wide = wide.reset_index()
    wide["event"] = [report.label("flow_event", e) for e in wide["event"]]
    wide["unit"] = [_unit(report, u) for u in wide["unit"]]
    wide["reporting_country"] = [report.label("country", c) for c in wide["reporting_country"]]
    wide = wide.rename(columns={"reporting_country": report.t("flows.col_country"),
                                "event": report.t("flows.col_event"),
                                "unit": report.t("flows.col_unit")})
    report.table(wide, "country_year", "flows.tab_country_year", counts=years)
    report.say("flows.partial_years")
    found = diagnostic.disagreements(flows)
    if found.empty:
        report.say("flows.no_disagreement")
        return
    for row in found.itertuples(index=False):
        report.say("flows.disagreement_text",
                   country=report.label("country", row.reporting_country),
                   event=report.label("flow_event", row.event).lower(), year=row.year,
                   view_a=report.label("flow_breakdown", row.view_a).lower(),
                   total_a=report.num(row.total_a),
                   view_b=report.label("flow_breakdown", row.view_b).lower(),
                   total_b=report.num(row.total_b),
                   diff=report.num(abs(row.total_a - row.total_b)))


def cautions(report: Report, flows: pd.DataFrame) -> None:
    """What anyone who adds these numbers up must know, in plain words."""
    if not _present(report, flows):
        return
    for key in CAUTIONS:
        report.say(f"flows.{key}")
    sources = sorted({str(s) for s in flows["source"].dropna().unique()})
    report.say("flows.sources_text", sources="; ".join(sources))


# --- blocks of other reports ------------------------------------------------------------


def routes_official(report: Report) -> None:
    """The routes report: official Darién transits and U.S. southwest border encounters by
    year, where the run has them."""
    flows = load(report)
    chosen = [s for s in diagnostic.STAGES if s.code in ("darien", "us_border")]
    yearly = diagnostic.yearly_by_stage(flows) if len(flows) else pd.DataFrame()
    if yearly.empty or not yearly["stage"].isin([s.code for s in chosen]).any():
        report.notice("flows.no_flows")
        return
    yearly = yearly[yearly["stage"].isin([s.code for s in chosen])]
    table = yearly.pivot(index="year", columns="stage", values="count")
    names = {s.code: f"{_stage_name(report, s.code)} ({_unit(report, s.unit)})" for s in chosen}
    table = table[[s.code for s in chosen if s.code in table.columns]].rename(columns=names)
    counts = list(table.columns)
    table = table.reset_index()
    table["year"] = table["year"].astype(str)
    table = table.rename(columns={"year": report.t("common.year")})
    report.say("flows.routes_text")
    report.table(table, "official_flows", "flows.tab_routes", counts=counts)


def country_brief(report: Report, country: str) -> None:
    """The country brief: its official flows (stage, trend, main nationalities, children).
    A run without any official statistics leaves the section out (a brief has two pages)."""
    flows = load(report)
    if flows is None or flows.empty:
        return
    report.h2("flows.brief_heading")
    mine = flows[flows["reporting_country"] == country]
    if mine.empty:
        report.notice("flows.brief_none", country=report.label("country", country))
        return
    yearly = diagnostic.yearly_by_stage(mine)
    for stage in diagnostic.country_stages(mine, country):
        report.say("flows.brief_stage", stage=_stage_name(report, stage.code))
        full = diagnostic.latest_full_year(yearly, stage.code)
        lead = diagnostic.leading_nationality(mine, stage)
        if full is not None and (lead["year"] == full["year"]).any():
            lead = lead[lead["year"] == full["year"]]
        if len(lead):
            last = lead.iloc[-1]
            report.say("flows.brief_nationality", year=int(last["year"]),
                       nationality=report.label("country", last["nationality"]),
                       share=report.pct(last["share"], 0))
    table = diagnostic.country_year(mine)
    wide = table.pivot_table(index=["event", "unit"], columns="year", values="count",
                             aggfunc="sum", sort=True)
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.reset_index()
    wide["event"] = [report.label("flow_event", e) for e in wide["event"]]
    wide["unit"] = [_unit(report, u) for u in wide["unit"]]
    for stage in diagnostic.country_stages(mine, country):
        if len(set(stage.events) & set(table["event"])) > 1:  # e.g. the kinds of encounter
            row = yearly[yearly["stage"] == stage.code].set_index("year")["count"]
            wide.loc[len(wide)] = {"event": report.t("flows.all_kinds", stage=_stage_name(
                report, stage.code)), "unit": _unit(report, stage.unit),
                **{str(y): c for y, c in row.items()}}
    years = sorted(c for c in wide.columns if c not in ("event", "unit"))
    wide = wide[["event", "unit"] + years].rename(columns={
        "event": report.t("flows.col_event"), "unit": report.t("flows.col_unit")})
    report.table(wide, "official_flows", "flows.tab_brief", counts=years,
                 country=report.label("country", country))
    young = diagnostic.children(mine)
    complete = yearly[yearly["months"] >= 12]["year"]
    if len(young) and young["year"].isin(complete).any():
        young = young[young["year"].isin(complete)]
    if len(young):
        last = young.sort_values("year", kind="stable").iloc[-1]
        report.say("flows.brief_children", year=int(last["year"]),
                   children=_count(report, last["children"]),
                   unaccompanied=_count(report, last["unaccompanied"]),
                   statistic=figures.statistic_label(country, last["event"], report.lang))
