"""Writing the texts into a case's out/ folder (`buyer-helper letters DIR`, the demo) without
losing the buyer's edits: the manifest of what was written (SHA-256 and text id per file), the
new text beside an edited one ("…（新）.txt"), the summary the buyer reads and 投诉文字说明.txt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..casefile.fileio import locked, write_bytes_atomic, write_text_atomic
from ..decide.plan import DISCLAIMER
from ..errors import BuyerHelperError
from ..facts.hours import display_width

if TYPE_CHECKING:
    from .letter import Letter


# what `letters` wrote last time: file name -> SHA-256 ("files"), file name -> text id ("texts")
MANIFEST = ".letters-manifest.json"
LEGACY_MANIFEST = ".letters-files"  # older runs: file names only
README = "投诉文字说明.txt"
NEW_MARK = "（新）"


@dataclass
class WriteResult:
    """What `write_letters` did, for the summary the buyer reads."""

    out_dir: Path
    written: list[tuple[str, str]] = field(default_factory=list)  # (file name, title)
    beside: list[tuple[str, str]] = field(default_factory=list)  # (edited file kept, new file)
    removed: list[str] = field(default_factory=list)  # stale texts nobody edited
    kept_stale: list[str] = field(default_factory=list)  # stale texts the buyer edited: kept
    # unchanged texts still in the plan whose number changed: (earlier name, name now)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    # of the files in `beside`: those no record says were written by `letters` (an older
    # version kept names only, or the buyer made the file): maybe edited, kept all the same
    unknown: list[str] = field(default_factory=list)
    # files written beside the texts (the offline page, the reminders): name -> file written
    # (the name itself, or "…（新）…" beside a copy the buyer edited)
    extras: dict[str, str] = field(default_factory=dict)


# Files written beside the texts, made once the texts are written (they may name them):
# given the result so far, a list of (file name, text id, content); content None means "not
# this time", a callable is called with the result so far (it may name the files before it).
Extras = Callable[[WriteResult], list[tuple[str, str, object]]]


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def read_manifest(out: Path) -> dict[str, str | None]:
    """File name -> SHA-256 of what was written (None when an older run kept only names)."""
    import json

    found: dict[str, str | None] = {}
    for name in (LEGACY_MANIFEST, MANIFEST):
        try:
            raw = (out / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("files"), dict):
            for k, v in data["files"].items():
                found[str(k)] = v if isinstance(v, str) else None
        else:  # a plain list of names, one a line
            for line in raw.splitlines():
                if line.strip() and not line.strip().startswith(("{", "}")):
                    found.setdefault(line.strip(), None)
    return {k: v for k, v in found.items() if _plain_name(k)}


def read_manifest_texts(out: Path) -> dict[str, str]:
    """File name -> text id of the texts the last run wrote (older manifests: none)."""
    import json

    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    texts = data.get("texts") if isinstance(data, dict) else None
    if not isinstance(texts, dict):
        return {}
    return {str(k): v for k, v in texts.items() if isinstance(v, str) and _plain_name(str(k))}


_NUMBER = re.compile(r"^\d{2}-")


def _earlier_names(
    manifest: dict[str, str | None], texts: dict[str, str], letters: list[Letter]
) -> dict[str, str]:
    """Text id -> the file name the last run gave that text: by the text id the manifest
    stored, or (older manifests) by the file name without its number."""
    found: dict[str, str] = {}
    for name, tid in texts.items():
        if name in manifest:
            found.setdefault(tid, name)
    for letter in letters:
        if letter.text_id in found:
            continue
        base = _NUMBER.sub("", letter.filename)
        for name in sorted(manifest):
            if name not in texts and _NUMBER.match(name) and _NUMBER.sub("", name) == base:
                found[letter.text_id] = name
                break
    return found


def _plain_name(name: str) -> bool:
    """A file name directly inside out/ (a manifest never points elsewhere)."""
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")


def _on_disk(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:  # a folder or an unreadable file by that name: never ours to replace
        return UNREADABLE


UNREADABLE = b"\0unreadable\0"


def _free_to_write(path: Path, data: bytes, manifest: dict[str, str | None]) -> bool:
    """True when writing `data` to `path` loses nothing: no file there, the same content,
    or exactly what `letters` wrote there last time (the buyer has not changed it)."""
    current = _on_disk(path)
    if current is None or current == data:
        return True
    recorded = manifest.get(path.name)
    return recorded is not None and recorded == _sha256(current)


def _edited(path: Path, manifest: dict[str, str | None]) -> bool:
    """True when `path` holds something other than what `letters` wrote there last time
    (or no record says what was written): the buyer may have edited it."""
    current = _on_disk(path)
    if current is None or current is UNREADABLE:
        return False
    recorded = manifest.get(path.name)
    return recorded is None or recorded != _sha256(current)


def _beside_name(name: str, n: int) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    mark = NEW_MARK if n == 1 else f"（新{n}）"
    return f"{stem}{mark}{dot}{ext}"


def write_letters(
    out_dir: Path, letters: list[Letter], extras: Extras | None = None
) -> WriteResult:
    """Write the texts and 投诉文字说明.txt into `out_dir` without losing the buyer's edits.

    `extras` makes the files written beside the texts (the offline page, the reminders); they
    get a text id and SHA-256 in the manifest and the same care as the texts.

    A file is overwritten only when it is exactly what the last run wrote (its SHA-256 is in
    the manifest `.letters-manifest.json`). A file the buyer changed is kept and the new text
    goes beside it ("01-…（新）.txt"). Texts of earlier runs that the plan no longer needs are
    deleted only when unchanged. Raises BuyerHelperError when out/ cannot be written."""
    with locked(Path(out_dir).parent):  # the case folder: the manifest is read, then rewritten
        return _write_letters(out_dir, letters, extras)


def _write_letters(out_dir: Path, letters: list[Letter], extras: Extras | None) -> WriteResult:
    import json

    out = Path(out_dir)
    result = WriteResult(out_dir=out)
    manifest = read_manifest(out)
    earlier = _earlier_names(manifest, read_manifest_texts(out), letters)
    record: dict[str, str] = {}
    texts: dict[str, str] = {}  # file name -> text id, for the next run
    kept: set[str] = set()  # files the buyer may have edited, left where they are

    def put(name: str, text: str | bytes) -> str:
        """Write `text` as `name`, or beside it when `name` may hold the buyer's edits."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        target, n = name, 0
        while not _free_to_write(out / target, data, manifest):
            n += 1
            target = _beside_name(name, n)
        if target != name:
            result.beside.append((name, target))
            kept.add(name)
            if name not in manifest or manifest[name] is None:
                result.unknown.append(name)
            else:
                record[name] = manifest[name]  # still the buyer's edited copy
        write_bytes_atomic(out / target, data)
        record[target] = _sha256(data)
        return target

    try:
        out.mkdir(parents=True, exist_ok=True)
        for letter in letters:
            old = earlier.get(letter.text_id)
            if old and old != letter.filename and _edited(out / old, manifest):
                # the buyer edited this text under its earlier number: the new text goes
                # beside the edited file, whatever number the plan gives it now
                letter.filename = old
            texts[letter.filename] = letter.text_id
            result.written.append((put(letter.filename, letter.text), letter.title))
        put(README, _readme(letters, dict(result.beside)))
        for name, tid, make in extras(result) if extras is not None else ():
            content = make(result) if callable(make) else make
            if content is None:
                continue
            assert isinstance(content, str | bytes)
            target = put(name, content)
            result.extras[name] = target
            texts[name] = tid
        now_named = {letter.text_id: letter.filename for letter in letters}
        for stale in sorted(set(manifest) - set(record) - kept):
            path = out / stale
            current = _on_disk(path)
            if current is None or current is UNREADABLE:
                continue
            if manifest[stale] is not None and manifest[stale] == _sha256(current):
                path.unlink(missing_ok=True)
                tid = next((t for t, name in earlier.items() if name == stale), None)
                if tid in now_named:
                    result.renamed.append((stale, now_named[tid]))
                else:
                    result.removed.append(stale)
            else:
                result.kept_stale.append(stale)
        body = {
            "note": "上次生成的文件及其 SHA-256；内容不同的文件视为你改过，不会被覆盖",
            "files": record,
            "texts": {name: tid for name, tid in texts.items() if name in record},
        }
        write_text_atomic(out / MANIFEST, json.dumps(body, ensure_ascii=False, indent=1) + "\n")
        (out / LEGACY_MANIFEST).unlink(missing_ok=True)
    except OSError as e:
        raise BuyerHelperError(f"无法写入 {out}：{e.strerror}") from None
    return result


def summary_lines(result: WriteResult, letters: list[Letter]) -> list[str]:
    """What `letters` (and the demo) print after writing: the files in aligned columns, the
    kept edits, the reminders (with the file each belongs to)."""
    lines = [f"已生成 {len(result.written)} 份文字，保存在 {result.out_dir.resolve()}："]
    width = max((display_width(name) for name, _ in result.written), default=0)
    for name, title in result.written:
        lines.append(f"  {name}{' ' * (width - display_width(name) + 4)}{title}")
    for edited, new in result.beside:
        if edited in result.unknown:
            lines.append(
                f"{edited} 和这次生成的不一样，无法确认是不是你改过的，所以没有覆盖它；"
                f"新生成的文字写在 {new}，请对照后保留你要的那份。"
            )
        else:
            lines.append(f"你改过 {edited}：没有覆盖它，新生成的文字写在 {new}，请对照后自己合并。")
    for name, target in result.extras.items():
        if target != name:
            lines.append(f"你改过 {name}：没有覆盖它，新生成的写在 {target}。")
    for name in result.kept_stale:
        lines.append(f"{name} 已不在这次的计划里，但你改过它，所以保留没有删除。")
    for old, new in result.renamed:
        lines.append(f"计划的顺序变了：{old} 现在是 {new}（旧文件你没改过，已删除）。")
    if result.removed:
        lines.append(
            "这次的计划不再需要、你也没改过的旧文字已删除：" + "、".join(result.removed) + "。"
        )
    warned = [letter for letter in letters if letter.warnings]
    if warned:
        names = {letter.filename: letter.filename for letter in letters}
        names.update({edited: new for edited, new in result.beside})
        lines.append("提醒：")
        for letter in warned:
            for w in letter.warnings:
                lines.append(f"  [{names[letter.filename]}] {w}")
    lines.append(f"每份文字的用法和提醒也写在 {README} 里。")
    return lines


def _readme(letters: list[Letter], beside: dict[str, str] | None = None) -> str:
    """投诉文字说明.txt: what each file is for and its reminders (`beside`: edited file -> the
    file the new text went to)."""
    beside = beside or {}
    lines = [
        DISCLAIMER,
        "",
        "这个文件夹里编号的 .txt 文件各是一份可以直接复制使用的文字"
        "（文件里只有要发送或要说的内容）。",
        "",
    ]
    for letter in letters:
        if letter.filename in beside:
            lines.append(
                f"{beside[letter.filename]}：{letter.title}"
                f"（新生成的；{letter.filename} 是你改过的那份，保留未动）"
            )
        else:
            lines.append(f"{letter.filename}：{letter.title}")
        lines += [f"  - {w}" for w in letter.warnings]
    return "\n".join(lines) + "\n"
