"""Message catalogs (Spanish and English), and numbers and dates written by Babel in the
run's locale (es_419 and en_US by default; any Babel locale of the language, e.g. es_ES, es_CR).

Catalogs are YAML files in `analysis/messages/`, one per domain: `routes.yml` holds the keys
`routes.*`. Each entry maps a key to its text in every language:

    title:
      es: Rutas
      en: Routes
"""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, get_month_names
from babel.numbers import format_decimal, format_percent

from analysis.core import paths

LANGS = ("es", "en")
DEFAULT_LOCALES = {"es": "es_419", "en": "en_US"}  # es_419: 1,234.5, as most CRM members
_chosen: dict[str, str] = {}  # lang → locale chosen for the run (use_locale)


class UnknownLanguage(ValueError):
    pass


class UnknownLocale(ValueError):
    """A locale Babel does not know, or one of another language than the run's."""


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


def check_locale(locale: str, lang: str) -> str:
    """The Babel name of `locale` ("es-CR" → "es_CR"), which must be a locale of `lang`;
    an empty locale is the language's default (es_419, en_US)."""
    check_lang(lang)
    if not str(locale or "").strip():
        return DEFAULT_LOCALES[lang]
    try:
        parsed = Locale.parse(str(locale).strip().replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        raise UnknownLocale(t("run.error_locale", lang, locale=locale)) from None
    if parsed.language != lang:
        raise UnknownLocale(t("run.error_locale_lang", lang, locale=locale, language=lang))
    return str(parsed)


def use_locale(locale: str, lang: str) -> str:
    """Format numbers and dates of `lang` the way `locale` writes them from now on (an empty
    locale: the language's default). Returns the locale's Babel name."""
    name = check_locale(locale, lang)
    _chosen[lang] = name
    return name


def locale_of(lang: str) -> str:
    """The locale numbers and dates of `lang` are written in."""
    return _chosen.get(check_lang(lang)) or DEFAULT_LOCALES[lang]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _decimals(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """The number as the run's locale writes it: 1,234.5 (es_419, en_US), 1.234,5 (es_ES),
    1 234,5 (es_CR); an empty string for a missing value."""
    if _missing(value):
        return ""
    return format_decimal(value, format=_decimals(decimals), locale=locale_of(lang))


def fmt_percent(value: float | None, lang: str, decimals: int = 1) -> str:
    """A fraction as a percentage in the run's locale: 0.123 → "12.3%" (es_419, en_US),
    "12,3 %" (es_ES)."""
    if _missing(value):
        return ""
    locale = Locale.parse(locale_of(lang))
    pattern = locale.percent_formats[None].pattern.replace("#,##0", _decimals(decimals))
    return format_percent(value, format=pattern, locale=locale)


def month_name(month: int, lang: str) -> str:
    """The month's name in the run's locale (noviembre, November)."""
    return get_month_names("wide", locale=locale_of(lang))[month]


def edition_date() -> str:
    """The date a run's pages and PDFs carry (ISO): today, or the day of `SOURCE_DATE_EPOCH`
    when it is set, as reproducible builds set it, so that runs on different days match."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    return date.today().isoformat()


def _as_date(value: date | datetime | str) -> date:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def fmt_date(value: date | datetime | str, lang: str) -> str:
    """A day in the run's locale: 23 de noviembre de 2026 (es), November 23, 2026 (en_US)."""
    return format_date(_as_date(value), "long", locale=locale_of(lang))


def fmt_month(value: date | datetime | str, lang: str) -> str:
    """A month in the run's locale: noviembre de 2026 (es), November 2026 (en)."""
    return format_skeleton("yMMMM", _as_date(value), locale=locale_of(lang))
