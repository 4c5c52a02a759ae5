"""The network report's words and tables: the command-line summary, the tables and positions
of the notebook, and the export for Gephi. Actors shown by role and pseudonym only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from analysis.core import reference
from analysis.core.i18n import fmt_number, fmt_percent, t
from analysis.data.adapters.network_files import write_network
from analysis.diagnostic.network import build, measures, scale
from analysis.diagnostic.network.brokerage import BROKERAGE_ROLES
from analysis.diagnostic.network.communities import communities

SUMMARY_ROWS = (("nodes", 0), ("edges", 0), ("density", 4), ("components", 0),
                ("largest_component", 0), ("centralization", 3), ("diameter", 0),
                ("average_path_length", 2), ("average_clustering", 3), ("transitivity", 3))


def summary_rows(summary: dict) -> list[tuple[str, str, int]]:
    """The whole-network measures in report order as (message key, summary key, decimals):
    a directed network counts arcs, weak and strong components, and has out- and in-degree
    centralization."""
    rows = []
    for key, decimals in SUMMARY_ROWS:
        if key == "centralization" and summary["directed"]:
            rows += [(k, k, decimals) for k in ("centralization_out", "centralization_in")]
        elif key == "edges" and summary["directed"]:
            rows.append(("arcs", key, decimals))
        elif key == "components" and summary["directed"]:
            rows += [("components_weak", key, decimals),
                     *((k, k, decimals) for k in ("strong_components",
                                                   "largest_strong_component"))]
        elif key in summary:
            rows.append((key, key, decimals))
    return rows


def summary_table(summary: dict, t, num) -> pd.DataFrame:
    """The whole-network measures as a two-column table of formatted values, direction
    first."""
    rows = [(t("network.directed"), t(f"network.{'yes' if summary['directed'] else 'no'}"))]
    rows += [(t(f"network.{label}"), num(summary[key], decimals))
             for label, key, decimals in summary_rows(summary)]
    return pd.DataFrame(rows, columns=[t("networks.measure"), t("networks.value")])


def whole_text_key(summary: dict) -> str:
    """The paragraph that describes the whole network: a directed one names its arcs and
    both centralizations."""
    return "networks.whole_text_directed" if summary["directed"] else "networks.whole_text"


def whole_text_values(summary: dict, num, pct) -> dict:
    """The figures of the whole-network paragraph, formatted with `num` and `pct`."""
    n = summary["nodes"]
    values = {"actors": num(n), "ties": num(summary["edges"]),
              "share": pct(summary["largest_component"] / n if n else None),
              "centralization": num(summary["centralization"], 2),
              "centralization_in": num(summary["centralization_in"], 2)}
    if summary["directed"]:
        values.update(strong=num(summary["strong_components"]),
                      strong_share=pct(summary["largest_strong_component"] / n if n else None))
    return values


def actor_label(graph: nx.Graph, node, label, external: bool) -> str:
    """An actor as published: its role and pseudonym (external files keep their own ids)."""
    role = graph.nodes[node].get("role")
    if external or not role:
        return str(node)
    return f"{label('actor_role', role)} {str(node)[-6:]}"


def actors_table(graph: nx.Graph, actors, table: pd.DataFrame, t, label,
                 external: bool) -> pd.DataFrame:
    rows = table.loc[list(actors)]
    return pd.DataFrame({
        t("network.actor"): [actor_label(graph, a, label, external) for a in rows.index],
        t("network.degree"): rows["degree"].astype(int).to_numpy(),
        t("network.betweenness"): rows["betweenness"].to_numpy(),
    })


def top_table(graph: nx.Graph, table: pd.DataFrame, t, label, external: bool,
              n: int = 10) -> pd.DataFrame:
    """The most central actors by betweenness, with their other measures (in- and out-degree
    for a directed network)."""
    top = table.sort_values(["betweenness", "degree"], ascending=False, kind="stable").head(n)
    degrees = [c for c in ("in_degree", "out_degree") if c in top.columns]
    return pd.DataFrame({
        t("network.actor"): [actor_label(graph, a, label, external) for a in top.index],
        t("network.degree"): top["degree"].astype(int).to_numpy(),
        **{t(f"network.{c}"): top[c].astype(int).to_numpy() for c in degrees},
        t("network.betweenness"): top["betweenness"].to_numpy(),
        t("network.closeness"): top["closeness"].to_numpy(),
        t("network.eigenvector"): top["eigenvector"].to_numpy(),
        t("network.core"): top["core"].astype(int).to_numpy(),
    })


def broker_table(graph: nx.Graph, roles: pd.DataFrame, t, label, n: int = 10) -> pd.DataFrame:
    top = roles.sort_values("total", ascending=False, kind="stable").head(n)
    columns = [c for c in BROKERAGE_ROLES if c in top.columns]
    out = pd.DataFrame({t("network.actor"): [actor_label(graph, a, label, False)
                                             for a in top.index]})
    for column in columns:
        out[t(f"network.{column}")] = top[column].astype(int).to_numpy()
    return out


def positions(graph: nx.Graph, to_xy) -> dict:
    """Map coordinates of each actor: its base place, else its base country's label point
    (each place projected once, however many actors it holds)."""
    places, countries = reference.places(), reference.countries()
    where = {**{("country", c): (lon, lat) for c, lon, lat in zip(
                 countries.index, countries["lon"], countries["lat"], strict=True)},
             **{("place", p): (lon, lat) for p, lon, lat in zip(
                 places.index, places["lon"], places["lat"], strict=True)}}
    projected: dict[tuple, tuple[float, float]] = {}
    out = {}
    for node, data in graph.nodes(data=True):
        key = ("place", data.get("base_place"))
        if key not in where:
            key = ("country", data.get("base_country"))
            if key not in where:
                continue
        if key not in projected:
            x, y = to_xy(*where[key])
            projected[key] = (float(x), float(y))
        out[node] = projected[key]
    return out


def disruption_table(results: dict[str, pd.DataFrame], t) -> pd.DataFrame:
    """What is left after the last step of each strategy."""
    rows = []
    for strategy, frame in results.items():
        last = frame.iloc[-1]
        rows.append({t("networks.col_strategy"): t(f"network.strategy_{strategy}"),
                     t("networks.col_removed"): int(last["removed"]),
                     t("networks.col_lcc_share"): float(last["lcc_share"]),
                     t("networks.col_fragments"): int(last["components"]),
                     t("networks.col_stages"): float(last.get("stage_pairs_connected", float(
                         "nan")))})
    return pd.DataFrame(rows)


def sampling_text_values(graph: nx.Graph, error: dict, num) -> dict:
    """The figures of the paragraph on sampled measures (`measures.sampling_error`)."""
    return {"actors": num(graph.number_of_nodes()), "limit": num(scale.EXACT_LIMIT),
            "sources": num(error["sources"]), "pilot": num(error["actors"]),
            "pilot_ties": num(error["ties"]),
            "path_exact": num(error["average_path_length"]["exact"], 2),
            "path_estimate": num(error["average_path_length"]["estimate"], 2),
            "diameter_exact": num(error["diameter"]["exact"]),
            "diameter_estimate": num(error["diameter"]["estimate"])}


def sampling_table(error: dict, t) -> pd.DataFrame:
    """Per sampled measure, its error on the pilot network: largest and mean absolute error,
    the largest exact value (for scale) and how many of the top actors both rank highest."""
    return pd.DataFrame([{
        t("networks.measure"): t(f"network.{measure}"),
        t("networks.col_max_error"): error[measure]["max_abs_error"],
        t("networks.col_mean_error"): error[measure]["mean_abs_error"],
        t("networks.col_max_value"): error[measure]["max_value"],
        t("networks.col_top_overlap", top=error["top"]): error[measure]["top_overlap"],
    } for measure in ("betweenness", "closeness")])


def drawing_caption(key: str, graph: nx.Graph, view: list, num) -> tuple[str, dict]:
    """A network map's caption key and values: the `_reduced` caption says how many actors
    of how many the map shows when it cannot show them all."""
    if len(view) == graph.number_of_nodes():
        return key, {}
    return f"{key}_reduced", {"shown": num(len(view)), "actors": num(graph.number_of_nodes())}


def phase_centralization(folder: Path, public_labels: bool = False) -> pd.DataFrame:
    """Freeman degree centralization of each phase file (phase1.csv, phase2.csv, …), each
    read as `build.read_network` reads it (direction by the file). `attrs["label_key"]`
    names the measure: out-degree centralization when the phases are directed."""
    numbered = {}
    for path in folder.glob("phase*.csv"):
        found = re.fullmatch(r"phase(\d+)", path.stem)
        if found:
            numbered[int(found.group(1))] = path
    rows, directed = [], set()
    for phase, path in sorted(numbered.items()):
        graph = build.read_network(path, public_labels=public_labels)
        summary = measures.describe(graph)
        directed.add(summary["directed"])
        rows.append({"phase": phase, "actors": summary["nodes"],
                     "centralization": summary["centralization"]})
    table = pd.DataFrame(rows, columns=["phase", "actors", "centralization"])
    table.attrs["label_key"] = ("network.centralization_out" if directed == {True}
                                else "network.centralization")
    return table


# ---------------------------------------------------------------------------------------------
# The command line: network-summary and network-export


def network_summary(path: str | Path, as_json: bool = False, lang: str = "en", top: int = 10,
                    direction: str = "auto", mode: int | None = None,
                    public_labels: bool = False) -> str:
    """What `analysis network-summary FILE` prints: how the file was read (direction first),
    the main measures and the top actors; JSON with `as_json`."""
    graph = build.read_network(path, direction=direction, mode=mode, public_labels=public_labels)
    payload = measures.summary(graph, top)
    if as_json:
        return json.dumps(payload, indent=2, ensure_ascii=False)
    return summary_text(payload, lang)


def reading_lines(reading: dict, lang: str) -> list[str]:
    """How a network file was read, in words: direction and why, two modes, merged ties."""
    way = "directed" if reading.get("directed") else "undirected"
    lines = [t(f"network.reading_{way}", lang,
               why=t(f"network.why_{reading.get('direction', 'flag')}", lang))]
    if reading.get("two_mode"):
        lines.append(t("network.reading_two_mode", lang, people=reading.get("people", 0),
                       events=reading.get("events", 0)))
    lines.append(t("network.reading_ties", lang,
                   duplicates=reading.get("duplicates_merged", 0),
                   reciprocal=reading.get("reciprocal_merged", 0),
                   loops=reading.get("self_loops_dropped", 0)))
    if reading.get("public_labels") is not None:
        lines.append(t(f"network.labels_{'public' if reading['public_labels'] else 'private'}",
                       lang))
    return lines


def summary_text(payload: dict, lang: str) -> str:
    """The summary as aligned text, direction on the first line."""
    figures = payload["network"]

    def number(value: Any, decimals: int = 0) -> str:
        return "-" if value is None else fmt_number(value, lang, decimals)

    paths_note = ""
    if figures["path_length_sources"]:
        paths_note = f" ({t('network.estimated', lang, k=figures['path_length_sources'])})"
    extra = {
        "largest_component": f" ({fmt_percent(figures['largest_component_share'], lang)})",
        "diameter": paths_note, "average_path_length": paths_note,
    }
    rows = [(label, number(figures[key], decimals) + extra.get(key, ""))
            for label, key, decimals in summary_rows(figures)]
    labels = [t(f"network.{key}", lang) for key, _ in rows]
    width = max(len(label) for label in labels)
    lines = reading_lines(payload, lang)
    lines += ["", t("network.summary_file", lang, file=payload["file"]), ""]
    lines += [f"{label:<{width}}  {value}" for label, (_, value) in zip(labels, rows, strict=True)]
    lines.append(t(f"network.formula_{figures['centralization_formula']}", lang))
    if figures["directed"]:
        lines.append(t("network.paths_directed", lang))
    for key in ("top_degree", "top_betweenness"):
        ranked = payload[key]
        lines += ["", t(f"network.{key}", lang)]
        actor_width = max([len(r["actor"]) for r in ranked] + [len(t("network.actor", lang))])
        columns = [(k, 0) for k in (("in_degree", "out_degree") if figures["directed"]
                                     else ("degree",))] + [("betweenness", 4)]
        heads = [t(f"network.{k}", lang) for k, _ in columns]
        widths = [max(len(head), 8) for head in heads]
        lines.append(f"     {t('network.actor', lang):<{actor_width}}" + "".join(
            f"  {head:>{w}}" for head, w in zip(heads, widths, strict=True)))
        for rank, row in enumerate(ranked, start=1):
            cells = "".join(f"  {number(row[k], d):>{w}}"
                            for (k, d), w in zip(columns, widths, strict=True))
            lines.append(f"{rank:>3}. {row['actor']:<{actor_width}}{cells}")
    return "\n".join(lines)


def for_gephi(graph: nx.Graph, table: pd.DataFrame | None = None, membership=None,
              lang: str = "en", external: bool = True, seed: int = 42) -> nx.Graph:
    """A copy of the graph ready for Gephi: per actor its label as the reports show it, role,
    country, community (1 = the largest) and the measures, as node attributes."""
    table = measures.centrality(graph) if table is None else table
    if membership is None:
        membership = communities(graph, seed=seed).membership
    out = graph.__class__()
    out.graph.update({k: v for k, v in graph.graph.get("reading", {}).items()
                      if isinstance(v, str | int | float | bool)})

    def label(list_name: str, code: str) -> str:
        return reference.label(list_name, code, lang)

    rows = table.loc[list(graph)].to_dict("index")
    for node, data in graph.nodes(data=True):
        attrs = {k: v for k, v in data.items() if not build.missing(v)}
        attrs["label"] = actor_label(graph, node, label, external)
        if "base_country" in data and not build.missing(data["base_country"]):
            attrs["country"] = data["base_country"]
        attrs["community"] = int(membership.get(node, -1)) + 1
        row = rows[node]
        for column in table.columns:
            value = row[column]
            attrs[column] = int(value) if column in ("degree", "in_degree", "out_degree",
                                                     "core") else float(value)
        out.add_node(node, **attrs)
    for u, v, data in graph.edges(data=True):
        out.add_edge(u, v, weight=float(data.get("weight", 1.0)),
                     **({"links": int(data["links"])} if "links" in data else {}))
    return out


def export_network(path: str | Path, out: str | Path, direction: str = "auto",
                   mode: int | None = None, public_labels: bool = False,
                   lang: str = "en") -> str:
    """What `analysis network-export FILE OUT.gexf|.graphml` does: read, measure, write."""
    graph = build.read_network(path, direction=direction, mode=mode, public_labels=public_labels)
    written = write_network(for_gephi(graph, lang=lang), out)
    lines = reading_lines(graph.graph["reading"], lang)
    lines.append(t("network.written", lang, path=written, nodes=graph.number_of_nodes(),
                   edges=graph.number_of_edges()))
    return "\n".join(lines)


def exported_view(graph: nx.Graph, view: list) -> nx.Graph:
    """What is written for Gephi: the whole network up to `scale.EXPORT_LIMIT` actors, else
    the actors of the network map (`view`) and the ties among them."""
    return graph if graph.number_of_nodes() <= scale.EXPORT_LIMIT else build.induced(graph, view)


def write_exports(graph: nx.Graph, table: pd.DataFrame, membership, folder: Path, stem: str,
                  lang: str, external: bool) -> list[Path]:
    """The report's own network for Gephi: `<folder>/<stem>.gexf` and `.graphml`, with the
    labels, roles, countries, communities and measures the report shows (`graph` may be
    `exported_view` of the network)."""
    ready = for_gephi(graph, table, membership, lang=lang, external=external)
    return [write_network(ready, Path(folder) / f"{stem}{suffix}")
            for suffix in (".gexf", ".graphml")]
