"""`buyer-helper --help` and `hours` stay light: no PDF, prompt or template libraries."""

import json
import os
import re
import subprocess
import sys

import click
import pytest

from buyer_helper.cli import main

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
    from buyer_helper.casefile.casefolder import write_yaml

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
    assert "buyer_helper.facts.hours" in loaded and "buyer_helper.facts.channels" in loaded
    assert not loaded & {
        "buyer_helper.decide.routing",
        "buyer_helper.decide.steps",
        "buyer_helper.texts.compose",
        "buyer_helper.pdf.bundle",
        "buyer_helper.facts.areacode",
    }, loaded


def _modules_after(code: str) -> set[str]:
    """The modules loaded after running `code` in a fresh interpreter (stdout swallowed)."""
    code = (
        "import sys, io, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        + "".join(f"        {line}\n" for line in code.splitlines())
        + "    except SystemExit:\n        pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return set(out.split())


def test_help_loads_nothing_but_click_and_the_group():
    # What `buyer-helper --help` loads beyond what click needs to print a bare group's help:
    # the group, its help format and the error type, and nothing else: the commands are listed
    # from cli.COMMANDS (commands.py, pathlib and every command's module stay unloaded), and no
    # module of the standard library is added (the help's width comes from
    # helpformat.terminal_columns, not shutil, which drags in bz2, lzma and zlib).
    bare_click = _modules_after(
        "import click\n"
        "option = click.Option(['--o'], help='选项')\n"
        "command = click.Command('c', help='命令', params=[option])\n"
        "click.Group('g', commands=[command]).main(['--help'], prog_name='g')"
    )
    ours = _modules_after(
        "from buyer_helper.cli import main\nmain(args=['--help'], prog_name='buyer-helper')"
    )
    # (modules built into the interpreter, such as gc, load no file and cost nothing)
    assert ours - bare_click - set(sys.builtin_module_names) == {
        "buyer_helper",
        "buyer_helper.cli",
        "buyer_helper.errors",
        "buyer_helper.helpformat",
    }
    assert not {"shutil", "bz2", "lzma", "importlib.metadata"} & ours
    # click's own help and version options look up their English texts with gettext, whose
    # first lookup imports locale; ours are made without it (helpformat, cli._print_version)
    assert "locale" in bare_click and "locale" not in ours


def test_the_console_entry_takes_start_up_objects_out_of_the_collector():
    # Without this the interpreter's shutdown walks click and the CLI again in its full garbage
    # collections (about a tenth of `--help`'s wall time): the console script's entry
    # (main.__call__) freezes them, and only then runs the command.
    code = (
        "import gc, io, contextlib\n"
        "from buyer_helper.cli import main\n"
        "walked = lambda: any(o is main for o in gc.get_objects())\n"
        "before = walked()\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(args=['--help'], prog_name='buyer-helper')\n"
        "    except SystemExit: pass\n"
        "print(before, walked(), gc.get_freeze_count() > 1000)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert out == ["True", "False", "True"]


def test_version(runner):
    from importlib.metadata import version

    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"buyer-helper {version('buyer-helper')}\n"


@pytest.mark.parametrize("args", [["-h"], ["--help"], ["log", "-h"], ["hours", "--help"]])
def test_both_help_options_show_the_help_in_chinese(runner, args):
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert result.output.startswith("用法：")
    assert re.search(r"^  -h, --help +显示这段帮助$", result.output, re.M)


def test_a_command_loads_the_commands_module():
    loaded = _modules_after(
        "from buyer_helper.cli import main\nmain(args=['log', '--help'], prog_name='buyer-helper')"
    )
    assert "buyer_helper.commands" in loaded


def test_the_listed_help_is_each_commands_own():
    # `--help` lists the commands from cli.COMMANDS without loading them: each line must be
    # what click makes of the command's own docstring, and every command must be listed
    from buyer_helper import commands
    from buyer_helper.cli import COMMANDS

    defined = {c.name: c for c in vars(commands).values() if isinstance(c, click.Command)}
    assert set(COMMANDS) == set(defined)
    for name, listed in COMMANDS.items():
        assert main.get_command(click.Context(main), name) is defined[name]
        assert listed == defined[name].get_short_help_str(limit=60), name


def test_help_lists_every_command_with_its_line(runner):
    from buyer_helper.cli import COMMANDS

    result = runner.invoke(main, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    listed = [line.split(None, 1) for line in result.output.split("命令:")[1].splitlines() if line]
    assert listed == [[name, COMMANDS[name]] for name in sorted(COMMANDS)]


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
