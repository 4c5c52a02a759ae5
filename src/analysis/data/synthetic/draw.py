"""Vectorized drawing helpers: weighted picks, sequences, ids, dates and numbers as text."""

from __future__ import annotations

import numpy as np
import pandas as pd


def shares(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def pick_index(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    """n indices drawn with the given (unnormalized) weights."""
    return rng.choice(len(weights), size=n, p=shares(weights))


def pick_rows(rng: np.random.Generator, row: np.ndarray, table: np.ndarray) -> np.ndarray:
    """For each item, an index drawn from the weights in `table[row]`."""
    table = np.asarray(table, dtype=float)
    cum = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(row))
    return np.minimum((u[:, None] > cum[row]).sum(axis=1), table.shape[1] - 1)


def group_starts(sizes: np.ndarray) -> np.ndarray:
    return np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)


def rank_within(sizes: np.ndarray) -> np.ndarray:
    """0, 1, … within each consecutive group of the given sizes."""
    total = int(sizes.sum())
    return np.arange(total) - np.repeat(group_starts(sizes), sizes)


def sequence(keys: np.ndarray) -> np.ndarray:
    """1, 2, … within runs of equal keys (keys sorted)."""
    change = np.concatenate(([True], keys[1:] != keys[:-1]))
    starts = np.flatnonzero(change)
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    return rank_within(sizes) + 1


def make_ids(prefix: np.ndarray, number: np.ndarray, width: int) -> np.ndarray:
    numbers = pd.Series(number).astype(str).str.zfill(width)
    return (pd.Series(prefix, dtype=object) + numbers).to_numpy(dtype=object)


def iso_dates(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)


def random_days(rng: np.random.Generator, years: np.ndarray) -> np.ndarray:
    """A uniform day within each given year, as datetime64[D]."""
    start = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    length = ((years + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]") - start)
    return start + (rng.random(len(years)) * length.astype(int)).astype(int)


def nice(amount: np.ndarray) -> np.ndarray:
    """Round to two significant digits, as people quote prices (8,500; 160,000)."""
    amount = np.asarray(amount, dtype=float)
    step = 10.0 ** np.maximum(np.floor(np.log10(np.maximum(amount, 1))) - 1, 0)
    return np.round(amount / step) * step


def codes_joined(mask: np.ndarray, codes: tuple[str, ...]) -> np.ndarray:
    """Rows of a boolean matrix → "a;c" strings in code-list order ("" when none)."""
    bits = (mask.astype(np.int64) << np.arange(mask.shape[1])).sum(axis=1)
    table = np.array([";".join(c for j, c in enumerate(codes) if k >> j & 1)
                      for k in range(1 << len(codes))], dtype=object)
    return table[bits]


def as_text(values: np.ndarray, present: np.ndarray | None = None, fmt: str = "{:.0f}"):
    """Numbers as text with a fixed format; "" where not present."""
    values = np.asarray(values)
    out = np.full(len(values), "", dtype=object)
    keep = np.ones(len(values), bool) if present is None else np.asarray(present, bool)
    if keep.any():
        out[keep] = pd.Series(values[keep]).map(fmt.format).to_numpy(dtype=object)
    return out
