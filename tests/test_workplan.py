"""Work Plan follow-up: latest status, progress, timeline, overlaps, evidence map, notebook."""

from __future__ import annotations

import hashlib
import json
import math

import pandas as pd
import pytest
import yaml
from conftest import notebook_of_build, outputs_html, run_notebook, use_demo_cache

from analysis.core import i18n, paths
from analysis.diagnostic import workplan
from analysis.report import matrices
from analysis.report.figures import workplan as workplan_figures

NOTEBOOK = paths.NOTEBOOKS / "60_workplan.ipynb"


def reports(rows: list[tuple]) -> pd.DataFrame:
    """workplan_status rows from (reporting_country, country, action_id, status, date)."""
    frame = pd.DataFrame(rows, columns=["reporting_country", "country", "action_id", "status",
                                        "date"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["evidence"] = "informe"
    return frame


STATUS = reports([
    ("GTM", "GTM", "1.1", "not_started", "2019-03-01"),
    ("GTM", "GTM", "1.1", "in_progress", "2020-06-01"),
    ("GTM", "GTM", "1.1", "completed", "2022-02-01"),
    ("GTM", "GTM", "1.2", "in_progress", "2021-05-01"),
    ("GTM", "GTM", "1.2", "completed", "2021-05-01"),  # same date: completed wins
    ("GTM", "GTM", "2.1", "not_applicable", "2019-05-01"),
    ("MEX", "MEX", "1.1", "completed", "2019-09-01"),
    ("MEX", "GTM", "1.3", "completed", "2019-09-01"),  # about another country: not used
])


# status -----------------------------------------------------------------------------------
def test_latest_status_per_country_and_action():
    latest = workplan.latest_status(workplan.own_reports(STATUS)).set_index(
        ["country", "action_id"])["status"]
    assert latest.to_dict() == {("GTM", "1.1"): "completed", ("GTM", "1.2"): "completed",
                                ("GTM", "2.1"): "not_applicable", ("MEX", "1.1"): "completed"}
    earlier = workplan.latest_status(STATUS, as_of="2020-12-31").set_index(
        ["country", "action_id"])["status"]
    assert earlier[("GTM", "1.1")] == "in_progress" and ("GTM", "1.2") not in earlier


def test_latest_status_does_not_depend_on_row_order():
    shuffled = STATUS.sample(frac=1, random_state=5)
    assert workplan.latest_status(shuffled).equals(workplan.latest_status(STATUS))


def test_grid_and_progress_by_hand():
    latest = workplan.latest_status(workplan.own_reports(STATUS))
    grid = workplan.status_grid(latest, ["GTM", "MEX", "BLZ"])
    assert len(grid) == 3 * 39
    assert (grid.loc[grid["country"] == "BLZ", "status"] == workplan.NO_REPORT).all()
    by_country = workplan.progress(grid, "country")
    assert list(by_country.index) == ["GTM", "MEX", "BLZ"]
    assert by_country.loc["GTM", "completed"] == 2
    assert by_country.loc["GTM", "not_applicable"] == 1
    assert by_country.loc["GTM", "no_report"] == 36
    assert by_country.loc["GTM", "share_completed"] == 1.0  # 2 of 2 applicable reported
    assert math.isnan(by_country.loc["BLZ", "share_completed"])
    by_axis = workplan.progress(grid, "axis")
    assert by_axis.loc[1, "completed"] == 3 and by_axis.loc[1, "total"] == 3 * 11
    assert by_axis.loc[2, "not_applicable"] == 1 and by_axis["total"].sum() == 3 * 39


def test_plan_years():
    assert workplan.plan_years(STATUS) == [2019, 2020, 2021, 2022, 2023]
    assert workplan.plan_years(STATUS[STATUS["date"] >= "2021-01-01"]) == list(range(2021, 2026))
    assert workplan.plan_years(STATUS.iloc[0:0]) == list(range(2019, 2024))


def test_timeline_by_hand():
    own = workplan.own_reports(STATUS)
    steps = workplan.timeline(own, ["GTM", "MEX", "BLZ"], [2019, 2020, 2021, 2022])
    axis1 = steps[steps["axis"] == 1].set_index("year")
    # 2019: GTM 1.1 not started, MEX 1.1 completed → 1 of 2; 2021: GTM 1.2 completed too
    assert axis1.loc[2019, ["completed", "applicable"]].tolist() == [1, 2]
    assert axis1.loc[2020, ["completed", "in_progress"]].tolist() == [1, 1]
    assert axis1.loc[2021, "share_completed"] == pytest.approx(2 / 3)
    assert axis1.loc[2022, "share_completed"] == 1.0
    axis2 = steps[steps["axis"] == 2].set_index("year")
    assert (axis2["applicable"] == 0).all()  # GTM 2.1 is not applicable
    assert axis2["share_completed"].isna().all()


# overlaps ---------------------------------------------------------------------------------
def test_overlap_groups_follow_the_comments():
    groups = workplan.overlap_groups()
    group_of = {a: g for g, members in zip(groups["group"], groups["actions"], strict=True)
                for a in members}
    assert group_of["2.7"] == group_of["1.9"] == group_of["4.1"]  # 2.7 duplicates 1.9
    assert group_of["4.7"] == group_of["4.8"] == group_of["4.6"]
    assert group_of["4.3"] == group_of["4.2"]
    assert group_of["2.1"] == group_of["1.2"] == group_of["3.3"] == group_of["3.1"]
    assert "1.1" not in group_of  # no comment links it to another action
    largest = groups.iloc[0]
    assert largest["hub"] == "1.2"  # the protocol most comments point to
    assert sum(len(m) for m in groups["actions"]) == len(group_of)
    notes = " ".join(groups.loc[groups["hub"] == "1.9", "notes_en"].iloc[0])
    assert "duplicates" in notes


def test_overlap_graph_has_one_edge_per_comment_pair():
    actions = workplan.actions()
    pairs = {frozenset((a, b)) for a, listed in zip(actions["action_id"],
                                                    actions["overlaps_with"], strict=True)
             for b in listed.split(";") if b}
    graph = workplan.overlap_graph()
    assert {frozenset(e) for e in graph.edges} == pairs
    assert {graph.nodes[n]["axis"] for n in graph.nodes} <= {1, 2, 3, 4}
    positions = workplan_figures.overlap_layout(graph)
    assert set(positions) == set(graph.nodes)
    assert positions == workplan_figures.overlap_layout(graph)  # deterministic


# evidence ---------------------------------------------------------------------------------
def test_evidence_map_covers_all_actions_with_known_sections():
    evidence = workplan.evidence_map()
    assert sorted(evidence["action_id"]) == sorted(workplan.actions()["action_id"])
    assert evidence["action_id"].is_unique and len(evidence) == 39
    for sections in evidence["sections"]:
        assert sections and set(sections) <= set(workplan.SECTIONS)
        assert len(sections) == len(set(sections))
    by_action = dict(zip(evidence["action_id"], evidence["sections"], strict=True))
    assert {"routes", "profiles", "modus_operandi", "networks"} <= set(by_action["1.6"])
    for action in ("1.9", "2.7", "4.1"):
        assert "legislation" in by_action[action]
    assert "networks" in by_action["1.10"] and "networks" in by_action["2.6"]
    assert "data_quality" in by_action["1.5"]


def test_evidence_map_has_provenance():
    data = paths.REFERENCE / "workplan_evidence.csv"
    sidecar = yaml.safe_load(data.with_name(data.name + ".provenance.yml").read_text())
    assert {"title", "origin", "method", "licence", "date", "sha256"} <= set(sidecar)
    assert sidecar["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()


def test_evidence_html_links_to_the_reports_side_by_side_and_escapes(monkeypatch):
    planted = workplan.actions()
    planted.loc[0, "title_en"] = "<script>alert(1)</script>"
    monkeypatch.setattr(workplan, "actions", lambda: planted)
    grid = workplan.status_grid(workplan.latest_status(STATUS), ["GTM"])
    page = matrices.workplan_evidence(grid, "en", table_id="A6.6")
    assert "<script>" not in page and "&lt;script&gt;" in page
    for target in matrices.REPORT_PAGES.values():
        assert f'href="{target}"' in page
    assert "href=\"/" not in page and "http" not in page
    status_page = matrices.workplan_status_matrix(grid, "en")
    assert "<script>" not in status_page and "&lt;script&gt;" in status_page


def test_report_pages_match_the_notebooks():
    """Every page a Work Plan link points to is the page a run writes for a notebook that
    exists, titled by the section it stands for; every section of the evidence map has one."""
    from analysis.report import runner

    jobs = runner.plan(runner.RunConfig(data="", per_country=[]), countries=[])
    written = {f"{job.key}.html": job.notebook for job in jobs}  # html/<key>.html, beside it
    for section, page in matrices.REPORT_PAGES.items():
        assert page in written, f"no notebook writes {page}"
        notebook = written[page]
        assert notebook.is_file() and notebook.parent == paths.NOTEBOOKS
        assert notebook.stem.split("_", 1)[1] == section  # the page's title is the section's
        assert f"run.report_{section}" in i18n.catalog()
    sections = {s for listed in workplan.evidence_map()["sections"] for s in listed}
    assert sections <= set(matrices.REPORT_PAGES), sections - set(matrices.REPORT_PAGES)


# notebook ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_state(tmp_path_factory, demo_report_es):
    """One clean cache of the demo data for this module's notebook runs (the shared build's)."""
    state = tmp_path_factory.mktemp("demo_state")
    use_demo_cache(demo_report_es, state)
    return state


@pytest.fixture
def run(tmp_path, monkeypatch, demo_state):
    monkeypatch.setenv(paths.STATE_ENV, str(demo_state))
    return lambda **parameters: _run(tmp_path, **parameters)


def _run(tmp_path, **parameters):
    if not any(paths.DEMO.glob("*")):
        pytest.skip(f"the demo data folder {paths.DEMO} is empty")
    out = tmp_path / "out"
    return run_notebook("60_workplan", out, **parameters), out


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["es", "en"])
def test_notebook_runs_on_the_demo_data(demo_reports, tmp_path, lang):
    out = tmp_path / "out"  # the notebook as the shared demo build of `lang` ran it
    notebook = notebook_of_build(demo_reports(lang), "60_workplan", out)
    html = outputs_html(notebook)
    assert 'href="50_legislation.html"' in html and "<script>" not in html
    entries = json.loads((out / "annex" / "60_workplan.json").read_text())
    keys = {e["key"] for e in entries}
    assert {"overlaps", "evidence", "progress_axis", "progress_country", "timeline"} <= keys


@pytest.mark.slow
def test_notebook_runs_when_the_period_leaves_nothing(run):
    notebook, _ = run(lang="en", period="1990:1991")
    assert 'href="40_networks.html"' in outputs_html(notebook)


OVERLAP_FIGURE = """
import hashlib, sys
from pathlib import Path
from analysis.diagnostic import workplan
from analysis.report.annex import Annex
from analysis.report.figures import workplan as figures
annex = Annex(Path(sys.argv[1]), "60_workplan", 6, "en", "source", "2024-01-01", 5)
annex.save_figure(figures.overlaps(workplan.overlap_graph(), "en"), "overlaps", "caption")
for path in sorted(Path(sys.argv[1], "figures").iterdir()):
    print(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
"""


@pytest.mark.slow
def test_overlap_figure_files_are_byte_identical_across_processes(tmp_path):
    """Set order is hash-seeded per process: the figure must not depend on it."""
    import os
    import subprocess
    import sys

    digests = []
    for seed in ("1", "2", "3"):
        out = tmp_path / seed
        result = subprocess.run([sys.executable, "-c", OVERLAP_FIGURE, str(out)],
                                env={**os.environ, "PYTHONHASHSEED": seed},
                                capture_output=True, text=True, check=True)
        digests.append(result.stdout)
    assert len(digests[0].splitlines()) == 3  # PNG, SVG, PDF
    assert digests[0] == digests[1] == digests[2]


def test_overlap_layout_does_not_depend_on_insertion_order():
    graph = workplan.overlap_graph()
    shuffled = type(graph)()
    shuffled.add_nodes_from(sorted(graph.nodes(data=True), reverse=True))
    shuffled.add_edges_from(sorted(graph.edges, reverse=True))
    assert workplan_figures.overlap_layout(shuffled) == workplan_figures.overlap_layout(graph)
