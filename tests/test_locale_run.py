"""A run writes numbers and dates the way its locale does (`locale:` / `analysis run --locale`)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from babel.dates import format_date
from conftest import use_demo_cache

from analysis.core import i18n, paths
from analysis.report import runner as run
from analysis.report.cli import main

# locale, language, a thousands number as the locale writes it, and the other styles it must not
LOCALES = [
    ("es_419", "es", r"\b\d{1,3},\d{3}\b", [r"\b\d{1,3}\.\d{3}\b", r"\b\d{1,3}\xa0\d{3}\b"]),
    ("es_ES", "es", r"\b\d{1,3}\.\d{3}\b", [r"\b\d{1,3},\d{3}\b", r"\b\d{1,3}\xa0\d{3}\b"]),
    ("es_CR", "es", r"\b\d{1,3}\xa0\d{3}\b", [r"\b\d{1,3},\d{3}\b", r"\b\d{1,3}\.\d{3}\b"]),
    ("en_US", "en", r"\b\d{1,3},\d{3}\b", [r"\b\d{1,3}\.\d{3}\b", r"\b\d{1,3}\xa0\d{3}\b"]),
]


def cells(page: str, css_class: str) -> list[str]:
    return re.findall(rf'<td class="{css_class}">([^<]*)</td>', page)


@pytest.fixture(autouse=True)
def _default_locales():
    yield
    for lang in i18n.LANGS:
        i18n.use_locale("", lang)


# The shared demo builds are runs in their language's own locale (config/demo.yml: es_419,
# config/demo_en.yml: en_US); the other locales get a run of their own.
BUILT = {"es_419": "es", "en_US": "en"}


@pytest.mark.slow
@pytest.mark.parametrize(("locale", "lang", "thousands", "others"), LOCALES)
def test_a_run_writes_numbers_and_dates_in_its_locale(demo_reports, tmp_path, locale, lang,
                                                      thousands, others):
    if locale in BUILT:
        out = demo_reports(BUILT[locale])
    else:
        use_demo_cache(demo_reports(lang))  # the demo is validated once, by the build
        out = tmp_path / "out"
        code = main(["run", "--data", "data/demo", "--out", str(out), "--lang", lang,
                     "--locale", locale, "--countries", "GTM", "--notebooks",
                     "00_data_quality", "--name", f"locale_{locale}"])
        assert code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    page = (out / "html" / "00_data_quality.html").read_text(encoding="utf-8")
    counts = cells(index, "num")  # rows read, accepted, set aside: written by the runner
    assert counts and any(re.fullmatch(thousands, c) for c in counts), counts
    shown = cells(page, "num")  # the report's own tables: written in the notebook's kernel
    assert any(re.fullmatch(thousands, c) for c in shown), shown
    for other in others:
        assert not [c for c in counts + shown if re.search(other, c)], (other, locale)
    day = format_date(date.fromisoformat(i18n.edition_date()), "long", locale=locale)
    assert day in index and day in page  # "Generated on" and the scope note: the run's day
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["locale"] == locale
    executed = json.loads((out / "notebooks" / "00_data_quality.ipynb").read_text())
    injected = "".join("".join(c["source"]) for c in executed["cells"]
                       if "injected-parameters" in c["metadata"].get("tags", []))
    assert f"locale = {locale!r}" in injected.replace('"', "'")


def test_the_locale_defaults_to_the_languages_own():
    assert run.load_config(None, lang="es").locale == "es_419"
    assert run.load_config(None, lang="en").locale == "en_US"
    assert run.load_config(None, lang="es", locale="es-CR").locale == "es_CR"


def test_every_configuration_names_a_locale_of_its_language():
    configs = sorted(paths.CONFIG.glob("*.yml"))
    assert configs
    for path in configs:
        config = run.load_config(path)
        assert paths.read_yaml(path).get("locale"), path.name
        assert config.locale.split("_")[0] == config.lang, path.name


@pytest.mark.parametrize("locale", ["es_ES", "xx_YY"])
def test_a_locale_that_cannot_work_stops_the_run_in_words(tmp_path, capsys, locale):
    out = tmp_path / "out"
    code = main(["run", "--data", "data/demo", "--out", str(out), "--lang", "en", "--locale",
                 locale])
    assert code == 1
    error = capsys.readouterr().err
    assert locale in error and "Traceback" not in error
    assert not out.exists()
