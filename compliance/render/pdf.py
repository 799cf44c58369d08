"""`render --format pdf`: the HTML pages printed by the system's headless Chromium.

Chromium is found on PATH (Debian's `chromium`), never downloaded. One browser prints every page
of a run, driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on its
fd 3, replies on its fd 4, each a JSON message ended by a NUL byte), so no port is opened and a
run of twelve documents starts the browser once. Every wait has a deadline. Chromium's sandbox
cannot run as root, so root gets --no-sandbox, as Chromium itself demands.

The PDF's creation and modification dates are set to the document's date and its structure
elements are numbered by rank, so the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from compliance.errors import ToolError

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 60.0
MISSING = ("--format pdf prints with Chromium, which is not on PATH: install it (Debian/Ubuntu: apt-get install "
           "chromium fonts-noto-cjk), or write --format html and print the page from a browser")


class PrintError(ToolError):
    """Chromium is missing, failed, or did not answer in time."""


def find_chromium() -> str:
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PrintError(MISSING)


def print_pages(pages: list[str], on: str) -> list[bytes]:
    """Each HTML page as A4 PDF bytes, dated `on` (YYYY-MM-DD)."""
    if not pages:
        return []
    with Browser(find_chromium()) as browser:
        return [_numbered(_dated(browser.print_html(page), on)) for page in pages]


_DATE = re.compile(rb"(/(?:CreationDate|ModDate) ?\()([^)]*)(\))")


def _dated(pdf: bytes, on: str) -> bytes:
    """Replace Chromium's clock time in the PDF's dates by the document's date, keeping each the
    same length, so the cross-reference offsets stay right."""
    stamp = ("D:" + on.replace("-", "") + "000000+00'00'").encode()

    def fix(match: re.Match) -> bytes:
        old = match.group(2)
        return match.group(1) + stamp[: len(old)].ljust(len(old), b"0") + match.group(3)

    return _DATE.sub(fix, pdf)


_NODE = re.compile(rb"\(node(\d+)\)")


def _numbered(pdf: bytes) -> bytes:
    """The tagged PDF names its structure elements after DOM node counters (node00000088), which
    depend on what the browser did before; number them by rank instead, same width, same order
    (the ID tree stays sorted), so the bytes repeat."""
    found = sorted({int(match.group(1)) for match in _NODE.finditer(pdf)})
    widths = {len(match.group(1)) for match in _NODE.finditer(pdf)}
    if len(widths) != 1:
        return pdf  # mixed widths: leave the names alone rather than shift any offset
    width = widths.pop()
    rank = {value: str(index).zfill(width).encode() for index, value in enumerate(found)}
    return _NODE.sub(lambda match: b"(node" + rank[int(match.group(1))] + b")", pdf)


class Browser:
    """A headless Chromium driven over a DevTools pipe."""

    def __init__(self, chromium: str, timeout: float = TIMEOUT) -> None:
        self.chromium = chromium
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._profile = tempfile.TemporaryDirectory(prefix="aicomply-chromium-")

    def __enter__(self) -> Browser:
        command_read, self._command_write = os.pipe()
        self._reply_read, reply_write = os.pipe()

        def to_fds_3_and_4():  # in the child, between fork and exec
            high = [_fcntl_dup(fd) for fd in (command_read, reply_write)]
            for target, fd in zip((3, 4), high):
                os.dup2(fd, target)
                os.close(fd)

        arguments = [self.chromium, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-extensions", "--mute-audio", "--remote-debugging-pipe",
                     f"--user-data-dir={self._profile.name}", "about:blank"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            arguments.insert(2, "--no-sandbox")  # Chromium refuses to start sandboxed as root
        try:
            self.process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=to_fds_3_and_4)
        except OSError as exc:
            os.close(command_read), os.close(reply_write), os.close(self._command_write), os.close(self._reply_read)
            self._profile.cleanup()
            raise PrintError(f"cannot start {self.chromium}: {exc.strerror or exc}") from None
        os.close(command_read)
        os.close(reply_write)
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self._send("Browser.close", timeout=5)
        except (PrintError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self._command_write)
        os.close(self._reply_read)
        self._profile.cleanup()

    def print_html(self, html: str) -> bytes:
        """One page: loaded from a temporary file (so it is a file: page, like the one the user
        opens), fonts loaded, printed with the page's own @page size and margins."""
        with tempfile.TemporaryDirectory(prefix="aicomply-page-") as folder:
            page = Path(folder) / "page.html"
            page.write_text(html, encoding="utf-8")
            target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            try:
                self._send("Page.enable", session=session)
                self._send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
                self._wait_loaded(session)
                printed = self._send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True,
                                                         "displayHeaderFooter": False}, session=session)
            finally:
                self._send("Target.closeTarget", {"targetId": target})
        return base64.b64decode(printed["data"])

    def _wait_loaded(self, session: str) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            state = self._send("Runtime.evaluate", {
                "expression": "document.readyState === 'complete' && location.protocol === 'file:'"
                              " ? document.fonts.ready.then(() => true) : false",
                "awaitPromise": True, "returnByValue": True}, session=session)
            if state.get("result", {}).get("value") is True:
                return
            if time.monotonic() > deadline:
                raise PrintError(f"Chromium did not load the page within {self.timeout:.0f} s")
            time.sleep(0.02)

    def _send(self, method: str, params: dict | None = None, session: str | None = None,
              timeout: float | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._command_write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise PrintError(f"Chromium could not {method}: {reply['error'].get('message', reply['error'])}")
                return reply.get("result", {})

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PrintError(f"Chromium did not answer within {self.timeout:.0f} s")
            if select.select([self._reply_read], [], [], left)[0]:
                chunk = os.read(self._reply_read, 1 << 16)
                if not chunk:
                    raise PrintError(f"Chromium stopped (exit code {self.process.poll()})")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)


def _fcntl_dup(fd: int) -> int:
    import fcntl

    return fcntl.fcntl(fd, fcntl.F_DUPFD, 10)  # above 10, so neither end is itself fd 3 or 4
