"""The styled matrices of the legislation and Work Plan reports, as HTML blocks rendered from
Jinja2 templates (autoescaped) in report/templates/: the legislation matrix with its legend and
legal sources, the Work Plan's status matrix and its evidence table.

Each takes an optional `caption` (an annex `Caption`: `report.caption(published)`) and
`table_id`, so the styled block carries the number of the annex table it shows.
"""

from __future__ import annotations

from functools import cache

import jinja2
import pandas as pd

from analysis.core import i18n, paths, reference
from analysis.diagnostic import legislation, workplan
from analysis.report.annex import Caption

TEMPLATES = paths.PACKAGE / "report" / "templates"

# legislation: cell borders by assessment status
BORDERS = {"validated": "2px solid #1f2a33", "draft": "2px dashed #5b6770",
           "illustrative": "2px dotted #674ea7", "no_data": "1px solid #ffffff"}
# Work Plan: symbols and backgrounds by status
STATUS_SYMBOLS = {"completed": "●", "in_progress": "◐", "not_started": "○",
                  "not_applicable": "–", workplan.NO_REPORT: ""}
STATUS_BACKGROUNDS = {"completed": "#cfe6c4", "in_progress": "#fbe3a6",
                      "not_started": "#f3c3bd", "not_applicable": "#dfe3e7",
                      workplan.NO_REPORT: "#ffffff"}
# The reports each diagnostic section links to (they sit side by side in html/).
REPORT_PAGES = {"data_quality": "00_data_quality.html", "routes": "10_routes.html",
                "modus_operandi": "20_modus_operandi.html", "profiles": "30_profiles.html",
                "networks": "40_networks.html", "legislation": "50_legislation.html",
                "workplan": "60_workplan.html"}


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              trim_blocks=False, keep_trailing_newline=False)


def render(template: str, **context) -> str:
    """A template of report/templates/ rendered with autoescaping."""
    return environment().get_template(template).render(**context)


def _country_names(codes: list[str], lang: str) -> list[tuple[str, str]]:
    return [(code, reference.label("country", code, lang)) for code in codes]


# legislation ------------------------------------------------------------------------------
def legislation_matrix(
    cells: pd.DataFrame, lang: str, caption: Caption | None = None, table_id: str = "",
    table: pd.DataFrame | None = None,
) -> str:
    """The country × criterion matrix: coloured cells with symbols, citations as tooltips and
    numbered footnotes, a legend and the key of country codes."""
    table = legislation.criteria() if table is None else table
    t = lambda key, **kw: i18n.t(f"legislation.{key}", lang, **kw)  # noqa: E731
    countries = list(dict.fromkeys(cells["country"]))
    names = dict(_country_names(countries, lang))
    lookup = cells.set_index(["country", "criterion_id"])
    shown = [(country, crit) for axis in legislation.AXES
             for crit in table.loc[table["axis"] == axis, "criterion_id"] for country in countries]
    notes = legislation.citations(lookup.loc[shown].reset_index())
    axes = []
    for axis in legislation.AXES:
        axis_rows = table[table["axis"] == axis]
        if axis_rows.empty:
            continue
        rows = [{"label": getattr(crit, f"label_{lang}"),
                 "explanation": getattr(crit, f"explanation_{lang}"), "article": crit.article,
                 "cells": [_legislation_cell(lookup.loc[(country, crit.criterion_id)], crit,
                                             names[country], notes, lang)
                           for country in countries]}
                for crit in axis_rows.itertuples()]
        axes.append({"title": t(f"axis_{axis}"), "rows": rows})
    legend = {
        "title": t("legend_title"), "status_title": t("legend_status"),
        "tooltip": t("legend_tooltip"),
        "levels": [{"background": legislation.COLOURS[level],
                    "symbol": legislation.SYMBOLS[level], "text": t(f"legend_{level}")}
                   for level in (*legislation.LEVELS, "no_data")]
        + [{"background": legislation.COLOURS["yes"], "symbol": "10",
            "text": t("legend_number",
                      years=i18n.fmt_number(legislation.SERIOUS_CRIME_YEARS, lang))}],
        "statuses": [{"border": BORDERS[s],
                      "text": reference.label("assessment_status", s, lang)}
                     for s in legislation.STATUSES[:3]],
    }
    footnotes = [{"number": number, "parts": [p for p in (instrument, article) if p],
                  "url": url}
                 for (instrument, article, url), number in sorted(notes.items(),
                                                                  key=lambda kv: kv[1])]
    return render("legislation_matrix.html.j2", legend=legend, caption=caption,
                  table_id=table_id, countries=list(names.items()), axes=axes,
                  heads={"criterion": t("col_criterion"), "article": t("col_article")},
                  country_key_label=t("country_key"), notes=footnotes,
                  notes_title=t("sources_title"))


def _legislation_cell(cell, crit, country_name: str, notes: dict, lang: str) -> dict:
    t = lambda key, **kw: i18n.t(f"legislation.{key}", lang, **kw)  # noqa: E731
    value = cell["value"]
    level = legislation.cell_level(value, crit.criterion_id, crit.value_type)
    status = cell["status"] if cell["status"] in legislation.STATUSES else "no_data"
    text = legislation.value_text(value, crit.value_type, lang)
    tip = [f"{country_name} · {getattr(crit, f'label_{lang}')}",
           f"{t('col_value')}: {text or t('value_none')}",
           f"{t('col_status')}: {reference.label('assessment_status', status, lang)}"]
    out = {"level": level, "status": status, "background": legislation.COLOURS[level],
           "border": BORDERS[status], "empty": not value}
    if value:
        key = legislation.citation_key(cell)
        for part, name in zip(key, ("col_instrument", "col_article_law", "col_source"),
                              strict=True):
            if part:
                tip.append(f"{t(name)}: {part}")
        if cell.get("text_version", ""):
            tip.append(f"{t('col_text_version')}: {cell['text_version']}")
        if cell.get("in_force", "") in legislation.IN_FORCE:
            tip.append(f"{t('col_in_force')}: {t('in_force_' + cell['in_force'])}")
        if cell["date_reviewed"]:
            tip.append(f"{t('col_reviewed')}: {cell['date_reviewed']}")
        out["symbol"] = text if crit.value_type == "number" else legislation.SYMBOLS[level]
        out["note"] = notes.get(key)
    out["tip"] = "\n".join(tip)
    return out


# Work Plan --------------------------------------------------------------------------------
def _axis_titles(lang: str) -> dict[int, str]:
    axes = workplan.axes()
    return dict(zip(axes["axis"], axes[f"title_{lang}"], strict=True))


def workplan_status_matrix(
    grid: pd.DataFrame, lang: str, caption: Caption | None = None, table_id: str = "",
) -> str:
    """Action × country, coloured by status with a symbol, the evidence and date in the
    tooltip, and a legend."""
    countries = list(dict.fromkeys(grid["country"]))
    names = dict(_country_names(countries, lang))
    titles = _axis_titles(lang)
    lookup = grid.set_index(["action_id", "country"])
    axes = []
    for axis, group in workplan.actions().groupby("axis", sort=True):
        rows = []
        for action in group.itertuples():
            cells = []
            for country in countries:
                row = lookup.loc[(action.action_id, country)]
                status = row["status"]
                tip = [f"{names[country]} · {action.action_id}",
                       workplan.status_label(status, lang)]
                if pd.notna(row["date"]):
                    tip.append(i18n.fmt_date(pd.Timestamp(row["date"]).date(), lang))
                if isinstance(row["evidence"], str) and row["evidence"].strip():
                    tip.append(row["evidence"].strip())
                cells.append({"background": STATUS_BACKGROUNDS[status],
                              "symbol": STATUS_SYMBOLS[status], "tip": "\n".join(tip)})
            rows.append({"action_id": action.action_id,
                         "title": getattr(action, f"title_{lang}"), "cells": cells})
        axes.append({"title": f"{i18n.t('workplan.axis_label', lang, axis=axis)}: "
                              f"{titles.get(axis, '')}", "rows": rows})
    legend = {"title": i18n.t("workplan.legend", lang),
              "tooltip": i18n.t("workplan.legend_tooltip", lang),
              "statuses": [{"background": STATUS_BACKGROUNDS[s], "symbol": STATUS_SYMBOLS[s],
                            "text": workplan.status_label(s, lang)}
                           for s in workplan.ALL_STATUSES]}
    return render("workplan_status.html.j2", legend=legend, caption=caption, table_id=table_id,
                  countries=list(names.items()), axes=axes,
                  heads={"action": i18n.t("workplan.col_action", lang),
                         "title": i18n.t("workplan.col_title", lang)},
                  country_key_label=i18n.t("legislation.country_key", lang))


def workplan_evidence(
    grid: pd.DataFrame, lang: str, caption: Caption | None = None, table_id: str = "",
) -> str:
    """Each action with its status counts and links to the reports that give it evidence.

    Links are relative (`NN_topic.html`): the reports sit side by side in html/."""
    plan = workplan.actions().merge(workplan.evidence_map(), on="action_id", how="left")
    titles = _axis_titles(lang)
    counts = pd.crosstab(grid["action_id"], grid["status"]).reindex(
        columns=list(workplan.ALL_STATUSES), fill_value=0) if len(grid) else None
    axes = []
    for axis, group in plan.groupby("axis", sort=True):
        rows = []
        for row in group.itertuples():
            found = counts is not None and row.action_id in counts.index
            rows.append({
                "action_id": row.action_id, "title": getattr(row, f"title_{lang}"),
                "counts": [int(counts.loc[row.action_id, s]) if found else 0
                           for s in workplan.ALL_STATUSES],
                "links": [{"href": REPORT_PAGES[s], "text": workplan.section_title(s, lang)}
                          for s in row.sections if s in REPORT_PAGES]})
        axes.append({"title": f"{i18n.t('workplan.axis_label', lang, axis=axis)}: "
                              f"{titles.get(axis, '')}", "rows": rows})
    return render("workplan_evidence.html.j2", caption=caption, table_id=table_id, axes=axes,
                  statuses=[workplan.status_label(s, lang) for s in workplan.ALL_STATUSES],
                  heads={"action": i18n.t("workplan.col_action", lang),
                         "title": i18n.t("workplan.col_title", lang),
                         "sections": i18n.t("workplan.col_sections", lang)})
