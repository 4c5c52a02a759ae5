"""The network report, on the demo data and on the CAVIAR network."""

from __future__ import annotations

import glob
import json

import networkx as nx
import pandas as pd
import pytest
from conftest import notebook_of_build, outputs_html, run_notebook

from analysis.core import paths, privacy
from analysis.report import network_report

pytestmark = pytest.mark.slow


def test_on_the_demo_data_without_raw_identifiers(demo_report_es, tmp_path):
    executed = notebook_of_build(demo_report_es, "40_networks", tmp_path / "out")  # defaults
    entries = json.loads((tmp_path / "out" / "annex" / "40_networks.json").read_text())
    keys = {e["key"] for e in entries}
    assert {"network_summary", "top_actors", "network_by_role", "brokers", "geo_network",
            "disruption", "key_players", "cross_border_ties"} <= keys
    raw = set(pd.concat(pd.read_csv(f, dtype=str) for f in
                        glob.glob(str(paths.DEMO / "*" / "actors.csv")))["actor_id"])
    published = outputs_html(executed) + "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "tables").glob("*.csv"))
    assert not [a for a in raw if a in published]
    # the diagnostic's own network, for Gephi, with what the report shows of each actor
    gexf = nx.read_gexf(tmp_path / "out" / "networks" / "40_networks.gexf")
    node = next(iter(gexf.nodes.values()))
    assert {"label", "role", "country", "community", "degree", "betweenness"} <= set(node)
    assert not [a for a in raw if a in gexf]


def test_on_caviar(realdata, tmp_path):
    caviar = realdata / "caviar"
    executed = run_notebook("40_networks", tmp_path / "out", lang="en",
                            links_path=str(caviar / "caviar_aggregate_matrix.csv"),
                            phases_dir=str(caviar), labels="public")
    html = outputs_html(executed)
    assert "synthetic-banner" not in html
    assert "Reading: directed network (the matrix is not symmetric" in html
    assert "Paths follow the arcs" in html and "Strongly connected components" in html
    gexf = nx.read_gexf(tmp_path / "out" / "networks" / "40_networks.gexf")
    assert gexf.number_of_nodes() == 110 and gexf.number_of_edges() == 295
    tables = {p.name: p for p in (tmp_path / "out" / "tables").glob("*.csv")}
    top = pd.read_csv(next(p for n, p in tables.items() if "top_actors" in n), dtype=str)
    assert top.iloc[0, 0] == "1"  # N1, the main coordinator, first by betweenness
    phases = network_report.phase_centralization(caviar, public_labels=True)
    assert list(phases["phase"]) == list(range(1, 12))
    assert phases["centralization"].between(0, 1).all()


def test_an_external_file_is_pseudonymized_unless_public(realdata, tmp_path, monkeypatch):
    monkeypatch.setenv(privacy.KEY_ENV, "a key for this test")
    executed = run_notebook("40_networks", tmp_path / "out", lang="es",
                            links_path=str(realdata / "caviar" / "caviar_aggregate_matrix.csv"))
    assert "Etiquetas: seudónimos con clave" in outputs_html(executed)
    top = pd.read_csv(next((tmp_path / "out" / "tables").glob("*top_actors*.csv")), dtype=str)
    assert top.iloc[0, 0] == privacy.pseudonym("1", b"a key for this test", "A")
