"""Synthetic demo data: a data folder in the contract's format that describes no real person.

`generate(out_dir, scale, seed)` writes `dataset.yml` and `<ISO3>/<table>.csv` for the 11 CRM
countries. Journeys follow the region's corridors through the places gazetteer (Central
America-Mexico-United States, the Darién, the Caribbean sea routes, air routes); cases,
migrants, route legs, incidents and smuggling structures (actors and links) are drawn with
numpy, vectorized, so that scale 100 takes well under a minute. Legislation and Work Plan rows
are illustrative. A few deliberately flawed rows (counted in dataset.yml) exercise the
set-aside path of ingestion. Same seed and scale give byte-identical files.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from analysis.core import reference
from analysis.core.contract import TABLES

YEARS = np.arange(2019, 2025)
BASE_ROWS = {"cases": 1500, "migrants": 9000, "route_legs": 5000, "incidents": 400,
             "actors": 1000, "links": 5000}
FLAW_SHARE = 0.003  # planted flawed rows, share of cases, migrants and route legs
MAX_MIGRANTS = 60
MAX_LEGS = 8
STRUCTURE_SIZE = 30  # mean actors per smuggling structure

# Share of the region's cases (and of the structures anchored) by reporting country.
COUNTRY_WEIGHTS = {"MEX": 0.235, "USA": 0.18, "GTM": 0.13, "PAN": 0.12, "HND": 0.10,
                   "CRI": 0.06, "DOM": 0.06, "SLV": 0.05, "CAN": 0.04, "NIC": 0.015, "BLZ": 0.01}
# Places outside the CRM are reported by the member that meets them on the route.
REPORTED_BY = {"PRI": "USA", "CUB": "USA", "HTI": "DOM", "COL": "PAN", "ECU": "PAN",
               "VEN": "PAN", "BRA": "PAN"}
# Local currency and units per US dollar (illustrative, fixed).
LOCAL_CURRENCY = {"MEX": ("MXN", 17.5), "GTM": ("GTQ", 7.8), "HND": ("HNL", 24.7),
                  "NIC": ("NIO", 36.6), "CRI": ("CRC", 520.0), "BLZ": ("BZD", 2.0),
                  "DOM": ("DOP", 57.0), "CAN": ("CAD", 1.35), "COL": ("COP", 4000.0)}
AMERICAS = ("Caribbean", "Central America", "South America", "Northern America")

MODES = ("land", "sea", "air")
MODE_SYMBOLS = {">": 0, "~": 1, "^": 2}  # in route paths: > land, ~ sea, ^ air

YEARS_FLAT = (0.14, 0.09, 0.17, 0.20, 0.22, 0.18)
YEARS_DARIEN = (0.03, 0.02, 0.16, 0.30, 0.37, 0.12)
YEARS_MANAGUA = (0.01, 0.01, 0.12, 0.45, 0.36, 0.05)
YEARS_CHARTER = (0.0, 0.0, 0.05, 0.25, 0.60, 0.10)
YEARS_AIR_CANCUN = (0.05, 0.03, 0.20, 0.45, 0.20, 0.07)
YEARS_ROXHAM = (0.30, 0.05, 0.15, 0.40, 0.10, 0.0)
YEARS_EARLY = (0.30, 0.20, 0.20, 0.15, 0.10, 0.05)

EXTRA_CONTINENTAL = {"CHN": 22, "IND": 12, "AFG": 10, "NPL": 6, "BGD": 5, "CMR": 8, "SEN": 5,
                     "GIN": 4, "UZB": 5, "PAK": 5, "SOM": 4, "ERI": 3, "GHA": 4, "NGA": 3,
                     "TUR": 3}


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

FLOWS = ("nca", "darien", "caribbean", "air_land", "air", "canada")
# Per flow: service model (package, pay_as_you_go, unknown).
SERVICE = {"nca": (55, 30, 15), "darien": (25, 60, 15), "caribbean": (35, 45, 20),
           "air_land": (60, 25, 15), "air": (70, 15, 15), "canada": (30, 50, 20)}
RECRUITMENT_CODES = ("social_media", "messaging_app", "word_of_mouth", "family_network",
                     "front_agency", "other")
RECRUITMENT = {"nca": (30, 25, 22, 18, 2, 3), "darien": (45, 30, 15, 5, 2, 3),
               "caribbean": (25, 25, 35, 10, 1, 4), "air_land": (30, 25, 15, 8, 18, 4),
               "air": (28, 20, 15, 7, 26, 4), "canada": (35, 30, 20, 10, 2, 3)}
PAYMENT_CODES = ("cash", "money_transfer", "bank_transfer", "mobile_money",
                 "informal_value_transfer", "cryptocurrency", "in_kind", "other")
PAYMENT = {"default": (45, 20, 8, 7, 8, 3, 4, 5), "air": (25, 20, 25, 8, 10, 6, 1, 5)}
AGE_BANDS = ("0-11", "12-17", "18-29", "30-44", "45-59", "60+", "unknown")
AGES = {"nca": (7, 12, 42, 28, 7, 1, 3), "darien": (16, 7, 33, 30, 10, 2, 2),
        "caribbean": (6, 5, 40, 34, 11, 2, 2), "air_land": (8, 5, 36, 35, 12, 2, 2),
        "air": (4, 3, 38, 38, 13, 3, 1), "canada": (15, 6, 30, 35, 10, 2, 2)}
SEXES = ("female", "male", "other", "unknown")
SEX = {"nca": (30, 68, 0.2, 1.8), "darien": (40, 58, 0.2, 1.8), "caribbean": (35, 63, 0.2, 1.8),
       "air_land": (36, 62, 0.2, 1.8), "air": (38, 60, 0.5, 1.5), "canada": (45, 53, 0.5, 1.5)}
REASONS = ("economic", "family_reunification", "violence_insecurity", "persecution",
           "climate_disaster", "education", "other", "unknown")
REASON = {"nca": (45, 15, 25, 3, 5, 1, 2, 4), "darien": (45, 10, 15, 15, 3, 1, 3, 8),
          "caribbean": (55, 10, 15, 5, 5, 1, 3, 6), "air_land": (50, 12, 15, 10, 2, 2, 3, 6),
          "air": (50, 15, 8, 8, 1, 8, 4, 6), "canada": (30, 10, 15, 35, 1, 2, 3, 4)}
CRIMES = ("extortion", "kidnapping", "robbery", "sexual_violence", "trafficking", "homicide",
          "corruption")
CRIME_WEIGHTS = np.array([0.35, 0.15, 0.30, 0.10, 0.08, 0.03, 0.15])
OUTCOMES = ("investigated", "charged", "convicted", "acquitted", "dismissed")
# Sentence range in years for convictions (illustrative).
SENTENCES = {"MEX": (8, 16), "USA": (1, 10), "GTM": (5, 12), "HND": (5, 12), "SLV": (8, 15),
             "CRI": (2, 8), "PAN": (5, 10), "NIC": (5, 10), "BLZ": (1, 5), "DOM": (10, 15),
             "CAN": (2, 10)}
ROLES = ("organizer", "recruiter", "guide", "transporter", "lodging", "forger", "money_handler",
         "corrupt_official", "front_company", "other")
STAGES = ("origin", "transit", "border", "destination")
STAGE_ROLES = {
    "origin": (6, 45, 5, 12, 8, 2, 15, 2, 0, 5),
    "transit": (3, 4, 25, 33, 22, 1, 7, 2, 0, 3),
    "border": (3, 2, 42, 22, 12, 1, 5, 10, 0, 3),
    "destination": (4, 3, 5, 30, 28, 1, 25, 1, 0, 3),
}
# Added on air routes: forgers and front companies where journeys start, officials at borders.
AIR_ROLES = {"origin": (0, 0, 0, 0, 0, 12, 0, 2, 8, 0), "transit": (0, 0, 0, 0, 0, 3, 0, 2, 2, 0),
             "border": (0, 0, 0, 0, 0, 1, 0, 6, 0, 0),
             "destination": (0, 0, 0, 0, 0, 0, 0, 1, 3, 0)}
RELATIONS = ("communication", "money", "co_offending", "logistics", "kinship")
EVIDENCE = ("wiretap", "seizure", "testimony", "financial_intelligence", "open_source",
            "court_record")
EVIDENCE_BY_RELATION = {"communication": (75, 3, 10, 2, 5, 5),
                        "money": (10, 10, 10, 60, 2, 8),
                        "co_offending": (10, 15, 25, 0, 5, 45),
                        "logistics": (25, 30, 25, 0, 10, 10),
                        "kinship": (10, 0, 50, 0, 15, 25)}
CONFIDENCE_BY_EVIDENCE = {"wiretap": (5, 25, 70), "seizure": (10, 40, 50),
                          "testimony": (30, 50, 20), "financial_intelligence": (5, 35, 60),
                          "open_source": (60, 35, 5), "court_record": (2, 18, 80)}
INCIDENT_TYPES = ("death", "disappearance", "crime_against_migrants")
CAUSES = {
    "sea": ("Drowning", "Mixed or unknown"),
    "darien": ("Drowning", "Harsh environmental conditions / lack of adequate shelter, food,"
               " water", "Violence", "Sickness / lack of access to adequate healthcare",
               "Accidental death"),
    "border": ("Harsh environmental conditions / lack of adequate shelter, food, water",
               "Drowning", "Vehicle accident / death linked to hazardous transport",
               "Mixed or unknown", "Violence"),
    "land": ("Vehicle accident / death linked to hazardous transport", "Violence",
             "Accidental death", "Mixed or unknown"),
}
CAUSE_WEIGHTS = {"sea": (85, 15), "darien": (35, 25, 15, 15, 10), "border": (40, 20, 15, 20, 5),
                 "land": (45, 25, 15, 15)}
CRIME_CAUSES = ("Kidnapping", "Extortion", "Robbery", "Sexual violence", "Assault")
SOURCE_QUALITY = (25, 2, 17, 3, 53)  # weights of 1..5 (close to IOM's Americas records)

PLANTED = {
    "cases": ("bad_date", "negative_count", "unknown_country", "duplicate_row"),
    "migrants": ("unknown_case", "unknown_country", "unknown_code", "duplicate_row"),
    "route_legs": ("unknown_place", "out_of_range", "unknown_code", "unknown_case", "bad_date"),
}


# --- small helpers ---------------------------------------------------------------------------

def _p(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def _pick(rng: np.random.Generator, n: int, weights) -> np.ndarray:
    """n indices drawn with the given (unnormalized) weights."""
    return rng.choice(len(weights), size=n, p=_p(weights))


def _pick_rows(rng: np.random.Generator, row: np.ndarray, table: np.ndarray) -> np.ndarray:
    """For each item, an index drawn from the weights in `table[row]`."""
    table = np.asarray(table, dtype=float)
    cum = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(row))
    return np.minimum((u[:, None] > cum[row]).sum(axis=1), table.shape[1] - 1)


def _group_starts(sizes: np.ndarray) -> np.ndarray:
    return np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)


def _rank_within(sizes: np.ndarray) -> np.ndarray:
    """0, 1, … within each consecutive group of the given sizes."""
    total = int(sizes.sum())
    return np.arange(total) - np.repeat(_group_starts(sizes), sizes)


def _sequence(keys: np.ndarray) -> np.ndarray:
    """1, 2, … within runs of equal keys (keys sorted)."""
    change = np.concatenate(([True], keys[1:] != keys[:-1]))
    starts = np.flatnonzero(change)
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    return _rank_within(sizes) + 1


def _ids(prefix: np.ndarray, number: np.ndarray, width: int) -> np.ndarray:
    numbers = pd.Series(number).astype(str).str.zfill(width)
    return (pd.Series(prefix, dtype=object) + numbers).to_numpy(dtype=object)


def _dates(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)


def _random_days(rng: np.random.Generator, years: np.ndarray) -> np.ndarray:
    """A uniform day within each given year, as datetime64[D]."""
    start = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    length = ((years + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]") - start)
    return start + (rng.random(len(years)) * length.astype(int)).astype(int)


def _nice(amount: np.ndarray) -> np.ndarray:
    """Round to two significant digits, as people quote prices (8,500; 160,000)."""
    amount = np.asarray(amount, dtype=float)
    step = 10.0 ** np.maximum(np.floor(np.log10(np.maximum(amount, 1))) - 1, 0)
    return np.round(amount / step) * step


def _codes_joined(mask: np.ndarray, codes: tuple[str, ...]) -> np.ndarray:
    """Rows of a boolean matrix → "a;c" strings in code-list order ("" when none)."""
    bits = (mask.astype(np.int64) << np.arange(mask.shape[1])).sum(axis=1)
    table = np.array([";".join(c for j, c in enumerate(codes) if k >> j & 1)
                      for k in range(1 << len(codes))], dtype=object)
    return table[bits]


def _text(values: np.ndarray, present: np.ndarray | None = None, fmt: str = "{:.0f}"):
    """Numbers as text with a fixed format; "" where not present."""
    values = np.asarray(values)
    out = np.full(len(values), "", dtype=object)
    keep = np.ones(len(values), bool) if present is None else np.asarray(present, bool)
    if keep.any():
        out[keep] = pd.Series(values[keep]).map(fmt.format).to_numpy(dtype=object)
    return out


# --- the gazetteer and the routes ------------------------------------------------------------

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


def _darien_gap(geo: Geography, src: np.ndarray, dst: np.ndarray, mode: np.ndarray):
    """Land legs through the Darién jungle: between Darién places, into or within Panama."""
    darien = geo.places["corridor"].str.contains("darien").to_numpy()
    return (mode == 0) & darien[src] & darien[dst] & (geo.country[dst] == "PAN")


def _detection_options(geo: Geography) -> pd.DataFrame:
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


def _allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
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


def _year_table() -> np.ndarray:
    return np.array([r.years for r in ROUTES], dtype=float)


# --- cases and route legs --------------------------------------------------------------------

def _cases(rng: np.random.Generator, geo: Geography, n: int, legs_target: int):
    """Cases (one per detection) and their route legs, as arrays (no ids yet)."""
    options = _detection_options(geo)
    route, stop, country = [], [], []
    for iso, count in _allocate(n, COUNTRY_WEIGHTS).items():
        mine = options[options["country"] == iso]
        pick = rng.choice(len(mine), size=count, p=_p(mine["weight"]))
        route.append(mine["route"].to_numpy()[pick])
        stop.append(mine["stop"].to_numpy()[pick])
        country.append(np.full(count, iso, dtype=object))
    route, stop, country = map(np.concatenate, (route, stop, country))
    year = YEARS[_pick_rows(rng, route, _year_table())]
    date = _random_days(rng, year)

    # Legs: a window of consecutive legs ending at the detection stop, sized to hit the target.
    room = np.minimum(stop, MAX_LEGS)
    share = rng.random(n)
    lo, hi = 0.0, 20.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if np.clip(np.ceil(share * mid), 1, room).sum() < legs_target:
            lo = mid
        else:
            hi = mid
    n_legs = np.clip(np.ceil(share * hi), 1, room).astype(np.int64)
    leg_case = np.repeat(np.arange(n), n_legs)
    leg_order = _rank_within(n_legs) + 1
    leg_pos = np.repeat(stop - n_legs, n_legs) + leg_order - 1
    leg_route = route[leg_case]
    leg_from = geo.stops[leg_route, leg_pos]
    leg_to = geo.stops[leg_route, leg_pos + 1]
    leg_mode = geo.modes[leg_route, leg_pos]

    modes_used = np.zeros((n, 3), dtype=np.int64)
    np.add.at(modes_used, (leg_case, leg_mode), 1)
    single = (modes_used > 0).sum(axis=1) == 1
    transport = np.where(single, modes_used.argmax(axis=1), 3)  # 3: mixed
    last_mode = geo.modes[route, stop - 1]
    has_air = modes_used[:, 2] > 0
    cases = dict(route=route, stop=stop, country=country, date=date, year=year,
                 transport=transport, last_mode=last_mode, has_air=has_air,
                 place=geo.stops[route, stop], flow=geo.flow[route])
    legs = dict(case=leg_case, order=leg_order, src=leg_from, dst=leg_to, mode=leg_mode)
    return cases, legs


def _case_details(rng: np.random.Generator, geo: Geography, c: dict) -> dict:
    """Detection context, concealment, migrants, fees, crimes and outcomes of each case."""
    n = len(c["route"])
    flow = c["flow"]
    kind = geo.kind[c["place"]]
    arrived_by_sea = c["last_mode"] == 1

    context_codes = ("border_check", "inland_check", "sea_interdiction", "airport",
                     "investigation", "rescue", "other")
    context_table = np.array([
        (70, 10, 0, 0, 15, 4, 1),   # border crossing
        (0, 0, 0, 85, 15, 0, 0),    # airport
        (0, 0, 60, 0, 15, 25, 0),   # arrival by sea
        (10, 40, 0, 0, 20, 25, 5),  # jungle and reception stations
        (5, 55, 0, 0, 35, 2, 3),    # cities and transit hubs
    ])
    setting = np.select(
        [arrived_by_sea, (c["last_mode"] == 2) | (kind == "airport"), kind == "border_crossing",
         np.isin(kind, ["jungle_crossing", "reception_station"])], [2, 1, 0, 3], default=4)
    context = _pick_rows(rng, setting, context_table)

    concealment_codes = ("none", "vehicle_compartment", "cargo_truck", "passenger_bus", "boat",
                         "on_foot_trail", "other")
    concealment_table = np.array([
        (15, 20, 22, 20, 0, 18, 5),  # land
        (0, 0, 0, 0, 95, 0, 5),      # sea
        (85, 0, 0, 0, 0, 0, 15),     # air
        (5, 5, 5, 10, 0, 75, 0),     # on foot through the jungle
    ])
    darien_place = geo.places["corridor"].str.contains("darien").to_numpy()[c["place"]]
    walk = (c["last_mode"] == 0) & darien_place
    concealment = _pick_rows(rng, np.where(walk, 3, c["last_mode"]), concealment_table)

    # Migrants per case: small groups by car or bus, large ones in trucks and boats.
    median = np.select([concealment == 2, concealment == 4, c["last_mode"] == 2,
                        concealment == 5], [22.0, 18.0, 1.2, 6.0], default=2.5)
    sigma = np.select([c["last_mode"] == 2], [0.5], default=0.75)
    migrants = np.clip(np.round(median * rng.lognormal(0.0, sigma, n)), 1, MAX_MIGRANTS)
    migrants = migrants.astype(np.int64)

    investigation = context == context_codes.index("investigation")
    detained = rng.poisson(np.where(investigation, 2.2, np.where(c["last_mode"] == 2, 0.3, 0.8)))

    service = _pick_rows(rng, flow, np.array([SERVICE[f] for f in FLOWS]))
    growth = 1 + 0.07 * (c["year"] - 2019)
    package = np.array([r.package_fee_usd for r in ROUTES])[c["route"]] * growth
    stage_share = rng.uniform(0.15, 0.45, n)
    fee_usd = package * np.select([service == 1, service == 2], [stage_share, 0.7], 1.0)
    fee_usd *= rng.lognormal(0.0, 0.3, n)
    local = np.array([LOCAL_CURRENCY.get(k, ("USD", 1.0)) for k in c["country"]], dtype=object)
    use_local = (rng.random(n) < 0.35) & (local[:, 0] != "USD")
    currency = np.where(use_local, local[:, 0], "USD")
    rate = np.where(use_local, local[:, 1].astype(float), 1.0)
    fee = _nice(fee_usd * rate)
    has_fee = rng.random(n) < 0.8

    payment = _pick_rows(rng, (c["has_air"]).astype(int),
                         np.array([PAYMENT["default"], PAYMENT["air"]]))
    fraud_table = np.array([(92, 5, 2, 1, 0), (97, 2, 1, 0, 0), (30, 30, 15, 15, 10)])
    fraud = _pick_rows(rng, np.where(c["has_air"], 2, np.where(c["transport"] == 1, 1, 0)),
                       fraud_table)
    recruitment = _pick_rows(rng, flow, np.array([RECRUITMENT[f] for f in FLOWS]))

    has_crime = rng.random(n) < np.where(flow == FLOWS.index("darien"), 0.3, 0.16)
    crime_mask = rng.random((n, len(CRIMES))) < CRIME_WEIGHTS
    crime_mask[:, CRIMES.index("corruption")] |= (rng.random(n) < 0.1) & (
        setting <= 1)  # officials at border posts and airports
    first = (rng.random((n, len(CRIMES))) * CRIME_WEIGHTS).argmax(axis=1)
    crime_mask[np.arange(n), first] = True
    crime_mask &= has_crime[:, None]

    outcome_table = np.array([(48, 26, 16, 4, 6), (85, 0, 0, 0, 15)])
    outcome = _pick_rows(rng, (detained == 0).astype(int), outcome_table)
    bounds = np.array([SENTENCES[k] for k in c["country"]], dtype=float)
    sentence = np.round(rng.uniform(bounds[:, 0], bounds[:, 1]) * 2) / 2
    convicted = outcome == OUTCOMES.index("convicted")

    return dict(
        context=np.array(context_codes, dtype=object)[context],
        concealment=np.array(concealment_codes, dtype=object)[concealment],
        migrants=migrants, detained=detained,
        service=np.array(("package", "pay_as_you_go", "unknown"), dtype=object)[service],
        fee=fee, has_fee=has_fee, currency=currency.astype(object), rate=rate,
        payment=np.array(PAYMENT_CODES, dtype=object)[payment],
        fraud=np.array(("none", "forged", "altered", "impostor", "fraudulently_obtained"),
                       dtype=object)[fraud],
        recruitment=np.array(RECRUITMENT_CODES, dtype=object)[recruitment],
        crimes=_codes_joined(crime_mask, CRIMES),
        outcome=np.array(OUTCOMES, dtype=object)[outcome],
        sentence=sentence, convicted=convicted,
    )


def _leg_details(rng: np.random.Generator, geo: Geography, c: dict, d: dict, legs: dict):
    """Dates (walking back from the detection date) and costs of the route legs."""
    n = len(legs["case"])
    jungle = _darien_gap(geo, legs["src"], legs["dst"], legs["mode"])
    days = np.select([legs["mode"] == 2, legs["mode"] == 1, jungle],
                     [rng.integers(0, 2, n), rng.integers(1, 3, n), rng.integers(2, 7, n)],
                     default=rng.integers(0, 4, n))
    cum = np.cumsum(days)
    sizes = np.bincount(legs["case"], minlength=len(c["route"]))
    ends = np.cumsum(sizes) - 1
    starts = _group_starts(sizes)
    before = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0)
    total = cum[ends] - before
    inclusive = cum - before[legs["case"]]
    remaining = total[legs["case"]] - inclusive + days
    date = c["date"][legs["case"]] - remaining.astype("timedelta64[D]")
    date = np.maximum(date, np.datetime64("2019-01-01"))

    src_country = geo.country[legs["src"]]
    dst_country = geo.country[legs["dst"]]
    into_usa = (src_country == "MEX") & (dst_country == "USA")
    crossing = src_country != dst_country
    base = np.select(
        [legs["mode"] == 2, legs["mode"] == 1, into_usa, jungle, crossing],
        [450.0, 900.0, 3500.0, 250.0, 120.0], default=45.0)
    cost_usd = base * rng.lognormal(0.0, 0.35, n)
    service = d["service"][legs["case"]]
    present = np.where(service == "pay_as_you_go", rng.random(n) < 0.85,
                       np.where(service == "unknown", rng.random(n) < 0.4, False))
    local = np.array([LOCAL_CURRENCY.get(k, ("USD", 1.0)) for k in src_country], dtype=object)
    use_local = (rng.random(n) < 0.3) & (local[:, 0] != "USD")
    currency = np.where(use_local, local[:, 0], "USD").astype(object)
    cost = _nice(cost_usd * np.where(use_local, local[:, 1].astype(float), 1.0))
    return dict(date=date, cost=cost, present=present, currency=currency)


# --- migrants --------------------------------------------------------------------------------

def _migrants(rng: np.random.Generator, c: dict, d: dict, target: int):
    """The rows listed for each case, minors per case (counted over everyone in the case) and
    each case's main nationality."""
    countries = reference.countries()
    n_cases = len(c["route"])
    sizes = d["migrants"]
    person_case = np.repeat(np.arange(n_cases), sizes)
    n = len(person_case)
    flow = c["flow"][person_case]
    route = c["route"][person_case]

    nationality = np.empty(n, dtype=object)
    main = np.empty(n_cases, dtype=object)
    for r, spec in enumerate(ROUTES):
        codes = np.array(sorted(spec.nationalities), dtype=object)
        weights = [spec.nationalities[k] for k in codes]
        in_cases = np.flatnonzero(c["route"] == r)
        main[in_cases] = codes[_pick(rng, len(in_cases), weights)]
        mine = np.flatnonzero(route == r)
        nationality[mine] = codes[_pick(rng, len(mine), weights)]
    same = rng.random(n) < 0.8
    nationality = np.where(same, main[person_case], nationality)

    age = _pick_rows(rng, flow, np.array([AGES[f] for f in FLOWS]))
    sex = _pick_rows(rng, flow, np.array([SEX[f] for f in FLOWS]))
    minor = age <= 1
    minors = np.bincount(person_case, weights=minor, minlength=n_cases).astype(np.int64)

    nca = flow == FLOWS.index("nca")
    p_alone = np.where(age == 1, np.where(nca, 0.45, 0.08), np.where(nca, 0.06, 0.02))
    unaccompanied = minor & (rng.random(n) < p_alone)
    separated = minor & ~unaccompanied & (rng.random(n) < 0.05)

    subregion = countries["unsd_subregion"].reindex(nationality).fillna("").to_numpy()
    extra = ~np.isin(subregion, AMERICAS)
    protection = np.isin(nationality, ["VEN", "HTI", "NIC", "CUB", "AFG", "SOM", "ERI"])
    darien = flow == FLOWS.index("darien")
    female = sex == 0
    vulnerability = np.column_stack([
        unaccompanied | separated,
        minor & (rng.random(n) < 0.02),
        rng.random(n) < 0.008,
        rng.random(n) < np.where(protection, 0.08, 0.03),
        extra & (rng.random(n) < 0.6),
        rng.random(n) < np.where(darien, 0.06, 0.025),
        female & (age >= 1) & (rng.random(n) < 0.04),
    ])
    vulnerability_text = _codes_joined(vulnerability, reference.code_list("vulnerability"))

    origin = nationality.copy()
    moved = rng.random(n)
    origin = np.where((nationality == "VEN") & (moved < 0.3),
                      np.array(["COL", "PER", "CHL"], dtype=object)[rng.integers(0, 3, n)],
                      origin)
    origin = np.where((nationality == "HTI") & darien & (moved < 0.45),
                      np.array(["CHL", "BRA"], dtype=object)[rng.integers(0, 2, n)], origin)

    reason = _pick_rows(rng, flow, np.array([REASON[f] for f in FLOWS]))
    destination = np.array([r.destination for r in ROUTES], dtype=object)[route]
    alternatives = np.array(["MEX", "CAN", "CRI", "PAN"], dtype=object)
    other = alternatives[_pick(rng, n, (45, 25, 18, 12))]
    intended = np.where(rng.random(n) < 0.85, destination, other)
    intended = np.where((destination == "PRI") & (rng.random(n) < 0.4), "USA", intended)

    fee = _nice(d["fee"][person_case] * rng.lognormal(0.0, 0.1, n))
    has_fee = d["has_fee"][person_case] & (rng.random(n) < 0.7)

    # Listed rows: cases with a list of persons, capped so that the total meets the target.
    listed_case = rng.random(n_cases) < 0.9
    capped = np.where(listed_case, sizes, 0)
    lo, hi = 0, MAX_MIGRANTS
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if np.minimum(capped, mid).sum() <= target:
            lo = mid
        else:
            hi = mid - 1
    rows = np.minimum(capped, max(lo, 1))
    listed = _rank_within(sizes) < rows[person_case]

    people = dict(case=person_case, nationality=nationality, sex=np.array(SEXES)[sex],
                  age=np.array(AGE_BANDS)[age], unaccompanied=unaccompanied,
                  separated=separated, minor=minor, vulnerability=vulnerability_text,
                  origin=origin, intended=intended, reason=np.array(REASONS)[reason],
                  fee=fee, has_fee=has_fee)
    people = {k: v[listed] for k, v in people.items()}
    return people, minors, main


# --- incidents -------------------------------------------------------------------------------

def _incidents(rng: np.random.Generator, geo: Geography, n: int) -> pd.DataFrame:
    """Deaths, disappearances and crimes near the route legs where they happen most."""
    legs = []
    for r in range(len(ROUTES)):
        for j in range(geo.n_stops[r] - 1):
            legs.append((r, geo.stops[r, j], geo.stops[r, j + 1], geo.modes[r, j]))
    legs = np.array(legs, dtype=np.int64)
    route, src, dst, mode = legs.T
    darien = geo.places["corridor"].str.contains("darien").to_numpy()
    into_usa = (geo.country[src] == "MEX") & (geo.country[dst] == "USA")
    jungle = _darien_gap(geo, src, dst, mode)
    in_mexico = (geo.country[src] == "MEX") & (geo.country[dst] == "MEX")
    haiti = (geo.country[src] == "HTI") & (geo.country[dst] == "DOM")
    setting = np.select([mode == 1, jungle, into_usa], [0, 1, 2], default=3)  # sea..land
    hazard = np.select([mode == 2, mode == 1, jungle, into_usa, in_mexico, haiti],
                       [0.0, 12.0, 4.0, 8.0, 1.5, 2.0], default=0.4)
    members = np.isin(geo.country, reference.CRM_MEMBERS)
    reportable = members[src] | members[dst] | (mode == 1) | jungle
    weight = hazard * geo.weights[route] * reportable
    pick = rng.choice(len(legs), size=n, p=_p(weight))
    route, src, dst, mode, setting = route[pick], src[pick], dst[pick], mode[pick], setting[pick]
    into_usa, jungle = into_usa[pick], jungle[pick]

    lat0, lon0 = geo.places["lat"].to_numpy(), geo.places["lon"].to_numpy()
    t = np.select([setting == 2], [rng.uniform(0.3, 1.0, n)], default=rng.uniform(0.1, 0.9, n))
    lat = lat0[src] + t * (lat0[dst] - lat0[src]) + rng.normal(0, 0.03, n)
    lon = lon0[src] + t * (lon0[dst] - lon0[src]) + rng.normal(0, 0.03, n)
    near = np.where(t < 0.5, src, dst)
    country = geo.country[near].copy()
    open_sea = (setting == 0) & (np.abs(t - 0.5) < 0.2) & (
        np.hypot(lat0[dst] - lat0[src], lon0[dst] - lon0[src]) > 1.0)
    country = np.where(open_sea, "ZZZ", country)
    reporter = np.where(geo.reporter[near] != "", geo.reporter[near],
                        np.where(geo.reporter[dst] != "", geo.reporter[dst], geo.reporter[src]))

    kind = _pick_rows(rng, setting, np.array([(55, 35, 10), (45, 25, 30), (75, 15, 10),
                                              (50, 20, 30)]))
    death, gone, crime = kind == 0, kind == 1, kind == 2
    sea = setting == 0
    big = rng.random(n) < 0.02
    dead = np.where(death, np.where(sea, rng.geometric(0.25, n),
                                    np.where(big, rng.integers(8, 56, n), rng.geometric(0.7, n))),
                    np.where(crime & (rng.random(n) < 0.05), 1, 0))
    missing = np.where(gone, rng.geometric(np.where(sea, 0.12, 0.35), n),
                       np.where(death & sea, rng.geometric(0.35, n) - 1, 0))
    victims = rng.geometric(0.3, n)
    survivors_known = sea | crime | (rng.random(n) < 0.15)
    survivors = np.where(crime, victims, np.where(sea, rng.geometric(0.08, n) - 1,
                                                  rng.geometric(0.5, n) - 1))
    people = np.where(crime, victims, dead + missing)
    sex_known = rng.random(n) < 0.65
    females = rng.binomial(people, np.where(darien[src] | crime, 0.4, 0.22))
    children_known = rng.random(n) < 0.5
    children = rng.binomial(people, 0.12)

    cause = np.empty(n, dtype=object)
    for s, name in enumerate(("sea", "darien", "border", "land")):
        mine = np.flatnonzero(death & (setting == s))
        cause[mine] = np.array(CAUSES[name], dtype=object)[
            _pick(rng, len(mine), CAUSE_WEIGHTS[name])]
    cause[gone] = np.where(sea[gone], "Drowning", "Mixed or unknown")
    cause[crime] = np.array(CRIME_CAUSES, dtype=object)[
        _pick(rng, int(crime.sum()), (30, 25, 25, 12, 8))]
    route_name = np.select(
        [geo.country[src] == "CUB", (geo.country[src] == "HTI") & (geo.country[dst] == "DOM"),
         sea & np.isin(geo.country[dst], ["PRI", "DOM"]), jungle, into_usa,
         (geo.country[src] == "USA") & (geo.country[dst] == "CAN")],
        ["Cuba to US", "Haiti to Dominican Republic", "Dominican Republic to Puerto Rico",
         "Darien Gap", "US-Mexico border crossing", "US-Canada border crossing"],
        default="Central America to US")
    years = YEARS[_pick_rows(rng, route, _year_table())]
    quality = _pick(rng, n, SOURCE_QUALITY) + 1
    return pd.DataFrame({
        "reporting_country": reporter, "date": _random_days(rng, years),
        "lat": np.round(lat, 4), "lon": np.round(lon, 4), "country": country,
        "type": np.array(INCIDENT_TYPES, dtype=object)[kind], "dead": dead, "missing": missing,
        "survivors": survivors, "survivors_known": survivors_known, "females": females,
        "males": people - females, "sex_known": sex_known, "children": children,
        "children_known": children_known, "cause": cause, "route": route_name,
        "source_quality": quality,
    })


# --- smuggling structures: actors and links --------------------------------------------------

def _route_countries(geo: Geography) -> list[list[str]]:
    """Each route's countries in travel order (consecutive repeats merged)."""
    out = []
    for r in range(len(ROUTES)):
        seq = [geo.country[p] for p in geo.stops[r, :geo.n_stops[r]]]
        out.append([c for i, c in enumerate(seq) if i == 0 or seq[i - 1] != c])
    return out


def _network(rng: np.random.Generator, geo: Geography, n_actors: int, n_links: int,
             case_ids: np.ndarray, case_country: np.ndarray, case_route: np.ndarray):
    """Structures of cells along a route stretch; dense cells, hubs at coordinators and brokers."""
    n_actors = max(n_actors, 8)
    route_countries = _route_countries(geo)
    n_struct = max(2, round(n_actors / STRUCTURE_SIZE))

    # Anchor each structure in a reporting country, on a route through it.
    anchor_counts = _allocate(n_struct, COUNTRY_WEIGHTS)
    s_route, s_anchor = [], []
    for iso, count in anchor_counts.items():
        through = [r for r in range(len(ROUTES)) if iso in
                   {geo.reporter[p] for p in geo.stops[r, :geo.n_stops[r]]}]
        picked = np.array(through)[_pick(rng, count, geo.weights[through])]
        for r in picked:
            reporters = [geo.reporter[p] for p in geo.stops[r, :geo.n_stops[r]]]
            where = reporters.index(iso)
            s_route.append(r)
            s_anchor.append(route_countries[r].index(geo.country[geo.stops[r, where]]))
    s_route, s_anchor = np.array(s_route), np.array(s_anchor)
    n_struct = len(s_route)
    m = np.array([len(route_countries[r]) for r in s_route])
    span = np.minimum(_pick(rng, n_struct, (20, 40, 30, 10)) + 1, m)
    start = np.clip(s_anchor - rng.integers(0, span), 0, m - span)

    # Cells: one per country of the stretch.
    cell_struct = np.repeat(np.arange(n_struct), span)
    cell_pos = _rank_within(span)
    cell_index = start[cell_struct] + cell_pos
    cell_country = np.array([route_countries[s_route[s]][i]
                             for s, i in zip(cell_struct, cell_index, strict=True)], dtype=object)
    last = cell_pos == span[cell_struct] - 1
    cell_stage = np.select([cell_index == 0, cell_index == m[cell_struct] - 1, last],
                           [0, 3, 2], default=1)

    # Sizes: heavy-tailed structures, split unevenly between cells (at least 3 per cell).
    raw = np.clip(rng.lognormal(np.log(STRUCTURE_SIZE * 0.65), 1.0, n_struct), 6, None)
    floor = 3 * span
    free = max(n_actors - floor.sum(), 0)
    exact = raw / raw.sum() * free
    extra = np.floor(exact).astype(np.int64)
    extra[np.argsort(extra - exact, kind="stable")[: free - extra.sum()]] += 1
    share = rng.gamma(2.0, size=len(cell_struct))
    share /= np.bincount(cell_struct, weights=share)[cell_struct]
    cell_size = 3 + np.floor(share * extra[cell_struct]).astype(np.int64)
    rest = (floor + extra) - np.bincount(cell_struct, weights=cell_size).astype(np.int64)
    first_cell = _group_starts(span)
    cell_size[first_cell] += rest
    struct_size = np.bincount(cell_struct, weights=cell_size).astype(np.int64)
    struct_start = _group_starts(struct_size)
    cell_start = _group_starts(cell_size)

    actor_cell = np.repeat(np.arange(len(cell_size)), cell_size)
    n = len(actor_cell)
    actor_struct = cell_struct[actor_cell]
    local = _rank_within(cell_size)
    size_of_cell = cell_size[actor_cell]
    stage = cell_stage[actor_cell]
    flow = geo.flow[s_route][actor_struct]
    air = np.isin(flow, [FLOWS.index("air"), FLOWS.index("air_land")])

    role_table = np.array([STAGE_ROLES[s] for s in STAGES] +
                          [np.add(STAGE_ROLES[s], AIR_ROLES[s]) for s in STAGES])
    role = _pick_rows(rng, stage + 4 * air, role_table)
    n_coord = 1 + (struct_size > 40) + (struct_size > 120)
    hub = first_cell[actor_struct]  # coordinators sit in the first cell of the stretch
    coordinator = (actor_cell == hub) & (local < np.minimum(n_coord[actor_struct],
                                                            size_of_cell - 2))
    broker = (local == size_of_cell - 1) & ~last[actor_cell]  # one per hand-off to the next cell
    role[coordinator] = ROLES.index("organizer")
    role[broker] = np.array([ROLES.index(r) for r in ("organizer", "transporter",
                                                      "money_handler")])[
        _pick(rng, int(broker.sum()), (40, 30, 30))]

    base_country = cell_country[actor_cell]
    reporter_of = {c: (c if c in reference.CRM_MEMBERS else REPORTED_BY.get(c, ""))
                   for c in set(cell_country)}
    reporting = np.array([reporter_of[c] for c in base_country], dtype=object)
    # Base place: a gazetteer place of the actor's country on the structure's route.
    base_place = np.empty(n, dtype=object)
    key = pd.Series(s_route[actor_struct]).astype(str) + "|" + pd.Series(base_country)
    for group, idx in sorted(pd.Series(np.arange(n)).groupby(key.to_numpy()).groups.items()):
        r = int(group.split("|")[0])
        places = [p for p in geo.stops[r, :geo.n_stops[r]] if geo.country[p] == base_country[
            idx[0]]]
        base_place[idx.to_numpy()] = geo.place_ids[np.array(places)][
            rng.integers(0, len(places), len(idx))]
    # Nationality: mostly the country where they operate, else that of the people they move.
    nationality = base_country.copy()
    foreign = np.flatnonzero(rng.random(n) < 0.2)
    for r in np.unique(s_route[actor_struct[foreign]]):
        mine = foreign[s_route[actor_struct[foreign]] == r]
        spec = ROUTES[r].nationalities
        codes = np.array(sorted(spec), dtype=object)
        nationality[mine] = codes[_pick(rng, len(mine), [spec[k] for k in codes])]

    actor_case_ids = _actor_cases(rng, reporting, s_route[actor_struct], case_ids, case_country,
                                  case_route)

    # Ties. Within cells: each actor calls a few cell mates.
    calls = 1 + rng.poisson(1.4, n)
    a = np.repeat(np.arange(n), calls)
    size_a = size_of_cell[a]
    b = cell_start[actor_cell[a]] + (local[a] + rng.integers(1, size_a)) % size_a
    ties = [(a, b)]
    # Coordinators: reach into much of their structure.
    coords = np.flatnonzero(coordinator)
    reach = np.maximum(1, rng.binomial(struct_size[actor_struct[coords]], 0.6))
    a = np.repeat(coords, reach)
    s = actor_struct[a]
    ties.append((a, struct_start[s] + rng.integers(0, struct_size[s])))
    # Brokers: tie their cell to the next one and to the coordinators.
    brokers = np.flatnonzero(broker)
    k = 2 + rng.poisson(2.0, len(brokers))
    a = np.repeat(brokers, k)
    nxt = actor_cell[a] + 1
    ties.append((a, cell_start[nxt] + rng.integers(0, cell_size[nxt])))
    ties.append((brokers, struct_start[actor_struct[brokers]]))
    # A few ties across cells of the same structure.
    loose = np.flatnonzero(rng.random(n) < 0.12)
    s = actor_struct[loose]
    ties.append((loose, struct_start[s] + rng.integers(0, struct_size[s])))
    # Sparse ties between structures of the same flow, mostly between brokers and coordinators.
    connectors = np.flatnonzero(coordinator | broker)
    for f in range(len(FLOWS)):
        pool = connectors[flow[connectors] == f]
        if len(pool) < 2:
            continue
        out = pool[rng.random(len(pool)) < 0.5]
        ties.append((out, pool[rng.integers(0, len(pool), len(out))]))
        members = np.flatnonzero(flow == f)
        odd = members[rng.random(len(members)) < 0.02]
        ties.append((odd, members[rng.integers(0, len(members), len(odd))]))
    a = np.concatenate([t[0] for t in ties])
    b = np.concatenate([t[1] for t in ties])
    keep = a != b
    pairs = np.unique(np.stack([np.minimum(a, b)[keep], np.maximum(a, b)[keep]], axis=1),
                      axis=0)
    flip = rng.random(len(pairs)) < 0.5
    pairs[flip] = pairs[flip][:, ::-1]

    # Link rows: each tie observed in one or more months, under one or more relations.
    n_pairs = len(pairs)
    # (a few rows collapse when a pair draws the same relation and month twice)
    per_pair = 1 + rng.poisson(max(1.04 * n_links / max(n_pairs, 1) - 1, 0), n_pairs)
    row_pair = np.repeat(np.arange(n_pairs), per_pair)
    row_rank = _rank_within(per_pair)
    same_cell = actor_cell[pairs[:, 0]] == actor_cell[pairs[:, 1]]
    primary = _pick_rows(rng, same_cell.astype(int), np.array([(50, 12, 15, 23, 0),
                                                               (48, 10, 15, 17, 10)]))
    later = _pick(rng, len(row_pair), (60, 20, 10, 10, 0))
    relation = np.where((row_rank == 0) | (rng.random(len(row_pair)) < 0.7),
                        primary[row_pair], later)
    relation = np.where((row_rank > 0) & (relation == RELATIONS.index("kinship")), 0, relation)
    active_start = rng.integers(0, 60, n_struct)
    active_len = rng.integers(6, 37, n_struct)
    s = actor_struct[pairs[row_pair, 0]]
    month = np.minimum(active_start[s] + rng.integers(0, active_len[s]), 71)
    src, dst = pairs[row_pair, 0], pairs[row_pair, 1]
    rows = np.unique(np.stack([src, dst, relation, month], axis=1), axis=0)
    src, dst, relation, month = rows.T
    r_names = np.array(RELATIONS, dtype=object)[relation]
    weight = np.select(
        [relation == 0, relation == 1, relation == 2, relation == 3],
        [np.ceil(rng.lognormal(np.log(8), 1.0, len(rows))), rng.integers(1, 21, len(rows)),
         rng.integers(1, 6, len(rows)), rng.integers(1, 11, len(rows))], default=1)
    evidence = _pick_rows(rng, relation, np.array([EVIDENCE_BY_RELATION[r] for r in RELATIONS]))
    confidence = _pick_rows(rng, evidence, np.array([CONFIDENCE_BY_EVIDENCE[e]
                                                     for e in EVIDENCE]))
    period = (np.datetime64("2019-01", "M") + month.astype("timedelta64[M]"))

    actors = pd.DataFrame({
        "reporting_country": reporting, "role": np.array(ROLES, dtype=object)[role],
        "base_country": base_country, "base_place": base_place, "nationality": nationality,
        "route_stage": np.array(STAGES, dtype=object)[stage], "case_ids": actor_case_ids,
    })
    links = pd.DataFrame({
        "source": src, "target": dst, "relation": r_names, "weight": weight,
        "period": np.datetime_as_string(period, unit="M").astype(object),
        "evidence_source": np.array(EVIDENCE, dtype=object)[evidence],
        "confidence": np.array(("low", "medium", "high"), dtype=object)[confidence],
    })
    return actors, links


def _actor_cases(rng, reporting, route, case_ids, case_country, case_route) -> np.ndarray:
    """Up to three case ids per actor, from cases of its reporting country (its route first)."""
    n = len(reporting)
    out = np.full(n, "", dtype=object)
    count = _pick(rng, n, (35, 40, 17, 8))
    case_key = pd.Series(case_country).astype(str) + "|" + pd.Series(case_route).astype(str)
    by_key = {k: np.sort(v.to_numpy()) for k, v in
              pd.Series(np.arange(len(case_ids))).groupby(case_key.to_numpy()).groups.items()}
    by_country = {k: np.sort(v.to_numpy()) for k, v in
                  pd.Series(np.arange(len(case_ids))).groupby(case_country).groups.items()}
    actor_key = pd.Series(reporting).astype(str) + "|" + pd.Series(route).astype(str)
    groups = pd.Series(np.arange(n)).groupby(actor_key.to_numpy()).groups
    for key in sorted(groups):
        idx = groups[key].to_numpy()
        pool = by_key.get(key)
        if pool is None:
            pool = by_country.get(key.split("|")[0])
        if pool is None:
            continue
        draws = case_ids[pool[rng.integers(0, len(pool), (len(idx), 3))]]
        first, second, third = draws[:, 0], draws[:, 1], draws[:, 2]
        k = count[idx]
        text = np.where(k >= 1, first, "").astype(object)
        second_ok = (k >= 2) & (second != first)
        text = np.where(second_ok, text + ";" + second, text)
        third_ok = (k >= 3) & (third != first) & (third != second)
        out[idx] = np.where(third_ok, text + ";" + third, text)
    return out


# --- legislation and the Work Plan (illustrative) --------------------------------------------

def _legislation(rng: np.random.Generator) -> pd.DataFrame:
    criteria = reference.criteria()  # a missing reference file stops with its name
    ids = list(criteria.index)
    kinds = criteria["value_type"].to_dict()
    special = {"party_protocol": (95, 5, 0), "humanitarian_exemption": (20, 20, 60),
               "non_criminalization_migrants": (55, 25, 20), "sea_smuggling_authority": (45, 20,
                                                                                          35)}
    rows = []
    for country in sorted(reference.CRM_MEMBERS):
        penalty = int(rng.choice([3, 5, 6, 8, 10, 12, 15, 20]))
        for criterion in ids:
            if kinds.get(criterion) == "number":
                value = str(penalty)
            elif criterion == "serious_crime":
                value = "yes" if penalty >= 4 else "no"
            else:
                value = ("yes", "partial", "no")[_pick(rng, 1, special.get(criterion,
                                                                           (60, 25, 15)))[0]]
            reviewed = np.datetime64("2024-01-01") + int(rng.integers(0, 366))
            rows.append((country, country, criterion, value, "Illustrative", "", "",
                         str(reviewed), "illustrative"))
    return pd.DataFrame(rows, columns=["reporting_country", "country", "criterion_id", "value",
                                       "instrument", "article", "source_url", "date_reviewed",
                                       "status"])


def _workplan(rng: np.random.Generator) -> pd.DataFrame:
    actions = list(reference.workplan_actions().index)  # never invented
    rows = []
    for country in sorted(reference.CRM_MEMBERS):
        final = _pick(rng, len(actions), (12, 40, 40, 8))  # status reached by the end of 2024
        for action, end in zip(actions, final, strict=True):
            if end in (0, 3):
                steps = [end]
            elif end == 1:
                steps = [0, 1] if rng.random() < 0.7 else [1]
            else:
                steps = [0, 1, 2] if rng.random() < 0.5 else [1, 2]
            cut = np.sort(rng.choice(72, size=len(steps), replace=False))
            for step, month in zip(steps, cut, strict=True):
                day = np.datetime64("2019-01", "M") + int(month)
                date = day.astype("datetime64[D]") + int(rng.integers(0, 28))
                status = ("not_started", "in_progress", "completed", "not_applicable")[step]
                rows.append((country, country, action, status, "Illustrative evidence",
                             str(date)))
    return pd.DataFrame(rows, columns=["reporting_country", "country", "action_id", "status",
                                       "evidence", "date"])


# --- planted flaws ---------------------------------------------------------------------------

def _plant(rng: np.random.Generator, table: str, frame: pd.DataFrame, count: int):
    """Copies of real rows, each broken in one way that ingestion must set aside."""
    pick = np.sort(rng.choice(len(frame), size=min(count, len(frame)), replace=False))
    bad = frame.iloc[pick].copy().reset_index(drop=True)
    kinds = np.array(PLANTED[table], dtype=object)[np.arange(len(bad)) % len(PLANTED[table])]
    number = np.arange(len(bad))
    country = bad["reporting_country"].to_numpy(dtype=object)
    base = {"cases": 990000, "migrants": 993000, "route_legs": 996000}[table]
    fresh_case = _ids(country + "-2020-", base + number, 6)  # ids no real case has
    for i, kind in enumerate(kinds):
        row = bad.index[i]
        if table == "cases":
            if kind != "duplicate_row":
                bad.at[row, "case_id"] = fresh_case[i]
            if kind == "bad_date":
                bad.at[row, "date"] = "2021-02-30"
            elif kind == "negative_count":
                bad.at[row, "migrants"] = "-3"
            elif kind == "unknown_country":
                bad.at[row, "origin_country"] = ("HON", "SAL", "GUA")[i % 3]
        elif table == "migrants":
            if kind != "duplicate_row":
                bad.at[row, "person_id"] = f"{country[i]}-P-9{number[i]:06d}"
            if kind == "unknown_case":
                bad.at[row, "case_id"] = fresh_case[i]
            elif kind == "unknown_country":
                bad.at[row, "nationality"] = ("HON", "SAL", "GUA")[i % 3]
            elif kind == "unknown_code":
                bad.at[row, "age_band"] = "18-25"
        else:
            if kind == "unknown_place":
                bad.at[row, "to_place"] = "MEX-CIUDAD-IXTEPEC"
            elif kind == "out_of_range":
                bad.at[row, "leg_order"] = "0"
            elif kind == "unknown_code":
                bad.at[row, "mode"] = "foot"
            elif kind == "unknown_case":
                bad.at[row, "case_id"] = fresh_case[i]
            elif kind == "bad_date":
                bad.at[row, "date"] = "2022-13-01"
    return pd.concat([frame, bad], ignore_index=True), len(bad)


# --- assembling and writing ------------------------------------------------------------------

def _scaled(table: str, scale: float) -> int:
    return max(int(round(BASE_ROWS[table] * scale)), 1)


def _sorted(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Rows in key order; integer keys sort as numbers (stable, so ties keep their order)."""
    contract = TABLES[table]
    keys = []
    sortable = pd.DataFrame(index=frame.index)
    for name in contract.key:
        if contract.field(name).kind == "integer":
            sortable[name] = pd.to_numeric(frame[name], errors="coerce").fillna(-1)
        else:
            sortable[name] = frame[name].astype(str)
        keys.append(name)
    order = sortable.sort_values(keys, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _columns(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    names = [f.name for f in TABLES[table].fields if not f.drop]
    return frame[names]


def generate(out_dir: Path, scale: float = 1, seed: int = 2018) -> dict[str, int]:
    """Write a synthetic data folder for the 11 CRM countries; return rows written per table."""
    out_dir = Path(out_dir)
    if scale <= 0:
        raise ValueError("scale must be positive")
    streams = np.random.SeedSequence(seed).spawn(8)
    rng = {name: np.random.default_rng(s) for name, s in zip(
        ("cases", "legs", "migrants", "incidents", "network", "legislation", "workplan",
         "flaws"), streams, strict=True)}
    geo = geography()
    tables: dict[str, pd.DataFrame] = {}

    n_cases = _scaled("cases", scale)
    c, legs = _cases(rng["cases"], geo, n_cases, _scaled("route_legs", scale))
    d = _case_details(rng["cases"], geo, c)
    people, minors, main_nationality = _migrants(rng["migrants"], c, d,
                                                 _scaled("migrants", scale))
    leg = _leg_details(rng["legs"], geo, c, d, legs)

    # Case ids: per country and year, numbered in date order.
    country_rank = np.searchsorted(np.array(sorted(COUNTRY_WEIGHTS)), c["country"])
    order = np.lexsort((rng["cases"].random(n_cases), c["date"], c["year"], country_rank))
    seq = np.empty(n_cases, dtype=np.int64)
    group = country_rank[order] * 10000 + c["year"][order]
    seq[order] = _sequence(group)
    case_id = _ids(c["country"] + "-" + c["year"].astype(str) + "-", seq, 6)

    place = geo.place_ids[c["place"]]
    by_coordinates = (c["last_mode"] == 1) | (rng["cases"].random(n_cases) < 0.05)
    lat = geo.places["lat"].to_numpy()[c["place"]] + rng["cases"].normal(0, 0.02, n_cases)
    lon = geo.places["lon"].to_numpy()[c["place"]] + rng["cases"].normal(0, 0.02, n_cases)
    tables["cases"] = pd.DataFrame({
        "reporting_country": c["country"], "case_id": case_id, "date": _dates(c["date"]),
        "place_id": np.where(by_coordinates, "", place),
        "lat": _text(lat, by_coordinates, "{:.4f}"), "lon": _text(lon, by_coordinates, "{:.4f}"),
        "detection_context": d["context"],
        "transport_mode": np.array(("land", "sea", "air", "mixed"), dtype=object)[c["transport"]],
        "origin_country": main_nationality,
        "destination_country": np.array([r.destination for r in ROUTES],
                                        dtype=object)[c["route"]],
        "migrants": d["migrants"].astype(str), "minors": minors.astype(str),
        "smugglers_detained": d["detained"].astype(str),
        "fee_amount": _text(d["fee"], d["has_fee"]),
        "fee_currency": np.where(d["has_fee"], d["currency"], ""),
        "payment_method": np.where(d["has_fee"], d["payment"], ""),
        "concealment": d["concealment"], "document_fraud": d["fraud"],
        "service_model": d["service"], "recruitment_channel": d["recruitment"],
        "associated_crimes": d["crimes"], "legal_outcome": d["outcome"],
        "sentence_years": _text(d["sentence"], d["convicted"], "{:.1f}"),
    })

    pc = people["case"]
    person_country = c["country"][pc]
    person_order = np.lexsort((np.arange(len(pc)), case_id[pc], person_country))
    person_seq = np.empty(len(pc), dtype=np.int64)
    person_seq[person_order] = _sequence(np.searchsorted(np.array(sorted(COUNTRY_WEIGHTS)),
                                                         person_country[person_order]))
    yes_no = np.array(["false", "true"], dtype=object)
    minor = people["minor"]
    tables["migrants"] = pd.DataFrame({
        "reporting_country": person_country,
        "person_id": _ids(person_country + "-P-", person_seq, 7), "case_id": case_id[pc],
        "nationality": people["nationality"], "sex": people["sex"], "age_band": people["age"],
        "unaccompanied_child": np.where(minor, yes_no[people["unaccompanied"].astype(int)], ""),
        "separated_child": np.where(minor, yes_no[people["separated"].astype(int)], ""),
        "vulnerability": people["vulnerability"], "origin_country": people["origin"],
        "intended_destination": people["intended"], "reason_for_travel": people["reason"],
        "fee_paid": _text(people["fee"], people["has_fee"]),
        "fee_currency": np.where(people["has_fee"], d["currency"][pc], ""),
    })

    lc = legs["case"]
    tables["route_legs"] = pd.DataFrame({
        "reporting_country": c["country"][lc], "case_id": case_id[lc],
        "leg_order": legs["order"].astype(str), "from_place": geo.place_ids[legs["src"]],
        "to_place": geo.place_ids[legs["dst"]],
        "mode": np.array(MODES, dtype=object)[legs["mode"]], "date": _dates(leg["date"]),
        "cost": _text(leg["cost"], leg["present"]),
        "cost_currency": np.where(leg["present"], leg["currency"], ""),
    })

    inc = _incidents(rng["incidents"], geo, _scaled("incidents", scale))
    inc_country = inc["reporting_country"].to_numpy(dtype=object)
    inc_order = np.lexsort((inc["date"].to_numpy(), inc_country))
    inc_seq = np.empty(len(inc), dtype=np.int64)
    inc_seq[inc_order] = _sequence(inc_country[inc_order])
    tables["incidents"] = pd.DataFrame({
        "reporting_country": inc_country,
        "incident_id": _ids(inc_country + "-I-", inc_seq, 5),
        "date": _dates(inc["date"].to_numpy()),
        "lat": _text(inc["lat"].to_numpy(), None, "{:.4f}"),
        "lon": _text(inc["lon"].to_numpy(), None, "{:.4f}"),
        "country": inc["country"], "type": inc["type"],
        "dead": inc["dead"].astype(str), "missing": inc["missing"].astype(str),
        "survivors": _text(inc["survivors"].to_numpy(), inc["survivors_known"].to_numpy()),
        "females": _text(inc["females"].to_numpy(), inc["sex_known"].to_numpy()),
        "males": _text(inc["males"].to_numpy(), inc["sex_known"].to_numpy()),
        "children": _text(inc["children"].to_numpy(), inc["children_known"].to_numpy()),
        "cause": inc["cause"], "route": inc["route"], "source": "synthetic",
        "source_quality": inc["source_quality"].astype(str),
    })

    actors, links = _network(rng["network"], geo, _scaled("actors", scale),
                             _scaled("links", scale), case_id, c["country"], c["route"])
    actor_country = actors["reporting_country"].to_numpy(dtype=object)
    actor_order = np.argsort(actor_country, kind="stable")
    seq = np.empty(len(actors), dtype=np.int64)
    seq[actor_order] = _sequence(actor_country[actor_order])
    actor_id = _ids(actor_country + "-A-", seq, 5)
    actors.insert(1, "actor_id", actor_id)
    tables["actors"] = actors
    links.insert(0, "reporting_country", actor_country[links["source"].to_numpy()])
    links["source"] = actor_id[links["source"].to_numpy()]
    links["target"] = actor_id[links["target"].to_numpy()]
    links["weight"] = links["weight"].astype(int).astype(str)
    tables["links"] = links

    tables["legislation"] = _legislation(rng["legislation"])
    tables["workplan_status"] = _workplan(rng["workplan"])

    planted = {}
    for name in ("cases", "migrants", "route_legs"):
        count = max(len(PLANTED[name]), int(round(FLAW_SHARE * len(tables[name]))))
        tables[name], planted[name] = _plant(rng["flaws"], name, tables[name], count)

    return _write(out_dir, tables, planted, scale, seed)


def _write(out_dir: Path, tables: dict[str, pd.DataFrame], planted: dict[str, int],
           scale: float, seed: int) -> dict[str, int]:
    scale_value = int(scale) if float(scale).is_integer() else float(scale)
    out_dir.mkdir(parents=True, exist_ok=True)
    for country in reference.CRM_MEMBERS:
        shutil.rmtree(out_dir / country, ignore_errors=True)
        (out_dir / country).mkdir()
    counts = {}
    for name in TABLES:  # official statistics (flows) are never made up: header only
        made = tables.get(name, pd.DataFrame(columns=TABLES[name].names))
        frame = _sorted(_columns(made, name), name)
        counts[name] = len(frame)
        groups = frame.groupby("reporting_country", sort=True).groups
        for country in sorted(reference.CRM_MEMBERS):
            part = frame.loc[groups[country]] if country in groups else frame.iloc[:0]
            part.to_csv(out_dir / country / f"{name}.csv", index=False, lineterminator="\n",
                        encoding="utf-8")
    meta = {
        "title": "Synthetic demo data",
        "title_es": "Datos sintéticos de demostración",
        "synthetic": True,
        "source": f"Synthetic data generated by analysis demo-data (seed {seed}, scale "
                  f"{scale_value}); it describes no real person or case.",
        "source_es": f"Datos sintéticos generados por analysis demo-data "
                     f"(semilla {seed}, escala {scale_value}); no describen a ninguna persona "
                     "ni caso real.",
        "seed": seed,
        "scale": scale_value,
        "licence": "CC0",
        "planted_flaws": {name: planted.get(name, 0) for name in TABLES},
        "planted_flaws_note": "Rows broken on purpose (impossible dates, negative counts, "
                              "unknown codes, countries and places, references to missing "
                              "cases, duplicated rows) so that ingestion sets them aside.",
    }
    (out_dir / "dataset.yml").write_text(
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    return counts
