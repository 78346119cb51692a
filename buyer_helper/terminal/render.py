"""Rendering a Plan: readable Chinese for the terminal, and JSON for programs.

Renderers decide nothing: everything they print comes from `route()`'s Plan.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..casefile.case import TRIED, Case, load_case
from ..decide.plan import Deadline, Plan, Step
from ..facts.hours import cn_date


def plan_command(answers: Path, now: str | None, as_json: bool, colour: bool = False) -> str:
    """`buyer-helper plan --answers FILE [--now] [--json]` (colour: style the first lines)."""
    from ..decide.routing import route
    from ..facts.hours import parse_now

    moment = parse_now(now)
    case = load_case(Path(answers), today=moment.date())
    plan = route(case, moment)
    if as_json:
        return json.dumps(plan_to_dict(plan, case), ensure_ascii=False, indent=2)
    return render_plan_text(plan, case, colour=colour)


def colour_wanted(stream: Any) -> bool:
    """Colour only for a terminal that shows it: not when piped, not with NO_COLOR set
    (https://no-color.org: any non-empty value), not on TERM=dumb."""
    import os

    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


# --------------------------------------------------------------------------- JSON


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def deadline_to_dict(d: Deadline) -> dict[str, Any]:
    return {
        "label": d.label,
        "due": _iso(d.due),
        "basis": d.basis,
        "source": d.source,
        "approximate": d.approximate,
        "kind": d.kind,
        # working-day deadlines: "official" | "estimated" (null for others); with unpublished
        # 调休 days crossed, the earliest and latest possible day (`due` is the latest)
        "calendar": d.calendar,
        "estimated": d.estimated,
        "earliest": d.earliest.isoformat() if d.earliest else None,
        "latest": d.latest.isoformat() if d.latest else None,
    }


def step_to_dict(step: Step) -> dict[str, Any]:
    from ..facts.channels import get_channel

    state = step.state
    return {
        "channel": step.channel,
        "channel_name": get_channel(step.channel).name,
        "title": step.title,
        "done": step.done,
        "reach": step.reach,
        "status": state.status if state else None,
        "open_now": state.open_now if state else None,
        "next_open": _iso(state.next_open) if state else None,
        "today_hours": state.today_hours if state else None,
        "hours_notes": list(state.notes) if state else [],
        # which calendar the hours used: "official" | "estimated" | null (ignores holidays)
        "calendar": state.calendar if state else None,
        "actions": list(step.actions),
        "have_ready": list(step.have_ready),
        "deadlines": [deadline_to_dict(d) for d in step.deadlines],
        "if_fails": step.if_fails,
        "sources": list(step.sources),
        "note": step.note,
        "hints": list(step.hints),
    }


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "platform": case.platform,
        "platform_name": case.platform_name,
        "problem": case.problem,
        "problem_name": case.problem_name,
        "delivery": case.delivery,
        "delivery_name": case.delivery_name,
        "signed_on": case.signed_on.isoformat() if case.signed_on else None,
        "tried": list(case.tried),
        "demand": case.demand,
        "demand_name": case.demand_name,
        "seller_city": case.seller_city,
        "seller_name": case.seller_name,
        "seller_address": case.seller_address,
        "order": {
            "id": case.order.id,
            "shop": case.order.shop,
            "item": case.order.item,
            "amount": str(case.order.amount),
            "ordered_on": case.order.ordered_on.isoformat(),
        },
        # the keys added for real cases (DESIGN.md)
        "respondent": case.respondent,
        "goods_kind": case.goods_kind,
        "return": {
            "tracking": case.returned.tracking,
            "shipped_on": case.returned.shipped_on.isoformat()
            if case.returned.shipped_on
            else None,
        }
        if case.returned
        else None,
        "paid_off_platform": {
            "amount": str(case.paid_off_platform.amount),
            "how": case.paid_off_platform.how,
            "on": case.paid_off_platform.on.isoformat() if case.paid_off_platform.on else None,
        }
        if case.paid_off_platform
        else None,
        "promises": [{"text": p.text, "where": p.where} for p in case.promises],
    }


def plan_to_dict(plan: Plan, case: Case | None = None) -> dict[str, Any]:
    """The JSON form of a plan (`plan --json`); `case` adds the case summary."""
    nxt = plan.next_step
    return {
        "now": _iso(plan.now),
        "case": case_summary(case) if case is not None else None,
        "next_step": nxt.channel if nxt else None,
        "steps": [step_to_dict(s) for s in plan.steps],
        "warnings": [w.text for w in plan.warnings],
        "warning_sources": [w.source for w in plan.warnings],
        "calendar_notes": list(plan.calendar_notes),
        "disclaimer": plan.disclaimer,
    }


# --------------------------------------------------------------------------- text


def _state_lines(step: Step, plan: Plan) -> list[str]:
    from ..facts.hours import state_words

    state = step.state
    if state is None:
        return []
    always = state.next_open is None and state.status == "open"
    now_text, next_text = state_words(state, plan.now)
    lines = [f"现在：{now_text}；下次开放：{next_text}"]
    if state.today_hours and not always:
        lines.append(f"今天的时间：{state.today_hours}")
    lines += [f"时间说明：{n}" for n in state.notes]
    return lines


def deadline_line(d: Deadline, plan: Plan) -> str:
    """'label：约 date（已过）——basis〔source〕' (terminal plan and PDF)."""
    from ..facts.hours import CALENDAR_ZH, cn_date, cn_datetime

    passed = "（已过）" if d.due < plan.now else ""
    about = "约 " if d.approximate else ""
    when = f"{about}{cn_datetime(d.due)}"
    if d.estimated and d.earliest is not None:
        when = f"估算：最早 {cn_date(d.earliest)}，最晚 {cn_datetime(d.due)}"
    calendar = f"；日历：{CALENDAR_ZH[d.calendar]}" if d.calendar else ""
    return f"{d.label}：{when}{passed}——{d.basis}〔{d.source}{calendar}〕"


def _channel_name(channel_id: str) -> str:
    from ..facts.channels import get_channel

    return get_channel(channel_id).name


def _step_block(number: int, step: Step, plan: Plan) -> list[str]:
    ind = "    "
    lines = [f"第{number}步  {step.title}"]
    lines.append(f"{ind}渠道：{_channel_name(step.channel)}｜联系方式：{step.reach}")
    lines += [ind + line for line in _state_lines(step, plan)]
    if step.deadlines:
        lines.append(f"{ind}截止：")
        lines += [f"{ind}  · {deadline_line(d, plan)}" for d in step.deadlines]
    else:
        lines.append(f"{ind}截止：无固定期限")
    if step.note:
        lines.append(f"{ind}说明：{step.note}")
    lines.append(f"{ind}要做的：")
    lines += [f"{ind}  {i}. {a}" for i, a in enumerate(step.actions, 1)]
    lines.append(f"{ind}准备好：")
    lines += [f"{ind}  - {h}" for h in step.have_ready]
    lines.append(f"{ind}不行的话：{step.if_fails}")
    lines.append(f"{ind}依据：{'、'.join(step.sources)}")
    lines += [f"{ind}提示：{h}" for h in step.hints]
    return lines


def _seller_lines(case: Case) -> list[str]:
    """The merchant as shown on its shop page (for 12315), when the buyer gave it."""
    parts = [
        f"经营者名称：{case.seller_name}" if case.seller_name else "",
        f"经营地址：{case.seller_address}" if case.seller_address else "",
        f"所在城市：{case.seller_city}" if case.seller_city else "",
    ]
    parts = [p for p in parts if p]
    return ["商家（店铺页公示）：" + "；".join(parts)] if parts else []


def nearest_deadline(plan: Plan) -> Deadline | None:
    """The first deadline still ahead at `now` of the steps still to do; when they have none,
    of the steps already done (e.g. the seller's ~48 h after an after-sales request)."""
    for done in (False, True):
        ahead = [d for s in plan.steps if s.done == done for d in s.deadlines if d.due >= plan.now]
        if ahead:
            return min(ahead, key=lambda d: d.due)
    return None


def days_left_words(due: dt.datetime, now: dt.datetime) -> str:
    """'今天到期' / '明天到期' / '还有 5 天' (calendar days in Beijing time)."""
    from ..facts.tz import to_shanghai

    days = (to_shanghai(due).date() - to_shanghai(now).date()).days
    if days <= 0:
        return "今天到期"
    if days == 1:
        return "明天到期"
    return f"还有 {days} 天"


def now_summary(plan: Plan) -> list[tuple[str, str]]:
    """What to do now, in three (label, text) pairs: 现在先做 / 截止 / 现在开放.
    The terminal plan starts with them and the offline page shows them at the top."""
    from ..facts.hours import cn_date, cn_datetime, state_words

    step = plan.next_step
    if step is None:
        first = "计划里的步骤你都已经做过了；有新进展请记到案子的时间线上。"
    else:
        first = f"{step.title}｜{step.reach or _channel_name(step.channel)}"
    d = nearest_deadline(plan)
    if d is None:
        due = "计划里没有还没到的期限"
    else:
        about = "约 " if d.approximate else ""
        when = f"{about}{cn_datetime(d.due)}"
        if d.estimated and d.earliest is not None:  # unpublished 调休 days crossed
            when = f"估算：最早 {cn_date(d.earliest)}，最晚 {cn_datetime(d.due)}"
        due = f"{d.label}：{when}（{days_left_words(d.due, plan.now)}）"
    if step is None or step.state is None:
        state = "—"
    else:
        now_text, next_text = state_words(step.state, plan.now)
        state = f"{_channel_name(step.channel)}：{now_text}"
        if step.state.status != "open":
            state += f"；下次开放：{next_text}"
    return [("现在先做", first), ("截止", due), ("现在开放", state)]


STYLES = {"现在先做": {"fg": "green", "bold": True}, "截止": {"fg": "yellow", "bold": True}}


def now_lines(plan: Plan, colour: bool = False) -> list[str]:
    """The three summary lines for the terminal; `colour` styles the labels (ANSI)."""
    import click

    out = []
    for label, text in now_summary(plan):
        head = f"{label}："
        if colour:
            style = STYLES.get(label) or {"fg": "cyan", "bold": True}
            state = plan.next_step.state if plan.next_step else None
            if label == "现在开放" and state is not None and state.status != "open":
                style = {"fg": "red", "bold": True}
            head = click.style(head, **style)
        out.append(head + text)
    return out


def render_plan_text(plan: Plan, case: Case, colour: bool = False) -> str:
    """The plan as readable Chinese for a terminal or a .txt file: first the three lines
    saying what to do now, then the details. `colour` adds ANSI styles (terminals only)."""
    from ..facts.hours import now_words

    order = case.order
    head = [
        f"维权计划：{case.platform_name}｜{order.shop or '投诉平台本身'}｜{order.item}"
        f"（订单号 {order.id}，"
        f"实付 {order.amount} 元）",
        f"情况：{case.problem_name}；{case.delivery_name}"
        + (f"（{cn_date(case.signed_on)}）" if case.signed_on else "")
        + f"；诉求：{case.demand_name}",
        *_seller_lines(case),
        "已做过：" + ("、".join(TRIED[t] for t in case.tried) if case.tried else "还没有"),
        f"现在：{now_words(plan.now)}",
    ]
    out = [*now_lines(plan, colour), "", "\n".join(head), ""]
    todo = [s for s in plan.steps if not s.done]
    done = [s for s in plan.steps if s.done]
    if todo:
        out.append("接下来按顺序做（前一步不行再做下一步；网上渠道可以同时进行）：")
        out.append("")
        for i, step in enumerate(todo, 1):
            out += _step_block(i, step, plan)
            out.append("")
    else:
        out += ["计划里的步骤你都已经做过了。", ""]
    if done:
        out.append("已经做过的步骤（留作参考）：")
        for step in done:
            name = _channel_name(step.channel)
            out.append(f"  ✓ {step.title}" + ("" if name in step.title else f"｜{name}"))
            for d in step.deadlines:
                out.append(f"      {deadline_line(d, plan)}")
            if step.note:
                out.append(f"      {step.note}")
        out.append("")
    if plan.warnings:
        out.append("注意：")
        for w in plan.warnings:
            out.append(f"  ！{w.text}〔依据：{w.source}〕")
        out.append("")
    if plan.calendar_notes:
        out.append("日历说明：")
        out += [f"  {n}" for n in plan.calendar_notes]
        out.append("")
    out.append(plan.disclaimer)
    return "\n".join(out)
