"""Which days are Chinese working days, and how sure we are of each (FACTS.md §8).

Three sources, in this order:

1. an official schedule in a calendar file (the shipped `calendar.yaml`, then the buyer's own
   file given by `--calendar FILE` or BUYER_HELPER_CALENDAR): days off and make-up working days
   as the State Council published them, with the notice as source;
2. the `chinesecalendar` package: the official schedules of the years its data covers (found
   at run time: a newer release with more years is used with no code change);
3. for any other year an estimate by law: the statutory holidays of 《全国年节及纪念日放假办法》
   (computed by the `holidays` package for that year's version of the law) are certainly days
   off; a day that the usual 调休 arrangement can change is *unknown*; every other day is
   Monday–Friday.

The unknown zone is derived from the official schedules themselves: for every day that
chinesecalendar's data marks differently from "statutory holiday or weekend = off", the distance
from the nearest block of statutory days of the holiday it belongs to: in days for an extra day
off, in weekends for a make-up working day (1 = the first weekend after the block, -2 = the
second weekend before it). Per holiday, extra days off fell within [lo, hi] days of the block
and make-up working days within [lo', hi'] weekends;
in a year without an official schedule a weekday in the first range, or a weekend day in the
second, is unknown. One-off holidays outside the law (2015's 70th anniversary day) are not part
of the usual arrangement and are left out.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuyerHelperError

ENV_VAR = "BUYER_HELPER_CALENDAR"
LAW_SOURCE = "《全国年节及纪念日放假办法》（法定节假日按法律推算）"
ESTIMATE_NOTE = "估算，以国务院公布为准"

# holiday keys (Chinese names) as the law lists them
HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
# names the `holidays` package gives statutory days (zh_CN) → holiday key
_LAW_NAMES = {
    "元旦": "元旦",
    "春节": "春节",
    "农历除夕": "春节",
    "清明节": "清明节",
    "劳动节": "劳动节",
    "端午节": "端午节",
    "中秋节": "中秋节",
    "国庆节": "国庆节",
}
# chinesecalendar's holiday names → holiday key
_CC_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}
_SCAN_YEARS = range(1990, 2200)  # where to look for chinesecalendar's data (found at run time)


@dataclass(frozen=True)
class DayInfo:
    """One day: `kind` work | off | unknown; `official` when an official schedule decided it."""

    day: dt.date
    kind: str
    official: bool
    source: str  # "chinesecalendar 1.11.0", a calendar file's source, or LAW_SOURCE
    label: str = ""  # "春节假期", "国庆节调休上班日", "周末", "春节前后可能调休", ""
    holiday: str = ""  # the holiday the day belongs to (or may belong to), e.g. "春节"

    @property
    def workday_guess(self) -> bool:
        """The single best answer (unknown days: Monday–Friday)."""
        if self.kind == "unknown":
            return self.day.weekday() < 5
        return self.kind == "work"

    @property
    def calendar(self) -> str:
        return "official" if self.official else "estimated"


# --------------------------------------------------------------------------- the law


@functools.lru_cache(maxsize=1)
def _law_table():
    """One `holidays` China table for every year asked (one table is ~25 times faster than one
    per year: its set-up, not the computing of a year, is what costs)."""
    import holidays
    from holidays.constants import PUBLIC

    return holidays.China(observed=False, categories=(PUBLIC,), language="zh_CN")


@functools.lru_cache(maxsize=256)
def statutory_days(year: int) -> dict[dt.date, tuple[str, ...]]:
    """The statutory holidays of `year` by the law in force that year: date → holiday keys.
    Substituted days off (调休) and one-off holidays of the package are left out."""
    table = _law_table()
    table.get(dt.date(year, 1, 1))  # computes the year (the table grows one year at a time)
    out: dict[dt.date, tuple[str, ...]] = {}
    for day, names in table.items():
        if day.year != year:
            continue
        keys = []
        for name in str(names).split("; "):
            key = _LAW_NAMES.get(name.replace("（推定）", "").strip())
            if key and key not in keys:
                keys.append(key)
        if keys:
            out[day] = tuple(keys)
    return out


@functools.lru_cache(maxsize=256)
def _blocks(year: int) -> tuple[tuple[str, dt.date, dt.date], ...]:
    """(holiday, first day, last day) for each run of statutory days of `year`."""
    days = statutory_days(year)
    out = []
    for key in HOLIDAYS:
        mine = sorted(d for d, keys in days.items() if key in keys)
        start = prev = None
        for d in mine:
            if start is None:
                start = prev = d
            elif (d - prev).days == 1:
                prev = d
            else:
                out.append((key, start, prev))
                start = prev = d
        if start is not None:
            out.append((key, start, prev))
    return tuple(out)


def _offset(day: dt.date, first: dt.date, last: dt.date) -> int:
    """Days before the block (negative), after it (positive), 0 inside it."""
    if day < first:
        return (day - first).days
    if day > last:
        return (day - last).days
    return 0


def _saturday(day: dt.date) -> dt.date:
    """The Saturday of the weekend `day` (a Saturday or Sunday) belongs to."""
    return day - dt.timedelta(days=day.weekday() - 5)


def _weekend_index(day: dt.date, first: dt.date, last: dt.date) -> int:
    """For a weekend day outside the block: which weekend it is, counted from the block
    (1 = the first weekend after it, -1 = the last one before it, -2 the one before that)."""
    sat = _saturday(day)
    if day > last:
        start = _saturday(last) if last.weekday() >= 5 else last + dt.timedelta(5 - last.weekday())
        return (sat - start).days // 7 + 1
    back = (first.weekday() - 5) % 7 or 7
    start = first - dt.timedelta(days=back)
    return -((start - sat).days // 7 + 1)


def _nearest_offset(day: dt.date, holiday: str, kind: str = "off") -> int | None:
    """The distance from the nearest block of `holiday`: in days for a possible extra day off
    (kind "off"), in weekends for a possible make-up working day (kind "work"); 0 inside it."""
    best = None
    for year in (day.year - 1, day.year, day.year + 1):
        for key, first, last in _blocks(year):
            if key == holiday:
                off = _offset(day, first, last)
                if best is None or abs(off) < abs(best[0]):
                    best = (off, first, last)
    if best is None:
        return None
    off, first, last = best
    if kind == "work" and off:
        return _weekend_index(day, first, last)
    return off


# --------------------------------------------------------------------------- chinesecalendar


def _cc_version() -> str:
    try:
        from importlib.metadata import version

        return f"chinesecalendar {version('chinesecalendar')}"
    except Exception:  # metadata missing: the name is enough
        return "chinesecalendar"


def _cc_detail(day: dt.date) -> tuple[bool, str | None] | None:
    """chinesecalendar's (is it a day off?, holiday name), or None when its data lacks the year."""
    import chinese_calendar

    try:
        return chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None


@functools.lru_cache(maxsize=1)
def chinesecalendar_years() -> tuple[int, ...]:
    """The years chinesecalendar's installed release has official data for."""
    return tuple(y for y in _SCAN_YEARS if _cc_detail(dt.date(y, 6, 1)) is not None)


def changed_days(year: int) -> list[tuple[dt.date, str, str, int]]:
    """The 调休 of an official year in chinesecalendar's data: (day, holiday, kind, offset) for
    every day it marks differently from "statutory holiday or weekend = off"; kind is "off"
    (an extra day off) or "work" (a make-up working day); offset as in `_offset`."""
    law = statutory_days(year)
    out = []
    for day in sorted(_cc_listed(year) | set(law)):
        detail = _cc_detail(day)
        if detail is not None:
            off, name = detail
            default_off = day in law or day.weekday() >= 5
            key = _CC_NAMES.get(name or "")
            if off != default_off and key is not None:  # one-off holidays are left out
                kind = "off" if off else "work"
                offset = _nearest_offset(day, key, kind)
                if offset:
                    out.append((day, key, kind, offset))
    return out


def _cc_listed(year: int) -> set[dt.date]:
    """The days of `year` chinesecalendar lists (holidays and make-up days); every other day it
    answers by the weekday. Read from its tables when they are there (fast), else every day."""
    try:
        from chinese_calendar.constants import holidays, workdays

        return {d for d in (*holidays, *workdays) if d.year == year}
    except (ImportError, TypeError, AttributeError):
        start = dt.date(year, 1, 1)
        return {
            start + dt.timedelta(days=n) for n in range((start.replace(year=year + 1) - start).days)
        }


Zone = tuple[tuple[str, str, int, int], ...]  # (holiday, kind, lo, hi)


@functools.lru_cache(maxsize=64)
def derive_zone(years: tuple[int, ...]) -> Zone:
    """Per holiday and kind, the range of offsets at which 调休 fell in these official years."""
    ranges: dict[tuple[str, str], list[int]] = {}
    for year in years:
        for _day, key, kind, offset in changed_days(year):
            r = ranges.setdefault((key, kind), [offset, offset])
            r[0], r[1] = min(r[0], offset), max(r[1], offset)
    return tuple((k, kind, lo, hi) for (k, kind), (lo, hi) in sorted(ranges.items()))


def default_zone() -> Zone:
    """The unknown zone derived from every official year chinesecalendar holds."""
    return derive_zone(chinesecalendar_years())


def estimate(day: dt.date, zone: Zone | None = None) -> DayInfo:
    """The day by law alone: statutory holiday = off; a day 调休 can change = unknown;
    otherwise Monday–Friday."""
    if zone is None:
        zone = default_zone()
    keys = statutory_days(day.year).get(day)
    if keys:
        return DayInfo(day, "off", False, LAW_SOURCE, f"{keys[0]}假期", keys[0])
    weekend = day.weekday() >= 5
    kind_could_be = "work" if weekend else "off"
    for key, kind, lo, hi in zone:
        if kind != kind_could_be:
            continue
        offset = _nearest_offset(day, key, kind)
        if offset and lo <= offset <= hi:
            return DayInfo(day, "unknown", False, LAW_SOURCE, f"{key}前后可能调休", key)
    if weekend:
        return DayInfo(day, "off", False, LAW_SOURCE, "周末")
    return DayInfo(day, "work", False, LAW_SOURCE)


# --------------------------------------------------------------------------- calendar files


@dataclass(frozen=True)
class OfficialYear:
    year: int
    source: str
    days_off: frozenset[dt.date]
    workdays: frozenset[dt.date]
    path: str


def _fail(path: Path, line: int | None, what: str) -> BuyerHelperError:
    where = f"第{line}行：" if line else ""
    return BuyerHelperError(
        f"日历文件 {path} {where}{what}。格式见 README 的“放假安排”一节"
        "（years → 年份 → source、days_off、workdays）。"
    )


def _date_items(node, path: Path, year: int, field: str) -> set[dt.date]:
    import yaml

    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null")):
        return set()
    if not isinstance(node, yaml.SequenceNode):
        raise _fail(path, node.start_mark.line + 1, f"{year}年的 {field} 必须是日期列表")
    out: set[dt.date] = set()
    for item in node.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.ScalarNode):
            raise _fail(path, line, f"{field} 的每一项必须是日期（如 2027-02-05）或日期范围")
        text = item.value.strip()
        parts = [p.strip() for p in text.split("..")] if ".." in text else [text]
        try:
            dates = [dt.date.fromisoformat(p) for p in parts]
        except ValueError:
            raise _fail(
                path, line, f"“{text}”不是日期（写成 2027-02-05，或范围 2027-02-05..2027-02-11）"
            ) from None
        if len(dates) > 2 or dates[0] > dates[-1]:
            raise _fail(path, line, f"“{text}”不是有效的日期范围（开始..结束）")
        day = dates[0]
        while day <= dates[-1]:
            if day.year != year:
                raise _fail(path, line, f"{cn(day)} 不在 {year} 年（每年的日期写在该年下面）")
            out.add(day)
            day += dt.timedelta(days=1)
    return out


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def parse_calendar_text(text: str, path: Path) -> dict[int, OfficialYear]:
    """Parse and check a calendar file; every problem names the line."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise _fail(path, mark.line + 1 if mark else None, "不是有效的 YAML（格式错误）") from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise _fail(path, root.start_mark.line + 1, "最外层必须是 years: 开头的映射")
    years_node = None
    for k, v in root.value:
        if k.value != "years":
            raise _fail(path, k.start_mark.line + 1, f"未知的键“{k.value}”（只认 years）")
        years_node = v
    if years_node is None or (
        isinstance(years_node, yaml.ScalarNode) and years_node.value in ("", "~", "null")
    ):
        return {}
    if not isinstance(years_node, yaml.MappingNode):
        raise _fail(path, years_node.start_mark.line + 1, "years 下面必须按年份列出")
    out: dict[int, OfficialYear] = {}
    for k, v in years_node.value:
        line = k.start_mark.line + 1
        try:
            year = int(k.value)
        except ValueError:
            year = 0
        if not 1900 <= year <= 2999:
            raise _fail(path, line, f"“{k.value}”不是年份（如 2027）")
        if year in out:
            raise _fail(path, line, f"{year}年出现了两次")
        if not isinstance(v, yaml.MappingNode):
            raise _fail(path, line, f"{year}年下面要有 source、days_off、workdays")
        fields = {}
        for fk, fv in v.value:
            if fk.value not in ("source", "days_off", "workdays"):
                raise _fail(
                    path,
                    fk.start_mark.line + 1,
                    f"未知的键“{fk.value}”（只认 source、days_off、workdays）",
                )
            fields[fk.value] = fv
        src = fields.get("source")
        if (
            not isinstance(src, yaml.ScalarNode)
            or not src.value.strip()
            or src.value.strip() in ("~", "null")
        ):
            raise _fail(path, line, f"{year}年缺少 source（放假安排的出处，如国务院办公厅的通知）")
        off = _date_items(fields.get("days_off"), path, year, "days_off")
        work = _date_items(fields.get("workdays"), path, year, "workdays")
        if not off:
            raise _fail(path, line, f"{year}年的 days_off 是空的")
        both = sorted(off & work)
        if both:
            raise _fail(path, line, f"{cn(both[0])} 同时写在 days_off 和 workdays 里")
        out[year] = OfficialYear(
            year, src.value.strip(), frozenset(off), frozenset(work), str(path)
        )
    return out


def _read_calendar(path: Path) -> dict[int, OfficialYear]:
    from ..casefile.fileio import read_text

    return parse_calendar_text(read_text(path, "日历文件"), path)


_user_file: Path | None = None  # --calendar FILE (the CLI sets it)


def use_calendar_file(path: str | Path | None, check: bool = True) -> None:
    """Use the buyer's calendar file (besides the shipped one; None: the environment variable's,
    if any); checked now, so a broken file is reported before anything else is done."""
    global _user_file
    _user_file = Path(path) if path else None
    if check:
        official_years()


def calendar_files() -> tuple[Path, ...]:
    """The shipped calendar file, then the buyer's (option, else the environment variable)."""
    from .resources import data_files

    return data_files("calendar.yaml", _user_file, ENV_VAR)


@functools.lru_cache(maxsize=8)
def _official_from(files: tuple[Path, ...]) -> dict[int, OfficialYear]:
    merged: dict[int, OfficialYear] = {}
    for f in files:
        merged.update(_read_calendar(f))  # the later file wins for a year both hold
    return merged


def official_years() -> dict[int, OfficialYear]:
    """Official schedules from the calendar files, by year."""
    return _official_from(calendar_files())


def _near_holiday(day: dt.date) -> str:
    best, key_best = None, ""
    for year in (day.year - 1, day.year, day.year + 1):
        for key, first, last in _blocks(year):
            off = abs(_offset(day, first, last))
            if off <= 20 and (best is None or off < best):
                best, key_best = off, key
    return key_best


def _from_file(day: dt.date, year: OfficialYear) -> DayInfo:
    law = statutory_days(day.year).get(day)
    if day in year.workdays:
        key = _near_holiday(day)
        return DayInfo(day, "work", True, year.source, f"{key}调休上班日" if key else "", key)
    if day in year.days_off or law:
        key = law[0] if law else _near_holiday(day)
        return DayInfo(day, "off", True, year.source, f"{key}假期" if key else "放假", key)
    if day.weekday() >= 5:
        return DayInfo(day, "off", True, year.source, "周末")
    return DayInfo(day, "work", True, year.source)


def _from_cc(day: dt.date, detail: tuple[bool, str | None]) -> DayInfo:
    import chinese_calendar

    off, name = detail
    zh = {h.value: h.chinese for h in chinese_calendar.Holiday}
    key = _CC_NAMES.get(name or "", zh.get(name or "", name or ""))
    if off and name:
        label = f"{zh.get(name, name)}假期"
    elif name:
        label = f"{zh.get(name, name)}调休上班日"
    elif off:
        label = "周末"
    else:
        label = ""
    return DayInfo(day, "off" if off else "work", True, _cc_version(), label, key)


@functools.lru_cache(maxsize=8192)
def _day_info(day: dt.date, files: tuple[Path, ...]) -> DayInfo:
    year = _official_from(files).get(day.year)
    if year is not None:
        return _from_file(day, year)
    detail = _cc_detail(day)
    if detail is not None:
        return _from_cc(day, detail)
    return estimate(day)


def day_info(day: dt.date) -> DayInfo:
    """What `day` is, and which calendar said so."""
    files = calendar_files()
    official_years()  # a broken file is reported here, whatever the day
    return _day_info(day, files)


def working_day_range(start: dt.date, n: int) -> tuple[dt.date, dt.date, dt.date, set[int]]:
    """The n-th working day after `start`: (best guess, earliest, latest, estimated years).
    Earliest counts every unknown day as a working day, latest none of them; the guess counts
    unknown days Monday–Friday. The three are equal when no unknown day was crossed."""
    if n < 0:
        raise ValueError("n must be >= 0")
    found: dict[str, dt.date] = {}
    counts = {"guess": 0, "earliest": 0, "latest": 0}
    years: set[int] = set()
    day = start
    if n == 0:
        return start, start, start, years
    while len(found) < 3:
        day += dt.timedelta(days=1)
        info = day_info(day)
        if not info.official:
            years.add(day.year)
        adds = {
            "guess": info.workday_guess,
            "earliest": info.kind in ("work", "unknown"),
            "latest": info.kind == "work",
        }
        for k, add in adds.items():
            if k not in found and add:
                counts[k] += 1
                if counts[k] == n:
                    found[k] = day
    return found["guess"], found["earliest"], found["latest"], years
