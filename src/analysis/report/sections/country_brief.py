"""The sections of a country brief (70_country_brief): key figures and corridors, profiles,
fees and payment, networks, legislation and the Work Plan, on two printed pages."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import i18n
from analysis.data import ingest
from analysis.diagnostic import routes, workplan
from analysis.report import brief
from analysis.report.notebook import Report


@dataclass
class Brief:
    """The country's data, the regional data it is compared with, and its name in text."""

    country: str
    regional: ingest.Dataset
    name: str


def load(report: Report, data_dir: str, period: str) -> Brief:
    return Brief(report.country, brief.regional_data(data_dir, period),
                 brief.country_in_text(report.country, report.lang))


def intro(report: Report) -> None:
    report.html(brief.STYLE)
    report.title("brief.title")


def _count_text(report: Report, n: int) -> str:
    return report.count_text(n, "brief.fewer_than")


def _other(report: Report, codes, list_name: str) -> list[str]:
    return [report.t("brief.other") if c == brief.OTHER else report.label(list_name, c)
            for c in codes]


def key_figures(report: Report, country: Brief) -> None:
    """The key figures, the corridors the country's cases travel and their map."""
    data, name, lang, k = report.data, country.name, report.lang, report.min_cell_size
    figures = brief.key_figures(data)
    first, last = brief.period(data)
    if figures["cases"] == 0:
        report.notice("common.no_data")
    else:
        report.say("brief.lead", country=name, first=first, last=last,
                   **{key: _count_text(report, int(value)) for key, value in figures.items()})
    through = brief.legs_through(country.regional, country.country)
    ranking = brief.corridors(country.regional, country.country, through)
    if len(ranking):
        main = ranking.iloc[0]
        report.say("brief.corridors_text", country=name, n=report.num(len(ranking)),
                   cases=_count_text(report, int(ranking["cases"].sum())),
                   own=_count_text(report, int(ranking["own_cases"].sum())),
                   first=routes.corridor_name(main["corridor"], lang),
                   share=report.pct(main["migrants"] / max(ranking["migrants"].sum(), 1)))
    with brief.side_by_side() as columns:
        table = pd.DataFrame({report.t("brief.indicator"): [report.t(f"brief.kf_{key}")
                                                            for key in figures.index],
                              report.t("brief.value"): figures.to_numpy()})
        report.table(table, "key_figures", "brief.tab_key_figures",
                     counts=[report.t("brief.value")], first=first or "–", last=last or "–",
                     country=name)
        if ranking.empty:
            report.notice("brief.no_corridors", country=name)
        else:
            table = ranking.head(5).assign(corridor=lambda t: [routes.corridor_name(c, lang)
                                                               for c in t["corridor"]])
            table = table.drop(columns="own_cases").rename(columns={
                "corridor": report.t("brief.corridor"), "cases": report.t("brief.cases"),
                "migrants": report.t("brief.migrants")})
            report.table(table, "corridors", "brief.tab_corridors", country=name)
        columns.next()
        flows = brief.corridor_flows(country.regional, list(ranking["corridor"].head(5)), k,
                                     through)
        if flows.empty:
            report.notice("brief.too_few_to_map", k=k)
        else:
            fig = brief.corridor_map(flows, country.country, lang,
                                     unit=report.t("brief.migrants_unit"),
                                     label=report.t("brief.legs_layer"))
            report.figure(fig, "corridors_map", "brief.fig_corridors_map", country=name, k=k)


def profiles(report: Report, country: Brief) -> None:
    people = report.data.migrants
    if people.empty:
        report.notice("common.no_data")
        return
    young = brief.children(people)
    report.say("brief.profiles_text", persons=_count_text(report, len(people)),
               children=_count_text(report, young["children"]),
               unaccompanied=_count_text(report, young["unaccompanied"]),
               separated=_count_text(report, young["separated"]))
    with brief.side_by_side():
        table = brief.nationalities(people)
        table["nationality"] = _other(report, table["nationality"], "country")
        report.table(table.rename(columns={"nationality": report.t("brief.nationality"),
                                           "persons": report.t("brief.persons")}),
                     "nationalities", "brief.tab_nationalities", country=country.name)
        table = brief.sex_age(people)
        table.columns = [report.label("sex", c) for c in table.columns]
        table = table.rename_axis(report.t("brief.age_band")).reset_index()
        report.table(table, "sex_age", "brief.tab_sex_age", country=country.name)


def fees(report: Report, country: Brief) -> None:
    """What smuggling costs and how it is paid."""
    cases, n = report.data.cases, report.t("common.n")
    summary = brief.fee_summary(cases)
    if cases.empty:
        report.notice("common.no_data")
        return
    if not summary.empty:
        overall = summary.iloc[0]
        if brief.publishable(int(overall["n"]), report.min_cell_size):
            report.say("brief.fees_text", n=report.num(overall["n"]),
                       median=report.num(overall["median"]), q1=report.num(overall["q1"]),
                       q3=report.num(overall["q3"]))
    with brief.side_by_side():
        if summary.empty:
            report.notice("common.no_data")
        else:
            summary["group"] = [report.t("brief.all_cases") if g == brief.OVERALL
                                else report.label("service_model", g) for g in summary["group"]]
            table = summary.rename(columns={
                "group": report.t("brief.service_model"), "n": n,
                "median": report.t("brief.median"), "q1": report.t("brief.q1"),
                "q3": report.t("brief.q3")})
            report.table(table, "fees", "brief.tab_fees", n_column=n,
                         decimals={c: 0 for c in table.columns[2:]}, country=country.name)
        table = brief.payment_methods(cases)
        if table.empty:
            report.notice("common.no_data")
        else:
            table["payment_method"] = _other(report, table["payment_method"], "payment_method")
            report.table(table.rename(columns={"payment_method": report.t("brief.payment_method"),
                                               "cases": report.t("brief.cases")}),
                         "payment_methods", "brief.tab_payment", country=country.name)


def networks(report: Report, country: Brief) -> None:
    data, k = report.data, report.min_cell_size
    summary = brief.network_summary(data, brief.far_actors(country.regional,
                                                            country.country))
    if not summary:
        report.notice("common.no_data")
        return
    if summary["actors"] < k:
        report.notice("brief.too_few_actors", k=k)
        return
    report.say("brief.networks_text", country=country.name, actors=report.num(summary["actors"]),
               links=report.num(summary["links"]), nodes=report.num(summary["nodes"]),
               ties=report.num(summary["ties"]),
               cross=report.pct(summary["cross_border_share"], 0) or "–",
               known=report.num(summary["known_ties"]))
    with brief.side_by_side():
        roles = brief.actors_by_role(data.actors)
        roles["role"] = report.labels(roles["role"], "actor_role")
        report.table(roles.rename(columns={"role": report.t("brief.role"),
                                           "actors": report.t("brief.actors")}),
                     "actors_by_role", "brief.tab_roles", country=country.name)
        report.table(brief.network_table(summary, report.lang), "network", "brief.tab_network",
                     counts=[], country=country.name)


def legislation(report: Report, country: Brief) -> None:
    """The country's row of the legislation matrix, compact and coloured."""
    cells, score, by_axis = brief.legislation_row(report.data, country.country)
    status = cells["status"].value_counts()
    report.say("brief.legislation_text", country=country.name,
               score=report.pct(score["score"], 0) or "–", with_data=score["with_data"],
               criteria=score["criteria"], validated=int(status.get("validated", 0)),
               draft=int(status.get("draft", 0)),
               illustrative=int(status.get("illustrative", 0)))
    # The annex copy is the plain table (legal facts: counts=[]); the page shows the same row,
    # compact and coloured, under the same number.
    published = report.table(brief.legislation_table(cells, report.lang), "legislation_row",
                             "brief.tab_legislation", counts=[], show=False,
                             country=country.name)
    report.html(brief.legislation_html(cells, by_axis, report.lang,
                                       report.caption_markup(published),
                                       published.entry.number))


def workplan_progress(report: Report, country: Brief) -> None:
    """Where the country stands on the Work Plan, by axis; then the links to the region."""
    lang = report.lang
    grid = brief.workplan_grid(report.data, country.country)
    totals = brief.workplan_totals(grid)
    if totals["last"] is None:
        report.notice("brief.workplan_none", country=country.name)
    else:
        report.say("brief.workplan_text", country=country.name, total=totals["total"],
                   date=i18n.fmt_date(totals["last"].date().isoformat(), lang),
                   completed=totals["completed"], in_progress=totals["in_progress"],
                   not_started=totals["not_started"], not_applicable=totals["not_applicable"],
                   no_report=totals[workplan.NO_REPORT])
    shown = workplan.progress_display(workplan.progress(grid, "axis"), lang, "axis")
    report.table(shown, "workplan_progress", "brief.tab_workplan", counts=[],
                 decimals={report.t("workplan.col_share_completed"): 2}, country=country.name)
    report.say("common.suppressed_note", k=report.min_cell_size)
    report.html(brief.links_html(lang))


def second_page(report: Report) -> None:
    """Where the second printed page starts."""
    report.html(brief.PAGE_BREAK)
