"""The IOM Missing Migrants Project importer (analysis.data.adapters.mmp).

Unit tests run on small files written here; acceptance tests read the public IOM files in
../shared/realdata/iom_mmp and skip when that folder is absent.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.core import i18n, paths, privacy, reference
from analysis.core.contract import TABLES
from analysis.data import ingest as ingestion
from analysis.data.adapters.mmp import parse, place
from analysis.data.adapters.mmp.importer import REGIONS, import_mmp
from analysis.data.adapters.mmp.layout import MMPImportError, UnknownLayout
from analysis.data.adapters.mmp.report import OUTSIDE_REASONS, REJECT_REASONS, ImportReport

REALDATA = paths.ROOT.parent / "shared" / "realdata"
MMP_DIR = REALDATA / "iom_mmp"
GLOBAL_2014 = MMP_DIR / "Missing_Migrants_Global_Figures_2014-2022.csv"
CURRENT_2026 = MMP_DIR / "MissingMigrants-Global-2026-05-06--19_42_11.csv"
UNSD_AMERICAS = {"Northern America", "Central America", "Caribbean", "South America"}
IOM_AMERICAS = {"North America", "Central America", "Caribbean", "South America"}
KEY_COLUMNS = ["reporting_country", "incident_id", "date", "lat", "lon", "country", "type",
               "dead", "missing", "survivors", "females", "males", "children", "source_quality"]


def real(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"public IOM data not found at {path} (../shared/realdata/iom_mmp is absent)")
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """import_mmp(file, region) run once per module: (report, output folder)."""
    done: dict[tuple[str, str], tuple[ImportReport, Path]] = {}

    def run(path: Path, region: str):
        key = (path.name, region)
        if key not in done:
            out = tmp_path_factory.mktemp("mmp") / f"{region}_data"
            done[key] = (import_mmp(real(path), out, region=region), out)
        return done[key]

    return run


def read_raw(path: Path) -> pd.DataFrame:
    """The file as text cells, read independently of the importer."""
    content = path.read_bytes()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    return frame.apply(lambda column: column.str.strip())


def read_output(out: Path) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False)
              for p in sorted(out.glob("*/incidents.csv"))]
    return pd.concat(frames, ignore_index=True)


def number(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.str.replace(",", ""), errors="coerce").fillna(0)


def dead_column(raw: pd.DataFrame) -> str:
    return "Number Dead" if "Number Dead" in raw.columns else "Number of Dead"


# --------------------------------------------------------------------------- parsing units


def test_counts_stored_as_text():
    values, bad = parse.parse_counts(pd.Series(["1,234", "3 ", "", "2.0", "x", "-2", "1.5"]))
    assert values.tolist()[:2] == [1234, 3]
    assert values.isna().tolist() == [False, False, True, False, True, False, True]
    assert values[3] == 2 and values[5] == -2
    assert bad.tolist() == [False, False, False, False, True, False, True]


def test_date_formats():
    iso, precision, bad, order = parse.parse_dates(pd.Series(
        ["2019-05-03", "Thu, 01/17/2026 - 12:00", "May 03, 2019", "3 May 2019", "2019-05",
         "2019-05-03 00:00:00", "", "someday"]))
    assert iso.tolist() == ["2019-05-03", "2026-01-17", "2019-05-03", "2019-05-03", "2019-05",
                            "2019-05-03", "", ""]
    assert precision.tolist()[4] == "month"
    assert bad.tolist() == [False] * 7 + [True]
    assert order == "mdy_values"


def test_slash_dates_order():
    day_first = parse.parse_dates(pd.Series(["25/05/2019", "03/05/2019"]))
    assert day_first[0].tolist() == ["2019-05-25", "2019-05-03"] and day_first[3] == "dmy_values"
    ambiguous = parse.parse_dates(pd.Series(["03/05/2019"]))
    assert ambiguous[0].tolist() == ["2019-03-05"] and ambiguous[3] == "mdy_default"
    # 3 May 2019 was a Friday, 5 March 2019 a Tuesday: the weekday IOM prints decides.
    weekday = parse.parse_dates(pd.Series(["Fri, 03/05/2019 - 12:00"]))
    assert weekday[0].tolist() == ["2019-05-03"] and weekday[3] == "dmy_weekday"


def test_coordinates_wkt_and_lat_lon():
    lat, lon, bad = parse.parse_coordinates(pd.Series(
        ["POINT (-110.366453 31.650259)", "37.34265178, 42.99259985", "", "near Tapachula"]))
    assert lat[:2].tolist() == [31.650259, 37.34265178]
    assert lon[:2].tolist() == [-110.366453, 42.99259985]
    assert lat[2:].isna().all()
    assert bad.tolist() == [False, False, False, True]


def test_multi_valued_causes_keep_their_inner_commas():
    joined = ("Harsh environmental conditions / lack of adequate shelter, food, water,"
              "Sickness / lack of access to adequate healthcare")
    assert parse.split_causes(joined) == (
        "Harsh environmental conditions / lack of adequate shelter, food, water; "
        "Sickness / lack of access to adequate healthcare")
    assert parse.split_causes("Drowning,Mixed or unknown") == "Drowning; Mixed or unknown"
    assert parse.split_causes("") == ""


def test_country_names_and_location_text():
    assert place.country_code("United States of America") == "USA"
    assert place.country_code("Bolivia (Plurinational State of)") == "BOL"
    assert place.country_code("Venezuela (Bolivarian Republic of)") == "VEN"
    assert place.country_code("Türkiye") == "TUR"
    assert place.country_code("México") == "MEX"
    pima = "Pima County jurisdiction, Arizona, USA (see coordinates)"
    assert place.country_in_text(pima) == "USA"
    assert place.country_in_text("Rio Bravo, Acuña, Coahuila,Mexico") == "MEX"
    assert place.country_in_text("Off the coast of Manzanillo, Cuba (heading to Honduras)") == "CUB"
    assert place.country_in_text("Channel of Sicily") == ""


def test_countries_from_coordinates_with_coastal_buffer():
    lat = pd.Series([19.43, 24.45, 23.90, np.nan])  # Mexico City; 11 km off Key West; open sea
    lon = pd.Series([-99.13, -81.80, -83.27, np.nan])
    iso3, how = place.countries_at(lat, lon)
    assert iso3.tolist() == ["MEX", "USA", "", ""]
    assert how.tolist() == ["inside", "offshore", "", ""]


def test_catalog_has_every_message_in_both_languages():
    catalog = yaml.safe_load((paths.MESSAGES / "mmp.yml").read_text(encoding="utf-8"))
    assert all(set(texts) == {"es", "en"} for texts in catalog.values())
    codes = [f"reason_{r}" for r in OUTSIDE_REASONS + REJECT_REASONS]
    codes += [f"region_{r}" for r in REGIONS]
    assert not [c for c in codes if c not in catalog]


# --------------------------------------------------------------------------- small files

HEADER = ("Main ID,Incident ID,Region,Incident Date,Year,Reported Month,Number Dead,"
          "Minimum Estimated Number of Missing,Number of Survivors,Number of Females,"
          "Number of Males,Number of Children,Cause of Death,Location of death,"
          "Information Source,Coordinates,Migration route,UNSD Geographical Grouping,"
          "Source Quality")
# id, region, date, dead, missing, survivors, cause, location, coordinates, unsd, quality
ROWS = [
    ("A1", "Central America", "Thu, 01/15/2026 - 12:00", "2", "0", "3", "Drowning",
     "Tapachula, Chiapas, México", "14.90, -92.26", "Central America", "3"),  # MEX
    ("A2", "North America", "Fri, 01/16/2026 - 12:00", "1,000", "", "", "Violence",
     "Off Key West, Florida, USA", "24.45, -81.80", "Uncategorized", "2"),  # USA offshore
    ("A3", "Caribbean", "Sat, 01/17/2026 - 12:00", "", "7", "", "Drowning",
     "Between Cuba and Florida", "23.90, -83.27", "Caribbean", "4"),  # open sea: ZZZ
    ("A4", "Central America", "", "1", "0", "", "Violence",
     "Rio Bravo, Acuña, Coahuila, Mexico", "", "Central America", "1"),  # year + month only
    ("A5", "South America", "Sun, 01/18/2026 - 12:00", "1", "0", "", "Violence",
     "Acandí, Chocó, Colombia", "8.51, -77.28", "South America", "5"),  # Americas, not CRM
    ("A6", "Mediterranean", "Mon, 01/19/2026 - 12:00", "4", "2", "", "Drowning",
     "Off the coast of Libya", "33.0, 13.0", "Uncategorized", "3"),  # outside the Americas
    ("A1", "Central America", "Tue, 01/20/2026 - 12:00", "1", "0", "", "Violence",
     "Tapachula, Chiapas, Mexico", "14.90, -92.26", "Central America", "3"),  # repeated id
    ("", "Central America", "Wed, 01/21/2026 - 12:00", "1", "0", "", "Violence",
     "Mexico", "19.4, -99.1", "Central America", "3"),  # rejected: no id
    ("B2", "Central America", "someday", "1", "0", "", "Violence",
     "Mexico", "19.4, -99.1", "Central America", "3"),  # rejected: bad date
    ("B3", "Central America", "Thu, 01/22/2026 - 12:00", "1", "0", "", "Violence",
     "Mexico", "119.4, -99.1", "Central America", "3"),  # rejected: coordinates out of range
    ("B4", "Central America", "Fri, 01/23/2026 - 12:00", "1", "0", "-1", "Violence",
     "Mexico", "19.4, -99.1", "Central America", "3"),  # rejected: negative count
    ("B5", "Central America", "Sat, 01/24/2026 - 12:00", "0", "0", "", "Violence",
     "Mexico", "19.4, -99.1", "Central America", "3"),  # rejected: neither dead nor missing
    ("B6", "Central America", "Sun, 01/25/2026 - 12:00", "1", "0", "", "Violence",
     "Mexico", "here", "Central America", "3"),  # rejected: unreadable coordinates
    ("B7", "Central America", "Mon, 01/26/2026 - 12:00", "1", "0", "", "Violence",
     "Mexico", "19.4, -99.1", "Central America", "9"),  # rejected: source quality
]


def write_small(path: Path, rows=ROWS, encoding: str = "cp1252") -> Path:
    lines = [HEADER]
    for (id_, region, date_, dead, missing, survivors, cause, location, coordinates, unsd,
         quality) in rows:
        cells = [id_, id_, region, date_, "2026", "January", dead, missing, survivors, "", "",
                 "", cause, location, "Test source", coordinates, "", unsd, quality]
        lines.append(",".join(f'"{c}"' for c in cells))
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.fixture
def small(tmp_path):
    return write_small(tmp_path / "small.csv")


def test_small_file_every_row_accounted_for(small, tmp_path):
    report = import_mmp(small, tmp_path / "americas", region="americas")
    assert report.encoding == "cp1252"
    assert (report.read, report.imported, report.outside_total, report.rejected_total) == (
        14, 6, 1, 7)
    assert report.outside["outside_americas"] == 1
    assert {k: v for k, v in report.rejected.items() if v} == {
        "no_id": 1, "bad_date": 1, "coordinates_out_of_range": 1, "negative_count": 1,
        "no_dead_or_missing": 1, "bad_coordinates": 1, "bad_source_quality": 1}
    assert report.dead == {"read": 1015, "imported": 1005, "outside": 4, "rejected": 6}
    assert report.missing == {"read": 9, "imported": 7, "outside": 2, "rejected": 0}
    out = read_output(tmp_path / "americas").set_index("incident_id")
    assert out.loc["A1", "reporting_country"] == "MEX" and out.loc["A1-2", "date"] == "2026-01-20"
    assert out.loc["A2", ["reporting_country", "dead", "type"]].tolist() == [
        "USA", "1000", "death"]
    assert out.loc["A3", ["reporting_country", "country", "type", "dead"]].tolist() == [
        "ZZZ", "", "disappearance", "0"]
    assert out.loc["A4", ["reporting_country", "date", "lat"]].tolist() == ["MEX", "2026-01", ""]
    assert out.loc["A5", "reporting_country"] == "COL"
    assert out.loc["A1", "survivors"] == "3" and out.loc["A2", "survivors"] == ""
    assert report.notes["ids_suffixed"] == 1 and report.notes["month_precision"] == 1
    assert report.notes["country_offshore"] == 1 and report.notes["country_location_text"] == 1
    rejected = pd.read_csv(report.rejected_file, dtype=str, keep_default_na=False)
    assert report.rejected_file.parent == paths.private_dir() / "mmp"
    assert sorted(rejected["reason"]) == sorted(k for k, v in report.rejected.items() if v)
    assert rejected.loc[rejected["reason"] == "negative_count", "column"].item() == (
        "Number of Survivors")
    meta = yaml.safe_load((tmp_path / "americas" / "dataset.yml").read_text(encoding="utf-8"))
    assert meta["source"]["producer"] == "IOM Missing Migrants Project"
    assert meta["source"]["file"] == "small.csv" and len(meta["source"]["sha256"]) == 64
    assert meta["licence"] == "CC BY 4.0" and meta["synthetic"] is False
    for folder in (tmp_path / "americas").iterdir():
        if folder.is_dir():
            header = (folder / "cases.csv").read_text(encoding="utf-8").strip().split(",")
            assert header == TABLES["cases"].names


def test_small_file_regions(small, tmp_path):
    crm = import_mmp(small, tmp_path / "crm", region="crm")
    assert crm.outside == {"outside_americas": 1, "no_region": 0, "outside_crm": 2}  # COL, ZZZ
    assert set(read_output(tmp_path / "crm")["reporting_country"]) == {"MEX", "USA"}
    world = import_mmp(small, tmp_path / "all", region="all")
    assert world.outside_total == 0 and world.imported == 7
    text = world.render("es")
    assert "Filas leídas" in text and "1,015" in text  # es_419, the default Spanish locale
    assert "Rows read" in world.render("en") and "1,015" in world.render("en")


def test_reimport_replaces_and_foreign_folders_are_left_alone(small, tmp_path):
    out = tmp_path / "data"
    import_mmp(small, out, region="all")
    assert (out / "ZZZ" / "incidents.csv").is_file()
    import_mmp(small, out, region="crm")
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["MEX", "USA"]
    foreign = tmp_path / "foreign"
    (foreign / "GTM").mkdir(parents=True)
    (foreign / "GTM" / "cases.csv").write_text("case_id\n", encoding="utf-8")
    with pytest.raises(MMPImportError):
        import_mmp(small, foreign)
    assert (foreign / "GTM" / "cases.csv").is_file()


def test_unknown_layout_names_the_missing_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Case,When,Where\n1,2020-01-01,Mexico\n", encoding="utf-8")
    with pytest.raises(UnknownLayout) as caught:
        import_mmp(path, tmp_path / "out")
    message = str(caught.value)
    for column in ("Incident ID", "Incident Date", "Number Dead", "Coordinates"):
        assert column in message
    assert len(caught.value.missing) == 4
    with pytest.raises(UnknownLayout, match="Faltan columnas"):
        import_mmp(path, tmp_path / "out", lang="es")
    assert not (tmp_path / "out").exists()


def test_bad_arguments_give_clear_errors(small, tmp_path):
    with pytest.raises(MMPImportError, match="Unknown region"):
        import_mmp(small, tmp_path / "out", region="europe")
    with pytest.raises(MMPImportError, match="not found"):
        import_mmp(tmp_path / "nothing.csv", tmp_path / "out")
    with pytest.raises(i18n.UnknownLanguage):
        import_mmp(small, tmp_path / "out", lang="fr")


# --------------------------------------------------------------------------- real files

CASES = [(GLOBAL_2014, r) for r in REGIONS] + [(CURRENT_2026, r) for r in REGIONS]
IDS = [f"{p.stem[:14]}-{r}" for p, r in CASES]


@pytest.mark.realdata
@pytest.mark.parametrize(("path", "region"), CASES, ids=IDS)
def test_real_rows_reconcile(imported, path, region):
    report, out = imported(path, region)
    raw = read_raw(path)
    output = read_output(out)
    assert report.read == len(raw)
    assert report.read == report.imported + report.outside_total + report.rejected_total
    assert report.imported == len(output)
    assert output["incident_id"].is_unique
    if report.rejected_total:
        assert len(pd.read_csv(report.rejected_file)) == report.rejected_total
    if region == "all":
        assert report.outside_total == 0


@pytest.mark.realdata
@pytest.mark.parametrize(("path", "region"), CASES, ids=IDS)
def test_real_dead_and_missing_totals_preserved(imported, path, region):
    report, out = imported(path, region)
    raw = read_raw(path).set_index("Incident ID")
    output = read_output(out)
    kept = raw.loc[output["incident_id"]]
    missing = "Minimum Estimated Number of Missing"
    assert number(kept[dead_column(raw)]).sum() == number(output["dead"]).sum()
    assert number(kept[missing]).sum() == number(output["missing"]).sum()
    assert report.dead["imported"] == number(output["dead"]).sum()
    assert report.missing["imported"] == number(output["missing"]).sum()
    assert report.dead["read"] == number(raw[dead_column(raw)]).sum()
    assert report.missing["read"] == number(raw[missing]).sum()
    assert (output["type"] == np.where(number(output["dead"]) > 0, "death",
                                       "disappearance")).all()


@pytest.mark.realdata
def test_real_americas_2014_2022(imported):
    report, out = imported(GLOBAL_2014, "americas")
    raw = read_raw(GLOBAL_2014)
    unsd, region = raw["UNSD Geographical Grouping"], raw["Region of Incident"]
    by_unsd = unsd.isin(UNSD_AMERICAS)
    # The README publishes the count by UNSD grouping alone.
    readme = (REALDATA / "README.md").read_text(encoding="utf-8")
    published = re.search(r"([\d,]+) rows in the Americas", readme)
    assert published and int(published.group(1).replace(",", "")) == by_unsd.sum()
    # The importer also keeps rows IOM left "Uncategorized" (mostly at sea) in an Americas region.
    by_region = unsd.isin(["Uncategorized", ""]) & region.isin(IOM_AMERICAS)
    expected = raw.loc[by_unsd | by_region, "Incident ID"]
    assert report.read - report.outside_total == len(expected)
    assert report.notes["region_by_iom_region"] == by_region.sum()
    rejected = set()
    if report.rejected_file:
        rejected = set(pd.read_csv(report.rejected_file, dtype=str)["Incident ID"])
    assert set(read_output(out)["incident_id"]) == set(expected) - rejected


@pytest.mark.realdata
def test_real_current_layout(imported):
    report, out = imported(CURRENT_2026, "americas")
    raw = read_raw(CURRENT_2026)
    americas = raw["UNSD Geographical Grouping"].isin(UNSD_AMERICAS) | (
        raw["UNSD Geographical Grouping"].eq("Uncategorized") & raw["Region"].isin(IOM_AMERICAS))
    assert report.layout == "current" and report.licence == "CC BY 4.0"
    assert report.read - report.outside_total == americas.sum()
    output = read_output(out)
    assert output["date"].str.fullmatch(r"2026-0[1-5]-\d\d").all()
    assert report.date_order == "mdy_values"


@pytest.mark.realdata
@pytest.mark.parametrize("path", [GLOBAL_2014, CURRENT_2026], ids=["2014_2022", "2026"])
def test_real_crm_is_inside_crm_countries(imported, path):
    import geopandas as gpd
    from pyproj import CRS

    crm_report, crm_out = imported(path, "crm")
    _, americas_out = imported(path, "americas")
    crm = read_output(crm_out)
    americas = read_output(americas_out)
    assert crm_report.imported > 0
    assert set(crm["incident_id"]) <= set(americas["incident_id"])
    assert crm["reporting_country"].isin(reference.CRM_MEMBERS).all()
    located = crm[crm["lat"] != ""]
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(
        located["lon"].astype(float), located["lat"].astype(float)), crs=4326)
    base = gpd.read_file(reference.basemap_path())
    members = base[base["iso3"].isin(reference.CRM_MEMBERS)].make_valid().union_all()
    inside = points.within(members) | points.touches(members)
    for point in points.geometry[~inside]:  # offshore: check the distance in metres
        local = CRS.from_proj4(f"+proj=aeqd +lat_0={point.y} +lon_0={point.x} +units=m")
        shore = gpd.GeoSeries([members], crs=4326).clip(point.buffer(1)).to_crs(local)
        assert shore.distance(gpd.GeoSeries.from_xy([0], [0], crs=local)).min() <= (
            place.COAST_BUFFER_KM * 1000 + 1)


@pytest.mark.realdata
def test_real_latin1_copy_imports_the_same(imported, tmp_path):
    report, out = imported(CURRENT_2026, "all")
    copy = tmp_path / CURRENT_2026.name
    text = CURRENT_2026.read_bytes().decode("utf-8-sig")
    copy.write_bytes(text.encode("latin-1", errors="replace"))
    again = import_mmp(copy, tmp_path / "out", region="all")
    assert again.encoding != report.encoding
    assert (again.read, again.imported, again.rejected) == (
        report.read, report.imported, report.rejected)
    pd.testing.assert_frame_equal(read_output(tmp_path / "out")[KEY_COLUMNS],
                                  read_output(out)[KEY_COLUMNS])


@pytest.mark.realdata
def test_real_renamed_and_reordered_columns_import_the_same(imported, tmp_path):
    report, out = imported(CURRENT_2026, "americas")
    raw = read_raw(CURRENT_2026)
    renamed = raw.rename(columns={
        "Incident Date": "  incident   DATE ", "Number Dead": "Number of Dead",
        "Coordinates": "Location Coordinates", "Region": "Region of Incident",
        "Migration route": "MIGRATION ROUTE", "Information Source": "Source",
        "Location of death": "Location Description", "Year": "Incident year",
    })
    path = tmp_path / "renamed.csv"
    renamed[renamed.columns[::-1]].to_csv(path, index=False, encoding="utf-8")
    again = import_mmp(path, tmp_path / "out", region="americas")
    assert (again.read, again.imported, again.outside, again.rejected) == (
        report.read, report.imported, report.outside, report.rejected)
    assert again.dead == report.dead and again.missing == report.missing
    pd.testing.assert_frame_equal(read_output(tmp_path / "out"), read_output(out))


@pytest.mark.realdata
def test_real_unknown_layout(tmp_path):
    raw = read_raw(real(CURRENT_2026))
    path = tmp_path / "stripped.csv"
    raw.drop(columns=["Incident ID", "Main ID"]).rename(columns={"Number Dead": "Deaths"}).to_csv(
        path, index=False)
    with pytest.raises(UnknownLayout) as caught:
        import_mmp(path, tmp_path / "out")
    assert "Incident ID" in str(caught.value) and "Number Dead" in str(caught.value)
    assert len(caught.value.missing) == 2


@pytest.mark.realdata
@pytest.mark.parametrize(("path", "region"), [(GLOBAL_2014, "americas"), (CURRENT_2026, "all")],
                         ids=["2014_2022-americas", "2026-all"])
def test_real_output_is_accepted_by_ingestion(imported, path, region, monkeypatch):
    report, out = imported(path, region)
    monkeypatch.setenv(privacy.KEY_ENV, "test-only-key")  # real data need a key to ingest
    result = ingestion.ingest(out)
    assert not result.errors
    assert result.rows_set_aside == 0
    assert len(ingestion.load(out).incidents) == report.imported  # what the cache holds


# --------------------------------------------------------------------------- older layouts

OLD_HEADER = ("Web ID,Region of Incident,Reported Date,Reported Year,Reported Month,Number Dead,"
              "Minimum Estimated Number of Missing,Total Dead and Missing,Number of Survivors,"
              "Cause of Death,Location Description,Information Source,Location Coordinates,"
              "Migration Route,URL,UNSD Geographical Grouping,Source Quality")
# id, IOM region (older names), date, dead, location, coordinates, UNSD grouping
OLD_ROWS = [
    ("O1", "US-Mexico Border", "May 03, 2017", "1", "Pima County, Arizona, USA",
     "32.35, -113.00", "Uncategorized"),  # the region decides: the Americas
    ("O2", "US-Mexico Border", "May 04, 2017", "2", "Rio Grande near Eagle Pass, Texas, USA",
     "", ""),  # the region decides, without coordinates
    ("O3", "North Africa", "May 05, 2017", "3", "Sabha, Libya", "27.03, 14.43",
     "Uncategorized"),  # the region decides: elsewhere
    ("O4", "Horn of Africa", "May 06, 2017", "1", "Bosaso, Somalia", "", ""),  # elsewhere
    ("O5", "Central America incl. Mexico", "May 07, 2017", "1", "Tapachula, Chiapas, Mexico",
     "14.90, -92.26", "Uncategorized"),  # the region decides: the Americas
    ("O6", "", "May 08, 2017", "4", "Windward Passage", "19.90, -73.90",
     "Uncategorized"),  # the region says nothing: at sea west of 32° W, the Americas
    ("O7", "Unknown", "May 09, 2017", "5", "Central Mediterranean", "34.50, 16.20",
     ""),  # the region says nothing: at sea east of 32° W, elsewhere
    ("O8", "", "May 10, 2017", "1", "Tijuana, Baja California, Mexico", "",
     ""),  # neither region nor coordinates: the country decides
]


def write_old_layout(path: Path) -> Path:
    lines = [OLD_HEADER]
    for id_, region, date_, dead, location, coordinates, unsd in OLD_ROWS:
        cells = [id_, region, date_, "2017", "May", dead, "", dead, "", "Drowning", location,
                 "Test source", coordinates, "", "", unsd, "3"]
        lines.append(",".join(f'"{c}"' for c in cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_older_layouts_region_names_place_incidents(tmp_path):
    """Rows written in an older IOM layout, with its region names, land on the right side."""
    file = write_old_layout(tmp_path / "old.csv")
    report = import_mmp(file, tmp_path / "out", region="americas")
    assert report.layout == "other" and report.rejected_total == 0
    assert report.outside == {"outside_americas": 3, "no_region": 0, "outside_crm": 0}
    assert set(read_output(tmp_path / "out")["incident_id"]) == {"O1", "O2", "O5", "O6", "O8"}
    assert report.notes["region_by_iom_region"] == 3  # O1, O2, O5
    assert report.notes["region_by_coordinates"] == 1  # O6
    assert report.notes["region_by_country"] == 1  # O8
    out = read_output(tmp_path / "out").set_index("incident_id")
    assert out.loc["O1", "reporting_country"] == "USA"
    assert out.loc["O5", "reporting_country"] == "MEX"
    assert out.loc["O6", "reporting_country"] == "ZZZ"


def test_every_layouts_region_names_are_mapped():
    americas = ["US-Mexico Border", "U.S./Mexico Border", "North America", "Northern America",
                "Central America", "Central America incl. Mexico", "Caribbean",
                "South America", "Latin America and the Caribbean", "Americas"]
    elsewhere = ["North Africa", "Northern Africa", "Horn of Africa", "Sub-Saharan Africa",
                 "Mediterranean", "Middle East", "Europe", "Southern Europe",
                 "South-eastern Asia", "Southeast Asia", "East Asia", "South Asia",
                 "Western Asia", "Central Asia", "Eastern Africa", "Western Africa"]
    nothing = ["", "Uncategorized", "Unknown", "Mixed"]
    side = place.region_side(pd.Series(americas + elsewhere + nothing))
    assert side.iloc[:len(americas)].eq(True).all()
    assert side.iloc[len(americas):len(americas) + len(elsewhere)].eq(False).all()
    assert side.iloc[-len(nothing):].isna().all()
