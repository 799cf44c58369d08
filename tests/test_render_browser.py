"""The HTML documents are real printable pages: headless Chromium (Debian's `chromium`, installed
by .ci/run) prints them to A4 PDF without a console message. Without Chromium the test skips on a
developer machine and fails in CI (CI=true)."""

from __future__ import annotations

import re
import subprocess

import pytest

from compliance.cli import main
from conftest import EXAMPLES



def _print_to_pdf(chromium: str, html, pdf, profile) -> str:
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", html.resolve().as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_documents_print_to_pdf_without_console_messages(chromium, runner, tmp_path, lang):
    out = tmp_path / "docs"
    out.mkdir()
    result = runner.invoke(main, ["render", str(EXAMPLES / "robotaxi-service.yaml"), "--out", str(out), "--lang", lang,
                                  "--format", "html", "--date", "2026-11-24", "--doc", "ex_ante_assessment",
                                  "--doc", "risk_warning"])
    assert result.exit_code == 0, result.output
    pages = sorted(out.glob("*.html"))
    assert [p.name for p in pages] == [f"robotaxi-service.{doc}.{lang}.html" for doc in ("ex_ante_assessment", "risk_warning")]
    for page in pages:
        pdf = tmp_path / f"{page.stem}.pdf"
        log = _print_to_pdf(chromium, page, pdf, tmp_path / f"profile-{page.stem}")
        assert "CONSOLE" not in log, [line for line in log.splitlines() if "CONSOLE" in line]
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
        assert pages >= 2, f"{page.name}: {pages} page(s)"  # sections start on new pages
        box = re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", data)
        assert box and round(float(box.group(1))) == 595 and round(float(box.group(2))) == 842  # A4, in points


def test_the_console_check_would_catch_an_error(chromium, tmp_path):
    """The check above is not vacuous: a page that logs does show up in Chromium's log."""
    page = tmp_path / "noisy.html"
    page.write_text("<html><body><script>console.error('boom')</script></body></html>", encoding="utf-8")
    assert "CONSOLE" in _print_to_pdf(chromium, page, tmp_path / "noisy.pdf", tmp_path / "profile")
