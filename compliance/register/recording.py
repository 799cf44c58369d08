"""`aicomply check --record`: each declaration's result stored as it streams to the reporters."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from compliance.errors import ToolError
from compliance.models.result import FileResult, RunInfo
from compliance.register.entries import check_body, declaration_text


@dataclass
class Log:
    stored: list[int] = field(default_factory=list)  # sequence numbers of the records written
    skipped: list[str] = field(default_factory=list)  # declarations with no product id to file them under
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, why) of declarations that could not be
    # recorded (changed or gone since they were checked): the run goes on and ends with exit code 2


def recording(results: Iterator[FileResult], info: RunInfo, register, log: Log) -> Iterator[FileResult]:
    """Pass results through, appending a check record for each declaration that names its product."""
    for result in results:
        if result.kind == "declaration":
            if result.product_id and result.sha256:
                try:
                    content = declaration_text(result)
                except ToolError as exc:
                    log.failed.append((result.path, str(exc)))
                    yield result
                    continue
                body = check_body(result, info, content)
                record = register.append("check", result.product_id, _or_repeat(register, result.product_id, body))
                log.stored.append(record.seq)
            else:
                log.skipped.append(result.path)
        yield result


def _or_repeat(register, product: str, body: dict) -> dict:
    """A check that finds exactly what the product's latest full check found (same declaration,
    rules, tool and result) is recorded as a repeat of it: the time it ran and the path it read,
    without a second copy. The path may differ (each CI runner checks out elsewhere): a result
    that names the path anywhere but in its path field is not the same, and is kept whole."""
    latest = register.latest(product, "check", full=True)
    if latest is None:
        return body
    previous = latest.data()
    same = all(previous[key] == body[key] for key in ("packs", "tool")) and \
        previous["declaration"]["sha256"] == body["declaration"]["sha256"] and \
        _without_path(previous["result"]) == _without_path(body["result"])
    if not same:
        return body
    path = body["declaration"]["path"]
    return {"source": body["source"], "same_as": latest.seq,
            **({"path": path} if path != previous["declaration"]["path"] else {})}


def _without_path(result: dict) -> dict:
    return {key: value for key, value in result.items() if key != "path"}
