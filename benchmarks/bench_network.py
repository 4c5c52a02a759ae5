"""Network analysis at regional and national scale, and networkx against the igraph fast path.

    python benchmarks/bench_network.py [--nodes 100000] [--edges 500000] [--no-error-check]
        [--national 100000,1000000] [--before REV]

1. A heavy-tailed random network (Chung-Lu / static power law, exponent 2.3, fixed seed) of
   100,000 actors and 500,000 links, given contract-like attributes and built with
   `from_tables`; times describe, centrality, communities, disruption and key players on the
   fast path (sampled betweenness, closeness and path lengths: `scale.sources`).
2. A 5,000-actor network of the same kind: networkx against the fast path (time ratio and
   the largest absolute difference of every measure), and the sampled estimates against the
   exact values.
3. A 20,000-actor network: the error of the sampled estimates at a lower sampling rate.
4. National scale (`--national`): the package's own synthetic network generator
   (`analysis.data.synthetic.networks.draw_network`, the demo's structures; scale 1000 of
   the demo is a million actors and five million link rows) at each size, each in a process
   of its own, every step of the 40_networks notebook timed with the process's peak memory
   after it. `--before REV` runs the same steps with the package as it was at git revision
   REV (steps it does not have are left out) for a before/after table.

Prints the network section of benchmarks/RESULTS.md, writes it there (replacing the old
one) and writes benchmarks/results_network.json (what a run does not measure stays as saved).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from analysis.core.reference import CRM_MEMBERS
from analysis.diagnostic.network import build, measures
from analysis.diagnostic.network import disruption as scenarios
from analysis.diagnostic.network.communities import communities

try:
    from analysis.diagnostic.network import scale as size_rule
except ImportError:  # the package at an earlier revision (--before)
    size_rule = None

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = 2026
SAMPLE = 500  # sources of the exact-vs-sampled comparisons (the most `scale.sources` gives)
ROLES = ("organizer", "recruiter", "guide", "transporter", "lodging", "forger", "money_handler",
         "corrupt_official", "front_company", "other")
ROLE_WEIGHTS = (0.05, 0.15, 0.2, 0.25, 0.1, 0.04, 0.06, 0.05, 0.02, 0.08)
STAGES = ("origin", "transit", "border", "destination")
RELATIONS = ("communication", "money", "co_offending", "logistics", "kinship")


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, round(time.perf_counter() - start, 2)


def power_law_edges(nodes: int, edges: int, seed: int) -> np.ndarray:
    """Edges of a Chung-Lu graph with a power-law degree sequence (igraph, fixed seed)."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        graph = ig.Graph.Static_Power_Law(nodes, edges, exponent_out=2.3)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(graph.get_edgelist(), dtype=np.int64)


def contract_tables(nodes: int, edges: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Actors and links tables shaped like the data contract, on a power-law graph."""
    rng = np.random.default_rng(seed)
    pairs = power_law_edges(nodes, edges, seed)
    ids = np.array([f"A-{i:012x}" for i in rng.permutation(16**6)[:nodes]], dtype=object)
    actors = pd.DataFrame({
        "reporting_country": rng.choice(CRM_MEMBERS, nodes),
        "actor_id": ids,
        "role": rng.choice(ROLES, nodes, p=ROLE_WEIGHTS),
        "base_country": rng.choice(CRM_MEMBERS, nodes),
        "route_stage": rng.choice(STAGES, nodes),
    })
    links = pd.DataFrame({
        "reporting_country": rng.choice(CRM_MEMBERS, len(pairs)),
        "source": ids[pairs[:, 0]],
        "target": ids[pairs[:, 1]],
        "relation": rng.choice(RELATIONS, len(pairs)),
        "weight": rng.integers(1, 6, len(pairs)).astype(float),
        "period": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 1800,
                                                                              len(pairs)), "D"),
    })
    return actors, links


def plain_graph(nodes: int, edges: int, seed: int) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(power_law_edges(nodes, edges, seed).tolist())
    return graph


def errors(estimate: pd.Series, exact: pd.Series) -> dict:
    difference = (estimate - exact).abs()
    top = 10
    return {
        "max_abs_error": float(difference.max()),
        "mean_abs_error": float(difference.mean()),
        "max_value": float(exact.max()),
        "top10_overlap": len(set(estimate.nlargest(top).index) & set(exact.nlargest(top).index)),
        "same_top_actor": bool(estimate.idxmax() == exact.idxmax()),
    }


def scale_run(nodes: int, edges: int) -> dict:
    actors, links = contract_tables(nodes, edges, SEED)
    seconds = {}
    graph, seconds["from_tables"] = timed(build.from_tables, actors, links)
    summary, seconds["describe"] = timed(measures.describe, graph)
    table, seconds["centrality"] = timed(measures.centrality, graph)
    found, seconds["communities_leiden"] = timed(communities, graph)
    disruption = {}
    per_step = 0.01
    for strategy, recompute in (("degree", False), ("degree", True), ("betweenness", False),
                                ("role", False), ("random", False)):
        name = f"disruption_{strategy}{'_recompute' if recompute else ''}_20x1pct"
        result, seconds[name] = timed(scenarios.disruption, graph, strategy, steps=20,
                                      per_step=per_step, recompute=recompute)
        disruption[name] = {
            "lcc_share_after": round(float(result["lcc_share"].iloc[-1]), 4),
            "components_after": int(result["components"].iloc[-1]),
            "stage_pairs_connected_after": float(result["stage_pairs_connected"].iloc[-1]),
        }
    players, seconds["key_players_k5_pool50"] = timed(scenarios.key_players, graph, 5, restarts=2)
    return {
        "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
        "seconds": seconds, "total_seconds": round(sum(seconds.values()), 1),
        "describe": summary, "communities": int(found.membership.max() + 1),
        "modularity": round(found.modularity, 4), "disruption": disruption,
        "key_players_fragmentation": round(players.fragmentation, 4),
        "centrality_sample": table.attrs["sample"],
    }


def compare_run(nodes: int, edges: int) -> dict:
    graph = plain_graph(nodes, edges, SEED + 1)
    slow, slow_s = timed(measures.centrality, graph, fast=False)
    fast, fast_s = timed(measures.centrality, graph, fast=True, sample=None)
    described_slow, describe_slow_s = timed(measures.describe, graph, fast=False)
    described_fast, describe_fast_s = timed(measures.describe, graph, fast=True, sample=None)
    sampled, sampled_s = timed(measures.centrality, graph, fast=True,
                               sample=SAMPLE)
    paths, paths_s = timed(measures.describe, graph, fast=True, sample=SAMPLE)
    return {
        "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
        "centrality_seconds": {"networkx": slow_s, "igraph_exact": fast_s,
                               "igraph_sampled": sampled_s},
        "centrality_ratio": round(slow_s / fast_s, 1) if fast_s else None,
        "describe_seconds": {"networkx": describe_slow_s, "igraph_exact": describe_fast_s,
                             "igraph_sampled": paths_s},
        "describe_ratio": round(describe_slow_s / describe_fast_s, 1) if describe_fast_s else None,
        "max_abs_difference_networkx_vs_igraph": {
            column: float((slow[column] - fast[column]).abs().max()) for column in slow
        },
        "describe_max_abs_difference": max(
            abs(described_slow[k] - described_fast[k]) for k, v in described_slow.items()
            if isinstance(v, int | float) and not isinstance(v, bool) and v is not None
        ),
        "sampled_sources": SAMPLE,
        "sampled_betweenness": errors(sampled["betweenness"], fast["betweenness"]),
        "sampled_closeness": errors(sampled["closeness"], fast["closeness"]),
        "sampled_average_path_length": {
            "exact": described_fast["average_path_length"],
            "estimate": paths["average_path_length"],
        },
        "sampled_diameter": {"exact": described_fast["diameter"], "estimate": paths["diameter"]},
    }


def sampling_error_run(nodes: int, edges: int) -> dict:
    graph = plain_graph(nodes, edges, SEED + 2)
    exact, exact_s = timed(measures.centrality, graph, fast=True, sample=None)
    sampled, sampled_s = timed(measures.centrality, graph, fast=True,
                               sample=SAMPLE)
    return {
        "nodes": nodes, "edges": graph.number_of_edges(),
        "seconds": {"igraph_exact": exact_s, "igraph_sampled": sampled_s},
        "sampled_sources": SAMPLE,
        "sampled_betweenness": errors(sampled["betweenness"], exact["betweenness"]),
        "sampled_closeness": errors(sampled["closeness"], exact["closeness"]),
    }


def synthetic_tables(actors: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Contract-shaped `actors` and `links` from the package's synthetic network generator
    (the demo's structures and five link rows per actor, as the demo at any scale)."""
    from analysis.data.synthetic.geography import ROUTES, geography
    from analysis.data.synthetic.networks import draw_network

    rng = np.random.default_rng(seed)
    cases = max(100, actors // 2)
    case_ids = np.array([f"C{i:08d}" for i in range(cases)], dtype=object)
    members = np.asarray(CRM_MEMBERS, dtype=object)
    frame, links = draw_network(rng, geography(), actors, 5 * actors, case_ids,
                                members[rng.integers(0, len(members), cases)],
                                rng.integers(0, len(ROUTES), cases))
    ids = np.array([f"{c}-A-{i:07d}" for i, c in enumerate(frame["reporting_country"])],
                   dtype=object)
    frame.insert(1, "actor_id", ids)
    links.insert(0, "reporting_country",
                 frame["reporting_country"].to_numpy()[links["source"].to_numpy()])
    links["source"] = ids[links["source"].to_numpy()]
    links["target"] = ids[links["target"].to_numpy()]
    links["weight"] = links["weight"].astype(int).astype(str)
    return frame, links


def peak_mib() -> float:
    """This process's peak resident memory so far, MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def notebook_steps(actors: int) -> dict:
    """Every step of the 40_networks notebook on a synthetic network of `actors` actors:
    seconds per step and the process's peak memory after it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.diagnostic.network import brokerage
    from analysis.report import network_report
    from analysis.report.figures import maps
    from analysis.report.figures import network as drawings

    seconds: dict[str, float] = {}  # wall clock
    cpu: dict[str, float] = {}  # this process's processor time (the machine may be shared)
    peaks: dict[str, float] = {}
    new = size_rule is not None

    def step(name, function, *args, **kwargs):
        start = time.process_time()
        result, seconds[name] = timed(function, *args, **kwargs)
        cpu[name] = round(time.process_time() - start, 2)
        peaks[name] = peak_mib()
        return result

    def draw(function, *args, **kwargs) -> None:
        fig, ax = plt.subplots(figsize=(9, 6.5))
        function(*args, ax=ax, **kwargs)
        fig.savefig(io.BytesIO(), format="png", dpi=100)
        plt.close(fig)

    actors_table, links = step("generate_tables", synthetic_tables, actors)
    graph = step("from_tables", build.from_tables, actors_table, links)
    del actors_table, links
    step("describe", measures.describe, graph)
    table = step("centrality", measures.centrality, graph)
    sample = table.attrs.get("sample")
    error = None
    if new and sample:
        error = step("sampling_error", measures.sampling_error, graph, sample)
    view = step("drawn_view", drawings.drawn_view, graph) if new else None
    shown = {"view": view} if new else {}
    step("draw_by_role", draw, drawings.plot_network, graph, color_by="role",
         size_by=table["betweenness"].to_dict(), **shown)
    found = step("communities_leiden", communities, graph, seed=42)
    step("draw_by_community", draw, drawings.plot_network, graph,
         color_by=dict(found.membership), size_by=table["degree"].to_dict(), **shown)
    with tempfile.TemporaryDirectory() as folder:
        written = network_report.exported_view(graph, view) if new else graph
        step("export_gephi", network_report.write_exports, written, table, found.membership,
             Path(folder), "40_networks", "en", False)
    groups = {n: d.get("base_country") for n, d in graph.nodes(data=True)}
    roles = step("brokerage", brokerage.brokerage, graph, groups)
    brokers = roles.sort_values("total", ascending=False).index[:3]
    step("ego_networks_x3", lambda: [draw(drawings.plot_ego, graph, node) for node in brokers])
    step("cross_border_ties", brokerage.cross_border_ties, graph)

    def geo() -> None:
        fig, ax, to_xy = maps.base_map(extent="region", lang="en")
        drawings.plot_geo_network(graph, network_report.positions(graph, to_xy), ax)
        fig.savefig(io.BytesIO(), format="png", dpi=100)
        plt.close(fig)

    step("geo_map", geo)
    per_step = max(1, round(graph.number_of_nodes() * 0.02))
    reuse = {"betweenness": table["betweenness"]} if new else {}
    for strategy in ("degree", "betweenness", "random", "role"):
        step(f"disruption_{strategy}_10x2pct", scenarios.disruption, graph, strategy, steps=10,
             per_step=per_step, seed=1, **reuse)
    players = step("key_players_k5", scenarios.key_players, graph, 5, seed=0, **reuse)
    timed_steps = {k: v for k, v in seconds.items() if k != "generate_tables"}
    return {
        "actors": graph.number_of_nodes(), "ties": graph.number_of_edges(),
        "link_rows": 5 * actors, "sources": sample, "seconds": seconds, "cpu_seconds": cpu,
        "peak_mib": peaks, "notebook_seconds": round(sum(timed_steps.values()), 1),
        "notebook_cpu_seconds": round(sum(v for k, v in cpu.items()
                                          if k != "generate_tables"), 1),
        "peak_mib_overall": peak_mib(), "sampling_error": error,
        "key_players_fragmentation": round(players.fragmentation, 4),
    }


def national_run(actors: int, python_path: str | None = None) -> dict | None:
    """`notebook_steps(actors)` in a process of its own (its own peak memory), with the
    package at `python_path` if given; None if the process failed."""
    env = dict(os.environ)
    if python_path:
        env["PYTHONPATH"] = python_path
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--steps",
                           str(actors)], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def package_at(revision: str, folder: Path) -> str:
    """A checkout of the package as it was at git `revision` (source, notebooks, reference
    data) in `folder`; returns the path to put on PYTHONPATH."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "src",
                              "pyproject.toml", "notebooks", "data/reference"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return str(folder / "src")


def section(network: dict) -> list[str]:
    """The network section of benchmarks/RESULTS.md from results_network.json."""
    lines = ["## Network measures (benchmarks/bench_network.py)", ""]
    five = network.get("compare_5k")
    if five:
        c, d = five["centrality_seconds"], five["describe_seconds"]
        lines += [f"Random graph of {five['nodes']:,} actors and {five['edges']:,} links.", "",
                  "| | networkx | igraph exact | igraph sampled | ratio networkx / igraph |",
                  "|---|---:|---:|---:|---:|",
                  f"| centrality(G) | {c['networkx']} s | {c['igraph_exact']} s | "
                  f"{c['igraph_sampled']} s | {five['centrality_ratio']} |",
                  f"| describe(G) | {d['networkx']} s | {d['igraph_exact']} s | "
                  f"{d['igraph_sampled']} s | {five['describe_ratio']} |", "",
                  "Largest difference between networkx and igraph (exact): " + ", ".join(
                      f"{k} {v:.1g}" for k, v in
                      five["max_abs_difference_networkx_vs_igraph"].items()) + "."]
    samples = [v for v in network.values() if isinstance(v, dict) and "sampled_betweenness" in v]
    if samples:
        lines += ["", "Sampled measures (fixed seed) against the exact values:", "",
                  "| graph | measure | sources | max abs error | mean abs error | largest value "
                  "| top-10 overlap | same top actor |", "|---|---|---:|---:|---:|---:|---:|---|"]
        for block in samples:
            for measure in ("betweenness", "closeness"):
                e = block[f"sampled_{measure}"]
                lines.append(
                    f"| {block['nodes']:,} actors | {measure} | {block['sampled_sources']} | "
                    f"{e['max_abs_error']:.4f} | {e['mean_abs_error']:.5f} | "
                    f"{e['max_value']:.4f} | {e['top10_overlap']}/10 | "
                    f"{'yes' if e['same_top_actor'] else 'no'} |")
    regional = network.get("scale")
    if regional:
        lines += ["", f"Regional scale: {regional['nodes']:,} actors, {regional['edges']:,} "
                  "links (power-law graph; igraph, sampled where the graph is large), "
                  f"{regional['total_seconds']} s in all:", "", "| step | seconds |",
                  "|---|---:|"]
        lines += [f"| {step} | {seconds} |" for step, seconds in regional["seconds"].items()]
    lines += national_section(network.get("national", {}), network.get("before", {}),
                              network.get("before_revision"))
    return lines


def national_section(runs: dict, before: dict, revision: str | None) -> list[str]:
    """Every step of the 40_networks notebook at national scale, after (and before) the
    size rule, with the peak memory of the process after each step."""
    if not runs:
        return []
    sizes = sorted(runs, key=int)
    head = ["step"]
    for size in sizes:
        if size in before:
            head.append(f"{int(size):,} actors: before s")
        head += [f"{int(size):,} actors: s", f"{int(size):,} actors: CPU s",
                 f"{int(size):,} actors: peak MiB"]
    lines = ["", "### National scale: the 40_networks notebook step by step", "",
             "The package's synthetic network generator (`draw_network`, five link rows per "
             "actor: a million actors is scale 1000 of the demo), every step of the notebook "
             "in one process per size; s is wall-clock time, CPU s the process's processor "
             "time (the machine is shared: wall time grows with the load), peak memory the "
             "process's (the tables included) after the step. Reproduce: "
             "`python benchmarks/bench_network.py --national "
             f"{','.join(sizes)}" + (f" --before {revision}`; before = the package at "
             f"{revision}, without the size rule (steps it did not have are blank; `—`: not "
             "run, it could not finish in the time)." if revision else "`."), "",
             "| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    steps = list(dict.fromkeys(k for size in sizes for k in runs[size]["seconds"]))
    for name in [*steps, "notebook (all steps but generation)"]:
        cells = [name]
        for size in sizes:
            run = runs[size]
            if size in before:
                old = before[size]
                if old is None:
                    cells.append("—")
                elif name.startswith("notebook"):
                    cells.append(f"{old['notebook_seconds']}")
                else:
                    cells.append(str(old["seconds"].get(name, "")))
            if name.startswith("notebook"):
                cells += [f"**{run['notebook_seconds']}**",
                          f"**{run.get('notebook_cpu_seconds', '')}**",
                          f"**{run['peak_mib_overall']}**"]
            else:
                cells += [str(run["seconds"].get(name, "")),
                          str(run.get("cpu_seconds", {}).get(name, "")),
                          str(run["peak_mib"].get(name, ""))]
        lines.append("| " + " | ".join(cells) + " |")
    for size in sizes:
        run, error = runs[size], runs[size].get("sampling_error")
        lines += ["", f"{run['actors']:,} actors, {run['ties']:,} ties: " + (
            "every measure exact." if not error else
            f"betweenness, closeness and path lengths from {error['sources']} sampled sources; "
            f"error measured on a pilot of {error['actors']:,} actors and {error['ties']:,} ties "
            f"with the same sources: betweenness max {error['betweenness']['max_abs_error']:.4f}"
            f" / mean {error['betweenness']['mean_abs_error']:.5f} (largest value "
            f"{error['betweenness']['max_value']:.4f}, top-10 shared "
            f"{error['betweenness']['top_overlap']}/10); closeness max "
            f"{error['closeness']['max_abs_error']:.4f} / mean "
            f"{error['closeness']['mean_abs_error']:.5f} (largest "
            f"{error['closeness']['max_value']:.4f}, top-10 shared "
            f"{error['closeness']['top_overlap']}/10); average path length "
            f"{error['average_path_length']['exact']:.3f} exact, "
            f"{error['average_path_length']['estimate']:.3f} estimated; diameter "
            f"{error['diameter']['exact']} exact, {error['diameter']['estimate']} estimated.")]
    return lines


def write_section(network: dict) -> str:
    """Replace the network section of benchmarks/RESULTS.md (from its heading to the end or
    the next top-level heading) with `section(network)`; returns the section."""
    text = "\n".join(section(network))
    path = HERE / "RESULTS.md"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    heading = "## Network measures"
    if heading in old:
        start = old.index(heading)
        rest = old[start + len(heading):]
        following = [i for i in (rest.find("\n## "),) if i >= 0]
        end = start + len(heading) + following[0] + 1 if following else len(old)
        new = old[:start] + text + "\n" + ("\n" + old[end:] if end < len(old) else "")
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + text + "\n"
    path.write_text(new, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=500_000)
    parser.add_argument("--no-error-check", action="store_true",
                        help="skip the 20k exact-vs-sampled run (a few minutes)")
    parser.add_argument("--national", default="",
                        help="actor counts for the notebook's steps at national scale, e.g. "
                             "100000,1000000")
    parser.add_argument("--before", default="",
                        help="git revision of the package to time the same steps with")
    parser.add_argument("--before-limit", type=int, default=100_000,
                        help="largest network the --before revision is run on")
    parser.add_argument("--national-only", action="store_true",
                        help="run only --national (the other results stay as saved)")
    parser.add_argument("--steps", type=int, help=argparse.SUPPRESS)  # one national run
    args = parser.parse_args()
    if args.steps:
        print(json.dumps(notebook_steps(args.steps)))
        return
    saved = HERE / "results_network.json"
    results = json.loads(saved.read_text()) if saved.is_file() else {}  # what is not rerun
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform(), "networkx": nx.__version__,
                          "igraph": ig.__version__}
    if not args.national_only:
        results["compare_5k"] = compare_run(5_000, 25_000)
        if not args.no_error_check:
            results["sampling_20k"] = sampling_error_run(20_000, 100_000)
        results["scale"] = scale_run(args.nodes, args.edges)
    sizes = [int(n) for n in args.national.split(",") if n.strip()]
    if sizes:
        results["national"], results["before"] = {}, {}
        results["before_revision"] = args.before or None
    for n in sizes:  # each result saved as soon as it is measured
        run = national_run(n)
        if run:
            results["national"][str(n)] = run
        saved.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if sizes and args.before:
        with tempfile.TemporaryDirectory() as folder:
            path = package_at(args.before, Path(folder))
            for n in sizes:
                results["before"][str(n)] = (national_run(n, path) if n <= args.before_limit
                                             else None)
                saved.write_text(json.dumps(results, indent=1), encoding="utf-8")
    saved.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(write_section(results))


if __name__ == "__main__":
    main()
