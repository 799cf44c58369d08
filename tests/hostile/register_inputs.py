"""Writes the hostile register exports of this folder (see README.md). Each is an export whose
hash chain is right, so only the checks of what a record holds can refuse it.

    python tests/hostile/register_inputs.py

The records are built with the register's own hash function at fixed times, so the files are
the same on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXPORT = "aicomply-register-export/v1"


def chain(items: list[tuple[str, str, object]], schema: int = 1) -> str:
    """An export of (kind, product, body) records with correct hashes."""
    from compliance.register.records import GENESIS, Record, canonical, record_hash

    prev, lines = GENESIS, []
    for seq, (kind, product, body) in enumerate(items, start=1):
        record = Record(seq, f"2026-01-{seq:02d}T08:00:00.000000Z", kind, product, canonical(body), prev, "")
        record = record.with_hash(record_hash(record))
        lines.append({"seq": seq, "at": record.at, "kind": kind, "product": product, "body": body,
                      "prev": prev, "hash": record.hash})
        prev = record.hash
    header = {"format": EXPORT, "schema": schema, "records": len(lines), "head": prev}
    return "\n".join(canonical(item) for item in [header, *lines]) + "\n"


def check_body(declaration: str, name: str) -> dict:
    """A real check record's body for the declaration text, made by the code `check --record` uses."""
    import hashlib
    import tempfile

    from compliance import __version__
    from compliance.evaluate.checklists import load_rules
    from compliance.models.result import RunInfo
    from compliance.pipeline import check_bytes
    from compliance.register.entries import check_body as build

    rules = load_rules("shenzhen-2022", ())
    raw = declaration.encode("utf-8")
    with tempfile.TemporaryDirectory():
        result = check_bytes(raw, name, "yaml", rules)
    assert result.sha256 == hashlib.sha256(raw).hexdigest()
    body = build(result, RunInfo(__version__, rules.packs, "error"), declaration)
    body["tool"] = "hostile"  # the same bytes whatever version made them
    return body


INCIDENT = {"severity": "low", "summary": "s", "occurred": "2026-01-01", "details": None, "reported_by": None}


def inputs() -> dict[str, str]:
    example = (ROOT / "examples" / "cv-screener.yaml").read_text(encoding="utf-8")
    check = check_body(example, "cv-screener.yaml")
    separators = "\u2028 \u2029 \u0085 \x1c\x1d\x1e \x0b\x0c \r"
    invalid = example.replace("review_interval_months: 6", "review_interval_months: 100000")
    assert invalid != example
    return {
        "register-line-separators.jsonl": chain([
            ("check", "cv-screener", check),
            ("incident", "cv-screener", dict(INCIDENT, summary=f"a{separators}b", details=separators,
                                             reported_by="\u2028")),
            ("review", "cv-screener", {"date": "2026-01-03", "reviewer": f"r{separators}", "outcome": separators,
                                       "next_due": None})]),
        "register-body-hello.jsonl": chain([("check", "cv-screener", {"hello": "world"})]),
        "register-body-same-as-99.jsonl": chain([("check", "cv-screener", {"source": "check", "same_as": 99})]),
        "register-body-list.jsonl": chain([("check", "cv-screener", ["hello"])]),
        "register-schema-99.jsonl": chain([("incident", "cv-screener", INCIDENT)], schema=99),
        "register-review-9999.jsonl": chain([
            ("check", "cv-screener", check),
            ("review", "cv-screener", {"date": "9999-12-31", "reviewer": "r", "outcome": "o", "next_due": None})]),
        "register-interval-100000.jsonl": chain([
            ("check", "cv-screener", check_body(invalid, "cv-screener.yaml"))]),
        "register-deep.jsonl": chain([]).split("\n")[0] + "\n" + "[" * 100_000 + "\n",
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for name, text in inputs().items():
        (HERE / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote tests/hostile/{name}")
