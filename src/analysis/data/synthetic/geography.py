"""The corridors of the synthetic journeys, resolved against the places gazetteer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core import reference
from analysis.data.synthetic.parameters import (
    EXTRA_CONTINENTAL,
    FLOWS,
    MODE_SYMBOLS,
    REPORTED_BY,
    YEARS_AIR_CANCUN,
    YEARS_CHARTER,
    YEARS_DARIEN,
    YEARS_EARLY,
    YEARS_FLAT,
    YEARS_MANAGUA,
    YEARS_ROXHAM,
)


@dataclass(frozen=True)
class Route:
    """A journey through gazetteer places; `path` reads "A > B ~ C ^ D" (land, sea, air)."""

    key: str
    flow: str  # nca, darien, caribbean, air_land, air, canada
    path: str
    weight: float
    nationalities: dict
    package_fee_usd: float
    destination: str
    years: tuple = YEARS_FLAT


def _join(*segments: str) -> str:
    """Chain path segments that share their boundary place."""
    path = segments[0]
    for segment in segments[1:]:
        head = segment.split()[0]
        if not path.endswith(head):
            raise ValueError(f"segment {segment!r} does not start where {path!r} ends")
        path += segment[len(head):]
    return path


HND_CORINTO = "HND-SAN-PEDRO-SULA > HND-CORINTO > GTM-CORINTO > GTM-CIUDAD-DE-GUATEMALA"
HND_AGUA = ("HND-SAN-PEDRO-SULA > HND-AGUA-CALIENTE > GTM-AGUA-CALIENTE > GTM-ESQUIPULAS"
            " > GTM-CIUDAD-DE-GUATEMALA")
HND_FLORIDO = "HND-SAN-PEDRO-SULA > HND-EL-FLORIDO > GTM-CIUDAD-DE-GUATEMALA"
SLV_PACIFIC = ("SLV-SAN-SALVADOR > SLV-LA-HACHADURA > GTM-TECUN-UMAN > MEX-CIUDAD-HIDALGO"
               " > MEX-TAPACHULA")
SLV_ANGUIATU = "SLV-SAN-SALVADOR > SLV-ANGUIATU > GTM-ESQUIPULAS > GTM-CIUDAD-DE-GUATEMALA"
NIC_MANOS = ("NIC-MANAGUA > NIC-LAS-MANOS > HND-LAS-MANOS > HND-DANLI > HND-TEGUCIGALPA"
             " > HND-AGUA-CALIENTE > GTM-AGUA-CALIENTE > GTM-CIUDAD-DE-GUATEMALA")
NIC_TROJES = ("NIC-MANAGUA > HND-TROJES > HND-DANLI > HND-TEGUCIGALPA > HND-AGUA-CALIENTE"
              " > GTM-AGUA-CALIENTE > GTM-CIUDAD-DE-GUATEMALA")
NIC_ESPINO = ("NIC-MANAGUA > NIC-EL-ESPINO > HND-CHOLUTECA > HND-TEGUCIGALPA"
              " > HND-AGUA-CALIENTE > GTM-AGUA-CALIENTE > GTM-CIUDAD-DE-GUATEMALA")
NIC_PACIFIC = ("NIC-MANAGUA > NIC-EL-GUASAULE > HND-GUASAULE > HND-CHOLUTECA > SLV-EL-AMATILLO"
               " > SLV-SAN-SALVADOR")
GTM_TECUN = "GTM-CIUDAD-DE-GUATEMALA > GTM-TECUN-UMAN > MEX-CIUDAD-HIDALGO > MEX-TAPACHULA"
GTM_CARMEN = "GTM-CIUDAD-DE-GUATEMALA > GTM-EL-CARMEN > MEX-TAPACHULA"
GTM_MESILLA = "GTM-CIUDAD-DE-GUATEMALA > GTM-LA-MESILLA > MEX-CIUDAD-DE-MEXICO"
GTM_EAST = ("GTM-CIUDAD-DE-GUATEMALA > GTM-EL-CEIBO > MEX-TENOSIQUE > MEX-PALENQUE"
            " > MEX-VILLAHERMOSA > MEX-COATZACOALCOS > MEX-VERACRUZ > MEX-MATAMOROS"
            " > USA-BROWNSVILLE")
TAP_GULF = ("MEX-TAPACHULA > MEX-ACAYUCAN > MEX-VERACRUZ > MEX-MONTERREY > MEX-REYNOSA"
            " > USA-MCALLEN > USA-HOUSTON")
TAP_CDMX = "MEX-TAPACHULA > MEX-CIUDAD-DE-MEXICO"
CDMX_JUAREZ = "MEX-CIUDAD-DE-MEXICO > MEX-CIUDAD-JUAREZ > USA-EL-PASO"
CDMX_TIJUANA = "MEX-CIUDAD-DE-MEXICO > MEX-TIJUANA > USA-SAN-DIEGO"
CDMX_MEXICALI = "MEX-CIUDAD-DE-MEXICO > MEX-MEXICALI > USA-SAN-DIEGO"
CDMX_SONOYTA = "MEX-CIUDAD-DE-MEXICO > MEX-SONOYTA > USA-TUCSON"
CDMX_NOGALES = "MEX-CIUDAD-DE-MEXICO > MEX-NOGALES > USA-TUCSON"
CDMX_LAREDO = "MEX-CIUDAD-DE-MEXICO > MEX-MONTERREY > MEX-NUEVO-LAREDO > USA-LAREDO > USA-HOUSTON"
CDMX_PIEDRAS = "MEX-CIUDAD-DE-MEXICO > MEX-PIEDRAS-NEGRAS > USA-HOUSTON"
DARIEN_CAPURGANA = ("COL-NECOCLI ~ COL-CAPURGANA > PAN-BAJO-CHIQUITO > PAN-LAJAS-BLANCAS"
                    " > PAN-PASO-CANOAS > CRI-PASO-CANOAS > CRI-SAN-JOSE > CRI-PENAS-BLANCAS"
                    " > NIC-PENAS-BLANCAS > NIC-MANAGUA")
DARIEN_ACANDI = ("COL-TURBO ~ COL-ACANDI > PAN-BAJO-CHIQUITO > PAN-YAVIZA > PAN-SAN-VICENTE"
                 " > PAN-PASO-CANOAS > CRI-PASO-CANOAS > CRI-LOS-CHILES > NIC-SAN-CARLOS"
                 " > NIC-MANAGUA")
DARIEN_METETI = ("COL-NECOCLI ~ COL-CAPURGANA > PAN-BAJO-CHIQUITO > PAN-LAJAS-BLANCAS"
                 " > PAN-METETI > PAN-CIUDAD-DE-PANAMA > PAN-PASO-CANOAS > CRI-PASO-CANOAS"
                 " > CRI-PENAS-BLANCAS > NIC-PENAS-BLANCAS > NIC-MANAGUA")
CENTRAL_AMERICANS = {"HND": 40, "GTM": 30, "SLV": 20, "NIC": 10}

ROUTES = (
    # Central America - Mexico - United States
    Route("hnd_gulf", "nca", _join(HND_CORINTO, GTM_TECUN, TAP_GULF), 6,
          {"HND": 85, "GTM": 7, "SLV": 5, "NIC": 3}, 9000, "USA"),
    Route("hnd_caravan", "nca", _join(HND_AGUA, GTM_CARMEN, TAP_CDMX, CDMX_JUAREZ), 4,
          {"HND": 80, "SLV": 6, "GTM": 6, "NIC": 8}, 8000, "USA"),
    Route("hnd_mesilla", "nca", _join(HND_FLORIDO, GTM_MESILLA, CDMX_LAREDO), 3,
          {"HND": 82, "GTM": 12, "SLV": 6}, 9500, "USA"),
    Route("slv_pacific", "nca", _join(SLV_PACIFIC, TAP_CDMX, CDMX_TIJUANA), 3,
          {"SLV": 85, "HND": 7, "GTM": 5, "NIC": 3}, 10000, "USA"),
    Route("slv_desert", "nca", _join(SLV_ANGUIATU, GTM_MESILLA, CDMX_SONOYTA), 2,
          {"SLV": 80, "HND": 10, "GTM": 10}, 9500, "USA"),
    Route("gtm_west", "nca", _join(GTM_MESILLA, CDMX_NOGALES), 4,
          {"GTM": 90, "HND": 5, "SLV": 5}, 11000, "USA"),
    Route("gtm_east", "nca", GTM_EAST, 3, {"GTM": 75, "HND": 15, "SLV": 5, "NIC": 5}, 10000,
          "USA"),
    Route("gtm_pacific", "nca", _join(GTM_TECUN, TAP_CDMX, CDMX_MEXICALI), 3,
          {"GTM": 85, "HND": 10, "SLV": 5}, 10500, "USA"),
    Route("mex_laredo", "nca", CDMX_LAREDO, 5, {"MEX": 92, "GTM": 4, "HND": 4}, 6000, "USA"),
    Route("mex_desert", "nca", CDMX_SONOYTA, 3, {"MEX": 90, "GTM": 6, "HND": 4}, 5500, "USA"),
    Route("mex_tijuana", "nca", CDMX_TIJUANA, 2, {"MEX": 88, "GTM": 6, "SLV": 6}, 6500, "USA"),
    Route("nic_manos", "nca", _join(NIC_MANOS, GTM_TECUN, TAP_CDMX, CDMX_PIEDRAS), 1.5,
          {"NIC": 85, "HND": 5, "CUB": 5, "VEN": 5}, 7000, "USA"),
    Route("nic_pacific", "nca", _join(NIC_PACIFIC, SLV_PACIFIC, TAP_GULF), 1,
          {"NIC": 75, "HND": 10, "SLV": 5, "VEN": 5, "CUB": 5}, 7500, "USA"),
    Route("belize", "nca", "HND-SAN-PEDRO-SULA > HND-CORINTO > GTM-CORINTO"
          " > GTM-MELCHOR-DE-MENCOS > BLZ-BENQUE-VIEJO > BLZ-BELIZE-CITY > BLZ-SANTA-ELENA"
          " > MEX-VILLAHERMOSA > MEX-COATZACOALCOS > MEX-VERACRUZ > MEX-MATAMOROS"
          " > USA-BROWNSVILLE", 1, {"HND": 50, "GTM": 30, "SLV": 10, "NIC": 5, "CUB": 5},
          8000, "USA"),
    # The Darién: South Americans, Haitians and extra-continental flows
    Route("darien_ven", "darien", _join("VEN-CARACAS > COL-BOGOTA > COL-MEDELLIN > COL-NECOCLI",
                                        DARIEN_CAPURGANA, NIC_MANOS, GTM_CARMEN, TAP_CDMX,
                                        CDMX_JUAREZ), 8,
          {"VEN": 72, "COL": 6, "ECU": 6, "HTI": 8, "PER": 2, "CHL": 2, "CUB": 4}, 5000, "USA",
          YEARS_DARIEN),
    Route("darien_ecu", "darien", _join("ECU-QUITO > COL-MEDELLIN > COL-TURBO", DARIEN_ACANDI,
                                        NIC_TROJES, GTM_TECUN, TAP_GULF), 4,
          {"ECU": 55, "VEN": 20, "COL": 10, "HTI": 10, "PER": 5}, 6000, "USA", YEARS_DARIEN),
    Route("darien_extra", "darien", _join("BRA-GUARULHOS-AIRPORT ^ ECU-QUITO > COL-MEDELLIN"
                                          " > COL-NECOCLI", DARIEN_METETI, NIC_MANOS, GTM_TECUN,
                                          TAP_CDMX, CDMX_TIJUANA), 4,
          EXTRA_CONTINENTAL, 12000, "USA", YEARS_DARIEN),
    Route("darien_haiti", "darien", _join("ECU-QUITO > COL-BOGOTA > COL-MEDELLIN > COL-TURBO",
                                          DARIEN_ACANDI, NIC_ESPINO, GTM_TECUN, TAP_CDMX,
                                          CDMX_PIEDRAS), 3,
          {"HTI": 70, "CHL": 10, "BRA": 8, "CUB": 7, "VEN": 5}, 5500, "USA", YEARS_DARIEN),
    Route("darien_obaldia", "darien", "COL-TURBO ~ COL-CAPURGANA ~ PAN-PUERTO-OBALDIA"
          " > PAN-BAJO-CHIQUITO > PAN-LAJAS-BLANCAS > PAN-PASO-CANOAS > CRI-PASO-CANOAS"
          " > CRI-PENAS-BLANCAS > NIC-PENAS-BLANCAS > NIC-MANAGUA", 1,
          {"CUB": 30, "HTI": 30, "VEN": 20, "IND": 10, "CMR": 10}, 4500, "USA", YEARS_EARLY),
    # Caribbean sea routes
    Route("hti_dajabon", "caribbean", "HTI-PORT-AU-PRINCE > DOM-DAJABON > DOM-SANTO-DOMINGO", 4,
          {"HTI": 98, "VEN": 2}, 150, "DOM"),
    Route("hti_jimani", "caribbean", "HTI-PORT-AU-PRINCE > DOM-JIMANI > DOM-SANTO-DOMINGO", 3,
          {"HTI": 99, "VEN": 1}, 150, "DOM"),
    Route("hti_elias_pina", "caribbean",
          "HTI-PORT-AU-PRINCE > DOM-ELIAS-PINA > DOM-SANTO-DOMINGO", 2, {"HTI": 100}, 120, "DOM"),
    Route("mona", "caribbean", "DOM-SANTO-DOMINGO ~ PRI-ISLA-DE-MONA ~ PRI-AGUADILLA"
          " > PRI-SAN-JUAN", 5, {"DOM": 75, "HTI": 15, "VEN": 6, "CUB": 4},
          2500, "PRI"),
    Route("mona_haiti", "caribbean", "HTI-PORT-AU-PRINCE > DOM-DAJABON > DOM-SANTO-DOMINGO"
          " > DOM-MICHES ~ PRI-AGUADILLA > PRI-SAN-JUAN ^ USA-NEW-YORK", 1.5,
          {"HTI": 60, "DOM": 30, "VEN": 10}, 3000, "USA"),
    Route("cuba_sea", "caribbean", "CUB-LA-HABANA ~ USA-MIAMI", 4, {"CUB": 100}, 7000, "USA"),
    # Flights to Managua, then overland north
    Route("cuba_managua", "air_land", _join("CUB-LA-HABANA ^ NIC-MANAGUA-AIRPORT > NIC-MANAGUA",
                                            NIC_ESPINO, GTM_TECUN, TAP_CDMX, CDMX_PIEDRAS), 4,
          {"CUB": 95, "HTI": 3, "VEN": 2}, 9000, "USA", YEARS_MANAGUA),
    Route("haiti_managua", "air_land",
          _join("HTI-PORT-AU-PRINCE ^ NIC-MANAGUA-AIRPORT > NIC-MANAGUA", NIC_MANOS, GTM_CARMEN,
                TAP_CDMX, CDMX_JUAREZ), 2.5, {"HTI": 95, "CUB": 3, "VEN": 2}, 6000, "USA",
          YEARS_MANAGUA),
    Route("charter_managua", "air_land",
          _join("SLV-SAN-SALVADOR-AIRPORT ^ NIC-MANAGUA-AIRPORT > NIC-MANAGUA", NIC_MANOS,
                GTM_TECUN, TAP_CDMX, CDMX_TIJUANA), 1.5,
          {"IND": 30, "SEN": 20, "MRT": 20, "GIN": 10, "NGA": 5, "CMR": 5, "BGD": 5, "EGY": 5},
          15000, "USA", YEARS_CHARTER),
    # Air routes, often with fraudulent documents
    Route("air_bogota_cancun", "air_land", _join("COL-BOGOTA ^ MEX-CANCUN-AIRPORT"
                                                 " > MEX-CIUDAD-DE-MEXICO", CDMX_TIJUANA), 2.5,
          {"COL": 75, "VEN": 10, "ECU": 10, "PER": 5}, 8000, "USA", YEARS_AIR_CANCUN),
    Route("air_tocumen_cancun", "air_land",
          "PAN-TOCUMEN-AIRPORT ^ MEX-CANCUN-AIRPORT > MEX-CIUDAD-DE-MEXICO", 1.5,
          {"IND": 25, "CHN": 20, "ECU": 15, "VEN": 15, "CUB": 10, "BRA": 5, "TUR": 5, "RUS": 5},
          10000, "USA"),
    Route("air_guatemala_mexico", "air_land",
          _join("GTM-CIUDAD-DE-GUATEMALA ^ MEX-CIUDAD-DE-MEXICO", CDMX_JUAREZ), 1.5,
          {"GTM": 50, "HND": 20, "SLV": 10, "ECU": 10, "IND": 10}, 12000, "USA"),
    Route("air_salvador_mexico", "air_land",
          _join("SLV-SAN-SALVADOR-AIRPORT ^ MEX-CIUDAD-DE-MEXICO", CDMX_MEXICALI), 1,
          {"SLV": 60, "IND": 20, "HND": 10, "GTM": 10}, 11000, "USA"),
    Route("air_bogota_miami", "air", "COL-BOGOTA ^ PAN-TOCUMEN-AIRPORT ^ USA-MIAMI", 1.5,
          {"COL": 60, "VEN": 20, "ECU": 20}, 9000, "USA"),
    Route("air_haiti_miami", "air", "HTI-PORT-AU-PRINCE ^ USA-MIAMI", 1, {"HTI": 100}, 8000,
          "USA"),
    Route("air_mexico_toronto", "air", "MEX-CIUDAD-DE-MEXICO ^ CAN-TORONTO", 2,
          {"MEX": 80, "COL": 8, "GTM": 4, "HND": 4, "SLV": 4}, 4000, "CAN"),
    Route("air_mexico_vancouver", "air", "MEX-CIUDAD-DE-MEXICO ^ CAN-VANCOUVER", 1,
          {"MEX": 70, "CHN": 15, "IND": 15}, 5000, "CAN"),
    Route("air_puntacana_montreal", "air", "DOM-PUNTA-CANA ^ CAN-MONTREAL", 1,
          {"DOM": 60, "HTI": 40}, 6000, "CAN"),
    Route("air_tocumen_toronto", "air", "PAN-TOCUMEN-AIRPORT ^ CAN-TORONTO", 1,
          {"IND": 30, "NGA": 20, "VEN": 20, "COL": 15, "CHN": 15}, 9000, "CAN"),
    Route("air_sanjuan_newyork", "air", "PRI-SAN-JUAN ^ USA-NEW-YORK", 1,
          {"DOM": 85, "HTI": 10, "CUB": 5}, 3500, "USA"),
    Route("air_sanjose_newyork", "air", "CRI-SAN-JOSE ^ USA-NEW-YORK", 0.8,
          {"NIC": 50, "CUB": 20, "VEN": 20, "COL": 10}, 9000, "USA"),
    # Northbound into Canada
    Route("roxham", "canada", "USA-NEW-YORK > CAN-ROXHAM-ROAD > CAN-MONTREAL", 2,
          {"HTI": 30, "NGA": 20, "COL": 15, "VEN": 10, "TUR": 10, "PAK": 5, "MEX": 10}, 700,
          "CAN", YEARS_ROXHAM),
)


@dataclass
class Geography:
    """Routes resolved against the gazetteer, as arrays."""

    places: pd.DataFrame  # gazetteer, with integer position `i`
    place_ids: np.ndarray
    stops: np.ndarray  # [route, stop] place index, -1 padded
    modes: np.ndarray  # [route, leg] mode index (0 land, 1 sea, 2 air), -1 padded
    n_stops: np.ndarray
    weights: np.ndarray
    flow: np.ndarray  # flow index per route
    reporter: np.ndarray  # per place: CRM reporting country, "" if none
    country: np.ndarray  # per place: its country
    kind: np.ndarray


def _parse_path(path: str) -> tuple[list[str], list[int]]:
    tokens = path.split()
    stops, modes = tokens[0::2], [MODE_SYMBOLS[t] for t in tokens[1::2]]
    if len(stops) != len(modes) + 1:
        raise ValueError(f"malformed route path {path!r}")
    return stops, modes


def geography() -> Geography:
    """The routes as place indices; raises if a route names a place the gazetteer lacks."""
    places = reference.places().reset_index()
    index = {p: i for i, p in enumerate(places["place_id"])}
    parsed = [_parse_path(r.path) for r in ROUTES]
    missing = sorted({s for stops, _ in parsed for s in stops if s not in index})
    if missing:
        raise KeyError(f"route places missing from the gazetteer: {missing}")
    width = max(len(stops) for stops, _ in parsed)
    stops = np.full((len(ROUTES), width), -1, dtype=np.int64)
    modes = np.full((len(ROUTES), width - 1), -1, dtype=np.int64)
    for r, (route_stops, route_modes) in enumerate(parsed):
        stops[r, :len(route_stops)] = [index[s] for s in route_stops]
        modes[r, :len(route_modes)] = route_modes
    country = places["country"].to_numpy(dtype=object)
    members = set(reference.CRM_MEMBERS)
    reporter = np.array([c if c in members else REPORTED_BY.get(c, "") for c in country],
                        dtype=object)
    return Geography(
        places=places, place_ids=places["place_id"].to_numpy(dtype=object), stops=stops,
        modes=modes, n_stops=np.array([len(s) for s, _ in parsed]),
        weights=np.array([r.weight for r in ROUTES], dtype=float),
        flow=np.array([FLOWS.index(r.flow) for r in ROUTES]), reporter=reporter,
        country=country, kind=places["kind"].to_numpy(dtype=object),
    )


def darien_gap(geo: Geography, src: np.ndarray, dst: np.ndarray, mode: np.ndarray):
    """Land legs through the Darién jungle: between Darién places, into or within Panama."""
    darien = geo.places["corridor"].str.contains("darien").to_numpy()
    return (mode == 0) & darien[src] & darien[dst] & (geo.country[dst] == "PAN")


def detection_options(geo: Geography) -> pd.DataFrame:
    """Every (route, stop) where a CRM member can detect a case, with a relative weight."""
    kind_weight = {"border_crossing": 1.6, "airport": 2.0, "reception_station": 2.0,
                   "jungle_crossing": 1.0, "transit_hub": 1.2, "port": 1.0, "city": 0.7}
    rows = []
    for r in range(len(ROUTES)):
        for d in range(1, geo.n_stops[r]):
            place = geo.stops[r, d]
            if geo.reporter[place]:
                rows.append((r, d, geo.reporter[place],
                             geo.weights[r] * kind_weight.get(geo.kind[place], 1.0)))
    return pd.DataFrame(rows, columns=["route", "stop", "country", "weight"])


def allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` by weights with largest-remainder rounding, at least one each when there
    are enough to go round (deterministic)."""
    keys = sorted(weights)
    least = 1 if total >= len(keys) else 0
    spare = total - least * len(keys)
    exact = np.array([weights[k] for k in keys]) / sum(weights.values()) * spare
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: spare - counts.sum()]] += 1
    return dict(zip(keys, (counts + least).tolist(), strict=True))


def year_table() -> np.ndarray:
    return np.array([r.years for r in ROUTES], dtype=float)
