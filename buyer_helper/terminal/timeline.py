"""`buyer-helper log DIR "text" [--tried STATE]`: add a dated event to the case's timeline.

The case file is read as raw YAML and only `timeline` (and `tried`) are touched, so a
half-finished interview stays as it was; the write is atomic, and the read, the append and the
write happen under the case folder's lock (`fileio.locked`), so concurrent `log` calls all land.
"""

from __future__ import annotations

from pathlib import Path

from ..casefile.case import DELIVERY, TRIED, load_case, tried_fits
from ..casefile.casefolder import CASE_FILE, read_yaml, write_yaml
from ..casefile.fileio import locked
from ..errors import BuyerHelperError

MAX_TEXT = 500


def _tried_choices() -> str:
    return "、".join(f"{k}（{v}）" for k, v in TRIED.items())


def log_command(directory: Path, text: str, tried: str | None, now: str | None) -> str:
    from ..facts.hours import cn_datetime, parse_now

    directory = Path(directory)
    if not directory.exists():
        raise BuyerHelperError(
            f"找不到案子文件夹 {directory}。先用 buyer-helper start {directory} 建立案子。"
        )
    if not directory.is_dir():
        raise BuyerHelperError(
            f"{directory} 不是文件夹。log 要的是案子文件夹（里面有 {CASE_FILE}）。"
        )
    case_file = directory / CASE_FILE
    if not case_file.is_file():
        raise BuyerHelperError(
            f"文件夹 {directory} 里没有 {CASE_FILE}，不是案子文件夹。"
            f"先用 buyer-helper start {directory} 建立案子。"
        )
    text = (text or "").strip()
    if not text:
        raise BuyerHelperError(
            '要记下的内容是空的，例如：buyer-helper log 我的案子 "打了021-53395288，工单号 123"'
        )
    if len(text) > MAX_TEXT:
        raise BuyerHelperError(f"要记下的内容太长了（{len(text)} 字，最多 {MAX_TEXT} 字）")
    if tried is not None and tried not in TRIED:
        raise BuyerHelperError(f"--tried “{tried}”不是可选的进展。可选：{_tried_choices()}")
    moment = parse_now(now)

    with locked(directory):  # read, append, write: no other process in between
        _append_event(directory, case_file, text, tried, moment)

    lines = [f"已记到时间线（北京时间 {cn_datetime(moment)}）：{text}"]
    if tried:
        lines.append(f"进展：{TRIED[tried]}")
    lines.append(_next_step_words(directory, moment))
    return "\n".join(lines)


def _append_event(directory: Path, case_file: Path, text: str, tried: str | None, moment) -> None:
    """Read case.yaml, append the event (and the `tried` state), write it back; the caller
    holds the case folder's lock."""
    data = read_yaml(case_file)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BuyerHelperError(f"{case_file} 的内容不是“键: 值”的格式，无法追加时间线，请先修好它")
    unfit = tried is not None and not tried_fits(tried, data.get("platform"), data.get("delivery"))
    if unfit and tried == "hotline_called":
        raise BuyerHelperError(_no_hotline(str(data.get("platform")), directory))
    if unfit and tried == "refused_delivery":
        raise BuyerHelperError(
            f"“{TRIED[tried]}”只用于还没签收、当面拒签的包裹，而这个案子记的是"
            f"“{DELIVERY.get(data.get('delivery'), '没有填写签收情况')}”，"
            f"这次没有记录。如果其实没有签收，请先把 {CASE_FILE} 里的 delivery 改成 not_signed；"
            f'否则不带 --tried 记下来，例如：buyer-helper log {directory} "……"'
        )
    _check_not_before_order(data, moment)
    timeline = data.get("timeline")
    if timeline is None:
        timeline = []
    if not isinstance(timeline, list):
        raise BuyerHelperError(f"{case_file} 里的 timeline 不是列表，无法追加，请先修好它")
    event = {"at": moment.isoformat(timespec="seconds"), "text": text}
    if tried:
        event["tried"] = tried
    timeline.append(event)
    data["timeline"] = timeline
    if tried:
        states = data.get("tried") or []
        if isinstance(states, str):
            states = [states]
        if not isinstance(states, list):
            raise BuyerHelperError(f"{case_file} 里的 tried 不是列表，无法记录进展，请先修好它")
        if tried not in states:
            states.append(tried)
        data["tried"] = states
    write_yaml(case_file, data)


def _check_not_before_order(data: dict, moment) -> None:
    """An event dated before the order was placed is a typo in --now: say so, record nothing."""
    from ..casefile.case import parse_date
    from ..facts.hours import cn_date

    order = data.get("order")
    if not isinstance(order, dict) or order.get("ordered_on") in (None, ""):
        return
    try:
        ordered_on = parse_date(order["ordered_on"])
    except BuyerHelperError:
        return  # the case's own validation reports a bad order date
    if moment.date() < ordered_on:
        raise BuyerHelperError(
            f"这条记录的时间 {cn_date(moment.date())} 早于下单日期 {cn_date(ordered_on)}，"
            "请检查 --now；这次没有记录。"
        )


def _next_step_words(directory: Path, moment) -> str:
    from ..decide.routing import route
    from ..facts.channels import get_channel
    from ..facts.hours import state_words

    try:
        case = load_case(directory, today=moment.date())
    except BuyerHelperError as e:
        return (
            f"案子的回答还不完整，暂时算不出下一步（{e.message}）。"
            f"补全后运行：buyer-helper plan --answers {directory}"
        )
    step = route(case, moment).next_step
    if step is None:
        return "计划里的步骤你都已经做过了。完整计划：buyer-helper plan --answers " + str(directory)
    state = step.state
    when = ""
    if state is not None:
        status, nxt = state_words(state, moment)
        when = f"｜现在：{status}"
        if state.status != "open":
            when += f"，下次开放：{nxt}"
    return (
        f"下一步：{step.title}\n  渠道：{get_channel(step.channel).name}｜{step.reach}{when}"
        f"\n完整计划：buyer-helper plan --answers {directory}"
    )


def _no_hotline(platform: str, directory) -> str:
    """`log --tried hotline_called` on a platform without a consumer hotline (淘宝): whose
    hotline the state means, and how this platform's buyer asks the platform instead."""
    from ..facts.channels import get_channel
    from ..facts.platforms import get_platform, load_platforms

    here = get_platform(platform)
    lines = [
        (get_channel(p.hotline.channel).name, p.name)
        for pid, p in load_platforms().items()
        if p.hotline is not None and p.app == pid
    ]
    whose = "、".join(f"{name}，这是{owner}的号码" for name, owner in lines)
    return (
        f"“已打消费者热线”指的是{whose}，而这个案子是{here.name}的，"
        f"这次没有记录。{here.name}的案子请{here.intervene.ask}；如果你打的是别的电话，"
        f'不带 --tried 记下来，例如：buyer-helper log {directory} "打了……，工单号……"'
    )
