"""The decision tree: from a Case and a moment to an ordered Plan. Pure: no terminal, no files.

The ladder follows 消费者权益保护法 第三十九条: negotiate with the seller (in the platform's
after-sales procedure) → the platform → the platform's hotline → the regulator (12315) and the
public complaint site 黑猫投诉; arbitration and court are named but out of scope.
Every rule cites its source (seed section, FACTS.md section or law article) beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .case import MISCONDUCT, MISCONDUCT_LABELS, QUALITY_PROBLEMS, Case
from .plan import Deadline, Plan, Step, Warning
from .storywords import (
    MISCONDUCT_WORDS,
    THREAT_WORDS,
    case_words,
    mentions,
    misconduct_in,
    threat_in,
)
from .tz import SHANGHAI, to_shanghai

QUALITY_TYPE = QUALITY_PROBLEMS
MISCONDUCT_ZH = MISCONDUCT_LABELS

# Kept importable here until letters.py imports them from storywords (R3).
__all__ = ["MISCONDUCT_WORDS", "THREAT_WORDS", "mentions", "regulator_number", "route"]

# The rungs of the ladder, lowest first; a `tried` state marks its rung and every lower one.
RUNG_GOODS, RUNG_PLATFORM, RUNG_HOTLINE, RUNG_REGULATOR = 0, 1, 2, 3
TRIED_RUNG = {
    "after_sales_filed": RUNG_GOODS,
    "seller_rejected": RUNG_GOODS,
    "platform_intervened": RUNG_PLATFORM,
    "platform_unsatisfied": RUNG_PLATFORM,
    "hotline_called": RUNG_HOTLINE,
    "c12315_filed": RUNG_REGULATOR,
}


# ----------------------------------------------------------------------- context


@dataclass
class _Ctx:
    case: Case
    now: dt.datetime
    today: dt.date
    pdd: bool
    path: str | None  # refuse_delivery | not_received | return_7day | after_sales | expired
    window_end: dt.date | None
    in_window: bool
    misconduct: list[str]  # kinds, problem first
    detected: list[str]  # kinds read from the story/timeline only
    threat: bool
    top_rung: int  # highest rung the buyer has passed, -1 for none
    fallback_years: set[int] = field(default_factory=set)

    @property
    def order_path(self) -> str:
        # 004 §⑴.3 (淘宝: 我的订单—已买到的宝贝); 拼多多: 个人中心 → 我的订单 (004 §⑵).
        if self.pdd:
            return "打开拼多多App → 个人中心 → 我的订单 → 找到这笔订单"
        return "打开淘宝App → 我的淘宝 → 已买到的宝贝 → 找到这笔订单"

    @property
    def chat(self) -> str:
        if self.pdd:
            return "在订单或商品页面点“联系”商家，用拼多多平台内的聊天"
        return "在订单里联系卖家，用淘宝平台内的聊天（旺旺）"

    @property
    def apply(self) -> str:
        return "申请售后" if self.pdd else "申请退款/售后"

    @property
    def platform_cs(self) -> str:
        """The platform's own customer service channel (companies.<platform>.cs_channel)."""
        from .channels import get_company

        return get_company(self.case.platform).cs_channel

    def once_only(self, line: str) -> list[str]:
        """`line` on 拼多多, where the seeds say after-sales can be applied for once (004 §⑴.3;
        FACTS.md §1 is about 拼多多); nothing on 淘宝."""
        return [line] if self.pdd else []

    def passed(self, rung: int) -> bool:
        return self.top_rung >= rung


def _context(case: Case, now: dt.datetime) -> _Ctx:
    now = to_shanghai(now)
    today = now.date()
    text = case_words(case)

    misconduct: list[str] = []
    if case.problem in MISCONDUCT:
        misconduct.append(case.problem)
    detected = misconduct_in(text, skip=misconduct)
    misconduct += detected
    threat = threat_in(text)

    window_end = case.signed_on + dt.timedelta(days=7) if case.signed_on else None
    in_window = case.delivery != "not_signed" and window_end is not None and today <= window_end

    if case.problem in MISCONDUCT:
        path = None
    elif case.problem == "not_received":
        path = "refuse_delivery" if case.delivery == "not_signed" else "not_received"
    elif case.delivery == "not_signed":
        path = "refuse_delivery"
    elif case.problem == "no_reason_return":
        if not in_window:
            path = "expired"
        else:
            path = "return_7day" if case.delivery == "signed" else "after_sales"
    elif case.delivery == "signed" and in_window:
        path = "return_7day"
    else:
        path = "after_sales"

    top = max((TRIED_RUNG[t] for t in case.tried if t in TRIED_RUNG), default=-1)
    return _Ctx(
        case=case,
        now=now,
        today=today,
        pdd=case.platform == "pdd",
        path=path,
        window_end=window_end,
        in_window=in_window,
        misconduct=misconduct,
        detected=detected,
        threat=threat,
        top_rung=top,
    )


# ----------------------------------------------------------------------- dates


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SHANGHAI)


def _working_days(ctx: _Ctx, start: dt.date, n: int) -> tuple[dt.date, bool]:
    from .hours import working_days_after

    due, fallback_years = working_days_after(start, n)
    ctx.fallback_years.update(fallback_years)  # only the years the fallback was used for
    return due, bool(fallback_years)


def _window_deadline(ctx: _Ctx, no_reason: bool) -> Deadline:
    assert ctx.case.signed_on is not None and ctx.window_end is not None
    law = "消费者权益保护法 第二十五条" if no_reason else "消费者权益保护法 第二十四条"
    return Deadline(
        label="7天退货期限的最后一天",
        due=_end_of_day(ctx.window_end),
        basis=(
            f"{ctx.case.signed_on:%Y-%m-%d} 签收，从签收次日起算7天"
            "（网络购买商品七日无理由退货暂行办法）"
        ),
        source=f"{law}；网络购买商品七日无理由退货暂行办法（FACTS.md §5）",
    )


def _event_at(ctx: _Ctx, state: str) -> dt.datetime | None:
    """When the timeline says this `tried` state happened (the latest such event)."""
    times = [e.at for e in ctx.case.timeline if e.tried == state]  # Beijing time (case.py)
    return max(times) if times else None


def _seller_clock(ctx: _Ctx) -> Deadline | None:
    """拼多多 sellers handle after-sales orders within about 48 hours (004 §⑻.2)."""
    if not ctx.pdd:
        return None
    filed = _event_at(ctx, "after_sales_filed")
    if filed is None:
        return None
    from .hours import cn_datetime

    return Deadline(
        label="商家一般应处理售后申请的时间（约48小时）",
        due=filed + dt.timedelta(hours=48),
        basis=(
            f"从 {cn_datetime(filed, weekday=False)} 提交售后起约48小时，这是对商家处理时间的"
            "一般要求，不是自动退款的时间"
        ),
        source="004 §⑻.2",
        approximate=True,
    )


def _regulator_deadlines(ctx: _Ctx) -> list[Deadline]:
    from .channels import load_data

    reg = load_data().regulator
    filed_at = _event_at(ctx, "c12315_filed")
    filed = filed_at.date() if filed_at else ctx.today
    accept_n, accept_src, accept_label = reg.accept.value, reg.accept.source, reg.accept.label
    mediate_n, mediate_src = reg.mediation.value, reg.mediation.source
    mediate_label = reg.mediation.label
    accept_due, fb1 = _working_days(ctx, filed, accept_n)
    guess = "（节假日数据缺失，按周一至周五估算）"
    since = "投诉当天" if filed_at else "今天（时间线里没有投诉日期）"
    out = [
        Deadline(
            label="12315 决定是否受理",
            due=_end_of_day(accept_due),
            basis=(
                f"从{since} {filed:%Y-%m-%d} 起 {accept_n} 个工作日（跳过法定节假日，"
                f"调休上班日照算）；{accept_label}" + (guess if fb1 else "")
            ),
            source=accept_src,
            approximate=fb1,
        )
    ]
    # Mediation runs from acceptance: use an event that says 受理 if the buyer logged one,
    # else the last day acceptance may take (so the date is "at the latest").
    accepted = [
        e.at.date()
        for e in ctx.case.timeline
        if "受理" in e.text and "不予受理" not in e.text and e.at.date() >= filed
    ]
    if accepted:
        start, how, approx = min(accepted), "受理之日", False
    else:
        start, how, approx = accept_due, "受理期限的最后一天（实际受理日以通知为准）", True
    mediate_due, fb2 = _working_days(ctx, start, mediate_n)
    out.append(
        Deadline(
            label="12315 调解期限（调不成即终止调解）",
            due=_end_of_day(mediate_due),
            basis=f"从{how} {start:%Y-%m-%d} 起 {mediate_n} 个工作日；{mediate_label}"
            + (guess if fb2 else ""),
            source=mediate_src,
            approximate=approx or fb2,
        )
    )
    return out


# ----------------------------------------------------------------------- 12315 number


@dataclass
class RegulatorNumber:
    reach: str  # "0579-12315", or "商家所在地区号-12315" when the code is not known
    code: str | None  # None: the seller's city was given but its area code was not found
    lines: list[str]  # why this number, which rule
    sources: list[str]


def regulator_number(case: Case, today: dt.date) -> RegulatorNumber:
    """The 12315 number to dial for this case and the rule behind it (FACTS.md §6, §7).

    From the 2026 measures on, the bureau at the shop's publicly shown address handles it and
    the platform's domicile only when no address is shown or the shop cannot be reached; so
    the platform's number is named first only when no city was given (or before 2026-04-15,
    when either place could be chosen)."""
    from .areacode import area_code_for
    from .channels import get_company, load_data
    from .hours import cn_date

    reg = load_data().regulator
    new_rules = reg.new_rules(today)
    company = get_company(case.platform)
    platform_code = company.area_code
    match = area_code_for(case.seller_city) if case.seller_city else None
    lines: list[str] = []
    sources = ["FACTS.md §6", "FACTS.md §7", "003"]
    if new_rules:
        rule = (
            f"按{cn_date(reg.new_rules_from)}起施行的《{reg.new_rules_name}》：{reg.new_rules_note}"
        )
    else:
        rule = (
            f"按2019年《{reg.old_rules_name}》第十二条：平台内商家由其实际经营地"
            "或平台住所地的市场监管部门处理，两者都可以。"
        )
    platform_number = (
        f"{platform_code}-12315（平台住所地：{company.name}，{company.city}，区号 {platform_code}）"
    )
    code: str | None
    if match:
        code, place = match
        reach = f"{code}-12315"
        lines.append(
            f"商家公示所在地“{case.seller_city}”→ 号码地理数据对应“{place}”，区号 {code}。"
        )
        lines.append(rule)
        if new_rules:
            lines.append(f"只有商家没有公示地址或联系不上时，才改打 {platform_number}。")
        else:
            lines.append(f"也可以打 {platform_number}。")
        sources.append("phonenumbers 地理数据")
    elif case.seller_city and new_rules:
        code = None
        reach = "商家所在地区号-12315"
        lines.append(
            f"没能从号码地理数据里找到“{case.seller_city}”的区号（数据只到地级市，"
            f"不含县级市和区县）。请查到{case.seller_city}的区号（例如看店铺页或当地公布的"
            "12315号码），拨“该区号-12315”；不查区号也可以直接在全国12315平台网上投诉。"
        )
        lines.append(rule)
        lines.append(f"只有商家没有公示地址或联系不上时，才打 {platform_number}。")
    else:
        code = platform_code
        reach = f"{code}-12315"
        if case.seller_city:
            lines.append(
                f"没能从号码地理数据里找到“{case.seller_city}”的区号（数据只到地级市，"
                "不含县级市和区县）。如果你知道商家所在地的区号，拨“该区号-12315”。"
            )
        else:
            lines.append("你没有填写商家在店铺页公示的所在城市。")
        lines.append(rule)
        if new_rules:
            lines.append(
                "先看店铺页有没有公示经营地址：有的话，拨那个城市的“区号-12315”；"
                f"没有公示地址或联系不上时，打平台住所地的号码：{platform_number}。"
            )
        else:
            lines.append(f"这里先给平台住所地的号码：{platform_number}。")
    lines.append("全国12315平台网上投诉任何时间都可以提交。")
    return RegulatorNumber(reach=reach, code=code, lines=lines, sources=sources)


# ----------------------------------------------------------------------- steps


def _evidence(ctx: _Ctx) -> list[str]:
    c = ctx.case
    items = [f"订单号 {c.order.id}（{c.order.shop}，{c.order.item}，实付 {c.order.amount} 元）"]
    if c.problem in QUALITY_TYPE:
        items.append("问题的照片或视频（拍清问题所在和商品整体）")
    if c.problem == "fake_goods":
        items.append("商品页面截图（宣传的品牌、正品承诺）和你判断是假货的依据")
    if c.problem in ("not_received",):
        items.append("物流记录截图（显示的签收或停滞情况）")
    items.append("与商家的完整聊天记录截图（平台内聊天）")
    if c.evidence_notes:
        items.append("已整理的证据：" + "、".join(c.evidence_notes))
    return items


def _misconduct_lines(ctx: _Ctx) -> str:
    return "、".join(MISCONDUCT_ZH[k] for k in ctx.misconduct)


def _goods_step(ctx: _Ctx) -> Step | None:
    c = ctx.case
    path = ctx.path
    if path is None:
        return None
    if path == "refuse_delivery":
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
                have_ready=[*_evidence(ctx)],
                if_fails=_to_platform(ctx, "商家驳回或拖着不处理"),
                sources=["004 §⑴.1", "FACTS.md §1"],
            )
        reason_line = (
            "不想要了也可以拒签，不用说明理由（七天无理由，消保法第二十五条）。"
            if c.problem == "no_reason_return"
            else "发现货物有问题，直接对快递员说拒签，请快递退回，不要签收。"
        )
        return Step(
            channel="refuse_delivery",
            title="当面验货，拒签后申请仅退款（未收到货）",
            actions=[
                "快递送到时，当着快递员的面开箱验货，最好录像或拍照。",
                reason_line,
                "生鲜、冷冻商品：拒收前在门口拍下包裹和问题，告诉快递员拒收原因。",
                f"拒签后：{ctx.order_path} → {ctx.apply} → 选“仅退款”，原因选“未收到货”，"
                "说明里写“已拒签退回”，附上拒签照片或物流截图。",
            ],
            have_ready=[
                "验货和拒签时的照片或视频",
                "物流记录截图（显示拒签、退回）",
                *_evidence(ctx),
            ],
            if_fails=_to_platform(ctx, "商家驳回或拖着不处理"),
            sources=["004 §⑴.1", "FACTS.md §4a"],
        )
    if path == "not_received":
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
            have_ready=["物流签收记录截图", "与快递员或驿站沟通的记录", *_evidence(ctx)],
            if_fails=_to_platform(ctx, "商家驳回或拖着不处理"),
            sources=["004 §⑴.1", "004 §⑴.3", "004 §⑴.4"],
        )
    if path == "expired":
        assert ctx.window_end is not None
        return Step(
            channel="seller",
            title="与商家协商退货（七天无理由期限已过）",
            actions=[
                f"七天无理由退货期限已在 {ctx.window_end:%Y-%m-%d} 结束（签收次日起算7天），"
                "法律不再保证无理由退货，商家可以不同意。",
                f"{ctx.chat}，礼貌说明情况，请商家同意退货。",
                "如果商品页承诺了更长的退货期（例如“30天无理由”），截图保存，"
                f"然后 {ctx.order_path} → {ctx.apply}，附上截图。",
                "如果其实是质量问题，把问题类型改成“质量问题”重新生成计划：质量问题过了7天"
                "仍可要求修理、更换（消保法第二十四条）。",
            ],
            have_ready=["商品页关于退货期限的承诺截图（如有）", *_evidence(ctx)],
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

    no_reason = c.problem == "no_reason_return"
    demand = c.demand_name
    deadlines: list[Deadline] = []
    if ctx.in_window:
        deadlines.append(_window_deadline(ctx, no_reason))
    if path == "return_7day":
        if no_reason:
            return Step(
                channel="return_7day",
                title="申请七天无理由退货",
                actions=[
                    f"{ctx.order_path} → {ctx.apply} → 选“退货退款”，"
                    "原因如实选“不想要了/七天无理由”。",
                    "商品要保持完好；拆开包装检查不影响退货（消保法实施条例第十九条）。",
                    "退货运费由你承担，另有约定的除外（消保法第二十五条）。",
                    "不能无理由退的只有：定制的、鲜活易腐的、拆封的音像制品和软件等数字商品、"
                    "已交付的报纸期刊；其他商品只有购买时你确认过“不支持七天无理由”才不能退。",
                    "商家同意后按给出的退货地址寄回，填写快递单号，保存寄件凭证；"
                    "商家应在收到退货后7日内退款（第二十五条）。",
                ],
                have_ready=_evidence(ctx),
                if_fails=_to_platform(ctx, "商家拒绝或不处理"),
                sources=[
                    "消费者权益保护法 第二十五条",
                    "消费者权益保护法实施条例 第十九条",
                    "网络购买商品七日无理由退货暂行办法",
                ],
                deadlines=deadlines,
            )
        choose = "选“退货退款”，原因选“质量问题”"
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
            have_ready=_evidence(ctx),
            if_fails=_to_platform(
                ctx, "商家驳回，或约48小时还没处理" if ctx.pdd else "商家驳回或不处理"
            ),
            sources=["004 §⑴.2", "消费者权益保护法 第二十四条", "003 二", "001 第三部分 2"],
            deadlines=deadlines,
        )

    # after_sales
    if no_reason:
        actions = [
            f"{ctx.order_path}（交易已完成的订单也在这里）→ 发起售后 → 选“退货退款”，"
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
            f"{ctx.order_path}（交易已完成的订单也在这里）→ 发起售后/维权。",
            *ctx.once_only(f"维权要求只能选一次，之后不能修改：想清楚再选（你的诉求：{demand}）。"),
            "原因如实选“质量问题”，不要选“不想要了”。",
            law_line,
            "写清问题，上传照片、视频和聊天截图。",
            *ctx.once_only("提交后不要点“取消”：售后只能申请一次，取消后无法再申请。"),
        ]
        sources = ["004 §⑴.3", "004 §⑴.4", "消费者权益保护法 第二十四条"]
    if ctx.pdd:
        actions.append(
            "商家一般应在约48小时内处理（004 §⑻.2）。商家逾期不处理的，系统默认同意并自动退款"
            "（004 §⑴.4）；资料没有说逾期是多长时间，不要把48小时当成自动退款的时间。"
        )
        sources += ["004 §⑻.2", "004 §⑴.4", "004 §⑸.1"]
    title = "发起售后：七天无理由退货" if no_reason else "发起售后维权"
    if ctx.pdd:
        title += "（售后只能申请一次）"
    return Step(
        channel="after_sales",
        title=title,
        actions=actions,
        have_ready=_evidence(ctx),
        if_fails=_to_platform(ctx, "商家驳回或逾期不处理"),
        sources=sources,
        deadlines=deadlines,
    )


def _to_platform(ctx: _Ctx, what: str) -> str:
    """`if_fails` of a goods step: ask the platform to step in, in the platform's words
    (拼多多: 004 §⑴.4, 000 第三步; 淘宝: 002 ⑻)."""
    from .channels import get_channel

    cs = get_channel(ctx.platform_cs).name
    if ctx.pdd:
        return f"{what}：在退款详情页点“要求平台客服介入”（下一步：{cs}）。"
    return f"{what}：在这笔订单的退款页面点“要求淘宝小二介入”（下一步：{cs}）。"


def _platform_step(ctx: _Ctx, goods: Step | None) -> Step:
    c = ctx.case
    actions: list[str] = []
    sources: list[str] = []
    titles: list[str] = []
    if goods is not None and goods.channel != "seller":
        titles.append("申请平台介入")
        if ctx.pdd:
            actions.append(
                "商家驳回或不处理时：打开这笔订单的退款详情页，点“申请平台介入”"
                "（“要求客服介入处理”），上传凭证。"
            )
            sources += ["004 §⑴.4", "000 第三步"]
        else:
            actions.append(
                "商家拒绝或不处理时：打开这笔订单的退款页面，点“要求淘宝小二介入”，"
                "上传完整的聊天记录和照片。"
            )
            sources += ["002 ⑻"]
        if "seller_no_reply" in c.tried and ctx.pdd:
            actions.append(
                "商家客服不理你：保留让你“自行处理”或一直不回的聊天记录，提交给拼多多官方客服处理。"
            )
            sources.append("004 §⑵")
        if "seller_no_reply" in c.tried and "after_sales_filed" in c.tried and ctx.pdd:
            actions.append(
                "商家一直不回复：售后申请逾期未处理时系统会默认同意并自动退款；"
                "到时没有退款再申请平台介入。"
            )
            sources.append("004 §⑸.1")
    if ctx.misconduct:
        what = _misconduct_lines(ctx)
        titles.append(f"举报商家{what}")
        if ctx.pdd:
            actions.append(
                f"把商家{what}的聊天截图发给拼多多官方客服，要求平台处理："
                "拼多多App → 下方“聊天” → 拼多多官方客服（或 个人中心 → 官方客服；"
                "订单详情页往下拉 → 投诉）。"
            )
            if "seller_abuse" in ctx.misconduct:
                actions.append(
                    "资料显示：买家带聊天截图投诉商家辱骂，拼多多会罚商家，赔付可能以无门槛券"
                    "发给你（000 说是100元，以平台处理为准）。"
                )
                sources += ["000 二", "000 四"]
            sources += ["004 §⑷", "001 第一部分"]
        else:
            actions.append(
                f"在这笔订单的退款（售后）页面申请淘宝小二介入，说明商家{what}，上传完整聊天记录。"
            )
            if "seller_harassment" in ctx.misconduct:
                actions.append("淘宝规则对恶意骚扰每次扣12分，情节严重扣48分（查封账户）。")
            sources += ["002 ⑹", "002 ⑻"]
        if ctx.detected:
            actions.append(
                "（这一项是根据你描述里的字眼加上的："
                + "、".join(MISCONDUCT_ZH[k] for k in ctx.detected)
                + "。如果不符合实际，可以忽略。）"
            )
    if ctx.pdd:
        actions.append(
            "其他入口：微信公众号“拼多多” → 平台服务 → 联系平台客服；"
            "微信小程序“拼多多” → 个人中心 → 我的消息 → 官方客服。"
        )
        sources += ["000 第四步", "004 §⑷.3"]
    if not titles:
        titles.append("找平台客服")
    have_ready = _evidence(ctx)
    if goods is not None and goods.channel != "seller":
        have_ready.append("售后申请和商家驳回的截图（退款详情页）")
    if ctx.misconduct:
        have_ready.insert(0, f"商家{_misconduct_lines(ctx)}的聊天截图（要显示时间和店铺名）")
    if ctx.pdd:
        if_fails = "平台处理不了或结果不满意：打拼多多消费者热线 021-53395288（下一步）。"
    else:
        if_fails = "平台处理不满意：向12315投诉，同时可以在黑猫投诉公开投诉（下一步）。"
    step = Step(
        channel=ctx.platform_cs,
        title="，".join(titles),
        actions=actions,
        have_ready=have_ready,
        if_fails=if_fails,
        sources=_dedupe([*sources, "消费者权益保护法 第三十九条", "电子商务法 第六十一条"]),
    )
    clock = _seller_clock(ctx)
    if clock and not ctx.passed(RUNG_PLATFORM) and "seller_rejected" not in c.tried:
        step.deadlines.append(clock)
    return step


def _hotline_step(ctx: _Ctx) -> Step:
    from .channels import get_channel, load_data
    from .hours import channel_state, state_words

    hotline, line400 = get_channel("pdd_hotline"), get_channel("pdd_400")
    state400 = channel_state(line400, ctx.now)
    status, nxt = state_words(state400, ctx.now)
    words = status if state400.status == "open" else f"{status}，下次开放：{nxt}"
    avoid = "或".join(f"{x.what} {x.number}" for x in load_data().not_for_buyers)
    return Step(
        channel="pdd_hotline",
        title=f"打{hotline.name}",
        actions=[
            f"拨打 {hotline.reach}（{hotline.name}，线上客服没解决时用）。",
            f"报订单号 {ctx.case.order.id}，说明已经申请售后、找过官方客服以及结果，提出你的要求："
            f"{ctx.case.demand_name}。",
            f"也可以拨打 {line400.reach}；它今天的时间：{state400.today_hours}；现在：{words}。",
            "记下通话时间和工单号，之后用 buyer-helper log 记到案子里。",
            f"不要拨打{avoid}：那不是给消费者的。",
        ],
        have_ready=[
            *_evidence(ctx),
            "售后申请、平台介入的结果截图",
            "电话要点（可用 buyer-helper letter pdd_hotline 生成）",
        ],
        if_fails="热线也没解决：向12315投诉（下一步），同时可以在黑猫投诉公开投诉。",
        sources=["003", "004 §⑷", "000 其他方式"],
    )


def _regulator_steps(ctx: _Ctx) -> list[Step]:
    c = ctx.case
    from .channels import get_company, load_data

    number = regulator_number(c, ctx.today)
    reg = load_data().regulator
    company = get_company(c.platform)
    # The list of required contents is the 2019 measures' §9 (FACTS.md §6); from 2026-04-15
    # on it is labelled as such.
    old_rule = f"（{reg.old_rules_label}）" if reg.new_rules(ctx.today) else ""
    have_ready = [
        f"你的姓名、电话、通信地址（12315 投诉要填写{old_rule}）"
        + ("" if c.contact.complete() else "——答案文件里还没填全"),
        f"被投诉方：店铺“{c.order.shop}”及其在平台上公示的名称和地址；"
        f"平台经营者：{company.name}" + (f"（{company.address}）" if company.address else ""),
        f"具体要求（{c.demand_name}）和事实经过",
        *_evidence(ctx),
        "平台处理的记录（售后、介入、热线工单号）",
    ]
    content = (
        "投诉内容要有：(一)你的姓名、电话、通信地址；(二)被投诉方的名称和地址；"
        f"(三)具体的投诉请求和纠纷事实（{reg.old_rules_name}第九条{old_rule}）。"
    )
    fraud = c.problem == "fake_goods"  # not every compensation demand is fraud
    phone_actions = [
        f"拨打 {number.reach}。",
        *number.lines,
        content,
        "记下受理编号，之后用 buyer-helper log --tried c12315_filed 记到案子里。",
    ]
    if fraud:
        phone_actions.append(
            "如经认定欺诈（例如卖假货），可以要求增加赔偿价款的三倍，不足500元按500元"
            "（消保法第五十五条）：平台一般只处理退款，法定赔偿要通过12315或法院。"
        )
    deadlines: list[Deadline] = []
    if "c12315_filed" in c.tried:
        deadlines = _regulator_deadlines(ctx)
    else:
        # §15: refused when more than 3 years since the buyer knew of the harm.
        years = reg.limit_years
        known = c.signed_on or c.order.ordered_on
        try:
            limit_day = known.replace(year=known.year + years.value)
        except ValueError:  # 29 Feb
            limit_day = known.replace(year=known.year + years.value, day=28)
        deadlines.append(
            Deadline(
                label=f"向12315投诉的时限（知道权益受损起{years.value}年）",
                due=_end_of_day(limit_day),
                basis=f"从 {known:%Y-%m-%d} 起算约{years.value}年，超过的不予受理；{years.label}",
                source=years.source,
                approximate=True,
            )
        )
    phone = Step(
        channel="c12315",
        title=f"向12315投诉（电话：{number.reach}）",
        actions=phone_actions,
        have_ready=have_ready,
        if_fails=(
            "12315 不予受理或调解不成：可以另走仲裁（须双方有仲裁协议）或向法院起诉"
            "（消保法第三十九条；本工具不涉及这两步），同时可以在黑猫投诉公开投诉。"
        ),
        sources=_dedupe([*number.sources, "004 §⑷.4", "消费者权益保护法 第四十六条"]),
        deadlines=deadlines,
        reach=number.reach,
        note="电话只在工作时间接听，各地时间不同，以当地公布为准；网上投诉随时可以。",
    )
    online = Step(
        channel="c12315_online",
        title="在全国12315平台网上投诉（随时可以提交）",
        actions=[
            "打开全国12315平台，注册并登录，选择“投诉”。",
            "被投诉方填店铺在平台上公示的经营者名称和地址；没有公示地址时填平台公司"
            f"（{company.name}）。",
            content,
            "上传证据（可用 buyer-helper bundle 打包成一个 PDF），提交后记下投诉编号。",
        ],
        have_ready=have_ready,
        if_fails=phone.if_fails,
        sources=["004 §⑷.4", "FACTS.md §2", "FACTS.md §6"],
        deadlines=[Deadline(d.label, d.due, d.basis, d.source, d.approximate) for d in deadlines],
    )
    return [phone, online]


def _heimao_step(ctx: _Ctx) -> Step:
    c = ctx.case
    return Step(
        channel="heimao",
        title="在黑猫投诉公开投诉（可与12315同时进行）",
        actions=[
            "搜索“黑猫投诉” → 点“我要投诉” → 登录或注册。",
            f"按页面提示如实填写：投诉对象（{c.platform_name}，店铺“{c.order.shop}”）、投诉问题、"
            f"投诉要求（{c.demand_name}）、涉诉金额（{c.order.amount} 元），标题和描述。",
            "提交后状态会经过“待分配 / 处理中 / 已回复 / 已完成”；完成后可以评价。",
            "黑猫投诉是公开的投诉平台。",
        ],
        have_ready=_evidence(ctx),
        if_fails=(
            "都没有结果：可以依消保法第三十九条申请仲裁（须有仲裁协议）或向法院起诉；"
            "本工具不涉及这两步。"
        ),
        sources=["003", "004 §⑴.5", "FACTS.md §2"],
    )


def _police_step(ctx: _Ctx) -> Step:
    return Step(
        channel="police",
        title="商家威胁你的人身或住址：拨打110报警",
        actions=[
            "商家威胁人身或住址（如“有你地址”“去你地址找你”）、邮寄冥币寿衣、深夜骚扰等，"
            "拨打 110 报警。",
            "保存好聊天记录、包裹、通话记录，交给警方；不要删除聊天。",
            "同时向平台举报（见平台那一步）。",
        ],
        have_ready=["威胁内容的聊天截图（显示时间和店铺名）", "收到的包裹、通话记录"],
        if_fails="情况紧急时直接拨打110；报警回执保存好，之后用 buyer-helper log 记到案子里。",
        sources=["000 二", "000 三", "FACTS.md §4a"],
    )


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# ----------------------------------------------------------------------- warnings


def _warnings(ctx: _Ctx, steps: list[Step]) -> list[Warning]:
    c = ctx.case
    out: list[Warning] = []
    channels = {s.channel for s in steps}
    open_channels = {s.channel for s in steps if not s.done}
    refund_only = ctx.path in ("refuse_delivery", "not_received")

    if ctx.threat or c.problem == "seller_harassment":
        if "police_called" in c.tried:
            text = (
                "你已经报警：保存好报警回执；聊天记录、包裹和通话记录都不要删、不要丢，"
                "同时向平台举报。"
            )
        else:
            text = (
                "商家威胁你的人身或住址（如“有你地址”“去你地址找你”）、邮寄冥币寿衣或深夜骚扰，"
                "除了向平台举报，还要拨打110报警，并保存好证据。"
            )
        out.append(Warning(text, "000 二、三；FACTS.md §4a"))
    if c.problem in QUALITY_TYPE:
        out.append(
            Warning(
                "不要同意把退款原因从“质量问题”改成“不想要了”“七天无理由”或“协商一致”："
                "商家这样引导是为了压低自己的品质退款率。质量问题退货的运费由商家承担"
                "（第二十四条），无理由退货的运费一般由你承担（第二十五条）。如实填写原因。",
                "003 售后客服须知；FACTS.md §3；消费者权益保护法 第二十四条、第二十五条",
            )
        )
    if ctx.pdd and "after_sales" in open_channels and "after_sales_filed" not in c.tried:
        out.append(
            Warning(
                "售后只能申请一次，维权要求选定后不能修改；提交后如果点了“取消”，就不能再申请。",
                "004 §⑴.3",
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
                "001 第一部分 1–2；FACTS.md §4",
            )
        )
    out.append(
        Warning(
            "保留完整的聊天记录和截图，用文字沟通（平台核查的是平台内的文字记录）；不要删除任何消息。",
            "001 第三部分 2；FACTS.md §4",
        )
    )
    if ctx.misconduct:
        out.append(
            Warning("不要和商家对骂：只陈述事实，截图留证，交给平台处理。", "000 一；FACTS.md §4")
        )
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
                "FACTS.md §4a",
            )
        )
    if "refuse_delivery" in open_channels and c.problem != "not_received":
        out.append(
            Warning(
                "生鲜、冷冻商品拒收可能被判“报废，无法退款”：拒收前在门口拍下包裹和问题，"
                "并说明拒收原因。",
                "FACTS.md §4a",
            )
        )
    if c.problem == "no_reason_return":
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
                "消费者权益保护法 第五十五条；FACTS.md §4a",
            )
        )
    elif c.demand == "compensation":
        out.append(
            Warning(
                "法定赔偿要通过12315或法院主张；平台一般只处理仅退款、退货退款或给券。",
                "FACTS.md §4a",
            )
        )
    if ctx.in_window and ctx.window_end is not None and channels & {"return_7day", "after_sales"}:
        left = (ctx.window_end - ctx.today).days
        if left <= 2 and "after_sales_filed" not in c.tried:
            out.append(
                Warning(
                    f"7天退货期限 {ctx.window_end:%Y-%m-%d} 结束（还剩 {left} 天），"
                    "今天就提交申请。",
                    "网络购买商品七日无理由退货暂行办法",
                )
            )
    if (
        ctx.passed(RUNG_PLATFORM)
        and ctx.in_window
        and "after_sales_filed" not in c.tried
        and "seller_rejected" not in c.tried
        and ctx.path in ("return_7day", "after_sales")
    ):
        out.append(
            Warning(
                f"你还没有在平台申请退货/售后：7天期限到 {ctx.window_end:%Y-%m-%d}，仍可以申请。",
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


# ----------------------------------------------------------------------- route


def route(case: Case, now: dt.datetime) -> Plan:
    """The ordered plan for this case at this moment (Asia/Shanghai)."""
    from .channels import get_channel, load_channels
    from .hours import channel_state, fallback_note

    ctx = _context(case, now)
    ladder: list[tuple[int, Step]] = []
    goods = _goods_step(ctx)
    if goods is not None:
        ladder.append((RUNG_GOODS, goods))
    if not (ctx.path == "expired" and not ctx.misconduct):
        ladder.append((RUNG_PLATFORM, _platform_step(ctx, goods)))
        if ctx.pdd:
            ladder.append((RUNG_HOTLINE, _hotline_step(ctx)))
        ladder += [(RUNG_REGULATOR, s) for s in _regulator_steps(ctx)]
        ladder.append((RUNG_REGULATOR + 1, _heimao_step(ctx)))  # parallel, never "done"
    if ctx.threat and "police" in load_channels():
        police = _police_step(ctx)
        police.done = "police_called" in case.tried
        ladder.insert(0, (-1, police))

    for rung, step in ladder:
        if step.channel == "police":
            continue
        if rung == RUNG_GOODS:
            if step.channel == "seller":
                direct = case.has_tried("contacted_seller", "seller_no_reply", "seller_rejected")
            else:
                direct = case.has_tried("after_sales_filed", "seller_rejected")
        else:
            direct = any(TRIED_RUNG.get(t) == rung for t in case.tried)
        step.done = direct or ctx.passed(rung)
        if step.done and not direct:
            step.note = _join(
                step.note,
                "按你记录的进展，你已经走到后面的步骤，这一步视为已过；如果其实没做，仍可以做。",
            )
        elif step.done:
            step.note = _join(step.note, "你已经做过这一步。")
        if rung == RUNG_GOODS and not step.done and "seller_no_reply" in case.tried:
            step.note = _join(step.note, NO_REPLY_NOTE)
        elif rung == RUNG_GOODS and not step.done and "contacted_seller" in case.tried:
            step.note = _join(
                step.note,
                "你已经联系过商家；接下来在平台上正式提交申请，让平台的处理时限开始计算。",
            )

    steps = [s for _, s in ladder if not s.done] + [s for _, s in ladder if s.done]
    for step in steps:
        channel = get_channel(step.channel)
        step.state = channel_state(channel, ctx.now)
        ctx.fallback_years.update(step.state.fallback_years)
        if not step.reach:
            step.reach = channel.reach_for(case.platform)
        step.sources = _dedupe(step.sources)

    calendar_notes = []
    if ctx.fallback_years:
        calendar_notes.append(fallback_note(ctx.fallback_years))
    warnings = _warnings(ctx, steps)  # the calendar note is in calendar_notes only
    return Plan(
        now=ctx.now,
        steps=steps,
        warnings=warnings,
        calendar_notes=calendar_notes,
        misconduct=list(ctx.misconduct),
        misconduct_detected=bool(ctx.detected),
        threat=ctx.threat,
    )


NO_REPLY_NOTE = (
    "商家不回复：不用再等，直接在平台上正式提交申请；商家逾期不处理，系统默认同意（004 §⑴.4）。"
)


def _join(a: str, b: str) -> str:
    return f"{a} {b}".strip() if a else b
