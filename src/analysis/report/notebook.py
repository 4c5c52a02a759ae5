"""What a notebook calls to tell its story: headings and text from the catalogs, and
numbered annex figures and tables, shown with caption and source note.

    report = start("10_routes", section=1, data_dir=..., output_dir=..., lang="es", ...)
    report.h2("routes.corridors")
    report.figure(fig, "corridor_map", "routes.fig_corridor_map")
"""

from __future__ import annotations

import base64
import math
from functools import cache
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML, display
from markupsafe import Markup, escape

from analysis.core import i18n, memory, paths, reference
from analysis.core.privacy import DEFAULT_MIN_CELL_SIZE
from analysis.core.text import slug
from analysis.data import ingest as data_io
from analysis.report.annex import Annex, Caption, Entry, mark_suppressed

STYLE = paths.STYLE / "diagnostic.mplstyle"
plt.style.use(STYLE)


def clear_session() -> None:
    """Between two notebooks run in one kernel: no open figure, the diagnostic's style, and
    the memory the last notebook freed given back to the system (a kept kernel would
    otherwise keep the heap of its largest notebook for the rest of the run)."""
    plt.close("all")
    matplotlib.rcdefaults()
    plt.style.use(STYLE)
    memory.give_back()


class Published(pd.DataFrame):
    """A table as published (suppressed cells missing). It is already shown with its caption,
    so a notebook cell that ends with it does not show it a second time. `entry` is its
    annex entry (number, caption, files)."""

    _metadata = ["entry"]
    entry: Entry | None = None

    @property
    def _constructor(self):
        return pd.DataFrame

    def _ipython_display_(self) -> None:
        return None


class Report:
    """One notebook run: its data, its language and its annex."""

    def __init__(
        self, notebook: str, section: int, data: data_io.Dataset | None, output_dir: Path,
        lang: str, min_cell_size: int, country: str = "", run_date: str | None = None,
    ) -> None:
        self.notebook, self.lang, self.data = notebook, i18n.check_lang(lang), data
        self.min_cell_size = min_cell_size
        self.country = country
        self.date = run_date or i18n.edition_date()
        self._anchors: set[str] = set()
        self.annex = Annex(output_dir, notebook, section, lang, self.source_note(),
                           self.date, min_cell_size, country)

    def anchor(self, text: str) -> str:
        """An id for a heading, unique in this notebook's page: a heading repeated (the same
        subtitle under several sections) gets -2, -3, ... so every contents link lands on it."""
        base = slug(text, "-") or "section"
        anchor, n = base, 1
        while anchor in self._anchors:
            n += 1
            anchor = f"{base}-{n}"
        self._anchors.add(anchor)
        return anchor

    # text -------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        return i18n.t(key, self.lang, **values)

    def num(self, value, decimals: int = 0) -> str:
        return i18n.fmt_number(value, self.lang, decimals)

    def count_text(self, n: int, fewer_key: str) -> str:
        """A count for the narrative: zero or at least k given exactly, a smaller count as the
        text of `fewer_key` ("fewer than k")."""
        return self.num(n) if n == 0 or n >= self.min_cell_size else self.t(
            fewer_key, k=self.min_cell_size)

    def pct(self, value, decimals: int = 1) -> str:
        return i18n.fmt_percent(value, self.lang, decimals)

    def label(self, list_name: str, code: str) -> str:
        return reference.label(list_name, code, self.lang)

    def labels(self, values: pd.Series, list_name: str) -> pd.Series:
        return values.map(lambda code: self.label(list_name, code) if pd.notna(code) else code)

    def source_note(self) -> str:
        if self.data is not None and self.data.synthetic:
            return i18n.t("common.source_synthetic", self.lang)
        dataset = (self.data.meta.get("dataset", {}) if self.data is not None else {})
        return i18n.t("common.source_data", self.lang, source=data_io.source_text(dataset,
                                                                                  self.lang))

    def title(self, key: str, **values) -> None:
        text = self.t(key, **values)
        if self.country:
            text = f"{text}: {self.label('country', self.country)}"
        display(HTML(blocks().heading(1, self.anchor(text), text)))
        self._scope_note()

    def _scope_note(self) -> None:
        parts = []  # the synthetic-data banner is the page template's (report/html.py)
        if self.data is not None:
            chosen = self.data.meta.get("filter", {})
            countries = chosen.get("countries") or []
            scope = ", ".join(self.label("country", c) for c in countries) or self.t(
                "common.all_countries")
            period = chosen.get("period") or self.t("common.all_period")
            text = self.t("common.scope", countries=scope, period=period,
                          date=i18n.fmt_date(self.date, self.lang))
            if not self.data.synthetic:  # real data: every page names its sources
                text += " " + self.source_note()
            parts.append(blocks().scope(text))
        display(HTML("".join(parts)))

    def h2(self, key: str, **values) -> None:
        text = self.t(key, **values)
        display(HTML(blocks().heading(2, self.anchor(text), text)))

    def h3(self, key: str, **values) -> None:
        text = self.t(key, **values)
        display(HTML(blocks().heading(3, self.anchor(text), text)))

    def markup(self, key: str, **values) -> Markup:
        """Catalog text (trusted markup) with its values escaped."""
        return Markup(self.t(key, **{k: escape(v) for k, v in values.items()}))

    def say(self, key: str, **values) -> None:
        """A paragraph from the catalog; values are formatted and escaped."""
        display(HTML(blocks().paragraph(self.markup(key, **values))))

    def notice(self, key: str, **values) -> None:
        display(HTML(blocks().notice(self.markup(key, **values))))

    def bullets(self, keys: list[str]) -> None:
        """A list of items from the catalog (catalog text, like `say`)."""
        display(HTML(blocks().bullets([Markup(self.t(key)) for key in keys])))

    def html(self, block: str) -> None:
        """Show a block of HTML rendered by the report wing (already escaped)."""
        display(HTML(block))

    # annex ------------------------------------------------------------------------
    def caption(self, published: Published) -> Caption:
        """The caption of a table published with `table(..., show=False)`, for a styled
        version of it shown under the same annex number."""
        return self.annex.caption(published.entry)

    def caption_markup(self, published: Published) -> str:
        """The same caption as escaped markup, for blocks that take it ready-made."""
        entry = published.entry
        return self._caption_html(entry.kind, entry.number, entry.caption)

    def _caption_html(self, kind: str, number: str, caption: str) -> str:
        return str(blocks().caption(self._caption(kind, number, caption)))

    def _caption(self, kind: str, number: str, caption: str) -> Caption:
        source = f"{self.annex.source} {i18n.fmt_date(self.date, self.lang)}."
        return Caption(self.annex.label(kind, number), caption, source)

    def figure(self, fig, key: str, caption_key: str, **values) -> None:
        """Export the figure to the annex, show it with its caption, and close it."""
        caption = self.t(caption_key, **values)
        entry = self.annex.save_figure(fig, key, caption)
        plt.close(fig)
        data = base64.b64encode(self.annex.preview(entry)).decode()
        display(HTML(blocks().figure(entry.number,
                                     self._caption("figure", entry.number, caption), data)))

    def table(
        self, table: pd.DataFrame, key: str, caption_key: str, counts: list[str] | None = None,
        n_column: str | None = None, decimals: dict[str, int] | None = None, show: bool = True,
        **values,
    ) -> Published:
        """Suppress small cells, export the table to the annex and show it (`show=False`:
        export only, for a table the page shows in a styled form). Returns what was published
        (suppressed cells missing), with its annex entry."""
        caption = self.t(caption_key, **values)
        entry, published = self.annex.save_table(table, key, caption, counts, n_column)
        if show:
            display(HTML(self.table_html(published, caption, entry.number, decimals or {})))
        result = Published(published)
        result.attrs = dict(published.attrs)
        result.entry = entry
        return result

    def table_html(
        self, table: pd.DataFrame, caption: str, number: str, decimals: dict[str, int]
    ) -> str:
        mask = table.attrs.get("suppressed")
        marked = mark_suppressed(table, self.min_cell_size)
        # each column taken once, not once a cell
        shown = [(column, marked[column], None if mask is None else mask[column])
                 for column in table.columns]
        rows = []
        for i in range(len(table)):
            cells = []
            for column, values, hiding in shown:
                value = values.iloc[i]
                hidden = hiding is not None and bool(hiding.iloc[i])
                if hidden:
                    cells.append({"kind": "num suppressed", "text": str(value)})
                elif pd.api.types.is_number(value) and not isinstance(value, bool | np.bool_):
                    is_int = pd.api.types.is_integer(value) or (
                        not math.isnan(value) and value == int(value) and column not in decimals)
                    text = self.num(value, 0 if is_int else decimals.get(column, 1))
                    cells.append({"kind": "num", "text": text})
                else:
                    text = "" if value is None or value is pd.NA else str(value)
                    cells.append({"kind": "", "text": text})
            rows.append(cells)
        return str(blocks().table(number, self._caption("table", number, caption),
                                  [str(c) for c in table.columns], rows))


@cache
def blocks():
    """The macros of templates/notebook_blocks.html.j2, as functions returning markup."""
    from analysis.report import templating

    return templating.environment().get_template("notebook_blocks.html.j2").module


class NoDataFolder(ValueError):
    """A notebook asked to load data without a data folder that exists."""


def required_data_dir(data_dir: str, lang: str) -> Path:
    """The data folder a notebook reads; never a silent fallback to the demo data."""
    if not str(data_dir).strip():
        raise NoDataFolder(i18n.t("common.error_no_data_dir", lang))
    folder = paths.resolve(data_dir)
    if not folder.is_dir():
        raise NoDataFolder(i18n.t("common.error_data_dir_missing", lang, path=str(folder)))
    return folder


def notebook_parameter(name: str) -> str:
    """A parameter of the running notebook (as papermill set it), "" outside a notebook."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the kernel
        return ""
    shell = get_ipython()
    value = shell.user_ns.get(name, "") if shell is not None else ""
    return value if isinstance(value, str) else ""


def start(
    notebook: str, section: int, *, data_dir: str = "", output_dir: str = "",
    countries: list[str] | str | None = None, period: str = "", lang: str = "es",
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE, country: str = "", run_date: str = "",
    load_data: bool = True, locale: str | None = None,
) -> Report:
    """Load the clean data for a notebook run and prepare its annex. Numbers and dates are
    written in `locale`; without it, in the notebook's `locale` parameter (the run's), or the
    language's default when that is empty."""
    i18n.use_locale(notebook_parameter("locale") if locale is None else locale, lang)
    out = paths.resolve(output_dir) if output_dir else paths.REPORTS / "interactive"
    if country:
        countries = [country]
    data = data_io.load(required_data_dir(data_dir, lang), countries, period) if load_data else None
    return Report(notebook, section, data, out, lang, int(min_cell_size), country,
                  run_date or None)
