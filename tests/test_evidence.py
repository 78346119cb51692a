"""The evidence index (kinds, dates, hashes, notes, previews) and the font subsetting."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS
from buyer_helper.errors import BuyerHelperError
from buyer_helper.evidence.files import decode_text, list_files, process_image, scan_evidence
from buyer_helper.evidence.sample_evidence import make_sample_evidence
from buyer_helper.pdf.fonts import EMOJI_MARK, GlyphFilter, font_path, subset_ttf

SH = dt.timezone(dt.timedelta(hours=8))


def _jpeg(size=(120, 80), exif=None, color=(90, 90, 200)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", **({"exif": exif} if exif else {}))
    return buf.getvalue()


# ------------------------------------------------------------------ index


def test_sample_evidence_matches_the_sample_notes(tmp_path):
    make_sample_evidence(tmp_path)
    items = scan_evidence(tmp_path, SAMPLE_ANSWERS["evidence_notes"])
    assert [i.name for i in items] == list(SAMPLE_ANSWERS["evidence_notes"])
    assert [i.kind for i in items] == ["截图", "照片", "聊天记录"]
    assert all(i.previewable for i in items)
    assert [i.note for i in items] == list(SAMPLE_ANSWERS["evidence_notes"].values())
    photo = items[1]
    assert photo.date_source == "拍摄"
    assert photo.date == dt.datetime(2026, 11, 20, 18, 52, 30, tzinfo=SH)
    assert items[0].date_source == "修改"
    assert items[0].date == dt.datetime(2026, 11, 20, 21, 35, tzinfo=SH)
    for item in items:
        assert item.sha256 == hashlib.sha256(item.path.read_bytes()).hexdigest()
        assert item.size == item.path.stat().st_size
    assert "😡" in items[2].text


def test_sample_evidence_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    make_sample_evidence(a)
    make_sample_evidence(b)
    for name in SAMPLE_ANSWERS["evidence_notes"]:
        assert (a / name).read_bytes() == (b / name).read_bytes()
        assert (a / name).stat().st_mtime == (b / name).stat().st_mtime


def test_listing_is_recursive_natural_and_skips_hidden(tmp_path):
    for rel in ["10.txt", "2.txt", "子文件夹/1.txt", ".hidden.txt", ".git/x.txt", "Thumbs.db"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    names = [p.relative_to(tmp_path).as_posix() for p in list_files(tmp_path)]
    assert names == ["2.txt", "10.txt", "子文件夹/1.txt"]


def test_missing_folder_is_a_chinese_error(tmp_path):
    with pytest.raises(BuyerHelperError, match="证据文件夹不存在"):
        scan_evidence(tmp_path / "nope")


def test_mtime_is_shown_in_shanghai_time(tmp_path):
    p = tmp_path / "记录.txt"
    p.write_text("你好", encoding="utf-8")
    ts = dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC).timestamp()
    os.utime(p, (ts, ts))
    (item,) = scan_evidence(tmp_path)
    assert item.date_text == "2026年11月21日 00:00（修改）"


def test_chat_logs_in_gb18030_and_utf8_bom_are_read(tmp_path):
    (tmp_path / "a.txt").write_bytes("商家：爱买不买\n".encode("gb18030"))
    (tmp_path / "b.txt").write_bytes("\ufeff商家：穷就别买\n".encode())
    a, b = scan_evidence(tmp_path)
    assert (a.text, a.encoding) == ("商家：爱买不买\n", "GB18030")
    assert (b.text, b.encoding) == ("商家：穷就别买\n", "UTF-8")


def test_binary_txt_is_listed_not_printed(tmp_path):
    (tmp_path / "x.txt").write_bytes(bytes(range(256)) * 4)
    (item,) = scan_evidence(tmp_path)
    assert not item.previewable
    assert "无法预览" in item.status
    assert item.kind == "其他"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_decode_text_never_raises(data):
    result = decode_text(data)
    assert result is None or isinstance(result[0], str)


def test_image_without_extension_is_recognised(tmp_path):
    (tmp_path / "微信图片").write_bytes(_jpeg())
    (item,) = scan_evidence(tmp_path)
    assert item.preview == "图片"


def test_png_alpha_is_flattened_on_white_and_big_images_shrink(tmp_path):
    from PIL import Image

    im = Image.new("RGBA", (3200, 1000), (0, 0, 0, 0))
    im.paste((200, 0, 0, 255), (1000, 200, 2000, 800))
    im.save(tmp_path / "屏幕截图.png")
    (item,) = scan_evidence(tmp_path)
    assert item.kind == "截图"
    assert item.original_size == (3200, 1000)
    ((jpeg, px),) = item.parts
    assert px == (1600, 500)
    out = Image.open(io.BytesIO(jpeg))
    assert out.format == "JPEG"
    assert all(v > 245 for v in out.getpixel((5, 5)))  # transparent became white
    r, g, _b = out.getpixel((750, 250))
    assert r > 180 and g < 40


def test_camera_jpeg_is_a_photo_and_small_jpeg_passes_through(tmp_path):
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Phone"
    data = _jpeg(exif=exif)
    (tmp_path / "a.jpg").write_bytes(data)
    (item,) = scan_evidence(tmp_path)
    assert item.kind == "照片"
    assert item.parts == [(data, (120, 80))]  # small and upright: the original bytes, untouched


def test_process_image_reports_reasons_in_chinese(tmp_path):
    bad = tmp_path / "half.jpg"
    data = _jpeg((600, 400))
    bad.write_bytes(data[: len(data) // 2])
    result = process_image(str(bad))
    assert result["ok"] is False
    assert result["reason"] == "图片文件不完整或已损坏"
    junk = tmp_path / "x.webp"
    junk.write_bytes(b"RIFF0000WEBPnonsense")
    result = process_image(str(junk))
    assert result["ok"] is False
    assert "图片" in result["reason"]


# ------------------------------------------------------------------ fonts


def test_font_file_is_the_packaged_ofl_font():
    path = font_path("sans")
    assert path.name == "NotoSansSC-Regular.otf"
    assert path.stat().st_size > 1_000_000


def test_missing_glyphs_become_visible_markers_with_a_warning():
    g = GlyphFilter()
    out = g.clean("好的😀👍🏻 家人👨‍👩‍👧 生僻字𪚥 铃\x07声\r\n下一行\t缩进")
    assert (
        out
        == f"好的{EMOJI_MARK}{EMOJI_MARK} 家人{EMOJI_MARK} 生僻字[□U+2A6A5] 铃声\n下一行    缩进"
    )
    (warning,) = g.warnings()
    for code in ("U+1F600", "U+1F44D", "U+2A6A5"):
        assert code in warning


def test_text_the_font_covers_needs_no_warning():
    g = GlyphFilter()
    text = "订单号 231118-094512837760231，“你是不是有病？” ¥89.90 ①②③ AT&T <b>"
    assert g.clean(text) == text
    assert g.warnings() == []


def test_subset_font_is_truetype_deterministic_and_uniquely_named():
    from fontTools.ttLib import TTFont

    a = subset_ttf("sans", set("维权证据包"))
    assert a == subset_ttf("sans", set("维权证据包"))
    b = subset_ttf("sans", set("维权证据包订单"))
    fa, fb = TTFont(io.BytesIO(a)), TTFont(io.BytesIO(b))
    assert "glyf" in fa and "CFF " not in fa
    assert set(fa.getBestCmap()) >= {ord(c) for c in "维权证据包"}
    assert fa["name"].getDebugName(6) != fb["name"].getDebugName(6)
    assert fa["name"].getDebugName(6).startswith("BuyerHelperSansSC-")


def test_line_separators_and_c1_controls():
    g = GlyphFilter()
    assert g.clean("一\x85二\u2028三\r四\x0c五\x9b六\x80") == "一\n二\n三\n四\n五六"
    assert g.warnings() == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_cleaned_text_uses_only_glyphs_the_font_has(text):
    from buyer_helper.pdf.fonts import font_coverage

    g = GlyphFilter()
    out = g.clean(text)
    cover = font_coverage("sans")
    assert all(ch == "\n" or (ord(ch) <= 0xFFFF and ord(ch) in cover) for ch in out)
    # nothing vanishes silently: every visible character kept, or counted in the warning
    dropped = {ch for ch in text if ch not in out and ch.isprintable() and not ch.isspace()}
    assert dropped <= set(g.missing) | {"\u200d", "\ufe0f", "\ufe0e"} | {
        chr(c) for c in range(0x1F3FB, 0x1F400)
    }


def test_unreadable_image_is_listed_with_a_reason(tmp_path, monkeypatch):
    import buyer_helper.evidence.files as evidence

    def denied(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(evidence, "sha256_file", denied)
    (tmp_path / "锁住.jpg").write_bytes(_jpeg())
    (item,) = scan_evidence(tmp_path, workers=1)
    assert item.status == "无法预览：无法读取文件（Permission denied）"


def test_broken_worker_pool_falls_back_to_this_process(tmp_path, monkeypatch):
    import concurrent.futures

    class NoPool:
        def __init__(self, *a, **k):
            raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    for i in range(6):
        (tmp_path / f"{i}.jpg").write_bytes(_jpeg(color=(i * 40, 0, 0)))
    seen = []
    items = scan_evidence(tmp_path, progress=lambda d, t: seen.append(d))
    assert all(i.previewable for i in items)
    assert seen == [1, 2, 3, 4, 5, 6]


CONTROLS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)])) + (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2028\u2029\u2060\u2066\u2069\ufeff"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(CONTROLS + "投诉 ab。") | st.characters(), max_size=60))
@example("退\u200b款\u202e原因\u2060。\ufeff")  # invisible characters the old filters disagreed on
@example("一\x85二\u2028三\r\n四\x0c五\x9b六")
def test_pdf_and_letters_apply_one_control_character_policy(text):
    """The PDF's glyph filter drops the same control characters as the letters' clean_block:
    laid out the way clean_block lays out lines, the PDF shows the same text (where the font
    has every glyph; characters beyond the BMP are always marked, see fonts.GlyphFilter)."""
    import re

    from buyer_helper.pdf.fonts import font_coverage
    from buyer_helper.texts.textcheck import clean_block

    cover = font_coverage("sans")
    line = text.replace("\t", " ")
    expected = clean_block(line)
    if all(c == "\n" or (ord(c) in cover and ord(c) <= 0xFFFF) for c in expected):
        got = GlyphFilter().clean(line)
        got = re.sub(r"\n{3,}", "\n\n", "\n".join(x.rstrip() for x in got.split("\n"))).strip()
        assert got == expected


def test_progress_counts_every_evidence_file_and_says_so(tmp_path, capsys):
    """12 files, 7 of them images: the buyer sees 处理证据文件 …/12, ending at 12/12."""
    from buyer_helper.evidence.files import stderr_progress

    for i in range(7):
        (tmp_path / f"照片{i}.jpg").write_bytes(_jpeg(color=(i * 30, 0, 0)))
    for i in range(3):
        (tmp_path / f"聊天{i}.txt").write_text("商家：不退", encoding="utf-8")
    (tmp_path / "开箱.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (tmp_path / "空.png").write_bytes(b"")
    seen: list[tuple[int, int]] = []
    show = stderr_progress()
    items = scan_evidence(tmp_path, progress=lambda d, t: (seen.append((d, t)), show(d, t)))
    assert len(items) == 12
    assert seen == [(i, 12) for i in range(1, 13)]
    err = capsys.readouterr().err
    assert "处理证据文件 12/12" in err and "处理图片" not in err


def test_sample_evidence_names_are_the_files_written(tmp_path):
    from buyer_helper.casefile.sample_case import sample_answers
    from buyer_helper.evidence.sample_evidence import sample_evidence_names

    answers = sample_answers(dt.date(2027, 5, 4))
    make_sample_evidence(tmp_path, answers)
    written = [p.relative_to(tmp_path).as_posix() for p in list_files(tmp_path)]
    assert sample_evidence_names(answers) == written


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("size", [(120, 80), (4000, 3000)])
def test_every_exif_orientation_shows_the_photo_upright(tmp_path, orientation, size):
    """Shrinking first and turning after gives what the viewer shows (PIL's exif_transpose of
    the whole photo): four coloured quarters land in the same places, at the displayed size."""
    from PIL import Image, ImageOps

    w, h = size
    im = Image.new("RGB", size, (255, 0, 0))
    im.paste((0, 255, 0), (w // 2, 0, w, h // 2))
    im.paste((0, 0, 255), (0, h // 2, w // 2, h))
    im.paste((255, 255, 0), (w // 2, h // 2, w, h))
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "p.jpg"
    im.save(path, "JPEG", quality=95, exif=exif)
    result = process_image(str(path))
    ((data, px),) = result["parts"]
    want = ImageOps.exif_transpose(Image.open(path))
    assert result["shown"] == want.size  # the original's size as the viewer shows it
    # a 4000×3000 JPEG decodes at half scale and goes in at that size (evidence.DRAFT_KEEP)
    want.thumbnail((2000, 2000))
    got = Image.open(io.BytesIO(data))
    assert px == got.size == want.size
    assert result["rotated"] is (orientation != 1)
    gw, gh = got.size
    for x, y in ((gw // 4, gh // 4), (3 * gw // 4, gh // 4), (gw // 4, 3 * gh // 4)):
        pairs = zip(got.getpixel((x, y)), want.getpixel((x, y)), strict=True)
        assert max(abs(a - b) for a, b in pairs) < 40


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        ((4000, 3000), (2000, 1500)),  # half scale fits DRAFT_KEEP × MAX_SIDE: no resize step
        ((3264, 2448), (1632, 1224)),
        ((5000, 3750), (1600, 1200)),  # half scale is 2500: resized down to MAX_SIDE
        ((1800, 1350), (1600, 1200)),  # half scale would be below MAX_SIDE: full decode, resize
    ],
)
def test_large_jpeg_photos_go_in_at_the_decoded_scale_or_max_side(tmp_path, size, shown):
    from PIL import Image

    from buyer_helper.evidence.files import DRAFT_KEEP, MAX_SIDE

    path = tmp_path / "p.jpg"
    Image.linear_gradient("L").convert("RGB").resize(size).save(path, "JPEG", quality=90)
    ((data, px),) = process_image(str(path))["parts"]
    assert px == Image.open(io.BytesIO(data)).size == shown
    assert MAX_SIDE <= max(px) <= DRAFT_KEEP * MAX_SIDE
