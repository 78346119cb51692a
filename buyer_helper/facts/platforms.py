"""Platforms: what differs between 拼多多, 淘宝, 天猫 (and any platform added by a file).

platforms.yaml holds one entry per platform: its names, the app's paths and wording, its rules
(once-only after-sales, the seller's wait), its own customer service and hotline, the penalties
the seller risks, the texts its channels get, and its operator (company). A buyer or contributor
may add platforms with an extra file (`--platforms FILE` or BUYER_HELPER_PLATFORMS), whose
entries may also bring their own channels (same shape as channels.yaml's); both files are
validated by the same code, every problem a BuyerHelperError naming the file, the platform and
the key. Channels are checked against the platforms in channels.py (it reads this module).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..casefile.fileio import read_text
from ..errors import BuyerHelperError
from .resources import YamlSyntaxError, parse_yaml

ENV_VAR = "BUYER_HELPER_PLATFORMS"
WHAT = "{what}"  # replaced by the seller's misconduct in cs.report

# keys a `uses:` entry does not take from the platform whose app it is bought in
_OWN_KEYS = ("id", "name", "choice", "uses", "company", "channels", "sources", "verified")
_TEXT_KEYS = ("order_path", "chat", "apply", "request", "staff")
# optional words; without them the platform's `apply` button (and for request_page, the
# `request`'s own page) is what the steps name
_OPTIONAL_TEXT_KEYS = ("after_sales_apply", "no_reason_apply", "request_page")
_INTERVENE_KEYS = ("after_refusal", "open", "ask", "when_refused")
_KNOWN_KEYS = frozenset(
    {
        *_OWN_KEYS,
        *_TEXT_KEYS,
        "app_name",
        "shop_prefix",
        "intervene",
        "cs",
        "other_entries",
        "once_only",
        "seller_wait_hours",
        "overdue_auto_refund",
        "hotline",
        "penalties",
        "texts",
        "ways",
        "said",
        *_OPTIONAL_TEXT_KEYS,
    }
)


class _Cited:
    """A value from the platforms file with its sources; `cite` is the first source, as
    written into a buyer's text ("004 §⑻.2")."""

    sources: tuple[str, ...]

    @property
    def cite(self) -> str:
        return self.sources[0]


@dataclass(frozen=True)
class Words(_Cited):
    """Words the buyer sees, with where they come from."""

    text: str
    sources: tuple[str, ...]
    verified: bool = True


@dataclass(frozen=True)
class Flag(_Cited):
    value: bool
    sources: tuple[str, ...]
    verified: bool = True

    def __bool__(self) -> bool:
        return self.value


@dataclass(frozen=True)
class Number(_Cited):
    value: int
    sources: tuple[str, ...]
    verified: bool = True


@dataclass(frozen=True)
class Intervene:
    """Asking the platform to step in after the seller refused or did nothing."""

    after_refusal: str  # "在退款详情页点“要求平台客服介入”"
    open: str  # "打开这笔订单的退款详情页，点“申请平台介入”…"
    ask: str  # "申请平台介入"
    when_refused: str  # a whole sentence for the platform step
    sources: tuple[str, ...]

    @property
    def cite(self) -> str:
        return self.sources[0]


@dataclass(frozen=True)
class CustomerService:
    channel: str  # the platform's own customer service channel id
    against_platform: str  # where to complain about the platform itself
    report: str  # reporting seller misconduct, with {what}
    report_sources: tuple[str, ...]
    sources: tuple[str, ...]
    no_reply: Words | None = None  # the seller's CS does not answer

    def report_for(self, what: str) -> str:
        return self.report.replace(WHAT, what)


@dataclass(frozen=True)
class Entries:
    entries: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Hotline:
    channel: str
    also: tuple[str, ...]  # further numbers named in the same step (拼多多's 400)
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Penalty:
    misconduct: str  # a MISCONDUCT kind (seller_abuse, seller_harassment, …)
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Said:
    """How buyers name the platform's staff and its chat in their own words (淘宝: 小二, 旺旺):
    read in the buyer's story, never written into a text."""

    staff: tuple[str, ...]
    chat: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Company:
    platform: str
    name: str
    address: str
    address_verified: bool
    credit_code: str
    city: str
    area_code: str
    sources: tuple[str, ...]
    cs_channel: str  # the platform's own customer service channel id (official_cs, taobao_cs)
    name_verified: bool = True  # False: 天猫's operator (FACTS.md §7), never a guessed name


@dataclass(frozen=True)
class Platform:
    id: str
    name: str  # 拼多多
    choice: str  # the interview's label
    app: str  # whose app the order is made in, whose channels apply (天猫 → taobao)
    app_name: str  # 拼多多App
    sources: tuple[str, ...]
    verified: bool
    order_path: Words
    chat: Words
    apply: Words
    request: Words
    staff: Words
    shop_prefix: str  # "天猫" for "天猫店铺"; "" for none
    intervene: Intervene
    cs: CustomerService
    company: Company
    once_only: Flag
    overdue_auto_refund: Flag
    seller_wait_hours: Number | None = None
    after_sales_apply: Words | None = None  # the button on a completed order (发起售后/维权)
    no_reason_apply: Words | None = None  # the button for 七天无理由 there (发起售后)
    request_page: Words | None = None  # where the request and the seller's answer show
    other_entries: Entries | None = None
    hotline: Hotline | None = None
    penalties: tuple[Penalty, ...] = ()
    said: Said | None = None
    texts: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # the platform's own wording on shared channels: {channel id: {"reach": …, "how": (…)}}
    ways: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=False)
    channels: tuple[dict, ...] = field(default=(), hash=False, compare=False)  # raw, channels.py
    path: Path | None = field(default=None, hash=False, compare=False)
    raw: dict = field(default_factory=dict, hash=False, compare=False, repr=False)  # for `uses:`


class _Checker:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, pid: str | None, what: str) -> BuyerHelperError:
        where = f"平台“{pid}”" if pid else "文件"
        return BuyerHelperError(f"平台数据文件 {self.path} 有误：{where}{what}")


def _sources(raw: Any, pid: str, key: str, chk: _Checker) -> tuple[str, ...]:
    value = raw.get("sources") if isinstance(raw, dict) else None
    if not isinstance(value, list) or not value or not all(isinstance(s, str) and s for s in value):
        raise chk.fail(pid, f"的 {key} 缺少 sources（出处列表）")
    return tuple(value)


def _verified(raw: dict, pid: str, key: str, chk: _Checker) -> bool:
    value = raw.get("verified", True)
    if not isinstance(value, bool):
        raise chk.fail(pid, f"的 {key}.verified 必须是 true 或 false")
    return value


def _text(value: Any, pid: str, key: str, chk: _Checker, empty_ok: bool = False) -> str:
    if not isinstance(value, str) or not (value.strip() or empty_ok):
        raise chk.fail(pid, f"缺少 {key}（文字）")
    braces = "{" in value or "}" in value
    if braces and not (key.endswith("cs.report") and value.count(WHAT) == 1):
        raise chk.fail(pid, f"的 {key} 里不能有花括号（只有 cs.report 可以写一次 {WHAT}）")
    return value


def _mapping(raw: Any, pid: str, key: str, chk: _Checker) -> dict:
    if not isinstance(raw, dict):
        raise chk.fail(pid, f"缺少 {key}，或它不是键值表")
    return raw


def _words(raw: Any, pid: str, key: str, chk: _Checker, empty_ok: bool = False) -> Words:
    m = _mapping(raw, pid, key, chk)
    return Words(
        text=_text(m.get("text"), pid, f"{key}.text", chk, empty_ok),
        sources=_sources(m, pid, key, chk),
        verified=_verified(m, pid, key, chk),
    )


def _flag(raw: Any, pid: str, key: str, chk: _Checker) -> Flag:
    m = _mapping(raw, pid, key, chk)
    if not isinstance(m.get("value"), bool):
        raise chk.fail(pid, f"的 {key}.value 必须是 true 或 false")
    return Flag(m["value"], _sources(m, pid, key, chk), _verified(m, pid, key, chk))


def _number(raw: Any, pid: str, key: str, chk: _Checker) -> Number | None:
    if raw is None:
        return None
    m = _mapping(raw, pid, key, chk)
    v = m.get("value")
    if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
        raise chk.fail(pid, f"的 {key}.value 必须是正整数")
    return Number(v, _sources(m, pid, key, chk), _verified(m, pid, key, chk))


def _id_list(raw: Any, pid: str, key: str, chk: _Checker) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise chk.fail(pid, f"的 {key} 必须是渠道 id 的列表")
    return tuple(raw)


def _company(raw: Any, pid: str, cs_channel: str, chk: _Checker) -> Company:
    c = _mapping(raw, pid, "company", chk)
    name_verified = c.get("name_verified", True)
    address_verified = c.get("address_verified", False)
    for key, v in (("name_verified", name_verified), ("address_verified", address_verified)):
        if not isinstance(v, bool):
            raise chk.fail(pid, f"的 company.{key} 必须是 true 或 false")
    for key in ("name", "area_code", "city"):
        # an operator whose domicile is not verified (天猫, FACTS.md §7) has no city or code
        empty_ok = key != "name" and address_verified is False
        if not isinstance(c.get(key), str) or not (c[key] or empty_ok):
            raise chk.fail(pid, f"的 company 缺少 {key}")
    for key in ("address", "credit_code"):
        if c.get(key) is not None and not isinstance(c[key], str):
            raise chk.fail(pid, f"的 company.{key} 必须是文字")
    return Company(
        platform=pid,
        name=c["name"],
        address=c.get("address") or "",
        address_verified=address_verified,
        credit_code=c.get("credit_code") or "",
        city=c["city"],
        area_code=c["area_code"],
        sources=_sources(c, pid, "company", chk),
        cs_channel=cs_channel,
        name_verified=name_verified,
    )


def _ways(raw: Any, pid: str, chk: _Checker) -> dict[str, dict[str, Any]]:
    if raw is None:
        return {}
    out = {}
    for cid, way in _mapping(raw, pid, "ways", chk).items():
        w = _mapping(way, pid, f"ways.{cid}", chk)
        how = w.get("how")
        if not isinstance(how, list) or not how or not all(isinstance(s, str) and s for s in how):
            raise chk.fail(pid, f"的 ways.{cid}.how 必须是非空的步骤列表")
        out[str(cid)] = {
            "reach": _text(w.get("reach"), pid, f"ways.{cid}.reach", chk),
            "how": tuple(how),
        }
    return out


def _platform(raw: dict, pid: str, base: dict | None, chk: _Checker, path: Path) -> Platform:
    """One entry; `base` is the raw entry of the platform whose app it uses (天猫 → 淘宝)."""
    unknown = sorted(set(raw) - _KNOWN_KEYS)
    if unknown:
        raise chk.fail(pid, f"有未知的项：{'、'.join(map(str, unknown))}")
    merged = {**{k: v for k, v in (base or {}).items() if k not in _OWN_KEYS}, **raw}
    name = _text(raw.get("name"), pid, "name", chk)
    choice = _text(raw.get("choice", name), pid, "choice", chk)
    inter = _mapping(merged.get("intervene"), pid, "intervene", chk)
    cs_raw = _mapping(merged.get("cs"), pid, "cs", chk)
    cs_channel = _text(cs_raw.get("channel"), pid, "cs.channel", chk)
    no_reply = cs_raw.get("no_reply")
    cs = CustomerService(
        channel=cs_channel,
        against_platform=_text(cs_raw.get("against_platform"), pid, "cs.against_platform", chk),
        report=_text(cs_raw.get("report"), pid, "cs.report", chk),
        report_sources=_sources({"sources": cs_raw.get("report_sources")}, pid, "cs.report", chk),
        sources=_sources(cs_raw, pid, "cs", chk),
        no_reply=None if no_reply is None else _words(no_reply, pid, "cs.no_reply", chk),
    )
    if WHAT not in cs.report:
        raise chk.fail(pid, f"的 cs.report 要写一次 {WHAT}（程序换成商家的违规行为）")
    entries = merged.get("other_entries")
    other = None
    if entries is not None:
        e = _mapping(entries, pid, "other_entries", chk)
        items = e.get("entries")
        if (
            not isinstance(items, list)
            or not items
            or not all(isinstance(x, str) and x for x in items)
        ):
            raise chk.fail(pid, "的 other_entries.entries 必须是非空的文字列表")
        other = Entries(tuple(items), _sources(e, pid, "other_entries", chk))
    hotline = None
    if merged.get("hotline") is not None:
        h = _mapping(merged["hotline"], pid, "hotline", chk)
        hotline = Hotline(
            channel=_text(h.get("channel"), pid, "hotline.channel", chk),
            also=_id_list(h.get("also"), pid, "hotline.also", chk),
            sources=_sources(h, pid, "hotline", chk),
        )
    penalties = []
    pen_raw = merged.get("penalties") or []
    if not isinstance(pen_raw, list):
        raise chk.fail(pid, "的 penalties 必须是列表")
    for i, p in enumerate(pen_raw):
        m = _mapping(p, pid, f"penalties 第{i + 1}项", chk)
        penalties.append(
            Penalty(
                misconduct=_text(
                    m.get("misconduct"), pid, f"penalties 第{i + 1}项的 misconduct", chk
                ),
                text=_text(m.get("text"), pid, f"penalties 第{i + 1}项的 text", chk),
                sources=_sources(m, pid, f"penalties 第{i + 1}项", chk),
            )
        )
    texts_raw = merged.get("texts") or {}
    if not isinstance(texts_raw, dict):
        raise chk.fail(pid, "的 texts 必须是“渠道 id: 标题”的键值表")
    texts = {str(k): _text(v, pid, f"texts.{k}", chk) for k, v in texts_raw.items()}
    channels = raw.get("channels") or []
    if not isinstance(channels, list):
        raise chk.fail(pid, "的 channels 必须是列表（格式同 channels.yaml 的 channels）")
    shop_prefix = merged.get("shop_prefix")
    said = None
    if merged.get("said") is not None:
        m = _mapping(merged["said"], pid, "said", chk)
        lists = {}
        for key in ("staff", "chat"):
            v = m.get(key) or []
            if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
                raise chk.fail(pid, f"的 said.{key} 必须是文字列表")
            lists[key] = tuple(v)
        said = Said(**lists, sources=_sources(m, pid, "said", chk))
    return Platform(
        id=pid,
        name=name,
        choice=choice,
        app=str(raw.get("uses") or pid),
        app_name=_text(merged.get("app_name"), pid, "app_name", chk),
        sources=_sources(raw, pid, "sources", chk),
        verified=_verified(raw, pid, "sources", chk),
        order_path=_words(merged.get("order_path"), pid, "order_path", chk),
        chat=_words(merged.get("chat"), pid, "chat", chk),
        apply=_words(merged.get("apply"), pid, "apply", chk),
        request=_words(merged.get("request"), pid, "request", chk),
        staff=_words(merged.get("staff"), pid, "staff", chk),
        shop_prefix=""
        if shop_prefix is None
        else _words(shop_prefix, pid, "shop_prefix", chk).text,
        intervene=Intervene(
            **{k: _text(inter.get(k), pid, f"intervene.{k}", chk) for k in _INTERVENE_KEYS},
            sources=_sources(inter, pid, "intervene", chk),
        ),
        cs=cs,
        company=_company(raw.get("company"), pid, cs_channel, chk),
        once_only=_flag(merged.get("once_only"), pid, "once_only", chk),
        overdue_auto_refund=_flag(
            merged.get("overdue_auto_refund"), pid, "overdue_auto_refund", chk
        ),
        seller_wait_hours=_number(merged.get("seller_wait_hours"), pid, "seller_wait_hours", chk),
        **{
            k: _words(merged[k], pid, k, chk)
            for k in _OPTIONAL_TEXT_KEYS
            if merged.get(k) is not None
        },
        other_entries=other,
        hotline=hotline,
        penalties=tuple(penalties),
        said=said,
        texts=texts,
        ways=_ways(merged.get("ways"), pid, chk),
        channels=tuple(channels),
        path=path,
        raw=raw,
    )


def parse_platforms_text(
    text: str, path: Path, known: dict[str, Platform] | None = None
) -> dict[str, Platform]:
    """Parse and validate a platforms file; `known` are the platforms already loaded (an extra
    file may `uses:` one of them, and may not redefine it)."""

    chk = _Checker(path)
    try:
        doc = parse_yaml(text)
    except YamlSyntaxError as e:
        raise chk.fail(None, f"不是有效的 YAML（{e.where}格式错误）") from None
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("platforms"), list)
        or not doc["platforms"]
    ):
        raise chk.fail(None, "缺少 platforms 列表（每个平台一项）")
    known = dict(known or {})
    raws: dict[str, dict] = {pid: p.raw for pid, p in known.items()}
    out: dict[str, Platform] = {}
    for i, raw in enumerate(doc["platforms"]):
        if not isinstance(raw, dict):
            raise chk.fail(None, f"platforms 的第{i + 1}项不是键值表")
        pid = raw.get("id")
        if not isinstance(pid, str) or not (pid.isidentifier() and pid.isascii()) or pid == "any":
            raise chk.fail(
                None, f"platforms 的第{i + 1}项缺少 id（英文字母、数字、下划线，不能是 any）"
            )
        if pid in out or pid in known:
            raise chk.fail(pid, "的 id 重复出现（已经有这个平台）")
        uses = raw.get("uses")
        base = None
        if uses is not None:
            if uses not in raws:
                raise chk.fail(pid, f"的 uses “{uses}”不是前面已有的平台")
            if raws[uses].get("uses"):
                raise chk.fail(pid, f"的 uses “{uses}”本身也用别的平台的App，请直接写那个平台")
            base = raws[uses]
            if raw.get("channels"):
                raise chk.fail(
                    pid, "用别的平台的App（uses），渠道也用那个平台的，不能再写 channels"
                )
        raws[pid] = raw
        out[pid] = _platform(raw, pid, base, chk, path)
    return out


_user_file: Path | None = None  # --platforms FILE (the CLI sets it)


def use_platforms_file(path: str | Path | None, check: bool = True) -> None:
    """Use an extra platforms file (None: the environment variable's, if any); checked now, so
    a broken file is reported before anything else is done (its channels are checked when
    channels.py loads them: `channels.load_data()`)."""
    global _user_file
    _user_file = Path(path) if path else None
    if check:
        load_platforms()


def platform_files() -> tuple[Path, ...]:
    """The shipped platforms file, then the extra one (option, else the environment variable)."""
    from .resources import data_files

    return data_files("platforms.yaml", _user_file, ENV_VAR)


@functools.lru_cache(maxsize=8)
def _platforms_from(files: tuple[Path, ...]) -> dict[str, Platform]:
    if not files:
        raise BuyerHelperError("找不到平台数据文件 platforms.yaml（安装不完整？）")
    merged: dict[str, Platform] = {}
    for f in files:
        merged.update(parse_platforms_text(read_text(f, "平台数据文件"), f, merged))
    return merged


def load_platforms() -> dict[str, Platform]:
    """Every platform by id, in file order (the shipped file's, then the extra file's)."""
    return _platforms_from(platform_files())


def get_platform(pid: str) -> Platform:
    platforms = load_platforms()
    try:
        return platforms[pid]
    except KeyError:
        known = "、".join(platforms)
        raise BuyerHelperError(f"未知的平台“{pid}”。可用的平台：{known}") from None


def platform_names() -> dict[str, str]:
    """{id: display name}: what a case's `platform` may be."""
    return {pid: p.name for pid, p in load_platforms().items()}


def platform_choices() -> dict[str, str]:
    """{id: the interview's label} ("天猫（淘宝App里的天猫店铺）")."""
    return {pid: p.choice for pid, p in load_platforms().items()}
