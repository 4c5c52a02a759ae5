"""Producers' words for sex, age and event → the contract's codes, in Spanish and English.

Keys are folded (`analysis.core.text.fold`): no accents, case or punctuation. Codes of the
contract's own lists (and their es/en labels) are always accepted as well.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from analysis.core import reference, text
from analysis.data.adapters.flows.rows import map_unique

SEX = {
    "male": "male", "m": "male", "men": "male", "man": "male", "boys": "male", "boy": "male",
    "hombre": "male", "hombres": "male", "masculino": "male", "h": "male", "ninos": "male",
    "female": "female", "f": "female", "women": "female", "woman": "female",
    "girls": "female", "girl": "female", "mujer": "female", "mujeres": "female",
    "femenino": "female", "ninas": "female",
    "unknown": "unknown", "desconocido": "unknown", "no especificado": "unknown",
}

AGE = {
    "adult": "adult", "adults": "adult", "adulto": "adult", "adultos": "adult", "18": "adult",
    "mayores de 18": "adult", "single adults": "adult", "men": "adult", "women": "adult",
    "hombres": "adult", "mujeres": "adult",
    "child": "child", "children": "child", "minor": "child", "minors": "child", "menor": "child",
    "menores": "child", "nna": "child", "boys": "child", "girls": "child", "ninos": "child",
    "ninas": "child", "ninas ninos y adolescentes": "child",
    "0 11": "child_0_11", "under 12": "child_0_11", "menores de 12": "child_0_11",
    "12 17": "child_12_17",
    "accompanied child": "accompanied_child", "accompanied minors": "accompanied_child",
    "accompanied minor": "accompanied_child", "nna acompanado": "accompanied_child",
    "nna acompanados": "accompanied_child", "menor acompanado": "accompanied_child",
    "under 12 accompanied": "accompanied_child_0_11",
    "menores de 12 acompanados": "accompanied_child_0_11",
    "unaccompanied child": "unaccompanied_child", "uac": "unaccompanied_child",
    "uc single minors": "unaccompanied_child", "unaccompanied minors": "unaccompanied_child",
    "unaccompanied minor": "unaccompanied_child", "nna no acompanado": "unaccompanied_child",
    "nna no acompanados": "unaccompanied_child", "menor no acompanado": "unaccompanied_child",
    "under 12 unaccompanied": "unaccompanied_child_0_11",
    "menores de 12 no acompanados": "unaccompanied_child_0_11",
    "fmua": "family_unit", "family unit": "family_unit", "unidad familiar": "family_unit",
    "unknown": "unknown", "desconocida": "unknown", "no especificada": "unknown",
}

EVENT = {
    "apprehensions": "apprehension", "aprehensiones": "apprehension",
    "inadmissibles": "inadmissible", "inadmisibles": "inadmissible",
    "expulsions": "expulsion", "expulsiones": "expulsion", "title 42 expulsions": "expulsion",
    "encounters": "encounter", "encuentros": "encounter",
    "deportations": "deportation", "deportaciones": "deportation", "deportacion": "deportation",
    "assisted return": "assisted_return", "assisted returns": "assisted_return",
    "assisted return of children": "assisted_return", "retorno asistido": "assisted_return",
    "retornos asistidos": "assisted_return",
    "retorno asistido de nna": "assisted_return",
    "retornados": "return_received", "returns": "return_received",
    "devoluciones recibidas": "return_received",
    "transitos irregulares": "irregular_transit", "transito": "irregular_transit",
    "irregular transits": "irregular_transit",
    "ingresos irregulares": "irregular_entry", "irregular arrivals": "irregular_entry",
    "irregular entries": "irregular_entry",
}

# an event word that also says the age of the people counted
EVENT_AGE = {"assisted return of children": "child", "retorno asistido de nna": "child"}


@cache
def _with_codes(list_name: str, words: tuple[tuple[str, str], ...]) -> dict[str, str]:
    table = reference.codelists()
    rows = table[table["list"] == list_name]
    mapping = {}
    for column in ("code", "label_es", "label_en"):
        mapping.update({text.fold(v): c for v, c in zip(rows[column], rows["code"], strict=True)})
    mapping.update(dict(words))
    return mapping


def mapper(list_name: str, words: dict[str, str]) -> dict[str, str]:
    """Folded word → code: the list's own codes and labels, then the producers' words."""
    return _with_codes(list_name, tuple(words.items()))


def map_values(values: pd.Series, list_name: str, words: dict[str, str]) -> pd.Series:
    """Code per value; "" for blank; None where the word is unknown."""
    mapping = mapper(list_name, words)
    return map_unique(values, lambda v: "" if text.fold(v) == "" else mapping.get(text.fold(v)))
