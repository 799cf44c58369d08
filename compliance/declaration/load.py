"""Bytes to data that remembers where every key came from.

YAML is composed into nodes with ruamel's C parser and walked here, which is cheaper than
ruamel's own ``load()`` and gives line numbers for free. JSON is parsed by the standard
library and located by a small tokenizer. Both refuse what would hide or distort a declared
fact: duplicate keys, merge keys, non-UTF-8 bytes, alias bombs, absurd nesting or size.

Every refusal is a SourceError with the file, line and column and a hint of what to do.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.errors import Location, SourceError

Path_ = tuple[str | int, ...]  # a path into the document: keys and list indices


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 1 << 20  # a real declaration is a few KB
    max_depth: int = 64  # a declaration nests about six levels
    max_nodes: int = 100_000  # after alias expansion; a billion-laughs bomb stops here


DEFAULT_LIMITS = Limits()

# libyaml's composer recurses in C and crashes the process near 100,000 levels. We only hand it
# text whose nesting is provably below this bound; anything else is first checked event by event.
_SAFE_COMPOSE_DEPTH = 2_000


@dataclass(frozen=True)
class Document:
    """A parsed file: the plain data, where each path sits (1-based line, column), its digest."""

    path: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(repr=False)
    sha256: str

    def locate(self, path: Path_) -> tuple[int, int] | None:
        """Line and column of `path`, or of its nearest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


def yaml_backend() -> str:
    """'C' when ruamel's libyaml binding is importable, else 'pure' (about five times slower)."""
    try:
        from _ruamel_yaml import CParser  # noqa: F401  (shipped by ruamel.yaml.clib)
    except ImportError:
        return "pure"
    return "C"


def read_document(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read and parse one declaration or rule file; the format follows the suffix."""
    kind = "json" if path.suffix.lower() == ".json" else "yaml"
    return parse_document(read_bytes(path, display, limits), display, kind, limits)


def read_bytes(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A file's bytes, refusing folders, named pipes and devices, unreadable files and files over the
    size limit."""
    from compliance.files import read_regular

    raw = read_regular(path, display, limits.max_bytes)
    if len(raw) > limits.max_bytes:
        raise SourceError(
            f"file is larger than the {limits.max_bytes // 1024} KiB limit for a declaration; "
            "a declaration is a few KB, check that this is the right file",
            Location(display, 1, 1),
        )
    return raw


def parse_document(raw: bytes, display: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse bytes already in memory. `kind` is 'yaml' or 'json'."""
    digest = hashlib.sha256(raw).hexdigest()
    text = _decode(raw, display)
    if not text.strip():
        raise SourceError("file is empty; start from `aicomply init`", Location(display, 1, 1))
    if kind == "json":
        data, positions = _parse_json(text, display, limits)
    else:
        data, positions = _parse_yaml(text, raw, display, limits)
    if _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(data, positions, display)
    return Document(display, data, positions, digest)


# Whole numbers beyond a 64-bit integer are no real count and break what reads them later (Python
# will not even print an integer of more than 4,300 digits).
MAX_INTEGER = 2**63 - 1
_MAX_INTEGER_DIGITS = len(str(MAX_INTEGER))


class _NumberOutOfRange(ValueError):
    pass


def _bounded_int(literal: str, value: int | None = None) -> int:
    """The integer a literal writes, refused when beyond a 64-bit integer (checked before
    converting, so a literal of thousands of digits costs nothing)."""
    digits = literal.lstrip("+-").replace("_", "")
    if value is None:
        if len(digits.lstrip("0")) > _MAX_INTEGER_DIGITS:
            raise _NumberOutOfRange(literal)
        value = int(literal.replace("_", ""), 10)
    if abs(value) > MAX_INTEGER:
        raise _NumberOutOfRange(literal)
    return value


def _bounded_float(literal: str) -> float:
    value = float(literal.replace("_", ""))
    if value in (float("inf"), float("-inf")):  # a finite literal too large for a float
        raise _NumberOutOfRange(literal)
    return value


def _out_of_range(literal: str) -> str:
    shown = literal if len(literal) <= 24 else f"{literal[:12]}...{literal[-4:]} ({len(literal)} characters)"
    return (f"number {shown} is out of range: aicomply reads whole numbers up to "
            f"{MAX_INTEGER:,} and finite decimals; write the real figure")


# A JSON or YAML escape that can produce half of a UTF-16 surrogate pair.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(data: Any, positions: dict, display: str) -> None:
    """A lone surrogate (an escape such as \\ud800 without its pair) is no character: it cannot
    be written as UTF-8, so every report and document of the file would fail. Refuse it here."""
    for path, text in _strings(data, ()):
        if _SURROGATE.search(text):
            line, column = _locate(positions, path)
            # The path may hold the surrogate itself (in a key): show it as its escape.
            where = ".".join(map(str, path)).encode("utf-8", "backslashreplace").decode("utf-8") or "the document"
            raise SourceError(
                f"{where}: text holds a lone surrogate escape (such as \\ud800 without its pair), "
                "which is not a character; write the character itself or remove the escape",
                Location(display, line, column),
            )


def _strings(node: Any, path: Path_):
    """Every key and text value with the path that locates it."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path + (key,), key
            yield from _strings(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, path + (index,))
    elif isinstance(node, str):
        yield path, node


def _locate(positions: dict, path: Path_) -> tuple[int | None, int | None]:
    for end in range(len(path), -1, -1):
        found = positions.get(tuple(path[:end]))
        if found is not None:
            return found
    return None, None


def _decode(raw: bytes, display: str) -> str:
    if b"\x00" in raw:
        line, column = _line_col(raw, raw.index(b"\x00"))
        raise SourceError(
            "binary file (contains NUL bytes); a declaration is UTF-8 text",
            Location(display, line, column),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_col(raw, exc.start)
        raise SourceError(
            f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8",
            Location(display, line, column),
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


# --------------------------------------------------------------------------------------- YAML
#
# ruamel's own tag resolution runs a regular expression per scalar in Python and costs more than
# the parse itself. We let the parser mark plain scalars and resolve them below, by the YAML 1.2
# core schema, which is also what keeps `yes`, `no` and `on` as text.

_PLAIN = "?"
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _PlainResolver:
    """Resolver hooks the ruamel parsers call; tags only what the walker needs."""

    def resolve(self, kind, value, implicit):
        name = kind.__name__
        if name == "ScalarNode":
            return _PLAIN if implicit[0] else _STR
        return _SEQ if name == "SequenceNode" else _MAP

    def descend_resolver(self, *args):
        pass

    def ascend_resolver(self, *args):
        pass


_LOADER_CLASS = None


def _loader_class():
    """A composer that takes text and gives nodes: libyaml when present, else pure Python."""
    global _LOADER_CLASS
    if _LOADER_CLASS is None:
        if yaml_backend() == "C":
            from _ruamel_yaml import CParser

            class CLoader(_PlainResolver, CParser):
                pass

            _LOADER_CLASS = CLoader
        else:
            from ruamel.yaml.composer import Composer
            from ruamel.yaml.parser import Parser
            from ruamel.yaml.reader import Reader
            from ruamel.yaml.scanner import Scanner

            class PureLoader(_PlainResolver):
                def __init__(self, text):
                    self.reader = Reader(text, loader=self)
                    self.scanner = Scanner(loader=self)
                    self.parser = Parser(loader=self)
                    self.composer = Composer(loader=self)
                    self.resolver = self

                def get_single_node(self):
                    return self.composer.get_single_node()

                def get_event(self):
                    return self.parser.get_event()

                def dispose(self):
                    self.parser.dispose()

            _LOADER_CLASS = PureLoader
    return _LOADER_CLASS


def _parse_yaml(text: str, raw: bytes, display: str, limits: Limits):
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if _nesting_bound(raw) > _SAFE_COMPOSE_DEPTH:
        _check_depth_by_events(text, display, limits)
    loader = _loader_class()(text)
    try:
        root = loader.get_single_node()
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceError(_yaml_message(exc), _mark_location(display, mark)) from None
    except YAMLError as exc:  # marks are missing on a few reader errors
        raise SourceError(f"YAML error: {str(exc).splitlines()[0]}", Location(display)) from None
    finally:
        loader.dispose()
    if root is None:
        raise SourceError(
            "file holds no YAML document (only comments?); start from `aicomply init`",
            Location(display, 1, 1),
        )
    walker = _NodeWalker(display, limits)
    data = walker.walk(root, (), 0)
    return data, walker.positions


def _nesting_bound(raw: bytes) -> int:
    """An upper bound on nesting depth, cheap to compute.

    Flow nesting needs a '[' or '{' per level; block nesting needs at least one more column per
    two levels, so it is bounded by twice the longest line.
    """
    longest = max(map(len, raw.split(b"\n")))
    return raw.count(b"[") + raw.count(b"{") + 2 * (longest + 1)


def _check_depth_by_events(text: str, display: str, limits: Limits) -> None:
    from ruamel.yaml.error import MarkedYAMLError

    loader = _loader_class()(text)
    depth = 0
    try:
        while True:
            event = loader.get_event()
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > limits.max_depth:
                    raise SourceError(_too_deep(limits), _mark_location(display, event.start_mark))
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
            elif name == "StreamEndEvent":
                return
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceError(_yaml_message(exc), _mark_location(display, mark)) from None
    finally:
        loader.dispose()


def _too_deep(limits: Limits) -> str:
    return f"nesting deeper than {limits.max_depth} levels; a declaration needs about six"


def _mark_location(display: str, mark) -> Location:
    if mark is None:
        return Location(display)
    return Location(display, mark.line + 1, mark.column + 1)


def _yaml_message(exc) -> str:
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if "expected a single document" in str(exc.context or ""):
        return "more than one YAML document ('---'); put one declaration per file"
    if "found character '\\t'" in problem or "cannot start any token" in problem:
        return f"YAML syntax error: {problem} (tabs cannot indent YAML; use spaces)"
    if "found undefined alias" in problem:
        return f"YAML error: {problem}; define the anchor (&name) before using it"
    return f"YAML syntax error: {problem}"


_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {
    ".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
    "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
    "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
}


def _resolve_plain(value: str):
    """A plain scalar by the YAML 1.2 core schema (plus '_' digit separators, as ruamel allows)."""
    if value in _NULLS:
        return None
    first = value[0]
    if first in "tTfF":
        return _BOOLS.get(value, value)
    if first in "0123456789+-.":
        if _INT.fullmatch(value):
            if value.startswith(("0o", "0x")):
                return _bounded_int(value, int(value, 0))  # bases of powers of two convert in linear time
            return _bounded_int(value)
        if _FLOAT.fullmatch(value):
            return _bounded_float(value)
        if value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]
    return value  # dates stay text: the schema checks them


_EXPLICIT_TAGS = {
    _STR: str,
    "tag:yaml.org,2002:null": lambda v: None,
    "tag:yaml.org,2002:bool": lambda v: _BOOLS[v],
    "tag:yaml.org,2002:int": lambda v: (_bounded_int(v, int(v, 0)) if v.startswith(("0o", "0x"))
                                        else _bounded_int(v)),
    "tag:yaml.org,2002:float": lambda v: _SPECIAL_FLOATS.get(v) or _bounded_float(v),
}


class _NodeWalker:
    """Turns composed nodes into dicts, lists and scalars, recording each path's position."""

    def __init__(self, display: str, limits: Limits) -> None:
        self.display = display
        self.limits = limits
        self.positions: dict[Path_, tuple[int, int]] = {(): (1, 1)}
        self.nodes = 0

    def _where(self, node) -> Location:
        return _mark_location(self.display, node.start_mark)

    def walk(self, node, path: Path_, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise SourceError(
                f"document expands to more than {self.limits.max_nodes} values "
                "(YAML aliases); write the values out instead of using anchors",
                self._where(node),
            )
        kind = node.id
        tag = node.ctag.suffix  # the raw tag; Node.tag would URI-decode it on every access
        if kind == "scalar":
            if tag == _PLAIN:
                try:
                    return _resolve_plain(node.value)
                except _NumberOutOfRange:
                    raise SourceError(_out_of_range(node.value), self._where(node)) from None
            convert = _EXPLICIT_TAGS.get(tag)
            if convert is None:
                raise SourceError(
                    f"YAML tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed; "
                    "a declaration holds plain text, numbers, booleans, lists and mappings",
                    self._where(node),
                )
            try:
                return convert(node.value)
            except _NumberOutOfRange:
                raise SourceError(_out_of_range(node.value), self._where(node)) from None
            except (ValueError, KeyError):
                raise SourceError(
                    f"{node.value!r} is not a valid {tag.rsplit(':', 1)[-1]}", self._where(node)
                ) from None
        if depth >= self.limits.max_depth:
            raise SourceError(_too_deep(self.limits), self._where(node))
        if kind == "sequence" and tag == _SEQ:
            return self._walk_sequence(node, path, depth)
        if kind == "mapping" and tag == _MAP:
            return self._walk_mapping(node, path, depth)
        raise SourceError(f"YAML tag {tag} is not allowed here", self._where(node))

    def _walk_sequence(self, node, path: Path_, depth: int) -> list:
        items = []
        for index, child in enumerate(node.value):
            child_path = path + (index,)
            mark = child.start_mark
            self.positions.setdefault(child_path, (mark.line + 1, mark.column + 1))
            items.append(self.walk(child, child_path, depth + 1))
        return items

    def _walk_mapping(self, node, path: Path_, depth: int) -> dict:
        result: dict[str, Any] = {}
        first_seen: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                raise SourceError("a key must be plain text, not a list or mapping", self._where(key_node))
            if key_node.ctag.suffix == _PLAIN and key_node.value == "<<":
                raise SourceError(
                    "merge keys (<<) are not supported: they hide which fact comes from where; "
                    "write the fields out",
                    self._where(key_node),
                )
            key = key_node.value
            if key in first_seen:
                first = first_seen[key].start_mark.line + 1
                raise SourceError(
                    f"duplicate key {key!r} at line {key_node.start_mark.line + 1} "
                    f"(first at line {first}); a repeated key silently hides a declared fact, keep one",
                    self._where(key_node),
                )
            first_seen[key] = key_node
            child_path = path + (key,)
            mark = key_node.start_mark
            self.positions.setdefault(child_path, (mark.line + 1, mark.column + 1))
            result[key] = self.walk(value_node, child_path, depth + 1)
        return result


# --------------------------------------------------------------------------------------- JSON

_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


class _DuplicateKey(Exception):
    pass


def _parse_json(text: str, display: str, limits: Limits):
    positions = _JsonLocator(text, display, limits).scan()

    def reject_duplicates(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise _DuplicateKey(key)
            result[key] = value
        return result

    def reject_constant(name):
        raise ValueError(f"{name} is not valid JSON")

    try:
        data = json.loads(text, object_pairs_hook=reject_duplicates, parse_constant=reject_constant,
                          parse_int=_bounded_int, parse_float=_bounded_float)
    except json.JSONDecodeError as exc:
        raise SourceError(_json_syntax(exc.msg), Location(display, exc.lineno, exc.colno)) from None
    except _NumberOutOfRange as exc:  # the locator finds these first; this is the backstop
        raise SourceError(_out_of_range(exc.args[0]), Location(display)) from None
    except _DuplicateKey as exc:  # the locator finds duplicates first; this is the backstop
        raise SourceError(f"duplicate key {exc.args[0]!r}; keep one", Location(display)) from None
    except ValueError as exc:  # NaN or Infinity, which JSON does not have
        found = re.search(r"-?\b(NaN|Infinity)\b", text)
        line, column = _line_col(text.encode(), len(text[: found.start()].encode())) if found else (None, None)
        raise SourceError(f"JSON error: {exc}; write a number or null", Location(display, line, column)) from None
    except RecursionError:
        raise SourceError(_too_deep(limits), Location(display)) from None
    return data, positions


_JSON_HINTS = {
    "Invalid \\escape": "a backslash starts an escape: write \\\\ for a backslash (C:\\\\data)",
    "Invalid \\uXXXX escape": "\\u takes exactly four hexadecimal digits",
    "Invalid control character": "write a tab as \\t and a line break as \\n inside quotes",
}


def _json_syntax(problem: str) -> str:
    hint = next((text for start, text in _JSON_HINTS.items() if problem.startswith(start)), None)
    problem = problem.removesuffix(" at")  # json's "Invalid control character at"
    return f"JSON syntax error: {problem}" + (f"; {hint}" if hint else "")


_NUMBER_START = frozenset("-0123456789")


class _JsonLocator:
    """Records the line and column of every key and list item, rejects duplicates and depth.

    It is lenient about syntax: on anything malformed it stops and lets json.loads report.
    """

    def __init__(self, text: str, display: str, limits: Limits) -> None:
        self.text = text
        self.display = display
        self.limits = limits
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def _line_col(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_left(self.newlines, offset)
        line_start = self.newlines[index - 1] + 1 if index else 0
        return index + 1, offset - line_start + 1

    def scan(self) -> dict[Path_, tuple[int, int]]:
        positions: dict[Path_, tuple[int, int]] = {(): (1, 1)}
        # Each frame: [is_object, path, next_index_or_current_key, keys_seen, expecting_key]
        stack: list[list] = []
        for match in _JSON_TOKEN.finditer(self.text):
            token, offset = match.group(), match.start()
            top = stack[-1] if stack else None
            if token in ",:":
                if top is not None and token == ",":
                    if top[0]:
                        top[4] = True
                    else:
                        top[2] += 1
                continue
            if token in "}]":
                if not stack:
                    break
                stack.pop()
                continue
            if top is not None and top[0] and top[4]:  # an object key
                if not token.startswith('"'):
                    break
                try:
                    key = json.loads(token)
                except json.JSONDecodeError as exc:
                    line, column = self._line_col(offset + exc.pos)
                    raise SourceError(_json_syntax(exc.msg), Location(self.display, line, column)) from None
                if key in top[3]:
                    line, column = self._line_col(offset)
                    raise SourceError(
                        f"duplicate key {key!r} at line {line} (first at line {top[3][key]}); "
                        "a repeated key silently hides a declared fact, keep one",
                        Location(self.display, line, column),
                    )
                top[3][key] = self._line_col(offset)[0]
                top[2] = key
                top[4] = False
                positions.setdefault(top[1] + (key,), self._line_col(offset))
                continue
            if token[0] in _NUMBER_START and (len(token) > _MAX_INTEGER_DIGITS or "e" in token or "E" in token):
                self._check_number(token, offset)
            value_path = () if top is None else top[1] + (top[2],)
            if top is not None and not top[0]:
                positions.setdefault(value_path, self._line_col(offset))
            if token in "{[":
                if len(stack) >= self.limits.max_depth:
                    line, column = self._line_col(offset)
                    raise SourceError(_too_deep(self.limits), Location(self.display, line, column))
                stack.append([token == "{", value_path, 0, {}, token == "{"])
        return positions

    def _check_number(self, token: str, offset: int) -> None:
        """A long number literal: refuse it here, where its line is known, if out of range."""
        try:
            if re.fullmatch(r"-?(0|[1-9][0-9]*)", token):
                _bounded_int(token)
            elif re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?", token):
                _bounded_float(token)
        except _NumberOutOfRange:
            line, column = self._line_col(offset)
            raise SourceError(_out_of_range(token), Location(self.display, line, column)) from None
