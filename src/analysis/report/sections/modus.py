"""The sections of the modus operandi report (20_modus_operandi): fees, payment, service model,
transport and concealment, document fraud, recruitment, associated crimes, legal outcomes."""

from __future__ import annotations

import pandas as pd

from analysis.core import reference
from analysis.diagnostic import currency, modus
from analysis.report.figures import charts
from analysis.report.notebook import Report

TOP_CORRIDORS_FEES = 12
TOP_CORRIDORS_CRIMES = 10


def load(report: Report) -> pd.DataFrame:
    """The cases with their corridor and fees in US dollars."""
    cases = report.data.rows("cases", columns=modus.CASE_INPUT)
    if cases.empty:
        return cases
    found = modus.corridors_of(report.data)
    return modus.with_fees_usd(modus.with_corridor(cases, None, found=found))


def intro(report: Report, cases: pd.DataFrame) -> None:
    k = report.min_cell_size
    report.title("modus.title")
    report.say("modus.intro", k=k)
    report.say("common.suppressed_note", k=k)
    if not cases.empty:
        report.say("modus.scope_text", cases=report.num(len(cases)),
                   countries=cases["reporting_country"].nunique())


def _reported(cases: pd.DataFrame, column: str) -> bool:
    """Whether any case reports `column`; if not the section says there are no data."""
    return not cases.empty and cases[column].notna().sum() > 0


# labels -----------------------------------------------------------------------------------
def _cases(report: Report) -> str:
    return report.t("modus.cases")


def _country(report: Report) -> str:
    return report.t("common.reporting_country")


def _count_text(report: Report, n: int) -> str:
    return report.count_text(n, "modus.fewer_than")


def _corridor_label(report: Report, code: str) -> str:
    if code == modus.OTHER:
        return report.t("modus.other_corridors")
    origin, destination = modus.split_corridor(code)
    return report.t("modus.corridor_format", origin=report.label("country", origin),
                    destination=report.label("country", destination))


def _code_table(report: Report, table: pd.DataFrame, list_name: str, index_list: str | None,
                index_header: str) -> pd.DataFrame:
    """A crosstab of codes with labels in the run's language, ready for report.table."""
    out = table.rename(columns=lambda c: report.label(list_name, c))
    labels = out.index.to_series()
    out.index = report.labels(labels, index_list) if index_list else labels.astype(str)
    out.index.name = index_header
    return out.reset_index()


def _count_table(report: Report, counts: pd.Series, list_name: str, header: str
                 ) -> pd.DataFrame:
    """Overall counts of a code column, labelled."""
    out = counts.rename(_cases(report)).reset_index()
    out.columns = [header, _cases(report)]
    out[header] = report.labels(out[header], list_name)
    return out


def _stat_table(report: Report, stats: pd.DataFrame, label, header: str, unit: str,
                decimals: int = 0) -> pd.DataFrame:
    """Median and quartiles with the N behind each row, labelled and rounded."""
    out = stats.copy()
    out[["median", "q1", "q3"]] = out[["median", "q1", "q3"]].astype(float).round(decimals)
    out.insert(0, header, [label(v) for v in out.iloc[:, 0]])
    out = out.drop(columns=out.columns[1])
    return out.rename(columns={"n": report.t("common.n"),
                               "median": report.t(f"modus.median_{unit}"),
                               "q1": report.t(f"modus.q1_{unit}"),
                               "q3": report.t(f"modus.q3_{unit}")})


def _publish_stats(report: Report, table: pd.DataFrame, key: str, caption: str):
    return report.table(table, key, caption, n_column=report.t("common.n"),
                        decimals={c: 0 for c in table.columns[2:]})


def _publish_counts(report: Report, table: pd.DataFrame, key: str, caption: str):
    return report.table(table, key, caption, counts=list(table.columns[1:]))


# figures from published (suppressed) tables -----------------------------------------------
def _count_bars(report: Report, published: pd.DataFrame, header: str, key: str,
                caption: str) -> None:
    """Horizontal bars of a published count table; suppressed bars are left out."""
    value = _cases(report)
    shown = published.dropna(subset=[value])
    if shown.empty:
        report.notice("modus.all_suppressed", k=report.min_cell_size)
        return
    report.figure(charts.count_bars(shown[header], shown[value].astype(float), len(published),
                                    value, report.num), key, caption)


def _intervals(report: Report, published: pd.DataFrame, header: str, key: str,
               caption: str) -> None:
    """Median and interquartile range of a published statistics table."""
    shown = published.dropna(subset=[report.t("common.n")])
    if shown.empty:
        report.notice("modus.all_suppressed", k=report.min_cell_size)
        return
    median, q1, q3 = (shown[report.t(f"modus.{s}_usd")].astype(float).to_numpy()
                      for s in ("median", "q1", "q3"))
    report.figure(charts.intervals(shown[header], median, q1, q3, report.t("modus.fee_axis"),
                                   report.num), key, caption)


def _values(published: pd.DataFrame) -> pd.DataFrame:
    return published.set_index(published.columns[0]).astype(float)


# sections ---------------------------------------------------------------------------------
def fees(report: Report, cases: pd.DataFrame) -> None:
    """Fees in US dollars: exchange rates, coverage, by corridor and by year."""
    if not _reported(cases, "fee_amount"):
        report.notice("common.no_data")
        return
    first, last = currency.years()
    report.say("modus.fees_conversion", first=first, last=last,
               sources=report.t("modus.fx_sources"))
    rates = currency.rate_matrix(modus.currencies_used(cases))
    rates.columns = [str(c) for c in rates.columns]
    rates.index = [f"{report.label('currency', c)} ({c})" for c in rates.index]
    rates = rates.rename_axis(report.t("modus.currency")).reset_index()
    report.table(rates, "exchange_rates", "modus.tab_rates", counts=[],
                 decimals={c: 4 for c in rates.columns[1:]})
    coverage = modus.fee_coverage(cases)
    report.say("modus.fees_text", **{k: _count_text(report, v) for k, v in coverage.items()})
    sources = cases["corridor_source"].value_counts()
    report.say("modus.corridor_text", legs=_count_text(report, int(sources.get("legs", 0))),
               fallback=_count_text(report, int(sources.get("case", 0))))

    paid = cases.dropna(subset=["fee_usd", "corridor"])
    if paid.empty:
        report.notice("common.no_data")
        return
    top = modus.top_values(paid["corridor"], TOP_CORRIDORS_FEES)
    paid = paid.assign(corridor=modus.keep_top(paid["corridor"], top))
    stats = modus.summary(paid, "fee_usd", "corridor")
    stats = pd.concat([stats[stats["corridor"] != modus.OTHER],
                       stats[stats["corridor"] == modus.OTHER]], ignore_index=True)
    header = report.t("modus.corridor")
    table = _stat_table(report, stats, lambda c: _corridor_label(report, c), header, "usd")
    published = _publish_stats(report, table, "fees_by_corridor", "modus.tab_fees_corridor")
    _intervals(report, published, header, "fees_by_corridor", "modus.fig_fees_corridor")
    by_year = modus.summary(cases.dropna(subset=["fee_usd"]), "fee_usd", "fee_year")
    by_year = by_year.sort_values("fee_year").reset_index(drop=True)
    table = _stat_table(report, by_year, str, report.t("common.year"), "usd")
    _publish_stats(report, table, "fees_by_year", "modus.tab_fees_year")


def payment(report: Report, cases: pd.DataFrame) -> None:
    if not _reported(cases, "payment_method"):
        report.notice("common.no_data")
        return
    header = report.t("modus.payment_method")
    codes = reference.code_list("payment_method")
    counts = _count_table(report, modus.code_counts(cases, "payment_method", codes),
                          "payment_method", header)
    published = report.table(counts, "payment_methods", "modus.tab_payment",
                             counts=[_cases(report)])
    _count_bars(report, published, header, "payment_methods", "modus.fig_payment")
    table = _code_table(report, modus.crosstab_codes(cases, "payment_method",
                                                     "reporting_country", codes),
                        "payment_method", "country", _country(report))
    _publish_counts(report, table, "payment_by_country", "modus.tab_payment_country")


def service(report: Report, cases: pd.DataFrame) -> None:
    if not _reported(cases, "service_model"):
        report.notice("common.no_data")
        return
    report.say("modus.service_text")
    header = report.t("modus.service_model")
    codes = reference.code_list("service_model")
    table = _code_table(report, modus.crosstab_codes(cases, "service_model",
                                                     "reporting_country", codes),
                        "service_model", "country", _country(report))
    _publish_counts(report, table, "service_by_country", "modus.tab_service_country")
    stats = modus.summary(cases.dropna(subset=["fee_usd"]), "fee_usd", "service_model")
    if stats.empty:
        report.notice("common.no_data")
        return
    order = {c: i for i, c in enumerate(codes)}
    stats = stats.sort_values("service_model", key=lambda s: s.map(order)).reset_index(drop=True)
    table = _stat_table(report, stats, lambda c: report.label("service_model", c), header, "usd")
    published = _publish_stats(report, table, "fees_by_service_model", "modus.tab_service_fees")
    _intervals(report, published, header, "fees_by_service_model", "modus.fig_service_fees")


def transport(report: Report, cases: pd.DataFrame) -> None:
    if cases.empty:
        report.notice("common.no_data")
        return
    modes = reference.code_list("transport_mode")
    table = _code_table(report, modus.crosstab_codes(cases, "transport_mode",
                                                     "reporting_country", modes),
                        "transport_mode", "country", _country(report))
    _publish_counts(report, table, "transport_by_country", "modus.tab_transport_country")
    cross = modus.crosstab_codes(cases, "concealment", "transport_mode",
                                 reference.code_list("concealment"), groups=None)
    if cross.empty:
        report.notice("common.no_data")
        return
    cross = cross.reindex([m for m in modes if m in cross.index])
    table = _code_table(report, cross, "concealment", "transport_mode",
                        report.t("modus.transport_mode"))
    values = _values(_publish_counts(report, table, "transport_concealment",
                                     "modus.tab_transport_concealment"))
    if values.isna().all().all():
        report.notice("modus.all_suppressed", k=report.min_cell_size)
        return
    fig = charts.count_matrix(values, report.t("modus.concealment"), _cases(report),
                              report.min_cell_size, report.num)
    report.figure(fig, "transport_concealment", "modus.fig_transport_concealment")


def fraud(report: Report, cases: pd.DataFrame) -> None:
    if not _reported(cases, "document_fraud"):
        report.notice("common.no_data")
        return
    header = report.t("modus.document_fraud")
    codes = reference.code_list("document_fraud")
    counts = _count_table(report, modus.code_counts(cases, "document_fraud", codes),
                          "document_fraud", header)
    published = report.table(counts, "document_fraud", "modus.tab_fraud_types",
                             counts=[_cases(report)])
    _count_bars(report, published, header, "document_fraud", "modus.fig_fraud")
    cross = modus.crosstab_codes(cases, "transport_mode", "document_fraud",
                                 reference.code_list("transport_mode"))
    cross = cross.reindex([c for c in codes if c in cross.index])
    table = _code_table(report, cross, "transport_mode", "document_fraud", header)
    _publish_counts(report, table, "document_fraud_by_mode", "modus.tab_fraud")


def recruitment(report: Report, cases: pd.DataFrame) -> None:
    if not _reported(cases, "recruitment_channel"):
        report.notice("common.no_data")
        return
    report.say("modus.recruitment_text")
    codes = reference.code_list("recruitment_channel")
    table = _code_table(report, modus.crosstab_codes(cases, "recruitment_channel",
                                                     "reporting_country", codes),
                        "recruitment_channel", "country", _country(report))
    _publish_counts(report, table, "recruitment_by_country", "modus.tab_recruitment_country")
    dated = cases.assign(year=modus.year_of(cases))
    by_year = modus.crosstab_codes(dated, "recruitment_channel", "year", codes).sort_index()
    table = _code_table(report, by_year, "recruitment_channel", None, report.t("common.year"))
    values = _values(_publish_counts(report, table, "recruitment_by_year",
                                     "modus.tab_recruitment_year"))
    if values.isna().all().all():
        report.notice("modus.all_suppressed", k=report.min_cell_size)
        return
    fig = charts.lines_by_year(values, report.t("common.year"), _cases(report), report.num)
    report.figure(fig, "recruitment_by_year", "modus.fig_recruitment_year")


def crimes(report: Report, cases: pd.DataFrame) -> None:
    """Crimes associated with the smuggling: overall, by corridor and by country."""
    if not _reported(cases, "associated_crimes"):
        report.notice("common.no_data")
        return
    report.say("modus.crimes_text")
    header = report.t("modus.crime")
    codes = reference.code_list("associated_crime")
    counts = _count_table(report, modus.code_counts(cases, "associated_crimes", codes,
                                                    multi=True), "associated_crime", header)
    published = report.table(counts, "associated_crimes", "modus.tab_crimes",
                             counts=[_cases(report)])
    _count_bars(report, published, header, "associated_crimes", "modus.fig_crimes")

    with_corridor = cases.dropna(subset=["corridor"])
    top = modus.top_values(with_corridor["corridor"], TOP_CORRIDORS_CRIMES)
    with_corridor = with_corridor.assign(corridor=modus.keep_top(with_corridor["corridor"], top))
    groups = [*top, modus.OTHER] if with_corridor["corridor"].eq(modus.OTHER).any() else top
    for by, frame, key, caption, order in (
        ("corridor", with_corridor, "crimes_by_corridor", "modus.tab_crimes_corridor", groups),
        ("reporting_country", cases, "crimes_by_country", "modus.tab_crimes_country", None),
    ):
        if frame.empty:
            continue
        cross = modus.crosstab_codes(frame, "associated_crimes", by, codes, multi=True,
                                     groups=order)
        cross.insert(0, "_cases", frame.groupby(by).size().reindex(cross.index).astype(int))
        table = cross.rename(columns=lambda c: report.label("associated_crime", c))
        table = table.rename(columns={"_cases": report.t("modus.cases_in_group")})
        labels = table.index.to_series()
        table.index = (labels.map(lambda c: _corridor_label(report, c)) if by == "corridor"
                       else report.labels(labels, "country"))
        table.index.name = report.t("modus.corridor") if by == "corridor" else _country(report)
        _publish_counts(report, table.reset_index(), key, caption)


def legal(report: Report, cases: pd.DataFrame) -> None:
    """From detention to conviction: the funnel, outcomes by country, sentences."""
    outcomes = cases.dropna(subset=["legal_outcome"]) if not cases.empty else cases
    if outcomes.empty:
        report.notice("common.no_data")
        return
    report.say("modus.legal_text")
    stages = {s: report.t(f"modus.stage_{s}") for s in modus.FUNNEL}
    funnel = modus.legal_funnel(outcomes, "reporting_country")
    funnel.index = report.labels(funnel.index.to_series(), "country")
    funnel = funnel.rename(columns=stages).rename_axis(_country(report)).reset_index()
    report.table(funnel, "legal_funnel_by_country", "modus.tab_funnel",
                 counts=list(stages.values()))
    overall = modus.legal_funnel(outcomes).rename(columns=stages).T.reset_index()
    overall.columns = [report.t("modus.stage"), _cases(report)]
    published = report.table(overall, "legal_funnel", "modus.fig_funnel",
                             counts=[_cases(report)])
    shown = published.dropna(subset=[_cases(report)])
    if shown.empty:
        report.notice("modus.all_suppressed", k=report.min_cell_size)
    else:
        fig = charts.funnel(shown.iloc[:, 0], shown[_cases(report)].astype(float).to_numpy(),
                            report.num)
        report.figure(fig, "legal_funnel", "modus.fig_funnel")
    table = _code_table(report, modus.crosstab_codes(outcomes, "legal_outcome",
                                                     "reporting_country",
                                                     reference.code_list("legal_outcome")),
                        "legal_outcome", "country", _country(report))
    _publish_counts(report, table, "legal_outcomes_by_country", "modus.tab_outcomes_country")

    report.h3("modus.sentences")
    stats = modus.sentences(outcomes, "reporting_country")
    if stats.empty:
        report.notice("common.no_data")
        return
    overall = modus.sentences(outcomes).assign(reporting_country=modus.OTHER)
    stats = pd.concat([stats, overall[stats.columns]], ignore_index=True)
    table = _stat_table(report, stats, lambda c: report.t("modus.all_countries")
                        if c == modus.OTHER else report.label("country", c),
                        _country(report), "years", decimals=1)
    report.table(table, "sentences", "modus.tab_sentences", n_column=report.t("common.n"),
                 decimals={c: 1 for c in table.columns[2:]})
