"""The validation report: as text, as a workbook of problems the country can act on (one row
per problem: file, sheet, row, column, value, what is wrong, how to fix it) and as a JSON
summary (rows read, accepted and set aside, and the totals of every numeric column, per table
and country) a country can reconcile with its own system."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from analysis.core import i18n, paths, workbooks
from analysis.data.sources import Problem
from analysis.data.validation import Validation, numeric_totals

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
    totals = [(name, country, values) for name, by_country in summary(result)["tables"].items()
              for country, counts in by_country.items()
              if (values := counts["totals"])]
    if totals:
        lines += ["", t("validation.totals_heading", lang)]
        for name, country, values in totals:
            shown = "  ".join(f"{column} {i18n.fmt_number(value, lang, _decimals(value))}"
                              for column, value in values.items())
            lines.append(t("validation.totals_row", lang, table=name, country=country,
                           totals=shown))
    if result.not_read:
        lines += ["", t("validation.not_read_heading", lang)]
        lines += [f"  {_where(p)}" for p in result.not_read]
    warnings = len(result.warnings)
    lines += ["", t("validation.summary", lang, errors=len(result.errors),
                    rows=result.rows_set_aside, warnings=warnings)]
    if result.rows_set_aside and not result.errors:
        lines.append(t("validation.set_aside_where", lang,
                       path=paths.set_aside_dir(data_dir)))
    if not result.errors and not result.rows_set_aside:
        lines.append(t("validation.ok", lang))
    return "\n".join(lines)


def _decimals(value: float | int) -> int:
    return 0 if float(value).is_integer() else 2


def _where(problem: Problem) -> str:
    return f"{problem.file}" + (f" [{problem.sheet}]" if problem.sheet else "")


def totals(checked) -> dict[str, dict[str, float | int]]:
    """Per reporting country, the sum of every numeric contract column over accepted rows."""
    if checked.totals is not None:  # the rows were streamed: their sums were kept
        return checked.totals
    return numeric_totals(checked.table, checked.accepted)


def summary(result: Validation) -> dict:
    """The machine-readable summary: per table and country, rows read, accepted and set
    aside and the totals of the numeric columns; counts of errors and warnings; what was not
    read."""
    tables: dict[str, dict] = {}
    for name, checked in result.tables.items():
        sums = totals(checked)
        by_country = {}
        for row in checked.counts.itertuples(index=False):
            by_country[row.reporting_country] = {
                "read": int(row.read), "accepted": int(row.accepted),
                "set_aside": int(row.set_aside),
                "totals": sums.get(row.reporting_country, {}),
            }
        if by_country:
            tables[name] = by_country
    return {"tables": tables, "errors": len(result.errors), "warnings": len(result.warnings),
            "rows_set_aside": result.rows_set_aside,
            "not_read": [_where(p) for p in result.not_read]}


def write_json(result: Validation, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary(result), indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def write_xlsx(result: Validation, path: Path, lang: str) -> Path:
    """One row per problem, in `lang`: what the analyst sends back to the country."""
    t = i18n.t
    book = Workbook()
    sheet = book.active
    sheet.title = t("validation.sheet_header", lang)
    sheet.append(t("validation.xlsx_columns", lang).split(","))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    order = {"error": 0, "row": 1, "warning": 2}
    for p in sorted(result.problems, key=lambda p: order[p.severity]):
        fields = {"table": p.table, "column": p.column, "value": p.value, "detail": p.detail}
        sheet.append([
            t(f"validation.severity_{p.severity}", lang), p.file, p.sheet, p.row, p.column,
            _safe(p.value), t(f"validation.{p.code}", lang, **fields),
            t(f"validation.{p.code}_fix", lang, **fields),
        ])
    for letter, width in zip("ABCDEFGH", (14, 28, 16, 7, 20, 20, 60, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbooks.save(book, path)
    return path


def _safe(value: str) -> str:
    """A value as inert text: a cell that starts like a formula is not run by a spreadsheet."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
