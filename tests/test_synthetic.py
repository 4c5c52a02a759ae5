"""The synthetic demo data: deterministic, complete, ingestible and shaped like the real thing."""

from __future__ import annotations

import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.core import paths, reference
from analysis.core.contract import TABLES
from analysis.data import ingest as io
from analysis.data.synthetic.flaws import PLANTED
from analysis.data.synthetic.generate import generate
from analysis.data.synthetic.geography import ROUTES, geography
from analysis.data.synthetic.parameters import (
    BASE_ROWS,
    EXTRA_CONTINENTAL,
    LOCAL_CURRENCY,
    MAX_LEGS,
    MAX_MIGRANTS,
    STAGES,
)
from analysis.data.validation import validate_folder

SMALL = 0.2


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _read(root: Path, table: str) -> pd.DataFrame:
    parts = [pd.read_csv(p, dtype=str, keep_default_na=False)
             for p in sorted(root.glob(f"*/{table}.csv"))]
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("synthetic") / "demo"
    return out, generate(out, scale=SMALL, seed=2018)


@pytest.fixture(scope="module")
def ingested(small, tmp_path_factory):
    """The small dataset through `analysis.data.ingest.ingest`; its
    state (cache, private) in tmp."""
    out, _ = small
    scratch = tmp_path_factory.mktemp("ingest")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(paths.STATE_ENV, str(scratch))
        mp.delenv("ANALYSIS_PSEUDONYM_KEY", raising=False)
        mp.setenv("ANALYSIS_PSEUDONYM_KEY_FILE", str(scratch / "no-key-file"))
        result = io.ingest(out)
    return result


@pytest.fixture(scope="module")
def accepted(small) -> dict[str, pd.DataFrame]:
    """The accepted rows before pseudonymization (ingestion streams them to the cache)."""
    out, _ = small
    result = validate_folder(out)
    return {name: checked.accepted for name, checked in result.tables.items()}


def test_same_seed_and_scale_give_identical_files(small, tmp_path):
    out, counts = small
    again = tmp_path / "again"
    assert generate(again, scale=SMALL, seed=2018) == counts
    assert _files(again) == _files(out)
    match, mismatch, errors = filecmp.cmpfiles(out, again, _files(out), shallow=False)
    assert mismatch == [] and errors == []


def test_another_seed_gives_other_data(small, tmp_path):
    out, _ = small
    other = tmp_path / "other"
    generate(other, scale=SMALL, seed=7)
    assert (other / "MEX" / "cases.csv").read_bytes() != (out / "MEX" / "cases.csv").read_bytes()
    assert (other / "GTM" / "links.csv").read_bytes() != (out / "GTM" / "links.csv").read_bytes()


def test_every_country_folder_has_every_table_with_contract_columns(small):
    out, counts = small
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(reference.CRM_MEMBERS)
    for country in reference.CRM_MEMBERS:
        for name, table in TABLES.items():
            path = out / country / f"{name}.csv"
            assert path.is_file(), path
            header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
            assert header == table.published, (country, name)
            assert not any(table.field(c).drop for c in header)
    for name in TABLES:
        assert len(_read(out, name)) == counts[name]
        assert (_read(out, name)["reporting_country"].isin(reference.CRM_MEMBERS)).all()


def test_dataset_yml_labels_the_data_synthetic(small):
    out, _ = small
    meta = yaml.safe_load((out / "dataset.yml").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True
    assert meta["seed"] == 2018 and meta["scale"] == SMALL
    assert meta["licence"] == "CC0"
    assert "seed 2018" in meta["source"] and "no real person" in meta["source"]
    assert meta["title_es"] and meta["source_es"]
    assert set(meta["planted_flaws"]) == set(TABLES)


def test_ingestion_sets_aside_exactly_the_planted_rows(small, ingested):
    out, counts = small
    meta = yaml.safe_load((out / "dataset.yml").read_text(encoding="utf-8"))
    assert ingested.errors == []
    for name, checked in ingested.tables.items():
        assert len(checked.set_aside) == meta["planted_flaws"][name], name
        assert checked.counts["accepted"].sum() + len(checked.set_aside) == counts[name]
    for name in ("cases", "migrants", "route_legs"):
        assert meta["planted_flaws"][name] >= 1
    reasons = set(ingested.tables["cases"].set_aside["reason"])
    assert {"bad_date", "negative", "unknown_country", "duplicate_key"} <= reasons
    assert "dangling_reference" in set(ingested.tables["migrants"].set_aside["reason"])


def test_planted_share_is_small(small):
    out, counts = small
    meta = yaml.safe_load((out / "dataset.yml").read_text(encoding="utf-8"))
    for name in ("cases", "migrants", "route_legs"):
        kinds = len(PLANTED[name])
        assert kinds <= meta["planted_flaws"][name] <= max(kinds, 0.004 * counts[name])


def test_references_resolve(small):
    out, _ = small
    cases, migrants, legs = _read(out, "cases"), _read(out, "migrants"), _read(out, "route_legs")
    actors, links = _read(out, "actors"), _read(out, "links")
    case_keys = set(zip(cases["reporting_country"], cases["case_id"], strict=True))
    meta = yaml.safe_load((out / "dataset.yml").read_text(encoding="utf-8"))
    for frame, name in ((migrants, "migrants"), (legs, "route_legs")):
        keys = zip(frame["reporting_country"], frame["case_id"], strict=True)
        dangling = sum(k not in case_keys for k in keys)
        assert dangling <= meta["planted_flaws"][name]
    assert links["source"].isin(actors["actor_id"]).all()
    assert links["target"].isin(actors["actor_id"]).all()
    assert (links["source"] != links["target"]).all()
    listed = actors.loc[actors["case_ids"] != ""]
    for country, ids in zip(listed["reporting_country"], listed["case_ids"], strict=True):
        for case_id in ids.split(";"):
            assert (country, case_id) in case_keys
    assert actors["base_place"].isin(reference.places().index).all()
    base = reference.places().loc[actors["base_place"], "country"].to_numpy()
    assert (base == actors["base_country"].to_numpy()).all()


def test_keys_are_unique_in_the_accepted_data(accepted):
    for name, table in TABLES.items():
        frame = accepted[name]
        assert not frame[list(table.key)].astype(str).duplicated().any(), name


def test_identifiers_look_like_what_a_country_sends(small):
    out, _ = small
    cases = _read(out, "cases")
    assert cases["case_id"].str.fullmatch(r"[A-Z]{3}-20(19|2[0-4])-\d{6}").all()
    assert (cases["case_id"].str[:3] == cases["reporting_country"]).all()
    assert _read(out, "migrants")["person_id"].str.fullmatch(r"[A-Z]{3}-P-\d{7}").all()
    assert _read(out, "actors")["actor_id"].str.fullmatch(r"[A-Z]{3}-A-\d{5,}").all()
    assert _read(out, "links")["period"].str.fullmatch(r"20(19|2[0-4])-\d{2}").all()


def test_dates_fall_in_2019_to_2024(accepted):
    for name in ("cases", "route_legs", "incidents", "workplan_status"):
        dates = accepted[name]["date"].dropna()
        assert dates.min() >= pd.Timestamp("2019-01-01"), name
        assert dates.max() <= pd.Timestamp("2024-12-31"), name


def test_route_legs_are_contiguous_and_end_at_the_detection_place(accepted):
    legs = accepted["route_legs"].sort_values(["reporting_country", "case_id", "leg_order"])
    key = legs["reporting_country"] + "|" + legs["case_id"]
    same_case = key.eq(key.shift(-1))
    assert (legs["from_place"].shift(-1)[same_case] == legs["to_place"][same_case]).all()
    counts = key.value_counts()
    assert counts.between(1, MAX_LEGS).all()
    orders = legs.groupby(key)["leg_order"].agg(["min", "max", "size"])
    assert (orders["min"] == 1).all() and (orders["max"] == orders["size"]).all()
    dates = legs.groupby(key)["date"].apply(lambda s: s.is_monotonic_increasing)
    assert dates.all()
    cases = accepted["cases"]
    case_key = cases["reporting_country"] + "|" + cases["case_id"]
    assert set(case_key) == set(key)  # every case has its journey
    last_place = legs.groupby(key)["to_place"].last()
    with_place = cases.loc[cases["place_id"].notna()]
    detected = pd.Series(with_place["place_id"].to_numpy(),
                         index=(with_place["reporting_country"] + "|" + with_place["case_id"]))
    assert (last_place.reindex(detected.index) == detected).all()


def test_transport_mode_agrees_with_the_legs(accepted):
    legs, cases = accepted["route_legs"], accepted["cases"]
    key = legs["reporting_country"] + "|" + legs["case_id"]
    modes = legs.groupby(key)["mode"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "mixed")
    case_key = cases["reporting_country"] + "|" + cases["case_id"]
    assert (modes.reindex(case_key).to_numpy() == cases["transport_mode"].to_numpy()).all()


def test_corridors_are_realistic(accepted):
    places = reference.places()
    legs = accepted["route_legs"]
    src, dst = places.loc[legs["from_place"]], places.loc[legs["to_place"]]
    # Into the Darién jungle: from Colombia's Urabá coast (or Puerto Obaldía) into Panama.
    jungle = (dst["kind"].to_numpy() == "jungle_crossing") & (dst["country"].to_numpy() == "PAN")
    assert jungle.any()
    assert set(src["country"].to_numpy()[jungle]) <= {"COL", "PAN"}
    assert set(legs.loc[jungle, "reporting_country"]) <= {"PAN", "CRI", "NIC", "HND", "GTM",
                                                          "MEX", "USA"}
    darien = (src["corridor"].str.contains("darien").to_numpy()
              & dst["corridor"].str.contains("darien").to_numpy())
    assert set(src["country"].to_numpy()[darien]) <= {"COL", "PAN", "ECU", "VEN", "BRA"}
    # Sea legs: Caribbean coasts only, including the Mona Passage.
    sea = (legs["mode"] == "sea").to_numpy()
    assert sea.any()
    coast = {"COL", "PAN", "DOM", "PRI", "CUB", "USA"}
    assert set(src["country"].to_numpy()[sea]) | set(dst["country"].to_numpy()[sea]) <= coast
    coastal = (dst["kind"].eq("port").to_numpy() | src["kind"].eq("port").to_numpy()
               | dst["corridor"].str.contains("caribbean_sea").to_numpy())
    assert coastal[sea].all()
    assert (dst["country"].to_numpy()[sea] == "PRI").any()
    # Air legs: between airports or air hubs.
    air = (legs["mode"] == "air").to_numpy()
    assert air.any()
    for end in (src, dst):
        hub = (end["kind"].eq("airport") | end["corridor"].str.contains("air")).to_numpy()
        assert hub[air].all()


def test_cases_look_plausible(accepted):
    cases = accepted["cases"]
    usd = cases.loc[cases["fee_currency"] == "USD"]
    fees = usd.groupby("service_model")["fee_amount"].median()
    assert fees["package"] > 1.5 * fees["pay_as_you_go"]
    assert cases["migrants"].between(1, MAX_MIGRANTS).all()
    assert (cases["minors"] <= cases["migrants"]).all()
    assert cases.loc[cases["legal_outcome"] != "convicted", "sentence_years"].isna().all()
    assert cases.loc[cases["legal_outcome"] == "convicted", "sentence_years"].notna().all()
    outcomes = cases["legal_outcome"].value_counts()
    assert outcomes["investigated"] > outcomes["charged"] > outcomes["convicted"]
    assert (cases["associated_crimes"].isna()).mean() > 0.5
    fraud = cases["document_fraud"].ne("none").groupby(cases["transport_mode"]).mean()
    assert fraud["air"] > 3 * fraud["land"]
    by_mode = cases.groupby("transport_mode")["migrants"].median()
    assert by_mode["sea"] > by_mode["land"] > by_mode["air"] - 1
    volume = cases["reporting_country"].value_counts()
    assert volume.idxmax() == "MEX"
    assert volume[["BLZ", "NIC"]].max() < volume.drop(["BLZ", "NIC"]).min()
    local = {k: v[0] for k, v in LOCAL_CURRENCY.items()}
    currency_ok = [cur in ("USD", local.get(country, "USD")) for country, cur in
                   zip(cases["reporting_country"], cases["fee_currency"].fillna("USD"),
                       strict=True)]
    assert all(currency_ok)


def test_migrants_look_plausible(accepted):
    migrants, cases = accepted["migrants"], accepted["cases"]
    per_case = migrants.groupby(["reporting_country", "case_id"]).size()
    size = cases.set_index(["reporting_country", "case_id"])["migrants"]
    assert (per_case <= size.reindex(per_case.index)).all()
    nationalities = set(migrants["nationality"])
    assert {"HND", "GTM", "SLV", "VEN", "HTI", "CUB"} <= nationalities
    assert nationalities & set(EXTRA_CONTINENTAL)
    assert migrants["intended_destination"].value_counts().idxmax() == "USA"
    vulnerable = migrants["vulnerability"].notna().mean()
    assert 0.02 < vulnerable < 0.4
    adults = ~migrants["age_band"].isin(["0-11", "12-17"])
    assert migrants.loc[adults, "unaccompanied_child"].isna().all()
    assert migrants.loc[~adults, "unaccompanied_child"].any()


def test_incidents_look_plausible(accepted):
    incidents = accepted["incidents"]
    assert set(incidents["type"]) == {"death", "disappearance", "crime_against_migrants"}
    assert {"US-Mexico border crossing", "Darien Gap"} <= set(incidents["route"])
    assert (incidents["source"] == "synthetic").all()
    assert incidents["source_quality"].between(1, 5).all()
    known = incidents["females"].notna()
    total = incidents["dead"] + incidents["missing"]
    crimes = incidents["type"] == "crime_against_migrants"
    people = total.where(~crimes, incidents["survivors"])
    assert ((incidents["females"] + incidents["males"])[known] == people[known]).all()
    deaths = incidents["type"] == "death"
    assert (incidents.loc[deaths, "dead"] >= 1).all()
    assert (incidents.loc[incidents["type"] == "disappearance", "missing"] >= 1).all()


def test_illustrative_legislation_and_workplan(accepted):
    legislation, workplan = accepted["legislation"], accepted["workplan_status"]
    criteria = reference.criteria()
    assert len(legislation) == len(reference.CRM_MEMBERS) * len(criteria)
    assert (legislation["status"] == "illustrative").all()
    assert (legislation["reporting_country"] == legislation["country"]).all()
    numeric = criteria.index[criteria["value_type"] == "number"]
    values = legislation.loc[legislation["criterion_id"].isin(numeric), "value"]
    assert values.str.fullmatch(r"\d+").all()
    others = legislation.loc[~legislation["criterion_id"].isin(numeric), "value"]
    assert set(others) <= {"yes", "no", "partial"}
    actions = reference.workplan_actions()
    pairs = workplan.groupby(["country", "action_id"]).size()
    assert len(pairs) == len(reference.CRM_MEMBERS) * len(actions)
    assert pairs.between(1, 3).all()
    rank = {"not_started": 0, "in_progress": 1, "completed": 2, "not_applicable": 0}
    ordered = workplan.sort_values(["country", "action_id", "date"])
    steps = ordered["status"].map(rank).groupby([ordered["country"], ordered["action_id"]])
    assert steps.apply(lambda s: s.is_monotonic_increasing).all()


def test_every_route_place_is_in_the_gazetteer():
    geo = geography()  # raises on a missing place
    assert len(geo.stops) == len(ROUTES)
    countries = reference.countries().index
    for route in ROUTES:
        assert set(route.nationalities) <= set(countries), route.key
        assert route.destination in countries


def test_sizes_scale_linearly(small, tmp_path):
    _, counts = small
    half = generate(tmp_path / "half", scale=SMALL / 2, seed=2018)
    for name in ("cases", "migrants", "route_legs", "incidents", "actors", "links"):
        assert counts[name] / half[name] == pytest.approx(2, rel=0.12), name
    for name in ("legislation", "workplan_status"):
        assert abs(counts[name] - half[name]) < 0.1 * counts[name]


def test_scale_one_sizes_and_a_heavy_tailed_network(tmp_path):
    counts = generate(tmp_path / "one", scale=1, seed=2018)
    for name, target in BASE_ROWS.items():
        assert counts[name] == pytest.approx(target, rel=0.06), name
    assert counts["workplan_status"] == pytest.approx(11 * 39 * 2, rel=0.2)
    actors, links = _read(tmp_path / "one", "actors"), _read(tmp_path / "one", "links")
    ties = links[["source", "target"]].drop_duplicates()
    degree = pd.concat([ties["source"], ties["target"]]).value_counts()
    degree = degree.reindex(actors["actor_id"], fill_value=0)
    assert degree.min() >= 1  # no isolated actors
    assert degree.max() >= 5 * degree.median()
    assert degree.quantile(0.99) >= 3 * degree.median()
    hubs = actors.set_index("actor_id").loc[degree.nlargest(10).index, "role"]
    assert (hubs == "organizer").mean() >= 0.5
    cross_border = (links["source"].str[:3] != links["target"].str[:3]).mean()
    assert 0 < cross_border < 0.5
    relations = links["relation"].value_counts()
    assert relations.idxmax() == "communication"
    assert (pd.to_numeric(links["weight"]) > 0).all()
    assert set(np.unique(actors["route_stage"])) == set(STAGES)
