"""Layout primitives for the evidence bundle PDF (reportlab).

A document is first described as plain data (`Doc`: `Text`, `Table`, `Image`, `Lines`, `Break`),
every string already cleaned through the glyph filter, so the Chinese font can be subset to
exactly the characters used before reportlab lays anything out. `render` then registers that
font and turns the description into a PDF in memory. reportlab's invariant
mode makes the same description give a byte-identical PDF.

Only `bundle` imports this module (reportlab is heavy; `hours` and `--help` never load it).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
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
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from .fonts import GlyphFilter, register_font

PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
FRAME_W = PAGE_W - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#666666")
ACCENT = colors.HexColor("#1f3a68")
RULE = colors.HexColor("#b8c2d6")
HEAD_BG = colors.HexColor("#e8edf5")
SOFT_BG = colors.HexColor("#f4f4f4")
BAD_BG = colors.HexColor("#fdecea")
NOTE_BG = colors.HexColor("#fbf7e8")


# --------------------------------------------------------------- description


@dataclass
class Text:
    markup: str  # cleaned and escaped
    style: str


@dataclass
class Table:
    rows: list[list[Text]]
    widths: list[float]
    header: bool = True
    style: list[tuple] = field(default_factory=list)


@dataclass
class Image:
    # JPEG bytes, or a function giving them when the page is drawn (the bundle lays out its
    # pages while the image workers still run); px must be their size either way
    data: bytes | Callable[[], bytes]
    px: tuple[int, int]
    # text read from the picture (`scan`), drawn invisibly over it so it can be searched and
    # copied: (cleaned text, (x0, y0, x1, y1) as fractions of the picture, y from the top)
    text: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)


@dataclass
class Lines:
    lines: list[str]  # cleaned, plain text


@dataclass
class Break:
    kind: str = "page"  # page | space | cond
    size: float = 0


class Doc:
    """The document as data; every string goes through the glyph filter here."""

    def __init__(self) -> None:
        self.glyphs = GlyphFilter("sans")
        self.items: list[object] = []

    # text helpers: `user` text is cleaned and escaped; fixed text is ours and only recorded
    def markup(self, text: object, user: bool = True) -> str:
        text = self.glyphs.clean(text) if user else self.glyphs.note(str(text))
        return escape(text).replace("\n", "<br/>")

    def text(self, text: object, style: str = "body", user: bool = True) -> Text:
        return Text(self.markup(text, user), style)

    def fixed(self, text: str, style: str = "body") -> Text:
        return self.text(text, style, user=False)

    def add(self, *objs: object) -> None:
        self.items.extend(objs)

    def para(self, text: object, style: str = "body", user: bool = True) -> None:
        self.add(self.text(text, style, user))

    def heading(self, text: str) -> None:
        self.add(Break("cond", 60 * mm), self.fixed(text, "h1"))

    def sub(self, text: object, user: bool = False) -> None:
        self.add(Break("cond", 30 * mm), self.text(text, "h2", user))

    def lines(self, lines: list[str]) -> None:
        self.add(Lines([self.glyphs.clean(line) for line in lines]))


# ------------------------------------------------------------------ flowables


class JpegImage(Flowable):
    """JPEG bytes drawn as large as the space allows (DCT passthrough, no ASCII85)."""

    def __init__(self, data, px: tuple[int, int], text=(), font: str = ""):
        super().__init__()
        self.data = data  # bytes, or a function that gives them (called once, when drawn)
        self.px = px
        self.text = list(text)
        self.font = font

    def wrap(self, avail_w, avail_h):
        w, h = self.px
        scale = min(avail_w / w, avail_h / h)
        self.draw_w, self.draw_h = w * scale, h * scale
        self.avail_w = avail_w
        return avail_w, self.draw_h

    def draw(self):
        c = self.canv
        doc = c._doc
        data = self.data() if callable(self.data) else self.data
        name = "bhimg" + hashlib.sha256(data).hexdigest()[:32]
        reg = doc.getXObjectName(name)
        if not doc.idToObject.get(reg):
            obj = pdfdoc.PDFImageXObject(name)
            if not obj.loadImageFromJPEG(io.BytesIO(data)):
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
        self._draw_text_layer()
        c.scale(self.draw_w, self.draw_h)
        c._code.append(f"/{reg} Do")
        c.restoreState()

    def _draw_text_layer(self) -> None:
        """The text read from the picture, invisible (text render mode 3) at the lines'
        positions, each line stretched to its box: a viewer's search finds it there."""
        if not self.text or not self.font:
            return
        c = self.canv
        for text, (x0, y0, x1, y1) in self.text:
            box_w = (x1 - x0) * self.draw_w
            box_h = (y1 - y0) * self.draw_h
            natural = pdfmetrics.stringWidth(text, self.font, 1)
            if box_w <= 0 or box_h <= 0 or natural <= 0:
                continue
            size = box_h * 0.8
            t = c.beginText()
            t.setTextRenderMode(3)
            t.setFont(self.font, size)
            t.setHorizScale(100 * box_w / (natural * size))
            t.setTextOrigin(x0 * self.draw_w, (1 - y1) * self.draw_h + box_h * 0.15)
            t.textOut(text)
            c.drawText(t)


class TextLines(Flowable):
    """A long plain text (a chat log): wrapped per character, numbered, split across pages.

    Much faster than one Paragraph per line for 100 000-line logs; the text is drawn as is
    (no markup), so nothing needs escaping. Continuation lines are indented.
    """

    def __init__(self, lines, font, size=8.5, leading=11.5, _wrapped=None, _span=None):
        super().__init__()
        self.lines = lines
        self.font = font
        self.size = size
        self.leading = leading
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
        for n, line in enumerate(self.lines, 1):
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
        args = (self.lines, self.font, self.size, self.leading, self._wrapped)
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
        "note": s("note", fontSize=8.5, leading=12, textColor=colors.HexColor("#5a4a1a")),
        "bad": s("bad", fontSize=8, leading=11, textColor=colors.HexColor("#a11b1b")),
        "hash": s("hash", fontSize=7.5, leading=10, textColor=colors.HexColor("#333333")),
    }


def _materialize(d: Doc, font: str) -> list:
    st = _styles(font)

    def para(t: Text) -> Paragraph:
        return Paragraph(t.markup, st[t.style])

    story: list = []
    for it in d.items:
        if isinstance(it, Text):
            story.append(para(it))
        elif isinstance(it, Break):
            if it.kind == "page":
                story.append(PageBreak())
            elif it.kind == "cond":
                story.append(CondPageBreak(it.size))
            else:
                story.append(Spacer(1, it.size))
        elif isinstance(it, Table):
            rows = [[para(x) for x in row] for row in it.rows]
            t = RLTable(rows, colWidths=it.widths, repeatRows=1 if it.header else 0, splitInRow=1)
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
        elif isinstance(it, Image):
            story.append(JpegImage(it.data, it.px, it.text, font))
        elif isinstance(it, Lines):
            story.append(TextLines(it.lines, font))
        else:  # a bug in the describing code, not user input
            raise TypeError(f"unknown layout item {type(it).__name__}")
    return story


def render(d: Doc, header: str, title: str, subject: str, keywords: str) -> tuple[bytes, int]:
    """Subset and register the font for `d` and lay the document out in memory (reportlab holds
    the whole PDF until saving anyway). Returns (PDF bytes, number of pages); the caller writes
    them atomically (`fileio.write_bytes_atomic`), so an interrupted run never leaves half a PDF
    under the final name."""
    header = d.glyphs.clean(header)
    d.glyphs.note("第页共/ 0123456789")
    font = register_font("sans", d.glyphs.used)
    story = _materialize(d, font)
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
    return buffer.getvalue(), doc.page
