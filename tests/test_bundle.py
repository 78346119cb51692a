"""The evidence bundle PDF, read back as a viewer (and an officer) would: text, fonts, images."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import re
import time
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from buyer_helper.casefile.case import load_case
from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS, SAMPLE_NOW
from buyer_helper.cli import main
from buyer_helper.decide.routing import route
from buyer_helper.errors import BuyerHelperError
from buyer_helper.evidence.sample_evidence import make_sample_evidence
from buyer_helper.facts.hours import parse_now
from buyer_helper.pdf.bundle import build_bundle, bundle_command

NOW = SAMPLE_NOW
ORDER_ID = SAMPLE_ANSWERS["order"]["id"]
SAMPLE_NAMES = sorted(SAMPLE_ANSWERS["evidence_notes"])  # the generated files, in folder order


# ------------------------------------------------------------------ helpers


def squash(text: str) -> str:
    """Text without whitespace: wrapped lines in the PDF must not break a comparison."""
    return re.sub(r"\s+", "", text)


FURNITURE = re.compile(r"^(第 \d+ 页 / 共 \d+ 页|维权证据包 · .* 订单 .*)$")


def pdf_text(path: Path, pages: slice = slice(None)) -> str:
    """The text of the pages, without the page header and footer lines."""
    lines = "\n".join(p.extract_text() for p in PdfReader(path).pages[pages]).split("\n")
    return "\n".join(line for line in lines if not FURNITURE.match(line.strip()))


def _xobjects(resources):
    xobjs = resources.get("/XObject") if resources else None
    return xobjs.get_object() if xobjs else {}


def pdf_fonts(reader: PdfReader) -> dict[int, dict]:
    """Every font object used on any page (or inside a form XObject), by object number."""
    fonts: dict[int, dict] = {}

    def visit(resources):
        if not resources:
            return
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            fonts[ref.idnum] = ref.get_object()
        for ref in _xobjects(resources).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Form":
                visit(obj.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return fonts


def pdf_images(reader: PdfReader) -> dict[int, dict]:
    images: dict[int, dict] = {}
    for page in reader.pages:
        for ref in _xobjects(page.get("/Resources")).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                images[ref.idnum] = obj
    return images


def _filters(img):
    f = img.get("/Filter")
    return [f] if isinstance(f, str) else list(f)


def font_is_embedded(font) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    desc = font.get("/FontDescriptor")
    if desc is None:
        return False
    desc = desc.get_object()
    return any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def make_case_dir(root: Path, answers: dict | None = None, samples: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    data = answers if answers is not None else copy.deepcopy(SAMPLE_ANSWERS)
    (root / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    if samples:
        make_sample_evidence(root / "evidence")
    else:
        (root / "evidence").mkdir()
    return root


def run_bundle(directory: Path, channel: str | None = None) -> tuple[str, int, Path]:
    message, code = bundle_command(
        directory=directory, answers=None, evidence=None, output=None, channel=channel, now=NOW
    )
    return message, code, directory / "out" / f"证据包-{ORDER_ID}.pdf"


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), exif=None) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(buf, "JPEG", quality=90, **kwargs)
    return buf.getvalue()


@pytest.fixture(scope="module")
def sample_bundle(tmp_path_factory):
    """The built-in sample case with its generated evidence, bundled once for several tests."""
    directory = make_case_dir(tmp_path_factory.mktemp("sample") / "案子")
    message, code, pdf = run_bundle(directory)
    return {"dir": directory, "message": message, "code": code, "pdf": pdf}


# -------------------------------------------------------------- the sample


def test_sample_bundle_holds_order_complaint_and_every_file(sample_bundle):
    from buyer_helper.texts.compose import render_letter

    assert sample_bundle["code"] == 0, sample_bundle["message"]
    assert "证据包已生成" in sample_bundle["message"]
    text = squash(pdf_text(sample_bundle["pdf"]))
    assert ORDER_ID in text
    for name in SAMPLE_ANSWERS["evidence_notes"]:
        assert name in text
    for note in SAMPLE_ANSWERS["evidence_notes"].values():
        assert squash(note) in text
    # the complaint for the plan's next step (a written one), word for word (line breaks aside)
    now = parse_now(NOW)
    case = load_case(sample_bundle["dir"], today=now.date())
    plan = route(case, now)
    assert plan.next_step.channel == "official_cs"
    letter = render_letter(case, plan, "official_cs", SAMPLE_NAMES, bundled=True)
    sentences = [s for s in letter.text.split("\n") if len(s.strip()) > 12]
    assert sentences
    for sentence in sentences:
        assert squash(sentence) in text
    # the seller's insult from the story, from the screenshot-free parts (story, chat log)
    assert "你是不是有病？爱买不买，穷就别买" in text


def test_sample_bundle_sections_page_numbers_and_metadata(sample_bundle):
    reader = PdfReader(sample_bundle["pdf"])
    total = len(reader.pages)
    for n, page in enumerate(reader.pages, 1):
        assert f"第{n}页/共{total}页" in squash(page.extract_text())
    text = squash(pdf_text(sample_bundle["pdf"]))
    order = [text.index(h) for h in ("一、时间线", "二、投诉文字", "三、维权计划", "四、证据清单")]
    assert order == sorted(order)
    assert "不是法律意见" in text  # the disclaimer
    assert reader.metadata.title == f"维权证据包 订单 {ORDER_ID}"
    assert "优品家居旗舰店" in reader.metadata.subject
    # timeline entries in time order
    assert text.index("2026年11月16日20:15") < text.index("2026年11月20日18:40")
    assert text.index("2026年11月21日09:10") < text.index("2026年11月22日10:02")


def test_every_font_is_embedded(sample_bundle):
    fonts = pdf_fonts(PdfReader(sample_bundle["pdf"]))
    assert fonts
    for font in fonts.values():
        assert font_is_embedded(font), font.get("/BaseFont")
    assert not any("Helvetica" in str(f.get("/BaseFont")) for f in fonts.values())


def test_sample_images_are_jpeg_without_ascii85(sample_bundle):
    images = pdf_images(PdfReader(sample_bundle["pdf"]))
    assert len(images) == 2  # the chat screenshot and the photo
    for img in images.values():
        assert list(_filters(img)) == ["/DCTDecode"]
    raw = sample_bundle["pdf"].read_bytes()
    assert b"ASCII85Decode" not in raw


def test_emoji_in_chat_log_is_marked_and_reported(sample_bundle):
    assert "😡" in sample_bundle["message"]
    assert "U+1F621" in sample_bundle["message"]
    text = pdf_text(sample_bundle["pdf"])
    assert "向平台投诉。[表情]" in squash(text)


def test_index_lists_sha256_of_original_files(sample_bundle):
    text = squash(pdf_text(sample_bundle["pdf"]))
    for path in sorted((sample_bundle["dir"] / "evidence").iterdir()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in text, path.name


# -------------------------------------------------------------- determinism


def test_same_inputs_give_byte_identical_pdfs(tmp_path):
    directory = make_case_dir(tmp_path / "case")
    now = parse_now(NOW)
    case = load_case(directory, today=now.date())
    a = build_bundle(case, route(case, now), directory / "evidence", tmp_path / "a.pdf")
    b = build_bundle(case, route(case, now), directory / "evidence", tmp_path / "b.pdf")
    assert a.path.read_bytes() == b.path.read_bytes()


def test_interrupted_write_leaves_old_pdf_untouched(tmp_path, monkeypatch):
    import os

    directory = make_case_dir(tmp_path / "case")
    _, code, pdf = run_bundle(directory)
    assert code == 0
    old = pdf.read_bytes()

    def disk_full(fd):  # the new PDF's bytes cannot reach the disk
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(BuyerHelperError) as err:
        run_bundle(directory)
    assert err.value.exit_code == 1
    assert "原有文件没有被改动" in err.value.message
    assert pdf.read_bytes() == old
    assert sorted(p.name for p in pdf.parent.iterdir()) == [pdf.name]  # no temp file left


def test_interrupted_first_write_leaves_no_file(tmp_path, monkeypatch):
    import os

    directory = make_case_dir(tmp_path / "case")

    def interrupted(src, dst):  # Ctrl-C between writing the temp file and renaming it
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_bundle(directory)
    out = directory / "out"
    assert not out.exists() or list(out.iterdir()) == []


# ------------------------------------------------------------ broken files


def test_broken_files_are_listed_with_reason_and_exit_3(tmp_path):
    directory = make_case_dir(tmp_path / "case", samples=False)
    ev = directory / "evidence"
    good = jpeg_bytes((300, 200))
    (ev / "1-好照片.jpg").write_bytes(good)
    whole = jpeg_bytes((800, 600), (10, 120, 200))
    (ev / "2-传了一半.jpg").write_bytes(whole[: len(whole) // 2])
    (ev / "3-苹果照片.heic").write_bytes(b"this is not a heic file at all" * 10)
    (ev / "4-空文件.jpg").write_bytes(b"")
    (ev / "5-说明.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (ev / "6-视频.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 50)
    (ev / ".DS_Store").write_bytes(b"hidden")

    message, code, pdf = run_bundle(directory)
    assert code == 3
    assert "PDF 已生成，但有 5 个文件无法预览" in message
    for name in ("2-传了一半.jpg", "3-苹果照片.heic", "4-空文件.jpg", "5-说明.docx", "6-视频.mp4"):
        assert name in message
    assert ".DS_Store" not in message

    reader = PdfReader(pdf)
    text = squash(pdf_text(pdf))
    for path in ev.iterdir():
        if path.name.startswith("."):
            assert path.name not in text
            continue
        assert path.name in text
        assert hashlib.sha256(path.read_bytes()).hexdigest() in text
    assert text.count("无法预览：") == 5
    assert "文件是空的" in text
    assert "图片文件不完整或已损坏" in text
    assert len(pdf_images(reader)) == 1


def test_empty_evidence_folder_still_bundles(tmp_path):
    directory = make_case_dir(tmp_path / "case", samples=False)
    _message, code, pdf = run_bundle(directory)
    assert code == 0
    assert "证据文件夹里没有文件" in squash(pdf_text(pdf))


# ------------------------------------------------------------ user text


INJECTION = "a<b 与 AT&T 和 <b>粗体</b> 以及 <script>alert(1)</script> 还有 &amp; 和 ]]>"


def test_markup_in_story_notes_timeline_and_chat_log_renders_literally(tmp_path):
    answers = copy.deepcopy(SAMPLE_ANSWERS)
    answers["story"] = INJECTION + "\x07响铃\x1b[31m\n第二行"
    answers["timeline"].append({"at": "2026-11-22T12:00:00+08:00", "text": "记录 " + INJECTION})
    answers["evidence_notes"]["03-聊天记录.txt"] = "说明 " + INJECTION
    directory = make_case_dir(tmp_path / "case", answers)
    log = directory / "evidence" / "03-聊天记录.txt"
    log.write_text("聊天 " + INJECTION + "\n控制\x00字符\x08\x1b\n", encoding="utf-8")

    message, code, pdf = run_bundle(directory)
    assert code == 0, message
    text = pdf_text(pdf)
    flat = squash(text)
    for prefix in ("记录", "说明", "聊天"):
        assert squash(prefix + " " + INJECTION) in flat
    assert squash(INJECTION) + "响铃[31m" in flat  # controls gone, the rest kept
    assert "AT&T;" not in text
    assert "控制字符" in flat
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", text)


def test_long_lines_and_a_big_chat_log_render(tmp_path):
    answers = copy.deepcopy(SAMPLE_ANSWERS)
    long_cn = "长" * 1000 + "x" * 1000
    answers["story"] = long_cn
    answers["evidence_notes"]["03-聊天记录.txt"] = "注" * 2000
    directory = make_case_dir(tmp_path / "case", answers)
    lines = [f"2026-11-20 19:05 我：第{i}行 请处理漏水问题" for i in range(1, 20001)]
    lines[100] = "L" * 2000
    (directory / "evidence" / "03-聊天记录.txt").write_text("\n".join(lines), encoding="utf-8")

    started = time.perf_counter()
    message, code, pdf = run_bundle(directory)
    seconds = time.perf_counter() - started
    assert code == 0, message
    reader = PdfReader(pdf)
    assert len(reader.pages) > 300
    last = squash(reader.pages[-1].extract_text())
    assert "第20000行请处理漏水问题" in last
    text = squash(pdf_text(pdf, slice(0, 25)))  # reading all 300+ pages back is slow
    assert long_cn in text
    assert "L" * 2000 in text
    assert "共20000行" in text
    assert seconds < 60


# ------------------------------------------------------------------ images


def test_exif_orientation_is_applied(tmp_path):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    directory = make_case_dir(tmp_path / "case", samples=False)
    (directory / "evidence" / "竖拍.jpg").write_bytes(jpeg_bytes((400, 200), exif=exif))
    message, code, pdf = run_bundle(directory)
    assert code == 0, message
    (img,) = pdf_images(PdfReader(pdf)).values()
    assert (img["/Width"], img["/Height"]) == (200, 400)
    # the caption gives the size as shown (portrait), and says the photo was turned
    assert "原图200×400（已按拍摄方向旋转）" in squash(pdf_text(pdf))


def test_upright_photo_caption_gives_its_size(tmp_path):
    directory = make_case_dir(tmp_path / "case", samples=False)
    (directory / "evidence" / "横拍.jpg").write_bytes(jpeg_bytes((400, 200)))
    message, code, pdf = run_bundle(directory)
    assert code == 0, message
    text = squash(pdf_text(pdf))
    assert "原图400×200" in text and "旋转" not in text


def test_heic_photo_is_shown(tmp_path):
    from PIL import Image

    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    directory = make_case_dir(tmp_path / "case", samples=False)
    path = directory / "evidence" / "IMG_0001.heic"
    try:
        Image.new("RGB", (320, 240), (20, 160, 90)).save(path, format="HEIF")
    except Exception as e:  # pragma: no cover - depends on the libheif build
        pytest.skip(f"pillow_heif cannot write HEIC here: {e}")
    message, code, pdf = run_bundle(directory)
    assert code == 0, message
    (img,) = pdf_images(PdfReader(pdf)).values()
    assert (img["/Width"], img["/Height"]) == (320, 240)
    assert list(_filters(img)) == ["/DCTDecode"]


def test_png_webp_and_many_images_use_workers_and_report_progress(tmp_path):
    from PIL import Image

    directory = make_case_dir(tmp_path / "case", samples=False)
    ev = directory / "evidence"
    for i in range(6):
        im = Image.new("RGBA", (2400, 1200), (0, 0, 0, 0))
        im.paste((30 * i, 90, 160, 255), (100, 100, 900, 900))
        im.save(ev / f"截图{i + 1}.png")
    Image.new("RGB", (500, 500), (1, 2, 3)).save(ev / "sticker.webp", "WEBP")
    seen: list[tuple[int, int]] = []
    now = parse_now(NOW)
    case = load_case(directory, today=now.date())
    result = build_bundle(
        case, route(case, now), ev, tmp_path / "x.pdf", progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(i, 7) for i in range(1, 8)]
    assert result.exit_code == 0
    images = pdf_images(PdfReader(result.path))
    assert len(images) == 7
    assert max(max(i["/Width"], i["/Height"]) for i in images.values()) == 1600
    assert [f.name for f in result.files][:2] == ["sticker.webp", "截图1.png"]


# ----------------------------------------------------------------- command


def _output(result) -> str:
    out = result.output
    with contextlib.suppress(ValueError, AttributeError):
        out += result.stderr
    return out


def test_answers_evidence_output_form(tmp_path, runner):
    directory = make_case_dir(tmp_path / "case")
    out = tmp_path / "别处" / "证据.pdf"
    result = runner.invoke(
        main,
        [
            "bundle",
            "--answers",
            str(directory / "case.yaml"),
            "--evidence",
            str(directory / "evidence"),
            "-o",
            str(out),
            "--now",
            NOW,
        ],
    )
    assert result.exit_code == 0, _output(result)
    assert out.exists()
    assert "证据包已生成" in _output(result)


def test_explicit_channel_is_used(tmp_path):
    from buyer_helper.texts.compose import render_letter

    directory = make_case_dir(tmp_path / "case")
    message, code, pdf = run_bundle(directory, channel="heimao")
    assert code == 0
    assert "heimao" in message
    now = parse_now(NOW)
    case = load_case(directory, today=now.date())
    letter = render_letter(case, route(case, now), "heimao")
    assert squash(letter.text.split("\n")[0]) in squash(pdf_text(pdf))


@pytest.mark.parametrize(
    "args, words",
    [
        (["bundle", "{dir}", "--answers", "{dir}/case.yaml"], "不要再给"),
        (["bundle", "--answers", "{dir}/case.yaml", "--evidence", "{dir}/evidence"], "-o"),
        (["bundle"], "--answers"),
        (["bundle", "{dir}", "--channel", "nope"], "official_cs"),
        (["bundle", "{dir}/不存在"], "找不到案子文件夹"),
        (["bundle", "{dir}", "-o", "{dir}/x.txt"], ".pdf"),
    ],
)
def test_bad_combinations_are_chinese_errors(tmp_path, runner, args, words):
    directory = make_case_dir(tmp_path / "case", samples=False)
    argv = [a.replace("{dir}", str(directory)) for a in args] + ["--now", NOW]
    result = runner.invoke(main, argv)
    assert result.exit_code == 2
    out = _output(result)
    assert "错误：" in out
    assert words in out
    assert "Traceback" not in out


def test_long_scrolling_screenshot_is_cut_into_readable_pages(tmp_path):
    from PIL import Image, ImageDraw

    directory = make_case_dir(tmp_path / "case", samples=False)
    im = Image.new("RGB", (1080, 6000), "white")
    draw = ImageDraw.Draw(im)
    for y in range(0, 6000, 100):
        draw.rectangle([40, y + 20, 1040, y + 70], fill=(y % 255, 120, 200))
    im.save(directory / "evidence" / "长截图.png")
    message, code, pdf = run_bundle(directory)
    assert code == 0, message
    reader = PdfReader(pdf)
    images = pdf_images(reader)
    assert len(images) == 5  # 6000 px tall at 1080 wide: parts of 1404 px, a little overlap
    assert {img["/Width"] for img in images.values()} == {1080}
    assert sum(img["/Height"] for img in images.values()) >= 6000
    assert "长图第5/5段" in squash(pdf_text(pdf))


def test_default_text_skips_steps_without_one(tmp_path):
    from buyer_helper.decide.plan import Plan, Step

    directory = make_case_dir(tmp_path / "case", samples=False)
    now = parse_now(NOW)
    case = load_case(directory, today=now.date())

    def step(cid, done=False):
        return Step(cid, f"步骤 {cid}", ["做"], [], "", [], done=done)

    plan = Plan(now, [step("official_cs", done=True), step("police"), step("heimao")], [])
    result = build_bundle(case, plan, directory / "evidence", tmp_path / "a.pdf")
    assert result.channel == "heimao"
    assert "黑猫投诉" in squash(pdf_text(result.path))

    plan = Plan(now, [step("police")], [])
    result = build_bundle(case, plan, directory / "evidence", tmp_path / "b.pdf")
    assert result.channel is None
    assert "这里没有附投诉文字" in squash(pdf_text(result.path))


def test_channel_table_keeps_the_hours_caveats(sample_bundle):
    """As in the terminal `hours` table: unverified hours say 以当地公布为准, conflicting sources
    are shown with both sources' hours — each right under its channel's row."""
    from buyer_helper.facts.channels import load_channels

    text = squash(pdf_text(sample_bundle["pdf"]))
    start = text.index("渠道一览")
    table = text[start : text.index("四、证据清单", start)]
    channels = load_channels()

    def caveat_of(cid: str) -> str:
        """The table's text from this channel's row up to the next channel's row."""
        at = table.index(squash(channels[cid].name))
        later = [table.find(squash(c.name), at + 1) for c in channels.values()]
        end = min([k for k in later if k > at] + [len(table)])
        return table[at:end]

    assert "说明：时间未核实" in caveat_of("c12315")
    assert "以当地公布为准" in caveat_of("c12315")
    hotline = channels["pdd_hotline"]
    assert hotline.conflicting
    row = caveat_of("pdd_hotline")
    assert "说明：来源不一" in row
    for s in hotline.schedules:  # both sources, each with its own hours
        assert squash(s.source_text) + "说" in row
    assert "说明" not in caveat_of("heimao")  # open around the clock, nothing to qualify


def test_unreadable_chat_log_is_a_listed_file_not_a_write_error(tmp_path, monkeypatch):
    directory = make_case_dir(tmp_path / "case")
    log = directory / "evidence" / "03-聊天记录.txt"
    real = Path.read_bytes

    def read_bytes(self):
        if self == log:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    message, code, pdf = run_bundle(directory)
    assert code == 3
    assert "写入" not in message
    assert "03-聊天记录.txt：无法读取文件（Permission denied）" in message
    assert "无法读取文件" in squash(pdf_text(pdf))


def _complaint_section(path: Path) -> str:
    text = squash(pdf_text(path))
    start = text.rindex("二、投诉文字")  # the section (the cover's contents line names it too)
    return text[start : text.index("三、维权计划与渠道开放时间", start)]


@pytest.mark.parametrize("name", ["sample", "misconduct", "fake_goods", "taobao"])
def test_pdf_complaint_is_the_first_written_text_letters_writes(tmp_path, name):
    """The PDF attaches, word for word, the first text `letters` numbers that is not a phone
    script (for a misconduct case: the misconduct report, not a generic customer-service
    message), listing the evidence folder's files."""
    from test_letters import CASES

    from buyer_helper.facts.channels import load_channels
    from buyer_helper.texts.compose import letters_for_plan

    directory = make_case_dir(tmp_path / "case", copy.deepcopy(CASES[name]))
    now = parse_now(NOW)
    case = load_case(directory, today=now.date())
    plan = route(case, now)
    channels = load_channels()
    letters = letters_for_plan(case, plan, SAMPLE_NAMES, bundled=True)
    written = [x for x in letters if channels[x.channel].kind != "phone" and x.text_id != "seller"]
    first = written[0]
    result = build_bundle(case, plan, directory / "evidence", tmp_path / "a.pdf")
    assert result.channel == first.text_id
    if name == "misconduct":
        assert first.text_id == "misconduct"
    section = _complaint_section(result.path)
    assert squash(first.title) in section
    assert squash(first.text) in section  # the whole text, in one piece


def test_default_text_is_the_12315_complaint_not_heimao_while_12315_is_open(tmp_path):
    """The PDF goes to an officer: while the 全国12315平台 complaint is open in the plan, it is
    attached rather than the 黑猫 fields (黑猫 is a public site); 黑猫 only once 12315 is done,
    and `--channel heimao` still attaches 黑猫."""
    from buyer_helper.decide.plan import Plan, Step
    from buyer_helper.pdf.bundle import pick_letter

    answers = copy.deepcopy(SAMPLE_ANSWERS)
    answers["platform"] = "taobao"
    answers["tried"] = ["platform_intervened", "platform_unsatisfied"]
    answers["timeline"] = [e for e in answers["timeline"] if e.get("tried") != "hotline_called"]
    directory = make_case_dir(tmp_path / "case", answers, samples=False)
    now = parse_now(NOW)
    case = load_case(directory, today=now.date())
    plan = route(case, now)
    assert {"c12315_online", "heimao"} <= {s.channel for s in plan.steps if not s.done}
    assert pick_letter(case, plan, None).text_id == "c12315_online"

    def step(cid, done=False):
        return Step(cid, f"步骤 {cid}", ["做"], [], "", [], done=done)

    # 黑猫 ahead of an open 12315 online step: the 12315 complaint is attached
    plan = Plan(now, [step("taobao_cs", True), step("heimao"), step("c12315_online")], [])
    result = build_bundle(case, plan, directory / "evidence", tmp_path / "a.pdf")
    assert result.channel == "c12315_online"
    assert "全国12315平台" in squash(pdf_text(result.path))
    # the 12315 complaint already filed: 黑猫 is what is left
    plan = Plan(now, [step("heimao"), step("c12315_online", True)], [])
    assert pick_letter(case, plan, None).text_id == "heimao"
    # an explicit choice is kept
    plan = Plan(now, [step("heimao"), step("c12315_online")], [])
    assert pick_letter(case, plan, "heimao").text_id == "heimao"


@pytest.mark.parametrize("delivery", ["signed", "completed"])
def test_timeline_labels_the_signing_date_as_signing(tmp_path, delivery):
    """The order's signing date is 签收 in the PDF timeline, also for a completed order:
    the case has no separate completion date to label 交易完成."""
    from buyer_helper.facts.hours import cn_date

    answers = copy.deepcopy(SAMPLE_ANSWERS)
    answers.update(delivery=delivery, timeline=[])
    directory = make_case_dir(tmp_path / "case", answers, samples=False)
    now = parse_now(NOW)
    case = load_case(directory, today=now.date())
    result = build_bundle(case, route(case, now), directory / "evidence", tmp_path / "a.pdf")
    text = squash(pdf_text(result.path))
    timeline = text[text.index("一、时间线") :]
    assert squash(f"{cn_date(case.signed_on)}签收（订单信息）") in timeline
    assert "交易已完成（订单信息）" not in text and "已签收（订单信息）" not in text


def test_pdf_complaint_skips_phone_scripts_and_lists_the_evidence(tmp_path):
    """When the next step is a phone call (消费者热线, 12315 by phone) the PDF holds the
    全国12315平台 complaint: a text to hand over, which names each evidence file with the
    buyer's note and says where in the bundle they are."""
    from buyer_helper.texts.compose import render_letter

    answers = copy.deepcopy(SAMPLE_ANSWERS)
    answers["tried"] += ["platform_intervened", "platform_unsatisfied"]
    directory = make_case_dir(tmp_path / "case", answers)
    now = parse_now(NOW)
    case = load_case(directory, today=now.date())
    plan = route(case, now)
    assert plan.next_step.channel == "pdd_hotline"
    message, code, pdf = run_bundle(directory)
    assert code == 0, message
    assert "全国12315平台网上投诉：填写内容（c12315_online）" in message
    section = _complaint_section(pdf)
    assert "电话脚本" not in section
    letter = render_letter(case, plan, "c12315_online", SAMPLE_NAMES, bundled=True)
    assert squash(letter.text) in section
    for name, note in SAMPLE_ANSWERS["evidence_notes"].items():
        assert squash(f"{name}：{note}") in section
    assert "以上证据见本证据包第四部分（证据清单）和第五部分（证据附件）" in section
    assert "请填写" not in section  # the sample names the seller: nothing left to fill in


@pytest.mark.parametrize("channel", [None, "pdd_hotline", "c12315", "c12315_online", "heimao"])
def test_pdf_has_no_internal_references(tmp_path, channel):
    """An officer reads the PDF: no command lines, no raw channel ids, no notes file names,
    no library names — whichever text is attached (phone scripts included, by --channel)."""
    directory = make_case_dir(tmp_path / "case")
    message, code, pdf = run_bundle(directory, channel=channel)
    assert code == 0, message
    text = pdf_text(pdf)
    assert "buyer-helper" not in text.replace("本证据包由买家用 buyer-helper 整理", "")
    for word in ("FACTS", "phonenumbers", "--tried", "case.yaml", "channels.yaml"):
        assert word not in text
    assert not re.findall(r"[a-z0-9]+_[a-z0-9_]+", text)  # official_cs, pdd_hotline, …
    if channel is not None:
        assert channel in message  # the terminal still names the id to type


def test_pdf_plan_prints_hours_caveats_once_and_deadlines_as_in_the_terminal(sample_bundle):
    """P5: a step's hours caveats are in 渠道一览 only (not again under the step); a deadline
    row reads basis〔source〕 like the terminal, without brackets side by side."""
    from buyer_helper.terminal.render import deadline_line

    text = squash(pdf_text(sample_bundle["pdf"]))
    at = text.rindex("三、维权计划与渠道开放时间")  # the section, not the contents line
    plan_part = text[at : text.index("四、证据清单", at)]
    now = parse_now(NOW)
    case = load_case(sample_bundle["dir"], today=now.date())
    plan = route(case, now)
    notes = {n for s in plan.steps if s.state for n in s.state.notes}
    assert notes  # the sample has unverified / conflicting hours
    for note in notes:
        assert plan_part.count(squash(note)) == 1, note
    assert "）（" not in plan_part
    lines = [deadline_line(d, plan) for s in plan.steps for d in s.deadlines]
    assert lines
    for line in lines:
        assert "〔" in line and squash(line) in plan_part


def test_cover_names_the_shop_pages_operator(sample_bundle):
    text = squash(pdf_text(sample_bundle["pdf"], slice(0, 1)))
    assert "经营者名称" + SAMPLE_ANSWERS["seller_name"] in text
    assert "经营地址" + squash(SAMPLE_ANSWERS["seller_address"]) in text


def test_calendar_fallback_note_is_printed_once(tmp_path):
    """In 2027 (no official holiday calendar yet) the plan says once that workdays are
    estimated, not again in every 12315 step and table row."""
    from buyer_helper.casefile.sample_case import sample_answers

    now = parse_now("2027-03-01T10:00:00+08:00")
    directory = make_case_dir(tmp_path / "case", sample_answers(now.date()), samples=False)
    case = load_case(directory, today=now.date())
    plan = route(case, now)
    assert plan.calendar_notes
    result = build_bundle(case, plan, directory / "evidence", tmp_path / "a.pdf")
    text = squash(pdf_text(result.path))
    for note in plan.calendar_notes:
        in_warnings = sum(squash(note) in squash(w.text) for w in plan.warnings)
        assert text.count(squash(note)) == 1 + in_warnings


def test_pdf_channel_table_says_which_calendar_it_used(tmp_path, sample_bundle):
    """Issue 8: the 渠道一览 names the calendar for channels that keep working days: the official
    one in 2026, the estimate by law (调休 unknown, a range for 12315's deadlines) in 2027."""
    from buyer_helper.casefile.sample_case import sample_answers

    official = squash(pdf_text(sample_bundle["pdf"]))
    assert squash("日历：官方放假安排：chinesecalendar") in official
    assert "按法律估算" not in official

    now = parse_now("2027-02-09T10:00:00+08:00")  # Tuesday after 春节 2027: 调休 unknown
    answers = sample_answers(now.date())
    answers["tried"] = ["after_sales_filed", "platform_intervened", "platform_unsatisfied"]
    directory = make_case_dir(tmp_path / "case", answers, samples=False)
    case = load_case(directory, today=now.date())
    plan = route(case, now)
    result = build_bundle(case, plan, directory / "evidence", tmp_path / "a.pdf", channel="c12315")
    text = squash(pdf_text(result.path))
    assert squash("日历：按法律估算：《全国年节及纪念日放假办法》") in text
    assert squash("可能开放（调休未公布）") in text
    assert squash("估算，以国务院公布为准") in text


def test_an_empty_evidence_folder_says_what_to_put_there(tmp_path):
    directory = make_case_dir(tmp_path / "case", samples=False)
    message, code, pdf = run_bundle(directory)
    assert code == 0 and pdf.exists()
    assert "文件夹是空的" in message and "放进这个文件夹" in message


def test_hours_legend_is_the_same_in_the_pdf_and_the_terminal(sample_bundle):
    from buyer_helper.facts.hours import HOURS_LEGEND, hours_command

    assert squash(HOURS_LEGEND) in squash(pdf_text(sample_bundle["pdf"]))
    assert HOURS_LEGEND in hours_command(NOW, False, ())
    assert "可能开放（来源不一）" in HOURS_LEGEND and "下次开放" in HOURS_LEGEND
