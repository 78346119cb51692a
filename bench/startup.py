"""Start-up cost: median wall time of `buyer-helper --help` against a bare `python -c pass`.

Usage: python bench/startup.py [--runs N] [--importtime N]
    (default 15 runs each; target ratio <= 4; --importtime N also prints where the import
    time goes, median of N runs of `python -X importtime`)

Both are measured in the same run, alternating, as subprocesses of this interpreter's
environment, so the ratio does not depend on how fast the machine is.

The package's bytecode is compiled first, as `pip install` does for a user: an editable install
under PYTHONDONTWRITEBYTECODE=1 would otherwise compile cli.py from source on every run (about
a quarter of the whole start-up), which no installed copy does. `python -X importtime` shows
where the rest goes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_RATIO = 4.0


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("buyer-helper")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("buyer-helper")
    if found:
        return [found]
    return [sys.executable, "-c", "from buyer_helper.cli import main; main()"]


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _compile_package() -> None:
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("buyer_helper")
    if spec is not None and spec.origin:
        compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def measure(runs: int = 15) -> tuple[float, float, float]:
    """(median seconds of `buyer-helper --help`, of `python -c pass`, their ratio)."""
    _compile_package()
    cli = [*_cli(), "--help"]
    bare = [sys.executable, "-c", "pass"]
    _time(cli), _time(bare)  # warm the file cache
    cli_t, bare_t = [], []
    for _ in range(runs):
        cli_t.append(_time(cli))
        bare_t.append(_time(bare))
    c, b = statistics.median(cli_t), statistics.median(bare_t)
    return c, b, c / b


def _load() -> str:
    """The machine's 1-minute load average: wall ratios on a busy machine are noisy."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except (AttributeError, OSError):
        return "?"


_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( +)(\S+)")


def importtime(runs: int = 9) -> list[tuple[str, float, float]]:
    """(module, median self ms, median cumulative ms) of `-X importtime buyer-helper --help`,
    for the modules imported at the top level and our own and click at any depth."""
    _compile_package()
    cli = _cli()
    # the console script is a Python file: run it with this interpreter to pass -X importtime
    cmd = [sys.executable, "-X", "importtime", *(cli[1:] if cli[0] == sys.executable else cli)]
    seen: dict[str, list[tuple[int, int]]] = {}
    for _ in range(runs):
        err = subprocess.run([*cmd, "--help"], capture_output=True, text=True, check=True).stderr
        for m in _IMPORTTIME.finditer(err):
            name, depth = m[4], len(m[3]) // 2
            if depth == 0 or name == "click" or name.startswith("buyer_helper"):
                seen.setdefault(name, []).append((int(m[1]), int(m[2])))
    return [
        (name, statistics.median(s for s, _ in v) / 1000, statistics.median(c for _, c in v) / 1000)
        for name, v in seen.items()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument(
        "--importtime", type=int, default=0, metavar="N", help="also show the import times"
    )
    args = parser.parse_args(argv)
    load_before = _load()
    c, b, ratio = measure(max(1, args.runs))
    print(f"load average (1 min): {load_before} before, {_load()} after")
    print(f"buyer-helper --help : median {c * 1000:7.1f} ms  ({args.runs} runs)")
    print(f"python -c pass      : median {b * 1000:7.1f} ms  ({args.runs} runs)")
    verdict = "OK" if ratio <= TARGET_RATIO else "over target"
    print(f"ratio               : {ratio:.2f}  (target <= {TARGET_RATIO:g}: {verdict})")
    if args.importtime > 0:
        print(f"\nimport time of `buyer-helper --help` (median of {args.importtime}, ms):")
        print(f"  {'module':<28} {'self':>7} {'cumulative':>11}")
        for name, own, total in importtime(args.importtime):
            print(f"  {name:<28} {own:7.2f} {total:11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
