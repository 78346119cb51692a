"""The one control-character policy (textcheck.py) shared by the texts and the PDF."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from buyer_helper.texts.textcheck import clean_block, clean_inline, finish_text, strip_controls

INVISIBLE = "\u200b\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2069\ufeff"
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from([*"\r\n\t\x0b\x0c\x85\u2028\u2029\x00\x1b\x7f\x9f 。好", *INVISIBLE]),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=60,
)


def _bad(ch: str) -> bool:
    """A character the policy must never let through."""
    return (
        (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
        or ch in INVISIBLE
        or ch in ("\u2028\u2029")
    )


@given(TEXT)
def test_no_control_or_invisible_character_survives(text):
    for out in (strip_controls(text), clean_block(text), clean_inline(text)):
        assert not any(_bad(ch) for ch in out), repr(out)
    assert "\n" not in clean_inline(text) and "\t" not in clean_inline(text)
    assert "\t" not in clean_block(text)


@given(TEXT)
def test_cleaning_twice_changes_nothing(text):
    assert clean_block(clean_block(text)) == clean_block(text)
    assert clean_inline(clean_inline(text)) == clean_inline(text)
    assert strip_controls(strip_controls(text)) == strip_controls(text)


@given(
    st.text(
        alphabet=st.characters(
            codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp", "Cf")
        )
    )
)
def test_visible_words_are_kept_exactly(text):
    assert strip_controls(text) == text
    assert clean_block(text) == text.strip()


@pytest.mark.parametrize("sep", ["\r\n", "\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c"])
def test_every_line_break_becomes_a_newline(sep):
    assert strip_controls(f"第一行{sep}第二行") == "第一行\n第二行"
    assert clean_inline(f"第一行{sep}第二行") == "第一行 第二行"


def test_emoji_sequences_keep_their_joiner_and_selector():
    family = "👨\u200d👩\u200d👧"
    assert clean_block(f"我们{family}❤\ufe0f") == f"我们{family}❤\ufe0f"
    assert clean_block("有\u200b你\u202e地址\ufeff") == "有你地址"


def test_tabs_and_blank_lines():
    assert clean_block("a\tb  \n\n\n\n c\t") == "a b\n\n c"
    assert clean_block("a\tb", tab="    ") == "a    b"
    assert strip_controls("a\tb") == "a\tb"


def test_finish_text_fixes_template_punctuation_but_not_the_buyers():
    user = ["他说“好。。”", "保温杯。"]
    out = finish_text("问题：。他说“好。。”\n商品：保温杯。。\n\n\n\n结束，，", user)
    assert out == "问题。他说“好。。”\n商品：保温杯。\n\n结束，\n"
    with pytest.raises(RuntimeError):
        finish_text("金额 None 元", [])
    assert "None" in finish_text("店铺 None", ["None"])


# ------------------------------------------------ nesting of quotes and brackets (P4)

from buyer_helper.texts.textcheck import (  # noqa: E402
    check_buyer_words,
    fix_nesting,
    nesting_problems,
)


def test_inner_quotes_become_single_quotes():
    text = "1. “您好，我要反映订单 1 的问题，店铺是“美佳居家电器旗舰店”。”"
    assert (
        finish_text(text, []) == "1. “您好，我要反映订单 1 的问题，店铺是‘美佳居家电器旗舰店’。”\n"
    )


def test_doubled_brackets_become_a_comma_clause():
    text = "新办法（市场监督管理投诉举报处理办法（国家市场监督管理总局令第121号））。"
    assert (
        finish_text(text, [])
        == "新办法（市场监督管理投诉举报处理办法，国家市场监督管理总局令第121号）。\n"
    )
    assert nesting_problems(finish_text("（甲（乙）丙）", []), []) == []


def test_the_buyers_own_quotes_are_left_as_written():
    story = "商家说“你“好评”就返现”"
    text = f"经过：“{story}”"
    assert story in finish_text(text, [story])


def test_internal_references_are_refused_outside_the_buyers_words():
    with pytest.raises(RuntimeError, match=r"FACTS\.md"):
        finish_text("不要对骂（FACTS.md §4）。", [])
    with pytest.raises(RuntimeError, match="phonenumbers"):
        check_buyer_words("区号来自 phonenumbers 地理数据")
    assert "FACTS.md" in finish_text("我写了FACTS.md", ["我写了FACTS.md"])


PIECES = st.lists(
    st.one_of(
        st.sampled_from(["“", "”", "‘", "’", "（", "）", "说：", "店铺", "，", "。", "\n"]),
        # the buyer's strings (a word first: a lone mark would also match the template's)
        st.text(alphabet="好评店“”（）", max_size=6).map(lambda s: ("U", "买家" + s)),
    ),
    max_size=30,
)


@given(PIECES)
def test_no_nested_quotes_or_brackets_from_the_template(pieces):
    """Whatever the template and the buyer's strings put together, the finished text nests
    no same-kind quotes and no brackets in the template's own marks, and every buyer string
    is still there, unchanged."""
    user = [p[1] for p in pieces if isinstance(p, tuple) and p[1]]
    text = "".join(p[1] if isinstance(p, tuple) else p for p in pieces)
    try:
        out = finish_text(text, user)
    except RuntimeError as e:  # a leftover like "（）" or "“”" is refused, never let through
        assert "generated text has" in str(e)
        return
    assert nesting_problems(out, user) == []
    for u in user:
        if u.strip():
            assert u.strip() in out
    assert fix_nesting(out, user) == out  # already nested properly: nothing more to change


def test_a_template_mark_next_to_a_buyer_string_ending_in_a_quote_settles():
    """Found by the property test: turning the template's ‘ into “ right after the buyer's
    "买家" makes another "买家“"; the finished text is stable and keeps the buyer's strings."""
    user = ["买家", "买家“"]
    out = finish_text("买家‘“买家“", user)
    assert fix_nesting(out, user) == out
    assert nesting_problems(out, user) == []
    assert all(u in out for u in user)
