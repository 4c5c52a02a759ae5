"""The legislation baseline is citable: official or authoritative https sources on a reviewed
domain list, party status from the UN Treaty Collection with its date, serious crime in line
with the maximum penalty, honest gaps with search notes, and scores shown with their coverage
(no score below half of the criteria)."""

from __future__ import annotations

import hashlib
import math
from urllib.parse import urlparse

import pandas as pd
import pytest
import yaml

from analysis.core import i18n, paths, reference
from analysis.diagnostic import legislation
from analysis.report import matrices

DOMAIN_KINDS = {"depositary", "official_gazette", "official_consolidation", "legislature",
                "court", "authoritative_secondary"}


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return reference.legislation_baseline()


@pytest.fixture(scope="module")
def domains() -> list[str]:
    return list(reference.legal_source_domains()["domain"])


def filled(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["value"] != ""]


# the file itself --------------------------------------------------------------------------
def test_one_row_per_member_and_criterion_with_the_new_columns(rows):
    assert {"text_version", "in_force"} <= set(rows.columns)
    keys = set(zip(rows["country"], rows["criterion_id"], strict=True))
    assert len(rows) == len(keys) == 11 * 28
    assert keys == {(c, k) for c in reference.CRM_MEMBERS for k in legislation.criteria()
                    ["criterion_id"]}


def test_the_real_baseline_breaks_no_sourcing_rule(rows, domains):
    problems = legislation.source_problems(rows, domains)
    assert problems.empty, problems.to_string()


# party status from the UN Treaty Collection -------------------------------------------------
def test_party_status_for_all_eleven_comes_from_untc_with_a_date_or_is_an_explained_gap(rows):
    party = rows[rows["criterion_id"] == "party_protocol"].set_index("country")
    assert sorted(party.index) == sorted(reference.CRM_MEMBERS)
    for country, row in party.iterrows():
        if row["value"]:
            assert urlparse(row["source_url"]).hostname == "treaties.un.org", country
            assert legislation.DATE_IN_NOTE.search(row["note"]), country
            assert row["in_force"] == "yes", country
        else:
            assert "UNTC" in row["note"], country  # says what was searched
    assert (party["value"] != "").sum() >= 5


def test_a_party_cell_without_untc_or_without_a_date_is_flagged(rows, domains):
    bad = rows.copy()
    blz = (bad["country"] == "BLZ") & (bad["criterion_id"] == "party_protocol")
    bad.loc[blz, "note"] = "Party (no date)."
    mex = (bad["country"] == "MEX") & (bad["criterion_id"] == "party_protocol")
    bad.loc[mex, ["value", "source_url", "text_version", "in_force", "status", "note"]] = [
        "yes", "https://www.dof.gob.mx/x", "DOF", "yes", "draft", "Ratified 4 Mar 2003."]
    found = legislation.source_problems(bad, domains)
    flagged = found[found["problem"] == "party_not_from_untc_with_date"]
    assert sorted(flagged["country"]) == ["BLZ", "MEX"]


# serious crime and the maximum penalty ------------------------------------------------------
def test_serious_crime_agrees_with_the_maximum_penalty_wherever_both_exist(rows):
    wide = filled(rows).pivot(index="country", columns="criterion_id", values="value")
    both = wide.dropna(subset=["max_penalty_years", "serious_crime"])
    assert len(both) >= 4
    for country, row in both.iterrows():
        expected = "yes" if float(row["max_penalty_years"]) >= 4 else "no"
        assert row["serious_crime"] == expected, country


def test_a_disagreeing_serious_crime_cell_is_flagged(rows, domains):
    bad = rows.copy()
    at = (bad["country"] == "GTM") & (bad["criterion_id"] == "max_penalty_years")
    bad.loc[at, "value"] = "3"
    found = legislation.source_problems(bad, domains)
    assert found[["country", "criterion_id", "problem"]].values.tolist() == [
        ["GTM", "serious_crime", "serious_crime_disagrees_with_max_penalty"]]


# addresses and the domain list --------------------------------------------------------------
def test_every_address_is_https_and_on_the_reviewed_domain_list(rows, domains):
    for row in filled(rows).itertuples():
        assert row.source_url.startswith("https://"), (row.country, row.criterion_id)
        assert legislation.on_list(row.source_url, domains), row.source_url
    assert (rows.loc[rows["value"] == "", "source_url"] == "").all()


def test_the_domain_list_is_short_reviewed_and_justified():
    table = reference.legal_source_domains()
    assert table["domain"].is_unique and len(table) <= 30
    assert set(table["kind"]) <= DOMAIN_KINDS
    assert (table["justification"].str.len() > 20).all()
    assert not table["domain"].str.contains(r"[/:\s]").any()


def test_every_listed_domain_except_the_anticipated_ones_is_used(rows, domains):
    used = {d for d in domains if any(legislation.on_list(u, [d])
                                      for u in filled(rows)["source_url"])}
    assert {"treaties.un.org", "sherloc.unodc.org", "justice.gc.ca", "dof.gob.mx"} <= used


@pytest.mark.parametrize("url, problem", [
    ("http://treaties.un.org/x", "not_https"),
    ("https://www.licen.ai/articulos/x", "domain_not_listed"),
    ("https://eviltreaties.un.org.example.com/x", "domain_not_listed"),
])
def test_a_plain_http_or_unlisted_address_is_flagged(rows, domains, url, problem):
    bad = rows.copy()
    at = (bad["country"] == "CAN") & (bad["criterion_id"] == "offence_definition")
    bad.loc[at, "source_url"] = url
    found = legislation.source_problems(bad, domains)
    assert found[["country", "criterion_id", "problem"]].values.tolist() == [
        ["CAN", "offence_definition", problem]]
    assert found["line"].iloc[0] == int(bad.index[at][0]) + 2


def test_subdomains_of_a_listed_domain_match_but_lookalikes_do_not():
    assert legislation.on_list("https://laws-lois.justice.gc.ca/eng/acts/I-2.5/",
                               ["justice.gc.ca"])
    assert not legislation.on_list("https://notjustice.gc.ca/x", ["justice.gc.ca"])


# gaps, versions and provenance --------------------------------------------------------------
def test_every_gap_says_what_was_searched_and_every_value_its_version(rows, domains):
    gaps = rows[rows["value"] == ""]
    assert (gaps["status"] == "no_data").all()
    assert (gaps["note"].str.len() > 40).all()
    assert (gaps["in_force"] == "").all() and (gaps["text_version"] == "").all()
    values = filled(rows)
    assert (values["status"] == "draft").all()
    assert set(values["in_force"]) <= set(legislation.IN_FORCE)
    assert (values["text_version"] != "").all()
    bad = rows.copy()
    at = (bad["country"] == "NIC") & (bad["criterion_id"] == "attempt")
    bad.loc[at, "note"] = ""
    found = legislation.source_problems(bad, domains)
    assert found["problem"].tolist() == ["gap_without_search_note"]


@pytest.mark.parametrize("name", ["legislation.csv", "legal_source_domains.csv"])
def test_sidecar_checksums_are_recomputed(name):
    path = paths.REFERENCE / name
    meta = yaml.safe_load(path.with_name(name + ".provenance.yml").read_text(encoding="utf-8"))
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_currency_questions_are_answered_with_their_sources():
    meta = yaml.safe_load((paths.REFERENCE / "legislation.csv.provenance.yml")
                          .read_text(encoding="utf-8"))
    questions = {q["question"].split(",")[0].split(":")[0]: q for q in meta["currency"]}
    assert set(questions) == {"El Salvador", "Costa Rica", "Dominican Republic", "Honduras",
                              "Guatemala", "Mexico"}
    domains = list(reference.legal_source_domains()["domain"])
    for q in questions.values():
        assert len(q["answer"]) > 100
        assert all(u.startswith("https://") and legislation.on_list(u, domains)
                   for u in q["sources"])


# columns carried through the merge and shown with the source -------------------------------
def test_text_version_and_in_force_are_carried_and_shown_in_the_tooltip():
    cells = legislation.merge(legislation.reference_rows(), None, ["HND"]).cells
    row = cells.set_index("criterion_id").loc["max_penalty_years"]
    assert row["in_force"] == "unknown" and row["text_version"].startswith("SHERLOC")
    page = matrices.legislation_matrix(cells, "es")
    assert "Versión del texto consultado: SHERLOC" in page and "Vigente: no verificado" in page


def test_a_submission_without_the_new_columns_still_merges():
    submitted = pd.DataFrame([{"reporting_country": "PAN", "country": "PAN",
                               "criterion_id": "attempt", "value": "sí", "instrument": "CP",
                               "article": "art. 82", "source_url": "", "status": "validated",
                               "date_reviewed": "2027-01-01"}])
    cells = legislation.merge(legislation.reference_rows(), submitted, ["PAN"]).cells
    row = cells.set_index("criterion_id").loc["attempt"]
    assert (row["value"], row["text_version"], row["in_force"]) == ("yes", "", "")


@pytest.mark.parametrize("raw, expected", [("Sí", "yes"), ("no", "no"), ("derogado?", "unknown"),
                                           ("", ""), (None, "")])
def test_in_force_is_normalized(raw, expected):
    assert legislation.normalize_in_force(raw) == expected


# scores with their coverage -----------------------------------------------------------------
TABLE = pd.DataFrame({
    "criterion_id": ["a", "b", "c", "d"],
    "axis": ["criminalization", "criminalization", "protection", "protection"],
    "article": ["1", "2", "3", "4"], "value_type": ["yes_no_partial"] * 4,
    "label_es": list("ABCD"), "label_en": list("ABCD"),
    "explanation_es": [""] * 4, "explanation_en": [""] * 4, "weight": [1.0] * 4,
})


def cells_of(values: dict[str, dict[str, str]]) -> pd.DataFrame:
    records = [{"country": country, "criterion_id": c, "value": got.get(c, ""),
                "status": "draft" if got.get(c) else "no_data"}
               for country, got in values.items() for c in TABLE["criterion_id"]]
    return pd.DataFrame(records).reindex(columns=legislation.CELL_COLUMNS, fill_value="")


def test_no_score_below_half_of_the_criteria_and_a_score_at_half():
    cells = cells_of({"HALF": {"a": "yes", "c": "no"}, "LOW": {"a": "yes"}, "NONE": {}})
    by_country = legislation.scores(cells, "country", TABLE).set_index("country")
    assert by_country.at["HALF", "sufficient"] and by_country.at["HALF", "score"] == 0.5
    assert not by_country.at["LOW", "sufficient"] and math.isnan(by_country.at["LOW", "score"])
    assert by_country.at["LOW", "with_data"] == 1 and by_country.at["LOW", "criteria"] == 4
    by_axis = legislation.scores(cells, "axis", TABLE).set_index(["country", "axis"])
    assert by_axis.at[("LOW", "criminalization"), "score"] == 1.0  # 1 of 2: half
    assert math.isnan(by_axis.at[("LOW", "protection"), "score"])  # 0 of 2


@pytest.mark.parametrize("lang", ["es", "en"])
def test_score_table_shows_coverage_beside_every_score_or_says_insufficient(lang):
    cells = cells_of({"HALF": {"a": "yes", "c": "no"}, "LOW": {"a": "yes"}})
    wide = legislation.score_table(legislation.scores(cells, "country", TABLE),
                                   legislation.scores(cells, "axis", TABLE))
    shown = legislation.score_display(wide, lang).set_index(i18n.t("common.country", lang))
    insufficient = i18n.t("legislation.insufficient_data", lang)
    assert insufficient in {"es": "datos insuficientes", "en": "insufficient data"}[lang]
    score = i18n.t("legislation.col_score", lang)
    assert shown.at["LOW", score] == insufficient
    assert shown.at["HALF", score] == i18n.fmt_number(0.5, lang, 2)
    assert shown.at["LOW", i18n.t("legislation.col_with_data", lang)] == 1
    protection = i18n.t("legislation.axis_protection", lang)
    criminalization = i18n.t("legislation.axis_criminalization", lang)
    assert shown.at["LOW", protection] == f"{insufficient} (0/2)"
    assert shown.at["LOW", criminalization] == f"{i18n.fmt_number(1.0, lang, 2)} (1/2)"
