"""Official flow statistics: the `flows` contract table and `analysis import-flows`.

Unit tests run on small files written here; acceptance tests read the public files in
../shared/realdata/official_flows and skip when that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import REALDATA

from analysis.core import i18n
from analysis.core.contract import TABLES
from analysis.data import ingest as ingestion
from analysis.data.adapters.flows import FlowsImportError, UnknownLayout, import_flows, views
from analysis.report import cli

FLOWS_DIR = REALDATA / "official_flows"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def official() -> list[Path]:
    if not FLOWS_DIR.is_dir():
        pytest.skip(f"official flow statistics not found at {FLOWS_DIR}")
    return sorted(FLOWS_DIR.glob("*.csv"))


@pytest.fixture(scope="module")
def real_import(tmp_path_factory):
    files = official()
    out = tmp_path_factory.mktemp("flows") / "data"
    return import_flows(files, out, lang="en")


def year_total(flows: pd.DataFrame, country: str, event: str, year: str, breakdown: str,
               **where: str) -> int:
    rows = flows[(flows.reporting_country == country) & (flows.event == event)
                 & (flows.breakdown == breakdown) & flows.period.str.startswith(year)]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return int(rows["count"].sum())


# --------------------------------------------------------------------------- the public files


def test_readme_facts_are_reproduced_exactly(real_import):
    flows = real_import.flows
    for view in ("nationality", "sex_age"):
        assert year_total(flows, "PAN", "irregular_transit", "2023", view) == 520_085
    assert year_total(flows, "PAN", "irregular_transit", "2023", "nationality",
                      nationality="VEN") == 328_650
    for view in ("total", "nationality", "sex_age"):
        assert year_total(flows, "HND", "irregular_entry", "2023", view) == 545_043
    encounters = views.encounters(flows).set_index(["reporting_country", "year"])["count"]
    assert encounters[("USA", "2022")] == 2_579_026


def test_every_row_is_accounted_for_and_printed_totals_equal_the_file_sums(real_import):
    for f in real_import.files:
        assert f.reconciles, f.file
        assert f.read == len(pd.read_csv(FLOWS_DIR / f.file))
    darien = pd.read_csv(FLOWS_DIR / "irreg_darien_nat.csv")
    file_sums = darien.groupby(darien.t.str[:4])["n"].sum().astype(int)
    totals = real_import.totals.query("reporting_country == 'PAN' and breakdown == 'nationality'")
    assert dict(zip(totals.year, totals["count"], strict=True)) == file_sums.to_dict()


def test_mexico_2024_disagreement_is_reported_with_both_totals(real_import):
    found = real_import.disagreements.query("reporting_country == 'MEX' and year == '2024'")
    assert len(found) == 1
    assert {found.total_a.iloc[0], found.total_b.iloc[0]} == {1_231_320, 1_230_126}
    for lang in ("en", "es"):
        text = real_import.render(lang)
        assert i18n.fmt_number(1_231_320, lang) in text
        assert i18n.fmt_number(1_230_126, lang) in text
        assert i18n.fmt_number(2_579_026, lang) in text


def test_darien_annual_rows_become_years_not_january(real_import):
    pan = real_import.flows.query("reporting_country == 'PAN'")
    early = pan[pan.period.str[:4] < "2020"]
    assert len(early) and set(early.period.str.len()) == {4}
    assert "2020-01" in set(pan.period)


def test_import_validates_without_a_row_set_aside(real_import, tmp_path):
    result = ingestion.ingest(real_import.out_dir)
    assert not result.errors
    checked = result.tables["flows"]
    assert len(checked.set_aside) == 0
    assert len(ingestion.load(real_import.out_dir).flows) == len(real_import.flows)
    meta = yaml.safe_load((real_import.out_dir / "dataset.yml").read_text(encoding="utf-8"))
    assert meta["synthetic"] is False
    assert {s["file"] for s in meta["sources"]} == {p.name for p in official()}
    assert all(len(s["sha256"]) == 64 and s["producer"] for s in meta["sources"])


# --------------------------------------------------------------------------- small files


def test_gdidata_darien_annual_rows_and_a_misplaced_annual_row(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = write(folder / "irreg_darien_nat.csv",
                 "t,nat,n\n2019-01,VEN,10.0\n2018-03,CUB,4.0\n2020-01,VEN,7.0\n")
    report = import_flows([path], tmp_path / "out")
    assert sorted(report.flows.period) == ["2019", "2020-01"]
    assert report.files[0].set_aside == {"annual_not_january": 1}
    assert report.files[0].reconciles


def test_cbp_published_layout_fiscal_years_names_and_children(tmp_path):
    text = (
        "Fiscal Year,Month (abbv),Component,Land Border Region,Area of Responsibility,"
        "AOR (Abbv),Demographic,Citizenship,Title of Authority,Encounter Type,Encounter Count\n"
        "2023,OCT,U.S. Border Patrol,Southwest Land Border,Tucson Sector,TCA,UAC,"
        '"CHINA, PEOPLES REPUBLIC OF",Title 8,Apprehensions,"1,234"\n'
        "2023,SEP,U.S. Border Patrol,Southwest Land Border,Tucson Sector,TCA,"
        "UC / Single Minors,MYANMAR (BURMA),Title 8,Apprehensions,5\n"
        "2024 (FYTD),JAN,Office of Field Operations,Southwest Land Border,"
        "San Diego Field Office,SDC,FMUA,OTHER,Title 8,Inadmissibles,7\n"
        "2023,DEC,U.S. Border Patrol,Southwest Land Border,Yuma Sector,YUM,Single Adults,"
        "ATLANTIS,Title 8,Apprehensions,3\n"
    )
    path = write(tmp_path / "sw-land-border-encounters.csv", text)
    report = import_flows([path], tmp_path / "out")
    flows = report.flows.set_index("period")
    assert set(flows.index) == {"2022-10", "2023-09", "2024-01"}
    assert flows.loc["2022-10", "count"] == 1234
    assert flows.loc["2022-10", "nationality"] == "CHN"
    assert flows.loc["2023-09", "nationality"] == "MMR"
    assert flows.loc["2024-01", "nationality"] == "OOO"
    assert flows.loc["2022-10", "age_group"] == flows.loc["2023-09", "age_group"] == (
        "unaccompanied_child")
    assert flows.loc["2024-01", "event"] == "inadmissible"
    assert report.files[0].set_aside == {"unknown_nationality": 1}
    assert report.set_aside.iloc[0]["_value"] == "ATLANTIS"
    assert report.files[0].read == 4 and report.files[0].reconciles


def test_generic_spanish_long_format_with_country_and_event_options(tmp_path):
    text = ("Año;Mes;Nacionalidad;Sexo;Cantidad\n"
            "2023;enero;Venezuela;Hombres;1.234\n"
            "2023;Febrero;Haití;mujer;15\n"
            "2023;marzo;Venezuela;hombre;-3\n"
            "2023;abril;Venezuela;hombre;muchos\n"
            "2023;mayo;Venezuela;hombre;2,5\n"
            "2022;;Cuba;mujer;40\n")
    path = write(tmp_path / "honduras.csv", text, encoding="cp1252")
    report = import_flows([path], tmp_path / "out", country="HND", event="irregular_entry")
    flows = report.flows.set_index("period")
    assert flows.loc["2023-01", "nationality"] == "VEN"
    assert flows.loc["2023-01", "count"] == 1234
    assert flows.loc["2023-02", "nationality"] == "HTI"
    assert flows.loc["2022", "count"] == 40  # a year without a month is an annual figure
    assert set(report.flows.breakdown) == {"nationality_sex"}
    assert set(report.flows.unit) == {"persons"}
    assert report.files[0].set_aside == {"negative": 1, "not_a_number": 1, "not_an_integer": 1}
    assert report.files[0].reconciles
    aside = pd.read_csv(report.set_aside_file, dtype=str)
    assert sorted(aside["value"]) == ["-3", "2,5", "muchos"]
    assert sorted(aside["row"].astype(int)) == [4, 5, 6]
    assert set(aside["file"]) == {"honduras.csv"}
    assert (tmp_path / "out" / "HND" / "flows.csv").is_file()


def test_generic_english_format_with_columns_for_everything(tmp_path):
    text = ("reporting country,period,event,nationality,age group,count,source\n"
            "Mexico,2024-03,Deportations,Guatemala,adult,20,UPM\n"
            "MEX,2024-03-01,assisted return,GTM,unaccompanied minors,3,UPM\n"
            "MEX,2024-04,irregular_stay,Narnia,adult,3,UPM\n")
    path = write(tmp_path / "mexico.csv", text)
    report = import_flows([path], tmp_path / "out")
    flows = report.flows
    assert set(flows.reporting_country) == {"MEX"}
    assert set(flows.event) == {"deportation", "assisted_return"}
    assert set(flows.age_group) == {"adult", "unaccompanied_child"}
    assert set(flows.period) == {"2024-03"}
    assert set(flows.breakdown) == {"nationality_age"}
    assert report.files[0].set_aside == {"unknown_nationality": 1}


def test_a_file_without_reporting_country_or_event_sets_rows_aside_with_the_reason(tmp_path):
    path = write(tmp_path / "plain.csv", "year,month,count\n2023,1,5\n")
    report = import_flows([path], tmp_path / "out")
    assert report.files[0].set_aside == {"no_reporting_country": 1}
    assert report.flows.empty


def test_the_same_file_twice_is_not_counted_twice(tmp_path):
    path = write(tmp_path / "irreg_honduras.csv", "t,n\n2023-01,100\n2023-02,50\n")
    report = import_flows([path, path], tmp_path / "out")
    assert int(report.flows["count"].sum()) == 150
    assert report.files[1].set_aside == {"already_imported": 2}


def test_unknown_layout_names_the_columns_it_needs(tmp_path):
    path = write(tmp_path / "mystery.csv", "foo,bar\n1,2\n")
    with pytest.raises(UnknownLayout) as error:
        import_flows([path], tmp_path / "out")
    message = str(error.value)
    assert "mystery.csv" in message and "foo, bar" in message
    assert "Fiscal Year" in message and "Encounter Count" in message and "count" in message


def test_cli_unknown_layout_and_bad_options_are_messages_not_tracebacks(tmp_path, capsys):
    path = write(tmp_path / "mystery.csv", "foo,bar\n1,2\n")
    assert cli.main(["import-flows", str(path), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "mystery.csv" in err
    good = write(tmp_path / "x.csv", "year,count\n2023,4\n")
    assert cli.main(["import-flows", str(good), "--out", str(tmp_path / "o"),
                     "--event", "teleport", "--lang", "es"]) == 1
    assert "--event teleport" in capsys.readouterr().err
    assert cli.main(["import-flows", str(good), "--out", str(tmp_path / "o"),
                     "--country", "GTM", "--event", "irregular_entry"]) == 0
    assert "rows read 1 = imported 1 + set aside 0" in capsys.readouterr().out


def test_out_folder_with_other_content_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    path = write(tmp_path / "irreg_honduras.csv", "t,n\n2023-01,100\n")
    with pytest.raises(FlowsImportError):
        import_flows([path], out)
    assert (out / "notes.txt").is_file()


def test_contract_period_accepts_months_and_years_only(tmp_path):
    folder = tmp_path / "data" / "HND"
    folder.mkdir(parents=True)
    (folder / "cases.csv").write_text("reporting_country,case_id,date,transport_mode,migrants\n")
    (folder / "flows.csv").write_text(
        "reporting_country,period,event,breakdown,unit,count,source,source_table\n"
        "HND,2023-04,irregular_entry,total,persons,5,INM,t\n"
        "HND,2019,irregular_entry,total,persons,9,INM,t\n"
        "HND,2023-13,irregular_entry,total,persons,5,INM,t\n"
        "HND,2023-05,irregular_entry,total,persons,-1,INM,t\n", encoding="utf-8")
    result = ingestion.ingest(tmp_path / "data")
    checked = result.tables["flows"]
    assert sorted(ingestion.load(tmp_path / "data").flows["period"]) == ["2019", "2023-04"]
    assert sorted(checked.set_aside["reason"]) == ["bad_period", "negative"]


def test_flows_table_is_in_the_data_dictionary_and_the_excel_template(tmp_path):
    from openpyxl import load_workbook

    from analysis.data import templates

    for lang in ("es", "en"):
        text = templates.dictionary(lang)
        assert "## `flows`" in text
        assert i18n.t("dictionary.kind_period", lang) in text
        assert "**flow_event**" in text and "`irregular_transit`" in text
    book = load_workbook(templates.workbook(tmp_path / "t.xlsx", "es"))
    sheet = book["flows"]
    headers = [c.value for c in sheet[1]]  # "País informante (reporting_country)"
    assert [h.rsplit("(", 1)[-1].rstrip(")") for h in headers] == TABLES["flows"].names
    lists = [c.value for c in book["lists"][1]]
    assert {"flow_event", "flow_breakdown", "flow_age_group", "flow_unit"} <= set(lists)


def test_binary_and_utf16_files(tmp_path):
    binary = tmp_path / "scan.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(FlowsImportError, match="scan.csv"):
        import_flows([binary], tmp_path / "out")
    utf16 = write(tmp_path / "unicode.csv", "Año,Mes,País,Evento,Cantidad\n"
                  "2023,12,Panamá,Tránsito irregular,7\n", encoding="utf-16")
    report = import_flows([utf16], tmp_path / "out2")
    row = report.flows.iloc[0]
    assert (row["reporting_country"], row["event"], row["period"], row["count"]) == (
        "PAN", "irregular_transit", "2023-12", 7)


def test_period_filter_keeps_annual_figures_only_when_the_whole_year_is_in(tmp_path):
    path = write(tmp_path / "irreg_darien_nat.csv",
                 "t,nat,n\n2019-01,VEN,10.0\n2020-01,VEN,7.0\n2020-06,VEN,3.0\n")
    out = tmp_path / "data"
    import_flows([path], out)
    assert sorted(ingestion.load(out, period="2019:2020").flows["period"]) == [
        "2019", "2020-01", "2020-06"]
    assert sorted(ingestion.load(out, period="2019-06:2020-03").flows["period"]) == ["2020-01"]
