"""Country files as ministries send them: the demo data saved in each of those ways validate to
the same accepted rows and the same column totals as the original; an ambiguous file gets a
clear request, never a wrong number."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from analysis.core import paths, reference
from analysis.core.contract import TABLES
from analysis.data import columns, ingest, templates
from analysis.data.sources import read_folder
from analysis.data.validation import validate
from analysis.data.validation_report import summary
from analysis.report.cli import main

COUNTRIES = ("GTM", "CRI", "USA")  # day-first, big fees in colones, month-first
ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DECIMAL = re.compile(r"^(-?)(\d+)(?:\.(\d+))?$")


def demo_tables(country: str) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(paths.DEMO / country / f"{name}.csv", dtype=str,
                              keep_default_na=False) for name in TABLES}


@pytest.fixture(scope="module")
def originals() -> dict[str, dict[str, pd.DataFrame]]:
    return {country: demo_tables(country) for country in COUNTRIES}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, originals):
    root = tmp_path_factory.mktemp("original")
    for country, tables in originals.items():
        save_csv(root, country, tables)
    shutil.copy(paths.DEMO / "dataset.yml", root / "dataset.yml")
    return validate(read_folder(root))


def save_csv(root, folder, tables, sep=",", encoding="utf-8", title_rows=0):
    (root / folder).mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        text = frame.to_csv(index=False, sep=sep)
        if title_rows:
            text = "Ministerio del Interior\n" * (title_rows - 1) + "\n" + text
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("utf-8")
        (root / folder / f"{name}.csv").write_bytes(data)


def accepted(result, name):
    frame = result.tables[name].accepted[TABLES[name].names]
    return frame.sort_values(list(TABLES[name].key)).reset_index(drop=True)


def assert_same_outcome(result, baseline):
    """Same rows accepted (value by value), same set aside, same totals per country."""
    assert result.errors == [], [(p.code, p.file, p.column, p.value) for p in result.errors]
    got, want = summary(result)["tables"], summary(baseline)["tables"]
    assert got.keys() == want.keys()
    for name in want:
        for country, counts in want[name].items():
            mine = got[name][country]
            assert {k: mine[k] for k in ("read", "accepted", "set_aside")} == {
                k: counts[k] for k in ("read", "accepted", "set_aside")}, (name, country)
            assert mine["totals"] == pytest.approx(counts["totals"]), (name, country)
        pd.testing.assert_frame_equal(accepted(result, name), accepted(baseline, name),
                                      check_dtype=False)


# ---- the ways offices save the same data -------------------------------------------------

def labels(frame: pd.DataFrame, name: str, lang: str, header: str = "label") -> pd.DataFrame:
    """Headers and coded values as a person reads them in `lang`."""
    out = frame.copy()
    for f in TABLES[name].fields:
        if f.kind == "code":
            codes = set(reference.code_list(f.codes))
            out[f.name] = out[f.name].map(
                lambda v, f=f, codes=codes: reference.label(f.codes, v, lang)
                if v in codes else v)
        elif f.kind == "boolean":
            yes, no = ("Sí", "No") if lang == "es" else ("Yes", "no")
            out[f.name] = out[f.name].map({"true": yes, "false": no, "": ""}).fillna(
                out[f.name])
        elif f.kind == "country" and f.name != "reporting_country":
            known = set(reference.countries().index)
            out[f.name] = out[f.name].map(
                lambda v, known=known: reference.label("country", v, lang).upper()
                if v in known else v)
    titles = {"label": lambda n: columns.label(n, lang),
              "bilingual": lambda n: columns.header(n, lang),
              "shouting": lambda n: f"  {n.upper().replace('_', ' ')} "}[header]
    return out.rename(columns={n: titles(n) for n in out.columns})


def number_style(frame: pd.DataFrame, name: str, decimal: str, thousands: str) -> pd.DataFrame:
    """Numbers written with another decimal mark and thousands separator."""
    out = frame.copy()
    for f in TABLES[name].fields:
        if f.kind not in ("integer", "number"):
            continue

        def write(value: str) -> str:
            match = DECIMAL.match(value)
            if not match:
                return value
            sign, whole, part = match.groups()
            grouped = f"{int(whole):,}".replace(",", thousands) if thousands else whole
            return sign + grouped + (decimal + part if part else "")

        out[f.name] = out[f.name].map(write)
    return out


def date_style(frame: pd.DataFrame, name: str, order: str, two_digit: bool = False):
    out = frame.copy()
    for f in TABLES[name].fields:
        if f.kind != "date":
            continue

        def write(value: str) -> str:
            match = ISO_DAY.match(value)
            if not match:
                return value
            y, m, d = match.groups()
            y = y[2:] if two_digit else y
            return {"DMY": f"{d}/{m}/{y}", "MDY": f"{m}/{d}/{y}", "YMD": f"{y}/{m}/{d}"}[order]

        out[f.name] = out[f.name].map(write)
    return out


def test_semicolons_decimal_commas_spanish_labels_title_rows(tmp_path, originals, baseline):
    """A Spanish-locale office: ';', '1.500,5', 'Terrestre', 'Sí', a title above the header,
    cp1252; the folder named in Spanish and in lower case."""
    root = tmp_path / "data"
    names = {"GTM": "guatemala", "CRI": "Costa Rica", "USA": "usa"}
    for country, tables in originals.items():
        saved = {n: labels(number_style(f, n, ",", "."), n, "es") for n, f in tables.items()}
        save_csv(root, names[country], saved, sep=";", encoding="cp1252", title_rows=2)
    (root / "dataset.yml").write_text(
        'synthetic: true\nnumber_format: {decimal: ",", thousands: "."}\n', encoding="utf-8")
    assert_same_outcome(validate(read_folder(root)), baseline)


def test_utf16_tabs_english_labels_inferred_numbers(tmp_path, originals, baseline):
    """Excel's "Unicode text" (UTF-16, tabs), English labels, no declaration: decimal commas
    without thousands marks are inferred from the values themselves."""
    root = tmp_path / "data"
    for country, tables in originals.items():
        saved = {n: labels(number_style(f, n, ",", ""), n, "en", "bilingual")
                 for n, f in tables.items()}
        save_csv(root, country, saved, sep="\t", encoding="utf-16")
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    assert_same_outcome(validate(read_folder(root)), baseline)


def test_date_orders_by_country_and_declared(tmp_path, originals, baseline):
    """Undeclared: USA month-first, others day-first; a declared order overrides it."""
    root = tmp_path / "data"
    orders = {"GTM": "DMY", "CRI": "MDY", "USA": "MDY"}
    for country, tables in originals.items():
        save_csv(root, country, {n: date_style(f, n, orders[country], two_digit=country == "GTM")
                                 for n, f in tables.items()}, sep="|")
    (root / "dataset.yml").write_text(
        "synthetic: true\ncountries:\n  CRI: {date_order: MDY}\n", encoding="utf-8")
    assert_same_outcome(validate(read_folder(root)), baseline)
    # without the declaration, Costa Rica's month-first dates are read day-first: what cannot
    # be a date in that order is set aside with a reason that names the order
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    result = validate(read_folder(root))
    aside = result.tables["cases"].set_aside
    costa_rica = aside[aside["_country"] == "CRI"]
    assert "bad_date_dmy" in set(costa_rica["reason"])
    assert "bad_date_dmy" not in set(aside.loc[aside["_country"] != "CRI", "reason"])


def test_ambiguous_thousands_get_a_request_never_a_wrong_number(tmp_path, originals, baseline,
                                                                  capsys):
    """Guatemala writes '11.000' for eleven thousand; in its fee column nothing else tells
    whether the dot is a decimal mark: validation asks for the declaration."""
    root = tmp_path / "data"
    for country, tables in originals.items():
        if country == "GTM":
            tables = {n: number_style(f, n, ",", ".") for n, f in tables.items()}
        save_csv(root, country, tables)
    fees = pd.read_csv(root / "GTM" / "cases.csv", dtype=str, keep_default_na=False)[
        "fee_amount"]
    assert fees.str.fullmatch(r"\d{1,3}(\.\d{3})?|").all()  # no value gives it away
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    result = validate(read_folder(root))
    request = [p for p in result.errors if p.code == "ambiguous_number"]
    assert ("data/GTM/cases.csv", "fee_amount") in [(p.file, p.column) for p in request]
    assert all(p.file.startswith("data/GTM/") for p in request)
    example = next(p for p in request if p.column == "fee_amount").value
    assert re.fullmatch(r"\d{1,3}\.\d{3}", example)
    gtm = result.tables["cases"].accepted.query("reporting_country == 'GTM'")
    assert gtm["fee_amount"].dropna().lt(1000).all()  # no '11.000' read as 11
    alone = tmp_path / "gtm"  # the command line and a run ask for it too (Guatemala alone)
    shutil.copytree(root / "GTM", alone / "GTM")
    shutil.copy(root / "dataset.yml", alone / "dataset.yml")
    assert main(["validate", str(alone), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "number_format" in out and "fee_amount" in out and example in out
    with pytest.raises(ingest.InputError):
        ingest.ingest(alone)
    # declared for that country only: the same rows and totals as the original
    (root / "dataset.yml").write_text(
        "synthetic: true\ncountries:\n  GTM: {number_format: {decimal: ',', thousands: '.'}}\n",
        encoding="utf-8")
    assert_same_outcome(validate(read_folder(root)), baseline)


@pytest.mark.slow
def test_workbooks_as_offices_keep_them(tmp_path, originals, baseline):
    """One workbook per country named in Spanish: a merged title, real date and number cells,
    identifiers typed as numbers, a hidden notes sheet, the tables under Spanish sheet names."""
    root = tmp_path / "data"
    root.mkdir()
    names = {"GTM": "Guatemala", "CRI": "cri", "USA": "Estados Unidos"}
    sheet_names = {n: templates.i18n.t(f"dictionary.table_{n}", "es") for n in TABLES}
    for country, tables in originals.items():
        book = Workbook()
        notes = book.active
        notes.title = "Notas"
        notes.sheet_state = "hidden"
        notes["A1"] = "Enviado por la oficina de enlace"
        for name, frame in tables.items():
            sheet = book.create_sheet(sheet_names[name])
            sheet["A1"] = f"Datos de {country}: {name}"
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
            sheet.append([])
            sheet.append([columns.header(n, "es") for n in frame.columns])
            kinds = {f.name: f.kind for f in TABLES[name].fields}
            for record in frame.itertuples(index=False):
                sheet.append([_cell(v, kinds[c]) for v, c in zip(record, frame.columns,
                                                                   strict=True)])
        book.save(root / f"{names[country]}.xlsx")
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    raw = read_folder(root)
    assert sorted(raw.countries) == sorted(COUNTRIES)
    assert {p.sheet for p in raw.not_read} == {"Notas"}
    assert_same_outcome(validate(raw), baseline)


def _cell(value: str, kind: str):
    """A value as a spreadsheet would hold it after someone typed it."""
    if value == "":
        return None
    if kind == "date" and ISO_DAY.match(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    if kind in ("integer", "number") and DECIMAL.match(value):
        return float(value) if "." in value else int(value)
    return value


def test_excel_quirks_formulas_ids_as_numbers_leading_zeros(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "cases"
    sheet.append(["reporting_country", "case_id", "date", "transport_mode", "migrants",
                  "fee_amount"])
    sheet.append(["GTM", 1.0, datetime(2021, 3, 15), "Terrestre", 3, 1500.5])
    sheet.append(["GTM", 7, 44270, "air", "4", "=B3*1000"])  # a formula with no saved value
    sheet["B3"].number_format = "0000"  # the id shows as 0007
    migrants = book.create_sheet("migrants")
    migrants.append(["reporting_country", "person_id", "case_id", "nationality", "sex",
                     "age_band"])
    migrants.append(["GTM", "P1", "1", "Honduras", "Mujer", "18-29"])
    root = tmp_path / "data"
    root.mkdir()
    book.save(root / "gtm.xlsx")
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    result = validate(read_folder(root))
    cases = result.tables["cases"]
    assert list(cases.accepted["case_id"]) == ["1"]
    assert cases.accepted["date"].iloc[0] == pd.Timestamp("2021-03-15")
    assert cases.accepted["fee_amount"].iloc[0] == 1500.5
    aside = cases.set_aside.iloc[0]
    assert (aside["reason"], aside["column"], aside["row"]) == ("formula_without_value",
                                                                 "fee_amount", 3)
    assert aside["case_id"] == "0007" and aside["fee_amount"].startswith("F3")
    assert list(result.tables["migrants"].accepted["sex"]) == ["female"]
    assert list(result.tables["migrants"].accepted["nationality"]) == ["HND"]


def with_saved_values(path, values: dict[str, str]) -> None:
    """Store a saved (cached) value for formulas, as a spreadsheet program does on saving."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    for name, content in parts.items():
        if name.startswith("xl/worksheets/"):
            for formula, value in values.items():
                content = content.replace(f"<f>{formula}</f><v />".encode(),
                                          f"<f>{formula}</f><v>{value}</v>".encode())
            parts[name] = content
    with zipfile.ZipFile(path, "w") as book:
        for name, content in parts.items():
            book.writestr(name, content)


def test_formulas_are_read_by_their_saved_value(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "cases"
    sheet.append(["reporting_country", "case_id", "date", "transport_mode", "migrants",
                  "minors"])
    sheet.append(["GTM", "C1", "2021-03-15", "land", "=2+3", "=E2-4"])
    root = tmp_path / "data"
    root.mkdir()
    book.save(root / "GTM.xlsx")
    with_saved_values(root / "GTM.xlsx", {"2+3": "5", "E2-4": "1"})
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    result = validate(read_folder(root))
    row = result.tables["cases"].accepted.iloc[0]
    assert (row["migrants"], row["minors"]) == (5, 1)
    assert result.rows_set_aside == 0


def test_filled_template_validates_as_it_comes(tmp_path):
    """The template in Spanish, filled with what its drop-downs offer."""
    root = tmp_path / "data"
    root.mkdir()
    path = templates.workbook(root / "GTM.xlsx", "es")
    book = load_workbook(path)
    lists = book[templates.LISTS_SHEET]
    offered = {lists.cell(1, c).value: lists.cell(2, c).value
               for c in range(1, lists.max_column + 1)}
    place = reference.places().query("country == 'GTM'").index[0]
    values = {"reporting_country": "Guatemala", "case_id": "C-001", "date": "15/03/2021",
              "place_id": place, "transport_mode": offered["transport_mode"],
              "migrants": "12", "minors": "2", "fee_amount": "1.500,50",
              "fee_currency": offered["currency"]}
    cases = book["cases"]
    for i, name in enumerate(TABLES["cases"].names, start=1):
        cases.cell(2, i, values.get(name))
    book.save(path)
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    result = validate(read_folder(root))
    assert result.errors == [] and result.rows_set_aside == 0
    row = result.tables["cases"].accepted.iloc[0]
    assert (row["reporting_country"], row["transport_mode"], row["fee_amount"]) == (
        "GTM", reference.code_list("transport_mode")[0], 1500.5)
    assert result.not_read == []


def test_stray_files_and_folders_are_listed_not_read(tmp_path, originals, baseline, capsys):
    root = tmp_path / "data"
    for country, tables in originals.items():
        save_csv(root, country, tables)
    shutil.copy(paths.DEMO / "dataset.yml", root / "dataset.yml")
    shutil.copy(root / "GTM" / "cases.csv", root / "GTM" / "cases (copy).csv")
    (root / "GTM" / "notes.docx").write_bytes(b"PK")
    (root / "old").mkdir()
    (root / "README.txt").write_text("sent in March", encoding="utf-8")
    result = validate(read_folder(root))
    assert_same_outcome(result, baseline)
    assert sorted(p.file for p in result.not_read) == [
        "data/GTM/cases (copy).csv", "data/GTM/notes.docx", "data/README.txt", "data/old"]
    out_json = tmp_path / "summary.json"
    out_xlsx = tmp_path / "problems.xlsx"
    code = main(["validate", str(root), "--lang", "es", "--json", str(out_json),
                 "--xlsx", str(out_xlsx)])
    assert code == 2  # the demo's planted flaws are set aside
    report = capsys.readouterr().out
    assert "No leído" in report and "cases (copy).csv" in report and "Totales" in report
    written = json.loads(out_json.read_text(encoding="utf-8"))
    assert written["not_read"] == [p.file for p in result.not_read]
    assert written["errors"] == 0 and written["warnings"] == len(result.warnings)
    gtm = written["tables"]["cases"]["GTM"]
    assert set(gtm["totals"]) == {f.name for f in TABLES["cases"].fields
                                  if f.kind in ("integer", "number")}
    want = baseline.tables["cases"].accepted.query("reporting_country == 'GTM'")
    assert gtm["totals"]["migrants"] == int(want["migrants"].sum())
    assert gtm["totals"]["fee_amount"] == pytest.approx(want["fee_amount"].sum())
    rows = list(load_workbook(out_xlsx).active.iter_rows(values_only=True))
    assert rows[0] == ("Gravedad", "Archivo", "Hoja", "Fila", "Columna", "Valor",
                       "Qué está mal", "Cómo corregirlo")
    assert len(rows) - 1 == len(result.problems)
    assert all(r[6] and r[7] for r in rows[1:])


def test_same_raw_ids_in_two_countries_and_two_periods(tmp_path):
    """Case C1 exists in Guatemala (2021) and Mexico (2022): filters, joins and pseudonyms
    keep them apart."""
    from conftest import small_tables, write_folder

    root = tmp_path / "data"
    gtm, mex = small_tables("GTM"), small_tables("MEX")
    gtm["cases"]["date"] = ["2021-03-15", "2021-04-01", "2021-05-15"]
    mex["cases"]["date"] = ["2022-03-15", "2022-04-01", "2022-05-15"]
    write_folder(root, gtm)
    write_folder(root, mex, country="MEX")
    data = ingest.load(root, period="2021:2021")
    assert set(data.cases["reporting_country"]) == {"GTM"}
    assert set(data.migrants["reporting_country"]) == {"GTM"}
    assert set(data.route_legs["reporting_country"]) == {"GTM"}
    both = ingest.load(root)
    assert both.cases["case_id"].nunique() == 6  # C1 of GTM is not C1 of MEX
    joined = both.migrants.merge(both.cases, on="case_id", suffixes=("", "_case"))
    assert (joined["reporting_country"] == joined["reporting_country_case"]).all()
    assert len(joined) == len(both.migrants)


FORMS = st.fixed_dictionaries({
    "sep": st.sampled_from([",", ";", "\t", "|"]),
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]),
    "lang": st.sampled_from([None, "es", "en"]),
    "header": st.sampled_from(["label", "bilingual", "shouting"]),
    "numbers": st.sampled_from([(".", "", False), (",", "", False), (",", ".", True),
                                (".", ",", True), (",", " ", True)]),
    "order": st.sampled_from(["ISO", "DMY", "YMD"]),
    "two_digit": st.booleans(),
    "title_rows": st.integers(0, 3),
})


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(form=FORMS)
def test_any_way_of_saving_gives_the_same_rows_and_totals(tmp_path_factory, originals,
                                                         baseline, form):
    root = tmp_path_factory.mktemp("variant")
    decimal, thousands, declared = form["numbers"]
    order = form["order"]
    for country, tables in originals.items():
        saved = {}
        for name, frame in tables.items():
            frame = number_style(frame, name, decimal, thousands)
            if order != "ISO":
                frame = date_style(frame, name, order, form["two_digit"])
            if form["lang"]:
                frame = labels(frame, name, form["lang"], form["header"])
            saved[name] = frame
        save_csv(root, country, saved, form["sep"], form["encoding"], form["title_rows"])
    meta = ["synthetic: true"]
    if declared:
        meta.append(f'number_format: {{decimal: "{decimal}", thousands: "{thousands}"}}')
    if order != "ISO":
        meta.append(f"date_order: {order}")
    (root / "dataset.yml").write_text("\n".join(meta) + "\n", encoding="utf-8")
    assert_same_outcome(validate(read_folder(root)), baseline)


# ---- properties of the readers -----------------------------------------------------------

MARKS = st.sampled_from([(".", ""), (",", ""), (",", "."), (".", ","), (",", " "),
                         (",", "\u00a0"), (".", "\u202f")])


def written(value: float, decimals: int, decimal: str, thousands: str, sign: str = "") -> str:
    text = f"{abs(value):,.{decimals}f}".replace(",", "\0").replace(".", decimal)
    return ("-" if value < 0 else "") + sign + text.replace("\0", thousands)


@given(value=st.floats(-1e9, 1e9, allow_nan=False).map(lambda v: round(v, 2)),
       decimals=st.integers(0, 4), marks=MARKS, currency=st.sampled_from(["", "$", "US$ ",
                                                                            "€", "₡"]))
def test_a_declared_format_reads_every_number_back(value, decimals, marks, currency):
    from analysis.data.numbers import NumberFormat, parse

    decimal, thousands = marks
    text = written(value, decimals, decimal, thousands, currency)
    declared = NumberFormat(decimal, thousands.strip() and thousands)
    parsed, unclear = parse(pd.Series([text]), declared)
    assert parsed[0] == pytest.approx(round(value, decimals), abs=1e-9)
    assert not unclear[0]


@given(values=st.lists(st.integers(0, 10**8), min_size=1, max_size=6),
       decimals=st.sampled_from([0, 1, 2, 3]), marks=MARKS)
def test_undeclared_numbers_are_right_or_flagged_never_wrong(values, decimals, marks):
    """Whatever mix a column holds, each value is read right, or flagged as ambiguous."""
    from analysis.data.numbers import parse

    decimal, thousands = marks
    numbers = [v / 10**decimals for v in values]
    texts = [written(v, decimals, decimal, thousands) for v in numbers]
    parsed, unclear = parse(pd.Series(texts))
    for number, got, flagged in zip(numbers, parsed, unclear, strict=True):
        assert flagged or got == pytest.approx(number, abs=1e-9)
        assert not (flagged and not pd.isna(got))


@given(day=st.dates(datetime(1990, 1, 1).date(), datetime(2025, 12, 31).date()),
       order=st.sampled_from(["DMY", "MDY", "YMD"]), sep=st.sampled_from(["/", "-", "."]),
       two_digit=st.booleans())
def test_a_date_written_in_the_declared_order_reads_back(day, order, sep, two_digit):
    from analysis.data.dates import parse

    year = f"{day.year % 100:02d}" if two_digit else str(day.year)
    parts = {"DMY": (f"{day.day:02d}", f"{day.month:02d}", year),
             "MDY": (f"{day.month:02d}", f"{day.day:02d}", year),
             "YMD": (year, f"{day.month:02d}", f"{day.day:02d}")}[order]
    dates, impossible = parse(pd.Series([sep.join(parts)]), order)
    assert dates[0] == pd.Timestamp(day) and not impossible[0]


def test_a_quoted_header_line_names_its_separator(tmp_path):
    """Excel sometimes saves each line as one quoted cell: the report says which separator."""
    from conftest import small_tables, write_folder

    root = write_folder(tmp_path / "data", small_tables())
    frame = small_tables()["cases"]
    lines = [";".join(frame.columns)] + [";".join(r) for r in frame.astype(str).to_numpy()]
    (root / "GTM" / "cases.csv").write_text("\n".join(f'"{line}"' for line in lines),
                                            encoding="utf-8")
    result = validate(read_folder(root))
    problem = next(p for p in result.errors if p.code == "one_column_header")
    assert (problem.file, problem.detail) == ("data/GTM/cases.csv", ";")
    assert main(["validate", str(root), "--lang", "es"]) == 1


def test_rows_with_extra_cells_and_bad_declarations_are_reported(tmp_path):
    from conftest import small_tables, write_folder

    root = write_folder(tmp_path / "data", small_tables())
    path = root / "GTM" / "cases.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",surprise"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "dataset.yml").write_text(
        "synthetic: true\ndate_order: DAY-FIRST\ncountries:\n  GTM: {number_format: "
        "{decimal: ',', thousands: ','}}\n  Atlantis: {date_order: MDY}\n", encoding="utf-8")
    result = validate(read_folder(root))
    aside = result.tables["cases"].set_aside
    assert list(aside[["reason", "row"]].itertuples(index=False, name=None)) == [
        ("extra_cells", 3)]
    bad = sorted((p.code, p.column) for p in result.errors)
    assert bad == [("bad_declaration", "countries.Atlantis"),
                   ("bad_declaration", "countries.GTM.number_format"),
                   ("bad_declaration", "date_order")]


def test_hidden_sheets_and_merged_cells_are_read_and_reported(tmp_path):
    from conftest import small_tables

    root = tmp_path / "data"
    root.mkdir()
    tables = small_tables("HND")
    tables["cases"]["reporting_country"] = ["HND", "", ""]  # merged down in the workbook
    book = Workbook()
    book.remove(book.active)
    for name, frame in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(list(frame.columns))
        for record in frame.itertuples(index=False):
            sheet.append([v or None for v in record])
    book["cases"].merge_cells("A2:A4")
    book["actors"].sheet_state = "hidden"
    book.save(root / "Honduras.xlsx")
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    result = validate(read_folder(root))
    assert result.errors == [] and result.rows_set_aside == 0
    assert list(result.tables["cases"].accepted["reporting_country"]) == ["HND"] * 3
    warned = {(p.code, p.sheet, p.value) for p in result.warnings}
    assert ("merged_cells", "cases", "A2:A4") in warned
    assert ("hidden_sheet", "actors", "") in warned


LINE = st.lists(st.sampled_from(["reporting_country", "Fecha", "CASE ID", "Modo de transporte",
                                 "migrants", "GTM", "C1", "15/03/2021", "03/15/2021",
                                 "8.000", "1.500,5", "Terrestre", "", '"', '"a;b"', "\t",
                                 "=1+1", "44270", "\u00a0", "ñ"]), max_size=8)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINE, max_size=12), sep=st.sampled_from([",", ";", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
@pytest.mark.slow
def test_hostile_text_files_never_crash_and_reconcile(tmp_path_factory, lines, sep, encoding):
    from conftest import small_tables, write_folder

    root = write_folder(tmp_path_factory.mktemp("hostile"), small_tables())
    content = "\n".join(sep.join(cells) for cells in lines)
    (root / "GTM" / "cases.csv").write_bytes(content.encode(encoding, errors="replace"))
    result = validate(read_folder(root))
    for checked in result.tables.values():
        for row in checked.counts.itertuples():
            assert row.read == row.accepted + row.set_aside
    assert all(p.code and p.file for p in result.problems)
