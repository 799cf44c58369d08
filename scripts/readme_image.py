"""Make the README's picture of a printed Chinese ex-ante report: page 1 of the hospital example,
printed by the tests' print step (tests/document_helpers.py, the printer `render --format pdf`
uses) and rendered by poppler at the resolution tests/test_render_browser.py checks.

    python scripts/readme_image.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "images" / "hospital-ex-ante-zh-page1.png"


def main() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's code and the tests' helpers
    from document_helpers import DATE, print_html
    from test_render_browser import README_DPI

    from compliance.render import RenderRequest, render

    with tempfile.TemporaryDirectory() as folder:
        (written,) = render(RenderRequest(ROOT / "examples" / "hospital-imaging-assistant.yaml", Path(folder), ("zh",),
                                          "html", docs=("ex_ante_assessment",), on=DATE))
        (pdf,) = print_html([Path(written.path)], workers=1)
        printed = Path(folder) / "report.pdf"
        printed.write_bytes(pdf)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", str(README_DPI), "-f", "1", "-l", "1", "-png", "-singlefile", str(printed),
                        str(TARGET.with_suffix(""))], check=True)
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
