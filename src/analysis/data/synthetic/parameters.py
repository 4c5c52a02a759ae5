"""Parameters of the synthetic data: sizes, shares by country and flow, code lists."""

from __future__ import annotations

import numpy as np

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
