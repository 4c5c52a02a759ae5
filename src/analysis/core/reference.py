"""Reference data that the project owns (data/reference/): countries, places, code lists,
legislation criteria and baseline, the Work Plan, exchange rates and the basemap.

This module is the only reader of data/reference/. Each file is read once per process; every
call hands out a copy, so a notebook that changes what it got cannot change what the next
notebook in the same kernel gets.
"""

from __future__ import annotations

from functools import cache, wraps
from pathlib import Path

import pandas as pd

from analysis.core import paths

CRM_MEMBERS = ("BLZ", "CAN", "CRI", "DOM", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "USA")
# The UNSD sub-regions of the Americas (column `unsd_subregion` of countries.csv).
AMERICAS = ("Caribbean", "Central America", "South America", "Northern America")


BASEMAP = "basemap_americas.geojson"


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.REFERENCE / name, dtype=str, keep_default_na=False)


def shared(read):
    """Read once per process (cached), hand out a fresh copy at every call."""
    cached = cache(read)

    @wraps(read)
    def copy(*args):
        return cached(*args).copy()

    copy.cache_clear = cached.cache_clear
    return copy


@shared
def countries() -> pd.DataFrame:
    """Countries by ISO3: names in es/en, CRM membership, UNSD sub-region, label point."""
    df = _read("countries.csv").set_index("iso3")
    df["crm_member"] = df["crm_member"].str.lower().eq("true")
    df[["lat", "lon"]] = df[["lat", "lon"]].astype(float)
    return df


@shared
def places() -> pd.DataFrame:
    """The gazetteer of places on the routes, by place_id."""
    df = _read("places.csv").set_index("place_id")
    df[["lat", "lon"]] = df[["lat", "lon"]].astype(float)
    return df


@shared
def codelists() -> pd.DataFrame:
    return _read("codelists.csv")


@shared
def criteria() -> pd.DataFrame:
    """Legislation criteria, by criterion_id."""
    return _read("legislation_criteria.csv").set_index("criterion_id")


@shared
def workplan_actions() -> pd.DataFrame:
    """The Work Plan's 39 actions, by action_id ("1.6")."""
    return _read("workplan_actions.csv").set_index("action_id")


@shared
def workplan_axes() -> pd.DataFrame:
    return _read("workplan_axes.csv").set_index("axis")


@cache
def code_list(name: str) -> tuple[str, ...]:
    """The allowed codes of a code list, in their reference order."""
    if name == "criterion":
        return tuple(criteria().index)
    if name == "workplan_action":
        return tuple(workplan_actions().index)
    codes = codelists()
    found = tuple(codes.loc[codes["list"] == name, "code"])
    if not found:
        raise KeyError(f"unknown code list {name!r}")
    return found


def label(list_name: str, code: str, lang: str) -> str:
    """The label of a code in a language; the code itself where it has none."""
    if list_name == "country":
        table = countries()
        return table.at[code, f"name_{lang}"] if code in table.index else code
    if list_name == "criterion":
        table = criteria()
        return table.at[code, f"label_{lang}"] if code in table.index else code
    if list_name == "workplan_action":
        table = workplan_actions()
        return table.at[code, f"title_{lang}"] if code in table.index else code
    return _labels(list_name, lang).get(code, code)


@cache
def _labels(list_name: str, lang: str) -> dict[str, str]:
    codes = codelists()
    rows = codes[codes["list"] == list_name]
    return dict(zip(rows["code"], rows[f"label_{lang}"], strict=True))


@shared
def legislation_baseline() -> pd.DataFrame:
    """The desk-review baseline: one row per country × criterion (draft or no_data)."""
    return _read("legislation.csv")


@shared
def legal_source_domains() -> pd.DataFrame:
    """The reviewed list of official and authoritative web domains a legislation cell may
    cite (domain, kind, justification)."""
    return _read("legal_source_domains.csv")


@shared
def workplan_evidence() -> pd.DataFrame:
    """action_id → the diagnostic sections that give it evidence (text as in the file)."""
    return _read("workplan_evidence.csv")


@shared
def exchange_rates() -> pd.DataFrame:
    """Units of each currency per US dollar, one row per currency and year, with the source."""
    table = pd.read_csv(paths.REFERENCE / "exchange_rates.csv",
                        dtype={"currency": str, "source": str})
    table["year"] = table["year"].astype(int)
    table["units_per_usd"] = table["units_per_usd"].astype(float)
    return table


def folder() -> Path:
    """The folder of the reference data (whose content keys incremental rebuilds)."""
    return paths.REFERENCE


def basemap_path():
    """Where the basemap lives (callers check that it is there to give their own error)."""
    return paths.REFERENCE / BASEMAP


@shared
def basemap():
    """The countries and territories of the Americas (Natural Earth 1:50m), EPSG:4326."""
    import geopandas as gpd

    frame = gpd.read_file(basemap_path())[["iso3", "geometry"]]
    return frame.set_crs(4326) if frame.crs is None else frame.to_crs(4326)


def provenance() -> list[tuple[str, dict]]:
    """Every reference file's name with its provenance sidecar (parsed)."""
    return [(sidecar.name.removesuffix(".provenance.yml"), paths.read_yaml(sidecar) or {})
            for sidecar in sorted(paths.REFERENCE.glob("*.provenance.yml"))]
