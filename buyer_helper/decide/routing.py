"""The decision tree: from a Case and a moment to an ordered Plan. Pure: no terminal, no files.

Modules: routing (the case's context, the ladder, route), steps (one builder per step),
regulator (dates, time limits and the 12315 number), advice (warnings).

The ladder is the order the seeds advise (004 §⑴.4–5; 003): negotiate with the seller (in the
platform's after-sales procedure) → the platform → the platform's hotline → the regulator (12315)
and the public complaint site 黑猫投诉; arbitration and court are named but out of scope.
消费者权益保护法 第三十九条 lists these routes but sets no order between them.
Every rule cites its source (seed section, FACTS.md section or law article) beside it.
"""

from __future__ import annotations

import datetime as dt

from ..casefile.case import MISCONDUCT, RETURN_STATES, Case
from ..facts.tz import to_shanghai
from .advice import warnings_for
from .context import RUNG_GOODS, RUNG_HOTLINE, RUNG_PLATFORM, RUNG_REGULATOR, Ctx
from .plan import Plan, Step, Warning
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
from .storywords import misconduct_in, threat_in

__all__ = ["Ctx", "RegulatorNumber", "regulator_number", "route"]

# TRIED_RUNG: the highest rung a `tried` state reaches
# (Ctx.top_rung); which steps count as done is DONE_BY below, not "everything lower".
TRIED_RUNG = {
    "after_sales_filed": RUNG_GOODS,
    "seller_rejected": RUNG_GOODS,
    "platform_intervened": RUNG_PLATFORM,
    "platform_unsatisfied": RUNG_PLATFORM,
    "hotline_called": RUNG_HOTLINE,
    "c12315_filed": RUNG_REGULATOR,
}


# ----------------------------------------------------------------------- context


def _context(case: Case, now: dt.datetime) -> Ctx:
    now = to_shanghai(now)
    today = now.date()
    text = case.words

    misconduct: list[str] = []
    if case.problem in MISCONDUCT:
        misconduct.append(case.problem)
    if case.problem == "bribe_for_review" and threat_in(text) and not misconduct_in(text):
        # a review's deletion demanded under a threat, nothing offered: a threat, not 利诱删评
        # (FACTS.md §4a last bullet; 001 场景四)
        misconduct = ["seller_harassment"]
    if case.paid_off_platform is not None and "off_platform" not in misconduct:
        misconduct.append("off_platform")  # paying outside the platform is 导流 (001 第一部分 2)
    detected = misconduct_in(text, skip=misconduct)
    threat = threat_in(text)
    if threat and "seller_harassment" not in misconduct + detected:
        detected.append("seller_harassment")  # a threat is reported to the platform too
    misconduct += detected
    # the seller's words the buyer confirmed from screenshots (`scan`): the same rules
    quoted: list[str] = []
    for q in case.confirmed_quotes:
        quoted += misconduct_in(q.text, skip=misconduct + quoted)
        threat = threat or threat_in(q.text)
    if threat and "seller_harassment" not in misconduct + quoted:
        quoted.append("seller_harassment")
    misconduct += quoted

    window_end = case.seven_day_end
    in_window = window_end is not None and today <= window_end

    if case.problem in MISCONDUCT or case.against_platform:
        path = None  # no goods step: misconduct, or no shop to ask (the platform is the respondent)
    elif case.paid_off_platform is not None and (
        case.problem == "not_received" or case.paid_off_platform.amount >= case.order.amount
    ):
        # paid outside the platform for goods that never came: no order of the platform's to
        # refund (001 第一部分 2, 场景二); the police and a report to the platform instead
        path = None
    elif case.problem == "no_reason_return" and case.no_reason_excluded:
        path = "excluded"  # 七天无理由 does not cover these goods (消保法 第二十五条)
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

    states = tried_states(case)
    top = max((TRIED_RUNG[t] for t in states if t in TRIED_RUNG), default=-1)
    return Ctx(
        case=case,
        now=now,
        today=today,
        platform=case.platform_data,
        path=path,
        window_end=window_end,
        in_window=in_window,
        misconduct=misconduct,
        detected=detected,
        threat=threat,
        top_rung=top,
        states=states,
        quoted=quoted,
    )


# ----------------------------------------------------------------------- route


def route(case: Case, now: dt.datetime) -> Plan:
    """The ordered plan for this case at this moment (Asia/Shanghai)."""
    from ..facts.channels import get_channel, load_channels
    from ..facts.hours import channel_state, fallback_note

    ctx = _context(case, now)
    ladder: list[tuple[int, Step]] = []
    goods = goods_step(ctx)
    if goods is not None:
        ladder.append((RUNG_GOODS, goods))
    # past the no-reason window or excluded goods: only the seller, unless there is misconduct
    # or a promise the seller made before the sale to hold it to (FACTS.md §4a)
    if not (ctx.path in ("expired", "excluded") and not ctx.misconduct and not case.promises):
        ladder.append((RUNG_PLATFORM, platform_step(ctx, goods)))
        if ctx.platform.hotline is not None:
            ladder.append((RUNG_HOTLINE, hotline_step(ctx)))
        ladder += [(RUNG_REGULATOR, s) for s in regulator_steps(ctx)]
        ladder.append((RUNG_REGULATOR + 1, heimao_step(ctx)))  # parallel, never "done"
    if (ctx.threat or case.paid_off_platform) and "police" in load_channels():
        police = police_step(ctx)
        police.done = "police_called" in ctx.states
        ladder.insert(0, (-1, police))
        if case.paid_off_platform:
            # the police first, then report the shop to the platform (FACTS.md §4a; 001 场景二)
            platform = [x for x in ladder if x[0] == RUNG_PLATFORM]
            ladder = [x for x in ladder if x[0] != RUNG_PLATFORM]
            ladder[1:1] = platform

    states = ctx.states
    passed_above = False
    for rung, step in reversed(ladder):  # top first, to know whether a higher rung was passed
        if step.channel == "police" or rung > RUNG_REGULATOR:
            continue
        step.done = step_done(ctx, rung, step, states)
        if step.done:
            step.note = _join(step.note, "你已经做过这一步。")
        elif passed_above:
            step.note = _join(step.note, skipped_note(ctx, rung, step))
        elif rung == RUNG_GOODS and step.channel != "seller" and case.rejected_in_chat:
            step.note = _join(step.note, REJECTED_IN_CHAT_NOTE)
        elif rung == RUNG_GOODS and "seller_no_reply" in states:
            step.note = _join(step.note, NO_REPLY_NOTE)
        elif rung == RUNG_GOODS and "contacted_seller" in states:
            step.note = _join(
                step.note,
                "你已经联系过商家；接下来在平台上正式提交申请，让平台的处理时限开始计算。",
            )
        passed_above = passed_above or step.done

    steps = [s for _, s in ladder if not s.done] + [s for _, s in ladder if s.done]
    for step in steps:
        channel = get_channel(step.channel)
        step.state = channel_state(channel, ctx.now)
        ctx.fallback_years.update(step.state.fallback_years)
        if not step.reach:
            step.reach = channel.reach_for(case.app)
        step.sources = dedupe(step.sources)

    calendar_notes = []
    if ctx.fallback_years:
        calendar_notes.append(fallback_note(ctx.fallback_years))
    warnings = warnings_for(ctx, steps)  # the calendar note is in calendar_notes only
    warnings += screenshot_differences(case)
    return Plan(
        now=ctx.now,
        steps=steps,
        warnings=warnings,
        calendar_notes=calendar_notes,
        misconduct=list(ctx.misconduct),
        misconduct_detected=bool(ctx.detected),
        threat=ctx.threat,
        path=ctx.path,
    )


ORDER_FIELDS = (
    ("id", "订单号"),
    ("amount", "实付金额"),
    ("shop", "店铺名"),
    ("ordered_on", "下单日期"),
    ("signed_on", "签收日期"),
)


def screenshot_differences(case: Case) -> list[Warning]:
    """Where the order-detail screenshot (read by `scan`, passed in on the Case) differs from
    what the buyer typed: "截图里的订单号是 …，你填的是 …"."""
    seen = case.screenshot_order
    if seen is None:
        return []
    from ..facts.hours import cn_date

    typed = {
        "id": case.order.id,
        "amount": f"{case.order.amount:.2f}",
        "shop": case.order.shop,
        "ordered_on": case.order.ordered_on,
        "signed_on": case.signed_on,
    }
    out = []
    for key, label in ORDER_FIELDS:
        shown, given = getattr(seen, key), typed[key]
        if not shown or not given:
            continue
        same = (
            shown.replace(" ", "") == given.replace(" ", "")
            if isinstance(shown, str)
            else shown == given
        )
        if not same:
            if key in ("ordered_on", "signed_on"):
                shown, given = cn_date(shown), cn_date(given)
            unit = " 元" if key == "amount" else ""
            out.append(
                Warning(
                    f"截图 {seen.file} 里的{label}是 {shown}{unit}，你填的是 {given}{unit}。"
                    "请核对：投诉里的信息要和订单截图一致"
                    "（改答案：buyer-helper start 案子文件夹）。",
                    "截图识别（buyer-helper scan）",
                )
            )
    return out


def tried_states(case: Case) -> set[str]:
    """What the buyer has done: `tried` plus the states logged on timeline events."""
    return set(case.tried) | {e.tried for e in case.timeline if e.tried}


# What each rung needs to count as done. Only what a state truly implies: asking the platform
# to step in is done from the refund (after-sales) page, so a refund request exists
# (004 §⑴.4; 000 一, 第三步; 淘宝 002 ⑻); a call to the hotline or a 12315 complaint says nothing
# about the lower rungs (消费者权益保护法 第三十九条 names them as separate ways).
DONE_BY = {
    # 商家拒绝 alone is a refusal in chat: no request exists yet (DESIGN.md, issue 9)
    RUNG_GOODS: {
        "after_sales_filed",
        "platform_intervened",
        "platform_unsatisfied",
        *RETURN_STATES,
    },
    RUNG_PLATFORM: {"platform_intervened", "platform_unsatisfied"},
    RUNG_HOTLINE: {"hotline_called"},
    RUNG_REGULATOR: {"c12315_filed"},
}
REJECTED_IN_CHAT_NOTE = (
    "商家只是在聊天里拒绝，还不是驳回了申请：先在平台上正式提交这笔申请，"
    "商家在申请里驳回或不处理，再申请平台介入（004 §⑴.4）。"
)
SELLER_DONE_BY = {"contacted_seller", "seller_no_reply", "seller_rejected"}


def step_done(ctx: Ctx, rung: int, step: Step, states: set[str]) -> bool:
    if rung == RUNG_GOODS and step.channel == "seller":
        return bool(states & SELLER_DONE_BY)
    return bool(states & DONE_BY.get(rung, set()))


def skipped_note(ctx: Ctx, rung: int, step: Step) -> str:
    """Said on an open step below one the buyer has already done."""
    note = (
        "你还没做这一步：后面的步骤做过了，这一步仍然建议做。"
        "一般的顺序是先和商家协商，商家驳回再请平台客服介入，对平台处理不满意再向12315或"
        "黑猫投诉（004 §⑴.4–5；003）；法律没有规定这个顺序，消保法第三十九条只列出可选的途径。"
    )
    p = ctx.platform
    rules = [
        *(
            [f"商家逾期不处理，系统默认同意并自动退款（{p.overdue_auto_refund.cite}）"]
            if p.overdue_auto_refund
            else []
        ),
        *([f"只能申请一次（{p.once_only.cite}）"] if p.once_only else []),
    ]
    if rung == RUNG_GOODS and rules and step.channel in ("after_sales", "return_7day"):
        note += f"在平台上提交的{p.request.text}才是实际退款的途径：{'；'.join(rules)}。"
    elif rung == RUNG_GOODS and step.channel != "seller":
        note += "在平台上提交的退款申请才是实际退款的途径，平台介入也要从这笔申请的页面发起。"
    return note


NO_REPLY_NOTE = (
    "商家不回复：不用再等，直接在平台上正式提交申请；商家逾期不处理，系统默认同意（004 §⑴.4）。"
)


def _join(a: str, b: str) -> str:
    return f"{a} {b}".strip() if a else b
