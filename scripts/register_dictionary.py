"""Rebuild compliance/register/data/body-dictionary-v1.txt: the zlib preset dictionary that keeps a
full check record small (compliance/register/codec.py).

    python scripts/register_dictionary.py [--check]

A preset dictionary works by holding text the bodies repeat. This one is made from what a check
record holds, for the case book's 54 declarations: their results (rule titles, messages,
citations, fact names) and the declarations' keys and comments, the most frequent pieces last
(zlib reaches them with the shortest distances), within zlib's 32 KiB window. The bundled
examples are kept out of it, so the sizes printed for them are what an unseen declaration gets.

Once a release has written records with a dictionary, that dictionary never changes: a new one
gets a new format byte in codec.py and the old one stays to read old records. `--check` prints
the stored size of each example's full record with the dictionary in the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "compliance" / "register" / "data" / "body-dictionary-v1.txt"
WINDOW = 32 * 1024
# What differs from record to record inside an otherwise repeated item: cut there.
_VARYING = re.compile(r'"fingerprint":"[0-9a-f]*"|"line":\d+|"column":\d+|"value":[^,}]*')


def _bodies(source: str) -> list[str]:
    """Full check bodies of the case book's declarations ("casebook", what the dictionary is made
    from) or of the bundled examples ("examples", held out: what its effect is measured on)."""
    from compliance.pipeline import RunOptions, run
    from compliance.register.entries import check_body, declaration_text
    from compliance.register.records import canonical

    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        found = (ROOT / "examples").glob("*.yaml") if source == "examples" else \
            (ROOT / "tests" / "casebook").glob("*/declaration.yaml")
        paths = sorted(str(p.relative_to(ROOT)) for p in found)
        info, results = run(RunOptions(paths=tuple(paths), jobs=1))
        return [canonical(check_body(result, info, declaration_text(result)))
                for result in results if result.kind == "declaration"]
    finally:
        os.chdir(previous)


def _pieces(body: str) -> list[str]:
    """The parts of a body that recur across records: each finding, reason, obligation, fact, and
    each line of the declaration's text."""
    data = json.loads(body)
    result, pieces = data["result"], []
    for key in ("findings", "obligations", "reasons", "drivers", "outside_control"):
        for item in result.get(key, ()):
            text = json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            pieces += [part for part in _VARYING.split(text) if len(part) > 8]
    for line in data["declaration"]["content"].splitlines():
        stripped = line.strip()
        if stripped and ":" in stripped:
            pieces.append(json.dumps(line.split(":", 1)[0] + ":", ensure_ascii=False)[1:-1])
        elif stripped.startswith("#"):
            pieces.append(json.dumps(line, ensure_ascii=False)[1:-1])
    return pieces


def build() -> bytes:
    counts = Counter(piece for body in _bodies("casebook") for piece in set(_pieces(body)))
    chosen, size = [], 0
    for piece, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):  # most frequent first
        if count < 2:
            break
        encoded = piece.encode("utf-8") + b"\n"
        if size + len(encoded) > WINDOW:
            continue
        chosen.append(encoded)
        size += len(encoded)
    return b"".join(reversed(chosen))  # ...and most frequent last, nearest the data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only print the stored size of each example's record")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if not args.check:
        TARGET.write_bytes(build())
        print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size} bytes)")
    from compliance.register import codec

    codec._dictionary.cache_clear()
    for source in ("examples", "casebook"):
        bodies = _bodies(source)
        sizes = [len(codec.pack(body)) for body in bodies]
        raw = [len(body.encode("utf-8")) for body in bodies]
        print(f"{source}: a full check record of {min(raw)}-{max(raw)} bytes is stored in {min(sizes)}-{max(sizes)} "
              f"bytes (mean {sum(sizes) // len(sizes)}) over {len(sizes)} declarations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
