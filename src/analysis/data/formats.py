"""The format declarations of a dataset (dataset.yml): number format and day/month order.

    number_format: {decimal: ",", thousands: "."}
    date_order: DMY
    countries:
      USA: {date_order: MDY, number_format: {decimal: ".", thousands: ","}}

A country is named by its ISO3 code or its name. Undeclared, numbers are inferred per column
and dates are read month-first for the United States and Canada and day-first elsewhere.
"""

from __future__ import annotations

from analysis.data import columns
from analysis.data.numbers import NumberFormat

DATE_ORDERS = ("DMY", "MDY", "YMD")
MONTH_FIRST = {"USA", "CAN"}
DECIMAL_MARKS = (".", ",")
THOUSANDS_MARKS = (".", ",", " ", "")


def _declared(meta: dict, country: str, key: str):
    countries = meta.get("countries") if isinstance(meta.get("countries"), dict) else {}
    own = next((v for k, v in countries.items() if columns.country_of(k) == country), {})
    if isinstance(own, dict) and key in own:
        return own[key]
    return meta.get(key)


def number_format(meta: dict, country: str) -> NumberFormat | None:
    """The declared number format for a country, or None (inferred per column)."""
    declared = _declared(meta, country, "number_format")
    if not isinstance(declared, dict):
        return None
    decimal = str(declared.get("decimal", "."))
    thousands = str(declared.get("thousands", "") or "")
    if decimal not in DECIMAL_MARKS or thousands not in THOUSANDS_MARKS or decimal == thousands:
        return None
    return NumberFormat(decimal, thousands.strip())


def date_order(meta: dict, country: str) -> str:
    """DMY, MDY or YMD: declared, or month-first for the United States and Canada."""
    declared = str(_declared(meta, country, "date_order") or "").strip().upper()
    if declared in DATE_ORDERS:
        return declared
    return "MDY" if country in MONTH_FIRST else "DMY"


def problems(meta: dict) -> list[tuple[str, str]]:
    """(key, value) of every declaration that cannot be used."""
    found = []
    scopes = [("", meta)]
    if isinstance(meta.get("countries"), dict):
        scopes += [(f"countries.{c}.", v) for c, v in meta["countries"].items()
                   if isinstance(v, dict)]
        found += [(f"countries.{c}", "") for c in meta["countries"]
                  if columns.country_of(c) is None]
    for prefix, scope in scopes:
        order = scope.get("date_order")
        if order is not None and str(order).strip().upper() not in DATE_ORDERS:
            found.append((prefix + "date_order", str(order)))
        declared = scope.get("number_format")
        if declared is None:
            continue
        ok = isinstance(declared, dict) and str(declared.get("decimal", ".")) in DECIMAL_MARKS \
            and str(declared.get("thousands", "") or "") in THOUSANDS_MARKS \
            and str(declared.get("decimal", ".")) != str(declared.get("thousands", "") or "")
        if not ok:
            found.append((prefix + "number_format", str(declared)))
    return found
