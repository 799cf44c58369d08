"""The register at an organisation's scale: 100,000 records of 200 products, on SQLite or PostgreSQL.

    python benchmarks/bench_register_scale.py [--records 100000] [--products 200]
                                               [--backend sqlite|postgresql|both] [--db URL]

Builds a register as a year of CI runs would: for each product, in turn, checks of five
declaration versions recorded from three runner paths (most are repeats of the check before),
with documents, incidents and reviews between them (a fiftieth of the records each); every
record goes through the register's own append and the recorder's repeat rule. Then times, each
as its own `aicomply` process, with its peak resident memory:

  verify        the whole chain
  due           every product
  report        `report --html`
  history       one product
  recheck       every product's latest declaration judged again

Each line gives wall time, CPU time of the process (the client's only: a PostgreSQL server's
work shows in wall time) and peak resident memory, measured by GNU time (/usr/bin/time). Goals (issue 13): history < 0.3 s, due and report < 3 s, verify < 10 s, memory < 200 MB.
Run it against another checkout's code with PYTHONPATH=that/checkout. Nothing here is a test.
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
PATHS = ("/home/runner/work/app/app/declaration.yaml", "/builds/team/app/declaration.yaml", "declaration.yaml")


def products(count: int) -> list[tuple[str, str]]:
    """(product id, declaration text) made from the examples with unique ids."""
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    out = []
    for n in range(count):
        text = examples[n % len(examples)].read_text(encoding="utf-8")
        old = next(line for line in text.splitlines() if line.startswith("  id: "))[6:].strip()
        product = f"p{n:03d}-{old}"[:64]
        out.append((product, text.replace(f"\n  id: {old}", f"\n  id: {product}", 1)))
    return out


def version(text: str, number: int) -> str:
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("  version: "):
            lines[index] = f"  version: \"{number}.0.0\"\n"
            return "".join(lines)
    return text


def build(target: str, records: int, count: int) -> None:
    import hashlib

    from compliance import __version__
    from compliance.evaluate.checklists import load_rules
    from compliance.models.result import RunInfo
    from compliance.pipeline import check_bytes
    from compliance.register.entries import check_body, incident_body, review_body
    from compliance.register.recording import _or_repeat
    from compliance.register.store import opened

    rules = load_rules("shenzhen-2022", ())
    info = RunInfo(__version__, rules.packs, "error")
    catalogue = products(count)
    per_product = records // count
    cache: dict[tuple, dict] = {}

    def body(product: int, number: int, path: str) -> dict:
        key = (product, number, path)
        if key not in cache:
            content = version(catalogue[product][1], number)
            raw = content.encode("utf-8")
            result = check_bytes(raw, path, "yaml", rules)
            assert result.sha256 == hashlib.sha256(raw).hexdigest()
            cache[key] = check_body(result, info, content)
        return cache[key]

    with opened(target, create=True) as register:
        for step in range(per_product):
            for index, (product, _) in enumerate(catalogue):
                if step % 50 == 17:
                    register.append("incident", product, incident_body("low", f"incident {step}", "2026-03-01",
                                                                       "details of it", "ops"))
                elif step % 50 == 33:
                    register.append("review", product, review_body("2026-03-02", "officer", "plan kept", None))
                elif step % 50 == 41:
                    latest = body(index, step * 5 // per_product, PATHS[0])
                    register.append("document", product, {
                        "document": "tracking-plan", "lang": "en", "path": f"docs/{product}.en.md",
                        "sha256": "0" * 64, "declaration_sha256": latest["declaration"]["sha256"],
                        "date": "2026-03-03"})
                else:
                    full = body(index, step * 5 // per_product, PATHS[step % len(PATHS)])
                    register.append("check", product, _or_repeat(register, product, full))
            if step % 50 == 0:
                print(f"  built {(step + 1) * count} records", file=sys.stderr, flush=True)


def timed(*args: str) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak resident MB) of one aicomply process. CPU time says what
    the command costs when other work shares the machine's two cores. GNU time measures it: a
    child forked straight from this (large) process would count this process's memory as its own."""
    with tempfile.NamedTemporaryFile("r") as report:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", report.name, sys.executable, "-m",
                               "compliance", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"aicomply {' '.join(args)} failed (exit {done.returncode}): {done.stderr.decode()}")
        user, system, kilobytes = report.read().split()[-3:]
    return elapsed, float(user) + float(system), int(kilobytes) / 1024


def size_mb(db: str) -> float:
    """The register's size on disk: the SQLite file, or the records table with its indexes."""
    if db.startswith("postgresql://"):
        from compliance.register.postgresql import connect

        with connect(db) as connection:
            return connection.execute("SELECT pg_total_relation_size('aicomply_records')").fetchone()[0] / 1e6
    return Path(db).stat().st_size / 1e6


def measure(db: str, records: int, count: int, work: Path) -> None:
    start = time.perf_counter()
    build(db, records, count)
    print(f"built {records} records of {count} products in {time.perf_counter() - start:.0f} s")
    size = size_mb(db)
    print(f"register {size:.1f} MB ({size * 1e6 / records / 1e3:.2f} KB a record)")
    product = products(count)[0][0]
    for name, command in (("verify", ["verify"]), ("due", ["due"]),
                          ("report --html", ["report", "--html", str(work / "p.html")]),
                          (f"history {product}", ["history", product]), ("recheck", ["recheck"])):
        seconds, cpu, megabytes = timed(*command, "--db", db)
        print(f"{name:<40} {seconds:7.2f} s  (CPU {cpu:6.2f} s)  {megabytes:6.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both",
                        help="postgresql starts a throwaway server (tests/pgserver.py: Debian's postgresql)")
    parser.add_argument("--db", help="an existing register to build instead (SQLite path or empty PostgreSQL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        if args.db:
            measure(args.db, args.records, args.products, Path(work))
            return
        if args.backend in ("sqlite", "both"):
            print("SQLite")
            measure(str(Path(work) / "register.db"), args.records, args.products, Path(work))
        if args.backend in ("postgresql", "both"):
            sys.path.insert(0, str(ROOT / "tests"))
            import pgserver

            server = pgserver.Server(pgserver.binaries()).start()
            try:
                print("PostgreSQL")
                measure(server.new_database(), args.records, args.products, Path(work))
            finally:
                server.stop()


if __name__ == "__main__":
    sys.path.insert(0, os.environ.get("PYTHONPATH") or str(ROOT))
    main()
