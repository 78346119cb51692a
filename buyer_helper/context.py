"""The context every step builder reads: the case seen at one moment (`Ctx`), and the rungs of
the ladder. Built by `routing._context`; read by steps, regulator and advice, which import it
from here rather than from routing (no import circle)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .case import QUALITY_PROBLEMS, Case

# The rungs of the ladder, lowest first (routing.py: the ladder; Ctx.top_rung: the highest passed).
RUNG_GOODS, RUNG_PLATFORM, RUNG_HOTLINE, RUNG_REGULATOR = 0, 1, 2, 3


@dataclass
class Ctx:
    case: Case
    now: dt.datetime
    today: dt.date
    pdd: bool
    # refuse_delivery | not_received | return_7day | after_sales | expired | excluded
    path: str | None
    window_end: dt.date | None
    in_window: bool
    misconduct: list[str]  # kinds, problem first
    detected: list[str]  # kinds read from the story/timeline only
    threat: bool
    top_rung: int  # highest rung the buyer has passed, -1 for none
    states: set[str]  # what the buyer has done: `tried` and the timeline's states
    fallback_years: set[int] = field(default_factory=set)
    quoted: list[str] = field(default_factory=list)  # kinds from confirmed screenshot quotes only

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

    @property
    def refund_reason(self) -> str | None:
        """The reason the buyer picks on a signed parcel with a problem in the goods
        (return_7day / after_sales): 质量问题 (004 §⑴.2), or 与描述不符, which sellers also try
        to have changed (004 §⑻.4). None for 未收到货, 七天无理由 and misconduct-only cases."""
        if self.path not in ("return_7day", "after_sales"):
            return None
        if self.case.problem not in QUALITY_PROBLEMS:
            return None
        return "与描述不符" if self.case.problem == "not_as_described" else "质量问题"

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
