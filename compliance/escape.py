"""Text from files, made safe to show to a person: characters that act instead of showing are escaped.

A declaration, a rule pack, a waiver, a file name or a register record can hold characters a
terminal or a viewer obeys: a carriage return and ESC [2K rewrite the line before it (a forged
"Gate: passed" under a failing product), C1 controls do the same on some terminals, bidi
overrides reorder what is read. Every piece of such text that reaches a terminal or a human report
goes through `shown`, which writes each of these characters as a visible escape (\\r, \\x1b,
\\u202e). Clean text comes back unchanged, and shown(shown(x)) == shown(x).
"""

from __future__ import annotations

import re

# C0 controls (tab and line breaks too: a value must not start a line of its own), DEL, C1 controls,
# the bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and marks (U+200E, U+200F,
# U+061C), the Unicode line and paragraph separators, lone surrogates (which cannot be written as
# UTF-8) and U+FFFE, U+FFFF (not characters; XML 1.0 forbids them, as it forbids most C0 controls).
_ACTING = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
                     "\ufffe\uffff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def shown(text: object) -> str:
    """`text` (made a string) with every control, bidi and separator character escaped."""
    text = text if isinstance(text, str) else str(text)
    return _ACTING.sub(_escape, text) if _ACTING.search(text) else text


# Markdown that people or GitHub render (a job's step summary, a memo, a document): characters that
# would make text bold, struck, a link, an image, raw HTML, a table cell boundary, a heading or
# maths. A backslash before ASCII punctuation always means the character itself in CommonMark.
_MARKDOWN_ACTIVE = re.compile(r"[\\`*_~\[\]<>&!|$#]")
# GitHub also links bare addresses (https://..., www....): break the pattern it looks for.
_AUTOLINK = re.compile(r":(?=//)|(?<=www)\.", re.IGNORECASE)


def markdown_text(text: object, autolinks: bool = False) -> str:
    """`text` as literal Markdown inline text: shown() first, then every active character escaped.

    Bare addresses are kept from becoming links unless `autolinks` (documents, whose own renderer
    links nothing, keep a provider's published address readable). Bare e-mail addresses may still
    become mailto links on GitHub (it finds them after escapes are resolved); they load nothing.
    """
    escaped = _MARKDOWN_ACTIVE.sub(lambda m: "\\" + m.group(), shown(text))
    return escaped if autolinks else _AUTOLINK.sub(lambda m: "\\" + m.group(), escaped)
