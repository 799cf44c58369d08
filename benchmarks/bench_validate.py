"""Speed of schema validation: per declaration in process, one hostile list, and cold start.

    python benchmarks/bench_validate.py [--files 2000] [--repeat 5] [--huge 90000] [--cold 30]

It measures whichever `compliance` the running Python imports (it prints which), so the same
script measures two versions: run it with each version's venv.

  validate       schema_issues(data) for N generated declarations (benchmarks/bench_check.py's
                 generator, one in ten invalid), parsed beforehand; median of --repeat runs, per file
  findings       validate_declaration(document): the same plus wording every problem in en and zh
  huge list      `aicomply check` of one declaration whose scope.audience has --huge distinct
                 items (issue 9, item 18), CPU seconds of the process; stopped after --huge-timeout
  cold start     `aicomply check one.yaml` (a valid example): wall and CPU time, median and
                 minimum of --cold runs; what `python -X importtime` says jsonschema_rs costs in
                 that run; and whether commands that validate nothing import it

Times are given as wall and as CPU time of the process: on a busy machine wall time mostly
measures the other processes.

Numbers depend on the machine and its load; compare the two versions on one machine.
Nothing here is a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench_check():
    """The declaration generator of bench_check.py, loaded by path (benchmarks/ is no package)."""
    spec = importlib.util.spec_from_file_location("bench_check", ROOT / "benchmarks" / "bench_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _median_seconds(action, repeat: int) -> tuple[float, float]:
    """Median wall and median CPU seconds of the action (CPU time suffers less from a busy machine)."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return statistics.median(walls), statistics.median(cpus)


def _aicomply() -> list[str]:
    installed = shutil.which("aicomply", path=str(Path(sys.executable).parent))
    return [installed] if installed else [sys.executable, "-m", "compliance"]


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def in_process(folder: Path, files: int, repeat: int) -> None:
    from compliance.declaration.load import read_document
    from compliance.declaration.validate import schema_issues, validate_declaration

    paths = _bench_check().generate(folder, files)
    documents = [read_document(p, p.name) for p in paths]
    invalid = sum(1 for d in documents if schema_issues(d.data))
    for d in documents[:50]:  # warm up: compile the schema, load the library
        validate_declaration(d)
    n = len(documents)

    def line(label: str, seconds: tuple[float, float], note: str = "") -> None:
        wall, cpu = seconds
        print(f"  {label:<42} {wall / n * 1e6:7.1f} us wall {cpu / n * 1e6:7.1f} us CPU per declaration{note}")

    print(f"{n} declarations ({invalid} invalid), median of {repeat} runs")
    line("validate  schema_issues(data)", _median_seconds(lambda: [schema_issues(d.data) for d in documents], repeat))
    line("findings  validate_declaration(document)", _median_seconds(lambda: [validate_declaration(d) for d in documents], repeat))
    if importlib.util.find_spec("jsonschema_rs") and importlib.util.find_spec("compliance.declaration.schema"):
        from importlib.metadata import version

        from compliance.declaration.facts import DECLARATION_SCHEMA
        from compliance.declaration.schema import compiled

        validator = compiled(DECLARATION_SCHEMA).validator
        line("library   jsonschema_rs is_valid alone", _median_seconds(lambda: [validator.is_valid(d.data) for d in documents], repeat),
             f"  (jsonschema-rs {version('jsonschema-rs')})")


def huge_list(folder: Path, items: int, timeout: float) -> None:
    text = (ROOT / "examples" / "cv-screener.yaml").read_text(encoding="utf-8")
    start = text.index("  audience:")
    end = text.index("\n", start)
    audience = "  audience: [" + ", ".join(f"a{i}" for i in range(items)) + "]"
    path = folder / "huge-audience.yaml"
    path.write_text(text[:start] + audience + text[end:], encoding="utf-8")
    before = _child_cpu()
    started = time.perf_counter()
    try:
        done = subprocess.run(_aicomply() + ["check", str(path)], capture_output=True, text=True, timeout=timeout)
        outcome = f"exit {done.returncode}"
        last = [line for line in done.stdout.splitlines() if "DECL-SCHEMA" in line][:2]
    except subprocess.TimeoutExpired:
        outcome, last = f"stopped after {timeout:.0f} s", []
    wall = time.perf_counter() - started
    cpu = _child_cpu() - before
    print(f"huge list: scope.audience with {items} distinct items ({path.stat().st_size / 1024:.0f} KB)")
    print(f"  aicomply check: {cpu:8.2f} s CPU, {wall:8.2f} s wall, {outcome}")
    for line in last:
        print(f"    {line.strip()}")


def _modules_without_bytecode() -> int:
    import compliance

    stale = 0
    for source in Path(compliance.__file__).parent.rglob("*.py"):
        cached = Path(importlib.util.cache_from_source(str(source)))
        stale += not cached.exists() or cached.stat().st_mtime < source.stat().st_mtime
    return stale


def cold_start(runs: int) -> None:
    example = ROOT / "examples" / "internal-code-assistant.yaml"
    command = _aicomply() + ["check", str(example)]
    subprocess.run(command, capture_output=True, check=False)  # warm the page cache and the pack cache
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _child_cpu()
        subprocess.run(command, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        cpus.append(_child_cpu() - start_cpu)
    print(f"cold start: `aicomply check {example.name}`, {runs} runs")
    stale = _modules_without_bytecode()
    if stale:
        print(f"  note: {stale} of aicomply's modules have no up-to-date .pyc and are compiled on every start "
              "(an editable install with PYTHONDONTWRITEBYTECODE set); `pip install .` writes them")
    print(f"  wall: median {statistics.median(walls) * 1e3:6.1f} ms  min {min(walls) * 1e3:6.1f} ms;"
          f"  CPU (user+sys): median {statistics.median(cpus) * 1e3:6.1f} ms  min {min(cpus) * 1e3:6.1f} ms")
    script = command[0] if len(command) == 1 else None
    profile = [sys.executable, "-X", "importtime"] + ([script] if script else ["-m", "compliance"]) + command[-2:]
    done = subprocess.run(profile, capture_output=True, text=True, check=False)
    rows = [line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:") and "|" in line]
    total = sum(int(r[0].split(":")[1]) for r in rows[1:] if r[0].split(":")[1].strip().isdigit())
    library = [int(r[1]) for r in rows if r[2].strip() == "jsonschema_rs"]
    print(f"  -X importtime: all imports {total / 1e3:6.1f} ms; jsonschema_rs "
          + (f"{library[0] / 1e3:6.1f} ms (cumulative)" if library else "not imported"))
    for args in (["--version"], ["rules"]):
        probe = ("import sys\nfrom compliance.cli import main\n"
                 f"main({args!r}, standalone_mode=False)\nprint('jsonschema_rs' in sys.modules, file=sys.stderr)")
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
        print(f"  `aicomply {' '.join(args)}` imports jsonschema_rs: {done.stderr.strip().splitlines()[-1:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--huge", type=int, default=90_000, help="items in the hostile list; 0 skips it")
    parser.add_argument("--huge-timeout", type=float, default=900)
    parser.add_argument("--cold", type=int, default=30, help="cold-start runs; 0 skips them")
    args = parser.parse_args()

    import compliance

    print(f"compliance {compliance.__version__} from {Path(compliance.__file__).parent}, "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n")
    folder = Path(tempfile.mkdtemp(prefix="aicomply-bench-validate-"))
    try:
        if args.files:
            in_process(folder, args.files, args.repeat)
        if args.huge:
            huge_list(folder, args.huge, args.huge_timeout)
        if args.cold:
            cold_start(args.cold)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
