"""`aicomply incentives init`: a commented enterprise profile to fill in, from templates/init/."""

from __future__ import annotations

from compliance import resources
from compliance.files import write_atomic


def scaffold(lang: str = "en") -> str:
    return (resources.templates_dir() / "init" / f"profile.{lang}.yaml").read_text(encoding="utf-8")


def write_scaffold(path: str, text: str) -> None:
    """Never over an existing file (FileExists)."""
    write_atomic(path, text, overwrite=False)
