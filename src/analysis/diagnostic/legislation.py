"""National legislation compared with the Smuggling of Migrants Protocol.

The baseline is the project's desk review (`data/reference/legislation.csv`, status draft or
no_data); a country's own rows in the `legislation` table replace it cell by cell. From the
merged country × criterion cells come a transparent score, the gaps of each country, the
criteria on which the region differs most, and the citations of each cell.

Scoring rules (also written out in the report): yes = 1, partial = 0.5, no = 0; a number
criterion scores 1 when it reaches its threshold (maximum penalty ≥ 4 years, the serious-crime
line of UNTOC art. 2(b)) and 0 otherwise; cells without data are left out of the denominator,
and the share of criteria with data (coverage) is shown next to every score. A country or an
axis with fewer than half of its criteria filled gets no score ("insufficient data").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from analysis.core import i18n, reference

LEVELS = ("yes", "partial", "no")
LEVEL_SCORES = {"yes": 1.0, "partial": 0.5, "no": 0.0}
SERIOUS_CRIME_YEARS = 4.0  # UNTOC art. 2(b)
NUMBER_THRESHOLDS = {"max_penalty_years": SERIOUS_CRIME_YEARS}
PENALTY = "max_penalty_years"
MIN_COVERAGE = 0.5  # below this share of criteria with data there is no score
AXES = ("criminalization", "penalties", "protection", "cooperation", "prevention")
STATUSES = ("validated", "draft", "illustrative", "no_data")
IN_FORCE = ("yes", "no", "unknown")
CELL_COLUMNS = ["country", "criterion_id", "value", "instrument", "article", "source_url",
                "text_version", "in_force", "date_reviewed", "status", "note", "origin"]
SYMBOLS = {"yes": "✓", "partial": "◐", "no": "✗", "no_data": ""}
COLOURS = {"yes": "#cfe6c4", "partial": "#fbe3a6", "no": "#f3c3bd", "no_data": "#eceff1"}

_YES = {"yes", "y", "si", "sí", "true", "1"}
_NO = {"no", "n", "false", "0"}
_PARTIAL = {"partial", "parcial", "partly", "parcialmente"}


# reference ------------------------------------------------------------------------------
def criteria() -> pd.DataFrame:
    """The criteria grouped by axis (criminalization, penalties, protection, cooperation,
    prevention), in file order within an axis, with numeric weights."""
    table = reference.criteria().reset_index()
    table["weight"] = pd.to_numeric(table["weight"]).astype(float)
    rank = {axis: i for i, axis in enumerate(AXES)}
    table["_axis"] = table["axis"].map(rank).fillna(len(rank))
    table = table.sort_values("_axis", kind="stable").drop(columns="_axis")
    return table.reset_index(drop=True)


def reference_rows() -> pd.DataFrame:
    """The desk-review baseline: one row per country × criterion (draft or no_data)."""
    return reference.legislation_baseline()


# values -----------------------------------------------------------------------------------
def normalize_value(value: object, value_type: str) -> str:
    """'yes' / 'partial' / 'no' for yes-no criteria, a plain number for number criteria, and
    '' when the value is missing or cannot be read."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = str(value).strip().lower()
    if not text:
        return ""
    if value_type == "number":
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return ""
        return f"{number:g}" if math.isfinite(number) and number >= 0 else ""
    if text in _YES:
        return "yes"
    if text in _PARTIAL:
        return "partial"
    if text in _NO:
        return "no"
    return ""


def normalize_in_force(value: object) -> str:
    """'yes' / 'no' / 'unknown' for whether the text consulted is in force; '' when blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = str(value).strip().lower()
    if not text:
        return ""
    if text in _YES:
        return "yes"
    if text in _NO:
        return "no"
    return "unknown"


def cell_score(value: str, criterion_id: str, value_type: str) -> float:
    """The score of one cell by the rules above; NaN when there is no value."""
    if not value:
        return math.nan
    if value_type == "number":
        threshold = NUMBER_THRESHOLDS.get(criterion_id)
        if threshold is None:
            return math.nan
        return 1.0 if float(value) >= threshold else 0.0
    return LEVEL_SCORES.get(value, math.nan)


def cell_level(value: str, criterion_id: str, value_type: str) -> str:
    """yes / partial / no / no_data: the colour class of a cell (numbers by their rule)."""
    score = cell_score(value, criterion_id, value_type)
    if math.isnan(score):
        return "no_data"
    return {1.0: "yes", 0.5: "partial", 0.0: "no"}[score]


# source checks ------------------------------------------------------------------------------
PARTY = "party_protocol"
SERIOUS = "serious_crime"
DEPOSITARY = "treaties.un.org"
DATE_IN_NOTE = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")


def on_list(url: str, domains: list[str]) -> bool:
    """Whether an https address's host is a listed domain or a subdomain of one."""
    host = urlparse(url).hostname or ""
    return any(host == d or host.endswith("." + d) for d in domains)


def source_problems(rows: pd.DataFrame, domains: list[str]) -> pd.DataFrame:
    """The reference rows that break a sourcing rule, one line per (row, rule): country,
    criterion_id, line (in the CSV file, header = 1) and problem code. Rules: a filled cell
    cites an https address on the reviewed domain list, with text_version and in_force
    (yes / no / unknown); an empty cell has no source and says in its note what was searched;
    party status comes from the UN Treaty Collection with a date; serious_crime agrees with
    max_penalty_years wherever both are filled."""
    found = []
    by_key = {(r.country, r.criterion_id): r for r in rows.itertuples()}

    def flag(row, problem):
        found.append({"country": row.country, "criterion_id": row.criterion_id,
                      "line": int(row.Index) + 2, "problem": problem})

    for row in rows.itertuples():
        url = str(row.source_url or "")
        if row.value:
            if not url.startswith("https://"):
                flag(row, "not_https")
            elif not on_list(url, domains):
                flag(row, "domain_not_listed")
            if not row.text_version:
                flag(row, "no_text_version")
            if row.in_force not in IN_FORCE:
                flag(row, "in_force_not_yes_no_unknown")
            if row.status == "no_data":
                flag(row, "value_with_no_data_status")
            if row.criterion_id == PARTY and (urlparse(url).hostname != DEPOSITARY
                                              or not DATE_IN_NOTE.search(row.note)):
                flag(row, "party_not_from_untc_with_date")
        else:
            if url or row.instrument or row.article:
                flag(row, "source_without_value")
            if row.status != "no_data":
                flag(row, "empty_value_not_no_data")
            if not str(row.note).strip():
                flag(row, "gap_without_search_note")
        if row.criterion_id == SERIOUS and row.value:
            penalty = by_key.get((row.country, PENALTY))
            years = normalize_value(penalty.value, "number") if penalty is not None else ""
            if years and row.value != ("yes" if float(years) >= SERIOUS_CRIME_YEARS else "no"):
                flag(row, "serious_crime_disagrees_with_max_penalty")
    return pd.DataFrame(found, columns=["country", "criterion_id", "line", "problem"])


# merge ------------------------------------------------------------------------------------
@dataclass
class Assessment:
    """The merged cells, and what was left out of the submissions (and why)."""

    cells: pd.DataFrame
    submitted: int  # own rows with a readable value that replaced a reference row
    about_others: int  # rows a country sent about another country (not used)
    unreadable: int  # own rows whose value is empty or cannot be read (not used)


def merge(
    baseline: pd.DataFrame, submitted: pd.DataFrame | None, countries: list[str],
    table: pd.DataFrame | None = None,
) -> Assessment:
    """One cell per country × criterion: the country's own submission where it gave a value,
    the reference row otherwise, and no_data where neither has one.

    Only rows with reporting_country == country count as the country's own submission; among
    several, the latest date_reviewed wins, then the strongest status (validated first).
    """
    table = criteria() if table is None else table
    types = dict(zip(table["criterion_id"], table["value_type"], strict=True))
    grid = pd.MultiIndex.from_product([countries, list(table["criterion_id"])],
                                      names=["country", "criterion_id"]).to_frame(index=False)
    base = _prepared(baseline.assign(origin="reference"), types)
    base = base.drop_duplicates(["country", "criterion_id"], keep="last")
    about_others = unreadable = 0
    own = pd.DataFrame(columns=CELL_COLUMNS)
    if submitted is not None and len(submitted):
        rows = submitted.copy()
        mine = rows["reporting_country"].astype(str) == rows["country"].astype(str)
        about_others = int((~mine).sum())
        rows = _prepared(rows[mine].assign(origin="submission"), types)
        readable = rows["value"] != ""
        unreadable = int((~readable).sum())
        rows = rows[readable]
        rank = {s: i for i, s in enumerate(STATUSES)}
        rows = rows.assign(_rank=rows["status"].map(rank).fillna(len(rank)),
                           _date=pd.to_datetime(rows["date_reviewed"], errors="coerce"))
        rows = rows.sort_values(["country", "criterion_id", "_date", "_rank"],
                                ascending=[True, True, True, False], na_position="first")
        own = rows.drop_duplicates(["country", "criterion_id"], keep="last")[CELL_COLUMNS]
    cells = grid.merge(base, on=["country", "criterion_id"], how="left")
    cells = cells.set_index(["country", "criterion_id"])
    replaced = own.set_index(["country", "criterion_id"])
    replaced = replaced[replaced.index.isin(cells.index)]
    cells.loc[replaced.index, replaced.columns] = replaced
    cells = cells.reset_index()
    for column in CELL_COLUMNS:
        cells[column] = cells[column].fillna("").astype(str)
    cells.loc[cells["value"] == "", "status"] = "no_data"
    cells.loc[(cells["value"] != "") & ~cells["status"].isin(STATUSES[:3]), "status"] = "draft"
    cells.loc[cells["origin"] == "", "origin"] = "none"
    return Assessment(cells[CELL_COLUMNS], len(replaced), about_others, unreadable)


def _prepared(rows: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    rows = rows.copy()
    for column in CELL_COLUMNS:
        if column not in rows.columns:
            rows[column] = ""
        rows[column] = rows[column].astype(object).where(rows[column].notna(), "")
    dates: dict = {}  # each distinct value parsed once: a table holds few review dates
    rows["date_reviewed"] = [dates[v] if v in dates else dates.setdefault(v, _iso_date(v))
                             for v in rows["date_reviewed"]]
    rows = rows[rows["criterion_id"].isin(types)]
    rows["value"] = [normalize_value(v, types[c])
                     for v, c in zip(rows["value"], rows["criterion_id"], strict=True)]
    rows["in_force"] = [normalize_in_force(v) for v in rows["in_force"]]
    return rows[CELL_COLUMNS].astype(str)


def _iso_date(value: object) -> str:
    if value is None or value == "" or value is pd.NaT:
        return ""
    stamp = pd.to_datetime(value, errors="coerce")
    return "" if pd.isna(stamp) else stamp.date().isoformat()


# analysis ---------------------------------------------------------------------------------
def scored(cells: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The cells with their criterion's axis, type and weight, score and level."""
    table = criteria() if table is None else table
    out = cells.merge(table[["criterion_id", "axis", "value_type", "weight", "article"]]
                      .rename(columns={"article": "protocol_article"}), on="criterion_id")
    out["score"] = [cell_score(v, c, t) for v, c, t in
                    zip(out["value"], out["criterion_id"], out["value_type"], strict=True)]
    out["level"] = [cell_level(v, c, t) for v, c, t in
                    zip(out["value"], out["criterion_id"], out["value_type"], strict=True)]
    return out


def scores(cells: pd.DataFrame, by: str = "country", table: pd.DataFrame | None = None
           ) -> pd.DataFrame:
    """Score and coverage by country (by="country") or by country and axis (by="axis").

    score = Σ weight × cell score / Σ weight over the criteria with data; coverage = criteria
    with data / criteria; sufficient = coverage ≥ MIN_COVERAGE. Where it is not sufficient
    the score is NaN ("insufficient data").
    """
    cells = scored(cells, table)
    keys = ["country"] if by == "country" else ["country", "axis"]
    cells = cells.assign(has_data=cells["score"].notna(),
                         points=(cells["score"] * cells["weight"]).fillna(0.0),
                         possible=cells["weight"].where(cells["score"].notna(), 0.0))
    out = cells.groupby(keys, sort=False).agg(
        criteria=("criterion_id", "size"), with_data=("has_data", "sum"),
        points=("points", "sum"), possible=("possible", "sum")).reset_index()
    out["with_data"] = out["with_data"].astype(int)
    out["coverage"] = out["with_data"] / out["criteria"]
    out["sufficient"] = out["coverage"] >= MIN_COVERAGE
    out["score"] = (out["points"] / out["possible"]).where(
        (out["possible"] > 0) & out["sufficient"])
    return out


def gaps(cells: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Protocol elements a country lacks (level no or partial), in criterion order."""
    cells = scored(cells, table)
    out = cells[cells["level"].isin(["no", "partial"])]
    return out[["country", "criterion_id", "axis", "value", "level", "status",
                "protocol_article"]].reset_index(drop=True)


def missing_data(cells: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The criteria without data, by country."""
    cells = scored(cells, table)
    out = cells[cells["level"] == "no_data"]
    out = out[["country", "criterion_id", "axis"]].reset_index(drop=True)
    out.attrs["scope"] = tuple(dict.fromkeys(cells["country"]))
    return out


def harmonization(cells: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """How much the countries with data disagree on each yes/partial/no criterion.

    entropy = Shannon entropy of the yes/partial/no shares divided by log(3) (0: all agree,
    1: evenly split three ways); disagreement = 1 − share of the most common answer.
    Criteria with fewer than two countries with data get NaN and sort last.
    """
    cells = scored(cells, table)
    cells = cells[cells["value_type"] != "number"]
    rows = []
    for criterion_id, group in cells.groupby("criterion_id", sort=False):
        known = group.loc[group["level"] != "no_data", "level"]
        counts = {level: int((known == level).sum()) for level in LEVELS}
        n = len(known)
        entropy = disagreement = math.nan
        if n >= 2:
            shares = np.array([counts[level] / n for level in LEVELS])
            shares = shares[shares > 0]
            entropy = float(-(shares * np.log(shares)).sum() / math.log(len(LEVELS))) + 0.0
            disagreement = 1 - max(counts.values()) / n
        rows.append({"criterion_id": criterion_id, "axis": group["axis"].iloc[0],
                     "with_data": n, **counts, "entropy": entropy,
                     "disagreement": disagreement})
    out = pd.DataFrame(rows, columns=["criterion_id", "axis", "with_data", *LEVELS, "entropy",
                                      "disagreement"])
    out["_order"] = range(len(out))
    out = out.sort_values(["entropy", "with_data", "_order"], ascending=[False, False, True],
                          na_position="last")
    return out.drop(columns="_order").reset_index(drop=True)


def penalties(cells: pd.DataFrame) -> pd.DataFrame:
    """Maximum penalty (years) by country, NaN without data, with the serious-crime flag."""
    rows = cells[cells["criterion_id"] == PENALTY][["country", "value", "status", "note"]]
    rows = rows.assign(years=pd.to_numeric(rows["value"], errors="coerce"))
    rows["serious"] = rows["years"] >= SERIOUS_CRIME_YEARS
    return rows[["country", "years", "serious", "status", "note"]].reset_index(drop=True)


def level_matrix(cells: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """criterion × country of levels (yes / partial / no / no_data), for the heatmap."""
    cells = scored(cells, table)
    order = list((criteria() if table is None else table)["criterion_id"])
    countries = list(dict.fromkeys(cells["country"]))
    return cells.pivot(index="criterion_id", columns="country", values="level").reindex(
        index=order, columns=countries)


# presentation -----------------------------------------------------------------------------
def value_text(value: str, value_type: str, lang: str) -> str:
    """A cell's value in words: Sí / Parcial / No / 10, '' without data."""
    if not value:
        return ""
    if value_type == "number":
        return i18n.fmt_number(float(value), lang, 0 if float(value).is_integer() else 1)
    return i18n.t(f"legislation.value_{value}", lang)


def annex_matrix(cells: pd.DataFrame, lang: str, table: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
    """The matrix as a plain table for the annex: one row per criterion, one column per
    country (values in words), plus the Protocol article."""
    table = criteria() if table is None else table
    countries = list(dict.fromkeys(cells["country"]))
    values = cells.merge(table[["criterion_id", "value_type"]], on="criterion_id")
    values["text"] = [value_text(v, t, lang) for v, t in
                      zip(values["value"], values["value_type"], strict=True)]
    wide = values.pivot(index="criterion_id", columns="country", values="text").reindex(
        index=list(table["criterion_id"]), columns=countries)
    out = pd.DataFrame({
        i18n.t("legislation.col_axis", lang): [i18n.t(f"legislation.axis_{a}", lang)
                                               for a in table["axis"]],
        i18n.t("legislation.col_criterion", lang): list(table[f"label_{lang}"]),
        i18n.t("legislation.col_article", lang): list(table["article"]),
    })
    for country in countries:
        out[reference.label("country", country, lang)] = list(wide[country].fillna(""))
    return out


def _safe_url(url: str) -> str:
    """The address if it is a web address, '' otherwise (no javascript: links)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def citation_key(cell) -> tuple[str, str, str]:
    """The legal source of a cell: (instrument, article, web address or '')."""
    return (cell["instrument"].strip(), cell["article"].strip(), _safe_url(cell["source_url"]))


def citations(cells: pd.DataFrame) -> dict[tuple[str, str, str], int]:
    """Footnote numbers for the distinct (instrument, article, address) of cells with data,
    numbered in the order the matrix shows them (criterion by criterion)."""
    numbers: dict[tuple[str, str, str], int] = {}
    for row in cells.itertuples():
        if not row.value:
            continue
        key = citation_key(row._asdict())
        if any(key) and key not in numbers:
            numbers[key] = len(numbers) + 1
    return numbers


# tables for the report --------------------------------------------------------------------
def scope(data) -> list[str]:
    """The countries a run covers: the countries filter, or the CRM members."""
    chosen = (getattr(data, "meta", None) or {}).get("filter", {}).get("countries") or []
    return list(chosen) if chosen else list(reference.CRM_MEMBERS)


def status_counts(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells by country (rows, in scope order) and status (columns)."""
    countries = list(dict.fromkeys(cells["country"]))
    return pd.crosstab(cells["country"], cells["status"]).reindex(
        index=countries, columns=list(STATUSES), fill_value=0)


def score_text(score: float, with_data: int, total: int, lang: str) -> str:
    """A score as shown: the number, or 'insufficient data' when fewer than half of the
    criteria have data (MIN_COVERAGE), or '–' when there is nothing to score."""
    if total and with_data / total < MIN_COVERAGE:
        return i18n.t("legislation.insufficient_data", lang)
    return "–" if math.isnan(score) else i18n.fmt_number(score, lang, 2)


def _ratio(score: float, with_data: int, total: int, lang: str) -> str:
    return f"{score_text(score, with_data, total, lang)} ({with_data}/{total})"


def score_table(by_country: pd.DataFrame, by_axis: pd.DataFrame) -> pd.DataFrame:
    """One row per country: criteria with data, coverage, score, and per axis the score
    with its coverage as (with data/criteria) in a `<axis>` column of strings (raw values in
    `<axis>_score`)."""
    out = by_country[["country", "with_data", "criteria", "coverage", "score"]].copy()
    for axis in AXES:
        part = by_axis[by_axis["axis"] == axis].set_index("country")
        out[f"{axis}_score"] = out["country"].map(part["score"])
        out[f"{axis}_with_data"] = out["country"].map(part["with_data"]).fillna(0).astype(int)
        out[f"{axis}_criteria"] = out["country"].map(part["criteria"]).fillna(0).astype(int)
    return out


def score_columns(lang: str) -> dict[str, str]:
    """Headers of the score table in `lang`."""
    t = lambda key: i18n.t(f"legislation.{key}", lang)  # noqa: E731
    return {"country": i18n.t("common.country", lang), "with_data": t("col_with_data"),
            "coverage": t("col_coverage"), "score": t("col_score")}


def score_display(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The score table as shown: criteria with data and coverage as numbers, the overall
    score as text ('insufficient data' below MIN_COVERAGE), each axis as 'score (k/n)'."""
    out = table[["country", "with_data", "coverage", "score"]].copy()
    out["score"] = [score_text(s, k, n, lang) for s, k, n in zip(
        table["score"].astype(float), table["with_data"], table["criteria"], strict=True)]
    for axis in AXES:
        out[i18n.t(f"legislation.axis_{axis}", lang)] = [
            _ratio(s, k, n, lang) for s, k, n in zip(
                table[f"{axis}_score"].astype(float), table[f"{axis}_with_data"],
                table[f"{axis}_criteria"], strict=True)]
    return out.rename(columns=score_columns(lang))


def gap_table(gap_rows: pd.DataFrame, countries: list[str], lang: str) -> pd.DataFrame:
    """One row per country: how many gaps, which elements are missing ("no", or a penalty
    below the line, with its years) and which are partial, in matrix order."""
    t = lambda key: i18n.t(f"legislation.{key}", lang)  # noqa: E731
    types = criteria().set_index("criterion_id")["value_type"]

    def named(part: pd.DataFrame, level: str) -> str:
        chosen = part[part["level"] == level]
        return "; ".join(
            reference.label("criterion", c, lang) + (
                f" ({value_text(v, 'number', lang)})" if types.get(c) == "number" else "")
            for c, v in zip(chosen["criterion_id"], chosen["value"], strict=True))

    rows = []
    for country in countries:
        part = gap_rows[gap_rows["country"] == country]
        rows.append({i18n.t("common.country", lang): reference.label("country", country, lang),
                     t("col_n_gaps"): len(part), t("col_gaps_no"): named(part, "no"),
                     t("col_gaps_partial"): named(part, "partial")})
    return pd.DataFrame(rows)


def missing_table(missing: pd.DataFrame, lang: str) -> pd.DataFrame:
    """By criterion (in matrix order): how many countries have no data on it, and which."""
    t = lambda key: i18n.t(f"legislation.{key}", lang)  # noqa: E731
    rows = []
    for crit in criteria().itertuples():
        part = missing[missing["criterion_id"] == crit.criterion_id]
        if part.empty:
            continue
        rows.append({t("col_criterion"): getattr(crit, f"label_{lang}"),
                     t("col_axis"): t(f"axis_{crit.axis}"),
                     t("col_n_missing"): len(part),
                     t("col_missing_countries"): t("all_countries") if set(
                         part["country"]) >= set(missing.attrs.get("scope", ())) else ", ".join(
                         reference.label("country", c, lang) for c in part["country"])})
    return pd.DataFrame(rows)


def axis_boundaries(table: pd.DataFrame | None = None) -> list[int]:
    """Row positions where a new axis starts in the matrix (after the first)."""
    table = criteria() if table is None else table
    axes = list(table["axis"])
    return [i for i in range(1, len(axes)) if axes[i] != axes[i - 1]]


def harmonization_table(ranking: pd.DataFrame, lang: str) -> pd.DataFrame:
    t = lambda key: i18n.t(f"legislation.{key}", lang)  # noqa: E731
    return pd.DataFrame({
        t("col_criterion"): [reference.label("criterion", c, lang)
                             for c in ranking["criterion_id"]],
        t("col_axis"): [t(f"axis_{a}") for a in ranking["axis"]],
        t("col_with_data"): list(ranking["with_data"]),
        t("value_yes"): list(ranking["yes"]),
        t("value_partial"): list(ranking["partial"]),
        t("value_no"): list(ranking["no"]),
        t("col_entropy"): list(ranking["entropy"]),
        t("col_disagreement"): list(ranking["disagreement"]),
    })


def penalty_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Maximum penalty by country, with the desk-review note when there is one."""
    t = lambda key: i18n.t(f"legislation.{key}", lang)  # noqa: E731
    out = pd.DataFrame({
        i18n.t("common.country", lang): [reference.label("country", c, lang)
                                         for c in rows["country"]],
        t("col_years"): list(rows["years"]),
        t("col_serious"): [t("value_yes") if s else (t("value_no") if y == y else "")
                           for s, y in zip(rows["serious"], rows["years"], strict=True)],
        t("col_status"): [reference.label("assessment_status", s, lang)
                          for s in rows["status"]],
        t("col_note"): list(rows["note"]),
    })
    if not rows["note"].astype(str).str.strip().any():  # submissions carry no note
        out = out.drop(columns=t("col_note"))
    return out
