"""The runner: parameters checked, failures reported without stopping the others, outputs."""

from __future__ import annotations

import json
import os

import nbformat
import pytest
from jupyter_core.utils import run_sync
from nbformat.v4 import new_code_cell, new_notebook

from analysis.core import paths
from analysis.report import runner as run
from analysis.report.cli import main

PARAMETERS = "\n".join(f"{name} = {value!r}" for name, value in {
    "data_dir": "", "output_dir": "", "countries": [], "period": "", "lang": "es", "locale": "",
    "min_cell_size": 5, "run_date": ""}.items())

GOOD = """
import matplotlib.pyplot as plt
from analysis.report import notebook
report = notebook.start("10_good", section=1, data_dir=data_dir, output_dir=output_dir,
                        countries=countries, period=period, lang=lang,
                        min_cell_size=min_cell_size, run_date=run_date)
report.title("quality.title")
report.h2("quality.sent")
report.h2("quality.coverage")
fig, ax = plt.subplots()
ax.bar(["a", "b"], [len(report.data.cases), 2])
report.figure(fig, "bars", "quality.fig_coverage")
import pandas as pd
report.table(pd.DataFrame({"x": ["a", "b"], "n": [len(report.data.cases), 50]}), "t",
             "quality.tab_sent")
"""


def write_notebook(path, code, parameters=PARAMETERS):
    cell = new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=[cell, new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def notebooks(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(folder / "10_good.ipynb", GOOD)
    write_notebook(folder / "20_broken.ipynb", "raise ValueError('this notebook is broken')")
    monkeypatch.setattr(paths, "NOTEBOOKS", folder)
    return folder


@pytest.mark.slow
def test_failing_notebook_does_not_stop_the_others(notebooks, small_folder, tmp_path):
    out = tmp_path / "out"
    code = main(["run", "--data", str(small_folder), "--out", str(out), "--lang", "en",
                 "--jobs", "2"])
    assert code == 1
    manifest = json.loads((out / "manifest.json").read_text())
    status = {n["key"]: n["status"] for n in manifest["notebooks"]}
    assert status == {"10_good": "ok", "20_broken": "failed"}
    broken = next(n for n in manifest["notebooks"] if n["key"] == "20_broken")
    assert "this notebook is broken" in broken["error"]
    assert (out / broken["executed"]).is_file()  # kept for debugging
    assert (out / "html" / "10_good.html").is_file()
    assert not (out / "html" / "20_broken.html").exists()
    index = (out / "index.html").read_text()
    assert "html/10_good.html" in index and "failed" in index
    assert set(manifest["inputs_sha256"]) >= {"GTM/cases.csv", "dataset.yml"}
    assert manifest["versions"]["pandas"]
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert figures == ["A1.1_bars.pdf", "A1.1_bars.png", "A1.1_bars.svg"]
    assert "A1.1" in (out / "figures.csv").read_text()
    assert (out / "tables.xlsx").is_file()


def test_invalid_data_stops_before_any_notebook(notebooks, small_folder, tmp_path, capsys):
    (small_folder / "GTM" / "cases.csv").unlink()
    out = tmp_path / "out"
    assert main(["run", "--data", str(small_folder), "--out", str(out), "--lang", "en"]) == 1
    assert not (out / "notebooks").exists()
    printed = capsys.readouterr().out
    assert "cases" in printed and "Stopped before running any notebook" in printed


def test_unknown_parameter_is_refused(notebooks, small_folder):
    config = run.RunConfig(data=str(small_folder), parameters={"10_good": {"colour": "red"}})
    with pytest.raises(run.ConfigError, match="colour"):
        run.plan(config, ["GTM"])


def test_notebook_without_common_parameters_is_refused(notebooks, small_folder):
    write_notebook(notebooks / "30_partial.ipynb", "pass", parameters="lang = 'es'")
    with pytest.raises(run.ConfigError, match="30_partial"):
        run.plan(run.RunConfig(data=str(small_folder)), ["GTM"])


def test_config_file_and_overrides(tmp_path):
    path = tmp_path / "c.yml"
    path.write_text("name: x\nlang: en\ncountries: [GTM]\nperiod: 2019\n")
    config = run.load_config(path, lang="es", countries="MEX,HND")
    assert (config.name, config.lang, config.countries, config.period) == (
        "x", "es", ["MEX", "HND"], "2019")
    with pytest.raises(run.ConfigError, match="colour"):
        run.load_config(None, colour="red")



def test_a_broken_config_file_is_named_with_its_line(tmp_path, capsys):
    path = tmp_path / "c.yml"
    path.write_text("name: x\ncountries: [GTM\nlang: en\n")
    assert main(["run", "--config", str(path), "--lang", "en"]) == 1
    message = capsys.readouterr().err
    assert str(path) in message and "line 3" in message and "Traceback" not in message

def test_every_shipped_notebook_takes_the_common_parameters():
    import papermill

    for notebook in run.available_notebooks():
        declared = set(papermill.inspect_notebook(str(notebook)))
        assert set(run.COMMON_PARAMETERS) <= declared, notebook.name


def test_a_kept_kernel_is_cleared_between_notebooks():
    from nbclient import NotebookClient

    from analysis.report import kernels

    kernels.ensure_kernel()
    kernel = kernels.KeptKernel()

    def run_cell(source: str) -> str:
        executed = NotebookClient(new_notebook(cells=[new_code_cell(source)]), km=kernel,
                                  kernel_name=kernels.KERNEL).execute()
        kernel.release()
        return "".join(o.get("text", "") for o in executed.cells[0].outputs)

    try:
        run_cell("import os, matplotlib, matplotlib.pyplot as plt\n"
                 "from analysis.report import notebook\n"
                 "secret = 'left behind'\nmatplotlib.rcParams['font.size'] = 30\nplt.figure()\n"
                 "print(os.getpid())")
        pid = run_cell("import os\nprint(os.getpid())")
        kernel.clear()
        after = run_cell(
            "import os, matplotlib, matplotlib.pyplot as plt\n"
            "print(os.getpid(), 'secret' in globals(), matplotlib.rcParams['font.size'],"
            " len(plt.get_fignums()))")
    finally:
        kernel.stop()
    assert after.split() == [pid.strip(), "False", "9.5", "0"]  # same process, clean state
    assert not kernel.has_kernel


class _FakeKernel:
    """A kept kernel that runs nothing: it records the jobs given to it and whether it was
    stopped (a stopped one is not ready: the worker replaces it)."""

    made: list[_FakeKernel] = []
    has_kernel = False

    def __init__(self):
        self.stopped, self.ran = False, []
        self.made.append(self)

    def warm_up(self, *args):
        return None

    def ready(self):
        return not self.stopped

    def release(self):
        return None

    def stop(self):
        self.stopped = True


@pytest.mark.parametrize("budget", [8, 6])
def test_jobs_beyond_the_memory_budget_never_run_at_the_same_time(tmp_path, monkeypatch,
                                                                  budget):
    """At national scale the routes and the network do not share the machine's memory when
    their expected memory adds up to more than the budget: the second kernel passes over the
    network while the routes run and takes the next job (one that holds little)."""
    import threading
    from pathlib import Path

    lock = threading.Lock()
    running: set[str] = set()
    together: list[set[str]] = []
    other_started = threading.Event()

    def fake_run(job, out_dir, kernel):
        with lock:
            running.add(job.key)
            together.append(set(running))
        if job.key == "10_routes":  # runs until the other kernel has started something
            assert other_started.wait(timeout=60)
        else:
            other_started.set()
        with lock:
            running.discard(job.key)
        job.status = "ok"
        return job

    monkeypatch.setattr(run.kernels, "KeptKernel", _FakeKernel)
    monkeypatch.setattr(run, "run_notebook", fake_run)
    monkeypatch.setattr(run, "render", lambda job, out_dir: job)
    memory = {"10_routes": 4, "40_networks": 4, "50_legislation": 0, "60_workplan": 0}
    jobs = [run.Job(Path(f"{name}.ipynb"), {}, name, memory=m) for name, m in memory.items()]
    done = list(run.Workers(tmp_path).run(jobs, 2, budget=budget))
    assert sorted(job.key for job in done) == sorted(memory)
    both = any({"10_routes", "40_networks"} <= seen for seen in together)
    assert both == (budget >= 8)
    if budget < 8:  # the other kernel went on with a job that holds little
        assert {"10_routes", "50_legislation"} in together


def test_a_kernel_that_ran_a_large_job_is_replaced(tmp_path, monkeypatch):
    """What a large notebook held is given back whole: its kernel stops and the next job
    gets a fresh one; after a small job the kernel is kept."""
    from pathlib import Path

    monkeypatch.setattr(_FakeKernel, "made", [])  # the kernels this run makes

    def fake_run(job, out_dir, kernel):
        kernel.ran.append(job.key)
        job.status = "ok"
        return job

    monkeypatch.setattr(run.kernels, "KeptKernel", _FakeKernel)
    monkeypatch.setattr(run, "run_notebook", fake_run)
    monkeypatch.setattr(run, "render", lambda job, out_dir: job)
    sizes = {"00_small": 0, "10_large": run.FRESH_AFTER + 1, "20_small": 1, "30_small": 0}
    jobs = [run.Job(Path(f"{name}.ipynb"), {}, name, memory=m) for name, m in sizes.items()]
    list(run.Workers(tmp_path).run(jobs, 1))
    assert [k.ran for k in _FakeKernel.made] == [["00_small", "10_large"],
                                                 ["20_small", "30_small"]]
    assert all(k.stopped for k in _FakeKernel.made)


def test_a_job_expects_memory_for_the_rows_it_reads(monkeypatch):
    """A brief counts its own country's accepted rows, a regional report those of the
    countries it covers (all when none is named); a notebook that aggregates in DuckDB none."""
    from pathlib import Path

    rows = {"GTM": 1000, "MEX": 5000, "USA": 4000}
    brief = run.Job(Path("70_country_brief.ipynb"), {"country": "MEX"}, "70_country_brief_MEX")
    routes = run.Job(Path("10_routes.ipynb"), {"countries": []}, "10_routes")
    some = run.Job(Path("10_routes.ipynb"), {"countries": ["GTM", "USA"]}, "10_routes")
    quality = run.Job(Path("00_data_quality.ipynb"), {"countries": []}, "00_data_quality")
    per_row = run.BYTES_PER_ROW
    assert run.expected_memory(brief, rows) == 5000 * per_row["70_country_brief"]
    assert run.expected_memory(routes, rows) == 10_000 * per_row["10_routes"]
    assert run.expected_memory(some, rows) == 5000 * per_row["10_routes"]
    assert run.expected_memory(quality, rows) == 0
    monkeypatch.setattr(run.memory, "available", lambda: 4 << 30)
    assert run.kernel_budget() == 3 << 30  # a smaller machine: three quarters of what it has
    monkeypatch.setattr(run.memory, "available", lambda: None)
    assert run.kernel_budget() == run.MEMORY_BUDGET


def test_kept_kernels_clients_run_no_heartbeat_thread():
    """Whether a kept kernel lives is asked of its process; a heartbeat thread that cannot
    be stopped once held a whole run at its end. Its one client stays open from one notebook
    to the next, and closes with the kernel."""
    from conftest import kept_kernel_cells

    kernel, run_cell = kept_kernel_cells()
    try:
        early = kernel.client()  # made before the kernel started: closed on release
        early.start_channels()
        assert early._hb_channel is None and early.channels_running
        kernel.release()
        assert not early.channels_running
        assert run_cell("print(6 * 7)").strip() == "42"
        client = kernel.client()
        assert client._hb_channel is None and client.channels_running
        assert run_cell("print(6 * 8)").strip() == "48"  # each output to its own notebook
        assert kernel.client() is client and client.channels_running
        assert run_sync(kernel.client().is_alive)()
    finally:
        kernel.stop()
    assert not client.channels_running


@pytest.mark.slow
def test_a_kernel_that_dies_is_replaced_for_the_next_notebook(notebooks, small_folder, tmp_path):
    write_notebook(notebooks / "20_broken.ipynb", "import os\nos._exit(1)")  # kills its kernel
    out = tmp_path / "out"
    code = main(["run", "--data", str(small_folder), "--out", str(out), "--lang", "en",
                 "--jobs", "1", "--notebooks", "20_broken,10_good"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert code == 1
    assert {n["key"]: n["status"] for n in manifest["notebooks"]} == {
        "20_broken": "failed", "10_good": "ok"}


@pytest.mark.slow
def test_a_report_that_cannot_be_rendered_fails_alone(notebooks, small_folder, tmp_path,
                                                      monkeypatch):
    from analysis.report import html as html_report

    def broken_render(executed, out_dir, key, lang, **options):
        raise OSError("disk full")

    monkeypatch.setattr(html_report, "render_notebook", broken_render)
    out = tmp_path / "out"
    code = main(["run", "--data", str(small_folder), "--out", str(out), "--lang", "en",
                 "--notebooks", "10_good"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert code == 1
    assert manifest["notebooks"][0]["status"] == "failed"
    assert "disk full" in manifest["notebooks"][0]["error"]


@pytest.mark.skipif(not os.path.isfile("/proc/self/statm"), reason="reads Linux's /proc")
def test_memory_freed_goes_back_to_the_system():
    """What a long-lived process (the runner after validating, a kept kernel after a notebook)
    freed is given back: the heap does not stay at its largest."""
    import subprocess
    import sys

    code = """
import os
import numpy as np
from analysis.core import memory
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
blocks = [np.ones(4000) for _ in range(10000)]  # 32 kB each: 320 MB of small heap blocks
last = np.ones(4000)  # above them: the top of the heap stays in use
del blocks
before = rss()
memory.give_back()
print(before, rss())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    before, after = map(int, done.stdout.split())
    assert before - after > 200 << 20  # at least 200 of the 320 MB went back
