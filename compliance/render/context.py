"""What a document template sees: plain data, already in the document's language.

Templates never touch the declaration or the rules directly; everything they print is here,
labelled, and every value that comes from the declaration is text (the engine escapes it).
A missing item is None or an empty list, and the template says it is still to be completed.
A declared text that exists only in the other language is shown as it is, marked untranslated
(【原文为英文】 in a Chinese document), never silently swapped in.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from compliance import resources
from compliance.art72 import INTERESTS, ITEMS
from compliance.declaration.facts import ITEM, MISSING, declaration_catalog
from compliance.models.result import FileResult, Finding
from compliance.models.rules import RulePack, Text

TO_BE_COMPLETED = Text("[to be completed]", "【待补充】")
UNTRANSLATED = Text("[in Chinese only] ", "【原文为英文】")  # a document's marker for a text in the other language


@cache
def _labels() -> dict:
    from compliance.declaration.load import read_document

    path = resources.templates_dir() / "labels.yaml"
    return read_document(path, "labels.yaml").data


def label(kind: str, code: Any, lang: str) -> str:
    """The name of a coded value in the language (true/false/unknown under 'answer')."""
    key = str(code).lower() if isinstance(code, bool) else str(code)
    entry = _labels()[kind].get(key)
    return entry[lang] if entry else str(code)


def stated(kind: str, code: Any, lang: str) -> str | None:
    """The label of a declared value, or None (printed "to be completed") when it is not stated."""
    if code is None or code is MISSING or code == "unknown":
        return None
    return label(kind, code, lang)


def filing(data: dict, kind: str) -> dict:
    """The declared filing of a kind (format v2 keeps filings as a typed list), or {} when none."""
    entries = [entry for entry in data.get("filings") or () if entry.get("type") == kind]
    done = [entry for entry in entries if entry.get("status") == "done"]
    return (done or entries or [{}])[0]


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")


def written_in(value: str) -> str:
    """The language a plain declared string is written in: any Chinese character makes it Chinese."""
    return "zh" if _CJK.search(value) else "en"


def text(value: Any, lang: str) -> str | None:
    """A declared free text (a string or {en, zh}) in the document's language; text that exists only
    in the other language is returned marked as untranslated."""
    if value is None:
        return None
    if isinstance(value, str):
        found, other = (value, None) if written_in(value) == lang else (None, value)
    else:
        found, other = value.get(lang), value.get("zh" if lang == "en" else "en")
    if found:
        return found
    return UNTRANSLATED(lang) + other if other else None


def texts(values: Any, lang: str) -> list[str]:
    return [text(value, lang) for value in values or ()]


def untranslated(data: dict, lang: str) -> list[str]:
    """Dotted paths of the declared free texts a document in `lang` shows marked as untranslated."""
    catalog = declaration_catalog()
    found: list[str] = []

    def visit(node: Any, path: tuple[str, ...], shown: str) -> None:
        if catalog.get(path + ("en",)) is not None and (isinstance(node, str) or _bilingual(node)):
            if text(node, lang) and text(node, lang).startswith(UNTRANSLATED(lang)):
                found.append(shown)
        elif isinstance(node, dict):
            for key, value in node.items():
                visit(value, path + (key,), f"{shown}.{key}" if shown else key)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                visit(item, path + (ITEM,), f"{shown}[{index}]")

    visit(data, (), "")
    return found


def _bilingual(node: Any) -> bool:
    return isinstance(node, dict) and set(node) <= {"en", "zh"}


def fact(data: dict, dotted: str) -> Any:
    """A declared fact, or the schema's default when the declaration leaves it out."""
    node: Any = data
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            default = declaration_catalog().get(tuple(dotted.split(".")))
            value = default.default if default is not None else MISSING
            return None if value is MISSING else value
        node = node[key]
    return node


# Evidence an assessment cites: (fact path, kind of record, English name, Chinese name).
SAFEGUARDS = (
    ("safeguards.risk_assessment", "assessment", "Ethics and security review and risk assessment", "伦理安全规范审查和风险评估"),
    ("safeguards.ex_ante_assessment", "assessment", "Ex-ante assessment", "事前评估"),
    ("safeguards.risk_warning", "in_place", "Risk warning mechanism", "风险预警机制"),
    ("safeguards.disclosure", "published", "Ex-ante disclosure", "事前披露"),
    ("safeguards.tracking_plan", "in_place", "Post-facto tracking plan", "事后跟踪方案"),
    ("ethics.review", "assessment", "Ethics review", "伦理审查"),
    ("ethics.committee", "committee", "Ethics committee", "科技伦理（审查）委员会"),
    ("safeguards.algorithm_explanation", "published", "Algorithm explanation", "算法说明"),
    ("safeguards.human_oversight", "flag", "Human oversight", "人工监督"),
    ("safeguards.security_testing", "assessment", "Security and reliability testing", "安全性测试和可靠性评估"),
    ("safeguards.incident_response", "flag", "Incident response", "安全事件应急处置"),
    ("safeguards.logging", "flag", "Decision logging", "决策日志留存"),
    ("safeguards.monitoring", "flag", "Post-release monitoring", "上线后监测"),
    ("safeguards.training", "training", "Ethics, security and legal training", "伦理安全和法律法规培训"),
    ("filings.pi_impact_assessment", "assessment", "Personal information protection impact assessment", "个人信息保护影响评估"),
    ("filings.algorithm_filing", "filing", "Algorithm filing", "算法备案"),
    ("filings.security_assessment", "filing", "Security assessment", "安全评估"),
)

# Filings are a typed list in format v2; each safeguard row reads its entry in the v1 shape it used.
_FILING_RECORD = {
    "filings.algorithm_filing": lambda data: filing(data, "algorithm_recommendation") or filing(data, "deep_synthesis")
    or filing(data, "generative_ai"),
    "filings.security_assessment": lambda data: filing(data, "security_assessment"),
    "filings.pi_impact_assessment": lambda data: _as_assessment(filing(data, "pi_impact_assessment")),
}


def _key(path: str) -> str:
    """A safeguard's key in templates: the last part of its path (ethics.review is ethics_review)."""
    return path.replace(".", "_") if path.startswith("ethics.") else path.rsplit(".", 1)[1]


def _as_assessment(entry: dict) -> dict:
    status = entry.get("status", "unknown")
    done = True if status == "done" else "unknown" if status == "unknown" else False
    return {"done": done, **{key: entry[key] for key in ("date", "number") if entry.get(key)}}


# Which declared safeguards speak to which Art. 72 interest.
MITIGATIONS = {
    "national_interests": ("practices.generative_service.content_moderation", "filings.algorithm_filing",
                           "filings.security_assessment", "safeguards.logging"),
    "public_security": ("safeguards.human_oversight", "safeguards.security_testing", "safeguards.incident_response",
                        "safeguards.monitoring", "safeguards.risk_warning"),
    "commercial_order": ("safeguards.disclosure", "safeguards.algorithm_explanation",
                         "practices.recommendation.non_personalised_option"),
    "personal_rights": ("filings.pi_impact_assessment", "ethics.review", "safeguards.human_oversight",
                        "data.third_party_provision.de_identified", "safeguards.special_group_protections.minors_mode"),
}
_EXTRA_NAMES = {
    "practices.generative_service.content_moderation": ("Content moderation", "内容审核"),
    "practices.recommendation.non_personalised_option": ("Non-personalised option", "不针对个人特征的选项"),
    "data.third_party_provision.de_identified": ("De-identification of data provided to others", "对外提供数据去标识化"),
    "safeguards.special_group_protections.minors_mode": ("Minors' mode", "未成年人模式"),
}


_HAS_USCC = ("enterprise", "government_body", "public_institution", "social_organisation")


def build(data: dict, result: FileResult, pack: RulePack, meta: dict, lang: str) -> dict:
    """The whole context of one product's documents in one language."""
    rules = {rule.id: rule for rule in pack.rules}
    t = lambda text: text(lang) if text is not None else None  # noqa: E731
    product, provider = data["product"], data["provider"]
    other = "en" if lang == "zh" else "zh"
    contact = provider.get("contact") or {}
    findings = [_finding(f, lang, t) for f in result.findings]
    for number, item in enumerate(findings, 1):
        item["ref"] = f"F{number}"
    context = {
        "lang": lang,
        "todo": TO_BE_COMPLETED(lang),
        "meta": meta,
        "product": {
            "id": product["id"], "version": product["version"], "description": text(product.get("description"), lang),
            "name": text(product["name"], lang), "other_name": _other_name(product["name"], other),
            "stage": stated("stage", fact(data, "product.stage"), lang),
        },
        "provider": {
            "name": text(provider.get("name"), lang), "other_name": _other_name(provider.get("name"), other),
            "kind": label("provider_kind", provider["kind"], lang), "has_uscc": provider["kind"] in _HAS_USCC,
            "uscc": provider.get("uscc") if provider.get("uscc") != "unknown" else None,
            "district": stated("district", fact(data, "provider.district"), lang),
            "size": stated("size", fact(data, "provider.size"), lang),
            "contact": {"name": text(contact.get("name"), lang), "email": contact.get("email"),
                        "phone": contact.get("phone")},
        },
        "scenario": {
            "domains": [label("domain", code, lang) for code in data["scenario"]["domains"]],
            "purpose": text(data["scenario"]["purpose"], lang),
            "other_description": text(data["scenario"].get("other_description"), lang),
        },
        "scope": _scope(data, lang),
        "autonomy": {name: stated(kind, fact(data, f"autonomy.{name}"), lang) for name, kind in (
            ("level", "level"), ("significant_effects", "answer"), ("physical_actuation", "actuation"),
            ("behavioural_influence", "influence"), ("affects_health", "answer"))}
        | {"significant": fact(data, "autonomy.significant_effects") is not False},
        "data": _data(data, lang),
        "practices": _practices(data, lang),
        "transparency": _transparency(data, lang),
        "recommendation": {
            "used": fact(data, "practices.recommendation.used") is True,
            "not_used": fact(data, "practices.recommendation.used") is False,
            "answer": stated("answer", fact(data, "practices.recommendation.used"), lang),
            "non_personalised_option": stated("answer", fact(data, "practices.recommendation.non_personalised_option"), lang),
            "minors_mode": stated("answer", fact(data, "practices.recommendation.minors_mode"), lang),
        },
        "standards": {
            "national_or_local": _list_or_none(fact(data, "standards.national_or_local")),
            "international": fact(data, "standards.international") or [],
            "medical_device": stated("device_class", fact(data, "standards.medical_device.class"), lang),
            "device_class": fact(data, "standards.medical_device.class"),
            "registration": fact(data, "standards.medical_device.registration"),
        },
        "grade": _grade(result, rules, lang, t),
        "art72": _art72(data, findings, lang),
        "interests": _interests(data, result, rules, lang, t),
        "obligations": [
            {"id": o.id, "title": t(o.title), "article": t(o.article), "status": o.status,
             "status_label": label("status", o.status, lang), "mandatory": o.mandatory, "assumed": o.assumed}
            for o in result.obligations if o.status != "not_applicable"
        ],
        "findings": findings,
        "safeguards": [_safeguard(data, path, kind, en, zh, lang) for path, kind, en, zh in SAFEGUARDS],
        "gate_safeguards": GATE_SAFEGUARDS,
        "safeguard": {_key(path): _safeguard(data, path, kind, en, zh, lang) for path, kind, en, zh in SAFEGUARDS},
        "review_interval_months": fact(data, "safeguards.tracking_plan.review_interval_months"),
        "attested_by": text(fact(data, "attestation.attested_by"), lang),
        "attested_on": fact(data, "attestation.date"),
        "filings": _filings(data, lang),
        "incidents": _incidents(data, lang),
        "outputs": _outputs(data, lang),
    }
    context["gates"] = [dict(o, evidence=_gate_evidence(o["id"], context)) for o in context["obligations"]
                        if o["id"] in _GATE_EVIDENCE]
    context["open_items"] = [f for f in findings if f["severity"] in ("error", "warning") and not f["waived"]]
    context["appendix"] = _appendix(context, result, meta, lang)
    return context


# The legal gates beside the grade, and the safeguard record that evidences each.
_GATE_EVIDENCE = {"GATE-PI-IMPACT-ASSESSMENT": "pi_impact_assessment", "GATE-ALGORITHM-FILING": "algorithm_filing",
                  "GATE-SECURITY-ASSESSMENT": "security_assessment", "OBL-MEDICAL-DEVICE-REGISTRATION": None}
GATE_SAFEGUARDS = tuple(key for key in _GATE_EVIDENCE.values() if key)


def _gate_evidence(gate: str, context: dict) -> str:
    key = _GATE_EVIDENCE[gate]
    if key is None:
        return context["standards"]["registration"] or ""
    return context["safeguard"][key]["detail"]


def _filings(data: dict, lang: str) -> list[dict]:
    """The filings the declaration lists, labelled."""
    return [{"type": entry["type"], "name": label("filing_type", entry["type"], lang),
             "status": entry["status"], "status_label": label("filing_status", entry["status"], lang),
             "number": entry.get("number") if entry.get("number") != "unknown" else None,
             "number_unknown": entry.get("number") == "unknown", "date": entry.get("date"),
             "authority": text(entry.get("authority"), lang), "note": text(entry.get("note"), lang)}
            for entry in data.get("filings") or ()]


def _incidents(data: dict, lang: str) -> list[dict]:
    """Incidents the declaration reports, oldest first."""
    rows = []
    for entry in sorted(data.get("incidents") or (), key=lambda item: str(item["date"])):
        affected = entry.get("persons_affected", "unknown")
        rows.append({
            "date": entry["date"], "kind": label("incident_kind", entry["kind"], lang),
            "severity": label("incident_severity", entry["severity"], lang), "summary": text(entry["summary"], lang),
            "affected": None if affected == "unknown" else f"{affected:,}",
            "reported": stated("answer", entry.get("reported_to_authority", "unknown"), lang),
            "authority": text(entry.get("authority"), lang),
            "disclosed": stated("answer", entry.get("disclosed", "unknown"), lang),
            "remediated": stated("answer", entry.get("remediated", "unknown"), lang),
        })
    return rows


_OUTPUT_TESTS = (
    ("discriminatory", "Discriminatory or biased outputs", "歧视或偏见内容"),
    ("hateful", "Hateful, violent or obscene outputs", "仇恨、暴力或淫秽内容"),
    ("self_harm", "Responses to suicide and self-harm", "对自杀、自残对话的应对"),
    ("medical_misinformation", "Wrong medical advice", "错误的医疗建议"),
    ("legal_misinformation", "Wrong legal or financial advice", "错误的法律或金融建议"),
    ("impersonation", "Posing as a human or a real person", "冒充人类或真实人物"),
    ("illegal_content", "Content endangering national security or the public interest", "危害国家安全或公共利益的内容"),
)


def _outputs(data: dict, lang: str) -> dict:
    """How the outputs were tested (declaration section outputs)."""
    tests = []
    for key, en, zh in _OUTPUT_TESTS:
        entry = fact(data, f"outputs.{key}") or {}
        tests.append({"key": key, "name": zh if lang == "zh" else en,
                      "outcome": stated("test_outcome", entry.get("outcome", "unknown"), lang),
                      "reference": entry.get("reference")})
    red_team = fact(data, "outputs.red_team") or {}
    return {"tests": tests, "discloses_ai": stated("answer", fact(data, "outputs.discloses_ai"), lang),
            "red_team": stated("answer", red_team.get("done", "unknown"), lang), "red_team_date": red_team.get("date"),
            "red_team_open": stated("answer", red_team.get("open_issues", "unknown"), lang)}


def _appendix(context: dict, result: FileResult, meta: dict, lang: str) -> dict:
    """What the internal documents keep out of their text: where the document comes from, and the
    rule behind each numbered reason and finding, with what closes it in the declaration."""
    return {
        "provenance": meta,
        "reasons": [{"ref": r["ref"], "rule_id": r["rule_id"]} for r in context["grade"]["reasons"]],
        "findings": [{"ref": f["ref"], "rule_id": f["rule_id"], "remedy": f["remedy"], "fact": f["fact"]}
                     for f in context["findings"] if f["severity"] != "info" or f["art72_item"]],
        "assumed": context["grade"]["assumed"],
    }


_TRANSPARENCY_LISTS = ("capabilities", "limitations", "failure_modes", "inputs", "metrics")
_TRANSPARENCY_TEXTS = ("mechanism", "opt_out", "complaints", "human_review", "incident_threshold")


def _transparency(data: dict, lang: str) -> dict:
    values = {key: texts(fact(data, f"transparency.{key}"), lang) for key in _TRANSPARENCY_LISTS}
    values.update({key: text(fact(data, f"transparency.{key}"), lang) for key in _TRANSPARENCY_TEXTS})
    return values


def _other_name(value: Any, other: str) -> str | None:
    """The name in the other language, when the declaration gives one that differs."""
    if isinstance(value, dict) and value.get(other) and value.get(other) != value.get("en" if other == "zh" else "zh"):
        return value[other]
    return None


def _list_or_none(value: Any) -> list | None:
    return value if isinstance(value, list) else None


def _scope(data: dict, lang: str) -> dict:
    users = fact(data, "scope.reach")
    return {
        "audience": [label("audience", code, lang) for code in data["scope"]["audience"]],
        "users": None if users == "unknown" else f"{users:,}",
        "geography": stated("geography", fact(data, "scope.geography"), lang),
        "special_groups": [
            {"group": label("group", name, lang), "reach": stated("reach", reach, lang), "code": reach}
            for name, reach in data["scope"]["special_groups"].items()
        ],
        "public_decision_making": stated("answer", fact(data, "scope.public_decision_making"), lang),
        "public_interest_commercial": stated("answer", fact(data, "scope.public_interest_commercial"), lang),
    }


def _data(data: dict, lang: str) -> dict:
    sensitive = fact(data, "data.sensitive_categories")
    basis = fact(data, "data.lawful_basis")
    attributes = fact(data, "data.protected_attributes")
    return {
        "personal_information": stated("answer", fact(data, "data.personal_information"), lang),
        "processes_pi": fact(data, "data.personal_information") is True,
        "sensitive": [label("sensitive", code, lang) for code in sensitive] if isinstance(sensitive, list) else None,
        "lawful_basis": [label("lawful_basis", code, lang) for code in basis] if isinstance(basis, list) else None,
        "provided_to_others": stated("answer", fact(data, "data.third_party_provision.provided"), lang),
        "de_identified": stated("answer", fact(data, "data.third_party_provision.de_identified"), lang),
        "exception": stated("exception", fact(data, "data.third_party_provision.exception"), lang),
        "cross_border": stated("answer", fact(data, "data.cross_border.transfer"), lang),
        "sensitive_separate_consent": stated("answer", fact(data, "data.consent.separate_for_sensitive"), lang),
        "guardian_consent": stated("answer", fact(data, "data.consent.guardian_for_under_14"), lang),
        "provision_separate_consent": stated("answer", fact(data, "data.third_party_provision.separate_consent"), lang),
        "protected_attributes": [
            {"attribute": label("attribute", item["attribute"], lang), "use": label("attribute_use", item["use"], lang),
             "purpose": text(item["purpose"], lang)}
            for item in attributes
        ] if isinstance(attributes, list) else None,
    }


_PRACTICES = (
    ("pricing", "practices.pricing.personalised", "Personalised prices or terms", "个性化价格或交易条件"),
    ("deep_synthesis", "practices.deep_synthesis.used", "Deep synthesis", "深度合成"),
    ("generative_service", "practices.generative_service.public", "Generative AI service to the public", "面向公众的生成式人工智能服务"),
    ("recommendation", "practices.recommendation.used", "Personalised recommendation", "个性化推荐"),
    ("biometric_identification", "practices.biometric_identification.used", "Biometric identification", "生物特征识别"),
    ("emotion_recognition", "practices.emotion_recognition.used", "Emotion recognition", "情绪识别"),
    ("worker_scheduling", "practices.worker_scheduling.used", "Algorithmic scheduling of workers", "对劳动者的算法调度"),
    ("public_opinion", "practices.public_opinion.attributes", "Public-opinion attributes or social mobilisation", "舆论属性或社会动员能力"),
)


def _practices(data: dict, lang: str) -> list[dict]:
    """Every Art. 72 practice with whether the product uses it (yes, no, not stated)."""
    rows = []
    for key, path, en, zh in _PRACTICES:
        used = fact(data, path)
        rows.append({"key": key, "name": zh if lang == "zh" else en, "used": used is True,
                     "answer": stated("answer", used, lang), "details": _practice_details(data, key, lang)})
    return rows


def _practice_details(data: dict, key: str, lang: str) -> list[str]:
    if key == "pricing":
        basis = fact(data, "practices.pricing.basis")
        return [label("pricing_basis", code, lang) for code in basis] if isinstance(basis, list) else []
    if key == "deep_synthesis":
        modalities = fact(data, "practices.deep_synthesis.modalities")
        return [label("modality", code, lang) for code in modalities] if isinstance(modalities, list) else []
    if key == "generative_service":
        number = filing(data, "generative_ai").get("number")
        return [number] if number and number != "unknown" else []
    if key == "biometric_identification":
        purpose = fact(data, "practices.biometric_identification.purpose")
        return [label("biometric_purpose", purpose, lang)] if purpose else []
    if key == "emotion_recognition":
        contexts = fact(data, "practices.emotion_recognition.contexts")
        return [label("emotion_context", code, lang) for code in contexts] if isinstance(contexts, list) else []
    return []


def _grade(result: FileResult, rules: dict, lang: str, t) -> dict:
    lowering = result.lowering
    assumed = {f.path for r in result.reasons if r.assumed for f in r.facts if f.unknown}
    reasons = []
    for number, r in enumerate(result.reasons, 1):
        # A rule that reads the law beyond its words says so (rule pack 2.0): shown beside the reason.
        reading = rules[r.rule_id].reading if r.rule_id in rules else None
        reasons.append({
            "ref": f"R{number}", "rule_id": r.rule_id, "level": r.level, "level_label": _level_label(r.level, lang),
            "title": t(r.title), "message": t(r.message), "article": t(r.article),
            "citations": [t(c) for c in r.citations], "assumed": r.assumed, "reading": t(reading),
            "facts": [{"path": f.path, "name": label("fact", f.path, lang), "value": _shown(f.value, lang, f.path),
                       "line": f.line} for f in r.facts]})
    return {
        "level": result.risk_level,
        "label": label("risk_level", result.risk_level, lang),
        "reasons": reasons,
        "plain_reasons": _plain_reasons(result, lang, t),
        "rests_on_unstated": any(r.assumed for r in result.reasons),
        **_grade_sources(result, rules),
        "drivers": [{"path": f.path, "name": label("fact", f.path, lang), "value": _shown(f.value, lang, f.path)}
                    for f in result.drivers],
        "assumed": sorted(assumed),
        "assumed_facts": [{"path": path, "name": label("fact", path, lang)} for path in sorted(assumed)],
        "lowering": None if lowering is None else {
            "to": label("risk_level", lowering.to, lang),
            "changes": [{"fact": c.fact, "name": label("fact", c.fact, lang), "from": _shown(c.old, lang, c.fact),
                         "to": _shown(c.new, lang, c.fact)} for c in lowering.changes],
        },
        "outside_control": [{"path": f.path, "name": label("fact", f.path, lang), "value": _shown(f.value, lang, f.path)}
                            for f in result.outside_control],
    }


# For the public, a reason is its title; these facts add what the declaration itself says.
_SPECIFIC_FACTS = ("data.sensitive_categories", "data.protected_attributes", "practices.deep_synthesis.modalities",
                   "practices.emotion_recognition.contexts")


def _plain_reasons(result: FileResult, lang: str, t) -> list[str]:
    """The grade's reasons as the public reads them: the factor, and what the declaration says of it;
    reasons that rest on a fact not yet stated are left to the provider to confirm."""
    shown = []
    for reason in result.reasons:
        if reason.assumed:
            continue
        specifics = [_shown(f.value, lang, f.path) for f in reason.facts if f.path in _SPECIFIC_FACTS and f.value]
        line = t(reason.title) + ((": " if lang == "en" else "：") + "; ".join(specifics) if specifics else "")
        if line not in shown:
            shown.append(line)
    return shown


# The label kind of each enumerated fact, so grade explanations read "employment", not a code.
_FACT_LABELS = {
    "scenario.domains": "domain", "scope.audience": "audience", "scope.geography": "geography",
    "scope.special_groups.children": "reach", "scope.special_groups.elderly": "reach",
    "scope.special_groups.disabled": "reach", "autonomy.level": "level", "autonomy.physical_actuation": "actuation",
    "autonomy.behavioural_influence": "influence", "data.sensitive_categories": "sensitive",
    "data.lawful_basis": "lawful_basis", "practices.pricing.basis": "pricing_basis",
    "practices.deep_synthesis.modalities": "modality", "practices.emotion_contexts": "emotion_context",
    "practices.emotion_recognition.contexts": "emotion_context", "practices.biometric_identification.purpose": "biometric_purpose",
    "standards.medical_device.class": "device_class", "data.protected_attributes": None,
}


def _grade_sources(result: FileResult, rules: dict) -> dict:
    """What the grade's sentence may say: which raise reasons lifted it (by reference), and whether
    the grade itself, not only some reason, rests on facts the declaration does not state."""
    from compliance.evaluate.grade import combine_levels

    fired = [(f"R{number}", r, rules[r.rule_id]) for number, r in enumerate(result.reasons, 1) if r.rule_id in rules]
    rank = combine_levels([rule for _, _, rule in fired]).rank
    unraised = combine_levels([rule for _, _, rule in fired if rule.level != "raise"]).rank
    declared = combine_levels([rule for _, reason, rule in fired if not reason.assumed]).rank
    raised_by = [ref for ref, _, rule in fired if rule.level == "raise"] if unraised < rank else []
    return {"raised_by": raised_by, "grade_rests_on_unstated": declared < rank}


def _level_label(level: str, lang: str) -> str:
    if level == "raise":
        return "上调一级" if lang == "zh" else "one level up"
    return label("risk_level", level, lang)


def _shown(value: Any, lang: str, path: str | None = None) -> str:
    kind = _FACT_LABELS.get(path) if path else None
    if isinstance(value, bool) or value in ("unknown", "not_applicable", "unsure"):
        return label("answer", value, lang)
    if isinstance(value, list):
        separator = "、" if lang == "zh" else ", "
        return separator.join(_shown(item, lang, path) for item in value) or ("无" if lang == "zh" else "none")
    if isinstance(value, dict) and "attribute" in value:  # a protected attribute and its use
        use = label("attribute_use", value["use"], lang) if value.get("use") else None
        name = label("attribute", value["attribute"], lang)
        return name if use is None else f"{name}（{use}）" if lang == "zh" else f"{name} ({use})"
    if isinstance(value, dict):
        return "; ".join(f"{label('fact', k, lang)}: {_shown(v, lang)}" for k, v in value.items() if k != "purpose")
    if isinstance(value, int):
        return f"{value:,}"
    if kind and value is not None:
        return label(kind, value, lang)
    return "—" if value is None else str(value)


def _finding(finding: Finding, lang: str, t) -> dict:
    return {
        "rule_id": finding.rule_id, "severity": finding.severity, "severity_label": label("severity", finding.severity, lang),
        "title": t(finding.title), "message": t(finding.message), "article": t(finding.article),
        "remedy": t(finding.remedy), "assumed": finding.assumed, "waived": finding.waiver is not None,
        "art72_item": finding.art72_item, "line": finding.line, "fact": finding.fact,
        "ref": None,  # numbered below, in the order the documents list them
    }


def _art72(data: dict, findings: list[dict], lang: str) -> list[dict]:
    items = []
    for number, (field, title) in ITEMS.items():
        attestation = fact(data, f"attestation.{field}")
        found = [f for f in findings if f["art72_item"] == number]
        if attestation is None:
            status = "not_attested"
        elif any(f["severity"] == "error" for f in found):
            status = "finding"
        else:
            status = "clear"
        items.append({
            "item": number, "title": title(lang), "status": status, "findings": found,
            "attestation": None if attestation is None else {
                "engages": stated("answer", attestation["engages"], lang), "note": text(attestation["note"], lang)},
        })
    return items


def _interests(data: dict, result: FileResult, rules: dict, lang: str, t) -> list[dict]:
    blocks = []
    for key, title in INTERESTS.items():
        risks = [{"rule_id": r.rule_id, "title": t(r.title), "article": t(r.article), "kind": "grade",
                  "level": _level_label(r.level, lang)}
                 for r in result.reasons if key in rules[r.rule_id].interests]
        risks += [{"rule_id": f.rule_id, "title": t(f.title), "article": t(f.article), "kind": "finding",
                   "level": label("severity", f.severity, lang)}
                  for f in result.findings if f.rule_id in rules and key in rules[f.rule_id].interests]
        mitigations = [item for path in MITIGATIONS[key] if (item := _mitigation(data, path, lang))]
        blocks.append({"key": key, "title": title(lang), "risks": risks, "mitigations": mitigations})
    return blocks


def _mitigation(data: dict, path: str, lang: str) -> dict | None:
    for spec in SAFEGUARDS:
        if spec[0] == path:
            entry = _safeguard(data, *spec, lang)
            return entry if entry["in_place"] else None
    en, zh = _EXTRA_NAMES[path]
    if fact(data, path) is True:
        return {"key": path.rsplit(".", 1)[1], "name": zh if lang == "zh" else en, "in_place": True,
                "status": label("answer", True, lang), "detail": ""}
    return None


def _safeguard(data: dict, path: str, kind: str, en: str, zh: str, lang: str) -> dict:
    value = _FILING_RECORD[path](data) if path in _FILING_RECORD else fact(data, path)
    record = value if isinstance(value, dict) else {}
    if kind == "flag":
        state = value
    elif kind == "assessment":
        state = record.get("done", "unknown")
    elif kind == "published":
        state = record.get("published", "unknown")
    elif kind == "committee":
        state = record.get("established", "unknown")
    elif kind == "training":
        both = (record.get("ethics_security"), record.get("legal"))
        state = True if both == (True, True) else False if False in both else "unknown"
    elif kind == "filing":
        status = record.get("status", "unknown")
        state = "unknown" if status == "unknown" else status == "done"
    else:  # in_place
        state = record.get("in_place", "unknown")
    details = [str(record[key]) for key in ("date", "last_date", "reference", "number", "url")
               if record.get(key) and record.get(key) != "unknown"]
    if kind == "committee" and record.get("members"):
        details.append(f"{record['members']} {'名委员' if lang == 'zh' else 'members'}")
    if kind == "assessment" and record.get("assessor"):
        details.append(label("assessor", record["assessor"], lang))
    return {"key": _key(path), "name": zh if lang == "zh" else en, "in_place": state is True,
            "status": stated("answer", state if state in (True, False) else "unknown", lang), "detail": "; ".join(details)}
