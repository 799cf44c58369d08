"""Shared fixtures. Tests run against whatever `compliance` is importable: the installed wheel in
CI (.ci/run installs it non-editable), the source tree in a developer checkout."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of a file that contains `needle` (so tests do not pin
    example line numbers that any edit of the example moves)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in {path}")

# Keep the rule-pack cache of the test run away from the user's own cache.
os.environ["AICOMPLY_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="aicomply-test-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium for the browser tests: they skip without it on a developer
    machine, and fail in CI (CI=true), where .ci/run installs it."""
    if CHROMIUM is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is not installed, and CI needs the browser test (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    return CHROMIUM


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
    from compliance.declaration.load import Document
    from compliance.declaration.validate import schema_issues

    issues = schema_issues(data)
    assert not issues, f"test declaration is invalid: {issues[:3]}"
    return evaluate(Document(path, data, {(): (1, 1)}, "0" * 64), pack)


def parse_bytes(raw: bytes, kind: str = "yaml"):
    from compliance.declaration.load import parse_document

    return parse_document(raw, f"input.{kind}", kind)


def untranslated(data) -> list[str]:
    """Paths of free-text fields (those the v2 schema lets take {en, zh}) given in one language only."""
    import json

    from compliance.declaration.facts import declaration_schema

    schema = declaration_schema()
    defs, bilingual = schema["$defs"], {"#/$defs/Bilingual", "#/$defs/ShortBilingual"}

    def options(node):
        while "$ref" in node and node["$ref"] not in bilingual:
            node = defs[node["$ref"].split("/")[-1]]
        if "anyOf" in node:
            return [option for inner in node["anyOf"] for option in options(inner)]
        return [node]

    def walk(value, node, path, found):
        nodes = options(node)
        if any(n.get("$ref") in bilingual for n in nodes):
            if not (isinstance(value, dict) and value.get("en") and value.get("zh")):
                found.append(path)
            return
        for n in nodes:
            if isinstance(value, dict) and "properties" in n:
                for key, inner in value.items():
                    if key in n["properties"]:
                        walk(inner, n["properties"][key], f"{path}.{key}".lstrip("."), found)
                return
            if isinstance(value, list) and "items" in n:
                for index, inner in enumerate(value):
                    walk(inner, n["items"], f"{path}[{index}]", found)
                return

    found: list[str] = []
    walk(json.loads(json.dumps(data, default=str)), schema, "", found)
    return found


# ------------------------------------------------------------------ PostgreSQL for the register

def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server (tests/pgserver.py). Without one the tests that need it skip on a
    developer machine and fail in CI (CI=true), where .ci/run installs it."""
    import pgserver

    bindir = pgserver.binaries()
    if bindir is None:
        if _in_ci():
            pytest.fail("PostgreSQL is not installed, and CI needs the register tests on it (.ci/run installs it)")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed: it is a dependency of aicomply (pip install -e .)")
    server = pgserver.Server(bindir).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    """The register test suite runs once per backend: a fresh register location for each test."""
    import registerbackend

    if request.param == "sqlite":
        return registerbackend.SQLite(tmp_path / "reg" / "register.db")
    return registerbackend.PostgreSQL(request.getfixturevalue("postgres"))
