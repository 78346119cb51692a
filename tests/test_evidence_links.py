"""An evidence folder from someone else: links out of the case folder, loops, pipes and
unreadable files are listed with the reason, and nothing outside the case folder is read."""

from __future__ import annotations

import contextlib
import copy
import os
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS, SAMPLE_NOW
from buyer_helper.cli import main
from buyer_helper.evidence.files import (
    NOT_READ_OUTSIDE,
    check_access,
    evidence_entries,
    scan_evidence,
)
from buyer_helper.texts.compose import evidence_files

SECRET = "SENTINEL-OUTSIDE-7f3a9c"


# Paths opened or listed while `watching` is on (audit events fire for builtins.open, os.open,
# os.listdir and os.scandir; worker processes are not watched: the tests use workers=1).
_OPENED: list[str] = []
_WATCH = {"on": False}


def _hook(event, args):
    if _WATCH["on"] and event in ("open", "os.listdir", "os.scandir") and args:
        with contextlib.suppress(Exception):
            _OPENED.append(os.fsdecode(args[0]) if not isinstance(args[0], int) else "")


sys.addaudithook(_hook)


@contextlib.contextmanager
def watching():
    _OPENED.clear()
    _WATCH["on"] = True
    try:
        yield _OPENED
    finally:
        _WATCH["on"] = False


def touched_outside(opened: list[str], outside: Path) -> list[str]:
    outside = Path(os.path.realpath(outside))
    bad = []
    for p in opened:
        if not p:
            continue
        real = Path(os.path.realpath(p))
        if real == outside or outside in real.parents:
            bad.append(p)
    return bad


def make_case(base: Path) -> tuple[Path, Path]:
    """(case folder with case.yaml and evidence/, a folder outside it holding the sentinel)."""
    case = base / "case"
    (case / "evidence").mkdir(parents=True)
    (case / "other").mkdir()
    (case / "other" / "inside.txt").write_text("INSIDE-OTHER", encoding="utf-8")
    (case / "case.yaml").write_text(
        yaml.safe_dump(copy.deepcopy(SAMPLE_ANSWERS), allow_unicode=True), encoding="utf-8"
    )
    outside = base / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "sub" / "secret2.txt").write_text(SECRET, encoding="utf-8")
    return case, outside


# What an entry of the evidence folder can be: (kind, is read, its reason when not).
KINDS = [
    "file",
    "link_in_file",
    "link_in_folder",
    "link_out_file",
    "link_out_folder",
    "link_out_relative",
    "loop",
    "self_loop",
    "dangling",
    "fifo",
    "folder_named_like_file",
]


def add_entry(ev: Path, case: Path, outside: Path, kind: str, i: int) -> str | None:
    """Create one entry in `ev`; its listed name, or None for an empty folder (nothing to list)."""
    name = f"e{i}-{kind}.txt"
    p = ev / name
    if kind == "file":
        p.write_text(f"INSIDE-{i}", encoding="utf-8")
    elif kind == "link_in_file":
        p.symlink_to(case / "other" / "inside.txt")
    elif kind == "link_in_folder":
        p.symlink_to(case / "other", target_is_directory=True)
        if any(q.name.endswith("link_in_folder.txt") for q in ev.iterdir() if q != p):
            return name  # the same folder again: listed once, this link as already listed
        return f"{name}/inside.txt"
    elif kind == "link_out_file":
        p.symlink_to(outside / "secret.txt")
    elif kind == "link_out_folder":
        p.symlink_to(outside, target_is_directory=True)
    elif kind == "link_out_relative":
        p.symlink_to(Path("..") / ".." / "outside" / "secret.txt")
    elif kind == "loop":
        (ev / f"{name}.b").symlink_to(name)
        p.symlink_to(f"{name}.b")
        return name  # and its partner, listed too (checked by count)
    elif kind == "self_loop":
        p.symlink_to(".", target_is_directory=True)
    elif kind == "dangling":
        p.symlink_to(ev / "nowhere")
    elif kind == "fifo":
        os.mkfifo(p)
    elif kind == "folder_named_like_file":
        p.mkdir()
        return None
    return name


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
def test_every_entry_is_listed_and_nothing_outside_is_read(kinds):
    with tempfile.TemporaryDirectory() as tmp:
        case, outside = make_case(Path(tmp))
        ev = case / "evidence"
        expected = []
        for i, kind in enumerate(kinds):
            name = add_entry(ev, case, outside, kind, i)
            if name is not None:
                expected.append(name)
                if kind == "loop":
                    expected.append(f"{name}.b")
        with watching() as opened:
            items = scan_evidence(ev, root=case, workers=1)
            names = evidence_files(ev, root=case)
        assert touched_outside(opened, outside) == []
        listed = [f.name for f in items]
        assert sorted(listed) == sorted(expected)  # each once, none dropped
        assert [n.name for n in names] == listed  # the texts list the same, in the same order
        for f in items:
            assert SECRET not in (f.text or "")
            if "link_out" in f.name:
                assert not f.read and f.status == NOT_READ_OUTSIDE and f.outside
                assert f.sha256 == "" and f.parts == [] and f.link
            elif any(k in f.name for k in ("fifo", "loop", "dangling")) or f.name.endswith(
                "link_in_folder.txt"
            ):
                assert not f.read and f.status.startswith("未读取") and not f.sha256
            else:
                assert f.read and f.sha256 and f.preview == "文字"
        unread = {n.name: n.unread for n in names}
        assert {f.name: (f.reason if not f.read else "") for f in items} == unread


def test_the_passwd_link_is_listed_not_read_in_the_pdf_or_the_letters(runner, tmp_path):
    """The issue's input: evidence/zz-passwd.txt -> /etc/passwd in a demo case."""
    case = tmp_path / "case"
    result = runner.invoke(main, ["demo", str(case), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    first_line = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    (case / "evidence" / "zz-passwd.txt").symlink_to("/etc/passwd")
    with watching() as opened:
        result = runner.invoke(main, ["bundle", str(case), "--now", SAMPLE_NOW])
    assert result.exit_code == 3, result.output  # listed as not shown
    assert "/etc/passwd" not in [os.path.realpath(p) for p in opened if p]
    assert "zz-passwd.txt：未读取（链接到案子文件夹以外）（链接到 /etc/passwd）" in result.output
    assert "--follow-outside-links" in result.output
    (pdf,) = (case / "out").glob("*.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    squashed = "".join(text.split())
    assert first_line not in text and "root:x:0" not in squashed
    assert "zz-passwd.txt" in squashed and "未读取（链接到案子文件夹以外）" in squashed
    assert "链接到/etc/passwd" in squashed

    # identical inputs: byte-identical PDF, also with the link in
    again = tmp_path / "again.pdf"
    result = runner.invoke(main, ["bundle", str(case), "--now", SAMPLE_NOW, "-o", str(again)])
    assert again.read_bytes() == pdf.read_bytes()

    result = runner.invoke(main, ["letters", str(case), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    assert "zz-passwd.txt：未读取（链接到案子文件夹以外），链接到 /etc/passwd" in result.output
    listing = 0
    for out in (case / "out").glob("*.txt"):
        body = out.read_text(encoding="utf-8")
        assert "root:x:0" not in body
        for line in body.splitlines():  # named only with the mark (lists and reminders)
            if "zz-passwd.txt" in line:
                assert "未读取（链接到案子文件夹以外）" in line, (out.name, line)
                listing += "zz-passwd.txt　未读取（链接到案子文件夹以外）" in line
    assert listing >= 2

    # asked for explicitly, the buyer's own link is read
    followed = tmp_path / "followed.pdf"
    result = runner.invoke(
        main,
        ["bundle", str(case), "--now", SAMPLE_NOW, "-o", str(followed), "--follow-outside-links"],
    )
    assert result.exit_code == 0, result.output
    text = "".join("".join(p.extract_text() for p in PdfReader(followed).pages).split())
    assert "root:x:0" in text


def test_the_option_is_in_the_help(runner):
    for command in ("bundle", "letters", "letter"):
        result = runner.invoke(main, [command, "--help"])
        assert "--follow-outside-links" in result.output, command


def test_an_evidence_folder_that_is_itself_a_link_out_is_one_entry(tmp_path):
    case, outside = make_case(tmp_path)
    (case / "evidence").rmdir()
    (case / "evidence").symlink_to(outside, target_is_directory=True)
    with watching() as opened:
        entries = evidence_entries(case / "evidence", root=case)
    assert touched_outside([p for p in opened if p], outside) == []
    ((path, access),) = entries
    assert path == case / "evidence" and access.reason == NOT_READ_OUTSIDE


@contextlib.contextmanager
def unprivileged():
    """Run as nobody (effective uid) when root, so that file permissions apply."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.mark.skipif(not hasattr(os, "seteuid"), reason="POSIX permissions")
def test_a_file_without_read_permission_is_listed_with_the_reason():
    base = Path(tempfile.mkdtemp(prefix="bh-perm-", dir="/tmp"))
    try:
        base.chmod(0o755)
        case = base / "case"
        ev = case / "evidence"
        ev.mkdir(parents=True)
        case.chmod(0o755)
        ev.chmod(0o755)
        (ev / "a.txt").write_text("可读", encoding="utf-8")
        (ev / "a.txt").chmod(0o644)
        (ev / "b-locked.txt").write_text("锁住的", encoding="utf-8")
        (ev / "b-locked.txt").chmod(0o000)
        (ev / "c-closed").mkdir()
        (ev / "c-closed" / "inner.txt").write_text("x", encoding="utf-8")
        (ev / "c-closed").chmod(0o000)
        with unprivileged():
            assert not check_access(ev / "b-locked.txt", case).readable
            items = scan_evidence(ev, root=case, workers=1)
        by_name = {f.name: f for f in items}
        assert set(by_name) == {"a.txt", "b-locked.txt", "c-closed"}
        assert by_name["a.txt"].text == "可读"
        assert "权限" in by_name["b-locked.txt"].status and by_name["b-locked.txt"].text is None
        assert "无法打开文件夹" in by_name["c-closed"].status
    finally:
        for p in (base / "case" / "evidence" / "b-locked.txt", base / "case/evidence/c-closed"):
            with contextlib.suppress(OSError):
                p.chmod(0o755)
        import shutil

        shutil.rmtree(base, ignore_errors=True)
