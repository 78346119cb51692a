"""Cost of the calendar (issue 8): `buyer-helper hours --json` in an official year (2026) and in
a year estimated by law (2027, which derives the unknown 调休 zone from every official year
chinesecalendar holds), as subprocesses; and, in-process, the leave-one-out replay 2015–2026.

Usage: python bench/workdays.py [--runs N]   (default 5; prints medians in milliseconds)
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time

CODE = "import sys;from buyer_helper.cli import main;sys.argv[0]='buyer-helper';main()"


def _run(now: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", CODE, "hours", "--json", "--now", now],
        check=True,
        capture_output=True,
    )
    return (time.perf_counter() - start) * 1000


def _replay() -> tuple[float, int]:
    from buyer_helper.facts import workdays

    start = time.perf_counter()
    years = workdays.chinesecalendar_years()
    unknown = 0
    for year in range(2015, 2027):
        zone = workdays.derive_zone(tuple(y for y in years if y != year))
        day = dt.date(year, 1, 1)
        while day.year == year:
            unknown += workdays.estimate(day, zone).kind == "unknown"
            day += dt.timedelta(days=1)
    return (time.perf_counter() - start) * 1000, unknown


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    for label, now in (
        ("hours 2026 (official)", "2026-10-10T10:00:00+08:00"),
        ("hours 2027 (estimated)", "2027-02-09T10:00:00+08:00"),
    ):
        times = [_run(now) for _ in range(runs)]
        print(f"{label}: median {statistics.median(times):.0f} ms over {runs} runs")
    ms, unknown = _replay()
    print(
        f"held-out replay 2015–2026: {ms:.0f} ms; "
        f"{unknown} unknown days in 12 years ({unknown / 12:.0f} a year)"
    )


if __name__ == "__main__":
    main()
