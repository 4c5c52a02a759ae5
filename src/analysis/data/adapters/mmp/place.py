"""Placing IOM Missing Migrants incidents: country of incident, and in the Americas or not."""

from __future__ import annotations

import math
import re
from functools import cache

import numpy as np
import pandas as pd

from analysis.core import i18n, reference
from analysis.core.text import fold
from analysis.data.adapters.mmp.layout import MMPImportError

NO_COUNTRY = "ZZZ"  # "No country / international waters" in data/reference/countries.csv
# Offshore incidents count for the nearest country within this distance of its coast. The
# territorial sea is 12 nautical miles (22.2 km); 20 km stays inside it while absorbing the
# generalization of Natural Earth's 1:50m coastline (a few km).
COAST_BUFFER_KM = 20.0

# Region names of every IOM layout, folded: UNSD groupings and IOM's own regions, today's and
# older ones ("US-Mexico Border", "North Africa", "Horn of Africa", …). A name in neither set
# ("Uncategorized", empty, or one IOM has not used before) says nothing: the coordinates decide.
AMERICAS_REGIONS = frozenset({fold(name) for name in reference.AMERICAS} | {
    "americas", "north america", "latin america and the caribbean", "latin america caribbean",
    "central america incl mexico", "central america including mexico", "us mexico border",
    "u s mexico border", "us mexico", "mexico us border", "united states mexico border"})
OTHER_REGIONS = frozenset({
    "mediterranean", "north africa", "northern africa", "horn of africa", "sub saharan africa",
    "eastern africa", "western africa", "middle africa", "central africa", "southern africa",
    "africa", "europe", "southern europe", "western europe", "eastern europe", "northern europe",
    "middle east", "western asia", "southern asia", "south asia", "south eastern asia",
    "southeast asia", "south east asia", "eastern asia", "east asia", "central asia", "asia",
    "oceania", "australia and new zealand", "melanesia", "micronesia", "polynesia"})
# A point west of this longitude (and east of the date line) lies in the Americas or in their
# seas: Greenland is UNSD's Northern America; the Azores and Cabo Verde lie east of it.
AMERICAS_EAST_LON = -32.0

# IOM's spellings → ISO3 (folded names; the reference names in English and Spanish are used too).
COUNTRY_ALIASES: dict[str, str] = {
    "united states of america": "USA", "united states": "USA", "usa": "USA", "us": "USA",
    "u s": "USA", "u s a": "USA", "mexico": "MEX", "bolivia plurinational state of": "BOL",
    "bolivia": "BOL", "venezuela bolivarian republic of": "VEN", "venezuela": "VEN",
    "turkiye": "TUR", "turkey": "TUR", "iran islamic republic of": "IRN", "iran": "IRN",
    "syrian arab republic": "SYR", "syria": "SYR", "russian federation": "RUS", "russia": "RUS",
    "democratic republic of the congo": "COD", "dr congo": "COD", "drc": "COD",
    "republic of the congo": "COG", "congo": "COG", "cote d ivoire": "CIV",
    "ivory coast": "CIV", "the gambia": "GMB", "gambia": "GMB",
    "united republic of tanzania": "TZA", "tanzania": "TZA", "viet nam": "VNM",
    "vietnam": "VNM", "lao people s democratic republic": "LAO", "laos": "LAO",
    "united kingdom of great britain and northern ireland": "GBR", "united kingdom": "GBR",
    "uk": "GBR", "czechia": "CZE", "czech republic": "CZE", "north macedonia": "MKD",
    "macedonia": "MKD", "republic of moldova": "MDA", "moldova": "MDA", "libya": "LBY",
    "state of palestine": "PSE", "palestine": "PSE", "occupied palestinian territory": "PSE",
    "cabo verde": "CPV", "cape verde": "CPV", "eswatini": "SWZ", "swaziland": "SWZ",
    "myanmar": "MMR", "burma": "MMR", "brunei darussalam": "BRN", "curacao": "CUW",
    "sint maarten": "SXM", "bahamas": "BHS", "the bahamas": "BHS",
    "dominican rep": "DOM", "dominican republic": "DOM", "republic of korea": "KOR",
    "south korea": "KOR", "trinidad and tobago": "TTO", "puerto rico": "PRI",
    "us virgin islands": "VIR", "turks and caicos islands": "TCA", "cayman islands": "CYM",
    "french guiana": "GUF", "guadeloupe": "GLP", "martinique": "MTQ", "greece": "GRC",
    "spain": "ESP", "italy": "ITA", "morocco": "MAR", "tunisia": "TUN", "algeria": "DZA",
    "egypt": "EGY", "yemen": "YEM", "djibouti": "DJI", "somalia": "SOM", "ethiopia": "ETH",
    "sudan": "SDN", "south sudan": "SSD", "niger": "NER", "mali": "MLI", "chad": "TCD",
    "afghanistan": "AFG", "pakistan": "PAK", "bangladesh": "BGD", "india": "IND",
    "indonesia": "IDN", "malaysia": "MYS", "thailand": "THA", "western sahara": "ESH",
}


@cache
def _country_names() -> dict[str, str]:
    """Folded country name → ISO3, from the reference names and IOM's spellings.

    The aliases also name countries outside the reference list (data/reference/countries.csv
    holds the Americas and the main countries of origin); callers tell those apart.
    """
    table = reference.countries()
    names: dict[str, str] = {}
    for iso3, row in table.iterrows():
        for column in ("name_en", "name_es"):
            if row.get(column):
                names.setdefault(fold(row[column]), iso3)
    for alias, iso3 in COUNTRY_ALIASES.items():
        names.setdefault(alias, iso3)
    names.pop("", None)
    names.pop(fold(table.at[NO_COUNTRY, "name_en"]) if NO_COUNTRY in table.index else "", None)
    return names


def country_code(name: str) -> str:
    """An IOM country name → ISO3, or '' when unknown."""
    key = fold(name)
    if not key:
        return ""
    if len(key) == 3 and key.upper() in reference.countries().index:
        return key.upper()
    return _country_names().get(key, "")


def country_in_text(text: str) -> str:
    """The country IOM names at the end of a location ('Sabha, Libya - presumed…') or ''."""
    text = re.sub(r"\([^)]*\)", " ", str(text)).split(" - ")[0]
    parts = [p for p in re.split(r"[,;]", text) if p.strip()]
    if not parts:
        return ""
    last = parts[-1]
    if found := country_code(last):
        return found
    folded = f" {fold(last)} "
    names = _country_names()
    hits = [(folded.find(f" {name} "), -len(name), iso3) for name, iso3 in names.items()
            if len(name) > 3 and f" {name} " in folded]
    return min(hits)[2] if hits else ""


@cache
def basemap():
    """The Americas basemap (Natural Earth 1:50m), one (multi)polygon per `iso3`, in WGS 84."""
    path = reference.basemap_path()
    if not path.is_file():
        raise MMPImportError(i18n.t("mmp.error_no_basemap", "en", path=str(path)))
    frame = reference.basemap()
    frame["geometry"] = frame.geometry.make_valid()
    return frame[frame["iso3"].astype(str).str.fullmatch(r"[A-Z]{3}")].reset_index(drop=True)


def countries_at(lat: pd.Series, lon: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO3 of the basemap country holding each point, or of the nearest coast within
    `COAST_BUFFER_KM`: (iso3 or '', how: 'inside' / 'offshore' / '')."""
    import geopandas as gpd

    iso3 = pd.Series("", index=lat.index, dtype=object)
    how = pd.Series("", index=lat.index, dtype=object)
    has = lat.notna() & lon.notna()
    if not has.any():
        return iso3, how
    base = basemap()
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[has], lat[has]),
                              index=lat.index[has], crs=4326)
    joined = gpd.sjoin(points, base, how="inner", predicate="intersects")
    joined = joined[~joined.index.duplicated(keep="first")]
    iso3.loc[joined.index] = joined["iso3"].to_numpy()
    how.loc[joined.index] = "inside"
    rest = points.loc[~points.index.isin(joined.index)]
    for index, code in _nearest_coast(rest, base).items():
        iso3.loc[index], how.loc[index] = code, "offshore"
    return iso3, how


def _nearest_coast(points, base) -> dict:
    """Point index → ISO3 of the nearest basemap country within `COAST_BUFFER_KM`.

    Distances use a local equirectangular projection around each point (exact enough at
    20 km); each polygon is clipped to the search box first.
    """
    import shapely

    if points.empty:
        return {}
    x = points.geometry.x.to_numpy()
    y = points.geometry.y.to_numpy()
    km_lat = 110.574
    km_lon = 111.320 * np.maximum(np.cos(np.radians(y)), 0.05)
    dx = COAST_BUFFER_KM / km_lon
    dy = np.full_like(dx, COAST_BUFFER_KM / km_lat)
    boxes = shapely.box(x - dx, y - dy, x + dx, y + dy)
    point_at, polygon_at = base.sindex.query(boxes, predicate="intersects")
    best: dict = {}
    for i, j in zip(point_at, polygon_at, strict=True):
        near = shapely.clip_by_rect(base.geometry.iloc[j], x[i] - dx[i], y[i] - dy[i],
                                    x[i] + dx[i], y[i] + dy[i])
        if near.is_empty:
            continue
        scale = np.array([km_lon[i], km_lat])
        origin = np.array([x[i], y[i]])
        local = shapely.transform(near, lambda c, o=origin, s=scale: (c - o) * s)
        distance = shapely.distance(local, shapely.Point(0, 0))
        index = points.index[i]
        if distance <= COAST_BUFFER_KM and distance < best.get(index, (math.inf, ""))[0]:
            best[index] = (distance, base["iso3"].iloc[j])
    return {index: code for index, (_, code) in best.items()}


def region_side(names: pd.Series) -> pd.Series:
    """Region names of any IOM layout → True (the Americas), False (elsewhere) or NA (the name
    says nothing)."""
    folded = names.map(fold)
    side = pd.Series(pd.NA, index=names.index, dtype="boolean")
    side[folded.isin(AMERICAS_REGIONS)] = True
    side[folded.isin(OTHER_REGIONS)] = False
    return side


def point_side(lat: pd.Series, lon: pd.Series, at_point: pd.Series) -> pd.Series:
    """Coordinates → True (the Americas), False (elsewhere) or NA (no coordinates).

    The country holding the point (or the nearest coast) decides through its UNSD sub-region;
    points at sea are in the Americas when they lie west of `AMERICAS_EAST_LON`.
    """
    side = pd.Series(pd.NA, index=lat.index, dtype="boolean")
    has = lat.notna() & lon.notna()
    side[has] = lon[has].between(-180.0, AMERICAS_EAST_LON)
    subregion = at_point.map(reference.countries()["unsd_subregion"])
    known = has & subregion.notna()
    side[known] = subregion[known].isin(reference.AMERICAS)
    return side


def place_rows(rows: pd.DataFrame, stated: pd.Series, location: pd.Series, iom_region: pd.Series,
           unsd_region: pd.Series) -> None:
    """Country of incident, how it was found, and whether IOM places the row in the Americas."""
    stated_code = stated.map(country_code)
    at_point, how_point = countries_at(rows["lat"], rows["lon"])
    by_unsd, by_iom = region_side(unsd_region), region_side(iom_region)
    by_point = point_side(rows["lat"], rows["lon"], at_point)
    americas = by_unsd.fillna(by_iom).fillna(by_point)
    rows["region_by"] = np.select([by_unsd.notna(), by_iom.notna(), by_point.notna()],
                                  ["unsd", "iom_region", "coordinates"], "")

    text_allowed = rows["lat"].isna() | americas.eq(False).fillna(False)
    from_text = location.where(text_allowed & stated_code.eq("") & at_point.eq(""), "")
    text_code = from_text.map(country_in_text)
    named = stated_code.where(stated_code.ne(""), at_point)
    named = named.where(named.ne(""), text_code)
    listed = named.isin(reference.countries().index)
    country = named.where(listed, "")  # ingestion accepts listed countries only
    rows["country"] = country
    rows["country_by"] = np.select(
        [named.ne("") & ~listed, stated_code.ne(""), how_point.eq("inside"),
         how_point.eq("offshore"), text_code.ne("")],
        ["unlisted", "stated", "coordinates", "offshore", "location_text"], "none")
    # Every country of the Americas is listed: an unlisted one is elsewhere.
    subregion = reference.countries()["unsd_subregion"].map(fold)
    by_country = americas.isna() & named.ne("")
    americas[by_country] = country[by_country].map(subregion).isin(AMERICAS_REGIONS)
    rows.loc[by_country, "region_by"] = "country"
    rows["americas"] = americas
    # CRM is judged by the coordinates where there are some, else by the country.
    rows["crm_country"] = at_point.where(rows["lat"].notna(), country)
