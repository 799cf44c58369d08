"""Profile version 1 read as version 2, saying what had to be assumed.

Nothing is guessed in the applicant's favour: version 1's single `recognised` flag stood for an
approval by any authority, and city and district approvals are separate acts, so a `true` there
becomes unknown for every authority (the estimate then says which approval it needs); `false`
stays false everywhere. A count of registered models becomes that many models whose
registration dates are unknown.
"""

from __future__ import annotations

from compliance.models.rules import Text

AUTHORITIES = ("city", "longgang", "qianhai")


def v1_to_v2(data: dict) -> tuple[dict, list[Text]]:
    """The version 2 profile, and the notes to show."""
    notes = [Text(
        "this profile is in format aicomply-profile/v1; it was read as aicomply-profile/v2, the current format. "
        "Run `aicomply incentives init` for a v2 scaffold and move your facts over to state what v1 cannot "
        "(approvals per authority, large models with their registration dates, platforms)",
        "本档案为 aicomply-profile/v1 格式，已按现行 aicomply-profile/v2 格式读取。可运行 `aicomply incentives init` "
        "生成 v2 模板并迁移，以填写 v1 无法表达的事实（各主管部门的认定、大模型及其备案日期、平台）")]
    enterprise = dict(data["enterprise"])
    enterprise.setdefault("entity_type", "enterprise")  # v1's default
    count = enterprise.pop("registered_models", "unknown")
    if count == "unknown":
        enterprise["large_models"] = []
    else:
        enterprise["large_models"] = [{"id": f"registered-model-{n + 1}", "registered_on": "unknown"} for n in range(count)]
        if count:
            notes.append(Text(
                f"registered_models: {count} became {count} models with unknown registration dates (the Longgang reward "
                "is once per model registered while its measures are in force); list them under large_models",
                f"registered_models: {count} 已转为 {count} 个备案日期未知的模型（龙岗奖励按措施有效期内备案的模型各计一次）；"
                "请在 large_models 中逐个列明"))
    spend = []
    vague = []
    for item in data.get("spend", ()):
        item = dict(item)
        recognised = item.pop("recognised", "unknown")
        if recognised is False:
            item["approvals"] = dict.fromkeys(AUTHORITIES, False)
        elif recognised is True:
            vague.append(item["id"])
        spend.append(item)
    if vague:
        notes.append(Text(
            f"recognised: true ({', '.join(vague)}) does not say which authority approved; read as unknown for the city, "
            "Longgang and Qianhai: state approvals per authority",
            f"recognised: true（{'、'.join(vague)}）未说明由哪一主管部门认定，已按市级、龙岗、前海均为未知处理："
            "请按主管部门分别填写 approvals"))
    migrated = dict(data, format="aicomply-profile/v2", enterprise=enterprise, spend=spend)
    migrated.pop("$schema", None)
    return migrated, notes
