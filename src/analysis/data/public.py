"""The public-data snapshot (data/public/): official flow statistics and IOM Missing Migrants
incidents in the Americas, normalized into the contract's tables, so that the diagnostic on
public data alone (`make report-public`) builds on a machine without ../shared/realdata.

`build(realdata, out)` imports the public source files with the project's own importers
(`adapters.flows`, `adapters.mmp`) and writes, deterministically:

- `flows.csv.gz`, `incidents.csv.gz`: every row of each table, every country, sorted by the
  table's key (gzip without a timestamp, so the same sources give the same bytes);
- a `<file>.provenance.yml` sidecar per file: producer, licence, and the sha256 of each source;
- `dataset.yml`: the sources the reports cite.

`prepare(snapshot, out)` turns the snapshot into a data folder (one folder per reporting
country holding `flows.csv`, `incidents.csv` and an empty `cases.csv`, plus `dataset.yml`).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from analysis.core import paths
from analysis.core.contract import TABLES
from analysis.data.adapters import flows as flows_adapter
from analysis.data.adapters.flows import producers
from analysis.data.adapters.mmp import importer as mmp

SNAPSHOT = paths.ROOT / "data" / "public"
FLOWS_DIR = "official_flows"
MMP_FILE = "iom_mmp/Missing_Migrants_Global_Figures_2014-2022.csv"
TABLE_FILES = {"flows": "flows.csv.gz", "incidents": "incidents.csv.gz"}
MMP_LICENCE = "CC BY 4.0 (IOM Missing Migrants Project)"
# When the sources were taken (fixed, so that a rebuild gives the same bytes): IOM gdidata at
# commit c9e4cc6 and the IOM Missing Migrants global figures 2014-2022 (../shared/realdata).
SOURCES_DATE = "2026-12-03"
VERSIONS = {FLOWS_DIR: "github.com/iom/gdidata @ c9e4cc6 (data/*.rda as CSV)",
            "iom_mmp": "Missing_Migrants_Global_Figures_2014-2022.csv"}
TITLE = {"en": "Public data: official statistics of irregular migration and IOM Missing "
               "Migrants incidents in the Americas",
         "es": "Datos públicos: estadísticas oficiales de migración irregular e incidentes del "
               "Proyecto Migrantes Desaparecidos de la OIM en las Américas"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _gzip_csv(frame: pd.DataFrame, path: Path) -> None:
    text = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text)
    path.write_bytes(buffer.getvalue())


def _read_folder_table(folder: Path, table: str) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False)
              for p in sorted(folder.glob(f"*/{table}.csv"))]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=TABLES[table].names)
    key = list(TABLES[table].key)
    return frame.sort_values(key, kind="stable").reset_index(drop=True)


def _dump(path: Path, content: dict) -> None:
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def build(realdata: Path, out: Path = SNAPSHOT) -> list[Path]:
    """Rebuild the snapshot from the public source files in `realdata`."""
    flow_files = sorted((realdata / FLOWS_DIR).glob("*.csv"))
    mmp_file = realdata / MMP_FILE
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        flows_report = flows_adapter.import_flows(flow_files, Path(tmp) / "flows")
        mmp_report = mmp.import_mmp(mmp_file, Path(tmp) / "mmp", region="americas")
        tables = {"flows": _read_folder_table(Path(tmp) / "flows", "flows"),
                  "incidents": _read_folder_table(Path(tmp) / "mmp", "incidents")}
    flow_sources = [{"file": f"{FLOWS_DIR}/{f.file}", "producer": f.producer,
                     "compiled_by": producers.COMPILER,
                     "licence": producers.LICENCES[f.producer],
                     "version": VERSIONS[FLOWS_DIR], "date": SOURCES_DATE,
                     "sha256": f.sha256} for f in flows_report.files]
    mmp_sources = [{"file": MMP_FILE, "producer": mmp.PRODUCER, "licence": MMP_LICENCE,
                    "version": VERSIONS["iom_mmp"], "date": SOURCES_DATE,
                    "sha256": mmp_report.sha256}]
    sources = {"flows": flow_sources, "incidents": mmp_sources}
    written = []
    for table, name in TABLE_FILES.items():
        path = out / name
        _gzip_csv(tables[table], path)
        _dump(out / f"{name}.provenance.yml", {
            "title": f"Table {table} of the data contract, from public sources",
            "built_by": "data/public/build_snapshot.py (analysis.data.public.build)",
            "date": SOURCES_DATE,
            "rows": len(tables[table]),
            "sha256": _sha256(path),
            "sources": sources[table],
        })
        written += [path, out / f"{name}.provenance.yml"]
    names = sorted({s["producer"] for s in flow_sources + mmp_sources})
    _dump(out / "dataset.yml", {
        "title": TITLE["en"], "title_es": TITLE["es"],
        "source": "; ".join(names),
        "synthetic": False,
        "sources": flow_sources + mmp_sources,
    })
    written.append(out / "dataset.yml")
    return written


def prepare(snapshot: Path, out: Path) -> Path:
    """A data folder from the snapshot: one folder per reporting country, and dataset.yml."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    cases_header = ",".join(TABLES["cases"].names) + "\n"
    for table, name in TABLE_FILES.items():
        frame = pd.read_csv(snapshot / name, dtype=str, keep_default_na=False)
        for country, rows in frame.groupby("reporting_country", sort=True):
            folder = out / country
            folder.mkdir(exist_ok=True)
            rows.to_csv(folder / f"{table}.csv", index=False, lineterminator="\n")
            (folder / "cases.csv").write_text(cases_header, encoding="utf-8")
    shutil.copyfile(snapshot / "dataset.yml", out / "dataset.yml")
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="rebuild data/public from ../shared/realdata")
    p.add_argument("realdata", nargs="?", default=str(paths.ROOT.parent / "shared" / "realdata"))
    p.add_argument("--out", default=str(SNAPSHOT))
    p = sub.add_parser("prepare", help="a data folder from the snapshot")
    p.add_argument("out")
    p.add_argument("--snapshot", default=str(SNAPSHOT))
    args = parser.parse_args(argv)
    if args.command == "build":
        for path in build(Path(args.realdata), Path(args.out)):
            print(path)
    else:
        print(prepare(Path(args.snapshot), paths.resolve(args.out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
