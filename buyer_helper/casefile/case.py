"""The buyer's case: the answers, their validation, and the case folder on disk.

A case folder holds `case.yaml` (answers + timeline), `evidence/` and `out/`.
Validation errors are `BuyerHelperError`s in Chinese that name the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from ..errors import BuyerHelperError
from ..facts.platforms import Platform
from ..facts.tz import to_shanghai
from .casefolder import CASE_FILE, read_yaml
from .caseschema import FIELD_NAMES
from .quotes import parse_quotes

T = TypeVar("T")

PROBLEMS = {
    "quality": "质量问题",
    "damaged": "商品破损",
    "not_as_described": "与描述不符",
    "not_received": "未收到货",
    "no_reason_return": "不想要了（七天无理由）",
    "seller_abuse": "商家辱骂",
    "seller_harassment": "商家骚扰",  # 威胁 only when the buyer's words name one (Plan.threat)
    "off_platform": "商家引导加微信或私下交易",
    "bribe_for_review": "商家利诱删差评",
    "fake_goods": "假货",
}
DELIVERY = {"not_signed": "还没签收", "signed": "已签收", "completed": "交易已完成"}
TRIED = {
    "contacted_seller": "已联系商家",
    "seller_no_reply": "商家不回复",
    "after_sales_filed": "已申请售后",
    "seller_rejected": "商家拒绝/驳回",
    "platform_intervened": "已申请平台介入",
    "platform_unsatisfied": "对平台处理不满意",
    "hotline_called": "已打消费者热线",
    "c12315_filed": "已向12315投诉",
    "police_called": "已报警",
    # a not-signed parcel refused with the courier (拒签退回, 004 §⑴.1); offered for not_signed only
    "refused_delivery": "已拒签退回",
    # the goods went back to the seller (退货); offered once the parcel was signed for
    "return_shipped": "已把商品寄回商家（退货已寄出）",
    "return_received": "商家已签收退回的商品",
}
# states that say the goods are on their way back or with the seller
RETURN_STATES = frozenset({"return_shipped", "return_received"})
GOODS_KINDS = {
    "ordinary": "普通商品",
    "perishable": "生鲜、易腐商品",
    "custom": "定制商品",
    "digital": "拆封的音像制品、软件等数字商品",
}
# goods 七天无理由退货 does not cover (消费者权益保护法 第二十五条)
NO_REASON_EXCLUDED = frozenset({"perishable", "custom", "digital"})
PROMISE_WHERE = {"product_page": "商品页面", "chat": "聊天", "live_stream": "直播间"}
RESPONDENTS = {"seller": "店铺（商家）", "platform": "平台本身（平台的活动规则、客服或处理决定）"}
DEMANDS = {
    "refund": "仅退款",
    "return_refund": "退货退款",
    "exchange": "换货",
    "repair": "维修",
    "compensation": "赔偿",
    "apology_and_penalty": "道歉并处罚商家",
}
# Problems that are seller misconduct rather than a problem with the goods.
MISCONDUCT = {"seller_abuse", "seller_harassment", "off_platform", "bribe_for_review"}
# Misconduct kinds as they read after "商家…" in a plan or a text ("举报商家辱骂"). 威胁 is never
# in a label: it is said only when the buyer's own words name a threat (Plan.threat).
MISCONDUCT_LABELS = {
    "seller_abuse": "辱骂",
    "seller_harassment": "骚扰",
    "off_platform": "引导到平台外联系或交易（导流）",
    "bribe_for_review": "利诱删改评价（好评返现）",
}
# Problems with the goods themselves (消费者权益保护法 第二十四条 applies).
QUALITY_PROBLEMS = frozenset({"quality", "damaged", "not_as_described", "fake_goods"})


ORDER_ID_RE = re.compile(r"^[0-9A-Za-z-]{6,40}$")
PHONE_RE = re.compile(r"[0-9+\- ]{5,30}")
TRACKING_RE = re.compile(r"^[0-9A-Za-z-]{6,40}$")


def tried_fits(state: str, platform: str | None, delivery: str | None) -> bool:
    """Whether a `tried` state can apply to a case: the consumer hotline (hotline_called) only
    on a platform with one (platforms.yaml hotline: 拼多多's 021-53395288, 003), or while the
    platform is not known yet; 已拒签退回 only for a parcel not signed for (004 §⑴.1), so not
    while the delivery state is unknown."""
    if state == "hotline_called":
        from ..facts.platforms import load_platforms

        known = load_platforms().get(platform or "")
        return known is None or known.hotline is not None
    if state == "refused_delivery":
        return delivery == "not_signed"
    if state in RETURN_STATES:
        return delivery in ("signed", "completed")
    return True


@dataclass
class Order:
    id: str
    shop: str
    item: str
    amount: Decimal
    ordered_on: dt.date


@dataclass
class ReturnShipment:
    """The goods sent back to the seller (退货): the courier's tracking number and the day."""

    tracking: str = ""
    shipped_on: dt.date | None = None


@dataclass
class OffPlatformPayment:
    """Money paid outside the platform (bank transfer, WeChat, a QR code): 001 第一部分 2."""

    amount: Decimal
    how: str = ""
    on: dt.date | None = None


@dataclass
class Promise:
    """What the seller promised before the sale, word for word, and where (FACTS.md §4a)."""

    text: str
    where: str  # PROMISE_WHERE key, "" when not said


@dataclass
class Contact:
    name: str = ""
    phone: str = ""
    address: str = ""

    def complete(self) -> bool:
        return bool(self.name and self.phone and self.address)


@dataclass
class Event:
    """One dated entry of the case timeline ("打了021-53395288，工单号 123")."""

    at: dt.datetime
    text: str
    tried: str | None = None


@dataclass
class Case:
    platform: str
    problem: str
    delivery: str
    order: Order
    demand: str
    story: str = ""
    signed_on: dt.date | None = None
    tried: list[str] = field(default_factory=list)
    contact: Contact = field(default_factory=Contact)
    seller_city: str = ""
    # the merchant's 经营者名称 and address as shown on its shop page (12315 complaint, FACTS §6)
    seller_name: str = ""
    seller_address: str = ""
    timeline: list[Event] = field(default_factory=list)
    evidence_notes: dict[str, str] = field(default_factory=dict)
    # added for real cases (DESIGN.md "Added for real cases")
    goods_kind: str = "ordinary"
    respondent: str = "seller"
    returned: ReturnShipment | None = None  # the answers' `return`
    paid_off_platform: OffPlatformPayment | None = None
    promises: list[Promise] = field(default_factory=list)
    # the seller's words read from screenshots by `scan`, as the buyer confirmed or rejected
    # them (quotes.Quote; case.yaml `quotes:`); only confirmed ones count
    quotes: list = field(default_factory=list)
    # order facts read from an order-detail screenshot (scan.OrderFacts), attached by load_case
    # from the scan cache, never from case.yaml; routing compares them with the answers
    screenshot_order: Any = None

    @property
    def confirmed_quotes(self) -> list:
        return [q for q in self.quotes if q.confirmed]

    @property
    def words(self) -> str:
        """The buyer's own words in the case: the story and every timeline entry."""
        return "\n".join([self.story, *(e.text for e in self.timeline)])

    @property
    def platform_name(self) -> str:
        return self.platform_data.name

    @property
    def platform_data(self) -> Platform:
        """The platform's entry in platforms.yaml (or the extra platforms file)."""
        from ..facts.platforms import get_platform

        return get_platform(self.platform)

    @property
    def app(self) -> str:
        """The app the order was made in, whose channels apply: 天猫 is bought in 淘宝's."""
        return self.platform_data.app

    @property
    def against_platform(self) -> bool:
        """The complaint is about the platform itself (its rules, service or decision)."""
        return self.respondent == "platform"

    @property
    def goods_back(self) -> bool:
        """The goods were sent back to the seller (退货已寄出 or signed for by the seller)."""
        return bool(RETURN_STATES & set(self.tried))

    @property
    def no_reason_excluded(self) -> bool:
        """七天无理由退货 does not cover these goods (消保法 第二十五条)."""
        return self.goods_kind in NO_REASON_EXCLUDED

    @property
    def rejected_in_chat(self) -> bool:
        """商家拒绝 with no request filed on the platform: a refusal in chat (DESIGN.md)."""
        filed = {"after_sales_filed", "platform_intervened", "platform_unsatisfied"}
        return "seller_rejected" in self.tried and not (filed | RETURN_STATES) & set(self.tried)

    @property
    def problem_name(self) -> str:
        return PROBLEMS[self.problem]

    @property
    def demand_name(self) -> str:
        return DEMANDS[self.demand]

    @property
    def delivery_name(self) -> str:
        return DELIVERY[self.delivery]

    @property
    def is_misconduct(self) -> bool:
        return self.problem in MISCONDUCT

    def has_tried(self, *states: str) -> bool:
        return any(s in self.tried for s in states)

    @property
    def seven_day_end(self) -> dt.date | None:
        """The last day of the 7-day return window, counted from the day after signing
        (网络购买商品七日无理由退货暂行办法; 004 §⑴.2), or None when not signed."""
        if self.delivery == "not_signed" or self.signed_on is None:
            return None
        return self.signed_on + dt.timedelta(days=7)


# ---------------------------------------------------------------- validation


def _err(key: str, what: str) -> BuyerHelperError:
    return BuyerHelperError(f"答案文件有误：{FIELD_NAMES.get(key, key)}：{what}")


def _choice(data: dict, key: str, choices: dict[str, str], required: bool = True) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise _err(
                key, "缺少这一项。可选值：" + "、".join(f"{k}（{v}）" for k, v in choices.items())
            )
        return None
    if not isinstance(value, str) or value not in choices:
        raise _err(
            key,
            f"“{value}”不是可选值。可选值：" + "、".join(f"{k}（{v}）" for k, v in choices.items()),
        )
    return value


# The validators below raise the bare message ("金额必须大于 0"); case_from_dict names the
# field in front of it, the interview shows it as it is.


def _at(key: str, check: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one validator for the answers-file field `key`, naming the field in its error."""
    try:
        return check(*args, **kwargs)
    except BuyerHelperError as e:
        raise _err(key, e.message) from None


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise BuyerHelperError(f"“{value}”不是日期，请写成 2026-11-20 这样的格式")


def parse_amount(value: Any) -> Decimal:
    """An amount as written: 89.9, "¥89.90", "1,299.5元"."""
    if isinstance(value, bool):
        raise BuyerHelperError("应为金额数字，例如 89.90")
    text = str(value).strip().removesuffix("元").strip().lstrip("¥￥").strip()
    try:
        amount = Decimal(text.replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise BuyerHelperError(f"“{value}”不是金额，请写数字，例如 89.90") from None
    if not amount.is_finite():
        raise BuyerHelperError(f"“{value}”不是金额，请写数字，例如 89.90")
    if amount <= 0:
        raise BuyerHelperError("金额必须大于 0")
    if amount > Decimal("10000000"):  # before quantize, which fails on 1e26
        raise BuyerHelperError("金额过大，请检查")
    if amount != amount.quantize(Decimal("0.01")):  # 89.999 is not silently 90.00
        raise BuyerHelperError("金额最多两位小数，请照订单上的实付金额写，例如 89.99")
    return amount.quantize(Decimal("0.01"))


def clean_text(value: Any, limit: int, required: bool = True, missing: str = "缺少这一项") -> str:
    """A text answer, stripped; numbers become text; `missing` is the message when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BuyerHelperError(missing)
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BuyerHelperError("应为文字")
    value = value.strip()
    if len(value) > limit:
        raise BuyerHelperError(f"太长了（{len(value)} 字，最多 {limit} 字）")
    return value


def _text(data: dict, key: str, label: str, required: bool = True, limit: int = 200) -> str:
    return _at(label, clean_text, data.get(key), limit, required)


def check_order_id(value: str) -> str:
    """Loose check: order numbers are digits, letters and dashes (拼多多: 231120-…)."""
    value = value.strip()
    if not ORDER_ID_RE.match(value):
        raise BuyerHelperError(f"“{value}”不像订单号：应为 6–40 位数字、字母或“-”")
    return value


def check_phone(value: str) -> str:
    """Loose check: digits, "+", "-" and spaces (mobile or fixed line with area code)."""
    value = value.strip()
    if not PHONE_RE.fullmatch(value):
        raise BuyerHelperError(f"“{value}”不像电话号码：只写数字，例如 13800138000")
    digits = sum(ch.isdigit() for ch in value)
    if not 7 <= digits <= 15:
        raise BuyerHelperError(
            f"“{value}”位数不对（{digits} 位数字）：手机号是 11 位，固定电话请带区号，"
            "例如 13800138000 或 010-12345678"
        )
    # a mainland mobile number written as bare digits: 1 and 10 more digits (no fixed line
    # without an area code starts with 1)
    if value.isdigit() and value.startswith("1") and digits != 11:
        raise BuyerHelperError(
            f"“{value}”是 {digits} 位数字：手机号应是 11 位，例如 13800138000；"
            "固定电话请带区号，例如 010-12345678"
        )
    return value


def check_tracking(value: str) -> str:
    """Loose check: a courier's tracking number is letters, digits and dashes (SF1234567890)."""
    value = re.sub(r"\s+", "", value)
    if not TRACKING_RE.match(value):
        raise BuyerHelperError(f"“{value}”不像快递单号：应为 6–40 位数字、字母或“-”")
    return value


def _mapping(data: dict, key: str, what: str) -> dict | None:
    raw = data.get(key)
    if raw is None or raw == {} or raw == "":
        return None
    if isinstance(raw, dict) and all(v in (None, "") for v in raw.values()):
        return None  # every part left blank in the interview
    if not isinstance(raw, dict):
        raise _err(key, f"格式不对：应包含 {what}")
    return raw


def _day(raw: dict, key: str, name: str, today: dt.date, after: dt.date | None) -> dt.date | None:
    if raw.get(name) in (None, ""):
        return None
    day = _at(key, parse_date, raw[name])
    if day > today:
        raise _err(key, f"{day} 在今天之后")
    if after is not None and day < after:
        raise _err(key, f"{day} 早于下单日期 {after}")
    return day


def real_case_fields(data: dict, today: dt.date, ordered_on: dt.date, tried: list[str]) -> dict:
    """The keys added for real cases (DESIGN.md), validated: Case keyword arguments."""
    out: dict[str, Any] = {
        "goods_kind": _choice(data, "goods_kind", GOODS_KINDS, required=False) or "ordinary",
        "respondent": _choice(data, "respondent", RESPONDENTS, required=False) or "seller",
    }
    ret = _mapping(data, "return", "tracking（快递单号）、shipped_on（寄出日期）")
    if ret is not None:
        tracking = _text(ret, "tracking", "return.tracking", required=False, limit=60)
        out["returned"] = ReturnShipment(
            tracking=_at("return.tracking", check_tracking, tracking) if tracking else "",
            shipped_on=_day(ret, "return.shipped_on", "shipped_on", today, ordered_on),
        )
        if not RETURN_STATES & set(tried):
            tried.append("return_shipped")  # a return with a tracking number was shipped
    if "return_received" in tried and "return_shipped" not in tried:
        tried.insert(tried.index("return_received"), "return_shipped")
    paid = _mapping(data, "paid_off_platform", "amount（金额）、how（方式）、on（日期）")
    if paid is not None:
        if paid.get("amount") in (None, ""):
            raise _err("paid_off_platform.amount", "缺少这一项：写在平台外付了多少钱")
        out["paid_off_platform"] = OffPlatformPayment(
            amount=_at("paid_off_platform.amount", parse_amount, paid["amount"]),
            how=_text(paid, "how", "paid_off_platform.how", required=False, limit=50),
            on=_day(paid, "paid_off_platform.on", "on", today, None),
        )
    raw_promises = data.get("promises") or []
    if isinstance(raw_promises, dict):
        raw_promises = [raw_promises]
    if not isinstance(raw_promises, list):
        raise _err("promises", "应为列表，每条包含 text（承诺原话）和 where（在哪里承诺的）")
    promises = []
    for i, raw in enumerate(raw_promises, 1):
        if isinstance(raw, str):
            raw = {"text": raw}
        if not isinstance(raw, dict):
            raise _err("promises", f"第 {i} 条应包含 text（承诺原话）和 where")
        text = _at("promises", clean_text, raw.get("text"), 300, True, f"第 {i} 条缺少 text")
        where = raw.get("where") or ""
        if where and (not isinstance(where, str) or where not in PROMISE_WHERE):
            raise _err(
                "promises",
                f"第 {i} 条的 where“{where}”不是可选值。可选值："
                + "、".join(f"{k}（{v}）" for k, v in PROMISE_WHERE.items()),
            )
        promises.append(Promise(text=text, where=where))
    out["promises"] = promises
    return out


def case_from_dict(data: Any, today: dt.date | None = None) -> Case:
    """Validate raw answers (from YAML) into a Case. Raises BuyerHelperError naming the field."""
    if not isinstance(data, dict):
        raise BuyerHelperError(
            "答案文件有误：文件内容应是“键: 值”的列表（YAML 映射），例如 platform: pdd"
        )
    from .caseschema import check_shapes

    check_shapes(data)  # every key's type first: a story that is a list is an error, not text
    today = today or dt.date.today()
    from ..facts.platforms import ENV_VAR, platform_names

    names = platform_names()
    if isinstance(data.get("platform"), str) and data["platform"] not in names:
        raise _err(
            "platform",
            f"“{data['platform']}”不是已知的平台。可选值："
            + "、".join(f"{k}（{v}）" for k, v in names.items())
            + f"。新增的平台请用 --platforms 文件 或环境变量 {ENV_VAR} 指定它的平台数据文件",
        )
    platform = _choice(data, "platform", names)
    problem = _choice(data, "problem", PROBLEMS)
    delivery = _choice(data, "delivery", DELIVERY)
    demand = _choice(data, "demand", DEMANDS)

    raw_order = data.get("order")
    if not isinstance(raw_order, dict):
        raise _err("order", "缺少这一项，或格式不对：应包含 id、shop、item、amount、ordered_on")
    against_platform = data.get("respondent") == "platform"
    order_id = _text(raw_order, "id", "order.id", limit=40)
    # a platform's own activity (砍价免费拿) or money paid outside the platform may have no
    # order number: what the buyer wrote is kept as it is
    if not against_platform and not data.get("paid_off_platform"):
        order_id = _at("order.id", check_order_id, order_id)
    if "ordered_on" not in raw_order or raw_order["ordered_on"] in (None, ""):
        raise _err("order.ordered_on", "缺少这一项")
    ordered_on = _at("order.ordered_on", parse_date, raw_order["ordered_on"])
    if ordered_on > today:
        raise _err("order.ordered_on", f"{ordered_on} 在今天之后")
    if "amount" not in raw_order:
        raise _err("order.amount", "缺少这一项")
    amount_raw = raw_order["amount"]
    if against_platform and amount_raw in (0, "0", "0.00"):
        amount = Decimal("0.00")  # a free activity of the platform's (砍价免费拿)
    else:
        amount = _at("order.amount", parse_amount, amount_raw)
    order = Order(
        id=order_id,
        shop=_text(raw_order, "shop", "order.shop", required=not against_platform, limit=100),
        item=_text(raw_order, "item", "order.item", limit=200),
        amount=amount,
        ordered_on=ordered_on,
    )

    signed_on = None
    if delivery != "not_signed":
        if data.get("signed_on") in (None, ""):
            raise _err("signed_on", "已签收或交易完成时需要签收日期")
        signed_on = _at("signed_on", parse_date, data["signed_on"])
        if signed_on > today:
            raise _err("signed_on", f"{signed_on} 在今天之后")
        if signed_on < ordered_on:
            raise _err("signed_on", f"{signed_on} 早于下单日期 {ordered_on}")

    tried_raw = data.get("tried") or []
    if isinstance(tried_raw, str):
        tried_raw = [tried_raw]
    if not isinstance(tried_raw, list):
        raise _err("tried", "应为列表")
    tried: list[str] = []
    for item in tried_raw:
        if not isinstance(item, str) or item not in TRIED:
            raise _err(
                "tried",
                f"“{item}”不是可选值。可选值："
                + "、".join(f"{k}（{v}）" for k, v in TRIED.items()),
            )
        if item not in tried:
            tried.append(item)

    extra = real_case_fields(data, today, ordered_on, tried)

    raw_contact = data.get("contact") or {}
    if not isinstance(raw_contact, dict):
        raise _err("contact", "应包含 name、phone、address")
    contact = Contact(
        name=_text(raw_contact, "name", "contact.name", required=False, limit=50),
        phone=_text(raw_contact, "phone", "contact.phone", required=False, limit=30),
        address=_text(raw_contact, "address", "contact.address", required=False, limit=200),
    )
    if contact.phone:
        _at("contact.phone", check_phone, contact.phone)

    timeline = []
    raw_timeline = data.get("timeline") or []
    if not isinstance(raw_timeline, list):
        raise _err("timeline", "应为列表")
    for i, ev in enumerate(raw_timeline, 1):
        if not isinstance(ev, dict) or "at" not in ev or "text" not in ev:
            raise _err("timeline", f"第 {i} 条应包含 at（时间）和 text（内容）")
        at = ev["at"]
        if isinstance(at, str):
            try:
                at = dt.datetime.fromisoformat(at.strip())
            except ValueError:
                raise _err("timeline", f"第 {i} 条的时间“{at}”格式不对") from None
        if not isinstance(at, dt.date):
            raise _err("timeline", f"第 {i} 条的时间格式不对")
        try:
            at = to_shanghai(at)  # naive times and dates are Beijing time
        except (OverflowError, ValueError):
            raise _err("timeline", f"第 {i} 条的时间“{ev['at']}”超出可处理的范围") from None
        tried_state = ev.get("tried")
        if tried_state is not None and (
            not isinstance(tried_state, str) or tried_state not in TRIED
        ):
            raise _err("timeline", f"第 {i} 条的 tried“{tried_state}”不是可选值")
        timeline.append(Event(at=at, text=str(ev["text"]), tried=tried_state))

    notes = data.get("evidence_notes") or {}
    if not isinstance(notes, dict):
        raise _err("evidence_notes", "应为“文件名: 说明”的映射")

    story = data.get("story") or ""
    if not isinstance(story, str):
        story = str(story)

    return Case(
        platform=platform,
        problem=problem,
        delivery=delivery,
        order=order,
        demand=demand,
        story=story,
        signed_on=signed_on,
        tried=tried,
        contact=contact,
        seller_city=_text(data, "seller_city", "seller_city", required=False, limit=50),
        seller_name=_text(data, "seller_name", "seller_name", required=False, limit=100),
        seller_address=_text(data, "seller_address", "seller_address", required=False, limit=200),
        timeline=timeline,
        evidence_notes={str(k): "" if v is None else str(v) for k, v in notes.items()},
        quotes=parse_quotes(data.get("quotes")),
        **extra,
    )


def load_case(path: Path, today: dt.date | None = None) -> Case:
    """Load a case from an answers file or a case folder (its case.yaml)."""
    path = Path(path)
    if path.is_dir():
        path = path / CASE_FILE
    case = case_from_dict(read_yaml(path), today=today)
    if (path.parent / ".cache" / "ocr").is_dir():  # `scan` has run here: its order facts
        from ..evidence.scan import cached_scan, screenshot_order

        case.screenshot_order = screenshot_order(cached_scan(path.parent))
    return case


def __getattr__(name: str) -> Any:
    """`PLATFORMS` ({id: name}) read from the loaded platforms (platforms.yaml and an extra
    file), when it is asked for: the platforms are data, not a constant of this module."""
    if name == "PLATFORMS":
        from ..facts.platforms import platform_names

        return platform_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
