"""How the smuggling works: corridors, fees, payment, service model, transport and
concealment, document fraud, recruitment, associated crimes and legal outcomes of the cases.

Everything here turns clean tables (`analysis.data.ingest.Dataset`) into plain tables of counts or
of statistics with the number of cases behind each row (`n`); suppression and labels are the
report's job.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.core import reference
from analysis.core.contract import TABLES
from analysis.diagnostic import currency

KEY = list(TABLES["cases"].key)  # what identifies a case
OTHER = "_other"  # the group that collects what is not among the top rows
LEG_INPUT = [*KEY, "leg_order", "from_place", "to_place"]  # what `corridors` reads of legs
# The columns of the cases that the modus operandi report reads (a narrow read).
CASE_INPUT = [*KEY, "date", "transport_mode", "origin_country", "destination_country",
              "fee_amount", "fee_currency", "payment_method", "concealment", "document_fraud",
              "service_model", "recruitment_channel", "associated_crimes", "legal_outcome",
              "sentence_years"]
STAT_COLUMNS = ["n", "median", "q1", "q3"]
# In a frame of counted rows (one row per distinct combination of values, from a GROUP BY),
# how many rows of the table each row stands for; every count below adds it up.
ROWS = "_rows"
# The stages of the legal funnel, and the outcomes that show a case reached each one.
FUNNEL = {
    "investigated": ("investigated", "charged", "convicted", "acquitted", "dismissed"),
    "charged": ("charged", "convicted", "acquitted"),
    "convicted": ("convicted",),
}


# generic tabulation ------------------------------------------------------------------
# A table of counts reads every row once, in `cell_counts` (rows per distinct cell value and
# group: a GROUP BY that a database engine can run as well); what follows works on its small
# result, so no step handles a row, or splits a multi-valued cell, more than once per value.
def _codes_of(value: object) -> list[str]:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return []
    codes = [c.strip() for c in str(value).split(";")]
    return list(dict.fromkeys(c for c in codes if c))


def split_codes(values: pd.Series) -> pd.Series:
    """Each multi-valued cell ("a;b") as a list of distinct codes, in order; [] when empty.
    Each distinct cell is split once."""
    positions, uniques = pd.factorize(values, use_na_sentinel=True)
    lists = [_codes_of(u) for u in uniques]
    return pd.Series([lists[i] if i >= 0 else [] for i in positions], index=values.index,
                     dtype=object)


def explode_codes(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per code of a multi-valued column (rows without a code are dropped)."""
    out = frame.assign(**{column: split_codes(frame[column])}).explode(column)
    return out[out[column].notna()].reset_index(drop=True)


def ordered(found: Sequence, codes: Sequence | None) -> list:
    """The codes found, in code-list order, then any others found (sorted)."""
    found = [f for f in dict.fromkeys(found) if pd.notna(f)]
    if codes is None:
        return sorted(found)
    listed = [c for c in codes if c in found]
    return listed + sorted(f for f in found if f not in set(codes))


def cell_counts(frame: pd.DataFrame, column: str, by: str | None = None) -> pd.DataFrame:
    """Rows per distinct value of `column` (and group of `by`): columns [by,] column, n.
    Rows missing the value or the group are left out. The only step of a table of counts
    that reads every row (`counts_of_codes` and `crosstab_of_counts` take its result)."""
    keys = [by, column] if by else [column]
    counts = group_rows(frame, keys, sort=False, dropna=True, observed=True)
    return counts.rename("n").reset_index()


def group_rows(frame: pd.DataFrame, keys: list[str], **options) -> pd.Series:
    """Rows of the table per group of `keys` (`DataFrame.groupby` options), counted rows
    standing for as many rows as their ROWS column says."""
    grouped = frame.groupby(keys, **options)
    return grouped[ROWS].sum() if ROWS in frame.columns else grouped.size()


def row_count(frame: pd.DataFrame) -> int:
    """The rows of a table that a frame holds (those its counted rows stand for)."""
    return int(frame[ROWS].sum()) if ROWS in frame.columns else len(frame)


def _code_rows(cells: pd.DataFrame, column: str, multi: bool) -> pd.DataFrame:
    """Cell counts with one row per code of each cell (multi-valued cells split)."""
    if not multi:
        return cells
    out = cells.assign(**{column: split_codes(cells[column])}).explode(column)
    return out[out[column].notna()]


def counts_of_codes(
    cells: pd.DataFrame, column: str, codes: Sequence | None = None, multi: bool = False,
    keep_empty: bool = False,
) -> pd.Series:
    """`code_counts` from the cell counts of `column` (`cell_counts(frame, column)`)."""
    counts = _code_rows(cells, column, multi).groupby(column, sort=False)["n"].sum()
    index = list(codes) if keep_empty and codes is not None else ordered(counts.index, codes)
    return counts.reindex(index, fill_value=0).astype(int).rename("n")


def crosstab_of_counts(
    cells: pd.DataFrame, column: str, by: str, codes: Sequence | None = None,
    multi: bool = False, groups: Sequence | None = None, keep_empty: bool = False,
) -> pd.DataFrame:
    """`crosstab_codes` from the cell counts of `column` by `by`
    (`cell_counts(frame, column, by)`)."""
    data = _code_rows(cells, column, multi)
    if data.empty:
        return pd.DataFrame(index=pd.Index(list(groups or []), name=by), dtype=int)
    table = data.groupby([by, column], sort=True)["n"].sum().unstack(fill_value=0)
    columns = list(codes) if keep_empty and codes is not None else ordered(table.columns, codes)
    rows = list(groups) if groups is not None else list(table.index)
    table = table.reindex(index=rows, columns=columns, fill_value=0).astype(int)
    table.index.name, table.columns.name = by, None
    return table


def code_counts(
    frame: pd.DataFrame, column: str, codes: Sequence | None = None, multi: bool = False,
    keep_empty: bool = False,
) -> pd.Series:
    """Rows with each code of `column` (a row with several codes counts once for each)."""
    return counts_of_codes(cell_counts(frame, column), column, codes, multi, keep_empty)


def crosstab_codes(
    frame: pd.DataFrame, column: str, by: str, codes: Sequence | None = None,
    multi: bool = False, groups: Sequence | None = None, keep_empty: bool = False,
) -> pd.DataFrame:
    """Rows with each code of `column` (columns) in each group of `by` (rows)."""
    return crosstab_of_counts(cell_counts(frame, column, by), column, by, codes, multi, groups,
                              keep_empty)


def summary(frame: pd.DataFrame, value: str, by: str | list[str] | None = None) -> pd.DataFrame:
    """Median and interquartile range of `value` with the number of rows behind it (`n`)."""
    data = frame.dropna(subset=[value])
    by = [by] if isinstance(by, str) else list(by or [])
    if by:
        data = data.dropna(subset=by)
    if data.empty:
        return pd.DataFrame(columns=[*by, *STAT_COLUMNS])

    def stats(values: pd.Series) -> pd.Series:
        return pd.Series({"n": int(values.size), "median": values.median(),
                          "q1": values.quantile(0.25), "q3": values.quantile(0.75)})

    if not by:
        return stats(data[value]).to_frame().T.astype({"n": int})
    out = data.groupby(by, sort=False)[value].apply(stats).unstack().reset_index()
    return out.astype({"n": int}).sort_values("n", ascending=False, kind="stable").reset_index(
        drop=True)


def year_of(frame: pd.DataFrame, column: str = "date") -> pd.Series:
    """The calendar year of a date column, as a nullable integer."""
    return pd.to_datetime(frame[column]).dt.year.astype("Int64")


def top_values(values: pd.Series, n: int, rows: pd.Series | None = None) -> list:
    """The `n` most frequent values (ties broken by value, so the order is stable); `rows`:
    how many rows each value stands for (a frame of counted rows' ROWS column)."""
    counts = (values.dropna().value_counts() if rows is None
              else rows.groupby(values, dropna=True).sum())
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    return list(counts.index[:n])


def keep_top(values: pd.Series, keep: Sequence) -> pd.Series:
    """Values outside `keep` become OTHER; missing values stay missing."""
    return values.where(values.isin(list(keep)) | values.isna(), OTHER)


# corridors ---------------------------------------------------------------------------
def corridors(route_legs: pd.DataFrame, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """The corridor of each case with route legs: the country of the first leg's origin and
    of the last leg's destination (by leg_order)."""
    places = reference.places() if places is None else places
    columns = [*KEY, "corridor_origin", "corridor_destination"]
    legs = route_legs.dropna(subset=["case_id", "leg_order"])
    if legs.empty:
        return pd.DataFrame(columns=columns)
    legs = legs.sort_values([*KEY, "leg_order"], kind="stable")
    grouped = legs.groupby(KEY, sort=False)
    country = places["country"]
    out = pd.DataFrame({
        "corridor_origin": grouped["from_place"].first().map(country),
        "corridor_destination": grouped["to_place"].last().map(country),
    }).reset_index()
    return out[columns]


# The first leg's origin and the last leg's destination of each case (by leg_order).
_ENDS = """
SELECT reporting_country, case_id, arg_min(from_place, leg_order) AS from_place,
       arg_max(to_place, leg_order) AS to_place
FROM route_legs WHERE case_id IS NOT NULL AND leg_order IS NOT NULL
GROUP BY reporting_country, case_id ORDER BY reporting_country, case_id"""


def corridors_of(data, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """`corridors` of the dataset's route legs, from a query over them (not loaded)."""
    places = reference.places() if places is None else places
    ends = data.query(_ENDS)
    country = places["country"]
    out = pd.DataFrame({"corridor_origin": ends["from_place"].map(country),
                        "corridor_destination": ends["to_place"].map(country)})
    return pd.concat([ends[KEY], out], axis=1)


def with_corridor(
    cases: pd.DataFrame, route_legs: pd.DataFrame | None, places: pd.DataFrame | None = None,
    fallback: bool = True, found: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Cases with their corridor (`corridor` = "GTM>USA") and `corridor_source`: "legs" when
    it comes from the route legs; "case" (with `fallback`) when it comes from the case's origin
    and destination countries, for cases without legs or whose legs stay inside one country
    (a domestic segment of a longer journey) while the case names two countries. `found`:
    the corridors of the route legs (`corridors`), when already known.
    """
    found = corridors(route_legs, places) if found is None else found
    out = cases.merge(found, on=KEY, how="left")
    out["corridor_source"] = pd.Series(pd.NA, index=out.index, dtype="string")
    from_legs = out["corridor_origin"].notna() & out["corridor_destination"].notna()
    out.loc[from_legs, "corridor_source"] = "legs"
    if fallback:
        case_pair = out["origin_country"].notna() & out["destination_country"].notna()
        international = case_pair & out["origin_country"].ne(out["destination_country"])
        domestic = from_legs & out["corridor_origin"].eq(out["corridor_destination"])
        use = (~from_legs & case_pair) | (domestic & international).fillna(False)
        out.loc[use, "corridor_origin"] = out.loc[use, "origin_country"]
        out.loc[use, "corridor_destination"] = out.loc[use, "destination_country"]
        out.loc[use, "corridor_source"] = "case"
    known = out["corridor_source"].notna()
    out["corridor"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out.loc[known, "corridor"] = (out.loc[known, "corridor_origin"].astype(str) + ">"
                                  + out.loc[known, "corridor_destination"].astype(str))
    return out


def split_corridor(code: str) -> tuple[str, str]:
    """"GTM>USA" → ("GTM", "USA")."""
    origin, _, destination = str(code).partition(">")
    return origin, destination


# fees --------------------------------------------------------------------------------
def with_fees_usd(cases: pd.DataFrame, rates: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cases with `fee_year` (year of the case) and `fee_usd` (fee at that year's rate)."""
    out = cases.copy()
    out["fee_year"] = year_of(out) if len(out) else pd.Series(dtype="Int64")
    out["fee_usd"] = currency.to_usd(out["fee_amount"], out["fee_currency"], out["fee_year"],
                                     rates)
    return out


def fee_coverage(cases: pd.DataFrame) -> dict[str, int]:
    """How many cases report a fee, and how many of those could be converted to USD."""
    has_fee = cases["fee_amount"].notna()
    converted = int(cases["fee_usd"].notna().sum()) if "fee_usd" in cases else 0
    return {"cases": len(cases), "with_fee": int(has_fee.sum()), "converted": converted,
            "not_converted": int(has_fee.sum()) - converted}


def currencies_used(cases: pd.DataFrame) -> list[str]:
    """The currencies fees were reported in, in code-list order."""
    found = cases.loc[cases["fee_amount"].notna(), "fee_currency"].dropna().str.upper()
    return ordered(found.unique(), reference.code_list("currency"))


# legal outcomes ----------------------------------------------------------------------
def legal_funnel(cases: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Cases that reached each stage (investigated ⊇ charged ⊇ convicted), overall (one row)
    or per group of `by`."""
    data = cases.dropna(subset=["legal_outcome"])
    if by:
        data = data.dropna(subset=[by])
    stages = pd.DataFrame({stage: data["legal_outcome"].isin(outcomes)
                           for stage, outcomes in FUNNEL.items()}, index=data.index)
    if by:
        return stages.groupby(data[by]).sum().astype(int)
    return stages.sum().astype(int).to_frame().T


def sentences(cases: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Median and interquartile range of the sentence (years) of convicted cases."""
    convicted = cases[cases["legal_outcome"].eq("convicted").fillna(False)]
    return summary(convicted, "sentence_years", by)
