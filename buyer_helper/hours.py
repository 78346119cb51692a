"""The hours engine: is a channel open at a moment, and when does it open next.

All times are Asia/Shanghai whatever the machine's timezone. Working days follow the
State Council's schedule (public holidays, make-up working days) via `chinesecalendar`;
for years outside its data the engine falls back to Monday–Friday and says so.

Where sources give different hours, a channel is `open` only when every source says open,
`maybe` when some do, `closed` otherwise; `next_open` is the earliest moment at or after
`now` when every source says open (None for channels open around the clock).
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass, field

from .channels import WEEKDAY_ZH, Channel, Schedule, get_channel, load_channels
from .errors import BuyerHelperError
from .plan import ChannelState
from .tz import SHANGHAI, to_shanghai

__all__ = ["SHANGHAI", "to_shanghai"]  # re-exported: callers may take the zone from here
SEARCH_DAYS = 30  # how far ahead next_open looks
MIN_YEAR, MAX_YEAR = 1970, 2999  # a --now outside this is a typo, not a plan

STATUS_ZH = {"open": "开放", "maybe": "可能开放（来源不一）", "closed": "已关闭"}
# what the status words mean: under every hours table (terminal `hours` and the PDF's 渠道一览)
HOURS_LEGEND = (
    f"“{STATUS_ZH['open']}”= 所有来源都说开放；“{STATUS_ZH['maybe']}”= 只有部分来源说开放；"
    "“下次开放”= 所有来源都说开放的最早时间。"
)


# --------------------------------------------------------------------------- time input


def now_shanghai() -> dt.datetime:
    """The current moment in Beijing time, whatever the machine's timezone."""
    return dt.datetime.now(SHANGHAI)


def parse_now(value: str | dt.datetime | None) -> dt.datetime:
    """`--now` as an aware datetime in Asia/Shanghai. A value without offset is Beijing time."""
    if value is None:
        return now_shanghai()
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = dt.datetime.fromisoformat(text.replace("z", "Z")) if text else None
        except (ValueError, OverflowError):
            moment = None
        if moment is None:
            raise BuyerHelperError(
                f"无法识别时间“{value}”。请用 ISO 8601 格式，例如 2026-11-22T22:00:00+08:00"
                "（不写时区时按北京时间理解）。"
            )
    try:
        moment = to_shanghai(moment)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise BuyerHelperError(
            f"时间“{value}”超出可处理的范围（{MIN_YEAR}–{MAX_YEAR}年）。"
        ) from None
    return moment


# --------------------------------------------------------------------------- calendar


@functools.lru_cache(maxsize=4096)
def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is it a Chinese working day?, was the Monday–Friday fallback used?)."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        return day.weekday() < 5, True


def working_days_after(start: dt.date, n: int) -> tuple[dt.date, frozenset[int]]:
    """The n-th Chinese working day after `start` (n=0 gives `start`), and the years for which
    the Monday–Friday fallback was used for a day counted (empty when none)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day, fallback_years, counted = start, set(), 0
    while counted < n:
        day += dt.timedelta(days=1)
        work, fb = is_workday(day)
        if fb:
            fallback_years.add(day.year)
        if work:
            counted += 1
    return day, frozenset(fallback_years)


def add_working_days(start: dt.date, n: int) -> tuple[dt.date, bool]:
    """As working_days_after, with only whether the fallback was used."""
    day, years = working_days_after(start, n)
    return day, bool(years)


def fallback_note(years: set[int] | list[int] | tuple[int, ...]) -> str:
    ys = "、".join(f"{y}年" for y in sorted(set(years)))
    return (
        f"{ys}的法定节假日和调休安排不在内置日历数据中，已按周一至周五为工作日估算，"
        "请以国务院公布的放假安排为准。"
    )


def _day_label(day: dt.date) -> str:
    """'国庆节' / '调休上班日' / '周末' / '' for a date (only where the calendar has data)."""
    import chinese_calendar

    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    zh = {h.value: h.chinese for h in chinese_calendar.Holiday}
    if is_holiday and name:
        return f"{zh.get(name, name)}假期"
    if not is_holiday and name:
        return f"{zh.get(name, name)}调休上班日"
    if is_holiday:
        return "周末"
    return ""


# --------------------------------------------------------------------------- engine


@dataclass
class _Ctx:
    """Collects the years for which the fallback calendar was consulted."""

    fallback_years: set[int] = field(default_factory=set)

    def workday(self, day: dt.date) -> bool:
        work, fb = is_workday(day)
        if fb:
            self.fallback_years.add(day.year)
        return work


def _windows_on(schedule: Schedule, day: dt.date, ctx: _Ctx):
    if schedule.calendar == "cn_workdays" and not ctx.workday(day):
        return ()
    return schedule.week[day.weekday()]


def _source_open(schedule: Schedule, moment: dt.datetime, ctx: _Ctx) -> bool:
    minute = moment.hour * 60 + moment.minute + (moment.second + moment.microsecond / 1e6) / 60
    return any(w.contains(minute) for w in _windows_on(schedule, moment.date(), ctx))


def _at(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=SHANGHAI)


def _next_all_open(channel: Channel, now: dt.datetime, ctx: _Ctx) -> dt.datetime | None:
    """Earliest moment >= now at which every source says open (within SEARCH_DAYS)."""
    if all(_source_open(s, now, ctx) for s in channel.schedules):
        return now
    start = now.date()
    for offset in range(SEARCH_DAYS + 1):
        day = start + dt.timedelta(days=offset)
        candidates = sorted(
            {_at(day, w.start) for s in channel.schedules for w in _windows_on(s, day, ctx)}
        )
        for moment in candidates:
            if moment >= now and all(_source_open(s, moment, ctx) for s in channel.schedules):
                return moment
    return None


@dataclass(frozen=True)
class Evaluation:
    """The full answer for one channel at one moment (ChannelState plus detail)."""

    channel: Channel
    now: dt.datetime
    status: str  # open | maybe | closed
    next_open: dt.datetime | None
    today_hours: str
    open_sources: tuple[str, ...]
    closed_sources: tuple[str, ...]
    notes: tuple[str, ...]
    fallback_years: tuple[int, ...]

    @property
    def open_now(self) -> bool:
        return self.status == "open"

    def state(self) -> ChannelState:
        return ChannelState(
            status=self.status,
            open_now=self.open_now,
            next_open=self.next_open,
            today_hours=self.today_hours,
            notes=list(self.notes),
            fallback_years=self.fallback_years,
        )

    @property
    def calendar_note(self) -> str:
        """The fallback-calendar note when it was used (kept apart from `notes`)."""
        return fallback_note(self.fallback_years) if self.fallback_years else ""


def _today_text(schedule: Schedule, day: dt.date, ctx: _Ctx) -> str:
    """Today's hours by one source, with what qualifies them and the source in ONE bracket:
    "14:00–17:30（今天是国庆节调休上班日，003）"."""
    windows = _windows_on(schedule, day, ctx)
    extra: list[str] = []
    if windows:
        text = "、".join(w.text() for w in windows)
        if schedule.calendar == "cn_workdays" and day.weekday() >= 5:
            extra.append(f"今天是{_day_label(day) or '工作日'}")
        if schedule.calendar == "cn_workdays" and is_workday(day)[1]:
            extra.append("工作日按周一至周五估算")
    elif schedule.calendar == "cn_workdays":
        label = _day_label(day)
        if not label:
            label = "周末" if day.weekday() >= 5 else "非工作日"
        text = f"{label}不开放"
        if is_workday(day)[1]:
            extra.append("按周一至周五估算")
    else:
        text = "今天不开放"
    return f"{text}（{'，'.join([*extra, schedule.source_text])}）"


def evaluate(channel: Channel, now: dt.datetime | str | None = None) -> Evaluation:
    now = parse_now(now)
    ctx = _Ctx()
    notes: list[str] = []
    if channel.always_open:
        return Evaluation(
            channel=channel,
            now=now,
            status="open",
            next_open=None,
            today_hours="全天（随时可办理）",
            open_sources=channel.sources,
            closed_sources=(),
            notes=(),
            fallback_years=(),
        )
    opens = [_source_open(s, now, ctx) for s in channel.schedules]
    if all(opens):
        status = "open"
    elif any(opens):
        status = "maybe"
    else:
        status = "closed"
    next_open = _next_all_open(channel, now, ctx)
    today = now.date()
    parts = [_today_text(s, today, ctx) for s in channel.schedules]
    today_hours = "；".join(parts)
    open_src = tuple(s.source_text for s, o in zip(channel.schedules, opens, strict=True) if o)
    closed_src = tuple(
        s.source_text for s, o in zip(channel.schedules, opens, strict=True) if not o
    )
    if channel.conflicting:
        said = "；".join(f"{s.source_text} 说{_week_words(s)}" for s in channel.schedules)
        notes.append(f"来源不一：{said}。只有各来源都说开放时才算“开放”。")
        if status == "maybe":
            notes.append(
                f"现在 {'、'.join(open_src)} 说开放，{'、'.join(closed_src)} 说已关闭，"
                + ("打过去可能无人接听。" if channel.kind == "phone" else "可能无人回复。")
            )
    for s in channel.schedules:
        if not s.verified:
            notes.append(f"时间未核实，以当地公布为准（来源：{s.source_text}）。")
    if next_open is None:
        notes.append(f"未来{SEARCH_DAYS}天内找不到所有来源都说开放的时段。")
    return Evaluation(
        channel=channel,
        now=now,
        status=status,
        next_open=next_open,
        today_hours=today_hours,
        open_sources=open_src,
        closed_sources=closed_src,
        notes=tuple(notes),
        fallback_years=tuple(sorted(ctx.fallback_years)),
    )


def _week_words(schedule: Schedule) -> str:
    """'每天 09:00–24:00' / '法定工作日 08:30–12:00、14:00–17:30' / '周一至周五 …'."""
    if schedule.calendar == "cn_workdays":
        wins = schedule.week[0]
        return "法定工作日 " + "、".join(w.text() for w in wins)
    groups: dict[tuple, list[int]] = {}
    for i, wins in enumerate(schedule.week):
        if wins:
            groups.setdefault(wins, []).append(i)
    out = []
    for wins, days in groups.items():
        if len(days) == 7:
            label = "每天"
        elif days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            label = f"{WEEKDAY_ZH[days[0]]}至{WEEKDAY_ZH[days[-1]]}"
        else:
            label = "、".join(WEEKDAY_ZH[d] for d in days)
        out.append(f"{label} " + "、".join(w.text() for w in wins))
    return "；".join(out) if out else "不开放"


def channel_state(channel: Channel, now: dt.datetime | str | None = None) -> ChannelState:
    """The plan's view of a channel at `now`: status, open_now, next_open, today_hours, notes."""
    return evaluate(channel, now).state()


# --------------------------------------------------------------------------- words
# The one wording for dates, moments and "open now / next opening" that every renderer uses.


def cn_date(d: dt.date | None) -> str:
    """'2026年11月27日' (no zero padding); '' for None."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def cn_datetime(moment: dt.datetime, weekday: bool = True) -> str:
    """'2026年11月27日 周五 23:59' in Beijing time (without the weekday when asked)."""
    m = to_shanghai(moment)
    wd = f" {WEEKDAY_ZH[m.weekday()]}" if weekday else ""
    return f"{cn_date(m.date())}{wd} {m:%H:%M}"


def when_words(moment: dt.datetime | None, now: dt.datetime) -> str:
    """In words: '今天 14:00', '周一 09:00（明天，11月23日）', '周四 08:30（10月8日）',
    '12月1日 周二 08:30'."""
    if moment is None:
        return "随时"
    moment, now = moment.astimezone(SHANGHAI), now.astimezone(SHANGHAI)
    hm = moment.strftime("%H:%M")
    days = (moment.date() - now.date()).days
    wd = WEEKDAY_ZH[moment.weekday()]
    md = f"{moment.month}月{moment.day}日"
    if days == 0:
        return f"今天 {hm}"
    if days == 1:
        return f"{wd} {hm}（明天，{md}）"
    if days < 7:
        return f"{wd} {hm}（{md}）"
    if moment.year != now.year:
        md = f"{moment.year}年{md}"
    return f"{md} {wd} {hm}"


def now_words(now: dt.datetime) -> str:
    return f"{cn_datetime(now)}（北京时间）"


ALWAYS_OPEN_ZH = "开放（随时可以办理）"


def state_words(state: ChannelState, now: dt.datetime) -> tuple[str, str]:
    """(status, next opening) in words for a channel state at `now`:
    ('开放（随时可以办理）', '随时'), ('开放', '现在就开放'),
    ('可能开放（来源不一）', '周一 09:00（明天，11月23日，各来源都说开放）'), …"""
    if state.status == "open" and state.next_open is None:
        return ALWAYS_OPEN_ZH, "随时"
    status = STATUS_ZH.get(state.status, state.status)
    if state.status == "open":
        return status, "现在就开放"
    if state.next_open is None:
        return status, f"未来{SEARCH_DAYS}天内找不到各来源都说开放的时段"
    nxt = when_words(state.next_open, now)
    if state.status == "maybe":  # one bracket: "周一 09:00（明天，11月23日，各来源都说开放）"
        nxt = nxt[:-1] + "，各来源都说开放）" if nxt.endswith("）") else nxt + "（各来源都说开放）"
    return status, nxt


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (CJK and full-width characters take two)."""
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def _narrow_word(ch: str) -> bool:
    return not ch.isspace() and unicodedata.east_asian_width(ch) not in ("W", "F")


def _tokens(text: str) -> list[str]:
    """Wrap units: a run of narrow characters ("14:00–17:30") stays whole, each wide
    character is its own unit."""
    out: list[str] = []
    for ch in text:
        if out and _narrow_word(ch) and _narrow_word(out[-1][-1]):
            out[-1] += ch
        else:
            out.append(ch)
    return out


_NO_LINE_START = set("）)」』》〉，。、；：！？”’")


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for tok in _tokens(para):
            if line and display_width(line + tok) > width and tok[0] not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = tok.lstrip()
            else:
                line += tok
        lines.append(line.rstrip())
    return lines


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def render_table(headers: list[str], rows: list[list[str]], max_widths: list[int]) -> str:
    """A plain-text table aligned by display width (CJK characters take two columns)."""
    cells = [[_wrap(c, m) for c, m in zip(row, max_widths, strict=True)] for row in rows]
    widths = [
        max([display_width(h)] + [display_width(line) for row in cells for line in row[i]])
        for i, h in enumerate(headers)
    ]
    sep = "  "
    out = [sep.join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    out.append(sep.join("-" * w for w in widths))
    for row in cells:
        height = max(len(c) for c in row)
        for i in range(height):
            parts = [_pad(c[i] if i < len(c) else "", w) for c, w in zip(row, widths, strict=True)]
            out.append(sep.join(parts).rstrip())
    return "\n".join(out)


# --------------------------------------------------------------------------- command


def _state_cells(ev: Evaluation) -> tuple[str, str]:
    status, nxt = state_words(ev.state(), ev.now)
    # in the table the date goes on its own line: "周一 09:00" / "（明天，11月23日）"
    return status, nxt.replace("（", "\n（", 1)


def evaluate_all(
    now: dt.datetime | str | None = None, channel_ids: tuple[str, ...] | list[str] = ()
) -> list[Evaluation]:
    moment = parse_now(now)
    if channel_ids:
        chans = [get_channel(cid) for cid in dict.fromkeys(channel_ids)]
    else:
        chans = list(load_channels().values())
    return [evaluate(c, moment) for c in chans]


def hours_command(
    now: str | None = None, as_json: bool = False, channel_ids: tuple[str, ...] = ()
) -> str:
    """`buyer-helper hours`: the office-hours checklist as a Chinese table or JSON."""
    moment = parse_now(now)
    evals = evaluate_all(moment, channel_ids)
    if as_json:
        import json

        data = [
            {
                "channel": ev.channel.id,
                "name": ev.channel.name,
                "reach": ev.channel.reach,
                "open_now": ev.open_now,
                "status": ev.status,
                "always_open": ev.channel.always_open,
                "next_open": ev.next_open.isoformat() if ev.next_open else None,
                "today_hours": ev.today_hours,
                "sources": list(ev.channel.sources),
                "verified": ev.channel.verified and ev.channel.hours_verified,
                "calendar_fallback": bool(ev.fallback_years),
                "notes": [*ev.notes, *([ev.calendar_note] if ev.calendar_note else [])],
            }
            for ev in evals
        ]
        return json.dumps(data, ensure_ascii=False, indent=2)

    rows = []
    footnotes: list[str] = []
    fallback_years: set[int] = set()
    for ev in evals:
        fallback_years.update(ev.fallback_years)
        name = ev.channel.name
        if ev.notes:
            footnotes.append(f"[{len(footnotes) + 1}] {ev.channel.name}：" + "".join(ev.notes))
            name += f" [{len(footnotes)}]"
        if ev.channel.always_open:
            today = "全天"
        else:
            today = "\n".join(f"{s.strip()}" for s in ev.today_hours.split("；"))
        rows.append([name, ev.channel.reach, today, *_state_cells(ev)])
    table = render_table(
        ["渠道", "怎么联系", "今天的时间（出处）", "现在", "下次开放"],
        rows,
        [16, 20, 22, 20, 18],
    )
    lines = [f"现在：{now_words(moment)}", "", table, ""]
    lines.append(HOURS_LEGEND)
    if fallback_years:
        lines.append("注意：" + fallback_note(fallback_years))
    if footnotes:
        lines.append("")
        lines.append("说明：")
        lines.extend(footnotes)
    return "\n".join(lines)
