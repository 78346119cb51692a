"""The evidence bundle PDF: one file a platform agent or a 12315 officer can read in a minute.

Contents, in order: cover (case summary, disclaimer), timeline, the complaint text for one
channel, the plan with the channel checklist and hours, the evidence index (with SHA-256 of
every original file), each image on its own page, chat logs as text. Every page carries
"第 N 页 / 共 M 页".

The document is described first (`_Doc`: plain data, user text already cleaned), so the
Chinese font can be subset to exactly the characters used before reportlab lays it out.
Output is written to a temporary file beside the target and renamed; reportlab's invariant
mode makes the same inputs give a byte-identical PDF.

Exit codes of `bundle_command`: 0 = PDF written, every file shown; 3 = PDF written, but some
evidence files could not be previewed (they are listed in the index with the reason).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .case import CASE_FILE, EVIDENCE_DIR, OUT_DIR, TRIED, Case, load_case
from .errors import BuyerHelperError
from .evidence import EvidenceFile, human_size, scan_evidence, stderr_progress
from .fileio import write_bytes_atomic
from .fonts import GlyphFilter, register_font
from .plan import DISCLAIMER, Plan

EXIT_OK = 0
EXIT_UNPREVIEWABLE = 3

PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
FRAME_W = PAGE_W - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#666666")
ACCENT = colors.HexColor("#1f3a68")
RULE = colors.HexColor("#b8c2d6")
HEAD_BG = colors.HexColor("#e8edf5")
MAX_CAPTION_NOTE = 300  # characters of a note shown under an image (the index has all of it)


@dataclass
class BundleResult:
    path: Path
    pages: int
    files: list[EvidenceFile]
    warnings: list[str]
    channel: str | None
    seconds: float
    size: int = 0

    @property
    def unpreviewable(self) -> list[EvidenceFile]:
        return [f for f in self.files if not f.previewable]

    @property
    def exit_code(self) -> int:
        return EXIT_UNPREVIEWABLE if self.unpreviewable else EXIT_OK


# --------------------------------------------------------------- description


@dataclass
class _Text:
    markup: str  # cleaned and escaped
    style: str


@dataclass
class _Table:
    rows: list[list[object]]  # cells: _Text or str (markup)
    widths: list[float]
    header: bool = True
    style: list[tuple] = field(default_factory=list)


@dataclass
class _Image:
    item: EvidenceFile
    part: int = 0


@dataclass
class _Lines:
    lines: list[str]  # cleaned, plain text
    first_no: int = 1


@dataclass
class _Break:
    kind: str = "page"  # page | space | cond
    size: float = 0


class _Doc:
    """The document as data; every string goes through the glyph filter here."""

    def __init__(self) -> None:
        self.glyphs = GlyphFilter("sans")
        self.items: list[object] = []

    # text helpers: `user` text is cleaned and escaped; fixed text is ours and only recorded
    def markup(self, text: object, user: bool = True) -> str:
        text = self.glyphs.clean(text) if user else self.glyphs.note(str(text))
        return escape(text).replace("\n", "<br/>")

    def text(self, text: object, style: str = "body", user: bool = True) -> _Text:
        return _Text(self.markup(text, user), style)

    def fixed(self, text: str, style: str = "body") -> _Text:
        return self.text(text, style, user=False)

    def add(self, *objs: object) -> None:
        self.items.extend(objs)

    def para(self, text: object, style: str = "body", user: bool = True) -> None:
        self.add(self.text(text, style, user))

    def heading(self, text: str) -> None:
        self.add(_Break("cond", 60 * mm), self.fixed(text, "h1"))

    def sub(self, text: object, user: bool = False) -> None:
        self.add(_Break("cond", 30 * mm), self.text(text, "h2", user))


# ------------------------------------------------------------------- content


def _fmt_dt(value: dt.datetime | None, tz) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _cover(d: _Doc, case: Case, plan: Plan, files: list[EvidenceFile], tz) -> None:
    o = case.order
    d.para("维权证据包", "title", user=False)
    d.add(d.text(f"{case.platform_name} 订单 {o.id}", "subtitle"))
    d.add(_Break("space", 4 * mm))
    rows = [
        ("平台", case.platform_name),
        ("订单号", o.id),
        ("店铺", o.shop),
        ("商品", o.item),
        ("实付金额", f"{o.amount} 元"),
        ("下单日期", o.ordered_on.isoformat()),
        ("收货状态", case.delivery_name),
    ]
    if case.signed_on:
        rows.append(("签收日期", case.signed_on.isoformat()))
    rows += [("问题", case.problem_name), ("诉求", case.demand_name)]
    if case.tried:
        rows.append(("已做过的事", "、".join(TRIED[t] for t in case.tried)))
    if case.seller_city:
        rows.append(("商家所在地", case.seller_city))
    c = case.contact
    if c.name or c.phone or c.address:
        rows.append(("买家", "  ".join(x for x in (c.name, c.phone, c.address) if x)))
    rows.append(("证据文件", f"{len(files)} 个（清单见后）"))
    rows.append(("整理时间", f"{_fmt_dt(plan.now, tz)}（北京时间）"))
    d.add(
        _Table(
            [[d.fixed(k, "label"), d.text(v, "cell")] for k, v in rows],
            [28 * mm, FRAME_W - 28 * mm],
            header=False,
        )
    )
    if case.story.strip():
        d.sub("经过（买家自述）")
        for part in case.story.strip().split("\n"):
            d.para(part)
    shown_images = sum(len(f.parts) > 0 for f in files)
    shown_texts = sum(f.preview == "文字" for f in files)
    contents = "本证据包内容：一、时间线；二、投诉文字；三、维权计划与渠道开放时间；四、证据清单"
    if shown_images or shown_texts:
        contents += f"；五、证据附件（图片 {shown_images} 张，聊天记录 {shown_texts} 份）"
    d.add(_Break("space", 3 * mm))
    d.para(contents + "。", "small")
    d.add(_Break("space", 3 * mm))
    d.add(
        _Table(
            [
                [
                    d.fixed(
                        "本证据包由买家用 buyer-helper 整理。证据清单中的 SHA-256 是每个原始文件的"
                        "“指纹”：原文件改动一个字节，指纹就会不同，可据此核对买家另行提交的原文件。",
                        "small",
                    )
                ],
                [d.fixed(plan.disclaimer or DISCLAIMER, "small")],
            ],
            [FRAME_W],
            header=False,
            style=[("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f4f4"))],
        )
    )


def _timeline(d: _Doc, case: Case, tz) -> None:
    d.add(_Break("page"))
    d.heading("一、时间线")
    events: list[tuple[dt.datetime, int, str, str]] = []
    logged_text = " ".join(e.text for e in case.timeline)
    for i, e in enumerate(case.timeline):
        at = e.at if e.at.tzinfo else e.at.replace(tzinfo=tz)
        events.append((at.astimezone(tz), 10 + i, e.text, TRIED.get(e.tried or "", "")))
    # the order's own dates, unless the buyer logged them already
    if "下单" not in logged_text:
        at = dt.datetime.combine(case.order.ordered_on, dt.time(), tz)
        events.append((at, 0, "下单（订单信息）", ""))
    if case.signed_on and "签收" not in logged_text:
        at = dt.datetime.combine(case.signed_on, dt.time(), tz)
        events.append((at, 1, f"{case.delivery_name}（订单信息）", ""))
    events.sort(key=lambda e: (e[0], e[1]))
    rows: list[list[object]] = [[d.fixed(h, "th") for h in ("时间", "经过", "进展")]]
    for at, _, text, tried in events:
        when = at.strftime("%Y-%m-%d") if at.time() == dt.time() else at.strftime("%Y-%m-%d %H:%M")
        rows.append([d.text(when, "cell"), d.text(text, "cell"), d.text(tried, "cell")])
    d.add(_Table(rows, [32 * mm, FRAME_W - 60 * mm, 28 * mm]))


def _channel_name(cid: str, channels: dict) -> str:
    ch = channels.get(cid)
    return ch.name if ch else cid


def _complaint(d: _Doc, letter, channel: str | None, channels: dict) -> None:
    d.add(_Break("page"))
    d.heading("二、投诉文字")
    if letter is None:
        d.para("计划中没有还需要提交文字的步骤，这里没有附投诉文字。", user=False)
        return
    title = getattr(letter, "title", "") or _channel_name(channel, channels)
    d.sub(title, user=True)
    d.para(f"用于：{_channel_name(channel, channels)}（{channel}）", "small")
    d.add(_Break("space", 2 * mm))
    for line in str(letter.text).rstrip().split("\n"):
        if line.strip():
            d.para(line, "letter")
        else:
            d.add(_Break("space", 2.5 * mm))


def _status_words(state, now: dt.datetime, channel) -> tuple[str, str]:
    from .hours import when_words

    if state is None:
        return "", ""
    if channel is not None and channel.always_open:
        return "随时可办理", "随时"
    status = {"open": "开放", "maybe": "可能开放（来源不一）", "closed": "关闭"}.get(
        state.status, state.status
    )
    if state.status == "open":
        nxt = "现在开放"
    elif state.next_open is None:
        nxt = "近期无"
    else:
        nxt = when_words(state.next_open, now)
    return status, nxt


def _plan(d: _Doc, plan: Plan, channels: dict, extra: str | None, tz) -> None:
    from .hours import channel_state

    d.add(_Break("page"))
    d.heading("三、维权计划与渠道开放时间")
    d.para(f"按 {_fmt_dt(plan.now, tz)}（北京时间）计算。", "small")
    nxt = plan.next_step
    for i, step in enumerate(plan.steps, 1):
        tag = "（已做过）" if step.done else ("（下一步）" if step is nxt else "")
        block: list[object] = [
            _Break("cond", 45 * mm),
            d.text(f"第 {i} 步{tag}：{step.title}", "h2"),
        ]
        ch = channels.get(step.channel)
        rows = [["渠道", _channel_name(step.channel, channels)]]
        if step.reach or (ch and ch.reach):
            rows.append(["怎么联系", step.reach or ch.reach])
        state = step.state or (channel_state(ch, plan.now) if ch else None)
        if state is not None:
            status, when = _status_words(state, plan.now, ch)
            if ch is not None and ch.always_open:
                rows.append(["开放时间", "随时可办理"])
            elif state.status == "open":
                rows.append(["开放时间", f"今天 {state.today_hours}；现在：{status}"])
            else:
                rows.append(
                    ["开放时间", f"今天 {state.today_hours}；现在：{status}；下次开放：{when}"]
                )
            for n in state.notes:
                rows.append(["说明", n])
        for dl in step.deadlines:
            approx = "（约）" if dl.approximate else ""
            rows.append(
                ["期限", f"{dl.label}：{_fmt_dt(dl.due, tz)}{approx}。{dl.basis}（{dl.source}）"]
            )
        if step.actions:
            rows.append(["要做的事", "\n".join(f"{k}. {a}" for k, a in enumerate(step.actions, 1))])
        if step.have_ready:
            rows.append(["准备好", "；".join(step.have_ready)])
        if step.if_fails:
            rows.append(["如果不行", step.if_fails])
        if step.note:
            rows.append(["备注", step.note])
        if step.sources:
            rows.append(["依据", "；".join(step.sources)])
        block.append(
            _Table(
                [[d.fixed(k, "label"), d.text(v, "cell")] for k, v in rows],
                [24 * mm, FRAME_W - 24 * mm],
                header=False,
            )
        )
        block.append(_Break("space", 3 * mm))
        d.add(*block)
    if plan.warnings:
        d.sub("注意")
        for w in plan.warnings:
            d.para(f"• {w.text}（{w.source}）")
    for note in plan.calendar_notes:
        d.para(note, "small")

    d.sub("渠道一览（开放时间按北京时间）")
    reach = {s.channel: s.reach for s in plan.steps if s.reach}
    ids = list(dict.fromkeys([s.channel for s in plan.steps] + ([extra] if extra else [])))
    rows: list[list[object]] = [
        [d.fixed(h, "th") for h in ("渠道", "怎么联系", "今天开放时间", "现在", "下次开放")]
    ]
    for cid in ids:
        ch = channels.get(cid)
        if ch is None:
            continue
        state = channel_state(ch, plan.now)
        status, when = _status_words(state, plan.now, ch)
        rows.append(
            [
                d.text(ch.name, "cell"),
                d.text(reach.get(cid) or ch.reach, "cell"),
                d.text(state.today_hours, "cell"),
                d.text(status, "cell"),
                d.text(when, "cell"),
            ]
        )
    d.add(_Table(rows, [34 * mm, 40 * mm, FRAME_W - 124 * mm, 22 * mm, 28 * mm]))


def _index(d: _Doc, files: list[EvidenceFile]) -> None:
    d.add(_Break("page"))
    d.heading("四、证据清单")
    if not files:
        d.para("证据文件夹里没有文件。", user=False)
        return
    d.para(
        "SHA-256 为原始文件的指纹（图片在 PDF 中为缩小后的副本，指纹对应原文件）。"
        "日期：“拍摄”取自照片 EXIF 信息，“修改”为文件的修改时间（北京时间）。",
        "small",
        user=False,
    )
    head = ("序号", "文件名", "类型", "日期", "大小", "SHA-256", "买家说明", "预览")
    rows: list[list[object]] = [[d.fixed(h, "th") for h in head]]
    bad_rows = []
    for f in files:
        sha = "<br/>".join(f.sha256[i : i + 16] for i in range(0, len(f.sha256), 16))
        d.glyphs.note(f.sha256)
        status = f.status
        if not f.previewable:
            bad_rows.append(len(rows))
        rows.append(
            [
                d.text(str(f.no), "cell8"),
                d.text(f.name, "cell8"),
                d.text(f.kind, "cell8"),
                d.text(f.date_text, "cell8"),
                d.text(human_size(f.size), "cell8"),
                _Text(sha, "hash"),
                d.text(f.note, "cell8"),
                d.text(status, "bad" if not f.previewable else "cell8"),
            ]
        )
    widths = [10 * mm, 29 * mm, 16 * mm, 22 * mm, 15 * mm, 28 * mm]
    rest = FRAME_W - sum(widths)
    widths += [rest * 0.56, rest * 0.44]
    style = [("BACKGROUND", (7, r), (7, r), colors.HexColor("#fdecea")) for r in bad_rows]
    d.add(_Table(rows, widths, style=style))
    bad = [f for f in files if not f.previewable]
    if bad:
        d.add(_Break("space", 3 * mm))
        d.para(
            f"有 {len(bad)} 个文件无法在 PDF 中显示（见上表“预览”一栏），请把原文件另行提交。",
            "small",
            user=False,
        )


def _attachments(d: _Doc, files: list[EvidenceFile]) -> None:
    first = True
    for f in files:
        if f.preview == "图片":
            n = len(f.parts)
            for k in range(n):
                d.add(_Break("page"))
                if first:
                    d.add(d.fixed("五、证据附件", "h1"))
                    first = False
                part = f"（长图第 {k + 1}/{n} 段）" if n > 1 else ""
                d.add(d.text(f"证据 {f.no}　{f.name}{part}", "h2"))
                if k == 0:
                    note = f.note
                    if len(note) > MAX_CAPTION_NOTE:
                        note = note[:MAX_CAPTION_NOTE] + "…（完整说明见证据清单）"
                    meta = f"{f.kind}　{f.date_text}"
                    if f.original_size:
                        meta += f"　原图 {f.original_size[0]}×{f.original_size[1]}"
                    d.para(meta, "small")
                    if note:
                        d.para(f"说明：{note}", "caption")
                d.add(_Break("space", 2 * mm), _Image(f, k))
        elif f.preview == "文字" and f.text is not None:
            lines = f.text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            d.add(_Break("page"))
            if first:
                d.add(d.fixed("五、证据附件", "h1"))
                first = False
            d.add(d.text(f"证据 {f.no}　{f.name}", "h2"))
            meta = f"{f.kind}全文，{f.encoding} 编码，共 {len(lines)} 行"
            d.para(meta, "small")
            if f.note:
                d.para(f"说明：{f.note}", "caption")
            d.add(_Break("space", 2 * mm))
            clean = d.glyphs.clean
            d.add(_Lines([clean(line) for line in lines]))


# ------------------------------------------------------------------ flowables


class JpegImage(Flowable):
    """JPEG bytes drawn as large as the space allows (DCT passthrough, no ASCII85)."""

    def __init__(self, data: bytes, px: tuple[int, int]):
        super().__init__()
        self.data = data
        self.px = px
        self.digest = hashlib.sha256(data).hexdigest()[:32]

    def wrap(self, avail_w, avail_h):
        w, h = self.px
        scale = min(avail_w / w, avail_h / h)
        self.draw_w, self.draw_h = w * scale, h * scale
        self.avail_w = avail_w
        return avail_w, self.draw_h

    def draw(self):
        c = self.canv
        doc = c._doc
        name = "bhimg" + self.digest
        reg = doc.getXObjectName(name)
        if not doc.idToObject.get(reg):
            obj = pdfdoc.PDFImageXObject(name)
            if not obj.loadImageFromJPEG(io.BytesIO(self.data)):
                raise ValueError("not a JPEG")
            obj.name = name
            c._setXObjects(obj)
            doc.Reference(obj, reg)
            doc.addForm(name, obj)
        c._formsinuse.append(name)
        c._currentPageHasImages = 1
        c.saveState()
        c.translate((self.avail_w - self.draw_w) / 2, 0)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.rect(0, 0, self.draw_w, self.draw_h)
        c.scale(self.draw_w, self.draw_h)
        c._code.append(f"/{reg} Do")
        c.restoreState()


class TextLines(Flowable):
    """A long plain text (a chat log): wrapped per character, numbered, split across pages.

    Much faster than one Paragraph per line for 100 000-line logs; the text is drawn as is
    (no markup), so nothing needs escaping. Continuation lines are indented.
    """

    def __init__(self, lines, font, size=8.5, leading=11.5, first_no=1, _wrapped=None, _span=None):
        super().__init__()
        self.lines = lines
        self.font = font
        self.size = size
        self.leading = leading
        self.first_no = first_no
        self._wrapped = _wrapped  # shared list of (line_no or 0, text) for the whole log
        self._span = _span  # (start, end) into _wrapped
        self.gutter = pdfmetrics.stringWidth("0" * max(3, len(str(len(lines)))), font, size) + 6

    def _wrap_all(self, width: float) -> None:
        if self._wrapped is not None:
            return
        face = pdfmetrics.getFont(self.font)
        widths: dict[str, float] = {}
        size = self.size
        indent = size * 2
        out: list[tuple[int, str]] = []
        for n, line in enumerate(self.lines, self.first_no):
            if not line:
                out.append((n, ""))
                continue
            start, acc, avail, first = 0, 0.0, width, True
            for i, ch in enumerate(line):
                w = widths.get(ch)
                if w is None:
                    w = widths[ch] = face.stringWidth(ch, size)
                if acc + w > avail and i > start:
                    out.append((n if first else 0, line[start:i]))
                    start, acc, avail, first = i, 0.0, width - indent, False
                acc += w
            out.append((n if first else 0, line[start:]))
        self._wrapped = out
        self._span = (0, len(out))

    def wrap(self, avail_w, avail_h):
        self.width = avail_w
        self._wrap_all(avail_w - self.gutter)
        start, end = self._span
        return avail_w, (end - start) * self.leading

    def split(self, avail_w, avail_h):
        self._wrap_all(avail_w - self.gutter)
        start, end = self._span
        k = int(avail_h // self.leading)
        if k <= 0:
            return []
        if start + k >= end:
            return [self]
        args = (self.lines, self.font, self.size, self.leading, self.first_no, self._wrapped)
        return [
            TextLines(*args, _span=(start, start + k)),
            TextLines(*args, _span=(start + k, end)),
        ]

    def draw(self):
        c = self.canv
        start, end = self._span
        indent = self.size * 2
        y = (end - start) * self.leading - self.size
        text = c.beginText()
        nums = c.beginText()
        text.setFont(self.font, self.size)
        nums.setFont(self.font, self.size - 1.5)
        nums.setFillColor(GREY)
        for n, line in self._wrapped[start:end]:
            if n:
                num = str(n)
                nw = pdfmetrics.stringWidth(num, self.font, self.size - 1.5)
                nums.setTextOrigin(self.gutter - 6 - nw, y)
                nums.textOut(num)
                text.setTextOrigin(self.gutter, y)
            else:
                text.setTextOrigin(self.gutter + indent, y)
            if line:
                text.textOut(line)
            y -= self.leading
        c.drawText(nums)
        c.drawText(text)


def _canvas_class(font: str, header: str):
    """A canvas that defers pages so each can say "第 N 页 / 共 M 页"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = font  # else an unembedded Helvetica sneaks in
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(GREY)
            self.drawCentredString(PAGE_W / 2, 9 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
            if self._pageNumber > 1:
                self.drawString(MARGIN, PAGE_H - 10 * mm, header)
                self.setStrokeColor(RULE)
                self.setLineWidth(0.5)
                self.line(MARGIN, PAGE_H - 11.5 * mm, PAGE_W - MARGIN, PAGE_H - 11.5 * mm)
            self.restoreState()

    return NumberedCanvas


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=font, fontSize=10.5, leading=16, textColor=INK, wordWrap="CJK"
    )

    def s(name, **kw):
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "title": s(
            "title",
            fontSize=28,
            leading=36,
            textColor=ACCENT,
            alignment=TA_CENTER,
            spaceBefore=30 * mm,
            spaceAfter=4 * mm,
        ),
        "subtitle": s("subtitle", fontSize=14, leading=20, alignment=TA_CENTER, textColor=GREY),
        "h1": s("h1", fontSize=17, leading=24, textColor=ACCENT, spaceAfter=3 * mm),
        "h2": s(
            "h2", fontSize=13, leading=19, textColor=ACCENT, spaceBefore=2 * mm, spaceAfter=1.5 * mm
        ),
        "small": s("small", fontSize=8.5, leading=12.5, textColor=GREY),
        "caption": s("caption", fontSize=10, leading=14),
        "letter": s("letter", fontSize=10.5, leading=17, leftIndent=3 * mm),
        "label": s("label", fontSize=9.5, leading=14, textColor=ACCENT),
        "th": s("th", fontSize=9, leading=13, textColor=ACCENT),
        "cell": s("cell", fontSize=9.5, leading=14),
        "cell8": s("cell8", fontSize=8, leading=11),
        "bad": s("bad", fontSize=8, leading=11, textColor=colors.HexColor("#a11b1b")),
        "hash": s("hash", fontSize=7.5, leading=10, textColor=colors.HexColor("#333333")),
    }


def _materialize(d: _Doc, font: str) -> list:
    st = _styles(font)

    def para(t: _Text) -> Paragraph:
        return Paragraph(t.markup, st[t.style])

    def cell(x):
        return para(x) if isinstance(x, _Text) else Paragraph(str(x), st["cell"])

    story: list = []
    for it in d.items:
        if isinstance(it, _Text):
            story.append(para(it))
        elif isinstance(it, _Break):
            if it.kind == "page":
                story.append(PageBreak())
            elif it.kind == "cond":
                story.append(CondPageBreak(it.size))
            else:
                story.append(Spacer(1, it.size))
        elif isinstance(it, _Table):
            rows = [[cell(x) for x in row] for row in it.rows]
            t = Table(rows, colWidths=it.widths, repeatRows=1 if it.header else 0, splitInRow=1)
            cmds = [
                ("FONT", (0, 0), (-1, -1), font, 9),  # the cells' default is Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
            if it.header:
                cmds.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
            else:
                cmds.append(("BACKGROUND", (0, 0), (0, -1), HEAD_BG))
            t.setStyle(TableStyle(cmds + it.style))
            story.append(t)
        elif isinstance(it, _Image):
            data, size = it.item.parts[it.part]
            story.append(JpegImage(data, size))
        elif isinstance(it, _Lines):
            story.append(TextLines(it.lines, font, first_no=it.first_no))
        elif isinstance(it, list):
            story.append(KeepTogether(it))
    return story


# ---------------------------------------------------------------------- build


def _pick_letter(case: Case, plan: Plan, channel: str | None):
    """(channel id, Letter) for `channel`, or by default for the first open step with a text.

    An explicit channel the letters cannot serve is the buyer's error (it lists the ids);
    by default, steps without a text of their own (e.g. a phone call) are passed over.
    """
    from .letters import render_letter

    if channel is not None:
        return channel, render_letter(case, plan, channel)
    for step in plan.steps:
        if step.done:
            continue
        try:
            return step.channel, render_letter(case, plan, step.channel)
        except BuyerHelperError:
            continue
    return None, None


def build_bundle(
    case: Case,
    plan: Plan,
    evidence_dir: Path | None,
    out_path: Path,
    channel: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BundleResult:
    """Build the evidence bundle PDF at `out_path` (atomically) and describe what went in."""
    from .channels import load_channels
    from .hours import SHANGHAI

    started = time.perf_counter()
    channels = load_channels()
    channel, letter = _pick_letter(case, plan, channel)  # before the slow part: fail fast
    out_path = Path(out_path)
    files = (
        scan_evidence(evidence_dir, case.evidence_notes, progress=progress)
        if evidence_dir is not None
        else []
    )

    d = _Doc()
    tz = SHANGHAI
    _cover(d, case, plan, files, tz)
    _timeline(d, case, tz)
    _complaint(d, letter, channel, channels)
    _plan(d, plan, channels, channel, tz)
    _index(d, files)
    _attachments(d, files)

    header = d.glyphs.clean(f"维权证据包 · {case.platform_name} 订单 {case.order.id}")
    d.glyphs.note("第页共/ 0123456789")
    font = register_font("sans", d.glyphs.used)
    story = _materialize(d, font)

    title = f"维权证据包 订单 {case.order.id}"
    subject = f"{case.platform_name} {case.order.shop} {case.order.item}：{case.problem_name}"
    pages = _write_pdf(story, out_path, font, header, title, subject, case.order.id)
    notes = [f"投诉文字：{w}" for w in (getattr(letter, "warnings", None) or [])]
    return BundleResult(
        path=out_path,
        pages=pages,
        files=files,
        warnings=d.glyphs.warnings() + notes,
        channel=channel,
        seconds=time.perf_counter() - started,
        size=out_path.stat().st_size,
    )


def _write_pdf(story, out_path: Path, font, header, title, subject, keywords) -> int:
    """Lay out the PDF in memory (reportlab holds it all until saving anyway), then write it
    atomically: an interrupted run never leaves half a PDF under the final name."""
    saved = rl_config.invariant, rl_config.useA85
    rl_config.invariant, rl_config.useA85 = 1, 0
    buffer = io.BytesIO()
    try:
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            subject=subject,
            author="buyer-helper",
            creator="buyer-helper",
            keywords=keywords,
            lang="zh-CN",
        )
        doc.build(story, canvasmaker=_canvas_class(font, header))
    finally:
        rl_config.invariant, rl_config.useA85 = saved
    write_bytes_atomic(out_path, buffer.getvalue())
    return doc.page


# -------------------------------------------------------------------- command


def _paths(directory, answers, evidence, output) -> tuple[Path, Path | None, Path, bool]:
    """(answers, evidence dir or None, output) from the command-line combination."""
    if directory is not None:
        if answers is not None or evidence is not None:
            raise BuyerHelperError(
                "用案子文件夹时不要再给 --answers 或 --evidence。"
                "两种用法选一种：buyer-helper bundle 案子文件夹，"
                "或 buyer-helper bundle --answers 答案文件 --evidence 证据文件夹 -o 输出.pdf"
            )
        directory = Path(directory)
        if not directory.is_dir():
            raise BuyerHelperError(f"找不到案子文件夹：{directory}")
        ev = directory / EVIDENCE_DIR
        return directory / CASE_FILE, ev if ev.is_dir() else None, output, True
    if answers is None or evidence is None or output is None:
        missing = [
            n
            for n, v in (("--answers", answers), ("--evidence", evidence), ("-o", output))
            if v is None
        ]
        raise BuyerHelperError(
            f"缺少 {'、'.join(missing)}。用法：buyer-helper bundle 案子文件夹，"
            "或 buyer-helper bundle --answers 答案文件 --evidence 证据文件夹 -o 输出.pdf"
        )
    evidence = Path(evidence)
    if not evidence.is_dir():
        raise BuyerHelperError(f"证据文件夹不存在或不是文件夹：{evidence}")
    return Path(answers), evidence, Path(output), False


def bundle_command(directory, answers, evidence, output, channel, now) -> tuple[str, int]:
    """`buyer-helper bundle`: (message, exit code) — 0 ok, 3 some files could not be previewed."""
    from .hours import parse_now
    from .routing import route

    answers_path, evidence_dir, output, is_case_dir = _paths(directory, answers, evidence, output)
    moment = parse_now(now)
    case = load_case(answers_path, today=moment.date())
    if output is None:
        output = Path(directory) / OUT_DIR / f"证据包-{case.order.id}.pdf"
    output = Path(output)
    if output.exists() and output.is_dir():
        raise BuyerHelperError(f"{output} 是文件夹；请用 -o 给出 PDF 文件名")
    if output.suffix.lower() != ".pdf":
        raise BuyerHelperError(f"输出文件名应以 .pdf 结尾：{output}")
    plan = route(case, moment)
    try:
        result = build_bundle(
            case, plan, evidence_dir, output, channel=channel, progress=stderr_progress()
        )
    except PermissionError as e:
        raise BuyerHelperError(f"无法写入 {output}：没有权限（{e.strerror}）") from None
    except OSError as e:  # disk full, folder gone: the old PDF (if any) is untouched
        raise BuyerHelperError(
            f"写入 {output} 失败（{e.strerror or e}）；原有文件没有被改动。", exit_code=1
        ) from None
    lines = [
        f"证据包已生成：{result.path}",
        f"  共 {result.pages} 页，{human_size(result.size)}；证据文件 {len(result.files)} 个"
        + (f"；附投诉文字：{result.channel}" if result.channel else ""),
    ]
    if is_case_dir and evidence_dir is None:
        lines.append(
            f"  注意：{Path(directory) / EVIDENCE_DIR} 文件夹不存在，证据包里没有证据文件。"
        )
    for w in result.warnings:
        lines.append(f"  提示：{w}")
    bad = result.unpreviewable
    if bad:
        lines.append(f"PDF 已生成，但有 {len(bad)} 个文件无法预览，已列在证据清单中：")
        lines += [f"  - {f.name}：{f.reason}" for f in bad]
        lines.append("  这些文件请另行提交原文件。")
    return "\n".join(lines), result.exit_code
