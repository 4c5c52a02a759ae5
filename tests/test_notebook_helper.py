"""The notebook helper: tables published to the annex without being shown (for a styled
version shown in their place), their captions, and counts in the narrative."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report import matrices, notebook
from analysis.report.notebook import Report


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """What the helper displays, as HTML."""
    outputs: list[str] = []
    monkeypatch.setattr(notebook, "display", lambda item: outputs.append(item.data))
    return outputs


def _report(tmp_path, lang="en") -> Report:
    return Report("50_legislation", 5, None, tmp_path, lang, 5, run_date="2026-11-23")


def test_a_table_published_without_showing_keeps_its_number_and_caption(tmp_path, shown):
    report = _report(tmp_path)
    table = pd.DataFrame({"Criterion": ["a", "b"], "Guatemala": ["Yes", "No"]})
    published = report.table(table, "legislation_matrix", "legislation.tab_matrix",
                             counts=[], show=False)
    assert shown == []
    assert published.entry.number == "A5.1"
    assert (tmp_path / published.entry.files[0]).is_file()
    caption = report.caption(published)
    assert caption.label == "Table A5.1"
    assert caption.text == published.entry.caption
    assert caption.source.endswith("23 November 2026.")
    following = report.table(table, "next", "legislation.tab_status", counts=[])
    assert following.entry.number == "A5.2"  # the numbering goes on
    assert len(shown) == 1 and 'id="table-A5.2"' in shown[0]


def test_the_styled_block_carries_the_caption_escaped(tmp_path, shown):
    report = _report(tmp_path)
    published = report.table(pd.DataFrame({"a": ["x"]}), "evidence", "workplan.tab_evidence",
                             counts=[], show=False)
    published.entry.caption = "<b>caption</b>"
    grid = pd.DataFrame(columns=["country", "action_id", "status"])
    page = matrices.workplan_evidence(grid, "en", caption=report.caption(published),
                                      table_id=published.entry.number)
    assert 'id="A5.1"' in page and "Table A5.1." in page
    assert "&lt;b&gt;caption&lt;/b&gt;" in page and "<b>" not in page
    assert report.caption_markup(published).count("&lt;b&gt;") == 1


def test_small_counts_are_not_given_exactly_in_the_narrative(tmp_path):
    report = _report(tmp_path)
    assert report.count_text(0, "modus.fewer_than") == "0"
    assert report.count_text(5, "modus.fewer_than") == "5"
    assert report.count_text(3, "modus.fewer_than") == report.t("modus.fewer_than", k=5)
