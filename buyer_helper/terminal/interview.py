"""The interactive interview behind `buyer-helper start DIR`: the terminal side.

The questions, their parsers and conditions are data in questions.py. One adapter function
(`_ask`) turns a question into a questionary prompt; the flow (`_Interview`) knows nothing
about the terminal.

Every answer is written to `DIR/case.yaml` as soon as it is given, as raw answers (the same
format `plan --answers` reads), so a half-finished case is a valid partial file and
`start DIR` resumes at the first unanswered question. questionary is imported only inside
the functions that prompt.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..casefile.case import case_from_dict
from ..casefile.casefolder import CASE_FILE, EVIDENCE_DIR, OUT_DIR, read_yaml, write_yaml
from ..casefile.fileio import locked
from ..errors import BuyerHelperError
from .questions import (
    BY_KEY,
    NOTHING_TRIED,
    QUESTIONS,
    Answers,
    Context,
    Question,
    answer_at,
    choices_of,
    day_words,
    display,
    help_for,
    is_answered,
    missing_12315,
    stale_reason,
)

BACK_TEXT = "<"  # typed into a text question: go to the previous question
BACK_TITLE = "← 上一题"
REVIEW_BACK_TITLE = "← 不改了，回到核对列表"
_BACK_VALUE = "__back__"  # the value of the "← 上一题" choice in selects and checkboxes
_CONFIRM_VALUE = "__confirm__"  # "✓ 都对" in the review
EXIT_INTERRUPTED = 130

SELECT_HINT = "（↑↓ 选择，回车确认）"
CHECKBOX_HINT = "（↑↓ 移动，空格 勾选/取消，回车 确认；都没做过就直接回车）"
STORY_HINT = "（可以写多行或直接粘贴；写完后在空行上再按一次回车）\n"


class _Back(Exception):
    """Raised inside the flow when the buyer asks for the previous question."""


DRAFTS_KEY = (
    "drafts"  # case.yaml: question key -> text typed before Ctrl-C (case_from_dict ignores it)
)


class _Interrupted(KeyboardInterrupt):
    """Ctrl-C in a text question, with the text that was in the box (kept as a draft)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text


def drafts_of(answers: Answers) -> dict[str, str]:
    """The drafts saved in the answers (question key -> unfinished text)."""
    drafts = answers.get(DRAFTS_KEY)
    if not isinstance(drafts, dict):
        return {}
    return {k: v for k, v in drafts.items() if isinstance(k, str) and isinstance(v, str)}


def _set(answers: Answers, key: str, value: Any) -> None:
    parts = key.split(".")
    node: Any = answers
    for part in parts[:-1]:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]  # "promises.0.where": an item the earlier answer made
            continue
        if not isinstance(node.get(part), (dict, list)):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


def _delete(answers: Answers, key: str) -> None:
    parts = key.split(".")
    node: Any = answers
    for part in parts[:-1]:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            continue
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(parts[-1], None)


# ------------------------------------------------------------- the adapter


def _ctrl_c_key_bindings(typed: list[str]):
    """Ctrl-C: note the text in the box (appended to `typed`), then stop like prompt_toolkit's
    own Ctrl-C (the prompt raises KeyboardInterrupt)."""
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    @kb.add("c-c")
    def _(event):
        typed.append(event.current_buffer.text)
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    return kb


def _story_key_bindings(wants_back: Callable[[str], bool]):
    """Enter on an empty last line (or after "<") finishes; otherwise starts a new line."""
    from prompt_toolkit.key_binding import KeyBindings

    kb = KeyBindings()

    @kb.add("enter")
    def _(event):
        buf = event.current_buffer
        doc = buf.document
        if wants_back(buf.text) or (doc.is_cursor_at_the_end and doc.current_line.strip() == ""):
            buf.text = buf.text.rstrip()
            buf.validate_and_handle()
        else:
            buf.insert_text("\n")

    return kb


def _ask(q: Question, answers: Answers, ctx: Context, back: str | None) -> Any:
    """Ask one question with questionary; return the parsed value or raise _Back.

    `back` is the title of the way-back choice (None: no way back, this is the first question).

    Ctrl-C raises KeyboardInterrupt (unsafe_ask), end of input raises EOFError.
    """
    import questionary

    current = answer_at(answers, q.key)
    for i, line in enumerate(help_for(q, answers, ctx).splitlines()):
        print(("  提示：" if i == 0 else "        ") + line)
    # a saved answer that cannot be kept (edited case.yaml, or an earlier answer changed)
    if reason := stale_reason(q, answers, ctx):
        print(f"  ✗ {reason}")
    offered = choices_of(q, answers) or {}

    if q.kind == "select":
        choices = [questionary.Choice(title=label, value=value) for value, label in offered.items()]
        if back:
            choices.append(questionary.Choice(title=back, value=_BACK_VALUE))
        result = questionary.select(
            q.prompt,
            choices=choices,
            default=current if isinstance(current, str) and current in offered else None,
            instruction=SELECT_HINT,
        ).unsafe_ask()
        if result == _BACK_VALUE:
            raise _Back
        return q.parse(result, answers, ctx)

    if q.kind == "checkbox":
        checked = current if isinstance(current, list) else []
        choices = [
            questionary.Choice(title=label, value=value, checked=value in checked)
            for value, label in offered.items()
        ]
        if back:
            choices.append(
                questionary.Choice(title=back + "（勾选这一项再回车）", value=_BACK_VALUE)
            )
        result = questionary.checkbox(
            q.prompt, choices=choices, instruction=CHECKBOX_HINT, erase_when_done=True
        ).unsafe_ask()
        if _BACK_VALUE in result:
            raise _Back
        value = q.parse(result, answers, ctx)
        shown = "、".join(offered[v] for v in value) or NOTHING_TRIED
        print(f"? {q.prompt} {shown}")
        return value

    # A refused answer is explained on the line below it and asked again, pre-filled with
    # what was typed, so the message stays next to the question.
    # prefilled: the draft left by Ctrl-C, else the saved answer, else a suggestion
    draft = drafts_of(answers).get(q.key)
    seen = dict(ctx.scanned).get(q.key)
    if draft is None and current is None and seen:
        draft = seen
        print(f"  （从截图 {ctx.scanned_from} 读到的，直接回车采用，或改成对的）")
    if draft is None:
        draft = str(current) if current is not None else (q.suggest(answers) if q.suggest else "")
    if back == REVIEW_BACK_TITLE:
        print(f"  （直接回车保留原来的答案；输入 {BACK_TEXT} 再回车，回到核对列表）")
    while True:

        def wants_back(text: str, shown: str = draft) -> bool:
            # "<" alone, or "<" typed after the pre-filled text (on its line or a new one)
            text = text.strip()
            return text.endswith(BACK_TEXT) and text[: -len(BACK_TEXT)].strip() in (
                "",
                shown.strip(),
            )

        from prompt_toolkit.key_binding import merge_key_bindings

        typed: list[str] = []
        extra: dict[str, Any] = {"key_bindings": _ctrl_c_key_bindings(typed)}
        if q.kind == "story":
            extra = {
                "multiline": True,
                "instruction": STORY_HINT,
                "key_bindings": merge_key_bindings(
                    [_story_key_bindings(wants_back), extra["key_bindings"]]
                ),
            }
        try:
            text = questionary.text(q.prompt, default=draft, **extra).unsafe_ask()
        except KeyboardInterrupt:
            if typed:
                raise _Interrupted(typed[-1]) from None
            raise
        if wants_back(text):
            if back:
                raise _Back
            print("  ✗ 这已经是第一题了")
            continue
        try:
            value = q.parse(text, answers, ctx)
        except BuyerHelperError as e:
            print(f"  ✗ {e.message}")
            draft = text.strip()
            continue
        if q.kind == "date" and value != text.strip():
            # "昨天", "11月16日": show the date it became
            print(f"  → 记为 {day_words(dt.date.fromisoformat(value))}")
        return value


# ----------------------------------------------------------------- the flow


def ask_confirm(prompt: str) -> bool:
    """A yes/no question at the terminal (questionary); Ctrl-C raises KeyboardInterrupt."""
    import questionary

    choice = questionary.select(
        prompt,
        choices=[
            questionary.Choice(title="是，确认", value=True),
            questionary.Choice(title="不是 / 识别有误，排除", value=False),
        ],
        instruction=SELECT_HINT,
    ).unsafe_ask()
    return bool(choice)


def screenshot_answers(scanned: list) -> tuple[tuple[tuple[str, str], ...], str]:
    """The answers an order-detail screenshot offers (Context.scanned), and its file name."""
    from ..evidence.scan import screenshot_order

    seen = screenshot_order(scanned)
    if seen is None:
        return (), ""
    pairs = [
        ("order.id", seen.id),
        ("order.shop", seen.shop),
        ("order.amount", seen.amount),
        ("order.ordered_on", seen.ordered_on.isoformat() if seen.ordered_on else ""),
        ("signed_on", seen.signed_on.isoformat() if seen.signed_on else ""),
    ]
    return tuple((k, v) for k, v in pairs if v), seen.file


def confirm_quotes(case_file: Path, scanned: list, ask: Callable | None = None) -> list:
    """The evidence step of the interview: the seller's words `scan` found and the buyer has
    not decided on yet are offered one by one; the decisions go to case.yaml. Returns every
    decided quote (quotes.Quote)."""
    from ..casefile.quotes import load_decisions, save_decisions
    from ..evidence.scan import apply_decisions

    decided = load_decisions(case_file) if case_file.exists() else []
    found = apply_decisions(scanned, decided)
    open_quotes = [q for q in found if not q.decided]
    if not open_quotes:
        return decided
    print(f"\n截图里找到 {len(open_quotes)} 句商家可能违规的原话。确认过的才会写进投诉文字：")
    ask = ask or ask_confirm
    for i, q in enumerate(open_quotes, 1):
        q.confirmed = bool(ask(f"原话 {i}/{len(open_quotes)}：{q.cited()}\n  这是商家说的原话吗？"))
        q.decided = True
        save_decisions(case_file, [q])  # each answer kept at once, like every other answer
    return load_decisions(case_file)


def _shell_arg(text: str) -> str:
    return (
        shlex.quote(text) if re.search(r"[\s'\"\\$`!*?&;|<>()#~{}\[\]]", text) or not text else text
    )


class _Interview:
    def __init__(self, directory: Path, ctx: Context, answers: Answers, ask: Callable):
        self.directory = directory
        self.ctx = ctx
        self.answers = answers
        self.ask = ask
        self.drafted: str | None = None  # label of the question whose text Ctrl-C kept
        self.saved = copy.deepcopy(answers)  # case.yaml as this interview last read or wrote it

    @property
    def case_file(self) -> Path:
        return self.directory / CASE_FILE

    def applicable(self) -> list[Question]:
        return [q for q in QUESTIONS if q.when(self.answers, self.ctx)]

    def answered_count(self) -> int:
        return sum(1 for q in self.applicable() if is_answered(q, self.answers, self.ctx))

    def save(self) -> None:
        for q in QUESTIONS:
            if (
                q.drop_when_skipped
                and answer_at(self.answers, q.key) is not None
                and not q.when(self.answers, self.ctx)
            ):
                _delete(self.answers, q.key)
        if DRAFTS_KEY in self.answers and not drafts_of(self.answers):
            del self.answers[DRAFTS_KEY]
        try:
            with locked(self.directory):  # another command (`log`) may have written meanwhile
                self.take_others_changes()
                write_yaml(self.case_file, self.answers)
            self.saved = copy.deepcopy(self.answers)
        except OSError as e:
            raise BuyerHelperError(f"无法保存 {self.case_file}：{e.strerror or e}") from None

    def take_others_changes(self) -> None:
        """Keep what another command wrote to case.yaml since this interview last saved (e.g.
        `log` added to the timeline): a key changed there and not here takes the file's value;
        a list changed on both sides keeps this interview's list plus the file's new items."""
        try:
            on_disk = read_yaml(self.case_file) if self.case_file.exists() else None
        except BuyerHelperError:  # a broken file: the interview's answers are written as before
            return
        if not isinstance(on_disk, dict):
            return
        for key, theirs in on_disk.items():
            before = self.saved.get(key)
            if theirs == before:
                continue
            mine = self.answers.get(key)
            if mine == before:
                self.answers[key] = theirs
            elif isinstance(mine, list) and isinstance(theirs, list):
                old = before if isinstance(before, list) else []
                mine += [item for item in theirs if item not in old and item not in mine]

    def ask_one(self, q: Question, back: str | None) -> Any:
        """Ask `q`; on Ctrl-C in a text question, save what was typed as its draft first."""
        try:
            return self.ask(q, self.answers, self.ctx, back)
        except _Interrupted as e:
            self.keep_draft(q, e.text)
            raise

    def keep_draft(self, q: Question, text: str) -> None:
        drafts = drafts_of(self.answers)
        current = answer_at(self.answers, q.key)
        if text.strip() and text.strip() != str(current if current is not None else "").strip():
            drafts[q.key] = text
            self.drafted = q.label
        else:  # nothing typed, or the saved answer unchanged: nothing to keep
            drafts.pop(q.key, None)
        self.answers[DRAFTS_KEY] = drafts
        self.save()

    def answer(self, q: Question, value: Any) -> None:
        """Store and save an answer; its draft, if any, is used up."""
        _set(self.answers, q.key, value)
        drafts = drafts_of(self.answers)
        if drafts.pop(q.key, None) is not None:
            self.answers[DRAFTS_KEY] = drafts
        self.save()

    def _previous(self, index: int) -> int | None:
        for j in range(index - 1, -1, -1):
            if QUESTIONS[j].when(self.answers, self.ctx):
                return j
        return None

    def forward(self, start: int) -> None:
        """Ask the unanswered questions from `start` on, with a way back.

        After going back, every question up to the one the buyer backed out of is asked
        again (its answer pre-filled); past that, answered questions are skipped.
        """
        i = start
        revisit_until = -1
        while i < len(QUESTIONS):
            q = QUESTIONS[i]
            if not q.when(self.answers, self.ctx) or (
                i > revisit_until and is_answered(q, self.answers, self.ctx)
            ):
                i += 1
                continue
            back = BACK_TITLE if self._previous(i) is not None else None
            try:
                value = self.ask_one(q, back)
            except _Back:
                prev = self._previous(i)
                if prev is not None:
                    revisit_until = max(revisit_until, i)
                    i = prev
                continue
            self.answer(q, value)
            i += 1

    def first_unanswered(self) -> int | None:
        for i, q in enumerate(QUESTIONS):
            if q.when(self.answers, self.ctx) and not is_answered(q, self.answers, self.ctx):
                return i
        return None

    def complete(self) -> None:
        """Ask until every question that matters has a valid answer."""
        while (i := self.first_unanswered()) is not None:
            self.forward(i)

    def review(self) -> Any:
        """Show all answers; change any; return the validated Case once the buyer confirms."""
        import questionary

        while True:
            self.complete()
            print("\n请核对你的回答（选一项可以修改）：")
            questions = self.applicable()
            width = max(len(q.label) for q in questions)
            drafts = drafts_of(self.answers)
            choices = [questionary.Choice(title="✓ 都对，生成维权计划", value=_CONFIRM_VALUE)]
            for q in questions:
                label = q.label + "　" * (width - len(q.label))  # CJK labels: pad with U+3000
                shown = display(q, self.answers)
                if q.key in drafts:
                    shown += "（有没写完的草稿，选它接着写）"
                choices.append(questionary.Choice(title=f"{label}  {shown}", value=q.key))
            picked = questionary.select(
                "都对吗？", choices=choices, instruction=SELECT_HINT
            ).unsafe_ask()
            if picked == _CONFIRM_VALUE:
                try:
                    return case_from_dict(self.answers, today=self.ctx.today)
                except BuyerHelperError as e:
                    # every question is answered, so the problem is in a part of the file the
                    # interview does not ask about (timeline, evidence notes, edited by hand)
                    raise BuyerHelperError(
                        f"{e.message}\n这一项不在问答里：请用文本编辑器改好 {self.case_file}，"
                        f"再运行 buyer-helper start {_shell_arg(str(self.directory))}"
                    ) from None
            q = BY_KEY[picked]
            try:
                value = self.ask_one(q, REVIEW_BACK_TITLE)
            except _Back:
                continue  # the way back in the review means: leave this answer as it was
            self.answer(q, value)


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


NO_TERMINAL_MESSAGE = (
    "buyer-helper start 需要在终端里一问一答，但现在的输入不是终端（例如管道或脚本）。\n"
    "不用问答也可以：把答案写进一个 YAML 文件，再运行\n"
    "  buyer-helper plan --answers 答案文件.yaml\n"
    "文件格式可参考示例：运行 buyer-helper demo，看它生成的 buyer-helper-示例/case.yaml。"
)


def start_command(
    directory: Path,
    now: str | None,
    *,
    is_terminal: Callable[[], bool] | None = None,
    colour: bool = False,
) -> str | None:
    """Run the interview for the case in `directory`; return the plan and the next commands
    (`colour`: style the plan's first lines for a terminal).

    `is_terminal` is injectable so tests can run the interview in a prompt_toolkit pipe
    session (the default checks that stdin is a terminal).
    """
    if not (is_terminal or _stdin_is_terminal)():
        raise BuyerHelperError(NO_TERMINAL_MESSAGE, exit_code=2)

    from ..facts.hours import parse_now

    moment = parse_now(now)
    directory = Path(directory)
    shown_dir = _shell_arg(str(directory))
    from ..evidence.scan import cached_scan

    scanned = cached_scan(directory)  # what `scan` read; the interview never runs OCR itself
    seen, seen_from = screenshot_answers(scanned)
    ctx = Context(
        today=moment.date(),
        now=moment,
        come_back=f"buyer-helper start {shown_dir}",
        scanned=seen,
        scanned_from=seen_from,
    )
    case_file = directory / CASE_FILE

    answers: Answers = {}
    if case_file.exists():
        loaded = read_yaml(case_file)
        if loaded is not None and not isinstance(loaded, dict):
            raise BuyerHelperError(
                f"{case_file} 的内容不是“键: 值”的答案格式，无法接着答。请检查或换一个文件夹。"
            )
        answers = loaded or {}
    try:
        (directory / EVIDENCE_DIR).mkdir(parents=True, exist_ok=True)
        (directory / OUT_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BuyerHelperError(f"无法创建案子文件夹 {directory}：{e.strerror}") from None

    flow = _Interview(directory, ctx, answers, _ask)
    done = flow.answered_count()
    if answers and flow.first_unanswered() is None:
        print(f"继续上次的案子：{done} 题都已回答，请核对。（{case_file}）")
    elif answers:
        print(f"继续上次的案子，已回答 {done} 题。（{case_file}）")
    else:
        print(f"新建案子：{directory.resolve()}")
    if drafted := [BY_KEY[k].label for k in drafts_of(answers) if k in BY_KEY]:
        print(f"上次没写完的“{'”“'.join(drafted)}”存着草稿，问到时会先填好，接着写就行。")
    print(
        f"· 把截图、照片、聊天记录放进 {directory / EVIDENCE_DIR}/ 文件夹。\n"
        "· 每答一题都会马上保存；随时可按 Ctrl-C 退出，下次运行同一命令接着答。\n"
        f"· 想回到上一题：文字题输入 {BACK_TEXT} 再回车，选择题选“{BACK_TITLE}”。\n"
    )

    try:
        flow.save()
        case = flow.review()
        case.quotes = confirm_quotes(case_file, scanned)
        if scanned:
            from ..evidence.scan import screenshot_order

            case.screenshot_order = screenshot_order(scanned)
    except (KeyboardInterrupt, EOFError):
        then = "接着答" if flow.first_unanswered() is not None else "回来核对、生成维权计划"
        kept = f"你正在写的“{flow.drafted}”已存为草稿，下次接着写。\n" if flow.drafted else ""
        raise BuyerHelperError(
            f"已中断。已回答的 {flow.answered_count()} 题都保存在 {case_file}。\n{kept}"
            f"{then}，请运行：buyer-helper start {shown_dir}",
            exit_code=EXIT_INTERRUPTED,
        ) from None

    from ..decide.routing import route
    from .render import render_plan_text

    plan = route(case, moment)
    text = render_plan_text(plan, case, colour=colour)
    next_steps = [
        (
            f"buyer-helper letters {shown_dir}",
            f"生成每一步要用的投诉文字，写入 {directory / OUT_DIR}",
        ),
        (
            f"buyer-helper bundle {shown_dir}",
            f"把案子和 {directory / EVIDENCE_DIR} 里的证据打包成 PDF",
        ),
        (
            f'buyer-helper log {shown_dir} "联系了官方客服，工单号 123"',
            "每做一步记一笔，计划会跟着往下走",
        ),
        (f"buyer-helper start {shown_dir}", "回来修改答案"),
    ]
    lines = [text, "", f"答案已保存在 {case_file}。接下来："]
    for command, what in next_steps:
        lines += [f"  {command}", f"      {what}"]
    if blank := missing_12315(flow.answers, ctx):
        labels = "、".join(q.label for q in blank)
        lines += [
            "",
            f"向 12315 投诉要用的这几项还空着：{labels}。",
            f"要向 12315 投诉时再运行 {ctx.come_back}，在核对列表里选它补填。",
        ]
    return "\n".join(lines)
