"""Fuzzing `check` and `render` (issue 9, "Done when"): mutated YAML and JSON bytes, and random
Unicode in every free-text field of a valid declaration, through every report format and both
document formats. Never an internal error, every report written and well-formed: JSON parses,
SARIF validates against its schema, JUnit parses as XML, HTML nests properly.

Deterministic (derandomize=True) and bounded, so it runs in CI in well under a minute.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from compliance.cli import main
from conftest import EXAMPLES, ROOT

SARIF = jsonschema.Draft7Validator(json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")))
SOURCES = {name: (EXAMPLES / name).read_bytes() for name in ("cv-screener.yaml", "ride-hailing-dynamic-pricing.yaml")}
FILE_FORMATS = {"json": "json", "jsonl": "jsonl", "sarif": "sarif", "junit": "xml", "markdown": "md", "github": "annotations"}
FUZZ = settings(max_examples=25, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Pieces a mutation splices in: YAML and JSON syntax, escapes, controls, bad bytes.
SPLICES = [b"\x00", b"\xff", b"\xed\xa0\x80", b"\"", b"'", b"{", b"}", b"[", b"]", b": ", b"\n", b"\t", b"- ", b"&a ",
           b"*a", b"!!python/object ", b"<<: ", b"\\u12", b"\"\\ud800\"", b"9" * 30, b"0x" + b"f" * 40, b"1e999",
           b"\r\x1b[2K", b"\xe2\x80\xae", b"---\n", b"#", b"%YAML 1.1\n", b"~", b".nan", b"<img src=x>", b"**x**"]


def mutate(raw: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    data = bytearray(raw)
    for position, kind, choice in edits:
        at = position % (len(data) + 1)
        if kind == 0:
            data[at:at] = SPLICES[choice % len(SPLICES)]
        elif kind == 1:
            del data[at:at + 1 + choice % 8]
        elif kind == 2 and at < len(data):
            data[at] = choice % 256
        else:
            del data[at:]
    return bytes(data)


edits = st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 3), st.integers(0, 255)), min_size=1, max_size=6)


class _Nesting(HTMLParser):
    """Fails on an end tag that does not close the innermost open element."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:] or 'nothing'}"
        self.open.pop()


def assert_html_nests(text: str) -> None:
    parser = _Nesting()
    parser.feed(text)
    parser.close()
    assert parser.open == [], parser.open


def check_everything(runner, folder: Path, files: list[Path]) -> None:
    """`check` in every format (text to stdout, the rest to files), then the reports' shape."""
    reports = folder / "reports"
    reports.mkdir(exist_ok=True)
    args = ["check", *map(str, files), "--no-waivers"]
    for fmt, suffix in FILE_FORMATS.items():
        args += ["--format", fmt, "-o", str(reports / f"report.{suffix}")]
    result = runner.invoke(main, args + ["--format", "text"])
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert "internal error" not in result.output and "could not check this file" not in result.output
    report = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert len(report["results"]) == len(files)
    for line in (reports / "report.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)
    SARIF.validate(json.loads((reports / "report.sarif").read_text(encoding="utf-8")))
    assert len(ET.fromstring((reports / "report.xml").read_bytes()).findall("testsuite")) == len(files)
    assert (reports / "report.md").read_text(encoding="utf-8").count("\r") == 0
    assert (reports / "report.annotations").is_file() and result.stdout


def render_everything(runner, folder: Path, declaration: Path) -> None:
    for fmt in ("md", "html"):
        out = folder / f"docs-{fmt}"
        out.mkdir(exist_ok=True)
        result = runner.invoke(main, ["render", str(declaration), "--out", str(out), "--lang", "both", "--format", fmt,
                                      "--date", "2026-11-24", "--force"])
        assert result.exit_code in (0, 1), (result.exit_code, result.output)
        assert "internal error" not in result.output
        written = sorted(out.iterdir())
        if result.exit_code == 1:
            assert written == []  # an invalid declaration: nothing written
            continue
        assert written
        for path in written:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".html":
                assert_html_nests(text)
            elif path.suffix == ".json":
                json.loads(text)


@FUZZ
@given(source=st.sampled_from(sorted(SOURCES)), as_json=st.booleans(), changes=edits)
def test_mutated_bytes_never_break_check(runner, tmp_path_factory, source, as_json, changes):
    folder = tmp_path_factory.mktemp("fuzz")
    raw = SOURCES[source]
    if as_json:
        from compliance.declaration.load import parse_document

        raw = json.dumps(parse_document(raw, source, "yaml").data, indent=1).encode()
    path = folder / f"mutated.{'json' if as_json else 'yaml'}"
    path.write_bytes(mutate(raw, changes))
    shutil_copy = folder / "good.yaml"
    shutil_copy.write_bytes(SOURCES["cv-screener.yaml"])  # the run goes on past the bad file
    check_everything(runner, folder, [path, shutil_copy])
    render_everything(runner, folder, path)


# ------------------------------------------------------------- random text in every text field

def _free_text_paths() -> list[tuple]:
    """Paths of the CV screener's string fields that take any text (a probe keeps it valid)."""
    from compliance.declaration.load import parse_document
    from compliance.declaration.validate import schema_issues

    data = parse_document(SOURCES["cv-screener.yaml"], "cv.yaml", "yaml").data
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + (index,))
        elif isinstance(node, str):
            found.append(path)

    walk(data, ())
    free = []
    for path in found:
        probe = _replaced(data, path, "Free text: ü 人 \u202e <b>*x*</b>")
        if not schema_issues(probe):
            free.append(path)
    return free


def _replaced(data, path, value):
    copy = json.loads(json.dumps(data))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


FREE_TEXT = _free_text_paths()


def test_the_probe_found_the_free_text_fields():
    names = {".".join(map(str, path)) for path in FREE_TEXT}
    assert {"product.name.en", "product.name.zh", "provider.name.en", "scenario.purpose.en", "scenario.purpose.zh"} <= names
    assert len(FREE_TEXT) >= 15


@FUZZ
@given(texts=st.lists(st.text(min_size=1, max_size=40), min_size=len(FREE_TEXT), max_size=len(FREE_TEXT)),
       as_json=st.booleans())
def test_random_unicode_in_every_text_field(runner, tmp_path_factory, texts, as_json):
    from compliance.declaration.load import parse_document

    folder = tmp_path_factory.mktemp("fuzz-text")
    data = parse_document(SOURCES["cv-screener.yaml"], "cv.yaml", "yaml").data
    for path, text in zip(FREE_TEXT, texts):
        data = _replaced(data, path, text)
    path = folder / f"texts.{'json' if as_json else 'yaml'}"
    path.write_text(json.dumps(data, ensure_ascii=as_json, indent=1), encoding="utf-8")  # JSON is YAML too
    check_everything(runner, folder, [path])
    render_everything(runner, folder, path)
    report = json.loads((folder / "reports" / "report.json").read_text(encoding="utf-8"))
    if report["results"][0]["risk_level"] is not None:
        text_report = runner.invoke(main, ["check", str(path), "--no-waivers"]).stdout
        assert re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text_report) is None


@pytest.mark.parametrize("changes", [[(0, 3, 0)], [(40, 0, 0)], [(100, 0, 11)]])
def test_mutations_of_note(runner, tmp_path, changes):
    """Three fixed mutations, so a failure of the fuzzers above has a readable twin: an empty file,
    a NUL byte, a stray flow bracket."""
    path = tmp_path / "m.yaml"
    path.write_bytes(mutate(SOURCES["cv-screener.yaml"], changes))
    check_everything(runner, tmp_path, [path])
