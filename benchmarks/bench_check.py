"""Speed and memory of `aicomply check`, against a plain YAML load and against check-jsonschema.

    python benchmarks/bench_check.py [--files 2000] [--repeat 5] [--rss-files 10000] [--no-peer]

It generates N realistic declarations (about 4 KB each, varied from examples/, one in ten made
invalid) in a temporary folder, then reports medians over --repeat runs, measured in one run:

  floor        ruamel.yaml YAML(typ='safe') C load() of every file, in process, per file
  check        aicomply's full check in one process (no report), per file
  cli -j1      `aicomply check DIR --format json --jobs 1` as a process, per file, start-up included
  cli          the same with the default --jobs (one worker per core)
  peer         `check-jsonschema --schemafile schemas/declaration-v2.schema.json FILES`, per file:
               schema validation only, installed in the benchmark's own venv (benchmarks/_work)
  cold start   one file, aicomply and the peer
  peak RSS     `aicomply check` over --rss-files files, largest process (parent or worker)

Numbers depend on the machine; compare ratios. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
SCHEMA = ROOT / "schemas" / "declaration-v2.schema.json"


def generate(folder: Path, count: int, seed: int = 20261124, invalid_share: float = 0.1) -> list[Path]:
    """Declarations varied from the bundled examples; about one in ten is invalid on purpose."""
    from ruamel.yaml import YAML

    from compliance.declaration.load import read_document

    rng = random.Random(seed)
    templates = [read_document(p, p.name).data for p in sorted((ROOT / "examples").glob("*.yaml"))]
    yaml = YAML(typ="safe", pure=False)
    yaml.default_flow_style = None  # flow style for leaf mappings, as people write them
    yaml.width = 120
    paths = []
    for index in range(count):
        data = _vary(rng.choice(templates), index, rng)
        if rng.random() < invalid_share:
            _break(data, rng)
        path = folder / f"product-{index:05d}.yaml"
        with path.open("w", encoding="utf-8") as stream:
            yaml.dump(data, stream)
        paths.append(path)
    return paths


def _vary(template: dict, index: int, rng: random.Random) -> dict:
    data = copy.deepcopy(template)
    data["product"]["id"] = f"product-{index:05d}"
    data["product"]["version"] = f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    data["scope"]["reach"] = rng.choice([40, 900, 52000, 480000, 1_500_000, 12_000_000, "unknown"])
    data["scope"]["audience"] = rng.choice([["internal"], ["business"], ["public"], ["public", "government"]])
    data["autonomy"]["significant_effects"] = rng.choice([True, False, False, "unknown"])
    data["autonomy"]["level"] = rng.choice(["advisory", "human_in_the_loop", "human_on_the_loop", "fully_autonomous"])
    data["practices"]["pricing"]["personalised"] = rng.choice([True, False, False])
    data["safeguards"]["ex_ante_assessment"]["done"] = rng.choice([True, False])
    data["safeguards"]["tracking_plan"]["in_place"] = rng.choice([True, True, False])
    data["product"].pop("description", None)
    for item in data["attestation"].values():
        if isinstance(item, dict) and "engages" in item:
            item["note"] = rng.choice(["Reviewed by counsel.", "Not applicable to this product.", "See the risk assessment."])
    return data


def _break(data: dict, rng: random.Random) -> None:
    kind = rng.choice(["typo", "enum", "type"])
    if kind == "typo":
        data["scenaro"] = data.pop("scenario")
    elif kind == "enum":
        data["provider"]["district"] = "shekou"
    else:
        data["scope"]["reach"] = "many"


def _median(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _aicomply() -> list[str]:
    installed = shutil.which("aicomply", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "compliance"]


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT)) if not shutil.which("aicomply", path=str(Path(sys.executable).parent)) else dict(os.environ)


def _peer(with_clib: bool) -> Path | None:
    """check-jsonschema in the benchmark's own venv, installed on first use: as `pip install
    check-jsonschema` gives it (ruamel.yaml 0.19 without its C parser), or with ruamel.yaml.clib."""
    target = WORK / ("peer-venv-clib" if with_clib else "peer-venv")
    command = target / "bin" / "check-jsonschema"
    if not command.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(target)
        packages = ["check-jsonschema"] + (["ruamel.yaml.clib"] if with_clib else [])
        done = subprocess.run([str(target / "bin" / "pip"), "install", "--quiet", *packages],
                              stderr=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            print("check-jsonschema could not be installed; peer comparison skipped")
            return None
    return command


def _run(command: list[str], env=None) -> None:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)


def _peak_rss_mb(command: list[str], env) -> float:
    """Largest resident set of the command or any of its children (KB on Linux)."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True, env=env, check=True)
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rss-files", type=int, default=10_000)
    parser.add_argument("--no-peer", action="store_true", help="skip check-jsonschema")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    from ruamel.yaml import YAML

    from compliance.evaluate.checklists import load_pack
    from compliance.declaration.load import yaml_backend
    from compliance.pipeline import check_file

    folder = Path(tempfile.mkdtemp(prefix="aicomply-bench-"))
    env = _env()
    try:
        paths = generate(folder, args.files)
        n = len(paths)
        sizes = [p.stat().st_size for p in paths]
        print(f"{n} declarations, median {statistics.median(sizes) / 1024:.1f} KB, {os.cpu_count()} cores, "
              f"YAML backend {yaml_backend()}; medians of {args.repeat} runs\n")

        loader = YAML(typ="safe", pure=False)
        pack = load_pack()
        floor = _median(lambda: [loader.load(p.read_bytes()) for p in paths], args.repeat)
        check = _median(lambda: [check_file(p, p.name, pack) for p in paths], args.repeat)
        base = _aicomply() + ["check", str(folder), "--format", "json", "--output", str(folder.parent / "bench.json")]
        cli_single = _median(lambda: _run(base + ["--jobs", "1"], env), args.repeat)
        cli_default = _median(lambda: _run(base, env), args.repeat)
        one = _aicomply() + ["check", str(paths[0])]
        cold = _median(lambda: _run(one, env), max(args.repeat, 9))

        def line(label: str, seconds: float, note: str = "") -> None:
            print(f"{label:<34} {seconds / n * 1e6:8.0f} us/file  {note}")

        line("floor: ruamel C load()", floor)
        line("aicomply check, in process", check, f"{check / floor:.2f}x floor")
        line("aicomply check --jobs 1 (process)", cli_single, f"{cli_single / floor:.2f}x floor")
        line("aicomply check (default jobs)", cli_default, f"{cli_default / floor:.2f}x floor")
        print(f"{'cold start, aicomply, one file':<34} {cold * 1e3:8.0f} ms")

        for with_clib in (() if args.no_peer else (False, True)):
            peer = _peer(with_clib)
            if peer is None:
                continue
            label = "check-jsonschema" + (" + clib" if with_clib else " (pip default)")
            peer_command = [str(peer), "--schemafile", str(SCHEMA)] + [str(p) for p in paths]
            peer_s = _median(lambda: _run(peer_command), args.repeat)
            peer_cold = _median(lambda: _run([str(peer), "--schemafile", str(SCHEMA), str(paths[0])]), max(args.repeat, 9))
            line(f"{label}, schema only", peer_s)
            print(f"{'cold start, ' + label:<34} {peer_cold * 1e3:8.0f} ms")
            print(f"  ratios to {label}: full check with default jobs {cli_default / peer_s:.2f} (target <= 0.5), "
                  f"cold start {cold / peer_cold:.2f} (target <= 0.6)")
        print(f"single process / floor = {cli_single / floor:.2f} (target <= 1.0)")

        if args.rss_files:
            big = folder.parent / f"{folder.name}-rss"
            big.mkdir()
            for index in range(args.rss_files):  # copies are as good as new files for memory
                shutil.copy(paths[index % n], big / f"p-{index:05d}.yaml")
            out = str(folder.parent / "rss.json")
            for label, extra in (("--jobs 1", ["--jobs", "1"]), ("default jobs", [])):
                peak = _peak_rss_mb(_aicomply() + ["check", str(big), "--format", "json", "--output", out] + extra, env)
                print(f"peak RSS, {args.rss_files} files, {label:<12} {peak:8.1f} MB (largest process; target < 100)")
            shutil.rmtree(big, ignore_errors=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
