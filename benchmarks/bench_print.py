"""Printed pages of every document of every example, and the time printing takes.

    python benchmarks/bench_print.py [--workers 2]

Renders every document each example calls for, in English and Chinese, prints each once with the
printer `render --format pdf` uses (the tests' print step, tests/document_helpers.py), and prints
one line per document: pages, budget, and how full each page is (0 to 1, the text area inked, as
tests/test_render_browser.py measures it). Then the print time per document. Needs Chromium and
poppler-utils. Numbers depend on the machine; nothing here is a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="browsers printing at once")
    options = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from document_helpers import fill, page_count, print_html, render_examples
    from test_render_browser import budget

    with tempfile.TemporaryDirectory() as folder:
        documents = render_examples(Path(folder) / "html", "html")
        started = time.perf_counter()
        pdfs = print_html([item["path"] for item in documents], options.workers)
        elapsed = time.perf_counter() - started
        over = 0
        for item, pdf in zip(documents, pdfs):
            path = item["path"].with_suffix(".pdf")
            path.write_bytes(pdf)
            pages, fills = page_count(path), fill(path, Path(folder))
            over += pages > budget(item)
            print(f"{item['product']:30} {item['document']:22} {item['lang']}  {pages} page(s), budget {budget(item)}"
                  f"  fill {' '.join(f'{f:.2f}' for f in fills)}")
    print(f"\n{len(documents)} documents printed in {elapsed:.1f} s ({elapsed / len(documents):.2f} s each, "
          f"{options.workers} browsers); {over} over budget")


if __name__ == "__main__":
    main()
