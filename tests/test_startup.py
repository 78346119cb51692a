"""`buyer-helper --help` and `hours` stay light: no PDF, prompt or template libraries."""

import json
import os
import subprocess
import sys

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


@pytest.fixture
def answers(tmp_path, sample_answers):
    from buyer_helper.casefolder import write_yaml

    path = tmp_path / "case.yaml"
    write_yaml(path, sample_answers)
    return path


def test_plan_and_log_import_no_pdf_prompt_or_template_library(answers):
    # the plan is pure routing + text: no reportlab, jinja2, PIL or prompt libraries
    now = ("--now", "2026-11-23T10:30:00+08:00")
    for args in (
        ("plan", "--answers", str(answers), *now),
        ("plan", "--answers", str(answers), "--json", *now),
        ("log", str(answers.parent), "打了热线", *now),
    ):
        result = _probe(*args)
        assert result["code"] == 0, (args, result["out"])
        assert "下一步" in result["out"] or "第1步" in result["out"] or '"steps"' in result["out"]
        assert result["heavy"] == [], f"{args} imported {result['heavy']}"


def test_hours_does_not_load_routing_letters_or_bundle():
    code = (
        "import sys, io, json, contextlib\n"
        "from buyer_helper.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(args=['hours', '--json'], prog_name='buyer-helper')\n"
        "    except SystemExit: pass\n"
        "print(json.dumps([m for m in sys.modules if m.startswith('buyer_helper')]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    loaded = set(json.loads(out))
    assert "buyer_helper.hours" in loaded and "buyer_helper.channels" in loaded
    assert not loaded & {
        "buyer_helper.routing",
        "buyer_helper.steps",
        "buyer_helper.letters",
        "buyer_helper.bundle",
        "buyer_helper.areacode",
    }, loaded


def test_help_loads_only_the_cli_and_no_terminal_size_helpers():
    # `--help` imports click and the CLI module, nothing else of ours; the help's width comes
    # from cli._terminal_columns, not shutil (which drags in bz2, lzma and zlib)
    code = (
        "import sys, io, contextlib\n"
        "from buyer_helper.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(args=['--help'], prog_name='buyer-helper')\n"
        "    except SystemExit: pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    ours = {m for m in out if m.startswith("buyer_helper")}
    assert ours == {"buyer_helper", "buyer_helper.cli", "buyer_helper.errors"}, ours
    assert not {"shutil", "bz2", "lzma", "importlib.metadata"} & set(out)


@pytest.mark.parametrize("columns", ["60", "120"])
def test_help_fits_the_terminal_width_as_click_would(columns):
    env = {**os.environ, "COLUMNS": columns}
    code = "from buyer_helper.cli import main\nmain(args=['log', '--help'], prog_name='bh')"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    ).stdout
    widest = max(len(line) for line in out.splitlines())
    # click's rule: min(columns, 80) - 2, at least 50 (CJK text is wrapped by characters)
    assert widest <= max(min(int(columns), 80) - 2, 50)
    assert "--tried" in out
