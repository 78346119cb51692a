"""Seller misconduct and threats named in the buyer's own words (story and timeline).

One word list and one negation rule for the plan and every text, so they agree
(FACTS.md §3; 000 一–三, 001 第一部分, 001 场景四). Words only add a reporting step and
warnings; the plan says that it read them from the buyer's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .case import Case

MISCONDUCT_WORDS: dict[str, tuple[str, ...]] = {
    "seller_abuse": (
        "辱骂",
        "骂我",
        "骂人",
        "谩骂",
        "有病",
        "人身攻击",
        "穷就别买",
        "你滚",
        "滚开",
    ),
    # curses ("你全家…") are harassment, not a threat; so are frequent contact and contact
    # late at night or early in the morning (000 二 (1))
    "seller_harassment": (
        "骚扰",
        "威胁",
        "恐吓",
        "诅咒",
        "你全家",
        "冥币",
        "寿衣",
        "半夜打",
        "深夜打",
        "凌晨打",
        "半夜来电",
        "深夜来电",
        "凌晨来电",
        "半夜发消息",
        "深夜发消息",
        "凌晨发消息",
        "一直打电话",
        "不停打电话",
        "反复打电话",
        "频繁打电话",
        "频繁联系",
        "短信轰炸",
        "电话轰炸",
    ),
    # 001 第一部分 1–2 (危险词: 微信, 加我V, QQ, 支付宝, 转到别的平台, 手机号给你, 扫这个码;
    # 转到银行卡, 微信转账, 私下给你便宜), 场景一 (加我微信, 微信转你钱). Bare 微信 is left out:
    # buyers also name the 公众号“拼多多” (000 第四步).
    "off_platform": (
        "加微信",
        "加我微信",
        "加个微信",
        "微信沟通",
        "微信联系",
        "微信号",
        "wx_",
        "加V",
        "加v",
        "加我V",
        "加QQ",
        "加qq",
        "QQ号",
        "支付宝转",
        "微信转",
        "转账",
        "转到银行卡",
        "私下",
        "转到别的平台",
        "手机号给你",
        "扫这个码",
        "扫码",
        "二维码",
    ),
    # 001 场景四 (“给你返现10元，把差评删了”), FACTS §3 (好评返现, 利诱删评)
    "bribe_for_review": (
        "好评返现",
        "返现",
        "好评返",
        "给好评",
        "改好评",
        "改成好评",
        "删差评",
        "差评删",
        "删评",
        "删掉差评",
        "把差评删",
        "追加好评",
    ),
}
# Threats to the person or home → also the police (000 二, 三; FACTS.md §4a).
THREAT_WORDS = ("威胁", "恐吓", "有你地址", "你地址", "上门找你", "冥币", "寿衣")

# "商家没有骂人" / "商家没让我加微信" do not count: a negation shortly before the word, in the
# same clause.
NEGATIONS = ("没", "没有", "未", "不是", "并未")
CLAUSE_ENDS = '，,。！!？?；;：:、\n"“”'
NEGATION_REACH = 4  # characters before the word


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - NEGATION_REACH) : start]
    for i in range(len(before) - 1, -1, -1):
        if before[i] in CLAUSE_ENDS:
            before = before[i + 1 :]
            break
    return any(n in before for n in NEGATIONS)


def mentions(text: str, word: str) -> bool:
    """True when `text` names `word` other than shortly after a negation in the same clause."""
    start = text.find(word)
    while start >= 0:
        if not _negated(text, start):
            return True
        start = text.find(word, start + 1)
    return False


def mentions_any(text: str, words: tuple[str, ...] | list[str]) -> bool:
    return any(mentions(text, w) for w in words)


def case_words(case: Case) -> str:
    """The buyer's own words in a case: the story and every timeline entry."""
    return "\n".join([case.story, *(e.text for e in case.timeline)])


def misconduct_in(text: str, skip: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The misconduct kinds (case.MISCONDUCT ids) that `text` names, in MISCONDUCT_WORDS order."""
    return [
        k for k, words in MISCONDUCT_WORDS.items() if k not in skip and mentions_any(text, words)
    ]


def threat_in(text: str) -> bool:
    return mentions_any(text, THREAT_WORDS)
