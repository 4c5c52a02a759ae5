"""Official statistics of irregular migration along the corridor: tables and numbers.

The corridor is read stage by stage (`STAGES`): transits through the Darién (Panama),
irregular arrivals in Honduras, Mexico's events of foreigners in an irregular situation, and
encounters at the U.S. southwest border. The rules every function keeps:

- a statistic's total comes from ONE breakdown per period (`views.one_view`): the breakdowns
  (by nationality, by sex and age…) are views of the same people, never added together;
- stages are compared side by side, never added: the same people are counted again at each
  stage, and Mexico counts events, not persons;
- monthly series use monthly figures only; annual figures (Darién before 2020) appear in
  the yearly tables.

Input: the clean `flows` table (`Dataset.flows`). Output: plain DataFrames with codes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.data.adapters.flows import views

SOUTHWEST = "Southwest Land Border"
CHILD_GROUPS = ("child", "child_0_11", "child_12_17", "accompanied_child",
                "accompanied_child_0_11", "unaccompanied_child", "unaccompanied_child_0_11")
UNACCOMPANIED = ("unaccompanied_child", "unaccompanied_child_0_11")
KNOWN_AGE = CHILD_GROUPS + ("adult",)
OTHER_NATIONALITY = "OOO"  # countries.csv pseudo-codes: other and unknown nationalities
UNKNOWN_NATIONALITY = "XXX"


@dataclass(frozen=True)
class Stage:
    """One stage of the corridor: whose statistic, which events, in which unit."""

    code: str
    country: str
    events: tuple[str, ...]
    unit: str


STAGES = (
    Stage("darien", "PAN", ("irregular_transit",), "persons"),
    Stage("honduras", "HND", ("irregular_entry",), "persons"),
    Stage("mexico", "MEX", ("irregular_stay",), "events"),
    Stage("us_border", "USA", views.ENCOUNTER_KINDS, "events"),
)
RETURN_EVENTS = ("return_received", "deportation", "assisted_return", "expulsion")


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def prepared(flows: pd.DataFrame) -> pd.DataFrame:
    """The flows with plain types: `count` as int, `period` as text, `year` and `monthly`."""
    frame = flows.copy()
    frame["count"] = frame["count"].astype("int64")
    frame["period"] = frame["period"].astype(str)
    for column in ("nationality", "age_group", "place", "counterpart_country", "sex"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
    frame["year"] = frame["period"].str[:4].astype(int)
    frame["monthly"] = frame["period"].str.len() == 7
    return frame


def stage_rows(flows: pd.DataFrame, stage: Stage) -> pd.DataFrame:
    """The rows of one stage (for the U.S., the southwest land border only)."""
    rows = flows[(flows["reporting_country"] == stage.country)
                 & flows["event"].isin(stage.events) & (flows["unit"] == stage.unit)]
    if stage.code == "us_border":
        place = rows["place"].fillna("").astype(str)
        rows = rows[place.str.startswith(SOUTHWEST) | (place == "")]
    return rows


def stages_present(flows: pd.DataFrame) -> list[Stage]:
    return [s for s in STAGES if len(stage_rows(flows, s))]


def stage_totals(flows: pd.DataFrame) -> pd.DataFrame:
    """Per stage and period: the total from one view (kinds of encounter added)."""
    frames = []
    flows = prepared(flows)
    for stage in STAGES:
        rows = views.one_view(stage_rows(flows, stage))
        if len(rows):
            total = rows.groupby("period", sort=True)["count"].sum().reset_index()
            frames.append(total.assign(stage=stage.code))
    if not frames:
        return _empty(["stage", "period", "count"])
    out = pd.concat(frames, ignore_index=True)[["stage", "period", "count"]]
    out["count"] = out["count"].astype("int64")
    return out


def monthly_by_stage(flows: pd.DataFrame) -> pd.DataFrame:
    """Months × stages (monthly figures only), for a figure that compares the stages."""
    totals = stage_totals(flows)
    totals = totals[totals["period"].str.len() == 7]
    if totals.empty:
        return pd.DataFrame()
    table = totals.pivot(index="period", columns="stage", values="count")
    return table[[s.code for s in STAGES if s.code in table.columns]]


def yearly_by_stage(flows: pd.DataFrame) -> pd.DataFrame:
    """Per stage and year: total and the number of months it covers (12 for an annual
    figure; fewer for a year the producer has not completed)."""
    totals = stage_totals(flows)
    if totals.empty:
        return _empty(["stage", "year", "count", "months"])
    totals = totals.assign(year=totals["period"].str[:4].astype(int),
                           months=totals["period"].map(lambda p: 1 if len(p) == 7 else 12))
    out = totals.groupby(["stage", "year"], sort=False).agg(count=("count", "sum"),
                                                            months=("months", "sum"))
    out = out.reset_index()
    order = {s.code: i for i, s in enumerate(STAGES)}
    return out.sort_values(["stage", "year"], key=lambda c: c.map(order) if c.name == "stage"
                           else c).reset_index(drop=True)


def country_year(flows: pd.DataFrame) -> pd.DataFrame:
    """Per reporting country, event, unit and year: the total (one view per period), with the
    months covered. Every statistic of the run, stages and returns alike."""
    if flows.empty:
        return _empty(["reporting_country", "event", "unit", "year", "count", "months"])
    rows = views.one_view(prepared(flows))
    rows = rows.assign(months=rows["monthly"].map({True: 1, False: 12}))
    per_period = rows.groupby(views.STATISTIC + ["year", "period"], sort=True).agg(
        count=("count", "sum"), months=("months", "first")).reset_index()
    out = per_period.groupby(views.STATISTIC + ["year"], sort=True).agg(
        count=("count", "sum"), months=("months", "sum")).reset_index()
    return out


def nationality_view(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the first view per period that gives nationality (rows where the producer
    gives none, as U.S. CBP before October 2019, left out)."""
    named = rows[rows["breakdown"].astype(str).str.contains("nationality")]
    named = named[named["nationality"].fillna("").astype(str) != ""]
    return views.one_view(named)


def top_nationalities(flows: pd.DataFrame, stage: Stage, top: int = 5) -> pd.DataFrame:
    """Per year: the count of each of the stage's `top` nationalities over all years, the
    rest as `OOO` (other), and the share of the year's total."""
    rows = nationality_view(stage_rows(flows, stage))
    if rows.empty:
        return _empty(["year", "nationality", "count", "share"])
    rows = prepared(rows)
    named = rows[~rows["nationality"].isin(["", OTHER_NATIONALITY, UNKNOWN_NATIONALITY])]
    leaders = list(named.groupby("nationality")["count"].sum()
                   .sort_values(ascending=False, kind="stable").head(top).index)
    rows["group"] = rows["nationality"].where(rows["nationality"].isin(leaders), OTHER_NATIONALITY)
    out = rows.groupby(["year", "group"], sort=True)["count"].sum().reset_index()
    out = out.rename(columns={"group": "nationality"})
    out["share"] = out["count"] / out.groupby("year")["count"].transform("sum")
    order = {code: i for i, code in enumerate(leaders + [OTHER_NATIONALITY])}
    return out.sort_values(["year", "nationality"], key=lambda c: c.map(order)
                           if c.name == "nationality" else c).reset_index(drop=True)


def leading_nationality(flows: pd.DataFrame, stage: Stage) -> pd.DataFrame:
    """Per year: the first nationality (other nationalities excluded) and its share."""
    rows = nationality_view(stage_rows(flows, stage))
    if rows.empty:
        return _empty(["year", "nationality", "count", "share"])
    rows = prepared(rows)
    per = rows.groupby(["year", "nationality"], sort=True)["count"].sum().reset_index()
    per["share"] = per["count"] / per.groupby("year")["count"].transform("sum")
    named = per[~per["nationality"].isin(["", OTHER_NATIONALITY, UNKNOWN_NATIONALITY])]
    first = named.sort_values(["year", "count"], ascending=[True, False], kind="stable")
    return first.groupby("year").head(1).reset_index(drop=True)


def children(flows: pd.DataFrame) -> pd.DataFrame:
    """Per statistic and year, from the first view per period that gives age: the total of
    that view, the people whose age is given, children and unaccompanied children.

    Counted only where the producer counts them: periods whose view has no age (or only
    "unknown") are left out; `family_unit` (U.S. CBP) is of any age, so neither child nor
    adult."""
    columns = views.STATISTIC + ["year", "total", "age_known", "children", "unaccompanied"]
    if flows.empty:
        return _empty(columns)
    rows = prepared(flows)
    view = views.STATISTIC + ["period", "breakdown"]
    every_row_aged = (rows["age_group"] != "").groupby([rows[c] for c in view]).transform("all")
    rows = views.one_view(rows[every_row_aged])
    with_age = rows.groupby(views.STATISTIC + ["period"])["age_group"].transform(
        lambda a: a.isin(KNOWN_AGE).any())
    rows = rows[with_age]
    if rows.empty:
        return _empty(columns)
    rows = rows.assign(
        age_known=rows["count"].where(rows["age_group"].isin(KNOWN_AGE), 0),
        children=rows["count"].where(rows["age_group"].isin(CHILD_GROUPS), 0),
        unaccompanied=rows["count"].where(rows["age_group"].isin(UNACCOMPANIED), 0))
    out = rows.groupby(views.STATISTIC + ["year"], sort=True).agg(
        total=("count", "sum"), age_known=("age_known", "sum"), children=("children", "sum"),
        unaccompanied=("unaccompanied", "sum")).reset_index()
    return out[columns]


def returns(flows: pd.DataFrame) -> pd.DataFrame:
    """Returns per year: received (Guatemala, by the returning country) and carried out
    (Mexico: deportation, assisted return), one view per period; children where counted."""
    columns = ["reporting_country", "event", "counterpart_country", "year", "count",
               "children"]
    rows = flows[flows["event"].isin(RETURN_EVENTS)
                 & ~flows["reporting_country"].isin(["USA"])]
    if rows.empty:
        return _empty(columns)
    rows = views.one_view(prepared(rows))
    rows = rows.assign(children=rows["count"].where(rows["age_group"].isin(CHILD_GROUPS), 0))
    out = rows.groupby(["reporting_country", "event", "counterpart_country", "year"],
                       sort=True).agg(count=("count", "sum"), children=("children", "sum"))
    return out.reset_index()[columns]


def monthly_returns(flows: pd.DataFrame) -> pd.DataFrame:
    """Months × series of returns (received by country returning; carried out by kind)."""
    rows = flows[flows["event"].isin(RETURN_EVENTS)
                 & ~flows["reporting_country"].isin(["USA"])]
    if rows.empty:
        return pd.DataFrame()
    rows = views.one_view(prepared(rows))
    rows = rows[rows["monthly"]]
    series = rows["reporting_country"] + ":" + rows["event"] + ":" + rows["counterpart_country"]
    table = rows.assign(series=series).pivot_table(index="period", columns="series",
                                                   values="count", aggfunc="sum")
    return table.sort_index()


def disagreements(flows: pd.DataFrame) -> pd.DataFrame:
    """Years where two breakdowns of one statistic, over the same months, differ."""
    if flows.empty:
        return _empty(views.STATISTIC + ["year", "view_a", "total_a", "view_b", "total_b"])
    return views.disagreements(prepared(flows))


def latest_full_year(yearly: pd.DataFrame, stage: str) -> pd.Series | None:
    """The last year with 12 months of a stage (or None)."""
    rows = yearly[(yearly["stage"] == stage) & (yearly["months"] >= 12)]
    return rows.iloc[-1] if len(rows) else None


def headline(flows: pd.DataFrame) -> pd.DataFrame:
    """Per stage: the last complete year, its total, the year before and the change."""
    yearly = yearly_by_stage(flows)
    found = []
    for stage in STAGES:
        last = latest_full_year(yearly, stage.code)
        if last is None:
            continue
        before = yearly[(yearly["stage"] == stage.code) & (yearly["year"] == last["year"] - 1)
                        & (yearly["months"] >= 12)]
        previous = int(before["count"].iloc[0]) if len(before) else None
        change = (int(last["count"]) - previous) / previous if previous else None
        found.append({"stage": stage.code, "country": stage.country, "unit": stage.unit,
                      "year": int(last["year"]), "count": int(last["count"]),
                      "previous": previous, "change": change})
    return pd.DataFrame(found, columns=["stage", "country", "unit", "year", "count",
                                        "previous", "change"])


def country_stages(flows: pd.DataFrame, country: str) -> list[Stage]:
    """The stages a reporting country's statistics make (none for Guatemala: returns)."""
    return [s for s in stages_present(flows) if s.country == country]
