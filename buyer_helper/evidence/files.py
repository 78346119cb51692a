"""The evidence folder: index every file (kind, date, size, SHA-256, note) and prepare previews.

Images (JPEG, PNG, WebP, HEIC, …) are opened with Pillow, EXIF orientation applied, shrunk to
fit `MAX_SIDE` pixels (a large JPEG photo: decoded at 1/2, 1/4 … scale and kept at that size,
see DRAFT_KEEP) and re-encoded as JPEG bytes for the PDF (the index keeps the original
file's hash). Chat logs (.txt) are decoded as UTF-8, UTF-8 with BOM or GB18030. A file that
cannot be shown is still indexed, with its hash and the reason in Chinese.

A case folder may come from someone else (a zip from a relative, dozens at a consumer
association), so what is read is decided in one place, `check_access`: an entry whose real path
lies outside the case folder (a symbolic link to a file or a folder elsewhere), a link loop, a
dangling link, a pipe or a device is listed with the reason and the link target, and never read,
hashed or embedded; links that stay inside the case folder are read like files.
`evidence_entries` walks a folder with that rule (bundle, letters and `scan` use it).

Pillow is imported inside functions only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import io
import math
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuyerHelperError
from ..facts.tz import SHANGHAI

MAX_SIDE = 1600  # pixels, long side of an image in the PDF
TALL_RATIO = 2.4  # taller than this (height / width): a scrolling screenshot, cut into parts
SLICE_WIDTH = 1080  # pixels, width of the parts of a tall screenshot
SLICE_RATIO = 1.3  # height / width of each part (about the free space on an A4 page)
JPEG_QUALITY = 85
# A JPEG photo decoded at reduced scale (1/2, 1/4 …) to at most DRAFT_KEEP × MAX_SIDE pixels
# goes in at that size, without a resize step, at DRAFT_QUALITY (a 4000×3000 photo: 2000×1500).
# On the A4 page a photo is at most 174 mm wide: 2000×1500 prints at 292 pixels per inch,
# upright 1500×2000 at 219; a 1/4-scale decode (1000×750) would print at 146 and 110, below the
# ~150 a photo needs on paper, and would save only ~15 % of the decode (the entropy decoding of
# the whole file is the same at every scale: ~60 of ~70 ms for a 5 MB photo).
DRAFT_KEEP = 1.3
DRAFT_QUALITY = 72
MAX_TEXT_BYTES = 30 * 1024 * 1024  # a chat log larger than this is listed, not printed
PARALLEL_FROM = 5  # use two worker processes from this many images on
PROGRESS_FROM = 5  # print progress from this many evidence files on

IMAGE_EXT = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".gif", ".bmp", ".tif", ".tiff"}
VIDEO_EXT = {".mp4", ".mov", ".avi", ".mkv", ".3gp", ".m4v", ".wmv", ".flv", ".webm"}
TEXT_EXT = {".txt", ".text"}
SKIP_NAMES = {"thumbs.db", "desktop.ini"}
SCREENSHOT_RE = re.compile(r"截图|截屏|屏幕快照|聊天|screen ?shot|snip", re.IGNORECASE)

KIND_PHOTO, KIND_SCREENSHOT, KIND_CHAT, KIND_VIDEO, KIND_OTHER = (
    "照片",
    "截图",
    "聊天记录",
    "视频",
    "其他",
)
KIND_LINK = "链接"
UNPREVIEWABLE = "无法预览"

# Why an evidence entry is not read (the index's 预览 column shows these as they are).
NOT_READ_OUTSIDE = "未读取（链接到案子文件夹以外）"
NOT_READ_LOOP = "未读取（链接循环）"
NOT_READ_DANGLING = "未读取（链接指向的文件不存在）"
NOT_READ_SPECIAL = "未读取（不是普通文件，例如管道或设备）"
NOT_READ_SEEN = "未读取（链接到的文件夹已经列过，避免重复）"
FOLLOW_OPTION = "--follow-outside-links"


@dataclass(frozen=True)
class Access:
    """Whether one evidence entry may be opened: the answer of `check_access`.

    readable: the entry is a regular file inside the case folder (or outside it, when the buyer
    asked with --follow-outside-links) and may be opened, hashed and embedded. folder: a folder
    (a link to one) the walk may go into when `readable_folder`. reason (Chinese, starting with
    未读取 or 无法读取): why not. link: where a symbolic link points, as the link says (for a
    file under a linked folder, the real path). outside: the real path lies outside the case
    folder."""

    readable: bool
    reason: str = ""
    link: str = ""
    outside: bool = False
    folder: bool = False
    real: Path | None = None

    @property
    def readable_folder(self) -> bool:
        return self.folder and not self.reason


@dataclass(frozen=True)
class EvidenceName:
    """An evidence entry as the complaint texts list it: its name in the evidence folder, why it
    is not read ("" when it is: a NOT_READ_* reason), and where it links to ("" when no link)."""

    name: str
    unread: str = ""
    link: str = ""


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def check_access(path: Path, root: Path, follow_outside_links: bool = False) -> Access:
    """May this evidence entry be read? The one rule for bundle, letters and scan.

    `root` is the case folder: an entry whose real path (every link resolved) lies outside it is
    not read unless `follow_outside_links` (the buyer's explicit option). Loops, dangling links
    and anything but a regular file or a folder (pipes, devices, sockets: reading a pipe would
    wait for ever) are never read. Nothing of the entry's content is opened here."""
    path = Path(path)
    link = ""
    with contextlib.suppress(OSError):
        if path.is_symlink():
            link = os.readlink(path)
    try:
        real = Path(os.path.realpath(path, strict=True))
    except OSError as e:
        if e.errno == errno.ELOOP:
            return Access(False, NOT_READ_LOOP, link)
        if isinstance(e, FileNotFoundError):
            return Access(False, NOT_READ_DANGLING, link)
        return Access(False, _read_reason(e), link)
    outside = not _within(real, Path(os.path.realpath(root)))
    if outside and not link:  # a linked folder above it leads out
        link = str(real)
    if outside and not follow_outside_links:
        return Access(False, NOT_READ_OUTSIDE, link, outside=True, real=real)
    try:
        st = os.stat(real)
    except OSError as e:
        return Access(False, _read_reason(e), link, outside, real=real)
    if stat.S_ISDIR(st.st_mode):
        return Access(False, "", link, outside, folder=True, real=real)
    if not stat.S_ISREG(st.st_mode):
        return Access(False, NOT_READ_SPECIAL, link, outside, real=real)
    if not os.access(real, os.R_OK, effective_ids=os.access in os.supports_effective_ids):
        return Access(False, "无法读取文件（没有读取权限）", link, outside, real=real)
    return Access(True, "", link, outside, real=real)


def evidence_entries(
    folder: Path, root: Path | None = None, follow_outside_links: bool = False
) -> list[tuple[Path, Access]]:
    """Every non-hidden entry under `folder` that is not a folder walked into, in natural name
    order, with `check_access`'s answer (`root`: the case folder; default `folder` itself).

    Folders inside the case folder are walked into, also through links, each real folder once; a
    link to a folder outside (unless `follow_outside_links`), a loop, or a folder that cannot be
    opened is one entry, listed with its reason, never dropped."""
    folder = Path(folder)
    if not folder.exists() and not folder.is_symlink():
        raise BuyerHelperError(f"证据文件夹不存在：{folder}")
    root = Path(root) if root is not None else folder
    top = check_access(folder, root, follow_outside_links)
    if top.outside and not top.readable_folder:
        return [(folder, top)]  # the evidence folder itself leads out of the case folder
    if top.reason in ("", NOT_READ_SPECIAL) and not top.folder:
        raise BuyerHelperError(f"{folder} 不是文件夹；请给出放证据文件的文件夹")
    if not top.readable_folder:
        raise BuyerHelperError(f"证据文件夹无法打开：{folder}（{top.reason}）")
    found: list[tuple[Path, Access]] = []
    seen: set[Path] = set()

    def walk(directory: Path, real: Path) -> None:
        seen.add(real)
        try:
            names = os.listdir(directory)
        except OSError as e:
            if directory == folder:
                raise BuyerHelperError(f"证据文件夹无法打开：{folder}（{e.strerror}）") from None
            found.append((directory, Access(False, f"无法打开文件夹（{e.strerror}）", folder=True)))
            return
        for name in sorted(names, key=natural_key):  # the same link walked first every time
            if name.startswith(".") or name.lower() in SKIP_NAMES:
                continue
            p = directory / name
            access = check_access(p, root, follow_outside_links)
            if access.readable_folder:
                assert access.real is not None
                if _within(real, access.real):  # a link to this folder or one above it
                    found.append((p, Access(False, NOT_READ_LOOP, access.link, folder=True)))
                elif access.real in seen:
                    found.append((p, Access(False, NOT_READ_SEEN, access.link, folder=True)))
                else:
                    walk(p, access.real)
            else:
                found.append((p, access))

    assert top.real is not None
    walk(folder, top.real)
    return sorted(found, key=lambda e: natural_key(entry_name(e[0], folder)))


def entry_name(path: Path, folder: Path) -> str:
    """The entry's name as listed: relative to the evidence folder ("folder/" for the folder)."""
    if path == folder:
        return folder.name + "/"
    return path.relative_to(folder).as_posix()


@dataclass
class EvidenceFile:
    no: int
    path: Path
    name: str  # path relative to the evidence folder, with "/" separators
    size: int
    sha256: str = ""
    kind: str = KIND_OTHER
    date: dt.datetime | None = None  # Asia/Shanghai
    date_source: str = ""  # "拍摄" (EXIF) or "修改" (file time)
    note: str = ""
    preview: str = ""  # "图片" | "文字" | "" (none)
    reason: str = ""  # why it could not be previewed (Chinese)
    parts: list[tuple[bytes, tuple[int, int]]] = field(default_factory=list, repr=False)
    original_size: tuple[int, int] | None = None  # as the file stores it (before EXIF rotation)
    rotated: bool = False  # shown turned or mirrored as the EXIF orientation says
    shown_size: tuple[int, int] | None = None  # original_size after the EXIF orientation
    text: str | None = field(default=None, repr=False)
    encoding: str = ""
    link: str = ""  # where a symbolic link points (shown in the index), "" when not a link
    outside: bool = False  # the real path lies outside the case folder
    read: bool = True  # False: never opened (check_access said no); reason says why
    # the text `buyer-helper scan` read from the image (ocr.Line, boxes in pixels of the upright
    # image), None when it has not been scanned; bundle lays it under the picture, invisible
    ocr_lines: list | None = field(default=None, repr=False)

    @property
    def previewable(self) -> bool:
        return bool(self.preview)

    @property
    def status(self) -> str:
        if self.preview == "图片":
            return "已附图片"
        if self.preview == "文字":
            return "已附全文"
        if not self.read:
            return self.reason
        return f"{UNPREVIEWABLE}：{self.reason}"

    @property
    def date_text(self) -> str:
        from ..facts.hours import cn_datetime

        if self.date is None:
            return "未知"
        return f"{cn_datetime(self.date, weekday=False)}（{self.date_source}）"


def natural_key(name: str) -> list:
    return [
        (0, int(t), t) if t.isdigit() else (1, 0, t.casefold()) for t in re.split(r"(\d+)", name)
    ]


def list_files(folder: Path, root: Path | None = None) -> list[Path]:
    """Every entry `evidence_entries` lists under `folder` (files, and the links and special
    files it lists without reading), in natural name order."""
    return [p for p, _ in evidence_entries(folder, root)]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def sniff(path: Path) -> str:
    """ "image", "video", "text" or "other", by extension, then by the first bytes."""
    ext = path.suffix.lower()
    if ext in IMAGE_EXT:
        return "image"
    if ext in VIDEO_EXT:
        return "video"
    if ext in TEXT_EXT:
        return "text"
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return "other"
    if (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc")
    ):
        return "image"
    if head[4:8] == b"ftyp":
        return "video"
    return "other"


# ------------------------------------------------------------------ images


# EXIF orientation (tag 0x0112) -> the PIL Image.Transpose that shows the photo upright (the
# table of PIL.ImageOps.exif_transpose, applied here after shrinking). 1 and unknown: as is.
ORIENTATION = {
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}
QUARTER_TURNS = {ORIENTATION[k] for k in (5, 6, 7, 8)}  # these swap width and height


def _exif_date(exif) -> dt.datetime | None:
    """DateTimeOriginal (with OffsetTimeOriginal if present) in Asia/Shanghai, or None."""
    try:
        sub = exif.get_ifd(0x8769)
    except Exception:
        return None
    raw = sub.get(0x9003)
    if not isinstance(raw, str):
        return None
    try:
        when = dt.datetime.strptime(raw.strip("\x00 ").strip(), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(0x9011)
    if isinstance(offset, str) and re.fullmatch(r"[+-]\d\d:\d\d", offset.strip("\x00 ")):
        aware = dt.datetime.fromisoformat(when.isoformat() + offset.strip("\x00 "))
        return aware.astimezone(SHANGHAI)
    return when.replace(tzinfo=SHANGHAI)


def _image_reason(exc: BaseException) -> str:
    from PIL import Image, UnidentifiedImageError

    if isinstance(exc, Image.DecompressionBombError):
        return "图片像素太多，无法处理"
    if isinstance(exc, UnidentifiedImageError):
        return "无法识别的图片格式，文件可能已损坏"
    text = str(exc).lower()
    if "truncated" in text or "premature" in text or "broken data stream" in text:
        return "图片文件不完整或已损坏"
    if isinstance(exc, MemoryError):
        return "图片太大，内存不足"
    return f"图片无法读取（{type(exc).__name__}）"


def process_image(path: str) -> dict:
    """Open one image and return JPEG bytes for the PDF (run in a worker process).

    Returns a dict: ok, parts (list of (JPEG bytes, (w, h))), original (w, h) as stored,
    rotated (bool: EXIF orientation applied), shown (w, h) of the original once oriented,
    date (ISO or None), camera (bool), reason (Chinese, when not ok). A long scrolling
    screenshot (长截图) becomes several page-sized parts, so its text stays readable.
    """
    from PIL import Image

    _open_heic_too(path)
    try:
        with Image.open(path) as im:
            original, date, camera, turn_name, (w, h), tall = _header(im)
            fmt = im.format
            # Small baseline/progressive RGB or grey JPEGs that need no rotation go in as they are.
            if (
                fmt == "JPEG"
                and max(original) <= MAX_SIDE
                and not tall
                and turn_name is None
                and im.mode in ("RGB", "L")
            ):
                im.load()  # proves the file decodes completely
                with open(path, "rb") as fh:
                    data = fh.read()
                return _ok([(data, original)], original, date, camera, False, original)
            drafted = _draft(im, tall)
            im.load()
            im = _flatten(im)  # before resizing: a palette image would be resized nearest-pixel
            turn = getattr(Image.Transpose, turn_name) if turn_name else None
            if tall:
                if turn is not None:
                    im = im.transpose(turn)
                return _ok(_slices(im), original, date, camera, turn is not None, (w, h))
            quality = JPEG_QUALITY
            if drafted and max(im.size) <= DRAFT_KEEP * MAX_SIDE:
                # Goes in at the decoded size: resizing 2000×1500 to 1600×1200 would cost as
                # about as much as decoding the photo (bench/bundle_images.py: ~35 of ~130 ms);
                # at DRAFT_QUALITY the page JPEG is ~10 % larger than 1600 px at JPEG_QUALITY
                # was, with 1.56 × the pixels to print.
                quality = DRAFT_QUALITY
            elif max(im.size) > MAX_SIDE:  # shrink first: turning the smaller image is cheaper
                im.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
            if turn is not None:
                im = im.transpose(turn)
            parts = [(_encode(im, quality), im.size)]
            return _ok(parts, original, date, camera, turn is not None, (w, h))
    except Exception as exc:  # every failure becomes a reason shown in the index
        return {"ok": False, "reason": _image_reason(exc), "date": None, "camera": False}


def _header(im) -> tuple:
    """What an opened (not decoded) image's header says: (size as stored, EXIF date or None,
    camera make/model present, the Transpose name that turns it upright or None, size once
    upright, a tall scrolling screenshot)."""
    original = im.size
    exif = im.getexif()
    date = _exif_date(exif)
    camera = bool(exif.get(0x010F) or exif.get(0x0110))
    orientation = exif.get(0x0112, 1)
    turn_name = ORIENTATION.get(orientation) if isinstance(orientation, int) else None
    w, h = original if turn_name not in QUARTER_TURNS else original[::-1]
    return original, date, camera, turn_name, (w, h), h > TALL_RATIO * w


def _draft(im, tall: bool) -> bool:
    """Set a large JPEG to decode at 1/2, 1/4 … scale (libjpeg's DCT scaling): the smallest
    that still gives at least MAX_SIDE, so nothing the page can show is lost; a 4000×3000 phone
    photo decodes at 2000×1500 (im.size says so at once; nothing is decoded here). True when
    libjpeg does decode at a smaller scale."""
    original = im.size
    if im.format != "JPEG" or tall or max(original) <= MAX_SIDE:
        return False
    scale = MAX_SIDE / max(original)
    im.draft("RGB", (math.ceil(original[0] * scale), math.ceil(original[1] * scale)))
    return max(im.size) < max(original)


def _thumbnail_size(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size PIL's Image.thumbnail((side, side)) gives an image of `size` (its rounding)."""
    w, h = size
    if side >= w and side >= h:
        return size
    aspect = w / h
    if aspect <= 1:
        x = max(
            min(
                math.floor(side * aspect),
                math.ceil(side * aspect),
                key=lambda n: abs(aspect - n / side),
            ),
            1,
        )
        return x, side
    y = max(
        min(
            math.floor(side / aspect),
            math.ceil(side / aspect),
            key=lambda n: 0 if n == 0 else abs(aspect - side / n),
        ),
        1,
    )
    return side, y


def peek_image(path: str) -> dict:
    """What `process_image(path)` will return if the image decodes, from its header alone
    (nothing is decoded: well under a millisecond), with empty JPEG bytes in the parts.
    Raises what Image.open raises."""
    from PIL import Image

    _open_heic_too(path)
    with Image.open(path) as im:
        original, date, camera, turn_name, shown, tall = _header(im)
        if tall:
            parts = _slice_sizes(*shown)
        else:
            if _draft(im, tall) and max(im.size) <= DRAFT_KEEP * MAX_SIDE:
                size = im.size  # goes in at the decoded size
            else:
                size = _thumbnail_size(im.size, MAX_SIDE)
            parts = [size[::-1] if turn_name in QUARTER_TURNS else size]
    return _ok([(b"", px) for px in parts], original, date, camera, turn_name is not None, shown)


def _open_heic_too(path: str | Path | None = None) -> None:
    """Let Pillow open iPhone HEIC photos (pillow-heif, a dependency). Given `path`, only when
    that file is an ISO media file (HEIC/HEIF start with an `ftyp` box): importing pillow-heif
    costs ~45 ms, in each image worker, which a folder of JPEG photos does without."""
    if path is not None:
        try:
            with open(path, "rb") as fh:
                if fh.read(12)[4:8] != b"ftyp":
                    return
        except OSError:
            return  # Image.open will say why
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # pragma: no cover - pillow-heif is a dependency
        pass


def open_upright(path: Path):
    """The image at `path` as an RGB or L PIL image the way it is meant to be seen: EXIF
    orientation applied, transparency flattened onto white (HEIC through pillow-heif). Raises
    BuyerHelperError with the reason process_image would give when it cannot be read."""
    from PIL import Image

    _open_heic_too(path)
    try:
        with Image.open(path) as im:
            orientation = im.getexif().get(0x0112, 1)
            turn_name = ORIENTATION.get(orientation) if isinstance(orientation, int) else None
            im.load()
            out = _flatten(im)
            if turn_name:
                out = out.transpose(getattr(Image.Transpose, turn_name))
            return out if out is not im else im.copy()
    except Exception as exc:
        raise BuyerHelperError(_image_reason(exc)) from None


def _encode(im, quality: int = JPEG_QUALITY) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _slices(im) -> list[tuple[bytes, tuple[int, int]]]:
    """A tall image cut into page-shaped parts, each overlapping the next a little."""
    from PIL import Image

    w, h = _slice_width(*im.size)
    if (w, h) != im.size:
        im = im.resize((w, h), Image.Resampling.BILINEAR, reducing_gap=2.0)
    parts = []
    for top, bottom in _slice_rows(w, h):
        part = im.crop((0, top, w, bottom))
        parts.append((_encode(part), part.size))
    return parts


def _slice_width(w: int, h: int) -> tuple[int, int]:
    """The size a tall image is cut at: SLICE_WIDTH wide at most."""
    if w > SLICE_WIDTH:
        return SLICE_WIDTH, max(1, round(h * SLICE_WIDTH / w))
    return w, h


def _slice_rows(w: int, h: int) -> list[tuple[int, int]]:
    """(top, bottom) of each page-shaped part of a w×h tall image, each overlapping the next."""
    step = int(w * SLICE_RATIO)
    overlap = max(1, step // 25)
    rows = []
    top = 0
    while True:
        bottom = min(h, top + step)
        rows.append((top, bottom))
        if bottom >= h:
            return rows
        top = bottom - overlap


def _slice_sizes(w: int, h: int) -> list[tuple[int, int]]:
    w, h = _slice_width(w, h)
    return [(w, bottom - top) for top, bottom in _slice_rows(w, h)]


def _ok(parts, original, date, camera, rotated, shown) -> dict:
    return {
        "ok": True,
        "parts": [(data, tuple(size)) for data, size in parts],
        "original": tuple(original),
        "rotated": rotated,
        "shown": tuple(shown),
        "date": date.isoformat() if date else None,
        "camera": camera,
    }


def _flatten(im):
    """RGB or L image; transparency (screenshots, stickers) flattened onto white."""
    from PIL import Image

    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    if im.mode in ("RGB", "L"):
        return im
    return im.convert("RGB")


# -------------------------------------------------------------------- text


def decode_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for UTF-8, UTF-8 with BOM or GB18030 text; None for binary data."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None and text.count("\x00") <= max(
        4, len(text) // 100
    ):  # a stray NUL is still text
        return text, "UTF-8"
    if b"\x00" in data:  # GB18030 decodes nearly any bytes: refuse what looks binary
        return None
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        return None


# ------------------------------------------------------------------- index


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=SHANGHAI).replace(microsecond=0)


def scan_evidence(
    folder: Path,
    notes: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 2,
    root: Path | None = None,
    follow_outside_links: bool = False,
    while_busy: Callable | None = None,
) -> list[EvidenceFile]:
    """Index and prepare every file in `folder` (see the module docstring).

    root: the case folder (default: `folder`); entries leading outside it are listed, not read,
    unless `follow_outside_links` (see `check_access`).
    progress(done, total) is called after each file (total: every file in the folder); the
    images, the slow part, come last.

    while_busy(expected, processed) is called once in this process, before any image is
    waited for, while the image workers run (work of the caller's that can overlap theirs:
    laying out the document, subsetting the font) with `expected`, copies of the files as they
    will be if every image decodes (`peek_image`: their parts hold no JPEG bytes), and
    `processed(no)`, which waits for image number `no` (or processes it here) and returns its
    final EvidenceFile. A BuyerHelperError it raises stops the scan (queued images are
    dropped) and is raised; other errors are ignored: `same_outcome` tells whether what it
    prepared from `expected` still holds."""
    folder = Path(folder)
    notes = notes or {}
    items: list[EvidenceFile] = []
    images: list[EvidenceFile] = []
    entries = evidence_entries(folder, root, follow_outside_links)
    total = len(entries)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    for no, (path, access) in enumerate(entries, 1):
        name = entry_name(path, folder)
        item = EvidenceFile(no=no, path=path, name=name, size=0)
        item.link, item.outside = access.link, access.outside
        item.note = notes.get(name, notes.get(path.name, ""))
        items.append(item)
        if not access.readable:  # listed with the reason, never opened
            item.read = False
            item.reason = access.reason or "未读取（是文件夹）"
            item.kind = KIND_LINK if access.link else KIND_OTHER
            tick()
            continue
        with contextlib.suppress(OSError):
            item.size = path.stat().st_size
        if _index_file(item):
            images.append(item)  # hashed and shrunk in the image pass
        else:
            tick()
    _process_images(images, tick, workers, while_busy, items)
    return items


def _index_file(item: EvidenceFile) -> bool:
    """Fill in what can be known of a file without opening it as an image; True for an image
    (left to the image pass)."""
    path, size = item.path, item.size
    with contextlib.suppress(OSError):
        item.date, item.date_source = _mtime(path), "修改"
    what = sniff(path)
    if size == 0:
        item.kind = {"image": KIND_PHOTO, "video": KIND_VIDEO, "text": KIND_CHAT}.get(
            what, KIND_OTHER
        )
        item.reason = "文件是空的（0 字节）"
        item.sha256 = hashlib.sha256(b"").hexdigest()
        return False
    if what == "image":
        item.kind = KIND_PHOTO
        return True
    try:
        item.sha256 = sha256_file(path)
    except OSError as e:
        item.reason = _read_reason(e)
        return False
    if what == "video":
        item.kind = KIND_VIDEO
        item.reason = "视频无法放进 PDF，请另行提交原文件"
    elif what == "text":
        item.kind = KIND_CHAT
        _load_text(item)
    else:
        ext = path.suffix.lower() or "无扩展名"
        item.kind = KIND_OTHER
        item.reason = f"PDF 里无法显示这种文件（{ext}），请另行提交原文件"
    return False


def _read_reason(e: OSError) -> str:
    return f"无法读取文件（{e.strerror or type(e).__name__}）"


def _load_text(item: EvidenceFile) -> None:
    if item.size > MAX_TEXT_BYTES:
        item.reason = f"文字文件太大（超过 {MAX_TEXT_BYTES // 1024 // 1024} MB），请另行提交原文件"
        return
    try:
        data = item.path.read_bytes()
    except OSError as e:
        item.reason = _read_reason(e)
        return
    decoded = decode_text(data)
    if decoded is None:
        item.kind = KIND_OTHER
        item.reason = "不是可识别的文字文件（不是 UTF-8 或 GB18030 编码）"
        return
    item.text, item.encoding = decoded
    item.preview = "文字"


def _hash(path: str) -> tuple[str, dict | None]:
    """(SHA-256 of the file, None), or ("", the failed result) when it cannot be read."""
    try:
        return sha256_file(Path(path)), None
    except OSError as e:
        return "", {"ok": False, "reason": _read_reason(e), "date": None, "camera": False}


def _expected(
    items: list[EvidenceFile], images: list[EvidenceFile], hashed: list[tuple[str, dict | None]]
) -> list[EvidenceFile]:
    """Copies of `items` as they will be once every image is processed, if every image decodes
    (`peek_image`: headers only, empty JPEG bytes); the items themselves are not touched."""
    from dataclasses import replace

    ahead = {id(item): (item, h) for item, h in zip(images, hashed, strict=True)}
    out = []
    for item in items:
        if id(item) not in ahead:
            out.append(item)
            continue
        copy = replace(item)
        digest, failed = ahead[id(item)][1]
        if failed is None:
            try:
                failed = peek_image(str(item.path))
            except Exception as exc:
                failed = {"ok": False, "reason": _image_reason(exc), "date": None, "camera": False}
        _apply(copy, digest, failed)
        out.append(copy)
    return out


def _process_images(
    images: list[EvidenceFile],
    tick: Callable[[], None],
    workers: int,
    while_busy: Callable | None = None,
    items: list[EvidenceFile] | None = None,
) -> None:
    """Hash and process `images` (two worker processes from PARALLEL_FROM images on, else in
    this process), finishing them in order; see scan_evidence for while_busy."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    total = len(images)
    done = 0
    jobs: list = []  # the workers' process_image, in the order of `images`
    pool = None
    if workers > 1 and total >= PARALLEL_FROM:
        try:
            pool = ProcessPoolExecutor(max_workers=workers)
            jobs = [pool.submit(process_image, str(i.path)) for i in images]
        except (OSError, BrokenProcessPool):  # no worker processes here: all in this one
            jobs = []
    by_no = {item.no: k for k, item in enumerate(images)}

    def processed(no: int) -> EvidenceFile:
        """The image numbered `no`, processed (the ones before it first, in order, so the
        progress count keeps moving)."""
        nonlocal done, jobs
        k = by_no[no]
        while done <= k:
            path = str(images[done].path)
            digest, failed = hashed[done]
            result = failed
            if result is None and jobs:
                try:
                    result = jobs[done].result()
                except BrokenProcessPool:  # workers gone: carry on in this process
                    jobs = []
                except Exception:  # the result did not come back (pickling, memory): redo it here
                    result = None
            if result is None:
                result = process_image(path)
            _apply(images[done], digest, result)
            done += 1
            tick()
        return images[k]

    try:
        # this process hashes while the workers decode (a file is read twice, the second time
        # from the page cache: ~1 ms for a 5 MB photo)
        hashed = [_hash(str(i.path)) for i in images]
        if while_busy is not None:
            try:
                while_busy(_expected(items or images, images, hashed), processed)
            except BuyerHelperError:  # the caller's refusal (a wrong --channel): stop here
                raise
            except Exception:  # what it prepared is checked with same_outcome
                pass
        if total:
            processed(images[-1].no)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def same_outcome(a: list[EvidenceFile], b: list[EvidenceFile]) -> bool:
    """Whether two scans of a folder came out the same, JPEG bytes aside (`while_busy`'s
    expected files against the final ones)."""
    from dataclasses import fields

    def key(f: EvidenceFile) -> tuple:
        return tuple(
            [px for _, px in f.parts] if x.name == "parts" else getattr(f, x.name)
            for x in fields(f)
        )

    return len(a) == len(b) and all(key(x) == key(y) for x, y in zip(a, b, strict=True))


def _apply(item: EvidenceFile, digest: str, result: dict) -> None:
    item.sha256 = digest
    name = item.path.name
    if result.get("date"):
        item.date = dt.datetime.fromisoformat(result["date"])
        item.date_source = "拍摄"
    ext = item.path.suffix.lower()
    if SCREENSHOT_RE.search(name) or (
        not result.get("camera") and ext in (".png", ".webp", ".gif", ".bmp")
    ):
        item.kind = KIND_SCREENSHOT
    else:
        item.kind = KIND_PHOTO
    if result["ok"]:
        item.parts = result["parts"]
        item.original_size = result["original"]
        item.rotated = bool(result.get("rotated"))
        item.shown_size = result.get("shown") or item.original_size
        item.preview = "图片"
    else:
        item.reason = result["reason"]


def stderr_progress(label: str = "处理证据文件") -> Callable[[int, int], None]:
    """A progress printer for the terminal: "处理证据文件 12/100" (stderr, one line when a
    tty); the count is of every file in the evidence folder."""
    tty = sys.stderr.isatty()

    def show(done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        if tty:
            end = "\n" if done == total else ""
            print(f"\r{label} {done}/{total}", end=end, file=sys.stderr, flush=True)
        elif done == total or done % 10 == 0:
            print(f"{label} {done}/{total}", file=sys.stderr, flush=True)

    return show


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    if n < 1024**3:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024**3:.2f} GB"
