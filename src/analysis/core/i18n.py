"""Message catalogs (Spanish and English) and number and date formats.

Catalogs are YAML files in `analysis/messages/`, one per domain: `routes.yml` holds the keys
`routes.*`. Each entry maps a key to its text in every language:

    title:
      es: Rutas
      en: Routes
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import cache

from analysis.core import paths

LANGS = ("es", "en")


class UnknownLanguage(ValueError):
    pass


@cache
def catalog() -> dict[str, dict[str, str]]:
    """Every message, by full key (`domain.key`), as {lang: text}."""
    messages: dict[str, dict[str, str]] = {}
    for path in sorted(paths.MESSAGES.glob("*.yml")):
        entries = paths.read_yaml(path) or {}
        for key, texts in entries.items():
            messages[f"{path.stem}.{key}"] = texts
    return messages


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UnknownLanguage(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def t(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang`, with `{placeholders}` filled from `values`."""
    texts = catalog().get(key)
    if texts is None:
        raise KeyError(f"no message {key!r} in the catalogs")
    text = texts[check_lang(lang)]
    return text.format(**values) if values else text


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """1.234,5 in Spanish, 1,234.5 in English; an empty string for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    if check_lang(lang) == "es":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_percent(value: float | None, lang: str, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.123 → "12,3 %" (es) or "12.3%" (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = fmt_number(100 * value, lang, decimals)
    return f"{number} %" if lang == "es" else f"{number}%"


def month_name(month: int, lang: str) -> str:
    return t("common.months", lang).split(",")[month - 1].strip()


def fmt_date(value: date | datetime | str, lang: str) -> str:
    """23 de noviembre de 2026 (es), 23 November 2026 (en)."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    month = month_name(value.month, lang)
    if check_lang(lang) == "es":
        return f"{value.day} de {month} de {value.year}"
    return f"{value.day} {month} {value.year}"


def fmt_month(value: date | datetime, lang: str) -> str:
    """noviembre de 2026 (es), November 2026 (en)."""
    month = month_name(value.month, lang)
    return f"{month} de {value.year}" if lang == "es" else f"{month} {value.year}"
