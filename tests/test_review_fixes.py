"""Defects found by an outside review, each pinned by a test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.core import i18n, paths, privacy
from analysis.data import ingest
from analysis.data.templates import dictionary as dictionary_markdown
from analysis.report import catalogue
from analysis.report.annex import Entry


def test_action_ids_stay_text_in_the_workbook(tmp_path):
    (tmp_path / "tables").mkdir()
    pd.DataFrame({"action": ["1.1", "1.10", "2.3"], "countries": [3, 10, 7],
                  "share": ["0.25", "0.5", "1.0"]}).to_csv(
        tmp_path / "tables" / "t.csv", index=False)
    entry = Entry(kind="table", number="A1.1", key="t", caption="c", source="s", date="d",
                  files=["tables/t.csv"], notebook="60_workplan")
    catalogue.workbook(tmp_path / "book.xlsx", tmp_path, [entry], "en")
    sheet = load_workbook(tmp_path / "book.xlsx").worksheets[1]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [r[0] for r in rows] == ["1.1", "1.10", "2.3"]
    assert [r[1] for r in rows] == [3, 10, 7]  # measures stay numbers
    assert [r[2] for r in rows] == [0.25, 0.5, 1.0]


def test_the_cache_follows_the_pseudonymization_key(small_folder, monkeypatch):
    monkeypatch.setenv("ANALYSIS_PSEUDONYM_KEY", "first key, long enough to be a secret")
    ingest.ingest(small_folder)
    first = ingest.load(small_folder).cases["case_id"].tolist()
    assert ingest.is_fresh(small_folder)
    monkeypatch.setenv("ANALYSIS_PSEUDONYM_KEY", "second key, long enough to be a secret")
    assert not ingest.is_fresh(small_folder)
    second = ingest.load(small_folder).cases["case_id"].tolist()
    assert set(first).isdisjoint(second)
    cache = paths.cache_dir(small_folder)
    stored = "".join(p.read_text(errors="ignore") for p in cache.iterdir() if p.suffix == ".json")
    assert "second key" not in stored
    assert privacy.key_fingerprint(b"second key, long enough to be a secret") in stored


def test_a_closed_pipe_ends_the_command_quietly():
    script = ("import sys\nfrom analysis.report import cli\n"
              "cli.COMMANDS['validate'] = lambda args: [print('line', i) for i in range(10**6)]"
              " and 0\nsys.exit(cli.main(['validate', 'x']))")
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    writer.stdout.readline()
    writer.stdout.close()  # like `| head -1`
    _, err = writer.communicate(timeout=60)
    assert writer.returncode == 0
    assert b"BrokenPipe" not in err and b"Traceback" not in err, err.decode()


def test_the_dictionary_says_pseudonymized_once_per_field():
    for lang in ("es", "en"):
        text = dictionary_markdown(lang)
        note = i18n.t("dictionary.pseudonymized", lang).rstrip(".").lower()
        for line in text.splitlines():
            assert line.lower().count(note) <= 1, line


def test_a_run_never_clears_a_folder_it_did_not_write(small_folder, tmp_path):
    from analysis.report.cli import main

    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.docx").write_text("years of work")
    for out in (precious, paths.ROOT, paths.DATA, paths.DATA / "demo", paths.ROOT.parent):
        code = main(["run", "--data", str(small_folder), "--out", str(out), "--lang", "en",
                     "--notebooks", "00_data_quality"])
        assert code == 1, out
    assert (precious / "chapter1.docx").read_text() == "years of work"
    assert (paths.ROOT / "README.md").is_file() and (paths.DATA / "demo" / "dataset.yml").is_file()


def test_a_run_clears_its_own_earlier_output(tmp_path):
    out = paths.clear_output(tmp_path / "run")
    (out / "old.html").write_text("old")
    paths.clear_output(out)
    assert sorted(p.name for p in out.iterdir()) == [paths.OUTPUT_MARK]


def test_a_notebook_without_a_data_folder_stops_instead_of_reading_the_demo(tmp_path):
    from analysis.report import brief, notebook

    for data_dir in ("", tmp_path / "missing"):
        with pytest.raises(notebook.NoDataFolder):
            notebook.start("10_routes", 1, data_dir=str(data_dir), output_dir=str(tmp_path),
                           lang="en")
        with pytest.raises(notebook.NoDataFolder):
            brief.regional_data(str(data_dir))
    # a run without contract data (a network file only) still starts
    assert notebook.start("40_networks", 4, data_dir="", output_dir=str(tmp_path),
                          lang="en", load_data=False).data is None


def test_the_generator_never_invents_work_plan_actions(tmp_path, monkeypatch):
    from analysis.core import reference
    from analysis.data.synthetic.illustrative import draw_legislation, draw_workplan

    monkeypatch.setattr(paths, "REFERENCE", tmp_path)  # every reference file missing
    reference.workplan_actions.cache_clear()
    reference.criteria.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="workplan_actions.csv"):
            draw_workplan(np.random.default_rng(1))
        with pytest.raises(FileNotFoundError, match="legislation_criteria.csv"):
            draw_legislation(np.random.default_rng(1))
    finally:
        monkeypatch.undo()
        reference.workplan_actions.cache_clear()
        reference.criteria.cache_clear()


# --------------------------------------------------------------------------- installed package

NOT_SHIPPED = (".git", ".venv", "reports", "cache", "private", "build", "dist", "*.egg-info",
               "__pycache__", ".pytest_cache", ".ruff_cache", "demo", "raw", "benchmarks")


@pytest.mark.slow
def test_a_wheel_install_runs_from_another_folder(tmp_path):
    """`pip install .` (not editable): demo-data and run work from another folder, with the
    notebooks and the reference data taken from the installed package."""
    import shutil
    import sysconfig

    source = tmp_path / "source"
    shutil.copytree(paths.CHECKOUT, source, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(source),
                            "-w", str(tmp_path / "wheels")], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # the dependencies come from this environment; the package itself only from the wheel
    site = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next((tmp_path / "wheels").glob("analysis-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "-q", "--no-index", "--no-deps", str(wheel)], check=True)

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANALYSIS_", "PYTHON"))}
    env |= {"XDG_STATE_HOME": str(tmp_path / "state"),
            "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}

    def analysis(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(venv / "bin" / "analysis"), *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=300)

    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "from analysis.core import paths; print(paths.NOTEBOOKS); "
                            "print(paths.REFERENCE)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert all(line.startswith(str(venv)) for line in where.stdout.split()), where.stdout
    made = analysis("demo-data", "D", "--scale", "0.2")
    assert made.returncode == 0, made.stderr
    ran = analysis("run", "--data", "D", "--out", "O", "--lang", "en",
                   "--notebooks", "00_data_quality,80_methodology")
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert (work / "O" / "index.html").is_file()
    assert (work / "O" / "html" / "00_data_quality.html").is_file()
    assert (work / "O" / "html" / "80_methodology.html").is_file()
    assert sorted(p.name for p in work.iterdir()) == ["D", "O"]  # state went elsewhere
    assert (tmp_path / "state" / "analysis" / "cache").is_dir()


# --------------------------------------------------------------------------- counts of people


@pytest.mark.slow
def test_counts_of_people_are_suppressed_outside_tables_on_a_one_country_run(small_folder,
                                                                              tmp_path):
    """One country with 3 migrants and 3 actors: the index and the data quality report show
    "<5" for them (and leave them out of totals) and exact counts for the tables of records."""
    import re

    from analysis.core.contract import TABLES
    from analysis.report.cli import main

    out = tmp_path / "out"
    code = main(["run", "--data", str(small_folder), "--out", str(out), "--countries", "GTM",
                 "--notebooks", "00_data_quality", "--lang", "en"])
    assert code == 0
    data = ingest.load(small_folder, ["GTM"])
    counts = data.counts.groupby("table")[["read", "accepted", "set_aside"]].sum()
    assert 0 < counts.loc["migrants", "accepted"] < 5 and 0 < counts.loc["actors", "read"] < 5

    def row_of(page: str, table: str) -> list[str]:
        label = i18n.t(f"dictionary.table_{table}", "en")
        found = re.search(rf"<tr><td>{re.escape(label)}</td>(.*?)</tr>", page)
        assert found, table
        cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', found.group(1))
        return [cell.replace("&lt;", "<") for cell in cells]

    index = (out / "index.html").read_text(encoding="utf-8")
    for table in ("migrants", "actors"):
        read, accepted, aside = row_of(index, table)
        assert (read, accepted) == ("<5", "<5")
        assert aside == str(counts.loc[table, "set_aside"])  # rows set aside stay exact
    assert row_of(index, "cases")[:2] == [str(counts.loc["cases", "read"]),
                                          str(counts.loc["cases", "accepted"])]

    reconciliation = pd.read_csv(next((out / "tables").glob("*reconciliation*.csv")), dtype=str)
    by_table = reconciliation.set_index(reconciliation.columns[0])
    for table in ("migrants", "actors"):
        assert by_table.loc[i18n.t(f"dictionary.table_{table}", "en")].iloc[:2].tolist() == [
            "<5", "<5"]
    page = (out / "html" / "00_data_quality.html").read_text(encoding="utf-8")
    records = [t for t in TABLES if t not in ("migrants", "actors") and t in counts.index]
    read = int(counts.loc[records, "read"].sum())
    accepted = int(counts.loc[records, "accepted"].sum())
    assert f"{read} read = {accepted} accepted" in page  # totals leave the persons out
    assert f"{accepted} rows were accepted in all" in page
    assert "left out of these totals" in page


# --------------------------------------------------------------------------- one of each helper


def _definitions() -> dict[str, list[str]]:
    """Name → modules of the package that define it (functions and module-level names)."""
    import ast

    found: dict[str, list[str]] = {}
    for path in sorted(paths.PACKAGE.rglob("*.py")):
        module = str(path.relative_to(paths.PACKAGE))
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            names = []
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign) and not isinstance(node.value,
                                                                 ast.Name | ast.Attribute):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]  # not aliases
            for name in names:
                found.setdefault(name, []).append(module)
    return found


def test_one_decoder_one_fold_one_slug_one_key_one_americas_one_other():
    defined = _definitions()
    for name in ("fold", "_fold", "slug", "_slug", "strip_accents"):
        assert defined.get(name, []) in ([], ["core/text.py"]), (name, defined.get(name))
    decoders = [m for n in ("decode", "_decode", "ENCODINGS") for m in defined.get(n, [])]
    assert set(decoders) <= {"core/text.py"}, decoders
    for name in ("KEY", "AMERICAS", "OTHER"):
        assert len(defined.get(name, [])) == 1, (name, defined.get(name))


def test_route_text_is_folded_like_every_other_label():
    from analysis.diagnostic import routes

    assert routes.route_group_of_text("US - Mexico border") == "us_mexico_border"
    assert routes.route_group_of_text("Darién") == routes.DARIEN
