"""The annex catalogue of a run: figures (HTML and CSV) and one Excel workbook of tables."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from analysis.core import i18n, workbooks
from analysis.report import templating
from analysis.report.annex import Entry, load_entries

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MEASURE = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")


def write(out_dir: Path, lang: str) -> list[Entry]:
    """figures.html, figures.csv and tables.xlsx from the entries the notebooks recorded."""
    entries = load_entries(out_dir)
    figures = [e for e in entries if e.kind == "figure"]
    tables = [e for e in entries if e.kind == "table"]
    _figures_csv(out_dir / "figures.csv", figures, lang)
    _figures_html(out_dir / "figures.html", figures, lang)
    workbook(out_dir / "tables.xlsx", out_dir, tables, lang)
    return entries


def _label(entry: Entry, lang: str) -> str:
    return i18n.t(f"common.{entry.kind}_label", lang, number=entry.number)


def _figures_csv(path: Path, figures: list[Entry], lang: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["number", "label", "country", "caption", "source", "date", "files"])
        for e in figures:
            writer.writerow([e.number, _label(e, lang), e.country, e.caption, e.source, e.date,
                             " ".join(e.files)])


def _figures_html(path: Path, figures: list[Entry], lang: str) -> None:
    rows = [{"label": _label(e, lang), "country": e.country, "caption": e.caption,
             "source": e.source, "files": e.files} for e in figures]
    path.write_text(templating.render("catalogue.html.j2", lang,
                                      title=i18n.t("run.figure_catalogue", lang), figures=rows),
                    encoding="utf-8")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would take for a formula is written as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def workbook(path: Path, out_dir: Path, tables: list[Entry], lang: str) -> None:
    """One sheet per annex table, headed by its number, caption and source note."""
    book = Workbook()
    book.remove(book.active)
    index = book.create_sheet(i18n.t("run.sheet_index", lang)[:31])
    index.append([i18n.t("run.col_number", lang), i18n.t("run.col_caption", lang),
                  i18n.t("run.col_sheet", lang)])
    for cell in index[1]:
        cell.font = Font(bold=True)
    for e in tables:
        name = (f"{e.number} {e.country}".strip())[:31]
        sheet = book.create_sheet(name)
        sheet.append([safe_cell(f"{_label(e, lang)}. {e.caption}")])
        sheet["A1"].font = Font(bold=True)
        sheet.append([safe_cell(f"{e.source} {e.date}")])
        sheet.append([])
        table = pd.read_csv(out_dir / e.files[0], dtype=object, keep_default_na=False)
        sheet.append([safe_cell(str(c)) for c in table.columns])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        measures = [_is_measure(table[c]) for c in table.columns]
        for row in table.itertuples(index=False):
            sheet.append([safe_cell(_typed(v) if m else v) for v, m in zip(row, measures,
                                                                          strict=True)])
        index.append([safe_cell(_label(e, lang)), safe_cell(e.caption), name])
    workbooks.save(book, path)


def _is_measure(column: pd.Series) -> bool:
    """A column of measures: every filled value is a number written without leading zeros,
    and not every value looks like a code ("1.10" and "1.1" are two Work Plan actions)."""
    filled = [text for text in map(str, column) if text.strip()]
    if not filled or not all(MEASURE.fullmatch(text) for text in filled):
        return False
    # two different texts for one number ("1.1" and "1.10"): the texts are identifiers
    texts: dict[Decimal, set[str]] = {}
    for text in filled:
        texts.setdefault(Decimal(text), set()).add(text)
    return all(len(group) == 1 for group in texts.values())


def _typed(value: str) -> object:
    """Numbers back as numbers, so the workbook can be computed on."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() else number
