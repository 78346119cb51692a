"""Published real complaint reports, replayed as their buyers would have answered (issue 9).

Each file in tests/real_cases/NN-*.yaml holds, after a comment naming its source:
  now:     the moment the buyer asks (ISO 8601, Beijing time)
  answers: the case file as the buyer would have filled it in
  expect:  first_step (a channel id), steps_include, steps_exclude (channel ids),
           texts_must_state / texts_must_not_state ({all: [...]} or {channel id: [...]}, or a
           plain list meaning all), why (what a knowledgeable friend would say, in words).
The case is routed at `now`; every text of the plan is rendered as `buyer-helper letters` would
write it, and each must state (or must not state) the listed words.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from buyer_helper.casefile.case import case_from_dict
from buyer_helper.decide.routing import route
from buyer_helper.errors import BuyerHelperError
from buyer_helper.facts.hours import parse_now
from buyer_helper.texts.compose import letters_for_plan, render_letter

CASES_DIR = Path(__file__).parent / "real_cases"
FILES = sorted(CASES_DIR.glob("[0-9]*.yaml"))


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    for key in ("now", "answers", "expect"):
        assert key in data, f"{path.name}: no `{key}`"
    return data


def _by_channel(spec) -> dict[str, list[str]]:
    """{all: [...], channel: [...]} from the file's form (a plain list means all)."""
    if spec is None:
        return {}
    if isinstance(spec, list):
        return {"all": [str(s) for s in spec]}
    assert isinstance(spec, dict), spec
    return {str(k): [str(s) for s in (v or [])] for k, v in spec.items()}


def test_the_real_cases_are_there():
    assert len(FILES) >= 1, "tests/real_cases/ holds no case files"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_a_real_case_gets_the_right_plan_and_texts(path):
    data = _load(path)
    expect = data["expect"] or {}
    now = parse_now(str(data["now"]))
    case = case_from_dict(data["answers"], today=now.date())
    plan = route(case, now)
    open_steps = [s.channel for s in plan.steps if not s.done]
    every_step = [s.channel for s in plan.steps]
    why = expect.get("why", "")

    if expect.get("first_step"):
        assert plan.next_step is not None, f"{path.name}: no open step ({why})"
        assert plan.next_step.channel == expect["first_step"], (
            f"{path.name}: first step {plan.next_step.channel}, expected "
            f"{expect['first_step']} ({why}); plan: {open_steps}"
        )
    for channel in expect.get("steps_include") or []:
        assert channel in every_step, f"{path.name}: no {channel} step in {every_step} ({why})"
    for channel in expect.get("steps_exclude") or []:
        assert channel not in open_steps, f"{path.name}: {channel} offered in {open_steps} ({why})"

    letters = letters_for_plan(case, plan)
    texts = {}
    for letter in letters:
        texts[letter.text_id] = letter.text
        texts.setdefault(letter.channel, letter.text)
    must = _by_channel(expect.get("texts_must_state"))
    must_not = _by_channel(expect.get("texts_must_not_state"))
    for channel in (set(must) | set(must_not)) - {"all"} - set(texts):
        try:  # a text the file names that the plan does not hold: render it by name
            texts[channel] = render_letter(case, plan, channel).text
        except BuyerHelperError as e:
            pytest.fail(f"{path.name}: no text for {channel}: {e.message} ({why})")
    assert texts, f"{path.name}: the plan has no texts"
    for channel, words in must.items():
        targets = texts if channel == "all" else {channel: texts[channel]}
        for tid, text in targets.items():
            for w in words:
                assert w in text, f"{path.name}: the {tid} text does not state “{w}” ({why})"
    for channel, words in must_not.items():
        targets = texts if channel == "all" else {channel: texts[channel]}
        for tid, text in targets.items():
            for w in words:
                assert w not in text, f"{path.name}: the {tid} text states “{w}” ({why})"
