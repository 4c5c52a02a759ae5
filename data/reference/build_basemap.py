"""Rebuild data/reference/basemap_americas.geojson from the npm package `world-atlas`.

The package redistributes Natural Earth's 1:50m Admin 0 country boundaries (public domain)
as TopoJSON. This script reads `countries-50m.json` from the package tarball, keeps the
countries and territories of the Americas (UN M49 regions Northern America, Central America,
Caribbean and South America), adds an ISO 3166-1 alpha-3 code (`iso3`) and writes a small,
deterministic GeoJSON file (RFC 7946, EPSG:4326) for the project's maps.

Usage (the tarball is fetched once with `npm pack world-atlas`; the script itself never
touches the network):

    cd /tmp && npm pack world-atlas
    python data/reference/build_basemap.py /tmp/world-atlas-2.0.2.tgz

Processing:
  * TopoJSON -> GeoDataFrame with geopandas (layer "countries"), CRS set to EPSG:4326,
    geometries repaired with `make_valid()` and reduced to their polygon parts;
  * France and the Netherlands are single features in Natural Earth's Admin 0 countries:
    their parts in the Americas are split off as French Guiana (GUF), Guadeloupe (GLP),
    Martinique (MTQ) and Bonaire, Sint Eustatius and Saba (BES); the European parts are
    dropped;
  * parts east of the antimeridian (the westernmost Aleutian islands, which wrap to
    positive longitudes) are dropped so that the map extent stays in the western
    hemisphere; every other part of a kept country is kept whole (Alaska, Hawaii,
    Greenland, the Galapagos, Easter Island...);
  * the geometry is lightly simplified only when the output would exceed MAX_BYTES;
  * coordinates are snapped to a 1e-4 degree grid (about 11 m) with
    `shapely.set_precision`, which keeps geometries valid, and written with 4 decimals;
  * rings are oriented counter-clockwise (exterior) as RFC 7946 asks, and features are
    sorted by iso3, so the same tarball always gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "basemap_americas.geojson"
MEMBER = "package/countries-50m.json"
GRID = 1e-4  # degrees; output coordinates have 4 decimals
MAX_BYTES = 3_000_000  # simplify only above this size
SIMPLIFY_TOLERANCE = 0.01  # degrees, used only when the file is too big

# world-atlas feature ids are ISO 3166-1 numeric codes (as strings with leading zeros).
# Only the countries and territories of the Americas are listed; every other feature is
# dropped. Natural Earth 1:50m has no feature for Bouvet Island (074).
NUMERIC_TO_ISO3 = {
    # Northern America
    "060": "BMU",
    "124": "CAN",
    "304": "GRL",
    "666": "SPM",
    "840": "USA",
    # Caribbean
    "028": "ATG",
    "044": "BHS",
    "052": "BRB",
    "092": "VGB",
    "136": "CYM",
    "192": "CUB",
    "212": "DMA",
    "214": "DOM",
    "308": "GRD",
    "332": "HTI",
    "388": "JAM",
    "500": "MSR",
    "531": "CUW",
    "533": "ABW",
    "534": "SXM",
    "630": "PRI",
    "652": "BLM",
    "659": "KNA",
    "660": "AIA",
    "662": "LCA",
    "663": "MAF",
    "670": "VCT",
    "780": "TTO",
    "796": "TCA",
    "850": "VIR",
    # Central America
    "084": "BLZ",
    "188": "CRI",
    "222": "SLV",
    "320": "GTM",
    "340": "HND",
    "484": "MEX",
    "558": "NIC",
    "591": "PAN",
    # South America
    "032": "ARG",
    "068": "BOL",
    "076": "BRA",
    "152": "CHL",
    "170": "COL",
    "218": "ECU",
    "238": "FLK",
    "239": "SGS",
    "328": "GUY",
    "600": "PRY",
    "604": "PER",
    "740": "SUR",
    "858": "URY",
    "862": "VEN",
}

# Parts of multi-territory features that become territories of their own:
# (numeric id of the source feature, iso3, name, lon_min, lat_min, lon_max, lat_max).
SPLITS = (
    ("250", "GUF", "French Guiana", -55.0, 1.5, -51.0, 6.5),
    ("250", "GLP", "Guadeloupe", -62.0, 15.7, -60.9, 16.7),
    ("250", "MTQ", "Martinique", -61.3, 14.3, -60.7, 15.0),
    ("528", "BES", "Caribbean Netherlands", -69.0, 11.9, -62.8, 17.8),
)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_topojson(tgz: Path) -> gpd.GeoDataFrame:
    """The "countries" layer of countries-50m.json inside the world-atlas tarball."""
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(tgz, "r:gz") as tar:
        member = tar.getmember(MEMBER)
        target = Path(tmp) / "countries-50m.json"
        source = tar.extractfile(member)
        if source is None:
            raise SystemExit(f"{MEMBER} is not a regular file in {tgz}")
        target.write_bytes(source.read())
        gdf = gpd.read_file(target, layer="countries")
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    gdf["geometry"] = gdf.geometry.make_valid()
    return gdf


def polygon_parts(geom) -> list[Polygon]:
    """The polygons of a (possibly mixed) geometry, in their stored order."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in polygon_parts(g)]
    return []  # points and lines left over by make_valid()


def western(parts: list[Polygon]) -> list[Polygon]:
    """Parts whose centroid lies in the western hemisphere."""
    return [p for p in parts if p.centroid.x < 0]


def americas(gdf: gpd.GeoDataFrame) -> list[tuple[str, str, MultiPolygon]]:
    """(iso3, name, geometry) for every country or territory of the Americas."""
    rows: list[tuple[str, str, MultiPolygon]] = []
    for fid, name, geom in zip(gdf["id"], gdf["name"], gdf.geometry, strict=True):
        parts = western(polygon_parts(geom))
        if fid in NUMERIC_TO_ISO3 and parts:
            rows.append((NUMERIC_TO_ISO3[fid], name, MultiPolygon(parts)))
        for src, iso3, label, *bounds in SPLITS:
            if fid != src:
                continue
            frame = box(*bounds)
            inside = [p for p in parts if frame.contains(p.centroid)]
            if inside:
                rows.append((iso3, label, MultiPolygon(inside)))
    found = {iso3 for iso3, _, _ in rows}
    expected = set(NUMERIC_TO_ISO3.values()) | {s[1] for s in SPLITS}
    missing = sorted(expected - found)
    if missing:
        raise SystemExit(f"features not found in the source: {', '.join(missing)}")
    return sorted(rows)


def finish(geom: MultiPolygon, tolerance: float) -> MultiPolygon | Polygon:
    """Simplify (optionally), snap to the output grid and orient for RFC 7946."""
    if tolerance > 0:
        geom = geom.simplify(tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, GRID)
    geom = shapely.make_valid(geom)
    parts = [p for p in polygon_parts(geom) if p.area > 0]
    geom = parts[0] if len(parts) == 1 else MultiPolygon(parts)
    return shapely.orient_polygons(geom, exterior_cw=False)


def rounded(coords) -> list:
    return [[round(x, 4), round(y, 4)] for x, y, *_ in coords]


def geometry_json(geom: Polygon | MultiPolygon) -> dict:
    def rings(poly: Polygon) -> list:
        return [rounded(poly.exterior.coords)] + [rounded(r.coords) for r in poly.interiors]

    if isinstance(geom, Polygon):
        return {"type": "Polygon", "coordinates": rings(geom)}
    return {"type": "MultiPolygon", "coordinates": [rings(p) for p in geom.geoms]}


def render(rows: list[tuple[str, str, MultiPolygon]], tolerance: float) -> str:
    features = [
        {
            "type": "Feature",
            "properties": {"iso3": iso3, "name": name},
            "geometry": geometry_json(finish(geom, tolerance)),
        }
        for iso3, name, geom in rows
    ]
    # A FeatureCollection with one feature per line: compact, yet readable in a diff.
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tgz", type=Path, help="world-atlas-x.y.z.tgz from `npm pack`")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON")
    args = parser.parse_args(argv)

    rows = americas(read_topojson(args.tgz))
    text = render(rows, tolerance=0.0)
    if len(text.encode()) > MAX_BYTES:
        text = render(rows, tolerance=SIMPLIFY_TOLERANCE)
    args.out.write_text(text, encoding="utf-8")

    print(f"features: {len(rows)}")
    print(f"bytes:    {args.out.stat().st_size}")
    print(f"sha256 of {args.tgz.name}: {sha256(args.tgz)}")
    print(f"sha256 of {args.out.name}: {sha256(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
