"""The bundle lays out and renders its PDF while the image workers still decode (bundle's
while_busy): the PDF must be the one a plain rendering of the finished files gives, also when
an image does not decode as its header promised; a wrong --channel stops before the images."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_bundle import NOW, jpeg_bytes, make_case_dir, pdf_images, pdf_text, squash

from buyer_helper.casefile.case import load_case
from buyer_helper.decide.routing import route
from buyer_helper.errors import BuyerHelperError
from buyer_helper.evidence import files as evidence
from buyer_helper.facts.hours import parse_now
from buyer_helper.pdf import bundle


def _photo(path: Path, size: tuple[int, int], orientation: int = 1, fmt: str = "JPEG") -> None:
    """A photo-like picture (a gradient with a coloured block: no flat colour), EXIF-rotated."""
    from PIL import Image

    im = Image.linear_gradient("L").convert("RGB").resize(size)
    im.paste((200, 40, 40), (0, 0, size[0] // 3, size[1] // 3))
    exif = Image.Exif()
    exif[0x010F] = "TestPhone"
    exif[0x0112] = orientation
    im.save(path, fmt, exif=exif)


def _evidence(ev: Path) -> None:
    _photo(ev / "IMG_0001.jpg", (4000, 3000))
    _photo(ev / "IMG_0002.jpg", (4000, 3000), orientation=6)  # a phone held upright
    _photo(ev / "IMG_0003.jpg", (2001, 1501), orientation=8)
    _photo(ev / "IMG_0004.jpg", (1600, 1200))
    _photo(ev / "截图5.png", (1080, 3200), fmt="PNG")  # a long screenshot: three parts
    (ev / "聊天记录.txt").write_text("买家：你好\n商家：在的\n", encoding="utf-8")


def _bundle(directory: Path, out: Path, **kw):
    now = parse_now(NOW)
    case = load_case(directory, today=now.date())
    return bundle.build_bundle(case, route(case, now), directory / "evidence", out, **kw)


def _plain(directory: Path, out: Path, monkeypatch) -> bytes:
    """The PDF rendered from the finished files only (what was prepared ahead is dropped)."""
    with monkeypatch.context() as m:
        m.setattr(bundle, "same_outcome", lambda a, b: False)
        _bundle(directory, out)
    return out.read_bytes()


@pytest.fixture
def outcomes(monkeypatch):
    """Whether each bundle built used the PDF prepared while the images decoded."""
    seen: list[bool] = []
    real = bundle.same_outcome

    def record(a, b):
        seen.append(real(a, b))
        return seen[-1]

    monkeypatch.setattr(bundle, "same_outcome", record)
    return seen


def test_pdf_rendered_while_the_images_decode_is_the_plain_one(tmp_path, monkeypatch, outcomes):
    directory = make_case_dir(tmp_path / "case", samples=False)
    _evidence(directory / "evidence")
    result = _bundle(directory, tmp_path / "ahead.pdf")
    assert outcomes == [True]  # prepared while the workers ran, and used
    assert result.exit_code == 0
    assert (tmp_path / "ahead.pdf").read_bytes() == _plain(
        directory, tmp_path / "p.pdf", monkeypatch
    )
    sizes = sorted((i["/Width"], i["/Height"]) for i in pdf_images(PdfReader(result.path)).values())
    # 4000×3000 at half scale, also turned upright; 2001×1501 (no half scale: 1000 px is too
    # few) shrunk to 1600 and turned; 1600×1200 as it is; the screenshot in 3 overlapping parts
    assert sizes == [
        (1080, 504),
        (1080, 1404),
        (1080, 1404),
        (1200, 1600),
        (1500, 2000),
        (1600, 1200),
        (2000, 1500),
    ]


def test_an_image_that_does_not_decode_as_its_header_says_is_rendered_again(
    tmp_path, monkeypatch, outcomes
):
    directory = make_case_dir(tmp_path / "case", samples=False)
    ev = directory / "evidence"
    _evidence(ev)
    whole = (ev / "IMG_0002.jpg").read_bytes()
    (ev / "IMG_0002.jpg").write_bytes(whole[: len(whole) // 2])  # the header is whole
    result = _bundle(directory, tmp_path / "ahead.pdf")
    assert outcomes == []  # the early rendering stopped at that picture's page: not compared
    assert result.exit_code == 3
    text = squash(pdf_text(result.path))
    assert "图片文件不完整或已损坏" in text
    assert "图片4张" in text  # the cover counts what is shown: IMG_0002 is not
    assert len(pdf_images(PdfReader(result.path))) == 6
    assert (tmp_path / "ahead.pdf").read_bytes() == _plain(
        directory, tmp_path / "p.pdf", monkeypatch
    )


def test_a_wrong_channel_stops_before_the_photos_are_waited_for(tmp_path):
    directory = make_case_dir(tmp_path / "case", samples=False)
    ev = directory / "evidence"
    for i in range(8):
        (ev / f"IMG_{i:04d}.jpg").write_bytes(jpeg_bytes((2400, 1800), (30 * i, 90, 160)))
    seen: list[tuple[int, int]] = []
    with pytest.raises(BuyerHelperError) as err:
        _bundle(directory, tmp_path / "x.pdf", channel="nope", progress=lambda d, t: seen.append(d))
    assert "official_cs" in err.value.message  # the ids that exist
    assert seen == []  # not one photo was waited for
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("size", "orientation", "fmt"),
    [
        ((4000, 3000), 1, "JPEG"),
        ((4000, 3000), 6, "JPEG"),
        ((4001, 3001), 8, "JPEG"),
        ((5000, 3750), 3, "JPEG"),
        ((1800, 1350), 6, "JPEG"),
        ((1601, 1199), 1, "PNG"),
        ((1199, 1601), 6, "PNG"),
        ((320, 240), 1, "JPEG"),
        ((1080, 4000), 1, "PNG"),
        ((4000, 1080), 6, "JPEG"),  # tall once turned
    ],
)
def test_peek_image_tells_what_process_image_gives(tmp_path, size, orientation, fmt):
    """From the header alone: the sizes the layout needs (else the PDF is rendered twice)."""
    path = tmp_path / f"p.{fmt.lower()}"
    _photo(path, size, orientation, fmt)
    peeked = evidence.peek_image(str(path))
    done = evidence.process_image(str(path))
    assert done["ok"]
    assert [px for _, px in peeked["parts"]] == [px for _, px in done["parts"]]
    assert {k: v for k, v in peeked.items() if k != "parts"} == {
        k: v for k, v in done.items() if k != "parts"
    }
    from PIL import Image

    for data, px in done["parts"]:
        assert Image.open(io.BytesIO(data)).size == px
