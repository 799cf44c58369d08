"""Every citation of the Shenzhen pack says which text it was checked against, and those checked against the
shared Chinese legal texts (laws/NAME.md) name an article, paragraph and item that exist there. What was not
verified is listed by `aicomply rules --unverified`."""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

import pytest

from compliance.evaluate.checklists import load_pack
from compliance.models.rules import zh_number
from conftest import ROOT

PACK = load_pack()
CANDIDATES = [os.environ.get("AICOMPLY_LAWS", ""), str(ROOT.parent.parent / "shared" / "laws"), "/work/shared/laws"]
LAWS = next((Path(p) for p in CANDIDATES if p and Path(p).is_dir()), None)


@pytest.fixture(scope="module")
def laws() -> Path:
    """The shared legal texts; without them the articles cannot be checked (a failure in CI)."""
    if LAWS is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("the shared legal texts are missing (set AICOMPLY_LAWS to the laws/ folder)")
        pytest.skip("the shared legal texts are not on this machine (set AICOMPLY_LAWS)")
    return LAWS


@cache
def articles(path: Path) -> dict[int, list[str]]:
    """Article number -> its paragraphs and items, one line each, as the text sets them out."""
    found: dict[int, list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        match = re.match(r"^第([零一二三四五六七八九十百千]+)条\s", line)
        if match:
            current = _number(match.group(1))
            found[current] = [line]
        elif line.startswith("#"):
            current = None
        elif current is not None and line:
            found[current].append(line)
    return found


_NUMBERS = {zh_number(n): n for n in range(1, 2000)}


def _number(text: str) -> int:
    return _NUMBERS[text]


def _locate(lines: list[str], paragraph: int | None, item: int | None) -> str:
    """The paragraph (款) or the item (项) of a paragraph, counting items as part of the paragraph before them."""
    paragraphs: list[list[str]] = []
    for line in lines:
        if line.startswith("（") and paragraphs:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    chosen = paragraphs[(paragraph or 1) - 1] if paragraph or item else paragraphs[0]
    if item:
        marker = f"（{zh_number(item)}）"
        return next(line for line in chosen[1:] if line.startswith(marker))
    return chosen[0]


CHECKED = sorted({(c.checked, c.article, c.paragraph, c.item) for rule in PACK.rules for c in rule.cites
                  if c.checked and c.checked.startswith("laws/") and c.article},
                 key=lambda row: tuple("" if v is None else str(v) for v in row))


def test_every_citation_names_its_text_or_is_listed_as_unverified():
    unverified = {(rule.id, c) for rule, c in PACK.unverified()}
    for rule in PACK.rules:
        for citation in rule.cites:
            if citation.checked is None:
                assert (rule.id, citation) in unverified
            else:
                assert re.match(r"^(laws/[^/]+\.md|[\w.-]+/[\w.-]+@[0-9a-f]{7,40}:.+|https://.+)$", citation.checked)
    # Only sources without a text to check against are unverified, and each says why in its note.
    for _, citation in PACK.unverified():
        source = PACK.sources[citation.source]
        assert source.checked is None and source.note, citation.source


@pytest.mark.parametrize("checked, article, paragraph, item", CHECKED,
                         ids=[f"{c.removeprefix('laws/').split('(')[0]}-{a}-{p}-{i}" for c, a, p, i in CHECKED])
def test_checked_citations_exist_in_their_text(laws, checked, article, paragraph, item):
    path = laws / checked.removeprefix("laws/")
    assert path.is_file(), f"{checked} is not among the shared legal texts"
    text = articles(path)
    assert article in text, f"{checked} has no article {article}"
    assert _locate(text[article], paragraph, item)


def test_the_unverified_list_is_what_the_cli_shows(runner):
    from compliance.cli import main

    result = runner.invoke(main, ["rules", "--unverified", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["unverified"]
    assert len(rows) == len(PACK.unverified()) > 0
    assert {row["source"] for row in rows} == {c.source for _, c in PACK.unverified()}
    assert "PIPL" not in {row["source"] for row in rows} and "SZ-AI" not in {row["source"] for row in rows}
    text = runner.invoke(main, ["rules", "--unverified"]).stdout
    assert f"Citations not verified against an official text in shenzhen-2022 {PACK.version}: {len(rows)}" in text
    assert "ANTHRO: Interim Measures for the Administration of Anthropomorphic AI Interaction Services (reported)" in text


def test_explain_says_what_each_citation_was_checked_against(runner):
    from compliance.cli import main

    out = runner.invoke(main, ["explain", "A72-2-PUBLIC-CAMERA-PURPOSE"]).stdout
    assert "PIPL Art. 26 (checked against laws/个人信息保护法(2021-08-20).md)" in out
    out = runner.invoke(main, ["explain", "A72-6-NO-IDENTITY-CHECK"]).stdout
    assert "Deep Synthesis Provisions Art. 9 (not verified against an official text)" in out
