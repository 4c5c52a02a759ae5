"""Pseudonyms and small-cell suppression."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames

from analysis.core import privacy


def test_pseudonym_is_keyed_and_stable():
    a = privacy.pseudonym("GTM-P-0001", b"key one", "M")
    assert a == privacy.pseudonym("GTM-P-0001", b"key one", "M")
    assert a != privacy.pseudonym("GTM-P-0001", b"key two", "M")
    assert a.startswith("M-") and "0001" not in a


def test_multi_valued_cells_are_pseudonymized_one_by_one():
    out = privacy.pseudonymize(pd.Series(["C1;C2", None]), b"k", "C")
    assert out[0] == ";".join(privacy.pseudonym(c, b"k", "C") for c in ("C1", "C2"))
    assert pd.isna(out[1])


def test_pseudonym_is_the_standard_keyed_hash():
    import hashlib
    import hmac

    digest = hmac.new(b"key", b"GTM/C1", hashlib.sha256).hexdigest()
    assert privacy.pseudonym(" GTM/C1 ", b"key", "C") == f"C-{digest[:12]}"


CELLS = st.one_of(st.none(), st.just(np.nan), st.just(pd.NA), st.integers(0, 3),
                  st.floats(0, 3, allow_nan=False),
                  st.text(alphabet="ab ;/", max_size=6))


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(CELLS, max_size=12), dtype=st.sampled_from([object, "string"]))
def test_a_column_is_pseudonymized_cell_by_cell(cells, dtype):
    """A column gives, cell by cell, what each cell gives alone (each distinct cell is hashed
    once): missing stays missing, 5 and 5.0 differ as text, blank parts are left out."""
    values = pd.Series(cells, dtype=object, index=range(10, 10 + len(cells)))
    if dtype == "string":
        values = values.map(lambda v: v if isinstance(v, str) or privacy._missing(v)
                            else str(v)).astype("string")
    out = privacy.pseudonymize(values, b"k", "X")
    assert str(out.dtype) == "string" and list(out.index) == list(values.index)
    for value, got in zip(values, out, strict=True):
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            assert got is pd.NA
        else:
            parts = [p.strip() for p in str(value).split(";") if p.strip()]
            assert got == ";".join(privacy.pseudonym(p, b"k", "X") for p in parts)


def test_primary_and_complementary_suppression():
    table = pd.DataFrame({"a": [10, 3, 20], "b": [12, 15, 2], "c": [30, 40, 50]},
                         index=["x", "y", "z"])
    out = privacy.suppress(table, 5)
    assert out.isna().to_numpy().sum() == 4
    assert out.loc["x"].notna().all()  # the complement does not spread further than needed
    assert out.loc["y", "a"] != out.loc["y", "a"] and np.isnan(out.loc["z", "b"])


def test_zero_is_not_suppressed():
    out = privacy.suppress(pd.DataFrame({"a": [0, 10], "b": [10, 10]}), 5)
    assert out.notna().all().all()


def test_rows_resting_on_few_records_are_blanked():
    table = pd.DataFrame({"corridor": ["x", "y"], "n": [3, 40], "median": [900.0, 1200.0]})
    out = privacy.suppress_rows(table, "n", 5)
    assert out["median"].isna().tolist() == [True, False]
    assert out["corridor"].tolist() == ["x", "y"]


counts = data_frames([column(name, elements=st.integers(0, 30)) for name in "abcd"],
                     index=st.just(pd.RangeIndex(5)))


@settings(max_examples=150, deadline=None)
@given(counts, st.integers(2, 10))
def test_no_suppressed_cell_can_be_worked_out_from_totals(table, threshold):
    out = privacy.suppress(table, threshold)
    mask = out.attrs["suppressed"].to_numpy()
    values = table.to_numpy()
    assert not ((values > 0) & (values < threshold) & ~mask).any()  # primary
    for row_mask, row in zip(mask, values, strict=True):
        if row_mask.sum() == 1:
            others = row[~row_mask]
            assert not (others > 0).any()  # a lone hidden cell only where nothing could hide it
    for col_mask, col in zip(mask.T, values.T, strict=True):
        if col_mask.sum() == 1:
            assert not (col[~col_mask] > 0).any()
