"""The names and limits the incentive files are written in, apart from the pydantic models so
that reading a profile never pays for building them (they only generate the published schemas)."""

from __future__ import annotations

PROFILE_FORMAT = "aicomply-profile/v2"
PROFILE_FORMAT_V1 = "aicomply-profile/v1"

# 13 digits of yuan: more than any applicant's income, and far inside Decimal's exact range.
MAX_YUAN = 9_999_999_999_999
YUAN_PATTERN = r"^\d{1,13}(\.\d{1,2})?$"
# One string branch (an amount or the word unknown), so that a wrong string gets the amount's message.
YUAN_OR_UNKNOWN_PATTERN = r"^(\d{1,13}(\.\d{1,2})?|unknown)$"
