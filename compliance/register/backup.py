"""`aicomply register export FILE.jsonl` and `import`: the register as JSON lines, for backups and
moves. The first line says what the file is; then one record per line, hashes included. Import
checks the whole chain before writing anything and is idempotent: records already present must
match, the rest are appended."""

from __future__ import annotations

import json
from pathlib import Path

from compliance.files import Protected, write_atomic
from compliance.register.interface import RegisterError
from compliance.register.records import (
    RECORD_SCHEMA,
    Record,
    canonical,
    parse_export_line,
    verify,
)

EXPORT_FORMAT = "aicomply-register-export/v1"


def export(register, target: str | Path, force: bool = False) -> tuple[int, str]:
    """Write every record; refuses a register whose chain does not verify. Returns (records, head)."""
    records = list(register.records())
    verdict = verify(records)
    if not verdict.ok:
        raise RegisterError(f"{register.location}: record {verdict.broken_at} does not verify ({verdict.problem}); "
                            "nothing was exported (see `aicomply verify`)")
    header = {"format": EXPORT_FORMAT, "schema": RECORD_SCHEMA, "records": len(records), "head": verdict.head}
    lines = [canonical(header)] + [canonical(record.as_export()) for record in records]
    write_atomic(target, "\n".join(lines) + "\n", overwrite=force, protected=Protected().add_register(getattr(register, "path", None)))
    return len(records), verdict.head


def read_export(path: Path, display: str) -> list[Record]:
    """The records of an export file, with the chain verified; any problem names the line."""
    from compliance.errors import SourceError
    from compliance.files import read_regular

    try:  # a regular file only: a named pipe would block the import forever
        text = read_regular(path, display).decode("utf-8")
    except SourceError as exc:
        raise RegisterError(f"{display}: cannot read the export ({exc.message})") from None
    except UnicodeDecodeError as exc:
        raise RegisterError(f"{display}: cannot read the export ({exc})") from None
    # JSON lines end at "\n" only: text may hold U+2028, U+0085 and others that splitlines() splits on.
    lines = text.split("\n")
    try:
        header = json.loads(lines[0]) if lines else None
    except (ValueError, RecursionError):
        header = None
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise RegisterError(f"{display}:1: not an aicomply register export (expected format {EXPORT_FORMAT})")
    schema = header.get("schema")
    if type(schema) is not int or not 1 <= schema <= RECORD_SCHEMA:
        raise RegisterError(f"{display}:1: the export has register schema {schema!r}; this aicomply reads schema "
                            f"1 to {RECORD_SCHEMA} (upgrade aicomply to import it); nothing was imported")
    records = [parse_export_line(line, number, display) for number, line in enumerate(lines[1:], start=2) if line]
    verdict = verify(records)
    if not verdict.ok:
        raise RegisterError(f"{display}:{verdict.broken_at + 1}: record {verdict.broken_at} does not verify "
                            f"({verdict.problem}); nothing was imported")
    if header.get("records") != len(records) or (records and header.get("head") != verdict.head):
        raise RegisterError(f"{display}: the export is incomplete (the header promises {header.get('records')} "
                            f"records, the file holds {len(records)}); nothing was imported")
    return records
