"""The evidence bundle PDF: one file a platform agent or a 12315 officer can read in a minute.

Contents, in order: cover (case summary, disclaimer), timeline, the complaint text for one
channel, the plan with the channel checklist and hours, the evidence index (with SHA-256 of
every original file), each image on its own page, chat logs as text. Every page carries
"第 N 页 / 共 M 页".

This module decides what goes into the document (`layout.Doc`, plain data); `layout.py` lays it out
and writes it atomically (same inputs → byte-identical PDF). With images to decode, the
document is laid out and rendered while the image workers run, from what the images' headers
say (`evidence.files.peek_image`), each picture's bytes taken when its page is drawn; when an image
comes out otherwise (a truncated file), it is rendered again from the finished files, so the
PDF is always the one the finished files give.

Exit codes of `bundle_command`: 0 = PDF written, every file shown; 3 = PDF written, but some
evidence files could not be previewed (they are listed in the index with the reason).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..casefile.case import TRIED, Case, load_case
from ..casefile.casefolder import CASE_FILE, EVIDENCE_DIR, OUT_DIR
from ..decide.plan import DISCLAIMER, Plan
from ..errors import BuyerHelperError
from ..evidence.files import (
    FOLLOW_OPTION,
    EvidenceFile,
    human_size,
    same_outcome,
    scan_evidence,
    stderr_progress,
)

EXIT_OK = 0
EXIT_UNPREVIEWABLE = 3

MAX_CAPTION_NOTE = 300  # characters of a note shown under an image (the index has all of it)


@dataclass
class BundleResult:
    path: Path
    pages: int
    files: list[EvidenceFile]
    warnings: list[str]
    channel: str | None  # the text id of the attached complaint text (letters.TEXTS key)
    size: int = 0
    title: str = ""  # the attached text's title ("请平台官方客服介入的消息")

    @property
    def unpreviewable(self) -> list[EvidenceFile]:
        return [f for f in self.files if not f.previewable]

    @property
    def exit_code(self) -> int:
        return EXIT_UNPREVIEWABLE if self.unpreviewable else EXIT_OK


# The PDF goes to a platform agent or a 12315 officer: the plan's steps keep terminal-only hints
# (buyer-helper commands) in Step.hints, which the PDF never prints.


# ------------------------------------------------------------------- content


def _cover(d, case: Case, plan: Plan, files: list[EvidenceFile]) -> None:
    from ..facts.hours import cn_date, now_words
    from .layout import FRAME_W, SOFT_BG, Break, Table, mm

    o = case.order
    d.para("维权证据包", "title", user=False)
    d.add(d.text(f"{case.platform_name} 订单 {o.id}", "subtitle"))
    d.add(Break("space", 4 * mm))
    rows = [
        ("平台", case.platform_name),
        ("订单号", o.id),
        ("店铺", o.shop or "（投诉的是平台本身）"),
        ("商品", o.item),
        ("实付金额", f"{o.amount} 元"),
        ("下单日期", cn_date(o.ordered_on)),
        ("收货状态", case.delivery_name),
    ]
    if case.signed_on:
        rows.append(("签收日期", cn_date(case.signed_on)))
    rows += [("问题", case.problem_name), ("诉求", case.demand_name)]
    if case.tried:
        rows.append(("已做过的事", "、".join(TRIED[t] for t in case.tried)))
    if case.returned is not None:  # the deciding facts of real cases (issue 9)
        r = case.returned
        rows.append(
            (
                "退货",
                "  ".join(
                    x
                    for x in (
                        f"快递单号 {r.tracking}" if r.tracking else "",
                        f"{cn_date(r.shipped_on)}寄出" if r.shipped_on else "",
                    )
                    if x
                )
                or "已寄回商家",
            )
        )
    if case.paid_off_platform is not None:
        p = case.paid_off_platform
        rows.append(
            (
                "平台外付款",
                "  ".join(x for x in (f"{p.amount} 元", p.how, cn_date(p.on) if p.on else "") if x),
            )
        )
    for promise in case.promises:
        rows.append(("商家的承诺", f"“{promise.text}”"))
    if case.seller_name:
        rows.append(("经营者名称", case.seller_name))
    if case.seller_address:
        rows.append(("经营地址", case.seller_address))
    if case.seller_city:
        rows.append(("商家所在地", case.seller_city))
    c = case.contact
    if c.name or c.phone or c.address:
        rows.append(("买家", "  ".join(x for x in (c.name, c.phone, c.address) if x)))
    rows.append(("证据文件", f"{len(files)} 个（清单见后）"))
    rows.append(("整理时间", now_words(plan.now)))
    d.add(
        Table(
            [[d.fixed(k, "label"), d.text(v, "cell")] for k, v in rows],
            [28 * mm, FRAME_W - 28 * mm],
            header=False,
        )
    )
    if case.story.strip():
        d.sub("经过（买家自述）")
        for part in case.story.strip().split("\n"):
            d.para(part)
    shown_images = sum(len(f.parts) > 0 for f in files)
    shown_texts = sum(f.preview == "文字" for f in files)
    contents = "本证据包内容：一、时间线；二、投诉文字；三、维权计划与渠道开放时间；四、证据清单"
    if shown_images or shown_texts:
        contents += f"；五、证据附件（图片 {shown_images} 张，聊天记录 {shown_texts} 份）"
    d.add(Break("space", 3 * mm))
    d.para(contents + "。", "small")
    d.add(Break("space", 3 * mm))
    d.add(
        Table(
            [
                [
                    d.fixed(
                        "本证据包由买家用 buyer-helper 整理。证据清单中的 SHA-256 是每个原始文件的"
                        "“指纹”：原文件改动一个字节，指纹就会不同，可据此核对买家另行提交的原文件。",
                        "small",
                    )
                ],
                [d.fixed(plan.disclaimer or DISCLAIMER, "small")],
            ],
            [FRAME_W],
            header=False,
            style=[("BACKGROUND", (0, 0), (-1, -1), SOFT_BG)],
        )
    )


def _timeline(d, case: Case) -> None:
    from ..facts.hours import cn_date, cn_datetime, to_shanghai
    from .layout import FRAME_W, Break, Table, mm

    d.add(Break("page"))
    d.heading("一、时间线")
    events: list[tuple[dt.datetime, int, str, str]] = []
    logged_text = " ".join(e.text for e in case.timeline)
    for i, e in enumerate(case.timeline):  # Event.at is Beijing time (case.py)
        events.append((e.at, 10 + i, e.text, TRIED.get(e.tried or "", "")))
    # the order's own dates, unless the buyer logged them already
    if "下单" not in logged_text:
        events.append((to_shanghai(case.order.ordered_on), 0, "下单（订单信息）", ""))
    if case.signed_on and "签收" not in logged_text:
        # signed_on is the signing day also for a completed order (no separate completion date)
        events.append((to_shanghai(case.signed_on), 1, "签收（订单信息）", ""))
    events.sort(key=lambda e: (e[0], e[1]))
    rows = [[d.fixed(h, "th") for h in ("时间", "经过", "进展")]]
    for at, _, text, tried in events:
        when = cn_date(at.date()) if at.time() == dt.time() else cn_datetime(at, weekday=False)
        rows.append([d.text(when, "cell"), d.text(text, "cell"), d.text(tried, "cell")])
    d.add(Table(rows, [38 * mm, FRAME_W - 66 * mm, 28 * mm]))


def _channel_name(cid: str, channels: dict) -> str:
    ch = channels.get(cid)
    return ch.name if ch else cid


def _complaint(d, letter, channels: dict) -> None:
    from .layout import Break, mm

    d.add(Break("page"))
    d.heading("二、投诉文字")
    if letter is None:
        d.para("计划中没有还需要提交文字的步骤，这里没有附投诉文字。", user=False)
        return
    d.sub(letter.title, user=True)
    d.para(f"用于：{_channel_name(letter.channel, channels)}", "small")
    d.add(Break("space", 2 * mm))
    blank = False
    for line in letter.text.rstrip().split("\n"):
        if "buyer-helper" in line:  # a hint to the buyer (how to log the call): not for the PDF
            continue
        line = line if line.strip() else ""
        if line.strip():
            d.para(line, "letter")
        elif not blank:
            d.add(Break("space", 2.5 * mm))
        blank = not line.strip()


def _always_open(state) -> bool:
    return state.status == "open" and state.next_open is None


def _plan(d, plan: Plan, channels: dict, extra: str | None) -> None:
    from ..facts.hours import now_words, state_words
    from ..terminal.render import deadline_line
    from .layout import FRAME_W, Break, Table, mm

    d.add(Break("page"))
    d.heading("三、维权计划与渠道开放时间")
    d.para(f"按 {now_words(plan.now)}计算。", "small")
    nxt = plan.next_step
    for i, step in enumerate(plan.steps, 1):
        tag = "（已做过）" if step.done else ("（下一步）" if step is nxt else "")
        block: list[object] = [
            Break("cond", 45 * mm),
            d.text(f"第 {i} 步{tag}：{step.title}", "h2"),
        ]
        ch = channels.get(step.channel)
        rows = [["渠道", _channel_name(step.channel, channels)]]
        if step.reach or (ch and ch.reach):
            rows.append(["怎么联系", step.reach or ch.reach])
        state = step.state
        if state is not None:
            status, when = state_words(state, plan.now)
            if _always_open(state):
                rows.append(["开放时间", status])
            elif state.status == "open":
                rows.append(["开放时间", f"今天 {state.today_hours}；现在：{status}"])
            else:
                rows.append(
                    ["开放时间", f"今天 {state.today_hours}；现在：{status}；下次开放：{when}"]
                )
            # the hours caveats (state.notes) are printed once, in 渠道一览 below
        for dl in step.deadlines:
            rows.append(["期限", deadline_line(dl, plan)])  # basis〔source〕 as in the terminal
        if step.actions:
            rows.append(["要做的事", "\n".join(f"{k}. {a}" for k, a in enumerate(step.actions, 1))])
        if step.have_ready:
            rows.append(["准备好", "；".join(step.have_ready)])
        if step.if_fails:
            rows.append(["如果不行", step.if_fails])
        if step.note:
            rows.append(["备注", step.note])
        if step.sources:
            rows.append(["依据", "；".join(step.sources)])
        block.append(
            Table(
                [[d.fixed(k, "label"), d.text(v, "cell")] for k, v in rows],
                [24 * mm, FRAME_W - 24 * mm],
                header=False,
            )
        )
        block.append(Break("space", 3 * mm))
        d.add(*block)
    if plan.warnings:
        d.sub("注意")
        for w in plan.warnings:
            d.para(f"• {w.text}〔依据：{w.source}〕")
    for note in plan.calendar_notes:
        d.para(note, "small")
    _channel_table(d, plan, channels, extra)


def _hours_cell(state) -> str:
    """Today's hours, and for a channel that keeps working days which calendar said so."""
    from ..facts.hours import CALENDAR_ZH, calendar_source_words

    calendar = getattr(state, "calendar", None)
    if not calendar:
        return state.today_hours
    sources = "；".join(calendar_source_words(c) for c in state.calendar_sources)
    return f"{state.today_hours}\n日历：{sources or CALENDAR_ZH[calendar]}"


def _channel_table(d, plan: Plan, channels: dict, extra: str | None) -> None:
    """Every channel of the plan (and the attached text's) with today's hours. As in the
    terminal `hours` table, the caveats stay with the hours: a channel whose hours are unverified
    ("以当地公布为准") or whose sources disagree gets a 说明 line right under its row."""
    from ..facts.hours import HOURS_LEGEND, channel_state, state_words
    from .layout import FRAME_W, NOTE_BG, Table, mm

    d.sub("渠道一览（开放时间按北京时间）")
    d.para(HOURS_LEGEND, "small")
    states: dict[str, object] = {}
    reach: dict[str, str] = {}
    for s in plan.steps:
        if s.channel in channels and s.channel not in states:
            states[s.channel] = s.state or channel_state(channels[s.channel], plan.now)
            reach[s.channel] = s.reach
    if extra in channels and extra not in states:
        states[extra] = channel_state(channels[extra], plan.now)
    rows = [[d.fixed(h, "th") for h in ("渠道", "怎么联系", "今天开放时间", "现在", "下次开放")]]
    style: list[tuple] = []
    for cid, state in states.items():
        ch = channels[cid]
        status, when = state_words(state, plan.now)
        rows.append(
            [
                d.text(ch.name, "cell"),
                d.text(reach.get(cid) or ch.reach, "cell"),
                d.text(_hours_cell(state), "cell"),
                d.text(status, "cell"),
                d.text(when, "cell"),
            ]
        )
        if state.notes:
            r = len(rows)
            note = d.text("说明：" + "".join(state.notes), "note")
            rows.append([note] + [d.text("", "note")] * 4)
            style += [
                ("SPAN", (0, r), (-1, r)),
                ("NOSPLIT", (0, r - 1), (-1, r)),  # never a page break between row and caveat
                ("BACKGROUND", (0, r), (-1, r), NOTE_BG),
            ]
    d.add(Table(rows, [34 * mm, 40 * mm, FRAME_W - 124 * mm, 22 * mm, 28 * mm], style=style))


def _index(d, files: list[EvidenceFile]) -> None:
    from .layout import BAD_BG, FRAME_W, Break, Table, Text, mm

    d.add(Break("page"))
    d.heading("四、证据清单")
    if not files:
        d.para("证据文件夹里没有文件。", user=False)
        return
    d.para(
        "SHA-256 为原始文件的指纹（图片在 PDF 中为缩小后的副本，指纹对应原文件）。"
        "日期：“拍摄”取自照片 EXIF 信息，“修改”为文件的修改时间（北京时间）。",
        "small",
        user=False,
    )
    head = ("序号", "文件名", "类型", "日期", "大小", "SHA-256", "买家说明", "预览")
    rows = [[d.fixed(h, "th") for h in head]]
    bad_rows = []
    for f in files:
        sha = "<br/>".join(f.sha256[i : i + 16] for i in range(0, len(f.sha256), 16))
        d.glyphs.note(f.sha256)
        if not f.previewable:
            bad_rows.append(len(rows))
        rows.append(
            [
                d.text(str(f.no), "cell8"),
                d.text(f"{f.name}\n→ 链接到 {f.link}" if f.link else f.name, "cell8"),
                d.text(f.kind, "cell8"),
                d.text(f.date_text, "cell8"),
                d.text(human_size(f.size) if f.read else "—", "cell8"),
                Text(sha, "hash") if f.sha256 else d.fixed("—", "cell8"),
                d.text(f.note, "cell8"),
                d.text(_status(f), "bad" if not f.previewable else "cell8"),
            ]
        )
    widths = [10 * mm, 29 * mm, 16 * mm, 22 * mm, 15 * mm, 28 * mm]
    rest = FRAME_W - sum(widths)
    widths += [rest * 0.56, rest * 0.44]
    style = [("BACKGROUND", (7, r), (7, r), BAD_BG) for r in bad_rows]
    d.add(Table(rows, widths, style=style))
    if any(f.ocr_lines is not None for f in files):
        d.add(Break("space", 3 * mm))
        d.para(
            "“已识别文字”：图片里的文字已用本机离线识别（buyer-helper scan）读出，"
            "放在图片下方的隐藏文字层里，PDF 阅读器可以搜索、复制；识别可能有误，以图片为准。",
            "small",
            user=False,
        )
    bad = [f for f in files if not f.previewable]
    if bad:
        d.add(Break("space", 3 * mm))
        d.para(
            f"有 {len(bad)} 个文件无法在 PDF 中显示（见上表“预览”一栏），请把原文件另行提交。",
            "small",
            user=False,
        )
    outside = [f for f in files if f.outside and not f.read]
    if outside:
        d.para(
            f"其中 {len(outside)} 个是指向案子文件夹以外的链接：只列出链接指向哪里，"
            "没有读取其内容，也没有计算指纹。",
            "small",
            user=False,
        )


def _status(f: EvidenceFile) -> str:
    if f.ocr_lines is None:
        return f.status
    return (
        f"{f.status}；已识别文字（{len(f.ocr_lines)} 行）"
        if f.ocr_lines
        else f"{f.status}；已识别，无文字"
    )


def _shown_size(f: EvidenceFile) -> str:
    """The original's size as the page shows it: "3000×4000（已按拍摄方向旋转）" for a photo
    stored as 4000×3000 and turned upright by its EXIF orientation."""
    w, h = f.shown_size or f.original_size or (0, 0)
    return f"{w}×{h}（已按拍摄方向旋转）" if f.rotated else f"{w}×{h}"


def _covered(d, text: str) -> str:
    """`text` without the characters the font lacks (an invisible layer needs no marker)."""
    from .fonts import font_coverage

    cover = font_coverage("sans")
    kept = "".join(ch for ch in text if ord(ch) <= 0xFFFF and ord(ch) in cover).strip()
    return d.glyphs.note(kept)


def _text_layers(d, f: EvidenceFile) -> list[list] | None:
    """The lines `scan` read from `f`, per page part: (text, box as fractions of the part).

    A tall screenshot's parts are the overlapping slices of evidence._slices, at width
    SLICE_WIDTH: each line goes on the first part that holds it whole."""
    from ..evidence.files import SLICE_RATIO

    if not f.ocr_lines or not f.parts:
        return None
    width, height = f.shown_size or f.original_size or (0, 0)
    if not width or not height:
        return None
    layers: list[list] = [[] for _ in f.parts]
    part_w = f.parts[0][1][0]
    scale = part_w / width if len(f.parts) > 1 else 1.0
    overlap = max(1, int(part_w * SLICE_RATIO) // 25)
    tops, top = [], 0
    for _, (_, h) in f.parts:
        tops.append(top)
        top += h - overlap
    for line in f.ocr_lines:
        text = _covered(d, line.text)
        if not text:
            continue
        x0, y0, x1, y1 = line.box
        if len(f.parts) == 1:
            layers[0].append((text, (x0 / width, y0 / height, x1 / width, y1 / height)))
            continue
        for k, (_, (pw, ph)) in enumerate(f.parts):
            a, b = y0 * scale - tops[k], y1 * scale - tops[k]
            if a >= 0 and b <= ph:
                box = (x0 * scale / pw, a / ph, x1 * scale / pw, b / ph)
                layers[k].append((text, box))
                break
    return layers


def _attach_text(files: list[EvidenceFile], evidence_dir: Path) -> None:
    """The text `scan` read from each image, from its cache beside the evidence folder (bundle
    never runs OCR itself)."""
    from ..evidence.scan import load_cached

    root = Path(evidence_dir).resolve().parent
    for f in files:
        if f.preview == "图片" and f.sha256:
            scanned = load_cached(root, f.name, f.sha256)
            if scanned is not None and not scanned.error:
                f.ocr_lines = scanned.raw


def _attachments(
    d, files: list[EvidenceFile], processed: Callable[[int], EvidenceFile] | None = None
) -> None:
    """The pictures and chat logs, each from a new page. processed: given, the files are the
    expected ones (no JPEG bytes yet) and each picture's bytes come from processed(no) when its
    page is drawn."""
    from .layout import Break, Image, mm

    first = True

    def new_page() -> None:
        nonlocal first
        d.add(Break("page"))
        if first:
            d.add(d.fixed("五、证据附件", "h1"))
            first = False

    for f in files:
        if f.preview == "图片":
            layers = _text_layers(d, f)
            n = len(f.parts)
            for k, (data, px) in enumerate(f.parts):
                new_page()
                part = f"（长图第 {k + 1}/{n} 段）" if n > 1 else ""
                d.add(d.text(f"证据 {f.no}　{f.name}{part}", "h2"))
                if k == 0:
                    note = f.note
                    if len(note) > MAX_CAPTION_NOTE:
                        note = note[:MAX_CAPTION_NOTE] + "…（完整说明见证据清单）"
                    meta = f"{f.kind}　{f.date_text}"
                    if f.original_size:
                        meta += f"　原图 {_shown_size(f)}"
                    d.para(meta, "small")
                    if note:
                        d.para(f"说明：{note}", "caption")
                if processed is not None:
                    data = _later(processed, f.no, k, px)
                d.add(Break("space", 2 * mm), Image(data, px, text=layers[k] if layers else []))
        elif f.preview == "文字" and f.text is not None:
            lines = f.text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            new_page()
            d.add(d.text(f"证据 {f.no}　{f.name}", "h2"))
            d.para(f"{f.kind}全文，{f.encoding} 编码，共 {len(lines)} 行", "small")
            if f.note:
                d.para(f"说明：{f.note}", "caption")
            d.add(Break("space", 2 * mm))
            d.lines(lines)


# ---------------------------------------------------------------------- build


# A phone step's written counterpart for the PDF (a phone script is read aloud, not handed over).
WRITTEN_FOR_PHONE = {"c12315": "c12315_online"}
# 黑猫投诉 is a public complaint site (FACTS §2): while the 全国12315平台 complaint is still open
# in the plan, the PDF (handed to an officer) attaches that one instead. `--channel` still wins.
PUBLIC_SITE = {"heimao"}
OFFICER_TEXT = "c12315_online"


def pick_letter(
    case: Case,
    plan: Plan,
    channel: str | None,
    channels: dict | None = None,
    evidence: list | None = None,
):
    """The complaint text for the bundle: for `channel` (a text id) when given, else the written
    text `letters` writes for the first step not done yet that has one
    (`letters.text_for_step`). A phone step's script is skipped — the PDF is read, not said —
    except that a 12315 phone step stands for the 全国12315平台 complaint. None when no step
    has a written text. `evidence`: the file names in the evidence folder, listed in the text
    as going with the bundle. Errors are the buyer's (an unknown or unfitting id) or ours:
    never swallowed."""
    from ..texts.compose import TEXTS, render_letter, text_for_step, unfit_reason

    if channel is not None:
        return render_letter(case, plan, channel, evidence, bundled=True, fit=False)
    if channels is None:
        from ..facts.channels import load_channels

        channels = load_channels()
    open_texts = [text_for_step(case, plan, s) for s in plan.steps if not s.done]
    for step in plan.steps:
        if step.done:
            continue
        text_id = text_for_step(case, plan, step)
        if text_id is None:
            continue
        if text_id in PUBLIC_SITE and OFFICER_TEXT in open_texts:
            text_id = OFFICER_TEXT  # the PDF goes to an officer, not to a public site
        ch = channels.get(text_id)
        if ch is not None and ch.kind == "phone":
            text_id = WRITTEN_FOR_PHONE.get(text_id)
            if text_id is None or text_id not in TEXTS or unfit_reason(case, plan, text_id):
                continue
        return render_letter(case, plan, text_id, evidence, bundled=True, fit=False)
    return None


def build_bundle(
    case: Case,
    plan: Plan,
    evidence_dir: Path | None,
    out_path: Path,
    channel: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    root: Path | None = None,
    follow_outside_links: bool = False,
) -> BundleResult:
    """Build the evidence bundle PDF at `out_path` (atomically) and describe what went in.

    A file that cannot be read is listed in the index with the reason; only a failed write of
    `out_path` is reported as a write error. root: the case folder (default: the evidence
    folder); an evidence entry leading outside it is listed, not read, unless
    `follow_outside_links` (evidence.check_access)."""
    from ..facts.channels import load_channels
    from ..texts.compose import evidence_files

    channels = load_channels()
    names = (
        evidence_files(evidence_dir, root, follow_outside_links)
        if evidence_dir is not None
        else None
    )
    letters: list = []

    def letter_now():
        """The attached text (`pick_letter`), picked once: in while_busy, before any image is
        waited for (a wrong --channel stops the scan there: fail fast)."""
        if not letters:
            letters.append(pick_letter(case, plan, channel, channels, evidence=names))
        return letters[0]

    out_path = Path(out_path)
    o = case.order
    meta = {
        "header": f"维权证据包 · {case.platform_name} 订单 {o.id}",
        "title": f"维权证据包 订单 {o.id}",
        "subject": f"{case.platform_name} {o.shop} {o.item}：{case.problem_name}",
        "keywords": o.id,
    }
    ahead: dict = {}

    def while_busy(expected: list[EvidenceFile], processed) -> None:
        """While the image workers run: pick the text, lay out and render the document as it
        will be if every image decodes (reportlab's import and the font's subsetting, ~0.7 s,
        included), each picture's bytes taken when its page is drawn (`processed` waits for
        that image). Used when the scan comes out as expected (same_outcome), else the
        document is rendered again from the real files."""
        from .layout import render  # reportlab's import, too, while the workers run

        letter = letter_now()
        _attach_text(expected, evidence_dir)
        d = _document(case, plan, letter, channels, expected, processed)
        ahead.update(files=expected, doc=d, pdf=render(d, **meta))

    files = (
        scan_evidence(
            evidence_dir,
            case.evidence_notes,
            progress=progress,
            root=root,
            follow_outside_links=follow_outside_links,
            while_busy=while_busy,
        )
        if evidence_dir is not None
        else []
    )

    letter = letter_now()
    if evidence_dir is not None:
        _attach_text(files, evidence_dir)

    if ahead and same_outcome(ahead["files"], files):
        d = ahead["doc"]
        data, pages = ahead["pdf"]
    else:
        from .layout import render

        d = _document(case, plan, letter, channels, files)
        data, pages = render(d, **meta)
    _write(out_path, data)
    notes = [f"投诉文字：{w}" for w in (letter.warnings if letter else [])]
    return BundleResult(
        path=out_path,
        pages=pages,
        files=files,
        warnings=d.glyphs.warnings() + notes,
        channel=letter.text_id if letter else None,
        size=len(data),
        title=letter.title if letter else "",
    )


def _document(
    case: Case,
    plan: Plan,
    letter,
    channels: dict,
    files: list[EvidenceFile],
    processed: Callable[[int], EvidenceFile] | None = None,
):
    """The bundle as a `layout.Doc`: cover, timeline, complaint text, plan, index, attachments.
    processed: see `_attachments`."""
    from .layout import Doc

    d = Doc()
    _cover(d, case, plan, files)
    _timeline(d, case)
    _complaint(d, letter, channels)
    _plan(d, plan, channels, letter.channel if letter else None)
    _index(d, files)
    _attachments(d, files, processed)
    return d


class _NotAsExpected(Exception):
    """An image came out otherwise than its header promised: the early rendering is dropped."""


def _later(processed: Callable[[int], EvidenceFile], no: int, k: int, px: tuple[int, int]):
    """The JPEG bytes of part k of image `no`, fetched when its page is drawn."""

    def data() -> bytes:
        parts = processed(no).parts
        if k >= len(parts) or parts[k][1] != px:
            raise _NotAsExpected(no)
        return parts[k][0]

    return data


def _write(out_path: Path, data: bytes) -> None:
    from ..casefile.fileio import write_bytes_atomic

    try:
        write_bytes_atomic(out_path, data)
    except PermissionError as e:
        raise BuyerHelperError(f"无法写入 {out_path}：没有权限（{e.strerror}）") from None
    except OSError as e:  # disk full, folder gone: the old PDF (if any) is untouched
        raise BuyerHelperError(
            f"写入 {out_path} 失败（{e.strerror or e}）；原有文件没有被改动。", exit_code=1
        ) from None


# -------------------------------------------------------------------- command


def case_root(evidence: Path, answers: Path) -> Path:
    """The case folder an evidence folder belongs to, for `evidence.check_access`: the answers
    file's folder when the evidence folder is (by name, links not followed) inside it, else the
    evidence folder itself."""
    ev = Path(os.path.abspath(evidence))
    answers = Path(os.path.abspath(answers))
    folder = answers if answers.is_dir() else answers.parent
    return folder if ev == folder or folder in ev.parents else ev


def _paths(directory, answers, evidence, output) -> tuple[Path, Path | None, Path, bool]:
    """(answers, evidence dir or None, output) from the command-line combination."""
    if directory is not None:
        if answers is not None or evidence is not None:
            raise BuyerHelperError(
                "用案子文件夹时不要再给 --answers 或 --evidence。"
                "两种用法选一种：buyer-helper bundle 案子文件夹，"
                "或 buyer-helper bundle --answers 答案文件 --evidence 证据文件夹 -o 输出.pdf"
            )
        directory = Path(directory)
        if not directory.is_dir():
            raise BuyerHelperError(f"找不到案子文件夹：{directory}")
        ev = directory / EVIDENCE_DIR
        return directory / CASE_FILE, ev if ev.is_dir() else None, output, True
    if answers is None or evidence is None or output is None:
        missing = [
            n
            for n, v in (("--answers", answers), ("--evidence", evidence), ("-o", output))
            if v is None
        ]
        raise BuyerHelperError(
            f"缺少 {'、'.join(missing)}。用法：buyer-helper bundle 案子文件夹，"
            "或 buyer-helper bundle --answers 答案文件 --evidence 证据文件夹 -o 输出.pdf"
        )
    evidence = Path(evidence)
    if not evidence.is_dir():
        raise BuyerHelperError(f"证据文件夹不存在或不是文件夹：{evidence}")
    return Path(answers), evidence, Path(output), False


def summary_lines(result: BundleResult) -> list[str]:
    """What the buyer is told about a bundle: where, how big, what could not be shown."""
    lines = [
        f"证据包已生成：{result.path}",
        f"  共 {result.pages} 页，{human_size(result.size)}；证据文件 {len(result.files)} 个"
        + (f"；附投诉文字：{result.title}（{result.channel}）" if result.channel else ""),
    ]
    lines += [f"  提示：{w}" for w in result.warnings]
    bad = result.unpreviewable
    if bad:
        lines.append(f"PDF 已生成，但有 {len(bad)} 个文件无法预览，已列在证据清单中：")
        lines += [
            f"  - {f.name}：{f.reason}" + (f"（链接到 {f.link}）" if f.link else "") for f in bad
        ]
        lines.append("  这些文件请另行提交原文件。")
    if any(f.outside and not f.read for f in result.files):
        lines.append(
            "  指向案子文件夹以外的链接没有读取（别人给的案子文件夹里，这样的链接可能指向你电脑上"
            "的其他文件）。确认它们是你的证据时，把原文件复制进证据文件夹，或加 "
            f"{FOLLOW_OPTION} 重新生成。"
        )
    return lines


def bundle_command(
    directory, answers, evidence, output, channel, now, follow_outside_links: bool = False
) -> tuple[str, int]:
    """`buyer-helper bundle`: (message, exit code) — 0 ok, 3 some files could not be previewed.
    follow_outside_links: read evidence files that link outside the case folder too."""
    from ..decide.routing import route
    from ..facts.hours import parse_now

    answers_path, evidence_dir, output, is_case_dir = _paths(directory, answers, evidence, output)
    moment = parse_now(now)
    case = load_case(answers_path, today=moment.date())
    if output is None:
        output = Path(directory) / OUT_DIR / f"证据包-{case.order.id}.pdf"
    output = Path(output)
    if output.exists() and output.is_dir():
        raise BuyerHelperError(f"{output} 是文件夹；请用 -o 给出 PDF 文件名")
    if output.suffix.lower() != ".pdf":
        raise BuyerHelperError(f"输出文件名应以 .pdf 结尾：{output}")
    plan = route(case, moment)
    result = build_bundle(
        case,
        plan,
        evidence_dir,
        output,
        channel=channel,
        progress=stderr_progress(),
        root=case_root(evidence_dir, answers_path) if evidence_dir is not None else None,
        follow_outside_links=follow_outside_links,
    )
    lines = summary_lines(result)
    if is_case_dir and not result.files:
        folder = Path(directory) / EVIDENCE_DIR
        why = "文件夹不存在" if evidence_dir is None else "文件夹是空的"
        lines.insert(
            2,
            f"  注意：{folder} {why}，证据包里没有证据文件。把聊天截图、照片、聊天记录（.txt）"
            "放进这个文件夹，再运行一次。",
        )
    return "\n".join(lines), result.exit_code
