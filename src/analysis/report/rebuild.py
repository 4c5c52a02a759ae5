"""Incremental rebuilds: each notebook job is keyed by what it depends on, and a rerun into
the same output folder reuses every job whose key did not change.

A job's key is the sha256 of
- the notebook file's bytes and the job's name;
- all its parameters, `run_date` and `output_dir` included (every page and annex source
  note prints the run date: a run on another day rebuilds, unless the configuration fixes
  `run_date`), and the content of any file a parameter names;
- the package's source (every file under src/analysis: code, templates, message catalogs,
  styles) and the reference data (data/reference), and the versions of the libraries that
  draw and compute (the manifest's list);
- the content of the clean cache it reads: a digest of each table's rows per reporting
  country, and the data-quality counts of the same countries (see `data_digests`).

Which tables a notebook reads: `TABLES_READ` declares it; a notebook not listed there is
taken to read every table (the safe default). Which rows: a regional notebook reads the
run's countries; a country brief reads its own country's rows of every table, plus, from
every reporting country, the cases and route legs whose route touches the country (its
corridors) and the actors at the far end of its own links (its network). So a change in one
country's data reruns the regional notebooks and that country's brief, and the brief of
another country only when the change touches that country's corridors or network.

The output folder keeps one record per job in `.jobs/<job>.json`: its key, its status and
the files it wrote (executed notebook, HTML page, annex record and the figures and tables
listed there). Only jobs that succeeded have a record; everything in the folder that no
reused job owns is removed before the others run, so a rerun leaves the same files as a
clean build.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from analysis.core import paths, reference
from analysis.core.contract import TABLES
from analysis.data import ingest

KEY_VERSION = 2  # raise when the meaning of a key changes
RECORDS = ".jobs"
# The cache tables a notebook reads, for notebooks that read fewer than all of them (checked
# against their report.sections module: the assessment reads the submitted legislation rows,
# the Work Plan the status reports; everything else comes from data/reference).
TABLES_READ: dict[str, tuple[str, ...]] = {
    "50_legislation": ("legislation",),
    "60_workplan": ("workplan_status",),
}
SKIPPED_DIRS = ("__pycache__", ".ipynb_checkpoints")


def digest(value: object) -> str:
    """sha256 of a JSON-serializable value, independent of key order."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_digest(folder: Path) -> str:
    """sha256 over the relative path and bytes of every file under `folder`."""
    sha = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if any(part in SKIPPED_DIRS for part in relative.parts) or path.suffix == ".pyc":
            continue
        sha.update(str(relative.as_posix()).encode() + b"\0")
        sha.update(ingest.file_digest(path).encode() + b"\0")
    return sha.hexdigest()


def code_digest(versions: dict[str, str]) -> str:
    """What every job shares: the package's source, the reference data, library versions."""
    return digest({"version": KEY_VERSION, "source": tree_digest(paths.PACKAGE),
                   "reference": tree_digest(reference.folder()), "libraries": versions})


# The rows a country brief reads of every reporting country (see `CacheDigests.contexts`):
# the cases and route legs of the routes that touch the country (a known case with a leg from
# or to one of its places), and the actors at either end of its own links or its own actors.
CONTEXT_SQL = """
WITH legs AS (
    SELECT l.reporting_country, l.case_id, f.country AS from_country, t.country AS to_country
    FROM route_legs AS l
    JOIN (SELECT DISTINCT reporting_country, case_id FROM cases) AS c
        ON c.reporting_country = l.reporting_country AND c.case_id = l.case_id
    LEFT JOIN places AS f ON f.place_id = l.from_place
    LEFT JOIN places AS t ON t.place_id = l.to_place),
touching AS (
    SELECT DISTINCT country, reporting_country, case_id FROM (
        SELECT from_country AS country, reporting_country, case_id FROM legs
        UNION ALL SELECT to_country, reporting_country, case_id FROM legs)
    WHERE country IS NOT NULL),
ends AS (
    SELECT reporting_country AS country, source AS actor_id FROM links WHERE source IS NOT NULL
    UNION SELECT reporting_country, target FROM links WHERE target IS NOT NULL
    UNION SELECT reporting_country, actor_id FROM actors WHERE actor_id IS NOT NULL)
SELECT 'cases' AS part, k.country, count(*) AS rows, sum(hash(r))::VARCHAR AS rows_hash
FROM touching AS k JOIN _cases AS r
    ON r.reporting_country = k.reporting_country AND r.case_id = k.case_id GROUP BY ALL
UNION ALL
SELECT 'route_legs', k.country, count(*), sum(hash(r))::VARCHAR
FROM touching AS k JOIN _route_legs AS r
    ON r.reporting_country = k.reporting_country AND r.case_id = k.case_id GROUP BY ALL
UNION ALL
SELECT 'actors', e.country, count(*), sum(hash(r))::VARCHAR
FROM ends AS e JOIN _actors AS r ON r.actor_id = e.actor_id GROUP BY ALL
"""
CONTEXT_PARTS = ("cases", "route_legs", "actors")


@dataclass
class CacheDigests:
    """Digests of one clean dataset read from its cache: per table and reporting country (the
    partition files), and each country's context. No table is loaded: the context is one
    DuckDB query over the partitions, whose result has a row per part and country."""

    data: ingest.Dataset
    per_country: dict[str, dict[str, str]]
    _contexts: dict[str, dict] | None = None

    @classmethod
    def of(cls, data: ingest.Dataset) -> CacheDigests:
        if data.cache is None:
            raise ValueError("the digests of a dataset are read from its cache (ingest.load)")
        return cls(data, data.cache.digests())

    @property
    def countries(self) -> list[str]:
        return sorted({c for table in self.per_country.values() for c in table})

    def rows(self, tables: tuple[str, ...], countries: list[str]) -> dict:
        """The digests of the tables' rows of `countries`, and of their quality counts."""
        meta = self.data.meta

        def of_scope(rows: list[dict]) -> list[dict]:
            return [r for r in rows if r["reporting_country"] in countries
                    and r["table"] in tables]

        return {
            "tables": {n: {c: self.per_country[n].get(c, "") for c in countries}
                       for n in tables},
            "counts": of_scope(meta.get("counts", [])),
            "set_aside": of_scope(meta.get("set_aside_reasons", [])),
            "dataset": meta.get("dataset", {}),
            "synthetic": bool(meta.get("synthetic")),
        }

    def contexts(self) -> dict[str, dict]:
        """Per country, what its brief reads of other countries (`CONTEXT_SQL`): for each
        part, the number of rows and the sum of their hashes (every column, the row's place
        in its country and its partition included)."""
        if self._contexts is None:
            places = reference.places()["country"].rename_axis("place_id").reset_index()
            found = self.data.query(CONTEXT_SQL, places=places)
            self._contexts = {}
            for part, country, rows, rows_hash in found.itertuples(index=False):
                self._contexts.setdefault(str(country), {})[str(part)] = [int(rows),
                                                                          str(rows_hash)]
        return self._contexts

    def context(self, country: str) -> dict:
        """What the brief of `country` reads of other countries (see `contexts`)."""
        found = self.contexts().get(country, {})
        return {part: found.get(part, [0, ""]) for part in CONTEXT_PARTS}


def data_digests(jobs, data: ingest.Dataset | None) -> dict[str, str]:
    """The digest of the cache content each job reads, by job name, from the whole clean
    dataset of the run's data folder ("" for runs without a data folder)."""
    if data is None:
        return {job.key: "" for job in jobs}
    cache = CacheDigests.of(data)
    out = {}
    for job in jobs:
        tables = TABLES_READ.get(job.notebook.stem, tuple(TABLES))
        country = job.parameters.get("country")
        if country:
            out[job.key] = digest({"own": cache.rows(tuple(TABLES), [country]),
                                   "context": cache.context(country)})
        else:
            countries = sorted(job.parameters.get("countries") or cache.countries)
            out[job.key] = digest(cache.rows(tables, countries))
    return out


def parameter_files(parameters: dict) -> dict[str, str]:
    """sha256 of every file a parameter names (a network file given to 40_networks, say):
    its content is an input of the job as much as the data folder is."""
    values = [v for value in parameters.values()
              for v in (value if isinstance(value, list | tuple) else [value])]
    found = {}
    for value in values:
        if isinstance(value, str) and value.strip():
            path = paths.resolve(value)
            if path.is_file():
                found[value] = ingest.file_digest(path)
    return found


def job_key(job, shared: str, data: str) -> str:
    """The key of one job: its notebook, its parameters and the files they name, the shared
    code digest, the data it reads."""
    return digest({"job": job.key, "notebook": ingest.file_digest(job.notebook),
                   "parameters": job.parameters, "files": parameter_files(job.parameters),
                   "code": shared, "data": data})


# records ----------------------------------------------------------------------------------
def record_path(out_dir: Path, name: str) -> Path:
    return Path(out_dir) / RECORDS / f"{name}.json"


def load_record(out_dir: Path, name: str) -> dict | None:
    path = record_path(out_dir, name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def files_written(out_dir: Path, name: str) -> list[str]:
    """The files job `name` wrote, relative to `out_dir`: its executed notebook, HTML page,
    printed PDF (briefs), network exports (report.network_report), annex record
    (`annex/<name>.json`, see report.annex) and the files listed there."""
    out_dir = Path(out_dir)
    found = [f"notebooks/{name}.ipynb", f"html/{name}.html", f"annex/{name}.json",
             f"pdf/{name}.pdf", f"networks/{name}.gexf", f"networks/{name}.graphml"]
    annex_record = out_dir / "annex" / f"{name}.json"
    if annex_record.is_file():
        for entry in json.loads(annex_record.read_text(encoding="utf-8")):
            found += entry["files"]
    return sorted(f for f in set(found) if (out_dir / f).is_file())


def write_record(out_dir: Path, job) -> None:
    """Record a job that succeeded, so that the next run can reuse it."""
    record = {"job": job.key, "key": job.key_hash, "status": "ok", "notebook": job.notebook.name,
              "seconds": job.seconds, "render_seconds": job.render_seconds, "html": job.html,
              "executed": job.executed, "title": job.title, "pdf": job.pdf,
              "files": files_written(out_dir, job.key)}
    path = record_path(out_dir, job.key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")


def reusable(out_dir: Path, job) -> dict | None:
    """The record of an earlier successful run of `job` with the same key whose files are
    all still there; None when the job must run."""
    record = load_record(out_dir, job.key)
    if (not record or record.get("status") != "ok" or record.get("key") != job.key_hash
            or not record.get("files")):
        return None
    if not all((Path(out_dir) / f).is_file() for f in record["files"]):
        return None
    return record


def prepare(out_dir: Path, jobs, force: bool = False) -> list:
    """Make `out_dir` ready for a run and return the jobs reused from the previous one.

    A folder that carries the output mark keeps the files of the reused jobs and loses
    everything else; any other folder is cleared under `paths.clear_output`'s rules (which
    refuse folders a run did not write). `force` reuses nothing.
    """
    folder = paths.check_output_folder(out_dir)
    if force or not (folder / paths.OUTPUT_MARK).is_file():
        paths.clear_output(folder)
        return []
    reused = []
    keep = {paths.OUTPUT_MARK}
    for job in jobs:
        record = reusable(folder, job)
        if record is None:
            continue
        job.status, job.seconds, job.render_seconds = "reused", 0.0, 0.0
        job.html, job.executed, job.title = record["html"], record["executed"], record["title"]
        job.pdf = record.get("pdf", "")
        keep |= set(record["files"]) | {f"{RECORDS}/{job.key}.json"}
        reused.append(job)
    _sweep(folder, keep)
    return reused


def _sweep(folder: Path, keep: set[str]) -> None:
    """Remove every file of `folder` not in `keep` (relative paths), then empty folders."""
    for path in sorted(folder.rglob("*"), reverse=True):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif relative not in keep:
            path.unlink()
