"""The README documents every command, and its set-up commands are the ones CI runs."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from buyer_helper.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# the group loads its commands on demand: ask it for them, as click does
COMMANDS = main.list_commands(click.Context(main))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name):
    assert f"buyer-helper {name}" in README


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_chinese_help(runner, name):
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert re.search(r"[\u4e00-\u9fff]", main.get_command(click.Context(main), name).help or "")


def _command_after(marker):
    lines = README.splitlines()
    i = lines.index(f"<!-- {marker} -->")
    assert lines[i + 1].startswith("```")
    return lines[i + 2]


def test_readme_has_exactly_two_setup_commands():
    demo = _command_after("demo-command")
    test = _command_after("test-command")
    assert demo.endswith("buyer-helper demo")
    assert "pip install" in demo and "pip install -e '.[test," in test
    assert test.endswith("python -m pytest")


def test_the_test_command_installs_every_extra():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"
    ]
    installed = re.search(r"pip install -e '\.\[([a-z,]+)\]'", _command_after("test-command"))
    assert installed and set(installed.group(1).split(",")) == set(extras)


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in script


def test_channel_ids_in_readme_exist():
    from buyer_helper.facts.channels import load_channels

    listed = re.search(r"渠道编号.*?：(.*?)。", README, re.S).group(1)
    ids = re.findall(r"`([a-z0-9_]+)`", listed)
    assert ids and set(ids) <= set(load_channels())


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
    reason="ruff not installed",
)
def test_ruff_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    check = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run([ruff, "format", "--check", str(ROOT)], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout
