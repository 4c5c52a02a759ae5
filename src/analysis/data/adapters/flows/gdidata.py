"""The layouts of IOM's `gdidata` tables (columns `t`, `n` and a few views).

`t` is the calendar month (YYYY-MM) and `n` the published count. Decisions, stated where made:

- Darién by nationality: years before 2020 are annual totals that the package stores under
  January (`YYYY-01`); they become annual periods (`YYYY`), never January.
- `demog` men/women/boys/girls: sex, and adult/child where the month also gives boys and girls;
  in months that give only men and women (Darién 2021-2022) those are all ages: age unknown.
- Guatemala: the people returned are Guatemalans; `origin` is the country that returned them
  (blank where the producer does not say).
- Mexico's returns: "assisted return of children" is an assisted return of children.
- U.S. encounters: `t` (calendar month) is used; `t_fy` (the package's fiscal-year rendering)
  is ignored. The place is the component and area of responsibility.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import text
from analysis.data.adapters.flows import rows as R
from analysis.data.adapters.flows import values as V
from analysis.data.adapters.flows.producers import Statistic

SOUTHWEST = "Southwest Land Border"
DEMOG_SEX = {"men": "male", "women": "female", "boys": "male", "girls": "female"}
DEMOG_CHILD = {"boys", "girls"}


def parse(frame: pd.DataFrame, stat: Statistic) -> pd.DataFrame:
    """Rows of one gdidata file (columns already folded) → the flows frame."""
    rows = R.start(frame, reporting_country=stat.reporting_country, event=stat.event,
                   breakdown=stat.breakdown, unit=stat.unit, source=stat.producer,
                   source_table=stat.table)
    rows["count"] = frame["n"]
    _period(rows, frame["t"], stat.annual_before)
    if "nat" in frame:
        rows["nationality"] = frame["nat"]
    if "component" in frame:  # U.S. encounters
        rows["place"] = place(SOUTHWEST, frame["component"], frame.get("area"))
        R.assign_mapped(rows, "age_group",
                        V.map_values(frame["demog"], "flow_age_group", V.AGE), "demog",
                        frame["demog"])
    elif "demog" in frame:
        _demog(rows, frame["demog"])
    if "origin" in frame:
        rows["nationality"] = "GTM"
        rows["counterpart_country"] = frame["origin"]
    if "sex" in frame:
        R.assign_mapped(rows, "sex", V.map_values(frame["sex"], "sex", V.SEX), "sex",
                        frame["sex"])
    if "age" in frame:
        R.assign_mapped(rows, "age_group", V.map_values(frame["age"], "flow_age_group", V.AGE),
                        "age", frame["age"])
    if "type" in frame:
        event_with_age(rows, frame["type"], "type")
    return rows


def _period(rows: pd.DataFrame, t: pd.Series, annual_before: int | None) -> None:
    month = R.month_period(t)
    R.flag(rows, month.isna(), "bad_period", "t", t)
    rows["period"] = month.fillna("")
    if annual_before is None:
        return
    year = pd.to_numeric(month.str[:4], errors="coerce")
    annual = year < annual_before
    R.flag(rows, annual & (month.str[5:] != "01"), "annual_not_january", "t", t)
    rows.loc[annual, "period"] = month[annual].str[:4]


def _demog(rows: pd.DataFrame, demog: pd.Series) -> None:
    words = R.map_unique(demog, text.fold)
    R.assign_mapped(rows, "sex", words.map(DEMOG_SEX), "demog", demog)
    is_child = words.isin(DEMOG_CHILD)
    with_children = is_child.groupby(rows["period"]).transform("any")
    rows["age_group"] = "unknown"
    rows.loc[with_children, "age_group"] = "adult"
    rows.loc[is_child, "age_group"] = "child"


def event_with_age(rows: pd.DataFrame, kind: pd.Series, column: str) -> None:
    """Event codes from the producer's words; words that also name an age set it."""
    R.assign_mapped(rows, "event", V.map_values(kind, "flow_event", V.EVENT), column, kind)
    child = R.map_unique(kind, lambda v: V.EVENT_AGE.get(text.fold(v)))
    rows.loc[child.notna(), "age_group"] = child[child.notna()]


def place(region: str | pd.Series, component: pd.Series, area: pd.Series | None) -> pd.Series:
    """'Southwest Land Border: U.S. Border Patrol, Tucson Sector' (area where given)."""
    area = area.fillna("").str.strip() if area is not None else pd.Series("", component.index)
    where = region + ": " + component.fillna("").str.strip()
    return where.where(area == "", where + ", " + area)
