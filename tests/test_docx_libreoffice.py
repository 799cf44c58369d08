"""Word documents open in a word processor other than the one that wrote them: LibreOffice (Debian's
`libreoffice-writer-nogui`, run headless) converts them to PDF, and the PDF has the pages and the
text the document should have. Without LibreOffice the test skips on a developer machine and fails
in CI (CI=true), where .ci/run installs it. One conversion run serves every assertion."""

from __future__ import annotations

import subprocess

import pytest

from compliance.cli import main
from conftest import EXAMPLES
from document_helpers import need, page_count

CASES = [("hospital-imaging-assistant", "ex_ante_assessment"), ("government-service-chatbot", "filing_materials"),
         ("childrens-learning-app", "risk_warning")]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    soffice = need("soffice", "libreoffice-writer-nogui")
    need("pdftotext", "poppler-utils")
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("docx")
    for product, document in CASES:
        result = CliRunner().invoke(main, ["render", str(EXAMPLES / f"{product}.yaml"), "--out", str(out), "--lang",
                                           "both", "--format", "docx", "--doc", document, "--date", "2026-11-24"])
        assert result.exit_code == 0, result.output
    documents = sorted(out.glob("*.docx"))
    assert len(documents) == 2 * len(CASES)
    done = subprocess.run([soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(out), *map(str, documents)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return {path.stem: path.with_suffix(".pdf") for path in documents}


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("product, document", CASES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_libreoffice_opens_the_word_document(converted, product, document, lang):
    pdf = converted[f"{product}.{document}.{lang}"]
    assert pdf.exists(), "LibreOffice wrote no PDF"
    assert 1 <= page_count(pdf) <= (8 if lang == "zh" and document == "ex_ante_assessment" else 6)
    text = " ".join(_text(pdf).split())
    cover = {"en": ("Provider", "Document number", "Date"), "zh": ("提供者", "文件编号", "日期")}[lang]
    assert all(word in text for word in cover), text[:400]
    assert ("第 1 页，共" if lang == "zh" else "Page 1 of") in text  # the footer's page fields are filled in
    if lang == "zh":
        title = {"ex_ante_assessment": "事前评估报告", "filing_materials": "备案材料", "risk_warning": "风险预警告知书"}
        assert title[document] in text
