"""`make bench`: measure quality, speed and memory; rewrite BENCHMARKS.md.

`python -m bench --smoke` runs every part on tiny sizes and writes nothing (used by the test suite).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
import psutil

from bench import faq_quality, latency, nlu_quality, store_scale
from runner.stack import ROOT, Stack, free_port

COMMAND = "make bench"


def _rss_mb(stack: Stack, name: str) -> float:
    process = psutil.Process(stack.processes[name].pid)
    return round(sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20, 1)


def _median_runs(runs: list[dict[str, dict]]) -> dict[str, dict]:
    """Per metric, the median of the runs."""
    return {key: {metric: statistics.median(run[key][metric] for run in runs) for metric in runs[0][key]}
            for key in runs[0]}


def stack_figures(count: int, runs: int, turns: int, rss_messages: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as workdir:
        stack = Stack(var=Path(workdir), rasa_port=free_port(), actions_port=free_port(), web_port=None)
        began = time.perf_counter()
        stack.start()
        try:
            stack.wait_ready(timeout=600)
            httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": "first", "message": "bonjour"},
                       timeout=60).raise_for_status()
            first_answer = round(time.perf_counter() - began, 1)
            rss_start = {name: _rss_mb(stack, name) for name in ("rasa", "actions")}
            timings = _median_runs([latency.run(stack, count=count) for _ in range(runs)])
            long = latency.long_conversation(stack, turns=turns)
            latency.flood(stack, rss_messages)
            rss_end = {name: _rss_mb(stack, name) for name in ("rasa", "actions")}
        finally:
            stack.stop()
    return {"first_answer_s": first_answer, "latency": timings, "long": long, "rss_start": rss_start,
            "rss_end": rss_end}


def training_time() -> float:
    import subprocess
    with tempfile.TemporaryDirectory() as out:
        began = time.perf_counter()
        subprocess.run([str(ROOT / ".venv-rasa" / "bin" / "rasa"), "train", "--config", "config.yml", "--domain",
                        "domain.yml", "--data", "bot/data", "--out", out, "--force"], cwd=ROOT, check=True,
                       capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        return round(time.perf_counter() - began, 1)


def _table(rows: dict[str, dict], columns: list[str]) -> str:
    lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join("—" if v.get(c) is None else str(v.get(c)) for c in columns) + " |"
              for name, v in rows.items()]
    return "\n".join(lines)


def write(results: dict[str, object], command: str) -> None:
    sections = [f"""# Benchmarks

Written by `{command}` on {results['date']} — machine: {results['machine']}.
Timings are medians of {results['runs']} run(s). Targets are from issue 5; `bench/NOTES.md` (below) says
where a target is missed and why.
"""]
    if "nlu" in results:
        sections.append(f"""## NLU on the held-out set (`tests/data/nlu_heldout.yml`, never trained on)

{_table(results['nlu'], ['intent_accuracy', 'intent_macro_f1', 'entity_f1'])}

Confusion matrix of our pipeline: `bench/nlu_confusion_matrix.png`. Training (`rasa train --force`):
{results['training_s']} s.
""")
    if "faq" in results:
        faq = results["faq"]
        sections.append(f"""## FAQ retrieval on held-out paraphrases (`tests/data/faq_heldout.yml`, {faq['ours'].cases} answerable questions)

{_table({k: v.__dict__ for k, v in faq.items()}, ['top1', 'top3', 'unknown_rejected', 'answerable_kept'])}

`unknown_rejected`: share of unanswerable questions scored under the threshold; `answerable_kept`: share of
answerable ones answered, and rightly, at the threshold.
""")
    if "stack" in results:
        stackf = results["stack"]
        sections.append(f"""## End-to-end latency (ms) and throughput (messages/s), distinct senders, after a warm-up

{results['count']} messages per run and concurrency level.

{_table(stackf['latency'], ['p50', 'p95', 'p99', 'rps', 'errors'])}

## Long conversation, start and size

- Turn 1: {stackf['long']['first_ms']} ms; turn {results['turns']}: {stackf['long']['last_ms']} ms.
- From start to first answer: {stackf['first_answer_s']} s.
- RSS after start: Rasa {stackf['rss_start']['rasa']} MB, action server {stackf['rss_start']['actions']} MB;
  after {results['rss_messages']} more messages: Rasa {stackf['rss_end']['rasa']} MB, action server {stackf['rss_end']['actions']} MB.
""")
    if "store" in results:
        sections.append(f"""## Store at 100 times the seed volume (SQLite), p95 in ms

Records: {results['store']['records']}.

{_table({k: {'p95 ms': v} for k, v in results['store']['p95_ms'].items()}, ['p95 ms'])}
""")
    notes = ROOT / "bench" / "NOTES.md"
    sections.append(notes.read_text(encoding="utf-8") if notes.exists() else "")
    (ROOT / "BENCHMARKS.md").write_text("\n".join(sections), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, nothing written")
    parser.add_argument("--parts", default="nlu,faq,stack,store", help="comma-separated parts to measure")
    parser.add_argument("--count", type=int, default=200, help="messages per latency run and level")
    parser.add_argument("--runs", type=int, default=3, help="latency runs (their median is kept)")
    parser.add_argument("--rss-messages", type=int, default=10_000, help="messages sent before the last RSS reading")
    args = parser.parse_args()
    smoke = args.smoke
    parts = set(args.parts.split(","))
    results: dict[str, object] = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {round(psutil.virtual_memory().total / 2**30)} GiB, "
                   f"Python {platform.python_version()}",
        "runs": 1 if smoke else args.runs, "turns": 10 if smoke else 200,
        "rss_messages": 20 if smoke else args.rss_messages, "count": 10 if smoke else args.count,
    }
    if "faq" in parts:
        cases = faq_quality.heldout()[:20] if smoke else faq_quality.heldout()
        results["faq"] = {"ours": faq_quality.ours(cases), "plain TF-IDF cosine": faq_quality.tfidf_baseline(cases)}
    if "store" in parts:
        results["store"] = store_scale.run(factor=2 if smoke else 100, repeats=20 if smoke else 200)
    if "stack" in parts:
        results["stack"] = stack_figures(count=results["count"], runs=results["runs"], turns=results["turns"],
                                         rss_messages=results["rss_messages"])
    if smoke:
        print(results)
        return 0
    if "nlu" in parts:
        results["nlu"] = nlu_quality.run()
        results["training_s"] = training_time()
    write(results, "python -m bench " + " ".join(sys.argv[1:]) if sys.argv[1:] else COMMAND)
    print("BENCHMARKS.md mis à jour")
    return 0


if __name__ == "__main__":
    sys.exit(main())
