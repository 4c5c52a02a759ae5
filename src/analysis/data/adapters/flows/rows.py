"""The frame every layout parser fills: the contract's `flows` columns as text, plus where each
row came from (`_row`, the line in the file) and why it is set aside (`_reason`, `_column`,
`_value`; empty for a row that is imported)."""

from __future__ import annotations

import pandas as pd

from analysis.core.contract import TABLES

COLUMNS = TABLES["flows"].names
TRACE = ["_row", "_reason", "_column", "_value"]


def start(frame: pd.DataFrame, **constants: str) -> pd.DataFrame:
    """One output row per input row, every contract column blank but the constants given."""
    rows = pd.DataFrame({c: constants.get(c, "") for c in COLUMNS}, index=frame.index)
    rows["_row"] = frame["_row"]
    rows[["_reason", "_column", "_value"]] = ""
    return rows


def flag(rows: pd.DataFrame, bad: pd.Series, reason: str, column: str,
         values: pd.Series) -> None:
    """Set aside the rows in `bad` that have no reason yet (the first reason found wins)."""
    bad = bad.fillna(False).astype(bool) & (rows["_reason"] == "")
    rows.loc[bad, "_reason"] = reason
    rows.loc[bad, "_column"] = column
    rows.loc[bad, "_value"] = values[bad].astype(str)


def assign_mapped(rows: pd.DataFrame, target: str, mapped: pd.Series, column: str,
                  values: pd.Series) -> None:
    """Write mapped codes into `target`; unknown words (None) set the row aside."""
    flag(rows, mapped.isna(), f"unknown_{target}", column, values)
    rows[target] = mapped.fillna("")


def map_unique(values: pd.Series, function) -> pd.Series:
    """`function` applied once per distinct value (files repeat a few values many times)."""
    values = values.fillna("").astype(str)
    distinct = values.unique()
    return values.map(dict(zip(distinct, map(function, distinct), strict=True)))


def month_period(values: pd.Series) -> pd.Series:
    """'2023-04', '2023-04-01' or '2023/4' → '2023-04'; None where it is no month."""
    parts = values.fillna("").astype(str).str.strip().str.extract(
        r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[ T].*)?$")
    month = pd.to_numeric(parts[1], errors="coerce")
    good = parts[0].notna() & month.between(1, 12)
    text = parts[0] + "-" + parts[1].str.zfill(2)
    return text.where(good, None)
