"""A built wheel carries channels.yaml and templates/, and an installed copy finds them.

Offline: the wheel is built without build isolation (hatchling from this environment) and
installed with --no-deps into a fresh venv whose dependencies come from this environment
through a .pth file, so nothing is downloaded.
"""

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    result = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-build-isolation",
            "--no-deps",
            "--no-index",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ]
    )
    assert result.returncode == 0, result.stderr
    (whl,) = out.glob("buyer_helper-*.whl")
    return whl


def test_wheel_contains_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "buyer_helper/_data/channels.yaml" in names
    assert "buyer_helper/_data/calendar.yaml" in names  # official schedules as data (issue 8)
    assert "buyer_helper/_data/platforms.yaml" in names  # one entry per platform (issue 10)
    assert any(n.startswith("buyer_helper/_data/templates/") for n in names)
    shipped = zipfile.ZipFile(wheel).read("buyer_helper/_data/channels.yaml")
    assert shipped == (ROOT / "channels.yaml").read_bytes()
    shipped = zipfile.ZipFile(wheel).read("buyer_helper/_data/platforms.yaml")
    assert shipped == (ROOT / "platforms.yaml").read_bytes()
    for tpl in (ROOT / "templates").rglob("*"):
        if tpl.is_file():
            assert f"buyer_helper/_data/templates/{tpl.relative_to(ROOT / 'templates')}" in names


def test_installed_wheel_finds_its_data(wheel, tmp_path):
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    result = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ]
    )
    assert result.returncode == 0, result.stderr
    site = _run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], check=True
    ).stdout.strip()
    # dependencies (click, yaml, ...) from this environment, after the fresh site-packages
    Path(site, "_deps_from_test_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    code = (
        "import buyer_helper, json; from buyer_helper.facts.resources import data_path;"
        "from buyer_helper.facts.channels import load_channels;"
        "print(json.dumps([buyer_helper.__file__, str(data_path('channels.yaml')),"
        " str(data_path('templates')), sorted(load_channels())]))"
    )
    probe = _run([str(py), "-c", code], cwd=tmp_path, env=env)
    assert probe.returncode == 0, probe.stderr
    pkg, channels, templates, ids = json.loads(probe.stdout)
    assert Path(pkg).is_relative_to(env_dir)
    assert Path(channels).is_relative_to(Path(site)) and Path(channels).is_file()
    assert Path(templates).is_relative_to(Path(site)) and Path(templates).is_dir()
    assert "pdd_hotline" in ids and "c12315" in ids
    script = env_dir / ("Scripts/buyer-helper.exe" if os.name == "nt" else "bin/buyer-helper")
    cli = _run(
        [str(script), "hours", "--json", "--now", "2026-11-22T22:00:00+08:00"],
        cwd=tmp_path,
        env=env,
    )
    assert cli.returncode == 0, cli.stderr
    rows = {r["channel"]: r for r in json.loads(cli.stdout)}
    assert rows["pdd_hotline"]["next_open"] == "2026-11-23T09:00:00+08:00"
    assert rows["heimao"]["open_now"] is True
