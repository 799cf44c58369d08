"""The ethics review material's substance: the items of an ethics review application (S&T Ethics
Review Measures Art. 9) from the declaration's `ethics:` section, a self-assessment against the
eight principles of Art. 63, the expert re-review items that apply (the Measures' annex), and the
machine-readable twin (schemas/ethics-filing-v1.schema.json). The material is the enterprise's
own review record, kept on file (备查; Art. 72 para. 1), not a filing with the city's committee.

Each principle lists declared evidence and gaps; a gap is a fact the declaration states against
the principle, leaves unknown, or a finding. Nothing is assumed in the product's favour.
"""

from __future__ import annotations

from typing import Any

from compliance.evaluate.conditions import F
from compliance.models.result import FileResult
from compliance.models.rules import RulePack, Text
from compliance.render.context import fact, label, stated, text

FILING_SCHEMA_ID = "https://aicomply.dev/schemas/ethics-filing-v1.schema.json"

PRINCIPLES = (
    ("harmony", Text("Harmony and friendliness", "和谐友好")),
    ("fairness", Text("Fairness and justice", "公平公正")),
    ("inclusiveness", Text("Inclusiveness and sharing", "包容共享")),
    ("privacy", Text("Respect for privacy", "尊重隐私")),
    ("security", Text("Security and controllability", "安全可控")),
    ("responsibility", Text("Shared responsibility", "共担责任")),
    ("collaboration", Text("Open collaboration", "开放协作")),
    ("agility", Text("Agile governance", "敏捷治理")),
)

REREVIEW = (
    (5, "rereview_item5", Text("Human-machine systems that strongly influence behaviour, emotions or health",
                               "对人类主观行为、心理情绪和生命健康等具有较强影响的人机融合系统")),
    (6, "rereview_item6", Text("Algorithms, applications and systems able to mobilise public opinion",
                               "具有舆论社会动员能力和社会意识引导能力的算法模型、应用程序及系统")),
    (7, "rereview_item7", Text("Highly autonomous automated decision systems where safety or health is at risk",
                               "面向存在安全、人身健康风险等场景的具有高度自主能力的自动化决策系统")),
)


def _check(data: dict, path: str, good: Text, bad: Text, want: Any = True) -> tuple[list[Text], list[Text]]:
    value = fact(data, path)
    if value == want:
        return [good], []
    return [], [bad if value != "unknown" else Text(f"{bad.en} (not stated)", f"{bad.zh}（未申报）")]


def _findings(result: FileResult, ids: str | tuple[str, ...], none: Text) -> tuple[list[Text], list[Text]]:
    """Gaps from unwaived findings whose id starts with `ids` (a prefix or a tuple of them)."""
    hits = [f for f in result.findings if f.waiver is None and f.severity != "info" and f.rule_id.startswith(ids)]
    if not hits:
        return [none], []
    return [], [f.title for f in hits]


def _merge(*parts: tuple[list[Text], list[Text]]) -> tuple[list[Text], list[Text]]:
    return [e for part in parts for e in part[0]], [g for part in parts for g in part[1]]


def principles(data: dict, result: FileResult) -> list[dict[str, Any]]:
    """Each Art. 63 principle with evidence and gaps, in both languages."""
    assessed = {
        "harmony": _merge(
            _check(data, "autonomy.behavioural_influence", Text("Influence on behaviour is none or moderate", "对行为的影响为无或一般"),
                   Text("Strong influence on users' behaviour or emotions", "对用户行为或情绪有较强影响"), want="none")
            if fact(data, "autonomy.behavioural_influence") != "moderate" else
            ([Text("Influence on behaviour is moderate", "对行为的影响一般")], []),
            _check(data, "practices.engagement.addictive_design", Text("No design that induces addiction or overspending", "无诱导沉迷或过度消费的设计"),
                   Text("Design that may induce addiction or overspending", "存在可能诱导沉迷或过度消费的设计"), want=False),
        ),
        "fairness": _merge(
            _findings(result, "A72-4-", Text("No discrimination findings", "未发现歧视问题")),
            _findings(result, "A72-5-", Text("No price-discrimination findings", "未发现价格歧视问题")),
        ),
        "inclusiveness": _inclusiveness(data, result),
        "privacy": ([Text("No personal information is processed", "不处理个人信息")], [])
        if fact(data, "data.personal_information") is False else _merge(
            _check(data, "filings.pi_impact_assessment.done", Text("Personal information protection impact assessment done", "已开展个人信息保护影响评估"),
                   Text("No personal information protection impact assessment", "未开展个人信息保护影响评估")),
            _findings(result, ("A72-2-", "OBL-DEIDENTIFY-PROVISION"), Text("No privacy findings", "未发现隐私问题")),
        ),
        "security": _merge(
            _check(data, "safeguards.human_oversight", Text("Human oversight in place", "已建立人工监督"), Text("No human oversight", "无人工监督")),
            _check(data, "safeguards.security_testing.done", Text("Security and reliability testing done", "已开展安全性测试和可靠性评估"),
                   Text("No security and reliability testing", "未开展安全性测试和可靠性评估")),
            _check(data, "safeguards.incident_response", Text("Incident response in place", "已建立安全事件应急处置机制"), Text("No incident response", "无安全事件应急处置机制")),
            _check(data, "safeguards.logging", Text("Decisions are logged", "决策日志可追溯"), Text("Decisions are not logged", "决策无日志留存")),
        ),
        "responsibility": _merge(
            _check(data, "safeguards.risk_assessment.done", Text("Ethics and security review and risk assessment done", "已开展伦理安全规范审查和风险评估"),
                   Text("No ethics and security review and risk assessment", "未开展伦理安全规范审查和风险评估")),
            _check(data, "safeguards.training.ethics_security", Text("Staff trained in ethics and security", "已开展从业人员伦理安全培训"),
                   Text("No ethics and security training of staff", "未开展从业人员伦理安全培训")),
            ([Text("Self-attestation signed", "已签署自我声明")], []) if fact(data, "attestation.attested_by")
            else ([], [Text("Self-attestation not signed", "自我声明未签署")]),
        ),
        "collaboration": _merge(
            _check(data, "safeguards.disclosure.published", Text("Disclosure published", "已发布披露文件"), Text("No published disclosure", "未发布披露文件")),
            _check(data, "safeguards.algorithm_explanation.published", Text("Algorithm explanation published", "已发布算法说明"),
                   Text("No published algorithm explanation", "未发布算法说明"))
            if any(o.id == "OBL-ALGORITHM-EXPLANATION" and o.status != "not_applicable" for o in result.obligations) else ([], []),
        ),
        "agility": _merge(
            _check(data, "safeguards.monitoring", Text("Post-release monitoring in place", "已建立上线后监测"), Text("No post-release monitoring", "无上线后监测")),
            ([Text(f"Reviewed every {fact(data, 'safeguards.tracking_plan.review_interval_months')} months",
                   f"每 {fact(data, 'safeguards.tracking_plan.review_interval_months')} 个月复核一次")], [])
            if fact(data, "safeguards.tracking_plan.review_interval_months") else ([], [Text("No review interval set", "未设定复核周期")]),
        ),
    }
    return [
        {"key": key, "title": title, "status": "gaps" if assessed[key][1] else "addressed",
         "evidence": assessed[key][0], "gaps": assessed[key][1]}
        for key, title in PRINCIPLES
    ]


_PROTECTIONS = (
    ("safeguards.special_group_protections.minors_mode", Text("Minors' mode", "未成年人模式")),
    ("safeguards.special_group_protections.elderly_friendly", Text("Age-friendly design", "适老化设计")),
    ("safeguards.special_group_protections.accessibility", Text("Accessibility", "无障碍设计")),
)


def _inclusiveness(data: dict, result: FileResult) -> tuple[list[Text], list[Text]]:
    served = [group for group in ("children", "elderly", "disabled") if fact(data, f"scope.special_groups.{group}") in ("primary", "incidental")]
    if not served:
        return [Text("Not aimed at special groups", "不以特殊群体为服务对象")], []
    declared = [Text(f"{name.en} declared", f"已申报{name.zh}") for path, name in _PROTECTIONS if fact(data, path) is True]
    evidence, gaps = _findings(result, ("OBL-MINORS-MODE", "OBL-ELDERLY-FRIENDLY", "OBL-ACCESSIBILITY", "A72-3-MINORS-TIME-LIMITS",
                                        "A72-3-MINORS-SPENDING-LIMITS", "A72-7-RECOMMENDATION-MINORS"),
                               Text("No finding about the special groups served", "未发现与所服务特殊群体相关的问题"))
    return declared + evidence, gaps


def rereview_items(data: dict, pack: RulePack) -> list[dict[str, Any]]:
    """The three AI items of the expert re-review list and whether each applies (unknown counts)."""
    return [{"item": number, "title": title, "applies": pack.definitions[name].evaluate(data) != F}
            for number, name, title in REREVIEW]


def triggers(data: dict, result: FileResult, items: list[dict]) -> list[Text]:
    found = []
    if result.risk_level == "high":
        found.append(Text("The product is graded high risk", "产品评定为高风险"))
    for group, reason in (("children", Text("Designed for children", "以未成年人为主要服务对象")),
                        ("elderly", Text("Designed for the elderly", "以老年人为主要服务对象")),
                        ("disabled", Text("Designed for people with disabilities", "以残疾人为主要服务对象"))):
        if fact(data, f"scope.special_groups.{group}") == "primary":
            found.append(reason)
    sensitive = fact(data, "data.sensitive_categories")
    if fact(data, "data.personal_information") is True and (sensitive == "unknown" or sensitive):
        found.append(Text("Sensitive personal information is processed", "处理敏感个人信息"))
    found.extend(Text(f"Expert re-review list, item {i['item']}", f"专家复核清单第{i['item']}项") for i in items if i["applies"])
    return found


def twin(data: dict, result: FileResult, pack: RulePack, meta: dict) -> dict[str, Any]:
    """The filing as data, for the committee's systems; validated against its schema by the caller."""
    items = rereview_items(data, pack)
    review = fact(data, "ethics.review") or {}
    body = review.get("body")
    committee = (Text("Commissioned external ethics committee", "受委托的外部伦理委员会") if body == "external_committee"
                 else Text("The enterprise's ethics committee", "本单位科技伦理（审查）委员会") if fact(data, "ethics.committee.established") is True
                 else Text("No committee declared", "未申报伦理委员会"))
    training = fact(data, "safeguards.training") or {}
    bi = lambda text: {"en": text.en, "zh": text.zh}  # noqa: E731
    product, provider = data["product"], data["provider"]
    sensitive = fact(data, "data.sensitive_categories")
    basis = fact(data, "data.lawful_basis")
    return {
        "$schema": FILING_SCHEMA_ID,
        "format": "aicomply-ethics-filing/v1",
        "generated": {"tool_version": meta["tool_version"], "packs": [f"{i}@{v}" for i, v in pack.packs],
                      "declaration_sha256": meta["sha256"], "date": meta["date"]},
        "product": {"id": product["id"], "name": Text.declared(product["name"]).en,
                    "name_zh": _zh_only(product["name"]), "version": product["version"]},
        "provider": {"id": _uscc(provider) or provider["kind"], "name": Text.declared(provider.get("name")).en
                     if provider.get("name") else "", "name_zh": _zh_only(provider.get("name")), "uscc": _uscc(provider)},
        "risk_level": result.risk_level,
        "triggers": [bi(t) for t in triggers(data, result, items)],
        "review": {"done": review.get("done", "unknown"), "body": body, "date": review.get("date"),
                   "reference": review.get("reference"), "expert_rereview": review.get("expert_rereview", "unknown")},
        "committee": bi(committee),
        "principles": [{"key": p["key"], "title": bi(p["title"]), "status": p["status"],
                        "evidence": [bi(e) for e in p["evidence"]], "gaps": [bi(g) for g in p["gaps"]]}
                       for p in principles(data, result)],
        "expert_rereview": [{"item": i["item"], "title": bi(i["title"]), "applies": i["applies"]} for i in items],
        "training": bi(Text(
            f"Ethics and security training: {_yes(training.get('ethics_security'))}; legal training: {_yes(training.get('legal'))}"
            + (f"; last on {training['last_date']}" if training.get("last_date") else ""),
            f"伦理安全培训：{_yes(training.get('ethics_security'), 'zh')}；法律法规培训：{_yes(training.get('legal'), 'zh')}"
            + (f"；最近一次 {training['last_date']}" if training.get("last_date") else ""))),
        "data_sources": bi(Text(
            "Personal information: " + _yes(fact(data, "data.personal_information"))
            + (f"; sensitive categories: {', '.join(sensitive)}" if isinstance(sensitive, list) and sensitive else "")
            + (f"; lawful basis: {', '.join(basis)}" if isinstance(basis, list) else ""),
            "个人信息：" + _yes(fact(data, "data.personal_information"), "zh")
            + (f"；敏感个人信息类别：{'、'.join(sensitive)}" if isinstance(sensitive, list) and sensitive else "")
            + (f"；合法性基础：{'、'.join(basis)}" if isinstance(basis, list) else ""))),
        "findings": [{"rule_id": f.rule_id, "severity": f.severity, "title": bi(f.title), "waived": f.waiver is not None}
                     for f in result.findings],
        "commitment_signed_by": Text.declared(fact(data, "attestation.attested_by")).zh
        if fact(data, "attestation.attested_by") else None,
    }


def _zh_only(value: Any) -> str | None:
    return value.get("zh") if isinstance(value, dict) else None


def _uscc(provider: dict) -> str | None:
    value = provider.get("uscc")
    return value if value and value != "unknown" else None


def _yes(value: Any, lang: str = "en") -> str:
    words = {True: ("yes", "是"), False: ("no", "否")}.get(value, ("not stated", "未申报"))
    return words[1] if lang == "zh" else words[0]


def view(data: dict, result: FileResult, pack: RulePack, lang: str) -> dict[str, Any]:
    """The ethics review material in one language: the S&T Ethics Review Measures Art. 9 items
    (一)-(六) from the declaration's `ethics:` section, the Art. 63 self-assessment and the
    expert re-review list. A fact not stated is None: the document asks for it."""
    ethics = lambda path: fact(data, f"ethics.{path}")  # noqa: E731
    items = rereview_items(data, pack)
    body = ethics("review.body")
    return {
        "activity": stated("activity", ethics("activity"), lang),
        "committee": {
            "established": stated("answer", ethics("committee.established"), lang),
            "has_own": ethics("committee.established") is True,
            "members": ethics("committee.members"), "external_members": ethics("committee.external_members"),
            "both_sexes": stated("answer", ethics("committee.both_sexes"), lang),
            "commissioned": text(ethics("committee.commissioned"), lang),
        },
        "review": {
            "done": stated("answer", ethics("review.done"), lang),
            "body": label("body", body, lang) if body else None,
            "date": ethics("review.date"), "reference": ethics("review.reference"),
            "expert_rereview": stated("answer", ethics("review.expert_rereview"), lang),
        },
        "funding_source": text(ethics("funding_source"), lang),
        "conflicts": {"declared": stated("answer", ethics("conflicts_of_interest.declared"), lang),
                      "details": text(ethics("conflicts_of_interest.details"), lang)},
        "staff": {"qualifications": text(ethics("staff.qualifications"), lang),
                  "experience": text(ethics("staff.experience"), lang),
                  "ethics_training": stated("answer", ethics("staff.ethics_training"), lang)},
        "plan": {key: text(ethics(f"plan.{key}"), lang)
                 for key in ("risks", "mitigations", "emergency_plan", "results_publication")},
        "consent_form": {"used": stated("answer", ethics("consent_form.used"), lang),
                         "reference": ethics("consent_form.reference"),
                         "needed": ethics("consent_form.used") is not False
                         and ethics("consent_form.used") != "not_applicable"},
        "data_sources": text(ethics("data_sources"), lang),
        "code_of_conduct": {"includes": stated("answer", ethics("code_of_conduct.includes_ethics_norms"), lang),
                            "reference": ethics("code_of_conduct.reference")},
        "commitment": {"signed_by": text(ethics("commitment.signed_by"), lang), "date": ethics("commitment.date")},
        "principles": [{"title": p["title"](lang), "status": p["status"], "evidence": [e(lang) for e in p["evidence"]],
                        "gaps": [g(lang) for g in p["gaps"]]} for p in principles(data, result)],
        "rereview": [{"item": i["item"], "title": i["title"](lang), "applies": i["applies"]} for i in items],
        "rereview_due": any(i["applies"] for i in items),
        "triggers": [t(lang) for t in triggers(data, result, items)],
    }
