"""The documents aicomply writes, whom each is for, and which obligation calls for each.

Two audiences are kept apart. Documents for the public (the risk warning notice to users, the
ex-ante disclosure, the algorithm explanation) speak in the provider's voice, in plain language,
and carry no rule ids, declaration field names, tool names or internal findings. Internal
documents (ex-ante assessment, tracking plan, ethics review material) state findings in prose
with their articles and keep the tool's provenance in a short appendix. The filing materials go
to the regulator and read like the public documents: no tool language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.models.result import FileResult
from compliance.models.rules import Text

PUBLIC, INTERNAL, REGULATOR = "public", "internal", "regulator"


@dataclass(frozen=True)
class DocumentSpec:
    id: str  # also the template name and part of the file name
    obligation: str  # the rule whose status decides whether the document is due (its `document`)
    title: Text
    audience: str  # PUBLIC, INTERNAL or REGULATOR
    code: str  # two letters of the document number
    signed: bool  # the provider signs and seals it


DOCUMENTS = (
    DocumentSpec("ex_ante_assessment", "OBL-EXANTE-ASSESSMENT", Text("Ex-ante assessment report", "事前评估报告"),
                 INTERNAL, "EA", True),
    DocumentSpec("risk_warning", "OBL-RISK-WARNING", Text("Risk warning notice", "风险预警告知书"), PUBLIC, "RW", True),
    DocumentSpec("disclosure", "OBL-DISCLOSURE", Text("Ex-ante disclosure", "事前披露"), PUBLIC, "ED", False),
    DocumentSpec("tracking_plan", "OBL-TRACKING-PLAN", Text("Post-facto tracking plan", "事后跟踪方案"), INTERNAL, "TP", True),
    DocumentSpec("ethics_filing", "OBL-ETHICS-REVIEW",
                 Text("Ethics review material (kept on file)", "科技伦理审查材料（备查）"), INTERNAL, "ER", True),
    DocumentSpec("algorithm_explanation", "OBL-ALGORITHM-EXPLANATION", Text("Algorithm explanation", "算法说明"),
                 PUBLIC, "AE", False),
    DocumentSpec("filing_materials", "GATE-ALGORITHM-FILING",
                 Text("Filing materials: algorithm and generative AI services", "算法与生成式人工智能服务备案材料"),
                 REGULATOR, "FM", True),
)
DOCUMENT_BY_ID = {spec.id: spec for spec in DOCUMENTS}


def due(result: FileResult) -> list[str]:
    """Documents the grade and triggers call for: their obligation applies (met or not)."""
    applying = {status.id for status in result.obligations if status.status != "not_applicable"}
    return [spec.id for spec in DOCUMENTS if spec.obligation in applying]


def number(spec: DocumentSpec, product_id: str, on: str, version: str) -> str:
    """The document number: product, document, version and date, the same in both languages."""
    version = re.sub(r"[^A-Za-z0-9._-]+", "-", version)  # the number is printed in the page margin too
    return f"{product_id}-{spec.code}-{version}-{on.replace('-', '')}"
