"""Self-contained HTML: executed notebooks with the code hidden, and the run's index page.

nbconvert renders the notebook body (images embedded, inputs excluded); this module wraps
it in one page with the shared stylesheet inlined, a table of contents and a footer, so a
report works offline, opened from a file or from an e-mail attachment.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from analysis.core import i18n, paths
from analysis.data import ingest as io

HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def stylesheet() -> str:
    return (paths.STYLE / "report.css").read_text(encoding="utf-8")


def page(title: str, body: str, lang: str, toc: bool = True) -> str:
    """A complete, self-contained HTML page in the diagnostic's style."""
    nav = table_of_contents(body, lang) if toc else ""
    if nav:
        match = re.search(r"</h1>", body)
        cut = match.end() if match else 0
        body = body[:cut] + nav + body[cut:]
    footer = html.escape(i18n.t("run.footer", lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{stylesheet()}\n</style>\n</head>\n"
        f'<body>\n{body}\n<footer class="report-footer">{footer}</footer>\n</body>\n</html>\n'
    )


def table_of_contents(body: str, lang: str) -> str:
    """A nested list of the h2 and h3 headings of a page."""
    items: list[str] = []
    open_sub = False
    for level, anchor, text in HEADING.findall(body):
        link = f'<a href="#{anchor}">{text}</a>'
        if level == "2":
            if open_sub:
                items.append("</ul>")
                open_sub = False
            if items:
                items.append("</li>")
            items.append(f"<li>{link}")
        else:
            if not open_sub:
                items.append("<ul>")
                open_sub = True
            items.append(f"<li>{link}</li>")
    if open_sub:
        items.append("</ul>")
    if len(HEADING.findall(body)) < 2:
        return ""
    heading = html.escape(i18n.t("run.contents", lang))
    return f'<nav class="toc"><strong>{heading}</strong><ol>{"".join(items)}</li></ol></nav>'


def render_notebook(executed: Path, out_dir: Path, key: str, lang: str) -> tuple[str, str]:
    """Render one executed notebook to `html/<key>.html`; returns its path from `out_dir`
    and its title."""
    notebook = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(
        template_name="basic", exclude_input=True, exclude_input_prompt=True,
        exclude_output_prompt=True, embed_images=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    match = TITLE.search(body)
    title = re.sub(r"<[^>]+>", "", match.group(1)) if match else key
    target = out_dir / "html" / f"{key}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    back_text = html.escape(i18n.t("run.back", lang))
    back = f'<p class="no-print"><a href="../index.html">{back_text}</a></p>'
    title = html.unescape(title)
    target.write_text(page(title, back + body, lang), encoding="utf-8")
    return str(target.relative_to(out_dir)), title


def _report_title(job, lang: str) -> tuple[str, str]:
    """The report's name and one-line summary, from the catalog where it has them."""
    stem = job.notebook.stem
    key = stem.split("_", 1)[1] if "_" in stem else stem
    messages = i18n.catalog()
    name = (i18n.t(f"run.report_{key}", lang) if f"run.report_{key}" in messages
            else job.title or stem)
    summary = i18n.t(f"run.summary_{key}", lang) if f"run.summary_{key}" in messages else ""
    return name, summary


def write_index(out_dir: Path, config, jobs, data, lang: str) -> Path:
    """index.html: title, date, data source, every report with a line, data quality."""
    from analysis.core import reference

    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    title = config.title or t("run.title")
    parts = [f"<h1>{html.escape(title)}</h1>"]
    if data is not None and data.synthetic:
        banner = html.escape(t("common.synthetic_banner"))
        parts.append(f'<div class="synthetic-banner">{banner}</div>')
    source = ""
    if data is not None:
        dataset = data.meta.get("dataset", {})
        source = (t("common.source_synthetic") if data.synthetic else t(
            "common.source_data", source=io.source_text(dataset, lang)))
    run_date = jobs[0].parameters["run_date"] if jobs else ""
    parts.append(f"<p>{html.escape(t('run.generated', date=i18n.fmt_date(run_date, lang)))}"
                 f"<br>{html.escape(source)}</p>")
    parts.append(f'<h2 id="reports">{html.escape(t("run.reports"))}</h2><ul class="reports">')
    briefs = []
    for job in jobs:
        name, summary = _report_title(job, lang)
        country = job.parameters.get("country")
        if country:
            name = reference.label("country", country, lang)
        failed = html.escape(t("run.status_failed"))
        link = (f'<a href="{html.escape(job.html)}">{html.escape(name)}</a>' if job.html
                else f"{html.escape(name)} <strong>({failed})</strong>")
        line = f" — {html.escape(summary)}" if summary and not country else ""
        item = f"<li>{link}{line}</li>"
        (briefs if country else parts).append(item)
    parts.append("</ul>")
    if briefs:
        parts.append(f'<h2 id="briefs">{html.escape(t("run.briefs"))}</h2><ul class="briefs">')
        parts += briefs + ["</ul>"]
    if data is not None:  # official flow statistics: the run's headline figures
        from analysis.report.figures import flows as flows_figures
        parts.append(flows_figures.headline_html(data.tables.get("flows"), lang))
    parts.append(f'<h2 id="annex">{html.escape(t("run.annex"))}</h2><ul>'
                 f'<li><a href="figures.html">{html.escape(t("run.figure_catalogue"))}</a>'
                 f' (<a href="figures.csv">CSV</a>)</li>'
                 f'<li><a href="tables.xlsx">{html.escape(t("run.table_workbook"))}</a></li></ul>')
    if data is not None:
        parts.append(f'<h2 id="quality">{html.escape(t("run.quality"))}</h2>')
        parts.append(_quality_table(data, lang))
    target = out_dir / "index.html"
    target.write_text(page(title, "\n".join(parts), lang), encoding="utf-8")
    return target


def _quality_table(data, lang: str) -> str:
    counts = data.counts
    if counts.empty:
        return f"<p>{html.escape(i18n.t('common.no_data', lang))}</p>"
    totals = counts.groupby("table", sort=False)[["read", "accepted", "set_aside"]].sum()
    head = "".join(f"<th>{html.escape(i18n.t(f'run.col_{c}', lang))}</th>"
                   for c in ("table", "read", "accepted", "set_aside"))
    rows = "".join(
        f"<tr><td>{html.escape(i18n.t(f'dictionary.table_{name}', lang))}</td>" + "".join(
            f'<td class="num">{i18n.fmt_number(int(row[c]), lang)}</td>'
            for c in ("read", "accepted", "set_aside")) + "</tr>"
        for name, row in totals.iterrows()
    )
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
