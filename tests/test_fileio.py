"""Outputs are written atomically: never half a file under the final name."""

import os

import pytest

from buyer_helper.fileio import write_bytes_atomic


def test_interrupted_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "out" / "证据包.pdf"
    write_bytes_atomic(target, b"old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_write_creates_folders(tmp_path):
    target = tmp_path / "a" / "b" / "c.txt"
    write_bytes_atomic(target, "中文".encode())
    assert target.read_text(encoding="utf-8") == "中文"
