"""`buyer-helper scan DIR`: read the text of the evidence images, offline, once per file.

Each image in DIR/evidence is read with the OCR engine (ocr.py, the optional `ocr` extra) and
the result is cached by the file's SHA-256 under DIR/.cache/ocr/<sha>.json (written
atomically): a rerun reads the cache, a changed file is read again, evidence files are only
ever opened for reading. The cache keeps the engine's raw lines; who said what (ocr.attribute),
the seller's misconduct quotes and the order facts are worked out from it on every load, so
`bundle` and `plan` use the cache without the OCR extra.

Quotes: the other party's messages checked with the story's misconduct rules (storywords), each
with its file and the time the app shows above it. Only the buyer's decisions are stored, in
case.yaml `quotes:` (text, kind, file, time, confirmed); only confirmed quotes reach a text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..casefile.quotes import Quote
from ..errors import BuyerHelperError

CACHE_DIR = ".cache/ocr"
CACHE_VERSION = 1
PROGRESS_FROM = 4  # progress on stderr from this many images on


@dataclass
class OrderFacts:
    """What an order-detail screenshot shows (each field "" / None when not read)."""

    file: str
    id: str = ""
    amount: str = ""  # "89.90"
    shop: str = ""
    ordered_on: dt.date | None = None
    signed_on: dt.date | None = None

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "id": self.id,
            "amount": self.amount,
            "shop": self.shop,
            "ordered_on": self.ordered_on.isoformat() if self.ordered_on else None,
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
        }


@dataclass
class Scanned:
    """One evidence image as read (from the engine or the cache)."""

    file: str
    sha256: str
    size: tuple[int, int] | None = None  # upright image, pixels
    lines: list = field(default_factory=list)  # ocr.Line, attributed (one per bubble)
    raw: list = field(default_factory=list)  # ocr.Line, as the engine returned them
    error: str = ""
    cached: bool = False
    quotes: list[Quote] = field(default_factory=list)
    order: OrderFacts | None = None

    def to_dict(self) -> dict:
        out = {
            "file": self.file,
            "sha256": self.sha256,
            "size": list(self.size) if self.size else None,
            "lines": [{"text": ln.text, "side": ln.side, "box": list(ln.box)} for ln in self.lines],
            "quotes": [
                {
                    "text": q.text,
                    "kind": q.kind,
                    "file": q.file,
                    "time": q.time,
                    "confirmed": q.confirmed,
                }
                for q in self.quotes
            ],
            "order": self.order.to_dict() if self.order else None,
        }
        if self.error:
            out["error"] = self.error
        return out


# ------------------------------------------------------------------ the cache


def cache_path(case_dir: Path, sha: str) -> Path:
    return Path(case_dir) / CACHE_DIR / f"{sha}.json"


def _from_cache(case_dir: Path, sha: str) -> dict | None:
    path = cache_path(case_dir, sha)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    if data.get("sha256") != sha:
        return None
    return data


def _to_cache(case_dir: Path, sha: str, data: dict) -> None:
    from ..casefile.fileio import write_text_atomic

    # a read-only case folder: the result is still used, only not kept
    with contextlib.suppress(OSError):
        write_text_atomic(cache_path(case_dir, sha), json.dumps(data, ensure_ascii=False))


def _read_file(path: Path) -> dict:
    """The engine's raw lines for one image file, as the cache stores them."""
    from .files import open_upright
    from .ocr import read_image

    try:
        im = open_upright(path)
    except BuyerHelperError as e:
        return {"error": e.message}
    lines = read_image(im)
    return {
        "size": list(im.size),
        "raw": [
            {"text": ln.text, "box": list(ln.box), "score": round(ln.score, 4)} for ln in lines
        ],
    }


def _scanned(name: str, sha: str, data: dict, cached: bool) -> Scanned:
    from .ocr import Line, attribute

    item = Scanned(file=name, sha256=sha, cached=cached, error=data.get("error", ""))
    if item.error:
        return item
    item.size = tuple(data["size"])
    item.raw = [Line(r["text"], tuple(r["box"]), r.get("score", 1.0)) for r in data["raw"]]
    item.lines = attribute([Line(r.text, r.box, r.score) for r in item.raw], item.size)
    item.quotes = find_quotes(name, item.lines)
    item.order = order_facts(name, item.raw)
    return item


def load_cached(case_dir: Path, name: str, sha: str) -> Scanned | None:
    """What `scan` read from the file `name` with this SHA-256, or None (not scanned yet)."""
    data = _from_cache(case_dir, sha)
    return None if data is None else _scanned(name, sha, data, cached=True)


# --------------------------------------------------------------------- listing


def evidence_images(case_dir: Path) -> list[tuple[str, Path, str]]:
    """(name, path, reason) of every image in the case's evidence folder, as bundle lists them.

    An entry that may not be read (evidence.check_access: a link out of the case folder, a loop,
    a pipe…) is listed with its reason and never opened, not even to see whether it is an image."""
    from ..casefile.casefolder import EVIDENCE_DIR
    from .files import entry_name, evidence_entries, sniff

    case_dir = Path(case_dir)
    folder = case_dir / EVIDENCE_DIR
    out = []
    for path, access in evidence_entries(folder, case_dir):
        if not access.readable:
            if not access.folder or access.link:
                out.append((entry_name(path, folder), path, access.reason or "未读取"))
        elif sniff(path) == "image":
            out.append((entry_name(path, folder), path, ""))
    return out


def scan_case(
    case_dir: Path,
    progress: Callable[[int, int], None] | None = None,
    read: bool = True,
) -> list[Scanned]:
    """Every evidence image of the case, read or taken from the cache.

    read=False: the cache only (an image not read yet is left out) — for bundle and plan,
    which never run OCR."""
    from .files import sha256_file

    case_dir = Path(case_dir)
    images = evidence_images(case_dir)
    out: list[Scanned] = []
    for i, (name, path, unread) in enumerate(images, 1):
        if unread:
            out.append(Scanned(name, "", error=unread))
            continue
        try:
            sha = sha256_file(path)
        except OSError as e:
            out.append(Scanned(name, "", error=f"无法读取文件（{e.strerror or e}）"))
            continue
        data = _from_cache(case_dir, sha)
        cached = data is not None
        if data is None and read:
            data = {"version": CACHE_VERSION, "sha256": sha, **_read_file(path)}
            _to_cache(case_dir, sha, data)
        if data is not None:
            out.append(_scanned(name, sha, data, cached))
        if progress:
            progress(i, len(images))
    return out


def cached_scan(case_dir: Path | None) -> list[Scanned]:
    """What `scan` has read for this case, from the cache only; [] without a case folder."""
    if case_dir is None:
        return []
    from ..casefile.casefolder import EVIDENCE_DIR

    if not (Path(case_dir) / EVIDENCE_DIR).is_dir():
        return []
    return scan_case(case_dir, read=False)


# ---------------------------------------------------------------------- quotes


_DATE_RE = re.compile(r"(?:(\d{4})[年/.-])?(\d{1,2})[月/.-](\d{1,2})日?")
_CLOCK_RE = re.compile(r"(\d{1,2})[:：](\d{2})")


def time_label(text: str, day: str) -> tuple[str, str]:
    """(label, day) for an app time line: "11月20日19:05" → ("11月20日 19:05", "11月20日");
    a bare "21:30" takes the day shown last above it."""
    text = text.replace(" ", "")
    clock = _CLOCK_RE.search(text)
    hm = f"{int(clock[1]):02d}:{clock[2]}" if clock else ""
    date = _DATE_RE.match(text)
    if date:
        day = f"{int(date[2])}月{int(date[3])}日"
        return f"{day} {hm}".strip(), day
    prefix = text[: clock.start()] if clock else ""
    if prefix:  # 昨天 / 星期三 / 下午
        return f"{prefix} {hm}", day
    return (f"{day} {hm}" if day else hm), day


def find_quotes(name: str, lines: list) -> list[Quote]:
    """The other party's lines that name misconduct (storywords' rules), each with the time
    the app shows above it."""
    from ..decide.storywords import misconduct_in, threat_in
    from .ocr import is_time

    quotes = []
    when, day = "", ""
    for line in lines:
        if line.side == "app":
            if is_time(line.text):
                when, day = time_label(line.text, day)
            continue
        if line.side != "other":
            continue
        kinds = misconduct_in(line.text)
        if threat_in(line.text):
            kinds = ["threat", *kinds]
        if kinds:
            quotes.append(Quote(text=line.text, kind=kinds[0], file=name, time=when))
    return quotes


def apply_decisions(scanned: list[Scanned], decided: list[Quote]) -> list[Quote]:
    """Every quote found, in order, marked with the buyer's saved decision."""
    by_key = {q.key: q for q in decided}
    out = []
    for item in scanned:
        for q in item.quotes:
            saved = by_key.get(q.key)
            if saved is not None:
                q.confirmed, q.decided = saved.confirmed, True
            out.append(q)
    return out


# ------------------------------------------------------------------ order facts


_ORDER_ID = re.compile(r"(?:订单编号|订单号|订单号码)[:：]?\s*([0-9A-Za-z][0-9A-Za-z-]{5,39})")
_AMOUNT = re.compile(
    r"(?:实付款|实付金额|实付|实收款|付款金额)[:：]?\s*[¥￥]?\s*(\d+(?:\.\d{1,2})?)"
)
_SHOP_LABEL = re.compile(r"(?:店铺名称|店铺|商家名称|商家)[:：]\s*(\S.{0,60})")
_SHOP_NAME = re.compile(r"^[^:：\s]{2,40}(?:旗舰店|专卖店|专营店|官方店|小店|店铺|店)$")
_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_ORDERED = ("下单时间", "创建时间", "成交时间", "拼单时间", "付款时间", "支付时间")
_SIGNED = ("签收时间", "收货时间", "确认收货时间", "成交完成时间", "完成时间")


def _rows(raw: list) -> list[str]:
    """Lines on the same row joined left to right ("订单编号" and its value apart)."""
    rows: list[list] = []
    for line in sorted(raw, key=lambda ln: (ln.box[1], ln.box[0])):
        mid = (line.box[1] + line.box[3]) / 2
        for row in rows:
            ref = row[0]
            if ref.box[1] <= mid <= ref.box[3]:
                row.append(line)
                break
        else:
            rows.append([line])
    return [" ".join(ln.text for ln in sorted(row, key=lambda ln: ln.box[0])) for row in rows]


def _date(text: str) -> dt.date | None:
    m = _FULL_DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def order_facts(name: str, raw: list) -> OrderFacts | None:
    """Order number, amount paid, shop, order and signing dates from an order-detail page;
    None unless the page shows an order number or an amount paid."""
    facts = OrderFacts(file=name)
    rows = _rows(raw)
    for row in rows:
        compact = row.replace(" ", "")
        if not facts.id and (m := _ORDER_ID.search(compact)):
            facts.id = m[1]
        if not facts.amount and (m := _AMOUNT.search(compact)):
            facts.amount = f"{float(m[1]):.2f}"
        if not facts.shop and (m := _SHOP_LABEL.search(row)):
            facts.shop = m[1].strip()
        if facts.ordered_on is None and any(w in compact for w in _ORDERED):
            facts.ordered_on = _date(compact)
        if facts.signed_on is None and any(w in compact for w in _SIGNED):
            facts.signed_on = _date(compact)
    if not (facts.id or facts.amount):
        return None
    if not facts.shop:
        for row in rows:
            if _SHOP_NAME.match(row.replace(" ", "").rstrip(">〉›")):
                facts.shop = row.replace(" ", "").rstrip(">〉›")
                break
    return facts


def screenshot_order(scanned: list[Scanned]) -> OrderFacts | None:
    """The order facts of the first order-detail screenshot among `scanned`."""
    return next((s.order for s in scanned if s.order is not None), None)


# --------------------------------------------------------------------- command
