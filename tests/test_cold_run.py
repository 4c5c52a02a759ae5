"""How the runner spends a cold run: longest jobs first, briefs printed while the kernels go
on, each executed notebook written once, kernels stopped at once."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import nbformat
import papermill
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.report import kernels
from analysis.report import runner as run


def job(key: str, kind: str = "report", print_with: str = "") -> run.Job:
    return run.Job(Path(f"{key}.ipynb"), {"lang": "en"}, key, kind=kind, print_with=print_with)


def test_the_longest_jobs_run_first():
    jobs = [job("00_a"), job("10_b"), job("70_brief_X", "brief"), job("80_c")]
    previous = {"00_a": 3.0, "10_b": 20.0, "70_brief_X": 2.0, "80_c": 0.5}
    assert [j.key for j in run.schedule(jobs, previous)] == ["10_b", "00_a", "70_brief_X",
                                                            "80_c"]
    # without an earlier run: reports in notebook order, then the briefs
    assert [j.key for j in run.schedule(jobs, {})] == ["00_a", "10_b", "80_c", "70_brief_X"]
    # a job new since the last run goes first: its length is unknown
    assert run.schedule(jobs, {"00_a": 3.0})[-1].key == "00_a"


def report(stem: str) -> run.Job:
    return run.Job(Path(f"{stem}.ipynb"), {"lang": "en"}, stem)


def brief(country: str, print_with: str = "chromium") -> run.Job:
    return run.Job(Path("70_country_brief.ipynb"), {"lang": "en"}, f"70_country_brief_{country}",
                   kind="brief", print_with=print_with)


def test_a_first_run_orders_the_jobs_by_their_estimated_seconds():
    """Without an earlier run, the committed estimates set the order: the longest reports
    first, and the briefs (their PDF still to print) before the short reports, so that the
    kernels end on notebooks, not on briefs whose printing would then run alone."""
    stems = [nb.stem for nb in run.available_notebooks()]
    assert set(stems) <= set(run.FIRST_RUN_SECONDS)  # every notebook has an estimate
    jobs = [report(s) for s in stems if s != "70_country_brief"] + [brief(c) for c in "XYZ"]
    order = [j.key for j in run.schedule(jobs, {})]
    assert order[:2] == ["10_routes", "40_networks"]
    assert order[-2:] == ["15_flows", "80_methodology"]
    assert order.index("70_country_brief_Z") < order.index("60_workplan")
    assert [k for k in order if k.startswith("70_")] == ["70_country_brief_X",
                                                         "70_country_brief_Y",
                                                         "70_country_brief_Z"]
    # a brief that is not printed is only as long as its notebook
    unprinted = [report("60_workplan"), brief("X", print_with="")]
    assert [j.key for j in run.schedule(unprinted, {})] == ["60_workplan", "70_country_brief_X"]
    # the last run's seconds, where known, take the place of the estimates
    assert run.schedule(jobs, {"80_methodology": 60.0})[0].key == "80_methodology"


def test_the_seconds_of_the_last_run_come_from_its_manifest(tmp_path):
    assert run.previous_seconds(tmp_path) == {}
    (tmp_path / "manifest.json").write_text(json.dumps({"notebooks": [
        {"key": "10_b", "status": "ok", "seconds": 12.5, "render_seconds": 0.5},
        {"key": "20_c", "status": "failed", "seconds": 1.0, "render_seconds": 0.0}]}))
    assert run.previous_seconds(tmp_path) == {"10_b": 13.0}
    (tmp_path / "manifest.json").write_text("{not json")
    assert run.previous_seconds(tmp_path) == {}


class _NoKernel:
    warmed: list[str] = []
    stopped: list[bool] = []

    def ready(self) -> bool:
        return True

    def warm_up(self, code: str, cwd: str) -> None:
        self.warmed.append(code)

    def release(self) -> None:
        pass

    def stop(self) -> None:
        self.stopped.append(True)


def test_a_brief_is_printed_while_the_kernel_runs_the_next_job(monkeypatch, tmp_path):
    """The worker hands a brief to the printer and goes on: printing the first brief waits
    until the worker has run the job after it (it would wait for ever if the worker printed)."""
    executed: list[str] = []
    next_job_ran = threading.Event()
    printed: list[tuple[str, bool]] = []

    def execute(j, out_dir, kernel=None):
        executed.append(j.key)
        if len(executed) == 2:
            next_job_ran.set()
        j.status = "ok"
        return j

    def print_brief(j, out_dir, kept=None):
        printed.append((j.key, next_job_ran.wait(timeout=60)))

    monkeypatch.setattr(run, "run_notebook", execute)
    monkeypatch.setattr(run, "render", lambda j, out_dir: j)
    monkeypatch.setattr(run, "print_brief", print_brief)
    monkeypatch.setattr(kernels, "KeptKernel", _NoKernel)
    jobs = [job("70_brief_X", "brief", "chromium"), job("80_c"), job("70_brief_Y", "brief")]
    finished = [j.key for j in run.execute_all(jobs, tmp_path, workers=1)]
    assert sorted(finished) == sorted(j.key for j in jobs)  # each job comes back once
    assert printed == [("70_brief_X", True)]  # only a brief with a Chromium is printed
    assert finished.index("70_brief_X") > finished.index("80_c")  # done once printed


def test_a_failed_brief_is_not_printed(monkeypatch, tmp_path):
    def execute(j, out_dir, kernel=None):
        j.status, j.error = "failed", "ValueError: broken"
        return j

    monkeypatch.setattr(run, "run_notebook", execute)
    monkeypatch.setattr(run, "render", lambda j, out_dir: j)
    monkeypatch.setattr(run, "print_brief", lambda j, out_dir, kept=None: pytest_fail(j))
    monkeypatch.setattr(kernels, "KeptKernel", _NoKernel)
    finished = list(run.execute_all([job("70_brief_X", "brief", "chromium")], tmp_path, 1))
    assert [j.status for j in finished] == ["failed"]


def pytest_fail(j):
    raise AssertionError(f"{j.key} printed")


def test_the_executed_notebook_is_written_once_with_every_output(tmp_path):
    """Not while it runs (papermill writes it before and after every cell), but at the end,
    whole, also when a cell fails."""
    kernels.ensure_kernel()
    target = tmp_path / "out.ipynb"
    cells = [f"import os\nprint('written while running:', os.path.exists({str(target)!r}))",
             "print('second cell')", "raise ValueError('broken on purpose')"]
    source = tmp_path / "in.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), source)
    try:
        papermill.execute_notebook(str(source), str(target), kernel_name=kernels.KERNEL,
                                   progress_bar=False, engine_name=kernels.ENGINE)
    except papermill.PapermillExecutionError:
        pass
    written = nbformat.read(target, as_version=4)
    texts = ["".join(o.get("text", "") for o in cell.get("outputs", [])) for cell in
             written.cells if cell.cell_type == "code"]
    assert texts[0].strip() == "written while running: False"
    assert texts[1].strip() == "second cell"
    assert any(o.get("ename") == "ValueError" for o in written.cells[-1].outputs)
    assert written.metadata.papermill["exception"] is True


def test_two_briefs_are_printed_side_by_side(monkeypatch, tmp_path):
    """The briefs that finish last do not queue for one Chromium after the last notebook:
    two print at once (each waits here until the other has started)."""
    both_printing = threading.Barrier(run.PRINTERS, timeout=30)
    printed: list[str] = []

    def execute(job, out_dir, kernel=None):
        job.status = "ok"
        return job

    def print_brief(job, out_dir, kept=None):
        both_printing.wait()
        printed.append(job.key)

    monkeypatch.setattr(run, "run_notebook", execute)
    monkeypatch.setattr(run, "render", lambda j, out_dir: j)
    monkeypatch.setattr(run, "print_brief", print_brief)
    monkeypatch.setattr(kernels, "KeptKernel", _NoKernel)
    jobs = [run.Job(Path(f"70_brief_{c}.ipynb"), {"lang": "en"}, f"70_brief_{c}",
                       kind="brief", print_with="chromium") for c in ("X", "Y")]
    finished = [job.key for job in run.execute_all(jobs, tmp_path, workers=1)]
    assert run.PRINTERS == 2
    assert sorted(finished) == sorted(printed) == ["70_brief_X", "70_brief_Y"]


def test_the_kernel_runs_the_next_notebook_while_the_last_is_rendered(monkeypatch, tmp_path):
    """Rendering a page to HTML is the runner's work, not the kernel's: the worker hands
    the executed notebook over and goes on (rendering the first waits here until the
    second has run; it would wait for ever if the worker rendered)."""
    second_ran = threading.Event()
    rendered: list[tuple[str, bool]] = []

    def run_notebook(j, out_dir, kernel=None):
        if j.key == "10_b":
            second_ran.set()
        j.status = "ok"
        return j

    def render(j, out_dir):
        rendered.append((j.key, second_ran.wait(timeout=60)))
        return j

    monkeypatch.setattr(run, "run_notebook", run_notebook)
    monkeypatch.setattr(run, "render", render)
    monkeypatch.setattr(kernels, "KeptKernel", _NoKernel)
    finished = [j.key for j in run.execute_all([job("00_a"), job("10_b")], tmp_path, 1)]
    assert finished == ["00_a", "10_b"] and rendered == [("00_a", True), ("10_b", True)]


def test_the_catalogue_is_written_while_the_last_brief_prints(monkeypatch, tmp_path):
    """`executed` runs once every notebook has run, not after the last PDF: printing the
    last brief waits here until it was called."""
    ran: list[str] = []
    called = threading.Event()
    printed: list[bool] = []

    def run_notebook(j, out_dir, kernel=None):
        ran.append(j.key)
        j.status = "ok"
        return j

    def executed():
        assert sorted(ran) == ["00_a", "70_brief_X"]  # every notebook has run
        called.set()

    monkeypatch.setattr(run, "run_notebook", run_notebook)
    monkeypatch.setattr(run, "render", lambda j, out_dir: j)
    monkeypatch.setattr(run, "print_brief",
                        lambda j, out_dir, kept=None: printed.append(called.wait(timeout=60)))
    monkeypatch.setattr(kernels, "KeptKernel", _NoKernel)
    jobs = [job("70_brief_X", "brief", "chromium"), job("00_a")]
    finished = list(run.execute_all(jobs, tmp_path, 1, executed=executed))
    assert len(finished) == 2 and printed == [True]

    def broken():
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):  # said at the end, after every job
        list(run.execute_all([job("00_a")], tmp_path, 1, executed=broken))


def test_job_keys_follow_every_library_that_shapes_outputs():
    """A new duckdb (the brief keys and counts), fontTools (the PDFs' fonts), Jinja2 or Babel
    (the pages) changes what a job writes: their versions are part of every job's key."""
    from importlib import metadata

    versions = run.package_versions()
    required = {r.split(">")[0].split("=")[0].split(";")[0].strip().lower()
                for r in metadata.requires("analysis") if "extra ==" not in r}
    assert {"duckdb", "fonttools", "jinja2", "babel", "pillow", "numpy"} <= set(versions)
    assert required <= set(versions)
    assert versions["fonttools"] == metadata.version("fonttools")


def test_kernels_started_before_the_jobs_warm_up_then_run_them(monkeypatch, tmp_path):
    """The workers start their kernels (and imports) before the jobs are known; a run
    then hands them out, and a kernel for which no job comes stops."""
    monkeypatch.setattr(_NoKernel, "warmed", [])
    monkeypatch.setattr(_NoKernel, "stopped", [])
    ran: list[str] = []

    def execute(j, out_dir, kernel=None):
        ran.append(j.key)
        j.status = "ok"
        return j

    monkeypatch.setattr(run, "run_notebook", execute)
    monkeypatch.setattr(run, "render", lambda j, out_dir: j)
    monkeypatch.setattr(kernels, "KeptKernel", _NoKernel)
    pool = run.Workers(tmp_path, "import math")
    pool.start(2)
    finished = [j.key for j in run.execute_all([job("00_a")], tmp_path, 2, pool)]
    pool.stop()
    assert finished == ran == ["00_a"]
    assert _NoKernel.warmed == ["import math"] * 2 and len(_NoKernel.stopped) == 2

    # a run that ends before its jobs (data that do not validate) stops the kernels too
    monkeypatch.setattr(_NoKernel, "stopped", [])
    pool = run.Workers(tmp_path, "import math")
    pool.start(2)
    pool.stop()
    assert len(_NoKernel.stopped) == 2
