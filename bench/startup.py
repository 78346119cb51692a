"""Start-up cost: median wall time of `buyer-helper --help` against a bare `python -c pass`.

Usage: python bench/startup.py [--runs N]   (default 15 each; target ratio <= 4)

Both are measured in the same run, alternating, as subprocesses of this interpreter's
environment, so the ratio does not depend on how fast the machine is.

The package's bytecode is compiled first, as `pip install` does for a user: an editable install
under PYTHONDONTWRITEBYTECODE=1 would otherwise compile cli.py from source on every run (about
a quarter of the whole start-up), which no installed copy does. `python -X importtime` shows
where the rest goes.
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    args = parser.parse_args(argv)
    c, b, ratio = measure(max(1, args.runs))
    print(f"buyer-helper --help : median {c * 1000:7.1f} ms  ({args.runs} runs)")
    print(f"python -c pass      : median {b * 1000:7.1f} ms  ({args.runs} runs)")
    verdict = "OK" if ratio <= TARGET_RATIO else "over target"
    print(f"ratio               : {ratio:.2f}  (target <= {TARGET_RATIO:g}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
