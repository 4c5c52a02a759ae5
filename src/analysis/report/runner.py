"""The runner: validate once, execute every notebook with papermill in parallel, render
self-contained HTML, and write the index, the annex catalogue and the manifest.

A notebook that fails does not stop the others; the run reports it and exits non-zero.
"""

from __future__ import annotations

import itertools
import json
import platform
import queue
import re
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import papermill

from analysis.core import i18n, memory, paths
from analysis.core.privacy import DEFAULT_MIN_CELL_SIZE
from analysis.data import ingest as io
from analysis.report import kernels
from analysis.report.kernels import KERNEL

COMMON_PARAMETERS = ("data_dir", "output_dir", "countries", "period", "lang", "locale",
                     "min_cell_size", "run_date")
# Threads printing the briefs' PDFs: with two, the briefs that finish last are made ready to
# print (their print pages rendered) side by side. They share one Chromium kept open, which
# prints one page at a time: a second Chromium cost more processor time than it saved waiting.
PRINTERS = 2
# Libraries that shape outputs without being required by name (they come with pandas and
# matplotlib); every library the package requires is versioned too (`package_versions`).
INDIRECT = ("numpy", "fonttools")


class ConfigError(ValueError):
    """A run configuration or a notebook parameter that cannot work."""


@dataclass
class RunConfig:
    """What to run, on which data, for whom."""

    name: str = "demo"
    title: str = ""
    data: str = "data/demo"
    out: str = ""
    lang: str = "es"
    locale: str = ""  # how numbers and dates are written; "" = the language's default
    countries: list[str] = field(default_factory=list)
    period: str = ""
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE
    notebooks: list[str] = field(default_factory=list)
    per_country: list[str] = field(default_factory=lambda: ["70_country_brief"])
    parameters: dict[str, dict] = field(default_factory=dict)
    jobs: int = 2
    run_date: str = ""

    @property
    def out_dir(self) -> Path:
        return paths.resolve(self.out) if self.out else paths.REPORTS / self.name

    @property
    def data_dir(self) -> Path | None:
        """The data folder; None for runs whose notebooks read their own input files."""
        return paths.resolve(self.data) if self.data else None


def load_config(path: str | Path | None, **overrides) -> RunConfig:
    """A configuration file, with command-line values taking precedence."""
    values: dict = {}
    if path:
        config_path = paths.resolve(path)
        if not config_path.is_file():
            raise ConfigError(f"no configuration file {config_path}")
        values = paths.read_yaml(config_path) or {}
    values.update({k: v for k, v in overrides.items() if v not in (None, "", [])})
    known = set(RunConfig.__dataclass_fields__)
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"unknown configuration keys: {', '.join(unknown)}")
    if isinstance(values.get("countries"), str):
        values["countries"] = [c.strip().upper() for c in values["countries"].split(",") if c]
    config = RunConfig(**values)
    i18n.check_lang(config.lang)
    config.locale = i18n.check_locale(config.locale, config.lang)
    config.period = str(config.period) if config.period else ""
    return config


def available_notebooks() -> list[Path]:
    return sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@dataclass
class Job:
    """One execution of one notebook with one parameter set."""

    notebook: Path
    parameters: dict
    key: str
    status: str = "pending"
    seconds: float = 0.0  # executing the notebook
    render_seconds: float = 0.0  # rendering it to HTML
    error: str = ""
    html: str = ""
    executed: str = ""
    title: str = ""
    kind: str = "report"  # report | brief (a country brief: its page is also printed to PDF)
    synthetic: bool = False  # the data are synthetic: the page carries the banner
    print_with: str = ""  # the Chromium that prints a brief's PDF ("": no PDF)
    pdf: str = ""
    pdf_seconds: float = 0.0
    pdf_error: str = ""
    key_hash: str = ""  # what the job depends on (report.rebuild)
    memory: int = 0  # bytes its kernel is expected to hold at most (`expected_memory`)


def plan(config: RunConfig, countries: list[str]) -> list[Job]:
    """The jobs of a run, with their parameters checked against each notebook."""
    notebooks = available_notebooks()
    by_stem = {nb.stem: nb for nb in notebooks}
    chosen = config.notebooks or [nb.stem for nb in notebooks]
    missing = [s for s in chosen if s not in by_stem]
    if missing:
        raise ConfigError(f"no such notebook(s): {', '.join(missing)}")
    common = {
        "data_dir": str(config.data_dir or ""), "output_dir": str(config.out_dir),
        "countries": list(config.countries), "period": config.period, "lang": config.lang,
        "locale": config.locale,
        "min_cell_size": int(config.min_cell_size),
        "run_date": config.run_date or i18n.edition_date(),
    }
    jobs = []
    for stem in chosen:
        notebook = by_stem[stem]
        declared = set(papermill.inspect_notebook(str(notebook)))
        extra = config.parameters.get(stem, {})
        params = {**common, **extra}
        unknown = sorted(set(params) - declared - ({"country"} if stem in config.per_country
                                                   else set()))
        if unknown:
            raise ConfigError(f"{notebook.name} has no parameter(s) {', '.join(unknown)}")
        if stem in config.per_country:
            if "country" not in declared:
                raise ConfigError(f"{notebook.name} has no parameter country")
            jobs += [Job(notebook, {**params, "country": c}, f"{stem}_{c}", kind="brief")
                     for c in countries]
        else:
            jobs.append(Job(notebook, params, stem))
    return jobs


def execute(job: Job, out_dir: Path, kernel: kernels.KeptKernel | None = None) -> Job:
    """Run one notebook (in `kernel` if given, else a fresh one) and render it to HTML; keep
    the executed copy whatever happens. A brief's PDF is printed afterwards (`print_brief`)."""
    return render(run_notebook(job, out_dir, kernel), out_dir)


def run_notebook(job: Job, out_dir: Path, kernel: kernels.KeptKernel | None = None) -> Job:
    """Run one notebook (in `kernel` if given, else a fresh one); keep the executed copy
    whatever happens."""
    executed = out_dir / "notebooks" / f"{job.key}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(job.notebook), str(executed), parameters=job.parameters, kernel_name=KERNEL,
            progress_bar=False, log_output=False, cwd=str(paths.NOTEBOOKS), km=kernel,
            engine_name=kernels.ENGINE,
        )
        job.status = "ok"
    except papermill.PapermillExecutionError as error:
        job.status, job.error = "failed", f"{error.ename}: {error.evalue}"
    except Exception as error:  # noqa: BLE001 - the run reports any failure and goes on
        job.status, job.error = "failed", f"{type(error).__name__}: {error}"
    job.seconds = round(time.perf_counter() - start, 2)
    job.executed = str(executed.relative_to(out_dir))
    return job


def render(job: Job, out_dir: Path) -> Job:
    """The executed notebook of a job that ran, as its HTML page."""
    if job.status == "ok":
        from analysis.report import html as html_report

        start = time.perf_counter()
        try:
            job.html, job.title = html_report.render_notebook(
                out_dir / job.executed, out_dir, job.key, job.parameters["lang"],
                synthetic=job.synthetic, kind=job.kind)
        except Exception as error:  # noqa: BLE001 - the run reports any failure and goes on
            job.status, job.error = "failed", f"HTML: {type(error).__name__}: {error}"
        job.render_seconds = round(time.perf_counter() - start, 2)
    return job


def to_print(job: Job) -> bool:
    """Whether the job's page is still to be printed to PDF (a brief that ran, with a
    Chromium to print it)."""
    return job.status == "ok" and job.kind == "brief" and bool(job.print_with)


def print_brief(job: Job, out_dir: Path, kept=None) -> None:
    """The brief's page printed to `pdf/<key>.pdf` (by the Chromium `kept` open, if given); a
    failure is recorded with the job (the HTML brief stands)."""
    import tempfile

    from analysis.report import html as html_report
    from analysis.report import pdf

    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="analysis-print-") as folder:
            page = html_report.render_for_print(out_dir / job.executed,
                                                Path(folder) / f"{job.key}.html",
                                                job.parameters["lang"], job.synthetic)
            target = pdf.print_pdf(page, out_dir / "pdf" / f"{job.key}.pdf", job.print_with,
                                   day=job.parameters["run_date"], kept=kept)
        job.pdf = str(target.relative_to(out_dir))
    except pdf.PrintError as error:
        job.pdf_error = str(error)
    except Exception as error:  # noqa: BLE001 - the HTML brief stands; the run says why
        job.pdf_error = f"{type(error).__name__}: {error}"
    job.pdf_seconds = round(time.perf_counter() - start, 2)


# Each job's seconds on a quiet 2-core machine, by notebook, for the first run into a folder
# (later runs go by the seconds of the last one, in its manifest): the demo at scale 1, a kept
# kernel. Only their order matters. A notebook missing here runs first: its length is unknown.
FIRST_RUN_SECONDS = {
    "10_routes": 9.5, "40_networks": 8.0, "50_legislation": 5.5, "20_modus_operandi": 4.0,
    "00_data_quality": 3.8, "30_profiles": 3.3, "60_workplan": 2.6, "70_country_brief": 2.2,
    "15_flows": 0.4, "80_methodology": 0.4,
}
# The notebooks whose kernels hold memory in proportion to the rows they read (the network's
# graphs, the routes' legs, a country's own network and corridors in its brief; the other
# notebooks aggregate in DuckDB): bytes at their peak per accepted row read, measured at demo
# scale 1000 (21.9 million rows: the routes 2.8 GiB, the network 3.8, Mexico's brief 3.3).
BYTES_PER_ROW = {"10_routes": 140, "40_networks": 190, "70_country_brief": 700}
# What the kernels' jobs may be expected to hold together: a job that would take them beyond
# it waits while another runs (a kernel takes the next job that fits instead). With the
# runner (0.4 GiB) and the Chromium printing the briefs (1 GiB), a run stays under 8 GiB.
MEMORY_BUDGET = 11 << 29  # 5.5 GiB
# A kernel that ran a job expected to hold more than this is replaced by a fresh one: what
# the job held is then given back whole (a kept kernel's heap keeps part of it).
FRESH_AFTER = 1 << 30
# Seconds to print a brief's PDF after its notebook ran (with a Chromium kept open):
# a brief counts as that much longer, so briefs are not the last jobs while the others wait.
PRINT_SECONDS = 1.0
# Run in each kept kernel as soon as it starts, before the jobs are known: the modules the
# notebooks import (pandas, matplotlib, the report's own; every kernel runs country briefs,
# which use the maps and the network measures), loaded while the runner validates, and
# frozen out of the garbage collector's way (see kernels.CLEAR).
WARM_UP = ("import analysis.report.notebook, analysis.report.figures.charts, "
           "analysis.report.sections.country_brief, gc\ngc.freeze()")


class Workers:
    """The kept kernels of a run, each on a thread of its own; the thread that renders the
    executed notebooks to HTML, and those that print the briefs' PDFs (`PRINTERS`).

    The kernels may start before the jobs are known (`start`): each starts and imports the
    modules the notebooks use (`WARM_UP`) while the runner validates the data. `run` hands
    them the jobs; `stop` stops kernels for which no job will come (a run that ended first).
    Jobs are taken in order, but one whose memory (`Job.memory`) would take the running
    jobs' beyond the budget waits until it fits or runs alone (a kernel then takes the next
    job that fits instead).
    """

    def __init__(self, out_dir: Path, warm_up: str = "") -> None:
        self.out_dir, self.warm_up = out_dir, warm_up
        self.todo: list[Job] = []
        self.taking = threading.Condition()  # guards todo, closed, budget and in_use
        self.budget = MEMORY_BUDGET
        self.in_use = 0  # the running jobs' expected memory
        self.done: queue.Queue = queue.Queue()
        self.rendering: queue.Queue = queue.Queue()
        self.printing: queue.Queue = queue.Queue()
        self.threads: list[threading.Thread] = []
        self.closed = False
        self.browser = None  # the Chromium kept open for the printers (pdf.KeptBrowser)

    def start(self, workers: int) -> None:
        """As many kept kernels as `workers`, counting those already started."""
        while len(self.threads) < max(1, workers):
            thread = threading.Thread(target=self._worker, daemon=True)
            thread.start()
            self.threads.append(thread)

    def run(self, jobs: list[Job], workers: int, executed=None, budget: int = MEMORY_BUDGET):
        """Run the jobs on at most `workers` kernels (fewer when there are fewer jobs; one
        started beforehand and not needed stops), yields each as it finishes (a brief once
        printed). `executed`, if given, is called once every notebook has run, while the
        last briefs may still be printing; what it raises is raised here at the end. Jobs whose
        expected memory adds up to more than `budget` bytes do not run at the same time."""
        from analysis.report import pdf

        self.start(min(workers, len(jobs)))
        self.browser = pdf.KeptBrowser()
        renderer = threading.Thread(target=self._renderer, daemon=True)
        printers = [threading.Thread(target=self._printer, daemon=True)
                    for _ in range(PRINTERS)]
        for thread in (renderer, *printers):
            thread.start()
        with self.taking:
            self.budget = budget
            self.todo.extend(jobs)
            self.taking.notify_all()
        self.close()
        failures: list[BaseException] = []

        def close_printers():
            for thread in self.threads:
                thread.join()
            self.rendering.put(None)
            renderer.join()
            for _ in printers:
                self.printing.put(None)
            if executed is not None:
                try:
                    executed()
                except Exception as error:  # noqa: BLE001 - raised in the run's thread
                    failures.append(error)

        closer = threading.Thread(target=close_printers, daemon=True)
        closer.start()
        try:
            for _ in jobs:
                yield self.done.get()
            for thread in (*self.threads, closer, renderer, *printers):
                thread.join()
        finally:  # any page left to print then is printed by a Chromium of its own
            self.browser.close(usable=False)
        if failures:
            raise failures[0]

    def close(self) -> None:
        """No more jobs: each kernel stops once the queue is empty (at once if none came)."""
        with self.taking:
            self.closed = True
            self.taking.notify_all()

    def stop(self) -> None:
        """Close, and wait until every kernel has stopped (a run that ends before its jobs)."""
        self.close()
        for thread in self.threads:
            thread.join()

    def _worker(self) -> None:
        """Take jobs until none is left, all in one kept kernel, cleared between notebooks;
        each executed notebook goes on to the renderer, and the kernel to the next job."""
        kernel = kernels.KeptKernel()
        try:
            if self.warm_up and not self.closed:
                kernel.warm_up(self.warm_up, str(paths.NOTEBOOKS))
            while (job := self._take()) is not None:
                try:
                    if not kernel.ready():  # it died or could not be cleared: a new one
                        kernel.stop()
                        kernel = kernels.KeptKernel()
                    run_notebook(job, self.out_dir, kernel)
                    kernel.release()
                    if job.memory > FRESH_AFTER:
                        kernel.stop()
                        kernel = kernels.KeptKernel()
                except Exception as error:  # noqa: BLE001 - reported with the job; the run goes on
                    job.status, job.error = "failed", f"{type(error).__name__}: {error}"
                finally:  # every job comes back, or the run would wait for ever
                    if job.memory:
                        with self.taking:
                            self.in_use -= job.memory
                            self.taking.notify_all()
                    self.rendering.put(job)
        finally:
            kernel.stop()

    def _take(self) -> Job | None:
        """The first job to run now (waiting for one), or None once the jobs are all taken:
        a job whose memory would take the running jobs' beyond the budget is passed over
        (unless none is running: then it runs alone)."""
        with self.taking:
            while True:
                for index, job in enumerate(self.todo):
                    if job.memory and self.in_use and self.in_use + job.memory > self.budget:
                        continue
                    self.in_use += job.memory
                    return self.todo.pop(index)
                if self.closed and not self.todo:
                    return None
                self.taking.wait()

    def _renderer(self) -> None:
        """Render the executed notebooks to HTML while the kernels go on with the next ones.
        A brief goes on to the printer; every other job is done. Stops at None."""
        while (job := self.rendering.get()) is not None:
            try:
                render(job, self.out_dir)
            except Exception as error:  # noqa: BLE001 - reported with the job; the run goes on
                job.status, job.error = "failed", f"HTML: {type(error).__name__}: {error}"
            finally:
                (self.printing if to_print(job) else self.done).put(job)

    def _printer(self) -> None:
        """Print the briefs' PDFs one after another while the kernels go on with the next
        notebooks (Chromium mostly waits: printing in the workers held their kernels idle),
        with the Chromium the printers share (`self.browser`); stops at None."""
        while (job := self.printing.get()) is not None:
            try:
                print_brief(job, self.out_dir, self.browser)
            finally:
                self.done.put(job)


def schedule(jobs: list[Job], previous: dict[str, float]) -> list[Job]:
    """The order to run the jobs in: longest first, so that no long notebook starts last
    while the other workers wait. A job's length is its seconds in the last run into the same
    folder (`previous`), else its notebook's `FIRST_RUN_SECONDS`; a brief to print counts
    `PRINT_SECONDS` more. Jobs of unknown length go first, the regional reports before the
    country briefs."""
    def length(job: Job) -> float | None:
        seconds = previous.get(job.key, FIRST_RUN_SECONDS.get(job.notebook.stem))
        if seconds is None:
            return None
        return seconds + (PRINT_SECONDS if job.kind == "brief" and job.print_with else 0.0)

    lengths = {id(job): length(job) for job in jobs}
    unknown = [j for j in jobs if lengths[id(j)] is None]
    known = [j for j in jobs if lengths[id(j)] is not None]
    unknown.sort(key=lambda j: j.kind == "brief")  # stable: notebook order otherwise
    known.sort(key=lambda j: -lengths[id(j)])  # stable: equal lengths in notebook order
    return unknown + known


def previous_seconds(out_dir: Path) -> dict[str, float]:
    """Each job's seconds in the last run into `out_dir` (its manifest), where it ran."""
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        return {n["key"]: float(n["seconds"] + n.get("render_seconds", 0))
                for n in manifest["notebooks"] if n.get("status") == "ok"}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def execute_all(jobs: list[Job], out_dir: Path, workers: int, pool: Workers | None = None,
                executed=None, budget: int = MEMORY_BUDGET):
    """Run the jobs on `workers` kept kernels (those of `pool` when given, perhaps started
    already), and print the briefs' PDFs on threads of their own (`PRINTERS`); yields each
    job as it finishes (a brief once printed). `executed` and `budget`: see `Workers.run`."""
    yield from (pool or Workers(out_dir)).run(jobs, workers, executed, budget)


def expected_memory(job: Job, rows: dict[str, int]) -> int:
    """The bytes `job`'s kernel is expected to hold at most, from the accepted rows it reads
    (`rows`: by reporting country): 0 for a notebook whose memory does not grow with them."""
    countries = ([job.parameters["country"]] if job.parameters.get("country")
                 else job.parameters.get("countries") or list(rows))
    return BYTES_PER_ROW.get(job.notebook.stem, 0) * sum(rows.get(c, 0) for c in countries)


def kernel_budget() -> int:
    """What the kernels' jobs may hold together: `MEMORY_BUDGET`, or less when the machine
    has less available (three quarters of it)."""
    available = memory.available()
    return MEMORY_BUDGET if available is None else min(MEMORY_BUDGET, available * 3 // 4)


def package_versions() -> dict[str, str]:
    """Python's version and those of the package, of every library it requires at run time
    and of `INDIRECT`: a new version of any of them may change a number or a figure, so it
    is part of every job's key."""
    required = [re.match(r"[A-Za-z0-9_.-]+", r).group() for r in metadata.requires("analysis")
                or () if "extra ==" not in r]
    versions = {"python": platform.python_version()}
    for name in sorted({"analysis", *required, *INDIRECT}):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def may_write(out_dir: Path) -> bool:
    """Whether a run may write into `out_dir`; a run refuses any other folder before its
    first job, so no kernel is started for it."""
    try:
        paths.check_output_folder(out_dir)
    except paths.NotAnOutputFolder:
        return False
    return True


def run(config: RunConfig, echo=print, force: bool = False) -> int:
    """Build the whole diagnostic; the exit status is 0 only if every notebook ran. Jobs whose
    key did not change since the last run into the same folder are reused, unless `force`.

    When every job is to run (`force`, or no earlier run into the folder) and the folder may
    be written, the kernels start and import the notebooks' modules while the data are
    validated."""
    pool = None
    if ((force or not (config.out_dir / "manifest.json").is_file())
            and may_write(config.out_dir)):
        kernels.ensure_kernel()
        pool = Workers(config.out_dir, WARM_UP)
        pool.start(min(config.jobs, len(config.notebooks or available_notebooks())))
    try:
        return _run(config, echo, force, pool)
    finally:
        if pool is not None and not pool.closed:  # the run ended before its jobs
            pool.stop()


def _run(config: RunConfig, echo, force: bool, pool: Workers | None) -> int:
    from analysis.data import validation_report
    from analysis.report import catalogue, pdf, rebuild
    from analysis.report import html as html_report

    lang = config.lang
    i18n.use_locale(config.locale, lang)
    out_dir = config.out_dir
    data = everything = None
    rows: dict[str, int] = {}  # rows accepted in the whole data folder, by country
    if config.data_dir is not None:
        try:  # validated only when the input files changed since the cache was written
            everything = io.load(config.data_dir)
        except io.InputError as error:
            echo(validation_report.render(error.validation, config.data_dir, lang))
            echo(i18n.t("validation.stopped", lang))
            return 1
        rows = {country: int(n) for country, n in
                everything.counts.groupby("reporting_country")["accepted"].sum().items()}
        echo(i18n.t("run.validated", lang, rows=sum(rows.values()),
                    set_aside=int(everything.counts["set_aside"].sum())))
        data = io.load(config.data_dir, config.countries)
    countries = config.countries or (  # briefs: countries with cases or official flows
        sorted(data.query("SELECT reporting_country FROM cases UNION "
                          "SELECT reporting_country FROM flows")["reporting_country"])
        if data is not None else [])
    jobs = plan(config, countries)
    shared = rebuild.code_digest(package_versions())
    data_digests = rebuild.data_digests(jobs, everything)
    if everything is not None:  # what validation and the digests' query kept goes back
        everything.close()      # before the kernels need it (about 1 GiB at demo scale 1000)
        memory.give_back()
    for job in jobs:
        job.key_hash = rebuild.job_key(job, shared, data_digests[job.key])
        job.memory = expected_memory(job, rows)
    browser = pdf.chromium() if any(j.kind == "brief" for j in jobs) else None
    for job in jobs:
        job.synthetic = bool(data is not None and data.synthetic)
        job.print_with = browser or ""
    previous = previous_seconds(out_dir)  # read before the folder is prepared
    try:
        reused = rebuild.prepare(out_dir, jobs, force)
    except paths.NotAnOutputFolder as error:
        raise ConfigError(i18n.t("run.error_out_not_ours", lang, out=str(error),
                                 mark=paths.OUTPUT_MARK)) from None
    todo = schedule([job for job in jobs if job.status == "pending"], previous)
    if todo:
        kernels.ensure_kernel()
    echo(i18n.t("run.starting", lang, n=len(jobs), jobs=config.jobs, out=out_dir))
    started = time.perf_counter()
    catalogue_seconds: list[float] = []

    def write_catalogue() -> None:  # every notebook has run: its annex entries are written
        start = time.perf_counter()
        catalogue.write(out_dir, lang)
        catalogue_seconds.append(time.perf_counter() - start)

    finished = itertools.chain(reused, execute_all(
        todo, out_dir, config.jobs, pool, executed=write_catalogue,
        budget=kernel_budget()) if todo else ())
    for done, job in enumerate(finished, start=1):
        if job.status == "ok":
            rebuild.write_record(out_dir, job)
        status = i18n.t(f"run.status_{job.status}", lang)
        seconds = i18n.fmt_number(job.seconds, lang, 1)
        echo(f"[{done}/{len(jobs)}] {job.key}: {status} ({seconds} s)"
             + (f" — {job.error}" if job.error else ""))
        if job.pdf_error:
            echo(i18n.t("run.pdf_failed", lang, name=job.key, error=job.pdf_error))
    if browser is None and any(j.kind == "brief" for j in jobs):
        echo(i18n.t("run.pdf_skipped", lang))
    render_start = time.perf_counter()
    if not todo:  # else written while the last briefs were printing
        write_catalogue()
    html_report.write_index(out_dir, config, jobs, data, lang)
    render_seconds = round(time.perf_counter() - render_start
                           + (sum(catalogue_seconds) if todo else 0.0)
                           + sum(j.render_seconds for j in jobs),
                           2)  # the notebooks are rendered by the workers, as each finishes
    manifest = {
        "name": config.name,
        "parameters": asdict(config),
        "data_dir": str(config.data_dir or ""),
        "inputs_sha256": io.signature(config.data_dir) if data is not None else {},
        "synthetic": bool(data is not None and data.synthetic),
        "versions": package_versions(),
        "platform": f"{platform.system()} {platform.machine()}, {sys.version.split()[0]}",
        "seconds_total": round(time.perf_counter() - started, 2),
        "render_seconds": render_seconds,
        "notebooks": [{"key": j.key, "key_hash": j.key_hash, "notebook": j.notebook.name,
                       "status": j.status,
                       "seconds": j.seconds, "render_seconds": j.render_seconds,
                       "error": j.error, "html": j.html, "pdf": j.pdf,
                       "pdf_seconds": j.pdf_seconds, "pdf_error": j.pdf_error,
                       "executed": j.executed} for j in jobs],
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False),
                                           encoding="utf-8")
    failed = [j for j in jobs if j.status == "failed"]
    echo(i18n.t("run.finished", lang, ok=len(jobs) - len(failed), failed=len(failed),
                index=out_dir / "index.html"))
    return 1 if failed else 0
