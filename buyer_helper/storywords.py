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
    # curses ("你全家…") are harassment, not a threat (000 二)
    "seller_harassment": ("骚扰", "威胁", "恐吓", "诅咒", "你全家", "冥币", "寿衣", "半夜打电话"),
    "off_platform": (
        "加微信",
        "加V",
        "加v",
        "加QQ",
        "微信转账",
        "私下交易",
        "私下转账",
        "转到银行卡",
    ),
    "bribe_for_review": ("好评返现", "删差评", "删评", "改好评"),
}
# Threats to the person or home → also the police (000 二, 三; FACTS.md §4a).
THREAT_WORDS = ("威胁", "恐吓", "有你地址", "你地址", "上门找你", "冥币", "寿衣")

# "商家没有骂人" does not count: a negation right before the word.
NEGATIONS = ("没", "没有", "未", "不是", "并未")


def mentions(text: str, word: str) -> bool:
    """True when `text` names `word` other than right after a negation."""
    start = text.find(word)
    while start >= 0:
        before = text[max(0, start - 3) : start]
        if not any(before.endswith(n) for n in NEGATIONS):
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
