"""Ignore patterns match as .gitignore does, in time about linear in the path (issue 9, item 20).

`--exclude '*a*a*a*a*a*a*a*a*a*a*a*b'` on a file named with 40 `a`s took over 60 s: the pattern
became a regular expression that backtracked through every way of placing the stars.
"""

from __future__ import annotations

import json
import shutil
from functools import lru_cache

from hypothesis import given, settings, strategies as st

from compliance.cli import main
from compliance.gate.ignore import compile_patterns, ignored
from conftest import EXAMPLES, ROOT

HOSTILE_PATTERN = "*a*a*a*a*a*a*a*a*a*a*a*b"
HOSTILE_NAME = "a" * 40 + ".yaml"


def reference(pattern: str, path: str, is_folder: bool) -> bool:
    """A slow, plainly correct matcher: .gitignore semantics over whole path components."""
    negated = pattern.startswith("!")
    pattern = pattern[1:] if negated else pattern
    if pattern.endswith("/") and not is_folder:
        return False
    pattern = pattern.rstrip("/")
    anchored = pattern.startswith("/") or "/" in pattern
    pattern = pattern.lstrip("/")
    if not pattern:
        return False
    if not anchored:
        return _component(pattern, path.rsplit("/", 1)[-1])
    parts = [p for p in pattern.split("/") if p]
    names = path.split("/")

    @lru_cache(maxsize=None)
    def match(i: int, j: int) -> bool:
        if i == len(parts):
            return j == len(names)
        if parts[i] == "**":
            if i == len(parts) - 1:
                return j < len(names)  # x/**: something inside
            return any(match(i + 1, k) for k in range(j, len(names) + 1))
        return j < len(names) and _component(parts[i], names[j]) and match(i + 1, j + 1)

    return match(0, 0)


def _component(glob: str, name: str) -> bool:
    @lru_cache(maxsize=None)
    def match(i: int, j: int) -> bool:
        if i == len(glob):
            return j == len(name)
        if glob[i] == "*":
            return match(i + 1, j) or (j < len(name) and match(i, j + 1))
        return j < len(name) and (glob[i] == "?" or glob[i] == name[j]) and match(i + 1, j + 1)

    return match(0, 0)


segments = st.lists(st.sampled_from(["a", "b", "*", "?", "**", "/", "a*b", "*a*"]), min_size=1, max_size=7)
paths = st.lists(st.text(alphabet="ab", min_size=1, max_size=4), min_size=1, max_size=5).map("/".join)


@settings(max_examples=600, derandomize=True, deadline=None)
@given(pattern=segments.map("".join), path=paths, is_folder=st.booleans())
def test_patterns_match_like_the_reference(pattern, path, is_folder):
    assert ignored(path, is_folder, compile_patterns([pattern])) == reference(pattern, path, is_folder)


def test_known_patterns():
    cases = [("*.json", "a/b/c.json", False, True), ("/top.yaml", "sub/top.yaml", False, False),
             ("docs/**/draft-*.yaml", "docs/draft-1.yaml", False, True), ("x/**", "x", True, False),
             ("x/**", "x/y/z.yaml", False, True), ("**/a/**/b", "q/a/r/s/b", False, True),
             ("**/a/**/b", "q/b/r/a", False, False), ("foo**bar", "foo/bar", False, False),  # ** inside a name is *
             (HOSTILE_PATTERN, HOSTILE_NAME, False, False), (HOSTILE_PATTERN, "a" * 40 + "b", False, True)]
    for pattern, path, folder, expected in cases:
        assert ignored(path, folder, compile_patterns([pattern])) is expected, (pattern, path)
        assert reference(pattern, path, folder) is expected, (pattern, path)


def test_a_backtracking_pattern_on_a_long_name(runner, tmp_path, monkeypatch):
    """Both ways in: --exclude and .aicomplyignore. (Before the fix each run took minutes.)"""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "products"
    folder.mkdir()
    shutil.copy(EXAMPLES / "internal-code-assistant.yaml", folder / HOSTILE_NAME)
    shutil.copy(EXAMPLES / "cv-screener.yaml", folder / ("a" * 40 + "b"))  # not a declaration suffix: never read
    excluded = runner.invoke(main, ["check", "products", "--exclude", HOSTILE_PATTERN, "--format", "json"])
    assert excluded.exit_code == 0, excluded.output
    assert [r["path"] for r in json.loads(excluded.stdout)["results"]] == [f"products/{HOSTILE_NAME}"]
    hostile = (ROOT / "tests" / "hostile" / "backtracking.aicomplyignore").read_text(encoding="utf-8")
    assert HOSTILE_PATTERN in hostile.splitlines()
    (folder / ".aicomplyignore").write_text(hostile, encoding="utf-8")
    kept = runner.invoke(main, ["check", "products", "--format", "json"])
    assert [r["path"] for r in json.loads(kept.stdout)["results"]] == [f"products/{HOSTILE_NAME}"]
    (folder / ".aicomplyignore").write_text(hostile + "*a*a*a*a*a*a*a*a*a*a*a*.yaml\n", encoding="utf-8")
    ignoring = runner.invoke(main, ["check", "products"])
    assert ignoring.exit_code == 2 and "no declaration files" in ignoring.stderr  # the last line ignores it
