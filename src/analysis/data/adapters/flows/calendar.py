"""Months and fiscal years: month names (es/en) → numbers, U.S. fiscal years → calendar months."""

from __future__ import annotations

import pandas as pd

from analysis.core import text

MONTHS = {
    1: ("jan", "january", "ene", "enero"), 2: ("feb", "february", "febrero"),
    3: ("mar", "march", "marzo"), 4: ("apr", "april", "abr", "abril"),
    5: ("may", "mayo"), 6: ("jun", "june", "junio"), 7: ("jul", "july", "julio"),
    8: ("aug", "august", "ago", "agosto"),
    9: ("sep", "sept", "september", "set", "septiembre", "setiembre"),
    10: ("oct", "october", "octubre"), 11: ("nov", "november", "noviembre"),
    12: ("dec", "december", "dic", "diciembre"),
}
MONTH_NUMBER = {name: number for number, names in MONTHS.items() for name in names}
FISCAL_YEAR_START = 10  # the U.S. federal fiscal year N runs from October N-1 to September N


def month_number(values: pd.Series) -> pd.Series:
    """'OCT', 'Octubre', '10' → 10 (float, NaN where unknown)."""
    folded = values.fillna("").astype(str).map(text.fold)
    numeric = pd.to_numeric(folded, errors="coerce")
    named = folded.map(MONTH_NUMBER)
    number = numeric.where(numeric.between(1, 12)).fillna(named)
    return number.astype(float)


def year_number(values: pd.Series) -> pd.Series:
    """'2024', 'FY2024', '2024 (FYTD)' → 2024 (float, NaN where no year)."""
    found = values.fillna("").astype(str).str.extract(r"(?<!\d)(\d{4})(?!\d)")[0]
    return pd.to_numeric(found, errors="coerce")


def fiscal_to_calendar(fiscal_year: pd.Series, month: pd.Series) -> pd.Series:
    """Calendar months 'YYYY-MM' of (fiscal year, month): October to December fall in the
    calendar year before the fiscal year's number. None where either is missing."""
    calendar_year = fiscal_year - (month >= FISCAL_YEAR_START).astype(int)
    good = fiscal_year.notna() & month.notna()
    out = (calendar_year.astype("Int64").astype(str) + "-"
           + month.astype("Int64").astype(str).str.zfill(2))
    return out.where(good, None)
