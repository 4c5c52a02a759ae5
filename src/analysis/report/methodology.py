"""What the methodology section states that can be read off the project itself:
the reference sources with their provenance, which fields are pseudonymized or dropped, and
which counts follow the small-cell rule outside the tables."""

from __future__ import annotations

import pandas as pd

from analysis.core import i18n, reference
from analysis.core.contract import TABLES
from analysis.diagnostic.quality import PERSON_TABLES


def reference_sources() -> pd.DataFrame:
    """Every reference file with its provenance sidecar: title, origin, licence, date."""
    rows = []
    for name, meta in reference.provenance():
        rows.append({
            "file": name,
            "title": str(meta.get("title", "")).strip(),
            "licence": str(meta.get("licence", "")).strip().split("\n")[0],
            "date": str(meta.get("date", "")),
        })
    return pd.DataFrame(rows, columns=["file", "title", "licence", "date"])


def identifier_fields() -> pd.DataFrame:
    """Fields pseudonymized at ingestion and fields dropped there, per table."""
    rows = [{"table": t.name, "field": f.name,
             "treatment": "pseudonymized" if f.pseudonymize else "dropped"}
            for t in TABLES.values() for f in t.fields if f.pseudonymize or f.drop]
    return pd.DataFrame(rows, columns=["table", "field", "treatment"])


def count_rules(lang: str) -> pd.DataFrame:
    """Per table of the contract: what one row is, and how counts of its rows are published in
    text, the index and the data quality report (persons: the small-cell rule; records: exact)."""
    def t(key: str) -> str:
        return i18n.t(f"methodology.{key}", lang)

    rows = [{t("col_table"): i18n.t(f"dictionary.table_{name}", lang),
             t("col_row_is"): t("row_person" if name in PERSON_TABLES else "row_record"),
             t("col_count_rule"): t("rule_small_cell" if name in PERSON_TABLES else "rule_exact")}
            for name in TABLES]
    return pd.DataFrame(rows)
