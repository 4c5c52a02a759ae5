"""Hostile input: broken folders and workbooks end in a clear report or a set-aside row,
never a traceback, and every row read is accounted for."""

from __future__ import annotations

import string

import pandas as pd
import pytest
from conftest import small_tables, write_folder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from analysis.core.contract import TABLES
from analysis.data.sources import read_folder
from analysis.data.validation import validate
from analysis.report.cli import main

NASTY = st.sampled_from([
    "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1:A2)", "-2+3", "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>", "2021-02-30", "31/13/2020", "9999-99-99", "1e308", "-1",
    "-999999999999", "NaN", "None", "null", "ñandú", "日本語", "\u202etxt", "A" * 5000, "0x1F",
    "1,2,3", '"quoted"', "semi;colon", "  ", "\t", "true", "GTM", "XXX",
])
CELL = st.one_of(NASTY, st.text(alphabet=string.printable, max_size=30),
                 st.integers(-10**12, 10**12).map(str), st.floats(allow_nan=True).map(str))


def assert_reconciles(result) -> None:
    for checked in result.tables.values():
        for row in checked.counts.itertuples():
            assert row.read == row.accepted + row.set_aside


@st.composite
def broken_tables(draw):
    tables = small_tables()
    name = draw(st.sampled_from(sorted(tables)))
    frame = tables[name].copy()
    for _ in range(draw(st.integers(1, 6))):
        if frame.empty:
            break
        row = draw(st.integers(0, len(frame) - 1))
        column = draw(st.sampled_from(list(frame.columns)))
        frame.loc[frame.index[row], column] = draw(CELL)
    if draw(st.booleans()) and len(frame.columns) > 1:
        frame = frame.drop(columns=draw(st.sampled_from(list(frame.columns))))
    if draw(st.booleans()):
        frame = pd.concat([frame, frame.iloc[:1]])  # a duplicated row
    tables[name] = frame
    return tables, name


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=broken_tables(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
@pytest.mark.slow
def test_broken_folder_never_crashes_and_reconciles(tmp_path_factory, case, encoding):
    tables, broken = case
    root = write_folder(tmp_path_factory.mktemp("data"), tables)
    text = tables[broken].to_csv(index=False)
    path = root / "GTM" / f"{broken}.csv"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8"))
    result = validate(read_folder(root))
    assert_reconciles(result)
    for problem in result.problems:
        assert problem.code and problem.file


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.slow
@given(case=broken_tables(), duplicate=st.booleans())
def test_broken_workbook_gives_a_clear_report(tmp_path_factory, capsys, case, duplicate):
    tables, broken = case
    root = tmp_path_factory.mktemp("book")
    # control characters such as form feed cannot be stored in a workbook at all
    tables = {name: frame.map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str)
                              else v) for name, frame in tables.items()}
    with pd.ExcelWriter(root / "GTM.xlsx") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name, index=False)
        if duplicate:  # the same table twice, under another spelling
            tables[broken].to_excel(writer, sheet_name=f"{broken.upper()}_", index=False)
    (root / "dataset.yml").write_text("synthetic: true\n", encoding="utf-8")
    code = main(["validate", str(root), "--lang", "en"])
    captured = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in captured.out + captured.err
    assert "Rows by table and country" in captured.out or "ERROR" in captured.out
    assert_reconciles(validate(read_folder(root)))


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary", b"\xff\xfe\x00", b"   \n\n",
                                     b"case_id\n\"unterminated", b"PK\x03\x04not a zip"])
def test_garbage_files(tmp_path, capsys, content):
    root = write_folder(tmp_path / "data", small_tables())
    (root / "GTM" / "cases.csv").write_bytes(content)
    (root / "HND.xlsx").write_bytes(content)
    code = main(["validate", str(root), "--lang", "es"])
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.out + out.err
    assert "ERROR" in out.out


def test_every_table_survives_all_columns_empty(tmp_path):
    tables = {name: pd.DataFrame({c: ["", ""] for c in t.names}) for name, t in TABLES.items()}
    root = write_folder(tmp_path / "data", tables)
    result = validate(read_folder(root))
    assert_reconciles(result)
    assert all(c.accepted.empty for c in result.tables.values())
