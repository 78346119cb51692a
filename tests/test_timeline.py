"""`buyer-helper log DIR "text" [--tried STATE]`: the timeline grows and the plan moves up."""

import json

import pytest
import yaml

from buyer_helper.casefile.case import TRIED
from buyer_helper.casefile.fileio import LOCK_FILE
from buyer_helper.cli import main


@pytest.fixture
def case_dir(tmp_path, sample_answers):
    sample_answers["tried"] = []
    sample_answers["timeline"] = sample_answers["timeline"][:2]
    folder = tmp_path / "我的案子"
    folder.mkdir()
    (folder / "case.yaml").write_text(
        yaml.safe_dump(sample_answers, allow_unicode=True), encoding="utf-8"
    )
    return folder


def log(runner, folder, text, *extra):
    return runner.invoke(main, ["log", str(folder), text, *extra])


def next_step(runner, folder, now):
    result = runner.invoke(main, ["plan", "--answers", str(folder), "--now", now, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data["next_step"], data


def read(folder):
    return yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))


def test_log_appends_a_dated_event_and_keeps_the_rest(runner, case_dir):
    before = read(case_dir)
    result = log(runner, case_dir, "打了021-53395288，工单号 123", "--now", "2026-11-23T10:30:00")
    assert result.exit_code == 0, result.output
    assert "已记到时间线" in result.output and "工单号 123" in result.output
    assert "下一步：" in result.output
    after = read(case_dir)
    assert after["timeline"][:-1] == before["timeline"]
    assert after["timeline"][-1] == {
        "at": "2026-11-23T10:30:00+08:00",
        "text": "打了021-53395288，工单号 123",
    }
    for key in ("story", "contact", "evidence_notes", "order", "seller_city", "signed_on"):
        assert after[key] == before[key], key
    assert after["tried"] == []
    # no temp files left behind (the case folder's lock file stays: fileio.locked)
    assert sorted(p.name for p in case_dir.iterdir()) == sorted(["case.yaml", LOCK_FILE])


def test_log_with_tried_moves_the_plan_up_the_ladder(runner, case_dir):
    now = "2026-11-23T10:30:00+08:00"
    assert next_step(runner, case_dir, now)[0] == "return_7day"

    steps = [
        ("申请退货退款，原因质量问题", "after_sales_filed", "2026-11-21T09:10:00", "official_cs"),
        ("商家驳回", "seller_rejected", "2026-11-22T10:00:00", "official_cs"),
        ("平台客服只给了5元券", "platform_unsatisfied", "2026-11-22T15:00:00", "pdd_hotline"),
        ("打了021-53395288，工单号 123", "hotline_called", "2026-11-23T09:00:00", "c12315"),
    ]
    for text, state, when, expected in steps:
        result = log(runner, case_dir, text, "--tried", state, "--now", when)
        assert result.exit_code == 0, result.output
        assert TRIED[state] in result.output
        assert next_step(runner, case_dir, now)[0] == expected, state
    assert read(case_dir)["tried"] == [s[1] for s in steps]

    # the command itself tells the new next step
    result = log(runner, case_dir, "12315网上投诉，编号 ABC", "--tried", "c12315_filed",
                 "--now", "2026-11-23T10:00:00")  # fmt: skip
    assert "下一步：在黑猫投诉公开投诉" in result.output
    nxt, data = next_step(runner, case_dir, now)
    assert nxt == "heimao"
    c12315 = next(s for s in data["steps"] if s["channel"] == "c12315")
    labels = [d["label"] for d in c12315["deadlines"]]
    assert "12315 决定是否受理" in labels
    # filed Monday 2026-11-23: 7 working days later is Wednesday 2026-12-02
    assert c12315["deadlines"][0]["due"].startswith("2026-12-02")


def test_after_sales_filed_event_time_drives_the_48_hour_clock(runner, case_dir):
    log(runner, case_dir, "申请退货退款", "--tried", "after_sales_filed", "--now",
        "2026-11-21T09:10:00+08:00")  # fmt: skip
    _, data = next_step(runner, case_dir, "2026-11-21T12:00:00+08:00")
    cs = data["steps"][0]
    assert cs["channel"] == "official_cs"
    assert cs["deadlines"][0]["due"] == "2026-11-23T09:10:00+08:00"
    assert cs["deadlines"][0]["approximate"] is True


def test_log_the_same_state_twice_records_it_once(runner, case_dir):
    for _ in range(2):
        assert log(runner, case_dir, "又打了一次", "--tried", "hotline_called").exit_code == 0
    data = read(case_dir)
    assert data["tried"] == ["hotline_called"]
    assert len(data["timeline"]) == 4


def test_unknown_tried_lists_the_states(runner, case_dir):
    before = (case_dir / "case.yaml").read_bytes()
    result = log(runner, case_dir, "x", "--tried", "called_mum")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：")
    for state in TRIED:
        assert state in result.stderr
    assert (case_dir / "case.yaml").read_bytes() == before


def test_missing_folder_or_case_file(runner, tmp_path):
    result = log(runner, tmp_path / "没有这个", "x")
    assert result.exit_code == 2 and "找不到案子文件夹" in result.stderr
    result = log(runner, tmp_path, "x")
    assert result.exit_code == 2 and "case.yaml" in result.stderr
    file = tmp_path / "a.txt"
    file.write_text("x")
    result = log(runner, file, "x")
    assert result.exit_code == 2 and "不是文件夹" in result.stderr


def test_empty_text_and_broken_case_file(runner, case_dir):
    assert log(runner, case_dir, "   ").exit_code == 2
    (case_dir / "case.yaml").write_text("timeline: 5\n", encoding="utf-8")
    result = log(runner, case_dir, "x")
    assert result.exit_code == 2 and "timeline" in result.stderr
    (case_dir / "case.yaml").write_text("[1, 2\n", encoding="utf-8")
    result = log(runner, case_dir, "x")
    assert result.exit_code == 2 and "YAML" in result.stderr


def test_log_on_an_unfinished_case_still_records(runner, tmp_path):
    folder = tmp_path / "半截"
    folder.mkdir()
    (folder / "case.yaml").write_text("platform: pdd\n", encoding="utf-8")
    result = log(runner, folder, "先记一笔")
    assert result.exit_code == 0, result.output
    assert "还不完整" in result.output
    assert read(folder)["timeline"][0]["text"] == "先记一笔"
    assert read(folder)["platform"] == "pdd"


def test_log_says_the_next_opening_in_the_shared_words(runner, case_dir):
    # a Sunday night: the platform step is always open; after the platform and the hotline,
    # 12315's phone is shut
    first = log(runner, case_dir, "平台介入没结果", "--tried", "platform_unsatisfied", "--now",
                "2026-11-22T21:00:00+08:00")  # fmt: skip
    assert first.exit_code == 0, first.output
    result = log(runner, case_dir, "打了热线", "--tried", "hotline_called", "--now",
                 "2026-11-22T22:00:00+08:00")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "现在：已关闭，下次开放：周一 08:30（明天，11月23日）" in result.output


def test_taobao_case_refuses_the_pdd_hotline_state(runner, case_dir):
    """021-53395288 is 拼多多's line: on a 淘宝 case `--tried hotline_called` is refused in
    Chinese (exit 2), nothing is written, and the buyer is told how to log another call."""
    data = read(case_dir)
    data["platform"] = "taobao"
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    before = (case_dir / "case.yaml").read_bytes()
    result = log(runner, case_dir, "打了热线", "--tried", "hotline_called")
    assert result.exit_code == 2
    assert "021-53395288" in result.output and "拼多多" in result.output
    assert "淘宝" in result.output and "不带 --tried" in result.output
    assert "Traceback" not in result.output
    assert (case_dir / "case.yaml").read_bytes() == before
    ok = log(runner, case_dir, "打了淘宝客服电话")
    assert ok.exit_code == 0, ok.output


def test_two_tried_states_at_once_are_refused_not_half_recorded(runner, case_dir):
    before = read(case_dir)
    result = log(
        runner, case_dir, "x", "--tried", "after_sales_filed", "--tried", "seller_rejected"
    )
    assert result.exit_code == 2
    assert "一次只能记一个进展" in result.output
    assert read(case_dir) == before


def test_an_event_before_the_order_is_refused(runner, case_dir):
    before = read(case_dir)
    result = log(runner, case_dir, "打了12315", "--now", "2026-09-28T10:00:00+08:00")
    assert result.exit_code == 2
    assert "早于下单日期" in result.output
    assert read(case_dir) == before


def test_log_refused_delivery_moves_a_not_signed_plan_on_to_the_refund(runner, case_dir):
    data = read(case_dir)
    data.update(delivery="not_signed", tried=[])
    data.pop("signed_on", None)
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    now = "2026-11-23T10:30:00+08:00"
    nxt, before = next_step(runner, case_dir, now)
    assert nxt == "refuse_delivery" and "当面验货" in before["steps"][0]["title"]

    result = log(runner, case_dir, "当着快递员拒签了", "--tried", "refused_delivery",
                 "--now", "2026-11-23T09:00:00")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "进展：已拒签退回" in result.output
    assert read(case_dir)["tried"] == ["refused_delivery"]
    nxt, after = next_step(runner, case_dir, now)
    first = after["steps"][0]
    assert nxt == "refuse_delivery" and not first["done"]
    assert first["title"] == "已拒签退回：申请仅退款（未收到货）"
    actions = "\n".join(first["actions"])
    assert "未收到货" in actions and "快递员" not in actions


def test_refused_delivery_on_a_signed_case_is_refused_not_recorded(runner, case_dir):
    before = read(case_dir)
    assert before["delivery"] != "not_signed"
    result = log(runner, case_dir, "拒签了", "--tried", "refused_delivery")
    assert result.exit_code == 2
    assert "还没签收" in result.output and "delivery" in result.output
    assert read(case_dir) == before
