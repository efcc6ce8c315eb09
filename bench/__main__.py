"""`make bench`: measure quality, speed and memory; rewrite BENCHMARKS.md.

Each part's figures are kept in `bench/results.json` with the date, machine and command that produced
them, so a part can be measured again alone (`--parts stack`) and BENCHMARKS.md still shows every part.
`python -m bench --smoke` runs every part but `nlu` and `reliability` on tiny sizes and writes nothing (used by
the test suite).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import httpx
import psutil

from bench import (
    conversations,
    facts,
    faq_quality,
    latency,
    nlu_quality,
    reliability,
    report,
    scale_out,
    store_scale,
    threads,
    turn_log_cost,
)
from runner import model
from runner.stack import ROOT, Stack, free_port

RESULTS = ROOT / "bench" / "results.json"
PARTS = ("nlu", "faq", "facts", "conversations", "stack", "store", "turnlog", "threads", "scale", "reliability")


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    process = psutil.Process(pid)
    return round(sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20, 1)


class PeakRss:
    """Samples the RSS of the stack's servers every 0.2 s in a thread and keeps each one's peak."""

    def __init__(self, stack: Stack, names: tuple[str, ...] = ("rasa", "actions")) -> None:
        self.pids = {name: stack.processes[name].pid for name in names}
        self.peak = {name: 0.0 for name in names}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], _rss_mb(pid))

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def stack_figures(count: int, runs: int, turns: int, rss_messages: int) -> dict[str, object]:
    """Latency per layer and concurrency, a long conversation, start time and memory of a fresh stack."""
    with tempfile.TemporaryDirectory() as workdir:
        stack = Stack(var=Path(workdir), rasa_port=free_port(), actions_port=free_port(), web_port=None)
        began = time.perf_counter()
        stack.start()
        try:
            stack.wait_ready(timeout=600)
            httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": "first", "message": "bonjour"},
                       timeout=60).raise_for_status()
            first_answer = round(time.perf_counter() - began, 1)
            with PeakRss(stack) as peak:
                rss_start = {name: _rss_mb(pid) for name, pid in peak.pids.items()}
                timings = latency.median_of([latency.run(stack, count=count) for _ in range(runs)])
                long = latency.long_conversation(stack, turns=turns)
                rss_before_flood = {name: _rss_mb(pid) for name, pid in peak.pids.items()}
                flood = latency.flood(stack, rss_messages)
                rss_end = {name: _rss_mb(pid) for name, pid in peak.pids.items()}
        finally:
            stack.stop()
    return {"first_answer_s": first_answer, "latency": timings, "long": long, "rss_start": rss_start,
            "rss_before_flood": rss_before_flood, "rss_end": rss_end, "rss_peak": peak.peak, "flood": flood,
            "count": count, "turns": turns, "rss_messages": rss_messages}


def facts_figures(smoke: bool) -> dict[str, object]:
    """Factual questions through the REST webhook of a fresh stack, one after the other; servers' memory."""
    with tempfile.TemporaryDirectory() as workdir:
        stack = Stack(var=Path(workdir), rasa_port=free_port(), actions_port=free_port(), web_port=None)
        stack.start()
        try:
            stack.wait_ready(timeout=600)
            held_out = facts.run(stack.rasa_url, facts.cases("heldout")[:10] if smoke else facts.cases("heldout"))
            dev = facts.run(stack.rasa_url, facts.cases("dev")[:10] if smoke else facts.cases("dev"))
            rss = {name: _rss_mb(stack.processes[name].pid) for name in ("rasa", "actions")}
        finally:
            stack.stop()
    del held_out["misses"]  # only the held-out set's figures are kept: reading its misses would tune on it
    return {**held_out, "rss_mb": rss, "dev": dev}


def conversations_figures(smoke: bool) -> dict[str, object]:
    """The held-out conversations through the REST webhook of a fresh stack."""
    with tempfile.TemporaryDirectory() as workdir:
        stack = Stack(var=Path(workdir), rasa_port=free_port(), actions_port=free_port(), web_port=None)
        stack.start()
        try:
            stack.wait_ready(timeout=600)
            return conversations.run(stack.rasa_url, conversations.conversations()[:3] if smoke else None)
        finally:
            stack.stop()


def training_time() -> float:
    """Seconds for `rasa train --force` of our project."""
    with tempfile.TemporaryDirectory() as out:
        began = time.perf_counter()
        subprocess.run([*model.train_command(Path(out)), "--force"], cwd=ROOT, check=True, capture_output=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        return round(time.perf_counter() - began, 1)


def measure(part: str, args: argparse.Namespace) -> dict[str, object]:
    smoke = args.smoke
    count, runs = (10, 1) if smoke else (args.count, args.runs)
    if part == "nlu":
        return {"scores": nlu_quality.run(), "training_s": training_time()}
    if part == "faq":
        cases = faq_quality.heldout()[:20] if smoke else faq_quality.heldout()
        return {"ours": asdict(faq_quality.ours(cases)),
                "plain TF-IDF cosine": asdict(faq_quality.tfidf_baseline(cases))}
    if part == "facts":
        return facts_figures(smoke)
    if part == "conversations":
        return conversations_figures(smoke)
    if part == "store":
        return store_scale.run(factor=2 if smoke else 100, repeats=20 if smoke else 200)
    if part == "turnlog":
        return {"latency": turn_log_cost.run(turns=20 if smoke else 2000)}
    if part == "threads":
        return {"count": count, "runs": runs, "latency": threads.run(
            count=count, runs=runs, settings=threads.SETTINGS[:1] if smoke else threads.SETTINGS)}
    if part == "reliability":
        return reliability.run(duration=args.duration, rate=args.rate)
    if part == "scale":
        return {"count": count, "runs": runs,
                "latency": scale_out.run(count=count, runs=runs, levels=(1, 8) if smoke else (1, 8, 32))}
    return stack_figures(count=count, runs=runs, turns=10 if smoke else 200,
                         rss_messages=20 if smoke else args.rss_messages)


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, {round(psutil.virtual_memory().total / 2**30)} GiB, "
            f"Python {platform.python_version()}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, nothing written")
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated parts to measure")
    parser.add_argument("--count", type=int, default=200, help="messages per latency run and level")
    parser.add_argument("--runs", type=int, default=3, help="latency runs (their median is kept)")
    parser.add_argument("--duration", type=float, default=600, help="seconds of the reliability run")
    parser.add_argument("--rate", type=float, default=20, help="messages a second in the reliability run")
    parser.add_argument("--rss-messages", type=int, default=10_000, help="messages sent before the last RSS reading")
    args = parser.parse_args()
    parts = [part for part in PARTS if part in args.parts.split(",")]
    if args.smoke:
        parts = [part for part in parts if part not in ("nlu", "reliability")]  # training, ten minutes: no smoke
    command = "make bench" if len(sys.argv) == 1 else "python -m bench " + " ".join(sys.argv[1:])
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    for part in parts:
        if part == "scale" and (reason := scale_out.missing()):
            print(reason)
            continue
        figures = measure(part, args)
        if args.smoke:
            print(part, figures)
            continue
        results[part] = {"date": datetime.now().strftime("%Y-%m-%d %H:%M"), "machine": machine(),
                         "command": command, "figures": figures}
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        report.write(results)
        print(f"{part} : mesuré, BENCHMARKS.md mis à jour")
    return 0


if __name__ == "__main__":
    sys.exit(main())
