"""The one place that knows where schemas/, checklists/ and templates/ live.

In an installed wheel they sit inside the package under _data/ (see pyproject.toml,
force-include); in a source checkout they are the top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Path of a shipped data folder: 'schemas', 'checklists' or 'templates'."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"aicomply data folder {name!r} is missing from this installation")


def schema_path(file_name: str) -> Path:
    return data_dir("schemas") / file_name


def checklists_dir() -> Path:
    return data_dir("checklists")


def templates_dir() -> Path:
    return data_dir("templates")
