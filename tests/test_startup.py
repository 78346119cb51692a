"""`buyer-helper --help` and `hours` stay light: no PDF, prompt or template libraries."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("reportlab", "questionary", "jinja2", "PIL", "prompt_toolkit", "pillow_heif")

PROBE = """
import io, json, sys, contextlib
from buyer_helper.cli import main
out = io.StringIO()
code = 0
with contextlib.redirect_stdout(out):
    try:
        main(args=sys.argv[1:], prog_name="buyer-helper")
    except SystemExit as e:
        code = e.code or 0
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(HEAVY)))
print(json.dumps({"code": code, "heavy": heavy, "out": out.getvalue()}, ensure_ascii=False))
"""


def _probe(*args: str) -> dict:
    code = PROBE.replace("json.loads(HEAVY)", repr(list(HEAVY)))
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("hours", "--now", "2026-11-22T22:00:00+08:00"),
        ("hours", "--json"),
    ],
)
def test_light_commands_import_no_heavy_library(args):
    result = _probe(*args)
    assert result["code"] == 0
    assert result["out"]  # the command did run and print
    assert result["heavy"] == [], f"{args} imported {result['heavy']}"


def test_bench_script_prints_both_medians_and_the_ratio():
    bench = Path(__file__).resolve().parent.parent / "bench" / "startup.py"
    out = subprocess.run(
        [sys.executable, str(bench), "--runs", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "buyer-helper --help" in out and "python -c pass" in out
    ratio_line = next(line for line in out.splitlines() if line.startswith("ratio"))
    assert float(ratio_line.split(":")[1].split()[0]) > 0
