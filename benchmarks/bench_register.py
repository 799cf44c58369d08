"""Speed of the register: what `--record` adds to a check, and how the reading commands scale.

    python benchmarks/bench_register.py [--copies 200]

Checks examples/ copied --copies times (11 declarations each, product ids made unique) in a
temporary folder, then reports, in one run:

  check        `aicomply check DIR --jobs 1`, per file
  check+record the same with --record into a fresh register, per file (the difference is the
               cost of one hash-chained, fsync'd record)
  verify       `aicomply verify` over every record
  history      `aicomply history` of one product
  due          `aicomply due` over every product
  report       `aicomply report --html`
  export       `aicomply register export`, and `import` into a new register

Numbers depend on the machine and its disk; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def aicomply(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "compliance", *args], env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"aicomply {' '.join(args)} failed:\n{done.stderr}")
    return elapsed


def declarations(folder: Path, copies: int) -> int:
    count = 0
    for copy in range(copies):
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            text = example.read_text(encoding="utf-8")
            text = text.replace("\n  id: ", f"\n  id: c{copy}-", 1)
            (folder / f"c{copy}-{example.name}").write_text(text, encoding="utf-8")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "decl"
        folder.mkdir()
        files = declarations(folder, args.copies)
        db, copy = Path(work) / "r.db", Path(work) / "copy.db"
        plain = aicomply("check", str(folder), "--jobs", "1")
        recorded = aicomply("check", str(folder), "--jobs", "1", "--record", "--db", str(db))
        print(f"{files} declarations, register {db.stat().st_size / 1e6:.1f} MB")
        print(f"check        {plain / files * 1e6:8.0f} us/file")
        print(f"check+record {recorded / files * 1e6:8.0f} us/file  (+{(recorded - plain) / files * 1e6:.0f} us/record)")
        print(f"verify       {aicomply('verify', '--db', str(db)) * 1e3:8.0f} ms")
        print(f"history      {aicomply('history', 'c0-cv-screener', '--db', str(db)) * 1e3:8.0f} ms")
        print(f"due          {aicomply('due', '--db', str(db)) * 1e3:8.0f} ms")
        print(f"report       {aicomply('report', '--html', str(Path(work) / 'p.html'), '--db', str(db)) * 1e3:8.0f} ms")
        export = str(Path(work) / "e.jsonl")
        print(f"export       {aicomply('register', 'export', export, '--db', str(db)) * 1e3:8.0f} ms")
        print(f"import       {aicomply('register', 'import', export, '--db', str(copy)) * 1e3:8.0f} ms")


if __name__ == "__main__":
    main()
