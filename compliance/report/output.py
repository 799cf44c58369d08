"""Where reports go: each format to stdout or to its own file, all fed from one pass over results.

Stdout is streamed as results arrive. A file is written to a temporary file beside it and moved
into place only when the run completes, so an interrupted run never leaves half a report.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, TextIO

from compliance.errors import ToolError
from compliance.models.result import FileResult, RunInfo, Tally
from compliance.report import make_reporter


@dataclass(frozen=True)
class Output:
    fmt: str
    path: str | None = None  # None: standard output


def emit(info: RunInfo, results: Iterable[FileResult], outputs: list[Output], lang: str,
         stdout: TextIO | None = None, **options) -> Tally:
    """Feed every result to every output; returns the tally (the exit code is the caller's)."""
    stdout = stdout if stdout is not None else sys.stdout
    sinks = []
    try:
        for output in outputs:
            stream, temporary = (stdout, None) if output.path is None else _open_temporary(output.path)
            reporter_options = options if output.fmt == "text" and output.path is None else {}
            sinks.append((make_reporter(output.fmt, info, lang, **reporter_options), stream, temporary, output))
        for reporter, stream, _, _ in sinks:
            stream.write(reporter.begin())
        tally = Tally()
        for result in results:
            failed = info.failed(result)
            tally.add(result, failed)
            for reporter, stream, _, _ in sinks:
                stream.write(reporter.result(result, failed))
            stdout.flush()
        for reporter, stream, _, _ in sinks:
            stream.write(reporter.end(tally))
        for _, stream, temporary, output in sinks:
            if temporary is not None:
                stream.close()
                os.replace(temporary, output.path)
        return tally
    finally:
        for _, stream, temporary, _ in sinks:
            if temporary is not None and os.path.exists(temporary):
                stream.close()
                os.unlink(temporary)


def _open_temporary(path: str):
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ToolError(f"{target}: folder {directory} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ToolError(f"{target}: cannot write here ({exc.strerror})") from None
    return os.fdopen(handle, "w", encoding="utf-8", newline="\n"), temporary
