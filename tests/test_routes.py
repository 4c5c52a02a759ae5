"""Routes: flows, corridors, modes, hubs, the Darién, the Caribbean and incidents, on small
hand-made tables whose answers are worked out by hand in the comments; then the notebook on
the demo data and on incidents-only data (what the IOM importer writes)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import notebook_of_build, run_notebook, write_folder

from analysis.core import paths
from analysis.core.contract import TABLES
from analysis.diagnostic import routes
from analysis.report import annex

NOTEBOOK = paths.NOTEBOOKS / "10_routes.ipynb"
ROUTE_KEYS = {"flows_map", "od_flows", "corridors", "corridors_map", "corridors_years",
              "modes", "modes_by_country", "hubs", "hubs_map", "darien_map", "darien_years",
              "darien_nationalities", "caribbean_map", "caribbean_routes"}
INCIDENT_KEYS = {"incidents_map", "incidents_years", "incidents_dead_missing",
                 "incidents_by_type", "incidents_by_year"}


# The hand-made case: five cases, four with route legs.
#   C-1 (GTM, 2021, land, 10 migrants): San Pedro Sula → Agua Caliente (HND) → Tecún Umán (GTM)
#       → Tapachula (MEX) → Reynosa (MEX) → McAllen (USA)        countries HND>GTM>MEX>USA
#   C-2 (GTM, 2022, land, 4): Tecún Umán → Tapachula → Reynosa   countries GTM>MEX
#   C-3 (PAN, 2022, mixed, 6): Necoclí ~sea~ Capurganá → Bajo Chiquito → Lajas Blancas
#       (the Darién)                                             countries COL>PAN
#   C-4 (DOM, 2021, sea, 3): Miches ~sea~ Aguadilla             countries DOM>PRI
#   C-5 (MEX, 2022, air, 2): no legs; origin VEN, destination USA
def sample() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    cases = pd.DataFrame({
        "reporting_country": ["GTM", "GTM", "PAN", "DOM", "MEX"],
        "case_id": ["C-1", "C-2", "C-3", "C-4", "C-5"],
        "date": pd.to_datetime(["2021-03-01", "2022-05-01", "2022-07-01", "2021-09-01",
                                "2022-01-01"]),
        "transport_mode": pd.array(["land", "land", "mixed", "sea", "air"], dtype="string"),
        "origin_country": pd.array([None, None, None, None, "VEN"], dtype="string"),
        "destination_country": pd.array([None, None, None, None, "USA"], dtype="string"),
        "migrants": pd.array([10, 4, 6, 3, 2], dtype="Int64"),
    })
    legs = pd.DataFrame([  # C-1's legs out of order on purpose
        ("GTM", "C-1", 3, "GTM-TECUN-UMAN", "MEX-TAPACHULA", "land"),
        ("GTM", "C-1", 1, "HND-SAN-PEDRO-SULA", "HND-AGUA-CALIENTE", "land"),
        ("GTM", "C-1", 2, "HND-AGUA-CALIENTE", "GTM-TECUN-UMAN", "land"),
        ("GTM", "C-1", 4, "MEX-TAPACHULA", "MEX-REYNOSA", "land"),
        ("GTM", "C-1", 5, "MEX-REYNOSA", "USA-MCALLEN", "land"),
        ("GTM", "C-2", 1, "GTM-TECUN-UMAN", "MEX-TAPACHULA", "land"),
        ("GTM", "C-2", 2, "MEX-TAPACHULA", "MEX-REYNOSA", "land"),
        ("PAN", "C-3", 1, "COL-NECOCLI", "COL-CAPURGANA", "sea"),
        ("PAN", "C-3", 2, "COL-CAPURGANA", "PAN-BAJO-CHIQUITO", "land"),
        ("PAN", "C-3", 3, "PAN-BAJO-CHIQUITO", "PAN-LAJAS-BLANCAS", "land"),
        ("DOM", "C-4", 1, "DOM-MICHES", "PRI-AGUADILLA", "sea"),
    ], columns=["reporting_country", "case_id", "leg_order", "from_place", "to_place", "mode"])
    legs = legs.astype({"leg_order": "Int64", "case_id": "string", "mode": "string",
                        "from_place": "string", "to_place": "string"})
    migrants = pd.DataFrame({
        "reporting_country": ["PAN", "PAN", "PAN", "GTM", "GTM", "GTM"],
        "person_id": ["M-1", "M-2", "M-3", "M-4", "M-5", "M-6"],
        "case_id": pd.array(["C-3", "C-3", "C-3", "C-1", "C-1", None], dtype="string"),
        "nationality": pd.array(["IND", "VEN", "CMR", "HND", "HND", "IND"], dtype="string"),
    })
    return cases, legs, migrants


@pytest.fixture
def tables():
    return sample()


@pytest.fixture
def enriched(tables):
    cases, legs, _ = tables
    return routes.legs(legs, cases)


def pairs(frame: pd.DataFrame, value: str = "migrants") -> dict[tuple[str, str], int]:
    return {(a, b): int(v) for a, b, v in zip(frame["from"], frame["to"], frame[value],
                                              strict=True)}


def test_legs_carry_case_weights_and_places(enriched):
    assert len(enriched) == 11
    c1 = enriched[enriched["case_id"] == "C-1"]
    assert list(c1["leg_order"]) == [1, 2, 3, 4, 5]  # sorted
    assert set(c1["migrants"]) == {10} and set(c1["year"]) == {2021}
    assert list(c1["from_country"]) == ["HND", "HND", "GTM", "MEX", "MEX"]
    assert c1["from_lat"].notna().all() and c1["to_lon"].notna().all()


def test_legs_of_unknown_cases_are_dropped(tables):
    cases, legs, _ = tables
    assert set(routes.legs(legs, cases[cases["case_id"] != "C-2"])["case_id"]) == {
        "C-1", "C-3", "C-4"}


def test_journeys_give_origin_destination_transit_and_country_sequence(enriched):
    trips = routes.journeys(enriched).set_index("case_id")
    assert trips.at["C-1", "origin"] == "HND-SAN-PEDRO-SULA"
    assert trips.at["C-1", "destination"] == "USA-MCALLEN"
    assert trips.at["C-1", "transit"] == (
        "HND-AGUA-CALIENTE;GTM-TECUN-UMAN;MEX-TAPACHULA;MEX-REYNOSA")
    assert trips.at["C-1", "countries"] == "HND>GTM>MEX>USA"  # HND, MEX repeats collapsed
    assert trips.at["C-4", "transit"] == ""
    assert trips.at["C-3", "countries"] == "COL>PAN"
    assert trips["migrants"].to_dict() == {"C-1": 10, "C-2": 4, "C-3": 6, "C-4": 3}


def test_journeys_of_single_leg_cases_only(tables):
    cases, legs, _ = tables
    single = routes.legs(legs[legs["case_id"] == "C-4"], cases)
    trips = routes.journeys(single)
    assert trips[["case_id", "origin", "transit", "countries"]].to_dict("records") == [
        {"case_id": "C-4", "origin": "DOM-MICHES", "transit": "", "countries": "DOM>PRI"}]
    assert routes.case_count(single) == 1 and routes.migrant_count(single) == 3


def test_sections_given_the_journeys_match_those_computing_them(enriched):
    trips = routes.journeys(enriched)
    top = list(routes.corridors(enriched)["corridor"].head(2))
    assert routes.corridors(enriched, trips=trips).equals(routes.corridors(enriched))
    assert routes.corridors_by_year(enriched, top, trips).equals(
        routes.corridors_by_year(enriched, top))
    assert routes.corridor_flows(enriched, top, trips).equals(
        routes.corridor_flows(enriched, top))
    assert routes.od_flows(enriched, "country", trips).equals(
        routes.od_flows(enriched, "country"))
    assert routes.domestic_share(enriched, trips) == routes.domestic_share(enriched)
    assert routes.migrant_count(enriched) == int(trips["migrants"].sum())


def test_corridors_crossing_a_country():
    corridors = pd.Series(["HND>GTM>MEX", "GTM", None, "SLV>MEX", "HND>GTM>MEX"])
    assert routes.crosses(corridors, "GTM").tolist() == [True, False, False, False, True]


def test_leg_flows_between_places(enriched):
    flows = routes.flows(enriched)
    # Tecún Umán → Tapachula and Tapachula → Reynosa: C-1 and C-2, 10 + 4 migrants
    assert pairs(flows)[("GTM-TECUN-UMAN", "MEX-TAPACHULA")] == 14
    assert pairs(flows, "cases")[("MEX-TAPACHULA", "MEX-REYNOSA")] == 2
    assert pairs(flows)[("DOM-MICHES", "PRI-AGUADILLA")] == 3
    assert len(flows) == 9  # 11 legs, two shared by C-1 and C-2
    assert flows["migrants"].is_monotonic_decreasing
    assert flows[["from_lon", "from_lat", "to_lon", "to_lat"]].notna().all().all()


def test_leg_flows_between_countries_leave_out_domestic_legs(enriched):
    flows = routes.flows(enriched, level="country")
    assert pairs(flows) == {("GTM", "MEX"): 14, ("HND", "GTM"): 10, ("MEX", "USA"): 10,
                            ("COL", "PAN"): 6, ("DOM", "PRI"): 3}


def test_origin_destination_flows(enriched):
    assert pairs(routes.od_flows(enriched, level="country")) == {
        ("HND", "USA"): 10, ("COL", "PAN"): 6, ("GTM", "MEX"): 4, ("DOM", "PRI"): 3}
    places = routes.od_flows(enriched)
    assert pairs(places)[("COL-NECOCLI", "PAN-LAJAS-BLANCAS")] == 6


def test_corridors_rank_country_sequences(enriched):
    ranking = routes.corridors(enriched)
    assert list(ranking["corridor"]) == ["HND>GTM>MEX>USA", "COL>PAN", "GTM>MEX", "DOM>PRI"]
    assert list(ranking["migrants"]) == [10, 6, 4, 3]
    assert ranking["share"].iloc[0] == pytest.approx(10 / 23)
    assert ranking["share"].sum() == pytest.approx(1.0)


def test_journeys_within_one_country_form_no_corridor(tables):
    cases, legs, _ = tables
    cases = pd.concat([cases, pd.DataFrame({
        "reporting_country": ["MEX"], "case_id": ["C-6"], "date": pd.to_datetime(["2022-02-01"]),
        "transport_mode": pd.array(["land"], dtype="string"),
        "migrants": pd.array([7], dtype="Int64")})], ignore_index=True)
    legs = pd.concat([legs, pd.DataFrame({
        "reporting_country": ["MEX"], "case_id": ["C-6"], "leg_order": [1],
        "from_place": ["MEX-TAPACHULA"], "to_place": ["MEX-REYNOSA"], "mode": ["land"]})],
        ignore_index=True)
    enriched = routes.legs(legs, cases)
    assert "MEX" not in set(routes.corridors(enriched)["corridor"])
    assert routes.corridors(enriched, min_countries=1).set_index("corridor").at[
        "MEX", "migrants"] == 7
    assert routes.domestic_share(enriched) == pytest.approx(7 / 30)


def test_origin_destination_corridors_use_case_countries_without_legs(tables, enriched):
    cases, _, _ = tables
    ranking = routes.corridors(enriched, cases, kind="od")
    assert dict(zip(ranking["corridor"], ranking["migrants"], strict=True)) == {
        "HND>USA": 10, "COL>PAN": 6, "GTM>MEX": 4, "DOM>PRI": 3, "VEN>USA": 2}
    with pytest.raises(ValueError):
        routes.corridors(enriched, kind="other")


def test_corridors_by_year(enriched):
    table = routes.corridors_by_year(enriched, ["HND>GTM>MEX>USA", "COL>PAN"])
    # 2021: C-1 (10) and C-4 (3, other); 2022: C-3 (6) and C-2 (4, other)
    assert table.to_dict(orient="index") == {
        2021: {"HND>GTM>MEX>USA": 10, "COL>PAN": 0, routes.OTHER: 3},
        2022: {"HND>GTM>MEX>USA": 0, "COL>PAN": 6, routes.OTHER: 4}}


def test_corridor_flows_follow_each_corridor(enriched):
    flows = routes.corridor_flows(enriched, ["HND>GTM>MEX>USA", "GTM>MEX"])
    first = flows[flows["corridor"] == "HND>GTM>MEX>USA"]
    assert len(first) == 5 and set(first["migrants"]) == {10}
    second = flows[flows["corridor"] == "GTM>MEX"]
    assert pairs(second) == {("GTM-TECUN-UMAN", "MEX-TAPACHULA"): 4,
                             ("MEX-TAPACHULA", "MEX-REYNOSA"): 4}


def test_corridor_names():
    assert routes.corridor_countries("HND>GTM>USA") == ["HND", "GTM", "USA"]
    assert routes.corridor_name("HND>MEX>USA", "es") == "Honduras → México → Estados Unidos"
    assert routes.corridor_name("PAN>USA", "en") == "Panama → United States"


def test_mode_shares_by_year(tables):
    cases, _, _ = tables
    shares = routes.mode_shares(cases, by=["year"])
    by_key = {(y, m): (c, n, s) for y, m, c, n, s in shares.itertuples(index=False)}
    # 2021: land 10, sea 3; 2022: land 4, air 2, mixed 6
    assert by_key[(2021, "land")] == (1, 10, pytest.approx(10 / 13))
    assert by_key[(2021, "sea")] == (1, 3, pytest.approx(3 / 13))
    assert by_key[(2022, "mixed")] == (1, 6, pytest.approx(0.5))
    assert list(shares.loc[shares["year"] == 2022, "mode"]) == ["land", "air", "mixed"]
    overall = routes.mode_shares(cases, by=[]).set_index("mode")["share"]
    assert overall["land"] == pytest.approx(14 / 25)


def test_mode_share_table_leaves_out_small_groups(tables):
    cases, _, _ = tables
    table = routes.mode_share_table(cases, "year")
    assert list(table.columns) == ["land", "sea", "air", "mixed"]
    assert table.loc[2022].tolist() == pytest.approx([4 / 12, 0, 2 / 12, 6 / 12])
    assert list(routes.mode_share_table(cases, "year", min_cases=3).index) == [2022]
    assert routes.mode_share_table(cases, "year", min_cases=6).empty


def test_mode_table_by_country(tables):
    cases, _, _ = tables
    table = routes.mode_table(cases)
    assert table.loc["GTM"].to_dict() == {"land": 14, "sea": 0, "air": 0, "mixed": 0,
                                          "total": 14}
    assert list(table.columns) == ["land", "sea", "air", "mixed", "total"]
    assert table["total"].sum() == 25


def test_hubs_rank_border_crossings_and_transit_hubs(enriched):
    hubs = routes.hubs(enriched)
    # Tecún Umán, Reynosa (border crossings) and Tapachula (transit hub): C-1 + C-2 = 14;
    # Agua Caliente: C-1 = 10. Cities, ports, jungle crossings and stations are left out.
    assert list(hubs["place_id"]) == ["GTM-TECUN-UMAN", "MEX-REYNOSA", "MEX-TAPACHULA",
                                      "HND-AGUA-CALIENTE"]
    assert list(hubs["migrants"]) == [14, 14, 14, 10]
    assert list(hubs["cases"]) == [2, 2, 2, 1]
    ports = routes.hubs(enriched, kinds=("port",))
    assert dict(zip(ports["place_id"], ports["migrants"], strict=True)) == {
        "COL-CAPURGANA": 6, "COL-NECOCLI": 6, "DOM-MICHES": 3, "PRI-AGUADILLA": 3}


def test_darien_places_are_the_crossing_not_the_cities_on_the_way():
    places = routes.darien_places()
    assert {"COL-NECOCLI", "COL-CAPURGANA", "PAN-BAJO-CHIQUITO", "PAN-LAJAS-BLANCAS"} <= set(
        places)
    assert not {"COL-BOGOTA", "COL-MEDELLIN", "ECU-QUITO", "PAN-CIUDAD-DE-PANAMA"} & set(places)


def test_region_of_nationality():
    regions = routes.region_of(pd.Series(["IND", "VEN", "CMR", "HTI", "ZZZ", "XYZ"]))
    assert list(regions) == ["extra_continental", "americas", "extra_continental", "americas",
                             "unknown", "unknown"]


def test_migrants_through_the_darien(tables, enriched):
    _, _, migrants = tables
    assert set(routes.through_darien(enriched)["case_id"]) == {"C-3"}
    people = routes.darien_migrants(enriched, migrants)
    assert sorted(people["person_id"]) == ["M-1", "M-2", "M-3"]  # M-6 has no case
    assert routes.darien_by_year(people).to_dict(orient="index") == {
        2022: {"americas": 1, "extra_continental": 2, "unknown": 0}}
    nationalities = routes.nationalities(people)
    assert list(nationalities["nationality"]) == ["CMR", "IND", "VEN"]
    assert list(nationalities["migrants"]) == [1, 1, 1]


def test_caribbean_sea_routes(enriched):
    sea = routes.caribbean_sea_legs(enriched)
    # Necoclí ~ Capurganá (Capurganá is on the Caribbean corridor) and Miches ~ Aguadilla
    assert sorted(zip(sea["from_place"], sea["to_place"], strict=True)) == [
        ("COL-NECOCLI", "COL-CAPURGANA"), ("DOM-MICHES", "PRI-AGUADILLA")]
    found = routes.sea_routes(enriched)
    assert pairs(found) == {("COL-NECOCLI", "COL-CAPURGANA"): 6,
                            ("DOM-MICHES", "PRI-AGUADILLA"): 3}
    assert list(found["to_country"]) == ["COL", "PRI"]


def incidents_sample() -> pd.DataFrame:
    return pd.DataFrame({
        "reporting_country": ["USA", "USA", "PAN", "ZZZ", "MEX", "ZZZ", "MEX", "DOM", "ZZZ"],
        "incident_id": [f"I{i}" for i in range(1, 10)],
        "date": pd.to_datetime(["2019-01-01", "2019-06-01", "2020-01-01", "2020-02-01",
                                "2021-01-01", "2021-03-01", "2021-04-01", "2021-05-01",
                                "2021-06-01"]),
        # 1 text; 2 Arizona desert, ~45 km from the border; 3 text; 4 Mona passage;
        # 5 Tapachula; 6 Argentina; 7 no coordinates, in Mexico; 8 text; 9 nothing known
        "lat": [31.5, 31.9, 8.3, 18.3, 14.9, -30.0, None, None, None],
        "lon": [-111.0, -112.5, -77.6, -67.5, -92.26, -60.0, None, None, None],
        "country": pd.array(["USA", "USA", "PAN", None, "MEX", None, "MEX", None, None],
                            dtype="string"),
        "type": ["death", "death", "disappearance", "death", "death", "death", "death",
                 "crime_against_migrants", "death"],
        "dead": pd.array([2, 1, 1, 0, 1, 1, None, 0, 1], dtype="Int64"),
        "missing": pd.array([0, None, 3, 5, 0, 0, 1, 0, 0], dtype="Int64"),
        "route": pd.array(["US-Mexico border crossing", None, "Darién Gap", None, None, None,
                           None, "Caribbean to Central America", None], dtype="string"),
    })


def test_route_groups_from_text_then_location_then_country():
    routed = routes.incident_routes(incidents_sample())
    assert list(routed["route_group"]) == [
        "us_mexico_border", "us_mexico_border", "darien", "caribbean_sea",
        "central_america_mexico_us", "other", "central_america_mexico_us", "caribbean_sea",
        "other"]
    assert list(routed["dead_missing"]) == [2, 1, 4, 5, 1, 1, 1, 0, 1]
    assert routes.route_group_of_text("Frontera norte de México") == "us_mexico_border"
    assert routes.route_group_of_text("Venezuela to Caribbean") == "caribbean_sea"
    assert routes.route_group_of_text("Central Mediterranean") is None
    assert routes.route_group_of_text(None) is None


def test_nearest_place_rule_is_the_same_in_blocks(monkeypatch):
    lon = pd.Series([-77.5, -70.0, -90.5, -110.0, None, -83.0, -79.6])
    lat = pd.Series([8.3, 18.5, 14.6, 50.0, 10.0, 10.0, 9.0])
    whole = routes.route_group_of_location(lon, lat)
    monkeypatch.setattr(routes, "NEAREST_CHUNK", 2)
    assert routes.route_group_of_location(lon, lat).equals(whole)
    assert whole.isna().tolist() == [False, False, False, False, True, False, False]
    assert whole.iloc[3] == routes.OTHER_ROUTES  # far from every gazetteer place


def test_incidents_by_route_and_year():
    routed = routes.incident_routes(incidents_sample())
    table = routes.incidents_by_route(routed).set_index("route_group")
    assert list(table.index) == ["us_mexico_border", "central_america_mexico_us", "darien",
                                 "caribbean_sea", "other"]
    assert table.loc["us_mexico_border", ["incidents", "dead", "missing", "dead_missing"]
                     ].tolist() == [2, 3, 0, 3]
    assert table.loc["caribbean_sea", ["incidents", "death", "crime_against_migrants",
                                       "dead_missing"]].tolist() == [2, 1, 1, 5]
    yearly = routes.incidents_by_year(routed)
    assert yearly.loc[2019].to_dict() == {"us_mexico_border": 3, "central_america_mexico_us": 0,
                                          "darien": 0, "caribbean_sea": 0, "other": 0}
    assert yearly.loc[2021, "central_america_mexico_us"] == 2
    assert routes.incidents_by_year(routed, "incidents").to_numpy().sum() == 9
    assert len(routes.located(routed)) == 6


def test_everything_is_empty_but_fine_without_data(tables):
    cases, legs, migrants = tables
    empty = routes.legs(legs.iloc[0:0], cases)
    assert empty.empty and list(empty.columns) == routes.LEG_COLUMNS
    assert routes.flows(empty).empty and routes.journeys(empty).empty
    assert routes.od_flows(empty, "country").empty and routes.corridors(empty).empty
    assert routes.corridors_by_year(empty, []).empty and routes.hubs(empty).empty
    assert routes.darien_migrants(empty, migrants).empty
    assert routes.sea_routes(empty).empty and routes.caribbean_sea_legs(empty).empty
    assert routes.mode_shares(cases.iloc[0:0]).empty and routes.mode_table(cases.iloc[0:0]).empty
    routed = routes.incident_routes(incidents_sample().iloc[0:0])
    assert routed.empty and routes.incidents_by_route(routed).empty
    assert routes.incidents_by_year(routed).empty


# The notebook ---------------------------------------------------------------------------------
def run_routes(data_dir: Path, out: Path, lang: str) -> dict:
    """Run the routes notebook with papermill on `data_dir`."""
    return run_notebook("10_routes", out, data_dir=str(data_dir), lang=lang, min_cell_size=5,
                        run_date="2026-01-15")


def check_published_tables(out: Path, threshold: int) -> list[annex.Entry]:
    """Every table written is in the annex, and no count from 1 to threshold-1 shows."""
    entries = annex.load_entries(out)
    tables = [e for e in entries if e.kind == "table"]
    written = {p.relative_to(out).as_posix() for p in (out / "tables").glob("*.csv")}
    assert written == {f for e in tables for f in e.files}
    for entry in tables:
        frame = pd.read_csv(out / entry.files[0])
        for column in frame.columns:
            values = pd.to_numeric(frame[column], errors="coerce")
            small = values[(values >= 1) & (values < threshold)]
            assert small.empty, f"{entry.number} {entry.key}: {column} shows {list(small)}"
    return entries


def html_outputs(notebook: dict) -> str:
    return "".join("".join(o.get("data", {}).get("text/html", ""))
                   for c in notebook["cells"] for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, demo_report):
    """The routes notebook as the shared English demo build ran it (k = 5)."""
    out = tmp_path_factory.mktemp("routes_demo")
    return out, notebook_of_build(demo_report, "10_routes", out)


@pytest.mark.slow
def test_notebook_on_the_demo_publishes_only_suppressed_tables(demo_run):
    out, notebook = demo_run
    entries = check_published_tables(out, 5)
    keys = {e.key for e in entries}
    assert INCIDENT_KEYS <= keys and {"flows_map", "corridors", "hubs", "modes"} <= keys
    numbers = [e.number for e in entries if e.kind == "figure"]
    assert numbers[:2] == ["A1.1", "A1.2"]
    for entry in entries:
        assert all((out / f).is_file() for f in entry.files)
    assert "Traceback" not in html_outputs(notebook)


@pytest.mark.slow
def test_notebook_with_incidents_only(tmp_path):
    """What the IOM importer writes: incidents, and empty cases, migrants and route legs."""
    frame = incidents_sample().drop(columns=["reporting_country"])
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    data = tmp_path / "data"
    for country in ("USA", "MEX"):
        rows = frame.assign(reporting_country=country,
                            incident_id=[f"{country}-{i}" for i in frame["incident_id"]])
        tables = {name: pd.DataFrame(columns=TABLES[name].names) for name in TABLES}
        tables["incidents"] = rows[[c for c in TABLES["incidents"].names if c in rows.columns]]
        write_folder(data, tables, country)
    out = tmp_path / "out"
    notebook = run_routes(data, out, "es")
    entries = check_published_tables(out, 5)
    keys = {e.key for e in entries}
    assert not keys & ROUTE_KEYS
    assert {"incidents_map", "incidents_dead_missing", "incidents_by_type"} <= keys
    page = html_outputs(notebook)
    assert page.count('class="notice"') == 7  # flows, corridors, modes, hubs, Darién,
    # official figures, Caribbean
    assert "Muertes, desapariciones y delitos contra personas migrantes" in page


@pytest.mark.realdata
def test_location_rule_agrees_with_iom_route_text(realdata, tmp_path, monkeypatch):
    """On the IOM Missing Migrants data for the Americas, the location rule gives the same
    route as IOM's own route text for most incidents that have both."""
    from analysis.data.adapters.mmp.importer import import_mmp

    source = realdata / "iom_mmp" / "Missing_Migrants_Global_Figures_2014-2022.csv"
    if not source.is_file():
        pytest.skip(f"{source} is absent")
    monkeypatch.setenv("ANALYSIS_PSEUDONYM_KEY", "test-key")
    import_mmp(source, tmp_path / "iom")
    from analysis.data import ingest as io

    incidents = io.load(tmp_path / "iom").incidents
    by_text = incidents["route"].map(routes.route_group_of_text)
    by_place = routes.route_group_of_location(incidents["lon"], incidents["lat"])
    for group in ("us_mexico_border", routes.DARIEN, routes.CARIBBEAN_SEA):
        named = (by_text == group) & by_place.notna()
        assert named.sum() >= 20, group
        agree = (by_place[named] == group).mean()
        assert agree >= 0.7, f"{group}: {agree:.0%}"
    routed = routes.incident_routes(incidents)
    assert routed["route_group"].isin(routes.ROUTE_GROUPS).all()
    assert routed["dead_missing"].sum() == int(
        incidents["dead"].fillna(0).sum() + incidents["missing"].fillna(0).sum())
