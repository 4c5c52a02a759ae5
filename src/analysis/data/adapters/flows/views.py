"""Breakdowns are views of one total: totals per view, the one view a total comes from, and
the years where two views of one statistic disagree.

A statistic is one reporting country's count of one event in one unit. Its rows come in
views (`breakdown`: total, by nationality, by sex and age…); each view adds up to the same
people, so totals are taken from ONE view per period, never summed across views.
"""

from __future__ import annotations

import pandas as pd

STATISTIC = ["reporting_country", "event", "unit"]
# Where a period has several views, its total is read from the first one present here.
VIEW_ORDER = ("total", "nationality", "sex_age", "nationality_sex_age", "nationality_age",
              "nationality_sex", "sex", "age", "counterpart_sex_age", "place_nationality_age")


def _year(frame: pd.DataFrame) -> pd.Series:
    return frame["period"].astype(str).str[:4]


def per_view(flows: pd.DataFrame) -> pd.DataFrame:
    """Per statistic, year and view: the total and how many periods (months or a year) it has."""
    frame = flows.assign(year=_year(flows), count=flows["count"].astype("int64"))
    grouped = frame.groupby(STATISTIC + ["year", "breakdown"], sort=True)
    out = grouped.agg(count=("count", "sum"), periods=("period", "nunique"),
                      coverage=("period", lambda p: ",".join(sorted(set(p)))))
    return out.reset_index()


def disagreements(flows: pd.DataFrame) -> pd.DataFrame:
    """Years where two views of one statistic cover the same periods but not the same total."""
    views = per_view(flows)
    found = []
    for key, group in views.groupby(STATISTIC + ["year"], sort=True):
        rows = group.to_dict("records")
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if a["coverage"] == b["coverage"] and a["count"] != b["count"]:
                    found.append(dict(zip(STATISTIC + ["year"], key, strict=True),
                                      view_a=a["breakdown"], total_a=int(a["count"]),
                                      view_b=b["breakdown"], total_b=int(b["count"])))
    columns = STATISTIC + ["year", "view_a", "total_a", "view_b", "total_b"]
    return pd.DataFrame(found, columns=columns)


def one_view(flows: pd.DataFrame) -> pd.DataFrame:
    """The rows of one view per statistic and period (the first in `VIEW_ORDER` present)."""
    if flows.empty:
        return flows
    rank = {name: i for i, name in enumerate(VIEW_ORDER)}
    order = flows["breakdown"].map(rank).fillna(len(rank))
    best = order.groupby([flows[c] for c in STATISTIC + ["period"]]).transform("min")
    return flows[order == best]


# U.S. CBP's encounters are of three kinds (Title 8 apprehensions and inadmissibles, Title 42
# expulsions): disjoint events of one statistic, so their sum is the encounters total.
ENCOUNTER_KINDS = ("encounter", "apprehension", "inadmissible", "expulsion")


def encounters(flows: pd.DataFrame) -> pd.DataFrame:
    """Encounters per reporting country and year: one view per kind, the kinds added."""
    rows = one_view(flows[flows["event"].isin(ENCOUNTER_KINDS)])
    frame = rows.assign(year=_year(rows), count=rows["count"].astype("int64"))
    out = frame.groupby(["reporting_country", "unit", "year"], sort=True)["count"].sum()
    return out.reset_index()
