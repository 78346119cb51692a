"""Seller misconduct and threats named in the buyer's own words (story and timeline).

One word list and one negation rule for the plan and every text, so they agree
(FACTS.md §3; 000 一–三, 001 第一部分, 001 场景四). Words only add a reporting step and
warnings; the plan says that it read them from the buyer's words.
"""

from __future__ import annotations

import re
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
    # buyers also name the 公众号“拼多多” (000 第四步). Bare 转账/扫码 are left out too: refunds
    # are "原路转账", couriers ask to "扫码签收", sellers ask to "先转账运费" — only paying or
    # being paid outside the platform (微信转账, 私下转账, 转到银行卡, 扫码付款, 扫这个码, 二维码)
    # counts.
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
        "私下转账",
        "转到银行卡",
        "转到我银行卡",
        "私下",
        "转到别的平台",
        "手机号给你",
        "扫这个码",
        "扫码付款",
        "扫码支付",
        "扫码转账",
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
# Threats to the person or home → also the police (000 二, 三; FACTS.md §4a). Bare "你地址"
# is left out: "把你地址发我，给你补发" is a reshipment, not a threat.
THREAT_WORDS = (
    "恐吓",
    "有你地址",
    "知道你地址",
    "知道你的地址",
    "知道你家",
    "上门找你",
    "去你地址找你",
    "去你家找你",
    "冥币",
    "寿衣",
)
# "威胁" alone is a threat to the person only with a person/home word nearby ("威胁说知道我家
# 在哪", "威胁要打我"); "威胁说不给退款" is harassment (MISCONDUCT_WORDS), not a matter for 110.
THREAT_VERBS = ("威胁",)
PERSON_WORDS = (
    "地址",
    "我家",
    "你家",
    "家里",
    "家人",
    "上门",
    "找上门",
    "找到你",
    "找到我",
    "弄死",
    "打死",
    "打你",
    "打我",
    "砍",
    "杀",
    "人身",
    "孩子",
)
PERSON_REACH = 12  # characters after (or before) 威胁, within the same clause
SAID = re.compile(r"^[我你他她]?(?:说|道)?[，,：:]?\s*[“\"]?")

# "商家没有骂人" / "商家没让我加微信" do not count: a negation shortly before the word, in the
# same clause.
NEGATIONS = ("没", "没有", "未", "不是", "并未")
CLAUSE_ENDS = '，,。！!？?；;：:、\n"“”'
NEGATION_REACH = 4  # characters before the word
# idioms with 没 that are no negation ("商家没完没了地骂我" is abuse), and the question
# "是不是" ("你是不是有病" is abuse, not a denial of it)
NOT_NEGATIONS = ("没完没了", "没日没夜", "没头没脑", "没大没小", "是不是")


def _mask_idioms(text: str) -> str:
    """`text` with the NOT_NEGATIONS idioms blanked (same length, so positions still match)."""
    for idiom in NOT_NEGATIONS:
        text = text.replace(idiom, "　" * len(idiom))
    return text


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - NEGATION_REACH) : start]
    for i in range(len(before) - 1, -1, -1):
        if before[i] in CLAUSE_ENDS:
            before = before[i + 1 :]
            break
    return any(n in before for n in NEGATIONS)


def mentions(text: str, word: str) -> bool:
    """True when `text` names `word` other than shortly after a negation in the same clause."""
    masked = _mask_idioms(text)
    start = text.find(word)
    while start >= 0:
        if not _negated(masked, start):
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


def _clause_around(text: str, start: int, end: int) -> str:
    """The words of text[start:end]'s clause within PERSON_REACH characters on either side; a
    "说，" / "说：" right after the verb does not end the clause (what follows is what was said)."""
    a = max(0, start - PERSON_REACH)
    before = text[a:start]
    for i in range(len(before) - 1, -1, -1):
        if before[i] in CLAUSE_ENDS:
            before = before[i + 1 :]
            break
    after = text[end : end + PERSON_REACH]
    said = SAID.match(after)
    skip = said.end() if said else 0
    for i in range(skip, len(after)):
        if after[i] in CLAUSE_ENDS:
            after = after[:i]
            break
    return before + after


def _threat_to_person(text: str) -> bool:
    masked = _mask_idioms(text)
    for verb in THREAT_VERBS:
        start = text.find(verb)
        while start >= 0:
            near = _clause_around(text, start, start + len(verb))
            if not _negated(masked, start) and any(w in near for w in PERSON_WORDS):
                return True
            start = text.find(verb, start + 1)
    return False


def threat_in(text: str) -> bool:
    """A threat to the person or home: THREAT_WORDS, or 威胁 with a person/home word nearby."""
    return mentions_any(text, THREAT_WORDS) or _threat_to_person(text)
