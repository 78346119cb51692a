"""Working days in years without an official schedule (2027 and after), official schedules as
data, and which calendar each answer used (issue 8, FACTS.md §8)."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from buyer_helper.cli import main
from buyer_helper.facts import workdays
from buyer_helper.facts.channels import get_channel
from buyer_helper.facts.hours import SHANGHAI, channel_state, evaluate, hours_command
from buyer_helper.facts.workdays import (
    chinesecalendar_years,
    day_info,
    derive_zone,
    estimate,
    statutory_days,
)

ROOT = Path(__file__).resolve().parents[1]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def row(data, cid="c12315"):
    return next(r for r in data if r["channel"] == cid)


def hours_json(runner, now, *extra):
    result = runner.invoke(main, ["hours", "--now", now, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(autouse=True)
def no_calendar_env(monkeypatch):
    """Each test starts with only the shipped calendar file."""
    monkeypatch.delenv(workdays.ENV_VAR, raising=False)
    workdays.use_calendar_file(None, check=False)
    yield
    workdays.use_calendar_file(None, check=False)


# --------------------------------------------------------------------------- 2027 by law


def test_new_years_day_2027_12315_is_closed_and_opens_on_a_certain_working_day(runner):
    c = row(hours_json(runner, "2027-01-01T10:00:00+08:00"))
    assert c["status"] == "closed" and c["open_now"] is False
    assert c["calendar"] == "estimated"
    assert c["calendar_sources"] == [workdays.LAW_SOURCE]
    assert "元旦" in c["today_hours"]
    # Sat 2 and Sun 3 Jan could be make-up working days (not published): skipped
    assert c["next_open"] == "2027-01-04T08:30:00+08:00"
    nxt = day_info(d("2027-01-04"))
    assert nxt.kind == "work"
    assert day_info(d("2027-01-02")).kind == "unknown"
    assert any("1月2日" in n and "以国务院公布为准" in n for n in c["notes"])


@pytest.mark.parametrize("day", ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"])
def test_spring_festival_2027_eve_to_third_day_is_closed(runner, day):
    # 除夕 and 初一–初三 are statutory since 国务院令第795号 (2025): certain days off
    for hour in ("09:00", "10:00", "15:00"):
        c = row(hours_json(runner, f"{day}T{hour}:00+08:00"))
        assert c["status"] == "closed", (day, hour)
        assert "春节" in c["today_hours"]
    info = day_info(d(day))
    assert info.kind == "off" and info.holiday == "春节" and not info.official


def test_weekday_between_the_spring_festival_and_the_weekend_is_maybe(runner):
    # Tue 9 – Fri 12 Feb 2027: the usual 调休 makes such days off, but 2027's is not published
    for day in ("2027-02-09", "2027-02-12"):
        c = row(hours_json(runner, f"{day}T10:00:00+08:00"))
        assert c["status"] == "maybe" and c["open_now"] is False, day
        assert "估算，以国务院公布为准" in c["today_hours"]
        assert any("调休安排尚未公布" in n for n in c["notes"])
        # next_open is the first moment certainly open: Monday 15 Feb
        assert c["next_open"] == "2027-02-15T08:30:00+08:00"
    text = hours_command(now="2027-02-09T10:00:00+08:00", channel_ids=("c12315",))
    assert "可能开放（调休未公布）" in text and "可能开放（来源不一）" not in text.split("\n")[3]


def test_weekday_after_national_day_2027_is_maybe():
    # 国庆 2027: Fri 1 – Sun 3 Oct; Mon 4 – Fri 8 are the usual 调休 days off
    assert channel_state(get_channel("c12315"), at("2027-10-05T10:00")).status == "maybe"
    assert channel_state(get_channel("c12315"), at("2027-10-01T10:00")).status == "closed"


def test_ordinary_tuesday_in_march_2027_is_open(runner):
    c = row(hours_json(runner, "2027-03-09T10:00:00+08:00"))
    assert c["status"] == "open" and c["open_now"] is True
    assert c["next_open"] == "2027-03-09T10:00:00+08:00"
    assert c["calendar"] == "estimated"
    assert row(hours_json(runner, "2027-03-09T19:00:00+08:00"))["status"] == "closed"


def test_each_kind_of_day():
    # statutory holiday: certain day off
    assert day_info(d("2027-05-01")).kind == "off"
    assert day_info(d("2027-05-01")).label == "劳动节假期"
    assert d("2027-05-02") in statutory_days(2027)  # 劳动节 is 2 days since 2025
    # a weekday the usual 调休 can make a day off: unknown
    assert day_info(d("2027-05-03")).kind == "unknown"
    # a weekend day the usual 调休 can make a working day: unknown; the channel is maybe
    assert day_info(d("2027-01-03")).kind == "unknown"
    assert channel_state(get_channel("c12315"), at("2027-01-03T10:00")).status == "maybe"
    # far from any holiday: Monday–Friday
    assert day_info(d("2027-03-09")).kind == "work"
    assert day_info(d("2027-03-06")).kind == "off"  # an ordinary Saturday
    assert channel_state(get_channel("c12315"), at("2027-03-06T10:00")).status == "closed"
    # every 2027 day says it is estimated, with the law as its source
    assert {day_info(d("2027-01-01") + dt.timedelta(n)).official for n in range(365)} == {False}


def test_law_before_2025_gave_three_days_of_spring_festival_and_one_of_labour_day():
    def count(year, holiday):
        return sum(holiday in keys for keys in statutory_days(year).values())

    assert (count(2024, "春节"), count(2024, "劳动节")) == (3, 1)
    assert d("2024-02-09") not in statutory_days(2024)  # 除夕 2024 was not statutory
    assert (count(2025, "春节"), count(2025, "劳动节")) == (4, 2)
    assert (count(2031, "春节"), count(2031, "劳动节"), count(2031, "国庆节")) == (4, 2, 3)


# --------------------------------------------------------------------------- 2026 unchanged


def test_2026_answers_come_from_the_official_calendar(runner):
    c = row(hours_json(runner, "2026-10-10T10:00:00+08:00"))  # make-up Saturday
    assert c["status"] == "open" and c["calendar"] == "official"
    assert c["calendar_sources"] and c["calendar_sources"][0].startswith("chinesecalendar")
    assert c["calendar_fallback"] is False
    assert row(hours_json(runner, "2026-10-07T10:00:00+08:00"))["status"] == "closed"
    # a channel that ignores holidays names no calendar
    assert row(hours_json(runner, "2026-10-07T10:00:00+08:00"), "heimao")["calendar"] is None
    text = hours_command(now="2026-10-10T10:00:00+08:00", channel_ids=("c12315",))
    assert "〔日历：官方放假安排〕" in text and "日历：官方放假安排：chinesecalendar" in text


# --------------------------------------------------------------------------- year boundary


def test_year_boundary_2026_to_2027():
    ch = get_channel("c12315")
    last = evaluate(ch, at("2026-12-31T10:00"))
    assert last.status == "open" and day_info(d("2026-12-31")).official
    evening = evaluate(ch, at("2026-12-31T18:00"))
    assert evening.status == "closed"
    assert evening.next_open == at("2027-01-04T08:30")  # past 元旦 and the unknown weekend
    assert evening.calendar == "estimated" and evening.fallback_years == (2027,)
    midnight = evaluate(ch, at("2027-01-01T00:00"))
    assert midnight.status == "closed" and midnight.next_open == at("2027-01-04T08:30")
    assert evaluate(ch, at("2026-12-31T23:59:59")).next_open == at("2027-01-04T08:30")


def test_machine_in_new_york_gives_the_same_2027_answers():
    def run(args, tz):
        env = dict(os.environ, TZ=tz)
        env.pop(workdays.ENV_VAR, None)
        code = "import sys;from buyer_helper.cli import main;sys.argv[0]='buyer-helper';main()"
        out = subprocess.run(
            [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
            timeout=60, check=True,
        )  # fmt: skip
        return json.loads(out.stdout)

    # 2026-12-31 21:00 in New York is 2027-01-01 10:00 in Beijing: 元旦, closed
    ny = run(["hours", "--json", "--channel", "c12315", "--now", "2026-12-31T21:00:00-05:00"],
             "America/New_York")  # fmt: skip
    assert ny[0]["status"] == "closed"
    assert ny[0]["next_open"] == "2027-01-04T08:30:00+08:00"
    naive = ["hours", "--json", "--channel", "c12315", "--now", "2027-02-09T10:00"]
    assert run(naive, "America/New_York") == run(naive, "Asia/Shanghai")
    assert run(naive, "America/New_York")[0]["status"] == "maybe"


# --------------------------------------------------------------------------- held-out replay


def test_held_out_every_year_2015_to_2026_never_calls_a_day_certain_wrongly():
    """Replay each year as if its official schedule were unpublished: the unknown zone is
    derived from the OTHER official years only (leave-one-out), the statutory days from the law
    in force that year. Wherever the estimate says certain, the official schedule must agree.
    The only exception is a one-off holiday outside the law (2015's 70th anniversary day,
    Sep 3–4 off and Sep 6 worked), which no estimate by law can know."""
    import chinese_calendar

    years = chinesecalendar_years()
    assert set(range(2004, 2027)) <= set(years)
    one_off_seen = set()
    for year in range(2015, 2027):
        zone = derive_zone(tuple(y for y in years if y != year))
        certain = 0
        day = dt.date(year, 1, 1)
        while day.year == year:
            guess = estimate(day, zone)
            off, name = chinese_calendar.get_holiday_detail(day)
            if name is not None and name not in workdays._CC_NAMES:
                one_off_seen.add(day)
            elif guess.kind != "unknown":
                certain += 1
                assert (guess.kind == "off") == off, (day, guess, name)
            day += dt.timedelta(days=1)
        # the zone is narrow enough to be useful: most of the year is certain
        assert certain >= 300, (year, certain)
    assert one_off_seen == {d("2015-09-03"), d("2015-09-04"), d("2015-09-06")}


def test_the_unknown_zone_is_derived_from_the_data_not_written_by_hand():
    zone = {(h, kind): (lo, hi) for h, kind, lo, hi in derive_zone(chinesecalendar_years())}
    assert set(h for h, _ in zone) == set(workdays.HOLIDAYS)
    # 2026: Fri 20 and Mon 23 Feb were extra days off after 春节 (Feb 16–19): +1 and +4 days
    changed = {day: (h, kind, off) for day, h, kind, off in workdays.changed_days(2026)}
    assert changed[d("2026-02-20")] == ("春节", "off", 1)
    assert changed[d("2026-02-23")] == ("春节", "off", 4)
    # Sun 20 Sep 2026 was a make-up day on the second weekend before 国庆
    assert changed[d("2026-09-20")] == ("国庆节", "work", -2)
    lo, hi = zone[("春节", "off")]
    assert lo <= 1 and hi >= 4
    # without any official year nothing is unknown: only the law and Monday–Friday remain
    assert estimate(d("2027-02-09"), derive_zone(())).kind == "work"


def test_a_newer_chinesecalendar_with_more_years_is_used_without_code_change(monkeypatch):
    import chinese_calendar

    real = chinese_calendar.get_holiday_detail

    def newer(day):  # a release that also knows 2027: 9–12 Feb off, Sat 20 Feb worked
        if getattr(day, "year", None) == 2027:
            if d("2027-02-05") <= day <= d("2027-02-12"):
                return True, "Spring Festival"
            if day == d("2027-02-20"):
                return False, "Spring Festival"
            return day.weekday() > 4, None
        return real(day)

    monkeypatch.setattr(chinese_calendar, "get_holiday_detail", newer)
    for f in (workdays.chinesecalendar_years, workdays._day_info):
        f.cache_clear()
    try:
        assert 2027 in workdays.chinesecalendar_years()
        info = day_info(d("2027-02-09"))
        assert info.kind == "off" and info.official and info.source.startswith("chinesecalendar")
        assert channel_state(get_channel("c12315"), at("2027-02-20T10:00")).status == "open"
    finally:
        monkeypatch.undo()
        for f in (workdays.chinesecalendar_years, workdays._day_info):
            f.cache_clear()
    assert day_info(d("2027-02-09")).kind == "unknown"


# --------------------------------------------------------------------------- calendar files

TEST_SOURCE = "测试用放假安排（不是真实通知）"
CALENDAR_2027 = f"""\
# a made-up 2027 schedule for the tests
years:
  2027:
    source: "{TEST_SOURCE}"
    days_off:
      - 2027-01-01
      - 2027-02-05..2027-02-12
      - 2027-10-01..2027-10-07
    workdays:
      - 2027-02-20
      - 2027-10-09
"""


def test_the_shipped_calendar_file_holds_no_unverified_year():
    text = (ROOT / "calendar.yaml").read_text("utf-8")
    assert workdays.parse_calendar_text(text, ROOT / "calendar.yaml") == {}
    assert "2027" in text and "BUYER_HELPER_CALENDAR" in text  # how to add it, as a comment


def test_a_calendar_file_changes_that_years_answers_and_names_its_source(runner, tmp_path):
    cal = tmp_path / "放假.yaml"
    cal.write_text(CALENDAR_2027, "utf-8")
    before = row(hours_json(runner, "2027-02-09T10:00:00+08:00"))
    assert before["status"] == "maybe"
    after = row(hours_json(runner, "2027-02-09T10:00:00+08:00", "--calendar", str(cal)))
    assert after["status"] == "closed" and after["calendar"] == "official"
    assert after["calendar_sources"] == [TEST_SOURCE]
    assert after["next_open"] == "2027-02-15T08:30:00+08:00"
    sat = row(hours_json(runner, "2027-02-20T10:00:00+08:00", "--calendar", str(cal)))
    assert sat["status"] == "open" and "调休上班日" in sat["today_hours"]
    text = runner.invoke(main, ["hours", "--now", "2027-02-20T10:00", "--calendar", str(cal),
                                "--channel", "c12315"]).output  # fmt: skip
    assert TEST_SOURCE in text and "不在内置日历数据中" not in text
    # without the option again: back to the estimate
    assert row(hours_json(runner, "2027-02-09T10:00:00+08:00"))["status"] == "maybe"


def test_the_environment_variable_points_at_a_calendar_file(runner, tmp_path, monkeypatch):
    cal = tmp_path / "cal.yaml"
    cal.write_text(CALENDAR_2027, "utf-8")
    monkeypatch.setenv(workdays.ENV_VAR, str(cal))
    c = row(hours_json(runner, "2027-10-07T10:00:00+08:00"))
    assert c["status"] == "closed" and c["calendar_sources"] == [TEST_SOURCE]
    assert "BUYER_HELPER_CALENDAR" in (ROOT / "README.md").read_text("utf-8")


def test_a_calendar_file_makes_the_12315_deadline_official(runner, write_answers,
                                                           sample_answers, tmp_path):  # fmt: skip
    cal = tmp_path / "cal.yaml"
    cal.write_text(CALENDAR_2027, "utf-8")
    sample_answers["tried"] = ["c12315_filed"]
    args = ["plan", "--answers", str(write_answers(sample_answers)), "--now", "2027-02-01T10:00",
            "--json"]  # fmt: skip
    accept = deadlines(runner.invoke(main, [*args, "--calendar", str(cal)]))[0]
    assert accept["calendar"] == "official" and accept["estimated"] is False
    assert accept["earliest"] is None and accept["latest"] is None
    # 2,3,4 Feb, then (off 5–12) 15,16,17,18 Feb
    assert accept["due"].startswith("2027-02-18")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("years:\n  2027:\n    source: x\n    days_off:\n      - 2027-02-30\n", 5, "不是日期"),
        ("years:\n  2027:\n    days_off: [2027-01-01]\n", 2, "缺少 source"),
        ("years:\n  2027:\n    source: x\n    days_off: [2028-01-01]\n", 4, "不在 2027 年"),
        ("years:\n  2027:\n    source: x\n    holidays: []\n", 4, "未知的键"),
        ("years:\n  2027:\n    source: x\n    days_off: [2027-01-01\n", 5, "不是有效的 YAML"),
        ("years:\n  二〇二七:\n    source: x\n", 2, "不是年份"),
        ("years:\n  2027:\n    source: x\n    days_off: [2027-02-12..2027-02-05]\n", 4, "范围"),
        ("years:\n  2027:\n    source: x\n    days_off: [2027-02-20]\n    workdays: "
         "[2027-02-20]\n", 2, "同时写在"),
    ],
)  # fmt: skip
def test_a_malformed_calendar_file_is_a_clear_error_naming_the_line(runner, tmp_path,
                                                                    text, line, words):  # fmt: skip
    cal = tmp_path / "bad.yaml"
    cal.write_text(text, "utf-8")
    result = runner.invoke(main, ["hours", "--now", "2027-02-09T10:00", "--calendar", str(cal)])
    assert result.exit_code == 2
    assert f"第{line}行" in result.output and words in result.output, result.output
    assert "日历文件" in result.output and "Traceback" not in result.output


def test_a_malformed_calendar_file_from_the_environment_is_exit_2(runner, tmp_path, monkeypatch):
    cal = tmp_path / "bad.yaml"
    cal.write_text("years:\n  2027:\n    source: x\n    days_off: [明天]\n", "utf-8")
    monkeypatch.setenv(workdays.ENV_VAR, str(cal))
    result = runner.invoke(main, ["hours", "--now", "2026-11-18T10:00"])
    assert result.exit_code == 2 and "第4行" in result.output
    missing = runner.invoke(main, ["hours", "--calendar", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


# --------------------------------------------------------------------------- deadlines


def deadlines(result):
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    step = next(s for s in data["steps"] if s["channel"] == "c12315")
    return [dl for dl in step["deadlines"] if dl["label"].startswith("12315")]


def test_12315_deadline_across_spring_festival_2027_is_an_estimated_range(
    runner, write_answers, sample_answers
):
    sample_answers["tried"] = ["c12315_filed"]
    path = write_answers(sample_answers)
    args = ["plan", "--answers", str(path), "--now", "2027-02-01T10:00"]
    result = runner.invoke(main, [*args, "--json"])
    accept, mediate = deadlines(result)
    step = next(s for s in json.loads(result.stdout)["steps"] if s["channel"] == "c12315")
    assert step["calendar"] == "estimated"
    # 7 working days from Mon 1 Feb: earliest counts every unknown day as worked
    # (2, 3, 4, 9, 10, 11, 12 Feb), latest none of them (2, 3, 15–19 Feb)
    assert accept["estimated"] is True and accept["calendar"] == "estimated"
    assert (accept["earliest"], accept["latest"]) == ("2027-02-12", "2027-02-19")
    assert accept["due"].startswith("2027-02-19")
    assert mediate["estimated"] is True and mediate["earliest"] < mediate["latest"]
    text = runner.invoke(main, args).output
    first = text.splitlines()[1]  # the plan's 截止 line at the top says the range too
    assert first.startswith("截止") and "估算：最早 2027年2月12日，最晚 2027年2月19日" in first
    line = next(x for x in text.splitlines() if "12315 决定是否受理" in x and "——" in x)
    assert "估算：最早 2027年2月12日，最晚 2027年2月19日" in line
    assert "以国务院公布为准" in line and "日历：按法律估算" in line


def test_2026_deadlines_are_official_with_no_range(runner, write_answers, sample_answers):
    sample_answers["tried"] = ["c12315_filed"]
    sample_answers["order"]["ordered_on"] = "2026-09-01"
    sample_answers["signed_on"] = "2026-09-10"
    args = ["plan", "--answers", str(write_answers(sample_answers)), "--now", "2026-09-28T10:00",
            "--json"]  # fmt: skip
    accept = deadlines(runner.invoke(main, args))[0]
    assert accept["calendar"] == "official" and accept["estimated"] is False
    assert accept["earliest"] is None and accept["due"].startswith("2026-10-13")
