"""A minimal Chrome DevTools Protocol client for browser tests, with no dependency beyond the
standard library: Chromium runs with --remote-debugging-pipe, reads commands from its fd 3 and
writes responses and events to its fd 4, each message a JSON object ended by a NUL byte. Every
wait has a deadline, so a hung or crashed browser fails the test instead of hanging CI."""

from __future__ import annotations

import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path

TIMEOUT = 30.0


class CDPError(RuntimeError):
    """The browser answered a command with an error, closed the pipe, or did not answer in time."""


class Browser:
    def __init__(self, chromium: str, workdir: Path, timeout: float = TIMEOUT):
        self.timeout = timeout
        self.events: list[dict] = []  # every event seen so far, in order (tests look for console errors here)
        self._next_id = 0
        self._buffer = b""
        cmd_read, self._cmd_write = os.pipe()  # os.pipe() fds are close-on-exec: only the dup2'd
        self._resp_read, resp_write = os.pipe()  # copies below reach Chromium

        def to_fds_3_and_4():  # runs in the child between fork and exec
            # Copy both ends above 10 first: one of them may itself be fd 3 or 4, and dup2'ing the
            # other onto it would close it. os.dup2 makes the targets inheritable.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (cmd_read, resp_write)]
            for target, fd in zip((3, 4), high):
                os.dup2(fd, target)
                os.close(fd)

        self.log = workdir / "chromium.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--lang=en-US", "--window-size=1280,900",  # the page follows navigator.language
                 "--remote-debugging-pipe", f"--user-data-dir={workdir / 'profile'}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                close_fds=False,  # close_fds would shut 3 and 4 after preexec_fn has set them up
                preexec_fn=to_fds_3_and_4,
            )
        os.close(cmd_read)  # the parent keeps only its own ends, so EOF shows when Chromium exits
        os.close(resp_write)

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"no message from Chromium within {self.timeout} s")
            if select.select([self._resp_read], [], [], left)[0]:
                chunk = os.read(self._resp_read, 1 << 16)
                if not chunk:
                    raise CDPError(f"Chromium closed the pipe (exit code {self.process.poll()})")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session_id: str | None = None,
             timeout: float | None = None) -> dict:
        """Run one command and return its result; events arriving meanwhile go to self.events."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session_id:
            message["sessionId"] = session_id
        os.write(self._cmd_write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read_message(deadline)
            if "id" not in reply:
                self.events.append(reply)
            elif reply["id"] == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def wait_for_event(self, name: str, session_id: str | None = None, timeout: float | None = None) -> dict:
        """Remove and return the first event called `name` (already seen, or the next to arrive)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        seen = 0  # events already looked at
        while True:
            for event in self.events[seen:]:
                if event.get("method") == name and (session_id is None or event.get("sessionId") == session_id):
                    self.events.remove(event)
                    return event
            seen = len(self.events)
            self.events.append(self._read_message(deadline))

    def evaluate(self, expression: str, session_id: str):
        """The value of a JavaScript expression in the page; a thrown exception fails the test."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session_id)
        if "exceptionDetails" in result:
            raise CDPError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, x: float, y: float, session_id: str) -> None:
        """A real mouse click (move, press, release) at viewport coordinates, as a user would do."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            moved = kind == "mouseMoved"
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "none" if moved else "left",
                                                   "clickCount": 0 if moved else 1}, session_id)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (CDPError, OSError):
            pass  # already gone, or too hung to answer: the kill below handles both
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self._cmd_write)
        os.close(self._resp_read)
