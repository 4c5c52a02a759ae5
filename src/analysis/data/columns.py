"""Recognizing what a header, a sheet, a file or a folder names, the way people write it.

A column is known by its contract name, its label in Spanish or English (as the data dictionary
and the template print them), the template's bilingual header ("Modo de transporte
(transport_mode)") or a known alias; a table by its name or its label; a country by its ISO3
code or its name in Spanish or English. Case, accents, spaces and underscores never matter.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from analysis.core import i18n, reference
from analysis.core.contract import TABLE_ALIASES, TABLES, Table
from analysis.core.text import fold

TRAILING_NAME = re.compile(r"\(([^()]*)\)\s*$")


def label(name: str, lang: str) -> str:
    """The short label of a column in a language; the name itself for a column without one."""
    key = f"fields.label.{name}"
    if key in i18n.catalog():
        return i18n.t(key, lang)
    return name.replace("_", " ")


def header(name: str, lang: str) -> str:
    """The template's bilingual header: 'Modo de transporte (transport_mode)'."""
    return f"{label(name, lang)} ({name})"


@cache
def _column_index(table_name: str) -> dict[str, str]:
    """Folded header text → column name, for one table. Names win over labels and aliases."""
    table: Table = TABLES[table_name]
    index: dict[str, str] = {}
    for pass_ in ("alias", "label", "name"):  # later passes overwrite earlier ones
        for name in table.names:
            if pass_ == "name":
                texts: tuple[str, ...] = (name,)
            elif pass_ == "label":
                texts = tuple(label(name, lang) for lang in i18n.LANGS)
            else:
                texts = table.aliases(name)
            for text in texts:
                index[fold(text)] = name
    return index


def column_of(text: object, table_name: str) -> str | None:
    """The contract column a header names, or None."""
    return _column_of(str(text), table_name)


@lru_cache(maxsize=1 << 16)
def _column_of(raw: str, table_name: str) -> str | None:
    index = _column_index(table_name)
    inner = TRAILING_NAME.search(raw)
    if inner and fold(inner.group(1)) in index:
        return index[fold(inner.group(1))]
    return index.get(fold(raw))


@cache
def _table_index() -> dict[str, str]:
    index = {}
    for name in TABLES:
        for alias in TABLE_ALIASES.get(name, ()):
            index[fold(alias)] = name
        index[fold(name)] = name
        key = f"dictionary.table_{name}"
        if key in i18n.catalog():
            for lang in i18n.LANGS:
                index[fold(i18n.t(key, lang))] = name
    return index


def table_of(text: object) -> str | None:
    """The contract table a file or sheet name stands for ('Casos', 'route legs', 'flujos'),
    or None."""
    return _table_index().get(fold(text))


@cache
def country_index() -> dict[str, str]:
    """Folded ISO3 code or country name (es, en) → ISO3."""
    table = reference.countries()
    index = {}
    for column in ("name_en", "name_es"):
        index.update({fold(n): code for code, n in table[column].items() if n})
    index.update({fold(code): code for code in table.index})
    return index


def country_of(text: object) -> str | None:
    """The ISO3 code a folder or workbook name stands for ('gtm', 'República Dominicana')."""
    return country_index().get(fold(text))
