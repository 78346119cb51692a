"""`buyer-helper demo`: the README's first command builds a whole sample case."""

import datetime as dt
import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS, SAMPLE_NOW
from buyer_helper.cli import main


def pdf_text(path) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(path).pages))


def test_demo_builds_plan_letters_and_pdf(runner, tmp_path):
    folder = tmp_path / "示例"
    result = runner.invoke(main, ["demo", str(folder), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output

    evidence = sorted(p.name for p in (folder / "evidence").iterdir())
    assert evidence == sorted(SAMPLE_ANSWERS["evidence_notes"])

    out = folder / "out"
    texts = sorted(p.name for p in out.glob("*.txt"))
    assert "00-维权计划.txt" in texts
    assert any("12315" in name for name in texts)
    assert any("黑猫" in name for name in texts)
    pdfs = list(out.glob("*.pdf"))
    assert len(pdfs) == 1
    assert str(pdfs[0].resolve()) in result.output

    reader = PdfReader(pdfs[0])
    text = "".join(page.extract_text() for page in reader.pages)
    assert SAMPLE_ANSWERS["order"]["id"] in text
    for name in evidence:
        assert name in text

    # The printed plan names the seller's rejection → the platform's intervention next.
    assert "官方客服" in result.output
    assert "不是法律意见" in result.output


def test_demo_runs_again_in_its_own_folder(runner, tmp_path):
    folder = tmp_path / "demo"
    for _ in range(2):
        result = runner.invoke(main, ["demo", str(folder), "--now", SAMPLE_NOW])
        assert result.exit_code == 0, result.output


def test_demo_never_overwrites_a_buyers_folder(runner, tmp_path):
    folder = tmp_path / "我的案子"
    folder.mkdir()
    (folder / "case.yaml").write_text("platform: pdd\n", encoding="utf-8")
    result = runner.invoke(main, ["demo", str(folder)])
    assert result.exit_code == 2
    assert "不是示例案子" in result.output
    assert (folder / "case.yaml").read_text(encoding="utf-8") == "platform: pdd\n"


def test_demo_at_sample_now_is_the_frozen_sample(runner, tmp_path):
    folder = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(folder), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    assert written == SAMPLE_ANSWERS
    log = (folder / "evidence" / "03-聊天记录.txt").read_text(encoding="utf-8")
    assert "2026-11-20 21:30 优品家居旗舰店：你是不是有病？爱买不买，穷就别买" in log


def test_demo_moves_the_sample_to_now(runner, tmp_path):
    """With another clock the sample is a live case: every date moves by the same days."""
    from PIL import Image

    folder = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(folder), "--now", "2027-03-10T15:00:00+08:00"])
    assert result.exit_code == 0, result.output
    shift = dt.date(2027, 3, 10) - dt.date(2026, 11, 23)  # 107 days
    written = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    assert written["signed_on"] == "2027-03-07" == str(dt.date(2026, 11, 20) + shift)
    assert written["order"]["ordered_on"] == "2027-03-03"
    assert written["timeline"][3]["at"] == "2027-03-07T21:30:00+08:00"
    assert written["story"].startswith("3月7日签收")
    assert written["order"]["id"] == SAMPLE_ANSWERS["order"]["id"]  # names are not dates
    # the evidence agrees with the case: chat log, photo's EXIF, file times
    ev = folder / "evidence"
    log = (ev / "03-聊天记录.txt").read_text(encoding="utf-8")
    assert "2027-03-07 21:30 优品家居旗舰店：你是不是有病" in log
    assert "2026-11" not in log
    taken = Image.open(ev / "02-漏水照片.jpg").getexif().get_ifd(0x8769)[0x9003]
    assert taken == "2027:03:07 18:52:30"
    mtime = dt.datetime.fromtimestamp((ev / "01-聊天截图.png").stat().st_mtime, dt.UTC)
    assert mtime == dt.datetime(2027, 3, 7, 13, 35, tzinfo=dt.UTC)  # 21:35 Beijing time
    # the plan is live: the 7-day return window (signed on the 7th) is still open on the 10th
    plan = (folder / "out" / "00-维权计划.txt").read_text(encoding="utf-8")
    assert "2027年3月10日" in plan
    assert "2027年3月14日" in plan  # 签收次日起 7 天
    text = pdf_text(next((folder / "out").glob("*.pdf")))
    assert "2027年3月7日21:30" in text and "2026年11月" not in text


def test_demo_twice_at_the_same_now_gives_identical_pdfs(runner, tmp_path):
    now = "2027-01-05T09:15:00+08:00"
    pdfs = []
    for name in ("a", "b"):
        result = runner.invoke(main, ["demo", str(tmp_path / name), "--now", now])
        assert result.exit_code == 0, result.output
        (pdf,) = (tmp_path / name / "out").glob("*.pdf")
        pdfs.append(pdf.read_bytes())
    assert pdfs[0] == pdfs[1]


def test_demo_before_the_sample_is_refused_before_writing(runner, tmp_path):
    folder = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(folder), "--now", "2026-11-22T12:00:00+08:00"])
    assert result.exit_code == 2
    assert "错误：" in result.output and "--now 不能早于" in result.output
    assert "Traceback" not in result.output
    assert not folder.exists()


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(2026, 11, 23), max_value=dt.date(2999, 12, 31)))
def test_the_moved_sample_is_a_valid_case_on_any_later_day(today):
    from buyer_helper.casefile.case import case_from_dict
    from buyer_helper.casefile.sample_case import sample_answers

    case = case_from_dict(sample_answers(today), today=today)
    shift = today - dt.date(2026, 11, 23)
    assert case.signed_on == dt.date(2026, 11, 20) + shift
    assert case.timeline[-1].at.date() == dt.date(2026, 11, 22) + shift
    assert f"{case.signed_on.month}月{case.signed_on.day}日签收" in case.story


def test_demo_texts_name_the_seller_and_list_the_evidence(runner, tmp_path):
    """The sample names the shop page's operator, so the 12315 texts have nothing left to
    fill in; the texts list the generated evidence files; the demo rerun keeps the buyer's
    edit of a text (letters.write_letters) instead of overwriting it."""
    folder = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(folder), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    out = folder / "out"
    (online,) = out.glob("*全国12315平台*.txt")
    (phone,) = out.glob("*12315投诉电话*.txt")
    for path in (online, phone):
        text = path.read_text(encoding="utf-8")
        assert "请填写" not in text
        assert SAMPLE_ANSWERS["seller_name"] in text
        assert SAMPLE_ANSWERS["seller_address"] in text
    listed = online.read_text(encoding="utf-8")
    for name, note in SAMPLE_ANSWERS["evidence_notes"].items():
        assert f"{name}：{note}" in listed
    online.write_text("我改过的投诉", encoding="utf-8")
    again = runner.invoke(main, ["demo", str(folder), "--now", SAMPLE_NOW])
    assert again.exit_code == 0, again.output
    assert online.read_text(encoding="utf-8") == "我改过的投诉"
    assert "你改过" in again.output


def test_demo_pdf_cover_and_complaint(runner, tmp_path):
    folder = tmp_path / "demo"
    result = runner.invoke(main, ["demo", str(folder), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    text = pdf_text(next((folder / "out").glob("*.pdf")))
    assert "经营者名称" + SAMPLE_ANSWERS["seller_name"] in text
    assert "请平台官方客服介入的消息用于：拼多多官方客服（App内）" in text  # written, no raw id
    assert "official_cs" not in text and "FACTS" not in text
