"""Synthetic incidents: deaths, disappearances and crimes near the route legs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core import reference
from analysis.data.synthetic.draw import pick_index, pick_rows, random_days, shares
from analysis.data.synthetic.geography import ROUTES, Geography, darien_gap, year_table
from analysis.data.synthetic.parameters import (
    CAUSE_WEIGHTS,
    CAUSES,
    CRIME_CAUSES,
    INCIDENT_TYPES,
    SOURCE_QUALITY,
    YEARS,
)


def draw_incidents(rng: np.random.Generator, geo: Geography, n: int) -> pd.DataFrame:
    """Deaths, disappearances and crimes near the route legs where they happen most."""
    legs = []
    for r in range(len(ROUTES)):
        for j in range(geo.n_stops[r] - 1):
            legs.append((r, geo.stops[r, j], geo.stops[r, j + 1], geo.modes[r, j]))
    legs = np.array(legs, dtype=np.int64)
    route, src, dst, mode = legs.T
    darien = geo.places["corridor"].str.contains("darien").to_numpy()
    into_usa = (geo.country[src] == "MEX") & (geo.country[dst] == "USA")
    jungle = darien_gap(geo, src, dst, mode)
    in_mexico = (geo.country[src] == "MEX") & (geo.country[dst] == "MEX")
    haiti = (geo.country[src] == "HTI") & (geo.country[dst] == "DOM")
    setting = np.select([mode == 1, jungle, into_usa], [0, 1, 2], default=3)  # sea..land
    hazard = np.select([mode == 2, mode == 1, jungle, into_usa, in_mexico, haiti],
                       [0.0, 12.0, 4.0, 8.0, 1.5, 2.0], default=0.4)
    members = np.isin(geo.country, reference.CRM_MEMBERS)
    reportable = members[src] | members[dst] | (mode == 1) | jungle
    weight = hazard * geo.weights[route] * reportable
    pick = rng.choice(len(legs), size=n, p=shares(weight))
    route, src, dst, mode, setting = route[pick], src[pick], dst[pick], mode[pick], setting[pick]
    into_usa, jungle = into_usa[pick], jungle[pick]

    lat0, lon0 = geo.places["lat"].to_numpy(), geo.places["lon"].to_numpy()
    t = np.select([setting == 2], [rng.uniform(0.3, 1.0, n)], default=rng.uniform(0.1, 0.9, n))
    lat = lat0[src] + t * (lat0[dst] - lat0[src]) + rng.normal(0, 0.03, n)
    lon = lon0[src] + t * (lon0[dst] - lon0[src]) + rng.normal(0, 0.03, n)
    near = np.where(t < 0.5, src, dst)
    country = geo.country[near].copy()
    open_sea = (setting == 0) & (np.abs(t - 0.5) < 0.2) & (
        np.hypot(lat0[dst] - lat0[src], lon0[dst] - lon0[src]) > 1.0)
    country = np.where(open_sea, "ZZZ", country)
    reporter = np.where(geo.reporter[near] != "", geo.reporter[near],
                        np.where(geo.reporter[dst] != "", geo.reporter[dst], geo.reporter[src]))

    kind = pick_rows(rng, setting, np.array([(55, 35, 10), (45, 25, 30), (75, 15, 10),
                                              (50, 20, 30)]))
    death, gone, crime = kind == 0, kind == 1, kind == 2
    sea = setting == 0
    big = rng.random(n) < 0.02
    dead = np.where(death, np.where(sea, rng.geometric(0.25, n),
                                    np.where(big, rng.integers(8, 56, n), rng.geometric(0.7, n))),
                    np.where(crime & (rng.random(n) < 0.05), 1, 0))
    missing = np.where(gone, rng.geometric(np.where(sea, 0.12, 0.35), n),
                       np.where(death & sea, rng.geometric(0.35, n) - 1, 0))
    victims = rng.geometric(0.3, n)
    survivors_known = sea | crime | (rng.random(n) < 0.15)
    survivors = np.where(crime, victims, np.where(sea, rng.geometric(0.08, n) - 1,
                                                  rng.geometric(0.5, n) - 1))
    people = np.where(crime, victims, dead + missing)
    sex_known = rng.random(n) < 0.65
    females = rng.binomial(people, np.where(darien[src] | crime, 0.4, 0.22))
    children_known = rng.random(n) < 0.5
    children = rng.binomial(people, 0.12)

    cause = np.empty(n, dtype=object)
    for s, name in enumerate(("sea", "darien", "border", "land")):
        mine = np.flatnonzero(death & (setting == s))
        cause[mine] = np.array(CAUSES[name], dtype=object)[
            pick_index(rng, len(mine), CAUSE_WEIGHTS[name])]
    cause[gone] = np.where(sea[gone], "Drowning", "Mixed or unknown")
    cause[crime] = np.array(CRIME_CAUSES, dtype=object)[
        pick_index(rng, int(crime.sum()), (30, 25, 25, 12, 8))]
    route_name = np.select(
        [geo.country[src] == "CUB", (geo.country[src] == "HTI") & (geo.country[dst] == "DOM"),
         sea & np.isin(geo.country[dst], ["PRI", "DOM"]), jungle, into_usa,
         (geo.country[src] == "USA") & (geo.country[dst] == "CAN")],
        ["Cuba to US", "Haiti to Dominican Republic", "Dominican Republic to Puerto Rico",
         "Darien Gap", "US-Mexico border crossing", "US-Canada border crossing"],
        default="Central America to US")
    years = YEARS[pick_rows(rng, route, year_table())]
    quality = pick_index(rng, n, SOURCE_QUALITY) + 1
    return pd.DataFrame({
        "reporting_country": reporter, "date": random_days(rng, years),
        "lat": np.round(lat, 4), "lon": np.round(lon, 4), "country": country,
        "type": np.array(INCIDENT_TYPES, dtype=object)[kind], "dead": dead, "missing": missing,
        "survivors": survivors, "survivors_known": survivors_known, "females": females,
        "males": people - females, "sex_known": sex_known, "children": children,
        "children_known": children_known, "cause": cause, "route": route_name,
        "source_quality": quality,
    })
