"""Shared fixtures. Tests run against whatever `compliance` is importable: the installed wheel in
CI (.ci/run installs it non-editable), the source tree in a developer checkout."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Keep the rule-pack cache of the test run away from the user's own cache.
os.environ["AICOMPLY_CACHE_DIR"] = tempfile.mkdtemp(prefix="aicomply-test-cache-")


@pytest.fixture(scope="session")
def pack():
    from compliance.evaluate.checklists import load_pack

    return load_pack()


@pytest.fixture(scope="session")
def baseline(pack):
    return pack.baseline


@pytest.fixture()
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture()
def in_repo(monkeypatch):
    """Run with the repository as working directory, so report paths read examples/...."""
    monkeypatch.chdir(ROOT)
    return ROOT


def evaluate_data(data, pack, path="snippet.yaml"):
    """Evaluate a declaration given as data (it must be valid); returns the FileResult."""
    from compliance.evaluate import evaluate
    from compliance.load import Document
    from compliance.validate import schema_issues

    issues = schema_issues(data)
    assert not issues, f"test declaration is invalid: {issues[:3]}"
    return evaluate(Document(path, data, {(): (1, 1)}, "0" * 64), pack)


def parse_bytes(raw: bytes, kind: str = "yaml"):
    from compliance.load import parse_document

    return parse_document(raw, f"input.{kind}", kind)
