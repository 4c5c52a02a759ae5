"""Data quality: what each country sent, coverage over time, completeness, rows set aside.

Counts of people follow the small-cell rule here as in every table: the rows of `migrants` and
`actors` are persons, so their row counts are counts of people (`PERSON_TABLES`). The other
tables hold records (cases, route legs, incidents, ties, legal provisions, Work Plan rows), and
a row set aside for a data problem identifies no one: those counts stay exact, so that
"read = accepted + set aside" can be checked.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.contract import TABLES
from analysis.core.privacy import DEFAULT_MIN_CELL_SIZE
from analysis.data.ingest import Dataset

PERSON_TABLES = ("migrants", "actors")  # one row per person


def rows_by_country(data: Dataset) -> pd.DataFrame:
    """Accepted rows per table (columns) and reporting country (rows)."""
    counts = data.counts
    if counts.empty:
        return pd.DataFrame()
    table = counts.pivot_table(index="reporting_country", columns="table", values="accepted",
                               aggfunc="sum", fill_value=0)
    return table.reindex(columns=[t for t in TABLES if t in table.columns]).astype(int)


def reconciliation(data: Dataset, min_cell_size: int = DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """Rows read, accepted and set aside per table (read = accepted + set aside).

    For the tables of persons, rows read and accepted from 1 to `min_cell_size` - 1 are counts
    of people: both become the text "<k" (the one would give the other away through the rows
    set aside, which stay exact). `attrs["hidden"]` lists the tables so treated.
    """
    counts = data.counts
    if counts.empty:
        out = pd.DataFrame(columns=["table", "read", "accepted", "set_aside"])
        out.attrs["hidden"] = []
        return out
    totals = counts.groupby("table", sort=False)[["read", "accepted", "set_aside"]].sum()
    totals = totals.reindex([t for t in TABLES if t in totals.index]).astype(int)
    small = totals[["read", "accepted"]].map(lambda n: 0 < n < min_cell_size).any(axis=1)
    hidden = [t for t in PERSON_TABLES if t in totals.index and small[t]]
    out = totals.astype(object)
    out.loc[hidden, ["read", "accepted"]] = f"<{min_cell_size}"
    out = out.reset_index()
    out.attrs["hidden"] = hidden
    return out


def reconciliation_totals(table: pd.DataFrame) -> dict[str, int]:
    """Rows read, accepted and set aside over the tables whose counts are published (the
    hidden tables of persons are left out whole, so the totals cannot give them away)."""
    shown = table[~table["table"].isin(table.attrs.get("hidden", []))]
    return {c: int(shown[c].sum()) for c in ("read", "accepted", "set_aside")}


def coverage(data: Dataset, table: str = "cases") -> pd.DataFrame:
    """Rows per reporting country (rows) and year (columns) of a dated table. Counted by the
    data engine (`Dataset.query`): the table is not loaded."""
    counts = data.query(f'SELECT reporting_country, CAST(year("date") AS INTEGER) AS year, '
                        f'count(*) AS rows FROM "{table}" WHERE "date" IS NOT NULL '
                        f'AND reporting_country IS NOT NULL GROUP BY ALL')
    if counts.empty:
        return pd.DataFrame()
    table = counts.set_index(["reporting_country", "year"])["rows"].unstack(fill_value=0)
    table = table.sort_index().sort_index(axis=1).astype(int)
    table.columns = pd.Index(table.columns.astype("int32"), name="date")
    return table


def completeness(data: Dataset, table: str) -> pd.DataFrame:
    """Share of rows with a value, per field, for each reporting country. Counted by the
    data engine (`Dataset.query`): the table is not loaded."""
    fields = [f for f in TABLES[table].published if f != "reporting_country"]
    filled = "".join(f', count("{f}") AS "{f}"' for f in fields)
    counts = data.query(f'SELECT reporting_country, count(*) AS n{filled} FROM "{table}" '
                        f'WHERE reporting_country IS NOT NULL GROUP BY ALL ORDER BY 1')
    if counts.empty:
        return pd.DataFrame(columns=["reporting_country", "n", *fields])
    n = counts["n"].astype("int64")
    shares = counts[fields].astype("float64").div(n.astype("float64"), axis=0)
    shares.insert(0, "n", n)
    shares.insert(0, "reporting_country", counts["reporting_country"])
    return shares


def set_aside(data: Dataset) -> pd.DataFrame:
    """Rows set aside by table and reason (counts only; the rows stay private)."""
    reasons = data.set_aside_reasons
    if reasons.empty:
        return pd.DataFrame(columns=["table", "reason", "column", "rows"])
    return (reasons.groupby(["table", "reason", "column"], sort=True)["rows"].sum()
            .reset_index()
            .sort_values(["table", "rows"], ascending=[True, False], kind="stable"))
