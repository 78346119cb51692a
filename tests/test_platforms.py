"""Platforms as data (issue 10): the shipped platforms.yaml, and a fourth platform added by a file.

The proof: a fictional platform (tests/data/fictional_platform.yaml: an invented app, company,
channels and rules, all `verified: false`) gets a complete plan, every text and a bundle through
the CLI, with no Python change, its own words in them and no 拼多多/淘宝/天猫 word anywhere.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from buyer_helper.cli import main
from buyer_helper.errors import BuyerHelperError
from buyer_helper.facts import platforms as P
from buyer_helper.facts.channels import get_company, load_channels
from buyer_helper.facts.resources import data_path

FICTIONAL = Path(__file__).parent / "data" / "fictional_platform.yaml"
NOW = ["--now", "2026-11-23T10:30:00+08:00"]
# words of the three real platforms that must not leak into a fictional platform's outputs
LEAKS = ("拼多多", "淘宝", "天猫", "小二", "旺旺", "021-53395288", "400-8822528", "0571", "寻梦")
# the real platforms' own buttons and pages (platforms.yaml after_sales_apply, request_page)
LEAKS += ("发起售后/维权", "退款详情页")
OWN_WORDS = ("集好货",)

BASE = {
    "platform": "jihaohuo",
    "order": {
        "id": "JHH-20261116-0001",
        "shop": "星星家居小店",
        "item": "陶瓷保温饭盒",
        "amount": "59.00",
        "ordered_on": "2026-11-16",
    },
    "demand": "return_refund",
    "contact": {"name": "赵敏", "phone": "13700137000", "address": "南京市鼓楼区示例路2号"},
    "seller_city": "江苏省南京市",
}
CASES = {
    # a quality problem within 7 days of signing
    "quality_7day": {
        "problem": "quality",
        "delivery": "signed",
        "signed_on": "2026-11-21",
        "tried": ["contacted_seller"],
        "story": "11月21日签收，饭盒盖子合不上，装汤就漏。",
    },
    # after-sales rejected by the seller, who insulted the buyer
    "rejected_abuse": {
        "problem": "quality",
        "delivery": "completed",
        "signed_on": "2026-11-05",
        "tried": ["contacted_seller", "after_sales_filed", "seller_rejected"],
        "story": "用了一周内胆裂开。店家说“你自己摔的，穷就别买”，驳回了我的退换单。",
    },
    # not signed for yet
    "not_signed": {
        "problem": "damaged",
        "delivery": "not_signed",
        "demand": "refund",
        "tried": [],
        "story": "快递员送货时我当面打开外箱，饭盒已经碎了。",
    },
}


@pytest.fixture
def fictional(monkeypatch):
    monkeypatch.setenv(P.ENV_VAR, str(FICTIONAL))
    P.use_platforms_file(None, check=False)
    yield
    P.use_platforms_file(None, check=False)


def _answers(name: str) -> dict:
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(CASES[name]))
    if name == "rejected_abuse":
        data["order"]["ordered_on"] = "2026-11-01"
    return data


def _case_dir(tmp_path: Path, name: str) -> Path:
    d = tmp_path / name
    (d / "evidence").mkdir(parents=True)
    (d / "case.yaml").write_text(yaml.safe_dump(_answers(name), allow_unicode=True), "utf-8")
    (d / "evidence" / "01-聊天记录.txt").write_text("店家：你自己摔的\n", "utf-8")
    return d


def _no_leak(text: str, where: str) -> None:
    leaked = [w for w in LEAKS if w in text]
    assert not leaked, f"{where}: {leaked}\n{text}"


def test_shipped_platforms_and_their_differences():
    ps = P.load_platforms()
    assert list(ps)[:3] == ["pdd", "taobao", "tmall"]
    assert ps["tmall"].app == "taobao" and ps["tmall"].cs.channel == "taobao_cs"
    assert ps["tmall"].shop_prefix == "天猫" and ps["tmall"].staff.text == "淘宝小二"
    assert ps["pdd"].once_only and not ps["taobao"].once_only
    assert ps["pdd"].hotline.channel == "pdd_hotline" and ps["taobao"].hotline is None
    assert ps["pdd"].seller_wait_hours.value == 48 and ps["taobao"].seller_wait_hours is None
    assert get_company("tmall").name == "天猫平台经营者（以平台公示为准）"  # FACTS.md §7
    assert not get_company("tmall").name_verified
    for p in ps.values():
        assert p.sources and p.order_path.sources and p.intervene.sources


def test_platforms_file_is_shipped_beside_channels():
    assert data_path("platforms.yaml").is_file()
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8")
    assert '"platforms.yaml" = "buyer_helper/_data/platforms.yaml"' in pyproject


def test_penalties_name_known_misconduct_kinds(fictional):
    """A penalty's `misconduct` must be a case.MISCONDUCT kind (else it is never shown). Not
    checked on load: platforms.py cannot import case.py (case imports platforms)."""
    from buyer_helper.casefile.case import MISCONDUCT

    for p in P.load_platforms().values():
        for penalty in p.penalties:
            assert penalty.misconduct in MISCONDUCT, (p.id, penalty.misconduct)


def test_fictional_platform_loads_with_its_own_channels(fictional):
    ps = P.load_platforms()
    assert list(ps) == ["pdd", "taobao", "tmall", "jihaohuo"]
    chans = load_channels()
    assert chans["jhh_cs"].platform == "jihaohuo" and chans["jhh_hotline"].kind == "phone"
    assert chans["after_sales"].reach_for("jihaohuo").startswith("集好货App")
    assert get_company("jihaohuo").area_code == "025"


@pytest.mark.parametrize("name", list(CASES))
def test_fictional_platform_gets_a_complete_plan_texts_and_bundle(
    fictional, runner, tmp_path, name
):
    d = _case_dir(tmp_path, name)
    plan = runner.invoke(main, ["plan", "--answers", str(d), *NOW, "--json"])
    assert plan.exit_code == 0, plan.output
    _no_leak(plan.output, "plan --json")
    data = json.loads(plan.output)
    channels = [s["channel"] for s in data["steps"]]
    goods = {"quality_7day": "return_7day", "rejected_abuse": "after_sales"}.get(
        name, "refuse_delivery"
    )
    for want in (goods, "jhh_cs", "jhh_hotline", "c12315", "heimao"):
        assert want in channels, (want, channels)
    text = runner.invoke(main, ["plan", "--answers", str(d), *NOW])
    assert text.exit_code == 0, text.output
    _no_leak(text.output, "plan")
    for word in ("集好货App", "集好货服务台", "025-00000000", "星河集市网络科技有限公司（虚构）"):
        assert word in text.output, word
    if name == "quality_7day":  # its own seller wait (72 hours), not 拼多多's 48
        assert "约72小时还没处理" in text.output and "48小时" not in text.output
    if name == "rejected_abuse":
        assert "请集好货仲裁" in text.output and "信誉星" in text.output  # its own penalty

    letters = runner.invoke(main, ["letters", str(d), *NOW])
    assert letters.exit_code == 0, letters.output
    _no_leak(letters.output, "letters")
    written = sorted((d / "out").glob("*.txt"))
    assert written
    for f in written:
        _no_leak(f.read_text("utf-8"), f.name)
    every = "".join(f.read_text("utf-8") for f in written)
    assert "集好货" in every and ("集好货仲裁员" in every or "集好货服务台" in every)

    for cid in ("c12315", "heimao"):  # the operator's registered name, brackets and all
        one = runner.invoke(main, ["letter", cid, "--answers", str(d), *NOW])
        assert "星河集市网络科技有限公司（虚构）" in one.output, one.output

    for cid in channels:
        one = runner.invoke(main, ["letter", cid, "--answers", str(d), *NOW])
        if cid == "police":
            continue
        _no_leak(one.output, f"letter {cid}")
        if one.exit_code == 0:
            assert one.output.strip()
        else:  # a channel with no text of its own says so in Chinese
            assert "Traceback" not in one.output and one.exit_code == 2, one.output

    bundle = runner.invoke(main, ["bundle", str(d), *NOW])
    assert bundle.exit_code == 0, bundle.output
    _no_leak(bundle.output, "bundle")
    (pdf,) = (d / "out").glob("*.pdf")
    pages = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    compact = "".join(pages.split())
    _no_leak(compact, "bundle PDF")
    assert "集好货" in compact and "025-00000000" in compact


def test_fictional_platform_in_the_interview_and_log(fictional, runner, tmp_path):
    from buyer_helper.terminal.questions import QUESTIONS, choices_of

    q = next(q for q in QUESTIONS if q.key == "platform")
    assert choices_of(q, {})["jihaohuo"] == "集好货（测试用虚构平台）"
    tried = next(q for q in QUESTIONS if q.key == "tried")
    offered = choices_of(tried, {"platform": "jihaohuo", "delivery": "signed"})
    assert offered["hotline_called"] == "已打集好货服务热线（025-00000000）"


def _broken(tmp_path: Path, mutate) -> Path:
    doc = yaml.safe_load(FICTIONAL.read_text("utf-8"))
    mutate(doc["platforms"][0])
    path = tmp_path / "bad_platform.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    return path


BROKEN = [
    (lambda p: p.pop("order_path"), "order_path"),
    (lambda p: p["cs"].update(channel="official_cs"), "cs.channel"),
    (lambda p: p["once_only"].update(value="yes"), "once_only"),
    (lambda p: p["company"].pop("name"), "company"),
    (lambda p: p["cs"].update(report="举报店家"), "cs.report"),
    (lambda p: p["intervene"].update(open="{x}"), "intervene.open"),
    (lambda p: p["ways"].pop("after_sales"), "after_sales"),
    (lambda p: p.update(uses="nowhere"), "uses"),
    (lambda p: p["channels"][0].update(platform="pdd"), "jhh_cs"),
    # a hotline must be a phone channel; the customer service must have its message
    (lambda p: p["hotline"].update(channel="jhh_cs"), "hotline.channel"),
    (lambda p: p["texts"].pop("jhh_cs"), "texts"),
]


@pytest.mark.parametrize(("mutate", "what"), BROKEN)
def test_malformed_platform_file_gives_chinese_error_and_exit_2(runner, tmp_path, mutate, what):
    path = _broken(tmp_path, mutate)
    d = _case_dir(tmp_path, "quality_7day")
    try:
        result = runner.invoke(main, ["plan", "--platforms", str(path), "--answers", str(d), *NOW])
    finally:
        P.use_platforms_file(None, check=False)
    assert result.exit_code == 2, result.output
    assert "错误：" in result.output and "平台数据文件" in result.output, result.output
    assert str(path) in result.output and what in result.output, result.output
    assert "jihaohuo" in result.output or what == "jhh_cs"
    assert "Traceback" not in result.output


def test_broken_yaml_and_a_platform_named_twice(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("platforms: [\n", "utf-8")
    with pytest.raises(BuyerHelperError) as e:
        P.parse_platforms_text(bad.read_text("utf-8"), bad)
    assert "不是有效的 YAML" in e.value.message and e.value.exit_code == 2
    again = tmp_path / "again.yaml"
    again.write_text("platforms:\n  - id: pdd\n    name: 再来一个\n", "utf-8")
    with pytest.raises(BuyerHelperError) as e:
        P.parse_platforms_text(again.read_text("utf-8"), again, P.load_platforms())
    assert "“pdd”" in e.value.message and "重复" in e.value.message


def test_shipped_cs_channel_must_belong_to_the_platform(tmp_path, monkeypatch):
    """The check that was channels.yaml's companies.<platform>.cs_channel (moved here)."""
    from buyer_helper.facts import channels as C

    doc = yaml.safe_load(data_path("platforms.yaml").read_text("utf-8"))
    doc["platforms"][1]["cs"]["channel"] = "official_cs"  # 淘宝 given 拼多多's
    path = tmp_path / "platforms.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    platforms = P.parse_platforms_text(path.read_text("utf-8"), path)
    with pytest.raises(BuyerHelperError) as e:
        C.parse_channels_text(data_path("channels.yaml").read_text("utf-8"), Path("c"), platforms)
    assert "“taobao”" in e.value.message and "cs.channel" in e.value.message


def test_hours_for_a_named_channel_shows_how_to_use_it(fictional, runner):
    """channels.yaml `how` is rendered (issue 10): `hours --channel ID` lists the steps, each
    platform's under its name, the added platform's own steps (its `ways`) too."""
    result = runner.invoke(main, ["hours", "--channel", "after_sales", "--channel", "jhh_cs", *NOW])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "怎么办理：售后维权（发起售后）" in out and "怎么办理：集好货服务台（App 内）" in out
    assert "拼多多：点“发起售后/维权”" in out and "淘宝：点“退款/售后”" in out
    assert "集好货：点“申请集好货退换”" in out
    data = json.loads(runner.invoke(main, ["hours", "--channel", "jhh_cs", "--json", *NOW]).output)
    assert data[0]["how"] == [
        "打开集好货App → 我的 → 集好货服务台。",
        "写明订单号和问题，上传凭证。",
    ]
    everything = runner.invoke(main, ["hours", *NOW]).output
    assert "怎么办理" not in everything  # the whole table stays a table


def test_a_case_on_an_unknown_platform_says_how_to_add_it(runner, tmp_path, monkeypatch):
    monkeypatch.delenv(P.ENV_VAR, raising=False)
    d = _case_dir(tmp_path, "quality_7day")  # platform: jihaohuo, no platforms file given
    result = runner.invoke(main, ["plan", "--answers", str(d), *NOW])
    assert result.exit_code == 2, result.output
    assert "“jihaohuo”不是已知的平台" in result.output and "--platforms" in result.output
    assert "pdd（拼多多）" in result.output and "Traceback" not in result.output
