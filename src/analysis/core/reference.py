"""Reference data that the project owns (data/reference/): countries, places, code lists,
legislation criteria and the Work Plan's actions."""

from __future__ import annotations

from functools import cache

import pandas as pd

from analysis.core import paths

CRM_MEMBERS = ("BLZ", "CAN", "CRI", "DOM", "SLV", "GTM", "HND", "MEX", "NIC", "PAN", "USA")


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.REFERENCE / name, dtype=str, keep_default_na=False)


@cache
def countries() -> pd.DataFrame:
    """Countries by ISO3: names in es/en, CRM membership, UNSD sub-region, label point."""
    df = _read("countries.csv").set_index("iso3")
    df["crm_member"] = df["crm_member"].str.lower().eq("true")
    df[["lat", "lon"]] = df[["lat", "lon"]].astype(float)
    return df


@cache
def places() -> pd.DataFrame:
    """The gazetteer of places on the routes, by place_id."""
    df = _read("places.csv").set_index("place_id")
    df[["lat", "lon"]] = df[["lat", "lon"]].astype(float)
    return df


@cache
def codelists() -> pd.DataFrame:
    return _read("codelists.csv")


@cache
def criteria() -> pd.DataFrame:
    """Legislation criteria, by criterion_id."""
    return _read("legislation_criteria.csv").set_index("criterion_id")


@cache
def workplan_actions() -> pd.DataFrame:
    """The Work Plan's 39 actions, by action_id ("1.6")."""
    return _read("workplan_actions.csv").set_index("action_id")


@cache
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
