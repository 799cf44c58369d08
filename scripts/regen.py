"""Regenerate every generated file in the repository: the schemas made from models, and golden files.

    python scripts/regen.py                 # refuses while compliance/, templates/ or checklists/ have uncommitted changes
    python scripts/regen.py --allow-dirty   # regenerate from uncommitted code anyway (say so in the commit)

Generated files are never edited by hand; tests compare them with a fresh generation. Goldens are
regenerated from committed code only, so that a change of output is always a reviewable diff against
a commit, never a bug baked into the goldens on the way: commit the code, run this, read the summary
it prints (and `git diff tests/golden schemas`), then commit the regenerated files with a message
that says why they changed. tests/test_golden_content.py checks the goldens against what the
declarations say, independently of this script.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SOURCES = ("compliance", "templates", "checklists")  # what the generated files are made from
_SUFFIX = {"text": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif", "junit": "xml",
           "github": "github.txt", "markdown": "md"}
_FORMAT_BY_SUFFIX = {suffix: fmt for fmt, suffix in _SUFFIX.items()}


def _examples() -> list[Path]:
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    if not examples:
        raise SystemExit(f"regen: no examples in {ROOT / 'examples'}; nothing to generate goldens from")
    return examples


def evaluated(example: Path) -> tuple:
    """The run's info and the results of checking one example, as `aicomply check` makes them."""
    from compliance.pipeline import RunOptions, run

    previous = Path.cwd()
    os.chdir(ROOT)  # report paths read examples/...
    try:
        info, results = run(RunOptions(paths=(f"examples/{example.name}",)))
        return info, list(results)
    finally:
        os.chdir(previous)


def report_output(name: str, info, results) -> str:
    """One report file of an example's results, by its golden name ("<example>.<lang>.<suffix>")."""
    from compliance.report import render

    _, lang, suffix = name.split(".", 2)
    return render(_FORMAT_BY_SUFFIX[suffix], info, results, lang)


def report_outputs(example: Path) -> dict[str, str]:
    """Report of one example, in each format and language, as `aicomply check` writes it."""
    from compliance.report import FORMATS

    info, results = evaluated(example)
    names = [f"{example.stem}.{lang}.{_SUFFIX[fmt]}" for fmt in FORMATS for lang in ("en", "zh")]
    return {name: report_output(name, info, results) for name in names}


def document_outputs(example: Path, fmt: str, langs: tuple[str, ...] = ("en", "zh")) -> dict[str, str]:
    """Every document one example calls for, in one format ("md" or "html"), dated 2026-11-24."""
    import tempfile
    from datetime import date

    from compliance.render import RenderRequest, render

    previous = Path.cwd()
    os.chdir(ROOT)  # documents name their declaration by its path
    try:
        with tempfile.TemporaryDirectory() as folder:
            render(RenderRequest(Path("examples") / example.name, Path(folder), langs, fmt, on=date(2026, 11, 24)))
            written = sorted(Path(folder).iterdir())
            if not written:
                raise SystemExit(f"regen: rendering {example.name} as {fmt} wrote no document")
            return {f"documents/{path.name}": path.read_text(encoding="utf-8") for path in written}
    finally:
        os.chdir(previous)


def golden_outputs() -> dict[str, str]:
    """Report of every example, in each format and language."""
    return {name: text for example in _examples() for name, text in report_outputs(example).items()}


def golden_documents() -> dict[str, str]:
    """Every document each example calls for, both languages, Markdown and HTML."""
    return {name: text for example in _examples() for fmt in ("md", "html")
            for name, text in document_outputs(example, fmt).items()}


def uncommitted_sources() -> list[str] | None:
    """Paths under SOURCES that differ from the last commit (untracked included); None outside git."""
    try:
        done = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", *SOURCES],
                              cwd=ROOT, capture_output=True, text=True, check=False)
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return [line[3:] for line in done.stdout.splitlines() if line.strip()]


def generated() -> dict[Path, str]:
    """Every generated file, by path, with the content it must have."""
    from compliance.models.schema_export import GENERATED, dumps

    files = {ROOT / "schemas" / name: dumps(generate()) for name, generate in GENERATED.items()}
    outputs = golden_outputs() | golden_documents()
    files.update({GOLDEN / name: text for name, text in outputs.items()})
    return files


def summary(old: dict[Path, str], new: dict[Path, str]) -> list[str]:
    """One line per file added, removed or changed (with lines added and removed), then the totals."""
    lines, counts = [], {"changed": 0, "added": 0, "removed": 0, "unchanged": 0}
    for path in sorted(old.keys() | new.keys()):
        name = path.relative_to(ROOT).as_posix()
        if path not in old:
            counts["added"] += 1
            lines.append(f"  added    {name} ({new[path].count(chr(10))} lines)")
        elif path not in new:
            counts["removed"] += 1
            lines.append(f"  removed  {name}")
        elif old[path] != new[path]:
            counts["changed"] += 1
            diff = list(difflib.unified_diff(old[path].splitlines(), new[path].splitlines(), lineterm="", n=0))
            plus = sum(1 for d in diff if d.startswith("+") and not d.startswith("+++"))
            minus = sum(1 for d in diff if d.startswith("-") and not d.startswith("---"))
            lines.append(f"  changed  {name} (+{plus} -{minus})")
        else:
            counts["unchanged"] += 1
    lines.append(", ".join(f"{count} {what}" for what, count in counts.items()))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--allow-dirty", action="store_true",
                        help="regenerate even though compliance/, templates/ or checklists/ have uncommitted changes")
    args = parser.parse_args(argv)
    dirty = uncommitted_sources()
    if not args.allow_dirty:
        if dirty is None:
            print("regen: not a git checkout, so it cannot tell whether the code is committed; "
                  "pass --allow-dirty to regenerate anyway", file=sys.stderr)
            return 2
        if dirty:
            print(f"regen: uncommitted changes in {', '.join(SOURCES)} ({len(dirty)} paths, first {dirty[0]}); "
                  "commit them first so the regenerated files are a reviewable diff, or pass --allow-dirty",
                  file=sys.stderr)
            return 2
    new = generated()
    existing = [*GOLDEN.glob("*.*"), *(GOLDEN / "documents").glob("*"), *(p for p in new if p.parent.name == "schemas")]
    old = {path: path.read_text(encoding="utf-8") for path in existing if path.is_file()}
    for path in old.keys() - new.keys():
        path.unlink()
    (GOLDEN / "documents").mkdir(parents=True, exist_ok=True)
    for path, text in new.items():
        if old.get(path) != text:
            path.write_text(text, encoding="utf-8")
    print(f"regen: {len(new)} generated files checked" + (" (from uncommitted code)" if dirty else ""))
    print("\n".join(summary(old, new)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # regenerate from this checkout's code
    sys.exit(main())
