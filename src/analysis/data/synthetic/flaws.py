"""Planted flaws: copies of real rows, each broken in one way ingestion must set aside."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.synthetic.draw import make_ids

PLANTED = {
    "cases": ("bad_date", "negative_count", "unknown_country", "duplicate_row"),
    "migrants": ("unknown_case", "unknown_country", "unknown_code", "duplicate_row"),
    "route_legs": ("unknown_place", "out_of_range", "unknown_code", "unknown_case", "bad_date"),
}


def plant_flaws(rng: np.random.Generator, table: str, frame: pd.DataFrame, count: int,
                start: int = 0):
    """Copies of real rows, each broken in one way that ingestion must set aside; `start`
    flaws were planted before (in earlier chunks), so numbers and kinds continue."""
    pick = np.sort(rng.choice(len(frame), size=min(count, len(frame)), replace=False))
    bad = frame.iloc[pick].copy().reset_index(drop=True)
    number = start + np.arange(len(bad))
    kinds = np.array(PLANTED[table], dtype=object)[number % len(PLANTED[table])]
    country = bad["reporting_country"].to_numpy(dtype=object)
    base = {"cases": 990000, "migrants": 993000, "route_legs": 996000}[table]
    fresh_case = make_ids(country + "-2020-", base + number, 6)  # ids no real case has
    for i, kind in enumerate(kinds):
        row = bad.index[i]
        if table == "cases":
            if kind != "duplicate_row":
                bad.at[row, "case_id"] = fresh_case[i]
            if kind == "bad_date":
                bad.at[row, "date"] = "2021-02-30"
            elif kind == "negative_count":
                bad.at[row, "migrants"] = "-3"
            elif kind == "unknown_country":
                bad.at[row, "origin_country"] = ("HON", "SAL", "GUA")[number[i] % 3]
        elif table == "migrants":
            if kind != "duplicate_row":
                bad.at[row, "person_id"] = f"{country[i]}-P-9{number[i]:06d}"
            if kind == "unknown_case":
                bad.at[row, "case_id"] = fresh_case[i]
            elif kind == "unknown_country":
                bad.at[row, "nationality"] = ("HON", "SAL", "GUA")[number[i] % 3]
            elif kind == "unknown_code":
                bad.at[row, "age_band"] = "18-25"
        else:
            if kind == "unknown_place":
                bad.at[row, "to_place"] = "MEX-CIUDAD-IXTEPEC"
            elif kind == "out_of_range":
                bad.at[row, "leg_order"] = "0"
            elif kind == "unknown_code":
                bad.at[row, "mode"] = "foot"
            elif kind == "unknown_case":
                bad.at[row, "case_id"] = fresh_case[i]
            elif kind == "bad_date":
                bad.at[row, "date"] = "2022-13-01"
    return pd.concat([frame, bad], ignore_index=True), len(bad)
