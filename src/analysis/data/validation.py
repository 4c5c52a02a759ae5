"""Checking raw tables against the data contract, row by row and across tables.

Every row read ends in exactly one place: accepted (typed, clean) or set aside with the first
reason found. Checks are vectorized, so a country's hundred thousand rows take a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from analysis.core import reference
from analysis.core.contract import TABLES, Field, Table
from analysis.data.sources import Problem, RawData, RawTable

TRUE = {"true", "yes", "y", "1", "si", "sí", "s", "verdadero", "x"}
FALSE = {"false", "no", "n", "0", "falso"}
EARLIEST = pd.Timestamp("1990-01-01")


@dataclass
class Checked:
    """The outcome for one table across countries."""

    table: Table
    accepted: pd.DataFrame
    set_aside: pd.DataFrame  # raw text cells + file, sheet, row, column, reason
    counts: pd.DataFrame  # per reporting country: read, accepted, set_aside


@dataclass
class Validation:
    tables: dict[str, Checked] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def rows_set_aside(self) -> int:
        return sum(len(c.set_aside) for c in self.tables.values())


def _latest() -> pd.Timestamp:
    return pd.Timestamp(date.today()) + pd.Timedelta(days=1)


def parse_dates(values: pd.Series) -> pd.Series:
    """ISO dates, month precision (2021-03), day-first dates (04/03/2021), Excel datetimes."""
    text = values.str.slice(0, 10).where(~values.str.match(r"^\d{4}-\d{2}-\d{2} "), values.str[:10])
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    month = pd.to_datetime(text, format="%Y-%m", errors="coerce")
    dayfirst = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")
    return iso.fillna(month).fillna(dayfirst)


def parse_numbers(values: pd.Series) -> pd.Series:
    """Numbers stored as text: "1234.5", "1,234.5", "12,5" and "1.234,5" all read.

    A comma followed by exactly three digits separates thousands ("1,234" is 1234);
    any other single comma is a decimal comma ("12,5" is 12.5). Dots separate thousands only
    beside a decimal comma or when there are several ("1.234.567"): "-80.321" is a decimal.
    """
    european = values.str.match(r"^-?\d{1,3}(?:(?:\.\d{3}){2,}(?:,\d+)?|(?:\.\d{3})+,\d+)$")
    text = values.where(~european, values.str.replace(".", "", regex=False))
    text = text.str.replace(r"(?<=\d),(?=\d{3}(?:\D|$))", "", regex=True)
    text = text.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)
    return pd.to_numeric(text, errors="coerce")


def _period_check(values: pd.Series, present: pd.Series):
    """'2023-04' (a month) or '2023' (a year), kept as text; Excel dates read as their month."""
    text = values.str.strip().str.replace(r"^(\d{4}-\d{2})-01( 00:00:00)?$", r"\1", regex=True)
    shape = text.str.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?")
    year = pd.to_numeric(text.str[:4], errors="coerce")
    bad = present & ~(shape & (year >= EARLIEST.year) & (year <= _latest().year))
    return text.where(present, None), [(bad, "bad_period")]


def _field_check(f: Field, values: pd.Series) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    """Clean values and the (bad mask, problem code) pairs, in order, for one field."""
    present = values != ""
    if f.kind in ("id", "text"):
        too_long = present & (values.str.len() > (200 if f.kind == "id" else 2000))
        return values.where(present, None), [(too_long, "too_long")]
    if f.kind in ("integer", "number"):
        numbers = parse_numbers(values)
        checks = [(present & numbers.isna(), "not_a_number")]
        if f.kind == "integer":
            checks.append((present & (numbers != np.floor(numbers)), "not_an_integer"))
        if f.minimum == 0:
            checks.append((numbers < 0, "negative"))
        low = numbers < f.minimum if f.minimum is not None else False
        high = numbers > f.maximum if f.maximum is not None else False
        checks.append((present & (low | high), "out_of_range"))
        return numbers, checks
    if f.kind == "date":
        dates = parse_dates(values)
        bad = present & (dates.isna() | (dates < EARLIEST) | (dates > _latest()))
        return dates, [(bad, "bad_date")]
    if f.kind == "period":
        return _period_check(values, present)
    if f.kind == "boolean":
        lower = values.str.lower()
        bad = present & ~lower.isin(TRUE | FALSE)
        return lower.isin(TRUE).where(present, None), [(bad, "not_yes_no")]
    if f.kind in ("country", "place"):
        upper = values.str.upper()
        known = reference.countries().index if f.kind == "country" else reference.places().index
        bad = present & ~upper.isin(known)
        return upper.where(present, None), [(bad, f"unknown_{f.kind}")]
    allowed = reference.code_list(f.codes)
    canonical = {c.lower(): c for c in allowed}
    if f.kind == "code":
        lower = values.str.lower()
        bad = present & ~lower.isin(canonical)
        return lower.map(canonical).where(present, None), [(bad, "unknown_code")]
    parts = values.str.lower().str.split(r"\s*[;,|]\s*", regex=True)
    cleaned = parts.map(lambda ps: ";".join(canonical.get(p, "\0") for p in ps if p))
    bad = present & cleaned.str.contains("\0", regex=False)
    return cleaned.where(present, None), [(bad, "unknown_code")]


def _combine(table: Table, items: list[RawTable], problems: list[Problem]) -> pd.DataFrame:
    """Every country's copy of one table in one frame, so the checks run once per table.

    Each row keeps its file, sheet, row number and country; a file that lacks a required
    column marks its own rows, not the others'."""
    frames = []
    for raw in items:
        frame = raw.frame
        if "reporting_country" not in frame.columns:
            frame = frame.assign(reporting_country=raw.country)
        missing = [c for c in table.required if c not in frame.columns]
        for column in missing:
            problems.append(Problem("missing_column", raw.file, table.name, raw.sheet,
                                    column=column))
        for column in frame.columns:
            if column != "_row" and column not in table.names:
                problems.append(Problem("unknown_column", raw.file, table.name, raw.sheet,
                                        column=column, severity="warning"))
        known = [c for c in frame.columns if c in table.names or c == "_row"]
        frames.append(frame[known].assign(
            _file=raw.file, _sheet=raw.sheet, _country=raw.country,
            _pre="missing_column" if missing else "", _precol=missing[0] if missing else ""))
    combined = pd.concat(frames, ignore_index=True)
    for f in table.fields:
        if f.name not in combined.columns:
            combined[f.name] = ""
    text = combined[table.names].fillna("").astype(str)
    return pd.concat([text, combined[["_row", "_file", "_sheet", "_country", "_pre",
                                      "_precol"]]], axis=1)


def _check_table(table: Table, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accepted typed rows, rows set aside with reasons) for one combined table."""
    reason = frame["_pre"].astype(object).copy()
    reason_column = frame["_precol"].astype(object).copy()
    clean = pd.DataFrame(index=frame.index)
    for f in table.fields:
        values = frame[f.name]
        if f.required:
            empty = (values == "") & (reason == "")
            reason[empty], reason_column[empty] = "required_empty", f.name
        cleaned, checks = _field_check(f, values)
        for bad, code in checks:
            bad = bad & (reason == "")
            reason[bad], reason_column[bad] = code, f.name
        clean[f.name] = cleaned
    wrong_country = (clean["reporting_country"] != frame["_country"]) & (reason == "")
    reason[wrong_country], reason_column[wrong_country] = "other_reporting_country", (
        "reporting_country")
    ok = reason == ""
    duplicate = ok & clean[list(table.key)].astype(str).duplicated(keep="first")
    reason[duplicate] = "duplicate_key"
    reason_column[duplicate] = ",".join(table.key)
    bad = reason != ""
    aside = frame.loc[bad, table.names].copy()
    aside.insert(0, "reason", reason[bad])
    aside.insert(1, "column", reason_column[bad])
    aside.insert(0, "_country", frame.loc[bad, "_country"])
    aside.insert(0, "file", frame.loc[bad, "_file"])
    aside.insert(1, "sheet", frame.loc[bad, "_sheet"])
    aside["row"] = frame.loc[bad, "_row"]
    accepted = clean.loc[~bad].copy()
    for column in ("_row", "_file", "_sheet"):
        accepted[column] = frame.loc[~bad, column]
    return accepted, aside


def validate(raw: RawData) -> Validation:
    """Check every table of every country; then keys and references across tables."""
    result = Validation(problems=list(raw.problems))
    accepted: dict[str, pd.DataFrame] = {}
    aside: dict[str, pd.DataFrame] = {}
    read: dict[str, list[tuple[str, int]]] = {name: [] for name in TABLES}
    for name, table in TABLES.items():
        items = [item for item in raw.tables if item.table == name]
        read[name] = [(item.country, len(item.frame)) for item in items]
        if not items:
            accepted[name] = _empty(table)
            continue
        accepted[name], aside[name] = _check_table(
            table, _combine(table, items, result.problems))
    moved = _check_references(accepted)
    for name, table in TABLES.items():
        extra = moved.get(name)
        asides = [a for a in (aside.get(name), extra) if a is not None and len(a)]
        set_aside = pd.concat(asides, ignore_index=True) if asides else pd.DataFrame(
            columns=["file", "_country", "sheet", "reason", "column", "row"])
        counts = _counts(read[name], accepted[name], set_aside)
        result.tables[name] = Checked(table, accepted[name], set_aside, counts)
        for row in set_aside.itertuples(index=False):
            result.problems.append(Problem(
                row.reason, row.file, name, row.sheet, int(row.row), row.column,
                _shown_value(table, row), severity="row",
            ))
    return result


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in table.names + ["_row"]})


def _shown_value(table: Table, row: tuple) -> str:
    """The offending value, unless it identifies someone."""
    column = row.column
    if column not in table.names or "," in column:
        return ""
    f = table.field(column)
    if f.pseudonymize or f.drop:
        return ""
    return str(getattr(row, column, ""))


def _check_references(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Move rows whose references do not resolve from accepted to set aside."""
    moved: dict[str, pd.DataFrame] = {}
    for name, table in TABLES.items():
        frame = frames[name]
        for f in table.fields:
            if f.references is None or frame.empty:
                continue
            target_table, target_field = f.references
            target = frames[target_table]
            present = frame[f.name].notna()
            if f.same_country:
                known = set(zip(target["reporting_country"], target[target_field], strict=True))
                keys = zip(frame["reporting_country"], frame[f.name], strict=True)
                found = pd.Series([k in known for k in keys], index=frame.index)
            else:
                found = frame[f.name].isin(set(target[target_field]))
            dangling = present & ~found
            if not dangling.any():
                continue
            rows = frame.loc[dangling]
            out = rows.drop(columns=["_file", "_sheet", "_row"]).astype(object)
            out = out.where(out.notna(), "")
            out.insert(0, "_country", rows["reporting_country"])
            out.insert(0, "file", rows["_file"])
            out.insert(1, "sheet", rows["_sheet"])
            out.insert(2, "reason", "dangling_reference")
            out.insert(3, "column", f.name)
            out["row"] = rows["_row"]
            moved[name] = pd.concat([moved[name], out]) if name in moved else out
            frame = frame.loc[~dangling]
        frames[name] = frame
    return moved


def _counts(read: list[tuple[str, int]], accepted: pd.DataFrame, aside: pd.DataFrame):
    countries = sorted({c for c, _ in read})
    rows = []
    for country in countries:
        n_read = sum(n for c, n in read if c == country)
        n_ok = int((accepted["reporting_country"] == country).sum()) if len(accepted) else 0
        n_aside = int((aside["_country"] == country).sum()) if len(aside) else 0
        if n_read != n_ok + n_aside:
            raise AssertionError(f"rows do not reconcile for {country}: "
                                 f"{n_read} read, {n_ok} accepted, {n_aside} set aside")
        rows.append({"reporting_country": country, "read": n_read, "accepted": n_ok,
                     "set_aside": n_aside})
    return pd.DataFrame(rows, columns=["reporting_country", "read", "accepted", "set_aside"])
