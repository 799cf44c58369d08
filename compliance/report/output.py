"""Where reports go: each format to stdout or to its own file, all fed from one pass over results.

Stdout is streamed as results arrive. Report files are planned before the first result (so a
refusal costs nothing) and staged beside their targets; they are put in place together only when
the run completes, so an interrupted run never leaves half a report. Where a report may be
written is compliance.files' rule, with one addition for `check`: a report aicomply wrote before
is replaced without --force (CI rewrites `-o aicomply.sarif` on every build), while any other
existing file needs --force, and a file the run reads or the register never is written.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from typing import Iterable, TextIO

from compliance.errors import ToolError
from compliance.files import FileExists, Protected, Staged, Target, commit_all, plan_all
from compliance.gate.baseline import FORMAT as BASELINE_FORMAT
from compliance.models.result import FileResult, RunInfo, Tally
from compliance.report import make_reporter


@dataclass(frozen=True)
class Output:
    fmt: str
    path: str | None = None  # None: standard output


def plan_outputs(info: RunInfo, outputs: list[Output], force: bool = False,
                 protected: Protected | None = None) -> list[Target]:
    """Where each report file will go, decided before the first result: never onto a file the run
    reads (info.inputs) or one in `protected` (the register); an existing file only when it is a
    report aicomply wrote, or with `force`."""
    guard = (info.inputs or Protected()).merged(protected)
    try:
        return plan_all([output.path for output in outputs if output.path is not None], overwrite=force,
                        protected=guard, replaceable=written_by_aicomply)
    except FileExists as exc:
        raise ToolError(f"{exc.path}: exists and is not a report aicomply wrote; pass --force to replace it") from None


def emit(info: RunInfo, results: Iterable[FileResult], outputs: list[Output], lang: str,
         stdout: TextIO | None = None, targets: list[Target] | None = None, **options) -> Tally:
    """Feed every result to every output; returns the tally (the exit code is the caller's).

    `targets` are the report files as plan_outputs() decided them (planned here when not given).
    """
    stdout = stdout if stdout is not None else sys.stdout
    if targets is None:
        targets = plan_outputs(info, outputs)
    staged: list[Staged] = []
    try:
        sinks = []
        for output in outputs:
            if output.path is None:
                stream = stdout
            else:
                staged.append(Staged(targets[len(staged)]))
                stream = staged[-1].stream
            reporter_options = options if output.fmt == "text" and output.path is None else {}
            sinks.append((make_reporter(output.fmt, info, lang, **reporter_options), stream))
        for reporter, stream in sinks:
            stream.write(reporter.begin())
        tally = Tally()
        for result in results:
            failed = info.failed(result)
            tally.add(result, failed)
            for reporter, stream in sinks:
                stream.write(reporter.result(result, failed))
            stdout.flush()
        for reporter, stream in sinks:
            stream.write(reporter.end(tally))
    except BaseException:
        for item in staged:
            item.discard()
        raise
    commit_all(staged)
    return tally


# ------------------------------------------------------------------ recognising our own reports

_HEAD_BYTES = 4096
_TEXT_LAST_LINE = re.compile(r"(Gate: (passed|FAILED)|门禁：).*")


def _signatures(head: str, tail: str) -> bool:
    """Whether a file's first and last bytes are those of a report aicomply writes, in any format."""
    first = head.split("\n", 1)[0]
    last = next((line for line in reversed(tail.rstrip("\n").split("\n")) if line.strip()), "")
    return (
        head.startswith('{"$schema":"https://aicomply.dev/schemas/report-v1')  # json
        or (head.startswith('{"$schema":"https://docs.oasis-open.org/sarif/')
            and '"driver":{"name":"aicomply"' in head)  # sarif
        or (head.startswith("<?xml") and '<testsuites name="aicomply"' in head)  # junit
        or head.startswith("## aicomply ")  # markdown
        or _jsonl_line(first)  # jsonl
        or re.match(r"::(error|warning|notice) file=", first) is not None  # github
        or _TEXT_LAST_LINE.fullmatch(last) is not None  # text
        or f'"format": "{BASELINE_FORMAT}"' in head[:200]  # a baseline (baseline create)
    )


_JSONL_LINE = re.compile(r'\{"path":"(?:[^"\\]|\\.)*","kind":"(declaration|waivers)","sha256":')


def _jsonl_line(line: str) -> bool:
    return _JSONL_LINE.match(line) is not None  # a line may be longer than the bytes read


def written_by_aicomply(path: str) -> bool:
    """Whether a regular file holds a report (or baseline) aicomply wrote, or nothing at all: such a
    file is the run's own output, replaced without --force and never read as a declaration."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            return False
        if found.st_size == 0:
            return True
        head = os.read(descriptor, _HEAD_BYTES)
        os.lseek(descriptor, max(0, found.st_size - _HEAD_BYTES), os.SEEK_SET)
        tail = os.read(descriptor, _HEAD_BYTES)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return _signatures(head.decode("utf-8", errors="replace"), tail.decode("utf-8", errors="replace"))
