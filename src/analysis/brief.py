"""The per-country brief: a country's key figures, corridors, profiles, fees, networks,
legislation and Work Plan progress, shaped from the diagnostic's own modules."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from analysis import legislation, modus, network, routes, workplan
from analysis.io import Dataset

KEY_FIGURES = ("cases", "migrants", "minors", "smugglers_detained", "dead_missing")


def key_figures(data: Dataset) -> pd.Series:
    """Cases, migrants, minors, smugglers detained, and dead or missing in incidents."""
    cases, incidents = data.cases, data.incidents
    dead = incidents[["dead", "missing"]].fillna(0).sum().sum() if len(incidents) else 0
    return pd.Series({
        "cases": len(cases),
        "migrants": int(cases["migrants"].fillna(0).sum()),
        "minors": int(cases["minors"].fillna(0).sum()),
        "smugglers_detained": int(cases["smugglers_detained"].fillna(0).sum()),
        "dead_missing": int(dead),
    })[list(KEY_FIGURES)]


def period(data: Dataset) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    dates = data.cases["date"].dropna()
    return (dates.min(), dates.max()) if len(dates) else (None, None)


def top_corridors(data: Dataset, n: int = 5) -> pd.DataFrame:
    """The country's main corridors (country sequences) by migrants."""
    if data.route_legs.empty:
        return pd.DataFrame(columns=["corridor", "cases", "migrants"])
    enriched = routes.legs(data.route_legs, data.cases)
    ranked = routes.corridors(enriched, data.cases)
    return ranked.head(n)[["corridor", "cases", "migrants"]].reset_index(drop=True)


def fee_summary(data: Dataset) -> pd.DataFrame:
    """Median and interquartile range of the fee in USD, by service model, with N."""
    fees = modus.with_fees_usd(data.cases)
    fees = fees[fees["fee_usd"].notna()]
    if fees.empty:
        return pd.DataFrame(columns=["service_model", "n", "median", "q1", "q3"])
    return modus.summary(fees, "fee_usd", by="service_model")


def network_summary(data: Dataset, actors: pd.DataFrame | None = None) -> dict:
    """Size, density, components, centralization and the share of cross-border ties of the
    links a country reported; `actors` may hold every country's actors, so that the far end
    of a cross-border tie keeps its base country."""
    graph = network.from_tables(data.actors if actors is None else actors, data.links)
    graph = graph.subgraph([n for n in graph if graph.degree(n) > 0])
    if graph.number_of_edges() == 0:
        return {}
    summary = network.describe(graph)
    countries = nx.get_node_attributes(graph, "base_country")
    ties = [(countries.get(u), countries.get(v)) for u, v in graph.edges()]
    known = [(a, b) for a, b in ties if a and b]
    summary["cross_border_share"] = (sum(a != b for a, b in known) / len(known)
                                     if known else 0.0)
    return summary


def legislation_row(data: Dataset, country: str) -> tuple[pd.DataFrame, dict]:
    """The country's cells of the legislation matrix, and its score and coverage."""
    merged = legislation.merge(legislation.reference_rows(), data.legislation, [country])
    cells = legislation.scored(merged.cells)
    score = legislation.scores(merged.cells).iloc[0].to_dict() if len(cells) else {}
    return cells, score


def workplan_progress(data: Dataset, country: str) -> pd.DataFrame:
    """The country's actions by axis and latest status."""
    latest = workplan.latest_status(workplan.own_reports(data.workplan_status))
    grid = workplan.status_grid(latest, [country])
    return workplan.progress(grid, "axis")
