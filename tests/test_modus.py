"""Modus operandi helpers and fee conversion, on small hand-made tables with known answers;
and the notebook 20_modus_operandi run on the demo data, checked for small-cell suppression."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import notebook_of_build, outputs_html, run_notebook, small_tables, write_folder

from analysis.core import paths, reference
from analysis.diagnostic import currency, modus

RATES = pd.DataFrame({
    "currency": ["USD", "USD", "MXN", "MXN", "GTQ"],
    "year": [2020, 2021, 2020, 2021, 2021],
    "units_per_usd": [1.0, 1.0, 20.0, 25.0, 8.0],
    "source": "test",
})


def cases(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"reporting_country": ["GTM"] * n, "case_id": [f"C{i}" for i in range(n)],
            "date": pd.to_datetime(["2021-06-01"] * n)}
    base.update(columns)
    return pd.DataFrame(base)


# currency ----------------------------------------------------------------------------
def test_conversion_uses_the_rate_of_the_year_paid():
    amounts = pd.Series([1000.0, 1000.0, 800.0, 50.0, 70.0, None])
    currencies = pd.Series(["MXN", "mxn", "GTQ", "USD", "EUR", "MXN"])
    years = pd.Series([2020, 2021, 2021, 2021, 2021, 2021])
    usd = currency.to_usd(amounts, currencies, years, RATES)
    assert usd.iloc[:4].tolist() == [50.0, 40.0, 100.0, 50.0]
    assert math.isnan(usd.iloc[4])  # no EUR rate in this table
    assert math.isnan(usd.iloc[5])  # no amount


def test_years_outside_the_table_take_the_nearest_year_or_stay_missing():
    amounts = pd.Series([100.0, 100.0])
    currencies = pd.Series(["MXN", "MXN"])
    years = pd.Series([2017, 2030])
    assert currency.to_usd(amounts, currencies, years, RATES).tolist() == [5.0, 4.0]
    strict = currency.to_usd(amounts, currencies, years, RATES, nearest=False)
    assert strict.isna().all()


def test_reference_rates_cover_every_listed_currency_and_the_pegs():
    table = currency.rates()
    listed = set(reference.code_list("currency"))
    assert set(table["currency"]) == listed
    first, last = currency.years()
    assert (first, last) == (2019, 2024)
    assert table.groupby("currency")["year"].nunique().eq(last - first + 1).all()
    assert (table["units_per_usd"] > 0).all() and table["source"].str.len().gt(0).all()
    pegged = table.set_index(["currency", "year"])["units_per_usd"]
    assert pegged.loc["PAB"].eq(1).all() and pegged.loc["BZD"].eq(2).all()
    assert pegged.loc["USD"].eq(1).all()
    # 2,000 BZD paid in 2022 are 1,000 USD
    assert currency.to_usd(pd.Series([2000.0]), pd.Series(["BZD"]), pd.Series([2022]))[0] == 1000


def test_provenance_sidecar_matches_the_rates_file():
    import hashlib

    import yaml

    from analysis.core import paths

    path = paths.REFERENCE / "exchange_rates.csv"
    sidecar = yaml.safe_load((paths.REFERENCE / "exchange_rates.csv.provenance.yml").read_text())
    assert {"title", "origin", "method", "licence", "date", "sha256", "notes"} <= set(sidecar)
    assert sidecar["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


# tabulation --------------------------------------------------------------------------
def test_multi_valued_codes_explode_once_per_code():
    frame = cases(associated_crimes=["extortion;robbery", "robbery", None, "kidnapping; robbery;",
                                     "extortion;extortion"])
    exploded = modus.explode_codes(frame, "associated_crimes")
    assert len(exploded) == 6
    counts = modus.code_counts(frame, "associated_crimes", reference.code_list("associated_crime"),
                               multi=True)
    assert counts.to_dict() == {"extortion": 2, "kidnapping": 1, "robbery": 3}
    assert list(counts.index) == ["extortion", "kidnapping", "robbery"]  # code-list order


def test_crosstab_keeps_code_list_order_and_groups():
    frame = cases(payment_method=["cash", "bank_transfer", "cash", None],
                  reporting_country=["MEX", "GTM", "GTM", "GTM"])
    table = modus.crosstab_codes(frame, "payment_method", "reporting_country",
                                 reference.code_list("payment_method"))
    assert list(table.columns) == ["cash", "bank_transfer"]
    assert table.loc["GTM"].tolist() == [1, 1] and table.loc["MEX"].tolist() == [1, 0]
    empty = modus.crosstab_codes(frame.iloc[:0], "payment_method", "reporting_country")
    assert empty.empty


def test_counts_from_cell_counts_equal_counts_from_rows():
    frame = cases(associated_crimes=["extortion;robbery", "robbery", None, "kidnapping; robbery;",
                                     "extortion;extortion", "robbery", "robbery"],
                  reporting_country=["MEX", "GTM", "GTM", "GTM", "MEX", "MEX", None])
    codes = reference.code_list("associated_crime")
    cells = modus.cell_counts(frame, "associated_crimes")
    assert len(cells) == 4 and cells["n"].sum() == 6  # one row per distinct filled cell
    from_cells = modus.counts_of_codes(cells, "associated_crimes", codes, multi=True)
    assert from_cells.equals(modus.code_counts(frame, "associated_crimes", codes, multi=True))
    by = modus.cell_counts(frame, "associated_crimes", "reporting_country")
    table = modus.crosstab_of_counts(by, "associated_crimes", "reporting_country", codes,
                                     multi=True)
    assert table.equals(modus.crosstab_codes(frame, "associated_crimes", "reporting_country",
                                             codes, multi=True))
    assert table.to_dict("index") == {  # the row without a country is left out
        "GTM": {"extortion": 0, "kidnapping": 1, "robbery": 2},
        "MEX": {"extortion": 2, "kidnapping": 0, "robbery": 2}}


def test_split_codes_reads_each_distinct_cell_once():
    values = pd.Series(["a; b;a", None, "a; b;a", "", "c"], dtype="string")
    assert modus.split_codes(values).tolist() == [["a", "b"], [], ["a", "b"], [], ["c"]]


def test_median_and_interquartile_range():
    frame = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 5,
                          "v": [1.0, 2.0, 3.0, 4.0, 10.0, 20.0, 30.0, 40.0, 50.0]})
    overall = modus.summary(frame.iloc[:4], "v")
    assert overall.iloc[0].to_dict() == {"n": 4, "median": 2.5, "q1": 1.75, "q3": 3.25}
    by_group = modus.summary(frame, "v", "g").set_index("g")
    assert list(by_group.index) == ["b", "a"]  # largest N first
    assert by_group.loc["b", ["n", "median", "q1", "q3"]].tolist() == [5, 30.0, 20.0, 40.0]
    assert modus.summary(frame.iloc[:0], "v", "g").empty


def test_top_values_and_other():
    values = pd.Series(["a", "b", "b", "c", "c", "c", None])
    assert modus.top_values(values, 2) == ["c", "b"]
    assert modus.keep_top(values, ["c"]).tolist()[:6] == ["_other"] * 3 + ["c"] * 3


# corridors ---------------------------------------------------------------------------
def place(country: str, n: int = 0) -> str:
    return reference.places().query("country == @country").index[n]


def test_corridor_is_first_origin_and_last_destination_by_leg_order():
    legs = pd.DataFrame({
        "reporting_country": ["MEX"] * 4 + ["GTM"],
        "case_id": ["C1", "C1", "C1", "C2", "C1"],
        "leg_order": [3, 1, 2, 1, 1],
        "from_place": [place("MEX"), place("HND"), place("GTM"), place("PAN"), place("SLV")],
        "to_place": [place("USA"), place("GTM"), place("MEX"), place("CRI"), place("GTM")],
    })
    found = modus.corridors(legs).set_index(modus.KEY)
    assert tuple(found.loc[("MEX", "C1")]) == ("HND", "USA")
    assert tuple(found.loc[("MEX", "C2")]) == ("PAN", "CRI")
    assert tuple(found.loc[("GTM", "C1")]) == ("SLV", "GTM")  # same id, another country


def test_cases_take_the_corridor_of_their_legs_else_their_countries():
    frame = pd.DataFrame({"reporting_country": "MEX", "case_id": ["C1", "C2", "C3", "C4", "C5"],
                          "origin_country": ["GTM", "HND", None, "HND", "MEX"],
                          "destination_country": ["USA", "USA", "USA", "USA", "MEX"]})
    legs = pd.DataFrame({"reporting_country": "MEX", "case_id": ["C1", "C4", "C4", "C5"],
                         "leg_order": [1, 1, 2, 1],
                         "from_place": [place("SLV"), place("MEX", 0), place("MEX", 1),
                                        place("MEX", 2)],
                         "to_place": [place("USA"), place("MEX", 1), place("MEX", 2),
                                      place("MEX", 3)]})
    out = modus.with_corridor(frame, legs).set_index("case_id")
    assert out.loc["C1", "corridor"] == "SLV>USA" and out.loc["C1", "corridor_source"] == "legs"
    assert out.loc["C2", "corridor"] == "HND>USA" and out.loc["C2", "corridor_source"] == "case"
    assert pd.isna(out.loc["C3", "corridor"])
    # legs inside Mexico are a segment of the journey the case names: HND to USA
    assert out.loc["C4", "corridor"] == "HND>USA" and out.loc["C4", "corridor_source"] == "case"
    # a journey inside one country stays domestic
    assert out.loc["C5", "corridor"] == "MEX>MEX" and out.loc["C5", "corridor_source"] == "legs"
    strict = modus.with_corridor(frame, legs, fallback=False).set_index("case_id")
    assert strict["corridor"].notna().sum() == 3 and strict.loc["C4", "corridor"] == "MEX>MEX"
    assert modus.split_corridor("HND>USA") == ("HND", "USA")


def test_fees_by_corridor_in_usd():
    frame = cases(fee_amount=[20000.0, 40000.0, 800.0, None],
                  fee_currency=["MXN", "MXN", "GTQ", "USD"],
                  date=pd.to_datetime(["2020-03-01", "2021-05-01", "2021-01-01", "2021-01-01"]))
    out = modus.with_fees_usd(frame, RATES)
    assert out["fee_usd"].iloc[:3].tolist() == [1000.0, 1600.0, 100.0]
    assert out["fee_year"].tolist() == [2020, 2021, 2021, 2021]
    assert modus.fee_coverage(out) == {"cases": 4, "with_fee": 3, "converted": 3,
                                       "not_converted": 0}
    assert modus.currencies_used(out) == ["MXN", "GTQ"]


# legal outcomes ----------------------------------------------------------------------
def test_legal_funnel_counts_cases_that_reached_each_stage():
    frame = cases(legal_outcome=["investigated", "charged", "convicted", "convicted",
                                 "acquitted", "dismissed", None],
                  sentence_years=[None, None, 4.0, 8.0, None, None, None],
                  reporting_country=["GTM"] * 4 + ["MEX"] * 3)
    funnel = modus.legal_funnel(frame)
    assert funnel.iloc[0].to_dict() == {"investigated": 6, "charged": 4, "convicted": 2}
    by_country = modus.legal_funnel(frame, "reporting_country")
    assert by_country.loc["MEX"].tolist() == [2, 1, 0]
    stats = modus.sentences(frame)
    assert stats.iloc[0].to_dict() == {"n": 2, "median": 6.0, "q1": 5.0, "q3": 7.0}


def test_everything_survives_empty_tables():
    empty = cases(fee_amount=[1.0], fee_currency=["USD"], legal_outcome=["charged"],
                  sentence_years=[None], associated_crimes=[None], origin_country=[None],
                  destination_country=[None]).iloc[:0]
    legs = pd.DataFrame(columns=["reporting_country", "case_id", "leg_order", "from_place",
                                 "to_place"])
    assert modus.with_corridor(empty, legs).empty
    assert modus.with_fees_usd(empty)["fee_usd"].empty
    assert modus.legal_funnel(empty).iloc[0].sum() == 0
    assert modus.sentences(empty).empty
    assert modus.code_counts(empty, "associated_crimes", multi=True).empty


# the notebooks -----------------------------------------------------------------------
REFERENCE_TABLES = {"exchange_rates"}  # reference data, not statistics about cases or persons


def number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def suppression_problems(out: Path, k: int) -> tuple[int, list[str]]:
    """Tables checked and the cells that break suppression, in every table of the annex.

    Tables with an N column hold statistics: a row resting on fewer than k records shows no
    number at all. Other tables hold counts: every count is 0 or at least k.
    """
    entries = [e for path in sorted((out / "annex").glob("*.json"))
               for e in json.loads(path.read_text(encoding="utf-8"))]
    tables = [e for e in entries if e["kind"] == "table"]
    listed = {f for e in tables for f in e["files"]}
    on_disk = {f"tables/{p.name}" for p in (out / "tables").glob("*.csv")}
    problems = [f"not in the annex: {f}" for f in sorted(on_disk - listed)]
    problems += [f"missing: {f}" for f in sorted(listed - on_disk)]
    marker = f"<{k}"
    checked = 0
    for entry in tables:
        if entry["key"] in REFERENCE_TABLES:
            continue
        checked += 1
        frame = pd.read_csv(out / entry["files"][0], dtype=str, keep_default_na=False)
        statistics = "N" in frame.columns
        for i, row in frame.iterrows():
            cells = {c: row[c] for c in frame.columns[1:]}  # the first column holds labels
            if statistics:
                n = number(row["N"])
                if n is None:
                    shown = [c for c, v in cells.items() if number(v) is not None]
                    if row["N"] != marker or shown:
                        problems.append(f"{entry['key']} row {i}: N={row['N']}, shown {shown}")
                elif n < k:
                    problems.append(f"{entry['key']} row {i}: N={n} below {k}")
                continue
            for column, value in cells.items():
                v = number(value)
                if (v is not None and 0 < v < k) or (v is None and value not in ("", marker)):
                    problems.append(f"{entry['key']} row {i} {column}: {value!r}")
    return checked, problems


@pytest.fixture
def demo(request) -> Path:
    """The demo data folder, its clean cache (from the shared build) in the test's state."""
    if not (paths.DEMO / "dataset.yml").is_file():
        pytest.skip(f"the demo data in {paths.DEMO} has not been generated")
    return request.getfixturevalue("demo_cache")


def incidents_only(root: Path) -> Path:
    """A valid data folder with incidents but no cases, migrants or route legs."""
    tables = small_tables()
    for name in ("cases", "migrants", "route_legs"):
        tables[name] = tables[name].iloc[:0]
    return write_folder(root, tables)


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "k"), [("es", 5), ("en", 10)])
def test_modus_notebook_tables_respect_suppression(demo, demo_reports, tmp_path, lang, k):
    if (lang, k) == ("es", 5):  # as the shared Spanish build ran it (config/demo.yml)
        executed = notebook_of_build(demo_reports(lang), "20_modus_operandi", tmp_path)
    else:
        executed = run_notebook("20_modus_operandi", tmp_path, data_dir=str(demo), lang=lang,
                                min_cell_size=k)
    checked, problems = suppression_problems(tmp_path, k)
    assert checked >= 15 and not problems, problems
    assert len(list((tmp_path / "figures").glob("*.png"))) >= 6
    assert 'class="notice"' not in outputs_html(executed)  # the demo data fill every section


@pytest.mark.slow
def test_modus_notebook_without_cases_says_so(tmp_path):
    folder = incidents_only(tmp_path / "data")
    executed = run_notebook("20_modus_operandi", tmp_path / "out", data_dir=str(folder),
                            lang="en")
    html = outputs_html(executed)
    assert html.count('class="notice"') == html.count("<h2")
    assert not list((tmp_path / "out").glob("tables/*.csv"))


NARROW = {"countries": ["BLZ"], "period": "2022-01:2023-12"}  # a handful of cases


def suppressed_cells(out: Path, k: int) -> int:
    """Cells shown as "<k" in the annex tables of a notebook run."""
    return sum(int((pd.read_csv(path, dtype=str, keep_default_na=False) == f"<{k}").sum().sum())
               for path in (out / "tables").glob("*.csv"))


def check_narrow_filter(notebook: str, demo: Path, out: Path, lang: str) -> None:
    """The filter leaves a few cases; the notebook publishes tables from them, hides their
    small counts, and no published cell breaks the rule."""
    from analysis.data import ingest

    narrow = ingest.load(demo, NARROW["countries"], NARROW["period"])
    assert 0 < len(narrow.cases) < 5 * 5, len(narrow.cases)  # few cases, but some
    run_notebook(notebook, out, data_dir=str(demo), lang=lang, **NARROW)
    checked, problems = suppression_problems(out, 5)
    assert not problems, problems
    assert checked > 0, "nothing was published on the narrow filter"
    assert suppressed_cells(out, 5) > 0, "no small count was suppressed on the narrow filter"


@pytest.mark.slow
def test_modus_notebook_on_a_narrow_filter(demo, tmp_path):
    check_narrow_filter("20_modus_operandi", demo, tmp_path, "es")
