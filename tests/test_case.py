"""case.yaml is written so a buyer can read it, and read back exactly as written."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buyer_helper.casefile.case import case_from_dict
from buyer_helper.casefile.casefolder import read_yaml, write_yaml
from buyer_helper.errors import BuyerHelperError
from buyer_helper.facts.tz import SHANGHAI


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_story_round_trips(tmp_path_factory, story):
    path = tmp_path_factory.mktemp("c") / "case.yaml"
    data = {"story": story, "order": {"id": "231118-0945", "amount": "89.90"}}
    write_yaml(path, data)
    assert read_yaml(path) == data


def test_multi_line_story_is_a_readable_block(tmp_path):
    path = tmp_path / "case.yaml"
    write_yaml(path, {"story": "第一行\n商家说：“你是不是有病？”\n"})
    text = path.read_text(encoding="utf-8")
    assert "story: |" in text
    assert "  商家说：“你是不是有病？”" in text.splitlines()


def test_timeline_times_are_read_as_beijing_time(sample_answers):
    data = dict(sample_answers)
    data["timeline"] = [
        {"at": "2026-11-21T09:10:00", "text": "无时区：北京时间"},
        {"at": dt.date(2026, 11, 21), "text": "只有日期：当天零点"},
        {"at": "2026-11-21T01:10:00+00:00", "text": "UTC：换成北京时间"},
        {"at": dt.datetime(2026, 11, 21, 9, 10), "text": "YAML 读出的无时区时间"},
    ]
    case = case_from_dict(data, today=dt.date(2026, 11, 23))
    ats = [e.at for e in case.timeline]
    assert all(a.tzinfo is SHANGHAI for a in ats)
    assert ats[0] == ats[2] == ats[3] == dt.datetime(2026, 11, 21, 9, 10, tzinfo=SHANGHAI)
    assert ats[1] == dt.datetime(2026, 11, 21, 0, 0, tzinfo=SHANGHAI)
    data["timeline"] = [{"at": "下周一", "text": "x"}]
    with pytest.raises(BuyerHelperError) as e:
        case_from_dict(data, today=dt.date(2026, 11, 23))
    assert "时间线" in e.value.message


def test_phone_numbers_need_a_plausible_number_of_digits():
    import pytest

    from buyer_helper.casefile.case import check_phone
    from buyer_helper.errors import BuyerHelperError

    assert check_phone("13800138000") == "13800138000"
    assert check_phone("010-12345678") == "010-12345678"
    assert check_phone("+86 138 0013 8000") == "+86 138 0013 8000"
    for bad in ("12345", "1234567890123456"):
        with pytest.raises(BuyerHelperError, match="位数不对"):
            check_phone(bad)
