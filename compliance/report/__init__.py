"""Reporters: each turns streamed results into one format. They only read what they are given.

A reporter is made with the run's RunInfo and a language, then called once with `begin()`, once
per file with `result(file_result, failed)` and once with `end(tally)`; each call returns the text
to write. Results are not kept, so memory stays flat however many files a run checks.
"""

from __future__ import annotations

from typing import Iterable, Protocol

from compliance.models.result import FileResult, RunInfo, Tally


class Reporter(Protocol):
    def begin(self) -> str: ...

    def result(self, result: FileResult, failed: bool) -> str: ...

    def end(self, tally: Tally) -> str: ...


# Each format's reporter, imported on use: a run pays only for the formats it writes.
_REPORTERS = {
    "text": ("compliance.report.text", "TextReporter"),
    "json": ("compliance.report.json", "JsonReporter"),
    "jsonl": ("compliance.report.json", "JsonLinesReporter"),
    "sarif": ("compliance.report.sarif", "SarifReporter"),
    "junit": ("compliance.report.junit", "JunitReporter"),
    "github": ("compliance.report.github", "GithubReporter"),
    "markdown": ("compliance.report.github", "MarkdownReporter"),
}


def _reporter_class(fmt: str) -> type:
    from importlib import import_module

    module, name = _REPORTERS[fmt]
    return getattr(import_module(module), name)


# --format choices; a test checks every choice has a reporter.
FORMATS = tuple(_REPORTERS)


def make_reporter(fmt: str, info: RunInfo, lang: str = "en", **options) -> Reporter:
    return _reporter_class(fmt)(info, lang, **options)


def render(fmt: str, info: RunInfo, results: Iterable[FileResult], lang: str = "en", **options) -> str:
    """The whole report as one string (tests, golden files, small runs)."""
    reporter = make_reporter(fmt, info, lang, **options)
    tally = Tally()
    parts = [reporter.begin()]
    for result in results:
        failed = info.failed(result)
        tally.add(result, failed)
        parts.append(reporter.result(result, failed))
    parts.append(reporter.end(tally))
    return "".join(parts)
