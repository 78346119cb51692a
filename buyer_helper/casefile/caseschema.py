"""The shape of every case.yaml key, as a table: key -> what YAML may give for it.

`check_shapes` runs before any other validation, so a story, note or name that is a list, a
mapping or a yes/no is an error naming the key (exit 2), not text made of its repr. Only the
types are checked here; values (choices, dates, amounts, limits) are `case.case_from_dict`'s.
A key not in the table is not checked (the interview keeps its own keys). A new key is one line
in SHAPES, for example:

    "goods_kind": CHOICE,
    "promises": ListOf(Fields({"text": TEXT, "where": CHOICE})),
    "paid_off_platform": Fields({"amount": AMOUNT, "how": TEXT, "on": DATE}),

Missing and empty (null) values pass: whether a key is required is case_from_dict's rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..errors import BuyerHelperError

MAX_INT_BITS = 256  # a number longer than this is no order number (Python cannot even print 0xf…)
MAX_SHORT = 200  # characters of a choice, date or amount written as text (the message quotes it)


def type_words(value: Any) -> str:
    """What a YAML value is, in the buyer's words."""
    if isinstance(value, bool):
        return "是/否（true/false）"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, dt.datetime):
        return "日期时间"
    if isinstance(value, dt.date):
        return "日期"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, (list, tuple)):
        return "列表"
    if isinstance(value, dict):
        return "“键: 值”映射"
    if isinstance(value, (bytes, bytearray)):
        return "二进制数据"
    if isinstance(value, (set, frozenset)):
        return "集合"
    return type(value).__name__


# how each key is named to the buyer in error messages
FIELD_NAMES = {
    "platform": "平台 platform",
    "problem": "问题类型 problem",
    "delivery": "收货状态 delivery",
    "signed_on": "签收日期 signed_on",
    "tried": "已做过的事 tried",
    "order": "订单 order",
    "order.id": "订单号 order.id",
    "order.shop": "店铺名 order.shop",
    "order.item": "商品 order.item",
    "order.amount": "金额 order.amount",
    "order.ordered_on": "下单日期 order.ordered_on",
    "demand": "诉求 demand",
    "story": "经过 story",
    "contact": "联系方式 contact",
    "contact.name": "姓名 contact.name",
    "contact.phone": "电话 contact.phone",
    "contact.address": "地址 contact.address",
    "seller_city": "商家所在城市 seller_city",
    "seller_name": "经营者名称 seller_name",
    "seller_address": "经营地址 seller_address",
    "timeline": "时间线 timeline",
    "evidence_notes": "证据说明 evidence_notes",
    "return": "退货 return",
    "return.tracking": "退货快递单号 return.tracking",
    "return.shipped_on": "退货寄出日期 return.shipped_on",
    "paid_off_platform": "平台外付款 paid_off_platform",
    "paid_off_platform.amount": "平台外付款金额 paid_off_platform.amount",
    "paid_off_platform.how": "平台外付款方式 paid_off_platform.how",
    "paid_off_platform.on": "平台外付款日期 paid_off_platform.on",
    "promises": "商家的承诺 promises",
    "goods_kind": "商品类别 goods_kind",
    "respondent": "投诉对象 respondent",
    "quotes": "截图原话 quotes",
}


class ShapeError(BuyerHelperError):
    """A value of the wrong type; `where`: the key's path ("order.id", "timeline 第 2 条.text")."""

    def __init__(self, where: str, what: str):
        self.where = where
        top = re.split(r"[. （]", where, maxsplit=1)[0]
        if where in FIELD_NAMES:
            named = FIELD_NAMES[where]
        elif top in FIELD_NAMES:
            named = FIELD_NAMES[top].removesuffix(top) + where
        else:
            named = where
        super().__init__(f"答案文件有误：{named}：{what}")


@dataclass(frozen=True)
class Leaf:
    """A single value: the Python types YAML may give for it, named `words` in a message."""

    types: tuple[type, ...]
    words: str
    max_len: int | None = None  # for a str

    def check(self, value: Any, where: str) -> None:
        if isinstance(value, bool) and bool not in self.types:
            raise ShapeError(where, f"应为{self.words}，这里是{type_words(value)}")
        if not isinstance(value, self.types):
            raise ShapeError(where, f"应为{self.words}，这里是{type_words(value)}")
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:  # 0xfff… (5000 f)
            raise ShapeError(where, f"数字太长（超过 {MAX_INT_BITS} 位二进制），应为{self.words}")
        if self.max_len is not None and isinstance(value, str) and len(value) > self.max_len:
            raise ShapeError(where, f"太长了（{len(value)} 字），应为{self.words}")


@dataclass(frozen=True)
class ListOf:
    """A list of `item`s; `single`: one item written without the list is also accepted."""

    item: Any
    single: bool = False

    def check(self, value: Any, where: str) -> None:
        if self.single and not isinstance(value, (list, dict)):
            self.item.check(value, where)
            return
        if not isinstance(value, list):
            raise ShapeError(where, f"应为列表，这里是{type_words(value)}")
        for i, v in enumerate(value, 1):
            if v is not None:
                self.item.check(v, f"{where} 第 {i} 条")


@dataclass(frozen=True)
class Fields:
    """A mapping with known keys, each with its shape (other keys are not checked)."""

    fields: dict[str, Any]

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise ShapeError(
                where,
                f"应为“键: 值”映射（{'、'.join(self.fields)}），这里是{type_words(value)}",
            )
        for key, shape in self.fields.items():
            v = value.get(key)
            if v is not None:
                shape.check(v, f"{where}.{key}")


@dataclass(frozen=True)
class MapOf:
    """A mapping whose keys and values each have one shape (file name -> note)."""

    key: Any
    value: Any

    def check(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise ShapeError(where, f"应为“名称: 说明”映射，这里是{type_words(value)}")
        for k, v in value.items():
            self.key.check(k, f"{where} 的键")
            if v is not None:
                self.value.check(v, f"{where}（{str(k)[:MAX_SHORT]}）")


@dataclass(frozen=True)
class Either:
    """One of two shapes (a promise written as its words alone, or as text and where)."""

    first: Any
    second: Any

    def check(self, value: Any, where: str) -> None:
        try:
            self.first.check(value, where)
        except ShapeError:
            self.second.check(value, where)


# Leaves. Numbers count as text (an order number or a shop called 1688 is read as a number).
TEXT = Leaf((str, int, float), "文字")
CHOICE = Leaf((str, int, float, bool), "一个可选值", MAX_SHORT)
DATE = Leaf((str, dt.date), "日期（例如 2026-11-20）", MAX_SHORT)
DATETIME = Leaf((str, dt.date), "时间（例如 2026-11-20 14:30）", MAX_SHORT)
AMOUNT = Leaf((str, int, float), "金额（例如 89.90）", MAX_SHORT)

# Every key of case.yaml (DESIGN.md "answers/case file keys", case.py, the interview's drafts).
SHAPES: dict[str, Any] = {
    "platform": CHOICE,
    "problem": CHOICE,
    "delivery": CHOICE,
    "signed_on": DATE,
    "tried": ListOf(CHOICE, single=True),
    "order": Fields({"id": TEXT, "shop": TEXT, "item": TEXT, "amount": AMOUNT, "ordered_on": DATE}),
    "demand": CHOICE,
    "story": TEXT,
    "contact": Fields({"name": TEXT, "phone": TEXT, "address": TEXT}),
    "seller_city": TEXT,
    "seller_name": TEXT,
    "seller_address": TEXT,
    "timeline": ListOf(Fields({"at": DATETIME, "text": TEXT, "tried": CHOICE})),
    "evidence_notes": MapOf(TEXT, TEXT),
    "drafts": MapOf(TEXT, TEXT),
    # the screenshot quotes the buyer decided on (`scan`); the rest is checked in quotes.py
    "quotes": ListOf(Fields({"text": TEXT, "file": TEXT})),
    # added for real cases (DESIGN.md); their values are checked in case.real_case_fields
    "goods_kind": CHOICE,
    "respondent": CHOICE,
    "return": Fields({"tracking": TEXT, "shipped_on": DATE}),
    "paid_off_platform": Fields({"amount": AMOUNT, "how": TEXT, "on": DATE}),
    "promises": Either(
        ListOf(Either(TEXT, Fields({"text": TEXT, "where": CHOICE}))),
        Fields({"text": TEXT, "where": CHOICE}),
    ),
}


def check_shapes(data: dict) -> None:
    """Raise a ShapeError (a BuyerHelperError, exit 2) naming the first key of `data` whose value
    has the wrong type."""
    for key, shape in SHAPES.items():
        value = data.get(key)
        if value is not None:
            shape.check(value, key)
