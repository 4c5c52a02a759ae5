"""Self-contained HTML: executed notebooks with the code hidden, and the run's index page.

A report page is nbconvert's rendering of the executed notebook through the project's own
nbconvert template (`templates/nbconvert/report`): inputs hidden, images embedded, the
stylesheet inlined, a table of contents and the synthetic-data banner after the title, and a
footer, so a report works offline, opened from a file or from an e-mail attachment. The index
and the other pages come from the Jinja2 templates of `templates/`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import nbformat
from markupsafe import Markup
from nbconvert import HTMLExporter

from analysis.core import i18n, paths
from analysis.data import ingest as io
from analysis.report import templating
from analysis.report.figures import flows as flows_figures

NBCONVERT_TEMPLATE = "report"
TITLE_MARK = "report-title"  # output metadata: the contents and banner follow this output


def _html_outputs(notebook) -> list[tuple[dict, str]]:
    """(output, its HTML) for every output of the notebook that has HTML."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/html")
            if text:
                found.append((output, "".join(text) if isinstance(text, list) else text))
    return found


def page_resources(notebook, lang: str, synthetic: bool, kind: str = "report",
                   css: tuple[str, ...] = ("report.css",)) -> dict:
    """What the nbconvert template writes around the cells, from the notebook's headings.
    Marks the output that holds the title (the contents and banner follow it)."""
    outputs = _html_outputs(notebook)
    found = templating.headings([text for _, text in outputs])
    title = next((text for level, _, text in found if level == 1), "")
    holder = next((output for output, text in outputs if "<h1" in text), None)
    if holder is not None:
        holder.setdefault("metadata", {})[TITLE_MARK] = True
    tree = templating.contents(found) if kind == "report" else []
    if sum(1 + len(item["children"]) for item in tree) < 2:
        tree = []
    return {
        "lang": lang, "kind": kind, "title": title,
        "css": Markup("\n".join(str(templating.stylesheet(name)) for name in css)),
        "back": i18n.t("run.back", lang), "footer": i18n.t("run.footer", lang),
        "contents": tree, "contents_heading": i18n.t("run.contents", lang),
        "banner": i18n.t("common.synthetic_banner", lang) if synthetic else "",
    }


_EXPORTERS = threading.local()


def exporter() -> HTMLExporter:
    """The report exporter of this thread: its templates are compiled once, on first use (they
    take longer to compile than a page takes to render)."""
    if not hasattr(_EXPORTERS, "exporter"):
        _EXPORTERS.exporter = _new_exporter()
    return _EXPORTERS.exporter


def _new_exporter() -> HTMLExporter:
    return HTMLExporter(
        template_name=NBCONVERT_TEMPLATE, extra_template_basedirs=[str(paths.TEMPLATES /
                                                                       "nbconvert")],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        embed_images=True,
    )


def _render(executed: Path, lang: str, synthetic: bool, kind: str,
            for_print: bool = False) -> tuple[str, str]:
    """The page of an executed notebook, and its title."""
    notebook = nbformat.read(executed, as_version=4)
    css = ("report.css", "brief.css") if kind == "brief" else ("report.css",)
    resources = {"page": page_resources(notebook, lang, synthetic, kind, css)}
    resources["page"]["for_print"] = for_print
    body, _ = exporter().from_notebook_node(notebook, resources=resources)
    return body, resources["page"]["title"]


def render_notebook(executed: Path, out_dir: Path, key: str, lang: str,
                    synthetic: bool = False, kind: str = "report") -> tuple[str, str]:
    """Render one executed notebook to `html/<key>.html`; returns its path from `out_dir`
    and its title. `kind` "brief" gives a country brief's page (its own print layout, no
    contents list)."""
    body, title = _render(executed, lang, synthetic, kind)
    target = out_dir / "html" / f"{key}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return str(target.relative_to(out_dir)), title or key


def render_for_print(executed: Path, target: Path, lang: str, synthetic: bool = False,
                     kind: str = "brief") -> Path:
    """The page as it is printed to PDF: the same, but its links to other files are not
    links (in a PDF they would become this computer's file paths, useless to a reader)."""
    body, _ = _render(executed, lang, synthetic, kind, for_print=True)
    target.write_text(body, encoding="utf-8")
    return target


def _report_title(job, lang: str) -> tuple[str, str]:
    """The report's name and one-line summary, from the catalog where it has them."""
    stem = job.notebook.stem
    key = stem.split("_", 1)[1] if "_" in stem else stem
    messages = i18n.catalog()
    name = (i18n.t(f"run.report_{key}", lang) if f"run.report_{key}" in messages
            else job.title or stem)
    summary = i18n.t(f"run.summary_{key}", lang) if f"run.summary_{key}" in messages else ""
    return name, summary


INDEX_CONTENTS = (("reports", "run.reports"), ("briefs", "run.briefs"),
                  ("official-flows", "flows.headline_title"), ("annex", "run.annex"),
                  ("quality", "run.quality"))


def write_index(out_dir: Path, config, jobs, data, lang: str) -> Path:
    """index.html: title, date, data source, every report with a line, every country brief
    (with its PDF where one was printed), the annex, data quality."""
    from analysis.core import reference

    title = config.title or i18n.t("run.title", lang)
    source = ""
    if data is not None:
        dataset = data.meta.get("dataset", {})
        source = (i18n.t("common.source_synthetic", lang) if data.synthetic else i18n.t(
            "common.source_data", lang, source=io.source_text(dataset, lang)))
    reports, briefs = [], []
    for job in jobs:
        name, summary = _report_title(job, lang)
        country = job.parameters.get("country")
        if country:
            briefs.append({"name": reference.label("country", country, lang),
                           "href": job.html, "pdf": getattr(job, "pdf", ""), "summary": ""})
        else:
            reports.append({"name": name, "href": job.html, "summary": summary})
    headline = flows_figures.headline_lines(data.tables.get("flows"), lang) if data is not None \
        else []  # official flow statistics: the run's headline figures
    shown = {"reports": True, "briefs": bool(briefs), "official-flows": bool(headline),
             "annex": True, "quality": data is not None}
    contents = [{"id": anchor, "text": i18n.t(key, lang), "children": []}
                for anchor, key in INDEX_CONTENTS if shown[anchor]]
    page = templating.render(
        "index.html.j2", lang, title=title, contents=contents,
        synthetic=bool(data is not None and data.synthetic), source=source,
        run_date=jobs[0].parameters["run_date"] if jobs else "", reports=reports,
        briefs=briefs, headline=headline,
        quality=_quality_rows(data, config.min_cell_size) if data is not None else None)
    target = out_dir / "index.html"
    target.write_text(page, encoding="utf-8")
    return target


def _quality_rows(data, min_cell_size: int) -> list[dict]:
    """Rows read, accepted and set aside per table (empty without data); person tables show
    counts under `min_cell_size` as "<k" (analysis.diagnostic.quality.reconciliation)."""
    from analysis.diagnostic import quality

    totals = quality.reconciliation(data, min_cell_size)
    return [dict(zip(("table", "read", "accepted", "set_aside"), row, strict=True))
            for row in totals[["table", "read", "accepted", "set_aside"]].itertuples(index=False)]
