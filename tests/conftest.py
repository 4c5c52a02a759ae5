"""Shared fixtures: a small valid data folder to break in many ways, and the real data."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock
from hypothesis import settings

from analysis.core import paths, privacy, reference
from analysis.core.contract import TABLES

REALDATA = paths.ROOT.parent / "shared" / "realdata"

# Property tests draw the same examples on every run, so a test run is reproducible;
# HYPOTHESIS_PROFILE=explore draws new ones (to hunt for failures). No deadline: how long an
# example takes depends on how busy the machine is, and speed lives in the benchmarks.
settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def _is_notebook(item) -> bool:
    return item.nodeid.split("::")[0].endswith(".ipynb")


# How long the slow tests of each module took together (seconds, setup, call and teardown,
# `tests/durations.json`): the modules that take longest are handed out first, so that the
# shorter ones and the notebooks even out the ends of the workers instead of one worker
# starting a long module last. Refresh it from a whole run of the suite:
# `make test TEST_ARGS=--record-durations`; a module it does not know yet comes after the others.
DURATIONS = Path(__file__).with_name("durations.json")
_durations: dict[str, float] = {}  # recorded in this session (with --record-durations)
_recording = False  # --record-durations given, and this is the controller


@functools.cache
def measured() -> dict[str, float]:
    if not DURATIONS.is_file():
        return {}
    return json.loads(DURATIONS.read_text(encoding="utf-8"))


def _module(nodeid: str) -> str:
    return nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")


def _order(item) -> tuple:
    slow = item.get_closest_marker("slow") is not None
    longest = -measured().get(_module(item.nodeid), 0.0) if slow else 0.0
    return _is_notebook(item), slow, longest


def pytest_addoption(parser):
    parser.addoption("--record-durations", action="store_true",
                     help=f"write how long each module's slow tests took to {DURATIONS.name}")


def pytest_runtest_logreport(report):
    """With --record-durations, the controller (not an xdist worker) adds up the slow tests'
    durations by module."""
    if _recording and "slow" in report.keywords:
        module = _module(report.nodeid)
        _durations[module] = _durations.get(module, 0.0) + report.duration


def pytest_collection_modifyitems(config, items):
    """Fast tests first, so a failure shows early; the slow ones (marked `slow`, the longest
    modules first: `measured`) and the notebooks (nbval) after them. `make test` spreads the
    modules over pytest-xdist workers with `--dist loadscope`: the cells of one notebook stay
    together, in order, on one worker, and a module-scoped fixture is built once;
    `--no-loadscope-reorder` hands the modules out in this order (the notebooks, small units,
    fill in at the end)."""
    items.sort(key=_order)


def runs_of_scopes(nodeids: list[str]) -> dict[str, str]:
    """Each test's unit of work: its module (as `--dist loadscope` groups them), split where
    the collection order leaves the module and comes back to it, so that a module's fast
    tests and its slow ones are two units, handed out in the order above."""
    scopes, runs, previous = {}, {}, None
    for nodeid in nodeids:
        module = nodeid.rsplit("::", 1)[0]
        if module != previous:
            runs[module] = runs.get(module, -1) + 1
            previous = module
        scopes[nodeid] = f"{module}::{runs[module]}" if runs[module] else module
    return scopes


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadscope` whose units of work follow `runs_of_scopes`: fast tests first on
    every worker, whichever module they are in."""
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FastFirstScheduling(LoadScopeScheduling):
        scopes: dict[str, str] = {}

        def schedule(self) -> None:
            if self.collection is None and self.registered_collections:
                self.scopes = runs_of_scopes(list(next(iter(
                    self.registered_collections.values()))))
            super().schedule()

        def _split_scope(self, nodeid: str) -> str:
            return self.scopes.get(nodeid) or super()._split_scope(nodeid)

    return FastFirstScheduling(config, log)


def shared_build(tmp_path_factory, name: str,
                 build: Callable[[Path], object]) -> tuple[Path, object]:
    """A folder built once per test session: `build(folder)` writes into it and returns a
    JSON-serializable result. Under pytest-xdist every worker shares it: the first one that
    needs it builds it while holding a file lock, the others wait and read it."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        return folder, build(folder)
    return _build_once(_shared_root(tmp_path_factory), name, build)


def _shared_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.getbasetemp().parent / "shared"  # one per session, every worker
    root.mkdir(exist_ok=True)
    return root


def _build_once(root: Path, name: str, build: Callable[[Path], object]) -> tuple[Path, object]:
    folder, done = root / name, root / f"{name}.json"
    with FileLock(str(root / f"{name}.lock")):
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            done.write_text(json.dumps({"result": build(folder)}), encoding="utf-8")
    return folder, json.loads(done.read_text(encoding="utf-8"))["result"]


# The whole diagnostic on the demo data, built once per session for the end-to-end tests:
# the fixture that gives it, and the run's name and configuration.
DEMO_BUILDS = {"demo_report": ("demo_en", "config/demo_en.yml"),
               "demo_report_es": ("demo", "config/demo.yml")}
_building: list[subprocess.Popen] = []
_builders: list[threading.Thread] = []
_wanted: set[str] = set()  # the builds this session's tests read (under pytest-xdist)


def _run_demo(name: str, config: str, folder: Path) -> int:
    """`analysis run --config <config>` into `folder/out`, as a user runs it (the demo key,
    a cache of its own); its output goes to `folder/run.log`. Returns the exit status."""
    env = {k: v for k, v in os.environ.items() if k != privacy.KEY_ENV}
    env |= {paths.STATE_ENV: str(folder / "state"),
            privacy.KEY_FILE_ENV: str(folder / "no-key-file")}
    with (folder / "run.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "analysis", "run", "--config", config, "--out",
             str(folder / "out"), "--name", name], cwd=paths.ROOT, env=env, stdout=log,
            stderr=subprocess.STDOUT)
        _building.append(process)
        return process.wait()


def pytest_collection_finish(session):
    """Under pytest-xdist, each worker starts at once, in the background, its share of the
    demo builds the collected tests read, so that both are built while the fast tests run and
    no worker sits waiting for a build the other one started late."""
    worker, workers = (os.environ.get(f"PYTEST_XDIST_WORKER{s}") for s in ("", "_COUNT"))
    if worker is None or not workers or session.config.option.collectonly:
        return
    used = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    wanted = {fixture for fixture in DEMO_BUILDS if {fixture, "demo_reports"} & used}
    _wanted.update(wanted)
    root = _shared_root(session.config._tmp_path_factory)
    for fixture in sorted(wanted)[int(worker.removeprefix("gw"))::int(workers)]:
        name, config = DEMO_BUILDS[fixture]
        _builders.append(threading.Thread(target=_build_once, daemon=True, args=(
            root, f"build_{name}", functools.partial(_run_demo, name, config))))
        _builders[-1].start()


class NotebooksReadTheBuildsCache:
    """Before the first notebook (nbval) of a worker starts its kernel: where the Spanish
    build is part of the session, the kernels read the clean cache of the demo data it made
    (the same files, validated once, as the notebooks' defaults: data/demo), from a state
    folder of the worker's own, instead of validating the demo again into the project's.
    A plugin, not a hook of this file: those apply to the tests under tests/ only."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        if (not _is_notebook(item) or "demo_report_es" not in _wanted
                or paths.STATE_ENV in os.environ):
            return
        name, config = DEMO_BUILDS["demo_report_es"]
        factory = item.config._tmp_path_factory
        folder, code = _build_once(_shared_root(factory), f"build_{name}",
                                   functools.partial(_run_demo, name, config))
        state = factory.mktemp("notebooks_state")
        if code == 0:  # else the notebooks validate the demo themselves (its tests say why)
            use_demo_cache(folder / "out", state)
        os.environ[paths.STATE_ENV] = str(state)


def pytest_configure(config):
    # One edition date for the whole session, even when it runs past midnight: the shared
    # builds are compared with runs made later (pages and PDFs carry the date). Set before
    # the workers start, so that they and the builds they launch inherit it.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time()) // 86400 * 86400))
    global _recording
    _recording = (config.getoption("record_durations")
                  and os.environ.get("PYTEST_XDIST_WORKER") is None)
    config.pluginmanager.register(NotebooksReadTheBuildsCache(), "notebooks-read-the-cache")


def pytest_sessionfinish(session, exitstatus):
    """A worker finishes the builds it started (another worker may be waiting for them),
    unless the session was interrupted. With --record-durations, a session that passed
    updates `DURATIONS` with the modules it ran, longest first."""
    if _recording and exitstatus == pytest.ExitCode.OK and _durations:
        found = measured() | {m: round(d, 1) for m, d in _durations.items()}
        DURATIONS.write_text(json.dumps(dict(sorted(found.items(), key=lambda x: (-x[1], x[0]))),
                                        indent=1) + "\n", encoding="utf-8")
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        for process in _building:
            process.terminate()
    for thread in _builders:
        thread.join()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Caches and set-aside rows of test runs go to a temporary folder, not the project's."""
    base = tmp_path_factory.mktemp("state")
    monkeypatch.setenv(paths.STATE_ENV, str(base))
    monkeypatch.delenv("ANALYSIS_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("ANALYSIS_PSEUDONYM_KEY_FILE", str(base / "no-key-file"))


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"the real public data folder {REALDATA} is absent")
    return REALDATA


def place_of(country: str, n: int = 0) -> str:
    return reference.places().query("country == @country").index[n]


def small_tables(country: str = "GTM") -> dict[str, pd.DataFrame]:
    """A tiny, fully valid set of tables for one reporting country."""
    p0, p1 = place_of(country, 0), place_of(country, 1)
    cases = pd.DataFrame({
        "reporting_country": country, "case_id": ["C1", "C2", "C3"],
        "date": ["2021-03-15", "2021-04", "15/05/2022"], "place_id": [p0, p1, ""],
        "transport_mode": ["land", "sea", "air"], "migrants": ["12", "3", "1"],
        "minors": ["2", "0", ""], "fee_amount": ["8000", "1.500,5", ""],
        "fee_currency": ["USD", "usd", ""], "associated_crimes": ["extortion;robbery", "", ""],
        "file_number": ["EXP-2021-0001", "", ""],
    })
    migrants = pd.DataFrame({
        "reporting_country": country, "person_id": ["P1", "P2", "P3"],
        "case_id": ["C1", "C1", "C2"], "nationality": ["HND", "GTM", "ven"],
        "sex": ["female", "male", "female"], "age_band": ["12-17", "18-29", "30-44"],
        "unaccompanied_child": ["sí", "no", ""], "full_name": ["Ana Example", "", ""],
    })
    legs = pd.DataFrame({
        "reporting_country": country, "case_id": ["C1", "C1"], "leg_order": ["1", "2"],
        "from_place": [p0, p1], "to_place": [p1, p0], "mode": ["land", "land"],
    })
    actors = pd.DataFrame({
        "reporting_country": country, "actor_id": ["A1", "A2", "A3"],
        "role": ["organizer", "guide", "transporter"], "base_country": [country, country, "MEX"],
        "alias": ["El Ejemplo", "", ""],
    })
    links = pd.DataFrame({
        "reporting_country": country, "source": ["A1", "A1"], "target": ["A2", "A3"],
        "relation": ["communication", "money"], "weight": ["3", ""], "period": ["2021-03", ""],
    })
    incidents = pd.DataFrame({
        "reporting_country": country, "incident_id": ["I1"], "date": ["2021-06-01"],
        "type": ["death"], "dead": ["2"], "missing": ["0"],
    })
    frames = {"cases": cases, "migrants": migrants, "route_legs": legs, "actors": actors,
              "links": links, "incidents": incidents}
    for name in TABLES:
        frames.setdefault(name, pd.DataFrame(columns=TABLES[name].names))
    return frames


def write_folder(root: Path, tables: dict[str, pd.DataFrame], country: str = "GTM",
                 synthetic: bool = True) -> Path:
    folder = root / country
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    (root / "dataset.yml").write_text(f"synthetic: {str(synthetic).lower()}\n", encoding="utf-8")
    return root


@pytest.fixture
def small_folder(tmp_path) -> Path:
    return write_folder(tmp_path / "data", small_tables())


@pytest.fixture
def demo_copy(tmp_path, demo_report_es) -> Path:
    """A copy of the demo data to edit, with the clean cache the Spanish build made of it."""
    target = tmp_path / "demo"
    shutil.copytree(paths.DEMO, target)
    return use_demo_cache(demo_report_es, data=target)


def _demo_build(tmp_path_factory, fixture: str) -> Path:
    name, config = DEMO_BUILDS[fixture]
    folder, code = shared_build(tmp_path_factory, f"build_{name}",
                                functools.partial(_run_demo, name, config))
    assert code == 0, (folder / "run.log").read_text(encoding="utf-8")[-3000:]
    return folder / "out"


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory) -> Path:
    """The whole diagnostic built once per session on the demo data, in English
    (config/demo_en.yml), for the end-to-end tests (which only read it)."""
    return _demo_build(tmp_path_factory, "demo_report")


@pytest.fixture(scope="session")
def demo_report_es(tmp_path_factory) -> Path:
    """The same in Spanish, as `make report` builds it (config/demo.yml, es_419)."""
    return _demo_build(tmp_path_factory, "demo_report_es")


@pytest.fixture(scope="session")
def demo_reports(request) -> Callable[[str], Path]:
    """The shared demo build of a language: `demo_reports("es")`."""
    return lambda lang: request.getfixturevalue({"en": "demo_report",
                                                  "es": "demo_report_es"}[lang])


def use_demo_cache(report: Path, state: Path | None = None, data: Path | None = None) -> Path:
    """Put the clean cache of the demo data that a shared build made (and its set-aside rows)
    into `state` (default: the test's state folder), so that a test on the demo data does not
    validate it again; ingestion still runs if the cache is stale for it (another key, other
    inputs). `data`: a copy of the demo folder (named like it) that gets the cache instead,
    until the test edits it. Returns the data folder (the demo's, or `data`)."""
    source, target = report.parent / "state", Path(state or os.environ[paths.STATE_ENV])
    for part in ("cache", "private"):
        shutil.copytree(source / part, target / part, dirs_exist_ok=True)
    if data is None:
        return paths.DEMO
    for where in (paths.cache_dir, paths.set_aside_dir):  # under the copy's own folder key
        built, copy = (where(f).relative_to(paths.state_dir()).parts[:2]
                       for f in (paths.DEMO, data))
        shutil.move(target / Path(*built), target / Path(*copy))
    return data


@pytest.fixture
def demo_cache(demo_report_es) -> Path:
    """The demo data folder, its clean cache already in the test's state folder."""
    return use_demo_cache(demo_report_es)


def notebook_of_build(report: Path, key: str, out: Path):
    """One job of a shared build as if its notebook had run alone into `out` (what
    `run_notebook` leaves, with the build's parameters): its annex record, every file it
    wrote (named by its annex section, and for a country brief by its country, or by the
    job's name) and its executed notebook are copied there. Returns the executed notebook."""
    import nbformat

    from analysis.report import rebuild

    executed = nbformat.read(report / "notebooks" / f"{key}.ipynb", as_version=4)
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, out / Path(executed.metadata.papermill.input_path).name)
    record = report / "annex" / f"{key}.json"
    entries = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else []
    if entries:  # a notebook writes annex files only through its annex
        (out / "annex").mkdir(exist_ok=True)
        shutil.copyfile(record, out / "annex" / record.name)
    section = entries[0]["number"].split(".")[0] if entries else None
    country = entries[0]["country"] if entries else ""
    for path in sorted(report.rglob("*")):
        inside = path.relative_to(report)
        if not path.is_file() or inside.parts[0] in ("annex", "html", "notebooks",
                                                     rebuild.RECORDS):
            continue
        named = path.name.startswith(f"{key}.") or (section is not None and re.match(
            rf"{section}\.\d+_" + (f"{country}_" if country else ""), path.name))
        if named:
            (out / inside).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out / inside)
    return executed


def run_notebook(name: str, out: Path, **parameters):
    """Run a shipped notebook with papermill; its annex goes to `out`. Returns the executed
    notebook (the kernel inherits the test's cache folder)."""
    import papermill

    out.mkdir(parents=True, exist_ok=True)
    return papermill.execute_notebook(
        str(paths.NOTEBOOKS / f"{name}.ipynb"), str(out / f"{name}.ipynb"),
        parameters={"output_dir": str(out), **parameters}, kernel_name="python3",
        progress_bar=False, cwd=str(paths.ROOT))


def outputs_html(executed) -> str:
    """All the HTML a notebook displayed."""
    return " ".join(str(o.get("data", {}).get("text/html", "")) for cell in executed["cells"]
                    for o in cell.get("outputs", []))


def kept_kernel_cells():
    """A kept kernel (as the runner uses) and a function that runs one cell in it and returns
    what the cell printed. Stop the kernel with `kernel.stop()`."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    from analysis.report import kernels

    kernels.ensure_kernel()
    kernel = kernels.KeptKernel()

    def run_cell(source: str) -> str:
        executed = NotebookClient(new_notebook(cells=[new_code_cell(source)]), km=kernel,
                                  kernel_name=kernels.KERNEL).execute()
        kernel.release()
        return "".join(o.get("text", "") for o in executed.cells[0].outputs)

    return kernel, run_cell
