"""Phone screenshots drawn for the scan tests with the packaged Chinese font (1080×2340).

Each generator returns (PNG bytes, expected) where expected lists (side, text) for every line
a reader should find: `other` (left bubbles), `me` (right bubbles), `app` (status bar, title,
centred times and notices). Emoji are drawn as pictures (as phones show them), so they are not
in the expected text.
"""

from __future__ import annotations

import io

W, H = 1080, 2340
MSG = 40
SMALL = 32
BUBBLE_TEXT = 620  # widest text in a bubble
EMOJI = "\U0001f621"

CHAT = [
    ("app", "11月20日 10:02"),
    ("other", "亲，您好，请问有什么可以帮您？"),
    ("me", f"杯子漏水，我要退货退款{EMOJI}"),
    ("other", "你是不是有病，买不起别买"),
    ("me", "请注意用语，你说我有病，我会向平台投诉"),
    ("app", "10:15"),
    (
        "other",
        "这个杯子用久了都这样，是你自己使用不当弄坏的，加我微信wx_youpin88私下给你退20元",
    ),
    ("me", "我今天刚签收，第一次倒热水就漏水，这明显是质量问题，照片和视频都已经发给你了"),
    ("app", "商家已驳回退货退款申请"),
    ("other", "好评返现10元，把差评删了就行"),
    ("me", "好"),
]


def _fonts():
    from PIL import ImageFont

    from buyer_helper.pdf.fonts import font_path

    path = str(font_path("sans"))
    return ImageFont.truetype(path, MSG), ImageFont.truetype(path, SMALL)


def _wrap(text: str, font, width: float) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if cur and font.getlength(cur + ch) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur] if cur else lines


def _emoji(d, x: float, y: float, size: int) -> None:
    """An emoji as a phone draws it: a small picture, not a glyph."""
    d.ellipse([x, y, x + size, y + size], fill=(255, 200, 40), outline=(200, 120, 20), width=2)
    e = size / 5
    d.ellipse([x + 1.3 * e, y + 1.6 * e, x + 2 * e, y + 2.3 * e], fill=(90, 40, 20))
    d.ellipse([x + 3 * e, y + 1.6 * e, x + 3.7 * e, y + 2.3 * e], fill=(90, 40, 20))
    d.arc([x + 1.4 * e, y + 3 * e, x + 3.6 * e, y + 4.4 * e], 200, 340, fill=(90, 40, 20), width=3)


def _png(im) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _status_bar(d, f_small, title: str) -> list[tuple[str, str]]:
    d.rectangle([0, 0, W, 220], fill=(247, 247, 247))
    d.text((50, 30), "10:30", font=f_small, fill=(0, 0, 0))
    d.text((W - 140, 30), "87%", font=f_small, fill=(0, 0, 0))
    d.text((W / 2, 150), title, font=f_small, fill=(20, 20, 20), anchor="mm")
    d.line([0, 220, W, 220], fill=(210, 210, 210), width=2)
    return [("app", "10:30"), ("app", "87%"), ("app", title)]


def chat_screenshot(chat=CHAT, title: str = "优品家居旗舰店") -> tuple[bytes, list]:
    from PIL import Image, ImageDraw

    f_msg, f_small = _fonts()
    im = Image.new("RGB", (W, H), (237, 237, 237))
    d = ImageDraw.Draw(im)
    expected = _status_bar(d, f_small, title)
    y = 270
    for side, text in chat:
        if side == "app":
            tw = f_small.getlength(text)
            d.rounded_rectangle(
                [W / 2 - tw / 2 - 16, y, W / 2 + tw / 2 + 16, y + 52], 8, fill=(218, 218, 218)
            )
            d.text((W / 2, y + 26), text, font=f_small, fill=(255, 255, 255), anchor="mm")
            d.text((W / 2, y + 26), text, font=f_small, fill=(120, 120, 120), anchor="mm")
            expected.append(("app", text))
            y += 52 + 40
            continue
        has_emoji = EMOJI in text
        plain = text.replace(EMOJI, "")
        lines = _wrap(plain, f_msg, BUBBLE_TEXT)
        widths = [f_msg.getlength(ln) for ln in lines]
        if has_emoji:
            widths[-1] += MSG + 6
        text_w = min(BUBBLE_TEXT + MSG, max(widths))
        bw, bh = text_w + 56, len(lines) * 58 + 36
        if side == "me":
            x1 = W - 160
            box = [x1 - bw, y, x1, y + bh]
            d.rounded_rectangle([W - 140, y, W - 40, y + 100], 12, fill=(96, 140, 200))
            fill = (149, 236, 105)
        else:
            box = [160, y, 160 + bw, y + bh]
            d.rounded_rectangle([40, y, 140, y + 100], 12, fill=(230, 100, 60))
            fill = (255, 255, 255)
        d.rounded_rectangle(box, 16, fill=fill)
        for i, line in enumerate(lines):
            d.text((box[0] + 28, box[1] + 18 + i * 58), line, font=f_msg, fill=(25, 25, 25))
        if has_emoji:
            last = len(lines) - 1
            _emoji(d, box[0] + 28 + f_msg.getlength(lines[-1]) + 6, box[1] + 22 + last * 58, MSG)
        expected.append((side, plain))
        y += bh + 44
    assert y < H - 150, "chat does not fit"
    d.rectangle([0, H - 150, W, H], fill=(247, 247, 247))
    d.rounded_rectangle([40, H - 125, W - 40, H - 40], 12, fill=(255, 255, 255))
    return _png(im), expected


ORDER = {
    "id": "231118-094512837760231",
    "amount": "89.90",
    "shop": "优品家居旗舰店",
    "ordered_on": "2026-11-16",
    "signed_on": "2026-11-20",
}


def order_screenshot(order=ORDER) -> tuple[bytes, list]:
    """An order-detail page: shop, goods, amount paid, order number, order and signing times."""
    from PIL import Image, ImageDraw

    f_msg, f_small = _fonts()
    im = Image.new("RGB", (W, H), (245, 245, 245))
    d = ImageDraw.Draw(im)
    expected = _status_bar(d, f_small, "订单详情")
    d.rectangle([0, 240, W, 420], fill=(255, 90, 60))
    d.text((60, 300), "交易成功", font=f_msg, fill=(255, 255, 255))
    expected.append(("", "交易成功"))
    d.rounded_rectangle([30, 450, W - 30, 900], 20, fill=(255, 255, 255))
    d.text((70, 490), order["shop"] + " >", font=f_msg, fill=(20, 20, 20))
    d.rectangle([70, 580, 250, 760], fill=(200, 200, 205))
    d.text((280, 590), "不锈钢保温杯 500ml", font=f_msg, fill=(20, 20, 20))
    d.text((280, 660), "颜色：银色", font=f_small, fill=(120, 120, 120))
    d.text((W - 70, 810), f"实付款 ¥{order['amount']}", font=f_msg, fill=(20, 20, 20), anchor="ra")
    expected += [
        ("", order["shop"]),
        ("", "不锈钢保温杯 500ml"),
        ("", "颜色：银色"),
        ("", f"实付款¥{order['amount']}"),
    ]
    d.rounded_rectangle([30, 940, W - 30, 1400], 20, fill=(255, 255, 255))
    rows = [
        ("订单编号", order["id"]),
        ("下单时间", f"{order['ordered_on']} 20:15:32"),
        ("签收时间", f"{order['signed_on']} 18:40:05"),
    ]
    for i, (label, value) in enumerate(rows):
        y = 990 + i * 120
        d.text((70, y), label, font=f_small, fill=(120, 120, 120))
        d.text((290, y), value, font=f_small, fill=(20, 20, 20))
        expected += [("", label), ("", value)]
    return _png(im), expected


def push_screenshot(message: str = "加我微信wx_youpin88，好评返现15元") -> tuple[bytes, list]:
    """A WeChat notification on the lock screen: the shop writing to the buyer off-platform."""
    from PIL import Image, ImageDraw, ImageFont

    from buyer_helper.pdf.fonts import font_path

    f_msg, f_small = _fonts()
    f_clock = ImageFont.truetype(str(font_path("sans")), 150)
    im = Image.new("RGB", (W, H), (40, 60, 90))
    d = ImageDraw.Draw(im)
    d.text((W / 2, 420), "10:41", font=f_clock, fill=(255, 255, 255), anchor="mm")
    d.text((W / 2, 560), "11月21日 星期六", font=f_small, fill=(255, 255, 255), anchor="mm")
    f_body = ImageFont.truetype(str(font_path("sans")), 34)
    d.rounded_rectangle([40, 700, W - 40, 980], 30, fill=(235, 235, 240))
    d.text((90, 730), "微信", font=f_small, fill=(90, 90, 90))
    d.text((90, 800), "优品家居旗舰店", font=f_msg, fill=(20, 20, 20))
    d.text((90, 880), message, font=f_body, fill=(20, 20, 20))
    expected = [
        ("app", "10:41"),
        ("app", "11月21日 星期六"),
        ("other", "微信"),
        ("other", "优品家居旗舰店"),
        ("other", message),
    ]
    return _png(im), expected


def no_text_photo() -> bytes:
    """A photo with no writing in it (the demo's leaking cup)."""
    import datetime as dt

    from buyer_helper.evidence.sample_evidence import leak_photo_jpeg

    return leak_photo_jpeg(dt.datetime(2026, 11, 20, 18, 50))
