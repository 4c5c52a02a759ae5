"""The sections of the methodology report (80_methodology): sources, definitions, small-cell
suppression, pseudonyms and limits."""

from __future__ import annotations

from analysis.report import methodology
from analysis.report.notebook import Report

DEFINITIONS = ("smuggling", "illegal_entry", "document", "offences", "migrants")
LIMITS = ("enforcement", "definitions", "coverage", "incidents", "networks", "suppression")


def intro(report: Report) -> None:
    report.title("methodology.title")
    report.say("methodology.intro")


def sources(report: Report) -> None:
    report.say("methodology.sources_text")
    report.say("methodology.data_source", source=report.source_note())
    table = methodology.reference_sources().rename(columns={
        "file": report.t("methodology.col_file"), "title": report.t("methodology.col_title"),
        "licence": report.t("methodology.col_licence"), "date": report.t("methodology.col_date")})
    report.table(table, "reference_sources", "methodology.tab_sources", counts=[])


def definitions(report: Report) -> None:
    report.say("methodology.definitions_text")
    report.bullets([f"methodology.def_{key}" for key in DEFINITIONS])
    report.say("methodology.vulnerable")


def suppression(report: Report) -> None:
    k = report.min_cell_size
    report.say("methodology.suppression_text", k=k, k_minus=k - 1)


def pseudonyms(report: Report) -> None:
    report.say("methodology.pseudonyms_text")
    fields = methodology.identifier_fields()
    fields["treatment"] = [report.t(f"methodology.treatment_{v}") for v in fields["treatment"]]
    fields["table"] = [report.t(f"dictionary.table_{name}") for name in fields["table"]]
    fields = fields.rename(columns={"table": report.t("methodology.col_table"),
                                    "field": report.t("methodology.col_field"),
                                    "treatment": report.t("methodology.col_treatment")})
    report.table(fields, "identifier_fields", "methodology.tab_identifiers", counts=[])


def limits(report: Report) -> None:
    report.bullets([f"methodology.limit_{key}" for key in LIMITS])
