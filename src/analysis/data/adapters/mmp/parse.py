"""Parsing the rows of an IOM Missing Migrants file: ids, dates, coordinates, counts, causes."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from analysis.data.adapters.mmp.place import place_rows

EARLIEST = pd.Timestamp("1990-01-01")  # as analysis.data.validation

COUNTS = ("dead", "missing", "survivors", "females", "males", "children")


# IOM's causes of death; a cell may hold several joined by commas, and some contain commas.
CAUSES = (
    "Harsh environmental conditions / lack of adequate shelter, food, water",
    "Vehicle accident / death linked to hazardous transport",
    "Sickness / lack of access to adequate healthcare",
    "Mixed or unknown", "Drowning", "Violence", "Accidental death",
)

MONTHS = {m.lower(): i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"), start=1)}
MONTH_NAME_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y",
                      "%d %b %Y", "%d-%b-%Y", "%d-%B-%Y")
NUMBER = r"[-+]?\d+(?:\.\d+)?"
WKT_POINT = re.compile(rf"^POINT\s*\(\s*(?P<lon>{NUMBER})\s+(?P<lat>{NUMBER})\s*\)$", re.I)
LAT_LON = re.compile(rf"^(?P<lat>{NUMBER})\s*[,;]\s*(?P<lon>{NUMBER})$")


def parse_rows(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """One parsed row per input row: values, country, region, and the first problem found."""
    def col(concept: str) -> pd.Series:
        name = columns.get(concept)
        return frame[name] if name else pd.Series("", index=frame.index, dtype=object)

    rows = pd.DataFrame(index=frame.index)
    rows["row"] = frame.index + 2  # the spreadsheet row (header is row 1)
    rows["problem"] = ""
    rows["problem_column"] = ""

    def flag(mask: pd.Series, reason: str, concept: str) -> None:
        mask = mask & rows["problem"].eq("")
        rows.loc[mask, "problem"] = reason
        rows.loc[mask, "problem_column"] = columns.get(concept, concept)

    ids = col("incident_id")
    flag(ids.eq(""), "no_id", "incident_id")
    repeat = ids.groupby(ids).cumcount()
    rows["incident_id"] = ids.where(repeat.eq(0) | ids.eq(""), ids + "-" + (repeat + 1).astype(str))
    rows.attrs["ids_suffixed"] = int((repeat.gt(0) & ids.ne("")).sum())

    dates, precision, bad, order = parse_dates(col("date"))
    from_month = dates.eq("") & ~bad
    month_dates = _year_month(col("year"), col("month"))
    dates = dates.where(~from_month, month_dates)
    precision = precision.where(~from_month, np.where(month_dates.ne(""), "month", ""))
    rows["date"], rows["date_precision"] = dates, precision
    rows.attrs["date_order"] = order
    flag(dates.eq("") & ~bad, "no_date", "date")
    flag(bad, "bad_date", "date")
    stamps = pd.to_datetime(dates.where(dates.str.len() == 10, dates + "-01"), errors="coerce",
                            format="%Y-%m-%d")
    latest = pd.Timestamp(date.today()) + pd.Timedelta(days=1)
    flag(stamps.notna() & ((stamps < EARLIEST) | (stamps > latest)), "date_out_of_range", "date")

    if "lat" in columns:
        lat, bad_lat = _parse_number(col("lat"))
        lon, bad_lon = _parse_number(col("lon"))
        bad = bad_lat | bad_lon | (lat.isna() != lon.isna())
    else:
        lat, lon, bad = parse_coordinates(col("coordinates"))
    out_of_range = lat.notna() & ((lat.abs() > 90) | (lon.abs() > 180))
    flag(bad, "bad_coordinates", "coordinates")
    flag(out_of_range, "coordinates_out_of_range", "coordinates")
    usable = lat.notna() & lon.notna() & ~out_of_range
    rows["lat"], rows["lon"] = lat.where(usable), lon.where(usable)

    for concept in (*COUNTS, "dead_and_missing", "source_quality"):
        values, bad = parse_counts(col(concept))
        rows[concept] = values
        flag(bad, "not_a_count", concept)
    for concept in COUNTS:
        flag(rows[concept].fillna(0) < 0, "negative_count", concept)
    if "dead" not in columns:  # only a total: dead = total - missing
        rows["dead"] = rows["dead_and_missing"] - rows["missing"].fillna(0)
    rows["dead"] = rows["dead"].fillna(0)
    rows["missing"] = rows["missing"].fillna(0)
    flag(rows["dead"].eq(0) & rows["missing"].eq(0), "no_dead_or_missing", "dead")
    total = rows["dead_and_missing"]
    flag(total.notna() & total.ne(rows["dead"] + rows["missing"]), "totals_disagree",
         "dead_and_missing")
    quality = rows["source_quality"]
    flag(quality.notna() & ((quality < 1) | (quality > 5)), "bad_source_quality",
         "source_quality")

    rows["cause"] = col("cause").map(split_causes)
    rows["route"], rows["source"] = col("route"), col("source")
    place_rows(rows, col("country"), col("location"), col("iom_region"), col("unsd_region"))
    return rows


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Counts stored as text ("1,234", "3 ", "2.0", ""): (Int64 values, unparseable mask)."""
    text = values.astype(str).str.strip()
    text = text.str.replace(r"(?<=\d),(?=\d{3}(?:\D|$))", "", regex=True)
    text = text.str.replace(r"^([-+]?\d+)\.0*$", r"\1", regex=True)
    ok = text.str.fullmatch(r"[-+]?\d+")
    numbers = pd.to_numeric(text.where(ok), errors="coerce").astype("Int64")
    return numbers, text.ne("") & ~ok


def _parse_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = values.astype(str).str.strip()
    numbers = pd.to_numeric(text.where(text.ne("")), errors="coerce")
    return numbers.astype(float), text.ne("") & numbers.isna()


def parse_coordinates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """`POINT (lon lat)` (WKT) or `lat, lon` → (lat, lon, unparseable mask)."""
    text = values.astype(str).str.strip()
    wkt = text.str.extract(WKT_POINT)
    pair = text.str.extract(LAT_LON)
    lat = pd.to_numeric(wkt["lat"].fillna(pair["lat"]), errors="coerce").astype(float)
    lon = pd.to_numeric(wkt["lon"].fillna(pair["lon"]), errors="coerce").astype(float)
    return lat, lon, text.ne("") & lat.isna()


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, str]:
    """IOM's date formats → (ISO text, precision, unparseable mask, slash-date order).

    ISO (`2019-05-03`, `2019-05`), `Thu, 01/01/2026 - 12:00`, `May 03, 2019`, `03 May 2019`,
    `03/05/2019`. Weekday prefixes and times are dropped. Slash dates are ambiguous: see
    `_slash_order`.
    """
    text = values.astype(str).str.strip()
    core = text.str.replace(r"^[A-Za-z]{3,9}\.?,\s*", "", regex=True)
    core = core.str.replace(r"(?:\s*-\s*|\s+|T)\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[AP]M)?$",
                            "", regex=True, case=False).str.strip()
    day = pd.to_datetime(core.where(core.str.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}")),
                         format="%Y-%m-%d", errors="coerce")
    month_only = pd.to_datetime(core.where(core.str.fullmatch(r"\d{4}-\d{1,2}")),
                                format="%Y-%m", errors="coerce")
    slash = core.str.extract(r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4})$")
    order = _slash_order(slash, text)
    if order:
        month, dom = (slash["a"], slash["b"]) if order.startswith("mdy") else (slash["b"],
                                                                            slash["a"])
        joined = slash["y"] + "-" + month.str.zfill(2) + "-" + dom.str.zfill(2)
        day = day.fillna(pd.to_datetime(joined, format="%Y-%m-%d", errors="coerce"))
    for fmt in MONTH_NAME_FORMATS:
        if day.isna().any():
            day = day.fillna(pd.to_datetime(core, format=fmt, errors="coerce"))
    iso = day.dt.strftime("%Y-%m-%d").fillna(month_only.dt.strftime("%Y-%m")).fillna("")
    precision = np.where(day.notna(), "day", np.where(month_only.notna(), "month", ""))
    precision = pd.Series(precision, index=values.index)
    return iso, precision, text.ne("") & iso.eq(""), order


def _slash_order(slash: pd.DataFrame, text: pd.Series) -> str:
    """Month first or day first for the file's slash dates, and how it was decided.

    A first part above 12 proves day first, a second part above 12 month first. When the
    values prove neither, the weekday IOM prints before the date decides; failing that,
    month first, as IOM's current exports (`Thu, 01/17/2026 - 12:00`) are.
    """
    found = slash.dropna()
    if found.empty:
        return ""
    first, second = found["a"].astype(int), found["b"].astype(int)
    if (first > 12).any() and not (second > 12).any():
        return "dmy_values"
    if (second > 12).any() and not (first > 12).any():
        return "mdy_values"
    weekday = text.loc[found.index].str.extract(r"^([A-Za-z]{3})", expand=False).str.lower()
    if weekday.notna().any():
        votes = {}
        for order, (m, d) in {"mdy": (first, second), "dmy": (second, first)}.items():
            stamps = pd.to_datetime(found["y"] + "-" + m.astype(str) + "-" + d.astype(str),
                                    format="%Y-%m-%d", errors="coerce")
            votes[order] = int((stamps.dt.strftime("%a").str.lower() == weekday).sum())
        if votes["dmy"] > votes["mdy"]:
            return "dmy_weekday"
        if votes["mdy"] > votes["dmy"]:
            return "mdy_weekday"
    return "mdy_default"


def _year_month(year: pd.Series, month: pd.Series) -> pd.Series:
    """Year + (reported) month → '2020-03' where both are usable, else ''."""
    years = year.astype(str).str.strip().str.extract(r"^(\d{4})(?:\.0)?$", expand=False)
    text = month.astype(str).str.strip().str.lower()
    by_name = text.str.slice(0, 3).map({name[:3]: n for name, n in MONTHS.items()})
    by_name = by_name.where(text.str.fullmatch(r"[a-z]{3,9}\.?"))
    by_number = pd.to_numeric(text.where(text.str.fullmatch(r"\d{1,2}")), errors="coerce")
    numbers = by_name.fillna(by_number)
    ok = years.notna() & numbers.between(1, 12)
    joined = years + "-" + numbers.fillna(0).astype(int).astype(str).str.zfill(2)
    return joined.where(ok, "")


def split_causes(text: str) -> str:
    """IOM's multi-valued cause ("Drowning,Mixed or unknown") → "Drowning; Mixed or unknown".

    Known causes are found first because some contain commas themselves.
    """
    text = str(text).strip()
    if not text:
        return ""
    found: list[tuple[int, str]] = []
    rest = text
    for cause in CAUSES:
        at = rest.lower().find(cause.lower())
        if at >= 0:
            found.append((at, cause))
            rest = rest[:at] + "\0" * len(cause) + rest[at + len(cause):]
    for match in re.finditer(r"[^,;\0]+", rest):
        if match.group().strip():
            found.append((match.start(), match.group().strip()))
    return "; ".join(value for _, value in sorted(found))
