"""The sections of the Work Plan follow-up report (60_workplan)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.diagnostic import legislation, workplan
from analysis.report import matrices
from analysis.report.figures import workplan as figures
from analysis.report.notebook import Report


@dataclass
class Plan:
    """The countries' own reports, their latest status on every action, the plan's years."""

    scope: list[str]
    reports: pd.DataFrame
    latest: pd.DataFrame
    grid: pd.DataFrame
    years: list[int]


def load(report: Report) -> Plan:
    scope = legislation.scope(report.data)
    reports = workplan.own_reports(report.data.workplan_status)
    latest = workplan.latest_status(reports)
    return Plan(scope, reports, latest, workplan.status_grid(latest, scope),
                workplan.plan_years(reports))


def intro(report: Report, plan: Plan) -> None:
    report.title("workplan.title")
    report.say("workplan.intro", axes=len(workplan.axes()), actions=len(workplan.actions()),
               first=plan.years[0], last=plan.years[-1])


def status(report: Report, plan: Plan) -> None:
    """The latest status of every country on every action (styled matrix, annex table)."""
    report.say("workplan.status_rule")
    if plan.latest.empty:
        report.notice("common.no_data")
        return
    report.say("workplan.status_text", reported=plan.latest["country"].nunique(),
               countries=len(plan.scope), pairs=report.num(len(plan.latest)),
               total=report.num(len(plan.grid)), last=int(plan.latest["date"].dt.year.max()))
    # The annex copy is the plain table; the page shows it coloured, under the same number.
    published = report.table(workplan.status_matrix(plan.grid, report.lang), "workplan_status",
                             "workplan.tab_status_matrix", counts=[], show=False)
    report.html(matrices.workplan_status_matrix(
        plan.grid, report.lang, caption=report.caption(published),
        table_id=published.entry.number))


def progress_by_axis(report: Report, plan: Plan) -> None:
    counts = workplan.progress(plan.grid, "axis")
    if plan.latest.empty:
        report.notice("common.no_data")
        return
    fig = figures.progress_shares(
        counts, [report.t("workplan.axis_label", axis=a) for a in counts.index], report.lang,
        report.t("workplan.share_axis"), row_height=0.55, legend_offset=-0.22)
    report.figure(fig, "progress_axis", "workplan.fig_progress_axis", countries=len(plan.scope))
    report.table(workplan.progress_display(counts, report.lang, "axis"), "progress_axis",
                 "workplan.tab_progress_axis", counts=[],
                 decimals={report.t("workplan.col_share_completed"): 2})


def progress_by_country(report: Report, plan: Plan) -> None:
    counts = workplan.progress(plan.grid, "country")
    if plan.latest.empty:
        report.notice("common.no_data")
        return
    fig = figures.progress_shares(
        counts, list(report.labels(counts.index.to_series(), "country")), report.lang,
        report.t("workplan.share_country_axis"), row_height=0.4, legend_offset=-0.12)
    report.figure(fig, "progress_country", "workplan.fig_progress_country",
                  actions=len(workplan.actions()))
    report.table(workplan.progress_display(counts, report.lang, "country"), "progress_country",
                 "workplan.tab_progress_country", counts=[],
                 decimals={report.t("workplan.col_share_completed"): 2})


def timeline(report: Report, plan: Plan) -> None:
    years = plan.years
    report.say("workplan.timeline_text", first=years[0], last=years[-1])
    steps = workplan.timeline(plan.reports, plan.scope, years)
    if plan.latest.empty or steps["applicable"].sum() == 0:
        report.notice("common.no_data")
        return
    report.figure(figures.timeline(steps, years, report.lang), "timeline",
                  "workplan.fig_timeline", first=years[0], last=years[-1])
    report.table(workplan.timeline_display(steps, report.lang), "timeline",
                 "workplan.tab_timeline", counts=[])


def overlaps(report: Report) -> None:
    """The actions the reviewers found to overlap: graph, groups and their notes."""
    graph = workplan.overlap_graph()
    groups = workplan.overlap_groups(graph)
    report.say("workplan.overlaps_text", actions=graph.number_of_nodes(),
               links=graph.number_of_edges(), groups=len(groups))
    report.figure(figures.overlaps(graph, report.lang), "overlaps", "workplan.fig_overlaps")
    biggest = groups.iloc[0]
    report.say("workplan.overlaps_hub", hub=biggest["hub"], n=len(biggest["actions"]),
               title=report.label("workplan_action", biggest["hub"]))
    report.table(workplan.groups_display(groups, report.lang), "overlap_groups",
                 "workplan.tab_overlaps", counts=[])
    report.say("workplan.dilution")


def evidence(report: Report, plan: Plan) -> None:
    """Where each action finds its evidence in the other reports (links)."""
    report.say("workplan.evidence_text")
    # The annex copy is the plain table; the page shows it with links to the other reports,
    # under the same number.
    published = report.table(workplan.evidence_table(report.lang), "evidence",
                             "workplan.tab_evidence", counts=[], show=False)
    report.html(matrices.workplan_evidence(plan.grid, report.lang,
                                           caption=report.caption(published),
                                           table_id=published.entry.number))
