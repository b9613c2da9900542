"""Dates as cables write them, turned into ISO 8601."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from ..ids import full_year

_MONTHS = {m: i for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}
_ISO_LIKE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
# "Fri Feb 23 00:00:00 +0100 2001" (Ruby's Time#to_s, as text exports write the creation date)
# and "Fri Jun 16 10:23:00 2006" (C's ctime, 06LONDON4338's debris): read as written, the offset
# ignored — a local midnight is that local date, which a shift to UTC would move a day back.
_CTIME = re.compile(
    r"^\s*(?:[A-Za-z]{3},?\s+)?(?P<month>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?(?:\s+(?:[+-]\d{4}|UTC|GMT|[A-Z]{3}))?\s+(?P<year>\d{4})\s*$"
)
_DTG = re.compile(r"\b(\d{2})(\d{2})(\d{2})Z\s*([A-Z]{3})\s*(\d{2}|\d{4})\b")


@lru_cache(maxsize=4096)
def iso_datetime(value: str | None) -> str | None:
    """``2006-04-24 03:36`` or ``4/24/2006 3:36`` → ``2006-04-24T03:36``; None if unreadable."""
    if not value:
        return None
    m = _ISO_LIKE.match(value)
    if m:
        y, mo, d, h, mi, s = m.groups()
    else:
        m = _US_DATE.match(value)
        if not m:
            return _ctime_datetime(value)
        mo, d, y, h, mi, s = m.groups()
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    out = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    if h is not None:
        out += f"T{int(h):02d}:{mi}"
    return out


def _ctime_datetime(value: str) -> str | None:
    """``Fri Feb 23 00:00:00 +0100 2001`` → ``2001-02-23`` (a midnight is a date, not a time);
    ``Fri Jun 16 10:23:00 2006`` → ``2006-06-16T10:23``; None if not of that shape."""
    m = _CTIME.match(value)
    month = _MONTHS.get(m.group("month").upper()) if m else None
    if m is None or month is None:
        return None
    year, day, hour, minute = int(m.group("year")), int(m.group("day")), int(m.group("hour")), m.group("minute")
    if not 1 <= day <= _days_in_month(year, month) or hour > 23 or int(minute) > 59:
        return None
    out = f"{year:04d}-{month:02d}-{day:02d}"
    return out if hour == 0 and minute == "00" else f"{out}T{hour:02d}:{minute}"


def dtg_to_iso(text: str | None) -> str | None:
    """A date-time group ``P 240336Z APR 06`` → ``2006-04-24T03:36Z``."""
    if not text:
        return None
    m = _DTG.search(text.upper())
    if not m:
        return None
    day, hour, minute, mon, year = m.groups()
    month = _MONTHS.get(mon)
    if month is None or int(hour) > 23 or int(minute) > 59:
        return None
    y = int(year)
    if y < 100:
        y = full_year(y)
    if not 1 <= int(day) <= _days_in_month(y, month):
        return None
    return f"{y:04d}-{month:02d}-{int(day):02d}T{int(hour):02d}:{minute}Z"


def _days_in_month(year: int, month: int) -> int:
    """So that a garbled DTG (``310930Z FEB 06``) is refused rather than turned into a non-date."""
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return _DAYS_IN_MONTH[month]


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
