"""The documents aicomply writes, and which obligation calls for each."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.models.result import FileResult
from compliance.models.rules import Text


@dataclass(frozen=True)
class DocumentSpec:
    id: str  # also the template name and part of the file name
    obligation: str  # the rule whose status decides whether the document is due
    title: Text


DOCUMENTS = (
    DocumentSpec("ex_ante_assessment", "OBL-EXANTE-ASSESSMENT", Text("Ex-ante risk assessment report", "事前评估报告")),
    DocumentSpec("risk_warning", "OBL-RISK-WARNING", Text("Risk warning notice", "风险预警告知书")),
    DocumentSpec("disclosure", "OBL-DISCLOSURE", Text("Ex-ante disclosure", "事前披露")),
    DocumentSpec("tracking_plan", "OBL-TRACKING-PLAN", Text("Post-facto tracking plan", "事后跟踪方案")),
    DocumentSpec("ethics_filing", "OBL-ETHICS-REVIEW", Text("Ethics review filing", "伦理审查申报材料")),
    DocumentSpec("algorithm_explanation", "OBL-ALGORITHM-EXPLANATION", Text("Algorithm explanation", "算法说明")),
)
DOCUMENT_BY_ID = {spec.id: spec for spec in DOCUMENTS}


def due(result: FileResult) -> list[str]:
    """Documents the grade and triggers call for: their obligation applies (met or not)."""
    applying = {status.id for status in result.obligations if status.status != "not_applicable"}
    return [spec.id for spec in DOCUMENTS if spec.obligation in applying]
