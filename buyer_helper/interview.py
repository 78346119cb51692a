"""The interactive interview behind `buyer-helper start DIR`.

The questions are data (`QUESTIONS`): a key in the answers, a Chinese prompt, a kind, the
choices (from case.py's label dicts), a help line, a `when` condition deciding whether the
question matters given the answers so far, and a parser that validates and normalises one
answer. One adapter function (`_ask`) turns a question into a questionary prompt; the flow
(`_Interview`) knows nothing about the terminal.

Every answer is written to `DIR/case.yaml` as soon as it is given, as raw answers (the same
format `plan --answers` reads), so a half-finished case is a valid partial file and
`start DIR` resumes at the first unanswered question. questionary is imported only inside
the functions that prompt.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .case import (
    CASE_FILE,
    DELIVERY,
    DEMANDS,
    EVIDENCE_DIR,
    FIELD_NAMES,
    OUT_DIR,
    PLATFORMS,
    PROBLEMS,
    TRIED,
    case_from_dict,
    check_order_id,
    parse_amount,
    parse_date,
    read_yaml,
    write_yaml,
)
from .errors import BuyerHelperError

BACK_TEXT = "<"  # typed into a text question: go to the previous question
BACK_TITLE = "← 上一题"
REVIEW_BACK_TITLE = "← 不改了，回到核对列表"
_BACK_VALUE = "__back__"  # the value of the "← 上一题" choice in selects and checkboxes
_CONFIRM_VALUE = "__confirm__"
EXIT_INTERRUPTED = 130

SELECT_HINT = "（↑↓ 选择，回车确认）"
CHECKBOX_HINT = "（↑↓ 移动，空格 勾选/取消，回车 确认；都没做过就直接回车）"
STORY_HINT = "（可以写多行或直接粘贴；写完后在空行上再按一次回车）\n"


class _Back(Exception):
    """Raised inside the flow when the buyer asks for the previous question."""


@dataclass(frozen=True)
class Context:
    """What the questions' conditions and parsers may look at besides the answers."""

    today: dt.date  # Beijing date of "now"
    now: dt.datetime  # Beijing time, for routing


Answers = dict  # raw answers, nested like case.yaml ("order": {"id": ...})


@dataclass(frozen=True)
class Question:
    key: str  # path in the answers, e.g. "order.id"
    prompt: str  # Chinese
    kind: str  # select | text | date | amount | checkbox | confirm | story
    parse: Callable[[Any, Answers, Context], Any]  # raw input -> stored value, or BuyerHelperError
    label: str = ""  # short Chinese name for the review list
    choices: dict[str, str] | None = None  # value -> Chinese label (select/checkbox/confirm)
    help: str = ""  # one line printed above the prompt
    when: Callable[[Answers, Context], bool] = lambda answers, ctx: True
    drop_when_skipped: bool = False  # remove a stale answer when the question no longer applies


# ------------------------------------------------------------- answers access


def _get(answers: Answers, key: str) -> Any:
    node: Any = answers
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _has(answers: Answers, key: str) -> bool:
    node: Any = answers
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return node is not None


def _set(answers: Answers, key: str, value: Any) -> None:
    parts = key.split(".")
    node = answers
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[parts[-1]] = value


def _delete(answers: Answers, key: str) -> None:
    parts = key.split(".")
    node: Any = answers
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(parts[-1], None)


# ------------------------------------------------------------------ parsers


def _short(err: BuyerHelperError, key: str) -> BuyerHelperError:
    """case.py's messages start with "答案文件有误：<field>："; in the interview that is noise."""
    prefix = f"答案文件有误：{FIELD_NAMES.get(key, key)}："
    return BuyerHelperError(err.message.removeprefix(prefix))


def _select(choices: dict[str, str]) -> Callable[[Any, Answers, Context], str]:
    def parse(value: Any, answers: Answers, ctx: Context) -> str:
        if value not in choices:
            raise BuyerHelperError("请从列表中选择一项")
        return value

    return parse


def _checkbox(choices: dict[str, str]) -> Callable[[Any, Answers, Context], list[str]]:
    def parse(value: Any, answers: Answers, ctx: Context) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(v not in choices for v in value):
            raise BuyerHelperError("请从列表中勾选")
        return [k for k in choices if k in value]  # keep the list's order, no duplicates

    return parse


def _text(
    limit: int, required: bool = True, what: str = ""
) -> Callable[[Any, Answers, Context], str]:
    def parse(value: Any, answers: Answers, ctx: Context) -> str:
        if value is None:
            value = ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise BuyerHelperError("请填写文字")
        value = value.strip()
        if required and not value:
            raise BuyerHelperError(f"这一项不能空着{what}")
        if len(value) > limit:
            raise BuyerHelperError(f"太长了（{len(value)} 字，最多 {limit} 字）")
        return value

    return parse


_YMD_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MD_RE = re.compile(r"^(\d{1,2})\s*[月/]\s*(\d{1,2})\s*日?$")
_RELATIVE_DAYS = {"今天": 0, "昨天": 1, "前天": 2}


def read_date(value: Any, key: str, today: dt.date) -> dt.date:
    """A date as a buyer types it: 2026-11-20, 2026/11/20, 2026年11月20日, 11月20日, 昨天.

    A month and day without a year means the latest such day that is not after today.
    """
    if isinstance(value, str):
        text = value.strip()
        if text in _RELATIVE_DAYS:
            return today - dt.timedelta(days=_RELATIVE_DAYS[text])
        m = _YMD_RE.match(text)
        if m:
            value = "{:04d}-{:02d}-{:02d}".format(*map(int, m.groups()))
        else:
            m = _MD_RE.match(text)
            if m:
                month, day = map(int, m.groups())
                for year in (today.year, today.year - 1):
                    try:
                        candidate = dt.date(year, month, day)
                    except ValueError:
                        continue
                    if candidate <= today:
                        return candidate
    try:
        return parse_date(value, key)
    except BuyerHelperError as e:
        raise _short(e, key) from None


def _parse_ordered_on(value: Any, answers: Answers, ctx: Context) -> str:
    day = read_date(value, "order.ordered_on", ctx.today)
    if day > ctx.today:
        raise BuyerHelperError(f"{day} 在今天（{ctx.today}）之后，请检查")
    signed = _known_date(answers, "signed_on") if _signed(answers, ctx) else None
    if signed and day > signed:
        raise BuyerHelperError(f"下单日期不能晚于签收日期（{signed}）")
    return day.isoformat()


def _parse_signed_on(value: Any, answers: Answers, ctx: Context) -> str:
    day = read_date(value, "signed_on", ctx.today)
    if day > ctx.today:
        raise BuyerHelperError(f"{day} 在今天（{ctx.today}）之后，请检查")
    ordered = _known_date(answers, "order.ordered_on")
    if ordered and day < ordered:
        raise BuyerHelperError(f"签收日期不能早于下单日期（{ordered}）")
    return day.isoformat()


def _known_date(answers: Answers, key: str) -> dt.date | None:
    try:
        return parse_date(_get(answers, key), key) if _has(answers, key) else None
    except BuyerHelperError:
        return None


def _parse_amount(value: Any, answers: Answers, ctx: Context) -> str:
    if isinstance(value, str):
        value = value.strip().removesuffix("元").replace(",", "").replace("，", "")
    try:
        return str(parse_amount(value))
    except BuyerHelperError as e:
        raise _short(e, "order.amount") from None


def _parse_order_id(value: Any, answers: Answers, ctx: Context) -> str:
    text = re.sub(r"\s+", "", str(value if value is not None else ""))
    if not text:
        raise BuyerHelperError("这一项不能空着：在订单详情页可以找到并复制订单编号")
    try:
        return check_order_id(text)
    except BuyerHelperError as e:
        raise _short(e, "order.id") from None


def _parse_phone(value: Any, answers: Answers, ctx: Context) -> str:
    text = _text(30, what="：12315 需要能联系到你的电话")(value, answers, ctx)
    if not re.fullmatch(r"[0-9+\- ]{5,30}", text):
        raise BuyerHelperError(f"“{text}”不像电话号码：只写数字，例如 13800138000")
    return text


# --------------------------------------------------------------- conditions


def _signed(answers: Answers, ctx: Context) -> bool:
    return _get(answers, "delivery") in ("signed", "completed")


_C12315_CHANNELS = ("c12315", "c12315_online")


def reaches_12315(answers: Answers, ctx: Context) -> bool:
    """Whether the plan for these answers reaches a 12315 complaint (so contact details matter).

    The plan always ends with the whole ladder of 消保法 第三十九条, so "reaches" means: a 12315
    step is already done, or only phone calls to the platform's hotline stand between the
    buyer and 12315 (the platform's own service has been tried). Before the answers make a
    valid case (or without routing) a simpler rule stands in: the platform has failed, or the
    goods are fake (退一赔三 needs 12315 or a court: FACTS.md §4a).
    """
    key = (json.dumps(answers, sort_keys=True, default=str, ensure_ascii=False), ctx.now)
    if key not in _REACH_CACHE:
        if len(_REACH_CACHE) > 64:
            _REACH_CACHE.clear()
        _REACH_CACHE[key] = _reaches_12315(answers, ctx)
    return _REACH_CACHE[key]


def _plan_reaches_12315(plan: Any) -> bool:
    from .channels import get_channel

    if any(step.done and step.channel in _C12315_CHANNELS for step in plan.steps):
        return True
    for step in plan.steps:
        if step.done:
            continue
        if step.channel in _C12315_CHANNELS:
            return True
        if get_channel(step.channel).kind != "phone":
            return False
    return False


_REACH_CACHE: dict[tuple, bool] = {}


def _reaches_12315(answers: Answers, ctx: Context) -> bool:
    try:
        from .routing import route
    except ModuleNotFoundError as e:
        if e.name != f"{__package__}.routing":
            raise
        route = None
    if route is not None:
        try:
            case = case_from_dict(answers, today=ctx.today)
        except BuyerHelperError:
            pass
        else:
            return _plan_reaches_12315(route(case, ctx.now))
    tried = _get(answers, "tried") or []
    if not isinstance(tried, list):
        tried = [tried]
    if any(t in ("platform_unsatisfied", "hotline_called", "c12315_filed") for t in tried):
        return True
    return _get(answers, "problem") == "fake_goods"


# ---------------------------------------------------------------- questions

QUESTIONS: list[Question] = [
    Question(
        "platform",
        "在哪个平台买的？",
        "select",
        _select(PLATFORMS),
        label="平台",
        choices=PLATFORMS,
    ),
    Question(
        "problem",
        "出了什么问题？",
        "select",
        _select(PROBLEMS),
        label="问题",
        choices=PROBLEMS,
        help="商品有问题、商家又辱骂你时，选商品的问题；辱骂的经过写在最后的“经过”里。",
    ),
    Question(
        "order.id",
        "订单号：",
        "text",
        _parse_order_id,
        label="订单号",
        help="在订单详情页可以找到订单编号，复制后粘贴到这里。",
    ),
    Question("order.shop", "店铺名称：", "text", _text(100), label="店铺"),
    Question("order.item", "买的是什么商品？", "text", _text(200), label="商品"),
    Question(
        "order.amount",
        "实付金额（元）：",
        "amount",
        _parse_amount,
        label="金额",
        help="写数字即可，例如 89.9 或 ¥89.90。",
    ),
    Question(
        "order.ordered_on",
        "哪天下的单？",
        "date",
        _parse_ordered_on,
        label="下单日期",
        help="例如 2026-11-16、2026/11/16 或 11月16日。",
    ),
    Question(
        "delivery",
        "现在的收货状态：",
        "select",
        _select(DELIVERY),
        label="收货状态",
        choices=DELIVERY,
    ),
    Question(
        "signed_on",
        "哪天签收的？",
        "date",
        _parse_signed_on,
        label="签收日期",
        help="7天退货从签收次日起算，日期要准；以物流记录里的签收时间为准。",
        when=_signed,
        drop_when_skipped=True,
    ),
    Question(
        "tried",
        "到目前为止，你已经做过哪些？",
        "checkbox",
        _checkbox(TRIED),
        label="已做过",
        choices=TRIED,
    ),
    Question(
        "demand",
        "你想要什么结果？",
        "select",
        _select(DEMANDS),
        label="诉求",
        choices=DEMANDS,
        help="售后维权的要求提交后不能再改，选你真正想要的。",
    ),
    Question(
        "story",
        "用你自己的话写下经过：",
        "story",
        _text(20000, what="：写几句发生了什么，投诉文字要用到"),
        label="经过",
        help="什么时候、发现了什么问题、和商家怎么沟通的、商家原话（辱骂、威胁的话照抄）。",
    ),
    Question(
        "seller_city",
        "商家店铺页公示的所在地（城市）：",
        "text",
        _text(50, required=False),
        label="商家所在地",
        help="下面几题是向 12315 投诉要用的。12315 按商家在平台上公示的地址找当地市场监管部门，"
        "地址在店铺页的资质/营业执照信息里；写到省和市即可，例如“浙江省杭州市”。"
        "不知道就直接回车留空，计划会先给平台所在地的号码。",
        when=reaches_12315,
    ),
    Question(
        "contact.name",
        "你的姓名：",
        "text",
        _text(50, what="：12315 投诉需要投诉人姓名"),
        label="姓名",
        help="12315 投诉必须写明投诉人的姓名、电话和通信地址；这些只保存在本机的 case.yaml 里。",
        when=reaches_12315,
    ),
    Question("contact.phone", "你的电话：", "text", _parse_phone, label="电话", when=reaches_12315),
    Question(
        "contact.address",
        "你的通信地址：",
        "text",
        _text(200, what="：12315 投诉需要投诉人的通信地址"),
        label="地址",
        when=reaches_12315,
    ),
]

_BY_KEY = {q.key: q for q in QUESTIONS}


def _is_answered(q: Question, answers: Answers, ctx: Context) -> bool:
    if not _has(answers, q.key):
        return False
    try:
        q.parse(_get(answers, q.key), answers, ctx)
    except BuyerHelperError:
        return False
    return True


def first_unanswered(answers: Answers, ctx: Context) -> Question | None:
    """The first question that matters for these answers and has no valid answer yet."""
    for q in QUESTIONS:
        if q.when(answers, ctx) and not _is_answered(q, answers, ctx):
            return q
    return None


def _display(q: Question, answers: Answers) -> str:
    value = _get(answers, q.key)
    if q.choices is not None:
        if isinstance(value, list):
            return "、".join(q.choices.get(v, str(v)) for v in value) or "（都还没做）"
        return q.choices.get(value, str(value))
    text = " ".join(str(value).split()) if value not in (None, "") else "（未填）"
    return text if len(text) <= 40 else text[:39] + "…"


# ------------------------------------------------------------- the adapter


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

    current = _get(answers, q.key)
    if q.help:
        print(f"  提示：{q.help}")

    if q.kind in ("select", "confirm"):
        choices = [
            questionary.Choice(title=label, value=value) for value, label in q.choices.items()
        ]
        if back:
            choices.append(questionary.Choice(title=back, value=_BACK_VALUE))
        result = questionary.select(
            q.prompt,
            choices=choices,
            default=current if current in q.choices else None,
            instruction=SELECT_HINT,
        ).unsafe_ask()
        if result == _BACK_VALUE:
            raise _Back
        return q.parse(result, answers, ctx)

    if q.kind == "checkbox":
        checked = current if isinstance(current, list) else []
        choices = [
            questionary.Choice(title=label, value=value, checked=value in checked)
            for value, label in q.choices.items()
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
        shown = "、".join(q.choices[v] for v in value) or "（都还没做）"
        print(f"? {q.prompt} {shown}")
        return value

    # A refused answer is explained on the line below it and asked again, pre-filled with
    # what was typed, so the message stays next to the question.
    draft = "" if current is None else str(current)
    while True:

        def wants_back(text: str, shown: str = draft) -> bool:
            # "<" alone, or "<" typed after the pre-filled text (on its line or a new one)
            text = text.strip()
            return text.endswith(BACK_TEXT) and text[: -len(BACK_TEXT)].strip() in (
                "",
                shown.strip(),
            )

        extra: dict[str, Any] = {}
        if q.kind == "story":
            extra = {
                "multiline": True,
                "instruction": STORY_HINT,
                "key_bindings": _story_key_bindings(wants_back),
            }
        text = questionary.text(q.prompt, default=draft, **extra).unsafe_ask()
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
            print(f"  → 记为 {value}")  # "昨天", "11月16日": show the date it became
        return value


# ----------------------------------------------------------------- the flow


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

    @property
    def case_file(self) -> Path:
        return self.directory / CASE_FILE

    def applicable(self) -> list[Question]:
        return [q for q in QUESTIONS if q.when(self.answers, self.ctx)]

    def answered_count(self) -> int:
        return sum(1 for q in self.applicable() if _is_answered(q, self.answers, self.ctx))

    def save(self) -> None:
        for q in QUESTIONS:
            if (
                q.drop_when_skipped
                and _has(self.answers, q.key)
                and not q.when(self.answers, self.ctx)
            ):
                _delete(self.answers, q.key)
        try:
            write_yaml(self.case_file, self.answers)
        except OSError as e:
            raise BuyerHelperError(f"无法保存 {self.case_file}：{e.strerror or e}") from None

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
                i > revisit_until and _is_answered(q, self.answers, self.ctx)
            ):
                i += 1
                continue
            back = BACK_TITLE if self._previous(i) is not None else None
            try:
                value = self.ask(q, self.answers, self.ctx, back)
            except _Back:
                prev = self._previous(i)
                if prev is not None:
                    revisit_until = max(revisit_until, i)
                    i = prev
                continue
            _set(self.answers, q.key, value)
            self.save()
            i += 1

    def first_unanswered(self) -> int | None:
        for i, q in enumerate(QUESTIONS):
            if q.when(self.answers, self.ctx) and not _is_answered(q, self.answers, self.ctx):
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
            choices = [questionary.Choice(title="✓ 都对，生成维权计划", value=_CONFIRM_VALUE)]
            for q in questions:
                label = q.label + "　" * (width - len(q.label))  # CJK labels: pad with U+3000
                choices.append(
                    questionary.Choice(title=f"{label}  {_display(q, self.answers)}", value=q.key)
                )
            picked = questionary.select(
                "都对吗？", choices=choices, instruction=SELECT_HINT
            ).unsafe_ask()
            if picked == _CONFIRM_VALUE:
                try:
                    return case_from_dict(self.answers, today=self.ctx.today)
                except BuyerHelperError as e:
                    print(f"还有问题：{e.message}")
                    continue
            q = _BY_KEY[picked]
            try:
                _set(self.answers, q.key, self.ask(q, self.answers, self.ctx, REVIEW_BACK_TITLE))
            except _Back:
                continue  # the way back in the review means: leave this answer as it was
            self.save()


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
) -> str | None:
    """Run the interview for the case in `directory`; return the plan and the next commands.

    `is_terminal` is injectable so tests can run the interview in a prompt_toolkit pipe
    session (the default checks that stdin is a terminal).
    """
    if not (is_terminal or _stdin_is_terminal)():
        raise BuyerHelperError(NO_TERMINAL_MESSAGE, exit_code=2)

    from .hours import parse_now

    moment = parse_now(now)
    ctx = Context(today=moment.date(), now=moment)
    directory = Path(directory)
    shown_dir = _shell_arg(str(directory))
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
    print(
        f"· 把截图、照片、聊天记录放进 {directory / EVIDENCE_DIR}/ 文件夹。\n"
        "· 每答一题都会马上保存；随时可按 Ctrl-C 退出，下次运行同一命令接着答。\n"
        f"· 想回到上一题：文字题输入 {BACK_TEXT} 再回车，选择题选“{BACK_TITLE}”。\n"
    )

    try:
        flow.save()
        case = flow.review()
    except (KeyboardInterrupt, EOFError):
        raise BuyerHelperError(
            f"已中断。已回答的 {flow.answered_count()} 题都保存在 {case_file}。\n"
            f"接着答，请运行：buyer-helper start {shown_dir}",
            exit_code=EXIT_INTERRUPTED,
        ) from None

    from .render import render_plan_text
    from .routing import route

    plan = route(case, moment)
    text = render_plan_text(plan, case)
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
    return "\n".join(lines)
