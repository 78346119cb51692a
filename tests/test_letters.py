"""Complaint texts: golden files read by a person, plus the rules every text must keep.

Golden files live in tests/golden/<case>-<text>.txt. After a deliberate change of wording,
regenerate them with  BUYER_HELPER_UPDATE_GOLDEN=1 pytest tests/test_letters.py  and read the
diff before committing.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buyer_helper.casefile.case import MISCONDUCT, case_from_dict
from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS, SAMPLE_NOW
from buyer_helper.decide.plan import DISCLAIMER, Plan, Step
from buyer_helper.decide.routing import route
from buyer_helper.errors import BuyerHelperError
from buyer_helper.facts.hours import display_width, parse_now
from buyer_helper.facts.law import REFUSALS
from buyer_helper.facts.resources import data_path
from buyer_helper.texts import compose as L
from buyer_helper.texts import outfolder as LF
from buyer_helper.texts.template_facts import extract_quotes
from buyer_helper.texts.textcheck import clean_block, clean_inline

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("BUYER_HELPER_UPDATE_GOLDEN") == "1"
NOW = parse_now(SAMPLE_NOW)


# The built-in sample (buyer_helper/sample_case.py, used by the demo): a change to it shows up
# here as a golden-file diff to read.
SAMPLE = copy.deepcopy(SAMPLE_ANSWERS)


CASES: dict[str, dict] = {
    # the built-in sample: 拼多多 quality problem, seller insulted the buyer and rejected the return
    "sample": SAMPLE,
    # parcel not signed yet: refuse it and apply for 仅退款
    "not_signed": {
        "platform": "pdd",
        "problem": "damaged",
        "delivery": "not_signed",
        "tried": [],
        "order": {
            "id": "231120-551234567890123",
            "shop": "晨光玻璃制品店",
            "item": "玻璃花瓶 30cm",
            "amount": "45.00",
            "ordered_on": "2026-11-19",
        },
        "demand": "refund",
        "story": "快递员送货时我当面打开外箱，花瓶已经碎成几块。",
        "contact": {"name": "王芳", "phone": "13900139000", "address": "上海市徐汇区漕溪北路88号"},
        "seller_city": "江苏省宿迁市",
    },
    # fake goods, past the 7-day window: after-sales, 第五十五条
    "fake_goods": {
        "platform": "pdd",
        "problem": "fake_goods",
        "delivery": "completed",
        "signed_on": "2026-11-02",
        "tried": ["contacted_seller", "after_sales_filed", "seller_rejected"],
        "order": {
            "id": "231028-771234567890456",
            "shop": "数码潮品专营店",
            "item": "无线蓝牙耳机 Pro",
            "amount": "129.00",
            "ordered_on": "2026-10-28",
        },
        "demand": "return_refund",
        "story": (
            "商品页写“正品行货，假一赔十”。收到后序列号在品牌官网查不到，"
            "包装印刷模糊。商家说“这就是正品，不退”。"
        ),
        "contact": {"name": "赵强", "phone": "13700137000", "address": "广州市天河区体育西路1号"},
        "seller_city": "广东省深圳市",
        "evidence_notes": {"序列号查询截图.png": "官网查询无此序列号"},
    },
    # 淘宝: quality problem, seller does not answer; demand an exchange; no address given
    "taobao": {
        "platform": "taobao",
        "problem": "quality",
        "delivery": "signed",
        "signed_on": "2026-11-19",
        "tried": ["contacted_seller", "seller_no_reply"],
        "order": {
            "id": "3398712345678901234",
            "shop": "暖居家纺",
            "item": "纯棉四件套 1.8m",
            "amount": "259.00",
            "ordered_on": "2026-11-15",
        },
        "demand": "exchange",
        "story": "洗了一次就严重掉色，床单上有大片色斑。旺旺联系卖家三天没有回复。",
        "contact": {"name": "陈静", "phone": "13600136000"},
        "seller_city": "浙江省杭州市",
        "evidence_notes": {"掉色照片.jpg": "洗后掉色的床单", "旺旺截图.png": "三天未回复"},
    },
    # misconduct only: the seller threatens the buyer after a bad review
    "misconduct": {
        "platform": "pdd",
        "problem": "seller_harassment",
        "delivery": "completed",
        "signed_on": "2026-11-10",
        "tried": [],
        "order": {
            "id": "231105-661234567890789",
            "shop": "鲜果直发小店",
            "item": "手机支架",
            "amount": "19.90",
            "ordered_on": "2026-11-05",
        },
        "demand": "apology_and_penalty",
        "story": (
            "我给了差评以后，商家连续三天在晚上十二点以后打电话给我，"
            "还在聊天里说“有你地址，别逼我去找你”。"
        ),
        "contact": {"name": "刘洋", "phone": "13500135000", "address": "成都市武侯区人民南路4段"},
        "timeline": [
            {"at": "2026-11-12T00:20:00+08:00", "text": "商家深夜打电话骚扰"},
            {"at": "2026-11-12T00:35:00+08:00", "text": "商家在聊天里威胁“有你地址，别逼我去找你”"},
        ],
        "evidence_notes": {"威胁截图.png": "商家威胁的聊天截图", "通话记录.png": "深夜来电记录"},
    },
    # nothing about the buyer: no contact, no story, no evidence notes
    "no_contact": {
        "platform": "pdd",
        "problem": "not_as_described",
        "delivery": "completed",
        "signed_on": "2026-11-01",
        "tried": [
            "after_sales_filed",
            "seller_rejected",
            "platform_intervened",
            "platform_unsatisfied",
        ],
        "order": {
            "id": "231025-881234567890012",
            "shop": "潮流服饰",
            "item": "羊毛大衣 M码",
            "amount": "399.00",
            "ordered_on": "2026-10-25",
        },
        "demand": "return_refund",
    },
    # food: 食品安全法 第一百四十八条 fits a quality problem with food
    "food": {
        "platform": "pdd",
        "problem": "quality",
        "delivery": "signed",
        "signed_on": "2026-11-21",
        "tried": [],
        "order": {
            "id": "231118-991234567890345",
            "shop": "山野零食铺",
            "item": "混合坚果零食大礼包 1kg",
            "amount": "68.00",
            "ordered_on": "2026-11-18",
        },
        "demand": "refund",
        "story": "打开后坚果有哈喇味，部分发霉，保质期还有五个月。",
        "contact": {"name": "孙丽", "phone": "13300133000", "address": "武汉市洪山区珞喻路100号"},
        "evidence_notes": {"发霉照片.jpg": "发霉的坚果"},
    },
    # changed my mind: 第二十五条, no 第二十四条
    "no_reason": {
        "platform": "pdd",
        "problem": "no_reason_return",
        "delivery": "signed",
        "signed_on": "2026-11-20",
        "tried": [],
        "order": {
            "id": "231117-111234567890678",
            "shop": "简约家居馆",
            "item": "北欧风台灯",
            "amount": "79.00",
            "ordered_on": "2026-11-17",
        },
        "demand": "return_refund",
        "story": "收到后觉得颜色和家里不搭，不想要了，商品没有使用。",
        "contact": {"name": "周敏", "phone": "13200132000", "address": "南京市鼓楼区中山路1号"},
    },
}


def load(name: str, **changes):
    data = copy.deepcopy(CASES[name])
    data.update(changes)
    case = case_from_dict(data, today=NOW.date())
    return case, route(case, NOW)


def applicable(case, plan) -> list[str]:
    return L.available_texts(case, plan)


ALL = [(name, tid) for name in CASES for tid in applicable(*load(name))]


def golden_text(letter: L.Letter) -> str:
    lines = [letter.text.rstrip("\n"), "", "=== 提醒（显示在终端，不属于上面的文字）==="]
    lines += [f"- {w}" for w in letter.warnings] or ["（无）"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- golden files


@pytest.mark.parametrize(("name", "tid"), ALL, ids=[f"{n}-{t}" for n, t in ALL])
def test_golden(name, tid):
    case, plan = load(name)
    text = golden_text(L.render_letter(case, plan, tid))
    path = GOLDEN / f"{name}-{tid}.txt"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with BUYER_HELPER_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_no_stray_golden_files():
    expected = {f"{n}-{t}.txt" for n, t in ALL}
    assert {p.name for p in GOLDEN.glob("*.txt")} == expected


# ------------------------------------------------------------ rules for every text

DEMAND_WORDS = {
    "refund": "仅退款",
    "return_refund": "退货退款",
    "exchange": "换货",
    "repair": "维修",
    "compensation": "赔偿",
    "apology_and_penalty": "道歉",
}
NEEDS_AMOUNT = set(L.TEXTS) - {L.MISCONDUCT_TEXT}
NEEDS_DEMAND = set(L.TEXTS) - {L.MISCONDUCT_TEXT}
TEXT_PURPOSE = {tid: spec.purpose for tid, spec in L.TEXTS.items()}


PLATFORM_NAMES = {"pdd": "拼多多", "taobao": "淘宝"}


def rendered():
    """Every text that fits, for every case on both platforms (the rules below hold for all)."""
    for name in CASES:
        for platform in PLATFORM_NAMES:
            case, plan = load(name, platform=platform)
            for tid in applicable(case, plan):
                yield name, tid, case, L.render_letter(case, plan, tid)


RENDERED = list(rendered())


def template_words(text: str, case) -> str:
    """The text without the buyer's own words (story, timeline, names, notes): what we wrote."""
    user = [clean_block(case.story), case.order.shop, case.order.item, case.seller_city]
    user += [clean_inline(e.text) for e in case.timeline]
    user += [clean_inline(x) for kv in case.evidence_notes.items() for x in kv]
    for quote in extract_quotes(case.story):
        user.append(clean_block(quote))
    for u in sorted((u for u in user if u), key=len, reverse=True):
        text = text.replace(u, "")
    return text


def test_order_amount_and_demand_named_where_needed():
    for name, tid, case, letter in RENDERED:
        where = f"{name}/{tid}"
        assert case.order.id in letter.text, where
        # an app form for an exchange or a repair asks for no money back
        form_without_money = TEXT_PURPOSE[tid] == "form" and case.demand in ("exchange", "repair")
        if tid in NEEDS_AMOUNT and not form_without_money:
            assert f"{case.order.amount:.2f} 元" in letter.text, where
        if tid in NEEDS_DEMAND and not (tid == "seller" and case.is_misconduct):
            want = "仅退款" if case.delivery == "not_signed" else DEMAND_WORDS[case.demand]
            if case.problem == "no_reason_return" and tid in ("return_7day", "after_sales"):
                want = "七天无理由退货"
            assert want in letter.text, where


def test_no_none_no_leftovers_no_doubled_punctuation():
    for name, tid, _case, letter in RENDERED:
        for bad in ("None", "{{", "{%", "}}", "%}", "。。", "，，", "，。", "。，", "：。", "（）"):
            assert bad not in letter.text, f"{name}/{tid}: {bad}"
        assert "\n\n\n" not in letter.text, f"{name}/{tid}: more than one blank line"
        assert letter.text.endswith("\n") and not letter.text.endswith("\n\n")
        assert DISCLAIMER not in letter.text, "the disclaimer must not be sent to the seller"


def test_12315_texts_have_every_required_item():
    for name, tid, case, letter in RENDERED:
        if tid not in ("c12315", "c12315_online"):
            continue
        text = letter.text
        where = f"{name}/{tid}"
        # (一) complainant's name, phone, postal address: the case's, or a visible gap
        for value, label in (
            (case.contact.name, "姓名"),
            (case.contact.phone, "电话"),
            (case.contact.address, "通讯地址"),
        ):
            assert (value or f"（请填写：{label}）") in text, where
        # (二) respondents: the merchant as shown on the platform and the platform operator
        assert case.order.shop in text
        # the shop page's 经营者名称 / 经营地址: the case's (seller_name/seller_address), or a gap
        assert (case.seller_name or "（请填写：店铺页面公示的经营者名称）") in text, where
        assert (case.seller_address or "（请填写：店铺页面公示的经营地址）") in text, where
        company = {"pdd": "上海寻梦信息技术有限公司", "taobao": "浙江淘宝网络有限公司"}
        assert company[case.platform] in text, where
        if case.platform == "pdd":
            assert "上海市长宁区娄山关路533号2902-2913室" in text
        else:
            assert "详细地址请以平台公示为准" in text  # FACTS §7: street address unverified
        # (三) the request and the facts
        assert "请求" in text and DEMAND_WORDS[case.demand] in text, where
        assert case.order.id in text and case.order.item in text
        if case.story and tid == "c12315_online":
            assert clean_block(case.story) in text
        # gaps in the text are reported to the buyer
        if "（请填写：" in text:
            assert any("请填写" in w for w in letter.warnings)


def test_statutory_damages_only_before_the_regulator():
    """Platforms settle with refunds; 退一赔三 and food ×10 are for 12315 or a court (FACTS §4a)."""
    for name, tid, _case, letter in RENDERED:
        if tid not in ("c12315", "c12315_online"):
            assert "第五十五条" not in letter.text and "食品安全法" not in letter.text, name


def test_article_55_only_for_fake_goods():
    for name, tid, case, letter in RENDERED:
        if case.problem == "fake_goods" and tid in ("c12315", "c12315_online"):
            assert "第五十五条" in letter.text, f"{name}/{tid}"
        if case.problem != "fake_goods":
            assert "第五十五条" not in letter.text, f"{name}/{tid}"


def test_article_24_only_for_quality_problems():
    quality = {"quality", "damaged", "not_as_described", "fake_goods"}
    for name, tid, case, letter in RENDERED:
        if case.problem not in quality:
            assert "第二十四条" not in letter.text, f"{name}/{tid}"
        elif tid in ("return_7day", "after_sales", "c12315_online") and case.demand != "refund":
            assert "第二十四条" in letter.text, f"{name}/{tid}"


def test_article_25_for_no_reason_returns_only():
    for name, tid, case, letter in RENDERED:
        if case.problem == "no_reason_return" and tid in ("return_7day", "seller", "official_cs"):
            assert "第二十五条" in letter.text, f"{name}/{tid}"
        if case.problem != "no_reason_return":
            assert "第二十五条" not in letter.text, f"{name}/{tid}"


def test_food_law_only_for_food():
    for name, tid, _case, letter in RENDERED:
        if name == "food" and tid in ("c12315", "c12315_online"):
            assert "食品安全法" in letter.text, f"{name}/{tid}"
        if name != "food":
            assert "食品安全法" not in letter.text, f"{name}/{tid}"


def test_threat_said_only_when_the_buyers_words_name_one():
    """F8: 威胁 in our own wording only when the story or timeline names a threat."""
    for name, tid, case, letter in RENDERED:
        if not route(case, NOW).threat:
            assert "威胁" not in template_words(letter.text, case), f"{name}/{tid}"
    case, plan = load(
        "misconduct", story="商家连续几天半夜打电话骚扰我。", timeline=[], evidence_notes={}
    )
    assert not plan.threat and plan.misconduct == ["seller_harassment"]
    for tid in applicable(case, plan):
        letter = L.render_letter(case, plan, tid)
        assert "威胁" not in letter.text, tid
        assert not any("报警" in w for w in letter.warnings), tid
    case, plan = load("misconduct")  # "有你地址，别逼我去找你"
    report = L.render_letter(case, plan, "misconduct").text
    assert "骚扰、威胁" in report


def test_articles_44_and_62_only_where_they_fit():
    """F9: 第四十四条 when the seller's whereabouts are unknown (goods harm), 第六十二条 only with
    a request for the transaction records (goods disputes about what was sold or delivered)."""
    seen_44 = seen_62 = False
    for name, tid, case, letter in RENDERED:
        where = f"{name}/{tid}"
        text = letter.text
        regulator = TEXT_PURPOSE[tid] == "regulator"
        goods = case.problem not in MISCONDUCT
        want_44 = regulator and goods and not case.seller_city
        want_44 = want_44 and case.problem != "no_reason_return"
        assert ("第四十四条" in text) == want_44, where
        asks_records = "提供本单的原始合同和交易记录" in text
        assert ("第六十二条" in text) == asks_records, where
        want_62 = regulator and case.problem in ("not_as_described", "fake_goods", "not_received")
        assert asks_records == want_62, where
        if want_44:
            assert "提供商家的真实名称、地址和有效联系方式" in text, where
        seen_44 |= want_44
        seen_62 |= want_62
    assert seen_44 and seen_62  # the cases exercise both


def test_12315_time_limits_and_required_items_are_labelled_as_2019_rules():
    """F6/F13: the 2019 measures' figures carry "以现行规定为准", before and after 2026-04-15."""
    from buyer_helper.facts.channels import load_data

    label = load_data().regulator.accept.label
    assert "以现行规定为准" in label
    for name, tid, _case, letter in RENDERED:
        if tid == "c12315":
            assert f"缺一项可能不予受理，{label}" in letter.text, name
    early = parse_now("2026-03-10T10:00:00+08:00")
    data = copy.deepcopy(CASES["food"])
    data["signed_on"] = "2026-03-05"
    data["order"]["ordered_on"] = "2026-03-01"
    case = case_from_dict(data, today=early.date())
    text = L.render_letter(case, route(case, early), "c12315").text
    assert "第九条、第十五条，缺一项可能不予受理" in text
    assert f"第十四条为7个工作日（{label}）" in text


def test_statutory_damages_come_from_law_py():
    """F15: 3×/500元 and 10×/1000元 are computed from law.LAWS, never retyped."""
    from decimal import Decimal

    from buyer_helper.facts.law import LAWS

    for problem, item, amount, key in (
        ("fake_goods", "无线蓝牙耳机 Pro", "250.00", "cpl_55"),
        ("fake_goods", "无线蓝牙耳机 Pro", "99.00", "cpl_55"),
        ("quality", "混合坚果零食大礼包 1kg", "150.00", "fsl_148"),
        ("quality", "混合坚果零食大礼包 1kg", "68.00", "fsl_148"),
    ):
        data = copy.deepcopy(CASES["food"])
        data["problem"] = problem
        data["order"].update(item=item, amount=amount)
        case = case_from_dict(data, today=NOW.date())
        plan = route(case, NOW)
        damages = LAWS[key].damages
        due = f"{damages.amount(Decimal(amount)):.2f} 元"
        for tid in ("c12315", "c12315_online"):
            text = L.render_letter(case, plan, tid).text
            assert due in text and damages.rule in text, (key, amount, tid)
            assert f"按价款{damages.multiple}倍、不低于{damages.minimum}元计算为 {due}" in text
    assert LAWS["cpl_55"].damages.amount(Decimal("250.00")) == Decimal("750.00")
    assert LAWS["fsl_148"].damages.amount(Decimal("68.00")) == Decimal("1000")


def test_no_unsourced_claims_in_texts_or_reminders():
    """F12: no claim beyond FACTS.md (黑猫 is a public complaint platform; §4 says only not to
    answer insults in kind)."""
    for name, tid, _case, letter in RENDERED:
        for words in ("会公开显示", "来回沟通"):
            assert words not in letter.text, f"{name}/{tid}"
            assert not any(words in w for w in letter.warnings), f"{name}/{tid}"
    case, plan = load("misconduct")
    assert "来回沟通" not in L.unfit_reason(case, plan, "seller")
    assert "不要和商家对骂" in L.unfit_reason(case, plan, "seller")


def test_food_check_is_conservative():
    from buyer_helper.facts.law import is_food

    assert is_food("混合坚果零食大礼包 1kg")
    assert is_food("新西兰进口奶粉 900g")
    assert not is_food("不锈钢保温杯 500ml")
    assert not is_food("咖啡机 全自动")
    assert not is_food("食品级硅胶保鲜盒")
    assert not is_food("蛋糕模具 6寸")


def test_platform_asked_to_act_cites_ecommerce_law():
    for name, tid, _case, letter in RENDERED:
        shortened = any("字数上限" in w for w in letter.warnings)  # a form's limit came first
        if tid in ("official_cs", "taobao_cs", "pdd_hotline", "pdd_400") and not shortened:
            assert "《电子商务法》第六十一条" in letter.text, f"{name}/{tid}"
        if tid in ("seller", "refuse_delivery", "return_7day", "after_sales", "heimao"):
            assert "电子商务法" not in letter.text, f"{name}/{tid}"


def test_seller_message_negotiates_first():
    case, plan = load("food")
    text = L.render_letter(case, plan, "seller").text
    assert "《消费者权益保护法》第三十九条" in text
    assert "协商" in text
    assert text.startswith("您好")


def test_tone_no_threats_no_promises():
    banned = ("保证", "一定会", "必须赔", "否则", "曝光你", "走着瞧", "后果自负", "起诉你")
    for name, tid, _case, letter in RENDERED:
        for word in banned:
            assert word not in letter.text, f"{name}/{tid}: {word}"


def test_form_texts_fit_their_limits():
    channels = L._channels()
    long_story = "杯盖漏水，" * 300 + "商家拒绝退货。"
    case, plan = load("sample", story=long_story)
    for tid in ("return_7day", "after_sales", "official_cs", "heimao", "c12315_online"):
        letter = L.render_letter(case, plan, tid)
        ch = channels[L._target_channel(case, tid)]
        if tid == "heimao":
            title = re.search(r"【标题】(.*)", letter.text).group(1)
            assert len(title) <= ch.limits["title"].max_chars
        elif tid == "c12315_online":
            facts = letter.text.split("【事实】\n", 1)[1].split("\n\n【证据】", 1)[0]
            assert len(facts) <= ch.limits["description"].max_chars
            # the full story is still there, as an attachment the buyer can upload
            assert "【附：完整经过】" in letter.text and long_story in letter.text
        else:
            limit = next(iter(ch.limits.values())).max_chars
            assert len(letter.text.strip()) <= limit, tid
        assert any("没有放入你写的完整经过" in w for w in letter.warnings), tid


def test_limit_too_small_to_fit_is_reported_with_the_count(monkeypatch):
    channels = dict(L._channels())
    ch = channels["return_7day"]
    small = {"description": dataclasses.replace(ch.limits["description"], max_chars=40)}
    channels["return_7day"] = dataclasses.replace(ch, limits=small)
    monkeypatch.setattr(L, "_channels", lambda: channels)
    case, plan = load("sample")
    letter = L.render_letter(case, plan, "return_7day")
    n = len(letter.text.strip())
    assert n > 40
    assert any(f"（共 {n} 字，表单上限 40 字）" in w for w in letter.warnings)


def test_heimao_title_fits_even_with_a_long_shop_name():
    data = copy.deepcopy(CASES["sample"])
    data["order"]["shop"] = "超级无敌好用的优品家居生活馆官方旗舰店" * 3
    case = case_from_dict(data, today=NOW.date())
    letter = L.render_letter(case, route(case, NOW), "heimao")
    title = re.search(r"【标题】(.*)", letter.text).group(1)
    assert 0 < len(title) <= 30
    assert "质量问题" in title


def test_heimao_has_every_form_field_and_no_personal_data():
    for name, tid, case, letter in RENDERED:
        if tid != "heimao":
            continue
        for label in (
            "【投诉对象】",
            "【投诉问题】",
            "【投诉要求】",
            "【涉诉金额】",
            "【标题】",
            "【描述】",
        ):
            assert label in letter.text, f"{name}: {label}"
        assert f"【涉诉金额】{case.order.amount:.2f} 元" in letter.text
        for private in (case.contact.phone, case.contact.address):
            if private:
                assert private not in letter.text, f"{name}: public complaint shows {private}"


# ------------------------------------------------------------ misconduct report


def test_misconduct_report_quotes_only_the_buyers_words():
    case, plan = load("sample")
    text = L.render_letter(case, plan, "misconduct").text
    assert "“你是不是有病？爱买不买，穷就别买”" in text
    assert "“不想要了”" not in text  # the buyer's own words about the refund reason, not an insult
    for quote in re.findall(r"^\d+\. “(.*)”$", text, flags=re.M):
        assert quote in case.story or any(quote in e.text for e in case.timeline)


def test_misconduct_report_without_quotes_points_to_screenshots():
    case, plan = load(
        "misconduct", story="商家在聊天里骂我，还连续几天半夜打电话骚扰。", timeline=[]
    )
    letter = L.render_letter(case, plan, "misconduct")
    assert "见聊天记录截图" in letter.text
    assert "商家原话（" not in letter.text
    assert not re.search(r"^\d+\. “", letter.text, flags=re.M)
    # the buyer's own sentence naming the misconduct, marked as the buyer's account
    assert "据我的记录（这是我自己的叙述，不是商家原话" in letter.text
    assert "- 商家在聊天里骂我，还连续几天半夜打电话骚扰\n" in letter.text
    assert any("没有找到用引号标出的商家原话" in w for w in letter.warnings)


def test_misconduct_quotes_in_all_three_quote_styles():
    story = '客服回复"你爱退不退"。后来商家说「差评就等着」。店主又发来“别想退款”。'
    assert extract_quotes(story) == ["你爱退不退", "差评就等着", "别想退款"]
    assert extract_quotes("我跟商家说“我要退货”。") == []
    assert extract_quotes("商家问我要不要换，我说“我要退货”。") == []
    chained = "商家客服让我加微信“abc123”，说“微信转账给你便宜20”。我回复“不加”。"
    assert extract_quotes(chained) == ["abc123", "微信转账给你便宜20"]


def test_threats_advise_the_police_beside_the_text():
    case, plan = load("misconduct")
    letter = L.render_letter(case, plan, "misconduct")
    assert any("报警（110）" in w for w in letter.warnings)
    assert "报警" not in letter.text


def test_no_report_for_a_negated_insult():
    case, plan = load("food", story="商家态度还可以，没有骂人，但就是不给退。")
    assert plan.misconduct == []
    with pytest.raises(BuyerHelperError, match="不生成举报文字"):
        L.render_letter(case, plan, "misconduct")


# --------------------------------------------------------------- plan -> letters


def test_letters_for_the_sample_plan():
    case, plan = load("sample")
    letters = L.letters_for_plan(case, plan)
    ids = [x.text_id for x in letters]
    assert ids[:2] == ["official_cs", "misconduct"]
    assert "return_7day" not in ids  # already filed: the plan marks it done
    assert [x.filename[:3] for x in letters] == [f"{i:02d}-" for i in range(1, len(letters) + 1)]
    assert len({x.filename for x in letters}) == len(letters)


def test_letters_for_a_fresh_case_start_with_the_seller():
    case, plan = load("food")
    ids = [x.text_id for x in L.letters_for_plan(case, plan)]
    assert ids[0] == "seller"


def test_misconduct_only_case_gets_the_report_and_no_seller_message():
    case, plan = load("misconduct")
    ids = [x.text_id for x in L.letters_for_plan(case, plan)]
    assert "misconduct" in ids
    assert "seller" not in ids
    assert "official_cs" not in ids  # the report is the text for the platform step


def test_text_for_step_is_what_letters_writes_for_that_step():
    """The PDF's default text (bundle) and `letters` choose through the same function (R2)."""
    for name in CASES:
        case, plan = load(name)
        ids = [x.text_id for x in L.letters_for_plan(case, plan)]
        chosen = []
        for step in plan.steps:
            tid = L.text_for_step(case, plan, step)
            if tid is not None and not step.done and tid not in chosen:
                chosen.append(tid)
        assert chosen, name
        # every step's text is written, in plan order; letters adds only the seller message
        # and the misconduct report
        assert [t for t in ids if t in chosen] == chosen, name
        assert set(ids) - set(chosen) <= {"seller", L.MISCONDUCT_TEXT}, name


def test_text_for_step_misconduct_case_platform_step_is_the_report():
    case, plan = load("misconduct")
    by_channel = {s.channel: L.text_for_step(case, plan, s) for s in plan.steps}
    assert by_channel["official_cs"] == L.MISCONDUCT_TEXT
    assert by_channel["police"] is None  # a call to 110 has no text
    case, plan = load("sample")  # quality case with an insulting seller: the request itself
    step = next(s for s in plan.steps if s.channel == "official_cs")
    assert L.text_for_step(case, plan, step) == "official_cs"


def test_text_for_step_none_for_unfit_steps():
    case, _ = load("misconduct")
    seller = Step("seller", "联系商家", [], [], "", [])
    plan = Plan(now=NOW, steps=[seller], warnings=[], misconduct=["seller_harassment"])
    assert L.text_for_step(case, plan, seller) is None  # never write to a threatening seller
    case, _ = load("sample")
    refuse = Step("refuse_delivery", "拒签", [], [], "", [])
    assert L.text_for_step(case, Plan(now=NOW, steps=[refuse], warnings=[]), refuse) is None


def test_hand_built_plan():
    """letters_for_plan reads channel, done and reach from the steps, misconduct from the plan."""
    case, _ = load("sample")
    steps = [
        Step("c12315", "12315", [], [], "", [], reach="0579-12315"),
        Step("heimao", "黑猫", [], [], "", [], done=True),
    ]
    plan = Plan(now=NOW, steps=steps, warnings=[], misconduct=["seller_abuse"])
    letters = L.letters_for_plan(case, plan)
    assert [x.text_id for x in letters] == ["misconduct", "c12315"]
    plan.misconduct = []  # the plan found no misconduct: no report
    assert [x.text_id for x in L.letters_for_plan(case, plan)] == ["c12315"]
    assert "拨打：0579-12315" in letters[1].text
    assert "为什么打这个号码" not in letters[1].text  # the step carries no reasons: none added


def test_12315_script_uses_the_steps_number_and_reasons():
    """R10: the number and its reasons come from the plan's 12315 step, not worked out again;
    without such a step (the text asked for by name) the script still explains its number."""
    case, plan = load("sample")
    step = next(s for s in plan.steps if s.channel == "c12315")
    assert step.reach_lines
    text = L.render_letter(case, plan, "c12315").text
    assert f"拨打：{step.reach}" in text
    for line in step.reach_lines:
        assert f"- {line}" in text
    own = Step(
        "c12315", "12315", [], [], "", [], reach="0579-12315", reach_lines=["店铺页公示义乌"]
    )
    text = L.render_letter(case, Plan(now=NOW, steps=[own], warnings=[]), "c12315").text
    assert "拨打：0579-12315" in text and "- 店铺页公示义乌" in text
    text = L.render_letter(case, Plan(now=NOW, steps=[], warnings=[]), "c12315").text
    assert f"拨打：{step.reach}" in text and "为什么打这个号码" in text


# ------------------------------------------------------------------- commands


def test_letter_command_prints_text_then_reminders_and_disclaimer(runner, write_answers):
    from buyer_helper.cli import main

    path = write_answers(CASES["sample"])
    result = runner.invoke(main, ["letter", "heimao", "--answers", str(path), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    text, footer = result.output.rsplit(L.RULE, 1)
    assert "【投诉对象】" in text and DISCLAIMER not in text
    assert DISCLAIMER in footer and "黑猫投诉是公开投诉平台" in footer


def test_letter_command_writes_a_file(runner, write_answers, tmp_path):
    from buyer_helper.cli import main

    path = write_answers(CASES["taobao"])
    out = tmp_path / "淘宝介入.txt"
    result = runner.invoke(
        main, ["letter", "taobao_cs", "--answers", str(path), "--now", SAMPLE_NOW, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"已写入：{out}" in result.output
    written = out.read_text(encoding="utf-8")
    assert "3398712345678901234" in written and "淘宝小二" in written
    assert DISCLAIMER not in written and DISCLAIMER in result.output


def test_unknown_channel_lists_the_ones_with_text(runner, write_answers):
    from buyer_helper.cli import main

    path = write_answers(CASES["sample"])
    result = runner.invoke(main, ["letter", "wechat", "--answers", str(path)])
    assert result.exit_code == 2
    assert "没有“wechat”这个渠道的文字" in result.output
    for tid in L.TEXTS:
        assert tid in result.output


def test_channel_of_the_other_platform_is_refused(runner, write_answers):
    from buyer_helper.cli import main

    path = write_answers(CASES["taobao"])
    result = runner.invoke(
        main, ["letter", "pdd_hotline", "--answers", str(path), "--now", SAMPLE_NOW]
    )
    assert result.exit_code == 2
    assert "淘宝订单" in result.output
    assert "Traceback" not in result.output


def test_letters_command_writes_every_text(runner, tmp_path):
    from buyer_helper.cli import main

    case_dir = tmp_path / "案子"
    case_dir.mkdir()
    (case_dir / "case.yaml").write_text(
        yaml.safe_dump(CASES["sample"], allow_unicode=True), encoding="utf-8"
    )
    result = runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    out = case_dir / "out"
    files = sorted(p.name for p in out.glob("[0-9][0-9]-*.txt"))
    assert files and files[0].startswith("01-")
    for name in files:
        assert name in result.output
        text = (out / name).read_text(encoding="utf-8")
        assert "231118-094512837760231" in text and DISCLAIMER not in text
    assert str(out.resolve()) in result.output
    assert DISCLAIMER in result.output
    assert DISCLAIMER in (out / L.README).read_text(encoding="utf-8")

    # the buyer records that the platform and the hotline were tried: stale texts go away
    data = copy.deepcopy(CASES["sample"])
    data["tried"] += ["platform_intervened", "platform_unsatisfied", "hotline_called"]
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    keep = out / "我自己的笔记.txt"
    keep.write_text("不要删", encoding="utf-8")
    result = runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    again = sorted(p.name for p in out.glob("[0-9][0-9]-*.txt"))
    assert not any("官方客服" in n for n in again)
    assert keep.exists()


GOODS_STEPS = ("refuse_delivery", "return_7day", "after_sales")


@pytest.mark.parametrize("platform", list(PLATFORM_NAMES))
@pytest.mark.parametrize("name", list(CASES))
def test_every_case_on_both_platforms_gets_its_letters(name, platform, runner, tmp_path):
    """R1/R20: letters_for_plan and `letters DIR` work for every case on 拼多多 and 淘宝; each
    open step with a text gets it (a 淘宝 case gets its goods-step text too) and every text
    keeps the case's facts and names only the case's own platform."""
    from buyer_helper.cli import main

    case, plan = load(name, platform=platform)
    letters = L.letters_for_plan(case, plan)
    ids = [x.text_id for x in letters]
    assert letters, f"{name}@{platform}"
    for step in plan.steps:
        unfit = L.unfit_reason(case, plan, step.channel)
        if not step.done and step.channel in GOODS_STEPS and not unfit:
            assert step.channel in ids, f"{name}@{platform}: no text for {step.channel}"
    other = PLATFORM_NAMES["taobao" if platform == "pdd" else "pdd"]
    for letter in letters:
        where = f"{name}@{platform}/{letter.text_id}"
        assert letter.text == L.render_letter(case, plan, letter.text_id).text, where
        assert case.order.id in letter.text, where
        assert other not in template_words(letter.text, case), where
        assert not any(other in template_words(w, case) for w in letter.warnings), where

    case_dir = tmp_path / "案子"
    case_dir.mkdir()
    data = copy.deepcopy(CASES[name])
    data["platform"] = platform
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (case_dir / "out").glob("[0-9][0-9]-*.txt"))
    assert written == sorted(x.filename for x in letters)
    for letter in letters:
        assert (case_dir / "out" / letter.filename).read_text(encoding="utf-8") == letter.text


def test_letters_command_missing_folder(runner, tmp_path):
    from buyer_helper.cli import main

    result = runner.invoke(main, ["letters", str(tmp_path / "没有")])
    assert result.exit_code == 2
    assert "找不到案子文件夹" in result.output


# ------------------------------------------------------------------ jinja2 rules


def test_missing_field_in_a_template_names_it(monkeypatch):
    import jinja2

    env = L.make_environment(jinja2.DictLoader({"x.txt.j2": "订单 {{ c.order_number }}"}))
    monkeypatch.setattr(L, "environment", lambda: env)
    with pytest.raises(BuyerHelperError, match="order_number"):
        L._render("x.txt.j2", {"c": {}}, [])


# ------------------------------------------------------------- hypothesis: story

STORY_CHARS = st.one_of(
    st.sampled_from(list("{}%#<>&\"'“”「」。，！？\\`$|*_[]()（）\n\t\r ")),
    st.sampled_from(["{{", "}}", "{%", "%}", "{#", "None", "😡", "👍🏻", "𠀀", "\x00", "\x1b[2J"]),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
STORY_TEXTS = ("c12315_online", "heimao")  # texts that always carry the whole story


def _render_all_with_story(story: str):
    timeline = [*SAMPLE["timeline"], {"at": "2026-11-22T12:00:00+08:00", "text": story or "空"}]
    case, plan = load("sample", story=story, timeline=timeline)
    out = {}
    for tid in applicable(case, plan):
        out[tid] = L.render_letter(case, plan, tid)
    return case, out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STORY_CHARS, max_size=80).map("".join))
def test_any_story_renders_verbatim(story):
    _case, out = _render_all_with_story(story)
    cleaned = clean_block(story)
    for tid, letter in out.items():
        assert letter.text.endswith("\n")
        if cleaned and tid in STORY_TEXTS:
            assert cleaned in letter.text, tid


def test_a_20000_character_story_with_markup_and_emoji():
    story = ("订单{{ order }}{% if x %}😡「你等着」\n" * 800)[:20000]
    _case, out = _render_all_with_story(story)
    cleaned = clean_block(story)
    for tid in STORY_TEXTS:
        assert cleaned in out[tid].text
    assert len(out["return_7day"].text.strip()) <= 200


@settings(max_examples=25, deadline=None)
@given(
    shop=st.text(
        alphabet=st.sampled_from(list("{}%#优品店None。，“”()（）😡 ")), min_size=1, max_size=30
    ),
    item=st.text(alphabet=st.sampled_from(list("{}%#杯子None。，“”😡 ")), min_size=1, max_size=30),
)
def test_any_shop_and_item_names_render(shop, item):
    data = copy.deepcopy(CASES["sample"])
    data["order"]["shop"], data["order"]["item"] = shop, item
    try:
        case = case_from_dict(data, today=NOW.date())
    except BuyerHelperError:
        return  # blank after stripping: the case itself refuses it
    plan = route(case, NOW)
    for tid in applicable(case, plan):
        text = L.render_letter(case, plan, tid).text
        if tid in ("official_cs", "c12315_online", "heimao", "misconduct"):
            assert clean_inline(shop) in text, tid


# ------------------------------------------------- out/: the buyer's edits are kept (U2)


def _case_dir(tmp_path, data, name="案子"):
    case_dir = tmp_path / name
    case_dir.mkdir()
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return case_dir


def test_letters_never_overwrites_or_deletes_the_buyers_edits(runner, tmp_path):
    from buyer_helper.cli import main

    case_dir = _case_dir(tmp_path, copy.deepcopy(CASES["sample"]))
    out = case_dir / "out"
    assert runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW]).exit_code == 0
    first = sorted(p.name for p in out.glob("[0-9][0-9]-*.txt"))
    edited = out / first[0]
    untouched = out / first[1]
    mine = edited.read_text(encoding="utf-8").replace("（请填写：", "（我填好了：") + "我补充的话\n"
    edited.write_text(mine, encoding="utf-8")

    result = runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    assert edited.read_text(encoding="utf-8") == mine  # kept, byte for byte
    beside = out / edited.name.replace(".txt", "（新）.txt")
    assert beside.exists() and "我补充的话" not in beside.read_text(encoding="utf-8")
    assert f"你改过 {edited.name}" in result.output and beside.name in result.output
    assert not (out / untouched.name.replace(".txt", "（新）.txt")).exists()  # unchanged: rewritten

    # a later run where the edited text is no longer in the plan: still never deleted
    data = copy.deepcopy(CASES["sample"])
    data["tried"] += ["platform_intervened", "platform_unsatisfied", "hotline_called"]
    (case_dir / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    assert edited.read_text(encoding="utf-8") == mine
    assert f"{edited.name} 已不在这次的计划里，但你改过它" in result.output
    assert not beside.exists()  # what we wrote and nobody touched goes when the plan drops it


def test_write_letters_is_public_and_keeps_files_it_cannot_vouch_for(tmp_path):
    case, plan = load("sample")
    letters = L.letters_for_plan(case, plan)
    out = tmp_path / "out"
    out.mkdir()
    # a file of the same name that no manifest knows (an older version, or the buyer's own)
    (out / letters[0].filename).write_text("我自己写的", encoding="utf-8")
    result = L.write_letters(out, letters)
    assert (out / letters[0].filename).read_text(encoding="utf-8") == "我自己写的"
    assert result.beside[0][0] == letters[0].filename
    assert letters[0].filename in result.unknown
    lines = "\n".join(L.summary_lines(result, letters))
    assert "无法确认是不是你改过的" in lines
    again = L.write_letters(out, letters)  # same texts again: nothing new, nothing removed
    assert again.removed == [] and [b for b, _ in again.beside] == [letters[0].filename]
    assert (out / L.README).exists() and (out / L.MANIFEST).exists()


def test_letters_file_list_is_aligned_by_display_width(runner, tmp_path):
    from buyer_helper.cli import main

    case_dir = _case_dir(tmp_path, copy.deepcopy(CASES["sample"]))
    result = runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if re.match(r"  \d\d-", line)]
    letters = L.letters_for_plan(*load("sample"))
    assert len(letters) >= 3 and len(rows) == len(letters)  # one row per file, no more
    columns = set()
    for row, letter in zip(rows, letters, strict=True):
        assert row.strip().startswith(letter.filename) and row.endswith(letter.title), row
        columns.add(display_width(row[: -len(letter.title)]))
    assert len(columns) == 1, rows


# ------------------------------------------------- the evidence folder is listed (U3)


def test_texts_list_the_evidence_folder_with_the_buyers_notes(runner, tmp_path):
    from buyer_helper.cli import main

    data = copy.deepcopy(CASES["no_contact"])
    data["evidence_notes"] = {"10-面料标签.jpg": "标签写的是羊毛", "纸质发票": "在我手里"}
    case_dir = _case_dir(tmp_path, data)
    ev = case_dir / "evidence"
    (ev / "聊天").mkdir(parents=True)
    for name in ("10-面料标签.jpg", "2-商品页.png", ".DS_Store", "聊天/1.png"):
        (ev / name).write_bytes(b"x")
    names = [e.name for e in L.case_evidence(case_dir)]
    assert names == ["2-商品页.png", "10-面料标签.jpg", "聊天/1.png"]
    assert not any(e.unread for e in L.case_evidence(case_dir))
    assert L.case_evidence(case_dir / "case.yaml") == L.case_evidence(case_dir)

    result = runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    # the texts whose template lists the evidence (黑猫 is public: no evidence list)
    templates = data_path("templates")
    listing = {
        tid
        for tid, spec in L.TEXTS.items()
        if "evidence_list" in (templates / spec.template).read_text(encoding="utf-8")
    }
    written = LF.read_manifest_texts(case_dir / "out")  # file name -> text id
    # the texts only: the offline page and the reminders have their own tests
    written = {name: tid for name, tid in written.items() if tid in L.TEXTS}
    assert {"c12315_online", "pdd_hotline"} <= set(written.values()) & listing
    for name, tid in written.items():
        text = (case_dir / "out" / name).read_text(encoding="utf-8")
        assert "你有哪些证据" not in text, name
        if tid not in listing:
            assert "10-面料标签.jpg" not in text, name
        else:
            assert "10-面料标签.jpg：标签写的是羊毛" in text, name
            assert (
                text.index("2-商品页.png")
                < text.index("10-面料标签.jpg")
                < text.index("聊天/1.png")
            )
            assert "纸质发票：在我手里" in text and ".DS_Store" not in text

    # `letter --answers DIR/case.yaml` finds the sibling evidence/ too
    result = runner.invoke(
        main,
        ["letter", "c12315_online", "--answers", str(case_dir / "case.yaml"), "--now", SAMPLE_NOW],
    )
    assert result.exit_code == 0, result.output
    assert "- 2-商品页.png" in result.output and "你有哪些证据" not in result.output


def test_evidence_placeholder_only_without_evidence(tmp_path):
    case, plan = load("no_contact")
    assert "你有哪些证据" in L.render_letter(case, plan, "c12315_online").text
    assert "你有哪些证据" in L.render_letter(case, plan, "c12315_online", evidence=[]).text
    (tmp_path / "evidence").mkdir()
    assert L.case_evidence(tmp_path) == []
    assert L.case_evidence(tmp_path / "没有" / "case.yaml") is None
    text = L.render_letter(case, plan, "c12315_online", evidence=["1.png"], bundled=True).text
    assert "- 1.png\n- 以上证据见本证据包第四部分（证据清单）和第五部分（证据附件）" in text
    assert "你有哪些证据" not in text


# ----------------------------------------------- the misconduct report's quotes (U5)

UX_U5_STORY = (
    '商家说"<b>羊毛</b>就是这样的 & 不退"，还说可以加微信 wx_abc123 私下返我50元，'
    '让我给好评…驳回，理由是"影响二次销售"'
)


def test_misconduct_report_quotes_only_lines_showing_the_misconduct():
    case, plan = load("no_contact", story=UX_U5_STORY)
    assert "off_platform" in plan.misconduct
    text = L.render_letter(case, plan, "misconduct").text
    assert "<b>羊毛</b>就是这样的" not in text  # the seller's words, but not the 导流
    assert "影响二次销售" not in text
    account = text.split("据我的记录（这是我自己的叙述，不是商家原话", 1)[1]
    assert "加微信 wx_abc123" in account.split("\n\n")[0]
    # the buyer's own words are never numbered or quoted as the seller's
    assert not re.search(r"^\d+\. “.*加微信", text, flags=re.M)
    assert "商家原话（" not in text


def test_quoted_misconduct_lines_are_quoted_and_not_repeated_as_an_account():
    story = "商家客服让我加微信“abc123”，说“微信转账给你便宜20”。我回复“不加”。商家说“质量没问题”。"
    case, plan = load("no_contact", story=story)
    text = L.render_letter(case, plan, "misconduct").text
    assert "1. “abc123”" in text and "2. “微信转账给你便宜20”" in text
    assert "质量没问题" not in text and "“不加”" not in text
    assert "据我的记录" not in text


# -------------------------------------------------------- texts fit the dates (U6)


def test_seven_day_return_refused_after_the_window(runner, write_answers):
    from buyer_helper.cli import main

    data = copy.deepcopy(CASES["taobao"])
    data.update(platform="pdd", signed_on="2026-10-31")
    data["order"]["ordered_on"] = "2026-10-28"
    path = write_answers(data)
    result = runner.invoke(
        main, ["letter", "return_7day", "--answers", str(path), "--now", "2026-11-26T10:00+08:00"]
    )
    assert result.exit_code == 2, result.output
    assert "2026年11月7日已经结束" in result.output and "after_sales" in result.output
    assert "Traceback" not in result.output
    # the last day of the window (7 days after signing) still fits
    result = runner.invoke(
        main, ["letter", "return_7day", "--answers", str(path), "--now", "2026-11-07T20:00+08:00"]
    )
    assert result.exit_code == 0, result.output


def test_no_reason_return_texts_refused_after_the_window():
    data = copy.deepcopy(CASES["no_reason"])
    data["order"]["ordered_on"] = "2026-11-05"
    case = case_from_dict({**data, "signed_on": "2026-11-10"}, today=NOW.date())
    plan = route(case, NOW)
    for tid in ("return_7day", "after_sales"):
        with pytest.raises(BuyerHelperError, match="七天无理由退货只能在签收后7天内申请"):
            L.render_letter(case, plan, tid)
    assert not {"return_7day", "after_sales"} & {x.text_id for x in L.letters_for_plan(case, plan)}


# -------------------------------------------- nothing internal in what people read (P1)


def test_no_internal_references_or_cli_hints_in_texts():
    for name, tid, _case, letter in RENDERED:
        where = f"{name}/{tid}"
        for word in ("FACTS.md", "phonenumbers"):
            assert word not in letter.text, where
            assert not any(word in w for w in letter.warnings), where
        assert "buyer-helper" not in letter.text, where
        assert not re.search(r"（(pdd_|c12315|official_cs|after_sales|return_7day)", letter.text)
    for name in CASES:
        readme = LF._readme(L.letters_for_plan(*load(name)))
        assert "FACTS.md" not in readme and "phonenumbers" not in readme


def test_phone_scripts_say_how_to_log_the_call_beside_the_text():
    case, plan = load("sample")
    letter = L.render_letter(case, plan, "pdd_hotline")
    assert any("buyer-helper log" in w for w in letter.warnings)


# ------------------------------------------------- acceptance findings (letters-3)

ACCEPT_NOW = parse_now("2026-11-26T10:00:00+08:00")


def accept_case(data: dict):
    case = case_from_dict(data, today=ACCEPT_NOW.date())
    return case, route(case, ACCEPT_NOW)


NOT_SIGNED_AT_STATION = {
    "platform": "pdd",
    "problem": "not_as_described",
    "delivery": "not_signed",
    "tried": [],
    "order": {
        "id": "251120-556677889900",
        "shop": "潮流服饰店",
        "item": "羊毛大衣 M码",
        "amount": 299,
        "ordered_on": "2026-11-20",
    },
    "demand": "refund",
    "story": "快递还在驿站，物流显示明天送到。商品页写100%羊毛，但买家秀里有人说是化纤。",
}


@pytest.mark.parametrize("problem", ["quality", "damaged", "not_as_described", "fake_goods"])
def test_not_signed_texts_never_claim_the_goods_arrived_or_the_refusal_was_done(problem):
    case, plan = accept_case({**NOT_SIGNED_AT_STATION, "problem": problem})
    for letter in L.letters_for_plan(case, plan):
        text = letter.text
        assert "收到的商品" not in text, (letter.text_id, text)
        assert "照片或视频我会" not in text, letter.text_id
        assert "已请快递员拒签" not in text and "已拒签" not in text, letter.text_id
        if letter.text_id in ("seller", "refuse_delivery", "official_cs"):
            assert "可能" in text  # what the buyer knows before receiving it
    refusal = L.render_letter(case, plan, "refuse_delivery")
    assert "拒签之后再提交" in " ".join(refusal.warnings)


THREAT_BY_PHONE = {
    "platform": "pdd",
    "problem": "seller_abuse",
    "delivery": "signed",
    "signed_on": "2026-11-24",
    "tried": [],
    "order": {
        "id": "251120-000011112222",
        "shop": "小店",
        "item": "台灯",
        "amount": 39.9,
        "ordered_on": "2026-11-20",
    },
    "demand": "apology_and_penalty",
    "story": "我问发票的事，商家说“有你地址，小心点”，半夜一直打电话。",
}


def test_misconduct_report_names_the_plans_kinds_and_no_channel_it_does_not_know():
    case, plan = accept_case(THREAT_BY_PHONE)
    text = L.render_letter(case, plan, "misconduct").text
    assert "平台聊天中" not in text  # the story speaks of phone calls
    named = re.search(r"存在(.+?)的行为", text).group(1).split("、")
    expected = [{"seller_abuse": "辱骂", "seller_harassment": "骚扰"}[k] for k in plan.misconduct]
    assert named == expected + (["威胁"] if plan.threat else [])
    assert f"商家对我有{'、'.join(named)}的行为。" in text
    # the story places it in the platform chat: then the report says so
    chat = {**THREAT_BY_PHONE, "story": "商家在聊天里骂我“你有病”。"}
    case, plan = accept_case(chat)
    assert "商家在平台聊天中对我有辱骂的行为" in L.render_letter(case, plan, "misconduct").text


FAKE_COMPENSATION = {
    "platform": "pdd",
    "problem": "fake_goods",
    "delivery": "signed",
    "signed_on": "2026-11-22",
    "tried": ["contacted_seller"],
    "order": {
        "id": "251118-112233445566",
        "shop": "名品折扣店",
        "item": "某品牌运动鞋 42码",
        "amount": 459.00,
        "ordered_on": "2026-11-18",
    },
    "demand": "compensation",
    "story": "鞋标做工粗糙，防伪码查询显示不存在。",
    "seller_city": "福建省莆田市",
}


def test_platform_forms_ask_for_return_and_refund_compensation_only_to_12315():
    case, plan = accept_case(FAKE_COMPENSATION)
    for tid in ("return_7day", "after_sales", "official_cs", "pdd_hotline"):
        text = L.render_letter(case, plan, tid).text
        assert "赔偿我的损失" not in text and "第五十五条" not in text, tid
        assert "退货退款，退还货款 459.00 元" in text, tid
        assert any("赔偿请在12315" in w for w in L.render_letter(case, plan, tid).warnings), tid
    online = L.render_letter(case, plan, "c12315_online").text
    assert "第五十五条" in online


SELLER_SAYS_PAST_7_DAYS = {
    "platform": "taobao",
    "problem": "quality",
    "delivery": "completed",
    "signed_on": "2026-10-01",
    "tried": ["contacted_seller", "after_sales_filed", "seller_rejected"],
    "order": {
        "id": "4012345678901234567",
        "shop": "数码配件专营店",
        "item": "充电宝 20000mAh",
        "amount": 159.9,
        "ordered_on": "2026-09-28",
    },
    "demand": "return_refund",
    "story": "用了一个多月，充电宝发热鼓包。商家说“超过7天不管”，还骂我“事儿多”。",
}


@pytest.mark.parametrize(("platform", "tid"), [("taobao", "taobao_cs"), ("pdd", "official_cs")])
def test_platform_text_answers_past_7_days_with_article_24(platform, tid):
    case, plan = accept_case({**SELLER_SAYS_PAST_7_DAYS, "platform": platform})
    letter = L.render_letter(case, plan, tid)
    flat = letter.text.replace("\n", "")
    assert "商家说已超过7天" in flat
    past = next(r for r in REFUSALS if r.key == "past_7_days")
    assert past.answer in flat or past.short in flat
    assert "质量问题仍可" in flat and "更换、修理" in flat and "第二十四条" in flat
    assert not any("偏长" in w for w in letter.warnings)  # still fits the form
    if platform == "pdd":  # the phone script says it too
        script = L.render_letter(case, plan, "pdd_hotline").text.replace("\n", "")
        assert "商家说已超过7天。" in script and "第二十四条" in script
    # a story without the refusal gets no answer to it
    case, plan = accept_case(
        {**SELLER_SAYS_PAST_7_DAYS, "platform": platform, "story": "发热鼓包。"}
    )
    assert "超过7天" not in L.render_letter(case, plan, tid).text


@pytest.mark.parametrize(
    ("said", "key"),
    [
        ("商家说“只能换，不能退”。", "exchange_only"),
        ("商家说是我自己弄坏的。", "buyer_broke_it"),
        ("商家让我先垫付运费。", "prepay_freight"),
        ("商家说放假了，年后处理。", "holiday"),
    ],
)
def test_other_usual_refusals_get_their_answer(said, key):
    refusal = next(r for r in REFUSALS if r.key == key)
    data = {**SELLER_SAYS_PAST_7_DAYS, "platform": "pdd", "signed_on": "2026-11-24"}
    data["story"] = "充电宝发热鼓包。" + said
    case, plan = accept_case(data)
    text = L.render_letter(case, plan, "official_cs").text.replace("\n", "")
    assert f"商家{refusal.reason}。" in text
    assert refusal.answer in text or refusal.short in text
    # the 第二十四条 answers never go to a buyer whose problem is not the goods
    if refusal.quality_only:
        plain = {**data, "problem": "no_reason_return", "demand": "return_refund"}
        case, plan = accept_case(plain)
        assert f"商家{refusal.reason}。" not in L.render_letter(case, plan, "official_cs").text


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("联系商家没人回。申请小二介入，小二说过了7天只能找商家维修。", "平台客服"),
        ("平台客服说已经超过7天了。", "平台客服"),
        ("商家客服说超过7天不管。", "商家"),
        ("卖家说过了7天。", "商家"),
        ("过了7天了，商家一直不回复。", ""),
        ("我跟商家说过了7天也能退。", ""),  # the seller is spoken to, not speaking
        ("商家不理我，我说虽然超过7天但是质量问题。", ""),  # the buyer speaks
    ],
)
def test_refusal_is_put_on_whoever_the_story_says_said_it(said, who):
    # a refusal is the seller's only when the buyer's sentence names the seller as the speaker
    data = {**SELLER_SAYS_PAST_7_DAYS, "story": "充电宝发热鼓包。" + said}
    case, plan = accept_case(data)
    flat = L.render_letter(case, plan, "taobao_cs").text.replace("\n", "")
    past = next(r for r in REFUSALS if r.key == "past_7_days")
    assert past.answer in flat or past.short in flat
    if who == "商家":
        assert "商家说已超过7天" in flat
    else:
        assert "商家说已超过7天" not in flat
    if who == "平台客服":
        assert "平台客服说已超过7天" in flat
    if not who:
        assert "说已超过7天" not in flat and "关于“超过7天”的说法：" in flat


def test_refusal_named_by_nobody_asks_for_grounds_without_blaming_the_seller():
    data = {**SELLER_SAYS_PAST_7_DAYS, "platform": "pdd", "signed_on": "2026-11-24"}
    data["story"] = "充电宝发热鼓包。平台客服说是我自己弄坏的。"
    case, plan = accept_case(data)
    text = L.render_letter(case, plan, "official_cs").text.replace("\n", "")
    assert "平台客服说是我自己弄坏的。请说明这样认定的依据" in text
    assert "商家说是我自己弄坏的" not in text


def test_letters_keeps_an_edit_when_the_plan_renumbers_the_texts(runner, tmp_path):
    # ux repro: fill in out/02-…, `log --tried contacted_seller`, `letters` again; the seller
    # text drops out of the plan, so every later text moves up one number
    from buyer_helper.cli import main

    case_dir = _case_dir(tmp_path, copy.deepcopy(CASES["food"]))
    out = case_dir / "out"
    assert runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW]).exit_code == 0
    first = sorted(p.name for p in out.glob("[0-9][0-9]-*.txt"))
    seller, edited, third = first[0], out / first[1], first[2]
    assert "与商家协商" in seller and edited.name.startswith("02-")
    mine = edited.read_text(encoding="utf-8") + "我补充的话\n"
    edited.write_text(mine, encoding="utf-8")
    logged = runner.invoke(
        main,
        ["log", str(case_dir), "--tried", "contacted_seller", "联系了商家", "--now", SAMPLE_NOW],
    )
    assert logged.exit_code == 0, logged.output

    result = runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    assert edited.read_text(encoding="utf-8") == mine  # kept, byte for byte
    beside = out / edited.name.replace(".txt", "（新）.txt")
    assert beside.exists() and "我补充的话" not in beside.read_text(encoding="utf-8")
    assert f"你改过 {edited.name}" in result.output
    assert "已不在这次的计划里" not in result.output  # the text is still in the plan
    # no second copy of the same text under its new number
    assert not (out / edited.name.replace("02-", "01-", 1)).exists()
    # the unchanged seller text is gone, and the buyer is told so
    assert not (out / seller).exists() and seller in result.output and "已删除" in result.output
    # an unchanged text that moved up: told about its new name
    moved = third.replace("03-", "02-", 1)
    assert (out / moved).exists() and not (out / third).exists()
    assert f"{third} 现在是 {moved}" in result.output

    # a third run with nothing new: the edit is still recognised by its text id
    again = runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert again.exit_code == 0, again.output
    assert edited.read_text(encoding="utf-8") == mine and beside.exists()
    assert "已不在这次的计划里" not in again.output and "已删除" not in again.output
    # once the buyer deletes the edited file, the text takes its new number again
    edited.unlink()
    beside.unlink()
    runner.invoke(main, ["letters", str(case_dir), "--now", SAMPLE_NOW])
    assert (out / edited.name.replace("02-", "01-", 1)).exists()


def test_bundled_text_is_the_full_text_and_points_into_the_bundle():
    # the PDF has no form limit: the text printed in it is never the shortened form version
    case, plan = load("sample")
    names = sorted(SAMPLE_ANSWERS["evidence_notes"])
    form = L.render_letter(case, plan, "official_cs", names)
    assert "证据：聊天记录截图和照片见我上传的凭证" in form.text  # the form version is shortened
    full = L.render_letter(case, plan, "official_cs", names, fit=False)
    bundled = L.render_letter(case, plan, "official_cs", names, bundled=True)
    for letter in (full, bundled):
        assert "见我上传的凭证" not in letter.text
        for name in names:
            assert name in letter.text
        assert case.story.strip().splitlines()[0] in letter.text  # the buyer's whole story
    # only the bundled one says where in the bundle the evidence is
    here = "以上证据见本证据包第四部分（证据清单）和第五部分（证据附件）"
    assert here in bundled.text and here not in full.text and here not in form.text
    assert "随附的证据包" not in bundled.text
    # a form limit the full text exceeds is still named beside it
    assert any("偏长" in w for w in full.warnings)


def test_reminders_fit_the_delivery_state():
    # an unsigned parcel is refused and refunded as 未收到货: no quality reason to keep
    case, plan = load("not_signed")
    for letter in L.letters_for_plan(case, plan):
        said = " ".join(letter.warnings)
        assert "不要改（003 二）" not in said, letter.text_id
        assert "维权要求" not in said, letter.text_id
    # a signed parcel with a quality problem: the seller may ask to change the reason
    data = {**copy.deepcopy(CASES["not_signed"]), "delivery": "signed", "signed_on": "2026-11-20"}
    case, plan = accept_case(data)
    seller = L.render_letter(case, plan, "seller")
    assert any("不要改（003 二）" in w for w in seller.warnings)
    after = L.render_letter(case, plan, "after_sales")
    assert any("维权要求选定后不能修改" in w for w in after.warnings)


def test_an_older_manifest_without_text_ids_still_finds_the_edited_text(tmp_path):
    # manifests written before text ids were stored: the text is known by its name sans number
    import json

    case, plan = load("sample")
    letters = L.letters_for_plan(case, plan)
    out = tmp_path / "out"
    L.write_letters(out, letters)
    body = json.loads((out / L.MANIFEST).read_text(encoding="utf-8"))
    del body["texts"]
    (out / L.MANIFEST).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    edited = out / letters[1].filename
    edited.write_text("我改过的\n", encoding="utf-8")
    # the plan drops the first text: the edited one would now be number 01
    again = L.letters_for_plan(case, plan)[1:]
    for i, letter in enumerate(again, 1):
        letter.filename = f"{i:02d}-" + letter.filename[3:]
    renumbered = again[0].filename
    assert renumbered.startswith("01-") and renumbered[3:] == edited.name[3:]
    result = L.write_letters(out, again)
    assert edited.read_text(encoding="utf-8") == "我改过的\n"
    assert (edited.name, edited.name.replace(".txt", "（新）.txt")) in result.beside
    assert not (out / renumbered).exists()  # no second copy under the new number
    assert result.kept_stale == [] and result.removed == [letters[0].filename]


@pytest.mark.parametrize(
    ("now", "within"), [("2026-11-29T10:00:00+08:00", True), ("2026-12-07T10:00:00+08:00", False)]
)
def test_a_return_without_reason_after_the_seven_days_asks_the_seller_not_the_law(
    runner, tmp_path, now, within
):
    """Signed 11-25, the seven days end 12-02: after that the seller text asks for goodwill, as
    the plan does, and cites no 第二十五条 right the buyer no longer has."""
    from buyer_helper.cli import main

    answers = {
        "platform": "pdd",
        "order": {
            "id": "231125-123456789",
            "shop": "小林杂货铺",
            "item": "棉拖鞋",
            "amount": "29.90",
            "ordered_on": "2026-11-20",
        },
        "demand": "return_refund",
        "problem": "no_reason_return",
        "delivery": "signed",
        "signed_on": "2026-11-25",
        "tried": [],
        "story": "尺码不合适，想退。",
    }
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
    result = runner.invoke(main, ["letter", "seller", "--answers", str(path), "--now", now])
    assert result.exit_code == 0, result.output
    claims = ("按七天无理由退货" in result.output, "第二十五条" in result.output)
    assert claims == (within, within), result.output
    if not within:
        assert "希望与商家协商退货" in result.output
