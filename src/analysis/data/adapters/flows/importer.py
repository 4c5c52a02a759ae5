"""`import_flows(files, out_dir)`: official flow tables → a data folder of `flows` tables.

Per file: read (any encoding `analysis.core.text.decode` knows), recognize the layout by its
columns, parse, check every row (period, event, unit, count, countries), and account for every
row read: imported, or set aside with its reason. Rows of one file with the same key (e.g. two
names the producer lists that are one ISO3 code) are one published cell of the same view, so
their counts are added; a key that an earlier file already gave is set aside
(`already_imported`), so giving a file twice never doubles it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from analysis.core import i18n, paths, reference, text
from analysis.core.contract import TABLES
from analysis.data.adapters import folder
from analysis.data.adapters.flows import cbp, gdidata, generic, nationality, views
from analysis.data.adapters.flows import counts as C
from analysis.data.adapters.flows import rows as R
from analysis.data.adapters.flows.layouts import FlowsImportError, Layout, detect
from analysis.data.adapters.flows.producers import COMPILER, LICENCES

IMPORTER = "analysis.data.adapters.flows"
FLOW_KEY = list(TABLES["flows"].key)


@dataclass
class FileReport:
    """What happened to one file's rows."""

    file: str
    sha256: str
    layout: str
    producer: str
    read: int
    imported: int
    merged: int  # imported rows folded into another row of the same key (counts added)
    set_aside: dict[str, int]  # reason → rows
    set_aside_count: int  # sum of the numeric counts of the rows set aside

    @property
    def reconciles(self) -> bool:
        return self.read == self.imported + sum(self.set_aside.values())


@dataclass
class FlowsReport:
    out_dir: Path
    files: list[FileReport]
    flows: pd.DataFrame  # what was written (contract columns)
    set_aside: pd.DataFrame  # file, row, reason, column, value + the row's columns
    totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    disagreements: pd.DataFrame = field(default_factory=pd.DataFrame)
    set_aside_file: Path | None = None

    def render(self, lang: str = "en") -> str:
        return render(self, lang)


def import_flows(files: list[Path], out_dir: Path, country: str | None = None,
                 event: str | None = None, lang: str = "en") -> FlowsReport:
    """Import official flow tables into `out_dir` (one folder per reporting country)."""
    if not files:
        raise FlowsImportError(i18n.t("flows.error_no_files", lang))
    country = _checked_option(country, "country", lang)
    event = _checked_option(event, "event", lang)
    accepted, asides, reports = [], [], []
    seen = pd.MultiIndex.from_arrays([[]] * len(FLOW_KEY), names=FLOW_KEY)
    for path in files:
        rows, layout, sha = _read_file(Path(path), country, event, lang)
        _check(rows)
        keys = pd.MultiIndex.from_frame(rows[FLOW_KEY].astype(str))
        R.flag(rows, pd.Series(keys.isin(seen), index=rows.index), "already_imported",
               "", rows["reporting_country"])
        good = rows[rows["_reason"] == ""]
        seen = seen.append(pd.MultiIndex.from_frame(good[FLOW_KEY].astype(str))).unique()
        merged = _merged(good)
        aside = rows[rows["_reason"] != ""].assign(file=Path(path).name)
        reports.append(FileReport(
            file=Path(path).name, sha256=sha, layout=layout.name,
            producer=_producer(good, layout), read=len(rows), imported=len(good),
            merged=len(good) - len(merged),
            set_aside=aside["_reason"].value_counts().sort_index().to_dict(),
            set_aside_count=int(aside["count"].fillna(0).sum())))
        accepted.append(merged)
        asides.append(aside)
    flows = pd.concat(accepted, ignore_index=True)[R.COLUMNS] if accepted else pd.DataFrame()
    flows = flows.sort_values(FLOW_KEY, kind="stable").reset_index(drop=True)
    set_aside = pd.concat(asides, ignore_index=True)
    report = FlowsReport(out_dir, reports, flows, set_aside)
    if len(flows):
        report.totals = views.per_view(flows)
        report.disagreements = views.disagreements(flows)
    _write(report, lang)
    report.set_aside_file = _write_set_aside(set_aside)
    return report


def set_aside_path() -> Path:
    """Where the rows set aside go, with file, line, reason, column and value (private)."""
    return paths.private_dir() / "flows" / "set_aside.csv"


def _write_set_aside(set_aside: pd.DataFrame) -> Path | None:
    path = set_aside_path()
    if set_aside.empty:
        path.unlink(missing_ok=True)
        return None
    out = set_aside.rename(columns={"_row": "row", "_reason": "reason", "_column": "column",
                                    "_value": "value"})
    out["count"] = out.pop("_count_text") if "_count_text" in out else out["count"]
    columns = ["file", "row", "reason", "column", "value"] + R.COLUMNS
    path.parent.mkdir(parents=True, exist_ok=True)
    out[columns].to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def _checked_option(value: str | None, kind: str, lang: str) -> str | None:
    if not value:
        return None
    if kind == "country":
        code = value.strip().upper()
        if code not in reference.countries().index:
            raise FlowsImportError(i18n.t("flows.error_option_country", lang, value=value))
        return code
    code = value.strip().lower()
    if code not in reference.code_list("flow_event"):
        raise FlowsImportError(i18n.t("flows.error_option_event", lang, value=value,
                                      codes=", ".join(reference.code_list("flow_event"))))
    return code


def _read_file(path: Path, country: str | None, event: str | None,
               lang: str) -> tuple[pd.DataFrame, Layout, str]:
    if not path.is_file():
        raise FlowsImportError(i18n.t("flows.error_no_file", lang, file=str(path)))
    content = path.read_bytes()
    decoded = text.decode(content)
    if decoded is None or not decoded[0].strip():
        raise FlowsImportError(i18n.t("flows.error_unreadable", lang, file=path.name))
    frame = _read_csv(decoded[0], path.name, lang)
    layout = detect(list(frame.columns), path.stem, path.name, lang)
    if layout.name == "cbp":
        rows = cbp.parse(frame, layout.statistic)
    elif layout.name == "gdidata":
        rows = gdidata.parse(frame, layout.statistic)
    else:
        rows = generic.parse(frame, path.name, country, event)
    if country:
        rows["reporting_country"] = rows["reporting_country"].where(
            rows["reporting_country"] != "", country)
    if event:
        rows["event"] = rows["event"].where(rows["event"] != "", event)
    return rows, layout, hashlib.sha256(content).hexdigest()


def _read_csv(content: str, name: str, lang: str) -> pd.DataFrame:
    try:
        sep = csv.Sniffer().sniff(content[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    try:
        frame = pd.read_csv(io.StringIO(content), sep=sep, dtype=str, keep_default_na=False,
                            skip_blank_lines=True)
    except (pd.errors.ParserError, csv.Error) as error:
        raise FlowsImportError(i18n.t("flows.error_unreadable", lang, file=name)
                               + f" ({error})") from error
    folded = [text.fold(c) for c in frame.columns]
    frame.columns = folded
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame["_row"] = range(2, len(frame) + 2)
    return frame


def _check(rows: pd.DataFrame) -> None:
    """Contract checks every layout shares; the first reason found sets a row aside."""
    for column, reason in (("reporting_country", "no_reporting_country"),
                           ("event", "no_event"), ("period", "bad_period")):
        R.flag(rows, rows[column] == "", reason, column, rows[column])
    reporting = nationality.to_iso3(rows["reporting_country"])
    R.flag(rows, reporting.isna(), "unknown_reporting_country", "reporting_country",
           rows["reporting_country"])
    rows["reporting_country"] = reporting.fillna(rows["reporting_country"])
    for column in ("nationality", "counterpart_country"):
        codes = nationality.to_iso3(rows[column])
        R.flag(rows, codes.isna(), f"unknown_{column}", column, rows[column])
        rows[column] = codes.fillna(rows[column])
    for column, codes in (("event", "flow_event"), ("unit", "flow_unit"),
                          ("breakdown", "flow_breakdown")):
        R.flag(rows, ~rows[column].isin(reference.code_list(codes)), f"unknown_{column}",
               column, rows[column])
    rows["_count_text"] = rows["count"].astype(str)
    numbers, reason = C.parse(rows["count"])
    for code in ("empty_count", "not_a_number", "negative", "not_an_integer"):
        R.flag(rows, reason == code, code, "count", rows["_count_text"])
    rows["count"] = numbers


def _merged(good: pd.DataFrame) -> pd.DataFrame:
    """One row per key: counts of the same published view and key added."""
    if good.empty:
        return good[R.COLUMNS]
    rest = [c for c in R.COLUMNS if c not in FLOW_KEY and c != "count"]
    out = good.groupby(FLOW_KEY, sort=False, dropna=False).agg(
        {"count": "sum", **{c: "first" for c in rest}}).reset_index()
    return out[R.COLUMNS]


def _producer(good: pd.DataFrame, layout: Layout) -> str:
    if layout.statistic is not None:
        return layout.statistic.producer
    return "; ".join(sorted(set(good["source"]))) if len(good) else ""


# ----------------------------------------------------------------------------- writing


def _write(report: FlowsReport, lang: str) -> None:
    out_dir = report.out_dir
    _clear_previous(out_dir, lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases_header = ",".join(TABLES["cases"].names) + "\n"
    for code, rows in report.flows.groupby("reporting_country", sort=True):
        folder = out_dir / str(code)
        folder.mkdir()
        rows.to_csv(folder / "flows.csv", index=False, encoding="utf-8", lineterminator="\n")
        (folder / "cases.csv").write_text(cases_header, encoding="utf-8")
    sources = []
    for f in report.files:
        compiled = f.layout == "gdidata"
        sources.append({
            "file": f.file, "producer": f.producer,
            **({"compiled_by": COMPILER} if compiled else {}),
            "licence": LICENCES.get(f.producer, i18n.t("flows.licence_unknown", lang)),
            "sha256": f.sha256, "layout": f.layout,
            "rows": {"read": f.read, "imported": f.imported,
                     "set_aside": sum(f.set_aside.values())},
        })
    producers = sorted({s["producer"] for s in sources if s["producer"]})
    meta = {
        "title": i18n.t("flows.dataset_title", lang),
        "source": "; ".join(producers),
        "synthetic": False,
        "importer": IMPORTER,
        "sources": sources,
    }
    (out_dir / "dataset.yml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _clear_previous(out_dir: Path, lang: str) -> None:
    """Remove an earlier import from `out_dir`; refuse to touch any other content."""
    if not folder.clear_previous(out_dir, IMPORTER):
        raise FlowsImportError(i18n.t("flows.error_out_not_empty", lang, out=str(out_dir)))


# ----------------------------------------------------------------------------- the summary


def render(report: FlowsReport, lang: str) -> str:
    """What the command line prints: per file, rows accounted for; per statistic and year,
    the total of each view; the views that disagree, with both totals."""
    n = lambda v: i18n.fmt_number(int(v), lang)  # noqa: E731
    t = lambda key, **kw: i18n.t(f"flows.{key}", lang, **kw)  # noqa: E731
    lines = []
    for f in report.files:
        lines.append(t("report_file", file=f.file, layout=t(f"layout_{f.layout}"),
                       producer=f.producer or "-"))
        lines.append("  " + t("report_rows", read=n(f.read), imported=n(f.imported),
                              aside=n(sum(f.set_aside.values()))))
        if f.merged:
            lines.append("  " + t("report_merged", n=n(f.merged)))
        for reason, rows in f.set_aside.items():
            lines.append("    - " + t("report_reason", n=n(rows), reason=t(f"reason_{reason}")))
        if f.set_aside:
            lines.append("  " + t("report_aside_count", n=n(f.set_aside_count)))
    if len(report.totals):
        lines += ["", t("report_totals")]
        for key, group in report.totals.groupby(["reporting_country", "event", "unit", "year"],
                                                sort=True):
            country, event, unit, year = key
            parts = [f"{reference.label('flow_breakdown', b, lang)} {n(c)}"
                     for b, c in zip(group["breakdown"], group["count"], strict=True)]
            lines.append(f"  {country} · {reference.label('flow_event', event, lang)} "
                         f"({reference.label('flow_unit', unit, lang).lower()}) · {year}: "
                         + " | ".join(parts))
    encounters = views.encounters(report.flows) if len(report.flows) else []
    if len(encounters):
        lines += ["", t("report_encounters")]
        lines += [f"  {e.reporting_country} · {e.year}: {n(e.count)}"
                  for e in encounters.itertuples(index=False)]
    if len(report.disagreements):
        lines += ["", t("report_disagreements")]
        for d in report.disagreements.itertuples(index=False):
            lines.append("  " + t("report_disagreement", country=d.reporting_country,
                                  event=reference.label("flow_event", d.event, lang),
                                  year=d.year,
                                  view_a=reference.label("flow_breakdown", d.view_a, lang).lower(),
                                  total_a=n(d.total_a),
                                  view_b=reference.label("flow_breakdown", d.view_b, lang).lower(),
                                  total_b=n(d.total_b), diff=n(abs(d.total_a - d.total_b))))
    countries = sorted(report.flows["reporting_country"].unique()) if len(report.flows) else []
    lines += ["", t("report_written", out=str(report.out_dir), folders=", ".join(countries))]
    if report.set_aside_file is not None:
        lines.append(t("report_set_aside_file", path=str(report.set_aside_file)))
    return "\n".join(lines)
