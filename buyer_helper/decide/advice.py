"""The plan's warnings: habits and rights worth repeating for this case (FACTS.md §3–§5).

One table, `RULES`, in the order the plan shows them. A rule is when it applies, what it says and
where that comes from, side by side; a text that depends on the case is a small function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..facts.hours import cn_date
from .plan import Step, Warning

if TYPE_CHECKING:
    from .context import Ctx


@dataclass(frozen=True)
class Seen:
    """What a rule may look at: the context and the plan's steps."""

    ctx: Ctx
    channels: frozenset[str]  # every step's channel
    open_channels: frozenset[str]  # the channels of steps not done yet

    @property
    def case(self):
        return self.ctx.case


@dataclass(frozen=True)
class Rule:
    when: Callable[[Seen], bool]
    says: str | Callable[[Seen], str]
    source: str | Callable[[Seen], str]


def _harassment(s: Seen) -> bool:
    return s.ctx.threat or s.case.problem == "seller_harassment"


def _refund_reason_text(s: Seen) -> str:
    reason = s.ctx.refund_reason
    why = (
        "商家这样引导是为了压低自己的品质退款率"
        if reason == "质量问题"
        else "商家会想办法让买家修改“描述不符”这类退款理由"
    )
    return (
        f"不要同意把退款原因从“{reason}”改成“不想要了”“七天无理由”或“协商一致”："
        f"{why}。因{reason}退货的运费由商家承担（第二十四条），无理由退货的运费一般由你"
        "承担（第二十五条）。如实填写原因。"
    )


def _refund_reason_source(s: Seen) -> str:
    first = "003 一、二" if s.ctx.refund_reason == "质量问题" else "004 §⑻.4"
    return first + "；消费者权益保护法 第二十四条、第二十五条"


def _off_platform(s: Seen) -> bool:
    return s.case.problem == "off_platform" or "off_platform" in s.ctx.misconduct


def _perishable_refusal(s: Seen) -> bool:
    return (
        ("refuse_delivery" in s.open_channels or s.case.goods_kind == "perishable")
        and s.case.problem != "not_received"
        and "refused_delivery" not in s.ctx.states  # already refused: the 拒收 tip is moot
    )


def _excluded_goods_text(s: Seen) -> str:
    from ..casefile.case import GOODS_KINDS

    return (
        f"这件商品属于{GOODS_KINDS[s.case.goods_kind]}，不适用七天无理由退货（消保法第二十五条）："
        "只能和商家协商；如果其实有质量问题，按质量问题处理，不受这个限制。"
    )


def _window_closing(s: Seen) -> bool:
    ctx = s.ctx
    return (
        ctx.in_window
        and ctx.window_end is not None
        and bool(s.channels & {"return_7day", "after_sales"})
        and (ctx.window_end - ctx.today).days <= 2
        and "after_sales_filed" not in ctx.states
    )


def _window_closing_text(s: Seen) -> str:
    left = (s.ctx.window_end - s.ctx.today).days
    return f"7天退货期限 {cn_date(s.ctx.window_end)} 结束（还剩 {left} 天），今天就提交申请。"


def _window_still_open(s: Seen) -> bool:
    ctx = s.ctx
    return (
        ctx.past_platform
        and ctx.in_window
        and "after_sales_filed" not in ctx.states
        and "seller_rejected" not in ctx.states
        and ctx.path in ("return_7day", "after_sales")
    )


_THREAT_SOURCE = "000 二、三；公开案例报道"

RULES: tuple[Rule, ...] = (
    # threats and harassment: the police besides the platform (000 二、三)
    Rule(
        lambda s: _harassment(s) and "police_called" in s.ctx.states,
        "你已经报警：保存好报警回执；聊天记录、包裹和通话记录都不要删、不要丢，同时向平台举报。",
        _THREAT_SOURCE,
    ),
    Rule(
        lambda s: _harassment(s) and "police_called" not in s.ctx.states and s.ctx.threat,
        "你描述里提到商家威胁你（人身、住址、个人信息、手机或账号，或邮寄冥币、寿衣）："
        "除了向平台举报，还要拨打110报警，并保存好证据。",
        _THREAT_SOURCE,
    ),
    # 深夜 contact is harassment (000 二), not the 特别严重 of 000 三: no 110 by itself
    Rule(
        lambda s: _harassment(s) and "police_called" not in s.ctx.states and not s.ctx.threat,
        "如果商家威胁你的人身或住址（如“有你地址”“去你地址找你”），或邮寄冥币、寿衣，"
        "除了向平台举报，还要拨打110报警，并保存好证据。",
        _THREAT_SOURCE,
    ),
    # only a signed parcel with a problem in the goods has a refund reason to defend
    Rule(lambda s: s.ctx.refund_reason is not None, _refund_reason_text, _refund_reason_source),
    # the platform's own rule (platforms.yaml once_only; 拼多多: 004 §⑴.3)
    Rule(
        lambda s: (
            bool(s.ctx.platform.once_only)
            and "after_sales" in s.open_channels
            and "after_sales_filed" not in s.ctx.states
        ),
        "售后只能申请一次，维权要求选定后不能修改；提交后如果点了“取消”，就不能再申请。",
        lambda s: "、".join(s.ctx.platform.once_only.sources),
    ),
    Rule(
        lambda s: s.case.paid_off_platform is not None,
        lambda s: (
            f"你在平台外付的 {s.case.paid_off_platform.amount} 元不在平台的订单担保和售后保障里，"
            "平台退不了：先带转账记录报警（110），再向平台举报店铺；不要再付任何钱，"
            "也不要相信“交钱解冻”“再付保证金就退”之类的说法。"
        ),
        "001 第一部分 2、场景二；公开案例报道",
    ),
    Rule(
        lambda s: s.case.goods_back,
        "商品已经退回商家：保存好寄件凭证、快递单号和显示商家签收的物流记录，这是要回货款的"
        "关键证据；不要因为商家拖延就取消退款申请。",
        "004 §⑴.4；公开案例报道",
    ),
    Rule(
        lambda s: bool(s.case.promises),
        "商家购买前的承诺（商品页、聊天、直播间）事后反悔不算数：趁页面还在，马上截图保存，"
        "直播的承诺尽量找到回放或录屏。",
        "公开案例报道",
    ),
    Rule(
        _off_platform,
        "商家让你加微信、QQ、扫码或私下转账，一律拒绝：离开平台后没有订单担保和售后保障，"
        "平台也看不到记录。把这些消息截图，向平台举报。",
        "001 第一部分 1–2、场景一、场景二",
    ),
    Rule(
        lambda s: not _off_platform(s),
        "只在平台内沟通和付款：不要加微信、QQ，不要私下转账或扫码付款。",
        "001 第一部分 1–2",
    ),
    Rule(
        lambda s: True,
        "保留完整的聊天记录和截图，用文字沟通（平台核查的是平台内的文字记录）；不要删除任何消息。",
        "001 第三部分 2",
    ),
    Rule(
        lambda s: bool(s.ctx.misconduct),
        "不要和商家对骂：只陈述事实，截图留证，交给平台处理。",
        "000 一",
    ),
    Rule(
        lambda s: "bribe_for_review" in s.ctx.misconduct,
        "商家用返现换你删差评或改好评，属于平台禁止的利诱；不要接受，截图举报。",
        "001 场景四",
    ),
    Rule(
        lambda s: s.ctx.path in ("refuse_delivery", "not_received"),
        "申请仅退款时如实填写原因，商品（如果到手）在纠纷结束前保管好：商家事后可能起诉要回"
        "货款或商品，如实陈述、保管好商品的买家站得住（江西高安法院，2023）。",
        "公开案例报道（江西高安法院，2023）",
    ),
    Rule(
        _perishable_refusal,
        "生鲜、冷冻商品拒收可能被判“报废，无法退款”：拒收前在门口拍下包裹和问题，并说明拒收原因。",
        "公开案例报道",
    ),
    Rule(
        lambda s: s.case.problem == "no_reason_return" and s.case.no_reason_excluded,
        _excluded_goods_text,
        "消费者权益保护法 第二十五条",
    ),
    Rule(
        lambda s: s.case.problem == "no_reason_return" and not s.case.no_reason_excluded,
        "七天无理由退货：退货运费一般由你承担（另有约定除外）；定制、鲜活易腐、拆封的音像制品"
        "和软件等数字商品、已交付的报纸期刊不适用；拆开包装检查商品不影响退货。",
        "消费者权益保护法 第二十五条；消费者权益保护法实施条例 第十九条",
    ),
    Rule(
        lambda s: s.ctx.path == "expired",
        "七天无理由退货的期限已过（从签收次日起算7天），法律不再保证无理由退货。",
        "消费者权益保护法 第二十五条；网络购买商品七日无理由退货暂行办法",
    ),
    Rule(
        lambda s: s.case.problem == "fake_goods",
        "假货如经认定欺诈，可以要求增加赔偿价款的三倍（不足500元按500元）：这要通过12315"
        "或法院主张，平台一般只处理退款、退货退款或给券。",
        "消费者权益保护法 第五十五条；公开案例报道",
    ),
    Rule(
        lambda s: s.case.problem != "fake_goods" and s.case.demand == "compensation",
        "法定赔偿要通过12315或法院主张；平台一般只处理仅退款、退货退款或给券。",
        "公开案例报道",
    ),
    Rule(_window_closing, _window_closing_text, "网络购买商品七日无理由退货暂行办法"),
    Rule(
        _window_still_open,
        lambda s: (
            f"你还没有在平台申请退货/售后：7天期限到 {cn_date(s.ctx.window_end)}，仍可以申请。"
        ),
        "004 §⑴.2；网络购买商品七日无理由退货暂行办法",
    ),
    Rule(
        lambda s: True,
        "如果以上途径都不能解决：还可以请消费者协会调解、依仲裁协议申请仲裁，或向法院起诉"
        "（消保法第三十九条）；仲裁和诉讼不在本工具范围内。",
        "消费者权益保护法 第三十九条",
    ),
)


def warnings_for(ctx: Ctx, steps: list[Step]) -> list[Warning]:
    """Every rule of `RULES` that applies to this case, in the table's order."""
    seen = Seen(
        ctx,
        frozenset(s.channel for s in steps),
        frozenset(s.channel for s in steps if not s.done),
    )
    out = []
    for rule in RULES:
        if rule.when(seen):
            says = rule.says(seen) if callable(rule.says) else rule.says
            source = rule.source(seen) if callable(rule.source) else rule.source
            out.append(Warning(says, source))
    return out
