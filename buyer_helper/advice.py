"""The plan's warnings: habits and rights worth repeating for this case (FACTS.md §3–§5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .hours import cn_date
from .plan import Step, Warning

if TYPE_CHECKING:
    from .context import Ctx


def warnings_for(ctx: Ctx, steps: list[Step]) -> list[Warning]:
    c = ctx.case
    out: list[Warning] = []
    channels = {s.channel for s in steps}
    open_channels = {s.channel for s in steps if not s.done}
    refund_only = ctx.path in ("refuse_delivery", "not_received")

    if ctx.threat or c.problem == "seller_harassment":
        if "police_called" in ctx.states:
            text = (
                "你已经报警：保存好报警回执；聊天记录、包裹和通话记录都不要删、不要丢，"
                "同时向平台举报。"
            )
        elif ctx.threat:
            text = (
                "你描述里提到商家威胁你（人身、住址、个人信息、手机或账号，或邮寄冥币、寿衣）："
                "除了向平台举报，还要拨打110报警，并保存好证据。"
            )
        else:
            # 深夜 contact is harassment (000 二), not the 特别严重 of 000 三: no 110 by itself
            text = (
                "如果商家威胁你的人身或住址（如“有你地址”“去你地址找你”），或邮寄冥币、寿衣，"
                "除了向平台举报，还要拨打110报警，并保存好证据。"
            )
        out.append(Warning(text, "000 二、三；公开案例报道"))
    reason = ctx.refund_reason  # only a signed parcel with a problem in the goods
    if reason is not None:
        why = (
            "商家这样引导是为了压低自己的品质退款率"
            if reason == "质量问题"
            else "商家会想办法让买家修改“描述不符”这类退款理由"
        )
        out.append(
            Warning(
                f"不要同意把退款原因从“{reason}”改成“不想要了”“七天无理由”或“协商一致”："
                f"{why}。因{reason}退货的运费由商家承担（第二十四条），无理由退货的运费一般由你"
                "承担（第二十五条）。如实填写原因。",
                ("003 一、二" if reason == "质量问题" else "004 §⑻.4")
                + "；消费者权益保护法 第二十四条、第二十五条",
            )
        )
    once = ctx.platform.once_only
    if once and "after_sales" in open_channels and "after_sales_filed" not in ctx.states:
        out.append(
            Warning(
                "售后只能申请一次，维权要求选定后不能修改；提交后如果点了“取消”，就不能再申请。",
                "、".join(once.sources),
            )
        )
    if c.paid_off_platform is not None:
        out.append(
            Warning(
                f"你在平台外付的 {c.paid_off_platform.amount} 元不在平台的订单担保和售后保障里，"
                "平台退不了：先带转账记录报警（110），再向平台举报店铺；不要再付任何钱，"
                "也不要相信“交钱解冻”“再付保证金就退”之类的说法。",
                "001 第一部分 2、场景二；公开案例报道",
            )
        )
    if c.goods_back:
        out.append(
            Warning(
                "商品已经退回商家：保存好寄件凭证、快递单号和显示商家签收的物流记录，这是要回货款的"
                "关键证据；不要因为商家拖延就取消退款申请。",
                "004 §⑴.4；公开案例报道",
            )
        )
    if c.promises:
        out.append(
            Warning(
                "商家购买前的承诺（商品页、聊天、直播间）事后反悔不算数：趁页面还在，马上截图保存，"
                "直播的承诺尽量找到回放或录屏。",
                "公开案例报道",
            )
        )
    if c.problem == "off_platform" or "off_platform" in ctx.misconduct:
        out.append(
            Warning(
                "商家让你加微信、QQ、扫码或私下转账，一律拒绝：离开平台后没有订单担保和售后保障，"
                "平台也看不到记录。把这些消息截图，向平台举报。",
                "001 第一部分 1–2、场景一、场景二",
            )
        )
    else:
        out.append(
            Warning(
                "只在平台内沟通和付款：不要加微信、QQ，不要私下转账或扫码付款。",
                "001 第一部分 1–2",
            )
        )
    out.append(
        Warning(
            "保留完整的聊天记录和截图，用文字沟通（平台核查的是平台内的文字记录）；不要删除任何消息。",
            "001 第三部分 2",
        )
    )
    if ctx.misconduct:
        out.append(Warning("不要和商家对骂：只陈述事实，截图留证，交给平台处理。", "000 一"))
    if "bribe_for_review" in ctx.misconduct:
        out.append(
            Warning(
                "商家用返现换你删差评或改好评，属于平台禁止的利诱；不要接受，截图举报。",
                "001 场景四",
            )
        )
    if refund_only:
        out.append(
            Warning(
                "申请仅退款时如实填写原因，商品（如果到手）在纠纷结束前保管好：商家事后可能起诉要回"
                "货款或商品，如实陈述、保管好商品的买家站得住（江西高安法院，2023）。",
                "公开案例报道（江西高安法院，2023）",
            )
        )
    if (
        ("refuse_delivery" in open_channels or c.goods_kind == "perishable")
        and c.problem != "not_received"
        and "refused_delivery" not in ctx.states  # already refused: the 拒收 tip is moot
    ):
        out.append(
            Warning(
                "生鲜、冷冻商品拒收可能被判“报废，无法退款”：拒收前在门口拍下包裹和问题，"
                "并说明拒收原因。",
                "公开案例报道",
            )
        )
    if c.problem == "no_reason_return" and c.no_reason_excluded:
        from .case import GOODS_KINDS

        out.append(
            Warning(
                f"这件商品属于{GOODS_KINDS[c.goods_kind]}，不适用七天无理由退货（消保法第二十五条）："
                "只能和商家协商；如果其实有质量问题，按质量问题处理，不受这个限制。",
                "消费者权益保护法 第二十五条",
            )
        )
    elif c.problem == "no_reason_return":
        out.append(
            Warning(
                "七天无理由退货：退货运费一般由你承担（另有约定除外）；定制、鲜活易腐、拆封的音像制品"
                "和软件等数字商品、已交付的报纸期刊不适用；拆开包装检查商品不影响退货。",
                "消费者权益保护法 第二十五条；消费者权益保护法实施条例 第十九条",
            )
        )
    if ctx.path == "expired":
        out.append(
            Warning(
                "七天无理由退货的期限已过（从签收次日起算7天），法律不再保证无理由退货。",
                "消费者权益保护法 第二十五条；网络购买商品七日无理由退货暂行办法",
            )
        )
    if c.problem == "fake_goods":
        out.append(
            Warning(
                "假货如经认定欺诈，可以要求增加赔偿价款的三倍（不足500元按500元）：这要通过12315"
                "或法院主张，平台一般只处理退款、退货退款或给券。",
                "消费者权益保护法 第五十五条；公开案例报道",
            )
        )
    elif c.demand == "compensation":
        out.append(
            Warning(
                "法定赔偿要通过12315或法院主张；平台一般只处理仅退款、退货退款或给券。",
                "公开案例报道",
            )
        )
    if ctx.in_window and ctx.window_end is not None and channels & {"return_7day", "after_sales"}:
        left = (ctx.window_end - ctx.today).days
        if left <= 2 and "after_sales_filed" not in ctx.states:
            out.append(
                Warning(
                    f"7天退货期限 {cn_date(ctx.window_end)} 结束（还剩 {left} 天），"
                    "今天就提交申请。",
                    "网络购买商品七日无理由退货暂行办法",
                )
            )
    if (
        ctx.past_platform
        and ctx.in_window
        and "after_sales_filed" not in ctx.states
        and "seller_rejected" not in ctx.states
        and ctx.path in ("return_7day", "after_sales")
    ):
        out.append(
            Warning(
                f"你还没有在平台申请退货/售后：7天期限到 {cn_date(ctx.window_end)}，仍可以申请。",
                "004 §⑴.2；网络购买商品七日无理由退货暂行办法",
            )
        )
    out.append(
        Warning(
            "如果以上途径都不能解决：还可以请消费者协会调解、依仲裁协议申请仲裁，或向法院起诉"
            "（消保法第三十九条）；仲裁和诉讼不在本工具范围内。",
            "消费者权益保护法 第三十九条",
        )
    )
    return out
