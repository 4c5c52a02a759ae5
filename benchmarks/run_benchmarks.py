"""`make bench`: wall time and peak memory of the pipeline at demo scales 1, 10, 100 and 1000;
the whole demo diagnostic cold and warm; the runner against the papermill and nbconvert command
lines; `make test` on a fresh clone.

Each step runs as its own process tree; peak memory is the largest sum of resident memory over
the tree (the runner and its notebook kernels), sampled every 0.1 s; CPU seconds are those of
the tree (user and system), with the processes that outlived their parents (Chromium's
renderers; see `adopt_orphans`). Results go to benchmarks/RESULTS.md and benchmarks/results.json;
a run that measures only some sections keeps the others from the last results.json.

- scales: `analysis run --force` on generated data of each scale.
- cold: `analysis run --config config/demo.yml --force` into a new output folder with a new
  cache (validation included), `--cold N` times; `--warm`: then the same run again without
  `--force` (every job reused); `--baseline REV`: the same cold runs, alternated, with the
  package and notebooks of git revision REV, for a before-and-after under the same load.
- compare: every job of the demo run (each country brief once per country), with the runner's
  parameters, through the papermill command line and then `jupyter nbconvert --to html
  --no-input --embed-images`, one after another, beside a cold runner run.
- suite: `make test` in a fresh clone of HEAD (with ../shared beside it when there is one).

    python benchmarks/run_benchmarks.py [--scales 1,10,100] [--cold 3] [--warm] [--compare]
        [--baseline REV] [--suite] [--network]
    python benchmarks/run_benchmarks.py --scales none --cold 3 --warm --compare
    python benchmarks/run_benchmarks.py --rewrite   # RESULTS.md again from the JSON files
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from analysis.core import paths
from analysis.data import ingest as io
from analysis.report import runner as run

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TARGETS = {1: (45, None), 100: (15 * 60, 8 * 1024**3), 1000: (30 * 60, 8 * 1024**3)}
SUITE_TARGET_S = 6 * 60  # `make test` on a fresh clone
COLD_TARGET_S = 45  # the whole demo diagnostic, cold, on the 2-core machine
COMPARE_TARGET = 8  # times faster than the command lines one after another


def adopt_orphans() -> None:
    """Make this process the reaper of its descendants whose parent ended first (Linux).

    CPU seconds are counted when a process is waited for. Chromium's renderers outlive the
    processes that started them: without this they went to the system's init, and their
    processor time was counted nowhere."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


PR_SET_CHILD_SUBREAPER = 36


def reap_orphans(seconds: float = 10.0) -> None:
    """Wait for the orphans adopted while a command ran (see `adopt_orphans`), at most
    `seconds`, so that their CPU seconds are counted with the command's."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def measure(command: list[str], env: dict | None = None) -> dict:
    """Run a command; its wall time, peak memory of the whole process tree, exit code, and
    CPU seconds of every process it started (orphans included: `adopt_orphans`)."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(command, env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    thread.join()
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 1),
            "peak_bytes": peak, "exit": process.returncode, "load": load(),
            "tail": output[-6000:]}


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes), as `uptime` shows them."""
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def analysis(*args: str) -> list[str]:
    return [str(BIN / "analysis"), *args]


def bench_scale(scale: int, work: Path, generated: Path | None = None,
                earlier: dict | None = None) -> dict:
    """Generate, validate and run the demo data of one scale. With `generated`, the folder
    `generated/scale_N` is used as it is when it exists (generation is not timed again: the
    entry keeps `earlier`'s, the last measured for that scale)."""
    data = (generated or work) / f"scale_{scale}"
    out = work / f"report_{scale}"
    state = {paths.STATE_ENV: str(work / f"state_{scale}")}
    result = {"scale": scale, "date": time.strftime("%Y-%m-%d")}
    if generated is not None and data.is_dir():
        result["generate"] = (earlier or {}).get("generate") or {"seconds": None}
    else:
        shutil.rmtree(data, ignore_errors=True)
        result["generate"] = measure(analysis("demo-data", str(data), "--scale", str(scale)))
    result["validate"] = measure(analysis("validate", str(data), "--lang", "en"), state)
    whole = measure(analysis("run", "--data", str(data), "--out", str(out), "--lang", "en",
                             "--name", f"bench{scale}", "--jobs", "2", "--force"), state)
    result["run"] = whole
    manifest = json.loads((out / "manifest.json").read_text()) if (
        out / "manifest.json").is_file() else {}
    result["notebooks"] = {n["key"]: {"seconds": n["seconds"], "status": n["status"]}
                           for n in manifest.get("notebooks", [])}
    result["render_seconds"] = manifest.get("render_seconds")
    if scale <= 10:
        result["notebook_peaks"] = {}
        for notebook in run.available_notebooks():
            only = ["--countries", "GTM"] if notebook.stem in run.RunConfig().per_country else []
            one = measure(analysis("run", "--data", str(data), "--out", str(work / "one"),
                                   "--lang", "en", "--jobs", "1", "--notebooks", notebook.stem,
                                   "--force", *only), state)
            result["notebook_peaks"][notebook.stem] = {"seconds": one["seconds"],
                                                       "peak_bytes": one["peak_bytes"]}
    return result


DEMO_CONFIG = paths.ROOT / "config" / "demo.yml"


def demo_run(out: Path, state: Path, force: bool = True, source: Path | None = None) -> dict:
    """`analysis run --config config/demo.yml` into `out` with the cache in `state`; with
    `source`, the package and notebooks of that checkout (see `checkout`)."""
    env = {paths.STATE_ENV: str(state)}
    if source is not None:
        env["PYTHONPATH"] = str(source / "src")
    result = measure(analysis("run", "--config", str(DEMO_CONFIG), "--out", str(out),
                              *(["--force"] if force else [])), env)
    manifest = out / "manifest.json"
    if manifest.is_file():
        notebooks = json.loads(manifest.read_text())["notebooks"]
        result["jobs"] = len(notebooks)
        result["reused"] = sum(n["status"] == "reused" for n in notebooks)
        result["failed"] = sum(n["status"] == "failed" for n in notebooks)
    return result


def checkout(revision: str, work: Path) -> Path:
    """The files of a git revision, extracted under `work` (for a before-and-after)."""
    folder = work / f"rev_{revision}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(paths.ROOT), "archive", revision],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def bench_cold(work: Path, repeat: int, warm: bool, baseline: str = "") -> dict:
    """The demo diagnostic cold (new output folder, new cache) `repeat` times, then warm;
    alternated with the same cold run at `baseline` when given."""
    source = checkout(baseline, work) if baseline else None
    result: dict = {"date": time.strftime("%Y-%m-%d"), "config": "config/demo.yml", "cold": [],
                    "baseline": baseline,
                    "baseline_cold": []}
    for n in range(repeat):
        for label, tree in (("cold", None), ("baseline_cold", source)):
            if label == "baseline_cold" and tree is None:
                continue
            out, state = work / f"{label}_{n}", work / f"{label}_state_{n}"
            for folder in (out, state):
                shutil.rmtree(folder, ignore_errors=True)
            print(f"  {label} {n + 1}/{repeat} …", flush=True)
            result[label].append(demo_run(out, state, source=tree))
    if warm and repeat:
        last = repeat - 1
        print("  warm …", flush=True)
        result["warm"] = demo_run(work / f"cold_{last}", work / f"cold_state_{last}",
                                  force=False)
    return result


def cli_jobs() -> tuple[run.RunConfig, list[run.Job]]:
    """The jobs of the demo run, with the parameters the runner gives them."""
    config = run.load_config(DEMO_CONFIG)
    data = io.load(config.data_dir, config.countries)
    countries = config.countries or sorted(set(data.cases["reporting_country"])
                                           | set(data.flows["reporting_country"]))
    return config, run.plan(config, countries)


def papermill_arguments(parameters: dict) -> list[str]:
    """Parameters as the papermill command line takes them: `-p name value`, and `-y` (YAML)
    for lists, which `-p` would pass as text."""
    arguments = []
    for name, value in parameters.items():
        if isinstance(value, list):
            arguments += ["-y", json.dumps({name: value})]
        else:
            arguments += ["-p", name, str(value)]
    return arguments


def compare_with_clis(work: Path, runner: dict | None = None) -> dict:
    """Every job of the demo run through the papermill and nbconvert command lines one after
    another, against the runner's cold run (`runner`: measured here unless given)."""
    state = {paths.STATE_ENV: str(work / "clis_state")}
    os.environ.update(state)  # the cache the jobs are planned from, as the loop's own
    _, jobs = cli_jobs()
    clis = work / "clis"
    shutil.rmtree(clis, ignore_errors=True)
    (clis / "executed").mkdir(parents=True)
    env = dict(os.environ)
    if runner is None:
        runner = demo_run(work / "cmp", work / "cmp_state")
    runner_seconds = runner["seconds"]
    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    for job in jobs:
        executed = clis / "executed" / f"{job.key}.ipynb"
        parameters = {**job.parameters, "output_dir": str(clis / "out")}
        subprocess.run([str(BIN / "papermill"), str(job.notebook), str(executed), "-k",
                        run.KERNEL, "--no-progress-bar", "--cwd", str(paths.NOTEBOOKS),
                        *papermill_arguments(parameters)],
                       check=True, capture_output=True, env=env)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        "--embed-images", str(executed)], check=True, capture_output=True,
                       env=env)
    sequential = time.perf_counter() - start
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"date": time.strftime("%Y-%m-%d"), "notebooks": len(jobs),
            "briefs": sum(j.kind == "brief" for j in jobs),
            "sequential_clis_seconds": round(sequential, 2),
            "sequential_clis_cpu_seconds": round(after.ru_utime - cpu.ru_utime
                                                 + after.ru_stime - cpu.ru_stime, 1),
            "runner_seconds": runner_seconds,
            "runner_cpu_seconds": runner.get("cpu_seconds"),
            "ratio": round(sequential / runner_seconds, 2) if runner_seconds else None,
            "load": load()}


def machine() -> str:
    memory = psutil.virtual_memory().total / 1024**3
    return (f"{platform.processor() or platform.machine()}, {psutil.cpu_count()} cores, "
            f"{memory:.0f} GiB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def gib(n: int) -> str:
    return f"{n / 1024**3:.2f} GiB"


def network_section(network: dict) -> list[str]:
    """benchmarks/results_network.json as readable tables (written by bench_network.py)."""
    from bench_network import section

    return section(network)


def seconds_list(runs: list[dict]) -> str:
    return ", ".join(f"{r['seconds']} s" for r in runs)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def cold_section(cold: dict) -> list[str]:
    """The demo diagnostic cold and warm, as a table with the target."""
    lines = ["## The demo diagnostic, cold and warm", "",
             "`analysis run --config config/demo.yml --force` into a new output folder with a "
             "new cache (validation included): "
             f"{cold['cold'][0].get('jobs', '?')} jobs, "
             "the country briefs printed to PDF. Warm: the same run again without `--force` "
             f"(nothing changed: every job reused). Measured {cold.get('date', 'earlier')}. "
             "Reproduce: `python "
             f"benchmarks/run_benchmarks.py --scales none --cold {len(cold['cold'])} --warm"
             + (f" --baseline {cold['baseline']}" if cold.get("baseline") else "") + "`.", "",
             "| run | wall seconds (each run) | median | CPU seconds (median) | load (1, 5, 15 "
             "min) at the end | target |", "|---|---|---:|---:|---|---|"]
    rows = [("cold", cold["cold"], COLD_TARGET_S)]
    if cold.get("baseline_cold"):
        rows.append((f"cold at {cold['baseline']} (before)", cold["baseline_cold"], None))
    if cold.get("warm"):
        rows.append(("warm (all reused)", [cold["warm"]], None))
    for label, runs, target in rows:
        wall = median([r["seconds"] for r in runs])
        verdict = (f"≤ {target} s — {'met' if wall <= target else 'MISSED'}" if target
                   else "")
        lines.append(f"| {label} | {seconds_list(runs)} | {wall:.1f} s | "
                     f"{median([r.get('cpu_seconds', 0) for r in runs]):.1f} | "
                     f"{'; '.join(r.get('load', '') for r in runs)} | {verdict} |")
    return lines


def compare_section(c: dict) -> list[str]:
    met = c["ratio"] is not None and c["ratio"] >= COMPARE_TARGET
    return ["## The runner against the command lines", "",
            f"The same {c['notebooks']} notebook runs (every report, and the country brief once "
            f"per country: {c['briefs']} briefs), with the runner's parameters, through the "
            "papermill command line (`-p` parameters, `-y` for lists) and then `jupyter "
            "nbconvert --to html --no-input --embed-images`, one after another: "
            f"{c['sequential_clis_seconds']} s ({c['sequential_clis_cpu_seconds']} CPU s); the "
            f"runner's cold run, which also validates, prints the briefs to PDF and writes the "
            f"catalogue and workbook: {c['runner_seconds']} s ({c.get('runner_cpu_seconds')} CPU "
            f"s). Ratio **{c['ratio']}** "
            f"(target ≥ {COMPARE_TARGET}: {'met' if met else 'MISSED'}); load at the end "
            f"{c['load']}. Measured {c.get('date', 'earlier')}. Reproduce: `python "
            "benchmarks/run_benchmarks.py --scales none "
            "--cold 1 --compare`."]


def write_results(results: dict, network: dict | None) -> None:
    lines = ["# Benchmarks", "", f"Machine: {machine()}.", "",
             f"Generated by `make bench` on {time.strftime('%Y-%m-%d')}. The machine is shared: "
             "the load averages say how busy it was.", ""]
    if results.get("cold"):
        lines += [*cold_section(results["cold"]), ""]
    if results.get("compare"):
        lines += [*compare_section(results["compare"]), ""]
    if results.get("suite"):
        lines += [*suite_section(results["suite"]), ""]
    lines += scale_section(results.get("scales", []))
    if network:
        lines += ["", *network_section(network)]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (HERE / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


def bench_suite(work: Path) -> dict:
    """`make test` on a fresh clone of this checkout's HEAD: set-up, ruff and the tests."""
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", str(paths.ROOT), str(clone)], check=True)
    shared = paths.ROOT.parent / "shared"
    if shared.is_dir() and not (work / "shared").exists():
        (work / "shared").symlink_to(shared)  # the real data beside the clone, as CI has it
    result = measure(["make", "-C", str(clone), "test"])
    slowest = result["tail"].split("slowest 10 durations")[-1].splitlines()[1:11]
    passed = [line for line in result["tail"].splitlines() if " in " in line and "passed" in line]
    return {**result, "date": time.strftime("%Y-%m-%d"), "slowest": slowest,
            "summary": passed[-1].strip("= ") if passed else ""}


def suite_section(suite: dict) -> list[str]:
    met = suite["exit"] == 0 and suite["seconds"] <= SUITE_TARGET_S
    lines = ["## Test suite", "",
             f"`make test` on a fresh clone (virtual environment, ruff, pytest and nbval on two "
             f"workers): **{suite['seconds']} s** wall"
             f"{f', {c} s CPU' if (c := suite.get('cpu_seconds')) is not None else ''}, exit "
             f"{suite['exit']} ({suite.get('summary', '')}); target ≤ {SUITE_TARGET_S} s: "
             f"{'met' if met else 'MISSED'}. Load at the end {suite['load']}. Measured "
             f"{suite.get('date', 'earlier')}. Reproduce: `python benchmarks/run_benchmarks.py "
             "--scales none --suite`.", "", "The ten slowest tests:", "", "```"]
    return [*lines, *suite.get("slowest", []), "```"]


def scale_section(results: list[dict]) -> list[str]:
    dates = sorted({r.get("date", "before 2026-12-03") for r in results})
    lines = ["## Demo data at scale", "", f"Measured {', '.join(dates)}. Reproduce: `python "
             "benchmarks/run_benchmarks.py --scales 1,10,100,1000` (`--generated DIR` keeps "
             "the generated folders and reuses them; a scale measured alone keeps the others' "
             "last results).", "",
             "| scale | generate | validate | whole run (wall) | whole run (CPU) "
             "| whole run (peak memory) | load | target |",
             "|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in results:
        limit = TARGETS.get(r["scale"])
        target = ""
        if limit:
            ok = r["run"]["seconds"] <= limit[0] and (
                limit[1] is None or r["run"]["peak_bytes"] <= limit[1])
            target = (f"≤ {limit[0]} s" + (f", ≤ {gib(limit[1])}" if limit[1] else "")
                      + (" — met" if ok else " — MISSED"))
        validate = f"{r['validate']['seconds']} s" if "validate" in r else "in the run"
        cpu = r["run"].get("cpu_seconds")
        lines.append(f"| {r['scale']} | {r['generate']['seconds']} s | {validate} | "
                     f"{r['run']['seconds']} s | {'' if cpu is None else f'{cpu} s'} | "
                     f"{gib(r['run']['peak_bytes'])} | {r['run'].get('load', '')} | {target} |")
    for r in results:
        lines += ["", f"## Scale {r['scale']}: notebooks", "",
                  "In the whole run, notebooks share kept kernels; a run of its own also counts "
                  "the runner's start, validation and a fresh kernel.", "",
                  "| notebook | seconds in the whole run | as a run of its own: seconds "
                  "| as a run of its own: peak memory |",
                  "|---|---:|---:|---:|"]
        peaks = r.get("notebook_peaks", {})
        for key, value in r["notebooks"].items():
            alone = peaks.get(key) or peaks.get(key.rsplit("_", 1)[0], {})
            lines.append(f"| {key} | {value['seconds']} | {alone.get('seconds', '')} | "
                         f"{gib(alone['peak_bytes']) if alone else ''} |")
        if r.get("render_seconds") is not None:
            lines.append(f"\nHTML rendering (each notebook, by the workers as it finishes), "
                         f"catalogue and index: {r['render_seconds']} s.")
    return lines


def _network() -> dict | None:
    path = HERE / "results_network.json"
    return json.loads(path.read_text()) if path.is_file() else None


def saved_results() -> dict:
    """The last results.json as sections (an older file held only the list of scales)."""
    path = HERE / "results.json"
    if not path.is_file():
        return {}
    saved = json.loads(path.read_text())
    return {"scales": saved} if isinstance(saved, list) else saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10,100",
                        help="demo scales to generate, validate and run ('none': skip)")
    parser.add_argument("--cold", type=int, default=0, metavar="N",
                        help="run the demo diagnostic cold N times")
    parser.add_argument("--warm", action="store_true",
                        help="then rerun it warm (every job reused)")
    parser.add_argument("--baseline", default="", metavar="REV",
                        help="alternate each cold run with one at git revision REV")
    parser.add_argument("--compare", action="store_true",
                        help="the runner against the papermill and nbconvert command lines")
    parser.add_argument("--network", action="store_true",
                        help="rerun benchmarks/bench_network.py (long) instead of reading its "
                             "last results")
    parser.add_argument("--suite", action="store_true",
                        help="time `make test` on a fresh clone of HEAD")
    parser.add_argument("--generated", type=Path, metavar="DIR",
                        help="keep the generated data in DIR/scale_N and use it as it is when "
                             "it is already there")
    parser.add_argument("--rewrite", action="store_true",
                        help="measure nothing: rewrite RESULTS.md from the saved JSON files")
    args = parser.parse_args()
    adopt_orphans()
    results = saved_results()  # sections not measured now are kept
    if args.rewrite:
        write_results(results, _network())
        return
    work = Path(tempfile.mkdtemp(prefix="crm-bench-"))
    if args.cold or args.warm:
        print("demo diagnostic, cold …", flush=True)
        results["cold"] = bench_cold(work, max(args.cold, 1), args.warm, args.baseline)
        write_results(results, _network())
    if args.compare:
        print("the command lines, one after another …", flush=True)
        colds = results.get("cold", {}).get("cold", []) if args.cold else []
        results["compare"] = compare_with_clis(work, colds[-1] if colds else None)
        write_results(results, _network())
    if args.suite:
        print("the test suite on a fresh clone …", flush=True)
        results["suite"] = bench_suite(work)
        write_results(results, _network())
    scales = [int(s) for s in args.scales.split(",") if s.strip().isdigit()]
    for scale in scales:
        print(f"scale {scale} …", flush=True)
        earlier = {r["scale"]: r for r in results.get("scales", [])}
        earlier[scale] = bench_scale(scale, work, args.generated, earlier.get(scale))
        results["scales"] = [earlier[k] for k in sorted(earlier)]  # other scales are kept
        write_results(results, None)  # what is measured so far is kept
    if args.network:
        subprocess.run([sys.executable, str(HERE / "bench_network.py")], check=False)
    write_results(results, _network())
    shutil.rmtree(work, ignore_errors=True)
    print((HERE / "RESULTS.md").read_text())


if __name__ == "__main__":
    main()
