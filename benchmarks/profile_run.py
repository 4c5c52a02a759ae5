"""Where the time of a run goes, job by job: kernel start and imports, data load, computation,
figure export per format, HTML rendering and PDF printing.

Runs the jobs of a configuration one after another in one kept kernel (as one worker of the
runner does), with timers around the package's functions that load data, draw and export
figures, so the numbers add up to each notebook's wall time. Writes nothing the runner keeps:
the output goes to a temporary folder.

    python benchmarks/profile_run.py [--config config/demo.yml] [--notebooks 10_routes,...]
        [--countries GTM] [--json profile.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from analysis.core import paths
from analysis.data import ingest
from analysis.report import html as html_report
from analysis.report import kernels, pdf, runner

# Run in the kernel before each profiled notebook: CPU-time timers around what loads data and
# what exports figures, summed per name into `_PROFILE`. A figure's PNG costs png_raster (the
# 300 dpi raster, drawn once; the preview is made from it) plus png_write (compressing it).
INSTRUMENT = '''
import time as _time, functools as _functools
import matplotlib.figure as _mfig
from analysis.data import ingest as _ingest
from analysis.report import annex as _annex
_PROFILE = {}
def _timed(name, fn):
    @_functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = _time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _PROFILE[name] = _PROFILE.get(name, 0.0) + _time.process_time() - start
    wrapper._profiled = fn
    return wrapper
def _savefig(self, fname, *args, format=None, **kwargs):
    start = _time.process_time()
    try:
        return _savefig._profiled(self, fname, *args, format=format, **kwargs)
    finally:
        key = "savefig_" + str(format or str(fname).rsplit(".", 1)[-1])
        _PROFILE[key] = _PROFILE.get(key, 0.0) + _time.process_time() - start
_savefig._profiled = getattr(_mfig.Figure.savefig, "_profiled", _mfig.Figure.savefig)
_mfig.Figure.savefig = _savefig
for _owner, _name, _label in ((_ingest, "load", "data_load"),
                              (_annex.Annex, "save_figure", "figure_export"),
                              (_annex, "rasterize", "png_raster"),
                              (_annex, "write_png", "png_write"),
                              (_annex.Annex, "preview", "figure_preview"),
                              (_annex.Annex, "save_table", "table_export")):
    _fn = getattr(_owner, _name)
    setattr(_owner, _name, _timed(_label, getattr(_fn, "_profiled", _fn)))
'''
REPORT = "import json as _json; print(_json.dumps(_PROFILE))"
IMPORTS = ("import analysis.report.notebook, analysis.report.sections.routes, "
           "analysis.report.figures.maps, analysis.report.figures.network")


def _execute(cells: list[str], kernel) -> list:
    notebook = nbformat.v4.new_notebook(cells=[new_code_cell(c) for c in cells])
    NotebookClient(notebook, km=kernel, kernel_name=kernels.KERNEL, timeout=600).execute()
    kernel.release()
    return notebook.cells


def _kernel_cpu(kernel) -> float:
    process = psutil.Process(kernel.provisioner.process.pid)
    times = process.cpu_times()
    return times.user + times.system


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (Chromium)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def profile(config: runner.RunConfig) -> dict:
    """CPU seconds per phase for every job of the configuration (and each notebook's wall
    time), and the kernel's start."""
    data = ingest.load(config.data_dir, config.countries)
    countries = config.countries or sorted(set(data.cases["reporting_country"])
                                           | set(data.flows["reporting_country"]))
    jobs = runner.plan(config, countries)
    kernels.ensure_kernel()
    out = Path(config.out)
    browser = pdf.chromium()
    result: dict = {"jobs": {}}
    kernel = kernels.KeptKernel()
    start = time.perf_counter()
    _execute(["1"], kernel)
    result["kernel_start"] = round(time.perf_counter() - start, 2)
    start = time.perf_counter()
    _execute([IMPORTS], kernel)
    result["imports"] = round(time.perf_counter() - start, 2)
    result["kernel_start_cpu"] = round(_kernel_cpu(kernel), 2)
    printing = pdf.KeptBrowser()  # as the runner prints: one Chromium kept open
    try:
        for job in jobs:
            job.synthetic = data.synthetic
            kernel.clear()
            _execute([INSTRUMENT], kernel)
            kernel_cpu, host_cpu = _kernel_cpu(kernel), _cpu()
            runner.execute(job, out, kernel)  # notebook and its HTML page; no PDF here
            phases = json.loads(_execute([REPORT], kernel)[0].outputs[0]["text"])
            row = {"status": job.status, "notebook_wall": job.seconds,
                   "kernel_cpu": round(_kernel_cpu(kernel) - kernel_cpu, 2),
                   **{k: round(v, 2) for k, v in sorted(phases.items())},
                   "host_cpu": round(_cpu() - host_cpu, 2)}
            if job.kind == "brief" and browser and job.status == "ok":
                host_cpu = _cpu()
                with tempfile.TemporaryDirectory() as folder:
                    page = html_report.render_for_print(out / job.executed,
                                                        Path(folder) / "page.html",
                                                        config.lang, job.synthetic)
                    row["print_html_cpu"] = round(_cpu() - host_cpu, 2)
                    host_cpu, start = _cpu() + _browser_cpu(printing), time.perf_counter()
                    pdf.print_pdf(page, out / "pdf" / f"{job.key}.pdf", browser,
                                  kept=printing)
                    row["pdf_cpu"] = round(_cpu() + _browser_cpu(printing) - host_cpu, 2)
                    row["pdf_wall"] = round(time.perf_counter() - start, 2)
            result["jobs"][job.key] = row
            print(job.key, row, flush=True)
    finally:
        printing.close()
        kernel.stop()
    return result


def _browser_cpu(printing: pdf.KeptBrowser) -> float:
    """CPU seconds of the Chromium kept open for printing (0 before it starts): its live
    processes, and those they reaped."""
    process = printing.process
    if process is None:
        return 0.0
    total = 0.0
    try:
        root = psutil.Process(process.pid)
        for member in (root, *root.children(recursive=True)):
            try:
                times = member.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system + times.children_user + times.children_system
    except psutil.Error:
        pass
    return total


def table(result: dict) -> str:
    """The profile as a Markdown table, with a total row."""
    columns = sorted({k for row in result["jobs"].values() for k in row} - {"status"},
                     key=lambda k: (k not in ("notebook_wall", "kernel_cpu"), k))
    lines = [f"Kernel start {result['kernel_start']} s, imports {result['imports']} s "
             f"(kernel CPU {result['kernel_start_cpu']} s). CPU seconds unless named _wall; "
             "host_cpu: papermill and the HTML page in the runner's process.", "",
             "| job | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for key, row in result["jobs"].items():
        lines.append(f"| {key} | " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    totals = [round(sum(row.get(c, 0) for row in result["jobs"].values()), 2) for c in columns]
    lines.append("| total | " + " | ".join(map(str, totals)) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default="config/demo.yml")
    parser.add_argument("--notebooks", default="")
    parser.add_argument("--countries", default="")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crm-profile-") as out:
        config = runner.load_config(paths.resolve(args.config), out=out,
                                    notebooks=[n for n in args.notebooks.split(",") if n],
                                    countries=args.countries)
        result = profile(config)
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
