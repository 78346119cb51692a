"""Chinese fonts for the PDF, embedded, from the `pylopdf-fonts-zh-cn` package.

The package ships Noto Sans SC and Noto Serif SC Regular (SIL Open Font License 1.1, licence
file in its dist-info) as OTF files with CFF outlines, which reportlab cannot embed. For each
document we subset the font to the characters it uses (by hand: the bytes fontTools.subset gave,
without its 0.1 s import), convert the subset's cubic CFF outlines to quadratic TrueType `glyf`
outlines (Cu2QuPen + TTGlyphPen), and register the result, held in memory only, with reportlab
under a name derived from its contents.

Characters the font lacks (emoji, rare characters beyond the BMP) are never dropped silently:
`GlyphFilter.clean` replaces them with a visible marker and records them for a warning.

Heavy libraries (fontTools, reportlab) are imported inside functions only.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..texts.textcheck import strip_controls

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FACES = {"sans": "NotoSansSC-Regular.otf", "serif": "NotoSerifSC-Regular.otf"}
# Our own family/PostScript names for the converted subsets (the OFL asks modified fonts not to
# carry the original's name; the subset + outline conversion is such a modification).
FAMILY = {"sans": "BuyerHelperSansSC", "serif": "BuyerHelperSerifSC"}

EMOJI_MARK = "[表情]"
# Zero-width joiners, variation selectors and skin-tone modifiers belong to the emoji before them.
_EMOJI_JOINERS = {0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)}


def font_path(face: str = "sans") -> Path:
    """Path of the packaged OTF font file for `face` ("sans" or "serif")."""
    from importlib.resources import files

    from ..errors import BuyerHelperError

    try:
        root = files(FONT_PACKAGE)
    except ModuleNotFoundError:
        raise BuyerHelperError(
            "找不到中文字体包 pylopdf-fonts-zh-cn，请重新安装 buyer-helper（pip install .）"
        ) from None
    path = Path(str(root / FACES[face]))
    if not path.is_file():
        raise BuyerHelperError(f"中文字体文件缺失：{path}，请重新安装 pylopdf-fonts-zh-cn")
    return path


@lru_cache(maxsize=4)
def font_coverage(face: str = "sans") -> frozenset[int]:
    """The code points the packaged font has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(font_path(face), lazy=True) as font:
        return frozenset(font.getBestCmap())


def _is_emoji(cp: int) -> bool:
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2B00 <= cp <= 0x2BFF
        or 0x1F1E6 <= cp <= 0x1F1FF
        or cp in (0x2764, 0x2B50, 0x203C, 0x2049)
    )


@dataclass
class GlyphFilter:
    """Cleans user text for the PDF and remembers every character used and every one replaced.

    Control characters follow the one policy of `textcheck` (`strip_controls`, which
    `clean_block` is built on: line separators become newlines; C0/C1 controls and invisible
    format characters are removed). Unlike `clean_block` it keeps blank lines and indentation,
    so a chat log is printed line for line. Tabs become four spaces, and a character the font
    lacks, or any character beyond the BMP (reportlab writes a wrong ToUnicode entry for those),
    becomes a visible marker: "[表情]" for emoji, "[□U+XXXX]" else.
    """

    face: str = "sans"
    used: set[str] = field(default_factory=set)
    missing: dict[str, int] = field(default_factory=dict)  # char -> count

    def clean(self, text: object) -> str:
        text = strip_controls(text).replace("\t", "    ")
        cover = font_coverage(self.face)
        out: list[str] = []
        in_emoji = False
        prev = 0
        for ch in text:
            cp = ord(ch)
            if ch == "\n" or (cp <= 0xFFFF and cp in cover and cp not in _EMOJI_JOINERS):
                out.append(ch)
                in_emoji = False
            elif cp in _EMOJI_JOINERS:
                # part of the emoji before it (👍🏻, ❤️, 👨‍👩‍👧); a stray one is invisible anyway
                pass
            elif _is_emoji(cp):
                self.missing[ch] = self.missing.get(ch, 0) + 1
                if not (in_emoji and prev == 0x200D):  # a ZWJ sequence stays one marker
                    out.append(EMOJI_MARK)
                in_emoji = True
            else:
                self.missing[ch] = self.missing.get(ch, 0) + 1
                out.append(f"[□U+{cp:04X}]")
                in_emoji = False
            prev = cp
        result = "".join(out)
        self.used.update(result)
        return result

    def note(self, text: str) -> str:
        """Record fixed (our own) text as used; it must be covered by the font."""
        self.used.update(text)
        return text

    def warnings(self) -> list[str]:
        if not self.missing:
            return []
        visible = sorted(self.missing)
        listed = "、".join(f"{c}（U+{ord(c):04X}）×{self.missing[c]}" for c in visible[:30])
        more = f" 等共 {len(visible)} 种" if len(visible) > 30 else ""
        return [
            "字体中没有以下字符（表情符号或生僻字），PDF 里已用“[表情]”或“[□U+编码]”标出："
            + listed
            + more
        ]


def subset_ttf(face: str, chars: set[str]) -> bytes:
    """A TrueType (glyf) font holding just `chars`, converted from the packaged CFF font.

    Deterministic: the same characters give the same bytes (no timestamps recalculated).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    unicodes = sorted({ord(c) for c in chars if c not in "\n"} | {0x20})
    font = TTFont(font_path(face), recalcTimestamp=False, recalcBBoxes=True)
    # Subset by hand (what fontTools.subset did with these fonts, without importing it: the
    # same bytes): the glyphs of `chars` and .notdef, in the font's order; their outlines drawn
    # from the CFF ones into quadratic glyf outlines; the layout and vertical tables dropped.
    cmap = font.getBestCmap()
    mapping = {u: cmap[u] for u in unicodes if u in cmap}
    kept = {".notdef", *mapping.values()}
    order = sorted(kept, key=font.getGlyphID)
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    hmtx = font["hmtx"]
    hmtx.metrics = {name: hmtx.metrics[name] for name in order}
    subtables = []
    kinds = [(4, 0, 3), (4, 3, 1)]  # Unicode BMP
    if max(mapping) > 0xFFFF:
        kinds += [(12, 0, 4), (12, 3, 10)]  # and beyond
    for fmt, platform, encoding in kinds:
        sub = CmapSubtable.newSubtable(fmt)
        sub.platformID, sub.platEncID, sub.language = platform, encoding, 0
        sub.cmap = {u: g for u, g in mapping.items() if fmt == 12 or u <= 0xFFFF}
        subtables.append(sub)
    font["cmap"].tables = subtables
    name_table = font["name"]
    name_table.names = [
        n for n in name_table.names if n.nameID <= 6 and n.platformID == 3 and n.langID == 0x409
    ]
    for tag in ("GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG", "CFF "):
        if tag in font:
            del font[tag]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.setGlyphOrder(order)
    os2 = font["OS/2"]
    os2.recalcUnicodeRanges(font, pruneOnly=True)
    os2.updateFirstAndLastCharIndex(font)
    os2.recalcCodePageRanges(font, pruneOnly=True)
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxComponentDepth",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 3.0  # no glyph names needed
    post.extraNames = []
    post.mapping = {}

    digest = hashlib.sha256(("".join(map(chr, unicodes)) + face).encode()).hexdigest()[:10]
    ps_name = f"{FAMILY[face]}-{digest}"
    name_table = font["name"]
    for rec in list(name_table.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17):
            name_table.removeNames(nameID=rec.nameID)
    name_table.setName(FAMILY[face], 1, 3, 1, 0x409)
    name_table.setName(f"{ps_name};subset", 3, 3, 1, 0x409)
    name_table.setName(f"{FAMILY[face]} Regular", 4, 3, 1, 0x409)
    name_table.setName(ps_name, 6, 3, 1, 0x409)
    buf = io.BytesIO()
    font.save(buf)
    font.close()
    return buf.getvalue()


_registered: dict[tuple[str, frozenset[str]], str] = {}


def register_font(face: str, chars: set[str]) -> str:
    """Build and register (with reportlab) a subset font for `chars`; return its font name.

    The name is derived from the characters, so documents built in one process never share a
    font object with a different character set. Nothing is written to disk.
    """
    key = (face, frozenset(chars))
    if key in _registered:
        return _registered[key]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    data = subset_ttf(face, chars)
    name = f"{FAMILY[face]}-{hashlib.sha256(data).hexdigest()[:12]}"
    pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    _registered[key] = name
    return name
