"""The incentive estimator: which Shenzhen municipal, Qianhai and Longgang measures an enterprise
may claim, and at most how much (`aicomply incentives`). Its own models, data and engine; it
shares only the condition language and the file loader with the compliance checker."""

from __future__ import annotations

from datetime import date
from pathlib import Path


def estimate_file(path: Path, display: str, on: date, fmt: str, lang: str, folder: str | None = None) -> str:
    """The report for one profile file. Raises InvalidProfile for a bad profile, ToolError for bad data."""
    from compliance.incentives.documents import load_documents
    from compliance.incentives.engine import estimate
    from compliance.incentives.profile import read_profile
    from compliance.incentives.report import render

    profile = read_profile(path, display)
    documents = load_documents(folder)
    return render(estimate(profile, documents, on), documents, profile, fmt, lang)
