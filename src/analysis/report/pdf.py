"""Country briefs as A4 PDF, printed by Chromium from the brief's own HTML page.

Chromium prints the page as a browser does (its print stylesheet sets A4, the page break and
the page numbers), so the PDF and the HTML brief never differ. Debian's `chromium` package is
used headless; without it a run still succeeds and says the PDF was skipped.

One page is printed by one Chromium started for it (`--print-to-pdf`), or, when `print_pdf`
is given a `KeptBrowser`, by one Chromium kept open for every page and driven over its
DevTools protocol: Chromium starts once instead of once per page, which was most of the time
and processor a brief's PDF took. Both print the same bytes.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
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


# What `--print-to-pdf` with FLAGS asks of Chromium, as the DevTools protocol's printToPDF
# takes it: the page's own A4 size and margins, its backgrounds, no header or footer.
PRINT_OPTIONS = {"preferCSSPageSize": True, "printBackground": True,
                 "displayHeaderFooter": False}
# A kept Chromium takes the printing flags but `--no-pdf-header-footer`: given it, Chromium
# treats every page as one to print from the command line and fails printToPDF.
KEPT_FLAGS = tuple(flag for flag in FLAGS if flag != "--no-pdf-header-footer")


class PrintError(RuntimeError):
    """Chromium did not write the PDF."""


class BrowserError(PrintError):
    """A kept Chromium did not start or did not answer as expected."""


def chromium() -> str | None:
    """The Chromium to print with, or None when there is none."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen is not None:
        return shutil.which(chosen) if chosen else None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def print_pdf(page: Path, target: Path, browser: str | None = None, day: str = "",
              kept: KeptBrowser | None = None) -> Path:
    """Print the HTML file `page` to `target` as the browser prints it, dated `day`
    (YYYY-MM-DD; default: when it was printed); returns `target`. With `kept`, the page goes
    to that Chromium kept open; should it fail, to a Chromium of its own (and so do the pages
    after it)."""
    browser = browser or chromium()
    if browser is None:
        raise PrintError("Chromium not found")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    if kept is not None and kept.usable(browser):
        try:
            kept.print_page(page, target, browser)
            return finish(target, day)
        except BrowserError:  # printed once more by a Chromium of its own
            kept.close(usable=False)
            target.unlink(missing_ok=True)
    profile = new_profile()
    command = [browser, *FLAGS, *sandbox(), f"--user-data-dir={profile.name}",
               f"--print-to-pdf={target}", Path(page).resolve().as_uri()]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S,
                              stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PrintError(f"{type(error).__name__}: {error}") from None
    finally:  # as a kept Chromium's: its helpers may still be writing into it
        remove_profile(profile)
    if not target.is_file() or target.stat().st_size == 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise PrintError(last)
    return finish(target, day)


def sandbox() -> tuple[str, ...]:
    """Chromium's sandbox refuses to run as root: switched off then."""
    return ("--no-sandbox",) if hasattr(os, "geteuid") and os.geteuid() == 0 else ()


def finish(target: Path, day: str) -> Path:
    """The printed PDF dated `day` (if given), its node ids renumbered; returns `target`."""
    if day:
        set_date(target, day)
    number_nodes(target)
    return target


class KeptBrowser:
    """One headless Chromium that prints page after page, driven over its DevTools protocol
    (a websocket on the loopback): each page is opened in the same tab and printed with
    `PRINT_OPTIONS` once loaded. Threads that share it print in turn. Chromium starts at the
    first page and stops at `close` (or at the end of a `with` block)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.executable = ""
        self.failed = False
        self.process: subprocess.Popen | None = None
        self.profile: tempfile.TemporaryDirectory | None = None
        self.socket = None
        self.last_id = 0
        self.session = ""  # the tab that prints, once opened
        self.events: list[dict] = []

    def __enter__(self) -> KeptBrowser:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def usable(self, executable: str) -> bool:
        """Whether pages printed with `executable` may go to this Chromium."""
        return not self.failed and self.executable in ("", executable)

    def print_page(self, page: Path, target: Path, executable: str) -> None:
        """The HTML file `page` printed to `target`, as `--print-to-pdf` prints it, by the
        Chromium `executable` (started at the first page)."""
        with self.lock:
            if self.failed:
                raise BrowserError("Chromium failed on an earlier page")
            self._print_page(page, target, executable)

    def _print_page(self, page: Path, target: Path, executable: str) -> None:
        if self.process is None:
            self._start(executable)
        if not self.session:  # one tab for every page: its renderer is started once
            tab = self._call("Target.createTarget", url="about:blank")["targetId"]
            self.session = self._call("Target.attachToTarget", targetId=tab,
                                      flatten=True)["sessionId"]
            self._call("Page.enable", self.session)
        self.events = []
        self._call("Page.navigate", self.session, url=Path(page).resolve().as_uri())
        self._event("Page.loadEventFired", self.session)
        data = self._call("Page.printToPDF", self.session, **PRINT_OPTIONS)["data"]
        target.write_bytes(base64.b64decode(data))

    def _start(self, executable: str) -> None:
        self.executable = executable
        try:
            import websocket  # websocket-client
        except ImportError as error:
            raise BrowserError(str(error)) from None
        self.profile = new_profile()
        command = [executable, *KEPT_FLAGS, *sandbox(), f"--user-data-dir={self.profile.name}",
                   "--remote-debugging-port=0", "about:blank"]
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
        except OSError as error:
            raise BrowserError(f"{type(error).__name__}: {error}") from None
        port_file = Path(self.profile.name) / "DevToolsActivePort"  # port, then path
        deadline = time.monotonic() + TIMEOUT_S
        while len(lines := _read_lines(port_file)) < 2:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise BrowserError("Chromium did not open its DevTools port")
            time.sleep(0.02)
        try:
            self.socket = websocket.create_connection(
                f"ws://127.0.0.1:{lines[0]}{lines[1]}", timeout=TIMEOUT_S,
                suppress_origin=True, http_no_proxy=["127.0.0.1"],
                skip_utf8_validation=True)  # Chromium's own JSON: checked in pure Python,
            # the UTF-8 of every PDF (as base64 text) cost the runner about 1 s a run
        except (OSError, websocket.WebSocketException) as error:
            raise BrowserError(f"{type(error).__name__}: {error}") from None

    def _receive(self) -> dict:
        import websocket

        try:
            return json.loads(self.socket.recv())
        except (OSError, ValueError, websocket.WebSocketException) as error:
            raise BrowserError(f"{type(error).__name__}: {error}") from None

    def _call(self, method: str, session: str = "", **params) -> dict:
        """Send one command (to a tab's `session`, else to the browser); its result."""
        import websocket

        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        try:
            self.socket.send(json.dumps(message))
        except (OSError, websocket.WebSocketException) as error:
            raise BrowserError(f"{type(error).__name__}: {error}") from None
        while True:
            answer = self._receive()
            if answer.get("id") == self.last_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error'].get('message', '')}")
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    def _event(self, method: str, session: str) -> dict:
        """Wait for the event `method` of the tab's `session` (kept if it came already)."""
        while True:
            for event in self.events:
                if event["method"] == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return event
            self.events.append(self._receive())

    def close(self, usable: bool = True) -> None:
        """Stop Chromium (if it started) and remove its profile; `usable=False`: print no
        more pages with it."""
        with self.lock:
            self._close(usable)

    def _close(self, usable: bool) -> None:
        self.failed = self.failed or not usable
        if self.socket is not None:
            try:
                self.socket.close()
            except Exception:  # noqa: BLE001 - closing a connection that broke
                pass
            self.socket = None
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.profile is not None:
            remove_profile(self.profile)
            self.profile = None
        self.events, self.session = [], ""


PROFILE_TRIES = 50  # times 0.1 s


def new_profile(folder: str | None = None) -> tempfile.TemporaryDirectory:
    """A new, empty Chromium profile (in `folder`, default: the system's temporary files)."""
    return tempfile.TemporaryDirectory(prefix="analysis-chromium-", dir=folder,
                                       ignore_cleanup_errors=True)


def remove_profile(profile: tempfile.TemporaryDirectory) -> None:
    """Remove a stopped Chromium's profile. Its helper processes may still write into it for
    a moment after the browser stopped (removing it then failed with "Directory not empty"):
    tried again meanwhile; whatever is left then stays with the system's temporary files."""
    profile.cleanup()  # made with ignore_cleanup_errors: never raises
    for _ in range(PROFILE_TRIES):
        if not os.path.exists(profile.name):
            return
        time.sleep(0.1)
        shutil.rmtree(profile.name, ignore_errors=True)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


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
