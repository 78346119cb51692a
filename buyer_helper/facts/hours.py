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
import unicodedata
from dataclasses import dataclass, field

from ..errors import BuyerHelperError
from .channels import WEEKDAY_ZH, Channel, Schedule, get_channel, load_channels
from .tz import SHANGHAI, to_shanghai

__all__ = ["SHANGHAI", "to_shanghai"]  # re-exported: callers may take the zone from here
SEARCH_DAYS = 30  # how far ahead next_open looks
MIN_YEAR, MAX_YEAR = 1970, 2999  # a --now outside this is a typo, not a plan

STATUS_ZH = {"open": "开放", "maybe": "可能开放（来源不一）", "closed": "已关闭"}
MAYBE_CALENDAR_ZH = "可能开放（调休未公布）"  # `maybe` because today's 调休 is not published
# what the status words mean: under every hours table (terminal `hours` and the PDF's 渠道一览)
HOURS_LEGEND = (
    f"“{STATUS_ZH['open']}”= 所有来源都说开放；“{STATUS_ZH['maybe']}”= 只有部分来源说开放；"
    f"“{MAYBE_CALENDAR_ZH}”= 今天可能因调休放假（估算，以国务院公布为准）；"
    "“下次开放”= 所有来源都说开放的最早时间（只算确定上班的日子）。"
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
# Which days are working days, and which calendar said so: see workdays.py.

CALENDAR_ZH = {"official": "官方放假安排", "estimated": "按法律估算"}


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is it a Chinese working day?, was it estimated rather than officially published?).
    A day the unknown 调休 could change counts Monday–Friday here; see workdays.day_info."""
    from .workdays import day_info

    info = day_info(day)
    return info.workday_guess, not info.official


def working_days_after(start: dt.date, n: int) -> tuple[dt.date, frozenset[int]]:
    """The n-th Chinese working day after `start` (n=0 gives `start`; unknown 调休 days counted
    Monday–Friday), and the years for which the estimate by law was used (empty when none)."""
    from .workdays import working_day_range

    guess, _earliest, _latest, years = working_day_range(start, n)
    return guess, frozenset(years)


def add_working_days(start: dt.date, n: int) -> tuple[dt.date, bool]:
    """As working_days_after, with only whether the estimate was used."""
    day, years = working_days_after(start, n)
    return day, bool(years)


def fallback_note(years: set[int] | list[int] | tuple[int, ...]) -> str:
    from .workdays import ESTIMATE_NOTE

    ys = "、".join(f"{y}年" for y in sorted(set(years)))
    return (
        f"{ys}的法定节假日和调休安排不在内置日历数据中（国务院的放假安排尚未收录）："
        "法定节假日按《全国年节及纪念日放假办法》推算，一定放假；节前节后可能调休的日子"
        "算作“不确定”；其余日子按周一至周五为工作日估算"
        f"（{ESTIMATE_NOTE}）。"
    )


def calendar_source_words(source: str) -> str:
    """'官方放假安排：chinesecalendar 1.11.0' / '按法律估算：《全国年节及纪念日放假办法》…'."""
    from .workdays import LAW_SOURCE

    kind = "estimated" if source == LAW_SOURCE else "official"
    return f"{CALENDAR_ZH[kind]}：{source}"


# --------------------------------------------------------------------------- engine


@dataclass
class ChannelState:
    """Whether a channel is open at the plan's `now` (the plan's steps carry one each)."""

    status: str  # open | maybe | closed
    open_now: bool
    next_open: dt.datetime | None  # None when open around the clock
    today_hours: str  # e.g. "08:00–21:30" or "全天"
    notes: list[str] = field(default_factory=list)
    # years whose holidays are not in the calendar data (Monday–Friday assumed); the note
    # saying so is the plan's calendar_notes, not repeated here
    fallback_years: tuple[int, ...] = ()
    # which calendar: "official" (chinesecalendar or a calendar file) | "estimated" (by law,
    # 调休 unknown) | None (the channel ignores holidays); the calendars' names
    calendar: str | None = None
    calendar_sources: tuple[str, ...] = ()
    calendar_unknown: bool = False  # `maybe` because today's 调休 is not published


@dataclass
class _Ctx:
    """Collects the days whose calendar was consulted (for working-day schedules)."""

    fallback_years: set[int] = field(default_factory=set)
    sources: dict[str, None] = field(default_factory=dict)
    official: bool = True
    consulted: bool = False

    def info(self, day: dt.date):
        from .workdays import day_info

        info = day_info(day)
        self.consulted = True
        self.sources[info.source] = None
        if not info.official:
            self.fallback_years.add(day.year)
            self.official = False
        return info

    def workday(self, day: dt.date) -> bool:
        return self.info(day).workday_guess


def _windows_on(schedule: Schedule, day: dt.date, ctx: _Ctx) -> tuple[tuple, bool]:
    """(the windows of `day` by this source, are they certain?). A working-day schedule on a
    day the unpublished 调休 could change has its usual windows, not certain."""
    if schedule.calendar != "cn_workdays":
        return schedule.week[day.weekday()], True
    info = ctx.info(day)
    if info.kind == "off":
        return (), True
    return schedule.week[day.weekday()], info.kind == "work"


def _source_state(schedule: Schedule, moment: dt.datetime, ctx: _Ctx) -> str:
    """'open', 'maybe' (open only if the day turns out a working day) or 'closed'."""
    minute = moment.hour * 60 + moment.minute + (moment.second + moment.microsecond / 1e6) / 60
    windows, certain = _windows_on(schedule, moment.date(), ctx)
    if not any(w.contains(minute) for w in windows):
        return "closed"
    return "open" if certain else "maybe"


def _source_open(schedule: Schedule, moment: dt.datetime, ctx: _Ctx) -> bool:
    """Certainly open at `moment` by this source."""
    return _source_state(schedule, moment, ctx) == "open"


def _at(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=SHANGHAI)


def _next_all_open(channel: Channel, now: dt.datetime, ctx: _Ctx) -> dt.datetime | None:
    """Earliest moment >= now at which every source certainly says open (within SEARCH_DAYS)."""
    if all(_source_open(s, now, ctx) for s in channel.schedules):
        return now
    start = now.date()
    for offset in range(SEARCH_DAYS + 1):
        day = start + dt.timedelta(days=offset)
        candidates = sorted(
            {_at(day, w.start) for s in channel.schedules for w in _windows_on(s, day, ctx)[0]}
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
    # which calendar the answer used: "official" (chinesecalendar or a calendar file),
    # "estimated" (by law, 调休 unknown), None for a channel that ignores holidays
    calendar: str | None = None
    calendar_sources: tuple[str, ...] = ()
    calendar_unknown: bool = False  # `maybe` because today's 调休 is not published

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
            calendar=self.calendar,
            calendar_sources=self.calendar_sources,
            calendar_unknown=self.calendar_unknown,
        )

    @property
    def calendar_note(self) -> str:
        """The estimated-calendar note when it was used (kept apart from `notes`)."""
        return fallback_note(self.fallback_years) if self.fallback_years else ""


def _today_text(schedule: Schedule, day: dt.date, ctx: _Ctx) -> str:
    """Today's hours by one source, with what qualifies them and the source in ONE bracket:
    "14:00–17:30（今天是国庆节调休上班日，003）"."""
    from .workdays import ESTIMATE_NOTE

    windows, _certain = _windows_on(schedule, day, ctx)
    extra: list[str] = []
    info = ctx.info(day) if schedule.calendar == "cn_workdays" else None
    if windows:
        text = "、".join(w.text() for w in windows)
        if info is not None and info.kind == "unknown":
            extra.append(f"今天{info.label}，可能不上班，{ESTIMATE_NOTE}")
        elif info is not None and day.weekday() >= 5:
            extra.append(f"今天是{info.label or '工作日'}")
        elif info is not None and not info.official:
            extra.append("工作日按周一至周五估算")
    elif info is not None:
        label = info.label or ("周末" if day.weekday() >= 5 else "非工作日")
        text = f"{label}不开放"
        if not info.official:
            extra.append("法定节假日" if info.holiday else "按周一至周五估算")
    else:
        text = "今天不开放"
    return f"{text}（{'，'.join([*extra, schedule.source_text])}）"


def _unknown_days_note(channel: Channel, now: dt.datetime, until: dt.datetime | None) -> str:
    """Days from today up to the next certain opening that the unpublished 调休 could make
    working days (or days off), in words; '' when none."""
    from .workdays import ESTIMATE_NOTE, day_info

    if not any(s.calendar == "cn_workdays" for s in channel.schedules):
        return ""
    last = (until or now + dt.timedelta(days=SEARCH_DAYS)).date()
    day, unknown = now.date(), []
    while day <= last:
        info = day_info(day)
        if info.kind == "unknown":
            unknown.append(info)
        day += dt.timedelta(days=1)
    if not unknown:
        return ""
    years = sorted({i.day.year for i in unknown})
    days = "、".join(f"{i.day.month}月{i.day.day}日" for i in unknown[:8])
    more = "等" if len(unknown) > 8 else ""
    holidays = "、".join(dict.fromkeys(i.holiday for i in unknown))
    return (
        f"{'、'.join(f'{y}年' for y in years)}的调休安排尚未公布：{days}{more}在{holidays}前后，"
        f"可能放假也可能调休上班（{ESTIMATE_NOTE}）。“下次开放”只算确定上班的日子。"
    )


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
    states = [_source_state(s, now, ctx) for s in channel.schedules]
    if all(st == "open" for st in states):
        status = "open"
    elif any(st != "closed" for st in states):
        status = "maybe"
    else:
        status = "closed"
    opens = [st != "closed" for st in states]
    next_open = _next_all_open(channel, now, ctx)
    today = now.date()
    parts = [_today_text(s, today, ctx) for s in channel.schedules]
    today_hours = "；".join(parts)
    open_src = tuple(s.source_text for s, o in zip(channel.schedules, opens, strict=True) if o)
    closed_src = tuple(
        s.source_text for s, o in zip(channel.schedules, opens, strict=True) if not o
    )
    calendar_unknown = "maybe" in states
    if channel.conflicting:
        said = "；".join(f"{s.source_text} 说{_week_words(s)}" for s in channel.schedules)
        notes.append(f"来源不一：{said}。只有各来源都说开放时才算“开放”。")
        if status == "maybe" and closed_src:
            notes.append(
                f"现在 {'、'.join(open_src)} 说开放，{'、'.join(closed_src)} 说已关闭，"
                + ("打过去可能无人接听。" if channel.kind == "phone" else "可能无人回复。")
            )
    unknown_note = _unknown_days_note(channel, now, next_open)
    if unknown_note:
        notes.append(unknown_note)
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
        calendar=("official" if ctx.official else "estimated") if ctx.consulted else None,
        calendar_sources=tuple(ctx.sources),
        calendar_unknown=calendar_unknown,
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
    if state.status == "maybe" and state.calendar_unknown:
        status = MAYBE_CALENDAR_ZH
    if state.status == "open":
        return status, "现在就开放"
    if state.next_open is None:
        return status, f"未来{SEARCH_DAYS}天内找不到各来源都说开放的时段"
    nxt = when_words(state.next_open, now)
    if state.status == "maybe":  # one bracket: "周一 09:00（明天，11月23日，各来源都说开放）"
        sure = "确定上班" if state.calendar_unknown else "各来源都说开放"
        nxt = nxt[:-1] + f"，{sure}）" if nxt.endswith("）") else nxt + f"（{sure}）"
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


def how_steps(channel) -> list[str]:
    """The steps to use a channel (channels.yaml `how`); on a channel used differently on each
    platform, every platform's steps under its name, with those an added platform brings."""
    if not channel.how_by:
        return list(channel.how)
    from .platforms import platform_names

    names = platform_names()
    return [f"{names.get(p, p)}：{step}" for p, steps in channel.how_by.items() for step in steps]


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
                "how": how_steps(ev.channel),  # the steps to use it (channels.yaml `how`)
                "sources": list(ev.channel.sources),
                "verified": ev.channel.verified and ev.channel.hours_verified,
                "calendar_fallback": bool(ev.fallback_years),
                # "official" (chinesecalendar / calendar file) | "estimated" | null (no holidays)
                "calendar": ev.calendar,
                "calendar_sources": list(ev.calendar_sources),
                "notes": [*ev.notes, *([ev.calendar_note] if ev.calendar_note else [])],
            }
            for ev in evals
        ]
        return json.dumps(data, ensure_ascii=False, indent=2)

    rows = []
    footnotes: list[str] = []
    fallback_years: set[int] = set()
    calendars: dict[str, None] = {}
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
        if ev.calendar:
            today += f"\n〔日历：{CALENDAR_ZH[ev.calendar]}〕"
            calendars.update(dict.fromkeys(ev.calendar_sources))
        rows.append([name, ev.channel.reach, today, *_state_cells(ev)])
    table = render_table(
        ["渠道", "怎么联系", "今天的时间（出处）", "现在", "下次开放"],
        rows,
        [16, 20, 22, 20, 18],
    )
    lines = [f"现在：{now_words(moment)}", "", table, ""]
    lines.append(HOURS_LEGEND)
    if calendars:
        lines.append("日历：" + "；".join(calendar_source_words(c) for c in calendars) + "。")
    if fallback_years:
        lines.append("注意：" + fallback_note(fallback_years))
    if footnotes:
        lines.append("")
        lines.append("说明：")
        lines.extend(footnotes)
    if channel_ids:  # the channels asked for by name: how to use each (channels.yaml `how`)
        for ev in evals:
            lines += ["", f"怎么办理：{ev.channel.name}"]
            lines += [f"  {i}. {step}" for i, step in enumerate(how_steps(ev.channel), 1)]
    return "\n".join(lines)
