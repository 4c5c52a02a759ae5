"""Importing an IOM Missing Migrants file: rows grouped, data folder written."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.core import i18n, paths, reference
from analysis.core.contract import TABLES
from analysis.core.text import decode
from analysis.data.adapters import folder
from analysis.data.adapters.mmp.layout import MMPImportError, layout_name, read_csv, resolve_columns
from analysis.data.adapters.mmp.parse import COUNTS, parse_rows
from analysis.data.adapters.mmp.place import NO_COUNTRY
from analysis.data.adapters.mmp.report import OUTSIDE_REASONS, REJECT_REASONS, ImportReport

PRODUCER = "IOM Missing Migrants Project"
IMPORTER = "analysis.data.adapters.mmp"  # written in dataset.yml: marks a folder as ours
REGIONS = ("americas", "crm", "all")

CURRENT_LICENCE = "CC BY 4.0"
# Six decimals (about 0.1 m). A fixed width also keeps values like "-80.321" from being read
# as European thousands ("1.234") by ingestion.
COORDINATE_FORMAT = "%.6f"


def import_mmp(
    file: str | Path, out_dir: str | Path, region: str = "americas", lang: str = "en"
) -> ImportReport:
    """Import an IOM Missing Migrants Project CSV into the data folder `out_dir`."""
    i18n.check_lang(lang)
    if region not in REGIONS:
        raise MMPImportError(i18n.t("mmp.error_region", lang, region=region,
                                    regions=", ".join(REGIONS)))
    file, out_dir = paths.resolve(file), paths.resolve(out_dir)
    if not file.is_file():
        raise MMPImportError(i18n.t("mmp.error_no_file", lang, file=str(file)))
    if not reference.basemap_path().is_file():
        raise MMPImportError(i18n.t("mmp.error_no_basemap", lang,
                                    path=str(reference.basemap_path())))
    content = file.read_bytes()
    decoded = decode(content)
    if decoded is None:
        raise MMPImportError(i18n.t("mmp.error_not_text", lang, file=file.name))
    content_text, encoding = decoded
    frame = read_csv(content_text, file, lang)
    columns = resolve_columns(frame.columns, file.name, lang)
    rows = parse_rows(frame, columns)
    outside = _outside(rows, region)
    rejected = rows["problem"].ne("") & outside.eq("")
    rejected_reason = rows["problem"].where(rejected, "")
    imported = outside.eq("") & ~rejected
    incidents = _incidents(rows.loc[imported])
    layout = layout_name(columns)
    licence = CURRENT_LICENCE if layout == "current" else ""
    report = ImportReport(
        file=file, sha256=hashlib.sha256(content).hexdigest(), encoding=encoding,
        layout=layout, licence=licence, region=region, out_dir=out_dir, read=len(rows),
        imported=int(imported.sum()),
        outside={r: int(outside.eq(r).sum()) for r in OUTSIDE_REASONS},
        rejected={r: int(rejected_reason.eq(r).sum()) for r in REJECT_REASONS},
        dead=_sums(rows["dead"], imported, outside, rejected),
        missing=_sums(rows["missing"], imported, outside, rejected),
        by_country=incidents["reporting_country"].value_counts().sort_index().to_dict(),
        notes=_notes(rows, imported, region), columns=columns,
        date_order=rows.attrs["date_order"],
    )
    if not report.reconciles:  # a bug, never a data problem
        raise AssertionError("MMP import does not reconcile")
    _write_folder(out_dir, incidents, report, lang)
    report.rejected_file = _write_rejected(frame, rows, rejected_reason, file.stem)
    return report


def _outside(rows: pd.DataFrame, region: str) -> pd.Series:
    """The reason a row is outside the requested region, or '' when it is inside."""
    reason = pd.Series("", index=rows.index, dtype=object)
    if region == "all":
        return reason
    reason[rows["americas"].isna()] = "no_region"
    reason[rows["americas"].eq(False).fillna(False)] = "outside_americas"
    if region == "crm":
        not_crm = ~rows["crm_country"].isin(reference.CRM_MEMBERS)
        reason[reason.eq("") & not_crm] = "outside_crm"
    return reason


def _sums(values: pd.Series, imported: pd.Series, outside: pd.Series, rejected: pd.Series
          ) -> dict[str, int]:
    out_mask = outside.ne("")
    return {
        "read": int(values.sum()), "imported": int(values[imported].sum()),
        "outside": int(values[out_mask].sum()), "rejected": int(values[rejected].sum()),
    }


def _notes(rows: pd.DataFrame, imported: pd.Series, region: str) -> dict[str, int]:
    kept = rows.loc[imported]
    by_region = region != "all"  # how the Americas were told apart matters only then
    return {
        "month_precision": int(kept["date_precision"].eq("month").sum()),
        "region_by_iom_region": int(by_region and kept["region_by"].eq("iom_region").sum()),
        "region_by_coordinates": int(by_region and kept["region_by"].eq("coordinates").sum()),
        "region_by_country": int(by_region and kept["region_by"].eq("country").sum()),
        "country_stated": int(kept["country_by"].eq("stated").sum()),
        "country_coordinates": int(kept["country_by"].eq("coordinates").sum()),
        "country_offshore": int(kept["country_by"].eq("offshore").sum()),
        "country_location_text": int(kept["country_by"].eq("location_text").sum()),
        "country_unlisted": int(kept["country_by"].eq("unlisted").sum()),
        "country_none": int(kept["country_by"].eq("none").sum()),
        "no_coordinates": int(kept["lat"].isna().sum()),
        "ids_suffixed": int(rows.attrs.get("ids_suffixed", 0)),
    }


def _incidents(rows: pd.DataFrame) -> pd.DataFrame:
    """The imported rows as the contract's `incidents` table."""
    out = pd.DataFrame(index=rows.index)
    out["reporting_country"] = rows["country"].where(rows["country"].ne(""), NO_COUNTRY)
    out["incident_id"] = rows["incident_id"]
    out["date"] = rows["date"]
    out["lat"], out["lon"] = rows["lat"], rows["lon"]
    out["country"] = rows["country"]
    out["type"] = np.where(rows["dead"] > 0, "death", "disappearance")
    for concept in COUNTS:
        out[concept] = rows[concept].astype("Int64")
    out["cause"], out["route"], out["source"] = rows["cause"], rows["route"], rows["source"]
    out["source_quality"] = rows["source_quality"].astype("Int64")
    return out[TABLES["incidents"].names].reset_index(drop=True)


def _write_folder(out_dir: Path, incidents: pd.DataFrame, report: ImportReport,
                  lang: str) -> None:
    _clear_previous(out_dir, lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases_header = ",".join(TABLES["cases"].names) + "\n"
    for code, rows in incidents.groupby("reporting_country", sort=True):
        folder = out_dir / str(code)
        folder.mkdir()
        rows.to_csv(folder / "incidents.csv", index=False, encoding="utf-8",
                    float_format=COORDINATE_FORMAT)
        (folder / "cases.csv").write_text(cases_header, encoding="utf-8")
    meta = {
        "title": i18n.t("mmp.dataset_title", lang,
                        region=i18n.t(f"mmp.region_{report.region}", lang)),
        "source": {
            "producer": PRODUCER,
            "file": report.file.name,
            "sha256": report.sha256,
            "imported": date.today().isoformat(),
            "layout": report.layout,
        },
        "licence": report.licence or i18n.t("mmp.licence_unknown", lang),
        "synthetic": False,
        "importer": IMPORTER,
        "region": report.region,
        "rows": {"read": report.read, "imported": report.imported,
                 "outside": report.outside_total, "rejected": report.rejected_total},
    }
    (out_dir / "dataset.yml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _clear_previous(out_dir: Path, lang: str) -> None:
    """Remove an earlier import from `out_dir`; refuse to touch any other content."""
    if not folder.clear_previous(out_dir, IMPORTER):
        raise MMPImportError(i18n.t("mmp.error_out_not_empty", lang, out=str(out_dir)))


def rejected_path(stem: str) -> Path:
    """Where the rejected rows of an input file go (private, git-ignored, never published)."""
    return paths.private_dir() / "mmp" / f"{stem}_rejected.csv"


def _write_rejected(frame: pd.DataFrame, rows: pd.DataFrame, reason: pd.Series,
                    stem: str) -> Path | None:
    path = rejected_path(stem)
    chosen = reason.ne("")
    if not chosen.any():
        path.unlink(missing_ok=True)
        return None
    out = frame.loc[chosen].copy()
    out.insert(0, "row", rows.loc[chosen, "row"])
    out.insert(1, "reason", reason[chosen])
    out.insert(2, "column", rows.loc[chosen, "problem_column"])
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, encoding="utf-8")
    return path
