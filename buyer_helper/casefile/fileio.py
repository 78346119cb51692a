"""Reading the buyer's text files, atomic writes (a reader never sees a half-written file
under its final name), and the case folder's lock (`locked`).

The data goes to a temporary file beside the target, is flushed to disk and renamed over the
target. The new file gets the old file's permission bits (a 0644 case.yaml stays 0644), or for a
new file the usual ones (0666 minus the umask) — not mkstemp's private 0600. After the rename the
folder itself is synced, so the new name survives a power cut (where the system allows it).
"""

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuyerHelperError


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _target_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:  # no such file yet (or unreadable): what open() would give a new file
        return 0o666 & ~_current_umask()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _target_mode(path)
    import tempfile  # not at module level: `hours` reads files through here at start-up

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)
            else:  # pragma: no cover - Windows
                os.chmod(tmp, mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _size_words(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    return f"{n // 1024} KiB" if n % 1024 == 0 else f"{n} 字节"


def read_text(
    path: Path,
    what: str = "文件",
    limit: int | None = None,
    too_big: str = "这么大的文件多半是选错了，请检查。",
) -> str:
    """A UTF-8 text file (a BOM is allowed); what goes wrong is a BuyerHelperError naming `what`
    and the path. `limit`: a file larger than this many bytes is refused (never read whole), with
    `too_big` saying why."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read() if limit is None else fh.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise BuyerHelperError(f"{path} 超过 {_size_words(limit)}，不读取：{too_big}")
    except FileNotFoundError:
        raise BuyerHelperError(f"找不到{what}：{path}") from None
    except IsADirectoryError:
        raise BuyerHelperError(f"{path} 是文件夹，不是{what}") from None
    except OSError as e:
        raise BuyerHelperError(f"无法读取{what} {path}：{e.strerror or e}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BuyerHelperError(f"{what} {path} 不是 UTF-8 编码，请另存为 UTF-8 后再试") from None


# ------------------------------------------------------------------------ the case lock

LOCK_FILE = ".buyer-helper.lock"  # in the case folder; the file stays, the lock is on it
LOCK_TIMEOUT = 60.0  # seconds to wait for another buyer-helper working on the same case
_locks: dict[str, object] = {}


@contextmanager
def locked(case_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the case folder's lock: every read-modify-write of the case folder (case.yaml,
    out/ and its manifest) runs inside `with locked(case_dir):`, so two buyer-helper
    processes at once never lose each other's writes.

    An operating-system file lock (the `filelock` library: flock on Unix, msvcrt on Windows)
    on `case_dir/.buyer-helper.lock`; it is released when the process ends, however it ends.
    Re-entrant in one thread (a locked function may call another). Waiting longer than
    `timeout` (default LOCK_TIMEOUT) is a BuyerHelperError; the folder is created if missing."""
    from filelock import FileLock, Timeout

    folder = Path(case_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = os.path.abspath(folder / LOCK_FILE)
    lock = _locks.get(path)
    if lock is None:
        lock = _locks[path] = FileLock(path, poll_interval=0.01)
    try:
        lock.acquire(timeout=LOCK_TIMEOUT if timeout is None else timeout)
    except Timeout:
        raise BuyerHelperError(
            f"案子文件夹 {folder} 正被另一个 buyer-helper 使用（等了 "
            f"{LOCK_TIMEOUT if timeout is None else timeout:g} 秒）。请等它结束后再试；"
            "什么都没有改动。"
        ) from None
    except OSError as e:
        raise BuyerHelperError(f"无法锁定案子文件夹 {folder}：{e.strerror or e}") from None
    try:
        yield
    finally:
        lock.release()
