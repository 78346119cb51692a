"""The seller's own words read from screenshots (`scan`), as the buyer confirmed or rejected them.

Kept in case.yaml under `quotes:` (text, kind, file, time, confirmed). Only confirmed quotes
count: they reach the texts (quoted exactly, with file and time) and add their misconduct
kind to the plan; an unconfirmed one changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BuyerHelperError

# kinds of DESIGN.md's misconduct (辱骂, 骚扰, 威胁, 导流, 利诱删评) by the project's ids
QUOTE_KINDS = {
    "seller_abuse": "辱骂",
    "seller_harassment": "骚扰",
    "threat": "威胁",
    "off_platform": "导流",
    "bribe_for_review": "利诱删评",
}
OTHER_PARTY = "商家"
KEY = "quotes"


@dataclass
class Quote:
    text: str
    kind: str  # a QUOTE_KINDS key
    file: str  # name in the evidence folder
    time: str = ""  # "11月20日 10:02" as the screenshot shows it above the line, or ""
    confirmed: bool = False
    decided: bool = False  # the buyer confirmed or rejected it

    @property
    def key(self) -> tuple[str, str]:
        return (self.file, self.text)

    def cited(self) -> str:
        """截图 03-聊天.png（11月20日 10:02）商家：“你是不是有病，买不起别买”"""
        when = f"（{self.time}）" if self.time else ""
        return f"截图 {self.file}{when}{OTHER_PARTY}：“{self.text}”"

    def to_yaml(self) -> dict:
        out = {"text": self.text, "kind": self.kind, "file": self.file}
        if self.time:
            out["time"] = self.time
        out["confirmed"] = self.confirmed
        return out


def parse_quotes(raw: Any) -> list[Quote]:
    """case.yaml's `quotes:` as Quotes (decided by definition); a BuyerHelperError naming the
    entry when it is malformed."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise BuyerHelperError("答案文件有误：截图原话 quotes：应为列表")
    out = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not item.get("text") or not item.get("file"):
            raise BuyerHelperError(
                f"答案文件有误：截图原话 quotes：第 {i} 条应包含 text（原话）和 file（截图文件名）"
            )
        kind = item.get("kind")
        if kind not in QUOTE_KINDS:
            raise BuyerHelperError(
                f"答案文件有误：截图原话 quotes：第 {i} 条的 kind“{kind}”不是可选值。可选值："
                + "、".join(f"{k}（{v}）" for k, v in QUOTE_KINDS.items())
            )
        confirmed = item.get("confirmed", False)
        if not isinstance(confirmed, bool):
            raise BuyerHelperError(
                f"答案文件有误：截图原话 quotes：第 {i} 条的 confirmed 应为 true 或 false"
            )
        out.append(
            Quote(
                text=str(item["text"]),
                kind=kind,
                file=str(item["file"]),
                time=str(item.get("time") or ""),
                confirmed=confirmed,
                decided=True,
            )
        )
    return out


def load_decisions(case_file: Path) -> list[Quote]:
    from .casefolder import read_yaml

    data = read_yaml(case_file)
    return parse_quotes(data.get(KEY)) if isinstance(data, dict) else []


def save_decisions(case_file: Path, decided: list[Quote]) -> None:
    """Write the buyer's decisions into case.yaml (the one place `scan` writes it): those given
    replace earlier ones on the same line; other saved decisions stay."""
    from .casefolder import read_yaml, write_yaml
    from .fileio import locked

    case_file = Path(case_file)
    with locked(case_file.parent):  # read-modify-write of the buyer's case file
        data = read_yaml(case_file) if case_file.exists() else {}
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise BuyerHelperError(f"{case_file} 的内容不是“键: 值”的答案格式，无法记下确认结果")
        merged = {q.key: q for q in parse_quotes(data.get(KEY))}
        for q in decided:
            merged[q.key] = q
        data[KEY] = [q.to_yaml() for q in merged.values()]
        try:
            write_yaml(case_file, data)
        except OSError as e:
            raise BuyerHelperError(f"无法保存 {case_file}：{e.strerror or e}") from None
