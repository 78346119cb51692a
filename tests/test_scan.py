"""`buyer-helper scan`: screenshots read offline, lines attributed, quotes confirmed, order facts.

These tests need the `ocr` extra (rapidocr-onnxruntime) and FAIL without it. The screenshots are
drawn here with the packaged font (tests/screens.py); the engine reads each one once per
session (the scanned case folder is copied, cache included, for tests that change it).
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
from pathlib import Path

import pytest
import screens
import yaml
from click.testing import CliRunner

from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS, SAMPLE_NOW
from buyer_helper.cli import main
from buyer_helper.errors import BuyerHelperError
from buyer_helper.evidence import ocr
from buyer_helper.evidence.ocr import Line, attribute
from buyer_helper.evidence.scan import CACHE_DIR, scan_case

CHAT = "03-聊天.png"
ORDER = "01-订单详情.png"
PUSH = "04-微信通知.png"
PHOTO = "02-漏水照片.jpg"
BROKEN = "05-坏图.png"


def _answers(order_id: str = screens.ORDER["id"]) -> dict:
    answers = yaml.safe_load(yaml.safe_dump(SAMPLE_ANSWERS, allow_unicode=True))
    answers["order"]["id"] = order_id
    answers["evidence_notes"] = {}
    return answers


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def shots():
    return {
        CHAT: screens.chat_screenshot(),
        ORDER: screens.order_screenshot(),
        PUSH: screens.push_screenshot(),
    }


@pytest.fixture(scope="session")
def scanned_dir(tmp_path_factory, shots):
    """A case folder whose evidence has been scanned once (the OCR runs here only)."""
    case = tmp_path_factory.mktemp("scanned") / "案子"
    evidence = case / "evidence"
    evidence.mkdir(parents=True)
    for name, (png, _) in shots.items():
        (evidence / name).write_bytes(png)
    (evidence / PHOTO).write_bytes(screens.no_text_photo())
    (evidence / BROKEN).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00broken" * 20)
    (evidence / "聊天记录.txt").write_text("商家：你是不是有病\n", "utf-8")
    (case / "case.yaml").write_text(yaml.safe_dump(_answers(), allow_unicode=True), "utf-8")
    before = {p.name: _sha(p) for p in evidence.iterdir()}
    result = {s.file: s for s in scan_case(case)}
    after = {p.name: _sha(p) for p in evidence.iterdir()}
    return case, result, before, after


@pytest.fixture
def case_dir(scanned_dir, tmp_path):
    target = tmp_path / "案子"
    shutil.copytree(scanned_dir[0], target)
    return target


def _best(lines, text):
    want = text.replace(" ", "")
    return max(
        lines, key=lambda ln: difflib.SequenceMatcher(None, ln.text.replace(" ", ""), want).ratio()
    )


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# ------------------------------------------------------------------ reading


def test_every_chat_line_is_read_and_attributed_to_its_side(scanned_dir, shots):
    _, result, _, _ = scanned_dir
    lines = result[CHAT].lines
    for side, text in shots[CHAT][1]:
        found = _best(lines, text)
        assert found.text.replace(" ", "") == text.replace(" ", ""), (text, found.text)
        assert found.side == side, (text, found.side)


def test_a_long_wrapped_message_is_one_line(scanned_dir):
    _, result, _, _ = scanned_dir
    texts = [ln.text for ln in result[CHAT].lines]
    long_other = "这个杯子用久了都这样，是你自己使用不当弄坏的，加我微信wx_youpin88私下给你退20元"
    assert long_other in texts
    long_me = "我今天刚签收，第一次倒热水就漏水，这明显是质量问题，照片和视频都已经发给你了"
    assert [ln.side for ln in result[CHAT].lines if ln.text == long_me] == ["me"]


def test_character_accuracy_over_the_generated_set(scanned_dir, shots):
    _, result, _, _ = scanned_dir
    errors = total = 0
    for name, (_, expected) in shots.items():
        lines = result[name].lines + result[name].raw
        for _, text in expected:
            want = text.replace(" ", "")
            got = _best(lines, text).text.replace(" ", "")
            errors += _distance(got, want)
            total += len(want)
    assert total > 300
    assert errors / total <= 0.02, f"{errors} errors in {total} characters"


def test_photo_without_text_gives_nothing_and_a_broken_image_is_listed(scanned_dir):
    _, result, _, _ = scanned_dir
    assert result[PHOTO].lines == [] and result[PHOTO].quotes == [] and not result[PHOTO].error
    assert result[BROKEN].error and "损坏" in result[BROKEN].error
    assert "聊天记录.txt" not in result  # only images are read


def test_evidence_files_are_never_changed(scanned_dir):
    case, _, before, after = scanned_dir
    assert before == after
    assert sorted(p.name for p in (case / CACHE_DIR).iterdir()) == sorted(
        f"{before[n]}.json" for n in (CHAT, ORDER, PUSH, PHOTO, BROKEN)
    )


def test_rerun_uses_the_cache_and_a_changed_file_is_read_again(case_dir, shots):
    again = {s.file: s for s in scan_case(case_dir)}
    assert all(s.cached for s in again.values())
    # the chat screenshot replaced by another one: read again, new result
    png, _ = screens.chat_screenshot(chat=[("other", "你全家都不得好死")])
    (case_dir / "evidence" / CHAT).write_bytes(png)
    third = {s.file: s for s in scan_case(case_dir)}
    assert not third[CHAT].cached and third[ORDER].cached
    assert [(q.text, q.kind) for q in third[CHAT].quotes] == [
        ("你全家都不得好死", "seller_harassment")
    ]


# ------------------------------------------------------------------- quotes


def test_quotes_come_from_the_other_party_only(scanned_dir):
    _, result, _, _ = scanned_dir
    quotes = result[CHAT].quotes
    assert [(q.text, q.kind) for q in quotes] == [
        ("你是不是有病，买不起别买", "seller_abuse"),
        (
            "这个杯子用久了都这样，是你自己使用不当弄坏的，加我微信wx_youpin88私下给你退20元",
            "off_platform",
        ),
        ("好评返现10元，把差评删了就行", "bribe_for_review"),
    ]
    # the buyer's own "你说我有病" is never a quote
    assert not any("你说我有病" in q.text for q in quotes)
    assert quotes[0].time == "11月20日 10:02"
    assert quotes[0].cited() == "截图 03-聊天.png（11月20日 10:02）商家：“你是不是有病，买不起别买”"
    assert quotes[2].time == "11月20日 10:15"
    assert [q.kind for q in result[PUSH].quotes] == ["off_platform"]


def test_order_facts_from_the_order_page(scanned_dir):
    _, result, _, _ = scanned_dir
    facts = result[ORDER].order
    assert facts.id == screens.ORDER["id"]
    assert facts.amount == screens.ORDER["amount"]
    assert facts.shop == screens.ORDER["shop"]
    assert facts.ordered_on.isoformat() == screens.ORDER["ordered_on"]
    assert facts.signed_on.isoformat() == screens.ORDER["signed_on"]
    assert result[CHAT].order is None


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_scan_json_interface(case_dir):
    import json

    r = _run("scan", case_dir, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    by_file = {d["file"]: d for d in data}
    chat = by_file[CHAT]
    assert chat["sha256"] == _sha(case_dir / "evidence" / CHAT)
    assert {"text", "side", "box"} <= set(chat["lines"][0])
    assert {ln["side"] for ln in chat["lines"]} == {"other", "me", "app"}
    assert chat["quotes"][0] == {
        "text": "你是不是有病，买不起别买",
        "kind": "seller_abuse",
        "file": CHAT,
        "time": "11月20日 10:02",
        "confirmed": False,
    }
    assert by_file[BROKEN]["error"] and by_file[BROKEN]["lines"] == []
    assert by_file[PHOTO]["lines"] == []


def test_unconfirmed_quotes_never_reach_a_text(case_dir):
    r = _run("scan", case_dir)  # not a terminal: nothing asked, nothing decided
    assert r.exit_code == 0, r.output
    assert "待确认" in r.output and "quotes" not in (case_dir / "case.yaml").read_text("utf-8")
    case = _answers()
    for channel in ("misconduct", "c12315_online", "official_cs"):
        r = _run("letter", channel, "--answers", case_dir, "--now", SAMPLE_NOW)
        assert r.exit_code == 0, r.output
        assert "截图 03-聊天.png" not in r.output
        assert "买不起别买" not in r.output
        assert "好评返现10元" not in r.output
    # and no misconduct kind is added by a quote alone
    plan = _run("plan", "--answers", case_dir, "--now", SAMPLE_NOW, "--json")
    assert '"off_platform"' not in plan.output and case["story"]


def test_rejected_quotes_stay_out_and_bad_numbers_are_refused(case_dir):
    r = _run("scan", case_dir, "--confirm", "9")
    assert r.exit_code == 2 and "1 到 4" in r.output
    r = _run("scan", case_dir, "--confirm", "1", "--reject", "1")
    assert r.exit_code == 2
    r = _run("scan", case_dir, "--reject", "all")
    assert r.exit_code == 0 and "已排除" in r.output
    saved = yaml.safe_load((case_dir / "case.yaml").read_text("utf-8"))["quotes"]
    assert len(saved) == 4 and not any(q["confirmed"] for q in saved)
    r = _run("letter", "misconduct", "--answers", case_dir, "--now", SAMPLE_NOW)
    assert "截图 03-聊天.png" not in r.output


def test_interactive_confirmation_uses_the_adapter(case_dir):
    from buyer_helper.terminal.scan_command import scan_command

    asked = []

    def ask(q, n, total):
        asked.append((n, total, q.text))
        return q.kind == "bribe_for_review"

    scan_command(case_dir, as_json=False, ask=ask)
    assert [a[0] for a in asked] == [1, 2, 3, 4] and asked[0][1] == 4
    saved = yaml.safe_load((case_dir / "case.yaml").read_text("utf-8"))["quotes"]
    assert [q["text"] for q in saved if q["confirmed"]] == ["好评返现10元，把差评删了就行"]
    # decided quotes are not asked again
    asked.clear()
    scan_command(case_dir, as_json=False, ask=ask)
    assert asked == []


# ---------------------------------------------------------------- done when


def test_done_when_confirmed_quotes_are_quoted_pdf_searchable_and_order_checked(case_dir, tmp_path):
    # the buyer typed an order number that differs from the screenshot's
    answers = _answers(order_id="231118-094512837760999")
    (case_dir / "case.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
    before = {p.name: _sha(p) for p in (case_dir / "evidence").iterdir()}
    r = _run("scan", case_dir, "--confirm", "1,4")
    assert r.exit_code == 0, r.output
    abuse = "截图 03-聊天.png（11月20日 10:02）商家：“你是不是有病，买不起别买”"
    push = "截图 04-微信通知.png（10:41）商家：“加我微信wx_youpin88，好评返现15元”"
    assert abuse in r.output and push in r.output, r.output

    misconduct = _run("letter", "misconduct", "--answers", case_dir, "--now", SAMPLE_NOW)
    c12315 = _run("letter", "c12315_online", "--answers", case_dir, "--now", SAMPLE_NOW)
    for text in (misconduct.output, c12315.output):
        assert abuse in text and push in text
        assert "好评返现10元" not in text  # found but not confirmed
    # the confirmed 导流 quote adds that misconduct to the plan (the story names only abuse)
    plan = _run("plan", "--answers", case_dir, "--now", SAMPLE_NOW)
    assert plan.exit_code == 0, plan.output
    assert (
        "截图 01-订单详情.png 里的订单号是 231118-094512837760231，你填的是 231118-094512837760999"
        in plan.output
    )
    assert "导流" in misconduct.output

    pdf = tmp_path / "证据包.pdf"
    r = _run("bundle", case_dir, "-o", pdf, "--now", SAMPLE_NOW)
    assert r.exit_code == 3, r.output  # the broken image is listed, not dropped
    from pypdf import PdfReader

    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    chat_pages = [t for t in pages if "证据" in t and CHAT in t and "有病" in t]
    assert chat_pages, "the chat screenshot's page has no searchable text"
    assert any("已识别文字" in t for t in pages)
    again = tmp_path / "again.pdf"
    _run("bundle", case_dir, "-o", again, "--now", SAMPLE_NOW)
    assert again.read_bytes() == pdf.read_bytes()
    assert {p.name: _sha(p) for p in (case_dir / "evidence").iterdir()} == before


def test_plan_without_a_differing_screenshot_says_nothing(case_dir):
    plan = _run("plan", "--answers", case_dir, "--now", SAMPLE_NOW)
    assert "截图" not in plan.output or "你填的是" not in plan.output


# ------------------------------------------------------------ missing extra


def test_missing_extra_is_one_chinese_line(monkeypatch, tmp_path):
    import builtins

    real_import = builtins.__import__

    def no_ocr(name, *args, **kwargs):
        if name.startswith("rapidocr_onnxruntime"):
            raise ImportError("No module named 'rapidocr_onnxruntime'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(ocr, "_ENGINE", None)
    monkeypatch.setattr(builtins, "__import__", no_ocr)
    with pytest.raises(BuyerHelperError) as e:
        ocr.engine()
    assert "pip install 'buyer-helper[ocr]'" in e.value.message
    assert "\n" not in e.value.message

    def no_libgl(name, *args, **kwargs):
        if name.startswith("rapidocr_onnxruntime"):
            raise ImportError("libGL.so.1: cannot open shared object file: No such file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_libgl)
    with pytest.raises(BuyerHelperError) as e:
        ocr.engine()
    assert "apt install libgl1" in e.value.message

    case = tmp_path / "案子"
    (case / "evidence").mkdir(parents=True)
    (case / "evidence" / "a.png").write_bytes(screens.no_text_photo())
    r = _run("scan", case)
    assert r.exit_code == 1 and "apt install libgl1" in r.output and "Traceback" not in r.output


# ------------------------------------------------------------------ layout


def _line(text, x0, y0, x1, y1):
    return Line(text, (x0, y0, x1, y1))


def test_layout_wrapped_right_bubble_with_short_last_line_is_mine():
    w, h = 750, 1624
    lines = [
        _line("11月20日 19:05", 298, 183, 454, 210),
        _line("就是质量问题，我不会改退款原", 202, 1021, 619, 1051),
        _line("因。", 199, 1059, 246, 1095),
        _line("你是不是有病？爱买不买，穷就", 131, 1219, 552, 1252),
        _line("别买", 126, 1260, 194, 1297),
    ]
    out = attribute(lines, (w, h))
    assert [(ln.text, ln.side) for ln in out] == [
        ("11月20日 19:05", "app"),
        ("就是质量问题，我不会改退款原因。", "me"),
        ("你是不是有病？爱买不买，穷就别买", "other"),
    ]


def test_layout_symmetric_bubbles_follow_the_sides_edges():
    w, h = 1000, 2000
    lines = [
        _line("短的一句", 150, 300, 330, 340),  # clearly left
        _line("好", 800, 400, 850, 440),  # clearly right
        _line("一句很长很长的对方消息，几乎占满了气泡的宽度", 150, 500, 790, 540),
        _line("一句很长很长的我的消息，几乎占满了气泡的宽度", 212, 600, 850, 640),
        _line("以下为新消息", 420, 700, 580, 730),  # a centred notice
        _line("10:30", 40, 20, 100, 50),  # the phone's status bar
    ]
    sides = {ln.text: ln.side for ln in attribute(lines, (w, h))}
    assert sides["一句很长很长的对方消息，几乎占满了气泡的宽度"] == "other"
    assert sides["一句很长很长的我的消息，几乎占满了气泡的宽度"] == "me"
    assert sides["以下为新消息"] == "app" and sides["10:30"] == "app"


def test_layout_latin_words_wrapped_at_a_space_keep_it():
    out = attribute(
        [_line("please send the", 150, 300, 500, 340), _line("refund now", 150, 350, 420, 390)],
        (1000, 2000),
    )
    assert [ln.text for ln in out] == ["please send the refund now"]
    assert ocr.normalise("你好,在吗?10:02") == "你好，在吗？10:02"


# ---------------------------------------------------------------- interview


def test_interview_offers_the_order_facts_and_the_quotes(case_dir):
    from buyer_helper.evidence.scan import cached_scan
    from buyer_helper.terminal.interview import confirm_quotes, screenshot_answers

    scanned = cached_scan(case_dir)
    offered, source = screenshot_answers(scanned)
    assert source == ORDER
    assert dict(offered) == {
        "order.id": screens.ORDER["id"],
        "order.shop": screens.ORDER["shop"],
        "order.amount": screens.ORDER["amount"],
        "order.ordered_on": screens.ORDER["ordered_on"],
        "signed_on": screens.ORDER["signed_on"],
    }
    prompts = []

    def ask(prompt):
        prompts.append(prompt)
        return "有病" in prompt

    decided = confirm_quotes(case_dir / "case.yaml", scanned, ask=ask)
    assert len(prompts) == 4 and "截图 03-聊天.png（11月20日 10:02）" in prompts[0]
    assert [q.text for q in decided if q.confirmed] == ["你是不是有病，买不起别买"]
    prompts.clear()
    confirm_quotes(case_dir / "case.yaml", scanned, ask=ask)
    assert prompts == []  # decided once, not asked again
