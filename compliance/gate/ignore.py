"""`.gitignore`-style patterns: which files a folder scan skips.

Supported: `*`, `**`, `?`, a trailing `/` (folders only), a leading `/` or an inner `/` (anchored
to the base folder), `!` to take a file back, `#` comments. The last matching pattern decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IGNORE_FILE = ".aicomplyignore"


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    negated: bool
    folders_only: bool


def compile_patterns(lines: list[str]) -> tuple[Pattern, ...]:
    patterns = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = line[1:] if negated else line
        folders_only = line.endswith("/")
        line = line.rstrip("/")
        anchored = line.startswith("/") or "/" in line
        line = line.lstrip("/")
        body = _translate(line)
        prefix = "" if anchored else "(?:.*/)?"
        # \Z, not $: `$` also matches before a final newline, so "a.yaml" would ignore "a.yaml\n".
        patterns.append(Pattern(re.compile(f"^{prefix}{body}\\Z", re.DOTALL), negated, folders_only))
    return tuple(patterns)


def _translate(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
        i += 1
    return "".join(out)


def ignored(relative: str, is_folder: bool, patterns: tuple[Pattern, ...]) -> bool:
    """Whether a path (posix, relative to the base folder) is ignored."""
    decision = False
    for pattern in patterns:
        if pattern.folders_only and not is_folder:
            continue
        if pattern.regex.match(relative):
            decision = not pattern.negated
    return decision
