"""Deadline reminders for a calendar app: `out/提醒.ics`, written by `letters` (and the demo).

One event per deadline of the plan still ahead at the plan's `now` (the 7-day window's last day,
the seller's ~48 h, 12315's 7 and 45 working days, the 3-year limit — whichever the plan holds),
each at its due moment in Asia/Shanghai (with the zone's VTIMEZONE) and with an alarm at 09:00
the day before. UIDs come from the case (platform + order number) and the deadline's kind, so
importing a newer file updates the events instead of adding copies; DTSTAMP is the plan's `now`,
so the same inputs and moment give the same bytes. Built with the `icalendar` library.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from ..casefile.case import Case
from ..decide.plan import DISCLAIMER, Deadline, Plan
from ..facts.tz import SHANGHAI, to_shanghai

ICS_FILE = "提醒.ics"
ICS_TEXT_ID = "reminders"  # its text id in the letters manifest
ALARM_TIME = dt.time(9, 0)  # the alarm rings at this time (Beijing) on the day before
PRODID = "-//buyer-helper//维权提醒//ZH"


@dataclass(frozen=True)
class Estimate:
    """Whether a deadline's date is estimated, and the range it may fall in (None: one date)."""

    estimated: bool
    earliest: dt.datetime | None = None
    latest: dt.datetime | None = None


def estimate_of(d: Deadline) -> Estimate:
    """The one place that reads how certain a deadline is. `approximate` is the plan's flag
    today (a fallback calendar, "about 48 hours", "about 3 years"); a deadline that also
    carries `estimated` and an `earliest`/`latest` range (working days over 调休 days not yet
    published) passes them through unchanged."""
    earliest = _moment(getattr(d, "earliest", None))
    latest = _moment(getattr(d, "latest", None))
    estimated = bool(getattr(d, "estimated", False)) or d.approximate
    return Estimate(estimated or earliest is not None or latest is not None, earliest, latest)


def _moment(day):
    """A range end as a moment: a plain date (the plan's working-day ranges) ends as the plan's
    deadlines do (regulator.end_of_day)."""
    from ..decide.regulator import end_of_day

    if day is None or isinstance(day, dt.datetime):
        return day
    return end_of_day(day)


def deadline_key(d: Deadline) -> str:
    """What the deadline is, in ASCII, stable across reruns: its kind, else a digest of its
    label (a deadline added later without a kind)."""
    if d.kind:
        return d.kind
    return "deadline-" + hashlib.sha256(d.label.encode("utf-8")).hexdigest()[:12]


def event_uid(case: Case, d: Deadline) -> str:
    """Stable across reruns: the same case and kind of deadline give the same UID."""
    key = deadline_key(d)
    digest = hashlib.sha256(f"{case.platform}|{case.order.id}|{key}".encode()).hexdigest()[:20]
    return f"{key}-{digest}@buyer-helper"


def upcoming_deadlines(plan: Plan) -> list[Deadline]:
    """The plan's deadlines still ahead at `now`, each once (the 12315 phone and online steps
    share theirs), by date."""
    seen: set[str] = set()
    out: list[Deadline] = []
    for step in plan.steps:
        for d in step.deadlines:
            key = deadline_key(d)
            if key in seen or d.due < plan.now:
                continue
            seen.add(key)
            out.append(d)
    return sorted(out, key=lambda d: (d.due, deadline_key(d)))


def alarm_moment(d: Deadline) -> dt.datetime:
    """09:00 Beijing time on the day before the deadline (before its earliest date when the
    date is a range)."""
    est = estimate_of(d)
    first = min(d.due, est.earliest) if est.earliest is not None else d.due
    day = to_shanghai(first).date() - dt.timedelta(days=1)
    return dt.datetime.combine(day, ALARM_TIME, tzinfo=SHANGHAI)


def _description(case: Case, d: Deadline) -> str:
    from ..facts.hours import cn_date, cn_datetime

    order = case.order
    lines = [
        f"{d.label}：{cn_datetime(d.due)}（北京时间）",
        f"依据：{d.basis}〔{d.source}〕",
    ]
    est = estimate_of(d)
    if est.estimated:
        if est.earliest is not None and est.latest is not None:
            lines.append(
                f"这个日期是估算的：最早 {cn_date(to_shanghai(est.earliest).date())}，"
                f"最晚 {cn_date(to_shanghai(est.latest).date())}，以实际通知和官方公布为准。"
            )
        else:
            lines.append("这个日期是估算的（约），以实际通知和官方公布为准。")
    lines += [
        f"订单：{case.platform_name}｜{order.shop}｜{order.item}（订单号 {order.id}）",
        DISCLAIMER,
    ]
    return "\n".join(lines)


def render_ics(case: Case, plan: Plan) -> bytes | None:
    """The calendar file's bytes, or None when the plan has no deadline ahead."""
    import icalendar

    deadlines = upcoming_deadlines(plan)
    if not deadlines:
        return None
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"维权提醒：{case.order.item}")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = plan.now.astimezone(dt.UTC)
    for d in deadlines:
        due = to_shanghai(d.due).replace(microsecond=0)
        est = estimate_of(d)
        ev = icalendar.Event()
        ev.add("uid", event_uid(case, d))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", due)  # no DTEND: a moment (RFC 5545 3.6.1), the deadline itself
        ev.add("summary", f"截止（估算）：{d.label}" if est.estimated else f"截止：{d.label}")
        ev.add("description", _description(case, d))
        ev.add("transp", "TRANSPARENT")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"明天截止：{d.label}")
        alarm.add("trigger", alarm_moment(d) - due)  # relative to the start: a negative duration
        ev.add_component(alarm)
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()
