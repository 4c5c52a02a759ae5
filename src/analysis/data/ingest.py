"""Ingestion: validate a data folder once, pseudonymize it, and keep a clean Parquet cache.

Notebooks call `load(data_dir)`; it reads the cache, and refreshes it only when the input
files changed. Rows that fail validation go to a private folder, never to the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core import paths, privacy
from analysis.core.contract import TABLES
from analysis.data.sources import input_files as _input_files
from analysis.data.sources import read_folder, read_meta
from analysis.data.validation import Validation, validate

CACHE_VERSION = 3  # 2: the flows table; 3: case and person pseudonyms scoped by country
PREFIXES = {"case_id": "C", "case_ids": "C", "person_id": "M", "actor_id": "A",
            "source": "A", "target": "A"}


class InputError(RuntimeError):
    """The data folder cannot be used; `validation` holds the problems found."""

    def __init__(self, validation: Validation, data_dir: Path):
        super().__init__(f"{len(validation.errors)} error(s) in {data_dir}")
        self.validation = validation
        self.data_dir = data_dir


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def signature(data_dir: Path) -> dict[str, str]:
    """sha256 of every input file, by path relative to the data folder."""
    return {str(p.relative_to(data_dir)): file_digest(p) for p in _input_files(data_dir)}


def ingest(data_dir: str | Path) -> Validation:
    """Validate `data_dir`; on success write the clean cache and the set-aside rows.

    Raises `InputError` when a file or table cannot be used at all.
    """
    data_dir = paths.resolve(data_dir)
    raw = read_folder(data_dir)
    result = validate(raw)
    if result.errors:
        raise InputError(result, data_dir)
    synthetic = bool(raw.meta.get("synthetic", False))
    key = privacy.load_key(synthetic) if _has_identifiers(result) else b""
    out = paths.cache_dir(data_dir)
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")  # one per process: writers never meet
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    counts = []
    for name, checked in result.tables.items():
        clean_table(checked.accepted, name, key).to_parquet(tmp / f"{name}.parquet", index=False)
        counts.append(checked.counts.assign(table=name))
    _write_set_aside(result, data_dir)
    reasons = _reason_counts(result)
    meta = {
        "cache_version": CACHE_VERSION,
        "data_dir": data_dir.name,
        "dataset": raw.meta,
        "synthetic": synthetic,
        "countries": raw.countries,
        "inputs": signature(data_dir),
        "key": privacy.key_fingerprint(key) if key else "",
        "counts": pd.concat(counts, ignore_index=True).to_dict(orient="records"),
        "set_aside_reasons": reasons,
        "warnings": sorted({(p.code, p.table) for p in result.problems
                            if p.severity == "warning"}),
    }
    (tmp / "ingest.json").write_text(json.dumps(meta, indent=1, default=str), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    try:
        tmp.rename(out)
    except OSError:  # another process wrote the same cache a moment before: keep that one
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def _has_identifiers(result: Validation) -> bool:
    """Whether any accepted row holds an identifier to pseudonymize (incidents-only public
    data such as IOM's need no key)."""
    return any(
        checked.accepted[f.name].notna().any()
        for checked in result.tables.values() if len(checked.accepted)
        for f in checked.table.fields if f.pseudonymize
    )


def global_identifiers() -> set[tuple[str, str]]:
    """(table, column) of identifiers shared across countries: those a cross-country reference
    points to or from (links between actors of several countries). Every other identifier is
    unique only within its reporting country."""
    found = set()
    for table in TABLES.values():
        for f in table.fields:
            if f.references is not None and not f.same_country:
                found |= {(table.name, f.name), f.references}
    return found


def scoped(values: pd.Series, countries: pd.Series) -> pd.Series:
    """'C1' reported by GTM → 'GTM/C1' (each part of a multi-valued cell), so the same raw
    identifier in two countries never gets the same pseudonym."""
    def one(value: object, country: object) -> object:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return value
        parts = [p.strip() for p in str(value).split(";") if p.strip()]
        return ";".join(f"{country}/{p}" for p in parts)

    return pd.Series([one(v, c) for v, c in zip(values, countries, strict=True)],
                     index=values.index, dtype=object)


def clean_table(frame: pd.DataFrame, name: str, key: bytes) -> pd.DataFrame:
    """Typed, pseudonymized columns in contract order; direct identifiers dropped."""
    table = TABLES[name]
    out = pd.DataFrame(index=frame.index)
    for f in table.fields:
        if f.drop:
            continue
        values = frame[f.name]
        if f.pseudonymize:
            if (name, f.name) not in global_identifiers():
                values = scoped(values, frame["reporting_country"])
            out[f.name] = privacy.pseudonymize(values, key, PREFIXES.get(f.name, "X"))
        elif f.kind == "integer":
            out[f.name] = pd.to_numeric(values).astype("Int64")
        elif f.kind == "number":
            out[f.name] = pd.to_numeric(values).astype("float64")
        elif f.kind == "date":
            out[f.name] = pd.to_datetime(values)
        elif f.kind == "boolean":
            out[f.name] = values.astype("boolean")
        else:
            out[f.name] = values.astype("string")
    return out.reset_index(drop=True)


def _write_set_aside(result: Validation, data_dir: Path) -> None:
    folder = paths.set_aside_dir(data_dir)
    shutil.rmtree(folder, ignore_errors=True)
    for name, checked in result.tables.items():
        if len(checked.set_aside):
            folder.mkdir(parents=True, exist_ok=True)
            checked.set_aside.to_csv(folder / f"{name}.csv", index=False)


def _reason_counts(result: Validation) -> list[dict]:
    rows = []
    for name, checked in result.tables.items():
        if checked.set_aside.empty:
            continue
        grouped = checked.set_aside.groupby(["_country", "reason", "column"]).size()
        rows += [{"table": name, "reporting_country": c, "reason": r, "column": col,
                  "rows": int(n)} for (c, r, col), n in grouped.items()]
    return rows


def is_fresh(data_dir: Path) -> bool:
    meta_path = paths.cache_dir(data_dir) / "ingest.json"
    if not meta_path.is_file():
        return False
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("cache_version") != CACHE_VERSION or meta.get("inputs") != signature(data_dir):
        return False
    return not meta.get("key") or meta["key"] == _current_key_fingerprint(meta)


def _current_key_fingerprint(meta: dict) -> str:
    """The fingerprint of the key in force now (the cache stores only fingerprints); empty
    when no key can be loaded, so that ingestion runs again and says why."""
    try:
        return privacy.key_fingerprint(privacy.load_key(bool(meta.get("synthetic"))))
    except Exception:  # noqa: BLE001 - any failure to load a key means: not fresh
        return ""


@dataclass
class Dataset:
    """The clean tables of one data folder, optionally narrowed to countries and a period."""

    tables: dict[str, pd.DataFrame]
    meta: dict

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in TABLES:
            return self.tables[name]
        raise AttributeError(name)

    @property
    def synthetic(self) -> bool:
        return bool(self.meta.get("synthetic"))

    @property
    def countries(self) -> list[str]:
        return list(self.meta.get("countries", []))

    @property
    def counts(self) -> pd.DataFrame:
        return pd.DataFrame(self.meta["counts"])

    @property
    def set_aside_reasons(self) -> pd.DataFrame:
        columns = ["table", "reporting_country", "reason", "column", "rows"]
        return pd.DataFrame(self.meta.get("set_aside_reasons", []), columns=columns)


def parse_period(period: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """'2019:2023', '2019-01:2023-06' or '' → (start, end) inclusive bounds."""
    if not period:
        return None, None
    start, _, end = str(period).partition(":")
    lo = pd.Timestamp(start) if start else None
    if end:
        hi = pd.Period(end, freq="D" if len(end) > 7 else "M" if len(end) > 4 else "Y")
        return lo, hi.end_time
    return lo, None


def load(
    data_dir: str | Path = paths.DEMO,
    countries: list[str] | str | None = None,
    period: str | None = None,
) -> Dataset:
    """The clean dataset of `data_dir` (ingesting it first if the cache is stale)."""
    data_dir = paths.resolve(data_dir)
    if not is_fresh(data_dir):
        ingest(data_dir)
    folder = paths.cache_dir(data_dir)
    meta = json.loads((folder / "ingest.json").read_text(encoding="utf-8"))
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    if isinstance(countries, str):
        countries = [c.strip().upper() for c in countries.split(",") if c.strip()]
    if countries:
        tables = {n: t[t["reporting_country"].isin(countries)] for n, t in tables.items()}
    start, end = parse_period(period)
    if start is not None or end is not None:
        tables["flows"] = _flows_within(tables["flows"], start, end)
        for name, table in tables.items():
            if name == "flows":
                continue
            column = "period" if name == "links" else "date"
            if column not in table.columns or (name != "cases" and "case_id" in table.columns):
                continue  # rows of a case follow their case (below), whatever their own date
            keep = table[column].isna() if name == "links" else pd.Series(False, table.index)
            within = pd.Series(True, index=table.index)
            if start is not None:
                within &= table[column] >= start
            if end is not None:
                within &= table[column] <= end
            tables[name] = table[keep | within]
        tables = _keep_cases_in_period(tables)
    tables = {n: t.reset_index(drop=True) for n, t in tables.items()}
    meta["filter"] = {"countries": countries or [], "period": period or ""}
    if countries:
        meta["counts"] = [c for c in meta["counts"] if c["reporting_country"] in countries]
        meta["set_aside_reasons"] = [r for r in meta["set_aside_reasons"]
                                     if r["reporting_country"] in countries]
    return Dataset(tables, meta)


def _flows_within(flows: pd.DataFrame, start, end) -> pd.DataFrame:
    """Official counts whose period (a month, or a whole year) lies within [start, end]."""
    period = flows["period"].astype(str)
    first = pd.to_datetime(period.where(period.str.len() > 4, period + "-01"), format="%Y-%m")
    last = first + pd.offsets.MonthEnd(1)
    last = last.where(period.str.len() > 4, first + pd.offsets.YearEnd(1))
    within = pd.Series(True, index=flows.index)
    if start is not None:
        within &= first >= start
    if end is not None:
        within &= last <= end
    return flows[within]


def _keys(table: pd.DataFrame, column: str) -> pd.Series:
    return table["reporting_country"].astype(str) + "\x1f" + table[column].astype(str)


def _keep_cases_in_period(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Rows that point to a case keep company with it: a migrant or leg stays only if its
    case (same reporting country, same case id) is within the period."""
    kept = set(_keys(tables["cases"], "case_id"))
    for name, table in TABLES.items():
        if name == "cases" or "case_id" not in table.names:
            continue
        frame = tables[name]
        tables[name] = frame[frame["case_id"].isna() | _keys(frame, "case_id").isin(kept)]
    return tables


def source_text(dataset: dict, lang: str) -> str:
    """The data source named in a folder's dataset.yml, in a language where it has one."""
    source = dataset.get(f"source_{lang}") or dataset.get("source") or ""
    if isinstance(source, dict):
        parts = [source.get("producer") or source.get("name") or "", source.get("file", "")]
        source = ", ".join(str(p) for p in parts if p)
    return str(source)


def dataset_meta(data_dir: str | Path) -> dict:
    return read_meta(paths.resolve(data_dir))
