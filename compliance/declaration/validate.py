"""Declaration data against the published declaration schema -> findings with lines, in en and zh.

schema.py checks the data with jsonschema-rs and hands back Issues; this module words each one
for people, in English and Chinese, and places it at the line and column of the field it concerns.
Every problem of a file is reported at once. Nothing here knows a field name: the messages follow
the schema (its types, enums, patterns and formats), so any of our schemas can use them.
"""

from __future__ import annotations

from typing import Any

from compliance.declaration import uscc
from compliance.declaration.facts import DECLARATION_SCHEMA, DECLARATION_V1_SCHEMA, is_v1
from compliance.declaration.load import Document
from compliance.declaration.schema import Issue, issues_for
from compliance.escape import shown
from compliance.models.result import Finding
from compliance.models.rules import Text

SCHEMA_RULE = "DECL-SCHEMA"
LOAD_RULE = "DECL-LOAD"
_MAX_ISSUES = 50  # a file that is not a declaration at all would otherwise produce hundreds

_TITLE = Text("Declaration does not match the declaration schema", "申报文件不符合申报格式")


def schema_issues_for(schema_name: str, data: Any) -> list[Issue]:
    """Every problem of data against one of the published schemas in schemas/, in file order."""
    return issues_for(schema_name, data)


def read_checked(path, display: str, schema_name: str, what: str) -> Document:
    """A data file aicomply needs to run (waivers, incentive documents): read and checked against
    its schema; the first problem stops the run as one line with the file and line (exit 2)."""
    from compliance.declaration.load import read_document
    from compliance.errors import SourceError, ToolError

    try:
        document = read_document(path, display)
    except SourceError as exc:
        raise ToolError(f"{what} {exc}") from None
    issues = schema_issues_for(schema_name, document.data)
    if issues:
        where = document.locate(issues[0].path)
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        line = f":{where[0]}:{where[1]}" if where else ""
        raise ToolError(f"{display}{line}: {describe_issue(issues[0], 'en')}{more}")
    return document


def schema_issues(data: Any, schema_name: str | None = None) -> list[Issue]:
    """Problems of a declaration against the schema named, by default the schema of its format
    (v1 files against v1)."""
    if schema_name is None:
        v1 = is_v1(data)
        schema_name = DECLARATION_V1_SCHEMA if v1 else DECLARATION_SCHEMA
    return schema_issues_for(schema_name, data)


def v1_notice() -> Finding:
    """The info finding on a v1 declaration: still read, upgraded in memory; migrate it."""
    from compliance.tool_rules import TOOL_RULE_BY_ID

    rule = TOOL_RULE_BY_ID["DECL-V1"]
    return Finding(rule.id, "declaration", "info", rule.title,
                   Text("Format v1 is read until at least 2027-12-31; run `aicomply migrate` to upgrade it to v2 "
                        "(comments kept) and state the facts v2 adds.",
                        "v1 格式至少可读取至 2027-12-31；请运行 aicomply migrate 升级为 v2（保留注释），并补充 v2 新增的事实。"),
                   None, remedy=rule.remedy, line=1, column=1, fact="format")


def validate_declaration(document: Document, schema_name: str | None = None) -> list[Finding]:
    """All schema problems of a parsed declaration as error findings, in file order. Any
    declaration schema in schemas/ will do: the messages follow the schema, not field names."""
    issues = schema_issues(document.data, schema_name)
    findings = [_finding(document, issue) for issue in issues[:_MAX_ISSUES]]
    if len(issues) > _MAX_ISSUES:
        more = len(issues) - _MAX_ISSUES
        findings.append(
            Finding(SCHEMA_RULE, "declaration", "error", _TITLE,
                    Text(f"... and {more} more problems; is this a declaration file?",
                         f"……另有 {more} 处问题；这是申报文件吗？"), None, line=1, column=1)
        )
    return sorted(findings, key=lambda f: (f.line or 0, f.column or 0))


def load_failure(message: str, line: int | None, column: int | None) -> Finding:
    """A file that could not be parsed at all, as a finding (the loader's message is English)."""
    return Finding(LOAD_RULE, "declaration", "error",
                   Text("Declaration cannot be read", "无法读取申报文件"),
                   Text(message, _zh_load(message)), None, line=line, column=column)


def _finding(document: Document, issue: Issue) -> Finding:
    position = document.locate(issue.path)
    line, column = position if position else (None, None)
    return Finding(
        SCHEMA_RULE, "declaration", "error", _TITLE,
        Text(describe_issue(issue, "en"), describe_issue(issue, "zh")),
        None, line=line, column=column, fact=dotted(issue.path) or None,
    )


def dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# ------------------------------------------------------------------------------ the messages

_PATTERN_HINTS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": ("lower-case letters, digits and single hyphens", "小写字母、数字和单个连字符"),
    r"^\d{4}-\d{2}-\d{2}$": ("a date written YYYY-MM-DD", "YYYY-MM-DD 格式的日期"),
    uscc.PATTERN: ("18 characters: digits and capital letters except I, O, S, V, Z",
                   "18 位，由数字和除 I、O、S、V、Z 以外的大写字母组成"),
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": ("an e-mail address", "电子邮件地址"),
    r"^https?://\S+$": ("an http(s) address", "http(s) 网址"),
    r"\S": ("some text, not only spaces", "非空白文字"),
}


def describe_issue(issue: Issue, lang: str) -> str:
    """One sentence saying what is wrong and, where we can tell, what to write instead."""
    zh = lang == "zh"
    where = shown(dotted(issue.path)) or ("顶层" if zh else "the top level")  # keys are the file's text
    if issue.code == "type" and not issue.path:
        return _top_level(issue.params, zh)
    describe = _MESSAGES.get(issue.code)
    if describe is None:
        return f"“{where}”不符合格式（{issue.code}）" if zh else f"{where} does not match the schema ({issue.code})"
    return describe(where, issue, zh)


def _top_level(p: dict, zh: bool) -> str:
    if zh:
        return f"申报文件顶层应为映射（format、product、provider 等字段），而不是{_zh_type(p['actual'])}"
    return f"a declaration is a mapping (format, product, provider, ...) at the top level, not {_article(p['actual'])}"


def _required(where: str, issue: Issue, zh: bool) -> str:
    hint = ("；如不确定，请填写 unknown" if zh else "; write unknown if you do not know") if issue.params.get("unknown_ok") else ""
    return f"缺少必填字段“{where}”{hint}" if zh else f"missing required field '{where}'{hint}"


def _additional(where: str, issue: Issue, zh: bool) -> str:
    import difflib  # here, only when there is a problem to word: the import costs every run's start-up

    p = issue.params
    close = difflib.get_close_matches(p["name"], p["allowed"], n=1, cutoff=0.6)
    split = " " in p["name"]  # "{note: a, b}" makes "b" a key: a comma split the text
    if zh:
        tail = f"；是否应为“{close[0]}”？" if close else f"；此处允许：{'、'.join(p['allowed'])}"
        hint = "（{...} 中的逗号会把文字拆开，请给文字加引号）" if split else ""
        return f"未知字段“{where}”{tail}{hint}"
    tail = f"; did you mean '{close[0]}'?" if close else f"; allowed here: {', '.join(p['allowed'])}"
    hint = " (a comma inside {...} splits text: put the text in quotes)" if split else ""
    return f"unknown field '{where}'{tail}{hint}"


def _enum(where: str, issue: Issue, zh: bool) -> str:
    import difflib

    p = issue.params
    options = [_show(o) for o in p["options"]]
    close = difflib.get_close_matches(str(p["value"]), [str(o) for o in p["options"]], n=1, cutoff=0.6)
    if zh:
        tail = f"；是否应为“{close[0]}”？" if close else ""
        return f"“{where}”的值 {_show(p['value'])} 无效，可选：{'、'.join(options)}{tail}"
    tail = f"; did you mean '{close[0]}'?" if close else ""
    return f"{where}: {_show(p['value'])} is not allowed; use one of: {', '.join(options)}{tail}"


def _const(where: str, issue: Issue, zh: bool) -> str:
    p = issue.params
    if zh:
        return f"“{where}”应为 {_show(p['expected'])}，而不是 {_show(p['value'])}"
    return f"{where} must be {_show(p['expected'])}, not {_show(p['value'])}"


def _wrong_type(where: str, issue: Issue, zh: bool) -> str:
    p = issue.params
    expected = [describe(b) for b in p["branches"]] if issue.code == "any_of" else [_type_en(t) for t in p["expected"]]
    # YAML reads 2026.3, 1.10 or true as a number or boolean; text needs quotes.
    quote = "text" in expected and isinstance(p["value"], (int, float, bool))
    value = _show(p["value"])
    if zh:
        hint = f"（如需文字，请加引号：\"{value}\"）" if quote else ""
        return f"“{where}”的值 {value} 类型不符，应为：{'，或'.join(_zh_expect(e) for e in expected)}{hint}"
    hint = f' (quote it to make it text: "{value}")' if quote else ""
    return f"{where}: expected {' or '.join(expected)}, got {value}{hint}"


def _size(where: str, issue: Issue, zh: bool) -> str:
    limit = issue.params["limit"]
    en, cn = {
        "min_items": (f"{where} needs at least {limit} item{'s' if limit != 1 else ''}", f"“{where}”至少需要 {limit} 项"),
        "max_items": (f"{where} takes at most {limit} items", f"“{where}”最多 {limit} 项"),
        "min_length": (f"{where} needs at least {limit} characters", f"“{where}”至少 {limit} 个字符"),
        "max_length": (f"{where} takes at most {limit} characters", f"“{where}”最多 {limit} 个字符"),
        "minimum": (f"{where} must be at least {limit}", f"“{where}”不能小于 {limit}"),
        "maximum": (f"{where} must be at most {limit}", f"“{where}”不能大于 {limit}"),
        "exclusive_minimum": (f"{where} must be more than {limit}", f"“{where}”必须大于 {limit}"),
        "exclusive_maximum": (f"{where} must be less than {limit}", f"“{where}”必须小于 {limit}"),
        # Bilingual text {en, zh} is the one mapping with minProperties in our schemas.
        "min_properties": (f"{where}: give the text in at least one language (en or zh)",
                           f"“{where}”至少填写一种语言（en 或 zh）"),
        "max_properties": (f"{where} takes at most {limit} fields", f"“{where}”最多 {limit} 个字段"),
        "multiple_of": (f"{where} must be a multiple of {limit}", f"“{where}”必须是 {limit} 的倍数"),
    }[issue.code]
    if issue.code == "min_length" and limit == 1:
        en, cn = f"{where} must not be empty", f"“{where}”不能为空"
    return cn if zh else en


def _unique(where: str, issue: Issue, zh: bool) -> str:
    value = _show(issue.params["value"])
    return f"“{where}”中 {value} 重复出现" if zh else f"{where}: {value} is listed twice"


def _pattern(where: str, issue: Issue, zh: bool) -> str:
    p = issue.params
    en, cn = _PATTERN_HINTS.get(p["pattern"], (f"the form {p['pattern']}", f"格式 {p['pattern']}"))
    return f"“{where}”的值 {_show(p['value'])} 格式不符，应为{cn}" if zh else f"{where}: {_show(p['value'])} should be {en}"


def _format(where: str, issue: Issue, zh: bool) -> str:
    return _format_message(where, issue.params["format"], issue.params["value"], zh)


def _not(where: str, issue: Issue, zh: bool) -> str:
    value = _show(issue.params["value"])
    if "pattern" in issue.params["schema"]:  # the scaffold's <...> placeholders
        return f"“{where}”仍是占位符 {value}，请填写实际内容" if zh else f"{where}: {value} is a placeholder; fill it in"
    if zh:
        return f"“{where}”不能为 {value}（Windows 保留设备名）"
    return f"{where}: {value} is a reserved device name on Windows; choose another"


def _false(where: str, issue: Issue, zh: bool) -> str:
    return f"“{where}”此处不允许填写" if zh else f"{where}: nothing may be written here"


def _one_of_many(where: str, issue: Issue, zh: bool) -> str:
    value = _show(issue.params["value"])
    if zh:
        return f"“{where}”的值 {value} 同时符合多种写法，无法确定含义；请只按其中一种填写"
    return f"{where}: {value} fits more than one of the allowed forms, so its meaning is unclear; write it one way"


def _not_json(where: str, issue: Issue, zh: bool) -> str:
    """A value JSON has no room for: NaN or infinity, a TOML date, a lone surrogate, a non-text key."""
    kind, value = issue.params["kind"], issue.params["value"]
    if kind == "number":
        return f"“{where}”的值 {value} 不是有限数字；请填写数字" if zh else f"{where}: {value} is not a finite number; write a number"
    if kind in ("text", "key") and isinstance(value, str):
        shown = repr(value)  # repr escapes the surrogate: nothing unencodable reaches the output
        if zh:
            return f"“{where}”含有孤立的代理字符（{shown}），不是有效的 Unicode 文本；请删除该字符"
        return f"{where}: {shown} holds a lone surrogate, which is not valid Unicode text; remove it"
    if hasattr(value, "isoformat"):
        shown = value.isoformat()
        if zh:
            return f"“{where}”的值 {shown} 是日期或时间类型；请加引号写成文字：\"{shown}\""
        return f'{where}: {shown} is a date or time value; write it as quoted text: "{shown}"'
    name = type(value).__name__
    if zh:
        return f"“{where}”的值是 {name} 类型，不是 JSON 值；请填写文字、数字、true/false、列表或映射"
    return f"{where}: a {name} value is not JSON; write text, a number, true or false, a list or a mapping"


def _other(where: str, issue: Issue, zh: bool) -> str:
    # A keyword our schemas do not use today: the library's own (English) sentence.
    message = issue.params["message"]
    return f"“{where}”不符合格式（{issue.params['keyword']}）：{message}" if zh else f"{where}: {message}"


_MESSAGES = {
    "required": _required, "additional": _additional, "enum": _enum, "const": _const,
    "type": _wrong_type, "any_of": _wrong_type, "unique": _unique, "pattern": _pattern,
    "format": _format, "not": _not, "false": _false, "one_of_many": _one_of_many,
    "not_json": _not_json, "other": _other,
    **dict.fromkeys(("min_items", "max_items", "min_length", "max_length", "minimum", "maximum",
                     "exclusive_minimum", "exclusive_maximum", "min_properties", "max_properties",
                     "multiple_of"), _size),
}


def describe(schema: Any) -> str:
    """A short English description of what a schema accepts, for 'expected ...' messages."""
    if not isinstance(schema, dict):
        return "anything" if schema is True else "nothing"
    if "const" in schema:
        return _literal(schema["const"])
    if "enum" in schema:
        return " or ".join(_literal(option) for option in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(_type_en(name) for name in kind)
    return _type_en(kind) if kind else "a value"


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _format_message(where: str, name: str, value: str, zh: bool) -> str:
    if name == "uscc":
        value = shown(value)
        expected = uscc.check_char(value[:17]) if len(value) >= 17 else "?"
        if zh:
            return f"“{where}”统一社会信用代码 {value} 校验码错误（GB 32100-2015，末位应为 {expected}）；请按营业执照填写"
        return (f"{where}: check digit of unified social credit code {value} is wrong "
                f"(GB 32100-2015: the last character should be {expected}); copy it from the business licence")
    if name == "date":
        return f"“{where}”的值 {value!r} 不是有效日期（YYYY-MM-DD）" if zh else f"{where}: {value!r} is not a real date (YYYY-MM-DD)"
    return f"“{where}”的值 {value!r} 不符合 {name} 格式" if zh else f"{where}: {value!r} is not a valid {name}"


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return str(value)


def _type_en(name: str) -> str:
    return {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
            "number": "a number", "boolean": "true or false", "null": "null"}.get(name, name)


def _article(name: str) -> str:
    return {"array": "a list", "string": "text", "integer": "a number", "number": "a number",
            "boolean": "a boolean", "null": "empty"}.get(name, name)


def _zh_type(name: str) -> str:
    return {"array": "列表", "string": "文本", "integer": "数字", "number": "数字", "boolean": "布尔值",
            "null": "空值", "object": "映射"}.get(name, name)


def _zh_expect(english: str) -> str:
    return {"a list": "列表", "a mapping": "映射", "text": "文本", "a whole number": "整数",
            "a number": "数字", "true or false": "true 或 false", "null": "null"}.get(english, english)


_ZH_LOAD = (
    ("duplicate key", "键重复：重复的键会掩盖已申报的事实，请只保留一个"),
    ("binary file", "二进制文件：申报文件应为 UTF-8 文本"),
    ("not UTF-8", "不是 UTF-8 编码：请将文件另存为 UTF-8"),
    ("file is empty", "文件为空：可用 aicomply init 生成模板"),
    ("no YAML document", "文件中没有 YAML 文档：可用 aicomply init 生成模板"),
    ("larger than", "文件超过大小上限：申报文件通常只有几 KB，请确认文件是否正确"),
    ("nesting deeper", "嵌套层级过深：申报文件只需约六层"),
    ("expands to more than", "别名展开后内容过多：请直接写出内容，不要使用锚点"),
    ("more than one YAML document", "包含多个 YAML 文档：每个文件只放一份申报"),
    ("merge keys", "不支持合并键（<<）：请直接写出字段"),
    ("is not allowed", "不允许使用该 YAML 标签"),
    ("syntax error", "语法错误"),
    ("cannot read", "无法读取文件"),
    ("is a directory", "这是目录，不是文件"),
    ("is out of range", "数值超出范围：请填写真实数值"),
    ("lone surrogate", "文本含有不成对的代理项转义（如 \\ud800），它不是字符：请直接写出字符或删除该转义"),
    ("internal error", "aicomply 无法检查此文件（内部错误），其他文件已检查：请附上此文件报告问题"),
)


def _zh_load(message: str) -> str:
    for needle, text in _ZH_LOAD:
        if needle in message:
            return f"{text}（{message}）"
    return message
