"""Follow-up of the CRM Work Plan on smuggling of migrants: 4 axes, 39 actions.

Each country's status on an action is its latest report (by date) in `workplan_status`; the
overlaps between actions come from the reviewers' comments in the seed document
(`workplan_actions.csv`, column overlaps_with), and the diagnostic sections that give each
action its evidence from `workplan_evidence.csv`.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from analysis.core import i18n, reference

STATUSES = ("completed", "in_progress", "not_started", "not_applicable")
NO_REPORT = "no_report"
ALL_STATUSES = (*STATUSES, NO_REPORT)
STATUS_RANK = {s: i for i, s in enumerate(("not_applicable", "not_started", "in_progress",
                                           "completed"))}
PLAN_YEARS = 5
DEFAULT_START = 2019
SECTIONS = ("data_quality", "routes", "modus_operandi", "profiles", "networks", "legislation",
            "workplan")


# reference ------------------------------------------------------------------------------
def _ids(text: str) -> list[str]:
    return [part.strip() for part in str(text or "").split(";") if part.strip()]


def actions() -> pd.DataFrame:
    """The 39 actions in plan order, with integer axis and number."""
    table = reference.workplan_actions().reset_index()
    table["axis"] = table["axis"].astype(int)
    table["number"] = table["number"].astype(int)
    return table.sort_values(["axis", "number"]).reset_index(drop=True)


def axes() -> pd.DataFrame:
    table = reference.workplan_axes().reset_index()
    table["axis"] = table["axis"].astype(int)
    return table


def evidence_map() -> pd.DataFrame:
    """action_id → the diagnostic sections that give it evidence (a list)."""
    table = reference.workplan_evidence()
    table["sections"] = table["sections"].map(_ids)
    return table[["action_id", "sections"]]


# status -----------------------------------------------------------------------------------
def own_reports(status: pd.DataFrame) -> pd.DataFrame:
    """The rows a country reported about itself (reporting_country == country)."""
    if status is None or status.empty:
        return pd.DataFrame(columns=["country", "action_id", "status", "evidence", "date"])
    mine = status["reporting_country"].astype(str) == status["country"].astype(str)
    return status[mine]


def latest_status(status: pd.DataFrame, as_of: pd.Timestamp | str | None = None
                  ) -> pd.DataFrame:
    """The latest report per country × action (on or before `as_of` when given).

    Two reports on the same date: the most advanced status wins (completed > in progress >
    not started > not applicable), so the result does not depend on row order.
    """
    columns = ["country", "action_id", "status", "evidence", "date"]
    rows = status.copy() if status is not None else pd.DataFrame(columns=columns)
    for column in columns:
        if column not in rows.columns:
            rows[column] = pd.NA
    rows["date"] = pd.to_datetime(rows["date"], errors="coerce")
    rows = rows[rows["date"].notna() & rows["status"].isin(STATUSES)]
    if as_of is not None:
        rows = rows[rows["date"] <= pd.Timestamp(as_of)]
    rows = rows.assign(_rank=rows["status"].map(STATUS_RANK))
    rows = rows.sort_values(["country", "action_id", "date", "_rank"], kind="stable")
    latest = rows.drop_duplicates(["country", "action_id"], keep="last")
    return latest[columns].reset_index(drop=True)


def status_grid(latest: pd.DataFrame, countries: list[str]) -> pd.DataFrame:
    """Every country × action, with the latest status or no_report."""
    plan = actions()[["action_id", "axis"]]
    grid = pd.MultiIndex.from_product([countries, list(plan["action_id"])],
                                      names=["country", "action_id"]).to_frame(index=False)
    grid = grid.merge(plan, on="action_id").merge(
        latest[["country", "action_id", "status", "evidence", "date"]],
        on=["country", "action_id"], how="left")
    grid["status"] = grid["status"].fillna(NO_REPORT).astype(str)
    return grid


def progress(grid: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts of country × action pairs by status (columns in ALL_STATUSES order), by "axis"
    or by "country"; a row total and the share completed among the applicable reported
    pairs (completed / (completed + in progress + not started))."""
    counts = pd.crosstab(grid[by], grid["status"]).reindex(columns=list(ALL_STATUSES),
                                                          fill_value=0)
    if by == "country":
        counts = counts.reindex(list(dict.fromkeys(grid["country"])), fill_value=0)
    counts["total"] = counts[list(ALL_STATUSES)].sum(axis=1)
    applicable = counts[["completed", "in_progress", "not_started"]].sum(axis=1)
    counts["share_completed"] = (counts["completed"] / applicable).where(applicable > 0)
    return counts


def plan_years(status: pd.DataFrame) -> list[int]:
    """The plan's five years, from the year of the first status report (2019 without any)."""
    dates = pd.to_datetime(status["date"], errors="coerce").dropna() if status is not None \
        and "date" in status else pd.Series(dtype="datetime64[ns]")
    start = int(dates.min().year) if len(dates) else DEFAULT_START
    return list(range(start, start + PLAN_YEARS))


def timeline(status: pd.DataFrame, countries: list[str], years: list[int]) -> pd.DataFrame:
    """By year-end and axis: pairs completed, in progress, applicable (reported and not
    'not applicable') and the share completed, among the countries that reported at all."""
    reporters = [c for c in countries if c in set(status["country"])] if len(status) else []
    rows = []
    for year in years:
        latest = latest_status(status, as_of=pd.Timestamp(year=year, month=12, day=31))
        grid = status_grid(latest, reporters)
        for axis, group in grid.groupby("axis"):
            applicable = group["status"].isin(["completed", "in_progress", "not_started"])
            completed = int((group["status"] == "completed").sum())
            in_progress = int((group["status"] == "in_progress").sum())
            n = int(applicable.sum())
            rows.append({"year": year, "axis": int(axis), "completed": completed,
                         "in_progress": in_progress, "applicable": n,
                         "share_completed": completed / n if n else float("nan")})
    return pd.DataFrame(rows, columns=["year", "axis", "completed", "in_progress",
                                       "applicable", "share_completed"])


# overlaps ---------------------------------------------------------------------------------
def overlap_graph() -> nx.Graph:
    """Actions linked where a reviewer comment says one duplicates, overlaps or is part of
    another; nodes carry their axis, edges the comment's notes (es/en)."""
    plan = actions()
    graph = nx.Graph()
    known = set(plan["action_id"])
    for row in plan.itertuples():
        for other in _ids(row.overlaps_with):
            if other not in known:
                raise ValueError(f"action {row.action_id} overlaps an unknown action {other!r}")
            notes = {"es": [row.overlap_note_es], "en": [row.overlap_note_en]}
            if graph.has_edge(row.action_id, other):
                for lang in notes:
                    graph.edges[row.action_id, other][lang].extend(notes[lang])
            else:
                graph.add_edge(row.action_id, other, **notes)
    axis = dict(zip(plan["action_id"], plan["axis"], strict=True))
    nx.set_node_attributes(graph, {n: axis[n] for n in graph.nodes}, "axis")
    return graph


def plan_order() -> dict[str, int]:
    """Each action's position in the plan (1.1 first)."""
    return {a: i for i, a in enumerate(actions()["action_id"])}


def mentions() -> dict[str, int]:
    """How many reviewer comments name each action as the one another duplicates or is part
    of (the action lists it in overlaps_with)."""
    counts = {a: 0 for a in actions()["action_id"]}
    for listed in actions()["overlaps_with"]:
        for other in _ids(listed):
            counts[other] = counts.get(other, 0) + 1
    return counts


def overlap_groups(graph: nx.Graph | None = None) -> pd.DataFrame:
    """Groups of overlapping actions (connected components), largest first, each with its
    actions in plan order, its central action (the one the comments name most often; ties
    by links, then plan order) and the notes of its links."""
    graph = overlap_graph() if graph is None else graph
    order = plan_order()
    named = mentions()
    rows = []
    for component in nx.connected_components(graph):
        members = sorted(component, key=order.get)
        sub = graph.subgraph(members)
        hub = max(members, key=lambda a: (named.get(a, 0), sub.degree(a), -order[a]))
        notes = {"es": [], "en": []}
        for source, target in sorted(sub.edges, key=lambda e: sorted(order[a] for a in e)):
            for lang in notes:
                for text in sub.edges[source, target][lang]:
                    if text and text not in notes[lang]:
                        notes[lang].append(text)
        rows.append({"actions": members, "hub": hub, "links": sub.number_of_edges(),
                     "notes_es": notes["es"], "notes_en": notes["en"]})
    rows.sort(key=lambda r: (-len(r["actions"]), order[r["actions"][0]]))
    out = pd.DataFrame(rows, columns=["actions", "hub", "links", "notes_es", "notes_en"])
    out.insert(0, "group", range(1, len(out) + 1))
    return out


# presentation -----------------------------------------------------------------------------
def section_title(section: str, lang: str) -> str:
    return i18n.t(f"run.report_{section}", lang)


def evidence_table(lang: str) -> pd.DataFrame:
    """The evidence map as a plain table for the annex (section titles, no links)."""
    plan = actions().merge(evidence_map(), on="action_id", how="left")
    return pd.DataFrame({
        i18n.t("workplan.col_action", lang): plan["action_id"],
        i18n.t("workplan.col_title", lang): plan[f"title_{lang}"],
        i18n.t("workplan.col_sections", lang): [
            "; ".join(section_title(s, lang) for s in sections)
            for sections in plan["sections"]],
    })


def status_label(status: str, lang: str) -> str:
    if status == NO_REPORT:
        return i18n.t("workplan.no_report", lang)
    return reference.label("action_status", status, lang)


def status_matrix(grid: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Action × country of status labels, for the annex."""
    countries = list(dict.fromkeys(grid["country"]))
    wide = grid.pivot(index="action_id", columns="country", values="status").reindex(
        index=list(actions()["action_id"]), columns=countries)
    plan = actions().set_index("action_id")
    out = pd.DataFrame({
        i18n.t("workplan.col_action", lang): wide.index,
        i18n.t("workplan.col_title", lang): [plan.at[a, f"title_{lang}"] for a in wide.index],
    })
    for country in countries:
        out[reference.label("country", country, lang)] = [
            status_label(s, lang) for s in wide[country].fillna(NO_REPORT)]
    return out


def progress_display(counts: pd.DataFrame, lang: str, by: str) -> pd.DataFrame:
    """A progress table with translated headers and row labels."""
    if by == "axis":
        titles = dict(zip(axes()["axis"], axes()[f"title_{lang}"], strict=True))
        first = [f"{i18n.t('workplan.axis_label', lang, axis=a)}: {titles.get(a, '')}"
                 for a in counts.index]
        head = i18n.t("workplan.col_axis", lang)
    else:
        first = [reference.label("country", c, lang) for c in counts.index]
        head = i18n.t("common.country", lang)
    out = pd.DataFrame({head: first})
    for status in ALL_STATUSES:
        out[status_label(status, lang)] = counts[status].to_numpy()
    out[i18n.t("common.total", lang)] = counts["total"].to_numpy()
    out[i18n.t("workplan.col_share_completed", lang)] = counts["share_completed"].to_numpy()
    return out


def timeline_display(steps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Year × axis: share completed with (completed/applicable), as text."""
    out = pd.DataFrame({i18n.t("common.year", lang): [str(y) for y in
                                                     dict.fromkeys(steps["year"])]})
    for axis, group in steps.groupby("axis", sort=True):
        out[i18n.t("workplan.axis_label", lang, axis=axis)] = [
            f"{i18n.fmt_percent(r.share_completed, lang, 0) or '–'} "
            f"({r.completed}/{r.applicable})" for r in group.itertuples()]
    return out


def groups_display(groups: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The groups of overlapping actions with titles and the reviewers' notes."""
    t = lambda key: i18n.t(f"workplan.{key}", lang)  # noqa: E731
    plan = actions().set_index("action_id")
    return pd.DataFrame({
        t("col_group"): groups["group"].astype(str).to_numpy(),
        t("col_actions"): ["; ".join(f"{a} {plan.at[a, f'title_{lang}']}" for a in members)
                           for members in groups["actions"]],
        t("col_hub"): groups["hub"].to_numpy(),
        t("col_notes"): [" ".join(notes) for notes in groups[f"notes_{lang}"]],
    })
