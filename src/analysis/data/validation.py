"""Checking raw tables against the data contract, row by row and across tables.

Every row read ends in exactly one place: accepted (typed, clean) or set aside with the first
reason found. Checks are vectorized, so a country's hundred thousand rows take a second.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import types
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import memory, reference
from analysis.core.contract import TABLES, Field, Table
from analysis.core.text import fold
from analysis.data import columns, formats, sources
from analysis.data.dates import parse as parse_dates
from analysis.data.numbers import parse as parse_numbers
from analysis.data.sources import Problem, RawData, RawTable

Sink = Callable[[str, str, pd.DataFrame], None]  # (table, country, accepted rows)

YES = {"true", "yes", "y", "1", "si", "s", "verdadero", "x", "v"}
NO = {"false", "no", "n", "0", "falso", "f"}
EARLIEST = pd.Timestamp("1990-01-01")
WHOLE_NUMBER_ID = r"^(\d+)\.0+$"  # an identifier a spreadsheet stored as a number: 1234.0


@dataclass
class Checked:
    """The outcome for one table across countries."""

    table: Table
    accepted: pd.DataFrame
    set_aside: pd.DataFrame  # raw text cells + file, sheet, row, column, reason
    counts: pd.DataFrame  # per reporting country: read, accepted, set_aside
    totals: dict | None = None  # per country, sums of numeric columns (when rows were streamed)


@dataclass
class Validation:
    tables: dict[str, Checked] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    not_read: list[Problem] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # countries read, in reading order

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def rows_set_aside(self) -> int:
        return sum(len(c.set_aside) for c in self.tables.values())


def _latest() -> pd.Timestamp:
    return pd.Timestamp(date.today()) + pd.Timedelta(days=1)


@dataclass
class Context:
    """What checking a column needs beyond its values: the declarations and, per row, the
    file it came from, so formats are inferred file by file."""

    table: str
    meta: dict
    frame: pd.DataFrame
    problems: list[Problem]

    _groups: list | None = None

    def groups(self):
        """(rows, country, file, sheet) for each file or sheet of the combined table."""
        if self._groups is None:
            keys = ["_file", "_sheet", "_country"]
            self._groups = [(rows, country, file, sheet) for (file, sheet, country), rows
                            in self.frame.groupby(keys, sort=False).groups.items()]
        return self._groups


@cache
def _code_index(list_name: str) -> dict[str, str]:
    """Folded code or label (es, en) → code; a code wins over another code's label."""
    index: dict[str, str] = {}
    if list_name in ("criterion", "workplan_action"):
        codes = reference.code_list(list_name)
        labels = {c: [reference.label(list_name, c, lang) for lang in ("es", "en")]
                  for c in codes}
    else:
        rows = reference.codelists().query("list == @list_name")
        codes = tuple(rows["code"])
        labels = {c: [es, en] for c, es, en in zip(rows["code"], rows["label_es"],
                                                    rows["label_en"], strict=True)}
    for code in codes:
        for text in labels[code]:
            index.setdefault(fold(text), code)
    index.update({fold(code): code for code in codes})
    return index


def _period_check(values: pd.Series, present: pd.Series):
    """'2023-04' (a month) or '2023' (a year), kept as text; Excel dates read as their month."""
    text = values.str.strip().str.replace(r"^(\d{4}-\d{2})-01( 00:00:00)?$", r"\1", regex=True)
    shape = text.str.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?")
    year = pd.to_numeric(text.str[:4], errors="coerce")
    bad = present & ~(shape & (year >= EARLIEST.year) & (year <= _latest().year))
    return text.where(present, None), [(bad, "bad_period")]


def _numbers(f: Field, values: pd.Series, ctx: Context) -> tuple[pd.Series, pd.Series]:
    """(numbers, ambiguous) read file by file, in the declared or inferred format."""
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    unclear = pd.Series(False, index=values.index)
    small = f.maximum is not None and f.maximum < 1000 and (f.minimum or 0) > -1000
    for rows, country, file, sheet in ctx.groups():
        declared = formats.number_format(ctx.meta, country)
        numbers, ambiguous = parse_numbers(values.loc[rows], declared, below_thousand=small)
        out.loc[rows], unclear.loc[rows] = numbers, ambiguous
        if ambiguous.any():
            example = values.loc[rows][ambiguous].iloc[0]
            ctx.problems.append(Problem("ambiguous_number", file, ctx.table, sheet, column=f.name,
                                        value=example, detail=country))
    return out, unclear


def _dates(values: pd.Series, ctx: Context) -> tuple[pd.Series, pd.Series]:
    """(dates, order used where the value is impossible in it, else '')."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    impossible = pd.Series("", index=values.index, dtype=object)
    countries = ctx.frame["_country"]
    orders = countries.map({c: formats.date_order(ctx.meta, c) for c in pd.unique(countries)})
    for order, rows in orders.groupby(orders, sort=False).groups.items():
        parsed, bad = parse_dates(values.loc[rows], order)
        out.loc[rows] = parsed
        impossible.loc[rows] = np.where(bad, order, "")
    return out, impossible


def _field_check(f: Field, values: pd.Series, ctx: Context,
                 ) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    """Clean values and the (bad mask, problem code) pairs, in order, for one field."""
    present = values != ""
    if f.kind in ("id", "text"):
        if f.kind == "id":
            values = values.str.replace(WHOLE_NUMBER_ID, r"\1", regex=True)
        too_long = present & (values.str.len() > (200 if f.kind == "id" else 2000))
        return values.where(present, None), [(too_long, "too_long")]
    if f.kind in ("integer", "number"):
        numbers, unclear = _numbers(f, values, ctx)
        checks = [(present & unclear, "ambiguous_number"),
                  (present & numbers.isna(), "not_a_number")]
        if f.kind == "integer":
            checks.append((present & (numbers != np.floor(numbers)), "not_an_integer"))
        if f.minimum == 0:
            checks.append((numbers < 0, "negative"))
        low = numbers < f.minimum if f.minimum is not None else False
        high = numbers > f.maximum if f.maximum is not None else False
        checks.append((present & (low | high), "out_of_range"))
        return numbers, checks
    if f.kind == "date":
        dates, impossible = _dates(values, ctx)
        checks = [(present & (impossible == order), f"bad_date_{order.lower()}")
                  for order in formats.DATE_ORDERS]
        bad = present & (dates.isna() | (dates < EARLIEST) | (dates > _latest()))
        return dates, [*checks, (bad, "bad_date")]
    if f.kind == "period":
        return _period_check(values, present)
    folded = _folded(values)
    if f.kind == "boolean":
        bad = present & ~folded.isin(YES | NO)
        return folded.isin(YES).where(present, None), [(bad, "not_yes_no")]
    if f.kind == "country":
        index = _present(columns.country_index(), folded)
        bad = present & ~folded.isin(index)
        return folded.map(index).where(present, None), [(bad, "unknown_country")]
    if f.kind == "place":
        upper = values.str.upper()
        bad = present & ~upper.isin(reference.places().index)
        return upper.where(present, None), [(bad, "unknown_place")]
    index = _code_index(f.codes)
    if f.kind == "code":
        index = _present(index, folded)
        bad = present & ~folded.isin(index)
        return folded.map(index).where(present, None), [(bad, "unknown_code")]
    unique = pd.unique(values)  # each distinct cell is read once
    cleaned = values.map(dict(zip(unique, (_several_codes(u, index) for u in unique),
                                  strict=True)))
    bad = present & cleaned.str.contains("\0", regex=False)
    return cleaned.where(present, None), [(bad, "unknown_code")]


def _folded(values: pd.Series) -> pd.Series:
    """`fold` of each value, computed once per distinct value."""
    unique = pd.unique(values)
    return values.map(dict(zip(unique, map(fold, unique), strict=True)))


def _present(index: dict[str, str], folded: pd.Series) -> dict[str, str]:
    """The entries of `index` that `folded` holds (the whole index when it holds none), so a
    column is looked up in a few entries rather than in every name of every country."""
    found = {key: index[key] for key in pd.unique(folded) if key in index}
    return found or index


def _several_codes(value: str, index: dict[str, str]) -> str:
    """'robo; Extorsión' → 'robbery;extortion'; an unknown part becomes a NUL marker. Parts are
    split on ';' or '|' and, where that leaves an unknown part, on ','."""
    codes = []
    for part in re.split(r"\s*[;|]\s*", value):
        if not part.strip():
            continue
        if fold(part) in index:
            codes.append(index[fold(part)])
            continue
        pieces = [p for p in re.split(r"\s*,\s*", part) if p.strip()]
        codes += [index.get(fold(p), "\0") for p in pieces]
    return ";".join(codes)


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
            if not column.startswith("_") and column not in table.names:
                problems.append(Problem("unknown_column", raw.file, table.name, raw.sheet,
                                        column=column, severity="warning"))
        known = [c for c in frame.columns if c in table.names or c == "_row"]
        pre = frame["_reason"] if "_reason" in frame.columns else ""
        precol = frame["_reason_column"] if "_reason_column" in frame.columns else ""
        frames.append(frame[known].assign(
            _file=raw.file, _sheet=raw.sheet, _country=raw.country,
            _pre="missing_column" if missing else pre,
            _precol=missing[0] if missing else precol))
    combined = pd.concat(frames, ignore_index=True)
    for f in table.fields:
        if f.name not in combined.columns:
            combined[f.name] = ""
    text = combined[table.names].fillna("").astype(str)
    return pd.concat([text, combined[["_row", "_file", "_sheet", "_country", "_pre",
                                      "_precol"]]], axis=1)


_EMPTY_OUTCOMES: dict[tuple, tuple[pd.DataFrame, pd.DataFrame]] = {}


def _check_table(table: Table, frame: pd.DataFrame, ctx: Context,
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accepted typed rows, rows set aside with reasons) for one combined table.

    A table without rows (a file with its header only) has the same outcome whatever the
    data folder: it is worked out once per table and column types, and copied."""
    if not frame.empty:
        return _check_rows(table, frame, ctx)
    key = (table.name, tuple(frame.columns), tuple(frame.dtypes), type(frame.index),
           frame.index.dtype)
    if key not in _EMPTY_OUTCOMES:
        _EMPTY_OUTCOMES[key] = _check_rows(table, frame, ctx)
    accepted, aside = _EMPTY_OUTCOMES[key]
    return accepted.copy(), aside.copy()


def _check_rows(table: Table, frame: pd.DataFrame, ctx: Context,
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    # the first reason of each row, as plain arrays: a check costs the same for three rows
    # as pandas' fixed cost of one assignment, and a table has a hundred checks
    reason = frame["_pre"].to_numpy(dtype=object).copy()
    reason_column = frame["_precol"].to_numpy(dtype=object).copy()
    clean: dict[str, pd.Series] = {}
    for f in table.fields:
        values = frame[f.name]
        if f.required:
            empty = (values.to_numpy(dtype=object) == "") & (reason == "")
            reason[empty], reason_column[empty] = "required_empty", f.name
        cleaned, checks = _field_check(f, values, ctx)
        for bad, code in checks:
            bad = _flags(bad, len(reason)) & (reason == "")
            reason[bad], reason_column[bad] = code, f.name
        clean[f.name] = cleaned
    clean = pd.DataFrame(clean, index=frame.index)
    wrong_country = _flags(clean["reporting_country"] != frame["_country"], len(reason)) & (
        reason == "")
    reason[wrong_country], reason_column[wrong_country] = "other_reporting_country", (
        "reporting_country")
    ok = reason == ""
    duplicate = ok & clean[list(table.key)].astype(str).duplicated(keep="first").to_numpy()
    reason[duplicate] = "duplicate_key"
    reason_column[duplicate] = ",".join(table.key)
    bad = reason != ""
    aside = frame.loc[bad, table.names].copy()
    aside.insert(0, "reason", pd.Series(reason[bad], index=aside.index, dtype=object))
    aside.insert(1, "column", pd.Series(reason_column[bad], index=aside.index, dtype=object))
    aside.insert(0, "_country", frame.loc[bad, "_country"])
    aside.insert(0, "file", frame.loc[bad, "_file"])
    aside.insert(1, "sheet", frame.loc[bad, "_sheet"])
    aside["row"] = frame.loc[bad, "_row"]
    accepted = clean.loc[~bad].copy()
    for column in ("_row", "_file", "_sheet"):
        accepted[column] = frame.loc[~bad, column]
    return accepted, aside


def _flags(mask: pd.Series | bool, n: int) -> np.ndarray:
    """A check's mask as a boolean array (a missing flag is no flag)."""
    if isinstance(mask, pd.Series):
        return mask.to_numpy(dtype=bool, na_value=False)
    return np.full(n, bool(mask))


def validate(raw: RawData) -> Validation:
    """Check every table of every country; then keys and references across tables."""
    result = Validation(problems=list(raw.problems), not_read=list(raw.not_read),
                        countries=list(raw.countries))
    accepted: dict[str, pd.DataFrame] = {}
    aside: dict[str, pd.DataFrame] = {}
    read: dict[str, list[tuple[str, int]]] = {name: [] for name in TABLES}
    for name, table in TABLES.items():
        items = [item for item in raw.tables if item.table == name]
        read[name] = [(item.country, len(item.frame)) for item in items]
        if not items:
            accepted[name] = _empty(table)
            continue
        combined = _combine(table, items, result.problems)
        ctx = Context(name, raw.meta, combined, result.problems)
        accepted[name], aside[name] = _check_table(table, combined, ctx)
    moved = _check_references(accepted)
    for name, table in TABLES.items():
        extra = list(moved.get(name, {}).values())
        asides = [a for a in (aside.get(name), *extra) if a is not None and len(a)]
        set_aside = _concat_aside(asides)
        counts = _counts(read[name], accepted[name], set_aside)
        result.tables[name] = Checked(table, accepted[name], set_aside, counts)
        result.problems += _row_problems(table, set_aside)
    return result


STREAM_BYTES = 64 << 20  # input folders larger than this are validated country by country
WORKERS = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else
              os.cpu_count() or 1)  # processes that check a streamed folder's countries
# Memory a process checking one country holds, per byte of that country's files (measured:
# Mexico's 427 MB of CSV at demo scale 1000, 3.6 GiB): countries are checked in one process
# when the largest would not fit twice in the memory available.
MEMORY_PER_BYTE = 9


def _affordable(workers: int, entries: list[Path]) -> int:
    """`workers`, or 1 when two processes holding the largest entry would not fit in the
    memory available now (as far as the system tells)."""
    if workers <= 1:
        return workers
    available = memory.available()
    largest = max((_entry_bytes(path) for path in entries), default=0)
    if available is not None and 2 * MEMORY_PER_BYTE * largest > available:
        return 1
    return workers


def _entry_bytes(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.is_file() else 0


@dataclass
class _Entry:
    """The outcome of checking one country folder or workbook on its own."""

    countries: list[str]  # the country read (none when the entry is not read)
    problems: list[Problem]  # reading problems, in the order they were found
    not_read: list[Problem]
    read: dict[str, list[tuple[str, int]]]  # per table: (country, rows read)
    frames: dict[str, pd.DataFrame]  # accepted rows, references within the country checked
    aside: dict[str, pd.DataFrame]
    moved: dict[str, dict[str, pd.DataFrame]]  # rows whose references did not resolve
    column_problems: dict[str, list[Problem]]
    field_problems: dict[str, list[Problem]]
    counts: dict[str, pd.DataFrame] = field(default_factory=dict)  # per table read
    totals: dict[str, dict] = field(default_factory=dict)  # per table given to a sink


def _check_entry(path: Path, data: RawData, actors: set) -> _Entry:
    """Read and check one country folder or workbook; its reading problems go to `data`."""
    problems, not_read = len(data.problems), len(data.not_read)
    countries = len(data.countries)
    items = sources.read_entry(path, data)
    entry = _Entry(data.countries[countries:], data.problems[problems:],
                   data.not_read[not_read:], {name: [] for name in TABLES}, {}, {}, {},
                   {name: [] for name in TABLES}, {name: [] for name in TABLES})
    if not items:
        return entry
    for name, table in TABLES.items():
        mine = [item for item in items if item.table == name]
        entry.read[name] = [(item.country, len(item.frame)) for item in mine]
        if not mine:
            entry.frames[name] = _empty(table)
            continue
        combined = _combine(table, mine, entry.column_problems[name])
        ctx = Context(name, data.meta, combined, entry.field_problems[name])
        entry.frames[name], entry.aside[name] = _check_table(table, combined, ctx)
    del items
    entry.moved = _check_references(entry.frames, {"actors": actors})
    return entry


def _settle(entry: _Entry, sink: Sink | None) -> _Entry:
    """Counts of each table the entry read and, with a sink, the totals of its accepted
    rows, which then go to the sink and are dropped (without a sink they are kept)."""
    for name, table in TABLES.items():
        read = entry.read[name]
        if not read:
            continue
        dropped = list(entry.moved.get(name, {}).values())
        entry.counts[name] = _counts(read, entry.frames[name],
                                     _concat_aside([entry.aside[name], *dropped]))
        if sink is not None:
            entry.totals[name] = numeric_totals(table, entry.frames[name])
            sink(name, read[0][0], entry.frames.pop(name))
    return entry


def _entry_job(path: Path, root: Path, meta: dict, actors: set,
               sink: Sink | None) -> tuple[_Entry, Sink | None]:
    """`_check_entry` in a worker process, as if it were the first entry of the folder; with
    a sink (a staged one, see `Staged`), its accepted rows go to it here and are not sent
    back. Returns the entry and the sink, with what it recorded."""
    entry = _check_entry(path, RawData(root=root, meta=meta), actors)
    return _settle(entry, sink), sink


class Staged(ABC):
    """A sink that workers can use themselves: `staged(n)` gives the (picklable) sink for
    the n-th entry, used in a worker process; `adopt(sink)` takes what it did once the
    entry's outcome is taken, in reading order. Accepted rows then never travel back from
    the workers. Checking without keeping rows is `Discard`; the cache writer is another."""

    @abstractmethod
    def __call__(self, name: str, country: str, accepted: pd.DataFrame) -> None:
        """Take one country's accepted rows of a table."""

    @abstractmethod
    def staged(self, index: int) -> Sink:
        """The sink a worker process uses for the entry read `index`-th."""

    @abstractmethod
    def adopt(self, staged: Sink) -> None:
        """Take what a worker's staged sink did, as if this sink had done it."""


class Discard(Staged):
    """A sink that keeps nothing: validation for its report only."""

    def __call__(self, name: str, country: str, accepted: pd.DataFrame) -> None:
        return None

    def staged(self, index: int) -> Discard:
        return self

    def adopt(self, staged: Sink) -> None:
        return None


def _checked_entries(data: RawData, entries: list[Path], actors: set,
                     pool: ProcessPoolExecutor | None, ahead: int,
                     sink: Sink | None) -> Iterator[_Entry]:
    """Each entry's outcome, in reading order, its reading problems added to `data`, settled
    (`_settle`) with `sink`. With a pool, entries are checked ahead in the workers (no more
    at once than workers), which give the rows to a staged sink themselves when `sink` is
    `Staged`; an entry whose country was already read is checked again here, where the
    country is known and the entry reported as a repeat, as reading one entry after the
    other does."""
    if pool is None:
        for path in entries:
            yield _settle(_check_entry(path, data, actors), sink)
        return
    staged = isinstance(sink, Staged)

    def submit(index: int, path: Path):
        return pool.submit(_entry_job, path, data.root, data.meta, actors,
                           sink.staged(index) if staged else None)

    pending: deque = deque()
    queue = iter(enumerate(entries))
    for index, path in queue:
        pending.append((path, submit(index, path)))
        if len(pending) >= ahead:
            break
    while pending:
        path, future = pending.popleft()
        entry, done = future.result()
        following = next(queue, None)
        if following is not None:
            pending.append((following[1], submit(*following)))
        if any(country in data.countries for country in entry.countries):
            yield _settle(_check_entry(path, data, actors), sink)
            continue
        data.problems += entry.problems
        data.not_read += entry.not_read
        data.countries += entry.countries
        if staged:
            sink.adopt(done)
        elif sink is not None:
            entry = _settle(entry, sink)
        yield entry


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes started afresh, not forked from a process that may hold threads.

    They are started at once, and without the caller's main module: a fresh process would
    otherwise run the caller's script again before working (what validates a folder from a
    script without a main guard, or from a notebook, must not run twice)."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        started = [pool.submit(os.getpid) for _ in range(workers)]
    finally:
        sys.modules["__main__"] = main
    for job in started:
        job.result()
    return pool


def validate_folder(root: Path, sink: Sink | None = None, stream: bool | None = None,
                    workers: int | None = None) -> Validation:
    """`validate(read_folder(root))`, one country folder or workbook at a time.

    Folders under `STREAM_BYTES` are read whole (checks run once per table, which is faster
    when tables are small) unless `stream` says otherwise; the outcome is the same.

    Never holds more than one country's raw tables: each country's accepted rows go to
    `sink(table, country, rows)` as soon as they are checked (without a sink they are kept, as
    `validate` keeps them). References within a country (migrants and route legs to cases) are
    checked inside it; links, which may point to actors of other countries, are checked
    against the set of accepted actor identifiers, read first. Problems, set-aside rows and
    counts come out in the order `validate` gives them.

    Streamed, country folders and workbooks are checked by `workers` processes (`WORKERS`
    unless given; 1: in this process; one also when the largest country would not fit twice
    in memory), each holding one country at a time; their outcomes are taken, and given to
    the sink, in reading order, so the result is the one of a single process. A `Staged` sink
    (the cache writer, `Discard`) is used by the workers themselves: accepted rows never
    come back to this process, which holds only problems, set-aside rows and counts.
    """
    data = sources.open_folder(Path(root))
    if not data.root.is_dir():
        return validate(data)
    if stream is None:
        stream = sum(p.stat().st_size for p in data.files) >= STREAM_BYTES
    if not stream:
        return _validate_whole(data, sink)
    if workers is None:
        workers = WORKERS
    entries = sources.entries(data)
    workers = _affordable(max(1, min(workers, len(entries))), entries)
    pool = _pool(workers) if workers > 1 else None
    try:
        actors = _accepted_actors(data, entries, pool)
        kept: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}  # without a sink
        aside: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
        moved: dict[str, dict[str, list[pd.DataFrame]]] = {name: {} for name in TABLES}
        column_problems: dict[str, list[Problem]] = {name: [] for name in TABLES}
        field_problems: dict[str, list[Problem]] = {name: [] for name in TABLES}
        counts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
        totals: dict[str, dict] = {name: {} for name in TABLES}
        for entry in _checked_entries(data, entries, actors, pool, workers, sink):
            for name in TABLES:
                column_problems[name] += entry.column_problems[name]
                field_problems[name] += entry.field_problems[name]
                if not entry.read[name]:
                    continue
                for column, rows in entry.moved.get(name, {}).items():
                    moved[name].setdefault(column, []).append(rows)
                if len(entry.aside[name]):
                    aside[name].append(entry.aside[name])
                counts[name].append(entry.counts[name])
                if sink is None:
                    kept[name].append(entry.frames[name])
                else:
                    totals[name].update(entry.totals[name])
            del entry
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    sources.close_folder(data)
    result = Validation(problems=list(data.problems), not_read=list(data.not_read),
                        countries=list(data.countries))
    for name, table in TABLES.items():
        order = {f.name: i for i, f in enumerate(table.fields)}
        result.problems += column_problems[name]
        result.problems += sorted(field_problems[name], key=lambda p: order.get(p.column, -1))
    for name, table in TABLES.items():
        extra = [rows for f in table.fields for rows in moved[name].get(f.name, [])]
        set_aside = _concat_aside([a for a in aside[name] + extra if len(a)])
        frame = pd.concat(kept[name], ignore_index=True) if kept[name] else _empty(table)
        table_counts = (pd.concat(counts[name], ignore_index=True) if counts[name] else
                        _counts([], frame, set_aside))
        table_counts = table_counts.sort_values("reporting_country", kind="stable")
        result.tables[name] = Checked(table, frame, set_aside,
                                      table_counts.reset_index(drop=True),
                                      None if sink is None else totals[name])
        result.problems += _row_problems(table, set_aside)
    return result


def _validate_whole(data: RawData, sink: Sink | None) -> Validation:
    """All tables read and checked at once; accepted rows then go to the sink country by
    country, in the order streaming gives them."""
    for path in sources.entries(data):
        data.tables += sources.read_entry(path, data)
    result = validate(sources.close_folder(data))
    if sink is None:
        return result
    groups = {name: checked.accepted.groupby("reporting_country", sort=False).groups
              for name, checked in result.tables.items() if len(checked.accepted)}
    for country in result.countries:
        for name, checked in result.tables.items():
            if country in checked.counts["reporting_country"].tolist():
                rows = groups.get(name, {}).get(country)
                frame = checked.accepted.loc[rows] if rows is not None else (
                    checked.accepted.iloc[:0])
                sink(name, country, frame.reset_index(drop=True))
    for checked in result.tables.values():
        checked.totals = numeric_totals(checked.table, checked.accepted)
        checked.accepted = checked.accepted.iloc[:0]
    return result


def _accepted_actors(data: RawData, entries: list[Path],
                     pool: ProcessPoolExecutor | None = None) -> set:
    """Identifiers of every country's accepted actors (what links may point to), read and
    checked alone before anything else; problems are reported later, in the full pass."""
    found: set = set()
    if pool is None:
        scratch = RawData(root=data.root, meta=data.meta)
        for path in entries:
            found |= _entry_actors(path, scratch)[1]
        return found
    seen: list[str] = []
    jobs = [pool.submit(_entry_actors, path, RawData(root=data.root, meta=data.meta))
            for path in entries]
    for job in jobs:  # an entry of a country read before is not read (as in one process)
        countries, actors = job.result()
        if not any(country in seen for country in countries):
            seen += countries
            found |= actors
    return found


def _entry_actors(path: Path, scratch: RawData) -> tuple[list[str], set]:
    """(country read, accepted actor identifiers) of one entry."""
    before = len(scratch.countries)
    items = sources.read_entry(path, scratch, only=("actors",))
    if not items:
        return scratch.countries[before:], set()
    combined = _combine(TABLES["actors"], items, [])
    ctx = Context("actors", scratch.meta, combined, [])
    good, _ = _check_table(TABLES["actors"], combined, ctx)
    return scratch.countries[before:], set(good["actor_id"].dropna())


def _concat_aside(asides: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(asides, ignore_index=True) if asides else pd.DataFrame(
        columns=["file", "_country", "sheet", "reason", "column", "row"])


def _row_problems(table: Table, set_aside: pd.DataFrame) -> list[Problem]:
    return [Problem(row.reason, row.file, table.name, row.sheet, int(row.row), row.column,
                    _shown_value(table, row), severity="row")
            for row in set_aside.itertuples(index=False)]


def numeric_totals(table: Table, frame: pd.DataFrame) -> dict[str, dict[str, float | int]]:
    """Per reporting country, the sum of every numeric contract column over the rows."""
    numeric = [f for f in table.fields if f.kind in ("integer", "number")]
    out: dict[str, dict[str, float | int]] = {}
    if frame.empty:
        return out
    for country, rows in frame.groupby("reporting_country", sort=True):
        sums = {}
        for f in numeric:
            total = rows[f.name].astype("float64").sum()
            sums[f.name] = int(round(total)) if f.kind == "integer" else round(float(total), 6)
        out[str(country)] = sums
    return out


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


def _check_references(frames: dict[str, pd.DataFrame], known: dict[str, set] | None = None,
                      ) -> dict[str, dict[str, pd.DataFrame]]:
    """Move rows whose references do not resolve from accepted to set aside; returns the
    moved rows by table and column. References across countries resolve against `known`
    identifiers of their target table where given, else against `frames`."""
    moved: dict[str, dict[str, pd.DataFrame]] = {}
    for name, table in TABLES.items():
        frame = frames[name]
        for f in table.fields:
            if f.references is None or frame.empty:
                continue
            target_table, target_field = f.references
            target = frames[target_table]
            present = frame[f.name].notna()
            if f.same_country:
                known_keys = set(zip(target["reporting_country"], target[target_field],
                                     strict=True))
                keys = zip(frame["reporting_country"], frame[f.name], strict=True)
                found = pd.Series([k in known_keys for k in keys], index=frame.index)
            else:  # a set lookup per row: `isin` would first copy the set into a list
                targets = known[target_table] if known and target_table in known else set(
                    target[target_field])
                found = pd.Series(np.fromiter((v in targets for v in frame[f.name]),
                                              dtype=bool, count=len(frame)),
                                  index=frame.index)
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
            moved.setdefault(name, {})[f.name] = out
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
