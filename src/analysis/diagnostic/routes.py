"""Routes: where people are moved. Flows between places, corridors, transport modes, crossings
and hubs, the Darién and the Caribbean sea, and incidents along the routes.

Every function takes clean tables (see `analysis.core.contract`) and returns plain DataFrames with
codes, not labels: the notebook translates them. A case's weight is its number of migrants
(`cases.migrants`); route legs join cases by (reporting_country, case_id) and places come
from the gazetteer (`analysis.core.reference.places`). Start from `legs(route_legs, cases)`:

    enriched = routes.legs(data.route_legs, data.cases)
    routes.flows(enriched)            # leg-level flows between places
    routes.corridors(enriched)        # country sequences ranked by migrants
"""

from __future__ import annotations

import re
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import ops as shapely_ops

from analysis.core import reference
from analysis.core.text import fold
from analysis.diagnostic.modus import KEY, OTHER

HUB_KINDS = ("border_crossing", "transit_hub")
CORRIDOR_SEP = ">"
# The Darién Gap: gazetteer places of the "darien" corridor inside this box (lon/lat degrees)
# are the crossing itself (Urabá ports, the jungle trail, the Panamanian reception stations);
# the cities on the way (Bogotá, Medellín, Quito, Caracas) are not.
DARIEN = "darien"
DARIEN_BOX = (-78.6, 7.5, -76.3, 9.0)
CARIBBEAN_SEA = "caribbean_sea"
# Incidents: route groups, from the route text first, then from the location.
OTHER_ROUTES = "other"  # the route group of incidents on no named route (a code, with a label)
ROUTE_GROUPS = ("us_mexico_border", "central_america_mexico_us", DARIEN, CARIBBEAN_SEA,
                OTHER_ROUTES)
ROUTE_TEXT_RULES = (  # (pattern, group), first match wins; matched without accents
    (r"us.?mexico|mexico.?us|estados unidos.?mexico|frontera norte", "us_mexico_border"),
    (r"darien", DARIEN),
    (r"caribbean|caribe|puerto rico|dominican|haiti|cuba|mona", CARIBBEAN_SEA),
    (r"central america|centroamerica|mexico", "central_america_mexico_us"),
)
US_MEXICO_BORDER_KM = 100.0  # incidents this close to the US–Mexico boundary
NEAREST_PLACE_KM = 150.0  # otherwise the corridor of the nearest gazetteer place this close
# otherwise, in these countries, the Central America–Mexico–United States corridor
LAND_CORRIDOR_COUNTRIES = ("BLZ", "GTM", "HND", "SLV", "NIC", "CRI", "MEX")
NEAREST_CHUNK = 5_000  # incidents per block when finding their nearest gazetteer place
_DISTANCE_CRS = "+proj=laea +lat_0=15 +lon_0=-85 +datum=WGS84 +units=m +no_defs"

LEG_COLUMNS = [
    "reporting_country", "case_id", "leg_order", "from_place", "to_place", "mode", "migrants",
    "year", "from_country", "from_lat", "from_lon", "from_kind", "from_corridor", "to_country",
    "to_lat", "to_lon", "to_kind", "to_corridor",
]


# The columns `legs` reads of the route legs and of the cases (a narrow read of large tables).
LEG_INPUT = [*KEY, "leg_order", "from_place", "to_place", "mode"]
CASE_INPUT = [*KEY, "migrants", "date"]
# The columns of the incidents that `incident_routes` and the tables of incidents read.
INCIDENT_INPUT = ["reporting_country", "incident_id", "date", "lat", "lon", "country", "type",
                  "dead", "missing", "route"]
# The columns of the cases that the transport modes read (mode_shares).
MODE_INPUT = [*KEY, "date", "migrants", "transport_mode"]
# The rows (alias t) of the cases listed in a frame `chosen` (reporting_country, case_id).
OF_CASES = ("EXISTS (SELECT 1 FROM chosen AS k WHERE "
            "k.reporting_country = t.reporting_country AND k.case_id = t.case_id)")


def _years(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates, errors="coerce").dt.year.astype("Int64")


def _corridor_list(value: object) -> list[str]:
    return [] if pd.isna(value) else [c for c in str(value).split(";") if c]


def _per_value(values: pd.Series, function) -> pd.Series:
    """`function` of each value, computed once per distinct value (missing values give
    missing): for codes and sequences that repeat over many rows."""
    positions, uniques = pd.factorize(values, use_na_sentinel=True)
    results = pd.Series([function(u) for u in uniques], dtype=object)
    out = results.reindex(positions).set_axis(values.index)
    return out.infer_objects()


def legs(route_legs: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """Route legs with their case's migrants and year, and the country, coordinates, kind and
    corridors of both places. Legs without a known case are dropped."""
    if route_legs.empty or cases.empty:
        return pd.DataFrame(columns=LEG_COLUMNS)
    weights = cases[KEY].copy()
    weights["migrants"] = pd.to_numeric(cases["migrants"], errors="coerce").fillna(0).astype(
        "int64")
    weights["year"] = _years(cases["date"])
    weights = weights.drop_duplicates(KEY)
    out = route_legs[KEY + ["leg_order", "from_place", "to_place", "mode"]].merge(
        weights, on=KEY, how="inner")
    places = reference.places()[["country", "lat", "lon", "kind", "corridor"]]
    for end in ("from", "to"):
        info = places.add_prefix(f"{end}_")
        out = out.merge(info, left_on=f"{end}_place", right_index=True, how="left")
    out = out.sort_values(KEY + ["leg_order"], kind="stable").reset_index(drop=True)
    return out[LEG_COLUMNS]


def _place_columns(frame: pd.DataFrame, level: str) -> tuple[str, str]:
    if level == "place":
        return "from_place", "to_place"
    if level == "country":
        return "from_country", "to_country"
    raise ValueError(f"level must be 'place' or 'country', not {level!r}")


def _with_coordinates(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Add from_lon, from_lat, to_lon, to_lat: gazetteer points or country label points."""
    table = reference.places() if level == "place" else reference.countries()
    for end in ("from", "to"):
        found = frame[end].map(table["lon"]), frame[end].map(table["lat"])
        frame[f"{end}_lon"], frame[f"{end}_lat"] = found
    return frame


FLOW_COLUMNS = ["from", "to", "cases", "migrants", "from_lon", "from_lat", "to_lon", "to_lat"]


def _aggregate(frame: pd.DataFrame, origin: str, target: str, level: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=FLOW_COLUMNS)
    pair = [origin, target]
    frame = frame.dropna(subset=pair)
    out = pd.DataFrame({
        "cases": frame.drop_duplicates(KEY + pair).groupby(pair, sort=True).size(),
        "migrants": frame.groupby(pair, sort=True)["migrants"].sum(),
    }).reset_index().rename(columns={origin: "from", target: "to"})
    return flow_table(out, level)


def flow_table(counts: pd.DataFrame, level: str = "place") -> pd.DataFrame:
    """Flows from their counts (from, to, cases, migrants; one row per pair): with the
    coordinates of both ends, most travelled first."""
    columns = FLOW_COLUMNS
    out = _with_coordinates(counts.copy(), level)
    out = out.sort_values(["migrants", "cases", "from", "to"], ascending=[False, False, True,
                                                                        True], kind="stable")
    return out[columns].reset_index(drop=True)


def flows(enriched: pd.DataFrame, level: str = "place") -> pd.DataFrame:
    """Leg-level flows between places (or countries): from, to, cases, migrants (sum of the
    migrants of the cases that travel the leg) and the coordinates of both ends. Legs inside
    one country are kept at place level and dropped at country level."""
    origin, target = _place_columns(enriched, level)
    frame = enriched
    if level == "country":
        frame = enriched[enriched["from_country"] != enriched["to_country"]]
    return _aggregate(frame, origin, target, level)


def case_count(enriched: pd.DataFrame) -> int:
    """How many cases the legs belong to."""
    return len(enriched[KEY].drop_duplicates())


def migrant_count(enriched: pd.DataFrame) -> int:
    """How many migrants the cases of the legs hold (each case counted once)."""
    return int(enriched.drop_duplicates(KEY)["migrants"].sum())


def frequent(flow_table: pd.DataFrame, min_cases: int) -> pd.DataFrame:
    """The flows travelled by at least `min_cases` cases (what the maps show), with the
    migrants as the line weight."""
    return flow_table[flow_table["cases"] >= min_cases].rename(columns={"migrants": "weight"})


def journeys(enriched: pd.DataFrame) -> pd.DataFrame:
    """One row per case with route legs: origin place (first leg's from_place), destination
    place (last leg's to_place), transit places (";"-separated), the sequence of countries
    crossed (consecutive repeats collapsed, as "HND>GTM>MEX>USA"), migrants and year."""
    columns = ["reporting_country", "case_id", "origin", "destination", "transit",
               "origin_country", "destination_country", "countries", "migrants", "year"]
    if enriched.empty:
        return pd.DataFrame(columns=columns)
    ordered = enriched.sort_values(KEY + ["leg_order"], kind="stable").reset_index(drop=True)
    grouped = ordered.groupby(KEY, sort=True)
    first, last = grouped.head(1).set_index(KEY), grouped.tail(1).set_index(KEY)
    out = pd.DataFrame({"origin": first["from_place"], "destination": last["to_place"],
                        "migrants": first["migrants"], "year": first["year"]})
    inner = ordered[ordered.duplicated(KEY, keep="last")]  # every leg but the last ends in transit
    out["transit"] = _joined(inner, "to_place", ";")
    out["transit"] = out["transit"].fillna("")
    steps = pd.concat([
        grouped.head(1)[KEY + ["from_country"]].rename(columns={"from_country": "country"})
        .assign(step=0),
        ordered[KEY + ["to_country", "leg_order"]].rename(
            columns={"to_country": "country", "leg_order": "step"}),
    ]).dropna(subset=["country"])
    steps = steps.sort_values(KEY + ["step"], kind="stable").reset_index(drop=True)
    case = steps.groupby(KEY, sort=False).ngroup()
    repeat = case.eq(case.shift()) & steps["country"].eq(steps["country"].shift()).fillna(False)
    steps = steps[~repeat.astype(bool)]
    sequence = steps.groupby(KEY)["country"]
    out["countries"] = _joined(steps, "country", CORRIDOR_SEP)
    out["origin_country"] = sequence.first()
    out["destination_country"] = sequence.last()
    out["countries"] = out["countries"].fillna("")
    return out.reset_index()[columns]


def _joined(frame: pd.DataFrame, column: str, sep: str) -> pd.Series:
    """`column` joined with `sep` per case, in row order, indexed by KEY. The rows of a case
    must be contiguous (frames sorted by KEY): a plain slice per case, no per-group pandas."""
    starts = np.flatnonzero(~frame.duplicated(KEY).to_numpy())
    values = frame[column].tolist()
    ends = [*starts[1:], len(values)] if len(values) else []
    return pd.Series([sep.join(values[a:b]) for a, b in zip(starts, ends, strict=True)],
                     index=pd.MultiIndex.from_frame(frame[KEY].iloc[starts]), dtype=object)


def _trips(enriched: pd.DataFrame, trips: pd.DataFrame | None) -> pd.DataFrame:
    """The journeys of the legs: `trips` when the caller has them already (they must be
    `journeys(enriched)`), else computed."""
    return journeys(enriched) if trips is None else trips


def od_flows(enriched: pd.DataFrame, level: str = "place",
             trips: pd.DataFrame | None = None) -> pd.DataFrame:
    """Journeys from origin to final destination: from, to, cases, migrants and coordinates
    (gazetteer points, or country label points at level "country"). `trips`: the
    journeys of `enriched`, when already computed."""
    trips = _trips(enriched, trips).rename(columns={"origin": "from_place",
                                               "destination": "to_place",
                                               "origin_country": "from_country",
                                               "destination_country": "to_country"})
    origin, target = _place_columns(trips, level)
    return _aggregate(trips, origin, target, level)


def corridors(
    enriched: pd.DataFrame, cases: pd.DataFrame | None = None, kind: str = "sequence",
    min_countries: int = 2, trips: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Corridors ranked by migrants, then cases: corridor ("HND>GTM>MEX>USA"), cases,
    migrants, share (of the migrants of all corridors listed).

    kind "sequence": the countries crossed, from the route legs. kind "od": origin country →
    destination country, from the legs, or from cases.origin_country/destination_country for
    the cases (passed in `cases`) that have no route legs. Journeys through fewer than
    `min_countries` countries (by default: those that cross no border) are left out.
    `trips`: the journeys of `enriched`, when already computed.
    """
    trips = _trips(enriched, trips)
    if kind == "sequence":
        frame = trips[["reporting_country", "case_id", "countries", "migrants", "year"]]
        frame = frame.rename(columns={"countries": "corridor"})
    elif kind == "od":
        frame = trips.assign(corridor=trips["origin_country"].astype("string") + CORRIDOR_SEP
                             + trips["destination_country"].astype("string"))
        frame = frame[["reporting_country", "case_id", "corridor", "migrants", "year"]]
        if cases is not None and not cases.empty:
            known = set(zip(trips["reporting_country"], trips["case_id"], strict=True))
            rest = cases[[k not in known for k in zip(cases["reporting_country"],
                                                      cases["case_id"], strict=True)]]
            rest = rest.dropna(subset=["origin_country", "destination_country"])
            extra = pd.DataFrame({
                "reporting_country": rest["reporting_country"], "case_id": rest["case_id"],
                "corridor": rest["origin_country"].astype("string") + CORRIDOR_SEP
                + rest["destination_country"].astype("string"),
                "migrants": pd.to_numeric(rest["migrants"]).fillna(0).astype("int64"),
                "year": _years(rest["date"]),
            })
            frame = pd.concat([frame, extra], ignore_index=True) if len(extra) else frame
    else:
        raise ValueError(f"kind must be 'sequence' or 'od', not {kind!r}")
    if kind == "sequence":
        crossed = _per_value(frame["corridor"], lambda c: len(corridor_countries(c)))
    else:
        crossed = _per_value(frame["corridor"], lambda c: len(set(corridor_countries(c))))
    return _rank_corridors(frame[(crossed >= min_countries).fillna(False).astype(bool)])


def corridor_of_cases(enriched: pd.DataFrame, trips: pd.DataFrame | None = None
                      ) -> pd.DataFrame:
    """reporting_country, case_id, corridor (country sequence), migrants, year per case.
    `trips`: the journeys of `enriched`, when already computed."""
    trips = _trips(enriched, trips)
    return trips[["reporting_country", "case_id", "countries", "migrants", "year"]].rename(
        columns={"countries": "corridor"})


def _rank_corridors(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[frame["corridor"].notna() & (frame["corridor"] != "")]
    if frame.empty:
        return pd.DataFrame(columns=CORRIDOR_COLUMNS)
    return corridor_ranking(frame.groupby("corridor", sort=True).agg(
        cases=("case_id", "size"), migrants=("migrants", "sum")).reset_index())


CORRIDOR_COLUMNS = ["corridor", "cases", "migrants", "share"]


def corridor_ranking(out: pd.DataFrame) -> pd.DataFrame:
    """Corridors ranked from their counts (corridor, cases, migrants; one row each, sorted
    by corridor), with each one's share of the migrants."""
    columns = CORRIDOR_COLUMNS
    if out.empty:
        return pd.DataFrame(columns=columns)
    total = out["migrants"].sum()
    out["share"] = out["migrants"] / total if total else np.nan
    out = out.sort_values(["migrants", "cases", "corridor"], ascending=[False, False, True],
                          kind="stable")
    return out[columns].reset_index(drop=True)


def domestic_share(enriched: pd.DataFrame, trips: pd.DataFrame | None = None) -> float:
    """The share of the migrants with route legs whose journey stays in one country.
    `trips`: the journeys of `enriched`, when already computed."""
    trips = _trips(enriched, trips)
    total = trips["migrants"].sum()
    if not total:
        return float("nan")
    inside = _per_value(trips["countries"], lambda c: len(corridor_countries(c)) <= 1)
    inside = inside.fillna(True).astype(bool)
    return float(trips.loc[inside, "migrants"].sum() / total)


def corridors_by_year(enriched: pd.DataFrame, top: list[str],
                      trips: pd.DataFrame | None = None) -> pd.DataFrame:
    """Migrants per year (rows) and corridor (columns, in the order of `top`); the corridors
    not in `top` are summed in the column OTHER. `trips`: the journeys of `enriched`, when
    already computed."""
    return corridor_years(corridor_of_cases(enriched, trips), top)


def corridor_years(per_case: pd.DataFrame, top: list[str]) -> pd.DataFrame:
    """`corridors_by_year` from migrants per case (or per year and corridor): year,
    corridor, migrants."""
    per_case = per_case[per_case["corridor"] != ""].dropna(subset=["year"])
    if per_case.empty:
        return pd.DataFrame(columns=[*top, OTHER])
    per_case["group"] = per_case["corridor"].where(per_case["corridor"].isin(top), OTHER)
    table = per_case.pivot_table(index="year", columns="group", values="migrants",
                                 aggfunc="sum", fill_value=0)
    table = table.reindex(columns=[*top, OTHER], fill_value=0).astype("int64")
    table.index = table.index.astype(int)
    table.columns.name = None
    return table.sort_index()


def corridor_flows(enriched: pd.DataFrame, top: list[str],
                   trips: pd.DataFrame | None = None) -> pd.DataFrame:
    """Place-level leg flows of the cases in each corridor of `top`, with a `corridor`
    column (for a map with one colour per corridor). `trips`: the journeys of `enriched`,
    when already computed."""
    per_case = corridor_of_cases(enriched, trips)
    parts = []
    for corridor in top:
        chosen = per_case.loc[per_case["corridor"] == corridor, KEY]
        subset = enriched.merge(chosen, on=KEY, how="inner")
        parts.append(flows(subset).assign(corridor=corridor))
    if not parts:
        return flows(enriched.iloc[0:0]).assign(corridor=pd.Series(dtype="string"))
    return pd.concat(parts, ignore_index=True)


def corridor_countries(corridor: str) -> list[str]:
    """"HND>GTM>MEX>USA" → ["HND", "GTM", "MEX", "USA"]."""
    return [c for c in str(corridor).split(CORRIDOR_SEP) if c]


def crosses(corridors_: pd.Series, country: str, min_countries: int = 2) -> pd.Series:
    """Whether each corridor ("HND>GTM>MEX>USA") passes through `country` and crosses at
    least `min_countries` countries (each distinct corridor looked at once)."""
    def one(corridor: str) -> bool:
        countries = corridor_countries(corridor)
        return len(countries) >= min_countries and country in countries

    return _per_value(corridors_, one).fillna(False).astype(bool)


def corridor_name(corridor: str, lang: str) -> str:
    """The corridor with country names: "Honduras → Guatemala → México"."""
    return " → ".join(reference.label("country", c, lang) for c in corridor_countries(corridor))


def mode_shares(cases: pd.DataFrame, by: list[str] | tuple[str, ...] = ("year",)) -> pd.DataFrame:
    """Cases and migrants per transport mode within each group of `by` (columns of cases, or
    "year"), and the mode's share of the group's migrants. Modes in code-list order."""
    by = list(by)
    columns = [*by, "mode", "cases", "migrants", "share"]
    if cases.empty:
        return pd.DataFrame(columns=columns)
    frame = cases.assign(year=_years(cases["date"]),
                         migrants=pd.to_numeric(cases["migrants"]).fillna(0).astype("int64"))
    frame = frame.dropna(subset=[*by, "transport_mode"])
    out = frame.groupby([*by, "transport_mode"], sort=True).agg(
        cases=("case_id", "size"), migrants=("migrants", "sum")).reset_index()
    out = out.rename(columns={"transport_mode": "mode"})
    totals = out.groupby(by)["migrants"].transform("sum") if by else out["migrants"].sum()
    out["share"] = (out["migrants"] / totals.where(totals > 0)) if by else (
        out["migrants"] / totals if totals else np.nan)
    order = {m: i for i, m in enumerate(reference.code_list("transport_mode"))}
    out = out.assign(_o=out["mode"].map(order)).sort_values([*by, "_o"], kind="stable")
    return out[columns].reset_index(drop=True)


def mode_share_table(cases: pd.DataFrame, by: str = "year", min_cases: int = 0) -> pd.DataFrame:
    """The modes' shares of migrants per group of `by` (rows) and mode (columns, code-list
    order, only modes present); groups with fewer than `min_cases` cases are left out."""
    shares = mode_shares(cases, by=[by])
    if shares.empty:
        return pd.DataFrame()
    kept = shares[shares.groupby(by)["cases"].transform("sum") >= min_cases]
    if kept.empty:
        return pd.DataFrame()
    table = kept.pivot_table(index=by, columns="mode", values="share", fill_value=0.0)
    table = table[[m for m in reference.code_list("transport_mode") if m in table.columns]]
    table.columns.name = None
    return table


def mode_table(cases: pd.DataFrame, by: str = "reporting_country",
               value: str = "migrants") -> pd.DataFrame:
    """`value` (migrants or cases) per group of `by` (rows) and transport mode (columns, in
    code-list order, only modes present), with a total column."""
    shares = mode_shares(cases, by=[by])
    if shares.empty:
        return pd.DataFrame()
    table = shares.pivot_table(index=by, columns="mode", values=value, aggfunc="sum",
                               fill_value=0)
    modes = [m for m in reference.code_list("transport_mode") if m in table.columns]
    table = table[modes].astype("int64")
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table


def hubs(enriched: pd.DataFrame, kinds: tuple[str, ...] = HUB_KINDS) -> pd.DataFrame:
    """Places of the given kinds ranked by the migrants passing through them (each case
    counted once per place it touches, as start or end of a leg): place_id, name, country,
    kind, lat, lon, cases, migrants."""
    if enriched.empty:
        return pd.DataFrame(columns=HUB_COLUMNS)
    touches = pd.concat([
        enriched[KEY + ["from_place", "migrants"]].rename(columns={"from_place": "place_id"}),
        enriched[KEY + ["to_place", "migrants"]].rename(columns={"to_place": "place_id"}),
    ]).drop_duplicates(KEY + ["place_id"])
    return hub_table(touches.groupby("place_id", sort=True).agg(cases=("case_id", "size"),
                                                                migrants=("migrants", "sum")),
                     kinds)


HUB_COLUMNS = ["place_id", "name", "country", "kind", "lat", "lon", "cases", "migrants"]


def hub_table(out: pd.DataFrame, kinds: tuple[str, ...] = HUB_KINDS) -> pd.DataFrame:
    """`hubs` from the cases and migrants touching each place (indexed by place_id)."""
    columns = HUB_COLUMNS
    if out.empty:
        return pd.DataFrame(columns=columns)
    places = reference.places()
    out = out.join(places[["name", "country", "kind", "lat", "lon"]], how="inner")
    out = out[out["kind"].isin(kinds)].reset_index().rename(columns={"index": "place_id"})
    out = out.sort_values(["migrants", "cases", "place_id"], ascending=[False, False, True],
                          kind="stable")
    return out[columns].reset_index(drop=True)


# Darién and the Caribbean ------------------------------------------------------------------
def darien_places() -> list[str]:
    """Gazetteer places of the Darién crossing (corridor "darien", inside DARIEN_BOX)."""
    places = reference.places()
    lon0, lat0, lon1, lat1 = DARIEN_BOX
    inside = places["lon"].between(lon0, lon1) & places["lat"].between(lat0, lat1)
    tagged = places["corridor"].map(lambda c: DARIEN in _corridor_list(c))
    return sorted(places.index[inside & tagged])


def through_darien(enriched: pd.DataFrame) -> pd.DataFrame:
    """The legs of the cases that pass through a Darién place."""
    crossing = set(darien_places())
    touched = enriched["from_place"].isin(crossing) | enriched["to_place"].isin(crossing)
    chosen = enriched.loc[touched, KEY].drop_duplicates()
    return enriched.merge(chosen, on=KEY, how="inner")


def region_of(nationality: pd.Series) -> pd.Series:
    """"americas", "extra_continental" or "unknown", from the UNSD sub-region in countries.csv."""
    subregion = nationality.map(reference.countries()["unsd_subregion"])
    known = subregion.notna() & ~subregion.isin(["", "none"])
    out = pd.Series("unknown", index=nationality.index, dtype="string")
    out[known & subregion.isin(reference.AMERICAS)] = "americas"
    out[known & ~subregion.isin(reference.AMERICAS)] = "extra_continental"
    return out


def darien_migrants(enriched: pd.DataFrame, migrants: pd.DataFrame) -> pd.DataFrame:
    """The migrants (persons in the migrants table) of the cases through the Darién, with
    nationality, region ("americas", "extra_continental", "unknown") and year of the case."""
    columns = ["reporting_country", "case_id", "person_id", "nationality", "region", "year"]
    darien_legs = through_darien(enriched)
    if darien_legs.empty or migrants.empty:
        return pd.DataFrame(columns=columns)
    cases = darien_legs[KEY + ["year"]].drop_duplicates(KEY)
    people = migrants.dropna(subset=["case_id"]).merge(cases, on=KEY, how="inner")
    people["region"] = region_of(people["nationality"])
    return people[columns].reset_index(drop=True)


def darien_by_year(people: pd.DataFrame) -> pd.DataFrame:
    """Migrants through the Darién per year (rows) and region (columns)."""
    return darien_counts_by_year(people.assign(with_id=people["person_id"].notna()))


def nationalities(people: pd.DataFrame) -> pd.DataFrame:
    """nationality, region, migrants: persons per nationality, most frequent first."""
    return nationality_counts(people.assign(persons=1))


def darien_counts_by_year(counts: pd.DataFrame) -> pd.DataFrame:
    """darien_by_year from the persons counted by nationality, region and year (columns
    nationality, region, year, with_id: the persons with a person_id)."""
    regions = ["americas", "extra_continental", "unknown"]
    if counts.empty:
        return pd.DataFrame(columns=regions)
    table = counts.dropna(subset=["year"]).pivot_table(
        index="year", columns="region", values="with_id", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=regions, fill_value=0).astype("int64")
    table.index = table.index.astype(int)
    table.columns.name = None
    return table.sort_index()


def nationality_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """nationalities from the persons counted by nationality and region (column persons)."""
    if counts.empty:
        return pd.DataFrame(columns=["nationality", "region", "migrants"])
    out = counts.groupby(["nationality", "region"], sort=True)["persons"].sum().rename(
        "migrants").reset_index()
    out = out.sort_values(["migrants", "nationality"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def caribbean_sea_legs(enriched: pd.DataFrame) -> pd.DataFrame:
    """Sea legs that start or end at a place of the "caribbean_sea" corridor."""
    if enriched.empty:
        return enriched

    def tagged(column: str) -> pd.Series:
        found = _per_value(enriched[column], lambda c: CARIBBEAN_SEA in _corridor_list(c))
        return found.fillna(False).astype(bool)

    by_sea = enriched["mode"].eq("sea").fillna(False).astype(bool)
    chosen = by_sea & (tagged("from_corridor") | tagged("to_corridor"))
    return enriched[chosen].reset_index(drop=True)


def sea_routes(enriched: pd.DataFrame) -> pd.DataFrame:
    """Caribbean sea routes between places: from, to (place ids), from_country, to_country,
    cases, migrants and coordinates, most travelled first."""
    return with_countries(flows(caribbean_sea_legs(enriched), level="place"))


def with_countries(routes_: pd.DataFrame) -> pd.DataFrame:
    """Place-level flows with the country of each end (from_country, to_country)."""
    countries = reference.places()["country"]
    routes_.insert(2, "from_country", routes_["from"].map(countries))
    routes_.insert(3, "to_country", routes_["to"].map(countries))
    return routes_


# Incidents ------------------------------------------------------------------------------------
def route_group_of_text(text: object) -> str | None:
    """The route group named by an incident's route text, or None."""
    if text is None or pd.isna(text) or not str(text).strip():
        return None
    folded = fold(text)
    for pattern, group in ROUTE_TEXT_RULES:
        if re.search(pattern, folded):
            return group
    return None


@cache
def _us_mexico_border():
    """The US–Mexico boundary line (from the basemap), in a metric projection."""
    shapes = reference.basemap().to_crs(_DISTANCE_CRS)
    usa = shapes.loc[shapes["iso3"] == "USA"].union_all()
    mex = shapes.loc[shapes["iso3"] == "MEX"].union_all()
    line = usa.boundary.intersection(mex.buffer(2_000))
    return shapely_ops.unary_union(line)


def _projected_points(lon: pd.Series, lat: pd.Series) -> gpd.GeoSeries:
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), index=lon.index, crs=4326)
    return points.to_crs(_DISTANCE_CRS)


def route_group_of_location(lon: pd.Series, lat: pd.Series) -> pd.Series:
    """Route group by location: near the US–Mexico boundary, else the first non-air corridor
    of the nearest gazetteer place within NEAREST_PLACE_KM, else "other" (missing
    coordinates: missing)."""
    out = pd.Series(pd.NA, index=lon.index, dtype="string")
    has = lon.notna() & lat.notna()
    if not has.any():
        return out
    points = _projected_points(lon[has].astype(float), lat[has].astype(float))
    border = _us_mexico_border()
    near_border = points.distance(border) <= US_MEXICO_BORDER_KM * 1000
    places = reference.places()
    place_points = _projected_points(places["lon"], places["lat"])
    px, py = place_points.x.to_numpy(), place_points.y.to_numpy()
    named = [next((c for c in _corridor_list(value) if c != "air"), None)
             for value in places["corridor"]]
    x, y = points.x.to_numpy(), points.y.to_numpy()
    groups = np.full(len(points), OTHER_ROUTES, dtype=object)
    for chunk in range(0, len(points), NEAREST_CHUNK):  # the nearest place, a block at a time
        part = slice(chunk, chunk + NEAREST_CHUNK)
        distance = np.hypot(px[None, :] - x[part, None], py[None, :] - y[part, None])
        nearest = distance.argmin(axis=1)
        close = distance[np.arange(len(nearest)), nearest] <= NEAREST_PLACE_KM * 1000
        groups[part] = [named[i] if ok and named[i] else OTHER_ROUTES
                        for i, ok in zip(nearest, close, strict=True)]
    groups[near_border.to_numpy()] = "us_mexico_border"
    out[has] = list(groups)
    return out


def incident_routes(incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents with `year`, `dead_missing` (dead + missing, blanks as 0) and
    `route_group` (one of ROUTE_GROUPS): from the route text; else from the location (near
    the US–Mexico boundary, or the corridor of the nearest gazetteer place); else, in a
    country of LAND_CORRIDOR_COUNTRIES, the Central America–Mexico–US corridor; else other."""
    out = incidents.copy()
    out["year"] = _years(out["date"])
    dead = pd.to_numeric(out["dead"], errors="coerce").fillna(0)
    missing = pd.to_numeric(out["missing"], errors="coerce").fillna(0)
    out["dead_missing"] = (dead + missing).astype("int64")
    if out.empty:
        out["route_group"] = pd.Series(dtype="string")
        return out
    by_text = _per_value(out["route"], route_group_of_text).astype("string")
    by_place = route_group_of_location(pd.to_numeric(out["lon"], errors="coerce"),
                                       pd.to_numeric(out["lat"], errors="coerce"))
    by_place = by_place.where(by_place != OTHER_ROUTES)
    country = out["country"].fillna(out["reporting_country"])
    by_country = pd.Series(pd.NA, index=out.index, dtype="string").mask(
        country.isin(LAND_CORRIDOR_COUNTRIES).fillna(False).astype(bool),
        "central_america_mexico_us")
    out["route_group"] = by_text.fillna(by_place).fillna(by_country).fillna(OTHER_ROUTES)
    return out


def incidents_by_route(routed: pd.DataFrame) -> pd.DataFrame:
    """Per route group (in ROUTE_GROUPS order, only those present): incidents, dead,
    missing, dead_missing, and incidents by type (death, disappearance,
    crime_against_migrants)."""
    types = list(reference.code_list("incident_type"))
    columns = ["route_group", "incidents", "dead", "missing", "dead_missing", *types]
    if routed.empty:
        return pd.DataFrame(columns=columns)
    frame = routed.assign(dead=pd.to_numeric(routed["dead"]).fillna(0),
                          missing=pd.to_numeric(routed["missing"]).fillna(0))
    out = frame.groupby("route_group").agg(
        incidents=("incident_id", "size"), dead=("dead", "sum"), missing=("missing", "sum"),
        dead_missing=("dead_missing", "sum"))
    by_type = frame.pivot_table(index="route_group", columns="type", values="incident_id",
                                aggfunc="count", fill_value=0).reindex(columns=types,
                                                                       fill_value=0)
    out = out.join(by_type).fillna(0).astype("int64")
    order = [g for g in ROUTE_GROUPS if g in out.index]
    out = out.loc[order].reset_index()
    out.columns.name = None
    return out[columns]


def incidents_by_year(routed: pd.DataFrame, value: str = "dead_missing") -> pd.DataFrame:
    """`value` (dead_missing, or "incidents" for a count) per year (rows) and route group
    (columns, in ROUTE_GROUPS order, only those present)."""
    frame = routed.dropna(subset=["year"])
    if frame.empty:
        return pd.DataFrame()
    if value == "incidents":
        frame = frame.assign(incidents=1)
    table = frame.pivot_table(index="year", columns="route_group", values=value,
                              aggfunc="sum", fill_value=0)
    table = table[[g for g in ROUTE_GROUPS if g in table.columns]].astype("int64")
    years = range(int(table.index.min()), int(table.index.max()) + 1)
    table = table.reindex(years, fill_value=0)
    table.index.name = "year"
    table.columns.name = None
    return table


def located(routed: pd.DataFrame) -> pd.DataFrame:
    """The incidents with coordinates (lon, lat as floats)."""
    frame = routed.assign(lon=pd.to_numeric(routed["lon"], errors="coerce"),
                          lat=pd.to_numeric(routed["lat"], errors="coerce"))
    return frame.dropna(subset=["lon", "lat"]).reset_index(drop=True)
