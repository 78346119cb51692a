"""The decision tree: from a Case and a moment to an ordered Plan. Pure: no terminal, no files.

Modules: routing (the case's context, the ladder, route), steps (one builder per step),
regulator (dates, time limits and the 12315 number), advice (warnings).

The ladder follows 消费者权益保护法 第三十九条: negotiate with the seller (in the platform's
after-sales procedure) → the platform → the platform's hotline → the regulator (12315) and the
public complaint site 黑猫投诉; arbitration and court are named but out of scope.
Every rule cites its source (seed section, FACTS.md section or law article) beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .advice import warnings_for
from .case import MISCONDUCT, Case
from .plan import Plan, Step
from .regulator import RegulatorNumber, regulator_number
from .steps import (
    dedupe,
    goods_step,
    heimao_step,
    hotline_step,
    platform_step,
    police_step,
    regulator_steps,
)
from .storywords import case_words, misconduct_in, threat_in
from .tz import to_shanghai

__all__ = ["Ctx", "RegulatorNumber", "regulator_number", "route"]

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
class Ctx:
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

    @property
    def past_platform(self) -> bool:
        """The buyer has already been to the platform (or further up the ladder)."""
        return self.passed(RUNG_PLATFORM)


def _context(case: Case, now: dt.datetime) -> Ctx:
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
    return Ctx(
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


# ----------------------------------------------------------------------- route


def route(case: Case, now: dt.datetime) -> Plan:
    """The ordered plan for this case at this moment (Asia/Shanghai)."""
    from .channels import get_channel, load_channels
    from .hours import channel_state, fallback_note

    ctx = _context(case, now)
    ladder: list[tuple[int, Step]] = []
    goods = goods_step(ctx)
    if goods is not None:
        ladder.append((RUNG_GOODS, goods))
    if not (ctx.path == "expired" and not ctx.misconduct):
        ladder.append((RUNG_PLATFORM, platform_step(ctx, goods)))
        if ctx.pdd:
            ladder.append((RUNG_HOTLINE, hotline_step(ctx)))
        ladder += [(RUNG_REGULATOR, s) for s in regulator_steps(ctx)]
        ladder.append((RUNG_REGULATOR + 1, heimao_step(ctx)))  # parallel, never "done"
    if ctx.threat and "police" in load_channels():
        police = police_step(ctx)
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
        step.sources = dedupe(step.sources)

    calendar_notes = []
    if ctx.fallback_years:
        calendar_notes.append(fallback_note(ctx.fallback_years))
    warnings = warnings_for(ctx, steps)  # the calendar note is in calendar_notes only
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
