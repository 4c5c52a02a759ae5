"""Message catalogs, and numbers and dates in the run's locale."""

from __future__ import annotations

import re
import string
from datetime import date

import numpy as np
import pytest

from analysis.core import i18n


def test_every_message_exists_in_both_languages():
    missing = [(key, lang) for key, texts in i18n.catalog().items() for lang in i18n.LANGS
               if not str(texts.get(lang, "")).strip()]
    assert missing == []


def test_placeholders_agree_between_languages():
    def names(text):
        return {f[1] for f in string.Formatter().parse(str(text)) if f[1]}

    mismatched = [key for key, texts in i18n.catalog().items()
                  if names(texts["es"]) != names(texts["en"])]
    assert mismatched == []


def _sources() -> dict[str, str]:
    """Every module of the package and every notebook: name → text."""
    from analysis.core import paths

    files = [*paths.PACKAGE.rglob("*.py"), *paths.NOTEBOOKS.glob("*.ipynb"),
             *paths.TEMPLATES.rglob("*.j2")]
    return {str(path): path.read_text(encoding="utf-8") for path in sorted(files)}


def keys_used(text: str, catalogs: list[str]) -> tuple[set[str], set[str]]:
    """Message keys written whole ("routes.title") and the fixed start of keys built from
    f-strings (f"routes.route_{group}" → "routes.route_"), for every catalog."""
    names = "|".join(sorted(catalogs))
    notebook_text = text.replace('\\"', '"')  # notebooks store code as JSON strings
    whole = set(re.findall(rf'(?<![\w.])["\']((?:{names})\.[a-z_0-9]+)["\']', notebook_text))
    built = set(re.findall(rf'\bf["\']((?:{names})\.[a-z_0-9]*)\{{', notebook_text))
    files = {key for key in whole if key.rsplit(".", 1)[1] in FILE_ENDINGS}  # "legislation.csv"
    prefixes = {key for key in whole if key.endswith("_")}  # "run.col_" ~ name, in templates
    return whole - files - prefixes, built | prefixes


FILE_ENDINGS = {"csv", "yml", "yaml", "py", "json", "html", "ipynb", "geojson", "md", "xlsx",
                "png", "svg", "pdf", "css", "txt"}


def test_message_keys_used_in_the_code_exist():
    catalog = set(i18n.catalog())
    catalogs = sorted({key.split(".")[0] for key in catalog})
    assert len(catalogs) == len(list(i18n.paths.MESSAGES.glob("*.yml")))  # every catalog
    missing, unmatched, seen = [], [], set()
    for name, text in _sources().items():
        whole, built = keys_used(text, catalogs)
        seen |= {key.split(".")[0] for key in whole | built}
        missing += [f"{name}: {key}" for key in sorted(whole - catalog)]
        unmatched += [f"{name}: {prefix}{{…}}" for prefix in sorted(built)
                      if not any(key.startswith(prefix) for key in catalog)]
    assert missing == []
    assert unmatched == []
    assert len(seen) >= len(catalogs) - 1  # the scan does see keys of (nearly) every catalog


def test_the_key_scan_sees_whole_and_built_keys():
    whole, built = keys_used('t("routes.title") + t(f"mmp.reason_{code}") + t("x.y")',
                             ["mmp", "routes"])
    assert whole == {"routes.title"} and built == {"mmp.reason_"}
    whole, _ = keys_used('"source": ["report.t(\\"quality.title\\")"]', ["quality"])
    assert whole == {"quality.title"}  # a notebook's JSON-escaped code


@pytest.fixture
def locale_reset():
    """Tests that choose a locale leave the defaults behind them."""
    yield
    for lang in i18n.LANGS:
        i18n.use_locale("", lang)


@pytest.mark.parametrize(("locale", "lang", "number", "percent", "day", "month"), [
    ("", "es", "1,234.5", "12.5%", "23 de noviembre de 2026", "noviembre de 2026"),
    ("es_419", "es", "1,234.5", "12.5%", "23 de noviembre de 2026", "noviembre de 2026"),
    ("es_ES", "es", "1.234,5", "12,5\xa0%", "23 de noviembre de 2026", "noviembre de 2026"),
    ("es-CR", "es", "1\xa0234,5", "12,5%", "23 de noviembre de 2026", "noviembre de 2026"),
    ("", "en", "1,234.5", "12.5%", "November 23, 2026", "November 2026"),
    ("en_US", "en", "1,234.5", "12.5%", "November 23, 2026", "November 2026"),
])
def test_numbers_and_dates_follow_the_locale(locale_reset, locale, lang, number, percent, day,
                                            month):
    i18n.use_locale(locale, lang)
    assert i18n.fmt_number(1234.5, lang, 1) == number
    assert i18n.fmt_percent(0.125, lang) == percent
    assert i18n.fmt_date("2026-11-23", lang) == day
    assert i18n.fmt_month(date(2026, 11, 5), lang) == month


def test_defaults_are_es_419_and_en_us():
    assert i18n.DEFAULT_LOCALES == {"es": "es_419", "en": "en_US"}
    assert i18n.check_locale("", "es") == "es_419" and i18n.check_locale("", "en") == "en_US"


def test_decimals_missing_values_and_numpy_numbers(locale_reset):
    i18n.use_locale("es_ES", "es")
    assert i18n.fmt_number(np.int64(12345), "es") == "12.345"
    assert i18n.fmt_number(np.float64(0.12345), "es", 3) == "0,123"
    assert i18n.fmt_number(float("nan"), "es") == i18n.fmt_number(None, "es") == ""
    assert i18n.fmt_percent(0.5, "es", 0) == "50\xa0%"
    assert i18n.fmt_percent(None, "es") == ""
    assert i18n.month_name(3, "es") == "marzo"


def test_one_language_keeps_its_locale_when_the_other_changes(locale_reset):
    i18n.use_locale("es_CR", "es")
    assert i18n.fmt_number(1234, "en") == "1,234"
    assert i18n.locale_of("es") == "es_CR"


@pytest.mark.parametrize(("locale", "lang"), [("xx_YY", "es"), ("en_US", "es"),
                                              ("es_ES", "en"), ("???", "en")])
def test_a_locale_that_cannot_work_is_refused_in_words(locale, lang):
    with pytest.raises(i18n.UnknownLocale, match=re.escape(str(locale))):
        i18n.check_locale(locale, lang)


def test_unknown_language_is_refused():
    with pytest.raises(i18n.UnknownLanguage):
        i18n.t("common.total", "fr")


def test_keys_built_from_code_values_exist():
    """Keys that f-strings build from a code list: every value has its message."""
    from analysis.core.contract import TABLES
    from analysis.data.adapters.mmp.importer import REGIONS
    from analysis.data.adapters.mmp.report import OUTSIDE_REASONS, REJECT_REASONS
    from analysis.diagnostic import routes

    notes = ("month_precision", "region_by_iom_region", "region_by_coordinates",
             "region_by_country", "country_stated", "country_coordinates", "country_offshore",
             "country_location_text", "country_unlisted", "country_none", "no_coordinates",
             "ids_suffixed")
    built = ([f"dictionary.table_{name}" for name in TABLES]
             + [f"routes.route_{group}" for group in routes.ROUTE_GROUPS]
             + [f"mmp.reason_{reason}" for reason in OUTSIDE_REASONS + REJECT_REASONS]
             + [f"mmp.region_{region}" for region in REGIONS]
             + [f"mmp.layout_{layout}" for layout in ("current", "global_2014_2022", "other")]
             + [f"mmp.note_{note}" for note in notes])
    assert sorted(set(built) - set(i18n.catalog())) == []


def test_every_column_has_a_label_in_both_languages_and_no_two_share_one():
    from analysis.core.contract import TABLES
    from analysis.core.text import fold

    catalog = i18n.catalog()
    unlabelled = sorted({f.name for t in TABLES.values() for f in t.fields
                         if f"fields.label.{f.name}" not in catalog})
    assert unlabelled == []
    for table in TABLES.values():
        for lang in i18n.LANGS:
            labels = [fold(i18n.t(f"fields.label.{name}", lang)) for name in table.names]
            assert len(set(labels)) == len(labels), (table.name, lang)


def test_a_flows_sheet_with_spanish_headers_is_read_by_label():
    from analysis.data import columns

    headers = {columns.label(name, "es"): name for name in
               ("period", "event", "breakdown", "age_group", "counterpart_country", "place",
                "unit", "source_table")}
    assert {h: columns.column_of(h, "flows") for h in headers} == headers


def test_files_named_by_a_tables_short_name_are_read_as_that_table():
    from analysis.core.contract import TABLE_ALIASES, TABLES
    from analysis.core.text import fold
    from analysis.data import columns

    assert columns.table_of("flujos") == "flows"
    assert columns.table_of("Migrantes") == "migrants"
    assert columns.table_of("Tramos") == "route_legs"
    every = [fold(a) for aliases in TABLE_ALIASES.values() for a in aliases]
    names = {fold(n) for n in TABLES} | {fold(i18n.t(f"dictionary.table_{n}", lang))
                                         for n in TABLES for lang in i18n.LANGS}
    assert len(set(every)) == len(every) and not set(every) & names


def test_the_edition_date_is_today_or_the_reproducible_builds_day(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert i18n.edition_date() == date.today().isoformat()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225599")  # 2025-12-31 23:59:59 UTC
    assert i18n.edition_date() == "2025-12-31"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a time")
    assert i18n.edition_date() == date.today().isoformat()
