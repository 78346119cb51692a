"""`buyer-helper scan DIR`: read the case's evidence images (scan.py), ask the buyer about each
quote found, keep the decisions in case.yaml, and say what was read."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from ..casefile.quotes import OTHER_PARTY, QUOTE_KINDS, Quote
from ..errors import BuyerHelperError
from ..evidence.scan import PROGRESS_FROM, Scanned, apply_decisions, scan_case, screenshot_order


def _numbers(spec: str, count: int, option: str) -> set[int]:
    spec = spec.strip()
    if spec in ("all", "全部"):
        return set(range(1, count + 1))
    out = set()
    for part in re.split(r"[,，\s]+", spec):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise BuyerHelperError(
                f"{option} 的值“{spec}”不对：写 all，或用逗号分开的编号（1 到 {count}），例如 1,3",
                exit_code=2,
            )
        out.add(int(part))
    return out


def _ask_quote(q: Quote, number: int, total: int) -> bool:
    """Ask the buyer at the terminal whether `q` is the seller's words (the interview's
    questionary adapter)."""
    from .interview import ask_confirm

    return ask_confirm(
        f"原话 {number}/{total}：{q.cited()}\n  这是{OTHER_PARTY}说的原话、可以在投诉里引用吗？"
    )


def scan_command(
    directory: Path,
    as_json: bool,
    confirm: str | None = None,
    reject: str | None = None,
    ask: Callable[[Quote, int, int], bool] | None = None,
    is_terminal: Callable[[], bool] | None = None,
) -> str:
    """Read the case's evidence images; record the buyer's decisions on the quotes found."""
    import sys

    from ..casefile.casefolder import CASE_FILE, EVIDENCE_DIR
    from ..casefile.quotes import load_decisions, save_decisions
    from ..evidence.files import stderr_progress

    directory = Path(directory)
    if not (directory / EVIDENCE_DIR).is_dir():
        raise BuyerHelperError(
            f"{directory} 里没有 {EVIDENCE_DIR}/ 文件夹：请给出案子文件夹，"
            f"并把截图放进 {directory / EVIDENCE_DIR}/",
            exit_code=2,
        )
    show = None if as_json else stderr_progress("识别截图文字")
    progress = (lambda d, t: show(d, t) if t >= PROGRESS_FROM else None) if show else None
    scanned = scan_case(directory, progress=progress)
    case_file = directory / CASE_FILE
    decided = load_decisions(case_file) if case_file.exists() else []
    quotes = apply_decisions(scanned, decided)

    changes: dict[tuple[str, str], bool] = {}
    if confirm or reject:
        yes = _numbers(confirm, len(quotes), "--confirm") if confirm else set()
        no = _numbers(reject, len(quotes), "--reject") if reject else set()
        if yes & no:
            both = "、".join(str(n) for n in sorted(yes & no))
            raise BuyerHelperError(f"第 {both} 条同时给了 --confirm 和 --reject", exit_code=2)
        for n in yes:
            changes[quotes[n - 1].key] = True
        for n in no:
            changes[quotes[n - 1].key] = False
    elif not as_json and any(not q.decided for q in quotes):
        terminal = (is_terminal or (lambda: sys.stdin is not None and sys.stdin.isatty()))()
        if terminal or ask is not None:
            ask = ask or _ask_quote
            open_quotes = [q for q in quotes if not q.decided]
            for i, q in enumerate(open_quotes, 1):
                changes[q.key] = bool(ask(q, i, len(open_quotes)))
    if changes:
        for q in quotes:
            if q.key in changes:
                q.confirmed, q.decided = changes[q.key], True
        save_decisions(case_file, [q for q in quotes if q.decided])

    if as_json:
        return json.dumps([s.to_dict() for s in scanned], ensure_ascii=False, indent=2)
    return _summary(directory, scanned, quotes)


SIDE_NAMES = {"other": "对方", "me": "我", "app": "App"}


def _summary(directory: Path, scanned: list[Scanned], quotes: list[Quote]) -> str:
    from ..facts.hours import cn_date

    out = []
    if not scanned:
        return f"{directory}/evidence/ 里没有图片。把聊天截图、订单截图放进去再运行。"
    read = sum(1 for s in scanned if not s.error)
    out.append(
        f"识别了 {read} 张图片的文字（{sum(s.cached for s in scanned)} 张用的是上次的结果）。"
    )
    for s in scanned:
        if s.error:
            out.append(f"  ✗ {s.file}：{s.error}")
        elif not s.lines:
            out.append(f"  · {s.file}：没有文字")
        else:
            counts = "，".join(
                f"{SIDE_NAMES[side]} {n} 条"
                for side in ("other", "me", "app")
                if (n := sum(1 for ln in s.lines if ln.side == side))
            )
            out.append(f"  · {s.file}：{counts}")
    if quotes:
        out += ["", f"在对方的话里找到 {len(quotes)} 句可能违规的原话："]
        for i, q in enumerate(quotes, 1):
            state = "已确认" if q.confirmed else ("已排除" if q.decided else "待确认")
            out.append(f"  {i}. [{state}·{QUOTE_KINDS[q.kind]}] {q.cited()}")
        if any(not q.decided for q in quotes):
            open_numbers = ",".join(str(i) for i, q in enumerate(quotes, 1) if not q.decided)
            out += [
                "只有你确认过的原话才会写进投诉文字。确认（编号见上）：",
                f"  buyer-helper scan {directory} --confirm {open_numbers}（或 --confirm all）",
                f"识别有误或不是商家说的，排除：buyer-helper scan {directory} --reject 编号",
            ]
    order = screenshot_order(scanned)
    if order:
        facts = [
            ("订单号", order.id),
            ("实付", f"{order.amount} 元" if order.amount else ""),
            ("店铺", order.shop),
            ("下单", cn_date(order.ordered_on) if order.ordered_on else ""),
            ("签收", cn_date(order.signed_on) if order.signed_on else ""),
        ]
        shown = "，".join(f"{k} {v}" for k, v in facts if v)
        out += ["", f"订单截图 {order.file}：{shown}", "（计划会把它和你填的订单信息对照。）"]
    return "\n".join(out)
