"""The offline page out/维权助手.html that `letters` and the demo write: every text exactly, no
network resource, QR codes that decode back to the text, escaping, determinism, and the
buyer's edits kept."""

from __future__ import annotations

import io
import json

import pytest
import segno
import zxingcpp
from pagetools import parse, pre_text
from PIL import Image

from buyer_helper.casefile.sample_case import SAMPLE_NOW
from buyer_helper.cli import main
from buyer_helper.texts.outfolder import MANIFEST
from buyer_helper.texts.phonepage import PAGE_FILE, QR_PART_BYTES, qr_svg, split_for_qr
from buyer_helper.texts.reminders import ICS_FILE

NOW = SAMPLE_NOW


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("page") / "示例"
    result = CliRunner().invoke(main, ["demo", str(folder), "--now", NOW])
    assert result.exit_code == 0, result.output
    return folder, result.output


def page_of(folder):
    return (folder / "out" / PAGE_FILE).read_text(encoding="utf-8")


def texts_on_disk(folder) -> dict[str, str]:
    out = folder / "out"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    return {
        name: (out / name).read_text(encoding="utf-8")
        for name in manifest["texts"]
        if name.endswith(".txt")
    }


def text_cards(doc):
    return [s for s in doc.find_all("section", "text-card")]


def decode_png(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_demo_ends_by_naming_the_page(demo_case):
    folder, output = demo_case
    last = output.rstrip("\n").splitlines()[-1]
    assert str((folder / "out" / PAGE_FILE).resolve()) in last
    assert "浏览器" in last


def test_the_page_holds_every_text_exactly_with_a_copy_button(demo_case):
    folder, _ = demo_case
    doc = parse(page_of(folder))
    texts = texts_on_disk(folder)
    assert len(texts) >= 5
    cards = text_cards(doc)
    assert len(cards) == len(texts)
    shown = {}
    for card in cards:
        (pre,) = card.find_all("pre", "text")
        (button,) = card.find_all("button", "copy")
        assert button.text() == "复制"
        assert button.attrs["data-target"] == pre.attrs["id"]  # the button copies this text
        metas = [p.text() for p in card.find_all("p", "meta")]
        (filename,) = [m for m in metas if m.startswith("文件：")]
        shown[filename.removeprefix("文件：")] = pre_text(pre)
    assert shown == texts  # every text, character for character


def test_the_page_starts_with_what_to_do_now(demo_case):
    folder, output = demo_case
    doc = parse(page_of(folder))
    (body,) = doc.find_all("body")
    (main_el,) = body.find_all("main")
    sections = [c for c in main_el.children if not isinstance(c, str) and c.tag == "section"]
    assert sections[0].attrs["id"] == "now"  # the first section, before the plan and the texts
    now = dict(
        zip(
            [dt.text() for dt in sections[0].find_all("dt")],
            [dd.text() for dd in sections[0].find_all("dd")],
            strict=True,
        )
    )
    assert list(now) == ["现在先做", "截止", "现在开放"]
    # the same three lines the terminal plan starts with
    lines = output.splitlines()
    first = lines.index(next(line for line in lines if line.startswith("现在先做：")))
    terminal = lines[first : first + 3]
    assert terminal == [f"{k}：{v}" for k, v in now.items()]
    # the whole plan is folded, the next step's text is marked
    (plan,) = [s for s in sections if s.attrs.get("id") == "plan"]
    assert plan.find_all("details") and "open" not in plan.find_all("details")[0].attrs
    assert len([c for c in text_cards(doc) if "next" in c.classes()]) >= 1


def test_limits_are_shown_with_their_verified_state(demo_case):
    from buyer_helper.facts.channels import get_channel

    folder, _ = demo_case
    doc = parse(page_of(folder))
    limit = get_channel("official_cs").limits["message"]
    state = "已核实" if limit.verified else "未核实的保守估计"
    lines = [p.text() for card in text_cards(doc) for p in card.find_all("p")]
    assert any(f"表单上限 {limit.max_chars} 字（{state}）" in line for line in lines)


def test_no_network_resource_anywhere(demo_case):
    folder, _ = demo_case
    html = page_of(folder)
    doc = parse(html)
    assert "http://" not in html and "https://" not in html
    for el in doc.iter():
        assert el.tag not in ("link", "iframe", "img", "object", "embed", "base"), el.tag
        for name, value in el.attrs.items():
            assert name not in ("src", "srcset", "data", "action", "xmlns"), (el.tag, name)
            if name == "href":
                assert value.startswith("#"), value  # only jumps inside the page
    for style in doc.find_all("style"):
        assert "url(" not in style.text() and "@import" not in style.text()
    for script in doc.find_all("script"):
        assert "src" not in script.attrs
        assert "fetch(" not in script.text() and "XMLHttpRequest" not in script.text()


def test_every_qr_code_decodes_back_to_its_text(demo_case):
    folder, _ = demo_case
    doc = parse(page_of(folder))
    for card in text_cards(doc):
        (pre,) = card.find_all("pre", "text")
        text = pre_text(pre)
        svgs = card.find_all("svg", "qr")
        parts = split_for_qr(text)
        assert len(svgs) == len(parts) >= 1
        decoded = []
        for svg, part in zip(svgs, parts, strict=True):
            # the page shows exactly this code ...
            assert svg.markup() == parse(qr_svg(part)).find_all("svg")[0].markup()
            # ... and the same code, rendered as an image, reads back as the part
            code = segno.make(part, mode="byte", encoding="utf-8", micro=False)
            buf = io.BytesIO()
            code.save(buf, kind="png", scale=4, border=4)
            (got,) = decode_png(buf.getvalue())
            assert got == part
            decoded.append(got)
        assert "".join(decoded) == text


def test_a_long_text_is_split_at_sentence_ends_into_numbered_codes():
    sentences = [f"第{i}句：商家拒绝退货，还说“用久了都这样”。" for i in range(60)]
    text = "".join(sentences)
    parts = split_for_qr(text)
    assert len(parts) > 1 and "".join(parts) == text
    for part in parts:
        assert len(part.encode("utf-8")) <= QR_PART_BYTES
        assert part.endswith("。")  # cut after a sentence, never inside one
    # one sentence longer than a code: cut after a clause, still nothing lost
    long = "，".join(["杯盖处漏水"] * 200) + "。"
    parts = split_for_qr(long)
    assert "".join(parts) == long and all(len(p.encode()) <= QR_PART_BYTES for p in parts)
    assert all(p.endswith(("，", "。")) for p in parts)
    # a run with no break at all: cut between characters, never inside one
    run = "漏" * 1000
    parts = split_for_qr(run)
    assert "".join(parts) == run and all(len(p.encode()) <= QR_PART_BYTES for p in parts)


def test_a_long_text_gets_numbered_parts_on_the_page(tmp_path, runner, write_answers):
    from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS

    answers = json.loads(json.dumps(SAMPLE_ANSWERS, default=str))
    answers["story"] = "我在平台聊天里联系商家，商家不同意退货。" * 60
    folder = tmp_path / "case"
    folder.mkdir()
    write_answers(answers, "case/case.yaml")
    result = runner.invoke(main, ["letters", str(folder), "--now", NOW])
    assert result.exit_code == 0, result.output
    doc = parse(page_of(folder))
    numbered = [c for c in text_cards(doc) if len(c.find_all("svg", "qr")) > 1]
    assert numbered
    for card in numbered:
        n = len(card.find_all("svg", "qr"))
        captions = [f.text() for f in card.find_all("figcaption")]
        assert [c.split("（")[0] for c in captions] == [
            f"第 {i} 段 / 共 {n} 段" for i in range(1, n + 1)
        ]


def test_the_buyers_strings_are_escaped(tmp_path, runner, write_answers):
    from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS

    answers = json.loads(json.dumps(SAMPLE_ANSWERS, default=str))
    evil = '<script>alert("x")</script> & <b>粗体</b> <img src=x onerror=alert(1)>'
    answers["story"] = answers["story"] + evil
    answers["order"]["shop"] = "优品<家居>&旗舰店"
    answers["evidence_notes"] = {"01-聊天截图.png": '<a href="https://evil.example">点我</a>'}
    folder = tmp_path / "case"
    (folder / "evidence").mkdir(parents=True)
    (folder / "evidence" / "01-聊天截图.png").write_bytes(b"not really a png")
    write_answers(answers, "case/case.yaml")
    result = runner.invoke(main, ["letters", str(folder), "--now", NOW])
    assert result.exit_code == 0, result.output
    doc = parse(page_of(folder))
    assert len(doc.find_all("script")) == 1  # only the page's own
    assert not doc.find_all("img") and not doc.find_all("b")
    assert not [a for a in doc.find_all("a") if not a.attrs["href"].startswith("#")]
    texts = [pre_text(p) for p in doc.find_all("pre", "text")]
    assert any(evil in t for t in texts)  # shown as typed
    assert "优品<家居>&旗舰店" in doc.text()
    cells = [td.text() for td in doc.find_all("td")]
    assert '<a href="https://evil.example">点我</a>' in cells


def test_evidence_list_with_notes_and_sha256(demo_case):
    import hashlib

    folder, _ = demo_case
    doc = parse(page_of(folder))
    (section,) = [s for s in doc.find_all("section") if s.attrs.get("id") == "evidence"]
    rows = section.find_all("tr")[1:]
    files = sorted(p for p in (folder / "evidence").iterdir())
    assert len(rows) == len(files)
    import yaml

    notes = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))["evidence_notes"]
    for row, path in zip(rows, files, strict=True):
        cells = [td.text() for td in row.find_all("td")]
        assert cells[0] == path.name
        assert cells[1] == notes[path.name]
        assert cells[3] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "不是法律意见" in doc.find_all("footer")[0].text()


def test_same_inputs_and_moment_give_the_same_bytes(demo_case, runner):
    folder, _ = demo_case
    out = folder / "out"
    before = {n: (out / n).read_bytes() for n in (PAGE_FILE, ICS_FILE)}
    result = runner.invoke(main, ["letters", str(folder), "--now", NOW])
    assert result.exit_code == 0, result.output
    assert {n: (out / n).read_bytes() for n in (PAGE_FILE, ICS_FILE)} == before
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["texts"][PAGE_FILE] == "page"
    assert manifest["texts"][ICS_FILE] == "reminders"
    import hashlib

    assert manifest["files"][PAGE_FILE] == hashlib.sha256(before[PAGE_FILE]).hexdigest()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_an_edited_page_is_not_overwritten(tmp_path, runner):
    folder = tmp_path / "示例"
    assert runner.invoke(main, ["demo", str(folder), "--now", NOW]).exit_code == 0
    page = folder / "out" / PAGE_FILE
    edited = page.read_text(encoding="utf-8").replace("先看这里", "我的笔记：先看这里")
    page.write_text(edited, encoding="utf-8")
    later = "2026-11-23T22:30:00+08:00"
    result = runner.invoke(main, ["letters", str(folder), "--now", later])
    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8") == edited
    new = folder / "out" / "维权助手（新）.html"
    assert new.exists() and "我的笔记" not in new.read_text(encoding="utf-8")
    assert f"你改过 {PAGE_FILE}" in result.output
    assert str(new.resolve()) in result.output.splitlines()[-1]


def test_an_edited_text_is_named_on_the_page(tmp_path, runner):
    """The buyer edited a text: the page says which file holds their edit and shows the new
    text under the file it went to."""
    folder = tmp_path / "示例"
    assert runner.invoke(main, ["demo", str(folder), "--now", NOW]).exit_code == 0
    out = folder / "out"
    edited = sorted(out.glob("01-*.txt"))[0]
    edited.write_text("我自己改过的文字", encoding="utf-8")
    result = runner.invoke(main, ["letters", str(folder), "--now", NOW])
    assert result.exit_code == 0, result.output
    doc = parse(page_of(folder))
    card = text_cards(doc)[0]
    notes = [p.text() for p in card.find_all("p", "warn")]
    assert notes and f"你改过 {edited.name}" in notes[0]
    new_name = edited.name.replace(".txt", "（新）.txt")
    assert f"文件：{new_name}" in [p.text() for p in card.find_all("p", "meta")]
    assert pre_text(card.find_all("pre", "text")[0]) == (out / new_name).read_text(encoding="utf-8")
