"""The built-in sample case: a 拼多多 quality problem with a rude seller (for `demo`, tests)."""

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

# The moment the demo pretends it is, so its output is the same on every run.
SAMPLE_NOW = "2026-11-23T10:30:00+08:00"
