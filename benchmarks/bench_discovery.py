"""Cost of finding declarations and of protecting them from the run's outputs, on many files.

    python benchmarks/bench_discovery.py [--files 50000] [--repeat 5]

Generates N small files in folders of 1,000 (plus a symlinked folder and a loop back to the top),
then reports medians over --repeat runs:

  discover     the folder scan a check starts with, per file
  protect      planning one output that already exists against every discovered file (the worst
               case: the report of the last run sits beside the declarations), per file

Run it with PYTHONPATH pointing at another checkout to compare (only `discover` exists before
compliance.gate.discovery). Numbers depend on the machine; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def generate(root: Path, count: int) -> None:
    for index in range(count):
        folder = root / f"team-{index // 1000:03d}"
        if index % 1000 == 0:
            folder.mkdir()
        (folder / f"product-{index:05d}.yaml").write_text("format: aicomply/v1\n", encoding="utf-8")
    (root / "linked").symlink_to(root / "team-000", target_is_directory=True)
    (root / "team-000" / "back").symlink_to(root, target_is_directory=True)


def _median(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aicomply-bench-discovery-") as folder:
        root = Path(folder)
        generate(root, args.files)
        os.chdir(root)
        try:
            from compliance.gate.discovery import discover
        except ImportError:  # a checkout from before gate/discovery.py
            from compliance.pipeline import discover
        found = discover((".",))
        print(f"{args.files} files, {len(found)} found; medians of {args.repeat} runs")
        seconds = _median(lambda: discover((".",)), args.repeat)
        print(f"discover                 {seconds * 1e6 / args.files:8.1f} us/file  ({seconds:.2f} s)")
        try:
            from compliance.files import Protected, plan
        except ImportError:
            return
        report = Path(tempfile.mkdtemp(prefix="aicomply-bench-report-")) / "report.json"  # outside the scan: every
        report.write_text("{}", encoding="utf-8")  # discovered file is compared, none matches

        def protect() -> None:
            files = discover((".",))
            guard = Protected().add_known(((entry.path, entry.identity) for entry in files), "a declaration")
            plan(report, overwrite=True, protected=guard)

        seconds = _median(protect, args.repeat)
        print(f"discover + protect       {seconds * 1e6 / args.files:8.1f} us/file  ({seconds:.2f} s)")
        report.unlink()
        report.parent.rmdir()


if __name__ == "__main__":
    sys.exit(main())
