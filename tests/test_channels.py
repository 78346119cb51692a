"""channels.yaml: every channel the buyer may be sent to, traceable to FACTS.md, validated."""

import copy
import datetime as dt
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import buyer_helper.facts.resources as resources
from buyer_helper.cli import main
from buyer_helper.errors import BuyerHelperError
from buyer_helper.facts import channels as chmod
from buyer_helper.facts.channels import (
    get_channel,
    get_company,
    load_channels,
    load_data,
    parse_channels_text,
    regulator_setting,
)
from buyer_helper.facts.resources import data_path

REQUIRED_IDS = {
    "refuse_delivery",
    "return_7day",
    "after_sales",
    "seller",
    "official_cs",
    "pdd_wechat",
    "pdd_400",
    "pdd_hotline",
    "c12315",
    "c12315_online",
    "heimao",
    "taobao_cs",
}

# Every phone number FACTS.md §2/§4a lets the product print (digits only), and the
# platforms' area codes of §7.
FACTS_NUMBERS = {"4008822528", "02153395288", "12315", "02112315", "057112315", "110", "0571"}
NOT_FOR_BUYERS = {"02153395088", "02124153888"}  # 003: merchant line, wallet line


def test_every_required_channel_is_there_with_its_facts():
    chans = load_channels()
    assert set(chans) >= REQUIRED_IDS
    for ch in chans.values():
        assert ch.name and ch.reach and ch.how and ch.sources
        assert ch.platform in ("pdd", "taobao", "any")
        assert ch.kind in ("path", "chat", "phone", "online")
        assert ch.always_open or ch.schedules
    assert chans["pdd_hotline"].reach == "021-53395288"
    assert chans["pdd_400"].reach == "400-8822528"
    assert "区号+12315" in chans["c12315"].reach
    assert chans["taobao_cs"].platform == "taobao"
    assert any("小二介入" in step for step in chans["taobao_cs"].how)
    assert any("只能选一次" in step for step in chans["after_sales"].how)
    assert any("我要投诉" in step for step in chans["heimao"].how)


def test_conflicting_hours_are_all_kept_with_their_sources():
    def hours(cid):
        return {(s.source_text, s.week[0][0].text()) for s in get_channel(cid).schedules}

    assert hours("official_cs") == {
        ("000 一、004 §⑷", "09:00–24:00"),
        ("000 其他方式、004 §⑽", "09:00–20:00"),
    }
    assert hours("pdd_400") == {("000 其他方式", "09:00–20:00"), ("004 §⑷", "09:00–24:00")}
    assert hours("pdd_hotline") == {("003", "08:00–21:30"), ("004 §⑷", "09:00–24:00")}
    assert all(get_channel(c).conflicting for c in ("official_cs", "pdd_400", "pdd_hotline"))
    assert not get_channel("c12315").conflicting


def test_12315_keeps_working_days_and_is_marked_unverified():
    ch = get_channel("c12315")
    (sched,) = ch.schedules
    assert sched.calendar == "cn_workdays"
    assert [w.text() for w in sched.week[0]] == ["08:30–12:00", "14:00–17:30"]
    assert sched.verified is False and ch.verified is False
    assert "以当地公布为准" in ch.note
    for cid in ("heimao", "c12315_online", "refuse_delivery", "return_7day", "after_sales"):
        assert get_channel(cid).always_open


def test_numbers_trace_to_facts_and_merchant_lines_are_never_suggested():
    for ch in load_channels().values():
        text = " ".join([ch.reach, *ch.how, ch.note])
        for found in re.findall(r"\d[\d-]{2,}\d", text):
            digits = found.replace("-", "")
            if len(digits) >= 3 and not re.fullmatch(r"20\d\d", digits):
                assert digits in FACTS_NUMBERS or len(digits) <= 3, (ch.id, found)
            assert digits not in NOT_FOR_BUYERS, (ch.id, found)
    listed = {x.number.replace("-", "") for x in load_data().not_for_buyers}
    assert listed == NOT_FOR_BUYERS


def test_limits_record_their_source_or_say_unverified():
    heimao = get_channel("heimao").limits
    assert heimao["title"].verified is False and heimao["title"].max_chars > 0
    assert "无来源" in heimao["title"].source
    after = get_channel("after_sales").limits["description"]
    assert after.verified is False and after.max_chars > 0
    for ch in load_channels().values():
        for lim in ch.limits.values():
            assert lim.source and lim.max_chars > 0


def test_companies_and_regulator_settings():
    pdd = get_company("pdd")
    assert pdd.name == "上海寻梦信息技术有限公司" and pdd.area_code == "021"
    assert pdd.credit_code == "91310105090037252C"
    tb = get_company("taobao")
    assert tb.name == "浙江淘宝网络有限公司" and tb.area_code == "0571"
    assert tb.address_verified is False
    acc = regulator_setting("accept_working_days")
    med = regulator_setting("mediation_working_days")
    assert (acc.value, med.value) == (7, 45)
    assert "以现行规定为准" in acc.label and "2019" in acc.label
    with pytest.raises(BuyerHelperError):
        regulator_setting("nope")
    reg = load_data().regulator
    assert reg.new_rules_from == dt.date(2026, 4, 15)
    assert reg.new_rules(dt.date(2026, 4, 15)) and not reg.new_rules(dt.date(2026, 4, 14))
    assert reg.limit_years.value == 3 and "第十五条" in reg.limit_years.source
    assert "公示" in reg.new_rules_note and "以现行规定为准" in reg.new_rules_note
    assert (tb.cs_channel, pdd.cs_channel) == ("taobao_cs", "official_cs")


def test_goods_paths_serve_both_platforms_with_their_own_wording():
    for cid in ("refuse_delivery", "return_7day", "after_sales"):
        ch = get_channel(cid)
        assert ch.platform == "any"
        assert "拼多多App" in ch.reach_for("pdd") and "淘宝" not in ch.reach_for("pdd")
        assert "淘宝App" in ch.reach_for("taobao") and "拼多多" not in ch.reach_for("taobao")
        assert not any("拼多多" in step for step in ch.how_for("taobao"))
        assert "拼多多" in ch.reach and "淘宝" in ch.reach  # the neutral text names both
    assert "质量问题" not in get_channel("return_7day").name  # also the no-reason return path
    # a single-platform channel reads the same on any platform
    assert get_channel("pdd_hotline").reach_for("taobao") == "021-53395288"


def test_load_is_cached_and_unknown_id_lists_known_ones():
    assert load_channels() is load_channels()
    with pytest.raises(BuyerHelperError) as e:
        get_channel("jd_cs")
    assert "jd_cs" in e.value.message and "heimao" in e.value.message


# --------------------------------------------------------------------------- broken files


def _doc():
    return yaml.safe_load(data_path("channels.yaml").read_text(encoding="utf-8"))


def _entry(doc, cid):
    return next(c for c in doc["channels"] if c["id"] == cid)


def _missing_name(doc):
    del _entry(doc, "official_cs")["name"]


def _bad_time(doc):
    _entry(doc, "pdd_hotline")["hours"][0]["windows"] = ["08:00-25:00"]


def _bad_start(doc):
    _entry(doc, "pdd_hotline")["hours"][0]["windows"] = ["25:00-26:00"]


def _reversed(doc):
    _entry(doc, "pdd_hotline")["hours"][0]["windows"] = ["21:30-08:00"]


def _bad_weekday(doc):
    _entry(doc, "pdd_400")["hours"][0]["days"] = ["mon", "funday"]


def _bad_platform(doc):
    _entry(doc, "heimao")["platform"] = "jd"


def _bad_kind(doc):
    _entry(doc, "heimao")["kind"] = "fax"


def _duplicate(doc):
    doc["channels"].append(copy.deepcopy(_entry(doc, "heimao")))


def _no_sources(doc):
    del _entry(doc, "c12315")["sources"]


def _no_hour_sources(doc):
    del _entry(doc, "c12315")["hours"][0]["sources"]


def _no_hours(doc):
    del _entry(doc, "c12315")["hours"]


def _bad_calendar(doc):
    _entry(doc, "c12315")["hours"][0]["calendar"] = "lunar"


def _bad_limit(doc):
    _entry(doc, "heimao")["limits"]["title"]["max_chars"] = "thirty"


def _bad_rules_date(doc):
    doc["regulator"]["new_rules_from"] = "2026-13-45"


def _no_accept_days(doc):
    del doc["regulator"]["accept_working_days"]


def _per_platform_reach_on_one_platform(doc):
    _entry(doc, "pdd_hotline")["reach"] = {"pdd": "1", "taobao": "2"}


def _half_per_platform_how(doc):
    _entry(doc, "after_sales")["how"] = {"pdd": ["a"]}


BROKEN_FILE = [
    (_bad_rules_date, "2026-13-45"),
    (_no_accept_days, "accept_working_days"),
]


@pytest.mark.parametrize(("mutate", "what"), BROKEN_FILE, ids=[b[0].__name__ for b in BROKEN_FILE])
def test_broken_rules_or_companies_name_the_problem(tmp_path, mutate, what):
    doc = _doc()
    mutate(doc)
    path = tmp_path / "channels.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BuyerHelperError) as e:
        load_data(path)
    assert str(path) in e.value.message and what in e.value.message, e.value.message
    assert e.value.exit_code == 2


BROKEN = [
    (_per_platform_reach_on_one_platform, "pdd_hotline", "reach"),
    (_half_per_platform_how, "after_sales", "how"),
    (_missing_name, "official_cs", "name"),
    (_bad_time, "pdd_hotline", "25:00"),
    (_bad_start, "pdd_hotline", "25:00"),
    (_reversed, "pdd_hotline", "21:30-08:00"),
    (_bad_weekday, "pdd_400", "funday"),
    (_bad_platform, "heimao", "jd"),
    (_bad_kind, "heimao", "fax"),
    (_duplicate, "heimao", "重复"),
    (_no_sources, "c12315", "sources"),
    (_no_hour_sources, "c12315", "sources"),
    (_no_hours, "c12315", "hours"),
    (_bad_calendar, "c12315", "lunar"),
    (_bad_limit, "heimao", "max_chars"),
]


@pytest.mark.parametrize(("mutate", "cid", "what"), BROKEN, ids=[b[0].__name__ for b in BROKEN])
def test_broken_file_names_file_entry_and_problem(tmp_path, mutate, cid, what):
    doc = _doc()
    mutate(doc)
    path = tmp_path / "channels.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BuyerHelperError) as e:
        load_channels(path)
    msg = e.value.message
    assert str(path) in msg and f"“{cid}”" in msg and what in msg, msg
    assert e.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("channels: [\n  - id: x\n   bad indent: {", "YAML"),
        ("", "channels"),
        ("channels: []", "空"),
        ("just a string", "channels"),
        ("channels:\n  - name: 无id", "id"),
    ],
)
def test_not_yaml_or_no_channels(tmp_path, text, what):
    path = tmp_path / "坏的.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuyerHelperError) as e:
        load_channels(path)
    assert str(path) in e.value.message and what in e.value.message


def test_missing_file(tmp_path):
    with pytest.raises(BuyerHelperError) as e:
        load_channels(tmp_path / "none.yaml")
    assert "找不到" in e.value.message


def test_broken_shipped_file_reaches_the_buyer_as_a_message(tmp_path, monkeypatch, runner):
    bad = tmp_path / "channels.yaml"
    bad.write_text("channels:\n  - id: heimao\n    name: 黑猫\n", encoding="utf-8")
    shipped = resources.data_path  # platforms.yaml stays the shipped one (issue 10)
    monkeypatch.setattr(
        resources, "data_path", lambda name: bad if name == "channels.yaml" else shipped(name)
    )
    chmod._default_data.cache_clear()
    try:
        result = runner.invoke(main, ["hours", "--now", "2026-11-22T22:00:00+08:00"])
    finally:
        chmod._default_data.cache_clear()
    assert result.exit_code == 2
    assert "错误：渠道数据文件" in result.output and "“heimao”" in result.output
    assert "Traceback" not in result.output


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids),
        max_leaves=12,
    )
)
def test_any_yaml_document_loads_or_gives_a_chinese_error(value):
    for doc in (value, {"channels": [value]}, {"channels": [{**_base(), "hours": value}]}):
        text = yaml.safe_dump(doc, allow_unicode=True)
        try:
            parse_channels_text(text, chmod.Path("x.yaml"))
        except BuyerHelperError as e:
            assert "x.yaml" in e.message


def _base():
    return {
        "id": "t",
        "name": "测试",
        "platform": "pdd",
        "kind": "phone",
        "reach": "1",
        "how": ["a"],
        "sources": ["s"],
        "verified": True,
    }


def test_12315_number_rule_is_the_2026_one_with_the_platform_as_fallback_only():
    ch = get_channel("c12315")
    how = "\n".join(ch.how)
    assert "或其公司注册地" not in how  # not equal choices after 2026-04-15 (FACTS.md §6)
    assert "公示" in ch.reach and "没有公示地址时" in ch.reach
    fallback = next(step for step in ch.how if "021-12315" in step)
    assert "没有公示地址" in fallback


def test_a_channels_file_not_in_utf8_is_named_in_chinese(tmp_path):
    bad = tmp_path / "channels.yaml"
    bad.write_bytes("channels:\n  - id: heimao\n    name: 黑猫投诉\n".encode("gbk"))
    with pytest.raises(BuyerHelperError) as err:
        load_channels(bad)
    assert "不是 UTF-8 编码" in err.value.message and str(bad) in err.value.message
