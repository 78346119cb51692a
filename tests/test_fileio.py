"""Outputs are written atomically: never half a file under the final name."""

import os

import pytest

from buyer_helper.casefile.fileio import write_bytes_atomic


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


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_new_file_gets_umask_mode_not_private_0600(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "case.yaml"
        write_bytes_atomic(target, b"a")
        assert target.stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        other = tmp_path / "other.txt"
        write_bytes_atomic(other, b"b")
        assert other.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_rewrite_keeps_the_existing_files_mode(tmp_path):
    old = os.umask(0o077)  # a rewrite must not fall back to the umask either
    try:
        for mode in (0o644, 0o640, 0o755):
            target = tmp_path / f"证据包-{mode:o}.pdf"
            target.write_bytes(b"old")
            target.chmod(mode)
            write_bytes_atomic(target, b"new")
            assert target.read_bytes() == b"new"
            assert target.stat().st_mode & 0o777 == mode
    finally:
        os.umask(old)


def test_folder_is_synced_after_the_rename(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync

    def spy(fd):
        synced.append(os.path.realpath(f"/proc/self/fd/{fd}") if os.path.exists("/proc") else fd)
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    target = tmp_path / "sub" / "a.txt"
    write_bytes_atomic(target, b"x")
    if os.path.exists("/proc/self/fd"):
        assert str(target.parent) in synced
    assert len(synced) == 2  # the file's data, then the folder
