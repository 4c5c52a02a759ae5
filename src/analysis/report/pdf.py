"""Country briefs as A4 PDF, printed by Chromium from the brief's own HTML page.

Chromium prints the page as a browser does (its print stylesheet sets A4, the page break and
the page numbers), so the PDF and the HTML brief never differ. Debian's `chromium` package is
used headless; without it a run still succeeds and says the PDF was skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_ENV = "ANALYSIS_CHROMIUM"  # a Chromium to use instead of the one on the PATH
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--run-all-compositor-stages-before-draw")
TIMEOUT_S = 180
# The document's dates (Skia writes the time of printing): set to the run's date, so the same
# brief prints to the same bytes.
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([^)]*)\)")
# The tagged structure names table header cells by the page's DOM node numbers, which can
# shift by one from one print to the next: renumbered in order of first use, same width.
NODE_ID = re.compile(rb"\(node(\d{8})\)")


class PrintError(RuntimeError):
    """Chromium did not write the PDF."""


def chromium() -> str | None:
    """The Chromium to print with, or None when there is none."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen is not None:
        return shutil.which(chosen) if chosen else None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def print_pdf(page: Path, target: Path, browser: str | None = None, day: str = "") -> Path:
    """Print the HTML file `page` to `target` as the browser prints it, dated `day`
    (YYYY-MM-DD; default: when it was printed); returns `target`."""
    browser = browser or chromium()
    if browser is None:
        raise PrintError("Chromium not found")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    sandbox = ("--no-sandbox",) if hasattr(os, "geteuid") and os.geteuid() == 0 else ()
    with tempfile.TemporaryDirectory(prefix="analysis-chromium-") as profile:
        command = [browser, *FLAGS, *sandbox, f"--user-data-dir={profile}",
                   f"--print-to-pdf={target}", Path(page).resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S,
                                  stdin=subprocess.DEVNULL, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PrintError(f"{type(error).__name__}: {error}") from None
    if not target.is_file() or target.stat().st_size == 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise PrintError(last)
    if day:
        set_date(target, day)
    number_nodes(target)
    return target


def set_date(path: Path, day: str) -> None:
    """Date the PDF `day` (its creation and modification dates), keeping every byte offset."""
    stamp = day.replace("-", "")[:8].encode()

    def dated(match: re.Match) -> bytes:
        utc = b"+00'00'"  # Skia writes the zone so, whatever the machine's zone
        zone = utc if len(match.group(2)) == len(utc) else match.group(2)
        return b"/" + match.group(1) + b" (D:" + stamp + b"000000" + zone + b")"

    data = path.read_bytes()
    path.write_bytes(PDF_DATE.sub(dated, data))


def number_nodes(path: Path) -> None:
    """Renumber the structure's node ids 1, 2, … in order of first use, keeping every byte
    offset, so that the same page prints to the same bytes."""
    order: dict[bytes, bytes] = {}

    def renumbered(match: re.Match) -> bytes:
        new = order.setdefault(match.group(1), b"%08d" % (len(order) + 1))
        return b"(node" + new + b")"

    data = path.read_bytes()
    path.write_bytes(NODE_ID.sub(renumbered, data))
