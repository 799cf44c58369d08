"""The loader: YAML 1.2 values, positions of every key, JSON located like YAML, limits."""

from __future__ import annotations

import pytest

from compliance.errors import SourceError
from compliance.declaration.load import Limits, parse_document, yaml_backend
from conftest import parse_bytes


def test_yaml_core_schema_values():
    data = parse_bytes(b"a: yes\nb: no\nc: on\nd: 2026-01-02\ne: 0x1f\nf: 1_000\ng: ~\nh: true\ni: '3'\nj: -1.5e3\n").data
    assert data == {"a": "yes", "b": "no", "c": "on", "d": "2026-01-02", "e": 31, "f": 1000, "g": None, "h": True,
                    "i": "3", "j": -1500.0}


def test_positions_of_keys_and_items():
    document = parse_bytes(b"scope:\n  audience:\n    - public\n    - business\n  users: 5\n")
    assert document.positions[("scope",)] == (1, 1)
    assert document.positions[("scope", "audience", 1)] == (4, 7)
    assert document.positions[("scope", "users")] == (5, 3)
    assert document.locate(("scope", "users", "missing")) == (5, 3)


def test_json_positions_match_yaml_positions():
    document = parse_bytes(b'{\n  "scope": {\n    "audience": ["public",\n      "business"],\n    "users": 5}}', "json")
    assert document.data == {"scope": {"audience": ["public", "business"], "users": 5}}
    assert document.positions[("scope", "audience", 1)] == (4, 7)
    assert document.positions[("scope", "users")] == (5, 5)


def test_bom_and_crlf_are_accepted():
    document = parse_bytes("\ufeffa: 1\r\nb:\r\n  c: x\r\n".encode())
    assert document.data == {"a": 1, "b": {"c": "x"}}
    assert document.positions[("b", "c")] == (3, 3)


def test_aliases_within_the_budget_are_expanded():
    data = parse_bytes(b"contact: &c {name: A, email: a@b.cn}\nother: *c\n").data
    assert data["other"] == {"name": "A", "email": "a@b.cn"}


def test_an_alias_that_contains_itself_stops_at_the_depth_limit():
    with pytest.raises(SourceError, match="nesting deeper than"):
        parse_bytes(b"a: &x [1, *x]\n")


def test_limits_are_configurable():
    with pytest.raises(SourceError, match="larger than the 1 KiB limit"):
        from pathlib import Path
        import tempfile

        from compliance.declaration.load import read_document

        with tempfile.NamedTemporaryFile(suffix=".yaml", delete=False) as handle:
            handle.write(b"a: " + b"x" * 2000 + b"\n")
        read_document(Path(handle.name), "big.yaml", Limits(max_bytes=1024))
    with pytest.raises(SourceError, match="nesting deeper than 3"):
        parse_document(b"a: {b: {c: {d: 1}}}\n", "x.yaml", "yaml", Limits(max_depth=3))


def test_digest_is_of_the_bytes():
    import hashlib

    raw = b"a: 1\n"
    assert parse_bytes(raw).sha256 == hashlib.sha256(raw).hexdigest()


def test_the_c_parser_is_installed():
    """ruamel.yaml.clib is a declared dependency: without it parsing is about five times slower."""
    assert yaml_backend() == "C"
