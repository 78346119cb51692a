"""`buyer-helper demo`: build the sample case with generated evidence and run the whole pipeline.

The sample is moved in time to `now` (`sample.sample_answers`): with the real clock it is a live
case (the 7-day window open, today's hours); with `--now SAMPLE_NOW` it is the frozen sample, and
the same `--now` always gives the same files, PDF included, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from ..casefile.case import case_from_dict
from ..casefile.casefolder import CASE_FILE, EVIDENCE_DIR, OUT_DIR, write_yaml
from ..casefile.fileio import write_text_atomic
from ..casefile.sample_case import sample_answers
from ..errors import BuyerHelperError

MARKER = ".buyer-helper-demo"
PLAN_FILE = "00-维权计划.txt"


def _check_folder(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise BuyerHelperError(
            f"{directory} 是一个文件，不是文件夹；请换一个名字：buyer-helper demo 新文件夹名"
        )
    if directory.is_dir() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise BuyerHelperError(
            f"文件夹 {directory} 已存在且不是示例案子。为免覆盖你的文件，请换一个文件夹名："
            "buyer-helper demo 新文件夹名"
        )


def demo_command(directory: Path, now: str | None, colour: bool = False) -> str:
    from ..decide.routing import route
    from ..evidence.sample_evidence import make_sample_evidence, sample_evidence_names
    from ..facts.hours import cn_date, parse_now
    from ..pdf.bundle import build_bundle, summary_lines
    from ..texts.compose import letters_for_plan, write_letters
    from ..texts.compose import summary_lines as letter_summary
    from ..texts.phonepage import phone_files, phone_lines
    from .render import render_plan_text

    directory = Path(directory)
    _check_folder(directory)
    moment = parse_now(now)
    # everything is decided and checked before the first file is written
    answers = sample_answers(moment.date())
    case = case_from_dict(answers, today=moment.date())
    plan = route(case, moment)
    letters = letters_for_plan(case, plan, evidence=sample_evidence_names(answers))
    plan_text = render_plan_text(plan, case)

    out = directory / OUT_DIR
    pdf_path = (out / f"证据包-{case.order.id}.pdf").resolve()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_text_atomic(directory / MARKER, "buyer-helper 示例案子（可以放心删除）\n")
        write_yaml(directory / CASE_FILE, answers)
        make_sample_evidence(directory / EVIDENCE_DIR, answers)
        write_text_atomic(out / PLAN_FILE, plan_text + "\n")
    except OSError as e:
        raise BuyerHelperError(f"无法写入示例文件夹 {directory}：{e.strerror or e}") from None
    extras = phone_files(case, plan, letters, directory / EVIDENCE_DIR)
    written = write_letters(out, letters, extras)
    letter_lines = letter_summary(written, letters)
    result = build_bundle(case, plan, directory / EVIDENCE_DIR, pdf_path)
    if result.exit_code != 0:  # the sample's own files always preview: this is our bug
        bad = "、".join(f"{f.name}（{f.reason}）" for f in result.unpreviewable)
        raise BuyerHelperError(f"示例证据包里有文件无法预览：{bad}", exit_code=70)

    return "\n".join(
        [
            "示例案子：拼多多买的保温杯漏水（质量问题），商家辱骂买家并驳回退货退款。",
            f"（示例的日期跟着现在的时间走：{cn_date(case.signed_on)} 签收。）",
            "",
            render_plan_text(plan, case, colour=colour) if colour else plan_text,
            "",
            "────────",
            *letter_lines,
            *summary_lines(result),
            "",
            f"示例案子文件夹：{directory.resolve()}",
            f"  {CASE_FILE}        回答和时间线",
            f"  {EVIDENCE_DIR}/        生成的示例证据（聊天截图、照片、聊天记录）",
            f"  {OUT_DIR}/             计划（{PLAN_FILE}）、各渠道文字和证据 PDF",
            "",
            "开始你自己的案子：buyer-helper start 我的维权案子",
            *phone_lines(written),
        ]
    )
