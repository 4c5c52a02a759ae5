"""Which layout a file has, decided by its columns (and, for IOM's gdidata tables, which share
a few column sets, by the file's name)."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.core import i18n
from analysis.data.adapters.flows import cbp, generic
from analysis.data.adapters.flows.producers import CBP_STATISTIC, GDIDATA, Statistic

GDIDATA_NEEDS = ("t", "n")


class FlowsImportError(ValueError):
    """A file cannot be imported; the message says why, for the user (no traceback)."""


class UnknownLayout(FlowsImportError):
    """No layout matches the file's columns; the message names the columns each one needs."""


@dataclass(frozen=True)
class Layout:
    name: str  # cbp | gdidata | generic
    statistic: Statistic | None = None


def detect(columns: list[str], stem: str, file_name: str, lang: str) -> Layout:
    """The layout of a file whose (folded) column names are `columns`."""
    if all(c in columns for c in cbp.NEEDS):
        return Layout("cbp", CBP_STATISTIC)
    stat = GDIDATA.get(stem.lower())
    if stat is not None and all(c in columns for c in GDIDATA_NEEDS):
        return Layout("gdidata", stat)
    if generic.matches(columns):
        return Layout("generic")
    raise UnknownLayout(i18n.t(
        "flows.error_unknown_layout", lang, file=file_name, columns=", ".join(columns) or "-",
        cbp=", ".join(f'"{c}"' for c in ("Fiscal Year", "Month (abbv)", "Encounter Count")),
        gdidata=", ".join(GDIDATA_NEEDS), known=", ".join(f"{s}.csv" for s in GDIDATA),
        generic=", ".join(generic.NEEDS)))
