"""IOM Missing Migrants Project (MMP) CSV → the contract's `incidents` table.

`import_mmp(file, out_dir)` writes a data folder that `analysis.data.ingest` ingests: one folder per
country of incident (`<ISO3>/incidents.csv`, plus an empty `cases.csv` that ingestion requires),
`ZZZ/` for incidents in no country (at sea), and `dataset.yml` with the provenance.

Every row read ends in exactly one group, each with its reason: imported, outside the requested
region, or rejected (written with the reason to `<private>/mmp/<stem>_rejected.csv`, see
`paths.private_dir()`: git-ignored, never published). Decisions, documented where they are made:

- Columns are matched by meaning (`COLUMN_ALIASES`), case-, accent- and punctuation-insensitively.
- Americas: IOM's UNSD geographical grouping decides; where it is "Uncategorized" (mostly at
  sea) or empty, IOM's region of incident decides; with neither, the country's UNSD sub-region.
- CRM: Americas rows whose coordinates fall in a CRM member country, or within
  `COAST_BUFFER_KM` of its coast; rows without coordinates are judged by their country.
- Country of incident: the stated country, else the coordinates (point in the basemap polygon,
  or nearest coast within `COAST_BUFFER_KM`), else, for rows without coordinates or outside
  the Americas (which the basemap does not cover), the last part of IOM's location text;
  else `ZZZ`. Countries missing from data/reference/countries.csv (which ingestion requires)
  also go to `ZZZ`, counted apart in the report.
- Type: `death` when dead > 0, else `disappearance` (IOM records only dead and missing).
- Blank dead or missing count as 0, as IOM's own "Total Number of Dead and Missing" does;
  blank survivors, females, males and children stay blank (unknown, not zero).
- Dates: slash dates are read month first unless the file's values prove day first
  (`_slash_order`); without a day, year + reported month give a month-precision date.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.core import i18n, paths, reference
from analysis.core.contract import TABLES

PRODUCER = "IOM Missing Migrants Project"
IMPORTER = "analysis.data.adapters.mmp"
REGIONS = ("americas", "crm", "all")
NO_COUNTRY = "ZZZ"  # "No country / international waters" in data/reference/countries.csv
# Offshore incidents count for the nearest country within this distance of its coast. The
# territorial sea is 12 nautical miles (22.2 km); 20 km stays inside it while absorbing the
# generalization of Natural Earth's 1:50m coastline (a few km).
COAST_BUFFER_KM = 20.0
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 decodes any byte: the last resort
EARLIEST = pd.Timestamp("1990-01-01")  # as analysis.data.validation
CURRENT_LICENCE = "CC BY 4.0"
# Six decimals (about 0.1 m). A fixed width also keeps values like "-80.321" from being read
# as European thousands ("1.234") by ingestion.
COORDINATE_FORMAT = "%.6f"

# Concept → column names IOM has used, in order of preference (compared through `_fold`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "incident_id": ("Incident ID", "Main ID", "Web ID", "ID"),
    "date": ("Incident Date", "Date", "Reported Date", "Date of Incident"),
    "year": ("Incident year", "Year", "Reported Year", "Incident Year"),
    "month": ("Reported Month", "Incident Month", "Month"),
    "dead": ("Number Dead", "Number of Dead", "Total Dead", "Dead"),
    "missing": ("Minimum Estimated Number of Missing", "Number Missing", "Number of Missing",
                "Missing"),
    "dead_and_missing": ("Total Number of Dead and Missing", "Total Dead and Missing"),
    "survivors": ("Number of Survivors", "Survivors"),
    "females": ("Number of Females", "Females"),
    "males": ("Number of Males", "Males"),
    "children": ("Number of Children", "Children"),
    "cause": ("Cause of Death", "Cause of death"),
    "route": ("Migration Route", "Migration route"),
    "coordinates": ("Coordinates", "Location Coordinates"),
    "lat": ("Latitude", "Lat"),
    "lon": ("Longitude", "Lon", "Long"),
    "country": ("Country of Incident", "Incident Country"),
    "location": ("Location of death", "Location Description", "Location of Incident",
                 "Location"),
    "iom_region": ("Region of Incident", "Region", "Incident Region"),
    "unsd_region": ("UNSD Geographical Grouping", "UNSD Geographical Region"),
    "source": ("Information Source", "Source"),
    "source_quality": ("Source Quality",),
    "url": ("URL",),
}
# Groups of concepts a file must have (any one of each group); `year` needs `month` too.
REQUIRED = (
    ("incident_id",),
    ("date", "year"),
    ("dead", "dead_and_missing"),
    ("coordinates", "lat", "country", "location", "iom_region", "unsd_region"),
)
COUNTS = ("dead", "missing", "survivors", "females", "males", "children")

AMERICAS_UNSD = {"northern america", "central america", "caribbean", "south america",
                 "latin america and the caribbean", "americas"}
AMERICAS_IOM = {"north america", "northern america", "central america", "caribbean",
                "south america", "americas"}
UNCATEGORIZED = {"", "uncategorized", "uncategorised", "unknown", "n a", "none"}

# IOM's spellings → ISO3 (folded names; the reference names in English and Spanish are used too).
COUNTRY_ALIASES: dict[str, str] = {
    "united states of america": "USA", "united states": "USA", "usa": "USA", "us": "USA",
    "u s": "USA", "u s a": "USA", "mexico": "MEX", "bolivia plurinational state of": "BOL",
    "bolivia": "BOL", "venezuela bolivarian republic of": "VEN", "venezuela": "VEN",
    "turkiye": "TUR", "turkey": "TUR", "iran islamic republic of": "IRN", "iran": "IRN",
    "syrian arab republic": "SYR", "syria": "SYR", "russian federation": "RUS", "russia": "RUS",
    "democratic republic of the congo": "COD", "dr congo": "COD", "drc": "COD",
    "republic of the congo": "COG", "congo": "COG", "cote d ivoire": "CIV",
    "ivory coast": "CIV", "the gambia": "GMB", "gambia": "GMB",
    "united republic of tanzania": "TZA", "tanzania": "TZA", "viet nam": "VNM",
    "vietnam": "VNM", "lao people s democratic republic": "LAO", "laos": "LAO",
    "united kingdom of great britain and northern ireland": "GBR", "united kingdom": "GBR",
    "uk": "GBR", "czechia": "CZE", "czech republic": "CZE", "north macedonia": "MKD",
    "macedonia": "MKD", "republic of moldova": "MDA", "moldova": "MDA", "libya": "LBY",
    "state of palestine": "PSE", "palestine": "PSE", "occupied palestinian territory": "PSE",
    "cabo verde": "CPV", "cape verde": "CPV", "eswatini": "SWZ", "swaziland": "SWZ",
    "myanmar": "MMR", "burma": "MMR", "brunei darussalam": "BRN", "curacao": "CUW",
    "sint maarten": "SXM", "bahamas": "BHS", "the bahamas": "BHS",
    "dominican rep": "DOM", "dominican republic": "DOM", "republic of korea": "KOR",
    "south korea": "KOR", "trinidad and tobago": "TTO", "puerto rico": "PRI",
    "us virgin islands": "VIR", "turks and caicos islands": "TCA", "cayman islands": "CYM",
    "french guiana": "GUF", "guadeloupe": "GLP", "martinique": "MTQ", "greece": "GRC",
    "spain": "ESP", "italy": "ITA", "morocco": "MAR", "tunisia": "TUN", "algeria": "DZA",
    "egypt": "EGY", "yemen": "YEM", "djibouti": "DJI", "somalia": "SOM", "ethiopia": "ETH",
    "sudan": "SDN", "south sudan": "SSD", "niger": "NER", "mali": "MLI", "chad": "TCD",
    "afghanistan": "AFG", "pakistan": "PAK", "bangladesh": "BGD", "india": "IND",
    "indonesia": "IDN", "malaysia": "MYS", "thailand": "THA", "western sahara": "ESH",
}

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

# Reasons, in the order rows are checked; keys of the message catalog `mmp.reason_<code>`.
OUTSIDE_REASONS = ("outside_americas", "no_region", "outside_crm")
REJECT_REASONS = (
    "no_id", "no_date", "bad_date", "date_out_of_range", "bad_coordinates",
    "coordinates_out_of_range", "not_a_count", "negative_count", "no_dead_or_missing",
    "totals_disagree", "bad_source_quality",
)


class MMPImportError(ValueError):
    """The file cannot be imported; the message says why, for the user (no traceback)."""


class UnknownLayout(MMPImportError):
    """The file lacks columns the importer needs; `missing` names them."""

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = missing


# --------------------------------------------------------------------------- the report


@dataclass
class ImportReport:
    """What one import did: every row accounted for, and the dead and missing kept."""

    file: Path
    sha256: str
    encoding: str
    layout: str
    licence: str
    region: str
    out_dir: Path
    read: int
    imported: int
    outside: dict[str, int]  # reason → rows
    rejected: dict[str, int]  # reason → rows
    dead: dict[str, int]  # group (read, imported, outside, rejected) → sum
    missing: dict[str, int]
    by_country: dict[str, int]  # reporting country → incidents imported
    notes: dict[str, int] = field(default_factory=dict)  # note code → rows
    columns: dict[str, str] = field(default_factory=dict)  # concept → column of the file
    date_order: str = ""
    rejected_file: Path | None = None

    @property
    def outside_total(self) -> int:
        return sum(self.outside.values())

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def reconciles(self) -> bool:
        groups = ("imported", "outside", "rejected")
        rows_ok = self.read == self.imported + self.outside_total + self.rejected_total
        sums_ok = all(s["read"] == sum(s[g] for g in groups) for s in (self.dead, self.missing))
        return rows_ok and sums_ok

    def render(self, lang: str = "en") -> str:
        """The summary the command line prints."""
        def n(value: int) -> str:
            return i18n.fmt_number(value, lang)

        def msg(key: str, **values: object) -> str:
            return i18n.t(f"mmp.{key}", lang, **values)

        lines = [
            msg("report_heading", file=self.file.name),
            msg("report_layout", layout=msg(f"layout_{self.layout}"), encoding=self.encoding,
                licence=self.licence if self.licence else msg("licence_unknown")),
            msg("report_region", region=msg(f"region_{self.region}")),
            msg("report_read", n=n(self.read)),
            msg("report_imported", n=n(self.imported)),
            msg("report_outside", n=n(self.outside_total)),
        ]
        km = i18n.fmt_number(COAST_BUFFER_KM, lang)
        lines += [msg("report_reason", n=n(v), reason=msg(f"reason_{k}", km=km))
                  for k, v in self.outside.items() if v]
        lines.append(msg("report_rejected", n=n(self.rejected_total)))
        lines += [msg("report_reason", n=n(v), reason=msg(f"reason_{k}"))
                  for k, v in self.rejected.items() if v]
        for key, sums in (("report_dead", self.dead), ("report_missing", self.missing)):
            lines.append(msg(key, read=n(sums["read"]), imported=n(sums["imported"]),
                             outside=n(sums["outside"]), rejected=n(sums["rejected"])))
        if self.by_country:
            ranked = sorted(self.by_country.items(), key=lambda kv: (-kv[1], kv[0]))
            lines.append(msg("report_countries", countries=", ".join(
                f"{code} {n(count)}" for code, count in ranked)))
        notes = [msg(f"note_{k}", n=n(v), km=km) for k, v in self.notes.items() if v]
        if self.date_order:
            notes.append(msg(f"note_date_order_{self.date_order}"))
        if notes:
            lines.append(msg("report_notes"))
            lines += [f"  - {text}" for text in notes]
        lines.append(msg("report_written", out=str(self.out_dir), folders=n(len(self.by_country))))
        if self.rejected_file is not None:
            lines.append(msg("report_rejected_file", path=str(self.rejected_file)))
        return "\n".join(lines)


# --------------------------------------------------------------------------- the import


def import_mmp(
    file: str | Path, out_dir: str | Path, region: str = "americas", lang: str = "en"
) -> ImportReport:
    """Import an IOM Missing Migrants Project CSV into the data folder `out_dir`."""
    i18n.check_lang(lang)
    if region not in REGIONS:
        raise MMPImportError(i18n.t("mmp.error_region", lang, region=region,
                                    regions=", ".join(REGIONS)))
    file, out_dir = paths.resolve(file), paths.resolve(out_dir)
    if not file.is_file():
        raise MMPImportError(i18n.t("mmp.error_no_file", lang, file=str(file)))
    if not reference.basemap_path().is_file():
        raise MMPImportError(i18n.t("mmp.error_no_basemap", lang,
                                    path=str(reference.basemap_path())))
    content = file.read_bytes()
    text, encoding = _decode(content)
    frame = _read_csv(text, file, lang)
    columns = resolve_columns(frame.columns, file.name, lang)
    rows = parse_rows(frame, columns)
    outside = _outside(rows, region)
    rejected = rows["problem"].ne("") & outside.eq("")
    rejected_reason = rows["problem"].where(rejected, "")
    imported = outside.eq("") & ~rejected
    incidents = _incidents(rows.loc[imported])
    layout = _layout_name(columns)
    licence = CURRENT_LICENCE if layout == "current" else ""
    report = ImportReport(
        file=file, sha256=hashlib.sha256(content).hexdigest(), encoding=encoding,
        layout=layout, licence=licence, region=region, out_dir=out_dir, read=len(rows),
        imported=int(imported.sum()),
        outside={r: int(outside.eq(r).sum()) for r in OUTSIDE_REASONS},
        rejected={r: int(rejected_reason.eq(r).sum()) for r in REJECT_REASONS},
        dead=_sums(rows["dead"], imported, outside, rejected),
        missing=_sums(rows["missing"], imported, outside, rejected),
        by_country=incidents["reporting_country"].value_counts().sort_index().to_dict(),
        notes=_notes(rows, imported, region), columns=columns,
        date_order=rows.attrs["date_order"],
    )
    if not report.reconciles:  # a bug, never a data problem
        raise AssertionError("MMP import does not reconcile")
    _write_folder(out_dir, incidents, report, lang)
    report.rejected_file = _write_rejected(frame, rows, rejected_reason, file.stem)
    return report


def _decode(content: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any byte")


def _read_csv(text: str, file: Path, lang: str) -> pd.DataFrame:
    try:
        sep = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            on_bad_lines="error")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
        raise MMPImportError(i18n.t("mmp.error_unreadable", lang, file=file.name,
                                    detail=str(error).strip())) from error
    frame.columns = [str(c).lstrip("\ufeff").strip() for c in frame.columns]
    frame = frame.astype(str).apply(lambda column: column.str.strip())
    return frame.reset_index(drop=True)


def _fold(text: object) -> str:
    """'  Número de  Muertos ' → 'numero de muertos': no accents, case or punctuation."""
    decomposed = unicodedata.normalize("NFKD", str(text).lstrip("\ufeff"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def resolve_columns(names: list[str] | pd.Index, file: str = "", lang: str = "en"
                    ) -> dict[str, str]:
    """Concept → column of the file; `UnknownLayout` naming what is missing."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(_fold(name), name)
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for concept, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            name = by_key.get(_fold(alias))
            if name is not None and name not in taken:
                columns[concept] = name
                taken.add(name)
                break
    if "year" in columns and "month" not in columns and "date" not in columns:
        del columns["year"]
    if ("lat" in columns) != ("lon" in columns):
        columns.pop("lat", None)
        columns.pop("lon", None)
    missing = [group for group in REQUIRED if not any(c in columns for c in group)]
    if missing:
        described = [i18n.t("mmp.missing_group", lang, concept=i18n.t(
            f"mmp.concept_{group[0]}", lang), aliases=", ".join(
            f'"{a}"' for c in group for a in COLUMN_ALIASES[c][:3])) for group in missing]
        raise UnknownLayout(i18n.t("mmp.error_layout", lang, file=file,
                                   missing="; ".join(described)), described)
    return columns


def _layout_name(columns: dict[str, str]) -> str:
    keys = {concept: _fold(name) for concept, name in columns.items()}
    if keys.get("iom_region") == "region" and keys.get("dead") == "number dead":
        return "current"
    if keys.get("iom_region") == "region of incident" and keys.get("dead") == "number of dead":
        return "global_2014_2022"
    return "other"


# --------------------------------------------------------------------------- parsing


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
    _place(rows, col("country"), col("location"), col("iom_region"), col("unsd_region"))
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


# --------------------------------------------------------------------------- places


@cache
def _country_names() -> dict[str, str]:
    """Folded country name → ISO3, from the reference names and IOM's spellings.

    The aliases also name countries outside the reference list (data/reference/countries.csv
    holds the Americas and the main countries of origin); callers tell those apart.
    """
    table = reference.countries()
    names: dict[str, str] = {}
    for iso3, row in table.iterrows():
        for column in ("name_en", "name_es"):
            if row.get(column):
                names.setdefault(_fold(row[column]), iso3)
    for alias, iso3 in COUNTRY_ALIASES.items():
        names.setdefault(alias, iso3)
    names.pop("", None)
    names.pop(_fold(table.at[NO_COUNTRY, "name_en"]) if NO_COUNTRY in table.index else "", None)
    return names


def country_code(name: str) -> str:
    """An IOM country name → ISO3, or '' when unknown."""
    key = _fold(name)
    if not key:
        return ""
    if len(key) == 3 and key.upper() in reference.countries().index:
        return key.upper()
    return _country_names().get(key, "")


def country_in_text(text: str) -> str:
    """The country IOM names at the end of a location ('Sabha, Libya - presumed…') or ''."""
    text = re.sub(r"\([^)]*\)", " ", str(text)).split(" - ")[0]
    parts = [p for p in re.split(r"[,;]", text) if p.strip()]
    if not parts:
        return ""
    last = parts[-1]
    if found := country_code(last):
        return found
    folded = f" {_fold(last)} "
    names = _country_names()
    hits = [(folded.find(f" {name} "), -len(name), iso3) for name, iso3 in names.items()
            if len(name) > 3 and f" {name} " in folded]
    return min(hits)[2] if hits else ""


@cache
def basemap():
    """The Americas basemap (Natural Earth 1:50m), one (multi)polygon per `iso3`, in WGS 84."""
    path = reference.basemap_path()
    if not path.is_file():
        raise MMPImportError(i18n.t("mmp.error_no_basemap", "en", path=str(path)))
    frame = reference.basemap()
    frame["geometry"] = frame.geometry.make_valid()
    return frame[frame["iso3"].astype(str).str.fullmatch(r"[A-Z]{3}")].reset_index(drop=True)


def countries_at(lat: pd.Series, lon: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO3 of the basemap country holding each point, or of the nearest coast within
    `COAST_BUFFER_KM`: (iso3 or '', how: 'inside' / 'offshore' / '')."""
    import geopandas as gpd

    iso3 = pd.Series("", index=lat.index, dtype=object)
    how = pd.Series("", index=lat.index, dtype=object)
    has = lat.notna() & lon.notna()
    if not has.any():
        return iso3, how
    base = basemap()
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[has], lat[has]),
                              index=lat.index[has], crs=4326)
    joined = gpd.sjoin(points, base, how="inner", predicate="intersects")
    joined = joined[~joined.index.duplicated(keep="first")]
    iso3.loc[joined.index] = joined["iso3"].to_numpy()
    how.loc[joined.index] = "inside"
    rest = points.loc[~points.index.isin(joined.index)]
    for index, code in _nearest_coast(rest, base).items():
        iso3.loc[index], how.loc[index] = code, "offshore"
    return iso3, how


def _nearest_coast(points, base) -> dict:
    """Point index → ISO3 of the nearest basemap country within `COAST_BUFFER_KM`.

    Distances use a local equirectangular projection around each point (exact enough at
    20 km); each polygon is clipped to the search box first.
    """
    import shapely

    if points.empty:
        return {}
    x = points.geometry.x.to_numpy()
    y = points.geometry.y.to_numpy()
    km_lat = 110.574
    km_lon = 111.320 * np.maximum(np.cos(np.radians(y)), 0.05)
    dx = COAST_BUFFER_KM / km_lon
    dy = np.full_like(dx, COAST_BUFFER_KM / km_lat)
    boxes = shapely.box(x - dx, y - dy, x + dx, y + dy)
    point_at, polygon_at = base.sindex.query(boxes, predicate="intersects")
    best: dict = {}
    for i, j in zip(point_at, polygon_at, strict=True):
        near = shapely.clip_by_rect(base.geometry.iloc[j], x[i] - dx[i], y[i] - dy[i],
                                    x[i] + dx[i], y[i] + dy[i])
        if near.is_empty:
            continue
        scale = np.array([km_lon[i], km_lat])
        origin = np.array([x[i], y[i]])
        local = shapely.transform(near, lambda c, o=origin, s=scale: (c - o) * s)
        distance = shapely.distance(local, shapely.Point(0, 0))
        index = points.index[i]
        if distance <= COAST_BUFFER_KM and distance < best.get(index, (math.inf, ""))[0]:
            best[index] = (distance, base["iso3"].iloc[j])
    return {index: code for index, (_, code) in best.items()}


def _place(rows: pd.DataFrame, stated: pd.Series, location: pd.Series, iom_region: pd.Series,
           unsd_region: pd.Series) -> None:
    """Country of incident, how it was found, and whether IOM places the row in the Americas."""
    stated_code = stated.map(country_code)
    at_point, how_point = countries_at(rows["lat"], rows["lon"])
    unsd = unsd_region.map(_fold)
    iom = iom_region.map(_fold)
    categorized = ~unsd.isin(UNCATEGORIZED)
    by_iom = ~categorized & ~iom.isin(UNCATEGORIZED)
    americas = pd.Series(pd.NA, index=rows.index, dtype="boolean")
    americas[categorized] = unsd[categorized].isin(AMERICAS_UNSD)
    americas[by_iom] = iom[by_iom].isin(AMERICAS_IOM)
    rows["region_by"] = np.where(categorized, "unsd", np.where(by_iom, "iom_region", ""))

    text_allowed = rows["lat"].isna() | americas.eq(False).fillna(False)
    from_text = location.where(text_allowed & stated_code.eq("") & at_point.eq(""), "")
    text_code = from_text.map(country_in_text)
    named = stated_code.where(stated_code.ne(""), at_point)
    named = named.where(named.ne(""), text_code)
    listed = named.isin(reference.countries().index)
    country = named.where(listed, "")  # ingestion accepts listed countries only
    rows["country"] = country
    rows["country_by"] = np.select(
        [named.ne("") & ~listed, stated_code.ne(""), how_point.eq("inside"),
         how_point.eq("offshore"), text_code.ne("")],
        ["unlisted", "stated", "coordinates", "offshore", "location_text"], "none")
    # Every country of the Americas is listed: an unlisted one is elsewhere.
    subregion = reference.countries()["unsd_subregion"].map(_fold)
    by_country = americas.isna() & named.ne("")
    americas[by_country] = country[by_country].map(subregion).isin(AMERICAS_UNSD)
    rows.loc[by_country, "region_by"] = "country"
    rows["americas"] = americas
    # CRM is judged by the coordinates where there are some, else by the country.
    rows["crm_country"] = at_point.where(rows["lat"].notna(), country)


# --------------------------------------------------------------------------- groups & output


def _outside(rows: pd.DataFrame, region: str) -> pd.Series:
    """The reason a row is outside the requested region, or '' when it is inside."""
    reason = pd.Series("", index=rows.index, dtype=object)
    if region == "all":
        return reason
    reason[rows["americas"].isna()] = "no_region"
    reason[rows["americas"].eq(False).fillna(False)] = "outside_americas"
    if region == "crm":
        not_crm = ~rows["crm_country"].isin(reference.CRM_MEMBERS)
        reason[reason.eq("") & not_crm] = "outside_crm"
    return reason


def _sums(values: pd.Series, imported: pd.Series, outside: pd.Series, rejected: pd.Series
          ) -> dict[str, int]:
    out_mask = outside.ne("")
    return {
        "read": int(values.sum()), "imported": int(values[imported].sum()),
        "outside": int(values[out_mask].sum()), "rejected": int(values[rejected].sum()),
    }


def _notes(rows: pd.DataFrame, imported: pd.Series, region: str) -> dict[str, int]:
    kept = rows.loc[imported]
    by_region = region != "all"  # how the Americas were told apart matters only then
    return {
        "month_precision": int(kept["date_precision"].eq("month").sum()),
        "region_by_iom_region": int(by_region and kept["region_by"].eq("iom_region").sum()),
        "region_by_country": int(by_region and kept["region_by"].eq("country").sum()),
        "country_stated": int(kept["country_by"].eq("stated").sum()),
        "country_coordinates": int(kept["country_by"].eq("coordinates").sum()),
        "country_offshore": int(kept["country_by"].eq("offshore").sum()),
        "country_location_text": int(kept["country_by"].eq("location_text").sum()),
        "country_unlisted": int(kept["country_by"].eq("unlisted").sum()),
        "country_none": int(kept["country_by"].eq("none").sum()),
        "no_coordinates": int(kept["lat"].isna().sum()),
        "ids_suffixed": int(rows.attrs.get("ids_suffixed", 0)),
    }


def _incidents(rows: pd.DataFrame) -> pd.DataFrame:
    """The imported rows as the contract's `incidents` table."""
    out = pd.DataFrame(index=rows.index)
    out["reporting_country"] = rows["country"].where(rows["country"].ne(""), NO_COUNTRY)
    out["incident_id"] = rows["incident_id"]
    out["date"] = rows["date"]
    out["lat"], out["lon"] = rows["lat"], rows["lon"]
    out["country"] = rows["country"]
    out["type"] = np.where(rows["dead"] > 0, "death", "disappearance")
    for concept in COUNTS:
        out[concept] = rows[concept].astype("Int64")
    out["cause"], out["route"], out["source"] = rows["cause"], rows["route"], rows["source"]
    out["source_quality"] = rows["source_quality"].astype("Int64")
    return out[TABLES["incidents"].names].reset_index(drop=True)


def _write_folder(out_dir: Path, incidents: pd.DataFrame, report: ImportReport,
                  lang: str) -> None:
    _clear_previous(out_dir, lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases_header = ",".join(TABLES["cases"].names) + "\n"
    for code, rows in incidents.groupby("reporting_country", sort=True):
        folder = out_dir / str(code)
        folder.mkdir()
        rows.to_csv(folder / "incidents.csv", index=False, encoding="utf-8",
                    float_format=COORDINATE_FORMAT)
        (folder / "cases.csv").write_text(cases_header, encoding="utf-8")
    meta = {
        "title": i18n.t("mmp.dataset_title", lang,
                        region=i18n.t(f"mmp.region_{report.region}", lang)),
        "source": {
            "producer": PRODUCER,
            "file": report.file.name,
            "sha256": report.sha256,
            "imported": date.today().isoformat(),
            "layout": report.layout,
        },
        "licence": report.licence or i18n.t("mmp.licence_unknown", lang),
        "synthetic": False,
        "importer": IMPORTER,
        "region": report.region,
        "rows": {"read": report.read, "imported": report.imported,
                 "outside": report.outside_total, "rejected": report.rejected_total},
    }
    (out_dir / "dataset.yml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _clear_previous(out_dir: Path, lang: str) -> None:
    """Remove an earlier MMP import from `out_dir`; refuse to touch any other content."""
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise MMPImportError(i18n.t("mmp.error_out_not_empty", lang, out=str(out_dir)))
    entries = [p for p in out_dir.iterdir() if not p.name.startswith(".")]
    if not entries:
        return
    meta_path = out_dir / "dataset.yml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    ours = isinstance(meta, dict) and meta.get("importer") == IMPORTER
    strays = [p for p in entries if p != meta_path
              and not (p.is_dir() and re.fullmatch(r"[A-Z]{3}", p.name))]
    if not ours or strays:
        raise MMPImportError(i18n.t("mmp.error_out_not_empty", lang, out=str(out_dir)))
    for path in entries:
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def rejected_path(stem: str) -> Path:
    """Where the rejected rows of an input file go (private, git-ignored, never published)."""
    return paths.private_dir() / "mmp" / f"{stem}_rejected.csv"


def _write_rejected(frame: pd.DataFrame, rows: pd.DataFrame, reason: pd.Series,
                    stem: str) -> Path | None:
    path = rejected_path(stem)
    chosen = reason.ne("")
    if not chosen.any():
        path.unlink(missing_ok=True)
        return None
    out = frame.loc[chosen].copy()
    out.insert(0, "row", rows.loc[chosen, "row"])
    out.insert(1, "reason", reason[chosen])
    out.insert(2, "column", rows.loc[chosen, "problem_column"])
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8")
    return path
