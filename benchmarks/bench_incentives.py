"""Speed of `aicomply incentives`: the example profile, and the largest profile the schema allows.

    python benchmarks/bench_incentives.py [--repeat 5]

Reports medians over --repeat runs, in one process after a warm-up (data loaded and compiled once):

  example      profiles/example-profile.yaml: read, estimate, text report
  largest      1000 spend items of every kind and 1000 large models (the schema's list limits):
               read, estimate, text report
  cli          `aicomply incentives profiles/example-profile.yaml` as a process, start-up included

Numbers depend on the machine. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "profiles" / "example-profile.yaml"
KINDS = ["compute_rental", "corpus_purchase", "corpus_release", "model_purchase", "demonstration_project", "rd",
         "production", "event", "migration", "platform_investment", "platform_operation", "office_lease"]


def largest_profile() -> dict:
    spend = []
    for n in range(1000):
        kind = KINDS[n % len(KINDS)]
        item = {"id": f"s{n}", "kind": kind, "amount": 1000000 + n, "date": f"2026-{n % 12 + 1:02d}-01",
                "approvals": {"city": True, "longgang": True, "qianhai": "unknown"}, "for_large_model": True,
                "platform": f"p{n % 7}", "project_total": 200000000}
        if kind == "office_lease":
            item.update(area_m2=100, months=12, in_qianhai=True, qianhai_area="qianwan")
        spend.append(item)
    models = [{"id": f"m{n}", "registered_on": f"2025-{n % 12 + 1:02d}-01"} for n in range(1000)]
    return {"format": "aicomply-profile/v2",
            "enterprise": {"name": "Bench Co.", "uscc": "91440300MA5FUTUREJ", "entity_type": "enterprise",
                           "district": "longgang", "qianhai_operations": True, "qianhai_since": "2025-01-01",
                           "size": "medium", "income": {"year": 2025, "total": 100000000, "ai": 80000000},
                           "main_business": ["ai_software"], "large_models": models},
            "spend": spend}


def timed(action, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from compliance.incentives import estimate_file

    on = date(2026, 11, 24)
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "largest.json"
        big.write_text(json.dumps(largest_profile()), encoding="utf-8")
        estimate_file(EXAMPLE, "example", on, "text", "en")  # warm-up: documents loaded and compiled
        example = timed(lambda: estimate_file(EXAMPLE, "example", on, "text", "en"), args.repeat)
        largest = timed(lambda: estimate_file(big, "largest", on, "text", "en"), args.repeat)
        command = [sys.executable, "-m", "compliance", "incentives", str(EXAMPLE), "--date", "2026-11-24"]
        cli = timed(lambda: subprocess.run(command, check=True, capture_output=True, cwd=ROOT), args.repeat)
    print(f"example   {example * 1000:8.1f} ms")
    print(f"largest   {largest * 1000:8.1f} ms  (1000 spend items, 1000 models)")
    print(f"cli       {cli * 1000:8.1f} ms  (process, start-up included)")


if __name__ == "__main__":
    main()
