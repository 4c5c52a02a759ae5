"""Lean font subsets in the figures' PDFs.

The figures' PDFs embed their fonts as TrueType (`pdf.fonttype: 42`; publishers refuse Type 3
fonts), subsets made by fontTools. By default the subsets keep the font's layout tables
(GSUB, GPOS, GDEF, the legacy `kern`, MATH), and subsetting those tables of DejaVu Sans was
most of the time of writing a PDF (0.34 of 0.40 s for a bar chart). A PDF never reads them:
matplotlib has already shaped and kerned the text and places every glyph itself, and a viewer
draws the glyphs where the page puts them, with the outlines, metrics, cmap and names that the
subset keeps. Within `lean_font_subsets()` those tables are left out of the subsets, so the
PDF renders and extracts the same, in about half the time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fontTools import subset

UNUSED_IN_PDF = ("GSUB", "GPOS", "GDEF", "kern", "MATH")


@contextmanager
def lean_font_subsets() -> Iterator[None]:
    """While active, the font subsets fontTools makes leave out the tables a PDF never uses.

    Matplotlib builds its subsetting options inside its PDF backend; the only way to reach
    them is the defaults they start from (`Options._drop_tables_default`), changed here for
    the time of one PDF and restored after, whatever happens.
    """
    default = subset.Options._drop_tables_default
    subset.Options._drop_tables_default = [*default,
                                           *(t for t in UNUSED_IN_PDF if t not in default)]
    try:
        yield
    finally:
        subset.Options._drop_tables_default = default
