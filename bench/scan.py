"""`buyer-helper scan` speed and memory on 1080×2340 chat screenshots (needs the `ocr` extra).

Usage: python bench/scan.py [--count 50] [--skip-rss]

Prints, per screenshot: the engine's construction, the first scan in a fresh process's engine
(cold), the mean of the following scans (warm), a cached rerun; then the peak RSS of a
`buyer-helper scan DIR --json` subprocess over `--count` screenshots. Targets (issue 11):
first scan ≤ 1.5 s, cached ≤ 0.05 s, peak RSS ≤ 700 MB. The screenshots are drawn like the
tests' (tests/screens.py), each with a different message so each is read.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

FIRST_TARGET, CACHED_TARGET, RSS_TARGET_MB = 1.5, 0.05, 700


def _screens(folder: Path, count: int) -> None:
    import screens

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        chat = [*screens.CHAT[:-1], ("me", f"第 {i + 1} 张截图，订单号 2311{i:04d}")]
        png, _ = screens.chat_screenshot(chat=chat)
        (folder / f"{i + 1:02d}-聊天.png").write_bytes(png)


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("buyer-helper")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "buyer_helper.cli"]


def timings(work: Path, warm: int = 3) -> dict[str, float]:
    from buyer_helper.evidence import ocr
    from buyer_helper.evidence.scan import scan_case

    case = work / "timing"
    _screens(case / "evidence", 1 + warm)
    start = time.perf_counter()
    ocr.engine()
    built = time.perf_counter() - start
    first = []
    names = sorted((case / "evidence").iterdir())
    hidden = case / "later"
    hidden.mkdir()
    for p in names[1:]:
        p.rename(hidden / p.name)
    start = time.perf_counter()
    scan_case(case)
    first.append(time.perf_counter() - start)
    for p in sorted(hidden.iterdir()):
        p.rename(case / "evidence" / p.name)
        start = time.perf_counter()
        scan_case(case)
        first.append(time.perf_counter() - start)
    # each later call re-hashes the earlier (cached) files too: subtract a cached pass
    start = time.perf_counter()
    scan_case(case)
    cached_all = time.perf_counter() - start
    cached = cached_all / len(names)
    warm_times = [t - cached * i for i, t in enumerate(first[1:], 1)]
    return {
        "engine": built,
        "cold": first[0],
        "warm": sum(warm_times) / len(warm_times),
        "cached": cached,
    }


def peak_rss(work: Path, count: int) -> tuple[float, float]:
    case = work / "rss"
    _screens(case / "evidence", count)
    start = time.perf_counter()
    proc = subprocess.run(
        [*_cli(), "scan", str(case), "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0
    kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return kb / 1024, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--skip-rss", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    try:
        t = timings(work)
        print(f"CPU cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
        print(f"engine construction      {t['engine']:.2f} s")
        ok = "ok" if t["cold"] <= FIRST_TARGET else "OVER"
        print(f"first scan (cold engine) {t['cold']:.2f} s  (target ≤ {FIRST_TARGET} s: {ok})")
        ok = "ok" if t["warm"] <= FIRST_TARGET else "OVER"
        print(f"first scan (warm engine) {t['warm']:.2f} s  (target ≤ {FIRST_TARGET} s: {ok})")
        ok = "ok" if t["cached"] <= CACHED_TARGET else "OVER"
        print(f"cached rerun             {t['cached'] * 1000:.1f} ms (target ≤ 50 ms: {ok})")
        if not args.skip_rss:
            mb, elapsed = peak_rss(work, args.count)
            ok = "ok" if mb <= RSS_TARGET_MB else "OVER"
            print(
                f"scan of {args.count} screenshots: peak RSS {mb:.0f} MB "
                f"(target ≤ {RSS_TARGET_MB} MB: {ok}), {elapsed:.1f} s "
                f"({elapsed / args.count:.2f} s each)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
