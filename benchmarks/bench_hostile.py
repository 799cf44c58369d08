"""Time of the hostile inputs of issue 9 (items 15, 19, 20), and the ignore matcher against pathspec.

    python benchmarks/bench_hostile.py [--pathspec-python PYTHON]

  glob          `*a*a*a*a*a*a*a*a*a*a*a*b` against a name of N `a`s: aicomply's matcher, and
                pathspec's own (backend "simple") and its re2 backend when --pathspec-python names
                an interpreter with `pathspec` (and `google-re2`) installed
  glob 50k      three usual patterns against 50,000 paths, same matchers
  conditions    `check` of one example with tests/hostile/pack-exponential (refused at load),
                and evaluating a doubling chain of depth 8 (511 conditions written out)
  load          `check` over tests/hostile/ (every hostile declaration, one run)

Numbers depend on the machine; nothing here is a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATTERN = "*a*a*a*a*a*a*a*a*a*a*a*b"
USUAL = ["drafts/", "*.tmp.yaml", "**/old-*"]
PATHS_50K = [f"dir{i % 50}/sub/product-{i:05d}.yaml" for i in range(50_000)]


def timed(action, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def ours() -> None:
    from compliance.gate.ignore import compile_patterns, ignored

    for n in (28, 40, 4000):
        patterns = compile_patterns([PATTERN])
        print(f"glob       aicomply       {n:>5} a's: {timed(lambda: ignored('a' * n + '.yaml', False, patterns)) * 1e3:9.3f} ms")
    patterns = compile_patterns(USUAL)
    print(f"glob 50k   aicomply                  : {timed(lambda: [ignored(p, False, patterns) for p in PATHS_50K], 3):9.3f} s")


_PATHSPEC = f"""
import time, pathspec
PATHS = [f"dir{{i % 50}}/sub/product-{{i:05d}}.yaml" for i in range(50_000)]
for backend in ("simple", "re2"):
    try:
        spec = pathspec.PathSpec.from_lines("gitwildmatch", [{PATTERN!r}], backend=backend)
    except Exception as exc:
        print(f"glob       pathspec {{backend:6}}: unavailable ({{type(exc).__name__}})"); continue
    for n in ((20, 24, 28) if backend == "simple" else (28, 40, 4000)):
        start = time.perf_counter(); spec.match_file("a" * n + ".yaml")
        print(f"glob       pathspec {{backend:6}} {{n:>5}} a's: {{(time.perf_counter() - start) * 1e3:9.3f}} ms")
    spec = pathspec.PathSpec.from_lines("gitwildmatch", {USUAL!r}, backend=backend)
    start = time.perf_counter(); [spec.match_file(p) for p in PATHS]
    print(f"glob 50k   pathspec {{backend:6}}           : {{time.perf_counter() - start:9.3f}} s")
"""


def conditions() -> None:
    from compliance.declaration.facts import declaration_catalog
    from compliance.evaluate.conditions import ConditionCompiler

    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "compliance", "check", str(ROOT / "examples" / "robotaxi-service.yaml"),
                           "--extra-pack", str(ROOT / "tests" / "hostile" / "pack-exponential")],
                          capture_output=True, text=True, cwd=ROOT)
    print(f"conditions check with pack-exponential   : {time.perf_counter() - start:9.3f} s, exit {done.returncode}")
    definitions = {"d_0": {"fact": "safeguards.logging", "is": False}}
    definitions.update({f"d_{i}": {"any": [{"ref": f"d_{i - 1}"}, {"ref": f"d_{i - 1}"}]} for i in range(1, 9)})
    condition = ConditionCompiler(declaration_catalog(), definitions).compile({"ref": "d_8"}, "bench")
    data = {"safeguards": {"logging": True}}
    print(f"conditions depth 8 evaluate (memoised)   : {timed(lambda: condition.evaluate(data)) * 1e6:9.1f} us")


def load() -> None:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "compliance", "check", "tests/hostile", "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    print(f"load       check tests/hostile           : {time.perf_counter() - start:9.3f} s, exit {done.returncode}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pathspec-python", help="an interpreter with pathspec (and google-re2) installed")
    options = parser.parse_args()
    ours()
    if options.pathspec_python:
        subprocess.run([options.pathspec_python, "-c", _PATHSPEC], check=False)
    conditions()
    load()


if __name__ == "__main__":
    main()
