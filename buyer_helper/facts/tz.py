"""Beijing time: the one timezone every date and moment in a case is read in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def to_shanghai(value: dt.datetime | dt.date) -> dt.datetime:
    """An aware datetime in Asia/Shanghai: a naive datetime is read as Beijing time, a date as
    its midnight in Beijing, an aware datetime is converted."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(), tzinfo=SHANGHAI)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)
