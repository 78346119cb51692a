"""Seller misconduct and threats named in the buyer's own words (story and timeline).

One word list and one negation rule for the plan and every text, so they agree
(FACTS.md §3; 000 一–三, 001 第一部分, 001 场景四). Words only add a reporting step and
warnings; the plan says that it read them from the buyer's words.
"""

from __future__ import annotations

import re

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
    # 001 场景四 (“给你返现10元，把差评删了”), FACTS §3 (好评返现, 利诱删评). Asking to delete or
    # change a review is 利诱删评 only when something is offered for it (REVIEW_WORDS below).
    "bribe_for_review": (
        "好评返现",
        "返现",
        "好评返",
    ),
}
# A demand about a review: a bribe only with an offer in the same sentence and no threat there
# (FACTS.md §4a last bullet); under a threat it is a threat (THREAT_WORDS).
REVIEW_WORDS = (
    "删了差评",
    "删了评价",
    "给好评",
    "改好评",
    "改成好评",
    "删差评",
    "差评删",
    "删评",
    "删掉差评",
    "把差评删",
    "追加好评",
    "删除差评",
    "删除评价",
    "撤销差评",
    "撤差评",
    "撤掉差评",
)
OFFER_WORDS = (
    "返现",
    "红包",
    "补偿",
    "退款",
    "退钱",
    "退你",
    "返你",
    "返我",
    "返给",
    "退我",
    "赔我",
    "给你钱",
    "赔你",
    "礼品",
    "赠品",
    "送你",
    "优惠券",
    "现金",
)
SENTENCE_ENDS = "。！!？?；;\n"
# Threats to the person or home → also the police (000 二, 三; FACTS.md §4a). Bare "你地址"
# is left out: "把你地址发我，给你补发" is a reshipment, not a threat.
THREAT_WORDS = (
    "恐吓",
    # threats to expose personal information or attack the phone or accounts, and "后果自负"
    # to force a review's deletion are threats too (000 二 (2); FACTS.md §4a)
    "个人信息卖",
    "信息卖到",
    "卖你信息",
    "卖你的信息",
    "卖你个人信息",
    "曝光你",
    "公开你的信息",
    "挂到网上",
    "挂网上",
    "人肉",
    "植入病毒",
    "手机中毒",
    "黑你手机",
    "黑了你",
    "盗你号",
    "盗你账号",
    "后果自负",
    "给你个教训",
    "给我个教训",
    "给你点教训",
    "给我点教训",
    "给你教训",
    "给我教训",
    "给她教训",
    "给他教训",
    "教训教训你",
    "让你好看",
    "有你好看",
    "走着瞧",
    "你等着瞧",
    "差评师曝光",
    "上门跟我",
    "上门找我",
    "找上门",
    "上门算账",
    "找死",
    "不罢休",
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
    "个人信息",
    "手机",
    "账号",
    "删评",
    "删差评",
    "删除差评",
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


def misconduct_in(text: str, skip: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The misconduct kinds (case.MISCONDUCT ids) that `text` names, in MISCONDUCT_WORDS order."""
    return [
        k
        for k, words in MISCONDUCT_WORDS.items()
        if k not in skip
        and (mentions_any(text, words) or (k == "bribe_for_review" and review_bribe_in(text)))
    ]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split("[" + SENTENCE_ENDS + "]", text) if s.strip()]


def review_threat_in(text: str) -> bool:
    """A demand to delete or change a review in a sentence that names a threat."""
    return any(mentions_any(s, REVIEW_WORDS) and threat_in(s) for s in _sentences(text)) or (
        threat_in(text) and mentions_any(text, ("删差评", "删评", "撤销差评", "删除差评"))
    )


def review_bribe_in(text: str) -> bool:
    """A demand to delete or change a review with something offered for it in the same sentence
    (money, a refund, a gift) and no threat there: 利诱删评 (001 场景四)."""
    for sentence in _sentences(text):
        if (
            mentions_any(sentence, REVIEW_WORDS)
            and any(w in sentence for w in OFFER_WORDS)
            and not threat_in(sentence)
        ):
            return True
    return False


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
            # a threat to force a review's deletion is a threat too (FACTS.md §4a)
            if not _negated(masked, start) and any(
                w in near for w in (*PERSON_WORDS, *REVIEW_WORDS)
            ):
                return True
            start = text.find(verb, start + 1)
    return False


# The buyer's personal information put online (or threatened to be): a sentence naming the
# information and a way of exposing it (FACTS.md §4a: threats to expose personal information)
INFO_WORDS = ("名字", "姓名", "手机号", "电话号", "住址", "地址", "身份证", "个人信息", "隐私")
EXPOSE_WORDS = (
    "被放到",
    "被挂",
    "挂到",
    "挂在",
    "放到网上",
    "发到网上",
    "发到网站",
    "曝光",
    "公开",
    "卖到",
    "卖给",
    "泄露",
)


def _exposure(text: str) -> bool:
    return any(
        any(w in s for w in INFO_WORDS) and mentions_any(s, EXPOSE_WORDS) for s in _sentences(text)
    )


def threat_in(text: str) -> bool:
    """A threat to the person or home (THREAT_WORDS, or 威胁 with a person/home or review word
    nearby), or the buyer's personal information exposed online."""
    return mentions_any(text, THREAT_WORDS) or _threat_to_person(text) or _exposure(text)
