"""What grows with the data is read through queries over the cache, never whole: the runner's
rebuild keys, the data-quality counts, the rows a country brief reads of other countries.
Each is checked against the same computation on the loaded tables (the results must not
change), and against which tables were read into memory."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import use_demo_cache

from analysis.core import paths, reference
from analysis.data import ingest as io
from analysis.diagnostic import modus, profiles, quality, route_queries, routes
from analysis.diagnostic.network import build
from analysis.report import brief, rebuild
from analysis.report import runner as run_module


@pytest.fixture(scope="module")
def demo_state(tmp_path_factory, demo_report_es) -> str:
    """The demo data's clean cache, once for the module: the one the shared Spanish build
    wrote (ingested again here only if it is stale)."""
    state = str(tmp_path_factory.mktemp("demo_state"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.STATE_ENV, state)
        use_demo_cache(demo_report_es, Path(state))
        io.load(paths.DEMO)
    return state


@pytest.fixture
def demo(demo_state, monkeypatch):
    monkeypatch.setenv(paths.STATE_ENV, demo_state)
    return paths.DEMO


def in_memory(data: io.Dataset) -> io.Dataset:
    return io.Dataset({name: data.tables[name] for name in io.TABLES}, data.meta)


# the runner -------------------------------------------------------------------------------
def test_rebuild_keys_read_no_table(demo):
    data = io.load(demo)
    config = run_module.load_config(None, data=str(demo))
    jobs = run_module.plan(config, data.countries)
    keys = rebuild.data_digests(jobs, data)
    assert len(keys) == len(jobs) and all(keys.values())
    assert data.tables.loaded == []


def test_the_runner_loads_no_large_table(small_folder, tmp_path, monkeypatch):
    """A whole run: the runner process reads only the small official counts (the index's
    headline); the notebooks read their data in their own kernels."""
    read = []
    frame = io.CacheReader.frame

    def recorded(self, name, *args, **kwargs):
        read.append(name)
        return frame(self, name, *args, **kwargs)

    monkeypatch.setattr(io.CacheReader, "frame", recorded)
    config = run_module.load_config(None, data=str(small_folder), out=str(tmp_path / "out"),
                                    notebooks=["80_methodology"], lang="en")
    assert run_module.run(config, echo=lambda *_: None, force=True) == 0
    assert set(read) <= {"flows"}


def _context_rows(data: io.Dataset, country: str) -> dict[str, int]:
    """The rows a brief reads of every country, from the loaded tables."""
    legs = routes.legs(data.route_legs, data.cases)
    touching = legs.loc[(legs["from_country"] == country) | (legs["to_country"] == country),
                        routes.KEY].drop_duplicates()
    out = {name: len(data.tables[name].merge(touching, on=routes.KEY))
           for name in ("cases", "route_legs")}
    links = data.links[data.links["reporting_country"] == country]
    actors = data.actors
    ends = set(links["source"].dropna()) | set(links["target"].dropna()) | set(
        actors.loc[actors["reporting_country"] == country, "actor_id"].dropna())
    out["actors"] = int(actors["actor_id"].isin(ends).sum())
    return out


def test_brief_context_holds_the_rows_of_routes_through_the_country(demo):
    data = io.load(demo)
    digests = rebuild.CacheDigests.of(data)
    for country in data.countries:
        context = digests.context(country)
        assert {part: rows for part, (rows, _) in context.items()} == _context_rows(
            data, country)
        assert all(rows_hash for rows, rows_hash in context.values() if rows)
    assert digests.context("XXX") == dict.fromkeys(rebuild.CONTEXT_PARTS, [0, ""])


def test_digests_need_the_cache(demo):
    with pytest.raises(ValueError, match="cache"):
        rebuild.CacheDigests.of(in_memory(io.load(demo)))


# data quality -----------------------------------------------------------------------------
def _coverage(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.crosstab(frame["reporting_country"], frame["date"].dt.year).astype(int)


def _completeness(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    fields = [f for f in io.TABLES[table].published if f != "reporting_country"]
    shares = frame[fields].notna().groupby(frame["reporting_country"]).mean()
    shares.insert(0, "n", frame.groupby("reporting_country").size())
    return shares.reset_index()


@pytest.mark.parametrize(("countries", "period"), [(None, ""), ("GTM,HND,PAN", "2021:2022")])
def test_quality_counts_equal_the_counts_of_the_loaded_tables(demo, countries, period):
    data = io.load(demo, countries, period)
    cover = quality.coverage(data)
    assert data.tables.loaded == []
    pd.testing.assert_frame_equal(cover, _coverage(data.cases), check_exact=True)
    for table in ("cases", "migrants", "actors", "route_legs", "incidents", "links"):
        shares = quality.completeness(data, table)
        pd.testing.assert_frame_equal(shares, _completeness(data.tables[table], table),
                                      check_exact=True)
    memory = in_memory(data)
    pd.testing.assert_frame_equal(quality.coverage(memory), cover, check_exact=True)


def test_quality_of_empty_tables(demo):
    data = io.load(demo, "ZZZ")
    assert quality.coverage(data).empty
    shares = quality.completeness(data, "migrants")
    assert shares.empty and list(shares.columns[:2]) == ["reporting_country", "n"]


# selections -------------------------------------------------------------------------------
def test_rows_keep_the_tables_order_and_types(demo):
    data = io.load(demo, None, "2020:2023")
    inside = pd.DataFrame({"place_id": ["GTM-EL-CARMEN", "GTM-LA-MESILLA", "MEX-TAPACHULA"]})
    where = "t.from_place IN (SELECT place_id FROM inside) AND t.leg_order > 1"
    chosen = data.rows("route_legs", where, inside=inside)
    assert data.tables.loaded == []
    legs = data.route_legs
    expected = legs[legs["from_place"].isin(inside["place_id"]) & (legs["leg_order"] > 1)]
    assert len(expected) > 0
    pd.testing.assert_frame_equal(chosen, expected.reset_index(drop=True), check_exact=True)
    pd.testing.assert_frame_equal(in_memory(data).rows("route_legs", where, inside=inside),
                                  chosen, check_exact=True)
    with pytest.raises(KeyError):
        data.rows("nothing", "true")


def test_rows_read_only_the_columns_asked_for(demo):
    data = io.load(demo, "GTM,MEX")
    narrow = data.rows("cases", columns=["case_id", "date", "migrants"])
    assert list(narrow.columns) == ["case_id", "date", "migrants"]
    pd.testing.assert_frame_equal(narrow, data.cases[list(narrow.columns)], check_exact=True)
    pd.testing.assert_frame_equal(in_memory(data).rows("cases", columns=list(narrow.columns)),
                                  narrow, check_exact=True)
    with pytest.raises(KeyError):
        data.rows("cases", columns=["no_such_column"])


def test_narrow_reads_give_the_regional_reports_the_same_frames(demo):
    data = io.load(demo)
    legs = routes.legs(data.rows("route_legs", columns=routes.LEG_INPUT),
                       data.rows("cases", columns=routes.CASE_INPUT))
    darien = routes.through_darien(legs)[routes.KEY].drop_duplicates()
    people = data.rows("migrants", routes.OF_CASES, chosen=darien)
    with_year = profiles.with_year(data.migrants,
                                   data.rows("cases", columns=profiles.CASE_INPUT))
    with_corridor = modus.with_corridor(data.cases,
                                        data.rows("route_legs", columns=modus.LEG_INPUT))
    assert "route_legs" not in data.tables.loaded
    full = routes.legs(data.route_legs, data.cases)
    pd.testing.assert_frame_equal(legs, full, check_exact=True)
    assert 0 < len(people) < len(data.migrants)
    pd.testing.assert_frame_equal(routes.darien_migrants(legs, people),
                                  routes.darien_migrants(full, data.migrants), check_exact=True)
    pd.testing.assert_frame_equal(with_year, profiles.with_year(data.migrants, data.cases),
                                  check_exact=True)
    pd.testing.assert_frame_equal(with_corridor,
                                  modus.with_corridor(data.cases, data.route_legs),
                                  check_exact=True)


def test_the_network_from_narrow_reads_is_the_same_graph(demo):
    data = io.load(demo)
    narrow = build.from_tables(data.rows("actors", columns=build.ACTOR_INPUT),
                               data.rows("links", columns=build.LINK_INPUT))
    assert data.tables.loaded == []
    whole = build.from_tables(data.actors, data.links)
    assert list(narrow.nodes(data=True)) == list(whole.nodes(data=True))
    assert list(narrow.edges(data=True)) == list(whole.edges(data=True))
    assert narrow.graph == whole.graph and narrow.number_of_edges() > 0


# country briefs ---------------------------------------------------------------------------
def _touching_cases(route_legs: pd.DataFrame, country: str) -> pd.DataFrame:
    """The cases with a leg that starts or ends in `country`, computed in pandas."""
    places = reference.places()
    inside = places.index[places["country"] == country]
    touch = route_legs["from_place"].isin(inside) | route_legs["to_place"].isin(inside)
    return route_legs.loc[touch, routes.KEY].drop_duplicates().reset_index(drop=True)


def _legs_through(regional: io.Dataset, country: str) -> pd.DataFrame:
    keys = pd.MultiIndex.from_frame(_touching_cases(regional.route_legs, country))

    def chosen(table: pd.DataFrame) -> pd.DataFrame:
        return table[pd.MultiIndex.from_frame(table[routes.KEY]).isin(keys)]

    return routes.legs(chosen(regional.route_legs), chosen(regional.cases))


def _same_summary(one: dict, other: dict) -> bool:
    return one.keys() == other.keys() and all(
        one[k] == other[k] or (isinstance(one[k], float) and math.isnan(one[k])
                               and math.isnan(other[k])) for k in one)


@pytest.mark.parametrize("period", ["", "2021:2022"])
def test_a_brief_reads_only_the_rows_of_its_country(demo, period):
    regional = io.load(demo, None, period)
    selections = {country: (brief.legs_through(regional, country),
                            brief.far_actors(regional, country))
                  for country in regional.countries}
    assert regional.tables.loaded == []  # no table of every country was loaded
    for country, (through, actors) in selections.items():
        pd.testing.assert_frame_equal(through, _legs_through(regional, country),
                                      check_exact=True)
        assert len(actors) < len(regional.actors)
        own = io.load(demo, country, period)
        assert _same_summary(brief.network_summary(own, actors),
                             brief.network_summary(own, regional.actors))


def test_far_actors_read_the_country_as_a_value_not_as_sql(demo):
    data = io.load(demo)
    assert brief.far_actors(data, "GTM' OR 1=1 --").empty
    assert brief.far_actors(data, "XXX").empty
    assert not brief.far_actors(data, "GTM").empty


# routes -----------------------------------------------------------------------------------
def _same(one: pd.DataFrame, other: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(one, other, check_exact=True)


@pytest.mark.parametrize(("countries", "period"), [(None, ""), ("GTM,HND,MEX,PAN", "2021:2022")])
def test_route_queries_equal_the_computations_on_the_loaded_legs(demo, countries, period):
    data = io.load(demo, countries, period)
    legs = route_queries.RouteLegs(data)
    totals, flows, corridors = legs.totals(), legs.flows(), legs.corridors()
    top = list(corridors["corridor"].head(5))
    found = {"od": legs.od_flows(), "domestic": legs.domestic_share(),
             "years": legs.corridors_by_year(top), "corridor_flows": legs.corridor_flows(top),
             "hubs": legs.hubs(), "darien": legs.totals(route_queries.darien()),
             "darien_flows": legs.flows(route_queries.darien()),
             "people": legs.darien_people(), "sea": legs.totals(route_queries.caribbean_sea()),
             "sea_routes": legs.sea_routes()}
    assert data.tables.loaded == []  # nothing was loaded

    enriched = routes.legs(data.route_legs, data.cases)
    trips = routes.journeys(enriched)
    assert totals == {"legs": len(enriched), "cases": routes.case_count(enriched),
                      "migrants": int(trips["migrants"].sum())}
    assert totals["migrants"] == routes.migrant_count(enriched) and len(flows) > 10
    _same(flows, routes.flows(enriched))
    _same(corridors, routes.corridors(enriched))
    _same(found["od"], routes.od_flows(enriched, "country"))
    assert found["domestic"] == routes.domestic_share(enriched)
    pd.testing.assert_frame_equal(found["years"], routes.corridors_by_year(enriched, top),
                                  check_exact=True)
    _same(found["corridor_flows"], routes.corridor_flows(enriched, top))
    _same(found["hubs"], routes.hubs(enriched))
    darien = routes.through_darien(enriched)
    assert found["darien"] == {"legs": len(darien), "cases": routes.case_count(darien),
                               "migrants": routes.migrant_count(darien)}
    _same(found["darien_flows"], routes.flows(darien))
    people = routes.darien_migrants(enriched, data.migrants)
    assert int(found["people"]["persons"].sum()) == len(people) > 0
    pd.testing.assert_frame_equal(routes.darien_counts_by_year(found["people"]),
                                  routes.darien_by_year(people), check_exact=True)
    _same(routes.nationality_counts(found["people"]), routes.nationalities(people))
    sea = routes.caribbean_sea_legs(enriched)
    assert found["sea"] == {"legs": len(sea), "cases": routes.case_count(sea),
                            "migrants": routes.migrant_count(sea)}
    _same(found["sea_routes"], routes.sea_routes(enriched))
    incidents = routes.incident_routes(data.rows("incidents", columns=routes.INCIDENT_INPUT))
    whole = routes.incident_routes(data.incidents)
    pd.testing.assert_frame_equal(incidents, whole[incidents.columns], check_exact=True)
    memory = route_queries.RouteLegs(in_memory(data))
    _same(memory.flows(), flows)
    _same(memory.corridors(), corridors)


def test_route_queries_of_no_legs(demo):
    legs = route_queries.RouteLegs(io.load(demo, "ZZZ"))
    assert legs.totals() == {"legs": 0, "cases": 0, "migrants": 0}
    assert legs.flows().empty and legs.od_flows().empty and legs.corridors().empty
    assert legs.hubs().empty and legs.darien_people().empty
    assert math.isnan(legs.domestic_share())
    assert list(legs.corridors_by_year(["GTM>MEX"]).columns) == ["GTM>MEX", routes.OTHER]


def test_profiles_and_modus_read_the_columns_they_use(demo):
    data = io.load(demo)
    people = profiles.with_year(data.rows("migrants", columns=profiles.MIGRANT_INPUT),
                                data.rows("cases", columns=profiles.CASE_INPUT))
    found = modus.corridors_of(data)
    cases = modus.with_fees_usd(modus.with_corridor(
        data.rows("cases", columns=modus.CASE_INPUT), None, found=found))
    assert data.tables.loaded == []
    whole = profiles.with_year(data.migrants, data.cases)
    pd.testing.assert_frame_equal(people, whole[people.columns], check_exact=True)
    pd.testing.assert_frame_equal(found, modus.corridors(data.route_legs), check_exact=True)
    whole = modus.with_fees_usd(modus.with_corridor(data.cases, data.route_legs))
    pd.testing.assert_frame_equal(cases, whole[cases.columns], check_exact=True)
    assert len(people.columns) < len(data.migrants.columns) and len(people) == len(data.migrants)


@pytest.mark.parametrize(("countries", "period"), [(None, ""), ("GTM,HND,PAN", "2021:2022")])
def test_profiles_of_counted_persons_equal_those_of_the_loaded_table(demo, countries, period):
    data = io.load(demo, countries, period)
    counted = profiles.counted(data)
    assert data.tables.loaded == []
    people = profiles.with_year(data.migrants, data.cases)
    assert modus.row_count(counted) == len(people) and len(counted) < len(people)
    assert profiles.top_of(counted, "nationality", 5) == modus.top_values(
        people["nationality"], 5)
    pd.testing.assert_frame_equal(profiles.pyramid(counted), profiles.pyramid(people))
    assert profiles.pyramid_left_out(counted) == profiles.pyramid_left_out(people)
    for by in ("reporting_country", "year"):
        pd.testing.assert_frame_equal(profiles.children(counted, by),
                                      profiles.children(people, by))
        pd.testing.assert_frame_equal(profiles.vulnerability(counted, by),
                                      profiles.vulnerability(people, by))
        for column, top in (("nationality", 12), ("intended_destination", 8), ("sex", None)):
            pd.testing.assert_frame_equal(profiles.by_group(counted, column, by, top=top),
                                          profiles.by_group(people, column, by, top=top))
    pd.testing.assert_series_equal(modus.code_counts(counted, "reason_for_travel"),
                                   modus.code_counts(people, "reason_for_travel"))
