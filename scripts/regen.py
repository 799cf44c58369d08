"""Regenerate every generated file in the repository: the published schemas and golden files.

    python scripts/regen.py

Generated files are never edited by hand; tests compare them with a fresh generation.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compliance.models.schema_export import declaration_schema, dumps  # noqa: E402


def main() -> None:
    target = ROOT / "schemas" / "declaration-v1.schema.json"
    target.write_text(dumps(declaration_schema()), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
