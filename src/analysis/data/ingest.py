"""Ingestion: validate a data folder once, pseudonymize it, and keep a clean Parquet cache.

Validation streams one country at a time, and each country's clean rows are written at once
to a Parquet dataset partitioned the Hive way by reporting country and, for tables with a
date, by year: `<cache>/cases/reporting_country=GTM/year=2021/part-0.parquet` (`year=0`
holds rows without a date). Notebooks call `load(data_dir, countries, period)`; it reads the
cache through DuckDB with the country and period filters pushed down to the partitions, and
refreshes the cache only when the input files changed. Tables are read when first used.
`Dataset.query(sql)` runs SQL over the same filtered tables (views named after the tables)
without loading them, for counts and aggregates of tables that grow with the data. Rows
that fail validation go to a private folder, never to the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.core import paths, privacy
from analysis.core.contract import TABLES
from analysis.data.sources import input_files as _input_files
from analysis.data.sources import read_meta
from analysis.data.validation import Staged, Validation, validate_folder

# 2: the flows table; 3: case and person pseudonyms scoped by country; 4: partitioned by
# reporting country and year
CACHE_VERSION = 4
# The date that places a row in a year partition; other tables are split by country only.
PARTITION_DATES = {"cases": "date", "route_legs": "date", "incidents": "date",
                   "links": "period", "legislation": "date_reviewed",
                   "workplan_status": "date", "flows": "period"}
ORDER = "_order"  # each row's place within its country, in the order validation accepted it
STAGING = "_staging"  # in the cache being written: what worker processes wrote, not yet taken
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
    """Validate `data_dir` one country at a time, writing each country's clean rows to the
    cache as they are accepted, and the set-aside rows to the private folder.

    Raises `InputError` when a file or table cannot be used at all. The returned validation
    holds counts, totals and set-aside rows, not the accepted rows (they are in the cache).
    """
    data_dir = paths.resolve(data_dir)
    meta_in = read_meta(data_dir)
    synthetic = bool(meta_in.get("synthetic", False))
    out = paths.cache_dir(data_dir)
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")  # one per process: writers never meet
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    writer = CacheWriter(tmp, synthetic)
    try:
        result = validate_folder(data_dir, writer)
        shutil.rmtree(tmp / STAGING, ignore_errors=True)  # entries not taken (repeats)
        if result.errors:
            raise InputError(result, data_dir)
        if writer.key_error is not None:
            raise writer.key_error
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    keep_set_aside(result, data_dir)
    meta = {
        "cache_version": CACHE_VERSION,
        "data_dir": data_dir.name,
        "dataset": meta_in,
        "synthetic": synthetic,
        "countries": result.countries,
        "inputs": signature(data_dir),
        "key": privacy.key_fingerprint(writer.key) if writer.key else "",
        "counts": pd.concat([c.counts.assign(table=n) for n, c in result.tables.items()],
                            ignore_index=True).to_dict(orient="records"),
        "set_aside_reasons": _reason_counts(result),
        "warnings": sorted({(p.code, p.table) for p in result.problems
                            if p.severity == "warning"}),
        "partitions": writer.partitions,
    }
    (tmp / "ingest.json").write_text(json.dumps(meta, indent=1, default=str), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    try:
        tmp.rename(out)
    except OSError:  # another process wrote the same cache a moment before: keep that one
        shutil.rmtree(tmp, ignore_errors=True)
    return result


@dataclass
class CacheWriter(Staged):
    """Writes each country's accepted rows of a table, cleaned and pseudonymized, to its
    partitions. The key is loaded the first time a row holds an identifier (public data
    without identifiers need none); a failure to load it is kept, to be raised after
    validation has said what else is wrong.

    Countries checked in worker processes are written there, each by a staged writer into
    a folder of its own under `STAGING`, and moved into place when validation takes that
    country's outcome: the files are the ones this process would have written."""

    folder: Path
    synthetic: bool
    key: bytes = b""
    key_error: Exception | None = None
    partitions: dict = field(default_factory=dict)  # table → country → [years]

    def __call__(self, name: str, country: str, accepted: pd.DataFrame) -> None:
        if self.key_error is not None:
            return
        if not self.key and _holds_identifiers(name, accepted):
            try:
                self.key = privacy.load_key(self.synthetic)
            except Exception as error:  # noqa: BLE001 - raised once validation is reported
                self.key_error = error
                return
        if accepted.empty:  # no partition for a country without rows
            return
        clean = clean_table(accepted, name, self.key)
        clean[ORDER] = np.arange(len(clean), dtype=np.int64)  # a country's files stand alone
        years = write_partitions(self.folder, name, country, clean)
        self.partitions.setdefault(name, {})[country] = years

    def staged(self, index: int) -> CacheWriter:
        return CacheWriter(self.folder / STAGING / str(index), self.synthetic, self.key)

    def adopt(self, staged: CacheWriter) -> None:
        if self.key_error is None:
            self.key_error = staged.key_error
        self.key = self.key or staged.key
        for name, countries in staged.partitions.items():
            for country, years in countries.items():
                target = self.folder / name / f"reporting_country={country}"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(target, ignore_errors=True)
                (staged.folder / name / f"reporting_country={country}").rename(target)
                self.partitions.setdefault(name, {})[country] = years
        shutil.rmtree(staged.folder, ignore_errors=True)


def _holds_identifiers(name: str, frame: pd.DataFrame) -> bool:
    return any(frame[f.name].notna().any() for f in TABLES[name].fields
               if f.pseudonymize and f.name in frame.columns)


def arrow_schema(name: str) -> pa.Schema:
    """The Parquet schema of a table's partitions: contract columns but the partition keys,
    typed by the contract, and the row order."""
    kinds = {"integer": pa.int64(), "number": pa.float64(), "date": pa.timestamp("ns"),
             "boolean": pa.bool_()}
    fields = [pa.field(f.name, pa.string() if f.pseudonymize else kinds.get(f.kind,
                                                                          pa.string()))
              for f in TABLES[name].fields if not f.drop and f.name != "reporting_country"]
    return pa.schema([*fields, pa.field(ORDER, pa.int64())])


def partition_years(name: str, frame: pd.DataFrame) -> pd.Series | None:
    """The year partition of each row (0 without a date), or None for tables split by
    country only."""
    column = PARTITION_DATES.get(name)
    if column is None:
        return None
    values = frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.year.fillna(0).astype(int)
    return pd.to_numeric(values.astype("string").str[:4], errors="coerce").fillna(0).astype(int)


def write_partitions(folder: Path, name: str, country: str, clean: pd.DataFrame) -> list[int]:
    """One country's clean rows of a table as Hive partitions; returns the years written."""
    schema = arrow_schema(name)
    base = folder / name / f"reporting_country={country}"
    years = partition_years(name, clean)
    groups = [(None, clean)] if years is None else [
        (int(y), clean[years == y]) for y in sorted(years.unique())]
    for year, rows in groups:
        target = base if year is None else base / f"year={year}"
        target.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(rows[schema.names], schema=schema, preserve_index=False)
        pq.write_table(table, target / "part-0.parquet")
    return [year for year, _ in groups if year is not None]


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

    out = pd.Series(list(values), index=values.index, dtype=object)
    text = values.astype("string")
    single = (text.notna() & ~text.str.contains(";", regex=False)).fillna(False).astype(bool)
    if single.any():  # one identifier in the cell: "country/identifier", read by column
        stripped = text[single].str.strip()
        joined = countries[single].astype("string") + "/" + stripped
        out[single] = joined.where(stripped != "", "").astype(object).to_numpy()
    several = ~single  # several identifiers, or a missing value: cell by cell
    if several.any():
        out[several] = [one(v, c) for v, c in zip(values[several], countries[several],
                                                 strict=True)]
    return out


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


def keep_set_aside(result: Validation, data_dir: Path) -> None:
    """Write a validation's set-aside rows, with their reasons, to the data folder's private
    folder (replacing what an earlier validation kept there)."""
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


class Dataset:
    """The clean tables of one data folder, optionally narrowed to countries and a period.

    `tables` maps each table name to a pandas frame; from the cache, a table is read the
    first time it is used. `query(sql)` runs DuckDB SQL over the same (filtered) tables,
    each a view named after its table, and returns a pandas frame: counts and aggregates of
    the large tables without loading them."""

    def __init__(self, tables: MutableMapping[str, pd.DataFrame], meta: dict,
                 cache: CacheReader | None = None):
        self.tables = tables
        self.meta = meta
        self.cache = cache

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in TABLES:
            return self.tables[name]
        raise AttributeError(name)

    def close(self) -> None:
        """Close the DuckDB connection over the cache: the memory its queries kept (buffers,
        hash tables) goes back. The dataset is not queried afterwards."""
        if self.cache is not None:
            self.cache.con.close()

    def query(self, sql: str, **frames: pd.DataFrame) -> pd.DataFrame:
        """The result of `sql` over the dataset's tables (views `cases`, `migrants`, …) and
        any small `frames` given by name (a lookup of reference codes, say)."""
        if self.cache is not None:
            return self.cache.query(sql, **frames)
        con = duckdb.connect()
        try:
            for name in TABLES:
                con.register(name, self.tables[name])
            return _run(con, sql, frames)
        finally:
            con.close()

    def rows(self, table: str, where: str = "", columns: list[str] | None = None,
             **frames: pd.DataFrame) -> pd.DataFrame:
        """The rows of `table` that meet the SQL condition `where` (all without one), only
        `columns` if given, in the table's order and with its types: a selection of a large
        table without loading it whole. The condition reads the table's columns (alias `t`)
        and may name the other tables and `frames`."""
        if table not in TABLES:
            raise KeyError(table)
        names = _names(table)
        if any(c not in names for c in columns or ()):
            raise KeyError(f"{table}: {columns}")
        if self.cache is not None:
            return self.cache.frame(table, where, frames, columns)
        frame = self.tables[table]
        if where:
            chosen = self.query(f'SELECT "{ORDER}" FROM "_{table}" AS t WHERE {where} '
                                f'ORDER BY "{ORDER}"', **frames,
                                **{f"_{table}": frame.assign(**{ORDER: np.arange(len(frame))})})
            frame = frame.iloc[chosen[ORDER].to_numpy(dtype="int64")].reset_index(drop=True)
        return frame[columns].copy() if columns else frame.copy()

    def count(self, table: str, by: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
        """Rows of a table, in all or per group of the `by` columns (column `rows`)."""
        if table not in TABLES:
            raise KeyError(table)
        names = set(TABLES[table].names)
        if any(column not in names for column in by):
            raise KeyError(f"{table}: {list(by)}")
        columns = ", ".join(f'"{c}"' for c in by)
        sql = (f'SELECT {columns + ", " if by else ""}count(*) AS rows FROM "{table}"'
               + (f" GROUP BY {columns} ORDER BY {columns}" if by else ""))
        out = self.query(sql)
        out["rows"] = out["rows"].astype("int64")
        return out

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
    if isinstance(countries, str):
        countries = [c.strip().upper() for c in countries.split(",") if c.strip()]
    cache = CacheReader(folder, countries or [], *parse_period(period), meta["countries"])
    meta["filter"] = {"countries": countries or [], "period": period or ""}
    if countries:
        meta["counts"] = [c for c in meta["counts"] if c["reporting_country"] in countries]
        meta["set_aside_reasons"] = [r for r in meta["set_aside_reasons"]
                                     if r["reporting_country"] in countries]
    return Dataset(CacheTables(cache), meta, cache)


class CacheTables(MutableMapping):
    """The tables of a cache, each read (through its filtered view) when first used."""

    def __init__(self, cache: CacheReader):
        self._cache = cache
        self._frames: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            if name not in TABLES:
                raise KeyError(name)
            self._frames[name] = self._cache.frame(name)
        return self._frames[name]

    def __setitem__(self, name: str, frame: pd.DataFrame) -> None:
        self._frames[name] = frame

    @property
    def loaded(self) -> list[str]:
        """The tables read into memory so far."""
        return list(self._frames)

    def __delitem__(self, name: str) -> None:
        del self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter([*TABLES, *(n for n in self._frames if n not in TABLES)])

    def __len__(self) -> int:
        return len(list(iter(self)))


def _dtype_of(kind: pa.DataType):
    """The pandas dtype of an Arrow column, as the cache's readers have always had them."""
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or (
            pa.types.is_string_view(kind)):
        return pd.StringDtype("pyarrow")
    if pa.types.is_boolean(kind):
        return pd.BooleanDtype()
    if pa.types.is_integer(kind):
        return pd.Int64Dtype()
    return None


class CacheReader:
    """DuckDB views over one cache's partitions, narrowed to countries and a period: the
    filters are pushed down (partitions of other countries and years are never read)."""

    def __init__(self, folder: Path, countries: list[str], start, end,
                 order: list[str] | None = None):
        self.folder = folder
        self.order = [c for c in order or [] if c.isalnum()]  # countries in reading order
        self.countries = [c for c in countries if c.isalnum()]
        self.start, self.end = start, end
        self.con = duckdb.connect()
        for name in TABLES:
            self.con.execute(f'CREATE VIEW "_{name}" AS {self._select(name)}')
            columns = ", ".join(f'"{c}"' for c in _names(name))
            self.con.execute(f'CREATE VIEW "{name}" AS SELECT {columns} FROM "_{name}"')

    def frame(self, name: str, where: str = "", frames: dict | None = None,
              only: list[str] | None = None) -> pd.DataFrame:
        """A table's rows, in the order validation accepted them, typed by the contract;
        with `where`, only the rows meeting that SQL condition (alias `t`; `frames` are
        registered for it); with `only`, only those columns."""
        columns = ", ".join(f'"{c}"' for c in only or _names(name))
        listed = ", ".join(f"'{c}'" for c in self.order)
        frame = _run(self.con,
                     f'SELECT {columns} FROM "_{name}" AS t'
                     + (f" WHERE {where}" if where else "")
                     + f' ORDER BY list_position([{listed}]::VARCHAR[], reporting_country), '
                     f'reporting_country, "{ORDER}"', frames or {})
        for f in TABLES[name].fields:
            if f.name in frame.columns and f.kind == "date":
                frame[f.name] = frame[f.name].astype("datetime64[ns]")
            elif f.name in frame.columns and f.kind == "number":
                frame[f.name] = frame[f.name].astype("float64")
        return frame

    def digests(self) -> dict[str, dict[str, str]]:
        """sha256 of each table's partition files per reporting country (the rows, as
        written): what changed in a country's data, without reading any table."""
        out: dict[str, dict[str, str]] = {}
        for name in TABLES:
            per_country: dict[str, hashlib._Hash] = {}
            for path in sorted((self.folder / name).glob("reporting_country=*/**/*.parquet")):
                country = path.relative_to(self.folder / name).parts[0].split("=", 1)[1]
                if self.countries and country not in self.countries:
                    continue
                sha = per_country.setdefault(country, hashlib.sha256())
                sha.update(str(path.relative_to(self.folder)).encode() + b"\0")
                sha.update(file_digest(path).encode())
            out[name] = {c: sha.hexdigest() for c, sha in per_country.items()}
        return out

    def query(self, sql: str, **frames: pd.DataFrame) -> pd.DataFrame:
        return _run(self.con, sql, frames)

    def _source(self, name: str) -> str:
        """The table's partitions, or an empty table of the same columns when it has none."""
        files = self.folder / name
        partitioned = name in PARTITION_DATES
        if not any(files.glob("**/*.parquet")):
            schema = arrow_schema(name)
            schema = schema.insert(0, pa.field("reporting_country", pa.string()))
            if partitioned:
                schema = schema.append(pa.field("year", pa.int32()))
            self.con.register(f"_empty_{name}", schema.empty_table())
            return f'"_empty_{name}"'
        types = "{'reporting_country': VARCHAR" + (", 'year': INTEGER}" if partitioned else "}")
        glob = str(files / "**" / "*.parquet").replace("'", "''")
        return f"read_parquet('{glob}', hive_partitioning = true, hive_types = {types})"

    def _select(self, name: str) -> str:
        where = []
        if self.countries:
            where.append("reporting_country IN ({})".format(
                ", ".join(f"'{c}'" for c in self.countries)))
        if self.start is not None or self.end is not None:
            where += self._period(name)
        columns = ", ".join(f'"{c}"' for c in [*_names(name), ORDER])
        clause = f" WHERE {' AND '.join(f'({w})' for w in where)}" if where else ""
        return f"SELECT {columns} FROM {self._source(name)} AS t{clause}"

    def _period(self, name: str) -> list[str]:
        """Conditions of the period: on a table's own date (cases, incidents, Work Plan
        status; links by their month, undated links kept), on the case for rows of a case,
        on the whole month or year of official counts; none for the other tables."""
        lo = f"TIMESTAMP '{self.start}'" if self.start is not None else None
        after = self.end + pd.Timedelta(1, "ns") if self.end is not None else None
        hi = f"TIMESTAMP '{after}'" if after is not None else None
        if name == "flows":
            first = ("CASE WHEN length(period) > 4 THEN CAST(period || '-01' AS DATE) "
                     "ELSE CAST(period || '-01-01' AS DATE) END")
            last = (f"CASE WHEN length(period) > 4 THEN last_day({first}) "
                    "ELSE CAST(substr(period, 1, 4) || '-12-31' AS DATE) END")
            return [c for c in (lo and f"{first} >= {lo}", hi and f"{last} < {hi}") if c]
        if name != "cases" and "case_id" in TABLES[name].names:
            return ['case_id IS NULL OR EXISTS (SELECT 1 FROM "_cases" AS c WHERE '
                    'c.reporting_country = t.reporting_country AND c.case_id = t.case_id)']
        column = "period" if name == "links" else "date"
        if column not in TABLES[name].names:
            return []
        within = [f'"{column}" >= {lo}' if lo else "", f'"{column}" < {hi}' if hi else ""]
        years = [f"year >= {self.start.year}" if lo else "",
                 f"year <= {self.end.year}" if hi else ""]
        test = " AND ".join(w for w in within if w)
        prune = " AND ".join(y for y in years if y)
        if name == "links":
            return [f"year = 0 OR ({prune})", f'"{column}" IS NULL OR ({test})']
        return [prune, test]


def _run(con: duckdb.DuckDBPyConnection, sql: str, frames: dict[str, pd.DataFrame]
         ) -> pd.DataFrame:
    """`sql` on `con` with `frames` registered under their names for this query only."""
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        return con.sql(sql).to_arrow_table().to_pandas(types_mapper=_dtype_of)
    finally:
        for name in frames:
            con.unregister(name)


def _names(name: str) -> list[str]:
    return [f.name for f in TABLES[name].fields if not f.drop]


def source_text(dataset: dict, lang: str) -> str:
    """The data source named in a folder's dataset.yml, in a language where it has one."""
    source = dataset.get(f"source_{lang}") or dataset.get("source") or ""
    if isinstance(source, dict):
        parts = [source.get("producer") or source.get("name") or "", source.get("file", "")]
        source = ", ".join(str(p) for p in parts if p)
    return str(source)


def dataset_meta(data_dir: str | Path) -> dict:
    return read_meta(paths.resolve(data_dir))
