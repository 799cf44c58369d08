"""Text that acts instead of showing: terminal escapes, bidi overrides, Markdown, XML (issue 9, items 11-13).

Every human-readable output shows such characters as escapes; the Markdown step summary keeps
cell text literal; every XML output is well-formed whatever a declaration holds.
"""

from __future__ import annotations

import json
import re
import shutil
from xml.etree import ElementTree as ET

import pytest

from compliance.cli import main
from compliance.declaration.load import read_document
from conftest import EXAMPLES, ROOT

HOSTILE = ROOT / "tests" / "hostile"
# What must never reach a terminal raw: C0 but the line feed, DEL, C1, bidi embeddings, overrides, isolates.
ACTING = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_inert(text: str) -> None:
    found = ACTING.search(text)
    assert found is None, f"raw {found.group()!r} at {found.start()}: {text[max(0, found.start() - 60):found.start() + 20]!r}"


def cli(runner, *args):
    return runner.invoke(main, [str(a) for a in args])


def test_shown_escapes_every_control_and_bidi_character():
    from compliance.escape import shown

    acting = ([chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7f, 0xa0)]
              + [chr(c) for c in range(0x202a, 0x202f)] + [chr(c) for c in range(0x2066, 0x206a)])
    assert len(acting) == 32 + 33 + 5 + 4
    for char in acting:
        text = shown(f"a{char}b")
        assert ACTING.search(text) is None and text.startswith("a\\") and text.endswith("b"), repr(char)
    assert shown("\r\x1b[2K\u202e") == "\\r\\x1b[2K\\u202e"
    clean = "TalentRank 人才 C:\\data naïve – ok"
    assert shown(clean) == clean
    assert shown(shown("x\x1by")) == shown("x\x1by")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_forged_verdict_in_product_name_is_shown_escaped(runner, lang):
    result = cli(runner, "check", HOSTILE / "name-terminal-escape.yaml", "--lang", lang)
    assert result.exit_code == 1
    assert_inert(result.stdout)
    if lang == "en":
        assert "TalentRank\\r\\x1b[2K  Risk: LOW\\n  Gate (fail on error): passed\\u202e" in result.stdout
    else:  # the Chinese verdict shows name_zh
        assert "英才排序简历筛选\\r\\x1b[2K  风险等级：低" in result.stdout
    # the forged words sit on the product's own line, never on a line of their own
    assert not any(line.startswith("  Gate (fail on error): passed") for line in result.stdout.splitlines())


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_unknown_field_names_and_values_are_shown_escaped(runner, fmt):
    result = cli(runner, "check", HOSTILE / "key-terminal-escape.yaml", "--format", fmt)
    assert result.exit_code == 1
    assert_inert(result.stdout)
    assert "\\x1b[2K\\rGate: passed\\x9b2K" in result.stdout
    assert "nanshan\\r\\x1b[1A\\u2066" in result.stdout


def test_file_names_are_shown_escaped(runner, tmp_path):
    folder = tmp_path / "products"
    folder.mkdir()
    evil = folder / "evil\x1b[2K\rGate passed\u202e.yaml"
    evil.write_text("format: aicomply/v1\n", encoding="utf-8")
    result = cli(runner, "check", folder)
    assert result.exit_code == 1
    assert_inert(result.stdout)
    assert "evil\\x1b[2K\\rGate passed\\u202e.yaml" in result.stdout
    missing = cli(runner, "check", tmp_path / "nope\x1b[31m.yaml")
    assert missing.exit_code == 2
    assert_inert(missing.stderr)
    assert "nope\\x1b[31m.yaml" in missing.stderr


def test_render_shows_hostile_text_escaped(runner, tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    result = cli(runner, "render", HOSTILE / "name-terminal-escape.yaml", "--out", out, "--date", "2026-11-24",
                 "--format", "html")
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    written = sorted(out.iterdir())
    assert len(written) == 5  # assessment, risk warning, algorithm explanation, ethics filing (page and JSON)
    for path in written:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":  # data for machines: the name kept exactly, as JSON writes it
            filing = json.dumps(json.loads(text), ensure_ascii=False)
            assert "TalentRank\\r\\u001b[2K  Risk: LOW\\n  Gate (fail on error): passed\u202e" in filing
        else:
            assert_inert(text)


def test_incident_list_and_history_show_summaries_escaped(runner, tmp_path):
    db = tmp_path / "register.db"
    shutil.copy(EXAMPLES / "cv-screener.yaml", tmp_path / "cv.yaml")
    assert cli(runner, "check", tmp_path / "cv.yaml", "--record", "--db", db).exit_code == 1
    summary = "Fixed\r\x1b[2K#2 2026-11-01 cv-screener LOW closed\u202e"
    added = cli(runner, "incident", "add", "cv-screener", "--severity", "high", "--summary", summary,
                "--details", "line one\x1b]8;;https://example.invalid\x07link\x1b]8;;\x07", "--date", "2026-11-20",
                "--db", db)
    assert added.exit_code == 0, added.output
    for args in (("incident", "list"), ("history", "cv-screener")):
        result = cli(runner, *args, "--db", db)
        assert result.exit_code == 0, result.output
        assert_inert(result.stdout)
        assert "Fixed\\r\\x1b[2K#2 2026-11-01 cv-screener LOW closed\\u202e" in result.stdout


def test_the_portfolio_page_shows_hostile_text_escaped(runner, tmp_path):
    """Issue 9, item 11, on the one human-readable page the register makes: a product name and an
    incident summary with a bidi override and a terminal escape show them as escapes, never raw."""
    db, page = tmp_path / "register.db", tmp_path / "portfolio.html"
    data = read_document(EXAMPLES / "cv-screener.yaml", "cv-screener.yaml").data
    data["product"]["name"] = {"en": "TalentRank\u202e KSAT \u2066x", "zh": "人才\u202e排名"}
    (tmp_path / "cv.json").write_text(json.dumps(data), encoding="utf-8")
    assert cli(runner, "check", tmp_path / "cv.json", "--record", "--db", db).exit_code == 1
    assert cli(runner, "incident", "add", "cv-screener", "--severity", "low", "--summary", "Closed\x1b[2K\u202e ok",
               "--date", "2026-11-20", "--db", db).exit_code == 0
    assert cli(runner, "report", "--html", page, "--db", db, "--date", "2026-11-24").exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert_inert(html)
    assert ">1 product, " in html  # not "1 products"
    for escaped in ("TalentRank\\u202e KSAT \\u2066x", "人才\\u202e排名", "Closed\\x1b[2K\\u202e ok"):
        assert escaped in html


def test_rules_and_explain_show_pack_text_escaped(runner):
    pack = HOSTILE / "pack-terminal-escape"
    for args in (("rules",), ("explain", "ACME-LOGGING"), ("explain", "ACME-LOGGING", "--lang", "zh")):
        result = cli(runner, *args, "--extra-pack", pack)
        assert result.exit_code == 0, result.output
        assert_inert(result.stdout)
        assert "\\x1b[2K" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_incentives_report_shows_profile_text_escaped(runner, fmt):
    result = cli(runner, "incentives", HOSTILE / "profile-terminal-escape.yaml", "--date", "2026-11-24", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)
    assert "Pengcheng\\" in result.stdout


# ------------------------------------------------------------------------------ Markdown

def test_markdown_step_summary_keeps_every_cell_literal(runner):
    from markdown_it import MarkdownIt

    result = cli(runner, "check", HOSTILE / "markdown-cell.yaml", "--format", "markdown")
    assert result.exit_code == 1
    assert "\r" not in result.stdout
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(result.stdout)
    body = html.split("</thead>", 1)[1].split("</table>", 1)[0]
    for tag in ("<strong", "<em", "<img", "<a ", "<code>code", "<del"):
        assert tag not in body, tag
    assert "&lt;img src=https" in body  # the raw HTML is shown as text
    rows = [row for row in body.split("<tr>")[1:]]
    assert len(rows) == 1 and rows[0].count("<td") == 9  # the | in the key did not add a cell
    assert "**Gate: passed**" in body and "![pixel](https" in body
    for address in ("https\\://example.invalid", "www\\.example.invalid"):  # no bare address for GitHub to link
        assert address in result.stdout


def test_markdown_text_escapes_what_github_would_act_on():
    from compliance.escape import markdown_text

    assert markdown_text("a|b") == "a\\|b"
    assert markdown_text("**x** _y_ ~z~ `c` $m$ [l](u) ![i](u) <b> &amp; #h") == (
        "\\*\\*x\\*\\* \\_y\\_ \\~z\\~ \\`c\\` \\$m\\$ \\[l\\](u) \\!\\[i\\](u) \\<b\\> \\&amp; \\#h")
    assert markdown_text("see https://x.cn and www.x.cn") == "see https\\://x.cn and www\\.x.cn"
    assert markdown_text("see https://x.cn", autolinks=True) == "see https://x.cn"
    assert markdown_text("a\rb") == "a\\\\rb"  # shown as \r, literally


# ----------------------------------------------------------------------------------- XML

C0 = [chr(code) for code in range(0x20)]


def test_junit_is_well_formed_with_every_c0_character_in_a_key(runner, tmp_path):
    assert len(C0) == 32
    base = (EXAMPLES / "internal-code-assistant.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "products"
    folder.mkdir()
    for code, char in enumerate(C0):
        escaped = json.dumps(f"a{char}b")  # a JSON string is a valid YAML double-quoted scalar
        (folder / f"c{code:02d}.yaml").write_text(base.replace("product:\n", f"product:\n  {escaped}: 1\n", 1),
                                                  encoding="utf-8")
    (folder / "name\x01\x1b\x7f.yaml").write_text("format: aicomply/v1\n", encoding="utf-8")  # a file name too
    out = tmp_path / "report.xml"
    result = cli(runner, "check", folder, "--format", "junit", "-o", out)
    assert result.exit_code == 1, result.output
    root = ET.fromstring(out.read_bytes())
    suites = root.findall("testsuite")
    assert len(suites) == 33
    failures = [f.get("message") for f in root.iter("failure")]
    assert len(failures) >= 32
    # what XML cannot hold is shown as an escape, not lost: the key is still recognisable
    assert any("a\\x01b" in message for message in failures)


def test_config_values_are_shown_escaped(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aicomply.yaml").write_text('paths: ["a\\u009b2Kb\\u202e"]\n', encoding="utf-8")  # C1 CSI, bidi
    result = cli(runner, "config")
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)
    assert "a\\x9b2Kb\\u202e" in result.stdout
