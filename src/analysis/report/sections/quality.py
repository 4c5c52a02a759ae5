"""The sections of the data quality report (00_data_quality): what each country sent, over
which years, how complete it is, and which rows were set aside and why."""

from __future__ import annotations

from analysis.data import columns
from analysis.diagnostic import quality
from analysis.report.figures import charts
from analysis.report.notebook import Report

COMPLETENESS_TABLES = ("cases", "migrants", "actors")


def intro(report: Report) -> None:
    report.title("quality.title")
    report.say("quality.intro", k=report.min_cell_size)


def _table_name(report: Report, name: str) -> str:
    return report.t(f"dictionary.table_{name}")


def sent(report: Report) -> None:
    """Rows sent by country and table."""
    rows = quality.rows_by_country(report.data)
    check = quality.reconciliation(report.data, report.min_cell_size)
    report.say("quality.sent_text", countries=len(rows),
               rows=report.num(quality.reconciliation_totals(check)["accepted"]))
    table = rows.reset_index()
    table["reporting_country"] = report.labels(table["reporting_country"], "country")
    table = table.rename(columns={"reporting_country": report.t("common.reporting_country"),
                                  **{name: _table_name(report, name) for name in rows}})
    report.table(table, "rows_by_country", "quality.tab_sent")


def coverage(report: Report) -> None:
    """Cases by country and year: heatmap and table."""
    cover = quality.coverage(report.data, "cases")
    if cover.empty:
        report.notice("common.no_data")
        return
    countries = list(report.labels(cover.index.to_series(), "country"))
    fig = charts.coverage_heatmap(cover, countries, report.t("quality.cases_axis"))
    report.figure(fig, "coverage_cases", "quality.fig_coverage")
    years = cover.reset_index()
    years.columns = [report.t("common.reporting_country")] + [str(c) for c in cover.columns]
    years.iloc[:, 0] = countries
    report.table(years, "coverage_cases", "quality.tab_coverage")


def completeness(report: Report) -> None:
    """Share of rows with each field filled in, by table and country."""
    report.say("quality.completeness_text")
    for name in COMPLETENESS_TABLES:
        shares = quality.completeness(report.data, name)
        if shares.empty:
            continue
        shares["reporting_country"] = report.labels(shares["reporting_country"], "country")
        fields = {c: columns.label(c, report.lang) for c in shares.columns[2:]}
        shares = shares.rename(columns={"reporting_country": report.t("common.reporting_country"),
                                        "n": report.t("common.n"), **fields})
        report.table(shares, f"completeness_{name}", "quality.tab_completeness",
                     n_column=report.t("common.n"),
                     decimals={c: 2 for c in shares.columns[2:]},
                     name=_table_name(report, name))


def set_aside(report: Report) -> None:
    """Rows read, accepted and set aside by table, and the reasons."""
    check = quality.reconciliation(report.data, report.min_cell_size)
    totals = quality.reconciliation_totals(check)
    report.say("quality.reconcile_text", read=report.num(totals["read"]),
               accepted=report.num(totals["accepted"]), aside=report.num(totals["set_aside"]))
    if check.attrs["hidden"]:
        report.say("quality.reconcile_hidden", k=report.min_cell_size)
    check["table"] = [_table_name(report, name) for name in check["table"]]
    check = check.rename(columns={"table": report.t("run.col_table"),
                                  "read": report.t("run.col_read"),
                                  "accepted": report.t("run.col_accepted"),
                                  "set_aside": report.t("run.col_set_aside")})
    # Rows of records are published whole so that they reconcile; persons under k are hidden.
    report.table(check, "reconciliation", "quality.tab_reconcile", counts=[])
    reasons = quality.set_aside(report.data)
    if reasons.empty:
        report.say("quality.nothing_set_aside")
        return
    reasons["reason"] = [report.t(f"validation.{r}", column=c, table="", value="", detail="")
                         for r, c in zip(reasons["reason"], reasons["column"], strict=True)]
    reasons = reasons.drop(columns="column")
    reasons["table"] = [_table_name(report, name) for name in reasons["table"]]
    reasons = reasons.rename(columns={"table": report.t("run.col_table"),
                                      "reason": report.t("quality.reason"),
                                      "rows": report.t("quality.rows")})
    report.table(reasons, "set_aside_reasons", "quality.tab_reasons", counts=[])
