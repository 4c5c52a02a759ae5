"""Reading an IOM Missing Migrants CSV and recognizing its layout: columns matched by meaning."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from analysis.core import i18n
from analysis.core.text import fold

# Concept → column names IOM has used, in order of preference (compared through `text.fold`).
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


class MMPImportError(ValueError):
    """The file cannot be imported; the message says why, for the user (no traceback)."""


class UnknownLayout(MMPImportError):
    """The file lacks columns the importer needs; `missing` names them."""

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = missing


def read_csv(text: str, file: Path, lang: str) -> pd.DataFrame:
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


def resolve_columns(names: list[str] | pd.Index, file: str = "", lang: str = "en"
                    ) -> dict[str, str]:
    """Concept → column of the file; `UnknownLayout` naming what is missing."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(fold(name), name)
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for concept, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            name = by_key.get(fold(alias))
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


def layout_name(columns: dict[str, str]) -> str:
    keys = {concept: fold(name) for concept, name in columns.items()}
    if keys.get("iom_region") == "region" and keys.get("dead") == "number dead":
        return "current"
    if keys.get("iom_region") == "region of incident" and keys.get("dead") == "number of dead":
        return "global_2014_2022"
    return "other"
