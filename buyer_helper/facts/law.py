"""The law articles the complaint texts may cite, and which ones fit a case.

Every text is a short paraphrase of FACTS.md §5 (wording checked there against the published
texts); nothing here may go beyond what FACTS.md says. Templates never spell out a law
themselves: they loop over the `Law` objects that `laws_for` picks.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

# Problems with the goods themselves: case.QUALITY_PROBLEMS (第二十四条: the seller bears the
# return shipping; a counterfeit or an item unlike its description fails the agreed quality too).
from ..casefile.case import MISCONDUCT, QUALITY_PROBLEMS

FACTS_5 = "FACTS.md §5"


@dataclass(frozen=True)
class Damages:
    """Statutory damages an article allows: `multiple` × the price, at least `minimum` yuan.

    `rule` states the same in the article's own terms for the texts; the figures here are the
    only place the product keeps them (FACTS.md §5).
    """

    multiple: int
    minimum: int
    rule: str

    def amount(self, price: Decimal) -> Decimal:
        """The increased compensation by the price alone (the article's lower bound applied)."""
        return max(price * self.multiple, Decimal(self.minimum))


@dataclass(frozen=True)
class Law:
    key: str
    cite: str  # how the text names it: 《消费者权益保护法》第二十四条
    text: str  # short paraphrase, one or two sentences
    short: str  # a clause short enough for an app form
    source: str = FACTS_5
    damages: Damages | None = None  # statutory damages (第五十五条, 食品安全法第一百四十八条)


LAWS: dict[str, Law] = {
    law.key: law
    for law in (
        Law(
            "cpl_24",
            "《消费者权益保护法》第二十四条",
            "商品不符合质量要求的，消费者可以自收到商品之日起七日内退货；七日后符合法定解除合同"
            "条件的，可以及时退货，不符合的，可以要求更换、修理。依此退货、更换、修理的，"
            "经营者应当承担运输等必要费用。",
            "质量问题退货、换货、维修的运输等必要费用由商家承担",
        ),
        Law(
            "cpl_25",
            "《消费者权益保护法》第二十五条",
            "网购商品，消费者有权自收到商品之日起七日内退货，且无需说明理由（定作、鲜活易腐、"
            "已拆封的音像制品和计算机软件等数字化商品、已交付的报纸期刊除外；其他商品须在购买时"
            "经消费者确认才不适用）。退回的商品应当完好，经营者应当自收到退回商品之日起七日内"
            "返还价款；退回运费由消费者承担，另有约定的按约定。",
            "网购商品签收后七日内可以无理由退货",
        ),
        Law(
            "rule_7day_start",
            "《网络购买商品七日无理由退货暂行办法》",
            "七日无理由退货的期限自签收商品的次日开始计算。",
            "七天从签收次日起算",
        ),
        Law(
            "impl_19",
            "《消费者权益保护法实施条例》第十九条",
            "不适用无理由退货的商品，须在购买时明示并经消费者确认，不得设为默认选项；"
            "为检查商品拆开包装，不影响退货。",
            "拆开包装检查商品不影响无理由退货",
        ),
        Law(
            "cpl_39",
            "《消费者权益保护法》第三十九条",
            "消费争议可以通过与经营者协商和解、请求消费者协会或其他调解组织调解、"
            "向有关行政部门投诉、依仲裁协议申请仲裁、向人民法院起诉等途径解决。",
            "消费争议可以先与经营者协商和解",
        ),
        Law(
            "cpl_44",
            "《消费者权益保护法》第四十四条",
            "通过网络交易平台购买商品受到损害的，消费者可以向销售者要求赔偿；平台不能提供销售者的"
            "真实名称、地址和有效联系方式的，消费者也可以向平台要求赔偿；平台明知或者应知销售者"
            "利用其平台侵害消费者合法权益而未采取必要措施的，与销售者承担连带责任。",
            "平台应能提供销售者的真实名称、地址和联系方式",
        ),
        Law(
            "cpl_46",
            "《消费者权益保护法》第四十六条",
            "消费者向有关行政部门投诉的，该部门应当自收到投诉之日起七个工作日内予以处理并告知消费者。",
            "行政部门收到投诉后七个工作日内处理并告知",
        ),
        Law(
            "cpl_55",
            "《消费者权益保护法》第五十五条",
            "经营者提供商品有欺诈行为的，应当按照消费者的要求增加赔偿其受到的损失，增加赔偿的金额为"
            "购买商品价款的三倍；不足五百元的，为五百元。",
            "经营者欺诈的，增加赔偿价款的三倍，不足五百元的按五百元",
            damages=Damages(3, 500, "价款的三倍，不足五百元的为五百元"),
        ),
        Law(
            "fsl_148",
            "《食品安全法》第一百四十八条",
            "食品不符合食品安全标准的，消费者除要求赔偿损失外，还可以要求支付价款十倍或者损失三倍的"
            "赔偿金；增加赔偿的金额不足一千元的，为一千元。",
            "不符合食品安全标准的食品，可要求价款十倍或损失三倍的赔偿金",
            damages=Damages(10, 1000, "价款十倍或损失三倍，增加赔偿不足一千元的为一千元"),
        ),
        Law(
            "ecl_61",
            "《电子商务法》第六十一条",
            "消费者在电子商务平台购买商品发生争议时，平台经营者应当积极协助消费者维护合法权益。",
            "平台应当积极协助消费者维护合法权益",
        ),
        Law(
            "ecl_62",
            "《电子商务法》第六十二条",
            "在电子商务争议处理中，电子商务经营者应当提供原始合同和交易记录。",
            "商家应当提供原始合同和交易记录",
        ),
    )
}

# Goods disputes where the transaction records decide the facts: what the product page
# promised (not as described, counterfeit) and whether the parcel arrived.
RECORDS_PROBLEMS = frozenset({"not_as_described", "fake_goods", "not_received"})

# Demands 第二十四条 speaks to: return, replacement, repair (and who pays their transport).
# A refund without return (仅退款) or damages are not what the article is about.
RETURN_DEMANDS = frozenset({"return_refund", "exchange", "repair"})

# Food check for 食品安全法 第一百四十八条: deliberately conservative. An item counts as food only
# if its name has one of these words and none of the "this is a tool or a container" words:
# a wrong "no" only leaves an article out, a wrong "yes" would cite food law for a thermos.
FOOD_WORDS = (
    "食品", "零食", "奶粉", "饼干", "糖果", "巧克力", "坚果", "蜂蜜", "茶叶", "咖啡豆",
    "牛奶", "酸奶", "饮料", "月饼", "粽子", "大米", "面粉", "食用油", "酱油", "调味",
    "罐头", "肉干", "辣条", "方便面", "水果", "生鲜", "海鲜", "牛肉", "猪肉", "鸡肉",
    "鸡蛋", "蛋糕", "面包", "果冻", "香肠", "腊肠", "红枣", "枸杞", "燕窝", "保健食品",
    "白酒", "葡萄酒", "啤酒", "果汁", "麦片", "挂面", "螺蛳粉", "火锅底料",
)  # fmt: skip
NOT_FOOD_WORDS = (
    "机", "杯", "壶", "锅", "碗", "盘", "勺", "模具", "盒", "袋", "罐子", "收纳", "容器",
    "玩具", "模型", "贴纸", "冰箱贴", "图案", "印花", "夹", "架", "刀", "叉", "筷",
)  # fmt: skip

# Fresh or frozen goods: refusing them at the door can end as "报废，无法退款" (FACTS.md §4a).
FRESH_WORDS = (
    "生鲜", "冷冻", "冷鲜", "水果", "海鲜", "鲜肉", "牛肉", "猪肉", "鸡肉", "羊肉",
    "蔬菜", "鲜花", "蛋糕", "冰淇淋", "鲜奶", "活虾", "螃蟹", "大闸蟹",
)  # fmt: skip


def is_food(item: str) -> bool:
    """True only when the item's name clearly names food (see FOOD_WORDS / NOT_FOOD_WORDS)."""
    return any(w in item for w in FOOD_WORDS) and not any(w in item for w in NOT_FOOD_WORDS)


def is_fresh(item: str) -> bool:
    return any(w in item for w in FRESH_WORDS) and not any(w in item for w in NOT_FOOD_WORDS)


# Which texts cite what. Purposes:
#   seller    the first message to the seller (negotiation first: 第三十九条)
#   form      the short description in an app form (one clause at most)
#   platform  asking the platform (official customer service, hotline) to act
#   regulator the 12315 complaint and the 12315 phone script
def laws_for(case, purpose: str, window_over: bool = False) -> list[Law]:
    """The articles that fit this case for this kind of text, in citing order. window_over: the
    seven days for a return without reason have passed (the plan's path is "expired")."""
    keys: list[str] = []
    if purpose == "seller":
        keys.append("cpl_39")
    # not signed yet: the path is refusal and 仅退款 (004 §⑴.1), not a return
    signed = case.delivery != "not_signed"
    # a compensation demand becomes 退货退款 in the texts to the platform (its forms and
    # customer service), damages being for 12315 (FACTS.md §4a): 第二十四条 speaks to that return
    platform_return = purpose in ("form", "platform") and case.demand == "compensation"
    if (
        signed
        and (case.demand in RETURN_DEMANDS or platform_return)
        and case.problem in QUALITY_PROBLEMS
    ):
        keys.append("cpl_24")
    # 七天无理由 does not cover custom, perishable and opened digital goods (第二十五条)
    # and is over seven days after signing: then there is no right left to cite
    if case.problem == "no_reason_return" and not case.no_reason_excluded and not window_over:
        keys += ["cpl_25", "rule_7day_start"]
        if purpose in ("seller", "platform"):
            keys.append("impl_19")
    # statutory damages (退一赔三, food ×10) are for 12315 or a court, not what platforms
    # grant (FACTS.md §4a): cite them only to the regulator
    if purpose == "regulator":
        if case.problem == "fake_goods":
            keys.append("cpl_55")
        if is_food(case.order.item) and case.problem in ("quality", "fake_goods"):
            keys.append("fsl_148")
    if purpose == "platform":
        keys.append("ecl_61")
    # the platform as respondent: no merchant to identify, no merchant's records to ask for
    if purpose == "regulator" and case.problem not in MISCONDUCT and not case.against_platform:
        # seller misconduct alone: no purchase damage, no dispute over the deal's records
        # 第四十四条: the platform answers for a seller it cannot identify. Cited only for harm
        # from the goods (not a change of mind) when the buyer does not know where the seller
        # is (no city from the shop page), as the basis for asking the platform for the
        # seller's real name, address and contact.
        if not case.seller_city and case.problem != "no_reason_return":
            keys.append("cpl_44")
        # 第六十二条: cited where the complaint asks for the original contract and transaction
        # records, i.e. disputes about what was sold or whether it arrived.
        if case.problem in RECORDS_PROBLEMS:
            keys.append("ecl_62")
    if purpose == "form":
        keys = [k for k in keys if k in ("cpl_24", "cpl_25", "rule_7day_start")]
    return [LAWS[k] for k in keys]


# ------------------------------------------------------------ sellers' usual refusals

FACTS_4A = "FACTS.md §4a"


@dataclass(frozen=True)
class Refusal:
    """A seller's usual refusal (FACTS.md §4a) and its answer, for the texts to the platform.

    `words` is a regular expression matched against the buyer's story and timeline; `reason`
    follows 商家 and names the refusal in our words (never as the seller's exact words);
    `answer` and `short` (for small forms) say only what FACTS.md §4a/§5 say;
    `quality_only`: the answer rests on 第二十四条 (goods not meeting quality requirements)."""

    key: str
    words: str
    reason: str
    answer: str
    short: str
    quality_only: bool
    source: str
    topic: str = ""  # the refusal in a few words, for an answer that names nobody as its speaker


REFUSALS: tuple[Refusal, ...] = (
    Refusal(
        "past_7_days",
        r"(超过|过了|已过|超出)\s*(7|七)\s*天|(7|七)\s*天(已过|已经过|过了)|退货期(限)?已过|过了退货期",
        "说已超过7天",
        "7天从签收次日起算；过了7天，依据《消费者权益保护法》第二十四条，商品有质量问题仍可以"
        "要求更换、修理，符合法定解除合同条件的可以退货，运输等必要费用由商家承担",
        "超过7天，质量问题仍可要求更换、修理，符合解除合同条件的可以退货（消保法第二十四条）",
        True,
        FACTS_4A + "; 消保法第二十四条 (FACTS.md §5)",
        topic="超过7天",
    ),
    Refusal(
        "exchange_only",
        r"只能换|不能退|只换不退|只给换",
        "说只能换，不能退",  # the seller's words as FACTS.md §4a quotes them
        "依据《消费者权益保护法》第二十四条，商品有质量问题的，签收后7天内可以退货",
        "质量问题7天内可以退货（消保法第二十四条）",
        True,
        FACTS_4A + "; 消保法第二十四条 (FACTS.md §5)",
        topic="只能换不能退",
    ),
    Refusal(
        "buyer_broke_it",
        r"自己(弄|摔|用|搞|拆)坏|人为(损坏|损伤|造成|原因)",
        "说是我自己弄坏的",
        "请商家说明这样认定的依据",
        "请商家说明认定的依据",
        False,
        FACTS_4A,
        topic="自己弄坏",
    ),
    Refusal(
        "prepay_freight",
        r"垫付运费|先垫付|先垫|运费(自理|自付|你出|自己出|买家出|买家承担)|自己(出|付)运费",
        "要我先垫付运费",
        "依据《消费者权益保护法》第二十四条，因质量问题退货，运输等必要费用由商家承担",
        "质量问题退货的运费由商家承担（消保法第二十四条）",
        True,
        FACTS_4A + "; 消保法第二十四条 (FACTS.md §5)",
        topic="先垫付运费",
    ),
    Refusal(
        "holiday",
        r"(年后|节后|假期后|放假后|过完年)(再)?(处理|发货|说)|放假.{0,6}(不处理|没人|处理)",
        "说放假，以后再处理",
        "商家放假，售后处理的时限照常计算",
        "放假不影响售后时限",
        False,
        FACTS_4A,
        topic="放假，以后再处理",
    ),
)


# Who said a refusal: the last speaker named before it in the same sentence. The platform's own
# staff (小二, 平台客服…) are looked for first, so 平台客服 is not read as the shop's 客服.
# Each platform's own names come from platforms.yaml: "<name>客服" and what its staff are called.
@functools.lru_cache(maxsize=4)
def _speakers(files: tuple) -> re.Pattern[str]:
    from .platforms import load_platforms

    own: list[str] = []
    for p in load_platforms().values():
        own += [f"{p.name}客服", p.staff.text, *(p.said.staff if p.said else ())]
    words = ["平台客服", "官方客服", *dict.fromkeys(own)]
    words.sort(key=len, reverse=True)  # the longest name first: 淘宝小二 before 小二
    return re.compile(
        rf"(?P<platform>{'|'.join(map(re.escape, words))}|平台|官方)"
        r"|(?P<seller>商家|卖家|店家|店铺|掌柜|老板|客服)"
    )


_SENTENCE_END = re.compile(r"[。！？!?\n；;]")
_ADDRESSED = re.compile(r"(跟|和|对|向|给|问|告诉)$")
_BUYER_SAYS = re.compile(r"我(说|问|讲|告诉|跟|表示|要求)")


def refusal_speaker(text: str, start: int) -> str:
    """ "seller", "platform" or "" (nobody named) for a refusal found at `start` in `text`:
    the last speaker named before it in the same sentence."""
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    last = None
    from .platforms import platform_files

    for m in _speakers(platform_files()).finditer(text, begin, start):
        last = m
    if last is None:
        return ""
    # 我跟商家说… / 我问客服…: the party is spoken to, not speaking; …我说: the buyer speaks
    if _ADDRESSED.search(text, begin, last.start()) or _BUYER_SAYS.search(text, last.end(), start):
        return ""
    return "platform" if last.group("platform") else "seller"


def refusals_said(case, texts: list[str], goods: bool = False) -> list[tuple[Refusal, str]]:
    """Like `refusals_in`, each with who said it ("seller", "platform" or "" when the sentence
    names nobody). A refusal the buyer reports more than once counts as the seller's if any
    sentence names the seller, else as the platform's if any names the platform."""
    said = []
    for r in refusals_in(case, texts, goods):
        speakers = {refusal_speaker(t, m.start()) for t in texts for m in re.finditer(r.words, t)}
        who = "seller" if "seller" in speakers else "platform" if "platform" in speakers else ""
        said.append((r, who))
    return said


def refusals_in(case, texts: list[str], any_problem: bool = False) -> list[Refusal]:
    """The sellers' usual refusals the buyer's `texts` (story, timeline) report, each once, in
    REFUSALS order; those whose answer rests on 第二十四条 only for a problem with the goods
    after the parcel was signed."""
    joined = "\n".join(texts)
    goods = any_problem or (case.problem in QUALITY_PROBLEMS and case.delivery != "not_signed")
    return [r for r in REFUSALS if (goods or not r.quality_only) and re.search(r.words, joined)]
