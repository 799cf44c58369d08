"""Which files a check reads: the declarations under the paths given.

Folders are searched recursively for files whose names match `include`, case-insensitively
(`Ride.YAML` is a YAML file), skipping hidden folders and files, the config file, and what
`exclude` or a `.aicomplyignore` file in the folder scanned says (.gitignore-style). Symlinked
folders are followed, each folder once: a link back to a folder already searched (a loop, or a
second way to the same folder) is not searched again, so every file is checked once.

Nothing is skipped without a word: a folder that cannot be listed, a file or folder whose name is
not UTF-8 (no report could name it) and a path that cannot be followed come back as entries with
a problem, which the pipeline reports as a DECL-LOAD error of that path. A file named on the
command line is always checked; a path that does not exist is a usage error.
"""

from __future__ import annotations

import os
import stat
from fnmatch import fnmatchcase
from typing import Iterator, NamedTuple

from compliance.errors import SourceError, ToolError
from compliance.files import Identity, printable, read_regular

NOT_DECLARATIONS = {"aicomply.yaml"}  # the config file lives among declarations
DEFAULT_INCLUDE = ("*.yaml", "*.yml", "*.json")


class Found(NamedTuple):
    """One path to check: a file, or (with a problem) a path that cannot be checked."""

    path: str
    display: str  # as reports name it: relative to the working folder when inside it
    identity: Identity | None = None  # (device, inode) when the folder listing gave it for free
    problem: str | None = None  # why it cannot be checked; None: read it
    named: bool = False  # named on the command line (never skipped as an output)


def discover(paths: tuple[str, ...], include: tuple[str, ...] = DEFAULT_INCLUDE,
             exclude: tuple[str, ...] = ()) -> list[Found]:
    """Declaration files under the given paths, sorted by display name, each once."""
    found: dict[str, Found] = {}
    globs = tuple(glob.lower() for glob in include)
    visited: set[Identity] = set()
    for given in paths:
        for entry in _given(given, globs, exclude, visited):
            found.setdefault(entry.display, entry)
    return sorted(found.values(), key=lambda entry: entry.display)


def _given(given: str, globs: tuple[str, ...], exclude: tuple[str, ...], visited: set[Identity]) -> Iterator[Found]:
    try:
        target = os.stat(given)
    except FileNotFoundError:
        if not os.path.lexists(given):
            raise ToolError(f"{given}: no such file or directory") from None
        yield _problem(given, f"is a symlink to {os.readlink(given)}, which does not exist", named=True)
        return
    except OSError as exc:  # a symlink loop, a folder on the way we may not enter
        yield _problem(given, f"cannot read the file ({exc.strerror or exc})", named=True)
        return
    if not stat.S_ISDIR(target.st_mode):
        yield _entry(given, (target.st_dev, target.st_ino), named=True)
        return
    visited.add((target.st_dev, target.st_ino))
    yield from _walk(given, globs, _patterns(given, exclude), visited)


def _patterns(root: str, exclude: tuple[str, ...]):
    from compliance.gate.ignore import IGNORE_FILE, compile_patterns

    lines = list(exclude)
    ignore_file = os.path.join(root, IGNORE_FILE)
    if os.path.lexists(ignore_file):
        try:
            raw = read_regular(ignore_file, ignore_file, 1 << 20)
        except SourceError as exc:  # its patterns cannot be applied: say so rather than check more or less
            raise ToolError(str(exc)) from None
        lines += raw.decode("utf-8", errors="replace").replace("\r\n", "\n").split("\n")  # not at U+2028
    return compile_patterns(lines)


def _walk(root: str, globs: tuple[str, ...], patterns, visited: set[Identity]) -> Iterator[Found]:
    from compliance.gate.ignore import ignored

    stack = [(root, "")]
    while stack:
        folder, base = stack.pop()
        try:
            device = os.stat(folder).st_dev
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda item: item.name)
        except OSError as exc:
            yield _problem(folder, f"cannot read the folder ({exc.strerror or exc}); the files in it were not checked")
            continue
        for item in entries:
            name = item.name
            if name.startswith("."):
                continue
            relative = f"{base}/{name}" if base else name
            try:
                is_folder = item.is_dir()  # follows a symlink
            except OSError:
                is_folder = False
            if is_folder:
                if ignored(relative, True, patterns):
                    continue
                if not _utf8(name):
                    yield _problem(item.path, "the folder name is not UTF-8 (shown with \\x escapes); rename it: "
                                              "the files in it were not checked")
                    continue
                try:
                    folder_stat = item.stat()
                except OSError as exc:
                    yield _problem(item.path, f"cannot read the folder ({exc.strerror or exc}); the files in it "
                                              "were not checked")
                    continue
                identity = (folder_stat.st_dev, folder_stat.st_ino)
                if identity not in visited:  # else a loop, or a folder already searched by another way
                    visited.add(identity)
                    stack.append((item.path, relative))
                continue
            if name in NOT_DECLARATIONS or not any(fnmatchcase(name.lower(), glob) for glob in globs):
                continue
            if ignored(relative, False, patterns):
                continue
            if item.is_symlink():  # its identity is its target's; a dangling link is named as it is
                yield _entry(item.path, None, follow=os.path.exists(item.path))
            else:
                yield _entry(item.path, (device, item.inode()))


def _entry(path: str, identity: Identity | None, named: bool = False, follow: bool = True) -> Found:
    if not _utf8(path):
        return _problem(path, "the file name is not UTF-8 (shown with \\x escapes); rename it so that reports "
                              "can name it", named)
    return Found(path, display(path, follow), identity, None, named)


def _problem(path: str, problem: str, named: bool = False) -> Found:
    return Found(path, display(path, follow=False), None, problem, named)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes come back from the OS as lone surrogates
        return False
    return True


def display(path: str | os.PathLike, follow: bool = True) -> str:
    """A path as the user will read it: relative to the working folder when inside it; bytes that
    are not UTF-8 shown as \\x escapes. `follow=False` names a symlink itself, not what it points at
    (a dangling link, a loop)."""
    text = os.fspath(path)
    if follow:
        real = os.path.realpath(text)  # never raises, even on a symlink loop
    else:
        real = os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(text))), os.path.basename(text))
    here = os.path.realpath(os.getcwd())
    shown = os.path.relpath(real, here) if real == here or real.startswith(here.rstrip(os.sep) + os.sep) else text
    return printable(shown.replace(os.sep, "/"))
