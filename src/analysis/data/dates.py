"""Dates as offices write them: ISO days and months, 15/03/2021 or 03/15/2021 (by the declared
order), two-digit years, Excel serial numbers (45000) and compact 20210315."""

from __future__ import annotations

from datetime import date

import pandas as pd

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIALS = (32874, 80000)  # 1990-01-01 … 2119: a five-digit number in a date column

ISO = r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?$"
COMPACT = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
MONTH_YEAR = r"^(?P<m>\d{1,2})[-/.](?P<y>\d{4})$"
THREE_PARTS = r"^(?P<a>\d{1,4})[-/.](?P<b>\d{1,2})[-/.](?P<c>\d{1,4})$"
SERIAL = r"^(?P<n>\d{5})(?:\.0+)?$"


def _year(text: pd.Series) -> pd.Series:
    """Two-digit years: 19 → 2019, 98 → 1998 (a year never lies in the future)."""
    year = pd.to_numeric(text, errors="coerce")
    short = year < 100
    century = (2000 + year).where(2000 + year <= date.today().year + 1, 1900 + year)
    return year.where(~short, century)


def _build(year, month, day) -> pd.Series:
    year = pd.to_numeric(year, errors="coerce")
    year = year.where((year >= 1700) & (year <= 2200))  # beyond, no date of this contract
    parts = pd.DataFrame({"year": year, "month": pd.to_numeric(month, errors="coerce"),
                          "day": pd.to_numeric(day, errors="coerce")})
    complete = parts.notna().all(axis=1)
    out = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[ns]")
    if complete.any():
        out[complete] = pd.to_datetime(parts[complete].astype(int), errors="coerce")
    return out


def parse(values: pd.Series, order: str = "DMY") -> tuple[pd.Series, pd.Series]:
    """(dates, impossible): `impossible` marks day/month/year values that are no date when read
    in `order` (DMY, MDY or YMD), so the reason can name the order used."""
    text = values.fillna("").astype(str).str.strip()
    # the common case, fast; the years beyond are read (and refused) by the general path
    plausible = text.str.match(r"^(?:1[7-9]|2[01])\d\d-")
    iso = pd.to_datetime(text.where(plausible, ""), format="%Y-%m-%d", errors="coerce")
    rest = iso.isna() & (text != "")
    dates = iso.astype("datetime64[ns]")
    impossible = pd.Series(False, index=text.index)
    if rest.any():
        dates[rest], impossible[rest] = _parse_other(text[rest], order)
    return dates, impossible


def _parse_other(text: pd.Series, order: str) -> tuple[pd.Series, pd.Series]:
    text = text.str.replace(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", "", regex=True)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for pattern in (ISO, COMPACT):
        found = text.str.extract(pattern)
        out = out.fillna(_build(_year(found["y"]), found["m"], found["d"].fillna("1")))
    found = text.str.extract(MONTH_YEAR)
    out = out.fillna(_build(_year(found["y"]), found["m"], "1"))
    serial = pd.to_numeric(text.str.extract(SERIAL)["n"], errors="coerce")
    serial = serial.where((serial >= SERIALS[0]) & (serial <= SERIALS[1]))
    out = out.fillna(EXCEL_EPOCH + pd.to_timedelta(serial, unit="D"))
    found = text.str.extract(THREE_PARTS)
    three = found["a"].notna() & out.isna() & (found["a"].str.len() <= 2)
    a, b, c = found["a"], found["b"], found["c"]
    if order == "YMD":
        year, month, day = _year(a), b, c.where(c.str.len() <= 2)
    elif order == "MDY":
        year, month, day = _year(c.where(c.str.len() != 3)), a.where(a.str.len() <= 2), b
    else:
        year, month, day = _year(c.where(c.str.len() != 3)), b, a.where(a.str.len() <= 2)
    three_dates = _build(year, month, day)
    out = out.where(~three, three_dates)
    return out, three & three_dates.isna()
