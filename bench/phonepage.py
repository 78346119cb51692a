"""Cost of the offline page and the reminders: median time to render 维权助手.html (QR codes
included) and 提醒.ics for the built-in sample, and for the sample with a long story (more and
larger QR codes), with the page size in bytes.

Usage: python bench/phonepage.py [--runs N]   (default 5)
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time

from buyer_helper.casefile.case import case_from_dict
from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS, SAMPLE_NOW
from buyer_helper.decide.routing import route
from buyer_helper.facts.hours import parse_now
from buyer_helper.texts.compose import letters_for_plan
from buyer_helper.texts.phonepage import render_page
from buyer_helper.texts.reminders import render_ics


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    now = parse_now(SAMPLE_NOW)
    long = copy.deepcopy(SAMPLE_ANSWERS)
    long["story"] = "我在平台聊天里联系商家，商家不同意退货，还说是我自己弄坏的。" * 40
    for name, answers in (("sample", SAMPLE_ANSWERS), ("long story", long)):
        case = case_from_dict(copy.deepcopy(answers), today=now.date())
        plan = route(case, now)
        letters = letters_for_plan(case, plan)
        page = render_page(case, plan, letters, None, reminders="提醒.ics")
        codes = page.count('class="qr"')
        t_page = _median(lambda: render_page(case, plan, letters, None), runs)  # noqa: B023
        t_ics = _median(lambda: render_ics(case, plan), runs)  # noqa: B023
        print(
            f"{name:10s}  page {t_page * 1000:7.1f} ms  {len(page.encode()) / 1024:6.1f} KiB  "
            f"{len(letters)} texts, {codes} QR codes   ics {t_ics * 1000:6.1f} ms"
        )


if __name__ == "__main__":
    main()
