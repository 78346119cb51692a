"""The offline page `out/维权助手.html`, written by `letters` (and the demo): one self-contained
file (inline CSS and JS, no network, no external font) that a buyer opens on the computer or
the phone.

At the top, what to do now (the three lines of `render.now_summary`); then the whole plan,
folded; each text with its channel, a 复制 button, its character count against the form limit
(with the limit's verified state from channels.yaml), and QR codes of the text (UTF-8 byte mode,
inline SVG; a long text split into numbered parts at sentence ends); the evidence list with notes
and SHA-256; the disclaimer. Rendered with jinja2 (autoescape on): every buyer string escaped.
The same inputs and moment give the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..casefile.case import Case
from ..decide.plan import Plan
from ..errors import BuyerHelperError

if TYPE_CHECKING:
    from .letter import Letter

PAGE_FILE = "维权助手.html"
PAGE_TEXT_ID = "page"  # its text id in the letters manifest
TEMPLATE = "page.html.j2"
# Bytes of UTF-8 per QR code: at most about 270 Chinese characters, a version ≤ 20 code
# (105 modules) that a phone camera reads off a screen. Byte mode holds 2 953 at most.
QR_PART_BYTES = 800
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;\n])")
_CLAUSE_END = re.compile(r"(?<=[，,、：:）)”])")


# ------------------------------------------------------------------ splitting for QR codes


def _pieces(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [p for p in pattern.split(text) if p]


def _hard_split(piece: str, limit: int) -> list[str]:
    """A run without any break: cut at character boundaries."""
    out, cur = [], ""
    for ch in piece:
        if cur and len((cur + ch).encode("utf-8")) > limit:
            out.append(cur)
            cur = ""
        cur += ch
    return [*out, cur] if cur else out


def _units(text: str, limit: int) -> list[str]:
    """The text in sentences; a sentence longer than `limit` bytes in clauses, then in
    character runs. Joined, they give back the text exactly."""
    out: list[str] = []
    for sentence in _pieces(text, _SENTENCE_END):
        if len(sentence.encode("utf-8")) <= limit:
            out.append(sentence)
            continue
        for clause in _pieces(sentence, _CLAUSE_END):
            if len(clause.encode("utf-8")) <= limit:
                out.append(clause)
            else:
                out += _hard_split(clause, limit)
    return out


def split_for_qr(text: str, limit: int = QR_PART_BYTES) -> list[str]:
    """The text in parts of at most `limit` UTF-8 bytes, cut after sentence ends where it can
    (after a clause, or inside a run, only where one sentence alone is too long). The parts
    joined are the text exactly: nothing trimmed, nothing added."""
    parts: list[str] = []
    cur = ""
    for unit in _units(text, limit):
        if cur and len((cur + unit).encode("utf-8")) > limit:
            parts.append(cur)
            cur = ""
        cur += unit
    if cur or not parts:
        parts.append(cur)
    return parts


def qr_svg(text: str) -> str:
    """An inline SVG QR code of `text`: UTF-8 in byte mode (never Kanji mode, which phones read
    as Shift_JIS), not a Micro QR, no namespace URL, scalable."""
    import segno

    code = segno.make(text, mode="byte", encoding="utf-8", micro=False)
    return code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None)


# ------------------------------------------------------------------ what the page shows


@dataclass
class QrPart:
    number: int
    chars: int
    svg: str


@dataclass
class TextBlock:
    anchor: str
    number: int
    title: str
    channel: str
    channel_id: str
    reach: str
    filename: str
    text: str
    chars: int
    limit_lines: list[str]
    over_limit: bool
    warnings: list[str]
    parts: list[QrPart]
    next_step: bool = False
    kept_note: str = ""


@dataclass
class EvidenceRow:
    name: str
    note: str
    sha256: str
    size: str
    problem: str = ""


@dataclass
class StepBlock:
    number: int
    title: str
    channel: str
    reach: str
    state: str
    today_hours: str
    deadlines: list[str]
    actions: list[str]
    have_ready: list[str]
    if_fails: str
    note: str
    sources: str
    done: bool
    text_anchor: str = ""
    hours_notes: list[str] = field(default_factory=list)


def _limit_lines(letter: Letter) -> tuple[list[str], bool, int]:
    """The form limits of this text (whole-text limits counted), the over-limit flag."""
    from ..facts.channels import get_channel
    from .letter import FIELD_LABELS

    channel = get_channel(letter.channel)
    chars = len(letter.text.strip())
    lines: list[str] = []
    over = False
    for name, field_template in letter.limits:
        limit = channel.limits.get(name)
        if limit is None:
            continue
        state = "已核实" if limit.verified else "未核实的保守估计"
        label = FIELD_LABELS.get(name, name)
        if field_template is None:
            mark = "超出，请删减后再提交" if chars > limit.max_chars else "没有超出"
            over = over or chars > limit.max_chars
            lines.append(f"共 {chars} 字｜表单上限 {limit.max_chars} 字（{state}）：{mark}")
        else:
            lines.append(f"表单的“{label}”一栏上限 {limit.max_chars} 字（{state}）")
    if not lines:
        lines.append(f"共 {chars} 字（这份文字没有表单字数上限）")
    return lines, over, chars


def _step_state(step, plan: Plan) -> tuple[str, str]:
    from ..facts.hours import state_words

    if step.state is None:
        return "", ""
    now_text, next_text = state_words(step.state, plan.now)
    always = step.state.status == "open" and step.state.next_open is None
    text = now_text if step.state.status == "open" else f"{now_text}；下次开放：{next_text}"
    return text, "" if always else step.state.today_hours


def _evidence_rows(
    case: Case, folder: Path | None, follow_outside_links: bool = False
) -> list[EvidenceRow]:
    """Every evidence entry, as bundle lists it: an entry check_access refuses (a link out of the
    case folder, a loop, a pipe) is listed with its reason and never opened, not even hashed."""
    from ..evidence.files import entry_name, evidence_entries, human_size, sha256_file

    rows: list[EvidenceRow] = []
    seen: set[str] = set()
    entries = []
    if folder is not None and Path(folder).is_dir():
        folder = Path(folder)
        try:
            entries = evidence_entries(folder, folder.parent, follow_outside_links)
        except (OSError, BuyerHelperError):
            entries = []
    for path, access in entries:
        name = entry_name(path, folder)
        seen.add(name)
        note = case.evidence_notes.get(name, "")
        if not access.readable:
            where = f"（→ {access.link}）" if access.link else ""
            rows.append(EvidenceRow(name, note, "", "", (access.reason or "未读取") + where))
            continue
        try:
            digest, size = sha256_file(path), human_size(path.stat().st_size)
            problem = ""
        except OSError as e:
            digest, size, problem = "", "", f"无法读取：{e.strerror or e}"
        rows.append(EvidenceRow(name, note, digest, size, problem))
    for name, note in case.evidence_notes.items():
        if name not in seen:
            rows.append(EvidenceRow(name, note, "", "", "evidence/ 文件夹里没有这个文件"))
    return rows


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    from ..facts.resources import data_path

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_path("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(
    case: Case,
    plan: Plan,
    letters: list[Letter],
    evidence_dir: Path | None,
    beside: dict[str, str] | None = None,
    reminders: str = "",
    follow_outside_links: bool = False,
) -> str:
    """The page's HTML. `beside`: edited text file -> the file the new text went to;
    `reminders`: the name of the .ics file written beside the page ("" when none)."""
    from markupsafe import Markup

    from ..facts.channels import get_channel
    from ..facts.hours import cn_datetime, now_words
    from ..terminal.render import deadline_line, now_summary

    beside = beside or {}
    nxt = plan.next_step
    next_channel = nxt.channel if nxt else None
    texts: list[TextBlock] = []
    for i, letter in enumerate(letters, 1):
        channel = get_channel(letter.channel)
        limit_lines, over, chars = _limit_lines(letter)
        parts = split_for_qr(letter.text)
        kept = ""
        if letter.filename in beside:
            kept = (
                f"你改过 {letter.filename}，它保留未动；这里是新生成的文字"
                f"（也写在 {beside[letter.filename]}）。"
            )
        texts.append(
            TextBlock(
                anchor=f"text-{i}",
                number=i,
                title=letter.title,
                channel=channel.name,
                channel_id=letter.channel,
                reach=channel.reach_for(case.app),  # 天猫: 淘宝App's way
                filename=beside.get(letter.filename, letter.filename),
                text=letter.text,
                chars=chars,
                limit_lines=limit_lines,
                over_limit=over,
                warnings=list(letter.warnings),
                parts=[
                    QrPart(n, len(p), Markup(qr_svg(p)))  # segno's own markup, no buyer text
                    for n, p in enumerate(parts, 1)
                ],
                next_step=letter.channel == next_channel,
                kept_note=kept,
            )
        )
    first_text = {}
    for block in texts:
        first_text.setdefault(block.channel_id, block.anchor)
    steps: list[StepBlock] = []
    todo = [s for s in plan.steps if not s.done] + [s for s in plan.steps if s.done]
    for n, step in enumerate(todo, 1):
        state, today = _step_state(step, plan)
        steps.append(
            StepBlock(
                number=n,
                title=step.title,
                channel=get_channel(step.channel).name,
                reach=step.reach,
                state=state,
                today_hours=today,
                deadlines=[deadline_line(d, plan) for d in step.deadlines],
                actions=list(step.actions),
                have_ready=list(step.have_ready),
                if_fails=step.if_fails,
                note=step.note,
                sources="、".join(step.sources),
                done=step.done,
                text_anchor=first_text.get(step.channel, ""),
                hours_notes=list(step.state.notes) if step.state else [],
            )
        )
    order = case.order
    context = {
        "title": f"维权助手：{order.item}",
        "case_line": f"{case.platform_name}｜{order.shop}｜{order.item}",
        "order_line": f"订单号 {order.id}｜实付 {order.amount} 元｜{case.problem_name}｜"
        f"诉求：{case.demand_name}",
        "made_at": now_words(plan.now),
        "made_at_short": cn_datetime(plan.now),
        "summary": now_summary(plan),
        "next_anchor": first_text.get(next_channel or "", ""),
        "steps": steps,
        "warnings": [(w.text, w.source) for w in plan.warnings],
        "calendar_notes": list(plan.calendar_notes),
        "texts": texts,
        "evidence": _evidence_rows(case, evidence_dir, follow_outside_links),
        "reminders": reminders,
        "disclaimer": plan.disclaimer,
    }
    return _environment().get_template(TEMPLATE).render(**context)


# ------------------------------------------------------------------ writing beside the texts


def phone_files(
    case: Case,
    plan: Plan,
    letters: list[Letter],
    evidence_dir: Path | None,
    follow_outside_links: bool = False,
):
    """The `extras` for outfolder.write_letters: 提醒.ics, then the page (which names the
    .ics file actually written and the texts kept beside edited copies)."""
    from .reminders import ICS_FILE, ICS_TEXT_ID, render_ics

    def extras(result):
        def page(result):
            return render_page(
                case,
                plan,
                letters,
                evidence_dir,
                dict(result.beside),
                reminders=result.extras.get(ICS_FILE, ""),
                follow_outside_links=follow_outside_links,
            )

        return [(ICS_FILE, ICS_TEXT_ID, render_ics(case, plan)), (PAGE_FILE, PAGE_TEXT_ID, page)]

    return extras


def phone_lines(result) -> list[str]:
    """What `letters` and the demo print about the page and the reminders; the page last."""
    from .reminders import ICS_FILE

    lines = []
    ics = result.extras.get(ICS_FILE)
    if ics:
        lines.append(
            f"截止提醒：{(result.out_dir / ics).resolve()}（导入手机或电脑日历，前一天 09:00 提醒）"
        )
    page = result.extras.get(PAGE_FILE)
    if page:
        lines.append(
            "手机上照着做：用浏览器打开 "
            f"{(result.out_dir / page).resolve()}（现在先做什么、一键复制、扫码取文字；"
            "可以用微信文件传输助手发到手机）"
        )
    return lines
