"""The built-in sample case: a 拼多多 quality problem with a rude seller (for `demo`, tests).

`SAMPLE_ANSWERS` is written as it stands at `SAMPLE_NOW` (tests use it frozen). The demo uses
`sample_answers(today)`: the same case moved in time so that `today` stands where SAMPLE_NOW's
date stands — with the real clock the 7-day window is open and the hours are today's.
"""

import copy
import datetime as dt
import re

from ..errors import BuyerHelperError

SAMPLE_ANSWERS = {
    "platform": "pdd",
    "problem": "quality",
    "delivery": "signed",
    "signed_on": "2026-11-20",
    "tried": ["contacted_seller", "after_sales_filed", "seller_rejected"],
    "order": {
        "id": "231118-094512837760231",
        "shop": "优品家居旗舰店",
        "item": "不锈钢保温杯 500ml",
        "amount": "89.90",
        "ordered_on": "2026-11-16",
    },
    "demand": "return_refund",
    "story": (
        "11月20日签收，当天倒入热水后杯身外壁发烫，盖子处漏水，保温完全不起作用。"
        "我在拼多多聊天里联系商家，发了漏水视频和照片，商家说“用久了都这样，你自己弄坏的”，"
        "不同意退货，还让我把退款原因改成“不想要了”。我坚持是质量问题后，"
        "商家客服回复：“你是不是有病？爱买不买，穷就别买”，并驳回了我的退货退款申请。"
    ),
    "contact": {"name": "李明", "phone": "13800138000", "address": "北京市海淀区中关村大街1号"},
    # the shop page's 经营者名称/经营地址: invented for this fictional shop ("示例" in both)
    "seller_name": "义乌示例优品家居有限公司",
    "seller_address": "浙江省金华市义乌市示例大道1号",
    "seller_city": "浙江省金华市义乌市",
    "timeline": [
        {"at": "2026-11-16T20:15:00+08:00", "text": "下单，实付 89.90 元"},
        {"at": "2026-11-20T18:40:00+08:00", "text": "签收，当天发现漏水、不保温"},
        {
            "at": "2026-11-20T19:05:00+08:00",
            "text": "在拼多多聊天联系商家，发照片和视频",
            "tried": "contacted_seller",
        },
        {"at": "2026-11-20T21:30:00+08:00", "text": "商家辱骂“你是不是有病？爱买不买，穷就别买”"},
        {
            "at": "2026-11-21T09:10:00+08:00",
            "text": "申请退货退款，原因：质量问题",
            "tried": "after_sales_filed",
        },
        {
            "at": "2026-11-22T10:02:00+08:00",
            "text": "商家驳回退货退款申请",
            "tried": "seller_rejected",
        },
    ],
    "evidence_notes": {
        "01-聊天截图.png": "商家辱骂和拒绝退货的聊天截图",
        "02-漏水照片.jpg": "杯盖处漏水",
        "03-聊天记录.txt": "从拼多多聊天复制的完整聊天记录",
    },
}

# The moment SAMPLE_ANSWERS is written for (tests and `demo --now` use it for fixed output).
SAMPLE_NOW = "2026-11-23T10:30:00+08:00"
SAMPLE_DAY = dt.date.fromisoformat(SAMPLE_NOW[:10])

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?")
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})日")  # "11月20日签收" in the story


def sample_shift(today: dt.date) -> dt.timedelta:
    """How far the sample moves so that `today` stands where SAMPLE_NOW's date stands."""
    if today < SAMPLE_DAY:
        raise BuyerHelperError(
            f"示例案子写在 {SAMPLE_DAY.year}年{SAMPLE_DAY.month}月{SAMPLE_DAY.day}日，"
            "只能往后移；--now 不能早于这一天（不给 --now 就用现在的时间）。"
        )
    return dt.timedelta(days=(today - SAMPLE_DAY).days)


def _shift_text(text: str, by: dt.timedelta) -> str:
    if _ISO_DAY.fullmatch(text):
        return (dt.date.fromisoformat(text) + by).isoformat()
    if _ISO_MOMENT.fullmatch(text):
        return (dt.datetime.fromisoformat(text) + by).isoformat()

    def month_day(m: re.Match) -> str:
        day = dt.date(SAMPLE_DAY.year, int(m[1]), int(m[2])) + by
        return f"{day.month}月{day.day}日"

    return _MONTH_DAY.sub(month_day, text)


def _shift(value, by: dt.timedelta):
    if isinstance(value, dict):
        return {k: _shift(v, by) for k, v in value.items()}  # keys are names, never dates
    if isinstance(value, list):
        return [_shift(v, by) for v in value]
    if isinstance(value, str):
        return _shift_text(value, by)
    return value


def sample_answers(today: dt.date) -> dict:
    """SAMPLE_ANSWERS with every date and time in it (order, signing, timeline, the dates the
    story names) moved by `sample_shift(today)`; a fresh copy, equal to SAMPLE_ANSWERS when
    `today` is SAMPLE_NOW's date."""
    by = sample_shift(today)
    return _shift(copy.deepcopy(SAMPLE_ANSWERS), by) if by else copy.deepcopy(SAMPLE_ANSWERS)
