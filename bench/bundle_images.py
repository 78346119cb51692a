"""Benchmark: 30 phone-like photos (4000×3000 JPEG) through `build_bundle` and `img2pdf`.

Prints seconds, CPU seconds, peak RSS and PDF size of each, and the ratios against the
targets (time ≤ 4 × img2pdf, PDF ≤ 10 % of img2pdf's, peak RSS ≤ 400 MB). Not a test: run it
by hand.

    pip install -e '.[bench]'                   # img2pdf, the reference
    apt install plasma-workspace-wallpapers     # the photographs the photos are made from
    python bench/bundle_images.py [--count 30] [--repeat 5] [--rotated 0.34] [--keep DIR]

The photos are real photographs (see PHOTOGRAPHS) cropped to 4:3, scaled to 4000×3000, with
sensor grain, ~5 MB each; a third (--rotated) stored with EXIF rotation. With --keep, photos
already in DIR/photos are reused. Each side runs --repeat times, alternating; the ratios use
each side's median run.

Each side runs in its own subprocess, so its peak RSS (ru_maxrss) is its own; the bundle's
two image workers are reported separately (RUSAGE_CHILDREN gives the larger of the two).
CPU seconds (user + system, the process and its workers) do not depend much on what else
the machine is running; wall seconds do, so the load average is printed before and after, and
the least wall time the CPU seconds allow on two idle cores (the bundle's own process and its
two image workers share them: max(own, (own + workers) / 2)) is printed beside the measured one.
--rotated: the share of photos stored landscape with EXIF orientation 6 (a phone held upright),
which the bundle turns.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

W, H = 4000, 3000
QUALITY = 95  # phone cameras save at about this quality
GRAIN = 8  # standard deviation of the sensor grain added to each channel (0–255 scale)

# Real photographs to build the phone photos from: KDE's wallpapers that are photographs
# (Debian: `apt install plasma-workspace-wallpapers`), found in any of WALLPAPER_DIRS.
WALLPAPER_DIRS = (Path("/usr/share/wallpapers"),)
PHOTOGRAPHS = (
    "BytheWater",
    "ColdRipple",
    "ColorfulCups",
    "DarkestHour",
    "EveningGlow",
    "FallenLeaf",
    "Grey",
    "Kite",
    "OneStandsOut",
    "Path",
    "summer_1am",
)


def find_photographs() -> list[str]:
    """The largest file of each wallpaper in PHOTOGRAPHS that is installed."""
    from PIL import Image

    found = []
    for name in PHOTOGRAPHS:
        for root in WALLPAPER_DIRS:
            images = sorted((root / name / "contents" / "images").glob("*.*"))
            if images:
                found.append(str(max(images, key=lambda f: _area(Image, f))))
                break
    return found


def _area(Image, path: Path) -> int:
    with Image.open(path) as im:
        return im.size[0] * im.size[1]


def make_photo(args: tuple[str, str, int, bool]) -> int:
    """A phone-like photo from a real photograph: a 4:3 crop (a different one for each seed,
    mirrored on odd seeds) scaled to 4000×3000, with Gaussian sensor grain, saved at JPEG
    quality QUALITY (about 5 MB, like a 12 MP phone photo). `rotated`: stored landscape with EXIF
    orientation 6, as a phone stores a portrait shot."""
    from PIL import Image, ImageChops

    path, source, seed, rotated = args
    with Image.open(source) as src:
        src = src.convert("RGB")
    sw, sh = src.size
    cw, ch = (sw, sw * 3 // 4) if sw * 3 <= sh * 4 else (sh * 4 // 3, sh)
    cw, ch = int(cw * 0.85), int(ch * 0.85)  # room to move the crop between seeds
    x = (seed * 97) % (sw - cw + 1)
    y = (seed * 61) % (sh - ch + 1)
    im = src.crop((x, y, x + cw, y + ch)).resize((W, H), Image.Resampling.BICUBIC)
    if seed % 2:
        im = im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    channels = [
        ImageChops.add(c, Image.effect_noise((W, H), GRAIN), offset=-128) for c in im.split()
    ]
    exif = Image.Exif()
    exif[0x010F] = "BenchPhone"  # a camera make, as phones write
    if rotated:
        exif[0x0112] = 6
    Image.merge("RGB", channels).save(path, "JPEG", quality=QUALITY, exif=exif)
    return Path(path).stat().st_size


BUNDLE_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from buyer_helper.casefile.case import case_from_dict
from buyer_helper.facts.hours import parse_now
from buyer_helper.decide.routing import route
from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS, SAMPLE_NOW
from buyer_helper.pdf.bundle import build_bundle

now = parse_now(SAMPLE_NOW)
answers = dict(SAMPLE_ANSWERS, evidence_notes={})
case = case_from_dict(answers, today=now.date())
plan = route(case, now)
t, cpu0 = time.perf_counter(), time.process_time()
result = build_bundle(case, plan, Path(sys.argv[1]), Path(sys.argv[2]))
seconds = time.perf_counter() - t
cpu_build = time.process_time() - cpu0
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "seconds": seconds,
    "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
    "cpu_build": cpu_build,
    "cpu_workers": kids.ru_utime + kids.ru_stime,
    "rss_self": me.ru_maxrss * 1024,
    "rss_workers": kids.ru_maxrss * 1024,
    "size": Path(sys.argv[2]).stat().st_size,
    "pages": result.pages,
}))
"""

IMG2PDF_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import img2pdf

files = sorted(str(p) for p in Path(sys.argv[1]).iterdir())
t = time.perf_counter()
with open(sys.argv[2], "wb") as fh:
    fh.write(img2pdf.convert(files))
seconds = time.perf_counter() - t
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "seconds": seconds,
    "cpu": me.ru_utime + me.ru_stime,
    "rss_self": me.ru_maxrss * 1024,
    "rss_workers": 0,
    "size": Path(sys.argv[2]).stat().st_size,
}))
"""


def run_child(code: str, *args: str) -> dict:
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["wall"] = time.perf_counter() - t
    return data


def _median_run(rs: list[dict]) -> dict:
    return sorted(rs, key=lambda r: r["seconds"])[(len(rs) - 1) // 2]


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=5, help="runs of each side (median kept)")
    ap.add_argument("--rotated", type=float, default=0.34, help="share of EXIF-rotated photos")
    ap.add_argument("--keep", type=Path, help="keep the photos and PDFs in this folder")
    opts = ap.parse_args()
    if importlib.util.find_spec("img2pdf") is None:
        sys.exit("img2pdf is not installed: pip install -e '.[bench]' (the benchmark's extra)")
    load = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="bh-bench-") as tmp:
        root = opts.keep or Path(tmp)
        photos = root / "photos"
        photos.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        sources = find_photographs()
        if not sources:
            sys.exit(
                "no photographs to build the phone photos from: "
                "apt install plasma-workspace-wallpapers (see PHOTOGRAPHS)"
            )
        every = round(1 / opts.rotated) if opts.rotated > 0 else 0
        jobs = [
            (
                str(photos / f"IMG_{i:04d}.jpg"),
                sources[i % len(sources)],
                i,
                bool(every) and i % every == 0,
            )
            for i in range(opts.count)
        ]
        todo = [j for j in jobs if not Path(j[0]).exists()]
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(make_photo, todo))
        total = sum(Path(j[0]).stat().st_size for j in jobs)
        took = time.perf_counter() - t
        print(
            f"generated {opts.count} photos {W}×{H} q{QUALITY} from {len(sources)} photographs: "
            f"{mb(total)} in {took:.1f} s"
        )

        # alternate the two, several times, and keep each one's median run (warm page cache)
        runs: dict[str, list[dict]] = {"bundle": [], "img2pdf": []}
        for _ in range(opts.repeat):
            runs["img2pdf"].append(run_child(IMG2PDF_CHILD, str(photos), str(root / "i.pdf")))
            runs["bundle"].append(run_child(BUNDLE_CHILD, str(photos), str(root / "b.pdf")))
        for name, rs in runs.items():
            print(f"{name} runs (s): " + ", ".join(f"{r['seconds']:.2f}" for r in rs))
            print(f"{name} runs (CPU s): " + ", ".join(f"{r['cpu']:.2f}" for r in rs))
        ours = _median_run(runs["bundle"])
        ref = _median_run(runs["img2pdf"])
        print(f"load average (1 min) before {load:.2f}, after {os.getloadavg()[0]:.2f}")

        print()
        head = f"{'':10} {'seconds':>8} {'CPU s':>7} {'wall':>7} {'peak RSS':>10} {'workers':>9}"
        print(f"{head} {'PDF':>9}")
        for name, r in (("bundle", ours), ("img2pdf", ref)):
            print(
                f"{name:10} {r['seconds']:8.2f} {r['cpu']:7.2f} {r['wall']:7.2f} "
                f"{mb(r['rss_self']):>10} {mb(r['rss_workers']):>9} {mb(r['size']):>9}"
            )
        print(f"bundle CPU per photo: {ours['cpu'] / opts.count * 1000:.0f} ms")
        own, workers = ours["cpu_build"], ours["cpu_workers"]
        floor = max(own, (own + workers) / 2)
        print(
            f"bundle CPU while timed: this process {own:.2f} s, image workers {workers:.2f} s; "
            f"two idle cores need at least {floor:.2f} s ({floor / ref['seconds']:.2f} × this "
            "img2pdf run)"
        )
        print(f"bundle pages: {ours['pages']}")
        t_ratio = ours["seconds"] / ref["seconds"]
        s_ratio = ours["size"] / ref["size"]
        rss = max(ours["rss_self"], ours["rss_workers"])
        print()
        checks = [
            (f"time  {t_ratio:5.2f} × img2pdf", "≤ 4 ×", t_ratio <= 4),
            (f"size  {s_ratio:6.1%} of img2pdf", "≤ 10 %", s_ratio <= 0.10),
            (f"RSS   {mb(rss):>6} largest process", "≤ 400 MB", rss <= 400 * 2**20),
        ]
        for text, target, ok in checks:
            print(f"{text:32} target {target:9} {'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
