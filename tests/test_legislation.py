"""Legislation vs. the Smuggling of Migrants Protocol: merge, scores, gaps, harmonization,
the HTML matrix, and the notebook in both languages."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from conftest import notebook_of_build, outputs_html, run_notebook, use_demo_cache

from analysis.core import paths, reference
from analysis.diagnostic import legislation
from analysis.report import matrices

NOTEBOOK = paths.NOTEBOOKS / "50_legislation.ipynb"

# A small criteria table for hand-computed answers.
TABLE = pd.DataFrame({
    "criterion_id": ["a", "b", "c", "d", "max_penalty_years"],
    "axis": ["criminalization", "criminalization", "protection", "protection", "penalties"],
    "article": ["art. 1", "art. 2", "art. 3", "art. 4", "art. 5"],
    "value_type": ["yes_no_partial"] * 4 + ["number"],
    "label_es": ["A", "B", "C", "D", "Pena"], "label_en": ["A", "B", "C", "D", "Penalty"],
    "explanation_es": [""] * 5, "explanation_en": [""] * 5,
    "weight": [1.0, 1.0, 1.0, 2.0, 1.0],
})


def cells_of(rows: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Cells from {country: {criterion: value}}; missing criteria have no data."""
    records = []
    for country, values in rows.items():
        for criterion in TABLE["criterion_id"]:
            value = values.get(criterion, "")
            records.append({"country": country, "criterion_id": criterion, "value": value,
                            "instrument": "", "article": "", "source_url": "",
                            "date_reviewed": "", "status": "draft" if value else "no_data",
                            "note": "", "origin": "reference"})
    return pd.DataFrame(records, columns=legislation.CELL_COLUMNS)


def baseline_row(country, criterion, value, status="draft", **extra):
    row = {"country": country, "criterion_id": criterion, "value": value,
           "instrument": "Ley de referencia", "article": "art. 9",
           "source_url": "https://example.org/ley", "date_reviewed": "2026-11-23",
           "status": status, "note": "desk review"}
    return {**row, **extra}


def submitted_row(reporting, country, criterion, value, date="2027-01-15",
                  status="validated", instrument="Código Penal"):
    return {"reporting_country": reporting, "country": country, "criterion_id": criterion,
            "value": value, "instrument": instrument, "article": "art. 318",
            "source_url": "https://example.org/cp", "date_reviewed": pd.Timestamp(date),
            "status": status}


# values and rules ---------------------------------------------------------------------------
@pytest.mark.parametrize("raw, kind, expected", [
    ("yes", "yes_no_partial", "yes"), ("Sí", "yes_no_partial", "yes"),
    ("PARCIAL", "yes_no_partial", "partial"), (" no ", "yes_no_partial", "no"),
    ("maybe", "yes_no_partial", ""), ("", "yes_no_partial", ""), (None, "yes_no_partial", ""),
    ("10", "number", "10"), ("7,5", "number", "7.5"), ("diez", "number", ""),
    ("-3", "number", ""),
])
def test_values_are_normalized(raw, kind, expected):
    assert legislation.normalize_value(raw, kind) == expected


def test_penalty_rule_uses_the_four_year_serious_crime_line():
    assert legislation.cell_score("4", "max_penalty_years", "number") == 1.0
    assert legislation.cell_score("3.9", "max_penalty_years", "number") == 0.0
    assert math.isnan(legislation.cell_score("", "max_penalty_years", "number"))
    assert legislation.cell_level("20", "max_penalty_years", "number") == "yes"
    assert legislation.cell_level("2", "max_penalty_years", "number") == "no"


# merge --------------------------------------------------------------------------------------
def test_a_country_submission_overrides_the_reference_row():
    baseline = pd.DataFrame([
        baseline_row("GTM", "offence_definition", "yes"),
        baseline_row("GTM", "attempt", "", status="no_data"),
        baseline_row("MEX", "offence_definition", "yes"),
    ])
    submitted = pd.DataFrame([
        submitted_row("GTM", "GTM", "offence_definition", "parcial", date="2027-01-01",
                      status="draft"),
        submitted_row("GTM", "GTM", "offence_definition", "no", date="2027-03-01"),  # latest
        submitted_row("GTM", "GTM", "attempt", "sí", status="illustrative"),
        submitted_row("GTM", "MEX", "offence_definition", "no"),  # about another country
        submitted_row("MEX", "MEX", "attempt", "", status="draft"),  # no value
    ])
    result = legislation.merge(baseline, submitted, ["GTM", "MEX"])
    cells = result.cells.set_index(["country", "criterion_id"])
    assert len(result.cells) == 2 * len(legislation.criteria())
    gtm = cells.loc[("GTM", "offence_definition")]
    assert (gtm["value"], gtm["status"], gtm["origin"]) == ("no", "validated", "submission")
    assert gtm["instrument"] == "Código Penal" and gtm["date_reviewed"] == "2027-03-01"
    assert gtm["note"] == ""  # the desk-review note described the replaced value
    attempt = cells.loc[("GTM", "attempt")]
    assert (attempt["value"], attempt["status"]) == ("yes", "illustrative")
    mex = cells.loc[("MEX", "offence_definition")]
    assert (mex["value"], mex["status"], mex["origin"]) == ("yes", "draft", "reference")
    assert cells.loc[("MEX", "attempt"), "status"] == "no_data"
    assert cells.loc[("MEX", "jurisdiction"), "origin"] == "none"
    assert (result.submitted, result.about_others, result.unreadable) == (2, 1, 1)


def test_same_date_submissions_keep_the_firmer_status():
    baseline = pd.DataFrame([baseline_row("HND", "attempt", "no")])
    submitted = pd.DataFrame([
        submitted_row("HND", "HND", "attempt", "yes", status="validated"),
        submitted_row("HND", "HND", "attempt", "partial", status="illustrative"),
    ])
    cells = legislation.merge(baseline, submitted, ["HND"]).cells.set_index("criterion_id")
    assert (cells.at["attempt", "value"], cells.at["attempt", "status"]) == ("yes", "validated")


def test_reference_baseline_covers_every_member_and_criterion():
    cells = legislation.merge(legislation.reference_rows(), None,
                              list(reference.CRM_MEMBERS)).cells
    assert len(cells) == 11 * 28
    assert set(cells["status"]) <= {"draft", "no_data"}
    assert (cells["value"] == "").eq(cells["status"] == "no_data").all()
    assert set(legislation.criteria()["axis"]) <= set(legislation.AXES)


# scores, gaps, harmonization ----------------------------------------------------------------
def test_scores_by_hand():
    cells = cells_of({
        # a yes 1, b partial 0.5, c no 0, d no data (weight 2), penalty 3 years → 0
        "AAA": {"a": "yes", "b": "partial", "c": "no", "max_penalty_years": "3"},
        # a yes, d yes with weight 2, penalty 8 → 1: (1 + 2 + 1) / (1 + 2 + 1)
        "BBB": {"a": "yes", "d": "yes", "max_penalty_years": "8"},
        "CCC": {},
    })
    by_country = legislation.scores(cells, "country", TABLE).set_index("country")
    assert by_country.at["AAA", "score"] == pytest.approx(1.5 / 4)
    assert by_country.at["AAA", "coverage"] == pytest.approx(4 / 5)
    assert by_country.at["BBB", "score"] == pytest.approx(1.0)
    assert by_country.at["BBB", "with_data"] == 3
    assert math.isnan(by_country.at["CCC", "score"]) and by_country.at["CCC", "coverage"] == 0
    by_axis = legislation.scores(cells, "axis", TABLE).set_index(["country", "axis"])
    assert by_axis.at[("AAA", "criminalization"), "score"] == pytest.approx(0.75)
    assert by_axis.at[("AAA", "protection"), "score"] == pytest.approx(0.0)
    assert by_axis.at[("AAA", "protection"), "coverage"] == pytest.approx(0.5)
    assert by_axis.at[("BBB", "protection"), "score"] == pytest.approx(1.0)


def test_gaps_and_missing_data_are_listed_apart():
    cells = cells_of({"AAA": {"a": "yes", "b": "partial", "c": "no",
                              "max_penalty_years": "3"}})
    gaps = legislation.gaps(cells, TABLE)
    assert list(gaps["criterion_id"]) == ["b", "c", "max_penalty_years"]
    assert list(gaps["level"]) == ["partial", "no", "no"]
    missing = legislation.missing_data(cells, TABLE)
    assert list(missing["criterion_id"]) == ["d"]


def test_gap_table_has_one_row_per_country_in_matrix_order():
    cells = legislation.merge(legislation.reference_rows(), pd.DataFrame([
        submitted_row("PAN", "PAN", "max_penalty_years", "3"),
        submitted_row("PAN", "PAN", "attempt", "partial"),
        submitted_row("PAN", "PAN", "enabling_stay", "partial"),
    ]), ["PAN", "NIC"]).cells
    table = legislation.gap_table(legislation.gaps(cells), ["PAN", "NIC"], "en")
    assert list(table["Country"]) == ["Panama", "Nicaragua"]
    assert list(table["Gaps"]) == [3, 0]  # submitted: 1 no + 2 partial (desk review: none)
    missing = table.columns[2]
    assert "Maximum prison term for the basic offence (years) (3)" in table.at[0, missing]
    assert table.at[0, table.columns[3]].startswith("Enabling illegal stay; Attempt")
    assert table.at[1, missing] == ""


def test_harmonization_ranks_the_most_divided_criteria_first():
    cells = cells_of({
        "AAA": {"a": "yes", "b": "yes", "c": "yes", "d": "yes"},
        "BBB": {"a": "partial", "b": "yes", "c": "no"},
        "CCC": {"a": "no", "b": "yes", "c": "no"},
        "DDD": {"b": "yes", "c": "yes"},
    })
    ranking = legislation.harmonization(cells, TABLE)
    assert list(ranking["criterion_id"]) == ["a", "c", "b", "d"]
    row = ranking.set_index("criterion_id")
    assert row.at["a", "entropy"] == pytest.approx(1.0)  # one yes, one partial, one no
    assert row.at["c", "entropy"] == pytest.approx(math.log(2) / math.log(3))
    assert row.at["c", "disagreement"] == pytest.approx(0.5)
    assert row.at["b", "entropy"] == 0 and row.at["b", "with_data"] == 4
    assert math.isnan(row.at["d", "entropy"])  # one country only
    assert "max_penalty_years" not in set(ranking["criterion_id"])


def test_penalties_side_by_side():
    cells = cells_of({"AAA": {"max_penalty_years": "3"}, "BBB": {"max_penalty_years": "10"},
                      "CCC": {}})
    rows = legislation.penalties(cells).set_index("country")
    assert rows.at["AAA", "years"] == 3 and not rows.at["AAA", "serious"]
    assert rows.at["BBB", "serious"] and math.isnan(rows.at["CCC", "years"])


# HTML -------------------------------------------------------------------------------------
def planted_cells() -> pd.DataFrame:
    baseline = legislation.reference_rows()
    submitted = pd.DataFrame([
        submitted_row("GTM", "GTM", "offence_definition", "yes",
                      instrument='Código <script>alert("x")</script> Penal'),
        {**submitted_row("GTM", "GTM", "attempt", "no"), "source_url": "javascript:alert(1)"},
    ])
    return legislation.merge(baseline, submitted, ["GTM", "MEX"]).cells


@pytest.mark.parametrize("lang", ["es", "en"])
def test_matrix_html_has_a_legend_and_escapes_everything(lang):
    page = matrices.legislation_matrix(planted_cells(), lang, table_id="A5.1")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page  # Jinja2 autoescape
    assert 'href="javascript:' not in page
    assert 'class="legend legislation-legend"' in page
    for level in ("yes", "partial", "no", "no_data"):
        assert legislation.COLOURS[level] in page
    assert "✓" in page and "✗" in page
    assert 'id="A5.1"' in page
    assert 'id="leg-note-1"' in page and 'href="#leg-note-1"' in page
    assert 'title="Guatemala · ' in page  # citation tooltips on the cells


def test_citations_are_numbered_once_per_source():
    cells = planted_cells()
    notes = legislation.citations(cells)
    assert sorted(notes.values()) == list(range(1, len(notes) + 1))
    assert len(notes) == len({k for k in notes})


def test_annex_matrix_is_one_row_per_criterion():
    table = legislation.annex_matrix(planted_cells(), "en")
    assert len(table) == 28 and list(table.columns[-2:]) == ["Guatemala", "Mexico"]
    assert "Yes" in set(table["Guatemala"])
    assert table.iloc[0, 0] == "Criminalization"


# notebook ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_state(tmp_path_factory, demo_report_es):
    """One clean cache of the demo data for this module's notebook runs (the shared build's)."""
    state = tmp_path_factory.mktemp("demo_state")
    use_demo_cache(demo_report_es, state)
    return state


@pytest.fixture
def run(tmp_path, monkeypatch, demo_state):
    monkeypatch.setenv(paths.STATE_ENV, str(demo_state))
    return lambda **parameters: _run(tmp_path, **parameters)


def _run(tmp_path, **parameters):
    if not any(paths.DEMO.glob("*")):
        pytest.skip(f"the demo data folder {paths.DEMO} is empty")
    out = tmp_path / "out"
    return run_notebook("50_legislation", out, **parameters), out


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["es", "en"])
def test_notebook_runs_on_the_demo_data(demo_reports, tmp_path, lang):
    out = tmp_path / "out"  # the notebook as the shared demo build of `lang` ran it
    notebook = notebook_of_build(demo_reports(lang), "50_legislation", out)
    html = outputs_html(notebook)
    assert "legislation-legend" in html and "<script>" not in html
    entries = json.loads((out / "annex" / "50_legislation.json").read_text())
    keys = {e["key"] for e in entries}
    assert {"legislation_matrix", "legislation_heatmap", "max_penalty"} <= keys
    matrix = next(e for e in entries if e["key"] == "legislation_matrix")
    assert matrix["number"] == "A5.1"
    table = pd.read_csv(out / matrix["files"][0])
    assert len(table) == 28  # nothing suppressed: legal facts are not personal data


@pytest.mark.slow
def test_notebook_runs_for_one_country(run):
    notebook, _ = run(lang="en", countries=["BLZ"])
    assert "legislation-legend" in outputs_html(notebook)
