"""`aicomply render`: the documents each grade calls for, deterministic, inert to what a
declaration says, never overwriting, with a JSON twin for the ethics filing."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from compliance.cli import main
from compliance.evaluate.checklists import load_rules
from compliance.declaration.load import read_document
from compliance.render.catalog import DOCUMENTS
from conftest import EXAMPLES, ROOT

DATE = "2026-11-24"
ALL_DOCS = [spec.id for spec in DOCUMENTS]
FILING_SCHEMA = json.loads((ROOT / "schemas" / "ethics-filing-v1.schema.json").read_text(encoding="utf-8"))


def _render(runner, declaration, out, *extra):
    return runner.invoke(main, ["render", str(declaration), "--out", str(out), "--date", DATE, *extra])


def test_a_high_risk_product_gets_assessment_warning_and_more(runner, tmp_path):
    result = _render(runner, EXAMPLES / "cv-screener.yaml", tmp_path, "--lang", "both")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        [f"cv-screener.{doc}.{lang}.md" for doc in ("ex_ante_assessment", "risk_warning", "ethics_filing",
                                                      "algorithm_explanation") for lang in ("en", "zh")]
        + ["cv-screener.ethics_filing.md.json"])
    assert result.stdout.count("wrote ") == len(names)


def test_a_low_risk_product_gets_disclosure_and_tracking_plan(runner, tmp_path):
    assert _render(runner, EXAMPLES / "internal-code-assistant.yaml", tmp_path).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "internal-code-assistant.disclosure.en.md", "internal-code-assistant.tracking_plan.en.md"]


def test_every_document_states_its_provenance(runner, tmp_path):
    """Internal documents in their appendix; public and filing documents as metadata only (a
    Markdown comment, the HTML page's head), never in their text."""
    from compliance.render.catalog import DOCUMENT_BY_ID, INTERNAL

    docs = sum((["--doc", d] for d in ALL_DOCS), [])
    for fmt in ("md", "html"):
        (tmp_path / fmt).mkdir()
        _render(runner, EXAMPLES / "robotaxi-service.yaml", tmp_path / fmt, "--lang", "both", "--format", fmt, *docs)
    digest = read_document(EXAMPLES / "robotaxi-service.yaml", "x").sha256
    documents = [p for p in (tmp_path / "md").iterdir() if p.suffix == ".md"]
    documents += [p for p in (tmp_path / "html").iterdir() if p.suffix == ".html"]
    assert len(documents) == 2 * 2 * len(ALL_DOCS)
    for path in documents:
        text = path.read_text(encoding="utf-8")
        internal = DOCUMENT_BY_ID[path.name.split(".")[1]].audience == INTERNAL
        where = text.split("::: appendix")[1] if internal and path.suffix == ".md" else text
        if not internal:
            where = re.findall(r"<!--(.*?)-->", text, re.S)[-1] if path.suffix == ".md" else text.split("</head>")[0]
        assert digest in where and f"shenzhen-2022 {load_rules().version}" in where, path.name
        assert "0.1.0" in where and DATE in where, path.name


def test_same_inputs_same_bytes(runner, tmp_path):
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        _render(runner, EXAMPLES / "childrens-learning-app.yaml", tmp_path / run, "--lang", "both", "--format", "html")
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    assert len(first) == 9  # ex-ante, risk warning, ethics filing, algorithm explanation, x2 languages; the JSON twin
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}


def test_without_a_date_the_document_carries_today_and_the_run_says_so(runner, tmp_path):
    """The clock is frozen (noon UTC, so the local date is the same in any time zone): the test
    cannot straddle midnight, and the date it expects is not the one the code computed."""
    import time_machine

    with time_machine.travel("2031-03-03 12:00:00Z", tick=False):
        result = runner.invoke(main, ["render", str(EXAMPLES / "internal-code-assistant.yaml"), "--out",
                                      str(tmp_path), "--doc", "disclosure"])
    assert result.exit_code == 0
    assert "pass --date" in result.stderr
    text = (tmp_path / "internal-code-assistant.disclosure.en.md").read_text(encoding="utf-8")
    assert "| Date | 2031-03-03 |" in text and "date of rendering" not in text


def test_ethics_twin_matches_its_schema(runner, tmp_path):
    _render(runner, EXAMPLES / "childrens-learning-app.yaml", tmp_path)
    filing = json.loads((tmp_path / "childrens-learning-app.ethics_filing.md.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(FILING_SCHEMA).validate(filing)
    assert [p["key"] for p in filing["principles"]] == ["harmony", "fairness", "inclusiveness", "privacy", "security",
                                                        "responsibility", "collaboration", "agility"]
    assert {"en": "Designed for children", "zh": "以未成年人为主要服务对象"} in filing["triggers"]
    assert [i["applies"] for i in filing["expert_rereview"]] == [False, False, False]
    robotaxi = tmp_path / "robotaxi"
    robotaxi.mkdir()
    _render(runner, EXAMPLES / "robotaxi-service.yaml", robotaxi)
    items = json.loads((robotaxi / "robotaxi-service.ethics_filing.md.json").read_text(encoding="utf-8"))["expert_rereview"]
    assert [i["applies"] for i in items] == [False, False, True]  # item 7: autonomy where safety is at stake


def test_a_second_language_into_the_same_folder_shares_the_ethics_twin(runner, tmp_path):
    """The JSON twin is the same in every language: rendering en, then zh, into one folder used to
    stop at the twin ("exists; nothing was written"). A twin that differs is still never replaced."""
    twin = tmp_path / "childrens-learning-app.ethics_filing.md.json"
    assert _render(runner, EXAMPLES / "childrens-learning-app.yaml", tmp_path, "--lang", "en").exit_code == 0
    before = twin.read_bytes()
    second = _render(runner, EXAMPLES / "childrens-learning-app.yaml", tmp_path, "--lang", "zh")
    assert second.exit_code == 0, second.output
    assert twin.read_bytes() == before
    assert len(list(tmp_path.glob("childrens-learning-app.*.zh.md"))) == 4
    other = tmp_path / "other"
    other.mkdir()
    assert _render(runner, EXAMPLES / "childrens-learning-app.yaml", other, "--lang", "en").exit_code == 0
    (other / twin.name).write_text("{}\n", encoding="utf-8")  # someone's edited copy
    refused = _render(runner, EXAMPLES / "childrens-learning-app.yaml", other, "--lang", "zh")
    assert refused.exit_code == 1 and f"{twin.name} exists; nothing was written" in refused.stderr
    assert (other / twin.name).read_text(encoding="utf-8") == "{}\n"
    assert list(other.glob("*.zh.md")) == []  # all or none


PAYLOAD = "<script>alert('x')</script> {{ 7*7 }} {% if true %}x{% endif %} | *b* [l](http://e.cn)"
_NOT_FREE_TEXT = ("uscc", "email", "url", "date", "last_date", "expires", "id", "version", "format", "$schema")


def _poison(node, path=()):
    """Every free-text string of a declaration replaced by markup and template code."""
    from compliance.declaration.facts import ITEM, declaration_catalog

    if isinstance(node, dict):
        return {key: _poison(value, path + (key,)) for key, value in node.items()}
    if isinstance(node, list):  # items of a list of mappings have their own facts; of text, the list's
        return [_poison(item, path + (ITEM,) if isinstance(item, dict) else path) for item in node]
    if isinstance(node, str) and path and path[-1] not in _NOT_FREE_TEXT:
        fact = declaration_catalog().get(path)
        if fact is not None and fact.values is None and fact.item_values is None:
            return PAYLOAD
    return node


def test_declaration_text_stays_inert_in_every_document(runner, tmp_path):
    data = _poison(read_document(EXAMPLES / "robotaxi-service.yaml", "x").data)
    source = tmp_path / "poisoned.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(main, ["check", str(source)]).exit_code in (0, 1)
    out = tmp_path / "out"
    out.mkdir()
    docs = sum((["--doc", d] for d in ALL_DOCS), [])
    assert _render(runner, source, out, "--lang", "both", "--format", "html", *docs).exit_code == 0
    (tmp_path / "md").mkdir()
    assert _render(runner, source, tmp_path / "md", "--lang", "both", *docs).exit_code == 0
    pages = sorted(out.glob("*.html"))
    assert len(pages) == len(ALL_DOCS) * 2, [p.name for p in pages]  # every document, both languages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html or "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html, path.name
        assert "<script" not in html.lower()
        assert "{{ 7*7 }}" in html and "{% if true %}x{% endif %}" in html
        assert '<a href="http://e.cn"' not in html and "<em>b</em>" not in html
        assert not re.search(r"(src|href)=\"|url\(", html), "the page must not load anything"
    sources = sorted((tmp_path / "md").glob("*.md"))
    assert len(sources) == len(ALL_DOCS) * 2, [p.name for p in sources]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert "<script>" not in text and "\\<script\\>" in text


def test_an_existing_document_is_never_overwritten_without_force(runner, tmp_path):
    existing = tmp_path / "internal-code-assistant.tracking_plan.en.md"
    existing.write_text("signed copy", encoding="utf-8")
    result = _render(runner, EXAMPLES / "internal-code-assistant.yaml", tmp_path)
    assert result.exit_code == 1
    assert str(existing) in result.stderr and "nothing was written" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing.name]  # not even the disclosure
    assert existing.read_text(encoding="utf-8") == "signed copy"
    assert _render(runner, EXAMPLES / "internal-code-assistant.yaml", tmp_path, "--force").exit_code == 0
    assert existing.read_text(encoding="utf-8") != "signed copy"


def test_invalid_declaration_writes_nothing(runner, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text((EXAMPLES / "cv-screener.yaml").read_text(encoding="utf-8").replace("scenario:", "scenaro:"),
                      encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = _render(runner, broken, out)
    assert result.exit_code == 1
    assert f"{broken}:" in result.stderr and "did you mean 'scenario'" in result.stderr
    assert list(out.iterdir()) == []


def test_usage_errors(runner, tmp_path):
    assert _render(runner, EXAMPLES / "cv-screener.yaml", tmp_path, "--doc", "memo").exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_every_coded_value_has_a_label_in_both_languages():
    from compliance.render.context import _labels

    labels = _labels()
    for kind, entries in labels.items():
        for code, entry in entries.items():
            assert set(entry) == {"en", "zh"} and entry["en"] and entry["zh"], (kind, code)
    schema = json.loads((ROOT / "schemas" / "declaration-v2.schema.json").read_text(encoding="utf-8"))
    properties = {"domain": schema["$defs"]["Scenario"]["properties"]["domains"]["items"],
                  "district": schema["$defs"]["Provider"]["properties"]["district"]}
    for kind, prop in properties.items():
        enum = prop["enum"]
        assert len(enum) > 10, kind  # the long lists: every application scenario, every district
        assert set(enum) <= set(labels[kind]), (kind, sorted(set(enum) - set(labels[kind])))


def test_markdown_escaping_keeps_structure():
    from compliance.render.engine import md_escape

    assert md_escape("2.0.0", "en") == "2.0.0"
    assert md_escape("1. first", "en") == "1\\. first"
    assert md_escape("a | b\nc", "en") == "a \\| b c"
    assert md_escape(None, "zh") == "【待补充】"
    assert md_escape(["a", "b"], "zh") == "a、b"


@pytest.mark.parametrize("document", ALL_DOCS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_template_renders_for_a_sparse_declaration(runner, tmp_path, document, lang):
    """The pack's baseline states little; documents must still render (with "to be completed")."""
    from compliance.evaluate.checklists import load_pack

    source = tmp_path / "sparse.json"
    source.write_text(json.dumps(load_pack().baseline), encoding="utf-8")
    result = _render(runner, source, tmp_path, "--lang", lang, "--doc", document)
    assert result.exit_code == 0, result.output
    text = (tmp_path / f"baseline-product.{document}.{lang}.md").read_text(encoding="utf-8")
    assert "None" not in text and text.startswith("::: cover\n# ")
