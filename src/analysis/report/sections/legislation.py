"""The sections of the legislation report (50_legislation)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.diagnostic import legislation
from analysis.report import matrices
from analysis.report.figures import legislation as figures
from analysis.report.notebook import Report


@dataclass
class Law:
    """The merged country × criterion cells of a run and what was left out."""

    scope: list[str]
    assessment: legislation.Assessment
    criteria: pd.DataFrame

    @property
    def cells(self) -> pd.DataFrame:
        return self.assessment.cells


def load(report: Report) -> Law:
    """The desk-review baseline merged with the countries' own submissions."""
    scope = legislation.scope(report.data)
    assessment = legislation.merge(legislation.reference_rows(), report.data.legislation, scope)
    return Law(scope, assessment, legislation.criteria())


def intro(report: Report, law: Law) -> None:
    report.title("legislation.title")
    report.say("legislation.intro", countries=len(law.scope), criteria=len(law.criteria))
    report.say("legislation.mandate")


def matrix(report: Report, law: Law) -> None:
    """How the cells were merged, the styled matrix (annex table), the heatmap and the
    cells by status."""
    cells, assessment = law.cells, law.assessment
    report.say("legislation.merge_rule")
    status = legislation.status_counts(cells)
    report.say("legislation.status_text", cells=report.num(len(cells)), countries=len(law.scope),
               criteria=len(law.criteria), validated=report.num(status["validated"].sum()),
               draft=report.num(status["draft"].sum()),
               illustrative=report.num(status["illustrative"].sum()),
               no_data=report.num(status["no_data"].sum()),
               submitted=report.num(assessment.submitted))
    if status["illustrative"].sum():
        report.notice("legislation.illustrative_note", n=report.num(status["illustrative"].sum()))
    if assessment.about_others or assessment.unreadable:
        report.say("legislation.ignored_text", others=report.num(assessment.about_others),
                   unreadable=report.num(assessment.unreadable))
    report.say("legislation.matrix_text")
    # The annex copy (CSV, workbook) is the plain table; the page shows the styled matrix
    # under the same annex number.
    published = report.table(legislation.annex_matrix(cells, report.lang), "legislation_matrix",
                             "legislation.tab_matrix", counts=[], show=False)
    report.html(matrices.legislation_matrix(cells, report.lang, caption=report.caption(published),
                                            table_id=published.entry.number))
    report.figure(figures.heatmap(cells, report.lang), "legislation_heatmap",
                  "legislation.fig_heatmap")
    report.h3("legislation.sources_h3")
    shown = status.reset_index()
    shown["country"] = report.labels(shown["country"], "country")
    shown = shown.rename(columns={"country": report.t("common.country"),
                                  **{s: report.label("assessment_status", s)
                                     for s in legislation.STATUSES}})
    report.table(shown, "cells_by_status", "legislation.tab_status", counts=[])


def scores(report: Report, law: Law) -> None:
    """The scoring rules, the score table and the score bars."""
    for key in ("score_rule_levels", "score_rule_number", "score_rule_missing",
                "score_rule_axes", "score_caveat"):
        report.say(f"legislation.{key}", years=report.num(legislation.SERIOUS_CRIME_YEARS))
    by_country = legislation.scores(law.cells, "country")
    wide = legislation.score_table(by_country, legislation.scores(law.cells, "axis"))
    shown = legislation.score_display(
        wide.assign(country=report.labels(wide["country"], "country")), report.lang)
    report.table(shown, "legislation_scores", "legislation.tab_scores", counts=[],
                 decimals={report.t("legislation.col_coverage"): 2,
                           report.t("legislation.col_score"): 2})
    report.figure(figures.scores(by_country, report.lang), "legislation_scores",
                  "legislation.fig_scores")


def gaps(report: Report, law: Law) -> None:
    """What each country lacks, and the criteria without data."""
    report.say("legislation.gaps_text")
    found = legislation.gaps(law.cells)
    if found.empty:
        report.notice("legislation.no_gaps")
    else:
        report.table(legislation.gap_table(found, law.scope, report.lang), "legislation_gaps",
                     "legislation.tab_gaps", counts=[])
    missing = legislation.missing_table(legislation.missing_data(law.cells), report.lang)
    report.say("legislation.missing_text")
    if missing.empty:
        report.say("legislation.nothing_missing")
    else:
        report.table(missing, "legislation_missing", "legislation.tab_missing", counts=[])


def harmonization(report: Report, law: Law) -> None:
    """The criteria on which the countries differ most."""
    report.say("legislation.harmonization_text")
    ranking = legislation.harmonization(law.cells)
    ranked = ranking[ranking["entropy"].notna()]
    if ranked.empty:
        report.notice("common.no_data")
    else:
        top = ranked.iloc[0]
        report.say("legislation.harmonization_top", criterion=report.label(
            "criterion", top["criterion_id"]), n=int(top["with_data"]),
            yes=int(top["yes"]), partial=int(top["partial"]), no=int(top["no"]))
        report.table(legislation.harmonization_table(ranked, report.lang),
                     "legislation_harmonization", "legislation.tab_harmonization", counts=[],
                     decimals={report.t("legislation.col_entropy"): 2,
                               report.t("legislation.col_disagreement"): 2})
    untested = ranking.loc[ranking["entropy"].isna(), "criterion_id"]
    if len(untested):
        report.say("legislation.harmonization_untested", n=len(untested))


def penalties(report: Report, law: Law) -> None:
    """Maximum penalties against the serious-crime line."""
    rows = legislation.penalties(law.cells)
    known = rows.dropna(subset=["years"])
    if known.empty:
        report.notice("common.no_data")
        return
    report.say("legislation.penalties_text", low=report.num(known["years"].min()),
               high=report.num(known["years"].max()), n=len(known),
               serious=int(known["serious"].sum()),
               years=report.num(legislation.SERIOUS_CRIME_YEARS))
    report.figure(figures.penalties(rows, report.lang), "max_penalty",
                  "legislation.fig_penalties")
    report.table(legislation.penalty_table(rows, report.lang), "max_penalty",
                 "legislation.tab_penalties", counts=[],
                 decimals={report.t("legislation.col_years"): 0})
