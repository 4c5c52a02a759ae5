"""The readable validation report: file, sheet, row, column, value, what is wrong, how to fix."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from analysis.core import i18n, paths
from analysis.data.sources import Problem
from analysis.data.validation import Validation

SHOWN_PER_GROUP = 5


def locate(problem: Problem, lang: str) -> str:
    t = i18n.t
    return t("validation.location", lang, file=problem.file,
             sheet=t("validation.sheet", lang, sheet=problem.sheet) if problem.sheet else "",
             row=t("validation.row", lang, row=problem.row) if problem.row else "",
             column=t("validation.column", lang, column=problem.column) if problem.column else "")


def describe(problem: Problem, lang: str) -> str:
    """One problem in plain words: where, what, and how to fix it."""
    t = i18n.t
    fields = {"table": problem.table, "column": problem.column, "value": problem.value,
              "detail": problem.detail}
    what = t(f"validation.{problem.code}", lang, **fields)
    fix = t(f"validation.{problem.code}_fix", lang, **fields)
    value = f" ({t('validation.value', lang, value=problem.value)})" if (
        problem.value and problem.row) else ""
    severity = t(f"validation.severity_{problem.severity}", lang)
    return f"{severity}: {locate(problem, lang)}{value}\n    {what} {fix}"


def render(result: Validation, data_dir: Path, lang: str) -> str:
    """The whole report, problems grouped so a thousand bad dates do not drown the rest."""
    t = i18n.t
    lines = [t("validation.heading", lang, path=data_dir), ""]
    groups: dict[tuple, list[Problem]] = defaultdict(list)
    order = {"error": 0, "row": 1, "warning": 2}
    for problem in sorted(result.problems, key=lambda p: order[p.severity]):
        groups[(problem.severity, problem.file, problem.sheet, problem.code,
                problem.column)].append(problem)
    for problems in groups.values():
        for problem in problems[:SHOWN_PER_GROUP]:
            lines.append(describe(problem, lang))
        if len(problems) > SHOWN_PER_GROUP:
            lines.append(t("validation.more_rows", lang, n=len(problems) - SHOWN_PER_GROUP))
    counts = [(name, row) for name, checked in result.tables.items()
              for row in checked.counts.itertuples(index=False)]
    if counts:
        lines += ["", t("validation.counts_heading", lang)]
        for name, row in counts:
            lines.append(t("validation.counts_row", lang, table=name,
                           country=row.reporting_country, read=row.read,
                           accepted=row.accepted, set_aside=row.set_aside))
    warnings = sum(p.severity == "warning" for p in result.problems)
    lines += ["", t("validation.summary", lang, errors=len(result.errors),
                    rows=result.rows_set_aside, warnings=warnings)]
    if result.rows_set_aside and not result.errors:
        lines.append(t("validation.set_aside_where", lang,
                       path=paths.set_aside_dir(data_dir)))
    if not result.errors and not result.rows_set_aside:
        lines.append(t("validation.ok", lang))
    return "\n".join(lines)
