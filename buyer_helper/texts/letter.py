"""One complaint text (`Letter`): made by `compose`, written to out/ by `outfolder`. Its own
module so that both import it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Letter:
    channel: str  # the channel the text goes to (a channel id from channels.yaml)
    title: str  # Chinese title for the buyer ("请平台官方客服介入的消息")
    text: str  # the text itself: paste it or say it; nothing else inside
    warnings: list[str] = field(default_factory=list)  # shown to the buyer, not part of the text
    filename: str = ""  # suggested file name ("平台官方客服.txt"; numbered by letters_for_plan)
    text_id: str = ""  # the key in TEXTS ("misconduct" for the misconduct report)
    # the form limits this text is held to: (limit name in channels.yaml, field template or
    # None for the whole text), from letters.TEXTS
    limits: tuple[tuple[str, str | None], ...] = ()


# the fields of a text with several parts, as the buyer sees them named
FIELD_LABELS = {"description": "说明", "message": "消息", "title": "标题"}
