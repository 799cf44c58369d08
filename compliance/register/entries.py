"""What each kind of record says: pure builders from results and command-line input to bodies.

A check record keeps the declaration itself (so it can be re-evaluated when the rules change),
the rule packs and tool version that judged it, and the result in the JSON report's form
(schemas/report-v1.schema.json, English texts; the gate is left out: it depends on --fail-on).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from compliance.errors import ToolError
from compliance.models.result import FileResult, RunInfo


def check_body(result: FileResult, info: RunInfo, content: str, source: str = "check") -> dict:
    from compliance.report.json import file_result

    body = file_result(result, False, "en")
    del body["gate"]
    return {
        "source": source,
        "declaration": {"path": result.path, "sha256": result.sha256, "content": content,
                        "format": "json" if result.path.lower().endswith(".json") else "yaml"},
        "packs": [list(pack) for pack in info.packs],
        "tool": info.tool_version,
        "result": body,
    }


def declaration_text(result: FileResult) -> str:
    """The bytes the result was made from, read again and matched by digest."""
    try:
        raw = Path(result.path).read_bytes()
    except OSError as exc:
        raise ToolError(f"{result.path}: cannot read it again to record it ({exc.strerror or exc})") from None
    if hashlib.sha256(raw).hexdigest() != result.sha256:
        raise ToolError(f"{result.path}: changed while it was being checked; run the check again to record it")
    return raw.decode("utf-8-sig")


def document_body(rendered) -> dict:
    return {"document": rendered.document, "lang": rendered.lang, "path": rendered.path, "sha256": rendered.sha256,
            "declaration_sha256": rendered.declaration_sha256, "date": rendered.date}


def incident_body(severity: str, summary: str, occurred: str, details: str | None, reporter: str | None) -> dict:
    return {"severity": severity, "summary": summary, "occurred": occurred, "details": details, "reported_by": reporter}


def review_body(reviewed: str, reviewer: str, outcome: str, next_due: str | None) -> dict:
    return {"date": reviewed, "reviewer": reviewer, "outcome": outcome, "next_due": next_due}
