"""One policy for the buyer's text, and the check every generated text must pass.

Control characters (one rule for the texts and the PDF, `fonts.py` uses the same functions):

- line breaks of every kind become "\\n": CR LF, CR, NEL (U+0085), VT, FF, LINE SEPARATOR
  (U+2028) and PARAGRAPH SEPARATOR (U+2029);
- C0 and C1 control characters other than "\\n" and "\\t" are removed, and so are invisible
  characters that change how text reads without showing: zero-width space and non-joiner,
  direction marks, bidi embeddings/overrides/isolates, word joiner and invisible operators,
  the byte-order mark;
- the zero-width JOINER (U+200D) and variation selectors stay: they are part of emoji
  sequences (👨‍👩‍👧, ❤️) and carry no hidden meaning of their own;
- tabs stay in `strip_controls`; `clean_block` turns each into `tab` (one space by default).

Nothing else in the buyer's words is changed.
"""

from __future__ import annotations

import re

# Every kind of line break, as one alternation (CR LF first so it becomes one newline).
_NEWLINES_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What is removed after line breaks are normalised: C0 except \t \n, DEL, C1, invisible format
# characters (not U+200D ZERO WIDTH JOINER; see the module docstring).
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f"  # C0 (minus \t \n; \v \f \r are newlines by now), DEL, C1
    "\u200b\u200c\u200e\u200f"  # zero-width space / non-joiner, LRM, RLM
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064\u2066-\u2069"  # word joiner, invisible operators, bidi isolates
    "\ufeff]"  # byte-order mark / zero-width no-break space
)


def strip_controls(text: object) -> str:
    """The control-character policy alone: line breaks → "\\n", controls removed, tabs kept."""
    text = "" if text is None else str(text)
    return _CONTROL_RE.sub("", _NEWLINES_RE.sub("\n", text))


def clean_block(text: object, tab: str = " ") -> str:
    """The buyer's multi-line text as it will appear: control characters handled as above, tabs
    replaced by `tab`, no trailing spaces, at most one blank line in a row, no blank lines at
    either end. Its words are untouched."""
    text = strip_controls(text).replace("\t", tab)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def clean_inline(text: object) -> str:
    """A short field (shop, item, a timeline entry) on one line: every run of white space,
    line breaks included, becomes one space."""
    return re.sub(r"\s+", " ", strip_controls(text)).strip()


# --------------------------------------------------------- checking the output

PUNCT_RANK = {"。": 5, "！": 5, "？": 5, "；": 4, "：": 3, "，": 2, "、": 1}
FORBIDDEN = ("None", "{{", "}}", "{%", "%}", "{#", "#}", "（）", "“”", "()")


def _user_spans(text: str, user: list[str]) -> tuple[list[bool], list[bool]]:
    """Where the buyer's strings occur in `text` (every occurrence, overlaps included).

    Returns (covered, inner): covered[i] is True when character i is part of some occurrence;
    inner[i] is True when characters i and i+1 lie inside one and the same occurrence.
    """
    n = len(text)
    cover = [0] * (n + 1)
    pairs = [0] * (n + 1)
    for s in {u for u in user if u}:
        start = text.find(s)
        while start >= 0:
            end = start + len(s)
            cover[start] += 1
            cover[end] -= 1
            if len(s) > 1:
                pairs[start] += 1
                pairs[end - 1] -= 1
            start = text.find(s, start + 1)
    covered, inner = [], []
    c = p = 0
    for i in range(n):
        c += cover[i]
        p += pairs[i]
        covered.append(c > 0)
        inner.append(p > 0)
    return covered, inner


def finish_text(text: str, user: list[str]) -> str:
    """Normalise blank lines, nest the template's quotes and brackets (`fix_nesting`), remove
    doubled punctuation the template made, and refuse any template leftover (None, {{ }},
    empty brackets), wrong nesting or internal reference (`check_nesting`,
    `check_buyer_words`). The buyer's own strings stay as they are.

    Raises RuntimeError (a bug in a template, not the buyer's doing) on a leftover."""
    text = clean_block(text)
    # to a fixed point: a changed mark next to a buyer string can make a new occurrence of it
    # ("买家“" + the template's “), which then counts as the buyer's; a few passes settle it
    for _ in range(4):
        fixed = fix_nesting(text, user)
        if fixed == text:
            break
        text = fixed
    covered, inner = _user_spans(text, user)
    kept: list[int] = []  # indices into text
    for i, ch in enumerate(text):
        if kept and ch in PUNCT_RANK and text[kept[-1]] in PUNCT_RANK:
            j = kept[-1]
            if not (j == i - 1 and inner[j]):  # not two marks inside the buyer's own words
                if not covered[i] and not covered[j]:  # both from the template: keep the stronger
                    if PUNCT_RANK[ch] > PUNCT_RANK[text[j]]:
                        kept[-1] = i
                    continue
                if not covered[i]:  # the template's mark after the buyer's: drop the template's
                    continue
                if not covered[j]:  # the buyer's mark after the template's: drop the template's
                    kept[-1] = i
                    continue
        kept.append(i)
    text = "".join(text[i] for i in kept)
    check_nesting(text, user)
    covered, _ = _user_spans(text, user)
    bad = _template_word(text, covered, FORBIDDEN)
    if bad is not None:
        raise RuntimeError(f"generated text has {bad!r}: {text[:200]!r}")
    _check_internal(text, covered)
    return clean_block(text) + "\n"


def _template_word(text: str, covered: list[bool], words) -> str | None:
    """The first of `words` standing in `text` outside the buyer's own strings, or None."""
    for word in words:
        start = text.find(word)
        while start >= 0:
            if not any(covered[start : start + len(word)]):
                return word
            start = text.find(word, start + 1)
    return None


# ------------------------------------------------ nesting and internal references

QUOTES = {"“": "”", "‘": "’"}
# Words for the team, not for a buyer or an officer: the facts file and the area-code library.
INTERNAL_WORDS = ("FACTS.md", "phonenumbers")


def fix_nesting(text: str, user: list[str]) -> str:
    """The template's quote marks and brackets as Chinese typesetting nests them: a quote inside
    a quote gets ‘…’ (“说：‘…’”), a bracket inside a bracket becomes a comma clause
    (（A（B）） → （A，B））. Only marks the template wrote are changed; the buyer's own words
    (any occurrence of a string in `user`) are left exactly as they are. Each line on its own."""
    covered, _ = _user_spans(text, user)
    out: list[str] = []
    quote_depth = 0
    brackets: list[bool] = []  # per open template bracket: True when it was turned into "，"
    for i, ch in enumerate(text):
        if ch == "\n":
            quote_depth = 0
            brackets.clear()
        elif covered[i]:
            pass
        elif ch in "“‘":
            quote_depth += 1
            ch = "“" if quote_depth % 2 else "‘"
        elif ch in "”’" and quote_depth:
            ch = "”" if quote_depth % 2 else "’"
            quote_depth -= 1
        elif ch == "（":
            inner = bool(brackets)
            brackets.append(inner)
            if inner:
                ch = "，"
        elif ch == "）" and brackets and brackets.pop():
            nxt = text[i + 1] if i + 1 < len(text) else ""
            ch = "" if nxt == "）" and not covered[i + 1] else "，"
        out.append(ch)
    return "".join(out)


def nesting_problems(text: str, user: list[str]) -> list[str]:
    """Where the template's own marks nest wrongly: a quote of the same kind directly inside a
    quote (“…“…”…”), a bracket inside a bracket （…（…）…）. The buyer's words are not judged."""
    covered, _ = _user_spans(text, user)
    problems: list[str] = []
    stack: list[str] = []
    depth = 0
    for i, ch in enumerate(text):
        if ch == "\n":
            stack.clear()
            depth = 0
        elif covered[i]:
            continue
        elif ch in QUOTES:
            if stack and stack[-1] == ch:
                problems.append(f"nested {ch} at {i}")
            stack.append(ch)
        elif ch in QUOTES.values() and stack:
            stack.pop()
        elif ch == "（":
            if depth:
                problems.append(f"doubled bracket at {i}")
            depth += 1
        elif ch == "）" and depth:
            depth -= 1
    return problems


def check_nesting(text: str, user: list[str]) -> None:
    """Raise RuntimeError (a template bug) when `nesting_problems` finds any."""
    problems = nesting_problems(text, user)
    if problems:
        raise RuntimeError(f"generated text nests marks: {problems[:3]}: {text[:200]!r}")


def check_buyer_words(text: str, user: list[str] = ()) -> None:
    """Raise RuntimeError when text a buyer or an officer reads names the team's internal
    references (the facts file, the area-code library) outside the buyer's own words."""
    _check_internal(text, _user_spans(text, list(user))[0])


def _check_internal(text: str, covered: list[bool]) -> None:
    word = _template_word(text, covered, INTERNAL_WORDS)
    if word is not None:
        raise RuntimeError(f"generated text names {word!r}: {text[:200]!r}")
