"""A cache of rule packs that passed their checks, so each run need not parse and check them again.

The key covers everything the checks depend on: the bytes of every file in the pack folder, the
bytes of the schemas they were checked against, and the aicomply version. The cache lives in
$AICOMPLY_CACHE_DIR, else $XDG_CACHE_HOME/aicomply, else ~/.cache/aicomply; set
AICOMPLY_CACHE_DIR to an empty string to switch it off. A cache that cannot be read or written is
ignored: it only ever saves time.

A cache entry is trusted only with its seal: an HMAC-SHA256 of the entry's key and content under
a random secret kept in the cache folder (`key`, readable by its owner only). An entry that was
edited (a rule deleted by hand, a damaged disk, a file copied in from elsewhere) fails the seal
and the pack is checked again from its files, so a changed cache can cost time but never change
a result. Whoever can read the secret could forge a seal; that is the user who can also change
aicomply itself. A CI cache that restores this folder restores the secret with it: do not share
the folder between jobs you do not trust (or set AICOMPLY_CACHE_DIR to an empty string there).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from compliance import __version__

_FORMAT = "pack-cache-2"  # 2: entries are sealed
_SECRET_FILE = "key"
_SECRET_BYTES = 32


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
    """The cached pack data, or None when absent, unreadable or not sealed by this cache's secret."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        secret = _secret(folder, create=False)
        if secret is None:
            return None
        seal, _, body = (folder / "packs" / f"{cache_key}.json").read_bytes().partition(b"\n")
        if not hmac.compare_digest(seal, _seal(secret, cache_key, body)):
            return None  # changed since it was written: check the pack again
        return json.loads(body.decode("utf-8"))
    except (OSError, ValueError):
        return None


def put(cache_key: str, checked: dict) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        from compliance.files import write_atomic

        secret = _secret(folder, create=True)
        if secret is None:
            return
        body = json.dumps(checked, ensure_ascii=False).encode("utf-8")
        (folder / "packs").mkdir(parents=True, exist_ok=True)
        text = (_seal(secret, cache_key, body) + b"\n" + body).decode("utf-8")
        write_atomic(folder / "packs" / f"{cache_key}.json", text, overwrite=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
        return


def _seal(secret: bytes, cache_key: str, body: bytes) -> bytes:
    return hmac.new(secret, cache_key.encode("ascii") + b"\0" + body, hashlib.sha256).hexdigest().encode("ascii")


def _secret(folder: Path, create: bool) -> bytes | None:
    """This cache's secret; made (owner-only) when `create` and there is none or it is damaged."""
    path = folder / _SECRET_FILE
    try:
        secret = path.read_bytes()
        if len(secret) == _SECRET_BYTES:
            return secret
    except FileNotFoundError:
        pass
    except OSError:
        return None
    if not create:
        return None
    secret = os.urandom(_SECRET_BYTES)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{_SECRET_FILE}.{os.getpid()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(secret)
    try:
        os.link(temporary, path)  # first writer wins; a damaged secret is replaced below
    except FileExistsError:
        if _damaged(path):
            os.replace(temporary, path)
        return _secret(folder, create=False)
    finally:
        if temporary.exists():
            temporary.unlink()
    return secret


def _damaged(path: Path) -> bool:
    try:
        return len(path.read_bytes()) != _SECRET_BYTES
    except OSError:
        return True
