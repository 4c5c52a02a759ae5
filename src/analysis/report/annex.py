"""The numbered annex: every published figure and table, with caption, source note and date.

Figures are written as PNG (300 dpi), SVG and PDF with no timestamps, so the files are
byte-identical from one run to the next. The figure is rasterized once, at 300 dpi: that
raster is the PNG (RGB when it is opaque, as the diagnostic's figures are) and the source of
the screen preview. Tables pass through small-cell suppression before they are written or
shown. Each notebook run records its entries in `annex/<run>.json`; the runner gathers them
into the catalogue and the Excel workbook.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from fontTools import subset as font_subset
from matplotlib.backends import _backend_pdf_ps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from analysis.core import i18n, privacy
from analysis.core.text import slug
from analysis.report.pdf_fonts import lean_font_subsets

FIGURE_FORMATS = ("png", "svg", "pdf")
FIGURE_DPI = 300
PREVIEW_DPI = 110
SAVE_METADATA = {  # no dates and no software versions: the same figure gives the same bytes
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


@dataclass
class Entry:
    """One figure or table of the annex."""

    kind: str  # figure | table
    number: str  # "A1.3"
    key: str
    caption: str
    source: str
    date: str
    files: list[str]
    notebook: str
    country: str = ""


@dataclass(frozen=True)
class Caption:
    """What an annex item shows above it: "Tabla A5.1", its caption, the dated source note."""

    label: str
    text: str
    source: str


class Annex:
    """Numbers, writes and records the figures and tables of one notebook run."""

    def __init__(
        self, output_dir: Path, notebook: str, section: int, lang: str, source: str,
        date: str, min_cell_size: int, country: str = "",
    ) -> None:
        self.output_dir = Path(output_dir)
        self.notebook, self.section, self.lang = notebook, section, lang
        self.source, self.date, self.country = source, date, country
        self.min_cell_size = min_cell_size
        self.entries: list[Entry] = []
        self._written: list[dict] = []  # the entries as written to annex/<run>.json
        self._counts = {"figure": 0, "table": 0}
        self._raster: tuple[Path, Image.Image] | None = None  # the last figure's, till shown

    @property
    def run_key(self) -> str:
        return f"{self.notebook}_{self.country}" if self.country else self.notebook

    def _next(self, kind: str) -> str:
        self._counts[kind] += 1
        return f"A{self.section}.{self._counts[kind]}"

    def _stem(self, number: str, key: str) -> str:
        parts = [number, self.country, slug(key)]
        return "_".join(p for p in parts if p)

    def label(self, kind: str, number: str) -> str:
        return i18n.t(f"common.{kind}_label", self.lang, number=number)

    def caption(self, entry: Entry) -> Caption:
        """The caption of a recorded entry, in this run's language."""
        return Caption(self.label(entry.kind, entry.number), entry.caption,
                       f"{self.source} {i18n.fmt_date(self.date, self.lang)}.")

    def save_figure(self, fig, key: str, caption: str) -> Entry:
        """Write the figure in every annex format and record it."""
        number = self._next("figure")
        folder = self.output_dir / "figures"
        folder.mkdir(parents=True, exist_ok=True)
        stem = self._stem(number, key)
        files = {fmt: folder / f"{stem}.{fmt}" for fmt in FIGURE_FORMATS}
        with matplotlib.rc_context({"svg.hashsalt": f"crm-{stem}"}):
            fig.draw_without_rendering()  # lay out once; every format gets the same crop
            bbox = fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])
            raster = rasterize(fig, bbox, FIGURE_DPI)
            write_png(raster, files["png"], FIGURE_DPI)
            fig.savefig(files["svg"], format="svg", dpi=FIGURE_DPI,
                        metadata=SAVE_METADATA["svg"], bbox_inches=bbox)
            with lean_font_subsets(), reused_font_subsets():
                fig.savefig(files["pdf"], format="pdf", dpi=FIGURE_DPI,
                            metadata=SAVE_METADATA["pdf"], bbox_inches=bbox)
        self._raster = (files["png"], raster)
        return self._record("figure", number, key, caption,
                            [f"figures/{path.name}" for path in files.values()])

    def preview(self, entry: Entry, dpi: int = PREVIEW_DPI) -> bytes:
        """A screen-size PNG of a saved figure, scaled down from its 300 dpi raster (the one
        just saved is still in memory; an older one is read from its file)."""
        png = self.output_dir / entry.files[0]
        if self._raster is not None and self._raster[0] == png:
            raster, self._raster = self._raster[1], None  # shown once: memory freed
            return preview_png(raster, dpi / FIGURE_DPI)
        with Image.open(png) as image:
            return preview_png(image, dpi / FIGURE_DPI)

    def save_table(
        self, table: pd.DataFrame, key: str, caption: str, counts: list[str] | None = None,
        n_column: str | None = None,
    ) -> tuple[Entry, pd.DataFrame]:
        """Suppress small cells, write the table as CSV and record it.

        `counts` names the count columns (default: every numeric column); `n_column` names a
        column holding the number of records behind each row, for tables of statistics.
        """
        number = self._next("table")
        published = publishable(table, self.min_cell_size, counts, n_column)
        folder = self.output_dir / "tables"
        folder.mkdir(parents=True, exist_ok=True)
        stem = self._stem(number, key)
        marked = mark_suppressed(published, self.min_cell_size)
        marked.to_csv(folder / f"{stem}.csv", index=False, lineterminator="\n")
        entry = self._record("table", number, key, caption, [f"tables/{stem}.csv"])
        return entry, published

    def _record(self, kind, number, key, caption, files) -> Entry:
        entry = Entry(kind, number, key, caption, self.source, self.date, files,
                      self.notebook, self.country)
        self.entries.append(entry)
        self._written.append(asdict(entry))
        folder = self.output_dir / "annex"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{self.run_key}.json").write_text(
            json.dumps(self._written, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        return entry


class _RasterCanvas(FigureCanvasAgg):
    """An Agg canvas with one more output format, `raster`: the pixels it drew, handed over as
    an image (matplotlib's `rgba` format writes them without their width and height)."""

    def print_raster(self, images: list, **_options) -> None:
        FigureCanvasAgg.draw(self)
        images.append(Image.fromarray(np.array(self.buffer_rgba())))


def rasterize(fig, bbox, dpi: int) -> Image.Image:
    """The figure drawn by Agg at `dpi` and cropped to `bbox` (inches), as `savefig` draws a
    PNG: RGB when every pixel is opaque, RGBA otherwise."""
    images: list[Image.Image] = []
    canvas = fig.canvas
    try:  # as savefig does for a format its canvas lacks: another canvas for the time of it
        _RasterCanvas(fig).print_figure(images, format="raster", dpi=dpi, bbox_inches=bbox)
    finally:
        fig.set_canvas(canvas)
    (image,) = images
    return image.convert("RGB") if image.getchannel("A").getextrema()[0] == 255 else image


class _SavedSubset:
    """A font subset made before, as the bytes of its file."""

    def __init__(self, data: bytes) -> None:
        self.data = data


_SUBSETS: dict[tuple, tuple[bytes, dict]] = {}  # (font, glyphs, tables left out) → subset
_SUBSETS_KEPT = 256  # about 30 kB each


@contextmanager
def reused_font_subsets() -> Iterator[None]:
    """While active, a PDF that embeds the same glyphs of a font as one written before in this
    process (the same labels, digits and legend) reuses that subset instead of cutting it
    from the font again; the subset of a set of glyphs is always the same bytes.

    Matplotlib's PDF backend makes its subsets through two functions of `_backend_pdf_ps`:
    `get_glyphs_subset` (the font cut to the glyphs, with the map of their new indices) and
    `font_as_file` (its bytes); both are replaced for the time of one PDF and restored after,
    whatever happens."""
    make, as_file = _backend_pdf_ps.get_glyphs_subset, _backend_pdf_ps.font_as_file

    def get_glyphs_subset(fontfile, glyphs):
        key = (str(fontfile), getattr(fontfile, "face_index", 0), frozenset(glyphs),
               tuple(font_subset.Options._drop_tables_default))
        if key not in _SUBSETS:
            with make(fontfile, glyphs) as made:
                data = as_file(made.font).getvalue()
                index_map = dict(made.glyph_index_map)
            if len(_SUBSETS) >= _SUBSETS_KEPT:
                _SUBSETS.clear()
            _SUBSETS[key] = (data, index_map)
        data, index_map = _SUBSETS[key]
        return nullcontext(_backend_pdf_ps.SubsetResults(_SavedSubset(data), dict(index_map)))

    def font_as_file(font):
        if not isinstance(font, _SavedSubset):
            return as_file(font)
        file = io.BytesIO()
        file.write(font.data)  # left at its end, as the backend's own function leaves it
        return file

    _backend_pdf_ps.get_glyphs_subset = get_glyphs_subset
    _backend_pdf_ps.font_as_file = font_as_file
    try:
        yield
    finally:
        _backend_pdf_ps.get_glyphs_subset = make
        _backend_pdf_ps.font_as_file = as_file


PNG_COMPRESS_LEVEL = 3  # zlib level: the demo's 51 figures in 2/3 of the time of level 6, in
# files 2 % larger than matplotlib's own RGBA PNGs at level 6 (the RGB raster makes up the rest)


def write_png(image: Image.Image, path: Path, dpi: int) -> None:
    """The raster as a PNG file that says its resolution, and nothing else (no date, no
    software version: the same figure gives the same bytes)."""
    image.save(path, format="png", dpi=(dpi, dpi), compress_level=PNG_COMPRESS_LEVEL)


def preview_png(image: Image.Image, scale: float) -> bytes:
    """The raster scaled by `scale`, as PNG bytes."""
    # halved by box averaging first, then Lanczos: twice as fast, the same to the eye
    small = image.resize((round(image.width * scale), round(image.height * scale)),
                         Image.Resampling.LANCZOS, reducing_gap=1.0)
    buffer = io.BytesIO()
    small.save(buffer, format="png")
    return buffer.getvalue()


def publishable(
    table: pd.DataFrame, threshold: int, counts: list[str] | None = None,
    n_column: str | None = None,
) -> pd.DataFrame:
    """The table as it may be published: small cells suppressed."""
    if n_column is not None:
        return privacy.suppress_rows(table, n_column, threshold)
    return privacy.suppress(table, threshold, counts)


def mark_suppressed(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Suppressed cells as the text "<threshold", for files and display."""
    mask = table.attrs.get("suppressed")
    out = table.copy()
    out.attrs = {}  # the mask stays with `table`: pandas would copy it with every column taken
    for column in out.select_dtypes("float").columns:  # counts stay whole numbers
        values = out[column].dropna()
        if len(values) and (values == values.round()).all() and values.abs().max() < 2**53:
            out[column] = out[column].astype("Int64")
    if mask is None or not mask.to_numpy().any():
        return out
    for column in table.columns:
        if mask[column].any():
            out[column] = out[column].astype(object).where(~mask[column], f"<{threshold}")
    return out


def load_entries(output_dir: Path) -> list[Entry]:
    """Every entry recorded under `output_dir/annex`, in notebook and number order."""
    entries = []
    for path in sorted((Path(output_dir) / "annex").glob("*.json")):
        entries += [Entry(**e) for e in json.loads(path.read_text(encoding="utf-8"))]

    def order(e: Entry):
        section, n = e.number[1:].split(".")
        return (int(section), e.country, e.kind, int(n))

    return sorted(entries, key=order)
