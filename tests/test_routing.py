"""route(case, now): the ladder, every path, problem and `tried` state, the 12315 number."""

import copy
import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buyer_helper.casefile.case import DELIVERY, DEMANDS, PROBLEMS, TRIED, case_from_dict
from buyer_helper.decide.routing import route
from buyer_helper.facts.areacode import area_code_for
from buyer_helper.facts.channels import load_channels
from buyer_helper.facts.hours import SHANGHAI, parse_now
from buyer_helper.terminal.render import plan_to_dict, render_plan_text

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
        "item": "不锈钢保温杯 500ml",
        "amount": "89.90",
        "ordered_on": "2026-10-01",
    },
    "demand": "return_refund",
    "story": "杯子漏水。",
}


def days_ago(n: int, today: dt.date = TODAY) -> str:
    return (today - dt.timedelta(days=n)).isoformat()


def plan_for(now=NOW, **overrides):
    data = copy.deepcopy(BASE)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    case = case_from_dict(data, today=now.date())
    return route(case, now)


def channels(plan):
    return [s.channel for s in plan.steps]


def open_channels(plan):
    return [s.channel for s in plan.steps if not s.done]


def step(plan, channel):
    return next(s for s in plan.steps if s.channel == channel)


def warnings_text(plan):
    return "\n".join(w.text for w in plan.warnings)


# ------------------------------------------------------------------ paths and problems

SCENARIOS = [
    # id, overrides, first open channel, must be in plan, must not be in plan
    ("not-signed quality", dict(delivery="not_signed", signed_on=None),
     "refuse_delivery", ["official_cs", "pdd_hotline", "c12315", "heimao"],
     ["return_7day", "after_sales"]),
    ("signed 3 days ago quality", dict(signed_on=days_ago(3)),
     "return_7day", ["official_cs"], ["refuse_delivery", "after_sales"]),
    ("signed 7 days ago: last day", dict(signed_on=days_ago(7)),
     "return_7day", [], ["after_sales"]),
    ("signed 8 days ago", dict(signed_on=days_ago(8)),
     "after_sales", [], ["return_7day", "refuse_delivery"]),
    ("signed 10 days ago quality", dict(signed_on=days_ago(10)),
     "after_sales", ["official_cs"], ["return_7day", "refuse_delivery"]),
    ("completed 2 days ago", dict(delivery="completed", signed_on=days_ago(2)),
     "after_sales", [], ["return_7day", "refuse_delivery"]),
    ("completed long ago", dict(delivery="completed", signed_on=days_ago(40)),
     "after_sales", [], ["return_7day", "refuse_delivery"]),
    ("damaged in window", dict(problem="damaged"), "return_7day", [], ["after_sales"]),
    ("not as described in window", dict(problem="not_as_described"), "return_7day", [], []),
    ("fake goods in window", dict(problem="fake_goods"), "return_7day", ["c12315"], []),
    ("fake goods not signed", dict(problem="fake_goods", delivery="not_signed", signed_on=None),
     "refuse_delivery", [], ["return_7day"]),
    ("not received, not signed", dict(problem="not_received", delivery="not_signed",
                                       signed_on=None),
     "refuse_delivery", [], ["return_7day", "after_sales"]),
    ("not received but shown signed", dict(problem="not_received"),
     "after_sales", [], ["return_7day", "refuse_delivery"]),
    ("no reason, in window", dict(problem="no_reason_return"), "return_7day", [], []),
    ("no reason, completed in window", dict(problem="no_reason_return", delivery="completed"),
     "after_sales", [], ["return_7day"]),
    ("no reason, expired", dict(problem="no_reason_return", signed_on=days_ago(12)),
     "seller", [], ["return_7day", "after_sales", "c12315"]),
    ("no reason, not signed", dict(problem="no_reason_return", delivery="not_signed",
                                    signed_on=None),
     "refuse_delivery", [], ["return_7day"]),
    ("seller abuse", dict(problem="seller_abuse"), "official_cs",
     ["pdd_hotline", "c12315", "heimao"], ["return_7day", "refuse_delivery", "after_sales"]),
    ("seller harassment, no threat words", dict(problem="seller_harassment", story="天天发消息"),
     "official_cs", [], ["police"]),
    ("seller threat", dict(problem="seller_harassment", story="商家说有你地址，去你地址找你"),
     "police", ["official_cs"], []),
    ("off platform", dict(problem="off_platform"), "official_cs", [], []),
    ("bribe for review", dict(problem="bribe_for_review"), "official_cs", [], []),
    ("taobao quality", dict(platform="taobao"), "return_7day", ["taobao_cs", "c12315", "heimao"],
     ["official_cs", "pdd_hotline"]),
    ("taobao abuse", dict(platform="taobao", problem="seller_abuse"), "taobao_cs", [],
     ["pdd_hotline", "official_cs"]),
]  # fmt: skip


@pytest.mark.parametrize(
    "overrides,first,present,absent", [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS]
)
def test_scenarios(overrides, first, present, absent):
    plan = plan_for(**overrides)
    assert plan.next_step is not None
    assert plan.next_step.channel == first
    assert plan.steps[0].channel == first  # the next open step comes first
    for ch in present:
        assert ch in channels(plan)
    for ch in absent:
        assert ch not in channels(plan)


def test_every_problem_and_delivery_is_covered_by_the_table():
    covered = {(s[1].get("problem", "quality")) for s in SCENARIOS}
    assert covered == set(PROBLEMS)
    assert {s[1].get("delivery", "signed") for s in SCENARIOS} == set(DELIVERY)


def test_ladder_order_without_progress():
    plan = plan_for()
    assert channels(plan) == [
        "return_7day",
        "official_cs",
        "pdd_hotline",
        "c12315",
        "c12315_online",
        "heimao",
    ]
    assert not any(s.done for s in plan.steps)


def test_refuse_delivery_says_refuse_then_refund_not_received():
    s = plan_for(delivery="not_signed", signed_on=None).steps[0]
    text = "\n".join(s.actions)
    assert "拒签" in text and "仅退款" in text and "未收到货" in text
    w = warnings_text(plan_for(delivery="not_signed", signed_on=None))
    assert "生鲜" in w  # fresh/frozen refusal caution
    assert "保管好" in w  # keep the goods, true reason (仅退款 path)


@pytest.mark.parametrize("platform", ["pdd", "taobao"])
@pytest.mark.parametrize("problem", ["quality", "not_received", "no_reason_return"])
def test_refused_parcel_moves_on_to_the_refund_not_a_second_refusal(platform, problem):
    """tried refused_delivery (已拒签退回): the 拒签 is done; the open first step is the app's
    仅退款 with reason 未收到货 (004 §⑴.1), and nothing tells the buyer to refuse again."""
    ns = dict(delivery="not_signed", signed_on=None, platform=platform, problem=problem)
    before = plan_for(**ns)
    plan = plan_for(tried=["refused_delivery"], **ns)
    first = plan.steps[0]
    assert first.channel == "refuse_delivery" and not first.done
    assert first.title != before.steps[0].title and "已拒签" in first.title
    text = "\n".join([first.title, first.reach, *first.actions])
    assert "仅退款" in text and "未收到货" in text and "已拒签退回" in text
    app = "拼多多App" if platform == "pdd" else "淘宝App"
    assert app in first.reach
    for refuse_again in ("快递员", "验货", "拒收", "不要签收"):
        assert refuse_again not in text, refuse_again
    assert "不用再拒签" in first.note
    assert "生鲜" not in warnings_text(plan)  # the 拒收 caution is moot once refused
    rendered = render_plan_text(plan, case_from_dict({**BASE, **ns, "tried": ["refused_delivery"]}))
    assert "当着快递员" not in rendered and "已拒签退回" in rendered
    # the app request filed too: the goods step is done, the platform comes next
    filed = plan_for(tried=["refused_delivery", "after_sales_filed"], **ns)
    assert step(filed, "refuse_delivery").done
    assert open_channels(filed)[0] in ("official_cs", "taobao_cs")


def test_refused_delivery_is_offered_in_the_interview_for_not_signed_only():
    from buyer_helper.terminal import questions as qs

    tried = qs.BY_KEY["tried"]
    for platform in ("pdd", "taobao"):
        shown = qs.choices_of(tried, {"platform": platform, "delivery": "not_signed"})
        assert shown["refused_delivery"] == "已拒签退回"
        for delivery in ("signed", "completed"):
            shown = qs.choices_of(tried, {"platform": platform, "delivery": delivery})
            assert "refused_delivery" not in shown


def test_return_7day_window_ends_seven_days_after_the_signing_day():
    plan = plan_for(signed_on="2026-11-20")
    dl = step(plan, "return_7day").deadlines[0]
    assert dl.due == dt.datetime(2026, 11, 27, 23, 59, 59, tzinfo=SHANGHAI)
    assert "次日" in dl.basis
    text = "\n".join(step(plan, "return_7day").actions)
    assert "质量问题" in text and "第二十四条" in text and "商家承担" in text


def test_no_reason_return_is_worded_as_no_reason_with_buyer_paying_shipping():
    plan = plan_for(problem="no_reason_return")
    s = step(plan, "return_7day")
    text = s.title + "\n".join(s.actions)
    assert "无理由" in text and "第二十五条" in text
    assert "退货运费由你承担，另有约定的除外（消保法第二十五条）" in text
    assert "运费险" not in text  # no example the seeds do not give (F12)
    assert "质量问题" not in s.title
    # the channel the buyer sees for this step does not push the quality reason (F16)
    assert "质量问题" not in plan_to_dict(plan)["steps"][0]["channel_name"]
    assert "定制" in warnings_text(plan)  # the exclusions


def test_expired_no_reason_says_the_right_is_gone():
    plan = plan_for(problem="no_reason_return", signed_on=days_ago(12))
    assert "期限已过" in warnings_text(plan)


def test_after_sales_past_window_cites_repair_or_replacement_and_once_only():
    plan = plan_for(signed_on=days_ago(20))
    s = step(plan, "after_sales")
    text = "\n".join(s.actions)
    assert "修理、更换" in text and "只能" in text
    assert "售后只能申请一次" in warnings_text(plan)
    assert s.deadlines == []  # no 7-day window any more


def test_completed_inside_window_keeps_the_window_deadline():
    plan = plan_for(delivery="completed", signed_on=days_ago(2))
    assert step(plan, "after_sales").deadlines[0].due.date() == TODAY + dt.timedelta(days=5)


def test_quality_problem_warns_against_changing_the_reason():
    assert "不要同意把退款原因" in warnings_text(plan_for())
    assert "不要同意把退款原因" not in warnings_text(plan_for(problem="no_reason_return"))


def test_misconduct_is_reported_with_chat_evidence_alongside_the_refund_path():
    plan = plan_for(story="商家骂我“你是不是有病”", tried=["after_sales_filed", "seller_rejected"])
    cs = step(plan, "official_cs")
    assert plan.next_step is cs
    assert "举报" in cs.title and "辱骂" in cs.title
    assert any("聊天截图" in h for h in cs.have_ready)
    assert "return_7day" in channels(plan)  # the refund path is still part of the plan
    assert "对骂" in warnings_text(plan)


def test_threat_goes_to_police_and_warns_110():
    plan = plan_for(problem="seller_harassment", story="商家发消息：有你地址，小心点")
    assert plan.steps[0].channel == "police"
    assert "110" in warnings_text(plan)
    done = plan_for(problem="seller_harassment", story="有你地址", tried=["police_called"])
    assert step(done, "police").done
    assert "你已经报警" in warnings_text(done)


def test_off_platform_warning_is_stronger():
    assert "一律拒绝" in warnings_text(plan_for(problem="off_platform"))
    assert "不要加微信" in warnings_text(plan_for())


def test_fake_goods_damages_only_via_12315_or_court():
    w = warnings_text(plan_for(problem="fake_goods"))
    assert "第五十五条" in w or "三倍" in w
    assert "12315" in w and "法院" in w
    assert "12315或法院" in warnings_text(plan_for(demand="compensation"))


def test_always_warns_chat_record_and_names_arbitration_as_out_of_scope():
    w = warnings_text(plan_for())
    assert "聊天记录" in w
    assert "仲裁" in w and "法院" in w
    assert all(x.source for x in plan_for().warnings)


def test_taobao_uses_xiaoer_with_chat_record():
    plan = plan_for(platform="taobao", tried=["after_sales_filed", "seller_rejected"])
    cs = plan.next_step
    assert cs.channel == "taobao_cs"
    assert "小二介入" in "\n".join(cs.actions)
    assert "聊天记录" in "\n".join(cs.actions)
    assert "淘宝App" in step(plan, "return_7day").reach


# ------------------------------------------------------------------ tried states


def test_contacted_seller_keeps_the_platform_application_first():
    plan = plan_for(tried=["contacted_seller"])
    assert plan.next_step.channel == "return_7day"
    assert "联系过商家" in plan.next_step.note


def test_after_sales_filed_gives_the_seller_about_48_hours():
    plan = plan_for(
        tried=["after_sales_filed"],
        timeline=[
            {
                "at": "2026-11-21T09:10:00+08:00",
                "text": "申请退货退款",
                "tried": "after_sales_filed",
            }
        ],
    )
    assert plan.next_step.channel == "official_cs"
    assert step(plan, "return_7day").done
    clock = plan.next_step.deadlines[0]
    assert clock.due == dt.datetime(2026, 11, 23, 9, 10, tzinfo=SHANGHAI)
    assert clock.approximate and "48" in clock.label
    assert "售后只能申请一次" not in warnings_text(plan)


def test_seller_no_reply_after_filing_mentions_automatic_refund():
    plan = plan_for(tried=["after_sales_filed", "seller_no_reply"])
    assert plan.next_step.channel == "official_cs"
    assert "自动退款" in "\n".join(plan.next_step.actions)


def test_seller_rejected_moves_to_platform_intervention():
    plan = plan_for(tried=["after_sales_filed", "seller_rejected"])
    assert open_channels(plan)[0] == "official_cs"
    assert step(plan, "return_7day").done


def test_a_refusal_in_chat_leaves_the_request_to_file_first():
    """seller_rejected without after_sales_filed: the seller refused in chat (DESIGN.md)."""
    plan = plan_for(tried=["contacted_seller", "seller_rejected"])
    assert open_channels(plan)[:2] == ["return_7day", "official_cs"]
    assert not step(plan, "return_7day").done
    assert "只是在聊天里拒绝" in step(plan, "return_7day").note
    assert step(plan, "return_7day").deadlines  # the window is still open and shown


def test_platform_intervened_moves_to_hotline():
    plan = plan_for(tried=["after_sales_filed", "platform_intervened"])
    assert open_channels(plan)[0] == "pdd_hotline"


def test_platform_unsatisfied_goes_hotline_then_12315_and_heimao():
    plan = plan_for(tried=["after_sales_filed", "seller_rejected", "platform_unsatisfied"])
    assert open_channels(plan) == ["pdd_hotline", "c12315", "c12315_online", "heimao"]
    hotline = plan.next_step
    assert hotline.reach == "021-53395288"
    assert "400-8822528" in "\n".join(hotline.actions)  # the second number with its hours
    assert "9:00–20:00" in "\n".join(hotline.actions)
    # done steps are kept for context, after the open ones
    assert [s.channel for s in plan.steps if s.done] == ["return_7day", "official_cs"]


def test_hotline_called_goes_to_12315_and_heimao():
    plan = plan_for(tried=["platform_unsatisfied", "hotline_called"])
    assert open_channels(plan) == ["c12315", "c12315_online", "heimao"]


def test_hotline_called_alone_keeps_the_return_and_the_platform_open_first():
    plan = plan_for(tried=["hotline_called"])
    assert open_channels(plan) == [
        "return_7day",
        "official_cs",
        "c12315",
        "c12315_online",
        "heimao",
    ]
    assert [s.channel for s in plan.steps if s.done] == ["pdd_hotline"]
    assert "你还没做这一步" in step(plan, "return_7day").note
    assert "只能申请一次" in step(plan, "return_7day").note
    assert "你还没有在平台申请" in warnings_text(plan)


# U1: which `tried` states make which rung done; only what a state truly implies.
# 平台介入 is asked for from the refund page, so a refund request exists (004 §⑴.4, 000 一).
IMPLIED = {
    "contacted_seller": set(),
    "seller_no_reply": set(),
    "after_sales_filed": {"goods"},
    "seller_rejected": set(),  # alone: refused in chat, no request filed (issue 9)
    "platform_intervened": {"goods", "platform"},
    "platform_unsatisfied": {"goods", "platform"},
    "hotline_called": {"hotline"},
    "c12315_filed": {"regulator"},
}
RUNG_OF = {
    "return_7day": "goods",
    "after_sales": "goods",
    "refuse_delivery": "goods",
    "official_cs": "platform",
    "taobao_cs": "platform",
    "pdd_hotline": "hotline",
    "c12315": "regulator",
    "c12315_online": "regulator",
    "heimao": "parallel",
}
LADDER = ["goods", "platform", "hotline", "regulator", "parallel"]


@pytest.mark.parametrize("platform", ["pdd", "taobao"])
@pytest.mark.parametrize("shape", ["in_window", "after_window", "not_signed"])
def test_done_steps_are_exactly_those_the_tried_states_imply(platform, shape):
    """Every combination of `tried` states (2^8), both platforms, each goods path."""
    import itertools

    states = sorted(IMPLIED)
    for n in range(len(states) + 1):
        for tried in itertools.combinations(states, n):
            check_done_steps(set(tried), platform, shape)


def check_done_steps(tried, platform, shape):
    shapes = {
        "in_window": dict(signed_on=days_ago(3)),
        "after_window": dict(signed_on=days_ago(30)),
        "not_signed": dict(delivery="not_signed", signed_on=None),
    }
    plan = plan_for(tried=sorted(tried), platform=platform, **shapes[shape])
    implied = set().union(*(IMPLIED[t] for t in tried)) if tried else set()
    for s in plan.steps:
        assert s.done == (RUNG_OF[s.channel] in implied), (s.channel, tried)
    # open steps first, in ladder order: a skipped lower step comes before higher ones
    rungs = [LADDER.index(RUNG_OF[s.channel]) for s in plan.steps if not s.done]
    assert rungs == sorted(rungs)
    done_rungs = [RUNG_OF[s.channel] for s in plan.steps if s.done]
    for s in plan.steps:
        skipped = not s.done and any(
            LADDER.index(r) > LADDER.index(RUNG_OF[s.channel]) for r in done_rungs
        )
        if RUNG_OF[s.channel] != "parallel":
            assert ("你还没做这一步" in s.note) == skipped, (s.channel, tried, s.note)
    text = render_plan_text(plan, case_from_dict({**BASE, "platform": platform}, today=TODAY))
    assert "视为已过" not in text


def test_ux_u1_repro_hotline_logged_after_seller_silence(runner, tmp_path):
    """ux-findings U1: tried contacted_seller + seller_no_reply, then `log --tried
    hotline_called`: 发起售后 stays open and first, nothing the buyer did not do is ticked."""
    import yaml

    from buyer_helper.cli import main

    folder = tmp_path / "case1"
    folder.mkdir()
    data = copy.deepcopy(BASE)
    data.update(
        signed_on="2026-10-31",
        tried=["contacted_seller", "seller_no_reply"],
        order={**BASE["order"], "ordered_on": "2026-10-28"},
    )
    (folder / "case.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    now = "2026-11-26T10:00:00+08:00"
    logged = runner.invoke(
        main,
        [
            "log",
            str(folder),
            "打了021-53395288，工单号 123",
            "--tried",
            "hotline_called",
            "--now",
            now,
        ],
    )
    assert logged.exit_code == 0, logged.output
    assert "下一步：发起售后维权" in logged.output
    result = runner.invoke(main, ["plan", "--answers", str(folder), "--now", now])
    assert result.exit_code == 0, result.output
    todo, _, done = result.output.partition("已经做过的步骤")
    assert "第1步  发起售后维权" in todo
    assert "你还没做这一步" in todo and "只能申请一次" in todo
    assert "第2步  申请平台介入" in todo
    assert "✓ 打拼多多消费者热线" in done
    assert "✓ 发起售后" not in done and "✓ 申请平台介入" not in done
    js = json.loads(
        runner.invoke(main, ["plan", "--answers", str(folder), "--now", now, "--json"]).output
    )
    assert {s["channel"]: s["done"] for s in js["steps"]} == {
        "after_sales": False,
        "official_cs": False,
        "pdd_hotline": True,
        "c12315": False,
        "c12315_online": False,
        "heimao": False,
    }
    assert js["next_step"] == "after_sales"


def test_seller_rejected_alone_is_a_refusal_in_chat_and_says_so():
    plan = plan_for(tried=["seller_rejected"])
    assert not step(plan, "return_7day").done
    assert "只是在聊天里拒绝" in step(plan, "return_7day").note
    plan = plan_for(tried=["seller_rejected", "after_sales_filed"])
    assert "只是在聊天里拒绝" not in step(plan, "return_7day").note


def test_c12315_filed_counts_working_days_across_national_day():
    now = parse_now("2026-09-30T10:00:00+08:00")
    plan = plan_for(
        now=now,
        signed_on="2026-09-10",
        order={**BASE["order"], "ordered_on": "2026-09-05"},
        tried=["platform_unsatisfied", "hotline_called", "c12315_filed"],
        timeline=[
            {"at": "2026-09-28T15:00:00+08:00", "text": "12315网上投诉", "tried": "c12315_filed"}
        ],
    )
    assert open_channels(plan) == ["heimao"]  # 黑猫 runs in parallel
    c = step(plan, "c12315")
    assert c.done
    accept, mediate = c.deadlines
    # 9-29, 9-30, (10-1..10-7 holiday), 10-8, 10-9, 10-10 (make-up Saturday), 10-12, 10-13
    assert accept.due.date() == dt.date(2026, 10, 13)
    assert accept.due.isoformat().endswith("+08:00")
    assert "依2019年暂行办法" in accept.basis
    assert not accept.approximate
    assert mediate.due.date() > accept.due.date() + dt.timedelta(days=45)
    assert mediate.approximate  # no acceptance date logged: counted from the last possible day


def test_c12315_mediation_counts_from_a_logged_acceptance():
    now = parse_now("2026-09-10T10:00:00+08:00")
    plan = plan_for(
        now=now,
        signed_on="2026-08-20",
        order={**BASE["order"], "ordered_on": "2026-08-15"},
        tried=["c12315_filed"],
        timeline=[
            {"at": "2026-09-01T10:00:00+08:00", "text": "12315投诉", "tried": "c12315_filed"},
            {"at": "2026-09-03T10:00:00+08:00", "text": "12315已受理"},
        ],
    )
    _, mediate = step(plan, "c12315").deadlines
    assert not mediate.approximate
    assert "2026年9月3日" in mediate.basis
    # 45 working days from 9-03: skip 中秋 (9-25) and National Day (10-1..7), count the
    # make-up days 9-20 (Sun) and 10-10 (Sat); counted by hand.
    assert mediate.due.date() == dt.date(2026, 11, 11)


def test_2027_falls_back_to_weekdays_and_says_so():
    now = parse_now("2027-03-01T10:00:00+08:00")
    plan = plan_for(
        now=now,
        signed_on="2027-02-20",
        order={**BASE["order"], "ordered_on": "2027-02-01"},
        tried=["c12315_filed"],
    )
    assert plan.calendar_notes
    assert any("周一至周五" in n for n in plan.calendar_notes)
    assert step(plan, "c12315").deadlines[0].approximate
    # said once: in the calendar notes, not again among the warnings or the hours notes (R9)
    assert "周一至周五" not in warnings_text(plan)
    assert not any("周一至周五" in n for s in plan.steps for n in s.state.notes)
    data = {**BASE, "signed_on": "2027-02-20", "tried": ["c12315_filed"]}
    data["order"] = {**BASE["order"], "ordered_on": "2027-02-01"}
    case = case_from_dict(data, today=now.date())
    text = render_plan_text(route(case, now), case)
    assert text.count("不在内置日历数据中") == 1


GOODS_STATES = ("contacted_seller", "seller_no_reply", "after_sales_filed", "seller_rejected")


def test_every_tried_state_changes_or_annotates_the_plan():
    base = plan_to_dict(plan_for(problem="seller_harassment", story="有你地址"))
    for state in TRIED:
        other = plan_to_dict(plan_for(problem="seller_harassment", story="有你地址", tried=[state]))
        if state == "refused_delivery":  # only a not-signed parcel can be refused
            ns = dict(delivery="not_signed", signed_on=None)
            other = plan_to_dict(plan_for(tried=[state], **ns))
            assert other != plan_to_dict(plan_for(**ns)), state
        elif state in GOODS_STATES:
            other = plan_to_dict(plan_for(tried=[state]))
            base_goods = plan_to_dict(plan_for())
            assert other != base_goods, state
        else:
            assert other != base, state


# ------------------------------------------------------------------ 12315 number


@pytest.mark.parametrize(
    "city,expected",
    [
        ("浙江省金华市", ("0579", "浙江省金华市")),
        ("广州", ("020", "广东省广州市")),
        ("广东省广州市天河区", ("020", "广东省广州市")),
        ("上海市", ("021", "上海市")),
        ("北京市朝阳区", ("010", "北京市")),
        ("杭州", ("0571", "浙江省杭州市")),
        ("吉林省长春市", ("0431", "吉林省长春市")),
        ("吉林市", ("0432", "吉林省吉林市")),
        ("延边", ("0433", "吉林省延边朝鲜族自治州、珲春市、延吉市")),
        ("海南省三亚市", ("0898", "海南省海口市、三亚市")),
        ("新疆乌鲁木齐", ("0991", "新疆维吾尔自治区乌鲁木齐市")),
    ],
)
def test_area_code_from_phonenumbers(city, expected):
    assert area_code_for(city) == expected


@pytest.mark.parametrize("city", ["浙江省义乌市", "义乌", "浙江", "", "asdf", "中国", "吕梁"])
def test_area_code_unknown_or_ambiguous(city):
    # 义乌 is a county-level city the geocoder data does not list; 吕梁 shares its
    # description with 晋中 under two codes, so the data cannot tell.
    assert area_code_for(city) is None


def c12315(plan):
    return step(plan, "c12315")


def test_12315_number_uses_the_sellers_city():
    s = c12315(plan_for(seller_city="浙江省金华市"))
    assert s.reach == "0579-12315"
    text = "\n".join(s.actions)
    assert "0579-12315" in text and "2026年4月15日" in text
    assert "021-12315" in text  # the platform's domicile when the address fails
    assert "全国12315平台" in text


def test_12315_number_yiwu_not_found_does_not_send_the_buyer_to_021():
    # FACTS.md §6: from 2026-04-15 the shop's shown address decides; 021 only when none is shown
    s = c12315(plan_for(seller_city="浙江省义乌市"))
    assert "021" not in s.reach and "021" not in s.title
    assert s.reach == "商家所在地区号-12315"
    first = s.actions[0]
    assert "021" not in first and "区号" in first
    text = "\n".join(s.actions)
    assert "义乌" in text and "全国12315平台" in text
    fallback = next(a for a in s.actions if "021-12315" in a)
    assert "没有公示地址" in fallback


def test_12315_without_city_says_to_look_up_the_shop_address_first():
    # FACTS §6: from 2026-04-15 the shop's shown address decides; the platform's domicile
    # (021 拼多多 / 0571 淘宝) is the number only when no address is shown
    for platform, code in (("pdd", "021"), ("taobao", "0571")):
        s = c12315(plan_for(platform=platform, seller_city=None))
        assert s.title == "向12315投诉（区号+12315）"
        assert code not in s.reach
        first = s.actions[0]
        assert "店铺页" in first and "区号-12315" in first and code not in first
        fallback = next(a for a in s.actions if f"{code}-12315" in a)
        assert "没有公示地址" in fallback
    assert c12315(plan_for(seller_city="广州")).reach == "020-12315"
    assert c12315(plan_for(seller_city="广州")).title == "向12315投诉（电话：020-12315）"


def test_12315_without_city_before_2026_04_15_gives_the_platform_number():
    now = parse_now("2026-03-02T10:00:00+08:00")
    plan = plan_for(
        now=now,
        signed_on="2026-02-28",
        order={**BASE["order"], "ordered_on": "2026-02-20"},
        seller_city=None,
    )
    assert c12315(plan).reach == "021-12315"


def test_12315_rule_before_2026_04_15_is_the_2019_rule():
    now = parse_now("2026-03-02T10:00:00+08:00")
    plan = plan_for(
        now=now,
        signed_on="2026-02-28",
        order={**BASE["order"], "ordered_on": "2026-02-20"},
        seller_city="广州",
    )
    text = "\n".join(c12315(plan).actions)
    assert "2019" in text and "两者都可以" in text
    assert "020-12315" in text and "021-12315" in text


def test_12315_phone_state_and_online_always_open():
    night = parse_now("2026-11-23T22:00:00+08:00")
    plan = plan_for(now=night, tried=["hotline_called"])
    assert c12315(plan).state.status == "closed"
    assert c12315(plan).state.next_open == dt.datetime(2026, 11, 24, 8, 30, tzinfo=SHANGHAI)
    online = step(plan, "c12315_online")
    assert online.state.open_now and online.state.next_open is None


def test_12315_asks_for_contact_when_missing():
    s = c12315(plan_for())
    assert any("还没填全" in h for h in s.have_ready)
    full = c12315(plan_for(contact={"name": "李明", "phone": "13800138000", "address": "北京"}))
    assert not any("还没填全" in h for h in full.have_ready)


# ------------------------------------------------------------------ properties

KNOWN = set(load_channels())
CITIES = ["", "广州", "浙江省义乌市", "浙江省金华市", "上海", "北京市朝阳区", "xx"]
STORY_BITS = ["", "漏水", "商家骂我有病", "有你地址", "加微信私下交易", "好评返现", "威胁"]


@st.composite
def cases(draw):
    today = draw(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
    hour = draw(st.integers(0, 23))
    now = dt.datetime.combine(today, dt.time(hour, 7), tzinfo=SHANGHAI)
    delivery = draw(st.sampled_from(sorted(DELIVERY)))
    signed_ago = draw(st.integers(0, 60))
    signed = today - dt.timedelta(days=signed_ago)
    ordered = signed - dt.timedelta(days=draw(st.integers(0, 20)))
    tried = draw(st.lists(st.sampled_from(sorted(TRIED)), unique=True, max_size=5))
    timeline = [
        {"at": (now - dt.timedelta(hours=i + 1)).isoformat(), "text": f"事件{i}", "tried": t}
        for i, t in enumerate(tried)
    ]
    data = {
        "platform": draw(st.sampled_from(["pdd", "taobao"])),
        "problem": draw(st.sampled_from(sorted(PROBLEMS))),
        "delivery": delivery,
        "tried": tried,
        "order": {
            "id": "231118-0945",
            "shop": "店",
            "item": "杯子",
            "amount": "9.90",
            "ordered_on": ordered.isoformat(),
        },
        "demand": draw(st.sampled_from(sorted(DEMANDS))),
        "story": draw(st.sampled_from(STORY_BITS)),
        "seller_city": draw(st.sampled_from(CITIES)),
        "timeline": draw(st.sampled_from([[], timeline])),
    }
    if delivery != "not_signed":
        data["signed_on"] = signed.isoformat()
    return case_from_dict(data, today=today), now, signed_ago


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_valid_case_gives_a_sound_plan(args):
    case, now, signed_ago = args
    plan = route(case, now)
    ids = channels(plan)
    assert ids, "empty plan"
    assert set(ids) <= KNOWN
    if case.delivery != "not_signed":
        assert "refuse_delivery" not in ids
    if case.delivery != "signed" or signed_ago > 7:
        assert "return_7day" not in ids
    # open steps first, done steps after
    flags = [s.done for s in plan.steps]
    assert flags == sorted(flags)
    for s in plan.steps:
        assert s.state is not None and s.state.status in ("open", "maybe", "closed")
        assert s.actions and s.sources and s.title and s.reach
        for d in s.deadlines:
            assert d.due.utcoffset() == dt.timedelta(hours=8)
            assert d.label and d.basis and d.source
    assert plan.warnings and all(w.text and w.source for w in plan.warnings)
    # pure: the same input gives the same plan, and it serialises
    again = plan_to_dict(route(case, now), case)
    assert json.dumps(plan_to_dict(plan, case), ensure_ascii=False) == json.dumps(
        again, ensure_ascii=False
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_area_code_lookup_never_fails_on_any_text(text):
    found = area_code_for(text)
    if found is not None:
        code, place = found
        assert code.startswith("0") and code[1:].isdigit() and 3 <= len(code) <= 4
        assert place


def test_negated_words_do_not_add_a_report_or_the_police():
    plan = plan_for(story="商家态度还行，没有骂人，也没有威胁我，就是不给退")
    assert "举报" not in plan.steps[1].title
    assert "police" not in channels(plan)
    assert "对骂" not in warnings_text(plan)


# ------------------------------------------------------------------ facts audit


def test_plan_carries_misconduct_kinds_and_threat():
    plan = plan_for(story="商家骂我有病，还让我加微信")
    assert plan.misconduct == ["seller_abuse", "off_platform"]
    assert plan.misconduct_detected and not plan.threat
    plain = plan_for(problem="seller_abuse", story="商家说我有病")
    assert plain.misconduct == ["seller_abuse"] and not plain.misconduct_detected
    assert plan_for(problem="seller_harassment", story="有你地址").threat


def test_a_curse_is_harassment_not_a_threat_to_call_the_police_about():
    # FACTS.md §3 (000 二): "你全家…" is a curse (诅咒); threats are "有你地址" and the like
    plan = plan_for(story="商家骂“你全家都不得好死”")
    assert "police" not in channels(plan)
    assert not plan.threat
    assert "seller_harassment" in plan.misconduct  # still reported to the platform
    assert "110" not in warnings_text(plan)


def test_statutory_damages_only_for_fake_goods_and_only_if_found_fraud():
    quality = plan_for(demand="compensation")
    text = "\n".join(step(quality, "c12315").actions) + warnings_text(quality)
    assert "三倍" not in text and "第五十五条" not in text and "退一赔三" not in text
    fake = plan_for(problem="fake_goods", demand="compensation")
    actions = "\n".join(step(fake, "c12315").actions)
    assert "如经认定欺诈" in actions and "第五十五条" in actions
    assert "如经认定欺诈" in warnings_text(fake)


def test_seller_48_hours_is_not_called_an_automatic_refund():
    plan = plan_for(
        tried=["after_sales_filed"],
        timeline=[{"at": "2026-11-21T09:10", "text": "申请售后", "tried": "after_sales_filed"}],
    )
    clock = plan.next_step.deadlines[0]
    assert "自动退款" not in clock.label
    assert "不是自动退款的时间" in clock.basis and clock.source == "004 §⑻.2"
    assert "11月21日" in clock.basis  # not zero-padded
    late = plan_for(signed_on=days_ago(20))
    text = "\n".join(step(late, "after_sales").actions)
    assert "约48小时" in text and "自动退款" in text
    sentence = next(a for a in step(late, "after_sales").actions if "48小时" in a)
    assert "不要把48小时当成自动退款的时间" in sentence


def test_fallback_note_names_only_the_years_it_was_used_for():
    # filed on 2026-12-28: 7 working days end in 2027; 2026 has calendar data
    now = parse_now("2026-12-29T10:00:00+08:00")
    plan = plan_for(
        now=now,
        signed_on="2026-12-10",
        order={**BASE["order"], "ordered_on": "2026-12-01"},
        tried=["c12315_filed"],
        timeline=[{"at": "2026-12-28T10:00", "text": "12315投诉", "tried": "c12315_filed"}],
    )
    notes = "\n".join(plan.calendar_notes)
    assert "2027年" in notes and "2026年" not in notes


def test_12315_contents_are_labelled_as_the_2019_measures_after_2026_04_15():
    s = c12315(plan_for())
    content = next(a for a in s.actions if "投诉内容" in a)
    assert "第九条" in content and "依2019年暂行办法，以现行规定为准" in content
    assert "依2019年暂行办法" in s.have_ready[0]
    before = c12315(
        plan_for(
            now=parse_now("2026-03-02T10:00:00+08:00"),
            signed_on="2026-02-28",
            order={**BASE["order"], "ordered_on": "2026-02-20"},
        )
    )
    assert "以现行规定为准" not in next(a for a in before.actions if "投诉内容" in a)


def test_taobao_penalty_points_only_for_harassment():
    abuse = plan_for(platform="taobao", problem="seller_abuse", story="商家骂我有病")
    assert "扣12分" not in "\n".join(step(abuse, "taobao_cs").actions)
    harass = plan_for(platform="taobao", problem="seller_harassment", story="半夜打电话骚扰")
    assert "扣12分" in "\n".join(step(harass, "taobao_cs").actions)


def test_no_unsourced_predictions_or_advice():
    expired = plan_for(problem="no_reason_return", signed_on=days_ago(12))
    seller = step(expired, "seller")
    text = "\n".join([*seller.actions, seller.if_fails])
    assert "一般不会支持" not in text and "运费一般由你承担" not in text
    plan = plan_for(tried=["hotline_called"])
    everything = json.dumps(plan_to_dict(plan), ensure_ascii=False)
    assert "选一个即可" not in everything and "不代替" not in everything


def test_hotline_numbers_come_from_the_channel_data():
    from buyer_helper.facts.channels import get_channel, load_data

    plan = plan_for(tried=["after_sales_filed", "platform_intervened"])
    hotline = step(plan, "pdd_hotline")
    text = "\n".join(hotline.actions)
    assert get_channel("pdd_hotline").reach in hotline.title
    assert get_channel("pdd_400").reach in text
    for x in load_data().not_for_buyers:
        assert x.number in next(a for a in hotline.actions if "不要拨打" in a)


def test_once_only_after_sales_is_said_for_pinduoduo_only():
    # FACTS.md §1 (004 §⑴.3) is about 拼多多's after-sales; nothing is stated for 淘宝
    pdd = plan_for(signed_on=days_ago(20))
    assert "只能申请一次" in step(pdd, "after_sales").title
    assert "售后只能申请一次" in warnings_text(pdd)
    tb = plan_for(platform="taobao", signed_on=days_ago(20))
    s = step(tb, "after_sales")
    assert "只能" not in s.title + "\n".join(s.actions) + warnings_text(tb)
    assert "淘宝App" in s.reach and "拼多多" not in s.reach


def test_12315_step_carries_why_this_number_for_the_texts():
    from buyer_helper.decide.routing import regulator_number

    plan = plan_for(seller_city="浙江省金华市")
    case = case_from_dict({**BASE, "seller_city": "浙江省金华市"}, today=TODAY)
    assert c12315(plan).reach_lines == regulator_number(case, TODAY).lines
    assert any("0579" in line for line in c12315(plan).reach_lines)


def test_harassment_without_a_threat_is_not_called_a_threat():
    data = {**BASE, "problem": "seller_harassment", "story": "商家半夜打电话骚扰我"}
    case = case_from_dict(data, today=TODAY)
    plan = route(case, NOW)
    assert not plan.threat
    text = render_plan_text(plan, case)
    assert "威胁" not in text.split("\n")[1]  # the 情况 line
    # night-time contact is harassment (000 二), not a reason for 110 by itself (000 三)
    assert "police" not in channels(plan)
    assert "如果商家威胁" in warnings_text(plan) and "深夜" not in warnings_text(plan)


@pytest.mark.parametrize(
    "overrides, reason",
    [
        (dict(problem="quality", signed_on=days_ago(3)), "质量问题"),
        (dict(problem="damaged", signed_on=days_ago(30)), "质量问题"),
        (dict(problem="not_as_described", signed_on=days_ago(3)), "与描述不符"),
        (dict(problem="not_as_described", signed_on=days_ago(30)), "与描述不符"),
        (dict(problem="damaged", delivery="not_signed", signed_on=None), None),
        (dict(problem="not_received", signed_on=days_ago(3)), None),
        (dict(problem="no_reason_return", signed_on=days_ago(3)), None),
    ],
)
def test_reason_warning_names_the_buyers_actual_reason(overrides, reason):
    """P5: "不要同意把退款原因从…改成" only when the buyer's reason is a goods problem, in its
    own words; never for a refused parcel (reason 未收到货)."""
    plan = plan_for(**overrides)
    text = warnings_text(plan)
    if reason is None:
        assert "不要同意把退款原因" not in text
        return
    assert f"不要同意把退款原因从“{reason}”改成" in text
    goods = plan.steps[0]
    assert f"“{reason}”" in "\n".join(goods.actions)
    if reason != "质量问题":
        assert "原因选“质量问题”" not in "\n".join(goods.actions)


INTERNAL = ("FACTS", "phonenumbers")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    platform=st.sampled_from(["pdd", "taobao"]),
    problem=st.sampled_from(sorted(PROBLEMS)),
    delivery=st.sampled_from(sorted(DELIVERY)),
    tried=st.sets(st.sampled_from(sorted(TRIED))),
    city=st.sampled_from([None, "金华", "义乌", "上海"]),
    story=st.sampled_from(["杯子漏水。", "商家骂我，还说有你地址。", "商家让我加微信，好评返现。"]),
)
def test_no_internal_references_reach_the_buyer(platform, problem, delivery, tried, city, story):
    """P1: the plan (text and JSON) cites seeds and laws, never FACTS.md or the phonenumbers
    library; the area-code explanation says 号码区号数据."""
    data = copy.deepcopy(BASE)
    data.update(platform=platform, problem=problem, delivery=delivery, tried=sorted(tried),
                story=story)  # fmt: skip
    if delivery == "not_signed":
        data.pop("signed_on")
    if city:
        data["seller_city"] = city
    case = case_from_dict(data, today=TODAY)
    plan = route(case, NOW)
    text = render_plan_text(plan, case) + json.dumps(plan_to_dict(plan, case), ensure_ascii=False)
    for word in INTERNAL:
        assert word not in text
    if city == "金华":
        assert "号码区号数据" in text


@pytest.mark.parametrize("tried", [[], ["platform_unsatisfied", "hotline_called", "c12315_filed"]])
def test_2019_measures_cited_after_2026_04_15_carry_the_label(tried):
    """P3: after the new measures took over, a 2019 暂行办法 citation says so on the same line."""
    from buyer_helper.facts.channels import load_data

    reg = load_data().regulator
    plan = plan_for(tried=tried, seller_city="金华")
    case = case_from_dict({**BASE, "tried": tried, "seller_city": "金华"}, today=TODAY)
    text = render_plan_text(plan, case)
    lines = [ln for ln in text.splitlines() if reg.old_rules_name in ln or "暂行办法第" in ln]
    assert lines
    for line in lines:
        assert reg.old_rules_label in line, line
    data = plan_to_dict(plan, case)
    for s in data["steps"]:
        for d in s["deadlines"]:
            if reg.old_rules_name in d["source"]:
                assert reg.old_rules_label in d["basis"] + d["source"]


U5_STORY = (
    '商家说"<b>羊毛</b>就是这样的 & 不退"，还说可以加微信 wx_abc123 私下返我50元，'
    '让我给好评…驳回，理由是"影响二次销售"'
)


def test_u5_story_reports_diversion_and_cash_for_a_good_review():
    """ux-findings U5: 加微信/私下 is 导流 (001 第一部分 1–2); 返…让我给好评 is 好评返现
    (001 场景四); both get the reporting step and their warnings."""
    plan = plan_for(story=U5_STORY)
    assert plan.misconduct == ["off_platform", "bribe_for_review"]
    assert plan.misconduct_detected
    platform = step(plan, "official_cs")
    assert "导流" in platform.title and "好评返现" in platform.title
    text = warnings_text(plan)
    assert "一律拒绝" in text and "返现换你删差评或改好评" in text


@pytest.mark.parametrize(
    "story, kind",
    [
        ("商家说给你返现10元，把差评删了", "bribe_for_review"),
        ("卖家让我改好评，答应返现", "bribe_for_review"),
        ("商家说删了差评就给我退款，要我删差评", "bribe_for_review"),
        ("客服说好评返现5元", "bribe_for_review"),
        ("商家说加V聊", "off_platform"),
        ("商家让我加我微信发视频", "off_platform"),
        ("商家说直接微信转你钱", "off_platform"),
        ("商家叫我私下交易便宜点", "off_platform"),
        ("商家发了个二维码让我扫码付款", "off_platform"),
        ("商家说退款转到银行卡", "off_platform"),
    ],
)
def test_misconduct_words_from_the_seeds_are_read(story, kind):
    assert kind in plan_for(story=story).misconduct


@pytest.mark.parametrize(
    "story",
    [
        "商家要我删差评",  # nothing offered: not 利诱删评 (001 场景四; FACTS.md §4a)
        "商家说不删差评就把你个人信息卖到网站上",
        "商家威胁我删差评，否则后果自负",
    ],
)
def test_a_demand_to_delete_a_review_without_an_offer_is_no_bribe(story):
    assert "bribe_for_review" not in plan_for(story=story).misconduct


@pytest.mark.parametrize(
    "story",
    [
        "商家说要把你个人信息卖到黑产网站",
        "客服说给你手机植入病毒",
        "商家让我删差评，否则后果自负",
        "商家威胁我删差评",
    ],
)
def test_threats_beyond_the_address_get_the_police_and_a_platform_report(story):
    """FACTS.md §4a: exposing personal information, attacking the phone, 后果自负 over a review."""
    plan = plan_for(story=story)
    assert plan.threat
    assert open_channels(plan)[0] == "police"
    assert "official_cs" in open_channels(plan)
    assert "seller_harassment" in plan.misconduct
    assert "bribe_for_review" not in plan.misconduct


@pytest.mark.parametrize(
    "story",
    [
        "杯子漏水。",
        "我在微信公众号“拼多多”找了平台客服",
        "商家没有让我加微信，也没提返现",
        "商家没让我删差评",
        "退款已经原路退回",
    ],
)
def test_ordinary_or_negated_words_add_no_misconduct(story):
    assert plan_for(story=story).misconduct == []


def bracket_troubles(text: str) -> list[str]:
    """Lines with a （…（…）…） inside another or two brackets in a row （…）（…）."""
    bad = []
    for line in text.splitlines():
        depth = 0
        for ch in line:
            depth += ch == "（"
            if depth >= 2:
                bad.append(line)
                break
            depth = max(0, depth - (ch == "）"))
        if "）（" in line:
            bad.append(line)
    return bad


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    platform=st.sampled_from(["pdd", "taobao"]),
    problem=st.sampled_from(sorted(PROBLEMS)),
    delivery=st.sampled_from(sorted(DELIVERY)),
    tried=st.sets(st.sampled_from(sorted(TRIED))),
    city=st.sampled_from([None, "金华", "义乌市稠城"]),
    at=st.sampled_from(["2026-11-23T22:30:00+08:00", "2026-10-10T15:00:00+08:00", NOW.isoformat()]),
)
def test_plan_text_has_no_nested_or_doubled_brackets(platform, problem, delivery, tried, city, at):
    """P4: "（…（…））" and "（…）（…）" read badly; law names go in 《》, qualifiers share one
    bracket."""
    now = parse_now(at)
    data = copy.deepcopy(BASE)
    data.update(platform=platform, problem=problem, delivery=delivery, tried=sorted(tried),
                story="商家骂我，说有你地址，还让我加微信，好评返现")  # fmt: skip
    data["signed_on"] = (now.date() - dt.timedelta(days=3)).isoformat()
    if delivery == "not_signed":
        data.pop("signed_on")
    if city:
        data["seller_city"] = city
    case = case_from_dict(data, today=now.date())
    assert bracket_troubles(render_plan_text(route(case, now), case)) == []


def test_a_state_logged_only_on_the_timeline_counts():
    """A hand-edited case.yaml may have the timeline event without the `tried` entry."""
    plan = plan_for(
        tried=[],
        timeline=[{"at": "2026-11-22T10:00:00+08:00", "text": "申请了售后",
                   "tried": "after_sales_filed"}],
    )  # fmt: skip
    assert step(plan, "return_7day").done
    assert "售后只能申请一次" not in warnings_text(plan)


@pytest.mark.parametrize(
    "story",
    [
        "商家半夜一直打电话给我",
        "商家频繁联系我，一天十几个电话",
        "商家凌晨发消息骂人之外还深夜来电",
    ],
)
def test_frequent_or_late_night_contact_is_harassment(story):
    from buyer_helper.decide.storywords import misconduct_in

    assert "seller_harassment" in misconduct_in(story)


# ------------------------------------------------------------------ story words: false positives


@pytest.mark.parametrize(
    "story",
    [
        "商家说把你地址发我，给你补发",
        "商家威胁说不给退款",
        "商家威胁我要给差评就不退款",
        "商家威胁说不给退款，家里人都很生气",
    ],
)
def test_reshipment_or_refund_pressure_is_not_a_police_matter(story):
    plan = plan_for(story=story)
    assert not plan.threat
    assert "police" not in channels(plan)
    assert "110" not in warnings_text(plan)


def test_a_threat_without_person_words_is_still_harassment():
    plan = plan_for(story="商家威胁说不给退款")
    assert "seller_harassment" in plan.misconduct


@pytest.mark.parametrize(
    "story",
    [
        "商家发消息：有你地址，小心点",
        "商家说知道你地址，会上门找你",
        "卖家说去你地址找你",
        "商家威胁说知道我家在哪",
        "商家威胁要上门打我",
        "商家威胁说，知道我家在哪",
        "商家威胁我说：“小心你家人”",
    ],
)
def test_threats_to_the_person_or_home_call_the_police(story):
    plan = plan_for(story=story)
    assert plan.threat
    assert plan.steps[0].channel == "police"


@pytest.mark.parametrize(
    "story",
    ["快递员让我扫码签收", "退款会原路转账给你", "商家要我先转账运费"],
)
def test_ordinary_transfer_or_scan_words_are_not_off_platform(story):
    plan = plan_for(story=story)
    assert "off_platform" not in plan.misconduct
    assert all("导流" not in s.title for s in plan.steps)


@pytest.mark.parametrize(
    "story",
    ["商家让我微信转账给他", "商家说私下转账便宜点", "商家说扫这个码付款", "让我扫码付款"],
)
def test_paying_outside_the_platform_is_off_platform(story):
    assert "off_platform" in plan_for(story=story).misconduct


def test_an_idiom_with_mei_is_not_a_negation():
    plan = plan_for(story="商家没完没了地骂我")
    assert "seller_abuse" in plan.misconduct
    assert "seller_abuse" not in plan_for(story="商家没骂我").misconduct


def test_the_skipped_step_note_cites_the_seeds_for_the_order_not_article_39():
    # 第三十九条 lists the routes (FACTS §5); the order is advice from 004 §⑴.4–5 and 003
    plan = plan_for(tried=["hotline_called"])
    note = step(plan, "return_7day").note
    assert "004 §⑴.4–5" in note and "建议" in note
    assert "第三十九条：先和商家协商" not in note
    assert "没有规定这个顺序" in note


def test_after_filing_the_platform_step_says_to_wait_for_the_seller_first():
    plan = plan_for(
        tried=["after_sales_filed"],
        timeline=[{"at": "2026-11-22T09:10", "text": "申请售后", "tried": "after_sales_filed"}],
    )
    nxt = plan.next_step
    assert nxt.channel == "official_cs"
    assert nxt.title.startswith("等商家处理；驳回或不处理再申请平台介入")
    first = nxt.actions[0]
    assert "先等商家处理" in first and "约48小时" in first and "004 §⑻.2" in first
    assert "11月24日" in first and "09:10" in first  # until filed + ~48h
    assert "驳回或不处理时，再申请平台介入" in first
    # the goods step's own remaining instruction stays visible
    assert any("寄回" in a and "快递单号" in a for a in nxt.actions)


def test_after_the_sellers_48_hours_the_step_says_they_have_passed():
    later = parse_now("2026-11-24T10:30:00+08:00")
    plan = plan_for(
        now=later,
        tried=["after_sales_filed"],
        timeline=[{"at": "2026-11-21T09:10", "text": "申请售后", "tried": "after_sales_filed"}],
    )
    first = plan.next_step.actions[0]
    assert "已经过了" in first and "申请平台介入" in first
    assert "先等商家处理" not in first


def test_after_filing_without_a_time_still_waits_and_taobao_waits_too():
    plan = plan_for(tried=["after_sales_filed"])
    assert "先等商家处理" in plan.next_step.actions[0]
    assert "大约到" not in plan.next_step.actions[0]
    tb = plan_for(platform="taobao", tried=["after_sales_filed"])
    assert tb.next_step.title.startswith("等商家处理")
    assert "淘宝小二介入" in tb.next_step.actions[0] and "48" not in tb.next_step.actions[0]


@pytest.mark.parametrize(
    "tried", [["after_sales_filed", "seller_rejected"], ["after_sales_filed", "seller_no_reply"]]
)
def test_rejected_or_ignored_asks_for_platform_intervention_now(tried):
    nxt = plan_for(tried=tried).next_step
    assert "等商家处理" not in nxt.title and "申请平台介入" in nxt.title
    assert not any("先等商家处理" in a for a in nxt.actions)


# ------------------------------------------------------------------ terminal-only hints

HINT_WORDS = ("buyer-helper", "FACTS", "phonenumbers")


def _all_scenario_plans():
    import itertools

    for platform, problem, delivery, tried, city in itertools.product(
        ["pdd", "taobao"],
        sorted(PROBLEMS),
        sorted(DELIVERY),
        [[], ["after_sales_filed"], ["seller_rejected", "platform_intervened", "hotline_called"]],
        [None, "金华", "火星城"],
    ):
        data = copy.deepcopy(BASE)
        data.update(platform=platform, problem=problem, delivery=delivery, tried=tried,
                    story="商家骂我，说有你地址，还让我加微信")  # fmt: skip
        if delivery == "not_signed":
            data.pop("signed_on")
        if city:
            data["seller_city"] = city
        yield route(case_from_dict(data, today=TODAY), NOW)


def test_no_plan_text_for_letters_or_the_pdf_names_commands_or_internal_files():
    """Step.actions/have_ready/if_fails/note/deadlines go into texts and the PDF; the
    buyer-helper commands live in Step.hints (terminal only)."""
    hints = []
    for plan in _all_scenario_plans():
        for s in plan.steps:
            texts = [s.title, *s.actions, *s.have_ready, s.if_fails, s.note, *s.sources]
            texts += [f"{d.label} {d.basis} {d.source}" for d in s.deadlines]
            for text in texts:
                assert not any(w in text for w in HINT_WORDS), (s.channel, text)
            hints += s.hints
        for w in plan.warnings:
            assert not any(x in w.text + w.source for x in HINT_WORDS), w.text
    assert any("buyer-helper log" in h for h in hints)
    assert any("buyer-helper letter" in h for h in hints)
    assert any("buyer-helper bundle" in h for h in hints)
    assert any("根据你描述里的字眼" in h for h in hints)


def test_hints_are_printed_in_the_terminal_plan_and_carried_in_json():
    data = copy.deepcopy(BASE)
    data["story"] = "商家让我加微信"
    case = case_from_dict(data, today=TODAY)
    plan = route(case, NOW)
    text = render_plan_text(plan, case)
    hint = "电话要点可以这样生成：buyer-helper letter pdd_hotline --answers 案子文件夹"
    assert "提示：" + hint in text
    assert "提示：这一项是根据你描述里的字眼加上的" in text
    cs = step(plan, "official_cs")
    assert not any("根据你描述里的字眼" in a for a in cs.actions)
    as_json = plan_to_dict(plan, case)
    hotline = next(s for s in as_json["steps"] if s["channel"] == "pdd_hotline")
    assert any("buyer-helper log" in h for h in hotline["hints"])
    assert not any("buyer-helper" in a for a in hotline["actions"])
