"""How a record body is stored: its canonical JSON compressed with zlib and a fixed preset
dictionary (data/body-dictionary-v1.txt: the texts rule results repeat, so a full check record
of ~17 KB is kept in ~4 KB). The hash covers the canonical text, never these bytes, so the
storage can change without touching the chain.

Stored bytes start with a format byte; the dictionary of a released format never changes.
"""

from __future__ import annotations

import zlib
from functools import cache
from importlib import resources

ZLIB_DICT_V1 = 1


@cache
def _dictionary() -> bytes:
    return resources.files("compliance.register").joinpath("data/body-dictionary-v1.txt").read_bytes()


def pack(text: str) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, _dictionary())
    return bytes([ZLIB_DICT_V1]) + compressor.compress(text.encode("utf-8")) + compressor.flush()


def unpack(stored: bytes | memoryview | str) -> str:
    """The canonical text of a stored body (a register of schema 1 kept it as text)."""
    if isinstance(stored, str):
        return stored
    stored = bytes(stored)
    if stored[:1] != bytes([ZLIB_DICT_V1]):
        raise ValueError(f"unknown body storage format {stored[:1].hex() or 'empty'}")
    decompressor = zlib.decompressobj(15, _dictionary())
    return (decompressor.decompress(stored[1:]) + decompressor.flush()).decode("utf-8")
