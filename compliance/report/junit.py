"""JUnit XML for CI test reports (Jenkins, GitLab, Azure): one testsuite per declaration.

Test cases per rule family: the grading, each of the seven Art. 72 items, each obligation.
A case fails when it has a finding at or above --fail-on that is not waived; findings below the
threshold go to system-out; obligations that do not apply are skipped. Built with ElementTree.

ElementTree escapes markup but writes any character it is given, and XML 1.0 forbids most C0
controls: every text from a file goes through `shown`, which writes them as visible escapes.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from compliance.art72 import ITEMS
from compliance.escape import shown
from compliance.models.result import SEVERITY_RANK, FileResult, Finding, RunInfo, Tally
from compliance.models.rules import zh_number


class JunitReporter:
    def __init__(self, info: RunInfo, lang: str = "en") -> None:
        self.info = info
        self.lang = lang
        self.threshold = SEVERITY_RANK[info.fail_on]

    def begin(self) -> str:
        return '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="aicomply">\n'

    def result(self, result: FileResult, failed: bool) -> str:
        suite = ET.Element("testsuite", name=shown(result.path))
        properties = ET.SubElement(suite, "properties")
        for name, value in (("kind", result.kind), ("product_id", result.product_id),
                            ("risk_level", result.risk_level), ("sha256", result.sha256)):
            if value is not None:
                ET.SubElement(properties, "property", name=name, value=shown(value))
        cases = self._cases(result)
        for case in cases:
            suite.append(case)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("errors", "0")
        suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        ET.indent(suite, space="  ", level=1)
        return "  " + _xml_safe(ET.tostring(suite, encoding="unicode")) + "\n"

    def end(self, tally: Tally) -> str:
        return "</testsuites>\n"

    def _cases(self, result: FileResult) -> list[ET.Element]:
        classname = shown(result.product_id or result.path)
        if result.kind != "declaration" or not result.valid:
            name = "waivers" if result.kind != "declaration" else "declaration"
            return [self._case(classname, name, list(result.findings))]
        cases = [self._grading(classname, result)]
        for item, (_, title) in ITEMS.items():
            findings = [f for f in result.findings if f.art72_item == item]
            label = f"第七十二条第二款第（{zh_number(item)}）项 {title.zh}" if self.lang == "zh" else f"Art. 72({item}) {title.en}"
            cases.append(self._case(f"{classname}.art72", label, findings))
        for status in result.obligations:
            name = shown(f"{status.id} {status.title(self.lang)}")
            if status.status == "not_applicable":
                case = ET.Element("testcase", classname=f"{classname}.obligations", name=name)
                ET.SubElement(case, "skipped", message="not applicable")
                cases.append(case)
                continue
            findings = [f for f in result.findings if f.rule_id == status.id]
            cases.append(self._case(f"{classname}.obligations", name, findings))
        return cases

    def _grading(self, classname: str, result: FileResult) -> ET.Element:
        case = ET.Element("testcase", classname=f"{classname}.grading", name="grading")
        lines = [f"risk level: {result.risk_level}"]
        lines += [f"{r.level} {r.rule_id} [{r.article(self.lang)}]{' (assumed)' if r.assumed else ''}" for r in result.reasons]
        ET.SubElement(case, "system-out").text = "\n".join(shown(line) for line in lines)
        return case

    def _case(self, classname: str, name: str, findings: list[Finding]) -> ET.Element:
        case = ET.Element("testcase", classname=classname, name=name)
        failing = [f for f in findings if f.waiver is None and SEVERITY_RANK[f.severity] >= self.threshold]
        if failing:
            failure = ET.SubElement(case, "failure", message=shown(failing[0].message(self.lang)), type=failing[0].severity)
            failure.text = "\n".join(shown(_describe(f, self.lang)) for f in failing)
        others = [f for f in findings if f not in failing]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(shown(_describe(f, self.lang)) for f in others)
        return case


# Characters XML 1.0 cannot carry at all, not even as character references; a declaration may quote them
# back in a message (a product id such as "\x1f"). They are written as visible \xNN escapes instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _describe(finding: Finding, lang: str) -> str:
    article = f" [{finding.article(lang)}]" if finding.article else ""
    line = f" line {finding.line}" if finding.line else ""
    waived = f" (waived by {finding.waiver.approver} until {finding.waiver.expires})" if finding.waiver else ""
    return f"{finding.severity}{line} {finding.rule_id}{article}: {finding.message(lang)}{waived}"
