"""Routes at any scale: the route legs and journeys of a dataset as DuckDB aggregates over its
tables (`Dataset.query`), never loaded whole. Each method gives what the function of the same
name in `analysis.diagnostic.routes` gives on the loaded legs (`routes.legs`) and their
journeys (`routes.journeys`):

    legs = RouteLegs(data)
    legs.flows()                     # == routes.flows(routes.legs(route_legs, cases))
    legs.corridors()                 # == routes.corridors(enriched)

Only small results come back to pandas: flows between pairs of places, corridors, hubs,
counts per year. A subset of the legs (the cases through the Darién, the Caribbean sea legs)
is named by `Subset` and gives its own counts and flows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import reference
from analysis.diagnostic import routes

# The enriched legs (`routes.legs`, without coordinates), those of a subset (`legs`) and one
# row per journey (`routes.journeys`: the countries crossed, consecutive repeats collapsed, and
# how many).
_ALL_LEGS = """
weights AS (
    SELECT reporting_country, case_id,
           CAST(trunc(coalesce(CAST(migrants AS DOUBLE), 0)) AS BIGINT) AS migrants,
           year(date) AS year
    FROM cases),
all_legs AS (
    SELECT l.reporting_country, l.case_id, l.leg_order, l.from_place, l.to_place, l."mode",
           w.migrants, w.year, f.country AS from_country, t.country AS to_country
    FROM route_legs AS l
    JOIN weights AS w ON w.reporting_country = l.reporting_country AND w.case_id = l.case_id
    LEFT JOIN _places AS f ON f.place_id = l.from_place
    LEFT JOIN _places AS t ON t.place_id = l.to_place)"""
_WHOLE_CASES = """,
picked AS (SELECT DISTINCT reporting_country, case_id FROM all_legs WHERE {where}),
legs AS (
    SELECT a.* FROM all_legs AS a
    WHERE EXISTS (SELECT 1 FROM picked AS p
                  WHERE p.reporting_country = a.reporting_country AND p.case_id = a.case_id))"""
_TRIPS = """,
steps AS (
    SELECT reporting_country, case_id, 0 AS step, from_country AS country FROM legs
    QUALIFY row_number() OVER (PARTITION BY reporting_country, case_id ORDER BY leg_order) = 1
    UNION ALL
    SELECT reporting_country, case_id, leg_order AS step, to_country AS country FROM legs),
known AS (
    SELECT *, lag(country) OVER (PARTITION BY reporting_country, case_id ORDER BY step)
           AS before
    FROM steps WHERE country IS NOT NULL),
sequences AS (
    SELECT reporting_country, case_id, string_agg(country, '>' ORDER BY step) AS countries,
           count(*) AS crossed, arg_min(country, step) AS origin_country,
           arg_max(country, step) AS destination_country
    FROM known WHERE before IS NULL OR country <> before
    GROUP BY reporting_country, case_id),
trips AS (
    SELECT c.reporting_country, c.case_id, c.migrants, c.year,
           coalesce(s.countries, '') AS countries, coalesce(s.crossed, 0) AS crossed,
           s.origin_country, s.destination_country
    FROM (SELECT DISTINCT reporting_country, case_id, migrants, year FROM legs) AS c
    LEFT JOIN sequences AS s
    ON s.reporting_country = c.reporting_country AND s.case_id = c.case_id)"""
# Flows (from, to, cases, migrants) of the `legs`, grouped also by the columns {by}.
_FLOWS = """
SELECT {by}from_place AS "from", to_place AS "to", count(*) AS cases,
       CAST(sum(migrants) AS BIGINT) AS migrants
FROM (SELECT {by}reporting_country, case_id, from_place, to_place, sum(migrants) AS migrants
      FROM {legs} WHERE from_place IS NOT NULL AND to_place IS NOT NULL
      GROUP BY ALL)
GROUP BY ALL ORDER BY ALL"""


def _places() -> pd.DataFrame:
    places = reference.places()
    return pd.DataFrame({"place_id": pd.Series(places.index, dtype="string"),
                         "country": pd.Series(places["country"].to_numpy(), dtype="string")})


def _int(frame: pd.DataFrame, *columns: str, nullable: tuple[str, ...] = ()) -> pd.DataFrame:
    """Counts as int64 (`nullable`: Int64) and codes as str: the types the computations on
    loaded tables give."""
    kinds = {c: "int64" for c in columns} | {c: "Int64" for c in nullable}
    codes = [c for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)]
    return frame.astype(kinds | {c: "str" for c in codes})


def _flows(counts: pd.DataFrame, level: str = "place") -> pd.DataFrame:
    if counts.empty:
        return pd.DataFrame(columns=routes.FLOW_COLUMNS)
    return routes.flow_table(_int(counts, "cases", "migrants"), level)


@dataclass(frozen=True)
class Subset:
    """Some of the legs: those meeting `where` (SQL over the legs' columns: reporting_country,
    case_id, leg_order, from_place, to_place, mode, migrants, year, from_country,
    to_country), or with `whole_cases` every leg of the cases with a leg meeting it. The
    place ids `places` may be named in `where` as the table `_chosen` (column place_id)."""

    where: str
    whole_cases: bool = False
    places: tuple[str, ...] = ()


def darien() -> Subset:
    """The legs of the cases through the Darién (routes.through_darien)."""
    return Subset("from_place IN (SELECT place_id FROM _chosen) "
                  "OR to_place IN (SELECT place_id FROM _chosen)", whole_cases=True,
                  places=tuple(routes.darien_places()))


def caribbean_sea() -> Subset:
    """The Caribbean sea legs (routes.caribbean_sea_legs)."""
    places = reference.places()
    tagged = [p for p, c in zip(places.index, places["corridor"], strict=True)
              if routes.CARIBBEAN_SEA in routes._corridor_list(c)]
    return Subset("\"mode\" = 'sea' AND (from_place IN (SELECT place_id FROM _chosen) "
                  "OR to_place IN (SELECT place_id FROM _chosen))", places=tuple(tagged))


class RouteLegs:
    """The route legs of a dataset (joined to their case's migrants and year and to the
    gazetteer) and the journeys they make, queried, not loaded."""

    def __init__(self, data):
        self.data = data

    def _query(self, body: str, subset: Subset | None = None, trips: bool = False,
               **frames: pd.DataFrame) -> pd.DataFrame:
        """`body` (a SELECT) after the definitions of `legs` (only those of `subset`) and,
        with `trips`, of `trips` (one row per journey)."""
        ctes = _ALL_LEGS
        frames = {"_places": _places(), **frames}
        if subset is None:
            ctes += ",\nlegs AS (SELECT * FROM all_legs)"
        else:
            frames["_chosen"] = pd.DataFrame({"place_id": pd.Series(subset.places,
                                                                    dtype="string")})
            ctes += (_WHOLE_CASES.format(where=subset.where) if subset.whole_cases
                     else f",\nlegs AS (SELECT * FROM all_legs WHERE {subset.where})")
        if trips:
            ctes += _TRIPS
        return self.data.query(f"WITH {ctes}\n{body}", **frames)

    # counts ---------------------------------------------------------------------------------
    def totals(self, subset: Subset | None = None) -> dict[str, int]:
        """legs, cases and migrants (each case once) of the legs: len(legs),
        routes.case_count(legs), routes.migrant_count(legs) (which is also the sum of the
        migrants of their journeys)."""
        out = self._query("""
            SELECT (SELECT count(*) FROM legs) AS legs, count(*) AS cases,
                   CAST(coalesce(sum(migrants), 0) AS BIGINT) AS migrants
            FROM (SELECT DISTINCT reporting_country, case_id, migrants FROM legs)""", subset)
        return {k: int(out[k].iloc[0]) for k in ("legs", "cases", "migrants")}

    # flows ----------------------------------------------------------------------------------
    def flows(self, subset: Subset | None = None) -> pd.DataFrame:
        """routes.flows(legs) at place level."""
        return _flows(self._query(_FLOWS.format(by="", legs="legs"), subset))

    def sea_routes(self) -> pd.DataFrame:
        """routes.sea_routes(legs)."""
        return routes.with_countries(self.flows(caribbean_sea()))

    def od_flows(self) -> pd.DataFrame:
        """routes.od_flows(legs, "country"): journeys from origin to destination country."""
        counts = self._query("""
            SELECT origin_country AS "from", destination_country AS "to", count(*) AS cases,
                   CAST(sum(migrants) AS BIGINT) AS migrants
            FROM trips WHERE origin_country IS NOT NULL AND destination_country IS NOT NULL
            GROUP BY ALL ORDER BY ALL""", trips=True)
        return _flows(counts, "country")

    # corridors ------------------------------------------------------------------------------
    def corridors(self, min_countries: int = 2) -> pd.DataFrame:
        """routes.corridors(legs): corridors (country sequences) ranked by migrants."""
        counts = self._query(f"""
            SELECT countries AS corridor, count(*) AS cases,
                   CAST(sum(migrants) AS BIGINT) AS migrants
            FROM trips WHERE crossed >= {int(min_countries)} AND countries <> ''
            GROUP BY ALL ORDER BY ALL""", trips=True)
        return routes.corridor_ranking(_int(counts, "migrants", nullable=("cases",)))

    def domestic_share(self) -> float:
        """routes.domestic_share(legs)."""
        out = self._query("""
            SELECT CAST(coalesce(sum(migrants), 0) AS BIGINT) AS total,
                   CAST(coalesce(sum(migrants) FILTER (WHERE crossed <= 1), 0) AS BIGINT)
                   AS inside
            FROM trips""", trips=True)
        total, inside = int(out["total"].iloc[0]), int(out["inside"].iloc[0])
        return float(inside / total) if total else float("nan")

    def corridors_by_year(self, top: list[str]) -> pd.DataFrame:
        """routes.corridors_by_year(legs, top)."""
        per_year = self._query("""
            SELECT year, countries AS corridor, CAST(sum(migrants) AS BIGINT) AS migrants
            FROM trips WHERE countries <> '' AND year IS NOT NULL
            GROUP BY ALL ORDER BY ALL""", trips=True)
        return routes.corridor_years(_int(per_year, "migrants"), top)

    def corridor_flows(self, top: list[str]) -> pd.DataFrame:
        """routes.corridor_flows(legs, top): the flows of the cases of each corridor."""
        legs = ("(SELECT l.*, t.countries FROM legs AS l JOIN trips AS t "
                "ON t.reporting_country = l.reporting_country AND t.case_id = l.case_id "
                "WHERE t.countries IN (SELECT corridor FROM _top))")
        counts = self._query(_FLOWS.format(by="countries, ", legs=legs), trips=True,
                             _top=pd.DataFrame({"corridor": pd.Series(top, dtype="string")}))
        parts = [_flows(counts.loc[counts["countries"] == corridor,
                                   ["from", "to", "cases", "migrants"]].reset_index(drop=True))
                 .assign(corridor=corridor) for corridor in top]
        if not parts:
            return pd.DataFrame(columns=routes.FLOW_COLUMNS).assign(
                corridor=pd.Series(dtype="string"))
        return pd.concat(parts, ignore_index=True)

    # places ---------------------------------------------------------------------------------
    def hubs(self, kinds: tuple[str, ...] = routes.HUB_KINDS) -> pd.DataFrame:
        """routes.hubs(legs): the places most journeys pass through."""
        counts = self._query("""
            SELECT place_id, count(*) AS cases, CAST(sum(migrants) AS BIGINT) AS migrants
            FROM (SELECT DISTINCT reporting_country, case_id, place_id, migrants
                  FROM (SELECT reporting_country, case_id, from_place AS place_id, migrants
                        FROM legs
                        UNION ALL
                        SELECT reporting_country, case_id, to_place, migrants FROM legs))
            WHERE place_id IS NOT NULL GROUP BY ALL ORDER BY ALL""")
        if counts.empty:
            return pd.DataFrame(columns=routes.HUB_COLUMNS)
        return routes.hub_table(_int(counts, "migrants", nullable=("cases",))
                                .set_index("place_id"), kinds)

    def darien_people(self) -> pd.DataFrame:
        """The persons of the cases through the Darién (routes.darien_migrants) counted by
        nationality and year of the case: nationality, year, persons, with_id (those with
        a person_id)."""
        subset = darien()
        out = self._query("""
            SELECT m.nationality, c.year, count(*) AS persons, count(m.person_id) AS with_id
            FROM migrants AS m
            JOIN (SELECT DISTINCT reporting_country, case_id, year FROM legs) AS c
            ON c.reporting_country = m.reporting_country AND c.case_id = m.case_id
            GROUP BY ALL ORDER BY ALL""", subset)
        out = out.astype({"persons": "int64", "with_id": "int64"})
        out["region"] = routes.region_of(out["nationality"])
        return out
