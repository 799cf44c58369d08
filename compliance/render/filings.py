"""The filing materials' substance: which algorithm and generative AI filings are due, and what
the filing form asks for, from the declaration.

Algorithmic Recommendation Provisions Art. 24 lists what a filing states: the provider's name,
the form of service, the field of application, the algorithm type, the algorithm self-assessment
report and the content to be published (Deep Synthesis Provisions Art. 19 asks the same of deep
synthesis services; Generative AI Interim Measures Art. 17 sends public generative services with
public-opinion attributes to the same filing, and to security assessment). The declaration has no
field for the form of service: the document asks for it.
"""

from __future__ import annotations

from typing import Any

from compliance.models.result import FileResult
from compliance.models.rules import Text
from compliance.render.context import fact, stated, text

# The filings this document prepares, each with the rule that makes it due and its basis.
FILINGS = (
    ("algorithm_recommendation", Text("Algorithm filing", "算法备案"),
     Text("Algorithmic Recommendation Provisions Art. 24", "《互联网信息服务算法推荐管理规定》第二十四条")),
    ("deep_synthesis", Text("Deep synthesis algorithm filing", "深度合成算法备案"),
     Text("Deep Synthesis Provisions Art. 19", "《互联网信息服务深度合成管理规定》第十九条")),
    ("generative_ai", Text("Generative AI service filing", "生成式人工智能服务备案"),
     Text("Generative AI Interim Measures Art. 17", "《生成式人工智能服务管理暂行办法》第十七条")),
    ("security_assessment", Text("Security assessment", "安全评估"),
     Text("Algorithmic Recommendation Provisions Art. 27; Generative AI Interim Measures Art. 17",
          "《互联网信息服务算法推荐管理规定》第二十七条；《生成式人工智能服务管理暂行办法》第十七条")),
)

# Algorithm types named by Algorithmic Recommendation Provisions Art. 2 para. 2, from declared practices.
_TYPES = (
    ("practices.generative_service.public", Text("generation and synthesis", "生成合成类")),
    ("practices.deep_synthesis.used", Text("generation and synthesis", "生成合成类")),
    ("practices.recommendation.used", Text("personalised push", "个性化推送类")),
    ("practices.worker_scheduling.used", Text("scheduling and decision-making", "调度决策类")),
)


def _applies(obligation: str, result: FileResult) -> bool:
    return any(o.id == obligation and o.status != "not_applicable" for o in result.obligations)


def due(data: dict, result: FileResult) -> list[str]:
    """The filing types due: an unknown fact counts as the risky answer, as in grading."""
    found = []
    if _applies("GATE-ALGORITHM-FILING", result):
        if fact(data, "practices.public_opinion.attributes") is not False and fact(
                data, "practices.recommendation.used") is not False:
            found.append("algorithm_recommendation")
        if fact(data, "practices.deep_synthesis.used") is not False:
            found.append("deep_synthesis")
        if fact(data, "practices.generative_service.public") is not False:
            found.append("generative_ai")
    if _applies("GATE-SECURITY-ASSESSMENT", result):
        found.append("security_assessment")
    return found


def _declared(data: dict, kind: str) -> dict:
    entries = [entry for entry in data.get("filings") or () if entry.get("type") == kind]
    done = [entry for entry in entries if entry.get("status") == "done"]
    return (done or entries or [{}])[0]


def view(data: dict, result: FileResult, lang: str) -> dict[str, Any]:
    """The filing materials in one language."""
    wanted = due(data, result)
    rows = []
    for kind, name, basis in FILINGS:
        if kind not in wanted:
            continue
        entry = _declared(data, kind)
        number = entry.get("number")
        rows.append({"kind": kind, "name": name(lang), "basis": basis(lang),
                     "status": stated("filing_status", entry.get("status"), lang),
                     "number": number if number and number != "unknown" else None, "date": entry.get("date"),
                     "authority": text(entry.get("authority"), lang)})
    types = []
    for path, name in _TYPES:
        if fact(data, path) is True and name(lang) not in types:
            types.append(name(lang))
    assessment = fact(data, "safeguards.risk_assessment") or {}
    moderation = fact(data, "practices.generative_service.content_moderation")
    return {
        "due": rows,
        "kinds": wanted,
        "generative": "generative_ai" in wanted,
        "synthesis": "deep_synthesis" in wanted or "generative_ai" in wanted,
        "algorithm_types": types,
        "self_assessment": {"done": stated("answer", assessment.get("done"), lang), "date": assessment.get("date"),
                            "reference": assessment.get("reference")},
        "content_moderation": stated("answer", moderation, lang),
        "labels": {"implicit": stated("answer", fact(data, "practices.deep_synthesis.implicit_labels"), lang),
                   "conspicuous": stated("answer", fact(data, "practices.deep_synthesis.conspicuous_labels"), lang)},
        "identity_verification": stated("answer", fact(data, "practices.deep_synthesis.identity_verification"), lang),
    }
