"""What the methodology section states that can be read off the project itself:
the reference sources with their provenance, and which fields are pseudonymized or dropped."""

from __future__ import annotations

import pandas as pd

from analysis.core import reference
from analysis.core.contract import TABLES


def reference_sources() -> pd.DataFrame:
    """Every reference file with its provenance sidecar: title, origin, licence, date."""
    rows = []
    for name, meta in reference.provenance():
        rows.append({
            "file": name,
            "title": str(meta.get("title", "")).strip(),
            "licence": str(meta.get("licence", "")).strip().split("\n")[0],
            "date": str(meta.get("date", "")),
        })
    return pd.DataFrame(rows, columns=["file", "title", "licence", "date"])


def identifier_fields() -> pd.DataFrame:
    """Fields pseudonymized at ingestion and fields dropped there, per table."""
    rows = [{"table": t.name, "field": f.name,
             "treatment": "pseudonymized" if f.pseudonymize else "dropped"}
            for t in TABLES.values() for f in t.fields if f.pseudonymize or f.drop]
    return pd.DataFrame(rows, columns=["table", "field", "treatment"])
