"""Issue 9, item 14: a value that ends in a newline is not a well-formed value.

Python's re.match/re.search with `$` also match before a final newline, so "cv-screener\\n"
passed as a product id (and render then wrote file names with a newline). ECMA-262, which JSON
Schema patterns follow, does not. Every pattern applied in Python must be applied in full.
"""

from __future__ import annotations

import copy

import pytest

from compliance.cli import main
from compliance.declaration.load import read_document
from compliance.declaration.validate import schema_issues, validate_declaration
from conftest import EXAMPLES

CV = read_document(EXAMPLES / "cv-screener.yaml", "cv-screener.yaml")


def _with(path: tuple, value):
    data = copy.deepcopy(CV.data)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize("path", [
    ("product", "id"),
    ("provider", "uscc"),
    ("provider", "contact", "email"),
    ("attestation", "date"),
    ("safeguards", "algorithm_explanation", "url"),
])
def test_a_trailing_newline_is_refused(path):
    node = CV.data
    for key in path:
        node = node[key]
    assert isinstance(node, str) and not schema_issues(_with(path, node))  # the value as it is passes
    issues = schema_issues(_with(path, node + "\n"))
    assert issues and {issue.path for issue in issues} == {path}


def test_the_message_points_at_the_id_and_shows_the_newline():
    from compliance.declaration.load import Document

    document = Document(CV.path, _with(("product", "id"), "cv-screener\n"), CV.positions, CV.sha256)
    findings = validate_declaration(document)
    assert [(f.line, f.fact) for f in findings] == [(CV.locate(("product", "id"))[0], "product.id")]
    assert findings[0].message.en == (
        "product.id: 'cv-screener\\n' should be lower-case letters, digits and single hyphens")


def test_check_fails_a_declaration_whose_id_ends_in_a_newline(runner, tmp_path):
    text = (EXAMPLES / "internal-code-assistant.yaml").read_text(encoding="utf-8")
    source = tmp_path / "newline.yaml"
    source.write_text(text.replace("id: internal-code-assistant", 'id: "internal-code-assistant\\n"', 1), encoding="utf-8")
    result = runner.invoke(main, ["check", str(source)])
    assert result.exit_code == 1
    assert "product.id: 'internal-code-assistant\\n' should be lower-case letters" in result.output


def test_uscc_helpers_use_the_whole_code():
    from compliance.declaration.uscc import has_valid_check_char, is_valid_uscc

    code = CV.data["provider"]["uscc"]
    assert is_valid_uscc(code)
    assert not is_valid_uscc(code + "\n")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    assert not has_valid_check_char(wrong)
    # Not of the right shape, so the check digit is not the problem: the schema's pattern says so.
    assert has_valid_check_char(wrong + "\n")


def test_money_is_digits_only_in_full():
    from pydantic import TypeAdapter, ValidationError

    from compliance.incentives.models import Yuan

    money = TypeAdapter(Yuan)
    assert money.validate_python("1250.50") == "1250.50"
    for bad in ("1250.50\n", "100\n", "\u0661\u0660\u0660"):  # the last is 100 in Arabic-Indic digits
        with pytest.raises(ValidationError):
            money.validate_python(bad)


def test_init_refuses_an_id_with_a_newline():
    from compliance.declaration.scaffold import scaffold
    from compliance.errors import ToolError

    assert "id: my-product" in scaffold(product_id="my-product")
    with pytest.raises(ToolError):
        scaffold(product_id="my-product\n")


def test_a_record_reference_is_the_whole_text():
    from compliance.register.sides import is_record_ref

    assert is_record_ref("cv-screener") and is_record_ref("@12") and is_record_ref("cv-screener~2")
    assert not is_record_ref("cv-screener\n")
    assert not is_record_ref("@12\n")


def test_an_ignore_pattern_does_not_cover_a_name_with_a_newline_added():
    from compliance.gate.ignore import compile_patterns, ignored

    patterns = compile_patterns(["secret.yaml"])
    assert ignored("secret.yaml", False, patterns)
    assert not ignored("secret.yaml\n", False, patterns)


def test_yuan_amounts_are_digits_only_in_full():
    from pydantic import TypeAdapter, ValidationError

    from compliance.incentives.models import Yuan

    yuan = TypeAdapter(Yuan)
    assert yuan.validate_python("1250.50") == "1250.50"
    for bad in ("1250.50\n", "\u0661\u0660\u0660"):
        with pytest.raises(ValidationError):
            yuan.validate_python(bad)
