"""A cache of rule packs that passed their checks, so each run need not parse and check them again.

The key covers everything the checks depend on: the bytes of every file in the pack folder, the
bytes of the schemas they were checked against, and the aicomply version. The cache lives in
$AICOMPLY_CACHE_DIR, else $XDG_CACHE_HOME/aicomply, else ~/.cache/aicomply; set
AICOMPLY_CACHE_DIR to an empty string to switch it off. A cache that cannot be read or written is
ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from compliance import __version__

_FORMAT = "pack-cache-1"


def cache_dir() -> Path | None:
    configured = os.environ.get("AICOMPLY_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "aicomply"


def key(directory: Path, schemas: tuple[Path, ...]) -> str:
    digest = hashlib.sha256(f"{_FORMAT}\0{__version__}\0".encode())
    for path in sorted(p for p in directory.iterdir() if p.is_file()) + list(schemas):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def get(cache_key: str) -> dict | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / "packs" / f"{cache_key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def put(cache_key: str, checked: dict) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        from compliance.files import write_atomic

        (folder / "packs").mkdir(parents=True, exist_ok=True)
        write_atomic(folder / "packs" / f"{cache_key}.json", json.dumps(checked, ensure_ascii=False), overwrite=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        return
