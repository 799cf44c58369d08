"""The two things `diff` and `recheck` compare: a declaration file checked now, or a check as it
was recorded (@SEQ, PRODUCT for its latest check, PRODUCT~N for the Nth before it)."""

from __future__ import annotations

import re
from pathlib import Path

from compliance.errors import SourceError, ToolError
from compliance.register.diff import Side
from compliance.register.records import MAX_SEQ, Record

_REF = re.compile(r"^(?:@(?P<seq>\d+)|(?P<product>[a-z0-9]+(?:-[a-z0-9]+)*)(?:~(?P<back>\d+))?)$")


def is_record_ref(text: str) -> bool:
    return bool(_REF.fullmatch(text)) and not Path(text).exists()


def side_from_file(path: Path, pack) -> Side:
    from compliance.declaration.load import read_bytes
    from compliance.pipeline import check_bytes
    from compliance.report.json import file_result

    display = path.as_posix()
    try:
        raw = read_bytes(path, display)
    except SourceError as exc:
        raise ToolError(str(exc)) from None
    kind = "json" if path.suffix.lower() == ".json" else "yaml"
    result = check_bytes(raw, display, kind, pack)
    return Side(display, _without_gate(file_result(result, False, "en")), _data(raw, display, kind), tuple(pack.packs))


def side_from_record(body: dict, label: str) -> Side:
    """A recorded check (its body, repeats resolved) as it was recorded."""
    return Side(label, body["result"], declaration_data(body), tuple(tuple(pack) for pack in body["packs"]))


def side_from_result(body: dict, result, packs, label: str) -> Side:
    """A recorded declaration (its check record's body) judged again now, for recheck."""
    from compliance.report.json import file_result

    return Side(label, _without_gate(file_result(result, False, "en")), declaration_data(body), tuple(packs))


def declaration_data(body: dict):
    """The data of the declaration a check record keeps, or None if it does not parse."""
    declaration = body["declaration"]
    return _data(declaration["content"].encode("utf-8"), declaration["path"], declaration["format"])


def find_check(register, ref: str) -> Record:
    """The recorded check a reference names."""
    match = _REF.fullmatch(ref)
    if match is None:
        raise ToolError(f"{ref}: no such file, and not a recorded check (@SEQ, PRODUCT or PRODUCT~N)")
    if match["seq"]:
        record = register.record(int(match["seq"])) if int(match["seq"]) <= MAX_SEQ else None
        if record is None or record.kind != "check":
            raise ToolError(f"{ref}: the register has no check record {match['seq']}")
        return record
    checks = [r for r in register.records(match["product"], "check")]
    back = int(match["back"] or 0)
    if not checks:
        raise ToolError(f"{ref}: no such file, and no recorded check of product {match['product']!r}")
    if back >= len(checks):
        raise ToolError(f"{ref}: product {match['product']!r} has only {len(checks)} recorded checks")
    return checks[-1 - back]


def _data(raw: bytes, display: str, kind: str | None = None):
    from compliance.declaration.load import parse_document

    kind = kind or ("json" if display.lower().endswith(".json") else "yaml")
    try:
        return parse_document(raw, display, kind).data
    except SourceError:
        return None


def _without_gate(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "gate"}
