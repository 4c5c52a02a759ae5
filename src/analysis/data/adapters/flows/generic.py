"""The generic long format: any table with a period, a count and (in a column or on the
command line) the reporting country and the event, columns named in Spanish or English.

Columns are matched by meaning (`CONCEPTS`, folded names). Decisions:

- The period is a `period`/`date` column (YYYY-MM, YYYY-MM-DD or YYYY), or a `year` column
  with an optional `month` column (number or name, es/en); a year alone is an annual figure.
- `--country` and `--event` fill what a file lacks (blank cells or a missing column).
- Unit: a `unit` column, else events for Mexico-style `irregular_stay`, persons otherwise.
- Breakdown: a `breakdown` column, else the view the file's dimension columns make
  (nationality, sex and age: `nationality_sex_age`; none: `total`).
- Source: a `source` column, else the file's name.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import text
from analysis.data.adapters.flows import calendar
from analysis.data.adapters.flows import rows as R
from analysis.data.adapters.flows import values as V
from analysis.data.adapters.flows.gdidata import event_with_age

CONCEPTS = {
    "period": ("period", "periodo", "date", "fecha", "t", "month year", "mes ano"),
    "year": ("year", "ano", "anio", "calendar year"),
    "month": ("month", "mes"),
    "reporting_country": ("reporting country", "pais que informa", "pais informante",
                          "country", "pais", "iso3"),
    "count": ("count", "n", "cantidad", "numero", "number", "total", "value", "valor",
              "personas", "persons", "eventos", "events", "conteo", "cifra", "frequency",
              "frecuencia"),
    "nationality": ("nationality", "nacionalidad", "citizenship", "nat", "pais de nacionalidad",
                    "country of nationality", "ciudadania"),
    "sex": ("sex", "sexo", "gender", "genero"),
    "age": ("age", "edad", "age group", "grupo de edad", "grupo etario", "rango de edad"),
    "event": ("event", "evento", "type", "tipo", "tipo de evento", "event type"),
    "place": ("place", "lugar", "area", "sector", "punto", "punto fronterizo",
              "border crossing", "location", "ubicacion"),
    "counterpart_country": ("counterpart country", "pais contraparte", "returning country",
                            "pais que devuelve", "pais de retorno", "origin", "origen"),
    "unit": ("unit", "unidad"),
    "breakdown": ("breakdown", "desglose"),
    "source": ("source", "fuente"),
    "source_table": ("source table", "cuadro", "tabla", "table"),
}
NEEDS = ("period | year [+ month]", "count")


def columns(names: list[str]) -> dict[str, str]:
    """Concept → the file's (folded) column name, first synonym found."""
    found = {}
    for concept, words in CONCEPTS.items():
        hit = next((w for w in words if w in names), None)
        if hit is not None and hit not in found.values():
            found[concept] = hit
    return found


def matches(names: list[str]) -> bool:
    found = columns(names)
    return "count" in found and ("period" in found or "year" in found)


def parse(frame: pd.DataFrame, file_name: str, country: str | None,
          event: str | None) -> pd.DataFrame:
    found = columns(list(frame.columns))
    col = {concept: frame[name] for concept, name in found.items()}
    rows = R.start(frame, source=file_name, source_table=file_name)
    rows["count"] = col["count"]
    _period(rows, col)
    for concept in ("reporting_country", "nationality", "place", "counterpart_country",
                    "source", "source_table"):
        if concept in col:
            rows[concept] = col[concept].fillna("").str.strip()
    if country:
        rows["reporting_country"] = rows["reporting_country"].where(
            rows["reporting_country"] != "", country)
    if "event" in col:
        event_with_age(rows, col["event"], found["event"])
    if event:
        rows["event"] = rows["event"].where(rows["event"] != "", event)
    if "sex" in col:
        R.assign_mapped(rows, "sex", V.map_values(col["sex"], "sex", V.SEX), found["sex"],
                        col["sex"])
    if "age" in col:
        R.assign_mapped(rows, "age_group", V.map_values(col["age"], "flow_age_group", V.AGE),
                        found["age"], col["age"])
    rows["unit"] = _unit(rows, col, found)
    rows["breakdown"] = _breakdown(rows, col, found)
    return rows


def _period(rows: pd.DataFrame, col: dict[str, pd.Series]) -> None:
    if "period" in col:
        raw = col["period"].fillna("").astype(str).str.strip()
        month = R.month_period(raw)
        year = raw.where(raw.str.fullmatch(r"\d{4}(\.0)?"), None).str[:4]
        period = month.fillna(year)
        R.flag(rows, period.isna(), "bad_period", "period", raw)
    else:
        year = calendar.year_number(col["year"])
        period = year.astype("Int64").astype(str).where(year.notna(), None)
        R.flag(rows, year.isna(), "bad_period", "year", col["year"])
        if "month" in col:
            number = calendar.month_number(col["month"])
            blank = col["month"].fillna("").str.strip() == ""
            R.flag(rows, number.isna() & ~blank, "bad_period", "month", col["month"])
            monthly = period + "-" + number.astype("Int64").astype(str).str.zfill(2)
            period = monthly.where(number.notna(), period)
    rows["period"] = period.fillna("")


def _unit(rows, col, found) -> pd.Series:
    default = rows["event"].map(lambda e: "events" if e == "irregular_stay" else "persons")
    if "unit" not in col:
        return default
    mapping = {text.fold(w): u for u in ("persons", "events") for w in
               (u, u[:-1], {"persons": "personas", "events": "eventos"}[u])}
    mapped = col["unit"].fillna("").map(text.fold).map(lambda v: mapping.get(v, "?" if v else ""))
    R.flag(rows, mapped == "?", "unknown_unit", found["unit"], col["unit"])
    return mapped.where(mapped != "", default)


def _breakdown(rows, col, found) -> pd.Series:
    if "breakdown" in col:
        mapped = V.map_values(col["breakdown"], "flow_breakdown", {})
        R.flag(rows, mapped.isna(), "unknown_breakdown", found["breakdown"], col["breakdown"])
        return mapped.fillna("")
    parts = [p for p, c in (("nationality", "nationality"), ("sex", "sex"), ("age", "age"))
             if c in col]
    view = "_".join(parts) or "total"
    return pd.Series(view, index=rows.index)
