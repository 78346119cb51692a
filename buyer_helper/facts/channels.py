"""Channels: how to reach each one, its office hours per source, form limits (channels.yaml).

The file is validated on load; every problem becomes a BuyerHelperError whose Chinese
message names the file, the entry and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..casefile.fileio import read_text
from ..errors import BuyerHelperError
from .platforms import Company, Platform, load_platforms, platform_files
from .resources import YamlSyntaxError, parse_yaml

__all__ = ["Company"]  # the operator lives with its platform (platforms.py); named here too

# A channel's `platform` is "any" or the id of a platform with its own app (platforms.yaml;
# 天猫 stores are bought in the 淘宝 app, so no channel is 天猫's).
ANY = "any"
KINDS = ("path", "chat", "phone", "online")
CALENDARS = ("weekly", "cn_workdays")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

_REQUIRED = ("id", "name", "platform", "kind", "reach", "how", "sources", "verified")


@dataclass(frozen=True)
class Window:
    """One opening on one day, in minutes after midnight; `end` may be 1440 (24:00)."""

    start: int
    end: int

    def contains(self, minute: float) -> bool:
        return self.start <= minute < self.end

    def text(self) -> str:
        return f"{_hhmm(self.start)}–{_hhmm(self.end)}"


@dataclass(frozen=True)
class Schedule:
    """One source's (or several agreeing sources') weekly hours.

    `week[i]` are the windows on weekday i (0 = Monday) for calendar "weekly"; for
    "cn_workdays" `week` holds the same windows on every day and they apply only on Chinese
    working days (closed on public holidays, open on make-up working days).
    """

    sources: tuple[str, ...]
    calendar: str
    week: tuple[tuple[Window, ...], ...]
    quote: str = ""
    verified: bool = True

    @property
    def source_text(self) -> str:
        return "、".join(self.sources)


@dataclass(frozen=True)
class Limit:
    max_chars: int
    source: str
    verified: bool


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    platform: str  # "any" or a platform id (platforms.yaml) whose app the channel is in
    kind: str  # path | chat | phone | online
    reach: str  # platform-neutral text (both platforms' ways when they differ)
    how: tuple[str, ...]
    schedules: tuple[Schedule, ...]
    always_open: bool
    sources: tuple[str, ...]
    verified: bool
    note: str = ""
    limits: dict[str, Limit] = field(default_factory=dict, hash=False, compare=False)
    # per-platform wording where the in-app path differs (channels.yaml `reach: {pdd: …}`)
    reach_by: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    how_by: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)

    def reach_for(self, platform: str) -> str:
        """Where to go on this platform ("淘宝App → 我的淘宝 → 已买到的宝贝 → …")."""
        return self.reach_by.get(platform, self.reach)

    def how_for(self, platform: str) -> tuple[str, ...]:
        return self.how_by.get(platform, self.how)

    @property
    def conflicting(self) -> bool:
        """True when the sources give different hours for this channel."""
        return len({(s.calendar, s.week) for s in self.schedules}) > 1

    @property
    def hours_verified(self) -> bool:
        return self.always_open or all(s.verified for s in self.schedules)


@dataclass(frozen=True)
class Setting:
    value: int
    label: str
    source: str


# regulator settings every file must have (FACTS.md §6); others are optional
REGULATOR_SETTINGS = ("accept_working_days", "mediation_working_days", "complaint_limit_years")


@dataclass(frozen=True)
class Regulator:
    """12315 rules (FACTS.md §6): the 2019 measures' time limits and the 2026 measures' start."""

    settings: dict[str, Setting]
    new_rules_from: dt.date
    new_rules_name: str
    new_rules_note: str  # which bureau handles it from new_rules_from on
    old_rules_name: str  # 市场监督管理投诉举报处理暂行办法
    old_rules_label: str  # "依2019年暂行办法，以现行规定为准"

    @property
    def accept(self) -> Setting:
        return self.settings["accept_working_days"]

    @property
    def mediation(self) -> Setting:
        return self.settings["mediation_working_days"]

    @property
    def limit_years(self) -> Setting:
        return self.settings["complaint_limit_years"]

    @property
    def new_rules_title(self) -> str:
        """《市场监督管理投诉举报处理办法》: the name without its 令 number, in 《》 so it can
        sit inside a bracket without nesting one."""
        return f"《{self.new_rules_name.split('（')[0]}》"

    def new_rules(self, day: dt.date) -> bool:
        return day >= self.new_rules_from


@dataclass(frozen=True)
class NotForBuyers:
    """A number that is not a consumer channel (003): never suggest it."""

    number: str
    what: str
    source: str
    platform: str = ANY  # the platform whose number it is (named only on its cases)


@dataclass(frozen=True)
class ChannelData:
    channels: dict[str, Channel]
    companies: dict[str, Company]
    regulator: Regulator
    not_for_buyers: tuple[NotForBuyers, ...]
    path: Path


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class _Checker:
    """Builds Chinese error messages naming the file and the entry."""

    def __init__(self, path: Path, platforms: dict[str, Platform] | None = None):
        self.path = path
        self.platforms = platforms or {}
        # platforms with their own app (天猫 uses 淘宝's): a channel belongs to one of them
        self.apps = {pid: p for pid, p in self.platforms.items() if p.app == pid}

    def fail(self, entry: str | None, what: str) -> BuyerHelperError:
        where = f"渠道“{entry}”" if entry else "文件"
        return BuyerHelperError(f"渠道数据文件 {self.path} 有误：{where}{what}")


def _parse_time(text: str, allow_24: bool) -> int | None:
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
        return None
    h, m = int(parts[0]), int(parts[1])
    if m > 59 or h > 24 or (h == 24 and (m != 0 or not allow_24)):
        return None
    return h * 60 + m


def _parse_window(text: Any) -> Window | None:
    if not isinstance(text, str):
        return None
    for sep in ("-", "–", "~"):
        if sep in text:
            a, _, b = text.partition(sep)
            start, end = _parse_time(a, False), _parse_time(b, True)
            if start is None or end is None or start >= end:
                return None
            return Window(start, end)
    return None


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _schedule(raw: Any, cid: str, i: int, chk: _Checker) -> Schedule:
    label = f"的第{i + 1}条 hours"
    if not isinstance(raw, dict):
        raise chk.fail(cid, f"{label}不是键值表")
    if not _str_list(raw.get("sources")):
        raise chk.fail(cid, f"{label}缺少 sources（出处列表）")
    calendar = raw.get("calendar", "weekly")
    if calendar not in CALENDARS:
        raise chk.fail(cid, f"{label}的 calendar “{calendar}”未知，只能是 {'、'.join(CALENDARS)}")
    wins_raw = raw.get("windows")
    if not isinstance(wins_raw, list) or not wins_raw:
        raise chk.fail(cid, f"{label}缺少 windows（开放时段）")
    windows = []
    for w in wins_raw:
        win = _parse_window(w)
        if win is None:
            raise chk.fail(
                cid, f"{label}的时段“{w}”不是有效时间（应为 HH:MM-HH:MM，00:00 到 24:00）"
            )
        windows.append(win)
    windows.sort(key=lambda w: w.start)
    for a, b in itertools.pairwise(windows):
        if b.start < a.end:
            raise chk.fail(cid, f"{label}的时段 {a.text()} 和 {b.text()} 重叠")
    if calendar == "cn_workdays":
        if "days" in raw:
            raise chk.fail(cid, f"{label}按法定工作日开放（cn_workdays），不应再写 days")
        days = set(range(7))
    else:
        days_raw = raw.get("days")
        if days_raw == "daily":
            days = set(range(7))
        elif isinstance(days_raw, list) and days_raw:
            days = set()
            for d in days_raw:
                if d not in WEEKDAYS:
                    raise chk.fail(
                        cid, f"{label}的星期“{d}”未知，只能是 {'、'.join(WEEKDAYS)} 或 daily"
                    )
                days.add(WEEKDAYS.index(d))
        else:
            raise chk.fail(cid, f"{label}缺少 days（daily 或星期列表）")
    verified = raw.get("verified", True)
    if not isinstance(verified, bool):
        raise chk.fail(cid, f"{label}的 verified 必须是 true 或 false")
    week = tuple(tuple(windows) if d in days else () for d in range(7))
    return Schedule(
        sources=tuple(raw["sources"]),
        calendar=calendar,
        week=week,
        quote=str(raw.get("quote", "")),
        verified=verified,
    )


def _limits(raw: Any, cid: str, chk: _Checker) -> dict[str, Limit]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise chk.fail(cid, "的 limits 不是键值表")
    out = {}
    for name, lim in raw.items():
        if not isinstance(lim, dict):
            raise chk.fail(cid, f"的字数限制“{name}”不是键值表")
        mc = lim.get("max_chars")
        if not isinstance(mc, int) or isinstance(mc, bool) or mc <= 0:
            raise chk.fail(cid, f"的字数限制“{name}”缺少正整数 max_chars")
        src = lim.get("source")
        if not isinstance(src, str) or not src.strip():
            raise chk.fail(cid, f"的字数限制“{name}”缺少 source（出处，或写明无来源）")
        ver = lim.get("verified")
        if not isinstance(ver, bool):
            raise chk.fail(cid, f"的字数限制“{name}”缺少 verified（true 或 false）")
        out[str(name)] = Limit(max_chars=mc, source=src, verified=ver)
    return out


def _channel(raw: Any, index: int, chk: _Checker) -> Channel:
    if not isinstance(raw, dict):
        raise chk.fail(None, f"channels 的第{index + 1}项不是键值表")
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid.strip():
        raise chk.fail(None, f"channels 的第{index + 1}项缺少 id")
    for key in _REQUIRED:
        if key not in raw or raw[key] is None or raw[key] == "":
            raise chk.fail(cid, f"缺少字段 {key}")
    if not isinstance(raw["name"], str):
        raise chk.fail(cid, "的 name 必须是文字")
    if raw["platform"] != ANY and raw["platform"] not in chk.apps:
        allowed = "、".join([*chk.apps, ANY])
        raise chk.fail(cid, f"的 platform “{raw['platform']}”未知，只能是 {allowed}")
    if raw["kind"] not in KINDS:
        raise chk.fail(cid, f"的 kind “{raw['kind']}”未知，只能是 {'、'.join(KINDS)}")
    reach, reach_by = _per_platform(raw["reach"], raw["platform"], cid, "reach", chk)
    how, how_by = _per_platform(raw["how"], raw["platform"], cid, "how", chk)
    if not _str_list(raw["sources"]):
        raise chk.fail(cid, "的 sources 必须是非空的出处列表")
    if not isinstance(raw["verified"], bool):
        raise chk.fail(cid, "的 verified 必须是 true 或 false")
    always_open = raw.get("always_open", False)
    if not isinstance(always_open, bool):
        raise chk.fail(cid, "的 always_open 必须是 true 或 false")
    hours = raw.get("hours")
    if always_open:
        if hours:
            raise chk.fail(cid, "标为全天开放（always_open），不应再写 hours")
        schedules: tuple[Schedule, ...] = ()
    else:
        if not isinstance(hours, list) or not hours:
            raise chk.fail(cid, "缺少 hours（开放时间），或应标为 always_open: true")
        schedules = tuple(_schedule(h, cid, i, chk) for i, h in enumerate(hours))
    note = raw.get("note", "") or ""
    if not isinstance(note, str):
        raise chk.fail(cid, "的 note 必须是文字")
    return Channel(
        id=cid,
        name=raw["name"],
        platform=raw["platform"],
        kind=raw["kind"],
        reach=reach,
        how=how,
        schedules=schedules,
        always_open=always_open,
        sources=tuple(raw["sources"]),
        verified=raw["verified"],
        note=note,
        limits=_limits(raw.get("limits"), cid, chk),
        reach_by=reach_by,
        how_by=how_by,
    )


def _per_platform(value: Any, platform: str, cid: str, key: str, chk: _Checker):
    """`reach` (text) or `how` (list of steps), either plain or a mapping {pdd: …, taobao: …}
    for a channel used on both platforms. Returns (platform-neutral value, per-platform dict)."""

    def one(v: Any, where: str):
        if key == "reach":
            if not isinstance(v, str) or not v.strip():
                raise chk.fail(cid, f"的 {where} 必须是文字")
            return v
        if not _str_list(v):
            raise chk.fail(cid, f"的 {where} 必须是非空的步骤列表")
        return tuple(v)

    if not isinstance(value, dict):
        return one(value, key), {}
    if platform != "any":
        raise chk.fail(cid, f"只属于一个平台（platform: {platform}），{key} 不应按平台分写")
    # every platform with its own app, except one bringing its own wording (platforms `ways:`)
    wanted = [p for p, plat in chk.apps.items() if cid not in plat.ways]
    shipped = next(iter(chk.platforms.values())).path if chk.platforms else None
    for p in wanted:
        plat = chk.apps[p]
        if p not in value and plat.path != shipped:  # an added platform words it itself
            raise BuyerHelperError(
                f"平台数据文件 {plat.path} 有误：平台“{p}”缺少 ways.{cid}"
                f"（渠道“{cid}”各平台写法不同：写明这个平台的 reach 和 how）"
            )
    if not set(wanted) <= set(value) or not set(value) <= set(chk.apps):
        raise chk.fail(cid, f"的 {key} 按平台分写时要有且只有：{'、'.join(wanted)}")
    names = {p: chk.apps[p].name for p in value}
    by = {p: one(value[p], f"{key}.{p}") for p in value}
    if key == "reach":
        return "；".join(f"{names[p]}：{r}" for p, r in by.items()), by
    neutral = tuple(f"{names[p]}：{step}" for p, steps in by.items() for step in steps)
    return neutral, by


def _check_platforms(chk: _Checker, channels: dict[str, Channel]) -> None:
    """Every channel a platform names exists and is in its app (or any app): its customer
    service, its hotline, the texts it offers, the shared channels it words its own way."""

    def fail(p: Platform, what: str) -> BuyerHelperError:
        return BuyerHelperError(f"平台数据文件 {p.path} 有误：平台“{p.id}”{what}")

    for p in chk.platforms.values():
        named = [("cs.channel", p.cs.channel)]
        if p.hotline:
            named += [("hotline.channel", p.hotline.channel)]
            named += [("hotline.also", c) for c in p.hotline.also]
        named += [(f"texts.{c}", c) for c in p.texts]
        for key, cid in named:
            ch = channels.get(cid)
            if ch is None or ch.platform not in (ANY, p.app):
                raise fail(p, f"的 {key} “{cid}”不是这个平台的渠道")
            if key.startswith("hotline") and ch.kind != "phone":
                raise fail(p, f"的 {key} “{cid}”不是电话渠道（kind: phone），不能当热线")
        # the platform's own customer service gets the message asking it to step in
        if p.app == p.id and p.cs.channel not in p.texts:
            raise fail(p, f"的 texts 里没有客服渠道 {p.cs.channel}：请写上它的文字标题")
        for cid, way in p.ways.items():
            ch = channels.get(cid)
            if ch is None or ch.platform != ANY:
                raise fail(p, f"的 ways.{cid} 不是各平台共用的渠道")
            ch.reach_by[p.id] = way["reach"]
            ch.how_by[p.id] = way["how"]


def _regulator(raw: Any, chk: _Checker) -> Regulator:
    if not isinstance(raw, dict):
        raise chk.fail(None, "缺少 regulator（12315 规则），或它不是键值表")
    settings: dict[str, Setting] = {}
    texts: dict[str, str] = {}
    for key, v in raw.items():
        if isinstance(v, dict):
            val = v.get("value")
            if not isinstance(val, int) or isinstance(val, bool) or val <= 0:
                raise chk.fail(None, f"的 regulator.{key} 缺少正整数 value")
            if not v.get("label") or not v.get("source"):
                raise chk.fail(None, f"的 regulator.{key} 缺少 label 或 source")
            settings[key] = Setting(value=val, label=str(v["label"]), source=str(v["source"]))
        elif isinstance(v, (str, dt.date)) and str(v).strip():
            texts[key] = str(v).strip()
        else:
            raise chk.fail(None, f"的 regulator.{key} 应为文字或 value/label/source 设置")
    for key in REGULATOR_SETTINGS:
        if key not in settings:
            raise chk.fail(None, f"的 regulator 缺少设置 {key}（value、label、source）")
    for key in ("new_rules_from", "new_rules_name", "new_rules_note", "old_rules_name"):
        if key not in texts:
            raise chk.fail(None, f"的 regulator 缺少 {key}")
    try:
        new_from = dt.date.fromisoformat(texts["new_rules_from"])
    except ValueError:
        raise chk.fail(
            None,
            f"的 regulator.new_rules_from “{texts['new_rules_from']}”不是日期（如 2026-04-15）",
        ) from None
    return Regulator(
        settings=settings,
        new_rules_from=new_from,
        new_rules_name=texts["new_rules_name"],
        new_rules_note=texts["new_rules_note"],
        old_rules_name=texts["old_rules_name"],
        old_rules_label=settings["accept_working_days"].label,
    )


def parse_channels_text(
    text: str,
    path: Path,
    platforms: dict[str, Platform] | None = None,
    check_platforms: bool = True,
) -> ChannelData:
    """Parse and validate the YAML text of a channels file (path is only for messages), with
    the channels the platforms bring (an extra platforms file's `channels:`); `platforms`
    defaults to the loaded ones (platforms.yaml and the extra file). check_platforms: every
    channel a platform names (its customer service, hotline, texts) is in the file; off for a
    partial channels file (a test's, a single channel's)."""

    if platforms is None:
        platforms = load_platforms()
    chk = _Checker(path, platforms)
    try:
        doc = parse_yaml(text)
    except YamlSyntaxError as e:
        raise chk.fail(None, f"不是有效的 YAML（{e.where}格式错误）") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("channels"), list):
        raise chk.fail(None, "缺少 channels 列表")
    if not doc["channels"]:
        raise chk.fail(None, "的 channels 列表是空的")
    if "companies" in doc:
        raise chk.fail(None, "不应再写 companies：平台公司写在 platforms.yaml 的各平台 company 里")
    channels: dict[str, Channel] = {}
    for i, raw in enumerate(doc["channels"]):
        ch = _channel(raw, i, chk)
        if ch.id in channels:
            raise chk.fail(ch.id, "的 id 重复出现")
        channels[ch.id] = ch
    for p in platforms.values():  # a platform added by a file brings its own channels
        own = _PlatformChecker(p, platforms)
        for i, raw in enumerate(p.channels):
            ch = _channel(raw, i, own)
            if ch.id in channels:
                raise own.fail(ch.id, "的 id 重复出现（已经有这个渠道）")
            if ch.platform != p.id:
                raise own.fail(ch.id, f"的 platform 必须是这个平台的 id：{p.id}")
            channels[ch.id] = ch
    if check_platforms:
        _check_platforms(chk, channels)
    nfb = doc.get("not_for_buyers") or []
    if not isinstance(nfb, list):
        raise chk.fail(None, "的 not_for_buyers 必须是列表")
    not_for_buyers = []
    for x in nfb:
        if not isinstance(x, dict) or not all(
            isinstance(x.get(k), str) and x[k] for k in ("number", "what", "source")
        ):
            raise chk.fail(None, "的 not_for_buyers 每项都要有 number、what、source")
        owner = x.get("platform", ANY)
        if owner != ANY and owner not in chk.apps:
            raise chk.fail(None, f"的 not_for_buyers 里 {x['number']} 的 platform “{owner}”未知")
        not_for_buyers.append(NotForBuyers(x["number"], x["what"], x["source"], owner))
    return ChannelData(
        channels=channels,
        companies={pid: p.company for pid, p in platforms.items()},
        regulator=_regulator(doc.get("regulator"), chk),
        not_for_buyers=tuple(not_for_buyers),
        path=path,
    )


class _PlatformChecker(_Checker):
    """Messages for a channel written in a platforms file (its `channels:`)."""

    def __init__(self, platform: Platform, platforms: dict[str, Platform]):
        super().__init__(platform.path or Path("platforms.yaml"), platforms)
        self.platform = platform

    def fail(self, entry: str | None, what: str) -> BuyerHelperError:
        where = f"渠道“{entry}”" if entry else "channels"
        return BuyerHelperError(
            f"平台数据文件 {self.path} 有误：平台“{self.platform.id}”的{where}{what}"
        )


def _read(path: Path, check_platforms: bool = True) -> ChannelData:
    text = read_text(path, "渠道数据文件")
    return parse_channels_text(text, path, check_platforms=check_platforms)


@functools.lru_cache(maxsize=4)
def _default_data(files: tuple[Path, ...]) -> ChannelData:  # keyed by the platform files
    from .resources import data_path

    try:
        path = data_path("channels.yaml")
    except FileNotFoundError:
        raise BuyerHelperError("找不到渠道数据文件 channels.yaml（安装不完整？）") from None
    return _read(path)


def load_data(path: str | Path | None = None) -> ChannelData:
    """Everything in channels.yaml, with the platforms' companies and the channels an extra
    platforms file brings: channels, companies, regulator settings (cached by default)."""
    if path is None:
        return _default_data(platform_files())
    return _read(Path(path), check_platforms=False)


def load_channels(path: str | Path | None = None) -> dict[str, Channel]:
    """All channels by id, in file order. The default file is read once and cached."""
    return load_data(path).channels


def get_channel(channel_id: str, path: str | Path | None = None) -> Channel:
    channels = load_channels(path)
    try:
        return channels[channel_id]
    except KeyError:
        known = "、".join(channels)
        raise BuyerHelperError(f"未知的渠道“{channel_id}”。可用的渠道：{known}") from None


def get_company(platform: str) -> Company:
    """The platform operator (FACTS.md §7): name, address, city and area code for 12315."""
    companies = load_data().companies
    try:
        return companies[platform]
    except KeyError:
        raise BuyerHelperError(f"没有平台“{platform}”的公司信息") from None


def regulator_setting(key: str) -> Setting:
    """A configurable 12315 time limit, e.g. "accept_working_days" (7) with its label."""
    value = load_data().regulator.settings.get(key)
    if value is None:
        raise BuyerHelperError(f"渠道数据里没有 12315 时限设置“{key}”")
    return value
