"""Incremental rebuilds: a rerun reuses the jobs whose key did not change, reruns the others,
and leaves the same files as a clean build."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from test_run import GOOD, notebooks, write_notebook  # noqa: F401 - the fixture is used

from analysis.core import i18n, paths, reference
from analysis.data import ingest
from analysis.report import kernels, rebuild
from analysis.report import runner as run_module
from analysis.report.cli import main

BRIEFS = ["--notebooks", "00_data_quality,70_country_brief", "--countries", "GTM,HND",
          "--lang", "en"]
PUBLISHED = ("figures", "tables", "annex", "html")


def run(data, out, *extra, capsys=None) -> tuple[int, dict[str, str], str]:
    """Run the CLI; the exit code, each job's status in the manifest, the progress lines."""
    code = main(["run", "--data", str(data), "--out", str(out), *extra])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    printed = capsys.readouterr().out if capsys else ""
    return code, {j["key"]: j["status"] for j in manifest["notebooks"]}, printed


def published(out) -> dict[str, bytes]:
    """Every published file of a run (not the manifest, which holds timings), by path."""
    files = {p.relative_to(out).as_posix(): p.read_bytes()
             for folder in PUBLISHED for p in (out / folder).rglob("*") if p.is_file()}
    for name in ("figures.csv", "figures.html", "tables.xlsx"):
        files[name] = (out / name).read_bytes()
    return files


def edit_cases(data, country: str, touching: str, through: bool) -> None:
    """Add one migrant to a case of `country` whose route does (`through`) or does not pass
    through the country `touching`."""
    places = reference.places()["country"]
    legs = pd.read_csv(data / country / "route_legs.csv", dtype=str, keep_default_na=False)
    passes = (legs["from_place"].map(places).eq(touching)
              | legs["to_place"].map(places).eq(touching)).groupby(legs["case_id"]).any()
    path = data / country / "cases.csv"
    cases = pd.read_csv(path, dtype=str, keep_default_na=False)
    chosen = passes.index[passes == through]
    row = cases.index[cases["case_id"].isin(chosen)][0]
    cases.loc[row, "migrants"] = str(int(cases.loc[row, "migrants"]) + 1)
    cases.to_csv(path, index=False)


@pytest.mark.slow
def test_warm_rerun_reuses_every_job_force_rebuilds_and_data_reruns_what_reads_it(
        demo_copy, tmp_path, monkeypatch, capsys):
    """One cold run, then reruns of it: unchanged (every job reused), forced (every job
    rebuilt, the same bytes), and after one country's data changed (only what reads it).
    The cold run's kernels start and import while the data are read; the forced run's
    start with their first notebook: the files are the same bytes either way."""
    out = tmp_path / "out"
    code, cold, _ = run(demo_copy, out, *BRIEFS, capsys=capsys)
    assert code == 0 and set(cold.values()) == {"ok"} and len(cold) == 3
    keys = {j["key"]: j["key_hash"] for j in json.loads(
        (out / "manifest.json").read_text(encoding="utf-8"))["notebooks"]}
    before = published(out)
    assert any(f.startswith("figures/") for f in before)

    code, warm, printed = run(demo_copy, out, *BRIEFS, capsys=capsys)
    assert code == 0 and warm == dict.fromkeys(cold, "reused")
    assert printed.count(i18n.t("run.status_reused", "en")) == 3
    assert published(out) == before
    records = {p.stem for p in (out / rebuild.RECORDS).glob("*.json")}
    assert records == set(cold)

    with monkeypatch.context() as late:  # kernels warmed up with their first notebook
        late.setattr(kernels.KeptKernel, "warm_up", lambda self, code, cwd: None)
        code, forced, _ = run(demo_copy, out, *BRIEFS, "--force", capsys=capsys)
    assert code == 0 and forced == dict.fromkeys(cold, "ok")
    assert published(out) == before  # the rebuilt files are byte-identical

    # one country's data changed: only what reads it reruns
    edit_cases(demo_copy, "GTM", touching="HND", through=False)
    code, statuses, _ = run(demo_copy, out, *BRIEFS, capsys=capsys)
    assert code == 0
    assert statuses == {"00_data_quality": "ok", "70_country_brief_GTM": "ok",
                        "70_country_brief_HND": "reused"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    changed = {j["key"] for j in manifest["notebooks"] if j["key_hash"] != keys[j["key"]]}
    assert changed == {"00_data_quality", "70_country_brief_GTM"}

    # a Guatemalan case whose route crosses Honduras is part of Honduras' corridors
    edit_cases(demo_copy, "GTM", touching="HND", through=True)
    code, statuses, _ = run(demo_copy, out, *BRIEFS, capsys=capsys)
    assert code == 0 and set(statuses.values()) == {"ok"}


@pytest.mark.slow
def test_changing_a_parameter_reruns(demo_copy, tmp_path, capsys):
    out = tmp_path / "out"
    quality = ["--notebooks", "00_data_quality", "--countries", "GTM", "--lang", "en"]
    run(demo_copy, out, *quality, capsys=capsys)
    _, statuses, _ = run(demo_copy, out, *quality, "--period", "2020:2023", capsys=capsys)
    assert statuses == {"00_data_quality": "ok"}
    _, statuses, _ = run(demo_copy, out, *quality, "--period", "2020:2023", capsys=capsys)
    assert statuses == {"00_data_quality": "reused"}


BROKEN = "raise ValueError('this notebook is broken')"


@pytest.mark.slow
def test_failed_job_is_never_reused_and_dropped_outputs_go(notebooks, small_folder,  # noqa: F811
                                                           tmp_path, capsys):
    out = tmp_path / "out"
    code, statuses, _ = run(small_folder, out, "--lang", "en", capsys=capsys)
    assert code == 1 and statuses == {"10_good": "ok", "20_broken": "failed"}
    assert not rebuild.record_path(out, "20_broken").exists()

    code, statuses, _ = run(small_folder, out, "--lang", "en", capsys=capsys)
    assert code == 1 and statuses == {"10_good": "reused", "20_broken": "failed"}

    write_notebook(notebooks / "20_broken.ipynb", "print('fixed')")
    code, statuses, _ = run(small_folder, out, "--lang", "en", capsys=capsys)
    assert code == 0 and statuses == {"10_good": "reused", "20_broken": "ok"}

    # the notebook no longer draws its figure: the figure files and catalogue entry go
    write_notebook(notebooks / "10_good.ipynb", GOOD.split("fig, ax")[0])
    assert list((out / "figures").glob("A1.1_*"))
    code, statuses, _ = run(small_folder, out, "--lang", "en", capsys=capsys)
    assert code == 0 and statuses == {"10_good": "ok", "20_broken": "reused"}
    assert not (out / "figures").exists() or not list((out / "figures").iterdir())
    assert "A1.1" not in (out / "figures.csv").read_text(encoding="utf-8")

    # a job left out of the run leaves nothing behind
    code, statuses, _ = run(small_folder, out, "--lang", "en", "--notebooks", "10_good",
                            capsys=capsys)
    assert statuses == {"10_good": "reused"}
    assert not list(out.rglob("20_broken*"))


@pytest.mark.slow
def test_editing_the_package_source_invalidates(notebooks, small_folder, tmp_path,  # noqa: F811
                                                monkeypatch, capsys):
    source = tmp_path / "package"
    shutil.copytree(paths.PACKAGE, source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE", source)
    write_notebook(notebooks / "20_broken.ipynb", "print('fine')")
    out = tmp_path / "out"
    run(small_folder, out, "--lang", "en", capsys=capsys)
    (source / "__pycache__").mkdir(exist_ok=True)
    (source / "__pycache__" / "x.pyc").write_bytes(b"compiled")  # not source: ignored
    _, statuses, _ = run(small_folder, out, "--lang", "en", capsys=capsys)
    assert set(statuses.values()) == {"reused"}
    with (source / "report" / "annex.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    _, statuses, _ = run(small_folder, out, "--lang", "en", capsys=capsys)
    assert set(statuses.values()) == {"ok"}


@pytest.mark.parametrize("folder", ["templates", "messages"])
def test_templates_and_catalogs_count_as_source(tmp_path, monkeypatch, folder):
    source = tmp_path / "package"
    shutil.copytree(paths.PACKAGE, source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE", source)
    before = rebuild.code_digest({})
    target = next(p for p in sorted(source.rglob("*")) if p.is_file() and folder in p.parts)
    target.write_bytes(target.read_bytes() + b"\n")
    assert rebuild.code_digest({}) != before


def test_a_folder_the_runner_did_not_write_is_refused(small_folder, tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    (out / rebuild.RECORDS).mkdir()  # job records alone do not make it a run's folder
    code = main(["run", "--data", str(small_folder), "--out", str(out), "--lang", "en"])
    assert code != 0 and str(out) in capsys.readouterr().err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.slow
def test_keys_follow_the_rows_each_job_reads(demo_copy):
    config = run_module.load_config(None, data=str(demo_copy), notebooks=[
        "00_data_quality", "50_legislation", "60_workplan", "70_country_brief"])
    jobs = run_module.plan(config, ["GTM", "HND", "PAN"])
    before = rebuild.data_digests(jobs, ingest.load(demo_copy))
    edit_cases(demo_copy, "HND", touching="PAN", through=True)
    after = rebuild.data_digests(jobs, ingest.load(demo_copy))
    changed = {name for name in before if before[name] != after[name]}
    # a Honduran case whose route crosses Panama: Panama's corridors change; no Honduran route
    # of the demo passes through Guatemala, and legislation and the Work Plan read no cases
    assert changed == {"00_data_quality", "70_country_brief_HND", "70_country_brief_PAN"}
    assert rebuild.data_digests(jobs, None) == dict.fromkeys(before, "")


def test_a_file_named_by_a_parameter_is_part_of_the_key(tmp_path):
    network = tmp_path / "links.csv"
    network.write_text("source,target\nA,B\n", encoding="utf-8")
    job = run_module.Job(paths.NOTEBOOKS / "40_networks.ipynb",
                         {"links_path": str(network), "lang": "en"}, "40_networks")
    before = rebuild.job_key(job, "code", "")
    assert rebuild.job_key(job, "code", "") == before
    network.write_text("source,target\nA,C\n", encoding="utf-8")
    assert rebuild.job_key(job, "code", "") != before
    assert rebuild.job_key(job, "other code", "") != rebuild.job_key(job, "code", "")
