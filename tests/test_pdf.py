"""Country briefs as A4 PDF: two pages with their numbers, the annex numbering of the HTML
brief, linked from the index; a run without Chromium still succeeds and says so."""

from __future__ import annotations

import json
import re

import pypdfium2 as pdfium
import pytest

from analysis.report import pdf, templating
from analysis.report.cli import main

CHROMIUM = pdf.chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it): "
                             "the run skips the PDF briefs")
A4_POINTS = (595.28, 841.89)
ANNEX_NUMBER = re.compile(r"\bA\d\.\d+\b")


def read_pdf(path) -> list[dict]:
    """Each page: size in points, its text, the text of its foot, and the page as an image."""
    document = pdfium.PdfDocument(str(path))
    pages = []
    for page in document:
        width, height = page.get_size()
        text = page.get_textpage()
        pages.append({"size": (width, height), "text": text.get_text_range(),
                      # the page number sits in the 13 mm bottom margin (brief.css)
                      "foot": text.get_text_bounded(0, 0, width, 0.04 * height).strip(),
                      "image": page.render(scale=0.5).to_pil().convert("L")})
    document.close()
    return pages


def check_brief_pdf(path, ink: float = 0.02) -> list[dict]:
    """Two A4 pages numbered "1 / 2" and "2 / 2" at the foot, each with at least `ink` of its
    area printed."""
    pages = read_pdf(path)
    assert len(pages) == 2, f"{path.name} has {len(pages)} pages"
    for number, page in enumerate(pages, start=1):
        assert page["size"] == pytest.approx(A4_POINTS, abs=1.5), path.name
        assert page["foot"] == f"{number} / 2", (path.name, page["foot"])
        image = page["image"]
        assert image.height / image.width == pytest.approx(A4_POINTS[1] / A4_POINTS[0], rel=0.01)
        printed = sum(image.histogram()[:200])
        assert printed > ink * image.width * image.height, f"{path.name} page {number} is blank"
    return pages


@needs_chromium
def test_the_brief_stylesheet_prints_a4_pages_with_their_numbers(tmp_path):
    page = tmp_path / "page.html"
    text = "<p>" + "text " * 400 + "</p>"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        f"{templating.stylesheet('brief.css')}</style></head><body><h1>One</h1>{text}"
        f"<div class='brief-break'></div><h2>Two</h2>{text}</body></html>", encoding="utf-8")
    check_brief_pdf(pdf.print_pdf(page, tmp_path / "page.pdf"), ink=0.0005)


@needs_chromium
def test_the_same_page_prints_to_the_same_bytes_dated_the_run(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><head><title>T</title></head><body><h1>x</h1>"
                    "</body></html>", encoding="utf-8")
    first = pdf.print_pdf(page, tmp_path / "a.pdf", day="2026-11-23").read_bytes()
    second = pdf.print_pdf(page, tmp_path / "b.pdf", day="2026-11-23").read_bytes()
    assert first == second
    document = pdfium.PdfDocument(str(tmp_path / "a.pdf"))
    assert document.get_metadata_dict()["CreationDate"].startswith("D:20261123000000")
    assert len(document) == 1
    document.close()


def test_a_browser_that_does_not_work_is_a_print_error(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(pdf.PrintError):
        pdf.print_pdf(page, tmp_path / "page.pdf", browser=str(tmp_path / "no-chromium"))
    assert not (tmp_path / "page.pdf").exists()


@needs_chromium
@pytest.mark.slow
def test_every_brief_is_a_two_page_a4_pdf_linked_from_the_index(demo_report):
    manifest = json.loads((demo_report / "manifest.json").read_text(encoding="utf-8"))
    briefs = [n for n in manifest["notebooks"] if n["notebook"] == "70_country_brief.ipynb"]
    assert len(briefs) == 11
    index = (demo_report / "index.html").read_text(encoding="utf-8")
    for brief in briefs:
        assert brief["pdf"] == f"pdf/{brief['key']}.pdf" and not brief["pdf_error"]
        assert f'href="{brief["pdf"]}"' in index
        pages = check_brief_pdf(demo_report / brief["pdf"])
        printed = set(ANNEX_NUMBER.findall(" ".join(p["text"] for p in pages)))
        page = (demo_report / brief["html"]).read_text(encoding="utf-8")
        shown = set(ANNEX_NUMBER.findall(re.sub(r"<[^>]+>", " ", page)))
        assert printed == shown and len(printed) >= 8, brief["key"]
        data = (demo_report / brief["pdf"]).read_bytes()
        assert b"file:" not in data and str(demo_report).encode() not in data  # no local path
        assert all(n.startswith("A7.") for n in printed)


@pytest.mark.slow
def test_without_chromium_the_run_succeeds_and_says_the_pdf_was_skipped(tmp_path, monkeypatch,
                                                                        capsys, demo_cache):
    monkeypatch.setenv(pdf.CHROMIUM_ENV, "")  # as on a machine without Chromium
    out = tmp_path / "out"
    code = main(["run", "--data", "data/demo", "--out", str(out), "--lang", "en",
                 "--notebooks", "70_country_brief", "--countries", "BLZ"])
    assert code == 0
    assert "PDF of the country briefs skipped" in capsys.readouterr().out
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="html/70_country_brief_BLZ.html"' in index and ".pdf" not in index
    assert not (out / "pdf").exists()


def test_structure_node_ids_are_renumbered_in_order_of_use(tmp_path):
    def printed(first: int) -> bytes:
        a, b = b"node%08d" % first, b"node%08d" % (first + 7)
        return (b"<</S /TH /ID (" + a + b")>> <</S /TH /ID (" + b + b")>> <</S /TD /A <<"
                b"/Headers [(" + a + b") (" + b + b")]>>>> (node123456789) (nodes)")

    one, other = tmp_path / "one.pdf", tmp_path / "other.pdf"
    one.write_bytes(printed(51))
    other.write_bytes(printed(52))  # the same page, its DOM numbered one further
    for path in (one, other):
        pdf.number_nodes(path)
    assert one.read_bytes() == other.read_bytes()
    assert len(one.read_bytes()) == len(printed(51))  # every byte offset kept
    assert one.read_bytes() == (
        b"<</S /TH /ID (node00000001)>> <</S /TH /ID (node00000002)>> <</S /TD /A <<"
        b"/Headers [(node00000001) (node00000002)]>>>> (node123456789) (nodes)")


@needs_chromium
def test_a_kept_chromium_prints_the_same_bytes_as_one_chromium_per_page(tmp_path):
    """Given a `KeptBrowser`, pages go to one Chromium kept open (started once, driven over
    its DevTools protocol): each prints to the same bytes as `--print-to-pdf` prints it."""
    pages = []
    for n in (1, 2):
        page = tmp_path / f"page{n}.html"
        page.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
            f"{templating.stylesheet('brief.css')}</style></head><body><h1>Page {n}</h1>"
            "<table><tr><th>País</th><th>Personas</th></tr><tr><td>México</td><td>1,234</td>"
            f"</tr></table><p>{'texto ' * 300 * n}</p></body></html>", encoding="utf-8")
        pages.append(page)
    alone = [pdf.print_pdf(p, tmp_path / f"alone{n}.pdf", day="2026-11-23").read_bytes()
             for n, p in enumerate(pages)]
    with pdf.KeptBrowser() as printer:
        kept = [pdf.print_pdf(p, tmp_path / f"kept{n}.pdf", day="2026-11-23",
                              kept=printer).read_bytes()
                for n, p in enumerate([*pages, pages[0]])]
        assert printer.process is not None and not printer.failed  # one Chromium printed
    assert printer.process is None  # stopped at the end
    assert kept == [*alone, alone[0]]


@needs_chromium
def test_a_kept_chromium_that_fails_leaves_the_page_to_a_chromium_of_its_own(tmp_path,
                                                                           monkeypatch):
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><body><h1>Uno</h1></body></html>", encoding="utf-8")
    alone = pdf.print_pdf(page, tmp_path / "alone.pdf", day="2026-11-23").read_bytes()

    def broken(self, *args):
        raise pdf.BrowserError("DevTools: no answer")

    monkeypatch.setattr(pdf.KeptBrowser, "print_page", broken)
    with pdf.KeptBrowser() as printer:
        printed = pdf.print_pdf(page, tmp_path / "kept.pdf", day="2026-11-23",
                                kept=printer).read_bytes()
        assert printer.failed  # the pages after it are printed alone too
    assert printed == alone


def test_a_profile_still_written_to_while_it_is_removed_never_fails(tmp_path):
    """Chromium's helpers may still write into the profile just after the browser stopped:
    its removal tries again instead of failing the run ("Directory not empty")."""
    import threading
    from pathlib import Path

    browser = pdf.KeptBrowser()
    browser.profile = profile = pdf.new_profile(str(tmp_path))
    default = Path(profile.name) / "Default"
    stop = threading.Event()

    def helper_writing():  # as a Chromium helper still flushing its files
        n = 0
        while not stop.is_set():
            try:
                default.mkdir(parents=True, exist_ok=True)
                (default / f"f{n % 50}").write_bytes(b"x" * 1000)
            except OSError:
                pass
            n += 1

    writer = threading.Thread(target=helper_writing)
    writer.start()
    try:
        timer = threading.Timer(0.3, stop.set)
        timer.start()
        browser.close()  # raises nothing while the helper writes
    finally:
        stop.set()
        writer.join()
    assert not Path(profile.name).exists()  # removed once the helper stopped
