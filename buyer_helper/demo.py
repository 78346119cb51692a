"""`buyer-helper demo`: build the sample case with generated evidence and run the whole pipeline."""

from __future__ import annotations

from pathlib import Path

from .case import CASE_FILE, EVIDENCE_DIR, OUT_DIR, load_case, write_yaml
from .errors import BuyerHelperError
from .fileio import write_text_atomic
from .sample import SAMPLE_ANSWERS

MARKER = ".buyer-helper-demo"
PLAN_FILE = "00-维权计划.txt"


def demo_command(directory: Path, now: str | None) -> str:
    from .bundle import bundle_command
    from .hours import parse_now
    from .letters import letters_command
    from .render import render_plan_text
    from .routing import route
    from .samples import make_sample_evidence

    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise BuyerHelperError(
            f"{directory} 是一个文件，不是文件夹；请换一个名字：buyer-helper demo 新文件夹名"
        )
    if directory.is_dir() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise BuyerHelperError(
            f"文件夹 {directory} 已存在且不是示例案子。为免覆盖你的文件，请换一个文件夹名："
            "buyer-helper demo 新文件夹名"
        )
    moment = parse_now(now)
    directory.mkdir(parents=True, exist_ok=True)
    write_text_atomic(directory / MARKER, "buyer-helper 示例案子（可以放心删除）\n")
    write_yaml(directory / CASE_FILE, SAMPLE_ANSWERS)
    make_sample_evidence(directory / EVIDENCE_DIR)

    case = load_case(directory, today=moment.date())
    plan_text = render_plan_text(route(case, moment), case)
    plan_path = directory / OUT_DIR / PLAN_FILE
    write_text_atomic(plan_path, plan_text + "\n")

    letters_summary = letters_command(directory=directory, now=moment.isoformat())
    bundle_summary, code = bundle_command(
        directory=directory,
        answers=None,
        evidence=None,
        output=None,
        channel=None,
        now=moment.isoformat(),
    )
    if code not in (0,):
        raise BuyerHelperError(f"示例证据包生成时出了问题：{bundle_summary}", exit_code=code)

    return "\n".join(
        [
            "示例案子：拼多多买的保温杯漏水（质量问题），商家辱骂买家并驳回退货退款。",
            "",
            plan_text,
            "",
            "────────",
            letters_summary,
            bundle_summary,
            "",
            f"示例案子文件夹：{directory.resolve()}",
            f"  {CASE_FILE}        回答和时间线",
            f"  {EVIDENCE_DIR}/        生成的示例证据（聊天截图、照片、聊天记录）",
            f"  {OUT_DIR}/             计划（{PLAN_FILE}）、各渠道文字和证据 PDF",
            "",
            "开始你自己的案子：buyer-helper start 我的维权案子",
        ]
    )
