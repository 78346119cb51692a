"""The Plan that `route(case, now)` returns: ordered steps plus warnings.

Renderers (terminal, JSON, letters, PDF) read these; they never decide anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..facts.hours import ChannelState

DISCLAIMER = "本工具提供的是信息整理和文书起草帮助，不是法律意见，也不保证任何处理结果。"


@dataclass
class Deadline:
    """A date the buyer must act by (or a date something is due), with its basis."""

    label: str  # e.g. "7天质量退货截止"
    due: dt.datetime  # Asia/Shanghai
    basis: str  # e.g. "签收次日起算7天（网络购买商品七日无理由退货暂行办法）"
    source: str  # seed section or law article
    approximate: bool = False  # computed with a fallback calendar, or "about" (seller ~48h)
    # what this deadline is, stable across reruns and wordings (reminder UIDs are made from it):
    # seven_day_end | seller_handling | c12315_accept | c12315_mediation | c12315_time_limit
    kind: str = ""
    # working-day deadlines: which calendar counted them ("official" | "estimated", None for
    # other deadlines); `estimated` when the count crossed days whose 调休 is not published,
    # with the earliest and latest possible date (`due` is then the latest)
    calendar: str | None = None
    estimated: bool = False
    earliest: dt.date | None = None
    latest: dt.date | None = None


@dataclass
class Step:
    channel: str  # a channel id from channels.yaml
    title: str  # short Chinese title ("申请7天质量问题退货退款")
    actions: list[str]  # what to do, concrete Chinese, in order
    have_ready: list[str]  # which evidence / facts to have at hand
    if_fails: str  # what to do if this step does not work
    sources: list[str]  # seed sections / law articles behind this step
    deadlines: list[Deadline] = field(default_factory=list)
    state: ChannelState | None = None
    reach: str = ""  # the number to dial or where to go (e.g. "021-12315")
    done: bool = False  # the case's `tried` says this was already done
    note: str = ""  # extra context (why this step, conflicts)
    # why this number (the 12315 steps: the seller's city, the rule, the fallback), for texts
    reach_lines: list[str] = field(default_factory=list)
    # for the buyer at the terminal only (buyer-helper commands, why a step was added): the text
    # plan prints them, JSON carries them as "hints"; letters and the PDF never show them
    hints: list[str] = field(default_factory=list)


@dataclass
class Warning:
    text: str
    source: str


@dataclass
class Plan:
    now: dt.datetime
    steps: list[Step]
    warnings: list[Warning]
    calendar_notes: list[str] = field(default_factory=list)  # e.g. fallback calendar used
    disclaimer: str = DISCLAIMER
    # Seller misconduct in this case: kinds (case.MISCONDUCT ids, the problem first, then those
    # named in the buyer's story/timeline); whether any kind was read from those words only;
    # whether the buyer's words name a threat to the person or home (storywords.THREAT_WORDS).
    misconduct: list[str] = field(default_factory=list)
    misconduct_detected: bool = False
    threat: bool = False
    # the case's goods path (routing: refuse_delivery | not_received | return_7day | after_sales |
    # expired | excluded), None when there is no goods step
    path: str | None = None

    @property
    def next_step(self) -> Step | None:
        return next((s for s in self.steps if not s.done), None)
