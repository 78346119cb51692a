"""No lost writes: every read-modify-write of the case folder holds its lock (fileio.locked)."""

import subprocess
import sys
import threading
import time

import pytest

from buyer_helper.casefile.casefolder import read_yaml, write_yaml
from buyer_helper.casefile.fileio import LOCK_FILE, locked
from buyer_helper.errors import BuyerHelperError

PROCESSES, CALLS = 4, 50
NOW = "2026-11-23T10:30:00+08:00"

# One process: waits for the start signal, then runs `buyer-helper log` CALLS times through
# the CLI's own entry point (as the console script does, without paying start-up each time).
WORKER = """
import os, sys, time
from buyer_helper.cli import main
folder, who, calls, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
while not os.path.exists(go):
    time.sleep(0.005)
for i in range(calls):
    try:
        args = ["log", folder, f"事件 {who}-{i}", "--now", sys.argv[5]]
        main(args=args, prog_name="buyer-helper")
    except SystemExit as e:
        if e.code:
            sys.exit(f"log {who}-{i} exited {e.code}")
"""


def test_concurrent_log_calls_keep_every_event(tmp_path, sample_answers):
    case_dir = tmp_path / "案子"
    case_dir.mkdir()
    write_yaml(case_dir / "case.yaml", sample_answers)
    before = len(sample_answers.get("timeline") or [])
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(case_dir), str(k), str(CALLS), str(go), NOW],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(PROCESSES)
    ]
    time.sleep(0.5)  # let every process import before the start signal
    go.touch()
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * PROCESSES, errors

    timeline = read_yaml(case_dir / "case.yaml")["timeline"]
    texts = [e["text"] for e in timeline[before:]]
    expected = {f"事件 {k}-{i}" for k in range(PROCESSES) for i in range(CALLS)}
    assert len(texts) == PROCESSES * CALLS, f"{PROCESSES * CALLS - len(texts)} events lost"
    assert set(texts) == expected
    # each process's own events stay in the order it wrote them
    for k in range(PROCESSES):
        mine = [t for t in texts if t.startswith(f"事件 {k}-")]
        assert mine == [f"事件 {k}-{i}" for i in range(CALLS)]
    # the rest of the case is untouched
    assert read_yaml(case_dir / "case.yaml")["order"] == sample_answers["order"]


HOLD = """
import sys, time
from buyer_helper.casefile.fileio import locked
with locked(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_held_lock_makes_another_process_wait_then_say_so(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path), "3"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        with pytest.raises(BuyerHelperError) as e, locked(tmp_path, timeout=0.3):
            pass
        assert time.monotonic() - start >= 0.3
        assert "正被另一个 buyer-helper 使用" in e.value.message
        assert "什么都没有改动" in e.value.message
    finally:
        holder.wait(timeout=30)
    with locked(tmp_path, timeout=5):  # released when the holder ended
        pass
    assert (tmp_path / LOCK_FILE).exists() or not list(tmp_path.iterdir())


def test_the_lock_is_reentrant_and_serialises_threads(tmp_path):
    order: list[str] = []

    def worker(name: str) -> None:
        with locked(tmp_path), locked(tmp_path):  # a locked function calling another
            order.append(f"{name} in")
            time.sleep(0.05)
            order.append(f"{name} out")

    threads = [threading.Thread(target=worker, args=(n,)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])


def test_an_interview_save_keeps_what_log_wrote_meanwhile(tmp_path, sample_answers):
    # the buyer answers questions in one terminal and logs a call in another
    import copy
    import datetime as dt

    from buyer_helper.cli import main
    from buyer_helper.terminal import interview as iv
    from buyer_helper.terminal import questions as qs

    answers = copy.deepcopy(sample_answers)
    answers.pop("timeline", None)
    now = dt.datetime.fromisoformat(NOW)
    flow = iv._Interview(tmp_path, qs.Context(today=now.date(), now=now), answers, ask=None)
    flow.save()
    with pytest.raises(SystemExit) as e:
        main(args=["log", str(tmp_path), "打了热线，工单号 77", "--now", NOW], prog_name="bh")
    assert e.value.code in (0, None)
    flow.answers["story"] = "改过的经过"  # the interview goes on with its own copy
    flow.save()
    saved = read_yaml(tmp_path / "case.yaml")
    assert saved["story"] == "改过的经过"
    assert [ev["text"] for ev in saved["timeline"]] == ["打了热线，工单号 77"]


def test_letters_wait_for_the_case_lock_before_reading_the_manifest(tmp_path):
    from buyer_helper.texts.letter import Letter
    from buyer_helper.texts.outfolder import MANIFEST, write_letters

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path), "1.5"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        letter = Letter(channel="seller", title="给商家", text="你好", filename="01-给商家.txt")
        write_letters(tmp_path / "out", [letter])
        waited = time.monotonic() - start
    finally:
        holder.wait(timeout=30)
    assert waited >= 1.0  # it waited for the other process's lock on the case folder
    assert (tmp_path / "out" / "01-给商家.txt").read_text(encoding="utf-8") == "你好"
    assert (tmp_path / "out" / MANIFEST).exists()
