"""Fees in US dollars: annual average exchange rates (data/reference/exchange_rates.csv) and
the conversion of an amount at the rate of the year it was paid."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core import reference


def rates() -> pd.DataFrame:
    """Units of each currency per US dollar, one row per currency and year, with the source."""
    return reference.exchange_rates()


def years() -> tuple[int, int]:
    """The first and last year the rate table covers."""
    table = rates()
    return int(table["year"].min()), int(table["year"].max())


def rate_for(
    currencies: pd.Series, years_paid: pd.Series, table: pd.DataFrame | None = None,
    nearest: bool = True,
) -> pd.Series:
    """The units per US dollar of each (currency, year); missing where unknown.

    With `nearest`, a year outside a currency's rows takes that currency's closest year.
    """
    table = rates() if table is None else table
    out = pd.Series(np.nan, index=currencies.index, dtype=float)
    codes = currencies.astype("string").str.upper()
    wanted = pd.to_numeric(years_paid, errors="coerce")
    for code, rows in table.groupby("currency"):
        here = codes.eq(code).fillna(False) & wanted.notna()
        if not here.any():
            continue
        by_year = rows.set_index("year")["units_per_usd"].sort_index()
        asked = wanted[here].astype(int)
        if nearest:
            asked = asked.clip(by_year.index.min(), by_year.index.max())
        out[here] = asked.map(by_year).to_numpy(dtype=float)
    return out


def to_usd(
    amounts: pd.Series, currencies: pd.Series, years_paid: pd.Series,
    table: pd.DataFrame | None = None, nearest: bool = True,
) -> pd.Series:
    """Amounts in US dollars at the annual average rate of the year paid.

    Amounts without a currency, or in a currency without a rate, stay missing.
    """
    rate = rate_for(currencies, years_paid, table, nearest)
    return pd.to_numeric(amounts, errors="coerce").astype(float) / rate


def rate_matrix(currencies: list[str] | None = None) -> pd.DataFrame:
    """The rate table as currency (rows) x year (columns), in the order asked."""
    table = rates().pivot(index="currency", columns="year", values="units_per_usd")
    if currencies is not None:
        table = table.reindex([c for c in currencies if c in table.index])
    return table


def sources(currencies: list[str] | None = None) -> pd.DataFrame:
    """The distinct sources of the rates, with the currencies each one covers."""
    table = rates()
    if currencies is not None:
        table = table[table["currency"].isin(currencies)]
    grouped = table.groupby("source", sort=False)["currency"].unique()
    return pd.DataFrame({"source": grouped.index,
                         "currencies": [", ".join(c) for c in grouped.to_numpy()]})
