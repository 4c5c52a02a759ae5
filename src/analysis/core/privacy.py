"""Privacy: keyed pseudonyms at ingestion and small-cell suppression in published tables."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

KEY_ENV = "ANALYSIS_PSEUDONYM_KEY"
KEY_FILE_ENV = "ANALYSIS_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_FILE = Path("~/.config/analysis/pseudonym.key")
# The fixed key of the synthetic demo data. It is public on purpose: demo data identifies nobody.
DEMO_KEY = "crm-demo-data-public-key"
DEFAULT_MIN_CELL_SIZE = 5


class MissingKey(RuntimeError):
    """Real data cannot be ingested without a pseudonymization key."""


def load_key(synthetic: bool) -> bytes:
    """The pseudonymization key: from the environment, a key file, or the demo key."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    key_file = Path(os.environ.get(KEY_FILE_ENV, DEFAULT_KEY_FILE)).expanduser()
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip().encode()
    if synthetic:
        return DEMO_KEY.encode()
    raise MissingKey(key_file)


def key_fingerprint(key: bytes) -> str:
    """A short, non-reversible fingerprint that tells keys apart without revealing them."""
    return hashlib.sha256(b"fingerprint:" + key).hexdigest()[:8]


def pseudonym(value: str, key: bytes, prefix: str) -> str:
    """The keyed pseudonym of one identifier: same key and value, same pseudonym."""
    digest = hmac.digest(key, value.strip().encode("utf-8"), "sha256").hex()
    return f"{prefix}-{digest[:12]}"


def pseudonymize(values: pd.Series, key: bytes, prefix: str) -> pd.Series:
    """Pseudonymize a column; missing values stay missing. Multi-valued cells split on ';'.

    Each distinct cell is pseudonymized once: a column of a million identifiers that repeat
    (a case's migrants all name the case) costs one keyed hash per identifier."""
    out = np.full(len(values), pd.NA, dtype=object)
    cells = values.to_numpy(dtype=object)
    missing = np.fromiter((_missing(v) for v in cells), dtype=bool, count=len(cells))
    if not missing.all():
        texts = np.fromiter((v if type(v) is str else str(v) for v in cells[~missing]),
                            dtype=object, count=int((~missing).sum()))
        codes, uniques = pd.factorize(texts, sort=False)
        shown = [_pseudonyms(text, key, prefix) for text in uniques]
        out[~missing] = np.asarray(shown, dtype=object)[codes]
    return pd.Series(out, index=values.index).astype("string")


def _pseudonyms(text: str, key: bytes, prefix: str) -> str:
    """The pseudonyms of the identifiers of one cell, joined by ';'."""
    if ";" not in text:
        return pseudonym(text, key, prefix) if text.strip() else ""
    return ";".join(pseudonym(p, key, prefix) for p in (s.strip() for s in text.split(";"))
                    if p)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def suppress(
    table: pd.DataFrame,
    threshold: int = DEFAULT_MIN_CELL_SIZE,
    columns: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Suppress counts below `threshold` (zeros stay), and enough other cells that no
    suppressed count can be worked out from row or column totals.

    Suppressed cells become missing; `result.attrs["suppressed"]` holds the boolean mask.
    """
    columns = list(columns) if columns is not None else list(
        table.select_dtypes("number").columns
    )
    values = table[columns].to_numpy(dtype=float)
    mask = (values > 0) & (values < threshold)
    changed = True
    while changed:
        changed = False
        for view_values, view_mask in ((values, mask), (values.T, mask.T)):
            for row, row_mask in zip(view_values, view_mask, strict=True):
                if row_mask.sum() != 1:
                    continue
                candidates = np.where(~row_mask & (row > 0), row, np.inf)
                if np.isfinite(candidates).any():
                    row_mask[int(np.argmin(candidates))] = True
                    changed = True
    mask = pd.DataFrame(mask, index=table.index, columns=columns)
    result = table.copy()
    for column in columns:
        result[column] = result[column].astype(float).mask(mask[column])
    full_mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    full_mask[columns] = mask
    result.attrs["suppressed"] = full_mask
    return result


def suppress_rows(
    table: pd.DataFrame, n_column: str, threshold: int = DEFAULT_MIN_CELL_SIZE
) -> pd.DataFrame:
    """Blank every statistic of the rows that rest on fewer than `threshold` records."""
    small = table[n_column].astype(float) < threshold
    result = table.copy()
    numeric = result.select_dtypes("number").columns
    for column in numeric:
        result[column] = result[column].astype(float).mask(small)
    full_mask = pd.DataFrame(False, index=table.index, columns=table.columns)
    full_mask.loc[small, list(numeric)] = True
    result.attrs["suppressed"] = full_mask
    return result
