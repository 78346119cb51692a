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

from .case import (
    DELIVERY,
    DEMANDS,
    MISCONDUCT,
    PLATFORMS,
    PROBLEMS,
    TRIED,
    case_from_dict,
    check_order_id,
    check_phone,
    clean_text,
    parse_amount,
    parse_date,
)
from .channels import WEEKDAY_ZH, get_channel, load_data
from .errors import BuyerHelperError
from .hours import cn_date

NOTHING_TRIED = "（都还没做）"


@dataclass(frozen=True)
class Context:
    """What the questions' conditions and parsers may look at besides the answers."""

    today: dt.date  # Beijing date of "now"
    now: dt.datetime  # Beijing time, for routing


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
    help: str | Callable[[Answers], str] = ""
    when: Callable[[Answers, Context], bool] = lambda answers, ctx: True
    drop_when_skipped: bool = False  # remove a stale answer when the question no longer applies


def day_words(day: dt.date) -> str:
    """'2026年11月21日 周六': a date the buyer typed, as the interview shows it back."""
    return f"{cn_date(day)} {WEEKDAY_ZH[day.weekday()]}"


def answer_at(answers: Answers, key: str) -> Any:
    """The answer at a dotted key ("order.id"), or None."""
    node: Any = answers
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


# ------------------------------------------------------------------ parsers


def _select(choices: dict[str, str]) -> Callable[[Any, Answers, Context], str]:
    def parse(value: Any, answers: Answers, ctx: Context) -> str:
        if value not in choices:
            raise BuyerHelperError("请从列表中选择一项")
        return value

    return parse


def _checkbox(choices: dict[str, str]) -> Callable[[Any, Answers, Context], list[str]]:
    def parse(value: Any, answers: Answers, ctx: Context) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(v not in choices for v in value):
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


def _parse_phone(value: Any, answers: Answers, ctx: Context) -> str:
    return check_phone(_text(30, why="12315 需要能联系到你的电话")(value, answers, ctx))


# --------------------------------------------------------------- conditions


def _signed(answers: Answers, ctx: Context) -> bool:
    return answer_at(answers, "delivery") in ("signed", "completed")


_C12315_CHANNELS = ("c12315", "c12315_online")
_REACH_CACHE: dict[tuple, bool] = {}


def reaches_12315(answers: Answers, ctx: Context) -> bool:
    """Whether the plan for these answers reaches a 12315 complaint (so contact details matter).

    The plan always ends with the whole ladder of 消保法 第三十九条, so "reaches" means: a 12315
    step is already done, or only phone calls to the platform's hotline stand between the
    buyer and 12315. The 12315 questions come last, so they are asked only once the earlier
    answers make a valid case; until then this is False.
    """
    key = (json.dumps(answers, sort_keys=True, default=str, ensure_ascii=False), ctx.now)
    if key not in _REACH_CACHE:
        if len(_REACH_CACHE) > 64:
            _REACH_CACHE.clear()
        _REACH_CACHE[key] = _reaches_12315(answers, ctx)
    return _REACH_CACHE[key]


def _reaches_12315(answers: Answers, ctx: Context) -> bool:
    from .routing import route

    try:
        case = case_from_dict(answers, today=ctx.today)
    except BuyerHelperError:
        return False
    steps = route(case, ctx.now).steps
    if any(step.done and step.channel in _C12315_CHANNELS for step in steps):
        return True
    for step in steps:
        if step.done:
            continue
        if step.channel in _C12315_CHANNELS:
            return True
        if get_channel(step.channel).kind != "phone":
            return False
    return False


# ---------------------------------------------------------------- questions


def help_for(q: Question, answers: Answers) -> str:
    return q.help(answers) if callable(q.help) else q.help


def _signed_on_help(answers: Answers) -> str:
    if answer_at(answers, "problem") in MISCONDUCT:
        return "以物流记录里的签收时间为准。"
    # 7 days from the day after signing (网络购买商品七日无理由退货暂行办法, FACTS.md §5)
    return "7天退货从签收次日起算，日期要准；以物流记录里的签收时间为准。"


def _demand_help(answers: Answers) -> str:
    # 拼多多 售后维权: the 维权要求 is chosen once and cannot be changed (004 §⑴.3, FACTS.md §1)
    if answer_at(answers, "platform") == "pdd":
        return "拼多多交易完成后发起售后维权时，维权要求只能选一次、之后不能改；选你真正想要的。"
    return "选你真正想要的结果，之后的投诉文字都按它来写。"


def _seller_city_help(answers: Answers) -> str:
    # which bureau handles an in-platform merchant from 2026-04-15 (FACTS.md §6, secondary)
    return (
        "下面几题是向 12315 投诉要用的。\n"
        f"{load_data().regulator.new_rules_note}\n"
        "看店铺页上公示的经营者地址，写到省和市即可，例如“浙江省杭州市”；\n"
        "不知道就直接回车留空，之后可以在核对列表里补上。"
    )


def _contact_help(answers: Answers) -> str:
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
        _select(PLATFORMS),
        label="平台",
        choices=PLATFORMS,
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
    Question("order.shop", "店铺名称：", "text", _text(100), label="店铺"),
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
        "tried",
        "到目前为止，你已经做过哪些？",
        "checkbox",
        _checkbox(TRIED),
        label="已做过",
        choices=TRIED,
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
        "seller_city",
        "商家店铺页公示的所在地（城市）：",
        "text",
        _text(50, required=False),
        label="商家所在地",
        help=_seller_city_help,
        when=reaches_12315,
    ),
    Question(
        "contact.name",
        "你的姓名：",
        "text",
        _text(50, why="12315 投诉需要投诉人姓名"),
        label="姓名",
        help=_contact_help,
        when=reaches_12315,
    ),
    Question("contact.phone", "你的电话：", "text", _parse_phone, label="电话", when=reaches_12315),
    Question(
        "contact.address",
        "你的通信地址：",
        "text",
        _text(200, why="12315 投诉需要投诉人的通信地址"),
        label="地址",
        when=reaches_12315,
    ),
]

BY_KEY = {q.key: q for q in QUESTIONS}


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
    if q.choices is not None:
        if isinstance(value, list):
            return "、".join(q.choices.get(v, str(v)) for v in value) or NOTHING_TRIED
        return q.choices.get(value, str(value))
    if q.kind == "date":
        try:
            return day_words(parse_date(value))
        except BuyerHelperError:
            pass
    if q.kind == "amount" and value not in (None, ""):
        return f"{value} 元"
    text = " ".join(str(value).split()) if value not in (None, "") else "（未填）"
    return text if len(text) <= 40 else text[:39] + "…"
