"""Writing files safely: atomically, and never over an existing file unless asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from compliance.errors import AicomplyError, ToolError


class FileExists(AicomplyError):
    """The target exists and overwriting was not asked for."""


def write_atomic(path: str | Path, text: str | bytes, overwrite: bool = False) -> None:
    """Write text (or the bytes of a Word or PDF document) to path via a temporary file in the same
    folder, so readers never see half a file.

    Without `overwrite`, an existing file is left untouched and FileExists is raised.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ToolError(f"{target}: folder {directory} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ToolError(f"{target}: cannot write here ({exc.strerror})") from None
    try:
        binary = isinstance(text, bytes)
        with (os.fdopen(handle, "wb") if binary else os.fdopen(handle, "w", encoding="utf-8", newline="\n")) as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(temporary, target)
        else:
            _link_new(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _link_new(temporary: str, target: Path) -> None:
    """Publish temporary at target only if target does not exist (atomically where links work)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise FileExists(str(target)) from None
    except OSError:  # no hard links here: fall back to an exclusive create
        try:
            with open(target, "xb") as stream, open(temporary, "rb") as source:
                stream.write(source.read())
        except FileExistsError:
            raise FileExists(str(target)) from None
