"""The interview's questions as data, with their parsers and conditions.

Each question has a key in the answers, a Chinese prompt, a kind, the choices (from case.py's
label dicts), a help line, a `when` condition deciding whether the question matters given
the answers so far, and a parser that validates and normalises one answer (case.py's
validators, which raise the bare Chinese message). Nothing here touches the terminal; the
prompts and the flow are in interview.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..casefile.case import (
    CASE_FILE,
    DELIVERY,
    DEMANDS,
    GOODS_KINDS,
    MISCONDUCT,
    PROBLEMS,
    PROMISE_WHERE,
    RESPONDENTS,
    TRIED,
    case_from_dict,
    check_order_id,
    check_phone,
    check_tracking,
    clean_text,
    parse_amount,
    parse_date,
    tried_fits,
)
from ..errors import BuyerHelperError
from ..facts.channels import WEEKDAY_ZH, get_channel, load_data
from ..facts.hours import cn_date

NOTHING_TRIED = "（都还没做）"


@dataclass(frozen=True)
class Context:
    """What the questions' conditions and parsers may look at besides the answers."""

    today: dt.date  # Beijing date of "now"
    now: dt.datetime  # Beijing time, for routing
    come_back: str = "buyer-helper start 案子文件夹"  # the command that resumes this case
    # answers read from an order-detail screenshot by `buyer-helper scan` (key → text, e.g.
    # "order.id"), offered pre-filled; and the screenshot's name
    scanned: tuple[tuple[str, str], ...] = ()
    scanned_from: str = ""


Answers = dict  # raw answers, nested like case.yaml ("order": {"id": ...})


@dataclass(frozen=True)
class Question:
    key: str  # path in the answers, e.g. "order.id"
    prompt: str  # Chinese
    kind: str  # select | checkbox | text | date | amount | story
    parse: Callable[[Any, Answers, Context], Any]  # raw input -> stored value, or BuyerHelperError
    label: str = ""  # short Chinese name for the review list
    choices: dict[str, str] | None = None  # value -> Chinese label (select/checkbox)
    # printed above the prompt, one "提示" per line; a function when it depends on the answers
    # or on channels.yaml (read only when the question is asked)
    help: str | Callable[[Answers, Context], str] = ""
    when: Callable[[Answers, Context], bool] = lambda answers, ctx: True
    drop_when_skipped: bool = False  # remove a stale answer when the question no longer applies
    # the choices offered given the earlier answers (a subset of `choices`, maybe relabelled)
    choices_for: Callable[[Answers], dict[str, str]] | None = None
    # pre-filled text for a question not yet answered, from the earlier answers
    suggest: Callable[[Answers], str] | None = None


def day_words(day: dt.date) -> str:
    """'2026年11月21日 周六': a date the buyer typed, as the interview shows it back."""
    return f"{cn_date(day)} {WEEKDAY_ZH[day.weekday()]}"


def answer_at(answers: Answers, key: str) -> Any:
    """The answer at a dotted key ("order.id"), or None."""
    node: Any = answers
    for part in key.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]  # "promises.0.where"
            continue
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


# ------------------------------------------------------------------ parsers


def _select(choices: dict[str, str]) -> Callable[[Any, Answers, Context], str]:
    def parse(value: Any, answers: Answers, ctx: Context) -> str:
        if not isinstance(value, str) or value not in choices:  # a list in case.yaml, too
            raise BuyerHelperError("请从列表中选择一项")
        return value

    return parse


def _checkbox(
    choices_for: Callable[[Answers], dict[str, str]],
) -> Callable[[Any, Answers, Context], list[str]]:
    def parse(value: Any, answers: Answers, ctx: Context) -> list[str]:
        choices = choices_for(answers)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(
            not isinstance(v, str) or v not in choices for v in value
        ):
            raise BuyerHelperError("请从列表中勾选")
        return [k for k in choices if k in value]  # keep the list's order, no duplicates

    return parse


def _text(
    limit: int, required: bool = True, why: str = ""
) -> Callable[[Any, Answers, Context], str]:
    """A text answer; `why` follows "这一项不能空着" when a required one is left empty."""
    missing = "这一项不能空着" + (f"：{why}" if why else "")

    def parse(value: Any, answers: Answers, ctx: Context) -> str:
        return clean_text(value, limit, required, missing)

    return parse


_YMD_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MD_RE = re.compile(r"^(\d{1,2})\s*[月/]\s*(\d{1,2})\s*日?$")
_RELATIVE_DAYS = {"今天": 0, "昨天": 1, "前天": 2}


def read_date(value: Any, today: dt.date) -> dt.date:
    """A date as a buyer types it: 2026-11-20, 2026/11/20, 2026年11月20日, 11月20日, 昨天.

    A month and day without a year means the latest such day that is not after today.
    """
    if isinstance(value, str):
        text = value.strip()
        if text in _RELATIVE_DAYS:
            return today - dt.timedelta(days=_RELATIVE_DAYS[text])
        m = _YMD_RE.match(text)
        if m:
            value = "{:04d}-{:02d}-{:02d}".format(*map(int, m.groups()))
        elif m := _MD_RE.match(text):
            month, day = map(int, m.groups())
            for year in (today.year, today.year - 1):
                try:
                    candidate = dt.date(year, month, day)
                except ValueError:
                    continue
                if candidate <= today:
                    return candidate
    return parse_date(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _date(value: Any, ctx: Context) -> dt.date:
    if _blank(value):
        raise BuyerHelperError("这一项不能空着：写一个日期，例如 11月16日")
    day = read_date(value, ctx.today)
    if day > ctx.today:
        raise BuyerHelperError(f"{cn_date(day)} 在今天（{cn_date(ctx.today)}）之后，请检查")
    return day


def _known_date(answers: Answers, key: str) -> dt.date | None:
    """An earlier date answer, if it is there and valid."""
    value = answer_at(answers, key)
    try:
        return None if value is None else parse_date(value)
    except BuyerHelperError:
        return None


def _parse_ordered_on(value: Any, answers: Answers, ctx: Context) -> str:
    day = _date(value, ctx)
    signed = _known_date(answers, "signed_on") if _signed(answers, ctx) else None
    if signed and day > signed:
        raise BuyerHelperError(f"下单日期不能晚于签收日期（{cn_date(signed)}）")
    return day.isoformat()


def _parse_signed_on(value: Any, answers: Answers, ctx: Context) -> str:
    day = _date(value, ctx)
    ordered = _known_date(answers, "order.ordered_on")
    if ordered and day < ordered:
        raise BuyerHelperError(f"签收日期不能早于下单日期（{cn_date(ordered)}）")
    return day.isoformat()


def _parse_amount(value: Any, answers: Answers, ctx: Context) -> str:
    if _blank(value):
        raise BuyerHelperError("这一项不能空着：写订单详情页上的实付金额，例如 89.9")
    return str(parse_amount(value))


def _parse_order_id(value: Any, answers: Answers, ctx: Context) -> str:
    text = re.sub(r"\s+", "", str(value if value is not None else ""))  # "231118 0945 …" pasted
    if not text:
        raise BuyerHelperError("这一项不能空着：在订单详情页可以找到并复制订单编号")
    return check_order_id(text)


def _optional_date(value: Any, answers: Answers, ctx: Context) -> str:
    return "" if _blank(value) else _date(value, ctx).isoformat()


def _parse_tracking(value: Any, answers: Answers, ctx: Context) -> str:
    text = clean_text(value, 60, required=False)
    return check_tracking(text) if text else ""


def _parse_paid_amount(value: Any, answers: Answers, ctx: Context) -> str:
    return "" if _blank(value) else str(parse_amount(value))


def _parse_respondent(value: Any, answers: Answers, ctx: Context) -> str:
    if value == "seller" and _blank(answer_at(answers, "order.shop")):
        raise BuyerHelperError("投诉店铺要写店铺名称：请选“← 上一题”回去填写店铺名称")
    return _select(RESPONDENTS)(value, answers, ctx)


def _parse_promises(value: Any, answers: Answers, ctx: Context) -> list[dict]:
    """What the seller promised, word for word (one promise; more can be added in case.yaml)."""
    if isinstance(value, list):  # saved in case.yaml: keep as is when each has its words
        if all(isinstance(p, dict) and not _blank(p.get("text")) for p in value):
            return value
        raise BuyerHelperError("每条承诺都要有原话（text）")
    text = clean_text(value, 300, required=False)
    return [{"text": text, "where": ""}] if text else []


def _parse_phone(value: Any, answers: Answers, ctx: Context) -> str:
    text = clean_text(value, 30, required=False)
    return check_phone(text) if text else ""


def _hotline_words(channel_id: str) -> str:
    """ "拼多多消费者热线（021-53395288）": a hotline channel's name with its number after it."""
    ch = get_channel(channel_id)
    return f"{ch.name.removesuffix(ch.reach).strip()}（{ch.reach}）"


def _tried_choices(answers: Answers) -> dict[str, str]:
    """The `tried` states that fit this case (case.tried_fits), the platform's hotline named."""
    from ..facts.platforms import load_platforms

    platform = answer_at(answers, "platform")
    delivery = answer_at(answers, "delivery")
    tried = {k: v for k, v in TRIED.items() if tried_fits(k, platform, delivery)}
    known = load_platforms().get(platform) if isinstance(platform, str) else None
    if known is not None and known.hotline is not None and "hotline_called" in tried:
        return {**tried, "hotline_called": f"已打{_hotline_words(known.hotline.channel)}"}
    return tried


def _platform_choices(answers: Answers) -> dict[str, str]:
    """The platforms the buyer may choose (platforms.yaml, and an extra platforms file)."""
    from ..facts.platforms import platform_choices

    return platform_choices()


def _parse_platform(value: Any, answers: Answers, ctx: Context) -> str:
    return _select(_platform_choices(answers))(value, answers, ctx)


# province (optional), city, and a county-level city after it ("浙江省金华市义乌市")
_CITY_RE = re.compile(
    r"^\s*((?:[^省市]{2,10}?(?:省|自治区))?[^省市]{2,10}?市(?:[^省市区县路街道号镇乡村]{2,6}?市)?)"
)


def _city_from_address(answers: Answers) -> str:
    """The seller's city, pre-filled from its address.

    浙江省金华市义乌市稠州北路1号 -> 浙江省金华市义乌市
    """
    address = answer_at(answers, "seller_address")
    m = _CITY_RE.match(address) if isinstance(address, str) else None
    return m.group(1) if m else ""


# --------------------------------------------------------------- conditions


def _signed(answers: Answers, ctx: Context) -> bool:
    return answer_at(answers, "delivery") in ("signed", "completed")


# The real-case questions (issue 9) are asked only when their answer can change the plan.
def _no_shop(answers: Answers, ctx: Context) -> bool:
    return _blank(answer_at(answers, "order.shop"))


def _goods_kind_matters(answers: Answers, ctx: Context) -> bool:
    """七天无理由 excludes custom, perishable and digital goods (第二十五条); perishables refused at
    the door can end as 报废 (FACTS.md §4a): asked for a change of mind, or an unsigned parcel of
    food."""
    from ..facts.law import is_food

    if answer_at(answers, "problem") == "no_reason_return":
        return True
    item = answer_at(answers, "order.item")
    return (
        answer_at(answers, "delivery") == "not_signed" and isinstance(item, str) and is_food(item)
    )


def _returned(answers: Answers, ctx: Context) -> bool:
    tried = answer_at(answers, "tried")
    return isinstance(tried, list) and bool({"return_shipped", "return_received"} & set(tried))


def _paid_matters(answers: Answers, ctx: Context) -> bool:
    return answer_at(answers, "problem") in ("off_platform", "not_received")


def _paid(answers: Answers, ctx: Context) -> bool:
    return _paid_matters(answers, ctx) and not _blank(
        answer_at(answers, "paid_off_platform.amount")
    )


# words in the buyer's story that tell of a promise made before the sale (FACTS.md §4a)
PROMISE_WORDS = (
    "承诺",
    "保证",
    "包运费",
    "包邮退",
    "运费险",
    "保修",
    "联保",
    "以换代修",
    "随时退",
    "包退",
    "包换",
    "无理由",
    "假一赔",
    "说好",
    "答应",
)


def _promise_told(answers: Answers, ctx: Context) -> bool:
    """Asked when the buyer's story speaks of a promise (or one is already saved)."""
    from ..decide.storywords import mentions_any

    story = answer_at(answers, "story")
    saved = answer_at(answers, "promises")
    if isinstance(saved, list) and saved:
        return True
    return isinstance(story, str) and mentions_any(story, PROMISE_WORDS)


def _promised(answers: Answers, ctx: Context) -> bool:
    value = answer_at(answers, "promises")
    return isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict)


_C12315_CHANNELS = ("c12315", "c12315_online")
# the answers the 12315 questions fill in; they never decide whether the plan has a 12315 step
C12315_KEYS = (
    "seller_name",
    "seller_address",
    "seller_city",
    "contact.name",
    "contact.phone",
    "contact.address",
)
_REACH_CACHE: dict[tuple, bool] = {}


def reaches_12315(answers: Answers, ctx: Context) -> bool:
    """Whether the plan for these answers has a 12315 step not yet done (so the details a 12315
    complaint needs are asked, as optional questions).

    The answers are routed (routing.route) once they make a valid case, leaving out the 12315
    details themselves, so a bad phone number in case.yaml does not hide its own question.
    The 12315 questions come last, so until the earlier answers are valid this is False.
    """
    key = (json.dumps(answers, sort_keys=True, default=str, ensure_ascii=False), ctx.now)
    if key not in _REACH_CACHE:
        if len(_REACH_CACHE) > 64:
            _REACH_CACHE.clear()
        _REACH_CACHE[key] = _reaches_12315(answers, ctx)
    return _REACH_CACHE[key]


def _reaches_12315(answers: Answers, ctx: Context) -> bool:
    from ..decide.routing import route

    routed = {k: v for k, v in answers.items() if k not in ("contact", *C12315_KEYS)}
    try:
        case = case_from_dict(routed, today=ctx.today)
    except BuyerHelperError:
        return False
    return any(
        step.channel in _C12315_CHANNELS and not step.done for step in route(case, ctx.now).steps
    )


# ---------------------------------------------------------------- questions


def help_for(q: Question, answers: Answers, ctx: Context) -> str:
    return q.help(answers, ctx) if callable(q.help) else q.help


def choices_of(q: Question, answers: Answers) -> dict[str, str] | None:
    """The choices offered for `q` given the earlier answers (None: a typed answer)."""
    return q.choices_for(answers) if q.choices_for else q.choices


def stale_reason(q: Question, answers: Answers, ctx: Context) -> str | None:
    """Why the answer saved for `q` (in case.yaml, or made stale by a changed earlier answer)
    cannot be kept, so the buyer is told before being asked again; None when there is none."""
    value = answer_at(answers, q.key)
    if value is None:
        return None
    try:
        q.parse(value, answers, ctx)
    except BuyerHelperError as e:
        message = e.message
    else:
        return None
    where = f"{CASE_FILE} 里的 {q.key}"
    choices = choices_of(q, answers)
    if choices is not None:
        items = value if isinstance(value, list) else [value]
        bad = [v for v in items if not isinstance(v, str) or v not in choices] or items
        text = f"{where}“{'、'.join(map(str, bad))}”不是可选值"
        if "hotline_called" in bad:
            text += _no_hotline_words(answer_at(answers, "platform"))
        return text + "，请重新选择"
    shown = " ".join(str(value).split())
    shown = shown if len(shown) <= 20 else shown[:19] + "…"
    if shown and shown not in message:
        where += f"“{shown}”"
    return f"{where}不能用：{message}。请重新填写"


def _no_hotline_words(platform: Any) -> str:
    """On a platform without a hotline: which platforms' hotline the state means."""
    from ..facts.platforms import load_platforms

    platforms = load_platforms()
    here = platforms.get(platform) if isinstance(platform, str) else None
    if here is None or here.hotline is not None:
        return ""
    theirs = "、".join(
        f"{p.name}的热线 {get_channel(p.hotline.channel).reach}"
        for pid, p in platforms.items()
        if p.hotline is not None and p.app == pid
    )
    return f"（“{TRIED['hotline_called']}”指{theirs}，{here.name}的案子没有这一项）"


def _signed_on_help(answers: Answers, ctx: Context) -> str:
    if answer_at(answers, "problem") in MISCONDUCT:
        return "以物流记录里的签收时间为准。"
    # 7 days from the day after signing (网络购买商品七日无理由退货暂行办法, FACTS.md §5)
    return "7天退货从签收次日起算，日期要准；以物流记录里的签收时间为准。"


def _demand_help(answers: Answers, ctx: Context) -> str:
    # once-only platforms (拼多多 售后维权): the 维权要求 is chosen once and cannot be changed
    # (004 §⑴.3, FACTS.md §1); 售后 applies once the parcel is signed for (an unsigned parcel
    # is refused or returned instead)
    from ..facts.platforms import load_platforms

    platform = load_platforms().get(str(answer_at(answers, "platform")))
    if platform is not None and platform.once_only and _signed(answers, ctx):
        return (
            f"{platform.name}交易完成后发起售后维权时，维权要求只能选一次、之后不能改；"
            "选你真正想要的。"
        )
    return "选你真正想要的结果，之后的投诉文字都按它来写。"


LATER_HINT = "可以先空着，要向12315投诉时再运行 {command} 补填"
OPTIONAL = "（可先空着）"


def later_hint(ctx: Context) -> str:
    return LATER_HINT.format(command=ctx.come_back)


def _intro_12315(key: str, answers: Answers, ctx: Context) -> str:
    """Said above the first 12315 question still to be asked: how many, and that each may be
    left blank (an older case may have some of them already)."""
    todo = [k for k in C12315_KEYS if not is_answered(BY_KEY[k], answers, ctx)]
    if not todo or todo[0] != key:
        return ""
    labels = "、".join(BY_KEY[k].label for k in todo)
    which, each = (f"下面 {len(todo)} 题", "每一题都") if len(todo) > 1 else ("这一题", "")
    return (
        f"{which}是向 12315 投诉时要用的：{labels}。\n{each}{later_hint(ctx)}（直接回车就是空着）。"
    )


def _help_12315(key: str, own: str | Callable[[Answers, Context], str] = "") -> Callable:
    def help(answers: Answers, ctx: Context) -> str:
        lines = [_intro_12315(key, answers, ctx), own(answers, ctx) if callable(own) else own]
        return "\n".join(line for line in lines if line)

    return help


def _seller_name_help(answers: Answers, ctx: Context) -> str:
    # 2019 暂行办法 第九条 (二): the respondent's name and address (FACTS.md §6)
    label = load_data().regulator.old_rules_label
    return f"投诉要写明被投诉人的名称和地址（{label}）：照抄店铺页面上公示的经营者名称和地址。"


def _seller_city_help(answers: Answers, ctx: Context) -> str:
    # which bureau handles an in-platform merchant from 2026-04-15 (FACTS.md §6, secondary)
    text = (
        f"{load_data().regulator.new_rules_note}\n"
        "写店铺页面上公示的经营者地址所在的省和市，例如“浙江省杭州市”；用来查 12315 的区号。"
    )
    if answer_at(answers, "seller_city") is None and _city_from_address(answers):
        text += "\n已按上面的经营地址先填好；对的话直接回车。"
    return text


def _contact_help(answers: Answers, ctx: Context) -> str:
    # 2019 暂行办法 第九条 (一): what a complaint must give (FACTS.md §6); replaced on 2026-04-15
    label = load_data().regulator.old_rules_label
    return (
        f"12315 投诉要写明投诉人的姓名、电话和通信地址（{label}）；"
        "这些只保存在本机的 case.yaml 里。"
    )


QUESTIONS: list[Question] = [
    Question(
        "platform",
        "在哪个平台买的？",
        "select",
        _parse_platform,
        label="平台",
        # platforms.yaml `choice`: 天猫 stores are bought in the 淘宝 app, said where it is chosen
        choices_for=_platform_choices,
    ),
    Question(
        "problem",
        "出了什么问题？",
        "select",
        _select(PROBLEMS),
        label="问题",
        choices=PROBLEMS,
        help="商品有问题、商家又辱骂你时，选商品的问题；辱骂的经过写在最后的“经过”里。",
    ),
    Question(
        "order.id",
        "订单号：",
        "text",
        _parse_order_id,
        label="订单号",
        help="在订单详情页可以找到订单编号，复制后粘贴到这里。",
    ),
    Question(
        "order.shop",
        "店铺名称：",
        "text",
        _text(100, required=False),
        label="店铺",
        help="要投诉的是平台自己（平台的活动规则、平台客服或平台的处理决定）、没有店铺时，直接回车。",
    ),
    Question(
        "respondent",
        "没有填店铺：你要投诉的是？",
        "select",
        _parse_respondent,
        label="投诉对象",
        choices={"platform": RESPONDENTS["platform"], "seller": "一家店铺（回上一题填写店铺名称）"},
        when=_no_shop,
        drop_when_skipped=True,
    ),
    Question("order.item", "买的是什么商品？", "text", _text(200), label="商品"),
    Question(
        "order.amount",
        "实付金额（元）：",
        "amount",
        _parse_amount,
        label="金额",
        help="写数字即可，例如 89.9 或 ¥89.90。",
    ),
    Question(
        "order.ordered_on",
        "哪天下的单？",
        "date",
        _parse_ordered_on,
        label="下单日期",
        help="例如 2026-11-16、2026/11/16、11月16日 或 昨天。",
    ),
    Question(
        "delivery",
        "现在的收货状态：",
        "select",
        _select(DELIVERY),
        label="收货状态",
        choices=DELIVERY,
    ),
    Question(
        "signed_on",
        "哪天签收的？",
        "date",
        _parse_signed_on,
        label="签收日期",
        help=_signed_on_help,
        when=_signed,
        drop_when_skipped=True,
    ),
    Question(
        "goods_kind",
        "这件商品属于哪一类？",
        "select",
        _select(GOODS_KINDS),
        label="商品类别",
        choices=GOODS_KINDS,
        help="定制的、生鲜易腐的、拆封的音像制品和软件等不能七天无理由退货（消保法第二十五条）；"
        "生鲜拒收要先在门口拍照。",
        when=_goods_kind_matters,
        drop_when_skipped=True,
    ),
    Question(
        "tried",
        "到目前为止，你已经做过哪些？",
        "checkbox",
        _checkbox(_tried_choices),
        label="已做过",
        choices=TRIED,
        choices_for=_tried_choices,
    ),
    Question(
        "return.tracking",
        f"退货的快递单号{OPTIONAL}：",
        "text",
        _parse_tracking,
        label="退货快递单号",
        help="商品已经寄回商家：每份投诉文字都会写上这个单号。在寄件记录或退款详情页里可以找到。",
        when=_returned,
        drop_when_skipped=True,
    ),
    Question(
        "return.shipped_on",
        f"哪天寄回的{OPTIONAL}？",
        "date",
        _optional_date,
        label="退货寄出日期",
        when=_returned,
        drop_when_skipped=True,
    ),
    Question(
        "paid_off_platform.amount",
        f"有没有按对方要求在平台外付过钱（银行转账、微信、扫码）？付了多少{OPTIONAL}：",
        "amount",
        _parse_paid_amount,
        label="平台外付款",
        help="没有就直接回车。平台外付的钱平台管不到，要先报警；这会改变你的第一步。",
        when=_paid_matters,
        drop_when_skipped=True,
    ),
    Question(
        "paid_off_platform.how",
        "怎么付的？",
        "text",
        _text(50, required=False),
        label="付款方式",
        help="例如 银行转账、微信转账、扫二维码。",
        when=_paid,
        drop_when_skipped=True,
    ),
    Question(
        "paid_off_platform.on",
        f"哪天付的{OPTIONAL}？",
        "date",
        _optional_date,
        label="付款日期",
        when=_paid,
        drop_when_skipped=True,
    ),
    Question(
        "demand",
        "你想要什么结果？",
        "select",
        _select(DEMANDS),
        label="诉求",
        choices=DEMANDS,
        help=_demand_help,
    ),
    Question(
        "story",
        "用你自己的话写下经过：",
        "story",
        _text(20000, why="写几句发生了什么，投诉文字要用到"),
        label="经过",
        help="什么时候、发现了什么问题、和商家怎么沟通的、商家原话（辱骂、威胁的话照抄）。",
    ),
    Question(
        "promises",
        f"买之前商家承诺过什么吗？照原话写{OPTIONAL}：",
        "text",
        _parse_promises,
        label="商家的承诺",
        when=_promise_told,
        drop_when_skipped=True,
        help="例如商品页写的“退货包运费”“保修一年”，客服说的“不合适随时退”。没有就直接回车。",
    ),
    Question(
        "promises.0.where",
        "这句承诺是在哪里说的？",
        "select",
        _select(PROMISE_WHERE),
        label="承诺在哪里",
        choices=PROMISE_WHERE,
        when=lambda answers, ctx: _promise_told(answers, ctx) and _promised(answers, ctx),
        drop_when_skipped=True,
    ),
    Question(
        "seller_name",
        f"商家的经营者名称{OPTIONAL}：",
        "text",
        _text(100, required=False),
        label="经营者名称",
        help=_help_12315("seller_name", _seller_name_help),
        when=reaches_12315,
    ),
    Question(
        "seller_address",
        f"商家的经营地址{OPTIONAL}：",
        "text",
        _text(200, required=False),
        label="经营地址",
        help=_help_12315("seller_address", "照抄店铺页面上公示的经营者地址。"),
        when=reaches_12315,
    ),
    Question(
        "seller_city",
        f"商家所在城市{OPTIONAL}：",
        "text",
        _text(50, required=False),
        label="商家所在城市",
        help=_help_12315("seller_city", _seller_city_help),
        when=reaches_12315,
        suggest=_city_from_address,
    ),
    Question(
        "contact.name",
        f"你的姓名{OPTIONAL}：",
        "text",
        _text(50, required=False),
        label="你的姓名",
        help=_help_12315("contact.name", _contact_help),
        when=reaches_12315,
    ),
    Question(
        "contact.phone",
        f"你的电话{OPTIONAL}：",
        "text",
        _parse_phone,
        label="你的电话",
        help=_help_12315("contact.phone"),
        when=reaches_12315,
    ),
    Question(
        "contact.address",
        f"你的通信地址{OPTIONAL}：",
        "text",
        _text(200, required=False),
        label="你的地址",
        help=_help_12315("contact.address"),
        when=reaches_12315,
    ),
]

BY_KEY = {q.key: q for q in QUESTIONS}


def missing_12315(answers: Answers, ctx: Context) -> list[Question]:
    """The 12315 questions left blank, when the plan has a 12315 step not done."""
    if not reaches_12315(answers, ctx):
        return []
    return [BY_KEY[k] for k in C12315_KEYS if not answer_at(answers, k)]


def is_answered(q: Question, answers: Answers, ctx: Context) -> bool:
    """Whether `q` has an answer its parser accepts."""
    value = answer_at(answers, q.key)
    if value is None:
        return False
    try:
        q.parse(value, answers, ctx)
    except BuyerHelperError:
        return False
    return True


def display(q: Question, answers: Answers) -> str:
    """One answer as the review list shows it: Chinese labels, one line, at most 40 characters."""
    value = answer_at(answers, q.key)
    choices = choices_of(q, answers)
    if q.key == "promises" and isinstance(value, list):
        texts = [str(p.get("text", "")) for p in value if isinstance(p, dict)]
        value = "；".join(f"“{t}”" for t in texts) or "（没有）"
    if choices is not None:

        def label(v: Any) -> str:
            return choices.get(v, str(v)) if isinstance(v, str) else str(v)

        if isinstance(value, list):
            return "、".join(map(label, value)) or NOTHING_TRIED
        return label(value)
    if q.kind == "date":
        try:
            return day_words(parse_date(value))
        except BuyerHelperError:
            pass
    if q.kind == "amount" and value not in (None, ""):
        return f"{value} 元"
    text = " ".join(str(value).split()) if value not in (None, "") else "（未填）"
    return text if len(text) <= 40 else text[:39] + "…"
