"""Maps: the offline basemap, projections and views, and the layers (flows, points, hotspots)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis.core import (
    i18n,
    reference,  # noqa: E402
)
from analysis.report import notebook
from analysis.report.figures import maps

SOURCE = "Source: test data."


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def legend_texts(ax) -> list[str]:
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []


def in_view(ax, to_xy, place) -> bool:
    """Whether a gazetteer place (id) or a (lon, lat) point is inside the map."""
    if isinstance(place, str):
        place = tuple(reference.places().loc[place, ["lon", "lat"]])
    x, y = to_xy(*place)
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    return bool(left <= x <= right and bottom <= y <= top)


def test_basemap_is_the_americas_in_wgs84_and_a_safe_copy():
    first = maps.basemap()
    assert first.crs.to_epsg() == 4326
    assert set(reference.CRM_MEMBERS) <= set(first["iso3"])
    assert first.geometry.is_valid.all()
    first.loc[:, "iso3"] = "XXX"  # the caller's copy only
    assert "MEX" in set(maps.basemap()["iso3"])


@pytest.mark.parametrize("extent", ["region", "darien", "caribbean", "GTM", "USA"])
def test_projection_round_trips(extent):
    projection, _ = maps.view(extent)
    lon = np.array([-99.13, -77.57, -66.1, -123.12, -78.5])
    lat = np.array([19.43, 8.32, 18.47, 49.25, -0.23])
    x, y = projection(lon, lat)
    back_lon, back_lat = projection.inverse(x, y)
    np.testing.assert_allclose(back_lon, lon, atol=1e-7)
    np.testing.assert_allclose(back_lat, lat, atol=1e-7)


def test_region_projection_is_centred_on_central_america():
    projection, _ = maps.view("region")
    x, y = projection(-85.0, 15.0)
    assert abs(float(x)) < 1e-6 and abs(float(y)) < 1e-6


@pytest.mark.parametrize(("extent", "inside", "outside"), [
    ("region", ["CAN-MONTREAL", "CAN-VANCOUVER", "ECU-QUITO", "PAN-BAJO-CHIQUITO"],
     ["BRA-GUARULHOS-AIRPORT"]),
    ("darien", ["PAN-BAJO-CHIQUITO", "COL-NECOCLI", "PAN-CIUDAD-DE-PANAMA"],
     ["CRI-SAN-JOSE", "COL-BOGOTA"]),
    ("caribbean", ["USA-MIAMI", "PRI-AGUADILLA", "DOM-MICHES", "CUB-LA-HABANA"],
     ["PAN-BAJO-CHIQUITO"]),
    ("GTM", ["GTM-TECUN-UMAN", "GTM-EL-CEIBO"], ["MEX-CIUDAD-DE-MEXICO", "PAN-YAVIZA"]),
    # the contiguous states: not Alaska (Anchorage) nor Hawaii (Honolulu)
    ("USA", ["USA-NEW-YORK", "USA-SAN-DIEGO"], [(-149.9, 61.2), (-157.86, 21.31)]),
])
def test_views_show_the_places_they_should(extent, inside, outside):
    _, ax, to_xy = maps.base_map(extent=extent, lang="en", source=SOURCE)
    assert all(in_view(ax, to_xy, p) for p in inside)
    assert not any(in_view(ax, to_xy, p) for p in outside)


def test_unknown_extent_is_an_error():
    with pytest.raises(KeyError):
        maps.base_map(extent="atlantis")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_base_map_has_labels_in_the_language_legend_and_source_note(lang):
    fig, ax, _ = maps.base_map(extent="region", lang=lang, source=SOURCE)
    names = texts(ax)
    for iso3 in ("MEX", "GTM", "PAN", "USA", "DOM"):
        assert reference.label("country", iso3, lang) in names
    other = "en" if lang == "es" else "es"
    assert reference.label("country", "MEX", other) not in names  # México / Mexico
    assert reference.label("country", "FRA", lang) not in names  # not in view
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "source-note"]
    assert len(notes) == 1
    assert i18n.t("maps.basemap_source", lang) in notes[0] and SOURCE in notes[0]
    assert legend_texts(ax) == [i18n.t("maps.crm_member", lang)]
    assert fig is ax.figure


def test_zoomed_views_label_only_countries_in_view():
    _, ax, _ = maps.base_map(extent="darien", lang="es", source=SOURCE)
    names = texts(ax)
    assert "Panamá" in names and "Colombia" in names
    assert "Canadá" not in names and "México" not in names


def test_base_map_draws_on_a_given_axes():
    fig, ax = plt.subplots()
    got_fig, got_ax, _ = maps.base_map(ax=ax, extent="caribbean", lang="en")
    assert got_ax is ax and got_fig is fig


def flows_frame() -> pd.DataFrame:
    places = reference.places()
    pairs = [("GTM-TECUN-UMAN", "MEX-TAPACHULA", 10), ("MEX-TAPACHULA", "MEX-REYNOSA", 40),
             ("DOM-MICHES", "PRI-AGUADILLA", 20), ("COL-NECOCLI", "COL-NECOCLI", 5),
             ("HND-DANLI", "GTM-TECUN-UMAN", 0)]
    rows = [{"from_lon": places.at[a, "lon"], "from_lat": places.at[a, "lat"],
             "to_lon": places.at[b, "lon"], "to_lat": places.at[b, "lat"], "weight": w}
            for a, b, w in pairs]
    return pd.DataFrame(rows)


def test_flow_lines_widths_follow_weights_and_the_legend_shows_them():
    _, ax, to_xy = maps.base_map(extent="region", lang="en", source=SOURCE)
    drawn = maps.flow_lines(ax, flows_frame(), to_xy, lang="en", unit="migrants",
                            label="Legs", max_width=8.0, min_width=0.5)
    assert drawn == 3  # the loop (same place) and the zero weight are left out
    lines = [c for c in ax.collections if c.get_gid() == "flow-lines"]
    assert len(lines) == 1
    widths = sorted(lines[0].get_linewidths())
    assert widths[-1] == pytest.approx(8.0)
    assert widths == pytest.approx([0.5 + 7.5 * w / 40 for w in (10, 20, 40)])
    labels = legend_texts(ax)
    assert labels[0] == "Legs" and "20 migrants" in labels and labels[-1] == i18n.t(
        "maps.crm_member", "en")


def test_flow_lines_share_a_scale_and_put_arrowheads_only_on_long_legs():
    _, ax, to_xy = maps.base_map(extent="region", lang="en")
    maps.flow_lines(ax, flows_frame(), to_xy, max_weight=80, max_width=8.0, min_width=0.0,
                    size_legend=False)
    layers = {c.get_gid(): c for c in ax.collections}
    widths = sorted(layers["flow-lines"].get_linewidths())
    assert widths[-1] == pytest.approx(4.0)
    # on the regional map only Tapachula → Reynosa (about 1,300 km) is long enough for an
    # arrowhead; Tecún Umán → Tapachula and Miches → Aguadilla are not
    assert len(layers["flow-heads"].get_paths()) == 1
    _, ax, to_xy = maps.base_map(extent="caribbean", lang="en")
    maps.flow_lines(ax, flows_frame(), to_xy)
    layers = {c.get_gid(): c for c in ax.collections}
    assert len(layers["flow-heads"].get_paths()) == 2  # zoomed in: Miches → Aguadilla too


def test_flow_lines_on_nothing_draws_nothing():
    _, ax, to_xy = maps.base_map(extent="region", lang="en")
    assert maps.flow_lines(ax, flows_frame().iloc[0:0], to_xy) == 0


def test_points_areas_are_proportional_to_values():
    _, ax, to_xy = maps.base_map(extent="region", lang="es", source=SOURCE)
    drawn = maps.points(ax, [-92.26, -98.3, -79.5, np.nan], [14.9, 26.08, 9.0, 10.0], to_xy,
                        value=[100, 400, 0, 50], lang="es", unit="casos", label="Lugares",
                        max_size=400, min_size=0)
    assert drawn == 2  # zero value and missing coordinates left out
    scatter = next(c for c in ax.collections if c.get_label() == "Lugares")
    assert sorted(scatter.get_sizes()) == pytest.approx([100.0, 400.0])
    assert "Lugares" in legend_texts(ax)
    assert "200 casos" in legend_texts(ax)


def test_points_take_one_colour_each():
    _, ax, to_xy = maps.base_map(extent="caribbean", lang="en")
    maps.points(ax, [-67.5, -70.0, -80.2], [18.3, 19.0, 25.8], to_xy, value=[1, 3, 2],
                colors=["#ff0000", "#00ff00", "#0000ff"], label="By kind", size_legend=False)
    scatter = next(c for c in ax.collections if c.get_label() == "By kind")
    # drawn largest first: green (3), blue (2), red (1)
    assert [tuple(c[:3]) for c in scatter.get_facecolors()] == [(0, 1, 0), (0, 0, 1), (1, 0, 0)]


def test_grid_totals_sum_weights_in_cells():
    projection, _ = maps.view("region")
    x0, y0 = 1_000_000.0, 500_000.0  # inside one 50 km cell: (x0, y0) … (x0 + 50 km, y0)
    xs = np.array([x0 + 1_000, x0 + 3_000, x0 + 200_000])
    ys = np.array([y0 + 1_000, y0 + 1_000, y0 + 1_000])
    lon, lat = projection.inverse(xs, ys)
    cells = maps.grid_totals(lon, lat, projection, weight=[1, 3, 2], cell_km=50)
    assert list(cells["total"]) == [4.0, 2.0]
    assert list(cells["points"]) == [2, 1]
    cx, _ = projection(cells["lon"].iloc[0], cells["lat"].iloc[0])
    assert float(cx) == pytest.approx(x0 + 2_500, abs=1)  # weighted centre


def test_hotspots_draw_one_circle_per_cell():
    _, ax, to_xy = maps.base_map(extent="region", lang="en")
    lon = [-110.9, -110.91, -110.92, -97.5]
    lat = [31.3, 31.31, 31.32, 25.9]
    cells = maps.hotspots(ax, lon, lat, to_xy, weight=[2, 1, 1, 3], cell_km=100, label="Dead",
                          unit="dead")
    assert list(cells["total"]) == [4.0, 3.0]
    scatter = next(c for c in ax.collections if c.get_label() == "Dead")
    assert len(scatter.get_offsets()) == 2


def test_nice_steps():
    assert maps.nice_steps(12345) == [10000, 2000, 500]
    assert maps.nice_steps(5) == [5, 1]
    assert maps.nice_steps(0.5) == []
    assert maps.nice_steps(0) == []


def test_annotate_leaves_out_overlapping_names():
    _, ax, to_xy = maps.base_map(extent="region", lang="en")
    written = maps.annotate(ax, [-99.5, -99.51, -80.2], [27.5, 27.5, 25.8],
                            ["Nuevo Laredo", "Laredo", "Miami"], to_xy)
    assert written == ["Nuevo Laredo", "Miami"]


def render(lang: str) -> bytes:
    notebook.clear_session()  # the state the runner gives every notebook (style, no figures)
    i18n.use_locale("", lang)  # and the language's default locale
    fig, ax, to_xy = maps.base_map(extent="caribbean", lang=lang, source=SOURCE)
    maps.flow_lines(ax, flows_frame(), to_xy, lang=lang, unit="x", label="Legs")
    maps.hotspots(ax, [-67.5, -67.4, -70.0], [18.3, 18.35, 19.0], to_xy, label="Spots")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def render_elsewhere(lang: str, hash_seed: str) -> str:
    """The sha256 of `render(lang)` drawn in a new Python process (its own string hashing,
    caches and matplotlib state)."""
    code = ("import hashlib, sys; import test_maps; "
            f"sys.stdout.write(hashlib.sha256(test_maps.render({lang!r})).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(done.stdout) == 64, done.stdout
    return done.stdout


def test_maps_are_deterministic():
    """The same map drawn in two separate processes (different hash seeds) and in this one
    gives the same bytes."""
    first, second = render_elsewhere("en", "1"), render_elsewhere("en", "2")
    assert first == second == hashlib.sha256(render("en")).hexdigest()


def drawn_map(extent: str, redraws: bool) -> tuple[bytes, bytes, list[str]]:
    """A base map as PNG and SVG bytes and its country labels; with `redraws`, every layer
    geopandas plots redraws the figure, as it does when left alone."""
    notebook.clear_session()
    if redraws:
        skip, fit = maps._without_redraws, maps._fit_axes
        maps._without_redraws = lambda fig: contextlib.nullcontext()
        maps._fit_axes = lambda fig: None
    try:
        fig, ax, _ = maps.base_map(extent=extent, lang="es", source=SOURCE)
    finally:
        if redraws:
            maps._without_redraws, maps._fit_axes = skip, fit
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=80, metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    names = texts(ax)
    plt.close(fig)
    return png.getvalue(), svg.getvalue(), names


@pytest.mark.parametrize("extent", ["region", "darien", "GTM"])
def test_skipping_geopandas_redraws_leaves_the_map_as_it_was(extent):
    """The figure is not redrawn after each land layer; the axes are placed as that redraw
    placed them, so the labels fitted afterwards and the files are the same."""
    assert drawn_map(extent, redraws=False) == drawn_map(extent, redraws=True)


def test_the_canvas_redraws_again_after_a_base_map():
    fig, _, _ = maps.base_map(extent="darien", lang="en")
    assert "draw_idle" not in vars(fig.canvas)  # the class's own method is back
