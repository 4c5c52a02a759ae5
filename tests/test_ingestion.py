"""Ingestion: reading folders and workbooks, validation, set-aside rows, reconciliation."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import small_tables, write_folder

from analysis.core import paths, privacy
from analysis.data import ingest as io
from analysis.data.sources import read_folder
from analysis.data.validation import validate
from analysis.report.cli import main


def check(folder):
    return validate(read_folder(folder))


def reasons(result, table):
    return list(result.tables[table].set_aside["reason"])


def test_valid_folder_is_accepted_whole(small_folder):
    result = check(small_folder)
    assert result.errors == []
    assert result.rows_set_aside == 0
    counts = result.tables["cases"].counts.iloc[0]
    assert (counts["read"], counts["accepted"], counts["set_aside"]) == (3, 3, 0)


def test_values_are_typed_and_normalized(small_folder):
    io.ingest(small_folder)
    data = io.load(small_folder)
    cases = data.cases.sort_values("date")
    assert list(cases["migrants"]) == [12, 3, 1]
    assert cases["fee_amount"].iloc[1] == pytest.approx(1500.5)  # decimal comma, thousands dot
    assert list(cases["date"].dt.strftime("%Y-%m-%d")) == ["2021-03-15", "2021-04-01",
                                                           "2022-05-15"]
    assert set(cases["fee_currency"].dropna()) == {"USD"}
    assert set(data.migrants["nationality"]) == {"HND", "GTM", "VEN"}
    assert data.migrants["unaccompanied_child"].tolist()[:2] == [True, False]


def test_missing_file(small_folder):
    (small_folder / "GTM" / "cases.csv").unlink()
    result = check(small_folder)
    assert [p.code for p in result.errors] == ["missing_file"]
    assert "cases" in result.errors[0].file


def test_missing_optional_file_is_a_warning(small_folder):
    (small_folder / "GTM" / "incidents.csv").unlink()
    result = check(small_folder)
    assert result.errors == []
    assert any(p.code == "missing_file" and p.severity == "warning" for p in result.problems)


def test_missing_column_sets_aside_every_row(small_folder):
    tables = small_tables()
    tables["migrants"] = tables["migrants"].drop(columns="sex")
    write_folder(small_folder, tables)
    result = check(small_folder)
    assert any(p.code == "missing_column" and p.column == "sex" for p in result.problems)
    assert reasons(result, "migrants") == ["missing_column"] * 3


@pytest.mark.parametrize(
    ("table", "column", "value", "reason"),
    [
        ("migrants", "nationality", "XYZ", "unknown_country"),
        ("cases", "date", "2021-02-30", "bad_date"),
        ("cases", "date", "2999-01-01", "bad_date"),
        ("cases", "migrants", "-4", "negative"),
        ("cases", "migrants", "many", "not_a_number"),
        ("cases", "transport_mode", "teleport", "unknown_code"),
        ("cases", "place_id", "NOWHERE-1", "unknown_place"),
        ("cases", "associated_crimes", "extortion;piracy", "unknown_code"),
        ("migrants", "unaccompanied_child", "maybe", "not_yes_no"),
    ],
)
def test_bad_value_sets_aside_the_row(small_folder, table, column, value, reason):
    tables = small_tables()
    tables[table].loc[0, column] = value
    write_folder(small_folder, tables)
    result = check(small_folder)
    aside = result.tables[table].set_aside
    assert list(aside["reason"]) == [reason]
    assert list(aside["column"]) == [column]
    assert list(aside["row"]) == [2]  # the first data row is spreadsheet row 2
    problem = next(p for p in result.problems if p.severity == "row")
    assert (problem.table, problem.row, problem.column) == (table, 2, column)


def test_duplicate_key_keeps_the_first(small_folder):
    tables = small_tables()
    tables["cases"] = pd.concat([tables["cases"], tables["cases"].iloc[[1]]])
    write_folder(small_folder, tables)
    result = check(small_folder)
    assert reasons(result, "cases") == ["duplicate_key"]
    assert list(result.tables["cases"].set_aside["row"]) == [5]


def test_dangling_reference(small_folder):
    tables = small_tables()
    tables["migrants"].loc[2, "case_id"] = "C404"
    tables["links"].loc[1, "target"] = "A404"
    write_folder(small_folder, tables)
    result = check(small_folder)
    assert reasons(result, "migrants") == ["dangling_reference"]
    assert reasons(result, "links") == ["dangling_reference"]
    assert list(result.tables["migrants"].set_aside["row"]) == [4]


def test_utf16_is_read_and_binary_refused(small_folder):
    path = small_folder / "GTM" / "cases.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace(",", "\t").encode("utf-16"))  # Excel's "Unicode text"
    result = check(small_folder)
    assert result.errors == [] and result.rows_set_aside == 0
    path.write_bytes(b"\x00\x01\x02" + text.encode("utf-8"))
    assert [p.code for p in check(small_folder).errors] == ["bad_encoding"]


def test_latin1_and_bom_are_read(small_folder):
    tables = small_tables()
    tables["actors"].loc[0, "alias"] = "Señor Ñandú"
    write_folder(small_folder, tables)
    (small_folder / "GTM" / "actors.csv").write_bytes(
        tables["actors"].to_csv(index=False).encode("latin-1"))
    (small_folder / "GTM" / "cases.csv").write_bytes(
        b"\xef\xbb\xbf" + tables["cases"].to_csv(index=False).encode("utf-8"))
    result = check(small_folder)
    assert result.errors == [] and result.rows_set_aside == 0


def test_empty_file(small_folder):
    (small_folder / "GTM" / "cases.csv").write_text("", encoding="utf-8")
    result = check(small_folder)
    assert [p.code for p in result.errors] == ["empty_file"]


def test_unknown_country_folder_is_listed_as_not_read(small_folder):
    write_folder(small_folder, small_tables("MEX"), country="backup")
    result = check(small_folder)
    assert result.errors == []
    assert [(p.code, p.file) for p in result.not_read] == [("folder_not_a_country",
                                                             "data/backup")]


def test_workbook_with_extra_sheets_and_blank_rows(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    tables = small_tables("HND")
    with pd.ExcelWriter(root / "HND.xlsx") as writer:
        notes = pd.DataFrame({"Notes": ["filled in by hand"]})
        notes.to_excel(writer, sheet_name="notes", index=False)
        for name, frame in tables.items():
            if name == "cases":  # a title line, a blank line, then the table
                frame = pd.concat([frame.iloc[:1], frame.iloc[:0].reindex([0]), frame.iloc[1:]])
                frame.iloc[1] = ""
            frame.to_excel(writer, sheet_name=name, index=False)
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    result = check(root)
    assert result.errors == []
    assert result.rows_set_aside == 0
    assert result.tables["cases"].counts.iloc[0]["read"] == 3
    bad = small_tables("HND")
    bad["cases"].loc[2, "date"] = "31/02/2022"
    with pd.ExcelWriter(root / "HND.xlsx") as writer:
        for name, frame in bad.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    problem = next(p for p in check(root).problems if p.severity == "row")
    assert (problem.sheet, problem.row, problem.column) == ("cases", 4, "date")


def test_rows_reconcile_per_table_and_country(small_folder):
    tables = small_tables()
    tables["cases"].loc[1, "date"] = "not a date"  # case C2 set aside: migrant P3 dangles
    write_folder(small_folder, tables)
    write_folder(small_folder, small_tables("MEX"), country="MEX")
    result = check(small_folder)
    for checked in result.tables.values():
        for row in checked.counts.itertuples():
            assert row.read == row.accepted + row.set_aside
    cases = result.tables["cases"].counts.set_index("reporting_country")
    assert cases.loc["GTM", "set_aside"] == 1 and cases.loc["MEX", "set_aside"] == 0
    assert reasons(result, "migrants") == ["dangling_reference"]


def test_identifiers_are_pseudonymized_and_direct_identifiers_dropped(small_folder):
    io.ingest(small_folder)
    cache = paths.cache_dir(small_folder)
    text = b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file())
    for raw in (b"Ana Example", b"El Ejemplo", b"EXP-2021-0001"):
        assert raw not in text
    data = io.load(small_folder)
    assert "full_name" not in data.migrants.columns and "alias" not in data.actors.columns
    key = privacy.DEMO_KEY.encode()
    assert set(data.cases["case_id"]) == {privacy.pseudonym(f"GTM/{c}", key, "C") for c in
                                          ("C1", "C2", "C3")}
    # references still join after pseudonymization
    assert set(data.migrants["case_id"]) <= set(data.cases["case_id"])
    assert set(data.links["source"]) | set(data.links["target"]) <= set(data.actors["actor_id"])


def test_pseudonyms_depend_on_the_key(small_folder, monkeypatch):
    io.ingest(small_folder)
    first = set(io.load(small_folder).actors["actor_id"])
    monkeypatch.setenv(privacy.KEY_ENV, "another secret key")
    io.ingest(small_folder)
    second = set(io.load(small_folder).actors["actor_id"])
    assert first.isdisjoint(second) and len(first) == len(second) == 3


def test_real_data_without_a_key_stops_clearly(tmp_path, capsys):
    root = write_folder(tmp_path / "real", small_tables(), synthetic=False)
    with pytest.raises(privacy.MissingKey):
        io.ingest(root)
    assert main(["run", "--data", str(root), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "ANALYSIS_PSEUDONYM_KEY" in err and "Traceback" not in err


def test_cache_refreshes_when_inputs_change(small_folder):
    assert len(io.load(small_folder).cases) == 3
    tables = small_tables()
    tables["cases"] = tables["cases"].iloc[:2]
    tables["migrants"] = tables["migrants"].iloc[:2]
    write_folder(small_folder, tables)
    assert len(io.load(small_folder).cases) == 2


def test_set_aside_rows_stay_private(small_folder):
    tables = small_tables()
    tables["migrants"].loc[0, "sex"] = "unknown-sex"
    write_folder(small_folder, tables)
    io.ingest(small_folder)
    aside = pd.read_csv(paths.set_aside_dir(small_folder) / "migrants.csv")
    assert list(aside["reason"]) == ["unknown_code"]
    assert not str(paths.set_aside_dir(small_folder)).startswith(str(paths.REPORTS))



def test_validate_keeps_set_aside_rows_and_validates_once(small_folder, monkeypatch):
    tables = small_tables()
    tables["migrants"].loc[0, "sex"] = "unknown-sex"
    write_folder(small_folder, tables)
    calls = []
    monkeypatch.setattr(io, "validate_folder", lambda *a, **k: calls.append(a))  # not used
    assert main(["validate", str(small_folder), "--lang", "en"]) == 2
    aside = pd.read_csv(paths.set_aside_dir(small_folder) / "migrants.csv")
    assert list(aside["reason"]) == ["unknown_code"]
    assert calls == []  # the rows came from the one validation, not from an ingestion
    assert not (paths.cache_dir(small_folder) / "ingest.json").exists()

def test_filters_by_country_and_period(small_folder):
    write_folder(small_folder, small_tables("MEX"), country="MEX")
    data = io.load(small_folder, countries="MEX", period="2021:2021")
    assert set(data.cases["reporting_country"]) == {"MEX"}
    assert len(data.cases) == 2
    assert set(data.migrants["case_id"]) <= set(data.cases["case_id"])


def test_numbers_stored_as_text():
    from analysis.data.numbers import NumberFormat, parse

    values = pd.Series(["1.234,5", "12", " 7", "1.234.567", "US$ 1\u00a0500,25", "x", ""])
    parsed, unclear = parse(values)
    assert parsed.tolist()[:5] == [1234.5, 12, 7, 1234567, 1500.25]
    assert parsed[5:].isna().all() and not unclear.any()
    assert parse(pd.Series(["1,234.5", "8,000"]))[0].tolist() == [1234.5, 8000]
    parsed, unclear = parse(pd.Series(["8.000", "12"]))
    assert pd.isna(parsed[0]) and unclear.tolist() == [True, False]
    assert parse(pd.Series(["8.000"]), NumberFormat(",", "."))[0].tolist() == [8000]
    assert parse(pd.Series(["-80.321"]), below_thousand=True)[0].tolist() == [-80.321]


def test_a_closed_dataset_lets_its_connection_go_and_another_load_reads_on(small_folder):
    first = io.load(small_folder)
    cases = len(first.query("SELECT * FROM cases"))
    first.close()  # the runner closes the whole dataset once its digests are taken
    with pytest.raises(Exception, match="(?i)closed"):
        first.query("SELECT * FROM cases")
    assert len(io.load(small_folder).query("SELECT * FROM cases")) == cases > 0
