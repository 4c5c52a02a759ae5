"""Pages from Jinja2 templates with autoescaping, and report pages from the project's own
nbconvert template (contents, banner, footer, code hidden, images embedded)."""

from __future__ import annotations

import base64
import fnmatch
import io
import re
import tomllib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from PIL import Image

from analysis.core import i18n, paths
from analysis.report import brief, catalogue, html, templating
from analysis.report.annex import Entry
from analysis.report.runner import Job, RunConfig

HOSTILE = '<script>alert("x")</script> & <b>'


def ids(page: str) -> list[str]:
    return re.findall(r'\sid="([^"]*)"', page)


def png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode()


def executed_notebook(path: Path, headings: list[tuple[int, str, str]]) -> Path:
    """A notebook as papermill leaves it: a parameters cell, then cells that displayed HTML
    and a figure."""
    params = new_code_cell('lang = "es"\nsecret_code_line = 1')
    params.metadata["tags"] = ["parameters"]
    cells = [params]
    for level, anchor, text in headings:
        cells.append(new_code_cell(f"report.h{level}('...')", outputs=[new_output(
            "display_data", data={"text/html": f'<h{level} id="{anchor}">{text}</h{level}>'})]))
    cells.append(new_code_cell("plt.show()", outputs=[new_output(
        "display_data", data={"image/png": png(), "text/plain": "<Figure>"})]))
    nbformat.write(new_notebook(cells=cells), path)
    return path


HEADINGS = [(1, "routes", "Rutas &amp; corredores"), (2, "flows", "Flujos"),
            (3, "by-year", "Por año"), (2, "corridors", "Corredores"),
            (3, "by-year-2", "Por año")]


@pytest.mark.parametrize("synthetic", [True, False])
def test_a_report_page_is_one_self_contained_file(tmp_path, synthetic):
    executed = executed_notebook(tmp_path / "10_routes.ipynb", HEADINGS)
    target, title = html.render_notebook(executed, tmp_path, "10_routes", "es",
                                         synthetic=synthetic)
    page = (tmp_path / target).read_text(encoding="utf-8")
    assert target == "html/10_routes.html" and title == "Rutas & corredores"
    assert page.startswith("<!DOCTYPE html>") and '<html lang="es">' in page
    assert "<title>Rutas &amp; corredores</title>" in page
    assert "secret_code_line" not in page and "plt.show" not in page  # code hidden
    assert "data:image/png;base64," in page  # the figure embedded
    assert not re.search(r'<(script|link)[^>]+(src|href)=', page)  # nothing loaded
    assert "--accent" in page  # the stylesheet inlined
    title_at, toc_at = page.index('<h1 id="routes">'), page.index('<nav class="toc">')
    assert title_at < toc_at < page.index('<h2 id="flows">')
    toc = page[toc_at:page.index("</nav>")]
    assert re.findall(r'href="#([^"]+)"', toc) == ["flows", "by-year", "corridors", "by-year-2"]
    banner = i18n.t("common.synthetic_banner", "es")
    assert (page.count('<div class="synthetic-banner">') == 1) == synthetic
    assert (banner in page) == synthetic
    assert page.index(i18n.t("run.footer", "es")) > page.index('<h2 id="corridors">')
    assert len(ids(page)) == len(set(ids(page)))


def test_a_brief_page_has_its_print_layout_and_no_contents(tmp_path):
    executed = executed_notebook(tmp_path / "70_country_brief_GTM.ipynb", HEADINGS)
    target, _ = html.render_notebook(executed, tmp_path, "70_country_brief_GTM", "en",
                                     synthetic=True, kind="brief")
    page = (tmp_path / target).read_text(encoding="utf-8")
    assert '<nav class="toc">' not in page
    assert ".brief-break" in page and "counter(page)" in page
    assert page.count('<div class="synthetic-banner">') == 1


def test_the_copy_for_print_links_to_no_file(tmp_path):
    executed = executed_notebook(tmp_path / "70_country_brief_GTM.ipynb", HEADINGS)
    html.render_notebook(executed, tmp_path, "70_country_brief_GTM", "en", kind="brief")
    printed = html.render_for_print(executed, tmp_path / "print.html", "en").read_text(
        encoding="utf-8")
    page = (tmp_path / "html" / "70_country_brief_GTM.html").read_text(encoding="utf-8")
    base = re.search(r'<base href="about:blank"/?>\n', printed)
    assert base and "<base" not in page
    assert printed.replace(base.group(0), "") == page


def test_a_page_without_a_title_still_renders(tmp_path):
    executed = executed_notebook(tmp_path / "x.ipynb", [(2, "a", "A"), (2, "b", "B")])
    target, title = html.render_notebook(executed, tmp_path, "x", "en")
    assert title == "x" and "report-footer" in (tmp_path / target).read_text(encoding="utf-8")


def test_the_index_escapes_what_it_is_given(tmp_path):
    job = Job(Path("10_routes.ipynb"), {"run_date": "2026-11-23"}, "10_routes",
              html="html/10_routes.html", status="ok")
    brief_job = Job(Path("70_country_brief.ipynb"), {"run_date": "2026-11-23",
                                                     "country": "GTM"},
                    "70_country_brief_GTM", html="html/70_country_brief_GTM.html",
                    kind="brief", pdf="pdf/70_country_brief_GTM.pdf")
    failed = Job(Path("20_modus_operandi.ipynb"), {"run_date": "2026-11-23"},
                 "20_modus_operandi", status="failed")
    page = html.write_index(tmp_path, RunConfig(title=HOSTILE), [job, brief_job, failed],
                            None, "en").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<a href="html/10_routes.html">' in page
    assert '<a href="pdf/70_country_brief_GTM.pdf" class="pdf">' in page
    assert f"({i18n.t('run.status_failed', 'en')})" in page
    assert "November 23, 2026" in page
    assert 'id="quality"' not in page  # no data, no data-quality section
    assert re.findall(r'href="#([^"]+)"', page) == ["reports", "briefs", "annex"]


def test_the_catalogue_escapes_captions_and_sources(tmp_path):
    entry = Entry("figure", "A1.1", "map", HOSTILE, "Source <i>", "2026-11-23",
                  ["figures/A1.1_map.png", "figures/A1.1_map.svg"], "10_routes", "GTM")
    catalogue._figures_html(tmp_path / "figures.html", [entry], "es")
    page = (tmp_path / "figures.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<i>" not in page
    assert '<a href="figures/A1.1_map.svg">SVG</a>' in page


def test_brief_blocks_escape_their_text():
    links = brief.links_html("es")
    assert links.count("<a href=") == len(brief.REGIONAL_REPORTS)
    row = brief.row_html(["<p>a</p>", "<p>b</p>"])  # parts are HTML already: kept as they are
    assert row == ('<div class="brief-row"><div class="brief-cell"><p>a</p></div>'
                   '<div class="brief-cell"><p>b</p></div></div>\n')
    assert "counter(page)" in brief.STYLE


def test_templates_escape_by_default():
    page = templating.render("macros.html.j2")
    assert page.strip() == ""
    env = templating.environment()
    assert env.from_string("{{ x }}").render(x=HOSTILE) == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;")


def test_headings_are_read_with_an_html_parser():
    found = templating.headings(['<h1 id="t">A &amp; <em>B</em></h1><p>x</p>',
                                 '<h2 id="s">S</h2><h3>no id</h3>'])
    assert found == [(1, "t", "A & B"), (2, "s", "S"), (3, "", "no id")]
    assert templating.contents(found) == [{"id": "s", "text": "S", "children": []}]


def test_templates_ship_with_the_package():
    globs = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())[
        "tool"]["setuptools"]["package-data"]["analysis"]
    shipped = [p.relative_to(paths.PACKAGE).as_posix()
               for folder in (paths.TEMPLATES, paths.STYLE) for p in folder.rglob("*")
               if p.is_file()]
    assert shipped
    assert [f for f in shipped if not any(fnmatch.fnmatchcase(f, g) for g in globs)] == []


# The one justified escape: values filled into trusted catalog markup (notebook.Report.markup).
JUSTIFIED_ESCAPES = {"report/notebook.py": 1}


def test_nothing_in_the_package_escapes_html_by_hand():
    for path in sorted(paths.PACKAGE.rglob("*.py")):
        name = path.relative_to(paths.PACKAGE).as_posix()
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"html\.escape|\b_esc\(|^import html$|^from html import escape",
                             text, re.M), name
        assert len(re.findall(r"(?<![\w.])escape\(", text)) == JUSTIFIED_ESCAPES.get(name, 0), name
