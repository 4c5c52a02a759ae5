"""The built diagnostic as a reviewer sees it: every report opened in headless Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis.core import paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def open_page(browser, path: Path):
    """Open a file; return the page, its console errors, and failed requests."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(path.as_uri(), wait_until="load")
    return page, errors


def check_links(page, path: Path) -> list[str]:
    broken = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        parsed = urlparse(href)
        if parsed.scheme in ("http", "https") or href.startswith("//"):
            continue  # citations of public legal texts open online; the report works without
        target = path if not parsed.path else (path.parent / unquote(parsed.path)).resolve()
        if not target.exists():
            broken.append(href)
        elif parsed.fragment and target == path:
            if page.query_selector(f'[id="{parsed.fragment}"]') is None:
                broken.append(href)
    return broken


def test_every_report_opens_cleanly(browser, demo_report):
    index = demo_report / "index.html"
    pages = [index, demo_report / "figures.html", *sorted((demo_report / "html").glob("*.html"))]
    assert len(pages) >= 10
    shots = paths.REPORTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    for path in pages:
        page, errors = open_page(browser, path)
        images = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.complete && i.naturalWidth > 0, i.alt])")
        assert all(ok for ok, _ in images), (path.name, [alt for ok, alt in images if not ok])
        assert errors == [], (path.name, errors)
        assert check_links(page, path) == [], path.name
        external = page.eval_on_selector_all(
            "script[src], link[href][rel=stylesheet], img[src^=http]", "els => els.length")
        assert external == 0, f"{path.name} loads external resources"
        if path == index or path.name.startswith("10_"):
            target = shots / f"{path.stem}.png"
            page.screenshot(path=str(target), full_page=path == index)
            assert target.stat().st_size > 10_000
        page.close()


def test_index_links_every_report(browser, demo_report):
    page, _ = open_page(browser, demo_report / "index.html")
    hrefs = set(page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"))
    rendered = {f"html/{p.name}" for p in (demo_report / "html").glob("*.html")}
    assert rendered <= hrefs
    assert {"figures.html", "tables.xlsx"} <= hrefs
    assert page.query_selector("nav.toc") is not None
    page.close()
