"""Jinja2 templates with autoescaping: every HTML page and block the report wing writes.

Templates live in `analysis/report/templates/`; they get `t` (the catalog in the page's
language), `num`, `pct` and `date` (Babel, in the run's locale) and the shared stylesheet.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from analysis.core import i18n, paths


def stylesheet(name: str = "report.css") -> Markup:
    """A stylesheet of `report/style/`, to inline in a page (pages load nothing external)."""
    return Markup((paths.STYLE / name).read_text(encoding="utf-8"))


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(paths.TEMPLATES),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals.update(stylesheet=stylesheet)
    return env


def language_helpers(lang: str) -> dict:
    """What every template uses to write text, numbers and dates in `lang`."""
    return {
        "lang": lang,
        "t": lambda key, **values: i18n.t(key, lang, **values),
        "num": lambda value, decimals=0: i18n.fmt_number(value, lang, decimals),
        "pct": lambda value, decimals=1: i18n.fmt_percent(value, lang, decimals),
        "date": lambda value: i18n.fmt_date(value, lang),
    }


def render(template: str, lang: str = "", **context) -> str:
    """The template filled with `context`, every value escaped unless marked safe; with a
    language, the template can write text, numbers and dates (`t`, `num`, `pct`, `date`)."""
    helpers = language_helpers(lang) if lang else {}
    return environment().get_template(template).render(**helpers, **context)


HEADING_TAG = re.compile(r"<h[1-3][\s>]", re.IGNORECASE)


class Headings(HTMLParser):
    """The h1, h2 and h3 of an HTML fragment: (level, id, text), in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self._open: tuple[int, str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3"):
            self._open = (int(tag[1]), dict(attrs).get("id") or "", [])

    def handle_data(self, data):
        if self._open is not None:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        if self._open is not None and tag == f"h{self._open[0]}":
            level, anchor, text = self._open
            self.found.append((level, anchor, " ".join("".join(text).split())))
            self._open = None


def headings(fragments: list[str]) -> list[tuple[int, str, str]]:
    """The headings of HTML fragments (a notebook's outputs), in order."""
    parser = Headings()
    for fragment in fragments:
        if HEADING_TAG.search(fragment):  # figures' embedded images are long to parse
            parser.feed(fragment)
    parser.close()
    return parser.found


def contents(found: list[tuple[int, str, str]]) -> list[dict]:
    """The h2 headings with their h3 below them, for a table of contents; only headings with
    an id can be linked."""
    tree: list[dict] = []
    for level, anchor, text in found:
        if not anchor:
            continue
        if level == 2:
            tree.append({"id": anchor, "text": text, "children": []})
        elif level == 3 and tree:
            tree[-1]["children"].append({"id": anchor, "text": text})
    return tree
