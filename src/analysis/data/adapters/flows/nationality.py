"""Nationality names or codes → ISO3, through data/reference/countries.csv.

Codes (ISO3) pass through; names are matched in Spanish or English, folded (no accents, case
or punctuation). `ALIASES` holds the names producers use that are not the reference names:
CBP's citizenship names, and the producers' codes for "other", "unknown" and "stateless".
A name that matches nothing is not guessed: the row is set aside with the reason.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from analysis.core import reference, text
from analysis.data.adapters.flows.rows import map_unique

OTHER, UNKNOWN, STATELESS = "OOO", "XXX", "XXA"

ALIASES = {
    # U.S. CBP, Southwest Land Border Encounters, "Citizenship"
    "china peoples republic of": "CHN",
    "myanmar burma": "MMR",
    "burma": "MMR",
    "other": OTHER,
    "turkey": "TUR",
    "russia": "RUS",
    "korea south": "KOR",
    "south korea": "KOR",
    "korea north": "PRK",
    "north korea": "PRK",
    "vietnam": "VNM",
    "iran": "IRN",
    "syria": "SYR",
    "laos": "LAO",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "moldova": "MDA",
    "tanzania": "TZA",
    "cape verde": "CPV",
    "ivory coast": "CIV",
    "congo democratic republic of": "COD",
    "democratic republic of the congo": "COD",
    "republic of the congo": "COG",
    "czech republic": "CZE",
    "macedonia": "MKD",
    "swaziland": "SWZ",
    "united kingdom of great britain and northern ireland": "GBR",
    "great britain": "GBR",
    "kosovo": "XKX",
    # other, unknown, stateless as the producers write them
    "otros": OTHER,
    "otras": OTHER,
    "otras nacionalidades": OTHER,
    "other nationalities": OTHER,
    "ooo": OTHER,
    "unknown": UNKNOWN,
    "desconocida": UNKNOWN,
    "desconocido": UNKNOWN,
    "no especificada": UNKNOWN,
    "no especificado": UNKNOWN,
    "not specified": UNKNOWN,
    "stateless": STATELESS,
    "apatrida": STATELESS,
    "stl": STATELESS,  # IOM gdidata's code for stateless persons
}


@cache
def _names() -> dict[str, str]:
    table = reference.countries()
    names = {text.fold(code): code for code in table.index}
    for column in ("name_es", "name_en"):
        names.update({text.fold(name): code for code, name in table[column].items()})
    names.update(ALIASES)
    return names


def to_iso3(values: pd.Series) -> pd.Series:
    """ISO3 code per value; "" for a blank value; None where the name is unknown."""
    names = _names()
    return map_unique(values, lambda v: "" if text.fold(v) == "" else names.get(text.fold(v)))
