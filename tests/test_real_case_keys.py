"""The answers keys added for real cases (issue 9; DESIGN.md "Added for real cases"): each of the
eight situations routes and writes as a knowledgeable friend would, and bad values are a Chinese
error (exit 2), never a traceback."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buyer_helper.casefile.case import case_from_dict
from buyer_helper.cli import main
from buyer_helper.decide.routing import route
from buyer_helper.errors import BuyerHelperError
from buyer_helper.facts.hours import parse_now
from buyer_helper.texts.compose import letters_for_plan

NOW = parse_now("2026-11-23T10:30:00+08:00")  # a Monday
TODAY = NOW.date()

BASE = {
    "platform": "pdd",
    "problem": "quality",
    "delivery": "signed",
    "signed_on": "2026-11-20",
    "tried": [],
    "order": {
        "id": "231118-094512837760231",
        "shop": "优品家居旗舰店",
        "item": "电热水壶",
        "amount": "129.00",
        "ordered_on": "2026-11-01",
    },
    "demand": "return_refund",
    "story": "用了两天就不加热了。",
}


def answers(**overrides):
    data = copy.deepcopy(BASE)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        elif isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def plan_and_texts(**overrides):
    case = case_from_dict(answers(**overrides), today=TODAY)
    plan = route(case, NOW)
    letters = letters_for_plan(case, plan)
    return case, plan, {letter.text_id: letter.text for letter in letters}


def open_channels(plan):
    return [s.channel for s in plan.steps if not s.done]


def step(plan, channel):
    return next(s for s in plan.steps if s.channel == channel)


# ------------------------------------------------------- 1. refused in chat


def test_a_refusal_in_chat_files_the_7day_return_first_then_the_platform():
    _, plan, texts = plan_and_texts(tried=["contacted_seller", "seller_rejected"])
    assert open_channels(plan)[:2] == ["return_7day", "official_cs"]
    goods = step(plan, "return_7day")
    assert goods.deadlines and "只是在聊天里拒绝" in goods.note
    assert "return_7day" in texts
    assert all("商家驳回了我的申请" not in t for t in texts.values())
    assert any("商家在聊天中拒绝了我的要求" in t for t in texts.values())


def test_a_refusal_in_chat_after_the_window_files_after_sales_first():
    _, plan, _ = plan_and_texts(tried=["seller_rejected"], signed_on="2026-11-10")
    assert open_channels(plan)[0] == "after_sales"


def test_a_refusal_in_chat_on_an_unsigned_parcel_refuses_it_first():
    _, plan, _ = plan_and_texts(tried=["seller_rejected"], delivery="not_signed", signed_on=None)
    assert open_channels(plan)[0] == "refuse_delivery"


def test_a_rejected_request_still_goes_to_the_platform():
    _, plan, _ = plan_and_texts(tried=["after_sales_filed", "seller_rejected"])
    assert open_channels(plan)[0] == "official_cs"


# ------------------------------------------------------- 2. goods sent back, no refund

RETURNED = dict(
    tried=["contacted_seller", "after_sales_filed", "return_shipped", "return_received"],
    **{"return": {"tracking": "SF1428571428570", "shipped_on": "2026-11-21"}},
    demand="refund",
    story="退货寄回去商家签收了，一直不退款，之前还让我先垫付了运费。",
)


@pytest.mark.parametrize("platform, cs", [("pdd", "official_cs"), ("taobao", "taobao_cs")])
def test_goods_with_the_seller_ask_the_platform_for_the_refund_now(platform, cs):
    _, plan, texts = plan_and_texts(platform=platform, **RETURNED)
    first = plan.next_step
    assert first.channel == cs
    assert "商品已退回商家" in first.title
    assert any("SF1428571428570" in a for a in first.actions)
    assert any("第二十四条" in a and "垫付" in a for a in first.actions)
    assert step(plan, "return_7day").done
    for tid, text in texts.items():
        assert "SF1428571428570" in text, tid
        assert "（仅退款）" not in text, tid
        assert "退回商家" in text, tid


def test_a_return_without_its_tracking_number_asks_for_it_in_every_text():
    case, plan, _ = plan_and_texts(tried=["return_shipped"], demand="refund")
    for letter in letters_for_plan(case, plan):
        assert "（请填写：退货快递单号）" in letter.text, letter.text_id
        assert "退货快递单号" in letter.warnings[0]


def test_a_return_key_alone_means_the_goods_were_shipped():
    case = case_from_dict(answers(**{"return": {"tracking": "YT7788990011"}}), today=TODAY)
    assert case.goods_back and "return_shipped" in case.tried


def test_return_received_implies_return_shipped():
    case = case_from_dict(answers(tried=["return_received"]), today=TODAY)
    assert case.tried == ["return_shipped", "return_received"]


# ------------------------------------------------------- 3. paid outside the platform

OFF = dict(
    problem="not_received",
    demand="refund",
    paid_off_platform={"amount": "2380", "how": "银行转账", "on": "2026-11-16"},
    story="客服让我加微信，说走银行转账便宜，我转了钱以后对方说还要交保证金。",
)


def test_money_paid_outside_goes_to_the_police_first_then_the_platform():
    _, plan, texts = plan_and_texts(**OFF)
    assert open_channels(plan)[:2] == ["police", "official_cs"]
    police = plan.next_step
    assert "转账记录" in " ".join(police.actions + police.have_ready)
    assert "2380.00" in police.actions[0]
    assert "seller" not in texts  # no message to the seller who took the money
    for tid, text in texts.items():
        assert "2380.00" in text, tid
        assert "平台外" in text, tid
        assert "请立即退还" not in text and "退还货款" not in text, tid


def test_off_platform_money_is_never_asked_back_from_the_platform_even_on_a_quality_case():
    _, _, texts = plan_and_texts(
        problem="quality", paid_off_platform={"amount": "300", "how": "微信扫码"}
    )
    assert texts
    for tid, text in texts.items():
        assert "退还货款" not in text, tid


# ------------------------------------------------------- 4. promises


def test_a_promise_is_kept_in_evidence_and_quoted_in_every_text():
    _, plan, texts = plan_and_texts(
        promises=[
            {"text": "七天无理由，退货包运费", "where": "product_page"},
            {"text": "不合适随时退", "where": "live_stream"},
        ]
    )
    first = plan.next_step
    assert any("商品页面承诺“七天无理由，退货包运费”的截图" in h for h in first.have_ready)
    assert any("直播间承诺“不合适随时退”" in h for h in first.have_ready)
    assert any("不合适随时退" in a for a in first.actions)
    for tid, text in texts.items():
        # word for word (a phone script turns the quotation marks into ‘…’ inside speech)
        assert "七天无理由，退货包运费" in text, tid
        assert "不合适随时退" in text, tid


# ------------------------------------------------------- 5. threats not about the address


@pytest.mark.parametrize(
    "story",
    [
        "商家说不删差评就把你个人信息卖到网站上。",
        "客服说要给你手机植入病毒。",
        "商家要我删差评，否则后果自负。",
    ],
)
def test_threats_get_the_police_step_and_a_report_not_a_bribe(story):
    _, plan, texts = plan_and_texts(story=story)
    assert plan.threat and plan.next_step.channel == "police"
    assert "bribe_for_review" not in plan.misconduct
    assert "misconduct" in texts
    assert "利诱" not in texts["misconduct"] and "返现" not in texts["misconduct"]


def test_a_review_demand_with_money_offered_is_a_bribe():
    _, plan, _ = plan_and_texts(story="商家说删了差评就返你20元红包。")
    assert "bribe_for_review" in plan.misconduct and not plan.threat


# ------------------------------------------------------- 6. excluded goods


@pytest.mark.parametrize("kind", ["perishable", "custom", "digital"])
@pytest.mark.parametrize("delivery", ["signed", "not_signed"])
def test_excluded_goods_are_never_offered_a_no_reason_return(kind, delivery):
    signed = {"signed_on": None} if delivery == "not_signed" else {}
    _, plan, texts = plan_and_texts(
        problem="no_reason_return", goods_kind=kind, delivery=delivery, demand="refund", **signed
    )
    assert plan.next_step.channel == "seller"
    assert "return_7day" not in open_channels(plan)
    assert "refuse_delivery" not in open_channels(plan)
    assert "不适用无理由退货" in plan.next_step.title
    for tid, text in texts.items():
        assert "七天无理由" not in text, tid


def test_perishables_get_the_photograph_at_the_door_advice():
    _, plan, _ = plan_and_texts(goods_kind="perishable", delivery="not_signed", signed_on=None)
    assert plan.next_step.channel == "refuse_delivery"
    assert any("报废" in a and "门口拍下" in a for a in plan.next_step.actions)
    _, plan, _ = plan_and_texts(goods_kind="perishable")
    assert any("生鲜" in a and "拍下" in a for a in plan.next_step.actions)


def test_a_quality_problem_with_perishables_still_gets_the_7day_return():
    _, plan, _ = plan_and_texts(goods_kind="perishable")
    assert plan.next_step.channel == "return_7day"


# ------------------------------------------------------- 7. 天猫


def test_tmall_follows_taobao_channels_and_names_the_store_and_operator():
    case, plan, texts = plan_and_texts(platform="tmall", tried=["after_sales_filed"])
    assert case.app == "taobao"
    assert "taobao_cs" in open_channels(plan)
    assert "pdd_hotline" not in open_channels(plan)
    assert any("淘宝App" in a for s in plan.steps for a in s.actions)
    joined = "\n".join(texts.values())
    assert "天猫店铺“优品家居旗舰店”" in joined
    assert "天猫平台经营者（以平台公示为准）" in texts["c12315_online"]
    assert "浙江淘宝网络有限公司" not in texts["c12315_online"]
    assert "有限公司" not in texts["heimao"].split("\n")[0]


def test_tmall_is_not_offered_the_pdd_hotline_state():
    from buyer_helper.casefile.case import tried_fits

    assert not tried_fits("hotline_called", "tmall", "signed")
    assert tried_fits("hotline_called", "pdd", "signed")
    assert not tried_fits("return_shipped", "tmall", "not_signed")


# ------------------------------------------------------- 8. the platform as respondent


@pytest.mark.parametrize(
    "platform, cs, operator",
    [
        ("pdd", "official_cs", "上海寻梦信息技术有限公司"),
        ("taobao", "taobao_cs", "浙江淘宝网络有限公司"),
        ("tmall", "taobao_cs", "天猫平台经营者（以平台公示为准）"),
    ],
)
def test_the_platform_as_respondent_climbs_its_own_ladder(platform, cs, operator):
    _, plan, texts = plan_and_texts(
        platform=platform,
        respondent="platform",
        order={"shop": None},
        problem="not_as_described",
        demand="compensation",
        story="参加砍价免费拿活动，差最后0.01%，平台规则没有写清楚。",
    )
    chans = open_channels(plan)
    assert chans[0] == cs
    assert {"c12315_online", "heimao"} <= set(chans)
    assert not {"seller", "return_7day", "after_sales", "refuse_delivery"} & set(chans)
    assert "seller" not in texts
    for tid, text in texts.items():
        assert operator in text, tid
        assert "店铺“”" not in text, tid
    if platform == "pdd":
        assert step(plan, "c12315").reach == "021-12315"


# ------------------------------------------------------- bad values: exit 2, never a traceback


@pytest.mark.parametrize(
    "overrides, words",
    [
        ({"platform": "jd"}, "platform"),
        ({"goods_kind": "food"}, "goods_kind"),
        ({"respondent": "courier"}, "respondent"),
        ({"return": {"tracking": "顺丰!!"}}, "快递单号"),
        ({"return": "SF123"}, "return"),
        ({"return": {"tracking": "SF12345678", "shipped_on": "昨天"}}, "return.shipped_on"),
        ({"paid_off_platform": {"how": "微信"}}, "paid_off_platform.amount"),
        ({"paid_off_platform": {"amount": "很多"}}, "paid_off_platform.amount"),
        ({"paid_off_platform": {"amount": -5}}, "paid_off_platform.amount"),
        ({"paid_off_platform": 500}, "paid_off_platform"),
        ({"promises": [{"where": "chat"}]}, "promises"),
        ({"promises": [{"text": "包邮", "where": "tv"}]}, "promises"),
        ({"promises": 3}, "promises"),
        ({"tried": ["return_sent"]}, "tried"),
        ({"order": {"shop": None}}, "order.shop"),
    ],
)
def test_bad_values_of_the_new_keys_are_chinese_errors(overrides, words):
    with pytest.raises(BuyerHelperError) as e:
        case_from_dict(answers(**overrides), today=TODAY)
    assert words in e.value.message
    assert e.value.exit_code == 2


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
    st.dates().map(str),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    goods_kind=JUNK,
    respondent=JUNK,
    ret=st.one_of(JUNK, st.fixed_dictionaries({"tracking": JUNK, "shipped_on": JUNK})),
    paid=st.one_of(JUNK, st.fixed_dictionaries({"amount": JUNK, "how": JUNK, "on": JUNK})),
    promises=st.one_of(JUNK, st.lists(st.fixed_dictionaries({"text": JUNK, "where": JUNK}))),
    tried=st.lists(st.sampled_from(["return_shipped", "return_received", "seller_rejected"])),
)
def test_any_value_of_the_new_keys_is_a_case_or_a_chinese_error(
    goods_kind, respondent, ret, paid, promises, tried
):
    data = answers(tried=tried)
    data.update(
        goods_kind=goods_kind,
        respondent=respondent,
        paid_off_platform=paid,
        promises=promises,
        **{"return": ret},
    )
    try:
        case = case_from_dict(data, today=TODAY)
    except BuyerHelperError as e:
        assert e.exit_code == 2 and e.message.startswith("答案文件有误")
        return
    plan = route(case, NOW)
    for letter in letters_for_plan(case, plan):
        assert "None" not in letter.text


@pytest.mark.parametrize(
    "extra",
    [
        {"paid_off_platform": {"amount": None, "how": "微信"}},
        {"return": {"tracking": "💥💥💥💥💥💥"}},
        {"promises": [{"text": ["a"], "where": "chat"}]},
    ],
)
def test_the_cli_exits_2_on_bad_new_keys(tmp_path, runner, extra):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump({**answers(), **extra}, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(main, ["plan", "--answers", str(path), "--now", NOW.isoformat()])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "答案文件有误" in result.output


def test_the_old_keys_keep_working():
    case = case_from_dict(answers(), today=TODAY)
    assert (case.goods_kind, case.respondent, case.returned, case.paid_off_platform) == (
        "ordinary",
        "seller",
        None,
        None,
    )
    assert case.promises == [] and isinstance(case.order.ordered_on, dt.date)


def test_a_review_deletion_under_threat_chosen_as_a_bribe_is_read_as_a_threat():
    _, plan, texts = plan_and_texts(
        problem="bribe_for_review",
        demand="apology_and_penalty",
        story="给了差评后商家说“不删差评就把你个人信息卖到网站上”。",
    )
    assert plan.threat and plan.next_step.channel == "police"
    assert plan.misconduct == ["seller_harassment"]
    for tid, text in texts.items():
        assert "返现" not in text and "利诱" not in text, tid
    assert "商家威胁我删改评价" in texts["heimao"]


VARIANTS = {
    "platform": dict(respondent="platform", order={"shop": None}),
    "returned": dict(tried=["return_shipped"], **{"return": {"tracking": "SF123456"}}),
    "paid": dict(paid_off_platform={"amount": "500"}),
    "custom": dict(goods_kind="custom"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("platform", ["pdd", "tmall"])
def test_every_problem_and_delivery_with_the_new_keys_writes_sound_texts(platform, variant):
    """No empty shop name, no 仅退款 once the goods are back, no refund asked of the platform for
    an off-platform payment, no 七天无理由 for excluded goods; never an exception."""
    from buyer_helper.casefile.case import DELIVERY, PROBLEMS

    for problem in PROBLEMS:
        for delivery in DELIVERY:
            if variant == "returned" and delivery == "not_signed":
                continue
            signed = {"signed_on": None} if delivery == "not_signed" else {}
            case, _, texts = plan_and_texts(
                platform=platform,
                problem=problem,
                delivery=delivery,
                demand="refund",
                story="商家说“你自己弄坏的”",
                **signed,
                **VARIANTS[variant],
            )
            banned = ["店铺“”"]
            if case.goods_back:
                banned.append("（仅退款）")
            if case.paid_off_platform:
                banned.append("退还货款")
            if case.no_reason_excluded and problem == "no_reason_return":
                banned.append("七天无理由")
            for tid, text in texts.items():
                for word in banned:
                    assert word not in text, (problem, delivery, tid, word)
