"""The country brief: its helpers on small hand-made tables, and the notebook for a large and
a small country in both languages, and for a country with empty tables."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import (
    notebook_of_build,
    outputs_html,
    place_of,
    run_notebook,
    small_tables,
    write_folder,
)

from analysis.core import i18n, paths
from analysis.core.contract import TABLES
from analysis.data import ingest as io
from analysis.diagnostic import legislation, routes, workplan
from analysis.report import brief
from analysis.report.figures import maps


def two_countries(root):
    """GTM's small tables, plus MEX's: two cases whose routes cross GTM (one of them by
    MEX, one of them not), far-end actors for GTM's ties, service models and payments."""
    gtm = small_tables("GTM")
    hnd, gtm_place, mex, slv = (place_of("HND"), place_of("GTM"), place_of("MEX"),
                                place_of("SLV"))
    gtm["cases"]["service_model"] = ["package", "pay_as_you_go", "package"]
    gtm["cases"]["payment_method"] = ["cash", "other", "cash"]
    gtm["route_legs"] = pd.DataFrame({  # C1: HND > GTM (12 migrants), C2: GTM > MEX (3)
        "reporting_country": "GTM", "case_id": ["C1", "C2"], "leg_order": ["1", "1"],
        "from_place": [hnd, gtm_place], "to_place": [gtm_place, mex], "mode": ["land", "sea"]})
    gtm["links"] = pd.concat([gtm["links"], pd.DataFrame({
        "reporting_country": ["GTM"], "source": ["A2"], "target": ["M1"],
        "relation": ["logistics"]})], ignore_index=True)
    mex_tables = {name: pd.DataFrame(columns=TABLES[name].names) for name in TABLES}
    mex_tables["cases"] = pd.DataFrame({
        "reporting_country": "MEX", "case_id": ["M1", "M2", "M3"],
        "date": ["2021-05-01", "2021-06-01", "2021-07-01"], "transport_mode": "land",
        "migrants": ["5", "7", "40"]})
    mex_tables["route_legs"] = pd.DataFrame({  # M1, M2: HND > GTM > MEX; M3: SLV > MEX
        "reporting_country": "MEX", "case_id": ["M1", "M1", "M2", "M2", "M3"],
        "leg_order": ["1", "2", "1", "2", "1"],
        "from_place": [hnd, gtm_place, hnd, gtm_place, slv],
        "to_place": [gtm_place, mex, gtm_place, mex, mex], "mode": "land"})
    mex_tables["actors"] = pd.DataFrame({
        "reporting_country": "MEX", "actor_id": ["M1"], "role": ["guide"],
        "base_country": ["MEX"]})
    write_folder(root, gtm, "GTM")
    return write_folder(root, mex_tables, "MEX")


@pytest.fixture
def two_folder(tmp_path):
    return two_countries(tmp_path / "data")


# key figures ------------------------------------------------------------------------------
def test_key_figures_and_period_of_a_small_folder(small_folder):
    data = io.load(small_folder)
    figures = brief.key_figures(data)
    assert figures.to_dict() == {"cases": 3, "migrants": 16, "minors": 2,
                                 "smugglers_detained": 0, "dead_missing": 2}
    assert brief.period(data) == (2021, 2022)


def test_publishable_counts():
    assert [brief.publishable(n, 5) for n in (0, 1, 4, 5, 12)] == [True, False, False, True,
                                                                    True]


def test_country_names_inside_a_sentence():
    assert brief.country_in_text("USA", "en") == "the United States"
    assert brief.country_in_text("USA", "es") == "Estados Unidos"
    assert brief.country_in_text("GTM", "en") == "Guatemala"


# corridors --------------------------------------------------------------------------------
def test_corridors_touching_a_country_from_every_report(two_folder):
    regional = io.load(two_folder)
    ranking = brief.corridors(regional, "GTM")
    # HND>GTM>MEX: MEX's M1 and M2 (5 + 7); HND>GTM: GTM's C1 (12); GTM>MEX: GTM's C2 (3);
    # SLV>MEX does not touch GTM. Most migrants first, then most cases.
    assert ranking.to_dict("records") == [
        {"corridor": "HND>GTM>MEX", "cases": 2, "migrants": 12, "own_cases": 0},
        {"corridor": "HND>GTM", "cases": 1, "migrants": 12, "own_cases": 1},
        {"corridor": "GTM>MEX", "cases": 1, "migrants": 3, "own_cases": 1},
    ]
    assert brief.corridors(regional, "SLV")["corridor"].tolist() == ["SLV>MEX"]
    assert brief.corridors(regional, "PAN").empty


def test_a_country_reads_only_the_cases_that_pass_through_it(two_folder):
    regional = io.load(two_folder)
    touching = brief.legs_through(regional, "GTM")[routes.KEY].drop_duplicates()
    # GTM's C1 and C2, MEX's M1 and M2 (not M3: SLV > MEX); case ids are pseudonyms
    assert touching["reporting_country"].value_counts().to_dict() == {"GTM": 2, "MEX": 2}
    assert regional.tables.loaded == []
    assert brief.legs_through(regional, "SLV")["case_id"].nunique() == 1
    assert brief.legs_through(regional, "PAN").empty


def test_corridor_flows_keep_legs_of_at_least_k_cases(two_folder):
    regional = io.load(two_folder)
    chosen = ["HND>GTM", "HND>GTM>MEX"]
    flows = brief.corridor_flows(regional, chosen, k=2)
    # HND→GTM: C1, M1, M2 (3 cases, 24 migrants); GTM→MEX: M1, M2 (2 cases, 12)
    assert sorted(zip(flows["cases"], flows["weight"], strict=True)) == [(2, 12), (3, 24)]
    assert len(brief.corridor_flows(regional, chosen, k=3)) == 1
    assert brief.corridor_flows(regional, [], k=1).empty


def test_map_bounds_hold_the_country_and_the_flows():
    to_xy, region = maps.view("region")
    flows = pd.DataFrame({"from_lon": [-87.2], "from_lat": [14.1], "to_lon": [-99.1],
                          "to_lat": [19.4]})  # Tegucigalpa to Mexico City
    xmin, ymin, xmax, ymax = brief.map_bounds(flows, to_xy, "GTM")
    x, y = to_xy([-87.2, -99.1], [14.1, 19.4])
    assert (xmin < x).all() and (x < xmax).all() and (ymin < y).all() and (y < ymax).all()
    country = maps.basemap().query("iso3 == 'GTM'").to_crs(to_xy.crs).total_bounds
    assert xmin < country[0] and country[2] < xmax and ymin < country[1] and country[3] < ymax
    assert (ymax - ymin) / (xmax - xmin) == pytest.approx(brief.MAP_RATIO)
    small = brief.map_bounds(flows.iloc[:0], to_xy, "BLZ")
    assert small[2] - small[0] == pytest.approx(brief.MAP_MIN_SPAN_M)
    far = brief.map_bounds(flows.iloc[:0], to_xy, "USA")  # Alaska is left out
    assert far[0] >= region[0] - 1 and far[2] <= region[2] + 1


def test_the_legend_goes_to_the_corner_of_open_sea():
    to_xy, _ = maps.view("region")
    x, y = to_xy([-100.0, -84.0], [5.0, 21.0])  # Pacific lower left, Mexico upper left
    bounds = (x[0], y[0], x[1], y[1])
    assert brief.emptiest_corner(to_xy, bounds, pd.DataFrame(
        columns=["from_lon", "from_lat", "to_lon", "to_lat"])) == "lower left"


# profiles and modus operandi --------------------------------------------------------------
def test_nationalities_keep_the_most_frequent_then_the_rest():
    people = pd.DataFrame({"nationality": ["HND"] * 3 + ["GTM"] * 2 + ["VEN", "CUB", None]})
    table = brief.nationalities(people, top=2)
    assert table.to_dict("records") == [{"nationality": "HND", "persons": 3},
                                        {"nationality": "GTM", "persons": 2},
                                        {"nationality": brief.OTHER, "persons": 2}]
    assert brief.nationalities(people, top=4)["nationality"].tolist() == ["HND", "GTM", "CUB",
                                                                          "VEN"]


def test_children_and_sex_age(small_folder):
    people = io.load(small_folder).migrants
    assert brief.children(people) == {"children": 1, "unaccompanied": 1, "separated": 0}
    table = brief.sex_age(people)
    assert table.loc["12-17", "female"] == 1 and table.loc["18-29", "male"] == 1
    assert table.to_numpy().sum() == 3
    assert brief.children(people.iloc[:0]) == {"children": 0, "unaccompanied": 0,
                                               "separated": 0}


def test_fee_summary_every_case_then_by_service_model(two_folder):
    cases = io.load(two_folder, ["GTM"]).cases  # fees 8000 (package) and 1500.5 (pay as you go)
    table = brief.fee_summary(cases)
    assert table["group"].tolist() == [brief.OVERALL, "package", "pay_as_you_go"]
    assert table["n"].tolist() == [2, 1, 1]
    overall = table.iloc[0]
    assert overall["median"] == pytest.approx((8000 + 1500.5) / 2)
    assert overall["q1"] == pytest.approx(1500.5 + 0.25 * 6499.5)
    assert table.iloc[1]["median"] == pytest.approx(8000)
    assert brief.fee_summary(cases.iloc[:0]).empty


def test_payment_methods_top_then_the_rest():
    cases = pd.DataFrame({"payment_method": ["cash"] * 3 + ["in_kind"] * 2 + ["other"]
                          + ["bank_transfer", None]})
    table = brief.payment_methods(cases, top=2)
    assert table.to_dict("records") == [{"payment_method": "cash", "cases": 3},
                                        {"payment_method": "in_kind", "cases": 2},
                                        {"payment_method": brief.OTHER, "cases": 2}]
    assert brief.payment_methods(cases.iloc[:5], top=2)["payment_method"].tolist() == [
        "cash", "in_kind"]


# networks ---------------------------------------------------------------------------------
def test_network_of_a_small_folder(small_folder):
    data = io.load(small_folder)
    summary = brief.network_summary(data)
    # a star: A1 tied to A2 (GTM) and A3 (MEX)
    assert (summary["actors"], summary["nodes"], summary["ties"], summary["components"]) == (
        3, 3, 2, 1)
    assert summary["density"] == pytest.approx(2 / 3)
    assert summary["centralization"] == pytest.approx(1.0)
    assert (summary["known_ties"], summary["cross_border_ties"]) == (2, 1)
    assert summary["cross_border_share"] == pytest.approx(0.5)
    roles = brief.actors_by_role(data.actors)
    assert roles.to_dict("records") == [{"role": "organizer", "actors": 1},
                                        {"role": "guide", "actors": 1},
                                        {"role": "transporter", "actors": 1}]


def test_far_ends_take_their_base_country_from_other_reports(two_folder):
    data = io.load(two_folder, ["GTM"])
    alone = brief.network_summary(data)
    assert (alone["nodes"], alone["known_ties"], alone["cross_border_ties"]) == (4, 2, 1)
    regional = brief.regional_data(str(two_folder))
    summary = brief.network_summary(data, regional.actors)
    assert summary["nodes"] == 4 and summary["actors"] == 3
    assert (summary["known_ties"], summary["cross_border_ties"]) == (3, 2)
    table = brief.network_table(summary, "es")
    values = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert values[i18n.t("brief.net_density", "es")] == i18n.fmt_number(3 / 6, "es", 3)
    assert values[i18n.t("brief.net_cross_border_share", "es")] == i18n.fmt_percent(
        2 / 3, "es", 0)


def test_empty_tables_give_empty_sections(tmp_path):
    tables = small_tables()
    for name in ("route_legs", "actors", "links", "migrants", "incidents"):
        tables[name] = tables[name].iloc[:0]
    data = io.load(write_folder(tmp_path / "data", tables))
    assert brief.corridors(data, "GTM").empty
    assert brief.network_summary(data) == {}
    assert brief.nationalities(data.migrants).empty
    assert brief.key_figures(data)["dead_missing"] == 0
    grid = brief.workplan_grid(data, "GTM")
    assert len(grid) == len(workplan.actions())  # every action, reported or not
    assert brief.workplan_totals(grid)["last"] is None


# legislation and Work Plan ----------------------------------------------------------------
def test_legislation_row_takes_the_countrys_own_submission(tmp_path):
    tables = small_tables()
    tables["legislation"] = pd.DataFrame({
        "reporting_country": ["GTM", "GTM"], "country": ["GTM", "HND"],
        "criterion_id": ["attempt", "attempt"], "value": ["no", "yes"],
        "date_reviewed": ["2024-01-01", "2024-01-01"], "status": ["validated", "validated"]})
    data = io.load(write_folder(tmp_path / "data", tables))
    cells, score, by_axis = brief.legislation_row(data, "GTM")
    criteria = legislation.criteria()
    assert len(cells) == len(criteria) and set(cells["country"]) == {"GTM"}
    attempt = cells.set_index("criterion_id").loc["attempt"]
    assert (attempt["value"], attempt["status"], attempt["level"]) == ("no", "validated", "no")
    assert score["submitted"] == 1
    assert score["criteria"] == len(criteria)
    assert set(by_axis["axis"]) == set(legislation.AXES)
    table = brief.legislation_table(cells, "en")
    assert len(table) == len(criteria)
    marks = table[i18n.t("brief.symbol", "en")]
    assert set(marks) <= {"✓", "◐", "✗", ""} | {m for m in marks if m.isdigit()}
    page = brief.legislation_html(cells, by_axis, "en", caption="Table A7.9", table_id="A7.9")
    assert page.count('<td class="criterion">') == len(criteria)
    assert 'id="table-A7.9"' in page and "✗" in page


def test_workplan_latest_status_of_the_country_only(tmp_path):
    first, second, third = workplan.actions()["action_id"][:3]
    tables = small_tables()
    tables["workplan_status"] = pd.DataFrame({
        "reporting_country": "GTM", "country": ["GTM", "GTM", "GTM", "HND"],
        "action_id": [first, first, second, third],
        "status": ["completed", "in_progress", "not_applicable", "completed"],
        "date": ["2022-01-01", "2023-06-30", "2022-03-01", "2023-01-01"]})
    data = io.load(write_folder(tmp_path / "data", tables))
    grid = brief.workplan_grid(data, "GTM")
    totals = brief.workplan_totals(grid)
    actions = len(workplan.actions())
    assert {s: totals[s] for s in workplan.ALL_STATUSES} == {
        "completed": 0, "in_progress": 1, "not_started": 0, "not_applicable": 1,
        "no_report": actions - 2}
    assert totals["last"] == pd.Timestamp("2023-06-30")
    progress = brief.workplan_progress(data, "GTM")
    assert progress["total"].sum() == actions and progress["in_progress"].sum() == 1


def test_links_point_at_the_regional_reports():
    links = brief.regional_links("es")
    assert len(links) == len(brief.REGIONAL_REPORTS)
    for href, title in links:
        assert (paths.NOTEBOOKS / href.replace(".html", ".ipynb")).is_file(), href
        assert title and "run.report" not in title
    assert brief.links_html("en").count("<a href=") == len(links)


def test_side_by_side_markup():
    html = brief.row_html(["<p>a</p>", "<p>b</p>"])
    assert html.count('class="brief-cell"') == 2 and html.startswith('<div class="brief-row">')


# the notebook -----------------------------------------------------------------------------
PERSON_TABLES = ("key_figures", "corridors", "nationalities", "sex_age", "payment_methods",
                 "actors_by_role", "fees")


def published_counts(out, entries):
    """Every number of the tables that count persons or cases (N of the fee table too)."""
    numbers = []
    for entry in entries:
        if entry["kind"] == "table" and entry["key"] in PERSON_TABLES:
            table = pd.read_csv(out / entry["files"][0], dtype=str)
            columns = table.columns[1:2] if entry["key"] == "fees" else table.columns[1:]
            values = pd.to_numeric(table[columns].stack(), errors="coerce").dropna()
            numbers += [(entry["key"], v) for v in values]
    return numbers


@pytest.mark.slow
@pytest.mark.parametrize(("country", "lang"), [("GTM", "es"), ("GTM", "en"), ("BLZ", "es"),
                                               ("BLZ", "en")])
def test_brief_notebook(tmp_path, demo_reports, country, lang):
    """The brief as the shared demo build of `lang` ran it (the notebook's defaults)."""
    out = tmp_path / "out"
    executed = notebook_of_build(demo_reports(lang), f"70_country_brief_{country}", out)
    entries = json.loads((out / "annex" / f"70_country_brief_{country}.json").read_text())
    keys = {e["key"] for e in entries}
    assert {"key_figures", "corridors", "corridors_map", "nationalities", "fees",
            "actors_by_role", "network", "legislation_row", "workplan_progress"} <= keys
    assert all(e["country"] == country and e["number"].startswith("A7.") for e in entries)
    assert all(f"_{country}_" in name for e in entries for name in e["files"])
    numbers = published_counts(out, entries)
    assert numbers, "no count table was published"
    small = [(key, v) for key, v in numbers if 1 <= v < 5]
    assert not small, small
    page = outputs_html(executed)
    assert "Traceback" not in page
    assert page.count('class="brief-row"') >= 4
    for href, _ in brief.regional_links(lang):
        assert f'href="{href}"' in page
    if country == "BLZ":  # a small country: some cells are suppressed, not shown
        assert "&lt;5" in page or "<5" in page


@pytest.mark.slow
def test_brief_notebook_with_empty_tables(tmp_path):
    tables = small_tables()
    for name in ("route_legs", "actors", "links", "migrants", "incidents", "workplan_status"):
        tables[name] = tables[name].iloc[:0]
    folder = write_folder(tmp_path / "data", tables)
    out = tmp_path / "out"
    executed = run_notebook("70_country_brief", out, data_dir=str(folder), country="GTM",
                            lang="en")
    page = outputs_html(executed)
    assert page.count(i18n.t("common.no_data", "en")) >= 2
    assert i18n.t("brief.workplan_none", "en", country="Guatemala") in page
    entries = json.loads((out / "annex" / "70_country_brief_GTM.json").read_text())
    assert not [(k, v) for k, v in published_counts(out, entries) if 1 <= v < 5]


@pytest.mark.slow
def test_brief_notebook_for_a_period_without_data(tmp_path, demo_cache):
    out = tmp_path / "out"
    executed = run_notebook("70_country_brief", out, country="NIC", period="2031:2032",
                            lang="es")
    assert i18n.t("common.no_data", "es") in outputs_html(executed)
    entries = json.loads((out / "annex" / "70_country_brief_NIC.json").read_text())
    figures = next(e for e in entries if e["key"] == "key_figures")
    values = pd.read_csv(out / figures["files"][0]).iloc[:, 1]
    assert (values == 0).all()
