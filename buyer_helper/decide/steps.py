"""The steps of a plan, one builder per rung of the ladder (see routing.py for the order).

Every step cites its source (seed section, FACTS.md section or law article) beside it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..casefile.case import MISCONDUCT_LABELS, QUALITY_PROBLEMS
from ..facts.hours import cn_date
from .plan import Deadline, Step
from .regulator import (
    complaint_limit,
    regulator_deadlines,
    regulator_number,
    seller_clock,
    window_deadline,
)

if TYPE_CHECKING:
    from .context import Ctx


def evidence(ctx: Ctx) -> list[str]:
    c = ctx.case
    shop = f"{c.order.shop}，" if c.order.shop else ""
    items = [f"订单号 {c.order.id}（{shop}{c.order.item}，实付 {c.order.amount} 元）"]
    # what the seller promised before the sale: its screenshot is the proof (FACTS.md §4a)
    items += [f"{promise_where(p)}承诺“{p.text}”的截图" for p in c.promises]
    if c.paid_off_platform is not None:
        items.append("平台外付款的转账记录（银行、微信或支付宝的付款截图）和对方的收款账号")
    if c.goods_back:
        items.append("退货的快递单号、寄件凭证和物流记录截图（显示商家已签收的）")
    if c.problem in QUALITY_PROBLEMS:
        items.append("问题的照片或视频（拍清问题所在和商品整体）")
    if c.problem == "fake_goods":
        items.append("商品页面截图（宣传的品牌、正品承诺）和你判断是假货的依据")
    if c.problem in ("not_received",):
        items.append("物流记录截图（显示的签收或停滞情况）")
    if c.against_platform:
        items.append("活动页面和规则的截图、与平台客服的聊天记录、平台的处理结果截图")
    else:
        items.append("与商家的完整聊天记录截图（平台内聊天）")
    if c.evidence_notes:
        items.append("已整理的证据：" + "、".join(c.evidence_notes))
    return items


def promise_where(p) -> str:
    """Where a promise was made, as "商家在商品页面" (or just "商家" when not said)."""
    from ..casefile.case import PROMISE_WHERE

    return f"商家在{PROMISE_WHERE[p.where]}" if p.where else "商家"


def promise_actions(ctx: Ctx) -> list[str]:
    """Hold the seller to what it promised before the sale (FACTS.md §4a)."""
    return [
        f"{promise_where(p)}承诺过“{p.text}”：截图保存，申请和投诉里照原话写出，"
        "要求商家按承诺办（商家事后反悔不算数）。"
        for p in ctx.case.promises
    ]


def return_words(ctx: Ctx) -> str:
    """The return as the plan states it: tracking number and day, when known."""
    r = ctx.case.returned
    parts = []
    if r is not None and r.shipped_on:
        parts.append(f"{cn_date(r.shipped_on)}寄出")
    if r is not None and r.tracking:
        parts.append(f"快递单号 {r.tracking}")
    where = "商家已签收" if "return_received" in ctx.states else "商品已在退回商家的路上"
    return "退货" + ("（" + "，".join(parts) + "）" if parts else "") + f"，{where}"


def misconduct_lines(ctx: Ctx) -> str:
    return "、".join(MISCONDUCT_LABELS[k] for k in ctx.misconduct)


def perishable(ctx: Ctx) -> bool:
    from ..facts.law import is_fresh

    return ctx.case.goods_kind == "perishable" or is_fresh(ctx.case.order.item)


def goods_step(ctx: Ctx) -> Step | None:
    """The first rung: the request on the platform for the goods (or the talk with the seller),
    with what the seller promised and, for perishables, the photographs (FACTS.md §4a)."""
    step = _goods_step(ctx)
    if step is None:
        return None
    if step.channel != "seller":  # the negotiation step already holds the seller to them
        step.actions[1:1] = promise_actions(ctx)
    if perishable(ctx) and step.channel != "refuse_delivery":
        step.actions.insert(
            0,
            "生鲜、易腐商品：马上拍下收到时的包裹、商品和问题（照片或视频，带时间），尽快申请；"
            "商品先保存好，不要自行丢弃，等平台处理完再说。",
        )
        step.sources.append("公开案例报道（生鲜拒收）")
    return step


def _goods_step(ctx: Ctx) -> Step | None:
    """The goods step of the case's path (routing._context decides the path), from GOODS_STEPS."""
    build = GOODS_STEPS.get(ctx.path)  # no path (None): no goods step
    return build(ctx) if build is not None else None


def _window_deadlines(ctx: Ctx) -> list[Deadline]:
    """The 7-day window's end, while the buyer is inside it."""
    no_reason = ctx.case.problem == "no_reason_return"
    return [window_deadline(ctx, no_reason)] if ctx.in_window else []


def refuse_delivery_step(ctx: Ctx) -> Step:
    """Not signed yet: refuse the parcel at the door, then 仅退款 (004 §⑴.1); nothing sent:
    仅退款 for goods not received; already refused: what is left (refused_step)."""
    c = ctx.case
    if "refused_delivery" in ctx.states:
        return refused_step(ctx)
    if c.problem == "not_received":
        return Step(
            channel="refuse_delivery",
            title="申请仅退款（未收到货）",
            actions=[
                f"{ctx.order_path} → 查看物流，截图保存物流记录。",
                f"{ctx.chat}，问清发货和物流情况（用文字，留下记录）。",
                f"物流长时间不动或异常：{ctx.order_path} → {ctx.apply} → 选“仅退款”，"
                "原因选“未收到货”。",
                "如果之后快递送到而你已申请退款或不再需要：当着快递员的面拒签，请快递退回。",
            ],
            have_ready=[*evidence(ctx)],
            if_fails=to_platform(ctx, "商家驳回或拖着不处理"),
            sources=["004 §⑴.1"],
        )
    reason_line = (
        "不想要了也可以拒签，不用说明理由（七天无理由，消保法第二十五条）。"
        if c.problem == "no_reason_return"
        else "发现货物有问题，直接对快递员说拒签，请快递退回，不要签收。"
    )
    fresh_line = (
        "生鲜、易腐商品拒收后可能被当作“报废”、无法退款：拒收前一定在门口拍下包裹和问题"
        "（照片或视频，带时间），告诉快递员拒收原因，并在退款申请里写明为什么拒收。"
        if perishable(ctx)
        else "生鲜、冷冻商品：拒收前在门口拍下包裹和问题，告诉快递员拒收原因。"
    )
    return Step(
        channel="refuse_delivery",
        title="当面验货，拒签后申请仅退款（未收到货）",
        actions=[
            "快递送到时，当着快递员的面开箱验货，最好录像或拍照。",
            reason_line,
            fresh_line,
            f"拒签后：{ctx.order_path} → {ctx.apply} → 选“仅退款”，原因选“未收到货”，"
            "说明里写“已拒签退回”，附上拒签照片或物流截图。",
        ],
        have_ready=[
            "验货和拒签时的照片或视频",
            "物流记录截图（显示拒签、退回）",
            *evidence(ctx),
        ],
        if_fails=to_platform(ctx, "商家驳回或拖着不处理"),
        sources=["004 §⑴.1", "公开案例报道（生鲜拒收）"],
    )


def not_received_step(ctx: Ctx) -> Step:
    """Signed for by someone else or a locker, never reached the buyer: 仅退款 (004 §⑴.1)."""
    return Step(
        channel="after_sales",
        title="物流显示已签收但你没收到：申请仅退款（未收到货）",
        actions=[
            f"{ctx.order_path} → 查看物流，截图保存签收信息（谁签收、放在哪个驿站或快递柜）。",
            "先问快递员、驿站、快递柜、家人和门卫，确认确实没有收到。",
            f"{ctx.chat}，用文字说明没有收到货。",
            f"{ctx.order_path} → {ctx.apply} → 选“仅退款”，原因选“未收到货”，写清实际情况。",
            *ctx.once_only("售后只能申请一次，提交后不要点“取消”。"),
        ],
        have_ready=["物流签收记录截图", "与快递员或驿站沟通的记录", *evidence(ctx)],
        if_fails=to_platform(ctx, "商家驳回或拖着不处理"),
        sources=["004 §⑴.1", "004 §⑴.3", "004 §⑴.4"],
    )


def expired_step(ctx: Ctx) -> Step:
    """七天无理由 asked for after the 7 days: only the seller's goodwill or a longer promise
    (消保法第二十五条)."""
    assert ctx.window_end is not None
    return Step(
        channel="seller",
        title="与商家协商退货（七天无理由期限已过）",
        actions=[
            f"七天无理由退货期限已在 {cn_date(ctx.window_end)} 结束（签收次日起算7天），"
            "法律不再保证无理由退货，商家可以不同意。",
            f"{ctx.chat}，礼貌说明情况，请商家同意退货。",
            "如果商品页承诺了更长的退货期（例如“30天无理由”），截图保存，"
            f"然后 {ctx.order_path} → {ctx.apply}，附上截图。",
            "如果其实是质量问题，把问题类型改成“质量问题”重新生成计划：质量问题过了7天"
            "仍可要求修理、更换（消保法第二十四条）。",
        ],
        have_ready=["商品页关于退货期限的承诺截图（如有）", *evidence(ctx)],
        if_fails=(
            "商家不同意、商品页也没有更长退货期的承诺：法律不再保证无理由退货"
            "（消保法第二十五条）；如果其实是质量问题，按质量问题重新生成计划。"
        ),
        sources=[
            "消费者权益保护法 第二十五条",
            "网络购买商品七日无理由退货暂行办法",
            "000 第五步",
        ],
    )


def excluded_step(ctx: Ctx) -> Step:
    """Goods the law leaves out of 七天无理由 (custom, perishable, digital; 消保法第二十五条)."""
    c = ctx.case
    from ..casefile.case import GOODS_KINDS

    kind = GOODS_KINDS[c.goods_kind]
    return Step(
        channel="seller",
        title=f"与商家协商（{kind}不适用无理由退货）",
        actions=[
            f"这件商品属于{kind}：消保法第二十五条把定制的、鲜活易腐的、拆封的音像制品和软件"
            "等数字商品排除在无理由退货之外，商家可以不同意退。",
            f"{ctx.chat}，礼貌说明情况，问商家能否协商退货或换货。",
            *promise_actions(ctx),
            "如果其实是质量问题、破损或与描述不符，把问题类型改成对应的一项重新生成计划："
            "质量问题不受这个限制（消保法第二十四条）。",
        ],
        have_ready=evidence(ctx),
        if_fails="商家不同意：法律不保证这类商品无理由退货；质量问题请按质量问题重新生成计划。",
        sources=["消费者权益保护法 第二十五条", "公开案例报道"],
    )


def return_7day_step(ctx: Ctx) -> Step:
    """Signed within 7 days: 七天无理由 (消保法第二十五条) or a quality return (第二十四条,
    004 §⑴.2)."""
    c = ctx.case
    demand = c.demand_name
    deadlines = _window_deadlines(ctx)
    if c.problem == "no_reason_return":
        return Step(
            channel="return_7day",
            title="申请七天无理由退货",
            actions=[
                f"{ctx.order_path} → {ctx.apply} → 选“退货退款”，原因如实选“不想要了/七天无理由”。",
                "商品要保持完好；拆开包装检查不影响退货（消保法实施条例第十九条）。",
                "退货运费由你承担，另有约定的除外（消保法第二十五条）。",
                "不能无理由退的只有：定制的、鲜活易腐的、拆封的音像制品和软件等数字商品、"
                "已交付的报纸期刊；其他商品只有购买时你确认过“不支持七天无理由”才不能退。",
                "商家同意后按给出的退货地址寄回，填写快递单号，保存寄件凭证；"
                "商家应在收到退货后7日内退款（第二十五条）。",
            ],
            have_ready=evidence(ctx),
            if_fails=to_platform(ctx, "商家拒绝或不处理"),
            sources=[
                "消费者权益保护法 第二十五条",
                "消费者权益保护法实施条例 第十九条",
                "网络购买商品七日无理由退货暂行办法",
            ],
            deadlines=deadlines,
        )
    reason = ctx.refund_reason or "质量问题"
    choose = f"选“退货退款”，原因选“{reason}”"
    if c.demand == "refund":
        choose += "（你的诉求是“仅退款”：也可以选“仅退款”，是否同意由商家和平台决定）"
    elif c.demand in ("exchange", "repair"):
        choose += f"（你的诉求是“{demand}”：也可以选“{demand}”；7天内质量问题你有权直接退货）"
    return Step(
        channel="return_7day",
        title="7天内质量问题退货退款",
        actions=[
            f"马上{ctx.chat}：说明问题，发照片或视频（平台核查的是平台内的文字记录）。",
            f"{ctx.order_path} → {ctx.apply} → {choose}。",
            "写清问题，上传照片、视频和聊天截图；商家要你改成“不想要了”“七天无理由”"
            "“协商一致”时不要改。",
            "质量问题退货的运费等必要费用由商家承担（消保法第二十四条）；商家要你先垫付的，"
            "要求商家承担。",
            "商家同意后按给出的退货地址寄回，填写快递单号，保存寄件凭证。",
        ],
        have_ready=evidence(ctx),
        if_fails=to_platform(ctx, _refused_or_waited(ctx)),
        sources=["004 §⑴.2", "消费者权益保护法 第二十四条", "003 二", "001 第三部分 2"],
        deadlines=deadlines,
    )


def after_sales_step(ctx: Ctx) -> Step:
    """Past the 7 days or the transaction complete: 发起售后 (004 §⑴.3–4), with the platform's
    own rules (once only, the seller's wait) from its entry in platforms.yaml."""
    c = ctx.case
    no_reason = c.problem == "no_reason_return"
    demand = c.demand_name
    deadlines = _window_deadlines(ctx)
    if no_reason:
        actions = [
            f"{ctx.order_path}（交易已完成的订单也在这里）→ {ctx.no_reason_apply} → 选“退货退款”，"
            "原因如实选“不想要了/七天无理由”。",
            "签收后7天内仍可无理由退货（消保法第二十五条）；商品要保持完好，"
            "退货运费由你承担，另有约定的除外。",
            *ctx.once_only("售后只能申请一次，维权要求选定后不能修改；提交后不要点“取消”。"),
        ]
        sources = ["004 §⑴.3", "消费者权益保护法 第二十五条", "网络购买商品七日无理由退货暂行办法"]
    else:
        if ctx.in_window:
            law_line = (
                "签收后7天内，质量问题可以直接退货，运费等必要费用由商家承担（消保法第二十四条）。"
            )
        else:
            law_line = (
                "已过签收后7天：质量问题仍可要求修理、更换；符合法定解除合同条件的可以退货；"
                "运费等必要费用由商家承担（消保法第二十四条）。"
            )
        actions = [
            f"先{ctx.chat}，说明问题，发照片或视频。",
            f"{ctx.order_path}（交易已完成的订单也在这里）→ {ctx.after_sales_apply}。",
            *ctx.once_only(f"维权要求只能选一次，之后不能修改：想清楚再选（你的诉求：{demand}）。"),
            f"原因如实选“{ctx.refund_reason or '质量问题'}”，不要选“不想要了”。",
            law_line,
            "写清问题，上传照片、视频和聊天截图。",
            *ctx.once_only("提交后不要点“取消”：售后只能申请一次，取消后无法再申请。"),
        ]
        sources = ["004 §⑴.3", "004 §⑴.4", "消费者权益保护法 第二十四条"]
    p = ctx.platform
    wait, auto = p.seller_wait_hours, p.overdue_auto_refund
    if wait:
        line = f"商家一般应在约{wait.value}小时内处理（{wait.cite}）。"
        sources += list(wait.sources)
        if auto:
            line += (
                f"商家逾期不处理的，系统默认同意并自动退款（{auto.cite}）；资料没有说逾期是多长"
                f"时间，不要把{wait.value}小时当成自动退款的时间。"
            )
            sources += list(auto.sources)
        actions.append(line)
    title = "发起售后：七天无理由退货" if no_reason else "发起售后维权"
    if p.once_only:
        title += "（售后只能申请一次）"
    return Step(
        channel="after_sales",
        title=title,
        actions=actions,
        have_ready=evidence(ctx),
        if_fails=to_platform(ctx, "商家驳回或逾期不处理"),
        sources=sources,
        deadlines=deadlines,
    )


# ctx.path → the builder of its goods step; each builder cites its sources beside its words.
GOODS_STEPS: dict[str, Callable[[Ctx], Step]] = {
    "refuse_delivery": refuse_delivery_step,
    "not_received": not_received_step,
    "expired": expired_step,
    "excluded": excluded_step,
    "return_7day": return_7day_step,
    "after_sales": after_sales_step,
}


def refused_step(ctx: Ctx) -> Step:
    """The parcel was already refused with the courier (拒签退回): what is left of the
    refuse_delivery path is the app's 仅退款, reason 未收到货 (004 §⑴.1)."""
    app = ctx.platform.app_name
    return Step(
        channel="refuse_delivery",
        title="已拒签退回：申请仅退款（未收到货）",
        actions=[
            f"{ctx.order_path} → 查看物流，截图保存显示拒签、退回的物流记录。",
            f"{ctx.order_path} → {ctx.apply} → 选“仅退款”，原因选“未收到货”，"
            "说明里写“已拒签退回”，附上拒签照片或物流截图。",
            *ctx.once_only("售后只能申请一次，提交后不要点“取消”。"),
        ],
        have_ready=[
            "拒签时的照片或视频（如有）",
            "物流记录截图（显示拒签、退回）",
            *evidence(ctx),
        ],
        if_fails=to_platform(ctx, "商家驳回或拖着不处理"),
        sources=["004 §⑴.1", *(ctx.platform.once_only.sources if ctx.platform.once_only else [])],
        reach=f"{app} 申请仅退款",
        note="你已经当面拒签、包裹退回，拒签这部分做过了，不用再拒签；还差在App里申请仅退款。",
    )


def _refused_or_waited(ctx: Ctx) -> str:
    """ "商家驳回，或约48小时还没处理" where the platform gives the seller a wait (004 §⑻.2)."""
    wait = ctx.platform.seller_wait_hours
    return f"商家驳回，或约{wait.value}小时还没处理" if wait else "商家驳回或不处理"


def to_platform(ctx: Ctx, what: str) -> str:
    """`if_fails` of a goods step: ask the platform to step in, in the platform's words
    (platforms.yaml intervene.after_refusal; 拼多多: 004 §⑴.4, 000 第三步; 淘宝: 002 ⑻)."""
    from ..facts.channels import get_channel

    cs = get_channel(ctx.platform_cs).name
    return f"{what}：{ctx.platform.intervene.after_refusal}。下一步：{cs}。"


# Goods-step actions for after the seller agrees: still to do once the request is filed.
FOLLOW_UP_PREFIX = "商家同意后"


def follow_ups(goods: Step) -> list[str]:
    """The goods step's actions that come after filing (寄回, 填快递单号), without the prefix."""
    out = []
    for a in goods.actions:
        if a.startswith(FOLLOW_UP_PREFIX):
            out.append(a[len(FOLLOW_UP_PREFIX) :].lstrip("，,："))
    return out


def wait_for_seller(ctx: Ctx) -> str:
    """The buyer has filed: wait for the seller before asking the platform (004 §⑻.2, §⑴.4)."""
    from ..facts.hours import cn_datetime

    p = ctx.platform
    wait, filed, ask, cite = p.seller_wait_hours, p.request.text, p.intervene.ask, p.intervene.cite
    if not wait:
        return f"你已经提交了{filed}：先等商家处理；商家拒绝或不处理时，再{ask}（{cite}）。"
    clock = seller_clock(ctx)
    if clock and clock.due < ctx.now:
        return (
            f"你已经提交了{filed}，约{wait.value}小时（到 {cn_datetime(clock.due)} 左右，约数，"
            f"{wait.cite}）已经过了：商家驳回或还没处理，就{ask}（{cite}）；商家已同意的，"
            "按商家给的处理继续。"
        )
    until = f"，大约到 {cn_datetime(clock.due)}" if clock else ""
    return (
        f"你已经提交了{filed}：先等商家处理。商家一般应在约{wait.value}小时内处理{until}"
        f"（约数，{wait.cite}）。商家驳回或不处理时，再{ask}（{cite}）。"
    )


def platform_step(ctx: Ctx, goods: Step | None) -> Step:
    actions: list[str] = []
    sources: list[str] = []
    titles: list[str] = []
    hints: list[str] = []
    c = ctx.case
    goods_back = (
        c.goods_back and goods is not None and goods.channel != "seller" and not ctx.past_platform
    )
    if goods_back:
        titles.append("商品已退回商家：请平台介入，现在退款")
        intervene = ctx.platform.intervene.open
        actions += [
            f"你已经{return_words(ctx)}：商品已经不在你手里，商家应当退款，不用再等商家同意。",
            f"{intervene}，写明退货的快递单号和商家签收的物流记录，要求平台现在处理退款。",
        ]
        if c.problem in QUALITY_PROBLEMS:
            actions.append(
                "质量问题退货的运费等必要费用由商家承担（消保法第二十四条）；"
                "商家让你先垫付退货运费的，一并要求商家承担这笔运费。"
            )
            sources.append("消费者权益保护法 第二十四条")
        if c.problem == "no_reason_return":
            actions.append(
                "七天无理由退货：商家应在收到退回商品之日起7日内退款（消保法第二十五条）。"
            )
            sources.append("消费者权益保护法 第二十五条")
        sources += ctx.platform.intervene.sources
    if c.promises and (goods is None or goods.channel == "seller" or ctx.path == "excluded"):
        titles.append("要求商家兑现购买前的承诺")
        actions += [
            f"{promise_where(p)}承诺过“{p.text}”，事后不认：把承诺的截图（直播的找回放或录屏）"
            "和商家拒绝的记录发给平台客服，要求平台按承诺处理。"
            for p in c.promises
        ]
        sources.append("公开案例报道")
    if c.against_platform:
        from ..facts.channels import get_company

        titles.append("向平台投诉平台自己的规则、客服或处理决定")
        actions += [
            f"{ctx.platform.cs.against_platform}，"
            "说明你投诉的是平台本身（活动规则、平台客服的答复或平台的处理决定），"
            "附上活动页面、规则和聊天的截图，要求平台书面答复。",
            f"被投诉方是平台经营者：{get_company(c.platform).name}。",
        ]
        sources += ["消费者权益保护法 第三十九条"]
    waiting = (
        not goods_back
        and goods is not None
        and goods.channel != "seller"
        and "after_sales_filed" in ctx.states
        and not ctx.states & {"seller_rejected", "seller_no_reply"}
        and not ctx.past_platform
    )
    if waiting:
        assert goods is not None
        titles.append("等商家处理；驳回或不处理再申请平台介入")
        actions.append(wait_for_seller(ctx))
        actions += [f"商家同意后：{a}" for a in follow_ups(goods)]
        wait = ctx.platform.seller_wait_hours
        sources += [*(wait.sources if wait else []), ctx.platform.intervene.cite]
    if goods is not None and goods.channel != "seller" and not goods_back:
        if not waiting:
            titles.append("申请平台介入")
        p = ctx.platform
        actions.append(p.intervene.when_refused)
        sources += p.intervene.sources
        no_reply = p.cs.no_reply
        if "seller_no_reply" in ctx.states and no_reply is not None:
            actions.append(no_reply.text)
            sources += no_reply.sources
        auto = p.overdue_auto_refund
        if "seller_no_reply" in ctx.states and "after_sales_filed" in ctx.states and auto:
            actions.append(
                f"商家一直不回复：{p.request.text}逾期未处理时系统会默认同意并自动退款；"
                f"到时没有退款再{p.intervene.ask}。"
            )
            sources.append(auto.sources[-1])
    if ctx.misconduct:
        what = misconduct_lines(ctx)
        titles.append(f"举报商家{what}")
        if c.paid_off_platform is not None:
            actions.append(
                f"你在平台外付的 {c.paid_off_platform.amount} 元没有经过平台，不在平台的订单担保和"
                "售后保障里，平台退不了这笔钱（001 第一部分 2、场景二）：向平台举报这家店铺引导你"
                "到平台外付款，请平台处理店铺并保存它的信息；追回这笔钱靠警方（上一步）。"
            )
            sources += ["001 第一部分 2", "001 场景二"]
        # reporting to the platform's own customer service, and what the seller risks there
        actions.append(ctx.platform.cs.report_for(what))
        for penalty in ctx.platform.penalties:
            if penalty.misconduct in ctx.misconduct:
                actions.append(penalty.text)
                sources += penalty.sources
        sources += ctx.platform.cs.report_sources
        if ctx.detected:
            hints.append(
                "这一项是根据你描述里的字眼加上的："
                + "、".join(MISCONDUCT_LABELS[k] for k in ctx.detected)
                + "。如果不符合实际，可以忽略。"
            )
        if ctx.quoted:
            hints.append(
                "这一项是根据你确认过的截图原话加上的："
                + "、".join(MISCONDUCT_LABELS[k] for k in ctx.quoted)
                + "。"
            )
    other = ctx.platform.other_entries
    if other is not None:
        actions.append("其他入口：" + "；".join(other.entries) + "。")
        sources += other.sources
    if not titles:
        titles.append("找平台客服")
    have_ready = evidence(ctx)
    if waiting:
        have_ready.append(f"售后申请的截图（{ctx.request_page}；商家驳回的话，驳回也截图）")
    elif goods_back:
        have_ready.append(f"退货申请的截图（{ctx.request_page}）")
    elif goods is not None and goods.channel != "seller":
        have_ready.append(f"售后申请和商家驳回的截图（{ctx.request_page}）")
    if ctx.misconduct:
        have_ready.insert(0, f"商家{misconduct_lines(ctx)}的聊天截图（要显示时间和店铺名）")
    if ctx.platform.hotline is not None:
        from ..facts.channels import get_channel

        hotline = get_channel(ctx.platform.hotline.channel)
        if_fails = f"平台处理不了或结果不满意：打{hotline.name}（下一步）。"
    else:
        if_fails = "平台处理不满意：向12315投诉，同时可以在黑猫投诉公开投诉（下一步）。"
    step = Step(
        channel=ctx.platform_cs,
        title="，".join(titles),
        actions=actions,
        have_ready=have_ready,
        if_fails=if_fails,
        sources=dedupe([*sources, "消费者权益保护法 第三十九条", "电子商务法 第六十一条"]),
        hints=hints,
    )
    clock = seller_clock(ctx)
    if clock and not ctx.past_platform and "seller_rejected" not in ctx.states:
        step.deadlines.append(clock)
    return step


def hotline_step(ctx: Ctx) -> Step:
    from ..facts.channels import get_channel, load_data
    from ..facts.hours import channel_state, state_words

    line = ctx.platform.hotline
    assert line is not None  # routing adds this step only on a platform with a hotline
    hotline = get_channel(line.channel)
    also = []
    for cid in line.also:  # further numbers (拼多多's 400), with today's hours
        other = get_channel(cid)
        state = channel_state(other, ctx.now)
        status, nxt = state_words(state, ctx.now)
        words = status if state.status == "open" else f"{status}，下次开放：{nxt}"
        also.append(f"也可以拨打 {other.reach}；它今天的时间：{state.today_hours}；现在：{words}。")
    # numbers that are not for buyers (003), said on the platform they belong to
    avoid = "或".join(
        f"{x.what} {x.number}"
        for x in load_data().not_for_buyers
        if x.platform in ("any", ctx.platform.app)
    )
    return Step(
        channel=hotline.id,
        title=f"打{hotline.name}",
        actions=[
            f"拨打 {hotline.reach}（{hotline.name}，线上客服没解决时用）。",
            f"报订单号 {ctx.case.order.id}，说明已经申请售后、找过官方客服以及结果，提出你的要求："
            f"{ctx.case.demand_name}。",
            *also,
            "记下通话时间和工单号。",
            *([f"不要拨打{avoid}：那不是给消费者的。"] if avoid else []),
        ],
        have_ready=[
            *evidence(ctx),
            "售后申请、平台介入的结果截图",
            "电话要点",
        ],
        if_fails="热线也没解决：向12315投诉（下一步），同时可以在黑猫投诉公开投诉。",
        sources=list(line.sources),
        hints=[
            f"电话要点可以这样生成：buyer-helper letter {hotline.id} --answers 案子文件夹",
            '打完后记到案子里：buyer-helper log 案子文件夹 "打了热线，工单号……" '
            "--tried hotline_called",
        ],
    )


def regulator_steps(ctx: Ctx) -> list[Step]:
    c = ctx.case
    from ..facts.channels import get_company, load_data

    number = regulator_number(c, ctx.today)
    reg = load_data().regulator
    company = get_company(c.platform)
    # The list of required contents is the 2019 measures' §9 (FACTS.md §6); from 2026-04-15
    # on it is labelled as such.
    old_rule = f"；{reg.old_rules_label}" if reg.new_rules(ctx.today) else ""
    old_rule_paren = f"（{reg.old_rules_label}）" if old_rule else ""
    have_ready = [
        f"你的姓名、电话、通信地址（12315 投诉要填写{old_rule}）"
        + ("" if c.contact.complete() else "——答案文件里还没填全"),
        f"被投诉方：{respondent(ctx)}；"
        f"平台经营者：{company.name}" + (f"（{company.address}）" if company.address else ""),
        f"具体要求（{c.demand_name}）和事实经过",
        *evidence(ctx),
        "平台处理的记录（售后、介入、热线工单号）",
    ]
    content = (
        "投诉内容要有：(一)你的姓名、电话、通信地址；(二)被投诉方的名称和地址；"
        f"(三)具体的投诉请求和纠纷事实（{reg.old_rules_name}第九条{old_rule}）。"
    )
    fraud = c.problem == "fake_goods"  # not every compensation demand is fraud
    # with no area code known, the first line says how to find it (shop page → 区号-12315)
    phone_actions = [
        *([f"拨打 {number.reach}。"] if number.code else []),
        *number.lines,
        content,
        "记下受理编号。",
    ]
    if fraud:
        phone_actions.append(
            "如经认定欺诈（例如卖假货），可以要求增加赔偿价款的三倍，不足500元按500元"
            "（消保法第五十五条）：平台一般只处理退款，法定赔偿要通过12315或法院。"
        )
    deadlines: list[Deadline] = []
    if "c12315_filed" in ctx.states:
        deadlines = regulator_deadlines(ctx)
    else:
        deadlines.append(complaint_limit(ctx))
    phone = Step(
        channel="c12315",
        title=f"向12315投诉（电话：{number.reach}）"
        if number.code
        else "向12315投诉（区号+12315）",
        actions=phone_actions,
        have_ready=have_ready,
        if_fails=(
            "12315 不予受理或调解不成：可以另走仲裁（须双方有仲裁协议）或向法院起诉"
            "（消保法第三十九条；本工具不涉及这两步），同时可以在黑猫投诉公开投诉。"
        ),
        sources=dedupe([*number.sources, "004 §⑷.4", "消费者权益保护法 第四十六条"]),
        deadlines=deadlines,
        reach=number.reach,
        reach_lines=list(number.lines),
        note="电话只在工作时间接听，各地时间不同，以当地公布为准；网上投诉随时可以。",
        hints=[
            "电话要点可以这样生成：buyer-helper letter c12315 --answers 案子文件夹",
            '投诉后记到案子里：buyer-helper log 案子文件夹 "打了12315，受理编号……" '
            "--tried c12315_filed",
        ],
    )
    online = Step(
        channel="c12315_online",
        title="在全国12315平台网上投诉（随时可以提交）",
        actions=[
            "打开全国12315平台，注册并登录，选择“投诉”。",
            f"被投诉方填{respondent(ctx)}。"
            if c.against_platform
            else f"被投诉方填{respondent(ctx)}；没有公示地址时填平台公司（{company.name}）。",
            content,
            "上传证据，提交后记下投诉编号。",
        ],
        have_ready=have_ready,
        if_fails=phone.if_fails,
        sources=["004 §⑷.4", "003", f"{reg.old_rules_name} 第九条{old_rule_paren}"],
        deadlines=[dataclasses.replace(d) for d in deadlines],
        hints=[
            "投诉内容可以这样生成：buyer-helper letter c12315_online --answers 案子文件夹",
            "证据可以打包成一个 PDF 上传：buyer-helper bundle 案子文件夹",
            '提交后记到案子里：buyer-helper log 案子文件夹 "网上投诉，投诉编号……" '
            "--tried c12315_filed",
        ],
    )
    return [phone, online]


def respondent(ctx: Ctx) -> str:
    """The merchant as the 12315 complaint names it: the 经营者名称 and address from its shop
    page when the buyer gave them (case.seller_name / seller_address), else where to find them."""
    c = ctx.case
    if c.against_platform:
        from ..facts.channels import get_company

        return f"平台经营者{get_company(c.platform).name}（投诉的是平台本身）"
    shop = f"店铺“{c.order.shop}”"
    if c.seller_name and c.seller_address:
        return f"“{c.seller_name}”（{shop}），地址：{c.seller_address}"
    if c.seller_name:
        return f"“{c.seller_name}”（{shop}），地址看店铺页公示的经营地址"
    if c.seller_address:
        return f"{shop}，地址：{c.seller_address}，经营者名称看店铺页公示"
    return f"{shop}在平台上公示的经营者名称和地址"


def heimao_step(ctx: Ctx) -> Step:
    c = ctx.case
    return Step(
        channel="heimao",
        title="在黑猫投诉公开投诉（可与12315同时进行）",
        actions=[
            "搜索“黑猫投诉” → 点“我要投诉” → 登录或注册。",
            "按页面提示如实填写：投诉对象（"
            + (f"{c.platform_name}，店铺“{c.order.shop}”" if c.order.shop else c.platform_name)
            + "）、投诉问题、"
            f"投诉要求（{c.demand_name}）、涉诉金额（{c.order.amount} 元），标题和描述。",
            "提交后状态会经过“待分配 / 处理中 / 已回复 / 已完成”；完成后可以评价。",
            "黑猫投诉是公开的投诉平台。",
        ],
        have_ready=evidence(ctx),
        if_fails=(
            "都没有结果：可以依消保法第三十九条申请仲裁（须有仲裁协议）或向法院起诉；"
            "本工具不涉及这两步。"
        ),
        sources=["003", "004 §⑴.5"],
    )


def police_step(ctx: Ctx) -> Step:
    c = ctx.case
    paid = c.paid_off_platform
    if paid is not None:  # FACTS.md §4a: likely fraud → 110 with the transfer records
        when = f"{cn_date(paid.on)}" if paid.on else ""
        how = f"通过{paid.how}" if paid.how else ""
        actions = [
            f"你{when}{how}在平台外付了 {paid.amount} 元：这笔钱不经过平台，平台退不了；"
            "付了钱没收到货、或对方还要你再付钱，很可能是诈骗：拨打 110 报警。",
            "带上转账记录（付款截图、对方收款账号）、和对方的全部聊天记录，交给警方；"
            "不要再付任何钱，不要删除聊天。",
            "报警后再向平台举报这家店铺（下一步）。",
        ]
        have_ready = [
            f"平台外付款 {paid.amount} 元的转账记录（付款截图、对方收款账号、时间）",
            "与对方的全部聊天记录截图（平台内和平台外的）",
            f"订单号 {c.order.id}" + (f"，店铺“{c.order.shop}”" if c.order.shop else ""),
        ]
        title = "平台外付款：带转账记录拨打110报警"
        sources = ["公开案例报道", "001 第一部分 2", "001 场景二"]
    else:
        actions = [
            "商家威胁你的人身或住址（如“有你地址”“去你地址找你”）、威胁曝光或卖掉你的个人信息、"
            "攻击你的手机或账号，或以“后果自负”之类的话逼你删评，邮寄冥币寿衣等，拨打 110 报警。",
            "保存好聊天记录、包裹、通话记录，交给警方；不要删除聊天。",
            "同时向平台举报（见平台那一步）。",
        ]
        have_ready = ["威胁内容的聊天截图（显示时间和店铺名）", "收到的包裹、通话记录"]
        title = "商家威胁你：拨打110报警"
        sources = ["000 二", "000 三", "公开案例报道", "公开案例报道"]
    if paid is not None and ctx.threat:
        actions.insert(1, "商家还威胁了你：把威胁的聊天截图一起交给警方。")
        have_ready.append("威胁内容的聊天截图（显示时间和店铺名）")
    return Step(
        channel="police",
        title=title,
        actions=actions,
        have_ready=have_ready,
        if_fails="情况紧急时直接拨打110；报警回执保存好。",
        sources=sources,
        hints=[
            '报警后记到案子里：buyer-helper log 案子文件夹 "报警，回执……" --tried police_called'
        ],
    )


def dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
