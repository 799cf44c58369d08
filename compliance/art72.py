"""The seven prohibited behaviours of Art. 72 para. 2 and the attestation field of each."""

from __future__ import annotations

from compliance.models.rules import Text

ITEMS: dict[int, tuple[str, Text]] = {
    1: ("national_security", Text("national security and the public interest", "国家安全或者社会公共利益")),
    2: ("privacy", Text("privacy and personal information rights", "个人隐私和个人信息权益")),
    3: ("health", Text("physical and mental health", "身心健康")),
    4: ("discrimination", Text("discrimination by race, gender, nationality, ethnicity, religious belief and the like",
                               "因种族、性别、国籍、民族和宗教信仰等歧视用户")),
    5: ("consumer_rights", Text("price discrimination and consumer fraud by algorithm", "利用算法实施价格歧视或者消费欺诈")),
    6: ("deep_synthesis", Text("deep synthesis used for prohibited ends", "利用深度合成技术从事禁止行为")),
    7: ("other_violations", Text("other violations of laws and ethics and security norms", "其他违反法律法规和伦理安全规范的行为")),
}

INTERESTS: dict[str, Text] = {  # Art. 72 para. 1
    "national_interests": Text("National interests", "国家利益"),
    "public_security": Text("Public security", "公共安全"),
    "commercial_order": Text("Commercial order", "商业秩序"),
    "personal_rights": Text("Personal rights and interests", "个人权益"),
}
