"""The incentive estimator: which Shenzhen municipal, Qianhai and Longgang measures an applicant
may claim, and at most how much (`aicomply incentives`). Its own models, data and engine; it
shares only the condition language and the file loader with the compliance checker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Report:
    text: str
    notes: tuple[str, ...]  # what reading an older profile version assumed, in the report's language


def estimate_file(path: Path, display: str, on: date, fmt: str, lang: str, stacking: str = "not-allowed",
                  folder: str | None = None) -> Report:
    """The report for one profile file. Raises InvalidProfile for a bad profile, ToolError for bad data."""
    from compliance.incentives.documents import load_documents
    from compliance.incentives.engine import estimate
    from compliance.incentives.profile import read_profile
    from compliance.incentives.report import Context, render

    profile = read_profile(path, display)
    documents = load_documents(folder)
    result = estimate(profile.data, documents, on, stacking)
    text = render(result, Context(documents, profile.data, tuple(profile.notes)), fmt, lang)
    return Report(text, tuple(note(lang) for note in profile.notes))
