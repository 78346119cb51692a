"""Complaint texts for every channel, rendered from the jinja2 templates in `templates/`.

The templates hold the wording; `template_facts.py` prepares the facts they may use (a plain dict
of strings built from the Case and the Plan, with the law articles `law.py` picks); this module
chooses the texts for a plan, fits form limits from `channels.yaml`, and checks every output
(`textcheck.finish_text`): no `None`, no template leftovers, no doubled punctuation, no more
than one blank line in a row. The buyer's own words (the story, quotes,
timeline entries) are never changed beyond removing control characters and surplus blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..casefile.case import MISCONDUCT, TRIED, Case, load_case
from ..casefile.casefolder import EVIDENCE_DIR, OUT_DIR
from ..casefile.fileio import write_text_atomic
from ..decide.plan import DISCLAIMER, Plan, Step
from ..errors import BuyerHelperError
from ..evidence.files import EvidenceName
from ..facts.hours import cn_date
from ..facts.law import is_fresh
from ..facts.tz import to_shanghai
from .letter import FIELD_LABELS, Letter
from .outfolder import (  # noqa: F401  (re-exported: demo, tests)
    MANIFEST,
    README,
    WriteResult,
    read_manifest,
    summary_lines,
    write_letters,
)
from .template_facts import build_facts, user_strings
from .textcheck import finish_text

# ------------------------------------------------------------------ the texts


@dataclass(frozen=True)
class TextSpec:
    """One kind of text: which template renders it, what it is for, which form limits apply.

    purpose picks the law articles (law.laws_for): "seller" the first message to the seller,
    "form" a short description in an app form, "platform" asking the platform to act,
    "regulator" a 12315 complaint, "none" no articles (黑猫, the misconduct report).
    """

    template: str
    title: str
    purpose: str
    # limit name in channels.yaml -> (field template, or None when the limit is for the whole text)
    limits: tuple[tuple[str, str | None], ...] = ()
    levels: int = 1  # how many detail levels the limited templates offer (0 = fullest)


_WHOLE_MESSAGE = (("message", None),)
_WHOLE_DESCRIPTION = (("description", None),)

# Texts for every platform, in the order `letters` lists them: the goods step's, the platforms'
# written messages (their customer service), the misconduct report, the platforms' phone
# scripts, then 12315 and 黑猫. A platform's own channels get their texts from platforms.yaml
# (`texts:` channel id → title): a phone channel a phone script, a chat a message, an in-app
# form (kind path) a description.
_GOODS_TEXTS: dict[str, TextSpec] = {
    "seller": TextSpec(
        "seller.txt.j2", "给商家的第一条消息（平台内聊天）", "seller", _WHOLE_MESSAGE
    ),
    "refuse_delivery": TextSpec(
        "refuse_delivery.txt.j2", "仅退款（未收到货）申请说明", "form", _WHOLE_DESCRIPTION, 3
    ),
    "return_7day": TextSpec(
        "after_sales.txt.j2", "7天质量问题退货退款：申请说明", "form", _WHOLE_DESCRIPTION, 3
    ),
    "after_sales": TextSpec(
        "after_sales.txt.j2", "售后维权：问题说明", "form", _WHOLE_DESCRIPTION, 3
    ),
}
_MISCONDUCT_SPEC = TextSpec(
    "misconduct.txt.j2", "举报商家违规（发给平台官方客服）", "none", _WHOLE_MESSAGE, 2
)
_REGULATOR_TEXTS: dict[str, TextSpec] = {
    "c12315": TextSpec("phone_12315.txt.j2", "电话脚本：12315 投诉", "regulator"),
    "c12315_online": TextSpec(
        "c12315_online.txt.j2",
        "全国12315平台网上投诉：填写内容",
        "regulator",
        (("description", "c12315_facts.txt.j2"),),
        5,
    ),
    "heimao": TextSpec(
        "heimao.txt.j2",
        "黑猫投诉：填写内容",
        "none",
        (("title", "heimao_title.txt.j2"), ("description", "heimao_description.txt.j2")),
        5,
    ),
}


def _platform_spec(kind: str, title: str) -> TextSpec:
    if kind == "phone":
        return TextSpec("phone_platform.txt.j2", title, "platform")
    limits = _WHOLE_DESCRIPTION if kind == "path" else _WHOLE_MESSAGE
    return TextSpec("platform_cs.txt.j2", title, "platform", limits, 7)


@lru_cache(maxsize=4)
def _texts_for(files: tuple[Path, ...]) -> dict[str, TextSpec]:
    from ..facts.channels import load_channels
    from ..facts.platforms import load_platforms

    channels = load_channels()
    written: dict[str, TextSpec] = {}
    phone: dict[str, TextSpec] = {}
    for pid, platform in load_platforms().items():
        if platform.app != pid:
            continue  # 天猫: 淘宝's channels, 淘宝's texts
        for cid, title in platform.texts.items():
            kind = channels[cid].kind
            (phone if kind == "phone" else written)[cid] = _platform_spec(kind, title)
    return {
        **_GOODS_TEXTS,
        **written,
        MISCONDUCT_TEXT: _MISCONDUCT_SPEC,
        **phone,
        **_REGULATOR_TEXTS,
    }


def texts() -> dict[str, TextSpec]:
    """Every text by id (a channel id, or "misconduct"), in the order `letters` lists them."""
    from ..facts.platforms import platform_files

    return _texts_for(platform_files())


def platform_cs_texts() -> frozenset[str]:
    """Written messages to a platform's customer service (in the app, the WeChat account,
    淘宝小二): the misconduct report goes with them."""
    return frozenset(t for t, spec in texts().items() if spec.template == "platform_cs.txt.j2")


def __getattr__(name: str):
    """TEXTS and PLATFORM_CS, read from the loaded platforms when asked for."""
    if name == "TEXTS":
        return texts()
    if name == "PLATFORM_CS":
        return platform_cs_texts()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MISCONDUCT_TEXT = "misconduct"


# ---------------------------------------------------------------- jinja2


def make_environment(loader):
    """Plain-text jinja2: no HTML escaping, a missing name is an error (StrictUndefined)."""
    import jinja2

    return jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    from ..facts.resources import data_path

    return make_environment(jinja2.FileSystemLoader(str(data_path("templates"))))


def environment():
    """The environment templates are loaded from (tests may replace it)."""
    return _environment()


def _render(template: str, context: dict, notes: list[str]) -> str:
    import jinja2

    def fill(label: str) -> str:
        """A clearly visible gap the buyer must fill in before sending."""
        if label not in notes:
            notes.append(label)
        return f"（请填写：{label}）"

    try:
        return environment().get_template(template).render(**context, fill=fill)
    except jinja2.UndefinedError as e:
        raise BuyerHelperError(
            f"模板 {template} 用到了没有提供的内容：{e.message}。请检查模板里的字段名。",
            exit_code=70,
        ) from None
    except jinja2.TemplateNotFound:
        raise BuyerHelperError(f"找不到模板文件 templates/{template}", exit_code=70) from None
    except jinja2.TemplateSyntaxError as e:
        raise BuyerHelperError(
            f"模板 {template} 第 {e.lineno} 行有语法错误：{e.message}", exit_code=70
        ) from None


# ----------------------------------------------------------------- rendering


def _channels():
    from ..facts.channels import load_channels

    return load_channels()


def _unknown(channel_id: str) -> BuyerHelperError:
    channels = _channels()
    listed = []
    for tid in texts():
        if tid == MISCONDUCT_TEXT:
            listed.append(f"{tid}（举报商家违规）")
        elif tid in channels:
            listed.append(f"{tid}（{channels[tid].name}）")
        else:
            listed.append(tid)
    return BuyerHelperError(
        f"没有“{channel_id}”这个渠道的文字。可以生成文字的渠道：" + "、".join(listed)
    )


def _target_channel(case: Case, text_id: str) -> str:
    """The channel a text goes to: the misconduct report goes to the platform's own customer
    service (channels.yaml companies.<platform>.cs_channel)."""
    if text_id == MISCONDUCT_TEXT:
        from ..facts.channels import get_company

        return get_company(case.platform).cs_channel
    return text_id


def _platform_name(pid: str) -> str:
    from ..facts.platforms import platform_names

    return platform_names().get(pid, pid)


def _safe_filename(name: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\s]+', "", name)
    return name.strip(".") or "文字"


def _limit_note(limit) -> str:
    return "" if getattr(limit, "verified", False) else "；这个上限是保守估计，未核实"


def unfit_reason(case: Case, plan: Plan, text_id: str) -> str:
    """Why this text does not fit the case (Chinese), or "" when it does."""
    if text_id == MISCONDUCT_TEXT and not plan.misconduct:
        return (
            "这个案子里没有记录商家辱骂、骚扰、威胁、导流或利诱删评，不生成举报文字。"
            "如果有，请在经过里写清楚（用引号写出商家原话）。"
        )
    if text_id == "seller" and case.against_platform:
        return "投诉的是平台本身，没有店铺可以协商：请用给平台客服的文字。"
    if text_id == "seller" and case.paid_off_platform is not None:
        return (
            "你在平台外付过钱：先带转账记录报警（110），再向平台举报这家店铺；"
            "本工具不写给对方的消息。"
        )
    if text_id == "seller" and case.problem in ("seller_abuse", "seller_harassment"):
        return (
            "商家辱骂、骚扰或威胁你时，本工具不写给商家的消息；不要和商家对骂。"
            "请把聊天截图发给平台官方客服，用举报文字（buyer-helper letter misconduct）。"
        )
    if text_id == "refuse_delivery" and case.delivery != "not_signed":
        return f"这个案子的包裹{case.delivery_name}，“未签收拒签”只适用于还没签收的包裹。"
    if text_id in ("return_7day", "after_sales"):
        if case.delivery == "not_signed":
            return (
                "包裹还没签收：请用未签收拒签的说明（buyer-helper letter refuse_delivery），"
                "不用售后申请说明。"
            )
        if case.is_misconduct:
            return (
                "这个案子是商家的不当行为，不是商品问题："
                "请用举报文字（buyer-helper letter misconduct）。"
            )
        window_end = case.seven_day_end
        today = to_shanghai(plan.now).date()
        if window_end is not None and today > window_end:
            ended = (
                f"签收日是{cn_date(case.signed_on)}，7天退货期（从签收次日算起）"
                f"到{cn_date(window_end)}已经结束，今天是{cn_date(today)}"
            )
            if case.problem == "no_reason_return":
                return (
                    f"{ended}：七天无理由退货只能在签收后7天内申请（消保法第二十五条），"
                    "这时已不能再按七天无理由写申请。"
                )
            if text_id == "return_7day":
                return (
                    f"{ended}，不能再申请7天退货。质量问题可以走售后维权："
                    "buyer-helper letter after_sales（过了7天，质量问题仍可要求修理、更换，"
                    "符合解除合同条件的可以退货，消保法第二十四条）。"
                )
    return ""


def available_texts(case: Case, plan: Plan) -> list[str]:
    """The text ids that fit this case and its plan (platform, delivery state, misconduct)."""
    channels = _channels()
    out = []
    for tid in texts():
        target = channels.get(_target_channel(case, tid))
        if target is None or target.platform not in ("any", case.app):
            continue
        if not unfit_reason(case, plan, tid):
            out.append(tid)
    return out


def evidence_files(
    folder: Path, root: Path | None = None, follow_outside_links: bool = False
) -> list[EvidenceName] | None:
    """The files in an evidence folder as the texts list them: names relative to the folder,
    hidden files skipped, in the same natural order as the PDF bundle
    (evidence.evidence_entries, with `root` the case folder). An entry the bundle does not read
    (a link out of the case folder, a loop, a pipe) carries the reason. None when there is no
    such folder."""
    from ..evidence.files import entry_name, evidence_entries

    folder = Path(folder)
    if not folder.is_dir():
        return None
    try:
        entries = evidence_entries(folder, root, follow_outside_links)
    except (OSError, BuyerHelperError):
        return None
    return [
        EvidenceName(entry_name(p, folder), "" if a.readable else a.reason, a.link)
        for p, a in entries
    ]


def case_evidence(answers: Path, follow_outside_links: bool = False) -> list[EvidenceName] | None:
    """The evidence files of the case whose answers are at `answers` (a case folder or the
    case.yaml in one): its sibling evidence/ folder; None when it has none."""
    answers = Path(answers)
    folder = answers if answers.is_dir() else answers.parent
    return evidence_files(folder / EVIDENCE_DIR, folder, follow_outside_links)


def render_letter(
    case: Case,
    plan: Plan,
    channel_id: str,
    evidence: list[str | EvidenceName] | None = None,
    bundled: bool = False,
    fit: bool | None = None,
) -> Letter:
    """The text for one channel (or "misconduct"), fitted to the channel's form limits.

    evidence: the names of the files in the case's evidence folder (relative to it, in the
    order to list them; an EvidenceName tells why a file is not read); None when the folder is
    not known (only evidence_notes are listed).
    bundled: the text is printed inside the PDF evidence bundle (the evidence list points to
    the bundle's parts).
    fit: shorten the text to the form limits (default: yes, except for a bundled text — the PDF
    has no form limit, so it gets the full text; a form limit it exceeds is still warned of)."""
    if fit is None:
        fit = not bundled
    if channel_id not in texts():
        raise _unknown(channel_id)
    spec = texts()[channel_id]
    target = _target_channel(case, channel_id)
    channels = _channels()
    channel = channels.get(target)
    if channel is None:
        raise BuyerHelperError(f"channels.yaml 里没有渠道 {target}", exit_code=70)
    if channel.platform not in ("any", case.app):
        raise BuyerHelperError(
            f"{channel.name} 是{_platform_name(channel.platform)}的渠道，"
            f"这个案子是{case.platform_name}订单，不能用。"
        )
    reason = unfit_reason(case, plan, channel_id)
    if reason:
        raise BuyerHelperError(reason)
    step = next((s for s in plan.steps if s.channel == target), None)
    facts = build_facts(case, plan, channel, spec.purpose, step, evidence, bundled)
    user = user_strings(facts)
    notes: list[str] = []
    warnings: list[str] = []
    if not bundled:  # the bundle's own summary lists them
        warnings += [
            f"证据 {e['file']}：{e['unread']}"
            + (f"，链接到 {e['link']}" if e["link"] else "")
            + "。证据包不会读取它；确认是你的证据时，请把原文件复制进证据文件夹。"
            for e in facts["evidence"]
            if e["unread"]
        ]
    context = {"c": facts, "text_id": channel_id, "fields": {}, "level": 0}

    # Fields with their own limit (黑猫 title, 12315 description) are rendered first, each at
    # the fullest level that fits; a whole-text limit is fitted on the whole text.
    fields: dict[str, str] = {}
    whole_limit = None
    levels = spec.levels if fit else 1  # level 0 is the full text
    for limit_name, field_template in spec.limits:
        limit = channel.limits.get(limit_name) if channel.limits else None
        if field_template is None:
            whole_limit = (limit_name, limit)
            continue
        value, level = _fit(field_template, context, notes, user, limit, levels)
        fields[limit_name] = value.strip()
        _limit_warnings(warnings, channel, limit_name, limit, value, level, facts)
    context["fields"] = fields

    if whole_limit is not None:
        name, limit = whole_limit
        text, level = _fit(spec.template, context, notes, user, limit, levels)
        _limit_warnings(warnings, channel, name, limit, text.strip(), level, facts)
    else:
        text = finish_text(_render(spec.template, context, notes), user)

    if notes:
        warnings.insert(0, "使用前请补全文中标出的“（请填写：…）”：" + "、".join(notes) + "。")
    warnings += _advice(case, channel_id, facts)
    title = spec.title
    if channel_id == "return_7day" and case.problem == "no_reason_return":
        title = "7天无理由退货：申请说明"
    filename = _safe_filename(channel.name) + ("-举报商家" if channel_id == MISCONDUCT_TEXT else "")
    return Letter(
        channel=target,
        title=title,
        text=text,
        warnings=warnings,
        filename=filename + ".txt",
        text_id=channel_id,
        limits=spec.limits,
    )


def _fit(template, context, notes, user, limit, levels) -> tuple[str, int]:
    """Render at the fullest detail level whose text fits the limit (or the shortest one)."""
    max_chars = getattr(limit, "max_chars", None)
    text = ""
    for level in range(levels):
        level_notes: list[str] = []
        text = finish_text(_render(template, {**context, "level": level}, level_notes), user)
        if max_chars is None or len(text.strip()) <= max_chars or level == levels - 1:
            for n in level_notes:
                if n not in notes:
                    notes.append(n)
            return text, level
    return text, levels - 1


def _limit_warnings(warnings, channel, name, limit, value, level, facts) -> None:
    max_chars = getattr(limit, "max_chars", None)
    label = FIELD_LABELS.get(name, name)
    if max_chars is not None and len(value.strip()) > max_chars:
        warnings.append(
            f"{channel.name}的{label}偏长（共 {len(value.strip())} 字，表单上限 {max_chars} 字），"
            f"请自行删减后再提交{_limit_note(limit)}。"
        )
    if level > 0 and facts["story"] and facts["story"] not in value and name != "title":
        warnings.append(
            f"为了不超过{channel.name}的{label}字数上限（{max_chars} 字{_limit_note(limit)}），"
            "这里没有放入你写的完整经过；完整经过可以在聊天里另发，或截图上传。"
        )


def _advice(case: Case, text_id: str, facts: dict) -> list[str]:
    """Reminders for the buyer, shown beside the text (never inside it)."""
    out: list[str] = []
    # 003 二: sellers steer a quality refund to 不想要/七天无理由; an unsigned parcel is refused
    # and refunded as 未收到货, with no quality reason to change
    quality = facts["quality"] and case.delivery != "not_signed"
    if text_id in ("return_7day", "after_sales", "seller") and quality:
        out.append("商家要求把退款原因改成“不想要”“七天无理由”或“协商一致”时，不要改（003 二）。")
    once = case.platform_data.once_only  # a 拼多多 rule (004 §⑴.3)
    if text_id == "after_sales" and once:
        out.append(f"售后只能申请一次，维权要求选定后不能修改；提交后不要取消（{once.cite}）。")
    phone = {t for t, spec in texts().items() if spec.template == "phone_platform.txt.j2"}
    platform_texts = ("return_7day", "after_sales", *phone, *platform_cs_texts())
    if case.demand == "compensation" and text_id in platform_texts:
        out.append(  # FACTS.md §4a: platforms settle with refunds; damages need 12315 or a court
            "你要的是赔偿：平台处理的是退款、退货，这里写的要求是退货退款；"
            "赔偿请在12315的投诉里提出（buyer-helper letter c12315_online）。"
        )
    if text_id == "refuse_delivery":
        out.append("先拒签，拒签之后再提交这段说明（004 §⑴.1）。")
        if is_fresh(case.order.item):
            out.append(
                "生鲜、冷冻商品拒收前先在门口拍下包裹和问题，并写明拒收原因，"
                "以免被判“报废无法退款”。"
            )
    if text_id == MISCONDUCT_TEXT:
        if not facts["misconduct_quotes"] and facts["quotes"]:
            out.append(
                "经过里用引号标出的商家原话看不出这种违规，举报里没有引用它们，写的是“见聊天截图”。"
                "如果商家说过违规的话，把原话用“”引起来写进经过，举报会更清楚。"
            )
        elif not facts["misconduct_quotes"]:
            out.append(
                "经过里没有找到用引号标出的商家原话，举报里写的是“见聊天截图”。"
                "把商家原话用“”引起来写进经过，举报会更清楚。"
            )
        if facts["misconduct_accounts"]:
            out.append("举报里“据我的记录”一段是你自己写的经过，已注明不是商家原话；发送前请核对。")
        if case.problem not in MISCONDUCT:
            out.append(
                f"这份举报是因为经过里提到了“{'、'.join(facts['misconduct'])}”而生成的；"
                "如果与实际不符，请不要发送。"
            )
        out.append("不要和商家对骂，只在平台聊天里沟通，保留完整聊天记录和截图（001 第三部分 2）。")
    if facts["threat"] and (text_id == MISCONDUCT_TEXT or text_id in platform_cs_texts()):
        out.append(
            "商家威胁你的人身或住址（如“有你地址”“去你地址找你”）时，请同时报警（110），"
            "并保留证据（000 三）。"
        )
    if text_id == "heimao":
        out.append("黑猫投诉是公开投诉平台（003）：不要在标题和描述里写手机号、住址等个人信息。")
    if text_id == "c12315":
        out.append("12315 的接听时间各地不同，以当地公布为准；可先用 buyer-helper hours 查看。")
    if texts()[text_id].template.startswith("phone_"):
        number = facts["reach"] if text_id != "c12315" else "12315"
        out.append(
            "打完电话，把工号、工单号记进案子的时间线："
            f'buyer-helper log 案子文件夹 "打了{number}，工号……，工单号……"'
        )
    return out


# ------------------------------------------------------------ plan -> letters


def text_for_step(case: Case, plan: Plan, step: Step) -> str | None:
    """The text id (a key of TEXTS) that serves this plan step, or None when the step has no
    text of its own (a phone call to the police, a step this case does not fit).

    For the platform's customer service in a case that is seller misconduct, the step's text is
    the misconduct report. The PDF bundle and `letters` both choose through this function.
    """
    tid = step.channel
    if tid not in texts() or unfit_reason(case, plan, tid):
        return None  # e.g. never write to a seller who insults or threatens the buyer
    if tid in platform_cs_texts() and case.is_misconduct:
        return MISCONDUCT_TEXT
    return tid


def letters_for_plan(
    case: Case, plan: Plan, evidence: list[str | EvidenceName] | None = None, bundled: bool = False
) -> list[Letter]:
    """One text per step that still needs one, in plan order, plus the first message to the
    seller (while nothing has been tried yet) and the misconduct report (right after the
    platform customer-service text)."""
    open_steps = [s for s in plan.steps if not s.done]
    all_channels = {s.channel for s in plan.steps}
    wanted: list[str] = []
    started = case.has_tried(*(t for t in TRIED if t != "police_called"))
    if "seller" not in all_channels and not case.is_misconduct and not started:
        started = bool(unfit_reason(case, plan, "seller"))
    if "seller" not in all_channels and not case.is_misconduct and not started:
        wanted.append("seller")
    # report when there is misconduct and the platform step is still open (or there is none)
    report = bool(plan.misconduct) and (
        any(s.channel in platform_cs_texts() for s in open_steps)
        or not platform_cs_texts() & all_channels
    )
    for step in open_steps:
        tid = text_for_step(case, plan, step)
        if tid is None or tid in wanted:
            continue
        wanted.append(tid)
        if step.channel in platform_cs_texts() and report and MISCONDUCT_TEXT not in wanted:
            wanted.append(MISCONDUCT_TEXT)
    if report and MISCONDUCT_TEXT not in wanted:
        wanted.insert(1 if wanted[:1] == ["seller"] else 0, MISCONDUCT_TEXT)
    letters = [render_letter(case, plan, tid, evidence, bundled) for tid in wanted]
    for i, letter in enumerate(letters, 1):
        letter.filename = f"{i:02d}-{letter.filename}"
    return letters


# ------------------------------------------------------------------ commands

RULE = "────────"


def _load(answers: Path, now: str | None):
    from ..decide.routing import route
    from ..facts.hours import parse_now

    moment = parse_now(now)
    case = load_case(answers, today=moment.date())
    return case, route(case, moment)


def _footer(letter: Letter) -> list[str]:
    lines = []
    if letter.warnings:
        lines.append("提醒（不属于上面的文字）：")
        lines += [f"- {w}" for w in letter.warnings]
    lines.append(DISCLAIMER)
    return lines


def letter_command(
    channel: str,
    answers: Path,
    now: str | None,
    output: Path | None,
    follow_outside_links: bool = False,
) -> str:
    """`buyer-helper letter CHANNEL`: print one text, or write it to a file with -o.
    follow_outside_links: list evidence links out of the case folder as ordinary files."""
    case, plan = _load(answers, now)
    evidence = case_evidence(answers, follow_outside_links)
    letter = render_letter(case, plan, channel, evidence=evidence)
    if output is not None:
        output = Path(output)
        if output.is_dir():
            output = output / letter.filename
        try:
            write_text_atomic(output, letter.text)
        except OSError as e:
            raise BuyerHelperError(f"无法写入 {output}：{e.strerror}") from None
        return "\n".join([f"已写入：{output}（{letter.title}）", *_footer(letter)])
    return "\n".join(
        [
            f"【{letter.title}】（{RULE} 之间的文字可以直接复制）",
            RULE,
            letter.text.rstrip("\n"),
            RULE,
            *_footer(letter),
        ]
    )


def letters_command(directory: Path, now: str | None, follow_outside_links: bool = False) -> str:
    """`buyer-helper letters DIR`: write every text of the case's plan into DIR/out/.
    follow_outside_links: list evidence links out of the case folder as ordinary files."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BuyerHelperError(f"找不到案子文件夹：{directory}")
    case, plan = _load(directory, now)
    evidence = case_evidence(directory, follow_outside_links)
    letters = letters_for_plan(case, plan, evidence=evidence)
    from .phonepage import phone_files, phone_lines

    extras = phone_files(case, plan, letters, directory / EVIDENCE_DIR, follow_outside_links)
    result = write_letters(directory / OUT_DIR, letters, extras)
    return "\n".join([*summary_lines(result, letters), DISCLAIMER, *phone_lines(result)])
