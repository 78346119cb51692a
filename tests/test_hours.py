"""The hours engine and `buyer-helper hours`: what a buyer sees about when to call."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buyer_helper.cli import main
from buyer_helper.errors import BuyerHelperError
from buyer_helper.facts.channels import get_channel, load_channels
from buyer_helper.facts.hours import (
    SHANGHAI,
    add_working_days,
    channel_state,
    display_width,
    evaluate,
    hours_command,
    is_workday,
    parse_now,
    when_words,
)
from buyer_helper.facts.resources import data_path

BJ = dt.timezone(dt.timedelta(hours=8))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def status(cid: str, when: str) -> str:
    return channel_state(get_channel(cid), at(when)).status


# --------------------------------------------------------------------------- a whole week

# 2026-11-16 is a Monday; that week has no public holiday.
WEEK = [f"2026-11-{d}" for d in range(16, 23)]


@pytest.mark.parametrize("day", WEEK)
def test_hotline_021_through_the_day_every_day_of_the_week(day):
    # 003: 08:00–21:30 every day; 004 §⑷: 09:00–24:00. Open only when both say open.
    assert status("pdd_hotline", f"{day}T07:59") == "closed"
    assert status("pdd_hotline", f"{day}T08:00") == "maybe"
    assert status("pdd_hotline", f"{day}T08:59") == "maybe"
    assert status("pdd_hotline", f"{day}T09:00") == "open"
    assert status("pdd_hotline", f"{day}T21:29") == "open"
    assert status("pdd_hotline", f"{day}T21:30") == "maybe"
    assert status("pdd_hotline", f"{day}T23:59:59") == "maybe"
    assert status("pdd_hotline", f"{day}T00:00") == "closed"


@pytest.mark.parametrize("day", WEEK)
def test_12315_phone_keeps_office_hours_on_weekdays_only(day):
    weekday = dt.date.fromisoformat(day).weekday()
    expected = "open" if weekday < 5 else "closed"
    for hm in ("08:30", "11:59", "14:00", "17:29"):
        assert status("c12315", f"{day}T{hm}") == expected, (day, hm)
    for hm in ("08:29", "12:00", "13:59", "17:30", "20:00"):
        assert status("c12315", f"{day}T{hm}") == "closed", (day, hm)


def test_12315_next_opening_after_lunch_and_over_the_weekend():
    ch = get_channel("c12315")
    assert channel_state(ch, at("2026-11-18T12:30")).next_open == at("2026-11-18T14:00")
    assert channel_state(ch, at("2026-11-20T18:00")).next_open == at("2026-11-23T08:30")
    assert channel_state(ch, at("2026-11-21T10:00")).next_open == at("2026-11-23T08:30")
    assert channel_state(ch, at("2026-11-23T07:00")).next_open == at("2026-11-23T08:30")


def test_open_channel_next_open_is_now_and_always_open_channels_have_none():
    now = at("2026-11-18T10:15")
    assert channel_state(get_channel("pdd_hotline"), now).next_open == now
    for cid in ("heimao", "c12315_online", "after_sales", "refuse_delivery", "return_7day"):
        state = channel_state(get_channel(cid), at("2026-11-22T03:00"))
        assert state.status == "open" and state.open_now
        assert state.next_open is None


# --------------------------------------------------------------------------- holidays


def test_national_day_2026_12315_closed_until_the_8th():
    state = channel_state(get_channel("c12315"), at("2026-10-01T10:00"))
    assert state.status == "closed" and not state.open_now
    # FACTS.md §8: Oct 1–7 off; Thursday Oct 8 is the first working day after.
    assert state.next_open == at("2026-10-08T08:30")
    assert "国庆节" in state.today_hours
    # hotlines are daily: the holiday does not close them
    assert status("pdd_hotline", "2026-10-01T10:00") == "open"


def test_make_up_saturday_2026_10_10_12315_open():
    state = channel_state(get_channel("c12315"), at("2026-10-10T10:00"))
    assert state.status == "open" and state.open_now
    assert "调休" in state.today_hours
    assert status("c12315", "2026-09-20T15:00") == "open"  # Sunday make-up day
    assert status("c12315", "2026-10-17T10:00") == "closed"  # ordinary Saturday


def test_is_workday_and_working_day_arithmetic_around_national_day():
    assert is_workday(dt.date(2026, 10, 1)) == (False, False)
    assert is_workday(dt.date(2026, 10, 10)) == (True, False)
    assert add_working_days(dt.date(2026, 9, 30), 1) == (dt.date(2026, 10, 8), False)
    # from Mon 28 Sep: 29, 30, Oct 8, 9, 10 (make-up Sat), 12, 13
    assert add_working_days(dt.date(2026, 9, 28), 7) == (dt.date(2026, 10, 13), False)
    assert add_working_days(dt.date(2026, 11, 20), 0) == (dt.date(2026, 11, 20), False)


def test_2027_falls_back_to_monday_to_friday_and_says_so():
    assert is_workday(dt.date(2027, 3, 1)) == (True, True)
    assert is_workday(dt.date(2027, 3, 6)) == (False, True)
    ev = evaluate(get_channel("c12315"), at("2027-03-01T10:00"))
    assert ev.status == "open"
    assert ev.fallback_years == (2027,)
    assert "按周一至周五" in ev.calendar_note
    assert not any("按周一至周五" in n for n in ev.notes)  # kept apart, said once
    # the deadline helper reports the fallback as well; 元旦 2027 (a Friday) is a statutory
    # holiday by law, not a working day: 31 Dec, 4 Jan, 5 Jan
    assert add_working_days(dt.date(2026, 12, 30), 3) == (dt.date(2027, 1, 5), True)
    out = hours_command(now="2027-03-06T10:00:00+08:00")
    assert out.count("2027年的法定节假日和调休安排不在内置日历数据中") == 1
    data = json.loads(hours_command(now="2027-03-06T10:00:00+08:00", as_json=True))
    row = next(r for r in data if r["channel"] == "c12315")
    assert row["status"] == "closed" and row["calendar_fallback"] is True
    assert row["next_open"] == "2027-03-08T08:30:00+08:00"
    assert any("按周一至周五" in n for n in row["notes"])


def test_next_open_search_crossing_into_2027_reports_the_fallback():
    ev = evaluate(get_channel("c12315"), at("2026-12-31T18:00"))
    # 元旦 (Fri) is a statutory holiday; 2–3 Jan may be make-up days (调休 unpublished):
    # the first certain opening is Monday 4 Jan
    assert ev.next_open == at("2027-01-04T08:30")
    assert 2027 in ev.fallback_years


def test_2026_has_no_fallback_note():
    out = hours_command(now="2026-11-18T10:00:00+08:00")
    assert "不在内置日历数据中" not in out


# --------------------------------------------------------------------------- conflict rule


def test_conflicting_official_cs_is_maybe_at_21_and_open_at_10():
    ch = get_channel("official_cs")
    evening = channel_state(ch, at("2026-11-18T21:00"))
    assert evening.status == "maybe" and evening.open_now is False
    assert evening.next_open == at("2026-11-19T09:00")
    assert any("来源不一" in n for n in evening.notes)
    morning = channel_state(ch, at("2026-11-18T10:00"))
    assert morning.status == "open" and morning.open_now is True
    early = channel_state(ch, at("2026-11-18T08:00"))
    assert early.status == "closed" and early.next_open == at("2026-11-18T09:00")
    # both sources appear in today's hours
    assert "09:00–24:00" in morning.today_hours and "09:00–20:00" in morning.today_hours


def test_window_ending_at_midnight(tmp_path):
    text = """
channels:
  - id: late
    name: 夜间
    platform: pdd
    kind: phone
    reach: "400"
    how: [打电话]
    sources: ["测试"]
    verified: true
    hours:
      - sources: [A]
        days: daily
        windows: ["18:00-24:00"]
"""
    # the rest of the file (regulator rules) as shipped
    shipped = data_path("channels.yaml").read_text(encoding="utf-8")
    rest = shipped[shipped.index("\nregulator:") : shipped.index("\nnot_for_buyers:")]
    path = tmp_path / "channels.yaml"
    path.write_text(rest + text, encoding="utf-8")
    ch = load_channels(path)["late"]
    assert channel_state(ch, at("2026-11-18T23:59:59")).status == "open"
    nxt = channel_state(ch, at("2026-11-19T00:00"))
    assert nxt.status == "closed" and nxt.next_open == at("2026-11-19T18:00")
    assert channel_state(ch, at("2026-11-18T18:00")).status == "open"
    assert "18:00–24:00" in channel_state(ch, at("2026-11-18T10:00")).today_hours


# --------------------------------------------------------------------------- time input


def test_parse_now_naive_is_beijing_time_and_offsets_are_converted():
    assert parse_now("2026-11-22T22:00") == dt.datetime(2026, 11, 22, 22, 0, tzinfo=BJ)
    assert parse_now("2026-11-22T14:00:00Z") == dt.datetime(2026, 11, 22, 22, 0, tzinfo=BJ)
    assert parse_now("2026-11-22T09:00:00-05:00").hour == 22
    assert parse_now("2026-11-22T09:00:00-05:00").utcoffset() == dt.timedelta(hours=8)
    assert parse_now(None).utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize("bad", ["garbage", "2026-13-01", "25:00", "2026-11-22T25:00", "", " "])
def test_bad_now_is_a_chinese_error_with_exit_2(runner, bad):
    result = runner.invoke(main, ["hours", "--now", bad])
    assert result.exit_code == 2
    assert "无法识别时间" in result.output
    assert "Traceback" not in result.output


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_parse_now_never_crashes(text):
    try:
        moment = parse_now(text)
    except BuyerHelperError as e:
        assert e.exit_code == 2 and e.message
    else:
        assert moment.utcoffset() == dt.timedelta(hours=8)


@settings(max_examples=60, deadline=None)
@given(
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.timezones(),
    )
)
def test_hours_command_any_moment_gives_a_table_or_a_chinese_error(moment):
    try:
        out = hours_command(now=moment.isoformat(), channel_ids=("c12315", "pdd_hotline"))
    except BuyerHelperError as e:
        assert "超出可处理的范围" in e.message
        assert not 1970 <= moment.astimezone(SHANGHAI).year <= 2999
    else:
        assert "12315" in out and "021-53395288" in out


def test_when_words():
    now = at("2026-11-22T22:00")
    assert when_words(at("2026-11-22T23:00"), now) == "今天 23:00"
    assert when_words(at("2026-11-23T08:30"), now).startswith("周一 08:30")
    assert when_words(at("2026-11-26T08:30"), now) == "周四 08:30（11月26日）"
    assert when_words(at("2026-12-08T08:30"), now) == "12月8日 周二 08:30"
    assert when_words(None, now) == "随时"


# --------------------------------------------------------------------------- the command


ISSUE_NOW = "2026-11-22T22:00:00+08:00"  # a Sunday evening


def test_issue_example_json(runner):
    result = runner.invoke(main, ["hours", "--now", ISSUE_NOW, "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["channel"]: r for r in json.loads(result.output)}
    assert set(load_channels()) == set(rows)
    hotline = rows["pdd_hotline"]
    assert hotline["open_now"] is False and hotline["status"] == "maybe"
    # 003 opens at 08:00, 004 §⑷ at 09:00: both agree from 09:00 on Monday
    assert hotline["next_open"] == "2026-11-23T09:00:00+08:00"
    c12315 = rows["c12315"]
    assert c12315["open_now"] is False and c12315["status"] == "closed"
    assert c12315["next_open"] == "2026-11-23T08:30:00+08:00"
    assert any("以当地公布为准" in n for n in c12315["notes"])
    heimao = rows["heimao"]
    assert heimao["open_now"] is True and heimao["status"] == "open"
    assert heimao["next_open"] is None
    for row in rows.values():
        assert row["open_now"] == (row["status"] == "open")
        assert row["sources"]
        if row["next_open"]:
            assert row["next_open"].endswith("+08:00")


def _row(out: str, needle: str) -> str:
    return next(line for line in out.splitlines() if needle in line)


def test_issue_example_table(runner):
    result = runner.invoke(main, ["hours", "--now", ISSUE_NOW])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "2026年11月22日 周日 22:00" in out
    hotline = _row(out, "021-53395288")
    assert "可能开放（来源不一）" in hotline and "周一 09:00" in hotline
    c12315 = _row(out, "12315 投诉电话")
    assert "已关闭" in c12315 and "周一 08:30" in c12315
    assert "开放" in _row(out, "黑猫投诉") and "已关闭" not in _row(out, "黑猫投诉")
    assert "以当地公布为准" in out
    assert "来源不一" in out
    # every status starts in the same display column
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---"))
    table = lines[start + 1 : lines.index("", start)]
    assert len(table) >= len(load_channels())
    cols = []
    for line in table:
        for label in ("可能开放（来源不一）", "已关闭", "开放（随时可以办理）"):
            if label in line:
                cols.append(display_width(line[: line.index(label)]))
                break
    assert len(cols) == len(load_channels())
    assert len(set(cols)) == 1, cols


def test_channel_filter_and_unknown_channel(runner):
    result = runner.invoke(
        main, ["hours", "--now", ISSUE_NOW, "--json", "--channel", "c12315", "--channel", "heimao"]
    )
    assert result.exit_code == 0
    assert [r["channel"] for r in json.loads(result.output)] == ["c12315", "heimao"]
    bad = runner.invoke(main, ["hours", "--channel", "jd_cs"])
    assert bad.exit_code == 2
    assert "未知的渠道“jd_cs”" in bad.output and "pdd_hotline" in bad.output


def _cli(args, tz):
    env = dict(os.environ, TZ=tz)
    exe = Path(sys.executable).with_name("buyer-helper")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "buyer_helper.cli", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=True)


def test_same_answer_when_the_machine_is_in_new_york():
    args = ["hours", "--json", "--now", "2026-11-23T08:15"]  # naive: Beijing time
    ny = json.loads(_cli(args, "America/New_York").stdout)
    sh = json.loads(_cli(args, "Asia/Shanghai").stdout)
    assert ny == sh
    hotline = next(r for r in ny if r["channel"] == "pdd_hotline")
    assert hotline["status"] == "maybe"  # 08:15 Beijing, not 08:15 New York (21:15 Beijing)


def test_default_now_is_beijing_time_in_new_york():
    code = (
        "import datetime as dt;from buyer_helper.facts.hours import now_shanghai;"
        "n=now_shanghai();u=dt.datetime.now(dt.timezone.utc);"
        "print(n.utcoffset().total_seconds(), abs((n-u).total_seconds())<60,"
        " n.hour==(u+dt.timedelta(hours=8)).hour)"
    )
    env = dict(os.environ, TZ="America/New_York")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["28800.0", "True", "True"]


def test_shared_words_for_dates_and_states():
    from buyer_helper.facts.hours import cn_date, cn_datetime, state_words

    assert cn_date(dt.date(2026, 11, 7)) == "2026年11月7日"  # no zero padding
    assert cn_datetime(at("2026-11-27T23:59:59")) == "2026年11月27日 周五 23:59"
    assert cn_datetime(at("2026-11-27T08:05"), weekday=False) == "2026年11月27日 08:05"
    # a naive moment is Beijing time; another offset is converted
    assert cn_datetime(dt.datetime(2026, 11, 27, 8, 5)) == "2026年11月27日 周五 08:05"
    utc = dt.datetime(2026, 11, 27, 0, 5, tzinfo=dt.UTC)
    assert cn_datetime(utc) == "2026年11月27日 周五 08:05"
    night = at("2026-11-22T23:00")
    assert state_words(channel_state(get_channel("heimao"), night), night) == (
        "开放（随时可以办理）",
        "随时",
    )
    status, nxt = state_words(channel_state(get_channel("c12315"), night), night)
    assert status == "已关闭" and nxt == "周一 08:30（明天，11月23日）"
    status, nxt = state_words(
        channel_state(get_channel("official_cs"), at("2026-11-22T21:00")), night
    )
    assert status == "可能开放（来源不一）"
    assert nxt == "周一 09:00（明天，11月23日，各来源都说开放）"  # one bracket
    noon = at("2026-11-23T10:00")
    assert state_words(channel_state(get_channel("c12315"), noon), noon) == ("开放", "现在就开放")


def test_todays_hours_carry_one_bracket_each():
    """P4: "14:00–17:30（今天是国庆节调休上班日，003）", never two brackets in a row."""
    ev = evaluate(get_channel("c12315"), "2026-10-10T15:00:00+08:00")  # Saturday, a workday
    assert ev.today_hours == "08:30–12:00、14:00–17:30（今天是国庆节调休上班日，003）"
    for cid in load_channels():
        for moment in ("2026-10-10T15:00:00+08:00", "2026-10-03T10:00:00+08:00", ISSUE_NOW):
            ev = evaluate(get_channel(cid), moment)
            for text in (ev.today_hours, *ev.notes):
                assert "）（" not in text, (cid, text)


def test_no_answer_words_fit_the_channel_kind():
    """P4: a phone may ring unanswered; a chat or 公众号 may not reply."""
    at = "2026-11-22T21:00:00+08:00"  # 9 pm: one source says open, the other closed
    for cid in load_channels():
        ch = get_channel(cid)
        notes = "".join(evaluate(ch, at).notes)
        if ch.kind == "phone":
            assert "可能无人回复" not in notes
        else:
            assert "无人接听" not in notes
    assert "可能无人回复" in "".join(evaluate(get_channel("official_cs"), at).notes)
    assert "无人接听" in "".join(evaluate(get_channel("pdd_400"), at).notes)


@pytest.mark.parametrize("as_json", [False, True])
def test_hours_output_cites_seeds_not_internal_files(runner, as_json):
    """P1: the hours table and JSON name seed sections and laws, never FACTS.md or phonenumbers."""
    args = ["hours", "--now", "2026-10-10T15:00:00+08:00", *(["--json"] if as_json else [])]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "FACTS" not in result.output and "phonenumbers" not in result.output
    for ch in load_channels().values():
        assert not any("FACTS" in s for s in ch.sources), ch.id
        assert not any("FACTS" in lim.source for lim in ch.limits.values()), ch.id
