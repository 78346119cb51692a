"""The context every step builder reads: the case seen at one moment (`Ctx`), and the rungs of
the ladder. Built by `routing._context`; read by steps, regulator and advice, which import it
from here rather than from routing (no import circle)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..casefile.case import QUALITY_PROBLEMS, Case
from ..facts.platforms import Platform

# The rungs of the ladder, lowest first (routing.py: the ladder; Ctx.top_rung: the highest passed).
RUNG_GOODS, RUNG_PLATFORM, RUNG_HOTLINE, RUNG_REGULATOR = 0, 1, 2, 3


@dataclass
class Ctx:
    case: Case
    now: dt.datetime
    today: dt.date
    platform: Platform  # the case's platform (platforms.yaml): its words, rules and channels
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
        """ "打开拼多多App → 个人中心 → 我的订单 → 找到这笔订单" (platforms.yaml order_path)."""
        return self.platform.order_path.text

    @property
    def chat(self) -> str:
        return self.platform.chat.text

    @property
    def apply(self) -> str:
        return self.platform.apply.text

    @property
    def after_sales_apply(self) -> str:
        """The button that files after-sales on a completed order (else `apply`)."""
        return (self.platform.after_sales_apply or self.platform.apply).text

    @property
    def no_reason_apply(self) -> str:
        """The button that files a 七天无理由 return on a completed order (else `apply`)."""
        return (self.platform.no_reason_apply or self.platform.apply).text

    @property
    def request_page(self) -> str:
        """Where the filed request and the seller's answer show ("退款详情页")."""
        page = self.platform.request_page
        return page.text if page else f"{self.platform.request.text}页面"

    @property
    def platform_cs(self) -> str:
        """The platform's own customer service channel (platforms.yaml cs.channel)."""
        return self.platform.cs.channel

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
        """`line` where after-sales can be applied for once (platforms.yaml once_only: 拼多多,
        004 §⑴.3); nothing elsewhere."""
        return [line] if self.platform.once_only else []

    def passed(self, rung: int) -> bool:
        return self.top_rung >= rung

    @property
    def past_platform(self) -> bool:
        """The buyer has already been to the platform (or further up the ladder)."""
        return self.passed(RUNG_PLATFORM)
