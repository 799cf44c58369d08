"""Regenerate every generated file in the repository: the schemas made from models, and golden files.

    python scripts/regen.py

Generated files are never edited by hand; tests compare them with a fresh generation.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
_SUFFIX = {"text": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif", "junit": "xml",
           "github": "github.txt", "markdown": "md"}


def golden_outputs() -> dict[str, str]:
    """Report of every example, in each format and language, as `aicomply check` writes it."""
    from compliance.pipeline import RunOptions, run
    from compliance.report import FORMATS, render

    previous = Path.cwd()
    os.chdir(ROOT)  # report paths read examples/...
    try:
        outputs = {}
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            info, results = run(RunOptions(paths=(f"examples/{example.name}",)))
            results = list(results)
            for fmt in FORMATS:
                for lang in ("en", "zh"):
                    outputs[f"{example.stem}.{lang}.{_SUFFIX[fmt]}"] = render(fmt, info, results, lang)
        return outputs
    finally:
        os.chdir(previous)


def golden_documents() -> dict[str, str]:
    """Every document each example calls for, both languages, Markdown and HTML, dated 2026-11-24."""
    import tempfile
    from datetime import date

    from compliance.render import RenderRequest, render

    previous = Path.cwd()
    os.chdir(ROOT)  # documents name their declaration by its path
    try:
        outputs = {}
        for example in sorted((ROOT / "examples").glob("*.yaml")):
            for fmt in ("md", "html"):
                with tempfile.TemporaryDirectory() as folder:
                    render(RenderRequest(Path("examples") / example.name, Path(folder), ("en", "zh"), fmt,
                                         on=date(2026, 11, 24)))
                    for path in sorted(Path(folder).iterdir()):
                        outputs[f"documents/{path.name}"] = path.read_text(encoding="utf-8")
        return outputs
    finally:
        os.chdir(previous)


def main() -> None:
    from compliance.models.schema_export import GENERATED, dumps

    for name, generate in GENERATED.items():
        target = ROOT / "schemas" / name
        target.write_text(dumps(generate()), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    (GOLDEN / "documents").mkdir(parents=True, exist_ok=True)
    for old in [*GOLDEN.glob("*.*"), *(GOLDEN / "documents").glob("*")]:
        old.unlink()
    outputs = golden_outputs() | golden_documents()
    for name, text in outputs.items():
        (GOLDEN / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(outputs)} golden files in {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # regenerate from this checkout's code
    main()
