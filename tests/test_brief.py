"""The country brief: its helpers and the notebook for a large and a small country."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import run_notebook, small_tables, write_folder

from analysis import brief, io


def test_key_figures_and_network_of_a_small_folder(small_folder):
    data = io.load(small_folder)
    figures = brief.key_figures(data)
    assert figures.to_dict() == {"cases": 3, "migrants": 16, "minors": 2,
                                 "smugglers_detained": 0, "dead_missing": 2}
    summary = brief.network_summary(data)
    assert summary["nodes"] == 3 and summary["edges"] == 2
    assert summary["cross_border_share"] == pytest.approx(0.5)  # A1 (GTM) – A3 (MEX)


def test_empty_tables_give_empty_sections(tmp_path):
    tables = small_tables()
    for name in ("route_legs", "actors", "links"):
        tables[name] = tables[name].iloc[:0]
    tables["migrants"] = tables["migrants"].iloc[:0]
    data = io.load(write_folder(tmp_path / "data", tables))
    assert brief.top_corridors(data).empty
    assert brief.network_summary(data) == {}
    progress = brief.workplan_progress(data, "GTM")
    assert progress["total"].sum() == 39  # every action, reported or not


@pytest.mark.slow
@pytest.mark.parametrize(("country", "lang"), [("GTM", "es"), ("BLZ", "en")])
def test_brief_notebook(tmp_path, monkeypatch, country, lang):
    monkeypatch.setenv("ANALYSIS_STATE_DIR", str(tmp_path / "state"))
    out = tmp_path / "out"
    run_notebook("70_country_brief", out, country=country, lang=lang)
    entries = json.loads((out / "annex" / f"70_country_brief_{country}.json").read_text())
    assert entries and all(e["country"] == country for e in entries)
    for entry in entries:
        if entry["key"] in ("key_figures", "corridors", "nationalities"):
            table = pd.read_csv(out / entry["files"][0], dtype=str)
            numbers = pd.to_numeric(table.iloc[:, 1:].stack(), errors="coerce").dropna()
            assert not numbers.between(1, 4).any(), entry["key"]
