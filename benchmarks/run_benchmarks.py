"""`make bench`: wall time and peak memory of the pipeline at demo scales 1, 10 and 100.

Each step runs as its own process tree; peak memory is the largest sum of resident memory over
the tree (the runner and its notebook kernels), sampled every 0.1 s. Results go to
benchmarks/RESULTS.md and benchmarks/results.json. Every run is forced (`--force`), so that it
measures a cold build even when an earlier benchmark left its output folder behind.

    python benchmarks/run_benchmarks.py [--scales 1,10,100] [--no-compare] [--network]
    python benchmarks/run_benchmarks.py --rewrite   # RESULTS.md again from the JSON files
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from analysis.core import paths
from analysis.report import runner as run

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
TARGETS = {1: (60, None), 100: (15 * 60, 8 * 1024**3)}


def measure(command: list[str], env: dict | None = None) -> dict:
    """Run a command; its wall time, peak memory of the whole process tree, exit code."""
    start = time.perf_counter()
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
    done.set()
    thread.join()
    return {"seconds": round(time.perf_counter() - start, 2), "peak_bytes": peak,
            "exit": process.returncode, "tail": output[-2000:]}


def analysis(*args: str) -> list[str]:
    return [str(BIN / "analysis"), *args]


def bench_scale(scale: int, work: Path, compare: bool) -> dict:
    data = work / f"scale_{scale}"
    out = work / f"report_{scale}"
    state = {paths.STATE_ENV: str(work / f"state_{scale}")}
    result = {"scale": scale}
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
    if compare:
        result["compare"] = compare_with_clis(data, work, state)
    return result


def compare_with_clis(data: Path, work: Path, state: dict) -> dict:
    """The runner against the same notebooks run one after another through the papermill
    and nbconvert command lines (the briefs for one country, as the runner does per country)."""
    notebooks = [nb for nb in run.available_notebooks() if not nb.stem.startswith("70")]
    clis = work / "clis"
    shutil.rmtree(clis, ignore_errors=True)
    clis.mkdir()
    start = time.perf_counter()
    for nb in notebooks:
        executed = clis / nb.name
        subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "-k", run.KERNEL,
                        "--no-progress-bar", "-p", "data_dir", str(data), "-p", "output_dir",
                        str(clis / "out"), "-p", "lang", "en"], check=True,
                       capture_output=True, env={**os.environ, **state})
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        "--embed-images", str(executed)], check=True, capture_output=True)
    sequential = time.perf_counter() - start
    runner = measure(analysis("run", "--data", str(data), "--out", str(work / "cmp"), "--lang",
                              "en", "--jobs", "2", "--force", "--notebooks",
                              ",".join(nb.stem for nb in notebooks)), state)
    return {"notebooks": len(notebooks), "sequential_clis_seconds": round(sequential, 2),
            "runner_seconds": runner["seconds"],
            "ratio": round(sequential / runner["seconds"], 2) if runner["seconds"] else None}


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


def write_results(results: list[dict], network: dict | None) -> None:
    lines = ["# Benchmarks", "", f"Machine: {machine()}.", "",
             f"Generated by `make bench` on {time.strftime('%Y-%m-%d')}.", "",
             "| scale | generate | validate | whole run (wall) | whole run (peak memory) "
             "| target |",
             "|---:|---:|---:|---:|---:|---|"]
    for r in results:
        limit = TARGETS.get(r["scale"])
        target = ""
        if limit:
            ok = r["run"]["seconds"] <= limit[0] and (
                limit[1] is None or r["run"]["peak_bytes"] <= limit[1])
            target = (f"≤ {limit[0]} s" + (f", ≤ {gib(limit[1])}" if limit[1] else "")
                      + (" — met" if ok else " — MISSED"))
        lines.append(f"| {r['scale']} | {r['generate']['seconds']} s | {r['validate']['seconds']}"
                     f" s | {r['run']['seconds']} s | {gib(r['run']['peak_bytes'])} | {target} |")
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
        if "compare" in r:
            c = r["compare"]
            lines.append(f"\nRunner against the papermill and nbconvert command lines, one "
                         f"after another ({c['notebooks']} notebooks): "
                         f"{c['sequential_clis_seconds']} s against {c['runner_seconds']} s, "
                         f"ratio {c['ratio']}.")
    if network:
        lines += ["", *network_section(network)]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (HERE / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


def _network() -> dict | None:
    path = HERE / "results_network.json"
    return json.loads(path.read_text()) if path.is_file() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--no-compare", action="store_true")
    parser.add_argument("--network", action="store_true",
                        help="rerun benchmarks/bench_network.py (long) instead of reading its "
                             "last results")
    parser.add_argument("--rewrite", action="store_true",
                        help="measure nothing: rewrite RESULTS.md from the saved JSON files")
    args = parser.parse_args()
    if args.rewrite:
        write_results(json.loads((HERE / "results.json").read_text()), _network())
        return
    work = Path(tempfile.mkdtemp(prefix="crm-bench-"))
    results = []
    for scale in (int(s) for s in args.scales.split(",")):
        print(f"scale {scale} …", flush=True)
        results.append(bench_scale(scale, work, compare=scale == 1 and not args.no_compare))
        write_results(results, None)  # what is measured so far is kept
    if args.network:
        subprocess.run([sys.executable, str(HERE / "bench_network.py")], check=False)
    write_results(results, _network())
    shutil.rmtree(work, ignore_errors=True)
    print((HERE / "RESULTS.md").read_text())


if __name__ == "__main__":
    main()
