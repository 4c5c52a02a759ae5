"""A figure's annex files: the 300 dpi PNG drawn once (and the preview made from it), SVG with
text as text, PDF with lean TrueType subsets; the same content as matplotlib's own export,
byte-identical from one save to the next."""

from __future__ import annotations

import io
import re
import zlib

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pypdfium2 as pdfium
import pytest
from conftest import small_tables, write_folder
from fontTools import subset, ttLib
from matplotlib.backends import _backend_pdf_ps
from matplotlib.transforms import Bbox
from PIL import Image

from analysis.data import ingest
from analysis.diagnostic import legislation
from analysis.report import annex as annex_module
from analysis.report import (
    brief,
    notebook,  # noqa: F401 - the diagnostic's figure style
)
from analysis.report.annex import FIGURE_DPI, Annex, rasterize
from analysis.report.pdf_fonts import UNUSED_IN_PDF, lean_font_subsets

TITLE = "Migrantes objeto de tráfico, 2019–2024"


def bar_chart(**figure):
    fig, ax = plt.subplots(**figure)
    ax.barh(["Guatemala", "Honduras", "México", "Panamá"], [12, 7, 30, 18])
    ax.set_title(TITLE)
    ax.set_xlabel("Personas (número)")
    return fig


def annex(folder) -> Annex:
    return Annex(folder, "10_routes", 1, "es", "Datos sintéticos", "2026-01-01", 5)


def saved(folder, fig=None):
    """The files of one figure saved to a new annex under `folder`, and its annex."""
    fig = fig or bar_chart()
    book = annex(folder)
    entry = book.save_figure(fig, "corridors", "caption")
    plt.close(fig)
    return {name.rsplit(".", 1)[1]: folder / name for name in entry.files}, book, entry


def tight_bbox(fig):
    fig.draw_without_rendering()
    return fig.get_tightbbox().padded(matplotlib.rcParams["savefig.pad_inches"])


def embedded_fonts(pdf: bytes) -> list[ttLib.TTFont]:
    """The TrueType fonts embedded in a PDF (its FlateDecode streams that hold one)."""
    fonts = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            data = zlib.decompressobj().decompress(pdf[match.end():])
        except zlib.error:
            continue
        if data[:4] in (b"\x00\x01\x00\x00", b"true"):
            fonts.append(ttLib.TTFont(io.BytesIO(data)))
    return fonts


def rendered(pdf: bytes) -> np.ndarray:
    page = pdfium.PdfDocument(pdf)[0]
    return np.asarray(page.render(scale=2).to_pil().convert("RGB"))


def pdf_text(pdf: bytes) -> str:
    page = pdfium.PdfDocument(pdf)[0]
    return page.get_textpage().get_text_range()


def test_the_png_is_matplotlibs_300_dpi_raster_in_rgb(tmp_path):
    files, _, _ = saved(tmp_path)
    fig = bar_chart()
    reference = io.BytesIO()
    fig.savefig(reference, format="png", dpi=FIGURE_DPI, bbox_inches=tight_bbox(fig))
    plt.close(fig)
    with Image.open(files["png"]) as png, Image.open(reference) as expected:
        assert png.mode == "RGB"  # the figure is opaque: no alpha channel to store
        assert round(png.info["dpi"][0]) == FIGURE_DPI and png.size == expected.size
        assert set(png.info) == {"dpi"}  # no date, no software version
        rgba = np.asarray(expected)
        assert (rgba[..., 3] == 255).all()
        assert np.array_equal(np.asarray(png), rgba[..., :3])


def test_the_raster_has_the_size_of_matplotlibs_png_even_a_hair_under_a_whole_pixel():
    """A crop 6.3599999999999985 in wide is 1907.9999999999995 pixels at 300 dpi: matplotlib
    makes it 1908 (a map of the routes notebook), and so must the raster."""
    fig = bar_chart()
    bbox = Bbox.from_bounds(0.92, 0.38, 6.3599999999999985, 3.559059667068726)
    reference = io.BytesIO()
    fig.savefig(reference, format="png", dpi=FIGURE_DPI, bbox_inches=bbox)
    canvas = fig.canvas
    raster = rasterize(fig, bbox, FIGURE_DPI)
    assert fig.canvas is canvas  # the figure has its own canvas back
    plt.close(fig)
    with Image.open(reference) as expected:
        assert raster.size == expected.size == (1908, 1067)
        assert np.array_equal(np.asarray(raster), np.asarray(expected)[..., :3])


def test_a_figure_with_transparent_pixels_keeps_its_alpha(tmp_path):
    fig = bar_chart()
    fig.patch.set_alpha(0)
    files, _, _ = saved(tmp_path, fig)
    with Image.open(files["png"]) as png:
        assert png.mode == "RGBA"
        assert png.getchannel("A").getextrema()[0] < 255


def test_every_format_is_byte_identical_from_one_save_to_the_next(tmp_path):
    first, _, _ = saved(tmp_path / "a")
    second, _, _ = saved(tmp_path / "b")
    assert sorted(first) == ["pdf", "png", "svg"]
    for fmt, path in first.items():
        assert path.read_bytes() == second[fmt].read_bytes(), fmt


def test_the_preview_is_the_same_from_memory_and_from_the_file(tmp_path):
    files, book, entry = saved(tmp_path)
    from_memory = book.preview(entry)
    from_file = book.preview(entry)  # the raster was freed once shown: read from the file
    assert from_memory == from_file
    with Image.open(io.BytesIO(from_memory)) as preview, Image.open(files["png"]) as png:
        assert preview.width == round(png.width * 110 / FIGURE_DPI)
        assert preview.height == round(png.height * 110 / FIGURE_DPI)


def test_the_svg_keeps_text_as_text(tmp_path):
    files, _, _ = saved(tmp_path)
    svg = files["svg"].read_text(encoding="utf-8")
    assert TITLE in svg and "<text" in svg


def test_the_pdf_embeds_truetype_subsets_without_layout_tables(tmp_path):
    files, _, _ = saved(tmp_path)
    data = files["pdf"].read_bytes()
    assert b"/Type3" not in data and b"/FontFile2" in data
    fonts = embedded_fonts(data)
    assert fonts
    for font in fonts:
        assert "glyf" in font and "cmap" in font and "hmtx" in font
        assert not set(UNUSED_IN_PDF) & set(font.keys())
        assert font["maxp"].numGlyphs < 100  # a subset, not the whole font
    assert TITLE in pdf_text(data).replace("\r\n", " ").replace("\n", " ")


def test_lean_subsets_render_and_read_as_the_full_ones():
    fig = bar_chart()
    bbox = tight_bbox(fig)
    full, lean = io.BytesIO(), io.BytesIO()
    fig.savefig(full, format="pdf", bbox_inches=bbox)
    with lean_font_subsets():
        fig.savefig(lean, format="pdf", bbox_inches=bbox)
    plt.close(fig)
    assert len(lean.getvalue()) < len(full.getvalue())
    assert {"GSUB", "GPOS"} <= set(embedded_fonts(full.getvalue())[0].keys())
    assert np.array_equal(rendered(lean.getvalue()), rendered(full.getvalue()))
    assert pdf_text(lean.getvalue()) == pdf_text(full.getvalue())


def test_a_font_subset_made_before_gives_the_same_pdf(tmp_path):
    """A second PDF with the same glyphs reuses the first one's font subset: the same bytes
    as cutting it again, and matplotlib's own functions are back after each PDF."""
    made, as_file = _backend_pdf_ps.get_glyphs_subset, _backend_pdf_ps.font_as_file
    annex_module._SUBSETS.clear()
    first, _, _ = saved(tmp_path / "a")
    kept = dict(annex_module._SUBSETS)
    assert kept
    cut = []
    _backend_pdf_ps.get_glyphs_subset = lambda *args: cut.append(args) or made(*args)
    try:
        second, _, _ = saved(tmp_path / "b")
    finally:
        _backend_pdf_ps.get_glyphs_subset = made
    assert not cut and annex_module._SUBSETS.keys() == kept.keys()
    assert second["pdf"].read_bytes() == first["pdf"].read_bytes()
    annex_module._SUBSETS.clear()
    third, _, _ = saved(tmp_path / "c")  # cut anew
    assert third["pdf"].read_bytes() == first["pdf"].read_bytes()
    assert _backend_pdf_ps.get_glyphs_subset is made and _backend_pdf_ps.font_as_file is as_file


def test_lean_subsets_leave_fonttools_defaults_as_they_were():
    before = subset.Options().drop_tables
    with pytest.raises(RuntimeError), lean_font_subsets():
        assert set(UNUSED_IN_PDF) <= set(subset.Options().drop_tables)
        raise RuntimeError
    assert subset.Options().drop_tables == before


def test_a_briefs_legislation_row_is_its_countrys_cells_of_the_whole_matrix(tmp_path):
    """The brief merges only its country's reference rows: the same cells as the matrix."""
    tables = small_tables()
    tables["legislation"] = pd.DataFrame({
        "reporting_country": ["GTM", "GTM", "GTM"], "country": ["GTM", "GTM", "HND"],
        "criterion_id": ["attempt", "jurisdiction", "attempt"], "value": ["no", "", "yes"],
        "date_reviewed": ["2024-01-01", "2024-02-01", "2024-01-01"],
        "status": ["validated", "validated", "validated"]})
    data = ingest.load(write_folder(tmp_path / "data", tables))
    for country in ("GTM", "HND", "BLZ"):
        cells, score, _ = brief.legislation_row(data, country)
        whole = legislation.merge(legislation.reference_rows(), data.legislation,
                                  list(legislation.reference_rows()["country"].unique()))
        expected = legislation.scored(whole.cells[whole.cells["country"] == country])
        pd.testing.assert_frame_equal(cells.reset_index(drop=True),
                                      expected.reset_index(drop=True))
        assert score["submitted"] == (1 if country == "GTM" else 0)
