"""Network analysis at regional scale, and networkx against the igraph fast path.

    python benchmarks/bench_network.py [--nodes 100000] [--edges 500000] [--no-error-check]

1. A heavy-tailed random network (Chung-Lu / static power law, exponent 2.3, fixed seed) of
   100,000 actors and 500,000 links, given contract-like attributes and built with
   `from_tables`; times describe, centrality, communities, disruption and key players on the
   fast path (sampled betweenness, closeness and path lengths: `measures.DEFAULT_SAMPLE`).
2. A 5,000-actor network of the same kind: networkx against the fast path (time ratio and
   the largest absolute difference of every measure), and the sampled estimates against the
   exact values.
3. A 20,000-actor network: the error of the sampled estimates at a lower sampling rate.

Prints a Markdown table and writes benchmarks/results_network.json (read by
run_benchmarks.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
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

HERE = Path(__file__).resolve().parent
SEED = 2026
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
                               sample=measures.DEFAULT_SAMPLE)
    paths, paths_s = timed(measures.describe, graph, fast=True, sample=measures.DEFAULT_SAMPLE)
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
        "sampled_sources": measures.DEFAULT_SAMPLE,
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
                               sample=measures.DEFAULT_SAMPLE)
    return {
        "nodes": nodes, "edges": graph.number_of_edges(),
        "seconds": {"igraph_exact": exact_s, "igraph_sampled": sampled_s},
        "sampled_sources": measures.DEFAULT_SAMPLE,
        "sampled_betweenness": errors(sampled["betweenness"], exact["betweenness"]),
        "sampled_closeness": errors(sampled["closeness"], exact["closeness"]),
    }


def markdown(results: dict) -> str:
    scale, compare = results["scale"], results["compare_5k"]
    lines = [
        f"## Network analysis at {scale['nodes']:,} actors / {scale['edges']:,} links "
        "(igraph fast path)", "",
        "| step | seconds |", "|---|---:|",
    ]
    lines += [f"| {step} | {value:.2f} |" for step, value in scale["seconds"].items()]
    lines += [f"| **total** | **{scale['total_seconds']:.1f}** |", "",
              f"## networkx vs fast path, {compare['nodes']:,} actors / "
              f"{compare['edges']:,} links", "",
              "| | networkx s | igraph exact s | ratio | igraph sampled s |",
              "|---|---:|---:|---:|---:|"]
    for what in ("centrality", "describe"):
        s = compare[f"{what}_seconds"]
        lines.append(f"| {what} | {s['networkx']:.2f} | {s['igraph_exact']:.2f} | "
                     f"{compare[f'{what}_ratio']} | {s['igraph_sampled']:.2f} |")
    lines += ["", "| measure | max abs difference networkx vs igraph |", "|---|---:|"]
    lines += [f"| {k} | {v:.1e} |"
              for k, v in compare["max_abs_difference_networkx_vs_igraph"].items()]
    lines.append(f"| describe() figures | {compare['describe_max_abs_difference']:.1e} |")
    lines += ["", f"Sampled estimates ({compare['sampled_sources']} sources) against exact:", "",
              "| network | measure | max abs error | mean abs error | max value | top-10 overlap |",
              "|---|---|---:|---:|---:|---:|"]
    for label, run in (("5k", compare), ("20k", results.get("sampling_20k"))):
        if not run:
            continue
        for measure in ("betweenness", "closeness"):
            e = run[f"sampled_{measure}"]
            lines.append(f"| {label} | {measure} | {e['max_abs_error']:.2e} | "
                         f"{e['mean_abs_error']:.2e} | {e['max_value']:.3f} | "
                         f"{e['top10_overlap']}/10 |")
    apl, diameter = compare["sampled_average_path_length"], compare["sampled_diameter"]
    lines += ["", f"5k average path length exact {apl['exact']:.4f}, estimate "
              f"{apl['estimate']:.4f}; diameter exact {diameter['exact']}, estimate "
              f"{diameter['estimate']}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=500_000)
    parser.add_argument("--no-error-check", action="store_true",
                        help="skip the 20k exact-vs-sampled run (a few minutes)")
    args = parser.parse_args()
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform(), "networkx": nx.__version__,
                    "igraph": ig.__version__},
        "compare_5k": compare_run(5_000, 25_000),
    }
    if not args.no_error_check:
        results["sampling_20k"] = sampling_error_run(20_000, 100_000)
    results["scale"] = scale_run(args.nodes, args.edges)
    (HERE / "results_network.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
