"""U.S. Customs and Border Protection's own published encounters layout.

Columns ("Fiscal Year", "Month (abbv)", "Component", "Land Border Region", "Area of
Responsibility", "Demographic", "Citizenship", "Title of Authority", "Encounter Type",
"Encounter Count"). Decisions:

- Fiscal years become calendar months: the fiscal year starts in October, so October to
  December of FY 2023 are 2022-10 … 2022-12. "2024 (FYTD)" is fiscal year 2024.
- "UAC" and "UC / Single Minors" are both unaccompanied children; "FMUA" are individuals in
  family units (any age); citizenship names become ISO3 (`nationality`).
- The place is the land border region, the component and the area of responsibility.
- Encounter Type (Apprehensions, Inadmissibles, Expulsions) is the event.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.adapters.flows import calendar
from analysis.data.adapters.flows import rows as R
from analysis.data.adapters.flows import values as V
from analysis.data.adapters.flows.gdidata import SOUTHWEST, event_with_age, place
from analysis.data.adapters.flows.producers import Statistic

NEEDS = ("fiscal year", "month abbv", "encounter count")


def parse(frame: pd.DataFrame, stat: Statistic) -> pd.DataFrame:
    rows = R.start(frame, reporting_country=stat.reporting_country, breakdown=stat.breakdown,
                   unit=stat.unit, source=stat.producer, source_table=stat.table)
    rows["count"] = frame["encounter count"]
    year = calendar.year_number(frame["fiscal year"])
    month = calendar.month_number(frame["month abbv"])
    R.flag(rows, year.isna(), "bad_period", "Fiscal Year", frame["fiscal year"])
    R.flag(rows, month.isna(), "bad_period", "Month (abbv)", frame["month abbv"])
    rows["period"] = calendar.fiscal_to_calendar(year, month).fillna("")
    region = frame["land border region"] if "land border region" in frame else SOUTHWEST
    if "component" in frame:
        rows["place"] = place(region, frame["component"], frame.get("area of responsibility"))
    if "demographic" in frame:
        R.assign_mapped(rows, "age_group",
                        V.map_values(frame["demographic"], "flow_age_group", V.AGE),
                        "Demographic", frame["demographic"])
    if "citizenship" in frame:
        rows["nationality"] = frame["citizenship"]
    if "encounter type" in frame:
        event_with_age(rows, frame["encounter type"], "Encounter Type")
    else:
        rows["event"] = "encounter"
    return rows
