"""The official flows diagnostic, its report, the public snapshot and partial-data runs.

The breakdown rule (views of one total are never added) is checked on small tables made
here; the public snapshot in data/public/ is checked everywhere, and rebuilt byte for byte
where ../shared/realdata exists; the notebooks run on data folders that hold only some tables.
"""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import REALDATA

from analysis.core import i18n
from analysis.core.contract import TABLES
from analysis.data import ingest as ingestion
from analysis.data import public
from analysis.diagnostic import flows as diagnostic
from analysis.report import pdf
from analysis.report import runner as run
from analysis.report.figures import flows as figures

COLUMNS = TABLES["flows"].names


def flows_frame(rows: list[dict]) -> pd.DataFrame:
    base = {c: "" for c in COLUMNS} | {"unit": "persons", "source": "S", "source_table": "T"}
    frame = pd.DataFrame([base | r for r in rows])[COLUMNS]
    frame["count"] = frame["count"].astype("int64")
    return frame


def two_views() -> pd.DataFrame:
    """Darién-like: January and February, each month by nationality and by sex and age."""
    rows = []
    for period, (ven, hti, men, women, boys) in {"2023-01": (60, 40, 50, 30, 20),
                                                  "2023-02": (30, 10, 20, 10, 10)}.items():
        common = {"reporting_country": "PAN", "event": "irregular_transit", "period": period}
        rows += [common | {"breakdown": "nationality", "nationality": "VEN", "count": ven},
                 common | {"breakdown": "nationality", "nationality": "HTI", "count": hti},
                 common | {"breakdown": "sex_age", "sex": "male", "age_group": "adult",
                           "count": men},
                 common | {"breakdown": "sex_age", "sex": "female", "age_group": "adult",
                           "count": women},
                 common | {"breakdown": "sex_age", "sex": "male", "age_group": "child",
                           "count": boys}]
    return flows_frame(rows)


def test_breakdowns_are_never_added_together():
    flows = two_views()  # 100 people in January, 40 in February, each counted in two views
    assert list(diagnostic.monthly_by_stage(flows)["darien"]) == [100, 40]
    yearly = diagnostic.yearly_by_stage(flows)
    assert yearly.set_index("stage").loc["darien", "count"] == 140
    assert diagnostic.country_year(flows)["count"].tolist() == [140]
    young = diagnostic.children(flows).iloc[0]
    assert (young["total"], young["children"]) == (140, 30)
    assert diagnostic.top_nationalities(flows, diagnostic.STAGES[0])["count"].sum() == 140
    assert diagnostic.disagreements(flows).empty


def test_disagreeing_breakdowns_are_reported_with_both_totals():
    flows = two_views()
    flows.loc[flows.index[-1], "count"] = 11  # February by sex and age now adds up to 41
    found = diagnostic.disagreements(flows).iloc[0]
    assert {found["total_a"], found["total_b"]} == {140, 141}


def test_stages_are_compared_never_added():
    flows = pd.concat([two_views(), flows_frame([
        {"reporting_country": "MEX", "event": "irregular_stay", "unit": "events",
         "breakdown": "nationality", "nationality": "VEN", "period": "2023-01", "count": 70},
        {"reporting_country": "USA", "event": "apprehension", "unit": "events",
         "breakdown": "place_nationality_age", "period": "2023-01", "count": 5,
         "place": "Southwest Land Border: U.S. Border Patrol, Tucson Sector"},
        {"reporting_country": "USA", "event": "expulsion", "unit": "events",
         "breakdown": "place_nationality_age", "period": "2023-01", "count": 7,
         "place": "Southwest Land Border: U.S. Border Patrol, Tucson Sector"},
        {"reporting_country": "USA", "event": "apprehension", "unit": "events",
         "breakdown": "place_nationality_age", "period": "2023-01", "count": 1000,
         "place": "Northern Land Border: U.S. Border Patrol, Detroit Sector"}])],
        ignore_index=True)
    monthly = diagnostic.monthly_by_stage(flows)
    assert list(monthly.columns) == ["darien", "mexico", "us_border"]  # no total column
    assert monthly.loc["2023-01"].tolist() == [100, 70, 12]  # kinds of encounter added


def test_annual_figures_stay_out_of_monthly_series():
    flows = flows_frame([
        {"reporting_country": "PAN", "event": "irregular_transit", "breakdown": "nationality",
         "nationality": "CUB", "period": "2019", "count": 500},
        {"reporting_country": "PAN", "event": "irregular_transit", "breakdown": "nationality",
         "nationality": "CUB", "period": "2020-01", "count": 9}])
    assert list(diagnostic.monthly_by_stage(flows).index) == ["2020-01"]
    yearly = diagnostic.yearly_by_stage(flows).set_index("year")
    assert yearly.loc[2019, "count"] == 500 and yearly.loc[2019, "months"] == 12


def test_headline_gives_the_last_complete_year_of_each_stage_in_both_languages():
    assert figures.headline_lines(pd.DataFrame(columns=COLUMNS), "en") == []
    rows = [{"reporting_country": "HND", "event": "irregular_entry", "breakdown": "total",
             "period": f"{year}-{month:02d}", "count": 1000 * (year - 2020)}
            for year in (2022, 2023) for month in range(1, 13)]
    rows.append({"reporting_country": "HND", "event": "irregular_entry", "breakdown": "total",
                 "period": "2024-01", "count": 5})  # an incomplete year is not the headline
    flows = flows_frame(rows)
    english, spanish = (" ".join(figures.headline_lines(flows, lang)) for lang in ("en", "es"))
    assert "Honduras: 36,000 persons in 2023 (+50% on 2022)" in english
    assert "Honduras: 36,000 personas en 2023 (+50% respecto de 2022)" in spanish  # es_419


# --------------------------------------------------------------------------- the snapshot


def test_public_snapshot_ships_flows_and_incidents_with_provenance(tmp_path):
    for name in public.TABLE_FILES.values():
        sidecar = public.SNAPSHOT / f"{name}.provenance.yml"
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        assert meta["sha256"] == public._sha256(public.SNAPSHOT / name)
        assert meta["date"] and meta["sources"]
        assert all(len(s["sha256"]) == 64 and s["producer"] and s["licence"]
                   for s in meta["sources"])
    size = sum(p.stat().st_size for p in public.SNAPSHOT.iterdir())
    assert size < 1_000_000
    folder = public.prepare(public.SNAPSHOT, tmp_path / "public")
    data = ingestion.load(folder)
    assert not data.synthetic
    yearly = diagnostic.yearly_by_stage(data.flows).set_index(["stage", "year"])["count"]
    assert yearly[("darien", 2023)] == 520_085
    assert yearly[("honduras", 2023)] == 545_043
    assert yearly[("us_border", 2022)] == 2_579_026
    assert len(data.incidents) > 0


@pytest.mark.realdata
def test_public_snapshot_rebuilds_byte_for_byte(tmp_path):
    if not (REALDATA / public.FLOWS_DIR).is_dir():
        pytest.skip(f"the real public data folder {REALDATA} is absent")
    written = public.build(REALDATA, tmp_path)
    assert written
    for path in written:
        shipped = public.SNAPSHOT / path.name
        assert shipped.read_bytes() == path.read_bytes(), path.name
    with gzip.open(tmp_path / "flows.csv.gz", "rt", encoding="utf-8") as handle:
        assert handle.readline().strip() == ",".join(COLUMNS)


# --------------------------------------------------------------------------- partial runs


def _text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.slow
def test_every_notebook_runs_on_a_flows_only_folder(tmp_path, monkeypatch):
    # the briefs are not printed: a PDF that fails leaves the run's status as it is, so here
    # it would only cost time (the printed briefs are checked on the demo builds: test_pdf)
    monkeypatch.setenv(pdf.CHROMIUM_ENV, "")
    folder = public.prepare(public.SNAPSHOT, tmp_path / "public")
    for country in folder.iterdir():
        if country.is_dir():
            (country / "incidents.csv").unlink(missing_ok=True)
    config = run.load_config(None, data=str(folder), out=str(tmp_path / "out"), lang="en",
                             jobs=1, name="flows_only")
    assert run.run(config, echo=lambda *a: None) == 0
    out = tmp_path / "out"
    flows_page = _text(out / "html" / "15_flows.html")
    for number in (520_085, 545_043, 2_579_026, 1_231_320, 1_230_126):
        assert i18n.fmt_number(number, "en") in flows_page
    assert i18n.t("common.no_data", "en") in _text(out / "html" / "10_routes.html")
    assert "520,085" in _text(out / "html" / "70_country_brief_PAN.html")
    assert "545,043" in _text(out / "html" / "70_country_brief_HND.html")
    assert "2,579,026" in _text(out / "html" / "70_country_brief_USA.html")
    pages = sorted((out / "html").glob("*.html"))
    assert len(pages) == 14  # 9 reports and 5 country briefs, each citing its sources
    for page in pages:
        text = _text(page)
        assert "Servicio Nacional de Migración" in text, page.name
        assert i18n.t("common.synthetic_banner", "en") not in text
    index = _text(out / "index.html")  # the last complete year of each stage: 2024
    for number in (302_203, 374_971, 1_231_320, 1_646_243):
        assert i18n.fmt_number(number, "en") in index


@pytest.mark.slow
def test_the_flows_report_says_so_on_a_folder_without_flows(small_folder, tmp_path):
    for lang in ("es", "en"):
        config = run.load_config(None, data=str(small_folder), out=str(tmp_path / lang),
                                 lang=lang, jobs=1, name="no_flows",
                                 notebooks=["15_flows"])
        assert run.run(config, echo=lambda *a: None) == 0
        page = _text(tmp_path / lang / "html" / "15_flows.html")
        assert i18n.t("flows.no_flows", lang) in page


@pytest.mark.slow
def test_every_notebook_runs_on_an_incidents_only_folder(tmp_path):
    folder = public.prepare(public.SNAPSHOT, tmp_path / "public")
    for country in folder.iterdir():
        if country.is_dir():
            (country / "flows.csv").unlink(missing_ok=True)
            if not (country / "incidents.csv").is_file():
                shutil.rmtree(country)
    config = run.load_config(None, data=str(folder), out=str(tmp_path / "out"), lang="es",
                             jobs=1, name="incidents_only")
    assert run.run(config, echo=lambda *a: None) == 0
    pages = {p.stem: _text(p) for p in (tmp_path / "out" / "html").glob("*.html")}
    assert i18n.t("flows.no_flows", "es") in pages["15_flows"]
    assert "Missing Migrants" in pages["10_routes"]
    assert not any(name.startswith("70_country_brief") for name in pages)  # no cases, no flows
