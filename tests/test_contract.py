"""The contract, the data dictionary and the Excel templates come from the same objects."""

from __future__ import annotations

from openpyxl import load_workbook

from analysis.core import reference
from analysis.core.contract import TABLES
from analysis.data import templates
from analysis.report.cli import main


def test_every_code_list_exists():
    for table in TABLES.values():
        for f in table.fields:
            if f.codes:
                assert reference.code_list(f.codes), f.name


def test_keys_and_references_name_real_fields():
    for table in TABLES.values():
        assert set(table.key) <= set(table.names)
        assert table.names[0] == "reporting_country"
        for f in table.fields:
            if f.references:
                target, field = f.references
                assert field in TABLES[target].names


def test_dictionary_lists_every_field_in_both_languages():
    for lang in ("es", "en"):
        text = templates.dictionary(lang)
        for table in TABLES.values():
            assert f"## `{table.name}`" in text
            for name in table.names:
                assert f"| `{name}` |" in text
    assert "Obligatoria" in templates.dictionary("es")
    assert "Required" in templates.dictionary("en")


def test_template_command_writes_workbook_with_drop_downs(tmp_path):
    assert main(["template", str(tmp_path), "--lang", "en"]) == 0
    book = load_workbook(tmp_path / "TEMPLATE.xlsx")
    assert set(TABLES) <= set(book.sheetnames)
    cases = book["cases"]
    assert [c.value for c in cases[1]][:2] == ["Reporting country (reporting_country)",
                                               "Case identifier (case_id)"]
    assert [str(c.value).rsplit("(", 1)[1].rstrip(")") for c in cases[1]] == TABLES[
        "cases"].names
    rules = {str(r.sqref).split(":")[0]: r.formula1 for r in cases.data_validations.dataValidation}
    mode_col = TABLES["cases"].names.index("transport_mode") + 1
    letter = cases.cell(row=2, column=mode_col).coordinate
    lists = book["lists"]
    column = rules[letter].split("!")[1].split(":")[0].replace("$", "")[0]
    values = [c.value for c in lists[column]][1:]
    assert values[: len(reference.code_list("transport_mode"))] == [
        reference.label("transport_mode", c, "en") for c in reference.code_list("transport_mode")]
    assert (tmp_path / "data_dictionary_es.md").is_file()
    header = (tmp_path / "csv_template" / "links.csv").read_text().strip()
    assert header.startswith('"Reporting country (reporting_country)","Source (source)"')
