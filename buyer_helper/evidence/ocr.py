"""Reading the text of an image offline (the optional `ocr` extra) and telling who said each line.

The OCR engine is rapidocr-onnxruntime 1.4.x, whose PP-OCRv4 models ship inside its wheel:
nothing is downloaded. It is imported only here, inside `engine()`, and constructed once per
process. A missing extra or a missing system library (opencv needs libGL.so.1) becomes a
one-line Chinese BuyerHelperError with the fix, never a traceback.

Chat layout (`attribute`): the visual lines the engine returns are grouped into bubbles (lines
close together vertically that share a left edge), then each bubble is placed by its x-extent
relative to the image width: centred → `app` (times, notices), nearer the left edge → `other`
(the shop), nearer the right edge → `me` (the buyer). Bubbles whose two margins are nearly
equal are decided by the left/right edges the clear bubbles of the same image line up on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BuyerHelperError

INSTALL_HINT = "pip install 'buyer-helper[ocr]'"
LIBGL_HINT = "sudo apt install libgl1"

HEADER_BAND = 0.05  # top of a screenshot: the phone's status bar (clock, battery) is the app's
CENTRE_TOLERANCE = 0.035  # |left margin − right margin| ≤ this × width: a centred line
TIME_CENTRE_TOLERANCE = 0.12  # a line that is only a time may sit a little off centre
CLEAR_SIDE = 0.12  # margins differing by more than this × width: a bubble clearly on one side
ANCHOR_TOLERANCE = 0.03  # × width: a bubble's edge on the side's common edge
JOIN_GAP = 0.75  # × line height: a wrapped line continues its bubble within this gap
TALL_RATIO = 2.4  # taller than this (height / width): read in overlapping slices
SLICE_RATIO = 1.8  # height / width of each slice
# wider images are read at this width: a 1080-wide phone screenshot at 3/4 (bench/scan.py:
# less memory and time than at full width, the same lines read)
MAX_WIDTH = 810

TIME_RE = re.compile(
    r"^(?:(?:(?P<y>\d{4})[年/.-])?(?P<mo>\d{1,2})[月/.-](?P<d>\d{1,2})日?|昨天|今天|前天|"
    r"星期[一二三四五六日天]|周[一二三四五六日天])?\s*(?:上午|下午|晚上|凌晨|中午)?\s*"
    r"(?P<h>\d{1,2})[:：](?P<mi>\d{2})(?::\d{2})?$"
)

_ENGINE = None


def engine():
    """The process's OCR engine (constructed on first use)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = _load_engine()
    return _ENGINE


def _load_engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as e:
        text = str(e)
        if "libGL" in text or "libgthread" in text or "libglib" in text:
            raise BuyerHelperError(
                f"识别文字需要系统的图形库（{text.split(':')[0]}），请先运行：{LIBGL_HINT}",
                exit_code=1,
            ) from None
        raise BuyerHelperError(
            f"识别截图文字需要安装可选组件（完全离线，不联网）：{INSTALL_HINT}", exit_code=1
        ) from None
    except OSError as e:  # a broken shared library
        raise BuyerHelperError(
            f"识别文字的组件无法加载（{e}）；请运行 {LIBGL_HINT}，或重新安装：{INSTALL_HINT}",
            exit_code=1,
        ) from None
    return RapidOCR(print_verbose=False)


@dataclass
class Line:
    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the upright image
    score: float = 1.0
    side: str = ""  # other | me | app

    @property
    def height(self) -> int:
        return max(1, self.box[3] - self.box[1])


def read_image(im) -> list[Line]:
    """The visual text lines of a PIL image (RGB or L), top to bottom."""
    import numpy as np

    w, h = im.size
    scale = 1.0
    if w > MAX_WIDTH:
        scale = w / MAX_WIDTH
        im = im.resize((MAX_WIDTH, max(1, round(h / scale))))
    im = im.convert("RGB")
    width, height = im.size
    if height > TALL_RATIO * width:  # a long scrolling screenshot: overlapping slices
        step = int(width * SLICE_RATIO)
        overlap = step // 6
        tops = list(range(0, max(1, height - overlap), step - overlap))
    else:
        step, overlap, tops = height, 0, [0]
    found: list[Line] = []
    for top in tops:
        bottom = min(height, top + step)
        part = im.crop((0, top, width, bottom)) if len(tops) > 1 else im
        array = np.asarray(part)[:, :, ::-1]  # RGB → BGR, as opencv reads images
        result, _ = engine()(array, use_cls=False)
        for points, text, score in result or []:
            xs = [p[0] for p in points]
            ys = [p[1] + top for p in points]
            text = normalise(str(text).strip())
            if not text:
                continue
            line = Line(text, (min(xs), min(ys), max(xs), max(ys)), float(score))
            # slices overlap: each line belongs to the slice where its top edge falls first
            if top and line.box[1] < top + overlap / 2:
                continue
            if bottom < height and line.box[1] >= bottom - overlap / 2:
                continue
            found.append(line)
    for line in found:
        x0, y0, x1, y1 = line.box
        line.box = tuple(round(v * scale) for v in (x0, y0, x1, y1))
    found.sort(key=lambda ln: (ln.box[1], ln.box[0]))
    return found


def is_time(text: str) -> bool:
    return bool(TIME_RE.match(text.replace(" ", "")))


def _join(a: str, b: str, chinese: bool) -> str:
    """Two wrapped pieces of one message. Chat apps wrap a Chinese message at any character,
    even inside a Latin word (wx_you|pin88); a message without Chinese wraps at spaces."""
    if not chinese and a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii():
        return f"{a} {b}"
    return a + b


# ASCII punctuation the engine returns for the full-width marks of Chinese text
FULL_WIDTH = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；", "(": "（", ")": "）"}


def _cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def normalise(text: str) -> str:
    """Engine text as Chinese writes it: an ASCII comma, question mark … beside a Chinese
    character becomes the full-width mark (a time's "10:02" stays)."""
    out = []
    for i, ch in enumerate(text):
        if ch in FULL_WIDTH:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (before and _cjk(before)) or (after and _cjk(after) and not before.isdigit()):
                ch = FULL_WIDTH[ch]
        out.append(ch)
    return "".join(out)


def _similar_size(a: Line, b: Line) -> bool:
    """Lines of one bubble share a font size (a title above a message does not)."""
    return min(a.height, b.height) >= 0.8 * max(a.height, b.height)


def attribute(lines: list[Line], size: tuple[int, int]) -> list[Line]:
    """The messages of a screenshot: wrapped lines joined into one per bubble, each with its
    side (other | me | app) and the box around the whole bubble text."""
    w, h = size
    blocks: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.box[1], ln.box[0])):
        target = None
        if not is_time(line.text) and line.box[1] > HEADER_BAND * h:
            for block in reversed(blocks[-4:]):
                last = block[-1]
                gap = line.box[1] - last.box[3]
                if (
                    -0.3 * last.height < gap < JOIN_GAP * max(last.height, line.height)
                    and abs(line.box[0] - block[0].box[0]) <= max(0.02 * w, line.height * 0.6)
                    and _similar_size(line, last)
                    # a wrapped line is as long as the next (only the last one is shorter)
                    and last.box[2] >= line.box[2] - 0.5 * line.height
                    and not is_time(last.text)
                    and last.box[1] > HEADER_BAND * h
                    and line.box[1] >= last.box[1] + last.height * 0.5
                ):
                    target = block
                    break
        if target is None:
            blocks.append([line])
        else:
            target.append(line)
    merged = []
    for block in blocks:
        text = block[0].text
        chinese = any(_cjk(ch) for ln in block for ch in ln.text)
        for more in block[1:]:
            text = _join(text, more.text, chinese)
        box = (
            min(ln.box[0] for ln in block),
            min(ln.box[1] for ln in block),
            max(ln.box[2] for ln in block),
            max(ln.box[3] for ln in block),
        )
        merged.append(Line(text, box, min(ln.score for ln in block)))
    _sides(merged, w, h)
    return merged


def _sides(blocks: list[Line], w: int, h: int) -> None:
    undecided = []
    left_edges, right_edges = [], []
    for b in blocks:
        x0, _, x1, y1 = b.box
        left, right = x0, w - x1
        if (
            y1 <= HEADER_BAND * h
            or abs(left - right) <= CENTRE_TOLERANCE * w
            or (is_time(b.text) and abs(left - right) <= 2 * TIME_CENTRE_TOLERANCE * w)
        ):
            b.side = "app"
        elif right - left > CLEAR_SIDE * w:
            b.side = "other"
            left_edges.append(x0)
        elif left - right > CLEAR_SIDE * w:
            b.side = "me"
            right_edges.append(x1)
        else:
            undecided.append(b)
    left_edge = _median(left_edges)
    right_edge = _median(right_edges)
    for b in undecided:
        x0, _, x1, _ = b.box
        to_left = abs(x0 - left_edge) if left_edge is not None else None
        to_right = abs(x1 - right_edge) if right_edge is not None else None
        near_left = to_left is not None and to_left <= ANCHOR_TOLERANCE * w
        near_right = to_right is not None and to_right <= ANCHOR_TOLERANCE * w
        if near_left and (not near_right or to_left <= to_right):
            b.side = "other"
        elif near_right:
            b.side = "me"
        else:
            b.side = "other" if x0 < w - x1 else "me"


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[len(values) // 2]
