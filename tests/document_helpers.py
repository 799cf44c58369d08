"""Helpers for the document tests: render every example's documents, read what a reader sees,
print pages with Chromium and measure them with poppler (pdfinfo, pdftoppm)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLES

DATE = date(2026, 11, 24)
LANGS = ("en", "zh")
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
PAGE_MARGIN_MM = 16  # templates/print.css @page margin (top and bottom)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(program: str, package: str) -> str:
    """A system program the test needs: skipped without it on a developer machine, a failure in CI."""
    found = shutil.which(program)
    if found is None:
        message = f"{program} is not installed (apt-get install {package}); .ci/run installs it"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


def render_examples(out: Path, fmt: str, langs=LANGS) -> list[dict]:
    """Every document each example calls for, in each language, written to `out`."""
    from compliance.render import RenderRequest, render

    documents = []
    for example in EXAMPLE_FILES:
        folder = out / example.stem
        folder.mkdir(parents=True)
        for item in render(RenderRequest(example, folder, langs, fmt, on=DATE)):
            if item.lang is not None:
                documents.append({"product": example.stem, "document": item.document, "lang": item.lang,
                                  "path": Path(item.path), "todo": item.todo})
    return documents


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("head", "style", "script")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("head", "style", "script")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(text: str, fmt: str) -> str:
    """What a reader sees: HTML without its head and tags; Markdown without comments and escapes."""
    if fmt == "html":
        parser = _Visible()
        parser.feed(text)
        text = " ".join(parser.parts)
    else:
        text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
        text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return " ".join(text.split())


# ------------------------------------------------------------------------------------- printing

def print_html(paths: list[Path], workers: int = 2) -> list[bytes]:
    """Each page printed once by the product's printer (compliance.render.pdf), in a few browsers."""
    from compliance.render.pdf import print_pages

    pages = [path.read_text(encoding="utf-8") for path in paths]
    chunks = [pages[index::workers] for index in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        printed = list(pool.map(lambda chunk: print_pages(chunk, DATE.isoformat()), chunks))
    result: list[bytes] = [b""] * len(pages)
    for index, chunk in enumerate(printed):
        result[index::workers] = chunk
    return result


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups()
    return float(width), float(height)


def _pages(pdf: Path, folder: Path, dpi: int, gray: bool) -> list[tuple[int, int, bytes, int]]:
    """Each page as (width, height, pixels, bytes per pixel), rendered by pdftoppm."""
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), *(["-gray"] if gray else []), str(pdf), str(prefix)], check=True)
    pages = []
    images = sorted(folder.glob(f"{pdf.stem}-*.p[gp]m"))
    assert len(images) == page_count(pdf), f"pdftoppm did not write every page of {pdf.name}"
    for image in images:
        data = image.read_bytes()
        header = re.match(rb"P([56])\s+(\d+)\s+(\d+)\s+\d+\s", data)
        channels = 1 if header.group(1) == b"5" else 3
        pages.append((int(header.group(2)), int(header.group(3)), data[header.end():], channels))
        image.unlink()
    return pages


def fill(pdf: Path, folder: Path) -> list[float]:
    """How far down its text area each page is inked (0 to 1): the lowest non-white row between the
    top and bottom margins, so the page-number footer in the bottom margin does not count."""
    fills = []
    for width, height, pixels, _ in _pages(pdf, folder, 20, gray=True):
        margin = round(height * PAGE_MARGIN_MM / 297)
        top, bottom = margin, height - margin
        inked = [row for row in range(top, bottom) if min(pixels[row * width:(row + 1) * width]) < 200]
        fills.append((max(inked) - top) / (bottom - top) if inked else 0.0)
    return fills


def yellow_pixels(pdf: Path, folder: Path) -> int:
    """Pixels of the placeholder highlight (#ffe45c), on all pages."""
    count = 0
    for width, height, pixels, channels in _pages(pdf, folder, 30, gray=False):
        for offset in range(0, width * height * channels, channels):
            red, green, blue = pixels[offset], pixels[offset + 1], pixels[offset + 2]
            if red > 230 and 200 < green < 245 and blue < 140:
                count += 1
    return count
