"""Excel files written twice from the same content are the same bytes."""

from __future__ import annotations

import time
import zipfile

from openpyxl import Workbook, load_workbook

from analysis.core import workbooks
from analysis.data import templates


def _book() -> Workbook:
    book = Workbook()
    book.active.append(["país", 1, 2.5])
    return book


def test_a_workbook_saved_twice_is_the_same_file(tmp_path):
    first = workbooks.save(_book(), tmp_path / "a.xlsx")
    time.sleep(2.1)  # zip entries keep time to two seconds
    second = workbooks.save(_book(), tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z</dcterms:modified>" in archive.read("docProps/core.xml")
    assert list(load_workbook(first).active.values) == [("país", 1, 2.5)]


def test_the_data_template_is_the_same_file_each_time(tmp_path):
    one = templates.workbook(tmp_path / "one.xlsx", "es")
    time.sleep(2.1)
    two = templates.workbook(tmp_path / "two.xlsx", "es")
    assert one.read_bytes() == two.read_bytes()
