"""Data quality: what each country sent, coverage over time, completeness, rows set aside."""

from __future__ import annotations

import pandas as pd

from analysis.core.contract import TABLES
from analysis.data.ingest import Dataset


def rows_by_country(data: Dataset) -> pd.DataFrame:
    """Accepted rows per table (columns) and reporting country (rows)."""
    counts = data.counts
    if counts.empty:
        return pd.DataFrame()
    table = counts.pivot_table(index="reporting_country", columns="table", values="accepted",
                               aggfunc="sum", fill_value=0)
    return table.reindex(columns=[t for t in TABLES if t in table.columns]).astype(int)


def reconciliation(data: Dataset) -> pd.DataFrame:
    """Rows read, accepted and set aside per table (read = accepted + set aside)."""
    counts = data.counts
    if counts.empty:
        return pd.DataFrame(columns=["table", "read", "accepted", "set_aside"])
    totals = counts.groupby("table", sort=False)[["read", "accepted", "set_aside"]].sum()
    return totals.reindex([t for t in TABLES if t in totals.index]).reset_index()


def coverage(data: Dataset, table: str = "cases") -> pd.DataFrame:
    """Rows per reporting country (rows) and year (columns) of a dated table."""
    frame = data.tables[table]
    if frame.empty:
        return pd.DataFrame()
    years = frame["date"].dt.year
    return pd.crosstab(frame["reporting_country"], years).astype(int)


def completeness(data: Dataset, table: str) -> pd.DataFrame:
    """Share of rows with a value, per field, for each reporting country."""
    frame = data.tables[table]
    fields = [f for f in TABLES[table].published if f != "reporting_country"]
    if frame.empty:
        return pd.DataFrame(columns=["reporting_country", "n", *fields])
    shares = frame[fields].notna().groupby(frame["reporting_country"]).mean()
    shares.insert(0, "n", frame.groupby("reporting_country").size())
    return shares.reset_index()


def set_aside(data: Dataset) -> pd.DataFrame:
    """Rows set aside by table and reason (counts only; the rows stay private)."""
    reasons = data.set_aside_reasons
    if reasons.empty:
        return pd.DataFrame(columns=["table", "reason", "column", "rows"])
    return (reasons.groupby(["table", "reason", "column"], sort=True)["rows"].sum()
            .reset_index()
            .sort_values(["table", "rows"], ascending=[True, False], kind="stable"))
