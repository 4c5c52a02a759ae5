"""Who is smuggled: nationality, sex and age (the population pyramid), unaccompanied and
separated children, the vulnerable groups of the CRM guidelines, reasons for travel and
intended destinations, by reporting country and by year of the case.

Tables here are plain counts of persons; suppression and labels are the report's job.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import reference
from analysis.diagnostic.modus import (
    KEY,
    OTHER,
    ROWS,
    code_counts,
    crosstab_codes,
    group_rows,
    keep_top,
    row_count,
    top_values,
    year_of,
)

CHILD_BANDS = ("0-11", "12-17")
CASE_INPUT = [*KEY, "date"]  # the columns `with_year` reads of the cases
# The columns of the migrants that the profiles read (a narrow read of a large table).
MIGRANT_INPUT = [*KEY, "nationality", "sex", "age_band", "unaccompanied_child",
                 "separated_child", "vulnerability", "intended_destination",
                 "reason_for_travel"]
PYRAMID_SEXES = ("female", "male")


# The migrants with the year of their case (`with_year`), counted per distinct combination of
# the columns the profiles read (column ROWS): a small frame where the table has millions.
_COUNTED = """
SELECT {columns}, year(c.date) AS year, count(*) AS {rows}
FROM migrants AS m
LEFT JOIN cases AS c ON c.reporting_country = m.reporting_country AND c.case_id = m.case_id
GROUP BY ALL ORDER BY ALL"""


def counted(data) -> pd.DataFrame:
    """`with_year` of the dataset's migrants and cases (MIGRANT_INPUT but case_id), one row
    per distinct combination of values with the persons it stands for (ROWS): what every
    profile counts, from a query over the tables, not the tables."""
    columns = ", ".join(f'm."{c}"' for c in MIGRANT_INPUT if c != "case_id")
    out = data.query(_COUNTED.format(columns=columns, rows=ROWS))
    return out.astype({ROWS: "int64", "year": "Int64"})


def top_of(migrants: pd.DataFrame, column: str, n: int) -> list:
    """The `n` most frequent values of `column` among the persons (top_values)."""
    rows = migrants[ROWS] if ROWS in migrants.columns else None
    return top_values(migrants[column], n, rows)


def with_year(migrants: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """Migrants with `year`, the year of their case (missing when the case is unknown)."""
    dated = cases[KEY].assign(year=year_of(cases)) if len(cases) else pd.DataFrame(
        {**{k: pd.Series(dtype="string") for k in KEY}, "year": pd.Series(dtype="Int64")})
    out = migrants.merge(dated.drop_duplicates(KEY), on=KEY, how="left")
    out["year"] = out["year"].astype("Int64")
    return out


def pyramid(
    migrants: pd.DataFrame, sexes: tuple[str, ...] = PYRAMID_SEXES,
    bands: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Persons by age band (rows, youngest first) and sex (columns). Unknown age bands and
    sexes outside `sexes` are left out (see `pyramid_left_out`)."""
    bands = bands or tuple(b for b in reference.code_list("age_band") if b != "unknown")
    counts = group_rows(migrants, ["age_band", "sex"], sort=False)  # then a small table
    counts = counts[counts.index.get_level_values("age_band").isin(bands)
                    & counts.index.get_level_values("sex").isin(sexes)]
    table = counts.unstack(fill_value=0) if len(counts) else pd.DataFrame()
    table = table.reindex(index=list(bands), columns=list(sexes), fill_value=0).astype(int)
    table.index.name, table.columns.name = "age_band", None
    return table


def pyramid_left_out(
    migrants: pd.DataFrame, sexes: tuple[str, ...] = PYRAMID_SEXES,
    bands: tuple[str, ...] | None = None,
) -> int:
    """How many persons the pyramid leaves out (unknown age band, or another sex)."""
    return row_count(migrants) - int(pyramid(migrants, sexes, bands).to_numpy().sum())


def children(migrants: pd.DataFrame, by: str = "reporting_country") -> pd.DataFrame:
    """Per group: children (age bands under 18), and unaccompanied and separated children."""
    columns = ["children", "unaccompanied", "separated"]
    data = migrants.dropna(subset=[by])
    if data.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name=by), dtype=int)
    flags = pd.DataFrame({
        "children": data["age_band"].isin(CHILD_BANDS),
        "unaccompanied": data["unaccompanied_child"].fillna(False).astype(bool),
        "separated": data["separated_child"].fillna(False).astype(bool),
    }, index=data.index)
    if ROWS in data.columns:  # counted rows: each flag as many times as the rows it holds
        flags = flags.mul(data[ROWS].astype("int64"), axis=0)
    table = flags.groupby(data[by]).sum().astype(int)
    table.index.name = by
    return table[columns]


def vulnerability(migrants: pd.DataFrame, by: str | None = None) -> pd.DataFrame | pd.Series:
    """Persons in each CRM vulnerable group (a person may be in several)."""
    codes = reference.code_list("vulnerability")
    if by is None:
        return code_counts(migrants, "vulnerability", codes, multi=True, keep_empty=True)
    return crosstab_codes(migrants, "vulnerability", by, codes, multi=True, keep_empty=True)


def by_group(
    migrants: pd.DataFrame, column: str, by: str, codes: tuple[str, ...] | None = None,
    top: int | None = None, multi: bool = False,
) -> pd.DataFrame:
    """Persons by a code or country column (columns) per group of `by` (rows). With `top`,
    only the most frequent values keep their own column; the rest go to OTHER (last)."""
    data = migrants
    if top is not None and not multi:
        keep = top_of(data, column, top)
        data = data.assign(**{column: keep_top(data[column], keep)})
        codes = (*keep, OTHER)
    table = crosstab_codes(data, column, by, codes, multi=multi)
    if OTHER in table.columns and not table[OTHER].any():
        table = table.drop(columns=OTHER)
    return table


def nationalities(migrants: pd.DataFrame, by: str = "reporting_country", top: int = 12):
    """Persons by nationality (rows: the `top` most frequent, then OTHER) and group (columns)."""
    return by_group(migrants, "nationality", by, top=top).T
