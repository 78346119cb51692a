"""Sample evidence for the built-in sample case (`buyer-helper demo`), generated offline.

Three files, named by the sample answers' `evidence_notes`: a chat screenshot drawn with the
packaged Chinese font, a synthetic "photo" of the leaking cup with EXIF DateTimeOriginal, and a
chat log (UTF-8 text, one line with an emoji). Shop, order, item and every time come from the
answers (SAMPLE_ANSWERS or the demo's shifted copy), so the files agree with the case. The same
answers give the same files, file times included, so the demo's PDF is byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ..casefile.fileio import write_bytes_atomic, write_text_atomic
from ..casefile.sample_case import SAMPLE_ANSWERS
from ..facts.platforms import get_platform
from ..facts.tz import to_shanghai

# The buyer's chat with the shop, consistent with the sample's story: (who, minutes after the
# buyer first contacted the shop, text); "me" is the buyer, "shop" the seller.
CHAT = [
    ("me", 0, "你好，杯子今天收到了，倒热水后杯盖处一直漏水，杯身外壁烫手，完全不保温。"),
    ("me", 1, "[图片] [视频] 漏水的照片和视频发你了"),
    ("shop", 15, "用久了都这样，你自己弄坏的"),
    ("me", 17, "我今天刚签收，第一次用就漏水。我要申请退货退款，原因是质量问题。"),
    ("shop", 35, "退款原因你改成“不想要了”，我就给你同意"),
    ("me", 37, "就是质量问题，我不会改退款原因。"),
    ("shop", 145, "你是不是有病？爱买不买，穷就别买"),
    ("me", 146, "请注意你的用语，聊天记录我会保留，向平台投诉。😡"),
]
# (minutes after the rejection, text): the buyer's answer to the seller's rejection
AFTER_REJECTION = (3, "我已经把漏水的照片和视频都发给你了，为什么驳回？我会申请平台介入。")
PHOTO_BEFORE_CONTACT = dt.timedelta(minutes=12, seconds=30)  # the photo, taken before writing
SCREENSHOT_AFTER_CONTACT = dt.timedelta(minutes=150)  # screenshot taken after the insult
CHATLOG_AFTER_REJECTION = dt.timedelta(minutes=28)  # chat copied out after the rejection


@dataclass(frozen=True)
class SampleEvidence:
    """The sample's evidence, read from a sample answers dict (SAMPLE_ANSWERS or a shifted copy)."""

    platform: str  # "拼多多"
    shop: str
    order_id: str
    item: str
    screenshot: str  # file names, from the answers' evidence_notes
    photo: str
    chatlog: str
    contacted: dt.datetime  # the timeline's "contacted_seller" entry
    filed: dt.datetime  # "after_sales_filed"
    rejected: dt.datetime  # "seller_rejected"

    @classmethod
    def from_answers(cls, answers: dict) -> SampleEvidence:
        names = list(answers["evidence_notes"])
        at = {e.get("tried"): to_shanghai(_moment(e["at"])) for e in answers["timeline"]}
        order = answers["order"]
        return cls(
            platform=get_platform(answers["platform"]).name,
            shop=order["shop"],
            order_id=order["id"],
            item=order["item"],
            screenshot=next(n for n in names if n.endswith(".png")),
            photo=next(n for n in names if n.endswith(".jpg")),
            chatlog=next(n for n in names if n.endswith(".txt")),
            contacted=at["contacted_seller"],
            filed=at["after_sales_filed"],
            rejected=at["seller_rejected"],
        )

    def chat(self) -> list[tuple[str, dt.datetime, str]]:
        return [(who, self.contacted + dt.timedelta(minutes=m), t) for who, m, t in CHAT]

    @property
    def photo_taken(self) -> dt.datetime:
        return self.contacted - PHOTO_BEFORE_CONTACT

    def mtimes(self) -> dict[str, dt.datetime]:
        return {
            self.screenshot: self.contacted + SCREENSHOT_AFTER_CONTACT,
            self.photo: self.photo_taken,
            self.chatlog: self.rejected + CHATLOG_AFTER_REJECTION,
        }

    def chatlog_text(self) -> str:
        def line(when: dt.datetime, who: str, text: str) -> str:
            return f"{when:%Y-%m-%d %H:%M} {who}：{text}"

        who = {"me": "我", "shop": self.shop}
        reply = self.rejected + dt.timedelta(minutes=AFTER_REJECTION[0])
        lines = [
            f"{self.platform}聊天记录（从 App 聊天界面复制）",
            f"店铺：{self.shop}",
            f"订单号：{self.order_id}　商品：{self.item}",
            "",
            *(line(when, who[w], text) for w, when, text in self.chat()),
            line(self.filed, "系统消息", "买家已申请退货退款，退款原因：质量问题"),
            line(self.rejected, "系统消息", "商家已驳回退货退款申请，驳回理由：商品已使用"),
            line(reply, "我", AFTER_REJECTION[1]),
        ]
        return "\n".join(lines) + "\n"


def _moment(value) -> dt.datetime | dt.date:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def sample_evidence_names(answers: dict | None = None) -> list[str]:
    """The names of the files `make_sample_evidence` writes, in the order the evidence folder
    lists them (for the texts' evidence lists, decided before anything is written)."""
    from .files import natural_key

    ev = SampleEvidence.from_answers(answers or SAMPLE_ANSWERS)
    return sorted((ev.screenshot, ev.photo, ev.chatlog), key=natural_key)


def make_sample_evidence(folder: Path, answers: dict | None = None) -> list[Path]:
    """Write the sample's three evidence files into `folder` (created if needed); return them.

    `answers` is SAMPLE_ANSWERS (default) or a shifted copy (`sample.sample_answers`): names,
    shop, order and every time in the files come from it."""
    ev = SampleEvidence.from_answers(answers or SAMPLE_ANSWERS)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(folder / ev.screenshot, chat_screenshot_png(ev))
    write_bytes_atomic(folder / ev.photo, leak_photo_jpeg(ev.photo_taken))
    write_text_atomic(folder / ev.chatlog, ev.chatlog_text())
    paths = []
    for name, when in ev.mtimes().items():
        ts = when.timestamp()
        os.utime(folder / name, (ts, ts))
        paths.append(folder / name)
    return paths


_NO_LINE_START = "，。、；：？！”’）》」"


def _wrap(text: str, font, width: float) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if cur and font.getlength(cur + ch) > width:
            if ch in _NO_LINE_START and len(cur) > 1:  # keep "。" off the start of a line
                lines.append(cur[:-1])
                cur = cur[-1]
            else:
                lines.append(cur)
                cur = ""
        cur += ch
    if cur:
        lines.append(cur)
    return lines


def chat_screenshot_png(ev: SampleEvidence) -> bytes:
    """A phone chat screenshot (750×1624) showing the seller's rude replies."""
    from PIL import Image, ImageDraw, ImageFont

    from ..pdf.fonts import font_path

    path = str(font_path("sans"))
    f_msg = ImageFont.truetype(path, 30)
    f_small = ImageFont.truetype(path, 22)
    f_title = ImageFont.truetype(path, 32)
    w, h = 750, 1624
    im = Image.new("RGB", (w, h), (237, 237, 237))
    d = ImageDraw.Draw(im)
    # status bar and title bar
    d.rectangle([0, 0, w, 150], fill=(247, 247, 247))
    d.text((30, 14), f"{ev.mtimes()[ev.screenshot]:%H:%M}", font=f_small, fill=(0, 0, 0))
    d.text((w - 120, 14), "87%", font=f_small, fill=(0, 0, 0))
    d.text((30, 72), "‹", font=f_title, fill=(40, 40, 40))
    d.text((w / 2, 90), ev.shop, font=f_title, fill=(20, 20, 20), anchor="mm")
    d.line([0, 150, w, 150], fill=(210, 210, 210), width=2)
    y = 180
    max_text = 430
    shown: dt.datetime | None = None
    for who, when, text in ev.chat():
        if shown is None or when - shown > dt.timedelta(minutes=60):  # a time stamp, as apps do
            label = f"{when:%H:%M}" if shown else f"{when.month}月{when.day}日 {when:%H:%M}"
            d.text((w / 2, y + 14), label, font=f_small, fill=(150, 150, 150), anchor="mm")
            y += 56
        shown = when
        text = "".join(c for c in text if ord(c) <= 0xFFFF)  # a phone shows 😡; the font cannot
        lines = _wrap(text, f_msg, max_text)
        text_w = max(f_msg.getlength(line) for line in lines)
        bw, bh = text_w + 40, len(lines) * 42 + 26
        if who == "me":
            x1 = w - 110
            box = [x1 - bw, y, x1, y + bh]
            fill = (149, 236, 105)
            d.rounded_rectangle([w - 90, y, w - 20, y + 70], 10, fill=(96, 140, 200))
            d.text((w - 55, y + 35), "我", font=f_msg, fill=(255, 255, 255), anchor="mm")
        else:
            x0 = 110
            box = [x0, y, x0 + bw, y + bh]
            fill = (255, 255, 255)
            d.rounded_rectangle([20, y, 90, y + 70], 10, fill=(230, 100, 60))
            d.text((55, y + 35), "店", font=f_msg, fill=(255, 255, 255), anchor="mm")
        d.rounded_rectangle(box, 12, fill=fill)
        for i, line in enumerate(lines):
            d.text((box[0] + 20, box[1] + 13 + i * 42), line, font=f_msg, fill=(25, 25, 25))
        y += bh + 34
    if y > h - 110:
        raise AssertionError("sample screenshot overflows")  # a bug in this module, not user input
    # input bar
    d.rectangle([0, h - 110, w, h], fill=(247, 247, 247))
    d.rounded_rectangle([30, h - 90, w - 30, h - 30], 10, fill=(255, 255, 255))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def leak_photo_jpeg(taken: dt.datetime) -> bytes:
    """A synthetic 1600×1200 "photo" of a steel cup leaking at the lid, with EXIF capture time."""
    from PIL import Image, ImageDraw, ImageFilter

    w, h = 1600, 1200
    # wooden table: horizontal gradient with grain stripes
    base = Image.linear_gradient("L").resize((w, h)).rotate(90, expand=False)
    table = Image.merge(
        "RGB",
        (
            base.point(lambda v: 150 + v // 4),
            base.point(lambda v: 105 + v // 5),
            base.point(lambda v: 70 + v // 6),
        ),
    )
    d = ImageDraw.Draw(table)
    for i in range(0, h, 23):
        shade = 12 if (i // 23) % 3 else -10
        d.line([0, i, w, i + 40], fill=(140 + shade, 98 + shade, 62 + shade), width=3)
    # the cup: body with a vertical steel gradient, lid, water
    steel = Image.linear_gradient("L").rotate(90).resize((420, 760))
    steel = steel.point(lambda v: 120 + int(110 * abs((v - 128) / 128) ** 0.7))
    mask = Image.new("L", (420, 760), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, 419, 759], 60, fill=255)
    table.paste(
        Image.merge("RGB", (steel, steel, steel.point(lambda v: min(255, v + 8)))), (590, 300), mask
    )
    d = ImageDraw.Draw(table)
    d.rounded_rectangle([570, 230, 1030, 330], 30, fill=(45, 45, 50))
    d.rectangle([570, 300, 1030, 318], fill=(30, 30, 34))
    water = (170, 205, 235)
    d.ellipse([430, 1000, 1180, 1120], fill=(120, 95, 70))  # wet patch
    d.ellipse([470, 1010, 1140, 1100], fill=(150, 175, 195))
    for k, (x, y) in enumerate([(600, 340), (640, 420), (1000, 360), (975, 470), (610, 560)]):
        r = 14 + k * 3
        d.ellipse([x - r, y - r * 1.4, x + r, y + r * 1.4], fill=water, outline=(235, 245, 255))
    d.line([1030, 318, 1040, 700], fill=water, width=10)
    d.line([575, 318, 560, 980], fill=water, width=8)
    photo = table.filter(ImageFilter.GaussianBlur(1.2))
    exif = Image.Exif()
    exif[0x010F] = "Sample"  # Make
    exif[0x0110] = "buyer-helper demo"  # Model
    exif[0x0112] = 1
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = f"{taken:%Y:%m:%d %H:%M:%S}"  # DateTimeOriginal
    sub[0x9011] = f"{taken:%z}"[:3] + ":" + f"{taken:%z}"[3:]  # OffsetTimeOriginal, "+08:00"
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=88, exif=exif)
    return buf.getvalue()
