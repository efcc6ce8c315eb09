"""Cross-validated intent accuracy of NLU pipelines on our own training data (issue 13).

Each intent's examples are split into K folds (stratified, seeded); a pipeline is trained on K-1 folds with
every lookup table, synonym and regex, and parses the fold left out as the server would (`bench/rasa_parse.py`).
Pipelines are chosen on these figures, never on the held-out sets.

    python -m bench.nlu_cv --configs config.yml,bench/config_default.yml --folds 3 --seeds 1
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from bench.nlu_quality import ANNOTATION, ENV, RASA, ROOT

NLU = ROOT / "bot" / "data" / "nlu"
ENGINE_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
THREADS = {"TF_INTRA_OP_PARALLELISM_THREADS": "1", "TF_INTER_OP_PARALLELISM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def _blocks() -> tuple[list[dict], list[tuple[str, str]]]:
    """The non-intent blocks (lookups, synonyms, regexes) and every (intent, annotated example) pair."""
    others, pairs = [], []
    for path in sorted(NLU.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                others.append(block)
                continue
            pairs += [(block["intent"], line.strip()[2:]) for line in block["examples"].splitlines()
                      if line.strip().startswith("- ")]
    return others, pairs


def folds(pairs: list[tuple[str, str]], k: int, seed: int) -> list[list[tuple[str, str]]]:
    """K folds, each intent's examples dealt round-robin after a seeded shuffle."""
    by_intent: dict[str, list[str]] = {}
    for intent, text in pairs:
        by_intent.setdefault(intent, []).append(text)
    dealt: list[list[tuple[str, str]]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    for intent in sorted(by_intent):
        texts = sorted(set(by_intent[intent]))
        rng.shuffle(texts)
        for at, text in enumerate(texts):
            dealt[at % k].append((intent, text))
    return dealt


def _write_nlu(path: Path, others: list[dict], pairs: list[tuple[str, str]]) -> None:
    by_intent: dict[str, list[str]] = {}
    for intent, text in pairs:
        by_intent.setdefault(intent, []).append(text)
    blocks = [{"intent": i, "examples": "".join(f"- {t}\n" for t in texts)} for i, texts in by_intent.items()]
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks + others}, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def run_fold(config: Path, train: list[tuple[str, str]], test: list[tuple[str, str]], others: list[dict],
             work: Path) -> float:
    """Train `config` on `train`, parse `test`; intent accuracy."""
    work.mkdir(parents=True)
    _write_nlu(work / "train.yml", others, train)
    env = {**ENV, **THREADS}
    subprocess.run([str(RASA), "train", "nlu", "--config", str(config), "--nlu", str(work / "train.yml"),
                    "--out", str(work), "--fixed-model-name", "fold"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    texts = [ANNOTATION.sub(r"\1", text) for _, text in test]
    parsed = subprocess.run([str(ENGINE_PYTHON), str(ROOT / "bench" / "rasa_parse.py"), str(work / "fold.tar.gz")],
                            input=json.dumps(texts), cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    predicted = json.loads(parsed.stdout.strip().splitlines()[-1])
    accuracy = sum(p["intent"] == intent for p, (intent, _) in zip(predicted, test)) / len(test)
    print(f"{work.name}: {accuracy:.3f}", file=sys.stderr, flush=True)
    return accuracy


def cross_validate(configs: list[Path], k: int, seeds: list[int], parallel: int = 2) -> dict[str, dict]:
    """Per config: the accuracy of every fold of every seed, their mean and standard deviation."""
    others, pairs = _blocks()
    jobs = []
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(parallel) as pool:
        for seed in seeds:
            dealt = folds(pairs, k, seed)
            for at, test in enumerate(dealt):
                train = [pair for other, fold in enumerate(dealt) if other != at for pair in fold]
                for config in configs:
                    work = Path(tmp) / f"{config.stem}-{seed}-{at}"
                    jobs.append((str(config), pool.submit(run_fold, config, train, test, others, work)))
        scores: dict[str, list[float]] = {}
        for name, job in jobs:
            scores.setdefault(name, []).append(job.result())
    return {name: {"folds": [round(s, 3) for s in values], "mean": round(statistics.mean(values), 3),
                   "stdev": round(statistics.pstdev(values), 3)} for name, values in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="config.yml,bench/config_default.yml")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--parallel", type=int, default=2)
    args = parser.parse_args()
    configs = [ROOT / c for c in args.configs.split(",")]
    print(json.dumps(cross_validate(configs, args.folds, [int(s) for s in args.seeds.split(",")], args.parallel),
                     indent=2))


if __name__ == "__main__":
    main()
