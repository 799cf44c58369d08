"""The guided interview: in a real pseudo-terminal as a person would answer it, in English and
Chinese, and replayed from an answers file; questions derived from the schema and the rule packs."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from compliance.cli import main
from compliance.declaration.load import read_document
from compliance.declaration.validate import schema_issues
from conftest import ROOT

PROMPT = r"\n([a-z0-9_.]+) \[([^\n]*)\]> $"
DATE = "2026-11-30"

# A bank's large-model customer-service bot, as a compliance officer would answer: the facts
# known are stated; what the officer does not know is "?" (unknown); sections that do not apply
# are closed with "no".
BANK_BOT = {
    "product.id": "bank-service-bot", "product.name": "Example Bank Assistant", "product.version": "3.1",
    "provider.kind": "enterprise", "provider.name": "Example Bank Co., Ltd.", "provider.uscc": "?",
    "provider.district": "futian", "provider.size": "large", "provider.contact.name": "Li Wei",
    "provider.contact.email": "compliance@bank.example.cn",
    "scenario.domains": "customer_service, payments_banking", "scenario.purpose": "Answers customers' questions.",
    "scope.audience": "public", "scope.reach": "2,400,000", "scope.special_groups.children": "none",
    "scope.special_groups.elderly": "incidental", "scope.special_groups.disabled": "incidental",
    "scope.public_decision_making": "no", "scope.public_interest_commercial": "yes",
    "autonomy.level": "advisory", "autonomy.significant_effects": "no", "autonomy.physical_actuation": "none",
    "autonomy.behavioural_influence": "none", "autonomy.affects_health": "no",
    "data.personal_information": "yes", "data.sensitive_categories": "financial", "data.lawful_basis": "contract",
    "data.protected_attributes": "no",
    "practices.pricing.personalised": "no", "practices.deep_synthesis.used": "yes",
    "practices.generative_service.public": "yes", "practices.biometric_identification.used": "no",
    "practices.emotion_recognition.used": "no", "practices.worker_scheduling.used": "no",
    "practices.recommendation.used": "no", "filings": "no", "incidents": "no",
}
# The same officer, answering in Chinese.
BANK_BOT_ZH = dict(BANK_BOT, **{
    "product.name": "示例银行智能客服", "provider.name": "示例银行股份有限公司", "provider.uscc": "不知道",
    "provider.contact.name": "李伟", "scenario.purpose": "回答客户关于账户和银行卡的问题。",
    "scope.public_decision_making": "否", "scope.public_interest_commercial": "是", "data.personal_information": "是",
    "practices.deep_synthesis.used": "是", "practices.pricing.personalised": "否",
})


def _default_answer(hint: str) -> str:
    """What the officer says to a question the script does not list: "don't know" where allowed."""
    if "unsure" in hint or "不确定" in hint:
        return "unsure"
    if "?" in hint:
        return "?"
    if hint.startswith("1-"):
        return "1"
    if hint in ("yes / no", "是 / 否"):
        return "no"
    return "Reviewed by the compliance team." if "Enter" not in hint and "回车" not in hint else ""


def _interview(tmp_path: Path, answers: dict, lang: str, extra: tuple = ()) -> tuple[Path, dict, str]:
    """Run `aicomply interview` in a pseudo-terminal; returns the file, each question asked with the
    answer typed, and the screen."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    target = tmp_path / f"bot.{lang}.yaml"
    # The command as a user runs it: the installed script in CI, the source tree otherwise.
    installed = shutil.which("aicomply", path=str(Path(sys.executable).parent))
    command = ([installed] if installed else [sys.executable, "-m", "compliance"]) + [
        "interview", str(target), "--lang", lang, "--date", DATE, *extra]
    env = {"PATH": "/usr/bin:/bin", "AICOMPLY_CACHE_DIR": "", "LANG": "C.UTF-8"}
    if not installed:
        env["PYTHONPATH"] = str(ROOT)
    child = pexpect.spawn(command[0], command[1:], encoding="utf-8", timeout=30, cwd=str(ROOT), env=env)
    asked, screen = {}, []
    while child.expect([PROMPT, pexpect.EOF]) == 0:
        screen.append(child.before + child.after)
        path, hint = child.match.group(1), child.match.group(2)
        assert path not in asked, f"{path} asked again: {child.before[-300:]}"
        asked[path] = answers.get(path, _default_answer(hint))
        child.sendline(asked[path])
    screen.append(child.before)
    child.close()
    assert child.exitstatus == 0, "".join(screen)[-2000:]
    return target, asked, "".join(screen)


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return _interview(tmp_path_factory.mktemp("en"), BANK_BOT, "en")


def test_interview_in_a_terminal_writes_a_declaration_that_validates(english, runner):
    target, asked, screen = english
    data = read_document(target, target.name).data
    assert schema_issues(data) == []
    assert data["product"]["id"] == "bank-service-bot" and data["scope"]["reach"] == 2_400_000
    assert data["provider"]["uscc"] == "unknown"  # "?" is recorded as unknown, never invented
    assert data["scenario"]["domains"] == ["customer_service", "payments_banking"]
    assert data["practices"]["biometric_identification"] == {"used": False}
    result = json.loads(runner.invoke(main, ["check", str(target), "--format", "json"]).stdout)["results"][0]
    assert result["valid"] is True and result["risk_level"] in ("high", "medium", "low")
    assert "wrote " in screen and "aicomply check" in screen  # the next steps


def test_sections_that_do_not_apply_are_skipped(english):
    _, asked, _ = english
    assert "practices.biometric_identification.used" in asked
    assert not [path for path in asked if path.startswith("practices.biometric_identification.") and not path.endswith(".used")]
    assert "practices.deep_synthesis.modalities" in asked  # deep synthesis was answered yes
    assert not [path for path in asked if path.startswith(("transparency.", "waivers"))]


def test_each_question_explains_itself_and_names_its_article(english):
    _, _, screen = english
    assert "Personal information is provided to another controller who decides its own purposes" in screen
    assert "(serves Art. 72(2))" in screen
    assert screen.count("Provisional grade: ") >= 5  # shown as the answers come in


def test_the_questions_come_from_the_rule_packs(tmp_path):
    """A fact only an organisation's own pack reads is asked only when that pack is loaded."""
    pack = ROOT / "tests" / "data" / "org-pack"
    reads = (pack / "rules.yaml").read_text(encoding="utf-8")
    assert "safeguards.logging" in reads
    _, without, _ = _interview(tmp_path / "a", BANK_BOT, "en")
    _, with_pack, _ = _interview(tmp_path / "b", BANK_BOT, "en", ("--extra-pack", str(pack)))
    assert "safeguards.logging" not in without and "safeguards.logging" in with_pack


def test_interview_in_chinese(tmp_path, runner):
    target, asked, screen = _interview(tmp_path, BANK_BOT_ZH, "zh")
    assert "当前暂定等级：" in screen and "处理已识别或可识别自然人的个人信息" in screen
    text = target.read_text(encoding="utf-8")
    assert "# 产品名称；有中英文名称的请都填写。" in text
    data = read_document(target, target.name).data
    assert schema_issues(data) == []
    assert data["product"]["name"] == {"zh": "示例银行智能客服"}  # Chinese answers are Chinese text
    assert data["scope"]["public_decision_making"] is False and data["provider"]["uscc"] == "unknown"
    assert "transparency" not in asked


def test_replayed_answers_give_the_same_file_as_the_terminal(english, tmp_path, runner):
    target, asked, _ = english
    replay = tmp_path / "answers.json"
    replay.write_text(json.dumps(asked, ensure_ascii=False), encoding="utf-8")  # exactly what was typed
    out = tmp_path / "replayed.yaml"
    result = runner.invoke(main, ["interview", str(out), "--answers", str(replay), "--date", DATE])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == target.read_bytes()


def test_an_answers_file_missing_a_required_answer_is_one_clear_line(tmp_path, runner):
    replay = tmp_path / "answers.yaml"
    replay.write_text("product.id: bank-bot\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    result = runner.invoke(main, ["interview", str(out), "--answers", str(replay)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"aicomply: error: {replay}: the answers file has no answer for product.name, which the declaration needs"]
    assert not out.exists()


def test_a_wrong_answer_in_a_file_names_the_field(tmp_path, runner):
    replay = tmp_path / "answers.yaml"
    replay.write_text("product.id: bank-bot\nproduct.name: Bot\nproduct.version: '1'\nprovider.kind: bank\n",
                      encoding="utf-8")
    result = runner.invoke(main, ["interview", str(tmp_path / "out.yaml"), "--answers", str(replay)])
    assert result.exit_code == 2 and "provider.kind: expected 1-7, got 'bank'" in result.stderr


def test_interview_never_overwrites(tmp_path, runner):
    target = tmp_path / "declaration.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(main, ["init", str(target), "--interactive"])
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert target.read_text(encoding="utf-8") == "mine\n"
