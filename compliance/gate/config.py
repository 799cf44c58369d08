"""Settings: defaults, then a config file, then the command line, each remembering where it came from.

The config file is the nearest `aicomply.yaml`, or `pyproject.toml` with a `[tool.aicomply]` table,
found upward from the working directory (in one folder, aicomply.yaml wins). Paths in a config file,
report outputs included, are relative to that file's folder. A config file that cannot be read or
breaks schemas/config-v1.schema.json stops the run with its file and line (exit 2).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.errors import SourceError, ToolError

CONFIG_SCHEMA = "config-v1.schema.json"
YAML_NAME = "aicomply.yaml"
PYPROJECT = "pyproject.toml"

DEFAULTS: dict[str, Any] = {
    "paths": [],
    "include": ["*.yaml", "*.yml", "*.json"],
    "exclude": [],
    "fail_on": "error",
    "formats": [{"format": "text"}],
    "lang": "en",
    "pack": "shenzhen-2022",
    "packs": [],
    "waivers": None,
    "baseline": None,
    "jobs": 0,
    "register": ".aicomply/register.db",
    "timezone": "Asia/Shanghai",
}
PATH_SETTINGS = ("paths", "packs", "waivers", "baseline", "register")  # resolved against the config file's folder
REGISTER_VARIABLE = "AICOMPLY_DB"  # the register, over the config file and under --db


def _is_url(value: Any) -> bool:
    """A register on a server (postgresql://...) is not a path to resolve."""
    return isinstance(value, str) and value.startswith(("postgresql://", "postgres://"))


@dataclass(frozen=True)
class Setting:
    value: Any
    origin: str  # "default", "command line" or "file:line"


@dataclass(frozen=True)
class Settings:
    values: dict[str, Setting]
    config_file: str | None
    from_file: dict[str, Any] = field(default_factory=dict)  # what the config file says, even where overridden

    def __getitem__(self, name: str) -> Any:
        return self.values[name].value

    def origin(self, name: str) -> str:
        return self.values[name].origin


def find_config(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / YAML_NAME).is_file():
            return folder / YAML_NAME
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and re.search(rb"^\[tool\.aicomply\]", _read_bytes(pyproject), re.M):
            return pyproject
    return None


def _read_bytes(path: Path) -> bytes:
    from compliance.files import read_regular

    try:
        return read_regular(path, str(path), 1 << 20)
    except SourceError as exc:
        raise ToolError(f"config {exc}") from None


def load_settings(command_line: dict[str, Any], start: Path | None = None, config: Path | None = None) -> Settings:
    """Defaults, overridden by the config file, overridden by options given on the command line.

    `command_line` holds only the options the user actually gave.
    """
    start = start or Path.cwd()
    path = config if config is not None else find_config(start)
    values = {name: Setting(value, "default") for name, value in DEFAULTS.items()}
    display = None
    from_file: dict[str, Any] = {}
    if path is not None:
        display = _display(path, start)
        for name, (value, line) in _read(path, display).items():
            if name in PATH_SETTINGS and value is not None and not _is_url(value):
                value = _resolve(value, path.parent, start)
            elif name == "formats":
                value = [_resolve_output(item, path.parent, start) for item in value]
            values[name] = Setting(value, f"{display}:{line}" if line else display)
            from_file[name] = value
    if os.environ.get(REGISTER_VARIABLE):  # a CI secret names the organisation's register
        values["register"] = Setting(os.environ[REGISTER_VARIABLE], REGISTER_VARIABLE)
    for name, value in command_line.items():
        values[name] = Setting(value, "command line")
    return Settings(values, display, from_file)


def _display(path: Path, start: Path) -> str:
    """A path as seen from the working folder (../pyproject.toml), as the user would type it."""
    try:
        return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
    except ValueError:  # another drive
        return str(path)


def _resolve(value: Any, base: Path, start: Path) -> Any:
    def one(item: str) -> str:
        if item.startswith("sqlite:"):
            return "sqlite:" + one(item[len("sqlite:"):])
        candidate = Path(item)
        return _display(candidate if candidate.is_absolute() else base / candidate, start)

    return [one(item) for item in value] if isinstance(value, list) else one(value)


def _resolve_output(item: Any, base: Path, start: Path) -> Any:
    """A report output named in the config is relative to the config file, as every path there is."""
    if isinstance(item, dict) and isinstance(item.get("output"), str):
        return dict(item, output=_resolve(item["output"], base, start))
    return item


def _read(path: Path, display: str) -> dict[str, tuple[Any, int | None]]:
    """The settings a config file gives, each with its line."""
    if path.name == PYPROJECT:
        data, lines = _read_pyproject(path, display)
    else:
        data, lines = _read_yaml(path, display)
    from compliance.declaration.validate import describe_issue, schema_issues_for

    issues = schema_issues_for(CONFIG_SCHEMA, data)
    if issues:
        first = issues[0]
        key = next((part for part in first.path if isinstance(part, str)), None)
        line = lines.get(key) if key else None
        where = f"{display}:{line}" if line else display
        raise ToolError(f"{where}: config: {describe_issue(first, 'en')}")
    for name in _WHOLE_NUMBERS:  # JSON Schema counts 2.0 as an integer; range() and worker pools do not
        if isinstance(data.get(name), float):
            where = f"{display}:{lines[name]}" if name in lines else display
            raise ToolError(f"{where}: config: {name} must be a whole number such as {int(data[name])}, "
                            f"not {data[name]!r}")
    return {name: (value, lines.get(name)) for name, value in data.items()}


_WHOLE_NUMBERS = ("jobs",)


def _read_yaml(path: Path, display: str) -> tuple[dict, dict[str, int]]:
    from compliance.declaration.load import read_document

    try:
        document = read_document(path, display)
    except SourceError as exc:
        raise ToolError(f"config {exc}") from None
    if document.data is None or not isinstance(document.data, dict):
        raise ToolError(f"{display}:1: config must be a mapping of settings (see `aicomply config`)")
    lines = {key: document.positions[(key,)][0] for key in document.data if (key,) in document.positions}
    return document.data, lines


def _read_pyproject(path: Path, display: str) -> tuple[dict, dict[str, int]]:
    import tomllib

    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ToolError(f"{display}:{line}:{column}: config: not UTF-8: byte 0x{raw[exc.start]:02x} cannot be "
                        "decoded; TOML files are UTF-8, save the file as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = match.group(1) if match else (text.count("\n") + 1 if "end of document" in str(exc) else None)
        where = f"{display}:{line}" if line else display
        raise ToolError(f"{where}: invalid TOML: {str(exc).split(' (at')[0]}") from None
    table = data.get("tool", {}).get("aicomply", {})
    return table, _toml_key_lines(text)


def _toml_key_lines(text: str) -> dict[str, int]:
    """Lines of the keys of the [tool.aicomply] table (tomllib keeps no positions)."""
    lines: dict[str, int] = {}
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):  # TOML lines end at \n (not at U+2028)
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == "[tool.aicomply]"
            continue
        match = re.match(r"([A-Za-z0-9_-]+)\s*=", stripped)
        if inside and match:
            lines.setdefault(match.group(1), number)
    return lines


def describe(settings: Settings) -> str:
    """`aicomply config`: every effective setting and where it comes from."""
    import json

    header = f"config file: {settings.config_file or '(none found; defaults apply)'}"
    width = max(len(name) for name in settings.values)
    lines = [header, ""]
    for name, setting in settings.values.items():
        shown = json.dumps(setting.value, ensure_ascii=False)
        lines.append(f"{name:<{width}} = {shown}    ({setting.origin})")
    return "\n".join(lines) + "\n"
