"""Reporters: each turns a RunResult into text in one format. They only read the result."""

from __future__ import annotations

from typing import Callable

from compliance.models.result import RunResult
from compliance.report import json as json_report
from compliance.report import text as text_report

Reporter = Callable[[RunResult, str], str]

# --format choices come from this table; a test checks every choice has a reporter.
REPORTER_BY_NAME: dict[str, Reporter] = {
    "text": text_report.render,
    "json": json_report.render,
}
