"""Baselines: adopt aicomply on a large repository without fixing everything first.

`aicomply baseline create` records the fingerprints of today's findings; `check --baseline FILE`
then reports only findings not in it (marked new; SARIF baselineState). Fingerprints name the
product, rule and fact, not the line, so unrelated edits do not make old findings look new.
An invalid declaration still fails the gate whatever the baseline says.

Prohibited behaviour (Art. 72) is never baselined, as it can never be waived: `build` leaves it
out and `apply` reports it even when an older or hand-edited baseline lists it.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from typing import Iterable

from compliance.errors import SourceError, ToolError
from compliance.models.result import FileResult

BASELINE_FILE = ".aicomply-baseline.json"
FORMAT = "aicomply-baseline/v1"


def baselinable(finding) -> bool:
    """Whether a baseline may hide this finding: never prohibited behaviour, and never a waived one
    (the waiver already decides it)."""
    return finding.waiver is None and finding.kind != "prohibited"


def build(results: Iterable[FileResult], tool_version: str, packs) -> str:
    """The baseline file for these results: every finding not covered by a waiver, prohibited
    behaviour (Art. 72) excepted."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule_id": f.rule_id, "product_id": r.product_id, "path": r.path}
         for r in results for f in r.findings if baselinable(f)),
        key=lambda e: (e["path"], e["rule_id"], e["fingerprint"]),
    )
    document = {"format": FORMAT, "tool_version": tool_version,
                "packs": [{"id": pack_id, "version": version} for pack_id, version in packs], "findings": entries}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


class Baseline:
    def __init__(self, fingerprints: frozenset[str], path: str) -> None:
        self.fingerprints = fingerprints
        self.path = path

    @classmethod
    def load(cls, path: str) -> Baseline:
        from compliance.files import read_regular

        if not os.path.lexists(path):
            raise ToolError(f"{path}: no such baseline file (create one with `aicomply baseline create`)")
        try:
            document = json.loads(read_regular(path, path))  # a named pipe is refused, never waited on
        except SourceError as exc:
            raise ToolError(f"{path}: not a readable baseline file ({exc.message})") from None
        except ValueError as exc:
            raise ToolError(f"{path}: not a readable baseline file ({exc})") from None
        except RecursionError:  # json recurses per nesting level; a baseline nests three
            raise ToolError(f"{path}: not a baseline file (nested too deeply); "
                            "create one with `aicomply baseline create`") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(document.get("findings"), list):
            raise ToolError(f"{path}: not an aicomply baseline (format {FORMAT}); create one with `aicomply baseline create`")
        try:
            return cls(frozenset(entry["fingerprint"] for entry in document["findings"]), path)
        except (KeyError, TypeError):
            raise ToolError(f"{path}: a baseline entry lacks its fingerprint") from None

    def apply(self, result: FileResult) -> FileResult:
        """Drop findings the baseline knows and may hide; mark the rest new, or unchanged for
        prohibited behaviour the baseline lists (which it cannot hide)."""
        findings = []
        for finding in result.findings:
            known = finding.fingerprint in self.fingerprints
            if not known:
                findings.append(replace(finding, baseline_state="new"))
            elif finding.kind == "prohibited":
                findings.append(replace(finding, baseline_state="unchanged"))
        return replace(result, findings=tuple(findings))
