"""The sections of the profiles report (30_profiles): who the smuggled migrants are, by
nationality, sex and age, children, vulnerability, reason for travel and destination."""

from __future__ import annotations

import pandas as pd

from analysis.core import reference
from analysis.diagnostic import modus, profiles
from analysis.report.figures import charts
from analysis.report.notebook import Report

TOP_NATIONALITIES = 12
TOP_DESTINATIONS = 8
LINES_SHOWN = 6


def load(report: Report) -> pd.DataFrame:
    """The migrants with the year of their case, counted per distinct combination of the
    values the profiles read (a frame of counted rows: see `modus.ROWS`)."""
    return profiles.counted(report.data)


def intro(report: Report, people: pd.DataFrame) -> None:
    k = report.min_cell_size
    report.title("profiles.title")
    report.say("profiles.intro", k=k)
    report.say("profiles.suppressed_note", k=k)
    if not people.empty:
        undated = people.loc[people["year"].isna()]
        report.say("profiles.scope_text", persons=report.num(modus.row_count(people)),
                   countries=people["reporting_country"].nunique(),
                   undated=_count_text(report, modus.row_count(undated)))


def _count_text(report: Report, n: int) -> str:
    return report.count_text(n, "profiles.fewer_than")


def _persons(report: Report) -> str:
    return report.t("profiles.persons")


def _label(report: Report, list_name: str | None, code) -> str:
    if code == modus.OTHER:
        return report.t("profiles.other")
    if list_name is None:
        return str(code)
    return report.label(list_name, code)


def _labelled(report: Report, table: pd.DataFrame, column_list: str | None,
              index_list: str | None, index_header: str) -> pd.DataFrame:
    """A table of counts with code labels in the run's language, ready for report.table."""
    out = table.rename(columns=lambda c: _label(report, column_list, c))
    out.index = [_label(report, index_list, i) for i in out.index]
    out.index.name = index_header
    return out.reset_index()


def _publish(report: Report, table: pd.DataFrame, key: str, caption: str):
    return report.table(table, key, caption, counts=list(table.columns[1:]))


def _bars(report: Report, published: pd.DataFrame, key: str, caption: str) -> None:
    """Horizontal bars of a published (suppressed) one-column count table."""
    persons = _persons(report)
    shown = published.dropna(subset=[persons])
    if shown.empty:
        report.notice("profiles.all_suppressed", k=report.min_cell_size)
        return
    report.figure(charts.count_bars(shown.iloc[:, 0], shown[persons].astype(float),
                                    len(published), persons, report.num), key, caption)


def _lines(report: Report, published: pd.DataFrame, key: str, caption: str) -> None:
    """One line per column (the first few, "other" left out) of a published table by year."""
    values = published.set_index(published.columns[0]).astype(float)
    values = values[[c for c in values.columns
                     if c != report.t("profiles.other")][:LINES_SHOWN]]
    if values.isna().all().all():
        report.notice("profiles.all_suppressed", k=report.min_cell_size)
        return
    report.figure(charts.lines_by_year(values, report.t("common.year"), _persons(report),
                                       report.num), key, caption)


def _dimension(report: Report, people: pd.DataFrame, column: str, list_name: str, header: str,
               name: str, multi: bool = False, top: int | None = None,
               year_figure: bool = False) -> None:
    """Overall counts (table and bars), by reporting country and by year of the case."""
    codes = reference.code_list(list_name) if list_name != "country" else None
    if top is not None:
        keep = profiles.top_of(people, column, top)
        counts = modus.code_counts(people.assign(**{column: modus.keep_top(people[column],
                                                                            keep)}),
                                   column, (*keep, modus.OTHER))
    else:
        counts = modus.code_counts(people, column, codes, multi=multi, keep_empty=multi)
    table = _labelled(report, counts.rename(_persons(report)).to_frame(), None, list_name,
                      header)
    published = report.table(table, name, f"profiles.tab_{name}", counts=[_persons(report)])
    _bars(report, published, name, f"profiles.fig_{name}")
    report.h3("profiles.by_country")
    by_country = profiles.by_group(people, column, "reporting_country", codes, top, multi)
    table = _labelled(report, by_country, list_name, "country",
                      report.t("common.reporting_country"))
    _publish(report, table, f"{name}_by_country", f"profiles.tab_{name}_country")
    report.h3("profiles.by_year")
    dated = people.dropna(subset=["year"])
    if dated.empty:
        report.notice("common.no_data")
        return
    by_year = profiles.by_group(dated, column, "year", codes, top, multi).sort_index()
    table = _labelled(report, by_year, list_name, None, report.t("common.year"))
    published = _publish(report, table, f"{name}_by_year", f"profiles.tab_{name}_year")
    if year_figure:
        _lines(report, published, f"{name}_by_year", f"profiles.fig_{name}_year")


def _reported(people: pd.DataFrame, column: str | None = None) -> bool:
    return not people.empty and (column is None or people[column].notna().sum() > 0)


def nationality(report: Report, people: pd.DataFrame) -> None:
    if not _reported(people):
        report.notice("common.no_data")
        return
    report.say("profiles.nationality_text", top=TOP_NATIONALITIES)
    _dimension(report, people, "nationality", "country", report.t("profiles.nationality"),
               "nationality", top=TOP_NATIONALITIES, year_figure=True)


def sex_age(report: Report, people: pd.DataFrame) -> None:
    """The population pyramid, then sex and age band by country and year."""
    if not _reported(people):
        report.notice("common.no_data")
        return
    report.say("profiles.pyramid_text",
               left_out=_count_text(report, profiles.pyramid_left_out(people)))
    pyramid = _labelled(report, profiles.pyramid(people), "sex", "age_band",
                        report.t("profiles.age_band"))
    published = _publish(report, pyramid, "pyramid", "profiles.tab_pyramid")
    values = published.set_index(published.columns[0]).astype(float)
    report.figure(charts.pyramid(values, _persons(report), report.num), "pyramid",
                  "profiles.fig_pyramid")
    for column, list_name, name in (("sex", "sex", "sex"), ("age_band", "age_band", "age")):
        report.h3(f"profiles.{column}")
        codes = reference.code_list(list_name)
        table = _labelled(report, profiles.by_group(people, column, "reporting_country", codes),
                          list_name, "country", report.t("common.reporting_country"))
        _publish(report, table, f"{name}_by_country", f"profiles.tab_{name}_country")
        dated = people.dropna(subset=["year"])
        if dated.empty:
            report.notice("common.no_data")
            continue
        table = _labelled(report, profiles.by_group(dated, column, "year", codes).sort_index(),
                          list_name, None, report.t("common.year"))
        _publish(report, table, f"{name}_by_year", f"profiles.tab_{name}_year")


def children(report: Report, people: pd.DataFrame) -> None:
    """Children, unaccompanied and separated, by country and by year."""
    if not _reported(people):
        report.notice("common.no_data")
        return
    report.say("profiles.children_text")
    headers = {c: report.t(f"profiles.col_{c}") for c in ("children", "unaccompanied",
                                                           "separated")}
    table = _labelled(report, profiles.children(people).rename(columns=headers), None,
                      "country", report.t("common.reporting_country"))
    _publish(report, table, "children_by_country", "profiles.tab_children_country")
    dated = people.dropna(subset=["year"])
    if dated.empty:
        report.notice("common.no_data")
        return
    year = report.t("common.year")
    table = profiles.children(dated, "year").sort_index().rename(columns=headers)
    published = _publish(report, _labelled(report, table, None, None, year),
                         "children_by_year", "profiles.tab_children_year")
    fig = charts.paired_bars(published.set_index(year).astype(float),
                             [headers["unaccompanied"], headers["separated"]], year,
                             _persons(report), report.num)
    report.figure(fig, "children_by_year", "profiles.fig_children_year")


def vulnerability(report: Report, people: pd.DataFrame) -> None:
    if not _reported(people):
        report.notice("common.no_data")
        return
    report.say("profiles.vulnerability_text")
    _dimension(report, people, "vulnerability", "vulnerability",
               report.t("profiles.vulnerability_group"), "vulnerability", multi=True)


def reason(report: Report, people: pd.DataFrame) -> None:
    if not _reported(people, "reason_for_travel"):
        report.notice("common.no_data")
        return
    _dimension(report, people, "reason_for_travel", "reason_for_travel",
               report.t("profiles.reason_for_travel"), "reason")


def destination(report: Report, people: pd.DataFrame) -> None:
    if not _reported(people, "intended_destination"):
        report.notice("common.no_data")
        return
    _dimension(report, people, "intended_destination", "country",
               report.t("profiles.intended_destination"), "destination", top=TOP_DESTINATIONS)
