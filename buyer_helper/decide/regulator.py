"""Dates in a plan: the 7-day window, the seller's expected time, the 12315 time limits, and
the 12315 number to dial (FACTS.md §1, §5, §6, §7). Rules and limits are read from channels.yaml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..casefile.case import Case
from ..facts.hours import cn_date
from ..facts.tz import SHANGHAI
from .plan import Deadline

if TYPE_CHECKING:
    from .context import Ctx


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SHANGHAI)


@dataclass(frozen=True)
class WorkingDays:
    """A count of Chinese working days: the date (the latest possible one when unpublished 调休
    days were crossed), the earliest possible date, and which calendar counted it."""

    due: dt.date
    earliest: dt.date
    calendar: str  # official | estimated

    @property
    def estimated(self) -> bool:
        return self.earliest != self.due


def working_days(ctx: Ctx, start: dt.date, n: int) -> WorkingDays:
    from ..facts.workdays import working_day_range

    _guess, earliest, latest, years = working_day_range(start, n)
    ctx.fallback_years.update(years)  # only the years the estimate was used for
    return WorkingDays(latest, earliest, "estimated" if years else "official")


def working_deadline(
    label: str, kind: str, wd: WorkingDays, basis: str, source: str, approximate: bool = False
) -> Deadline:
    """A deadline counted in working days; when it crossed unpublished 调休 days it says it is
    estimated and gives the earliest and latest date."""
    from ..facts.workdays import ESTIMATE_NOTE

    if wd.estimated:
        basis += "；跨过调休尚未公布的日子，日期是估算，以国务院公布为准"
    elif wd.calendar == "estimated":
        basis += f"；法定节假日按法律推算，{ESTIMATE_NOTE}"
    return Deadline(
        label=label,
        kind=kind,
        due=end_of_day(wd.due),
        basis=basis,
        source=source,
        approximate=approximate or wd.calendar == "estimated",
        calendar=wd.calendar,
        estimated=wd.estimated,
        earliest=wd.earliest if wd.estimated else None,
        latest=wd.due if wd.estimated else None,
    )


def window_deadline(ctx: Ctx, no_reason: bool) -> Deadline:
    assert ctx.case.signed_on is not None and ctx.window_end is not None
    law = "消费者权益保护法 第二十五条" if no_reason else "消费者权益保护法 第二十四条"
    return Deadline(
        label="7天退货期限的最后一天",
        kind="seven_day_end",
        due=end_of_day(ctx.window_end),
        basis=(
            f"{cn_date(ctx.case.signed_on)} 签收，从签收次日起算7天"
            "（网络购买商品七日无理由退货暂行办法）"
        ),
        source=f"{law}；网络购买商品七日无理由退货暂行办法",
    )


def event_at(ctx: Ctx, state: str) -> dt.datetime | None:
    """When the timeline says this `tried` state happened (the latest such event)."""
    times = [e.at for e in ctx.case.timeline if e.tried == state]  # Beijing time (case.py)
    return max(times) if times else None


def seller_clock(ctx: Ctx) -> Deadline | None:
    """Where the platform gives the seller a time to handle after-sales orders (platforms.yaml
    seller_wait_hours: 拼多多, about 48 hours, 004 §⑻.2)."""
    wait = ctx.platform.seller_wait_hours
    if wait is None:
        return None
    filed = event_at(ctx, "after_sales_filed")
    if filed is None:
        return None
    from ..facts.hours import cn_datetime

    return Deadline(
        label=f"商家一般应处理售后申请的时间（约{wait.value}小时）",
        kind="seller_handling",
        due=filed + dt.timedelta(hours=wait.value),
        basis=(
            f"从 {cn_datetime(filed, weekday=False)} 提交售后起约{wait.value}小时，"
            "这是对商家处理时间的一般要求，不是自动退款的时间"
        ),
        source="、".join(wait.sources),
        approximate=True,
    )


def regulator_deadlines(ctx: Ctx) -> list[Deadline]:
    from ..facts.channels import load_data

    reg = load_data().regulator
    filed_at = event_at(ctx, "c12315_filed")
    filed = filed_at.date() if filed_at else ctx.today
    accept_n, accept_src, accept_label = reg.accept.value, reg.accept.source, reg.accept.label
    mediate_n, mediate_src = reg.mediation.value, reg.mediation.source
    mediate_label = reg.mediation.label
    accept = working_days(ctx, filed, accept_n)
    since = "投诉当天" if filed_at else "今天（时间线里没有投诉日期）"
    out = [
        working_deadline(
            "12315 决定是否受理",
            "c12315_accept",
            accept,
            f"从{since} {cn_date(filed)} 起 {accept_n} 个工作日（跳过法定节假日，"
            f"调休上班日照算）；{accept_label}",
            accept_src,
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
        start, how, approx = accept.due, "受理期限的最后一天（实际受理日以通知为准）", True
    mediate = working_days(ctx, start, mediate_n)
    if not accepted and accept.estimated:  # the earliest acceptance gives the earliest end
        early = working_days(ctx, accept.earliest, mediate_n)
        mediate = WorkingDays(mediate.due, early.earliest, mediate.calendar)
    out.append(
        working_deadline(
            "12315 调解期限（调不成即终止调解）",
            "c12315_mediation",
            mediate,
            f"从{how} {cn_date(start)} 起 {mediate_n} 个工作日；{mediate_label}",
            mediate_src,
            approximate=approx,
        )
    )
    return out


def complaint_limit(ctx: Ctx) -> Deadline:
    """§15 of the 2019 measures: refused when more than 3 years since the buyer knew of the
    harm (counted from signing, else ordering). Years, label and source from channels.yaml."""
    from ..facts.channels import load_data

    c = ctx.case
    years = load_data().regulator.limit_years
    known = c.signed_on or c.order.ordered_on
    try:
        limit_day = known.replace(year=known.year + years.value)
    except ValueError:  # 29 Feb
        limit_day = known.replace(year=known.year + years.value, day=28)
    return Deadline(
        label=f"向12315投诉的时限（知道权益受损起{years.value}年）",
        kind="c12315_time_limit",
        due=end_of_day(limit_day),
        basis=f"从 {cn_date(known)} 起算约{years.value}年，超过的不予受理；{years.label}",
        source=years.source,
        approximate=True,
    )


UNKNOWN_REACH = "商家所在地区号-12315"


@dataclass
class RegulatorNumber:
    reach: str  # "0579-12315", or UNKNOWN_REACH when the code is not known
    code: str | None  # None: no area code known (city not found, or none given after 2026-04-15)
    lines: list[str]  # why this number, which rule
    sources: list[str]


def regulator_number(case: Case, today: dt.date) -> RegulatorNumber:
    """The 12315 number to dial for this case and the rule behind it (FACTS.md §6, §7).

    From the 2026 measures on, the bureau at the shop's publicly shown address handles it and
    the platform's domicile only when no address is shown or the shop cannot be reached; so
    the platform's number is named as the number to dial only before 2026-04-15 (when either
    place could be chosen); after that it is the fallback for a shop that shows no address."""
    from ..facts.areacode import area_code_for
    from ..facts.channels import get_company, load_data

    reg = load_data().regulator
    new_rules = reg.new_rules(today)
    company = get_company(case.platform)
    platform_code = company.area_code
    match = area_code_for(case.seller_city) if case.seller_city else None
    lines: list[str] = []
    sources = [
        reg.new_rules_title if new_rules else f"{reg.old_rules_name} 第十二条",
        "003",
    ]
    if new_rules:
        rule = reg.new_rules_note  # "2026年4月15日起施行的新办法：…（…以现行规定为准）。"
    else:
        rule = (
            f"按2019年《{reg.old_rules_name}》第十二条：平台内商家由其实际经营地"
            "或平台住所地的市场监管部门处理，两者都可以。"
        )
    if platform_code:
        platform_number = (
            f"{platform_code}-12315（平台住所地：{company.name}，{company.city}，"
            f"区号 {platform_code}）"
        )
    else:  # 天猫: the operator and its domicile are not verified (FACTS.md §7)
        platform_number = f"平台住所地的“区号-12315”（{company.name}，住所地以平台公示为准）"
    code: str | None
    if case.against_platform:
        # the respondent is the platform operator itself (FACTS.md §7): its domicile
        code = platform_code or None
        reach = f"{code}-12315" if code else "平台经营者住所地区号-12315"
        if code:
            lines.append(f"投诉的是平台本身，被投诉方是平台经营者：打 {platform_number}。")
        else:
            lines.append(
                f"投诉的是平台本身，被投诉方是{company.name}；它的住所地未核实，"
                "请按平台公示的经营者信息查区号，拨“该区号-12315”，或直接在全国12315平台网上投诉。"
            )
        lines.append("全国12315平台网上投诉任何时间都可以提交。")
        return RegulatorNumber(reach=reach, code=code, lines=lines, sources=["003"])
    if match:
        code, place = match
        reach = f"{code}-12315"
        lines.append(
            f"商家公示所在地“{case.seller_city}”→ 号码区号数据对应“{place}”，区号 {code}。"
        )
        lines.append(rule)
        if new_rules:
            lines.append(f"只有商家没有公示地址或联系不上时，才改打 {platform_number}。")
        else:
            lines.append(f"也可以打 {platform_number}。")
        sources.append("号码区号数据")
    elif new_rules and not case.seller_city:
        code = None
        reach = UNKNOWN_REACH
        lines.append(
            "先看店铺页公示的经营地址，拨那个城市的“区号-12315”（你还没有填写商家所在城市）；"
            "不查区号也可以直接在全国12315平台网上投诉。"
        )
        lines.append(rule)
        lines.append(f"店铺页没有公示地址或联系不上商家时，才打 {platform_number}。")
    elif case.seller_city and new_rules:
        code = None
        reach = UNKNOWN_REACH
        lines.append(
            f"没能从号码区号数据里找到“{case.seller_city}”的区号（数据只到地级市，"
            f"不含县级市和区县）。请查到{case.seller_city}的区号（例如看店铺页或当地公布的"
            "12315号码），拨“该区号-12315”；不查区号也可以直接在全国12315平台网上投诉。"
        )
        lines.append(rule)
        lines.append(f"只有商家没有公示地址或联系不上时，才打 {platform_number}。")
    else:
        code = platform_code or None
        reach = f"{code}-12315" if code else UNKNOWN_REACH
        if case.seller_city:
            lines.append(
                f"没能从号码区号数据里找到“{case.seller_city}”的区号（数据只到地级市，"
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
