"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), organisation type (1), administrative division (6),
organisation code (9), check character (1). The alphabet leaves out I, O, S, V and Z.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(PATTERN)


def check_char(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015, clause 5: weights 3^i mod 31)."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, _WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    # fullmatch: with match() or search(), `$` also matches before a final newline.
    return bool(_SHAPE.fullmatch(code)) and code[17] == check_char(code[:17])


def has_valid_check_char(code: str) -> bool:
    """False only for a code of the right shape whose check character is wrong."""
    return not _SHAPE.fullmatch(code) or code[17] == check_char(code[:17])
