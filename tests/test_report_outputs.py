"""What a run publishes: numbered annex, catalogue, workbook, translations, determinism."""

from __future__ import annotations

import filecmp
import html
import json
import re

import pandas as pd
import pytest
from conftest import notebook_of_build, use_demo_cache
from openpyxl import load_workbook
from PIL import Image

from analysis.core import i18n, paths, reference
from analysis.core.contract import TABLES
from analysis.report import pdf
from analysis.report.cli import main

pytestmark = pytest.mark.slow

SUBSET = "00_data_quality,10_routes,20_modus_operandi,30_profiles,80_methodology"


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<img[^>]*>', " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def untranslated(text: str) -> list[str]:
    """Catalog keys, code-list codes and unfilled placeholders left in the text."""
    keys = {k for k in i18n.catalog() if k in text}
    codes = reference.codelists()
    names = set(codes["code"]) | set(TABLES)
    raw_codes = {c for c in names if "_" in c and re.search(rf"\b{re.escape(c)}\b", text)}
    placeholders = set(re.findall(r"\{[a-z_]+\}", text))
    missing = set(re.findall(r"(?<![\w.])(NaN|nan|None|<NA>)(?![\w.])", text))
    return sorted(keys | raw_codes | placeholders | missing)


def test_every_report_is_fully_translated(demo_report):
    for page in [demo_report / "index.html", *sorted((demo_report / "html").glob("*.html"))]:
        assert untranslated(visible_text(page.read_text(encoding="utf-8"))) == [], page.name


def test_annex_is_numbered_and_catalogued(demo_report):
    catalogue = pd.read_csv(demo_report / "figures.csv")
    assert len(catalogue) >= 20
    assert catalogue["number"].str.match(r"^A\d\.\d+$").all()
    assert not catalogue.duplicated(["number", "country"]).any()
    assert catalogue["label"].str.startswith("Figure A").all()
    for files in catalogue["files"]:
        names = files.split()
        assert sorted(n.rsplit(".", 1)[1] for n in names) == ["pdf", "png", "svg"]
        for name in names:
            assert (demo_report / name).stat().st_size > 0
    assert "synthetic" in catalogue["source"].iloc[0].lower()


def test_figures_are_300_dpi(demo_report):
    png = next((demo_report / "figures").glob("*.png"))
    dpi = Image.open(png).info["dpi"]
    assert round(dpi[0]) == 300


def test_workbook_has_one_sheet_per_table_with_the_same_numbers(demo_report):
    book = load_workbook(demo_report / "tables.xlsx")
    tables = sorted((demo_report / "tables").glob("*.csv"))
    assert len(book.sheetnames) == len(tables) + 1  # plus the index
    first = book[book.sheetnames[1]]
    assert str(first["A1"].value).startswith("Table A")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"


def test_two_runs_give_identical_tables_and_figures(tmp_path, monkeypatch, demo_report_es):
    """Also nothing leaks from one notebook to the next in a kept kernel: the first run puts
    every notebook of SUBSET, the network report and every country brief in one kernel, in
    reverse order, with hash seed 1; the second, the shared Spanish demo build (the same
    parameters: config/demo.yml), shares every notebook out over two kernels that draw their
    own hash seed. The files of the first run's jobs are compared: tables, every figure
    (PNG, SVG and PDF), the exported networks and the briefs' PDF."""
    monkeypatch.setenv(paths.STATE_ENV, str(tmp_path / "state"))
    monkeypatch.setenv("PYTHONHASHSEED", "1")  # the first run's kernel; the build's draw theirs
    use_demo_cache(demo_report_es)
    notebooks = [*SUBSET.split(","), "40_networks", "70_country_brief"]
    outs = [tmp_path / "run1", tmp_path / "run2"]
    assert main(["run", "--config", "config/demo.yml", "--out", str(outs[0]), "--notebooks",
                 ",".join(notebooks[::-1]), "--jobs", "1", "--name", "det1"]) == 0
    manifest = json.loads((outs[0] / "manifest.json").read_text(encoding="utf-8"))
    keys = [job["key"] for job in manifest["notebooks"]]
    assert len(keys) > len(notebooks)  # a brief for every country of the demo
    for key in keys:
        notebook_of_build(demo_report_es, key, outs[1])
    printed = ("pdf",) if pdf.chromium() else ()  # the briefs' PDF, where Chromium prints
    for folder in ("figures", "tables", "networks", *printed):
        first = sorted(p.name for p in (outs[0] / folder).iterdir())
        assert first == sorted(p.name for p in (outs[1] / folder).iterdir())
        match, mismatch, errors = filecmp.cmpfiles(outs[0] / folder, outs[1] / folder, first,
                                                   shallow=False)
        assert mismatch == [] and errors == [], (folder, mismatch, errors)
        assert len(match) == len(first) > 0
    network_figures = [n for n in (outs[0] / "figures").iterdir() if n.name.startswith("A4.")]
    assert len(network_figures) >= 15  # PNG, SVG and PDF of every network figure
    assert sorted(p.name for p in (outs[0] / "networks").iterdir()) == [
        "40_networks.gexf", "40_networks.graphml"]
    for page in sorted((outs[0] / "html").glob("*.html")):  # the Spanish edition, translated
        assert untranslated(visible_text(page.read_text(encoding="utf-8"))) == [], page.name
    spanish = visible_text((outs[0] / "html" / "20_modus_operandi.html").read_text(
        encoding="utf-8"))
    assert re.search(r"\d,\d{3}", spanish)  # 1,234 in Spanish (es_419, the default)


def test_every_id_in_every_page_is_unique(demo_report):
    ident = re.compile(r'\sid="([^"]*)"')
    pages = [*demo_report.glob("*.html"), *sorted((demo_report / "html").rglob("*.html"))]
    assert len(pages) > 3
    for page in pages:
        ids = ident.findall(page.read_text(encoding="utf-8"))
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert not repeated, f"{page.name} repeats the ids {repeated}"
        links = set(re.findall(r'href="#([^"]+)"', page.read_text(encoding="utf-8")))
        assert links <= set(ids), f"{page.name} links to missing ids {links - set(ids)}"
