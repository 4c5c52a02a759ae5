"""Tables and positions for the network report: actors shown by role and pseudonym only."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd

from analysis.core import reference
from analysis.diagnostic import network

SUMMARY_ROWS = (("nodes", 0), ("edges", 0), ("density", 4), ("components", 0),
                ("largest_component", 0), ("centralization", 3), ("diameter", 0),
                ("average_path_length", 2), ("average_clustering", 3), ("transitivity", 3))


def summary_table(summary: dict, t, num) -> pd.DataFrame:
    """The whole-network measures as a two-column table of formatted values."""
    rows = [(t(f"network.{key}"), num(summary[key], decimals)) for key, decimals in SUMMARY_ROWS
            if key in summary]
    return pd.DataFrame(rows, columns=[t("networks.measure"), t("networks.value")])


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
    """The most central actors by betweenness, with their other measures."""
    top = table.sort_values(["betweenness", "degree"], ascending=False, kind="stable").head(n)
    return pd.DataFrame({
        t("network.actor"): [actor_label(graph, a, label, external) for a in top.index],
        t("network.degree"): top["degree"].astype(int).to_numpy(),
        t("network.betweenness"): top["betweenness"].to_numpy(),
        t("network.closeness"): top["closeness"].to_numpy(),
        t("network.eigenvector"): top["eigenvector"].to_numpy(),
        t("network.core"): top["core"].astype(int).to_numpy(),
    })


def broker_table(graph: nx.Graph, roles: pd.DataFrame, t, label, n: int = 10) -> pd.DataFrame:
    top = roles.sort_values("total", ascending=False, kind="stable").head(n)
    columns = [c for c in network.BROKERAGE_ROLES if c in top.columns]
    out = pd.DataFrame({t("network.actor"): [actor_label(graph, a, label, False)
                                             for a in top.index]})
    for column in columns:
        out[t(f"network.{column}")] = top[column].astype(int).to_numpy()
    return out


def positions(graph: nx.Graph, to_xy) -> dict:
    """Map coordinates of each actor: its base place, else its base country's label point."""
    places, countries = reference.places(), reference.countries()
    out = {}
    for node, data in graph.nodes(data=True):
        place, country = data.get("base_place"), data.get("base_country")
        if place in places.index:
            lon, lat = places.at[place, "lon"], places.at[place, "lat"]
        elif country in countries.index:
            lon, lat = countries.at[country, "lon"], countries.at[country, "lat"]
        else:
            continue
        x, y = to_xy(lon, lat)
        out[node] = (float(x), float(y))
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


def phase_centralization(folder: Path) -> pd.DataFrame:
    """Freeman degree centralization of each phase file (phase1.csv, phase2.csv, …)."""
    rows = []
    files = sorted(folder.glob("phase*.csv"), key=lambda p: int(p.stem.removeprefix("phase")))
    for path in files:
        graph = network.read_network(path)
        summary = network.describe(graph)
        rows.append({"phase": int(path.stem.removeprefix("phase")), "actors": summary["nodes"],
                     "centralization": summary["centralization"]})
    return pd.DataFrame(rows, columns=["phase", "actors", "centralization"])
