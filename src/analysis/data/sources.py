"""Finding and reading a data folder: one subfolder of CSV files, or one workbook, per country.

Every raw cell is read as text; `analysis.data.validation` decides what it means. Each row keeps
the file, sheet and row number a person would look for in a spreadsheet program.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.core.contract import TABLES

ISO3 = re.compile(r"^[A-Z]{3}$")
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
META_FILE = "dataset.yml"


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


@dataclass
class RawTable:
    """One table as sent by one country, every cell as text."""

    table: str
    country: str
    file: str
    sheet: str
    frame: pd.DataFrame  # text cells, plus "_row" (spreadsheet row number)
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


def normalize_column(name: object) -> str:
    """'Case ID ' → 'case_id'."""
    text = str(name).strip().lower().lstrip("\ufeff")
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def read_meta(root: Path) -> dict:
    path = root / META_FILE
    if not path.is_file():
        return {}
    return paths.read_yaml(path) or {}


def input_files(root: Path) -> list[Path]:
    """The files of a data folder that ingestion reads, in a stable order."""
    found = [root / META_FILE] if (root / META_FILE).is_file() else []
    for path in sorted(root.iterdir()):
        if path.is_dir() and not path.name.startswith("."):
            found += sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            found.append(path)
    return found


def read_folder(root: Path) -> RawData:
    """Read every country subfolder and workbook of a data folder."""
    data = RawData(root=root, meta=read_meta(root))
    if not root.is_dir():
        data.problems.append(Problem("no_data_folder", str(root)))
        return data
    data.files = input_files(root)
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.name == META_FILE:
            continue
        if path.is_dir():
            _read_country_folder(path, data)
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            _read_workbook(path, data)
        elif path.suffix.lower() == ".csv":
            data.problems.append(Problem("csv_outside_country_folder", _rel(path, root)))
    if not data.countries and not data.problems:
        data.problems.append(Problem("no_country_data", str(root)))
    return data


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _country_of(path: Path, data: RawData) -> str | None:
    code = path.stem.upper() if path.is_file() else path.name.upper()
    if not ISO3.match(code):
        data.problems.append(
            Problem("folder_not_a_country", _rel(path, data.root), value=path.name)
        )
        return None
    if code in data.countries:
        data.problems.append(Problem("country_twice", _rel(path, data.root), value=code))
        return None
    data.countries.append(code)
    return code


def _read_country_folder(folder: Path, data: RawData) -> None:
    country = _country_of(folder, data)
    if country is None:
        return
    files = {normalize_column(p.stem): p for p in folder.iterdir() if p.suffix.lower() == ".csv"}
    for name in files:
        if name not in TABLES:
            data.problems.append(
                Problem("unknown_table", _rel(files[name], data.root), value=files[name].stem,
                        severity="warning")
            )
    for name in TABLES:
        path = files.get(name)
        if path is None:
            data.problems.append(
                Problem("missing_file", _rel(folder, data.root) + f"/{name}.csv", table=name,
                        severity="error" if name == "cases" else "warning")
            )
            continue
        raw = _read_csv(path, name, country, data)
        if raw is not None:
            data.tables.append(raw)


def _decode(content: bytes) -> tuple[str, str] | None:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content:
        return None  # UTF-16 or binary: not a text file we can trust
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(path: Path, table: str, country: str, data: RawData) -> RawTable | None:
    where = _rel(path, data.root)
    decoded = _decode(path.read_bytes())
    if decoded is None:
        data.problems.append(Problem("bad_encoding", where, table=table))
        return None
    text, encoding = decoded
    if not text.strip():
        data.problems.append(Problem("empty_file", where, table=table))
        return None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        sep = dialect.delimiter
    except csv.Error:
        sep = ","
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
            skip_blank_lines=False, on_bad_lines="error",
        )
    except (pd.errors.ParserError, csv.Error) as error:
        data.problems.append(Problem("unreadable_csv", where, table=table, detail=str(error)))
        return None
    frame["_row"] = range(2, len(frame) + 2)
    return _finish(frame, table, country, where, "", encoding, data)


def _read_workbook(path: Path, data: RawData) -> None:
    where = _rel(path, data.root)
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, header=None, engine="openpyxl")
    except Exception as error:  # noqa: BLE001 - any unreadable workbook gets the same clear report
        data.problems.append(Problem("unreadable_workbook", where, detail=type(error).__name__))
        return
    country = _country_of(path, data)
    if country is None:
        return
    by_table: dict[str, tuple[str, pd.DataFrame]] = {}
    for sheet, frame in sheets.items():
        name = normalize_column(sheet)
        if name not in TABLES:
            continue  # extra sheets (notes, instructions, code lists) are tolerated
        if name in by_table:
            data.problems.append(Problem("sheet_twice", where, table=name, sheet=str(sheet)))
            continue
        by_table[name] = (str(sheet), frame)
    for name in TABLES:
        if name not in by_table:
            data.problems.append(
                Problem("missing_sheet", where, table=name, sheet=name,
                        severity="error" if name == "cases" else "warning")
            )
            continue
        sheet, frame = by_table[name]
        frame = frame.fillna("")
        nonblank = frame.apply(lambda r: any(str(v).strip() for v in r), axis=1)
        if not nonblank.any():
            data.problems.append(Problem("empty_file", where, table=name, sheet=sheet))
            continue
        header_at = int(nonblank.to_numpy().argmax())
        body = frame.iloc[header_at + 1:].copy()
        body.columns = [str(c) for c in frame.iloc[header_at]]
        body = body.loc[:, [c.strip() != "" for c in body.columns]]
        body["_row"] = [i + 1 for i in range(header_at + 1, len(frame))]
        data.tables.append(_finish(body, name, country, where, sheet, "xlsx", data))


def _finish(
    frame: pd.DataFrame, table: str, country: str, where: str, sheet: str, encoding: str,
    data: RawData,
) -> RawTable:
    rows = frame.pop("_row")
    frame.columns = [normalize_column(c) for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()].astype(str)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame["_row"] = rows.to_numpy()
    blank = (frame.drop(columns="_row") == "").all(axis=1)
    frame = frame.loc[~blank].reset_index(drop=True)  # blank rows are not rows
    return RawTable(table, country, where, sheet, frame, encoding)
