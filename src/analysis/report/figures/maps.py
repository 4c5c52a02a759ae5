"""Maps of the region: an offline basemap, projections, and layers for flows, points and hotspots.

Every map starts from `base_map`, which draws the land, highlights the CRM members, labels the
countries in the run's language, writes the source note and starts the legend:

    fig, ax, to_xy = maps.base_map(extent="region", lang="es", source=report.source_note())
    maps.flow_lines(ax, flows, to_xy, lang="es", unit=report.t("routes.migrants_unit"))
    maps.points(ax, places["lon"], places["lat"], to_xy, value=places["migrants"], lang="es")

`flow_lines`, `points` and `hotspots` take longitudes and latitudes (EPSG:4326) and project them
with `to_xy`; each adds its layer to the legend. Nothing is downloaded: the basemap is Natural
Earth 1:50m (public domain) kept in data/reference/basemap_americas.geojson. Output is
deterministic: no random jitter anywhere.
"""

from __future__ import annotations

import math
import textwrap
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PolyCollection
from pyproj import Transformer
from shapely.geometry import Point, box

from analysis.core import i18n, reference

# Lambert azimuthal equal-area centred on Central America: areas are true, shapes good
# from Canada to Colombia.
REGION_CRS = "+proj=laea +lat_0=15 +lon_0=-85 +datum=WGS84 +units=m +no_defs"
# Named views as (lon_min, lat_min, lon_max, lat_max) in degrees.
EXTENTS: dict[str, tuple[float, float, float, float]] = {
    "region": (-124.0, -2.0, -62.0, 50.0),  # southern Canada to Ecuador and Venezuela
    "darien": (-80.3, 6.9, -75.9, 9.9),  # Gulf of Urabá to the Panama Canal
    "caribbean": (-87.5, 15.5, -63.5, 27.0),  # Yucatán and Florida to Puerto Rico
    "central_america": (-95.0, 6.5, -76.0, 19.5),  # Tehuantepec to the Darién
}
# Where the legend goes by default: a corner of sea in each view.
LEGEND_LOC = {"region": "lower left", "darien": "upper right", "caribbean": "upper right",
              "central_america": "lower left"}
COUNTRY_MARGIN = 0.12  # share of the country's width and height added around it
COUNTRY_MIN_SPAN_M = 350_000  # smallest side of a country view
NEAR_PART_M = 300_000  # island groups: parts this close to the main part stay in view
LABEL_MIN_AREA = 0.0004  # share of the view a non-member must cover to be labelled
LABEL_SHIFTS = (0, 6, -6, 11, -11)  # points: where a crowded label may move up or down
CURVE_POINTS = 24  # points along each flow line
SHORT_LEG = 0.03  # flow lines shorter than this share of the view's diagonal get no arrowhead
SIMPLIFY_SHARE = 1 / 3000  # simplification tolerance, as a share of the view's width

LAND = "#e4e4e2"
LAND_CRM = "#d3dceb"
BORDER = "#ffffff"
SEA = "#f3f7fa"
LABEL = "#4d5358"
FLOW = "#0b5394"
POINT = "#a61c00"
LEGEND_GREY = "#7a848c"
CRM_GID = "crm-member"
_legend_options: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # axes → loc, title


@cache
def _basemap() -> gpd.GeoDataFrame:
    return reference.basemap()


def basemap() -> gpd.GeoDataFrame:
    """The countries and territories of the Americas (Natural Earth 1:50m), EPSG:4326.

    Read once per process; each call returns a copy that the caller may change.
    """
    return _basemap().copy()


@cache
def _projected(crs: str) -> gpd.GeoDataFrame:
    return _basemap().to_crs(crs)


@cache
def _land(crs: str, bounds: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """The land of one view: clipped a little beyond its bounds and simplified to what the
    printed map can show (about a tenth of a millimetre), so files stay small and fast."""
    xmin, ymin, xmax, ymax = bounds
    pad = 0.05 * max(xmax - xmin, ymax - ymin)
    land = _projected(crs).clip(box(xmin - pad, ymin - pad, xmax + pad, ymax + pad))
    land = land[~land.geometry.is_empty].copy()
    land["geometry"] = land.geometry.simplify(SIMPLIFY_SHARE * (xmax - xmin))
    return land.reset_index(drop=True)


@cache
def _transformer(crs: str, inverse: bool = False) -> Transformer:
    if inverse:
        return Transformer.from_crs(crs, 4326, always_xy=True)
    return Transformer.from_crs(4326, crs, always_xy=True)


@dataclass(frozen=True)
class Projection:
    """Lon/lat (degrees) → map x/y (metres) for one map; `inverse` goes back."""

    crs: str

    def __call__(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        x, y = _transformer(self.crs).transform(lon, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def inverse(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = _transformer(self.crs, inverse=True).transform(
            np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def _laea(lat: float, lon: float) -> str:
    return f"+proj=laea +lat_0={lat:.2f} +lon_0={lon:.2f} +datum=WGS84 +units=m +no_defs"


def view(extent: str = "region") -> tuple[Projection, tuple[float, float, float, float]]:
    """The projection and the (xmin, ymin, xmax, ymax) bounds in metres of a named view
    ("region", "darien", "caribbean", "central_america") or of a country (ISO3 code)."""
    if extent in EXTENTS:
        projection = Projection(REGION_CRS)
        lon0, lat0, lon1, lat1 = EXTENTS[extent]
        ring_lon = np.concatenate([np.linspace(lon0, lon1, 50), np.full(50, lon1),
                                   np.linspace(lon1, lon0, 50), np.full(50, lon0)])
        ring_lat = np.concatenate([np.full(50, lat0), np.linspace(lat0, lat1, 50),
                                   np.full(50, lat1), np.linspace(lat1, lat0, 50)])
        x, y = projection(ring_lon, ring_lat)
        return projection, (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
    return _country_view(extent)


def _country_view(iso3: str) -> tuple[Projection, tuple[float, float, float, float]]:
    code = str(iso3).upper()
    shapes = _basemap()
    if code not in set(shapes["iso3"]):
        raise KeyError(f"no extent or basemap country {iso3!r}")
    countries = reference.countries()
    if code in countries.index:
        lat, lon = countries.at[code, "lat"], countries.at[code, "lon"]
    else:
        point = shapes.loc[shapes["iso3"] == code, "geometry"].iloc[0].representative_point()
        lat, lon = point.y, point.x
    projection = Projection(_laea(lat, lon))
    parts = _projected(projection.crs).query("iso3 == @code").explode(index_parts=False)
    parts = parts.assign(area=parts.area).sort_values("area", ascending=False)
    main = parts.geometry.iloc[0]
    near = parts[parts.distance(main) <= NEAR_PART_M]
    xmin, ymin, xmax, ymax = near.total_bounds
    pad_x = max((xmax - xmin) * COUNTRY_MARGIN, (COUNTRY_MIN_SPAN_M - (xmax - xmin)) / 2)
    pad_y = max((ymax - ymin) * COUNTRY_MARGIN, (COUNTRY_MIN_SPAN_M - (ymax - ymin)) / 2)
    return projection, (xmin - pad_x, ymin - pad_y, xmax + pad_x, ymax + pad_y)


def base_map(
    ax=None, extent: str = "region", lang: str = "es", source: str = "", width: float = 8.0,
    highlight: tuple[str, ...] = reference.CRM_MEMBERS, labels: bool = True,
):
    """Draw the land of a view, CRM members highlighted, country labels and the source note.

    `extent` is "region", "darien", "caribbean", "central_america" or an ISO3 code; `source`
    is the data source written after the basemap's own in the note. Returns (fig, ax, to_xy):
    `to_xy(lon, lat)` projects degrees to the map's coordinates.
    """
    lang = i18n.check_lang(lang)
    projection, bounds = view(extent)
    xmin, ymin, xmax, ymax = bounds
    if ax is None:
        ratio = (ymax - ymin) / (xmax - xmin)
        fig, ax = plt.subplots(figsize=(width, min(max(width * ratio, 3.5), 10.5)))
    else:
        fig = ax.figure
    land = _land(projection.crs, bounds)
    members = land["iso3"].isin(highlight)
    layers = [(part, colour) for part, colour in ((land[~members], LAND),
                                                  (land[members], LAND_CRM)) if len(part)]
    with _without_redraws(fig):
        for part, colour in layers:
            part.plot(ax=ax, color=colour, edgecolor=BORDER, linewidth=0.45, zorder=1)
    if layers:
        _fit_axes(fig)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(True)
        side.set_color("#b8c0c8")
        side.set_linewidth(0.6)
    if highlight:
        proxy = ax.fill([], [], color=LAND_CRM, label=i18n.t("maps.crm_member", lang))[0]
        proxy.set_gid(CRM_GID)
    if labels:
        country_labels(ax, projection, bounds, lang, highlight)
    source_note(ax, lang, source)
    legend(ax, loc=LEGEND_LOC.get(extent, "lower left"))
    return fig, ax, projection


@contextmanager
def _without_redraws(fig) -> Iterator[None]:
    """geopandas asks the canvas to redraw the whole figure after each layer it plots (for a
    window on screen); a map is drawn when it is saved, so the redraws are skipped here."""
    fig.canvas.draw_idle = _no_redraw
    try:
        yield
    finally:
        del fig.canvas.draw_idle


def _no_redraw(*_args, **_kwargs) -> None:
    return None


def _fit_axes(fig) -> None:
    """What the skipped redraw left behind that later steps read: each axes placed for its
    aspect at its current (autoscaled) limits, as a draw places it. The country labels are
    fitted in that placement, so the maps stay the same."""
    renderer = fig.canvas.get_renderer()
    for axes in fig.axes:
        if axes.get_visible():  # a draw passes hidden axes over
            locator = axes.get_axes_locator()
            axes.apply_aspect(locator(axes, renderer) if locator else None)


def country_labels(ax, projection: Projection, bounds, lang: str,
                   always: tuple[str, ...] = reference.CRM_MEMBERS) -> list[str]:
    """Name the countries in view at their label points (countries.csv); a country whose
    label point is off the map is named at a point of its visible part. Small non-members
    are left out so the map stays readable. Returns the ISO3 codes labelled."""
    xmin, ymin, xmax, ymax = bounds
    frame = box(xmin, ymin, xmax, ymax)
    inner = box(xmin + 0.03 * (xmax - xmin), ymin + 0.03 * (ymax - ymin),
                xmax - 0.03 * (xmax - xmin), ymax - 0.03 * (ymax - ymin))
    names = reference.countries()
    land = _land(projection.crs, tuple(bounds))
    land = land.assign(visible=land.intersection(frame))
    land = land.assign(area=land["visible"].area, member=land["iso3"].isin(always))
    land = land.sort_values(["member", "area", "iso3"], ascending=[False, False, True])
    renderer = ax.figure.canvas.get_renderer()
    placed = []
    done = []
    for iso3, visible in zip(land["iso3"], land["visible"], strict=True):
        if visible.is_empty or (iso3 not in always and visible.area < LABEL_MIN_AREA
                                * frame.area):
            continue
        x = y = None
        if iso3 in names.index:
            px, py = projection(names.at[iso3, "lon"], names.at[iso3, "lat"])
            if inner.contains(_point(px, py)):
                x, y = float(px), float(py)
        if x is None:
            point = visible.intersection(inner).representative_point() if visible.intersects(
                inner) else None
            if point is None or point.is_empty:
                continue
            x, y = point.x, point.y
        name = reference.label("country", iso3, lang)
        member = iso3 in always
        for shift in LABEL_SHIFTS:
            text = ax.annotate(
                name, (x, y), xytext=(0, shift), textcoords="offset points", ha="center",
                va="center", fontsize=6.5, color=LABEL, fontweight="bold" if member else "normal",
                zorder=6, annotation_clip=True,
                path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
            if _fits(text, placed, renderer):
                done.append(iso3)
                break
            text.remove()
        else:
            if member:  # members are always named, even where names crowd
                ax.annotate(name, (x, y), ha="center", va="center", fontsize=6.5, color=LABEL,
                            fontweight="bold", zorder=6, annotation_clip=True,
                            path_effects=[patheffects.withStroke(linewidth=2,
                                                                 foreground="white")])
                done.append(iso3)
    return done


def _fits(text, placed: list, renderer) -> bool:
    """Keep a text only if it overlaps none already placed (then record it)."""
    extent = text.get_window_extent(renderer).expanded(1.05, 1.15)
    if any(extent.overlaps(other) for other in placed):
        return False
    placed.append(extent)
    return True


def _point(x, y) -> Point:
    return Point(float(x), float(y))


def source_note(ax, lang: str, source: str = "") -> None:
    """The small note in the lower right corner: the basemap, then the data source."""
    text = i18n.t("maps.basemap_source", lang)
    if source:
        text = f"{text} {source}"
    ax.text(0.995, 0.006, "\n".join(textwrap.wrap(text, 95)), transform=ax.transAxes,
            ha="right", va="bottom", fontsize=5.5, color="#3d4449", zorder=8, gid="source-note",
            bbox={"boxstyle": "square,pad=0.25", "facecolor": "white", "alpha": 0.75,
                  "linewidth": 0})


def legend(ax, title: str | None = None, loc: str | None = None):
    """(Re)draw the map legend from every labelled layer; the CRM members' swatch comes last.
    `loc` (a matplotlib legend location, or "below" for a legend under the map, for long
    labels) defaults to the view's corner of sea; `loc` and `title` are kept for the redraws
    that later layers make."""
    options = _legend_options.setdefault(ax, {"loc": "lower left", "title": None})
    if loc is not None:
        options["loc"] = loc
    if title is not None:
        options["title"] = title
    loc, title = options["loc"], options["title"]
    handles, texts = ax.get_legend_handles_labels()
    order = sorted(range(len(handles)), key=lambda i: handles[i].get_gid() == CRM_GID)
    if not order:
        return None
    place = {"loc": loc}
    if loc == "below":
        place = {"loc": "upper left", "bbox_to_anchor": (0.0, -0.01)}
    return ax.legend([handles[i] for i in order], [texts[i] for i in order], title=title,
                     fontsize=7, title_fontsize=7.5, frameon=True, framealpha=0.85,
                     edgecolor="none", borderpad=0.6, labelspacing=0.8, handletextpad=0.8,
                     **place)


def nice_steps(largest: float, n: int = 3, smallest: float = 1.0) -> list[float]:
    """Round legend values (1, 2 or 5 × 10^k, at least `smallest`) up to `largest`,
    largest first."""
    if not largest or not math.isfinite(largest) or largest < smallest:
        return []
    steps = []
    for fraction in (1.0, 0.3, 0.07)[:n]:
        target = largest * fraction
        power = 10 ** math.floor(math.log10(target))
        value = max(m * power for m in (1, 2, 5) if m * power <= target)
        if value >= smallest and value not in steps:
            steps.append(value)
    return steps


def _legend_number(value: float, lang: str) -> str:
    return i18n.fmt_number(value, lang, 0 if float(value).is_integer() else 1)


def _data_per_point(ax) -> float:
    """Map units per typographic point on the axes as drawn (aspect applied)."""
    ax.apply_aspect()
    box_ = ax.get_position()
    width_pt = box_.width * ax.figure.get_figwidth() * 72
    height_pt = box_.height * ax.figure.get_figheight() * 72
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    return max((right - left) / width_pt, (top - bottom) / height_pt)


def flow_lines(
    ax, flows: pd.DataFrame, to_xy: Projection, *, lang: str = "es", unit: str = "",
    color: str = FLOW, label: str | None = None, max_weight: float | None = None,
    max_width: float = 7.0, min_width: float = 0.5, curvature: float = 0.18,
    arrows: bool = True, size_legend: bool = True, alpha: float = 0.7, zorder: int = 3,
) -> int:
    """Draw weighted flow lines, width proportional to `weight`, slightly curved (to the
    right of the direction of travel, so A→B and B→A stay apart).

    `flows` has columns from_lon, from_lat, to_lon, to_lat, weight. `max_weight` fixes the
    width scale (to share it across calls); `label` names the layer in the legend and
    `size_legend` adds example widths labelled "<n> <unit>". Returns the number drawn.
    """
    if flows.empty:
        return 0
    data = flows[["from_lon", "from_lat", "to_lon", "to_lat", "weight"]].astype(float).dropna()
    data = data[data["weight"] > 0].sort_values("weight", kind="stable")
    largest = float(max_weight or data["weight"].max() or 1.0)

    def width(weight):
        return min_width + (max_width - min_width) * np.minimum(weight / largest, 1.0)

    x0, y0 = to_xy(data["from_lon"], data["from_lat"])
    x1, y1 = to_xy(data["to_lon"], data["to_lat"])
    widths = width(data["weight"].to_numpy())
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    short = SHORT_LEG * math.hypot(right - left, top - bottom)
    per_point = _data_per_point(ax)
    lines, heads, line_widths = [], [], []
    steps = np.linspace(0.0, 1.0, CURVE_POINTS)[:, None]
    for a, b, c, d, w in zip(x0, y0, x1, y1, widths, strict=True):
        start, end = np.array([a, b]), np.array([c, d])
        length = math.hypot(c - a, d - b)
        if length == 0:
            continue
        normal = np.array([d - b, a - c]) / length  # to the right of the direction of travel
        control = (start + end) / 2 + curvature * length * normal
        curve = (1 - steps) ** 2 * start + 2 * (1 - steps) * steps * control + steps ** 2 * end
        if arrows and length > short:
            head_length = (1.6 * w + 3.0) * per_point
            half_width = (0.7 * w + 1.5) * per_point
            tangent = (end - control) / np.linalg.norm(end - control)
            base = end - head_length * tangent
            side = np.array([-tangent[1], tangent[0]]) * half_width
            heads.append([end, base + side, base - side])
            curve = np.vstack([curve[np.linalg.norm(curve - end, axis=1) > head_length], base])
        lines.append(curve)
        line_widths.append(w)
    if lines:
        ax.add_collection(LineCollection(lines, linewidths=line_widths, colors=color,
                                         alpha=alpha, zorder=zorder, capstyle="butt",
                                         joinstyle="round", gid="flow-lines"))
    if heads:
        ax.add_collection(PolyCollection(heads, facecolors=color, edgecolors="none",
                                         alpha=alpha, zorder=zorder, gid="flow-heads"))
    drawn = len(lines)
    if label:
        legend_line(ax, label, color, alpha)
    if size_legend:
        for step in nice_steps(largest):
            ax.plot([], [], color=LEGEND_GREY, alpha=alpha, linewidth=float(width(step)),
                    label=f"{_legend_number(step, lang)} {unit}")
    legend(ax)
    return drawn


def legend_line(ax, label: str, color: str = FLOW, alpha: float = 0.7) -> None:
    """A legend entry for a line layer (e.g. to list layers in another order than drawn)."""
    ax.plot([], [], color=color, linewidth=2.5, alpha=alpha, label=label)
    legend(ax)


def points(
    ax, lon, lat, to_xy: Projection, value=None, *, lang: str = "es", unit: str = "",
    color: str = POINT, colors=None, label: str | None = None,
    max_value: float | None = None, max_size: float = 420.0, min_size: float = 8.0,
    size_legend: bool = True, alpha: float = 0.65, marker: str = "o", zorder: int = 4,
) -> int:
    """Draw points; with `value`, circle areas are proportional to it (largest drawn first so
    small ones stay visible). `colors` (one colour per point, e.g. by category) overrides
    `color`; `max_value` fixes the size scale (to share it across calls). Returns the number
    of points drawn."""
    frame = pd.DataFrame({"lon": np.asarray(lon, dtype=float),
                          "lat": np.asarray(lat, dtype=float)})
    frame["value"] = np.nan if value is None else np.asarray(value, dtype=float)
    frame["color"] = color if colors is None else list(colors)
    frame = frame.dropna(subset=["lon", "lat"])
    if value is not None:
        frame = frame[frame["value"] > 0].sort_values("value", ascending=False, kind="stable")
    if frame.empty:
        return 0
    x, y = to_xy(frame["lon"], frame["lat"])
    largest = float(max_value or frame["value"].max()) if value is not None else 1.0

    def size(v):
        return min_size + (max_size - min_size) * np.minimum(np.asarray(v) / largest, 1.0)

    sizes = size(frame["value"].to_numpy()) if value is not None else min_size * 2
    ax.scatter(x, y, s=sizes, color=list(frame["color"]), alpha=alpha, marker=marker,
               edgecolors="white", linewidths=0.5, zorder=zorder, label=label)
    if value is not None and size_legend:
        for step in nice_steps(largest):
            ax.scatter([], [], s=float(size(step)), facecolors="none", marker=marker,
                       edgecolors="#5b6770", linewidths=0.8,
                       label=f"{_legend_number(step, lang)} {unit}")
    legend(ax)
    return len(frame)


def grid_totals(lon, lat, to_xy: Projection, weight=None, cell_km: float = 50.0) -> pd.DataFrame:
    """Sum `weight` (or count points) in square cells of `cell_km` on the map; one row per
    non-empty cell at its weighted centre (lon, lat, total, points)."""
    frame = pd.DataFrame({"lon": np.asarray(lon, dtype=float),
                          "lat": np.asarray(lat, dtype=float)})
    frame["weight"] = 1.0 if weight is None else np.asarray(weight, dtype=float)
    frame = frame.dropna()
    if frame.empty:
        return pd.DataFrame(columns=["lon", "lat", "total", "points"])
    x, y = to_xy(frame["lon"], frame["lat"])
    size = cell_km * 1000.0
    frame = frame.assign(x=x, y=y, cx=np.floor(x / size), cy=np.floor(y / size))
    frame["wx"], frame["wy"] = frame["x"] * frame["weight"], frame["y"] * frame["weight"]
    cells = frame.groupby(["cx", "cy"], sort=True).agg(
        wx=("wx", "sum"), wy=("wy", "sum"), total=("weight", "sum"), points=("x", "size"),
        mx=("x", "mean"), my=("y", "mean"))
    safe = cells["total"].where(cells["total"] > 0)
    cx = (cells["wx"] / safe).fillna(cells["mx"])
    cy = (cells["wy"] / safe).fillna(cells["my"])
    lon_c, lat_c = to_xy.inverse(cx, cy)
    out = pd.DataFrame({"lon": lon_c, "lat": lat_c, "total": cells["total"].to_numpy(),
                        "points": cells["points"].to_numpy()})
    return out.sort_values("total", ascending=False, kind="stable").reset_index(drop=True)


def hotspots(
    ax, lon, lat, to_xy: Projection, weight=None, *, cell_km: float = 50.0, lang: str = "es",
    unit: str = "", color: str = POINT, label: str | None = None, **options,
) -> pd.DataFrame:
    """Circles sized by the volume (sum of `weight`, or number of points) in each
    `cell_km` square cell. Returns the cells drawn (lon, lat, total, points)."""
    cells = grid_totals(lon, lat, to_xy, weight, cell_km)
    points(ax, cells["lon"], cells["lat"], to_xy, value=cells["total"], lang=lang, unit=unit,
           color=color, label=label, **options)
    return cells


def annotate(ax, lon, lat, texts, to_xy: Projection, fontsize: float = 6.5) -> list[str]:
    """Write short texts (e.g. place names) next to points, with a white halo; a text that
    would overlap one written before is left out. Returns the texts written."""
    x, y = to_xy(lon, lat)
    renderer = ax.figure.canvas.get_renderer()
    placed, written = [], []
    for a, b, text in zip(x, y, texts, strict=True):
        note = ax.annotate(str(text), (a, b), xytext=(4, 3), textcoords="offset points",
                           fontsize=fontsize, color="#2b3238", zorder=7, clip_on=True,
                           path_effects=[patheffects.withStroke(linewidth=2,
                                                                foreground="white")])
        if _fits(note, placed, renderer):
            written.append(str(text))
        else:
            note.remove()
    return written
