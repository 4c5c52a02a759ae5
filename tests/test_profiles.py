"""Profiles of smuggled persons, on small hand-made tables with known answers; and the
notebook 30_profiles run on the demo data, checked for small-cell suppression."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import notebook_of_build, outputs_html, run_notebook
from test_modus import check_narrow_filter, demo, incidents_only, suppression_problems

from analysis.diagnostic import profiles

__all__ = ["demo"]  # the fixture, shared with test_modus


def migrants() -> pd.DataFrame:
    return pd.DataFrame({
        "reporting_country": ["GTM"] * 6 + ["MEX"] * 4,
        "person_id": [f"P{i}" for i in range(10)],
        "case_id": ["C1", "C1", "C2", "C2", "C2", None, "C1", "C1", "C9", "C3"],
        "nationality": ["HND", "HND", "GTM", "VEN", "HND", "CUB", "HND", "ECU", "HND", "VEN"],
        "sex": ["female", "male", "male", "female", "unknown", "male", "female", "female",
                "male", "male"],
        "age_band": ["12-17", "18-29", "18-29", "30-44", "18-29", "0-11", "unknown", "12-17",
                     "45-59", "18-29"],
        "unaccompanied_child": pd.array([True, False, False, None, False, False, None, True,
                                         False, False], dtype="boolean"),
        "separated_child": pd.array([False, False, False, None, False, True, None, False,
                                     False, False], dtype="boolean"),
        "vulnerability": ["unaccompanied_separated_child;crime_victim_in_transit", None, None,
                          "women_gbv_pregnant", "extracontinental", None, None,
                          "unaccompanied_separated_child", None, "extracontinental"],
    })


def test_pyramid_counts_by_sex_and_age_band():
    table = profiles.pyramid(migrants())
    assert list(table.columns) == ["female", "male"]
    assert list(table.index) == ["0-11", "12-17", "18-29", "30-44", "45-59", "60+"]
    assert table.loc["12-17"].tolist() == [2, 0]
    assert table.loc["18-29"].tolist() == [0, 3]
    assert table.loc["0-11"].tolist() == [0, 1]
    assert table.loc["60+"].tolist() == [0, 0]
    assert int(table.to_numpy().sum()) == 8
    assert profiles.pyramid_left_out(migrants()) == 2  # unknown sex, unknown age band


def test_children_unaccompanied_and_separated_by_country():
    table = profiles.children(migrants())
    assert table.loc["GTM"].to_dict() == {"children": 2, "unaccompanied": 1, "separated": 1}
    assert table.loc["MEX"].to_dict() == {"children": 1, "unaccompanied": 1, "separated": 0}


def test_vulnerable_groups_are_multi_valued_and_keep_the_whole_list():
    overall = profiles.vulnerability(migrants())
    assert len(overall) == 7  # every CRM group, even those with nobody
    assert overall["unaccompanied_separated_child"] == 2
    assert overall["extracontinental"] == 2
    assert overall["trafficking_victim"] == 0
    by_country = profiles.vulnerability(migrants(), "reporting_country")
    assert by_country.loc["GTM", "crime_victim_in_transit"] == 1
    assert by_country.loc["MEX"].sum() == 2


def test_year_comes_from_the_case():
    cases = pd.DataFrame({"reporting_country": ["GTM", "GTM", "MEX"],
                          "case_id": ["C1", "C2", "C1"],
                          "date": pd.to_datetime(["2020-05-01", "2022-01-01", "2023-03-01"])})
    dated = profiles.with_year(migrants(), cases)
    assert dated["year"].tolist()[:6] == [2020, 2020, 2022, 2022, 2022, pd.NA]
    assert dated["year"].iloc[6] == 2023  # MEX/C1 is not GTM/C1
    assert dated["year"].iloc[8:].isna().all()  # unknown cases
    by_year = profiles.by_group(dated, "sex", "year", ("female", "male", "unknown"))
    assert by_year.loc[2022].tolist() == [1, 1, 1]


def test_nationalities_keep_the_top_and_group_the_rest():
    table = profiles.nationalities(migrants(), top=2)
    assert list(table.index) == ["HND", "VEN", "_other"]
    assert table.loc["HND"].tolist() == [3, 2]
    assert table.loc["_other"].tolist() == [2, 1]
    everyone = profiles.nationalities(migrants(), top=10)
    assert "_other" not in everyone.index and int(everyone.to_numpy().sum()) == 10


def test_profiles_survive_empty_tables():
    empty = migrants().iloc[:0]
    assert int(profiles.pyramid(empty).to_numpy().sum()) == 0
    assert profiles.children(empty).empty
    assert profiles.vulnerability(empty).sum() == 0
    assert profiles.with_year(empty, pd.DataFrame(columns=["reporting_country", "case_id",
                                                           "date"])).empty


@pytest.mark.slow
def test_profiles_notebook_tables_respect_suppression(demo, demo_report_es, tmp_path):
    executed = notebook_of_build(demo_report_es, "30_profiles", tmp_path)  # as make report
    checked, problems = suppression_problems(tmp_path, 5)
    assert checked >= 15 and not problems, problems
    assert list((tmp_path / "figures").glob("A3.*_pyramid.png"))
    assert 'class="notice"' not in outputs_html(executed)


@pytest.mark.slow
def test_profiles_notebook_without_persons_says_so(tmp_path):
    folder = incidents_only(tmp_path / "data")
    executed = run_notebook("30_profiles", tmp_path / "out", data_dir=str(folder), lang="es")
    html = outputs_html(executed)
    assert html.count('class="notice"') == html.count("<h2")
    assert not list((tmp_path / "out").glob("tables/*.csv"))


@pytest.mark.slow
def test_profiles_notebook_on_a_narrow_filter(demo, tmp_path):
    check_narrow_filter("30_profiles", demo, tmp_path, "en")
