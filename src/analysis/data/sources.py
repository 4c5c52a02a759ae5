"""Finding and reading a data folder: one subfolder of CSV files, or one workbook, per country.

Files come as offices save them: any of the separators `,` `;` tab `|`; UTF-8, cp1252, Latin-1
or UTF-16; title rows and notes above the header; headers in Spanish or English; workbooks
with formulas, merged cells, hidden and extra sheets. Every raw cell is read as text;
`analysis.data.validation` decides what it means. Each row keeps the file, sheet and row number
a person would look for in a spreadsheet program. Whatever is not read is listed with the reason.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from analysis.core import paths, text
from analysis.core.contract import TABLES
from analysis.data import columns, formats

META_FILE = "dataset.yml"
SEPARATORS = (",", ";", "\t", "|")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
LISTS_SHEET = "lists"  # the template's drop-down lists
HEADER_SEARCH_ROWS = 30
NUMERIC_KINDS = ("integer", "number")
FORMULA_WITHOUT_VALUE = "formula_without_value"


@dataclass
class Problem:
    """Something wrong with the input, located as precisely as possible."""

    code: str  # message key in messages/validation.yml
    file: str
    table: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    detail: str = ""
    severity: str = "error"  # error: the table or file cannot be used; row: the row is set aside


@dataclass(frozen=True)
class CellInfo:
    """How a workbook stored a value: where, its number format, a formula without saved value."""

    coordinate: str
    number_format: str = ""
    formula: str = ""


@dataclass
class RawTable:
    """One table as sent by one country, every cell as text."""

    table: str
    country: str
    file: str
    sheet: str
    # text cells, plus "_row" (spreadsheet row number) and, for rows the reader already had
    # to set aside, "_reason" and "_reason_column"
    frame: pd.DataFrame
    encoding: str = ""


@dataclass
class RawData:
    """Everything read from a data folder."""

    root: Path
    meta: dict
    tables: list[RawTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    not_read: list[Problem] = field(default_factory=list)

    def skip(self, code: str, where: str, **details) -> None:
        """A file, folder or sheet that is not read, with the reason."""
        problem = Problem(code, where, severity="warning", **details)
        self.not_read.append(problem)
        self.problems.append(problem)


def read_meta(root: Path) -> dict:
    path = root / META_FILE
    if not path.is_file():
        return {}
    try:
        meta = paths.read_yaml(path)
    except Exception:  # noqa: BLE001 - a broken dataset.yml is reported, not raised
        return {"_unreadable": True}
    return meta if isinstance(meta, dict) else {}


def input_files(root: Path) -> list[Path]:
    """The files of a data folder that ingestion reads, in a stable order."""
    found = [root / META_FILE] if (root / META_FILE).is_file() else []
    for path in sorted(root.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in TEXT_SUFFIXES)
        elif path.suffix.lower() in WORKBOOK_SUFFIXES:
            found.append(path)
    return found


def read_folder(root: Path) -> RawData:
    """Read every country subfolder and workbook of a data folder."""
    data = open_folder(root)
    for path in entries(data):
        data.tables += read_entry(path, data)
    return close_folder(data)


def open_folder(root: Path) -> RawData:
    """The folder's declarations and their problems, before any country is read."""
    data = RawData(root=root, meta=read_meta(root))
    if not root.is_dir():
        data.problems.append(Problem("no_data_folder", str(root)))
        return data
    if data.meta.pop("_unreadable", False):
        data.problems.append(Problem("bad_dataset_yml", _rel(root / META_FILE, root)))
    for key, value in formats.problems(data.meta):
        data.problems.append(Problem("bad_declaration", _rel(root / META_FILE, root),
                                     column=key, value=value))
    data.files = input_files(root)
    return data


def entries(data: RawData) -> list[Path]:
    """What the folder holds (country folders, workbooks, stray files), in reading order."""
    if not data.root.is_dir():
        return []
    return [p for p in sorted(data.root.iterdir())
            if not p.name.startswith(".") and p.name != META_FILE]


def read_entry(path: Path, data: RawData, only: tuple[str, ...] | None = None,
               ) -> list[RawTable]:
    """The tables of one country folder or workbook (only those named in `only`, if given);
    its problems, and a stray file's, go to `data`."""
    tables: list[RawTable] = []
    if path.is_dir():
        _read_country_folder(path, data, tables, only)
    elif path.suffix.lower() in WORKBOOK_SUFFIXES:
        _read_workbook(path, data, tables, only)
    elif path.suffix.lower() in TEXT_SUFFIXES:
        data.skip("csv_outside_country_folder", _rel(path, data.root))
    else:
        data.skip("stray_file", _rel(path, data.root))
    return tables


def close_folder(data: RawData) -> RawData:
    if (data.root.is_dir() and not data.countries
            and not any(p.severity == "error" for p in data.problems)):
        data.problems.append(Problem("no_country_data", str(data.root)))
    return data


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _country_of(path: Path, data: RawData) -> str | None:
    code = columns.country_of(path.stem if path.is_file() else path.name)
    where = _rel(path, data.root)
    if code is None:
        data.skip("folder_not_a_country", where, value=path.name)
        return None
    if code in data.countries:
        data.problems.append(Problem("country_twice", where, value=code))
        return None
    data.countries.append(code)
    return code


def _read_country_folder(folder: Path, data: RawData, tables: list[RawTable],
                         only: tuple[str, ...] | None) -> None:
    country = _country_of(folder, data)
    if country is None:
        return
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        where = _rel(path, data.root)
        if path.name.startswith("."):
            continue
        name = columns.table_of(path.stem) if path.suffix.lower() in TEXT_SUFFIXES else None
        if path.is_dir():
            data.skip("stray_folder", where, value=path.name)
        elif path.suffix.lower() not in TEXT_SUFFIXES:
            data.skip("stray_file", where, value=path.name)
        elif name is None:
            data.skip("unknown_table", where, value=path.stem)
        elif name in found:
            data.skip("table_twice", where, table=name, value=found[name].name)
        else:
            found[name] = path
    for name in only or TABLES:
        path = found.get(name)
        if path is None:
            data.problems.append(
                Problem("missing_file", _rel(folder, data.root) + f"/{name}.csv", table=name,
                        severity="error" if name == "cases" else "warning")
            )
            continue
        raw = _read_text_file(path, name, country, data)
        if raw is not None:
            tables.append(raw)


def _parse(content: str, sep: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content, newline=""), delimiter=sep, strict=True))


def _separator(content: str, table: str) -> str:
    """The separator under which the most contract columns appear in one row near the top;
    ties go to the one giving the most columns."""
    head = "\n".join(content.splitlines()[:HEADER_SEARCH_ROWS])
    best, best_score = ",", (-1, -1)
    for sep in SEPARATORS:
        try:
            rows = _parse(head, sep)
        except csv.Error:
            continue
        recognized = max((_score(r, table) for r in rows), default=0)
        width = max((len(r) for r in rows), default=0)
        if (recognized, width) > best_score:
            best, best_score = sep, (recognized, width)
    return best


def _score(row: list, table: str) -> int:
    return len({columns.column_of(c, table) for c in row if str(c).strip()} - {None})


def _read_text_file(path: Path, table: str, country: str, data: RawData) -> RawTable | None:
    where = _rel(path, data.root)
    decoded = text.decode(path.read_bytes())
    if decoded is None:
        data.problems.append(Problem("bad_encoding", where, table=table))
        return None
    content, encoding = decoded
    content = content.lstrip("\ufeff")
    if not content.strip():
        data.problems.append(Problem("empty_file", where, table=table))
        return None
    sep = _separator(content, table)
    try:
        rows = _parse(content, sep)
    except csv.Error as error:
        data.problems.append(Problem("unreadable_csv", where, table=table, detail=str(error)))
        return None
    at = _header_at(rows, table)
    names = _names(rows[at], table, where, "", data) if at is not None else None
    if names is None:
        return None
    return _frame(rows, list(range(1, len(rows) + 1)), at, names, table, country, where, "",
                  encoding)


def _header_at(rows: list[list], table: str) -> int | None:
    """Index of the row that holds the most contract columns (the first such row) among the
    first rows that are not blank; the first non-blank row when none names any."""
    first = None
    best, best_score = None, 0
    seen = 0
    for i, row in enumerate(rows):
        cells = [str(v) for v in row if v is not None and str(v).strip()]
        if not cells:
            continue
        first = i if first is None else first
        score = _score(cells, table)
        if score > best_score:
            best, best_score = i, score
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best if best is not None else first


def _names(row: list, table: str, where: str, sheet: str, data: RawData) -> list | None:
    """The contract column each header cell names (None for a blank header or a repeat);
    an unrecognized header keeps a slug of itself, to be reported. None when the header is one
    cell that holds a separator: the file is not split as it should be."""
    header = ["" if v is None else str(v).strip() for v in row]
    filled = [h for h in header if h]
    if len(filled) == 1 and _score(filled, table) == 0:
        used = [s for s in SEPARATORS if s in filled[0]]
        if used:
            data.problems.append(Problem("one_column_header", where, table=table, sheet=sheet,
                                         detail="TAB" if used[0] == "\t" else used[0]))
            return None
    names: list[str | None] = []
    for position, title in enumerate(header):
        name = columns.column_of(title, table) if title else None
        if name is None and title:
            name = text.slug(title) or f"column_{position + 1}"
            if name in TABLES[table].names:  # an unrecognized header must not pose as one
                name = f"{name}_{position + 1}"
        if name is not None and name in names:
            data.problems.append(Problem("column_twice", where, table, sheet, column=title,
                                         severity="warning"))
            name = None
        names.append(name)
    return names


def _frame(
    rows: list[list[str]], row_numbers: list[int], at: int, names: list, table: str,
    country: str, where: str, sheet: str, encoding: str,
    formulas: dict[tuple[int, int], str] | None = None,
) -> RawTable:
    """The rows under the header as a frame of text cells named by contract column. A row
    with filled cells beyond the header, or a formula without a saved value, is marked to be
    set aside; blank rows are dropped."""
    body = rows[at + 1:]
    width = max([len(names), *(len(r) for r in body)]) if body else len(names)
    if any(len(r) != width for r in body):
        body = [list(r) + [""] * (width - len(r)) for r in body]
    cells = pd.DataFrame(body, columns=range(width) if body else None, dtype=object)
    cells = cells.reindex(columns=range(width)).fillna("").astype(str)
    for position in cells.columns:
        cells[position] = cells[position].str.strip()
    reason = pd.Series("", index=cells.index, dtype=object)
    reason_column = pd.Series("", index=cells.index, dtype=object)
    extra = [p for p in cells.columns if p >= len(names)]
    for position in extra:
        filled = (cells[position] != "") & (reason == "")
        reason[filled], reason_column[filled] = "extra_cells", str(position + 1)
    for (i, position), shown in (formulas or {}).items():
        name = names[position] if position < len(names) else None
        if name is None or i - at - 1 < 0:
            continue
        row = i - at - 1
        cells.loc[row, position] = shown
        if reason[row] == "":
            reason[row], reason_column[row] = FORMULA_WITHOUT_VALUE, name
    kept = [p for p in range(len(names)) if names[p] is not None]
    frame = cells[kept].copy()
    frame.columns = [names[p] for p in kept]
    frame["_row"] = row_numbers[at + 1:]
    if (reason != "").any():
        frame["_reason"], frame["_reason_column"] = reason, reason_column
    blank = (frame[frame.columns[:len(kept)]] == "").all(axis=1) & (reason == "")
    frame = frame.loc[~blank].reset_index(drop=True)
    return RawTable(table, country, where, sheet, frame, encoding)


def _text(value: object, cell: object, kind: str | None) -> str:
    """A cell as text: dates as ISO, whole numbers without '.0' (and with the leading zeros a
    '000' number format shows), other numbers in a notation no declared format can misread."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            shown = repr(value)
            return shown if kind not in NUMERIC_KINDS or "e" in shown else shown + "e0"
        whole = str(int(value)) if abs(value) < 1e18 else repr(value)
        fmt = getattr(cell, "number_format", "") or ""
        if re.fullmatch(r"0+", fmt) and kind not in NUMERIC_KINDS:
            whole = whole.zfill(len(fmt))
        return whole
    return str(value)


def _formula_cells(path: Path) -> bool:
    """Whether any sheet of the workbook holds a formula (worth a second, slower reading)."""
    try:
        with zipfile.ZipFile(path) as book:
            return any(b"<f>" in book.read(n) or b"<f " in book.read(n)
                       for n in book.namelist() if n.startswith("xl/worksheets/"))
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def _read_workbook(path: Path, data: RawData, tables: list[RawTable],
                   only: tuple[str, ...] | None) -> None:
    from openpyxl import load_workbook

    where = _rel(path, data.root)
    try:
        book = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False) if _formula_cells(path) else None
    except Exception as error:  # noqa: BLE001 - any unreadable workbook gets the same clear report
        data.problems.append(Problem("unreadable_workbook", where, detail=type(error).__name__))
        return
    country = _country_of(path, data)
    if country is None:
        return
    by_table: dict[str, object] = {}
    for sheet in book.worksheets:
        name = columns.table_of(sheet.title)
        if name is None:
            if sheet.title != LISTS_SHEET:
                data.skip("extra_sheet", where, sheet=sheet.title)
            continue
        if name in by_table:
            data.skip("sheet_twice", where, table=name, sheet=sheet.title)
            continue
        if sheet.sheet_state != "visible":
            data.problems.append(Problem("hidden_sheet", where, name, sheet.title,
                                         severity="warning"))
        by_table[name] = sheet
    for name in only or TABLES:
        sheet = by_table.get(name)
        if sheet is None:
            data.problems.append(
                Problem("missing_sheet", where, table=name, sheet=name,
                        severity="error" if name == "cases" else "warning")
            )
            continue
        grid, numbers = _sheet_grid(sheet, formulas[sheet.title] if formulas else None)
        merged = [str(r) for r in sheet.merged_cells.ranges if r.max_row > r.min_row]
        if merged:
            data.problems.append(Problem("merged_cells", where, name, sheet.title,
                                         value=", ".join(merged[:5]), severity="warning"))
        at = _header_at([[v for v, _ in row] for row in grid[:HEADER_SEARCH_ROWS * 3]], name)
        if at is None:
            data.problems.append(Problem("empty_file", where, table=name, sheet=sheet.title))
            continue
        names = _names([v for v, _ in grid[at]], name, where, sheet.title, data)
        if names is None:
            continue
        kinds = {f.name: f.kind for f in TABLES[name].fields}
        rows, marks = [], {}
        for i, row in enumerate(grid):
            texts = []
            for position, (value, cell) in enumerate(row):
                column = names[position] if position < len(names) and i > at else None
                texts.append(_text(value, cell, kinds.get(column or "")))
                if cell.formula:
                    marks[(i, position)] = f"{cell.coordinate}: {cell.formula}"
            rows.append(texts)
        tables.append(_frame(rows, numbers, at, names, name, country, where, sheet.title,
                             "xlsx", marks))


def _sheet_grid(sheet, formulas) -> tuple[list[list[tuple]], list[int]]:
    """(value, CellInfo) rows of a sheet, merged ranges filled from their first cell; a formula
    without a saved value is marked on its cell."""
    fill = {}
    for merged in sheet.merged_cells.ranges:
        first = sheet.cell(merged.min_row, merged.min_col)
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                fill[(row, col)] = first.value
    grid, numbers = [], []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            value = fill.get((cell.row, cell.column), cell.value)
            formula = ""
            if value is None and formulas is not None:
                source = formulas.cell(cell.row, cell.column).value
                if isinstance(source, str) and source.startswith("="):
                    formula = source
            values.append((value, CellInfo(cell.coordinate, cell.number_format or "", formula)))
        grid.append(values)
        numbers.append(row[0].row if row else len(numbers) + 1)
    return grid, numbers
