"""Dates in the configured time zone. Records carry UTC times; a person reads dates where they
are (default Asia/Shanghai): a check at 07:00 in Shenzhen is dated that day, not the day before,
and `due` counts from the local today."""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo

from compliance.errors import ToolError

DEFAULT_ZONE = "Asia/Shanghai"


def zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name.upper() == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ToolError(f"timezone {name!r} is not an IANA time zone such as Asia/Shanghai or UTC") from None


def today(tz: tzinfo) -> date:
    return datetime.now(tz).date()


def _local(at: str, tz: tzinfo) -> datetime:
    return datetime.fromisoformat(at[:26]).replace(tzinfo=timezone.utc).astimezone(tz)


def local_date(at: str, tz: tzinfo = timezone.utc) -> date:
    """The date, where the reader is, of a record's UTC time."""
    return _local(at, tz).date()


def local_time(at: str, tz: tzinfo = timezone.utc) -> str:
    """YYYY-MM-DD HH:MM:SS where the reader is."""
    return _local(at, tz).strftime("%Y-%m-%d %H:%M:%S")
