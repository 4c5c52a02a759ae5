"""Published counts as text → whole numbers, with the reason where a value is not one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.numbers import NumberFormat
from analysis.data.numbers import parse as parse_numbers


def parse(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(counts as Int64, reason per row: '' or not_a_number / negative / not_an_integer / empty).

    Thousands separators ("1,234", "1 234", and "1.234": a count is whole, so a dot before
    groups of exactly three digits separates thousands) and decimal renderings of whole
    numbers ("79.0") read."""
    raw = values.fillna("").astype(str).str.strip()
    plain = raw.str.replace(r"(?<=\d)[ \u00a0\u202f](?=\d{3}\b)", "", regex=True)
    grouped = plain.str.fullmatch(r"-?\d{1,3}(\.\d{3})+|-?\d{1,3}(,\d{3})+")
    plain = plain.where(~grouped, plain.str.replace(r"[.,]", "", regex=True))
    plain = plain.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)  # "2,5": a decimal
    numbers, _ = parse_numbers(plain, NumberFormat(decimal="."))  # whole counts: no ambiguity
    reason = pd.Series("", index=values.index, dtype=object)
    reason[raw == ""] = "empty_count"
    reason[(raw != "") & numbers.isna()] = "not_a_number"
    reason[(reason == "") & (numbers < 0)] = "negative"
    reason[(reason == "") & (numbers != np.floor(numbers))] = "not_an_integer"
    good = reason == ""
    counts = pd.Series(pd.NA, index=values.index, dtype="Int64")
    counts[good] = numbers[good].round().astype("int64")
    return counts, reason
