"""Message catalogs and number formats."""

from __future__ import annotations

import re
import string

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


def test_message_keys_used_in_the_code_exist():
    from analysis.core import paths

    used = set()
    for path in list(paths.PACKAGE.rglob("*.py")) + list(paths.NOTEBOOKS.glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'["\']((?:common|run|quality|validation|cli|dictionary)'
                               r'\.[a-z_0-9]+)["\']', text))
    assert sorted(used - set(i18n.catalog())) == []


@pytest.mark.parametrize(("lang", "expected"), [("es", "1.234,5"), ("en", "1,234.5")])
def test_number_format(lang, expected):
    assert i18n.fmt_number(1234.5, lang, 1) == expected


def test_dates_and_percentages():
    assert i18n.fmt_date("2026-11-23", "es") == "23 de noviembre de 2026"
    assert i18n.fmt_date("2026-11-23", "en") == "23 November 2026"
    assert i18n.fmt_percent(0.125, "es") == "12,5 %"
    assert i18n.fmt_percent(0.125, "en") == "12.5%"


def test_unknown_language_is_refused():
    with pytest.raises(i18n.UnknownLanguage):
        i18n.t("common.total", "fr")
