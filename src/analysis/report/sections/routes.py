"""The sections of the routes report (10_routes): flows, corridors, transport modes, hubs, the
Darién and the Caribbean, and incidents against migrants on the routes."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from analysis.core import reference
from analysis.diagnostic import route_queries, routes
from analysis.report.figures import charts, maps
from analysis.report.notebook import Report

MODES = ("land", "sea", "air", "mixed")
REGION_COLOURS = {"americas": "#0b5394", "extra_continental": "#e69138", "unknown": "#999999"}
ROUTE_COLOURS = dict(zip(routes.ROUTE_GROUPS, ["#a61c00", "#0b5394", "#38761d", "#45818e",
                                               "#999999"], strict=True))
CRIME_COLOUR = "#674ea7"
PLACE_COLOUR = "#2b3238"
HOTSPOT_CELL_KM = 100


@dataclass
class Routes:
    """The legs of the journeys (with places and cases) and the journeys they make, queried
    over the data without loading them, their totals, and the incidents by route."""

    legs: route_queries.RouteLegs
    incidents: pd.DataFrame
    totals: dict[str, int]


def load(report: Report) -> Routes:
    data = report.data
    legs = route_queries.RouteLegs(data)
    incidents = data.rows("incidents", columns=routes.INCIDENT_INPUT)
    return Routes(legs, routes.incident_routes(incidents), legs.totals())


def intro(report: Report) -> None:
    report.title("routes.title")
    report.say("routes.intro", k=report.min_cell_size)


def _colours() -> list[str]:
    return plt.rcParams["axes.prop_cycle"].by_key()["color"]


def _names(report: Report, codes) -> list[str]:
    return [report.label("country", c) for c in codes]


def _place_name(report: Report, place_id: str) -> str:
    """A gazetteer place as "Name (Country)"."""
    place = reference.places().loc[place_id]
    return f"{place['name']} ({report.label('country', place['country'])})"


def _enough(report: Report, cases: int) -> bool:
    """Whether a section rests on at least k cases; if not, say why nothing is shown."""
    k = report.min_cell_size
    if cases == 0:
        report.notice("common.no_data")
    elif cases < k:
        report.notice("routes.too_few", k=k)
    return cases >= k


def _map(report: Report, extent: str):
    return maps.base_map(extent=extent, lang=report.lang, source=report.source_note())


def _counts(report: Report) -> dict[str, str]:
    return {"cases": report.t("routes.cases"), "migrants": report.t("routes.migrants")}


def flows(report: Report, journeys: Routes) -> None:
    """Every leg travelled (map) and the main origin → destination pairs of countries."""
    legs, totals, k = journeys.legs, journeys.totals, report.min_cell_size
    if not _enough(report, totals["cases"]):
        return
    leg_flows = legs.flows()
    places = set(leg_flows["from"]) | set(leg_flows["to"])
    report.say("routes.flows_text", legs=report.num(totals["legs"]),
               cases=report.num(totals["cases"]), migrants=report.num(totals["migrants"]),
               places=report.num(len(places)), k=k)
    fig, ax, to_xy = _map(report, "region")
    maps.flow_lines(ax, routes.frequent(leg_flows, k), to_xy, lang=report.lang,
                    unit=report.t("routes.migrants_unit"), label=report.t("routes.legs_layer"))
    report.figure(fig, "flows_map", "routes.fig_flows")
    od = legs.od_flows()
    top = od.iloc[0]
    report.say("routes.flows_od_text", origin=report.label("country", top["from"]),
               destination=report.label("country", top["to"]),
               share=report.pct(top["migrants"] / od["migrants"].sum()))
    table = od.head(15)
    origin, destination = report.t("routes.origin_country"), report.t("routes.destination_country")
    table = table.assign(**{origin: _names(report, table["from"]),
                            destination: _names(report, table["to"])})
    table = table[[origin, destination, "cases", "migrants"]].rename(columns=_counts(report))
    report.table(table, "od_flows", "routes.tab_od")


def corridors(report: Report, journeys: Routes) -> None:
    """The corridors by cases: ranking, map of the five main ones, migrants by year."""
    legs, lang, k = journeys.legs, report.lang, report.min_cell_size
    colours = _colours()
    ranking = legs.corridors()
    if not _enough(report, int(ranking["cases"].sum())):
        return
    top = list(ranking["corridor"].head(5))
    report.say("routes.corridors_text", n=report.num(len(ranking)),
               top=report.num(min(3, len(ranking))),
               share=report.pct(ranking["share"].head(3).sum()),
               first=routes.corridor_name(top[0], lang),
               first_share=report.pct(ranking["share"].iloc[0]),
               domestic=report.pct(legs.domestic_share()))
    table = ranking.head(10).assign(corridor=lambda t: [routes.corridor_name(c, lang)
                                                        for c in t["corridor"]])
    table = table[["corridor", "cases", "migrants"]].rename(columns={
        "corridor": report.t("routes.corridor"), **_counts(report)})
    report.table(table, "corridors", "routes.tab_corridors")

    fig, ax, to_xy = _map(report, "region")
    maps.legend(ax, loc="below")
    shown = routes.frequent(legs.corridor_flows(top), k)
    largest = shown["weight"].max() if len(shown) else None
    for i, corridor in enumerate(top):
        maps.legend_line(ax, routes.corridor_name(corridor, lang), colours[i % len(colours)])
    for i, corridor in reversed(list(enumerate(top))):  # the main corridor drawn on top
        maps.flow_lines(ax, shown[shown["corridor"] == corridor], to_xy, lang=lang,
                        unit=report.t("routes.migrants_unit"), color=colours[i % len(colours)],
                        max_weight=largest, size_legend=i == 0, arrows=False)
    report.figure(fig, "corridors_map", "routes.fig_corridor_map")

    report.say("routes.corridors_years_text")
    years = legs.corridors_by_year(top).drop(columns=routes.OTHER)
    fig = charts.named_lines(years, {c: routes.corridor_name(c, lang) for c in years.columns},
                             colours, report.t("common.year"), report.t("routes.migrants_axis"))
    report.figure(fig, "corridors_years", "routes.fig_corridor_years")


def modes(report: Report) -> None:
    """Transport modes: shares by year and by country, and cases by country."""
    cases, k = report.data.rows("cases", columns=routes.MODE_INPUT), report.min_cell_size
    if not _enough(report, len(cases)):
        return
    overall = routes.mode_shares(cases, by=[]).set_index("mode")["share"]
    report.say("routes.modes_text", **{m: report.pct(overall.get(m, 0.0)) for m in MODES})
    colours = dict(zip(MODES, _colours(), strict=False))

    def mode_name(mode):
        return report.label("transport_mode", mode)

    per_year = routes.mode_share_table(cases, "year", min_cases=k)
    per_year.index = [str(y) for y in per_year.index]
    per_country = routes.mode_share_table(cases, "reporting_country", min_cases=k)
    per_country.index = _names(report, per_country.index)
    fig = charts.share_panels(per_year, per_country, colours, mode_name,
                              report.t("routes.share_axis"),
                              (report.t("routes.by_year"), report.t("routes.by_country")))
    report.figure(fig, "modes", "routes.fig_modes")
    report.say("routes.modes_small_note", k=k)
    table = routes.mode_table(cases, by="reporting_country").reset_index()
    table["reporting_country"] = _names(report, table["reporting_country"])
    table = table.rename(columns={"reporting_country": report.t("common.reporting_country"),
                                  "total": report.t("common.total"),
                                  **{m: mode_name(m) for m in MODES}})
    report.table(table, "modes_by_country", "routes.tab_modes")


def hubs(report: Report, journeys: Routes) -> None:
    """The places most journeys pass through: table and map."""
    ranked, k = journeys.legs.hubs(), report.min_cell_size
    if not _enough(report, journeys.totals["cases"] if len(ranked) else 0):
        return
    first = ranked.iloc[0]
    report.say("routes.hubs_text", n=report.num(len(ranked)),
               migrants=report.num(int(ranked["migrants"].sum())), first=first["name"],
               country=report.label("country", first["country"]),
               first_migrants=report.num(int(first["migrants"])))
    table = ranked.head(15)
    table = table.assign(country=_names(report, table["country"]),
                         kind=[report.t(f"routes.kind_{x}") for x in table["kind"]])
    table = table[["name", "country", "kind", "cases", "migrants"]].rename(columns={
        "name": report.t("routes.place"), "country": report.t("common.country"),
        "kind": report.t("routes.kind"), **_counts(report)})
    report.table(table, "hubs", "routes.tab_hubs")
    shown = ranked[ranked["cases"] >= k]
    fig, ax, to_xy = _map(report, "region")
    maps.points(ax, shown["lon"], shown["lat"], to_xy, value=shown["migrants"], lang=report.lang,
                unit=report.t("routes.migrants_unit"), label=report.t("routes.hubs_layer"))
    best = shown.head(6)
    maps.annotate(ax, best["lon"], best["lat"], best["name"], to_xy)
    report.figure(fig, "hubs_map", "routes.fig_hubs")


def darien(report: Report, journeys: Routes) -> None:
    """Journeys through the Darién: map, migrants by region of origin and year,
    nationalities."""
    legs, k = journeys.legs, report.min_cell_size
    through = route_queries.darien()
    totals = legs.totals(through)
    if not _enough(report, totals["cases"]):
        return
    people = legs.darien_people()
    report.say("routes.darien_text", cases=report.num(totals["cases"]),
               migrants=report.num(totals["migrants"]))
    persons = int(people["persons"].sum())
    if persons:
        extra = people.loc[people["region"] == "extra_continental", "persons"].sum()
        report.say("routes.darien_extra_text", people=report.num(persons),
                   extra=report.pct(extra / persons))
    fig, ax, to_xy = _map(report, "darien")
    maps.flow_lines(ax, routes.frequent(legs.flows(through), k), to_xy, lang=report.lang,
                    unit=report.t("routes.migrants_unit"), label=report.t("routes.legs_layer"))
    crossing = reference.places().loc[routes.darien_places()]
    maps.points(ax, crossing["lon"], crossing["lat"], to_xy, color=PLACE_COLOUR,
                label=report.t("routes.darien_places"))
    maps.annotate(ax, crossing["lon"], crossing["lat"], crossing["name"], to_xy)
    report.figure(fig, "darien_map", "routes.fig_darien_map")
    per_year = routes.darien_counts_by_year(people)
    per_year = per_year.loc[:, per_year.sum() > 0]
    if per_year.empty:
        return
    fig = charts.stacked_years(per_year, REGION_COLOURS, lambda r: report.t(f"routes.region_{r}"),
                               report.t("common.year"), report.t("routes.migrants_axis"),
                               report.t("routes.region"), figsize=(8, 3.8))
    report.figure(fig, "darien_years", "routes.fig_darien_years")
    table = routes.nationality_counts(people).head(15)
    table = table.assign(nationality=_names(report, table["nationality"]),
                         region=[report.t(f"routes.region_{r}") for r in table["region"]])
    table = table.rename(columns={"nationality": report.t("routes.nationality"),
                                  "region": report.t("routes.region"),
                                  "migrants": report.t("routes.migrants")})
    report.table(table, "darien_nationalities", "routes.tab_darien")


def caribbean(report: Report, journeys: Routes) -> None:
    """Sea routes in the Caribbean: map and the main crossings."""
    legs, k = journeys.legs, report.min_cell_size
    totals = legs.totals(route_queries.caribbean_sea())
    if not _enough(report, totals["cases"]):
        return
    sea = legs.sea_routes()
    report.say("routes.caribbean_text", legs=report.num(totals["legs"]),
               cases=report.num(totals["cases"]), migrants=report.num(totals["migrants"]),
               origin=_place_name(report, sea["from"].iloc[0]),
               destination=_place_name(report, sea["to"].iloc[0]))
    fig, ax, to_xy = _map(report, "caribbean")
    maps.flow_lines(ax, routes.frequent(sea.drop(columns=["from_country", "to_country"]), k),
                    to_xy, lang=report.lang,
                    unit=report.t("routes.migrants_unit"), label=report.t("routes.legs_layer"))
    report.figure(fig, "caribbean_map", "routes.fig_caribbean_map")
    table = sea.head(15)
    origin, destination = report.t("routes.from_place"), report.t("routes.to_place")
    table = table.assign(**{origin: [_place_name(report, p) for p in table["from"]],
                            destination: [_place_name(report, p) for p in table["to"]]})
    table = table[[origin, destination, "cases", "migrants"]].rename(columns=_counts(report))
    report.table(table, "caribbean_routes", "routes.tab_caribbean")


def incidents(report: Report, journeys: Routes) -> None:
    """Deaths, disappearances and crimes against migrants by route: map, years, tables."""
    found = journeys.incidents
    if not _enough(report, len(found)):
        return
    by_route = routes.incidents_by_route(found)
    border = by_route.set_index("route_group")["dead_missing"]
    total = border.sum()
    report.say("routes.incidents_text", incidents=report.num(len(found)),
               dead=report.num(int(by_route["dead"].sum())),
               missing=report.num(int(by_route["missing"].sum())),
               border=report.pct(border.get("us_mexico_border", 0) / total if total else 0.0),
               border_km=report.num(routes.US_MEXICO_BORDER_KM),
               place_km=report.num(routes.NEAREST_PLACE_KM))
    spots = routes.located(found)
    report.say("routes.incidents_map_text", cell=report.num(HOTSPOT_CELL_KM))
    fig, ax, to_xy = _map(report, "region")
    harmed = spots[spots["dead_missing"] > 0]
    maps.hotspots(ax, harmed["lon"], harmed["lat"], to_xy, weight=harmed["dead_missing"],
                  cell_km=HOTSPOT_CELL_KM, lang=report.lang,
                  unit=report.t("routes.dead_missing_unit"), label=report.t("routes.dead_missing"))
    crimes = spots[spots["type"] == "crime_against_migrants"]
    if len(crimes):
        maps.hotspots(ax, crimes["lon"], crimes["lat"], to_xy, cell_km=HOTSPOT_CELL_KM,
                      lang=report.lang, unit=report.t("routes.crimes_unit"),
                      label=report.t("routes.crimes"), color=CRIME_COLOUR, marker="D",
                      max_size=200)
    report.figure(fig, "incidents_map", "routes.fig_incidents_map")

    yearly = routes.incidents_by_year(found)
    if not yearly.empty:
        fig = charts.stacked_years(yearly, ROUTE_COLOURS, lambda g: report.t(f"routes.route_{g}"),
                                   report.t("common.year"), report.t("routes.dead_missing_axis"),
                                   report.t("routes.route"), legend_outside=True)
        report.figure(fig, "incidents_years", "routes.fig_incidents_years")

    route_names = [report.t(f"routes.route_{g}") for g in by_route["route_group"]]
    harmed_people = by_route.assign(route_group=route_names)[
        ["route_group", "dead", "missing", "dead_missing"]]
    harmed_people = harmed_people.rename(columns={
        "route_group": report.t("routes.route"), "dead": report.t("routes.dead"),
        "missing": report.t("routes.missing"), "dead_missing": report.t("routes.dead_missing")})
    report.table(harmed_people, "incidents_dead_missing", "routes.tab_incidents_route")
    kinds = by_route.assign(route_group=route_names)
    kinds = kinds[["route_group", "death", "disappearance", "crime_against_migrants",
                   "incidents"]]
    kinds = kinds.loc[:, (kinds != 0).any(axis=0)]
    kinds = kinds.rename(columns={
        "route_group": report.t("routes.route"), "incidents": report.t("common.total"),
        **{t: report.label("incident_type", t) for t in
           ("death", "disappearance", "crime_against_migrants")}})
    report.table(kinds, "incidents_by_type", "routes.tab_incidents_type")
    if not yearly.empty:
        table = yearly.reset_index()
        table["year"] = table["year"].astype(str)
        table = table.rename(columns={"year": report.t("common.year"),
                                      **{g: report.t(f"routes.route_{g}")
                                         for g in routes.ROUTE_GROUPS}})
        report.table(table, "incidents_by_year", "routes.tab_incidents_year")
