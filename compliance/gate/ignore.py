"""`.gitignore`-style patterns: which files a folder scan skips.

Supported: `*`, `**`, `?`, a trailing `/` (folders only), a leading `/` or an inner `/` (anchored
to the base folder), `!` to take a file back, `#` comments. The last matching pattern decides.
As in .gitignore, `**` is special only as a whole path component (`**/x`, `x/**`, `x/**/y`);
elsewhere it is a `*`.

Each pattern is translated once into a regular expression that cannot backtrack exponentially
(a pattern such as `*a*a*a*a*a*a*a*a*a*a*a*b` against a name of 40 `a`s took minutes): between two
stars, the text must sit at its earliest place, and an atomic group `(?>...)` keeps the engine
from trying later ones. Earliest is always right there, because the star after the text can
take whatever a later place would have skipped: a `*` takes anything within the name (the
text cannot hold a `/`), a `**` takes whole folders (the text is whole folders). Only the last
stretch, which must reach the end, is left to ordinary backtracking, so a match costs about the
path's length times the pattern's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IGNORE_FILE = ".aicomplyignore"
_GLOBSTAR = "**"


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    negated: bool
    folders_only: bool
    anchored: bool = True  # False: matched against the last component of the path only


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
        if not line:
            continue
        regex = _path_regex(line) if anchored else _component(line)
        patterns.append(Pattern(re.compile(regex), negated, folders_only, anchored))
    return tuple(patterns)


def _path_regex(glob: str) -> str:
    """A pattern with folders: components joined by `/`, `**` components as any whole folders."""
    items: list[str] = []
    for part in glob.split("/"):
        if part and not (part == _GLOBSTAR and items and items[-1] == _GLOBSTAR):  # **/** is **
            items.append(part)
    out = []
    index = 0
    while index < len(items):
        item = items[index]
        rest = items[index + 1:]
        if item != _GLOBSTAR:
            out.append(_component(item) + ("/" if rest else ""))
        elif not rest:
            out.append("[^/].*" if index else ".+")  # x/**: everything inside x
        elif _GLOBSTAR in rest:
            # Whole folders up to the next **, at their earliest place (that ** takes what is skipped).
            following = rest[:rest.index(_GLOBSTAR)]
            out.append("(?>(?:[^/]*/)*?" + "".join(_component(c) + "/" for c in following) + ")")
            index += len(following)
        else:
            out.append("(?:[^/]*/)*")
        index += 1
    return "".join(out)


def _component(glob: str) -> str:
    """One path component (no `/`): stretches of text between stars, each at its earliest place."""
    stretches = re.split(r"\*+", glob)
    if len(stretches) == 1:
        return _text(glob)
    middle = "".join(f"(?>[^/]*?{_text(stretch)})" for stretch in stretches[1:-1] if stretch)
    return f"{_text(stretches[0])}{middle}[^/]*{_text(stretches[-1])}"


def _text(stretch: str) -> str:
    return "".join("[^/]" if char == "?" else re.escape(char) for char in stretch)


def ignored(relative: str, is_folder: bool, patterns: tuple[Pattern, ...]) -> bool:
    """Whether a path (posix, relative to the base folder) is ignored."""
    decision = False
    name = relative.rsplit("/", 1)[-1]
    for pattern in patterns:
        if pattern.folders_only and not is_folder:
            continue
        if pattern.regex.fullmatch(relative if pattern.anchored else name):
            decision = not pattern.negated
    return decision
