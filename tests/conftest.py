"""Shared fixtures: a small valid data folder to break in many ways, and the real data."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock
from hypothesis import settings

from analysis.core import paths, reference
from analysis.core.contract import TABLES

REALDATA = paths.ROOT.parent / "shared" / "realdata"

# Property tests draw the same examples on every run, so a test run is reproducible;
# HYPOTHESIS_PROFILE=explore draws new ones (to hunt for failures).
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def _is_notebook(item) -> bool:
    return item.nodeid.split("::")[0].endswith(".ipynb")


def pytest_collection_modifyitems(config, items):
    """Fast tests first, so a failure shows early; the slow ones (marked `slow`) and the
    notebooks (nbval) after them. `make test` spreads the modules over pytest-xdist workers
    with `--dist loadscope`: the cells of one notebook stay together, in order, on one worker,
    and a module-scoped fixture is built once."""
    items.sort(key=lambda item: (_is_notebook(item),
                                 item.get_closest_marker("slow") is not None))


def shared_build(tmp_path_factory, name: str,
                 build: Callable[[Path], object]) -> tuple[Path, object]:
    """A folder built once per test session: `build(folder)` writes into it and returns a
    JSON-serializable result. Under pytest-xdist every worker shares it: the first one that
    needs it builds it while holding a file lock, the others wait and read it."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        return folder, build(folder)
    root = tmp_path_factory.getbasetemp().parent / "shared"  # one per session, every worker
    root.mkdir(exist_ok=True)
    folder, done = root / name, root / f"{name}.json"
    with FileLock(str(root / f"{name}.lock")):
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            done.write_text(json.dumps({"result": build(folder)}), encoding="utf-8")
    return folder, json.loads(done.read_text(encoding="utf-8"))["result"]


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
def demo_copy(tmp_path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(paths.DEMO, target)
    return target


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory) -> Path:
    """The whole diagnostic built once per session on the demo data, in English, for the
    end-to-end tests (which only read it)."""
    from analysis.report.cli import main

    def build(folder: Path) -> int:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(paths.STATE_ENV, str(folder / "state"))
            return main(["run", "--config", "config/demo_en.yml", "--out",
                         str(folder / "out"), "--name", "demo_en"])

    folder, code = shared_build(tmp_path_factory, "demo_report", build)
    assert code == 0, "the demo diagnostic did not build"
    return folder / "out"


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
