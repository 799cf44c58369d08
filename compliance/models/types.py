"""Field types shared by the declaration and checklist models.

Each type validates one way in Python and describes itself one way in JSON Schema, so the
committed schema and the model cannot disagree on what a value may be. Errors carry our own
type names (see validate.py, which words them for people in English and Chinese).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    WrapValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from compliance.declaration import uscc

UNKNOWN = "unknown"
NOT_APPLICABLE = "not_applicable"


def or_unknown(inner: Any) -> Any:
    """`inner`, or the word unknown. Unknown is a fact too: it is graded as the unsafe answer."""

    def accept_unknown(value, handler):
        return value if value == UNKNOWN else handler(value)

    return Annotated[
        inner,
        WrapValidator(accept_unknown, json_schema_input_type=Union[inner, Literal["unknown"]]),
    ]


def _tri(value: Any) -> Any:
    if value is True or value is False or value == UNKNOWN:
        return value
    raise PydanticCustomError("tri", "expected true, false or unknown")


def _tri_na(value: Any) -> Any:
    if value is True or value is False or value in (UNKNOWN, NOT_APPLICABLE):
        return value
    raise PydanticCustomError("tri_na", "expected true, false, unknown or not_applicable")


# true / false / unknown. Booleans are never coerced: "yes" is text, not true.
Tri = Annotated[
    Any, PlainValidator(_tri), WithJsonSchema({"enum": [True, False, UNKNOWN]})
]
# As Tri, plus not_applicable for a safeguard that has nothing to act on.
TriNA = Annotated[
    Any,
    PlainValidator(_tri_na),
    WithJsonSchema({"enum": [True, False, UNKNOWN, NOT_APPLICABLE]}),
]


def _engages(value: Any) -> Any:
    if value is True or value is False or value == "unsure":
        return value
    raise PydanticCustomError("engages", "expected false, true or unsure")


# The Art. 72 self-attestation answer: false (does not engage), true (engages) or unsure.
Engages = Annotated[
    Any, PlainValidator(_engages), WithJsonSchema({"enum": [False, True, "unsure"]})
]


def _unique(items: list) -> list:
    # A set: linear, where comparing every pair took minutes on a hostile 90,000-item list.
    if len(set(items)) != len(items):
        seen: set = set()
        repeated = next(item for item in items if item in seen or seen.add(item))
        raise PydanticCustomError("unique_items", "{item!r} is listed twice", {"item": repeated})
    return items


def unique_list(item: Any, min_items: int = 0, max_items: int | None = None) -> Any:
    """A list without repeats. A list of enumerated values holds each at most once, so its length
    is bounded by the vocabulary: the bound turns a hostile, huge list away with one message."""
    if max_items is None and get_origin(item) is Literal:
        max_items = len(get_args(item))
    return Annotated[
        list[item],
        AfterValidator(_unique),
        Field(min_length=min_items, max_length=max_items, json_schema_extra={"uniqueItems": True}),
    ]


def _iso_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date", "{value!r} is not a real date (YYYY-MM-DD)", {"value": value}) from None
    return value


IsoDate = Annotated[
    str,
    Field(pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"}),
    AfterValidator(_iso_date),
]

_PLACEHOLDER = re.compile(r"^<[^<>]*>$")


def _filled_in(value: str) -> str:
    if _PLACEHOLDER.fullmatch(value):
        raise PydanticCustomError("placeholder", "{value!r} is a placeholder; fill it in", {"value": value})
    return value


# Text never consists only of spaces, and is never a scaffold placeholder such as <product name>.
_NOT_PLACEHOLDER = {"not": {"type": "string", "pattern": _PLACEHOLDER.pattern}}
Text = Annotated[
    str,
    Field(min_length=1, max_length=4000, pattern=r"\S", json_schema_extra=_NOT_PLACEHOLDER),
    AfterValidator(_filled_in),
]
ShortText = Annotated[
    str,
    Field(min_length=1, max_length=200, pattern=r"\S", json_schema_extra=_NOT_PLACEHOLDER),
    AfterValidator(_filled_in),
]

# ------------------------------------------------------------------ product id (file-name slug)

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def _slug(value: str) -> str:
    if value in _WINDOWS_RESERVED:
        raise PydanticCustomError("slug_reserved", "{value!r} is a reserved device name on Windows; pick another id", {"value": value})
    return value


Slug = Annotated[
    str,
    Field(
        min_length=2,
        max_length=64,
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        json_schema_extra={"not": {"enum": sorted(_WINDOWS_RESERVED)}},
        description=(
            "Lower-case letters, digits and single hyphens, 2-64 characters: used as a file name. "
            "Windows device names (con, nul, com1, ...) are refused."
        ),
    ),
    AfterValidator(_slug),
]

# ------------------------------------------------ unified social credit code (GB 32100-2015)


def _uscc(value: str) -> str:
    if not re.fullmatch(uscc.PATTERN, value):
        return value  # the pattern constraint reports this one
    expected = uscc.check_char(value[:17])
    if value[17] != expected:
        raise PydanticCustomError(
            "uscc_check",
            "check digit of unified social credit code {value!r} should be {expected!r} (GB 32100-2015); "
            "copy the code from the business licence",
            {"value": value, "expected": expected},
        )
    return value


Uscc = Annotated[
    str,
    Field(
        pattern=uscc.PATTERN,
        json_schema_extra={"format": "uscc"},
        description=(
            "Unified social credit code (统一社会信用代码), 18 characters as printed on the business "
            "licence; its GB 32100-2015 check digit is verified."
        ),
    ),
    AfterValidator(_uscc),
]

Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)]


# ------------------------------------------------------------ free text in one or two languages


class Bilingual(BaseModel):
    """Free text given in English, Chinese or both: {en: ..., zh: ...}."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, json_schema_extra={"minProperties": 1})

    en: Text | None = None
    zh: Text | None = None

    @model_validator(mode="after")
    def _one_language_at_least(self):
        if not self.model_fields_set:
            raise ValueError("give the text in at least one language (en or zh)")
        return self


class ShortBilingual(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, json_schema_extra={"minProperties": 1})

    en: ShortText | None = None
    zh: ShortText | None = None

    @model_validator(mode="after")
    def _one_language_at_least(self):
        if not self.model_fields_set:
            raise ValueError("give the text in at least one language (en or zh)")
        return self


# Every free-text field of a declaration v2 takes a plain string or {en: ..., zh: ...}, so Chinese
# documents can print Chinese (compliance/i18n.py picks the language).
LocalText = Text | Bilingual
ShortLocalText = ShortText | ShortBilingual
