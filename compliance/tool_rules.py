"""Rules of aicomply itself, beside the pack's: problems with declarations and waivers.

They have stable ids like pack rules and appear in rule catalogues (SARIF rules[]), but cite no
article: they are about the input, not the law.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.models.result import INTERNAL_RULE
from compliance.models.rules import Text


@dataclass(frozen=True)
class ToolRule:
    id: str
    kind: str
    severity: str
    title: Text
    rationale: Text
    remedy: Text
    art72_item: None = None
    article: None = None
    citations: tuple = ()
    family: str = "declaration"


TOOL_RULES = (
    ToolRule("DECL-LOAD", "declaration", "error",
             Text("Declaration cannot be read", "无法读取申报文件"),
             Text("The file is not a single UTF-8 YAML or JSON document within aicomply's limits.",
                  "文件不是符合限制的单个 UTF-8 YAML 或 JSON 文档。"),
             Text("Fix the file at the line given; start from `aicomply init` if in doubt.",
                  "按提示的行号修正文件；如无把握，可从 aicomply init 生成的模板开始。")),
    ToolRule("DECL-SCHEMA", "declaration", "error",
             Text("Declaration does not match the declaration schema", "申报文件不符合申报格式"),
             Text("A misspelt or missing fact must not silently change a grade, so the declaration is checked "
                  "against schemas/declaration-v2.schema.json (v1 files: declaration-v1) before any rule runs.",
                  "拼错或缺失的事实不应悄然改变等级，因此在执行规则前先按 schemas/declaration-v2.schema.json"
                  "（v1 文件按 declaration-v1）校验申报文件。"),
             Text("Correct the field named in the message.", "按提示修正相应字段。")),
    ToolRule("DECL-V1", "declaration", "info",
             Text("Declaration uses format v1", "申报文件使用 v1 格式"),
             Text("Format v1 is still read (until at least 2027-12-31) and upgraded in memory before the rules run, "
                  "but it cannot state facts the law turns on (who is affected, incidents, consumer dealings, output "
                  "testing, typed filings, ethics review materials, Chinese free text); v2 facts it lacks count as "
                  "unknown.",
                  "v1 格式仍可读取（至少至 2027-12-31），执行规则前在内存中升级，但无法说明法律所关注的若干事实"
                  "（受影响人群、事件、消费者权益、输出测试、分类备案、伦理审查材料、中文文本）；v1 缺少的 v2 事实按“不清楚”处理。"),
             Text("Run `aicomply migrate FILE` to rewrite it as v2 (comments kept), then state the facts it lists.",
                  "运行 aicomply migrate FILE 将其改写为 v2（保留注释），并补充其列出的事实。")),
    ToolRule(INTERNAL_RULE, "declaration", "error",
             Text("aicomply failed on this declaration", "aicomply 处理该申报文件时出错"),
             Text("A fault in aicomply, not in the file: the file cannot be judged, so it fails the gate, and the "
                  "run exits 2 so that CI can tell a tool failure from a failed gate; every other file is checked.",
                  "问题出在 aicomply 而非文件本身：该文件无法评判，因此不通过检查，且运行以退出码 2 结束，以便 CI 区分工具故障"
                  "与未通过检查；其他文件照常检查。"),
             Text("Report it with the file (AICOMPLY_DEBUG=1 shows the traceback).",
                  "请附上该文件报告此问题（设置 AICOMPLY_DEBUG=1 可查看回溯信息）。")),
    ToolRule("WAIVER-EXPIRED", "waiver", "error",
             Text("Waiver has expired", "豁免已过期"),
             Text("A waiver is a time-limited decision; past its date the finding counts again.",
                  "豁免是有期限的决定；过期后问题重新计入。"),
             Text("Fix the finding, or renew the waiver with a new approval and date.",
                  "解决该问题，或经重新批准后更新豁免日期。"), family="waivers"),
    ToolRule("WAIVER-EXPIRING", "waiver", "warning",
             Text("Waiver expires within 30 days", "豁免将在 30 天内到期"),
             Text("A waiver about to lapse needs a decision before it does.", "即将到期的豁免须在到期前作出决定。"),
             Text("Plan the fix, or renew the waiver with the approver.", "安排整改，或与批准人续期豁免。"), family="waivers"),
    ToolRule("WAIVER-UNUSED", "waiver", "warning",
             Text("Waiver matches no finding", "豁免未对应任何问题"),
             Text("A waiver that covers nothing is stale or misspelt, and would silently cover a future finding.",
                  "未覆盖任何问题的豁免要么已过时要么拼写有误，并可能在将来悄然掩盖新问题。"),
             Text("Remove the waiver, or correct its rule and product.", "删除该豁免，或更正其规则编号和产品标识。"),
             family="waivers"),
    ToolRule("WAIVER-PROHIBITED", "waiver", "error",
             Text("Prohibited behaviours cannot be waived", "禁止行为不得豁免"),
             Text("Art. 72 prohibits these behaviours outright; no approval can make them acceptable.",
                  "第七十二条明确禁止这些行为，任何批准都不能使其合规。"),
             Text("Correct the product, or the declaration if it is wrong, and delete the waiver.",
                  "整改产品（如申报有误则更正申报），并删除该豁免。"), family="waivers"),
    ToolRule("WAIVER-UNKNOWN-RULE", "waiver", "error",
             Text("Waiver names a rule that does not exist", "豁免所指规则不存在"),
             Text("A waiver for an unknown rule id is a typo or a rule removed from the pack.",
                  "针对不存在规则编号的豁免，通常是拼写错误或该规则已从规则包中删除。"),
             Text("Correct the rule id (`aicomply rules` lists them) or delete the waiver.",
                  "更正规则编号（aicomply rules 可列出全部规则）或删除该豁免。"), family="waivers"),
)

TOOL_RULE_BY_ID = {rule.id: rule for rule in TOOL_RULES}
