"""Speed of `aicomply check`, measured against a plain ruamel.yaml load of the same files.

    python benchmarks/bench_check.py [--files 2000] [--repeat 5]

It generates N realistic declarations (about 3 KB each, varied from examples/) in a temporary
folder, then reports medians over --repeat runs:

  floor      ruamel.yaml YAML(typ='safe') C load() of every file, per file
  check      aicomply's full check in one process (read, parse, validate, grade, screen,
             obligations), per file
  cli        `aicomply check DIR --format json` as a process, per file, start-up included
  cold start `aicomply check one.yaml` as a process

Numbers depend on the machine; compare ratios, not absolute times. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(folder: Path, count: int, seed: int = 20261124) -> list[Path]:
    """Declarations varied from the bundled examples: ids, scale, scenarios, practices, evidence."""
    from ruamel.yaml import YAML

    from compliance.load import read_document

    rng = random.Random(seed)
    templates = [read_document(p, p.name).data for p in sorted((ROOT / "examples").glob("*.yaml"))]
    yaml = YAML(typ="safe", pure=False)
    yaml.default_flow_style = None  # flow style for leaf mappings, as people write them
    yaml.width = 120
    paths = []
    for index in range(count):
        data = _vary(rng.choice(templates), index, rng)
        path = folder / f"product-{index:05d}.yaml"
        with path.open("w", encoding="utf-8") as stream:
            yaml.dump(data, stream)
        paths.append(path)
    return paths


def _vary(template: dict, index: int, rng: random.Random) -> dict:
    import copy

    data = copy.deepcopy(template)
    data["product"]["id"] = f"product-{index:05d}"
    data["product"]["version"] = f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    data["scope"]["users"] = rng.choice([40, 900, 52000, 480000, 1_500_000, 12_000_000, "unknown"])
    data["scope"]["audience"] = rng.choice([["internal"], ["business"], ["public"], ["public", "government"]])
    data["autonomy"]["significant_effects"] = rng.choice([True, False, False, "unknown"])
    data["autonomy"]["level"] = rng.choice(["advisory", "human_in_the_loop", "human_on_the_loop", "fully_autonomous"])
    data["practices"]["pricing"]["personalised"] = rng.choice([True, False, False])
    data["safeguards"]["ex_ante_assessment"]["done"] = rng.choice([True, False])
    data["safeguards"]["tracking_plan"]["in_place"] = rng.choice([True, True, False])
    # About 3 KB, like a declaration written without long prose.
    data["product"].pop("description", None)
    for item in data["attestation"].values():
        if isinstance(item, dict):
            item["note"] = rng.choice(["Reviewed by counsel.", "Not applicable to this product.", "See the risk assessment."])
    return data


def _median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    from ruamel.yaml import YAML

    from compliance.evaluate.checklists import load_pack
    from compliance.load import yaml_backend
    from compliance.pipeline import check_file

    folder = Path(tempfile.mkdtemp(prefix="aicomply-bench-"))
    try:
        paths = generate(folder, args.files)
        sizes = [p.stat().st_size for p in paths]
        print(f"{len(paths)} declarations, median {statistics.median(sizes) / 1024:.1f} KB; YAML backend {yaml_backend()}")

        floor_yaml = YAML(typ="safe", pure=False)

        def floor():
            for path in paths:
                floor_yaml.load(path.read_bytes())

        pack = load_pack()

        def check():
            for path in paths:
                check_file(path, path.name, pack)

        n = len(paths)
        floor_s = _median_seconds(floor, args.repeat)
        check_s = _median_seconds(check, args.repeat)
        command = [sys.executable, "-m", "compliance", "check", str(folder), "--format", "json"]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        cli_s = _median_seconds(lambda: subprocess.run(command, stdout=subprocess.DEVNULL, env=env, check=False), args.repeat)
        one = [sys.executable, "-m", "compliance", "check", str(paths[0])]
        cold_s = _median_seconds(lambda: subprocess.run(one, stdout=subprocess.DEVNULL, env=env, check=False), max(args.repeat, 9))

        print(f"floor  ruamel C load()        {floor_s / n * 1e6:8.0f} us/file")
        print(f"check  aicomply in-process    {check_s / n * 1e6:8.0f} us/file   ratio to floor {check_s / floor_s:.2f}")
        print(f"cli    aicomply check DIR     {cli_s / n * 1e6:8.0f} us/file   ratio to floor {cli_s / floor_s:.2f}")
        print(f"cold   aicomply check one     {cold_s * 1e3:8.0f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
