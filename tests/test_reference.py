"""Reference data: every file has a provenance sidecar whose checksum matches."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
import yaml

from analysis.core import paths, reference

DATA_FILES = sorted(p for p in paths.REFERENCE.iterdir()
                    if p.suffix in (".csv", ".geojson"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_provenance_sidecar_matches(path):
    sidecar = path.with_name(path.name + ".provenance.yml")
    assert sidecar.is_file(), f"{path.name} has no provenance"
    meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    for key in ("title", "origin", "licence", "date", "sha256"):
        assert meta.get(key), f"{sidecar.name} lacks {key}"
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), path.name


def test_crm_members_and_places():
    countries = reference.countries()
    assert sorted(countries.index[countries["crm_member"]]) == sorted(reference.CRM_MEMBERS)
    places = reference.places()
    assert places["country"].isin(countries.index).all()
    assert places["lat"].between(-60, 75).all() and places["lon"].between(-170, -25).all()


def test_work_plan_has_39_actions_on_4_axes():
    actions = reference.workplan_actions()
    assert len(actions) == 39
    assert actions.groupby("axis").size().to_dict() == {"1": 11, "2": 8, "3": 10, "4": 10}
    overlaps = {a for v in actions["overlaps_with"] if v for a in v.split(";")}
    assert overlaps <= set(actions.index)
    assert "1.9" in actions.at["2.7", "overlaps_with"].split(";")


@pytest.mark.parametrize("read", [reference.countries, reference.places, reference.codelists,
                                  reference.criteria, reference.workplan_actions,
                                  reference.legislation_baseline, reference.exchange_rates])
def test_a_caller_cannot_change_the_shared_reference_tables(read):
    first = read()
    before = first.copy()
    first.iloc[:, 0] = "changed"
    first["extra"] = 1
    pd.testing.assert_frame_equal(read(), before)


def test_a_notebook_that_changes_a_reference_table_leaves_the_next_unchanged():
    """Two notebooks in one kept kernel, cleared between them as the runner does: the first
    vandalizes the reference tables it was given; the second reads them intact."""
    from conftest import kept_kernel_cells

    kernel, run_cell = kept_kernel_cells()

    try:
        run_cell("from analysis.core import reference\n"
                 "t = reference.countries()\nt['name_en'] = 'spoiled'\n"
                 "t.drop(t.index, inplace=True)\nreference.places().iloc[:, 0] = 'spoiled'")
        kernel.clear()
        printed = run_cell("from analysis.core import reference\n"
                           "print(len(reference.countries()),"
                           " reference.countries().at['GTM', 'name_en'],"
                           " reference.places().iloc[0, 0] != 'spoiled')")
    finally:
        kernel.stop()
    assert printed.split() == [str(len(reference.countries())), "Guatemala", "True"]
