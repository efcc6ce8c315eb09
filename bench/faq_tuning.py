"""Cross-validation of FAQ retrieval on the seed phrasings only, to choose a design or a constant.

Answerable folds: fold k holds out the k-th phrasing of every published seed entry and fits
`knowledge.faq` on the rest (other phrasings, answer and tags); top-1 and top-3 are over the held-out
phrasings, `kept` is the share ranked first with a score at or above the threshold. Unknown folds: fold k
removes every k-th entry and asks all its phrasings, a harder stand-in for questions the FAQ cannot
answer; `rejected` is the share scored under the threshold. The held-out set (tests/data) is never read:
measure it once per finalist with `python -m bench.faq_quality`.

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python -m bench.faq_tuning [--set REGULARISATION=5 ...]

`--set NAME=VALUE` overrides a constant of knowledge.faq (a Python literal), e.g. CLASSIFIER_LIMIT=0 to
cross-validate the nearest-phrasing mode.
"""

from __future__ import annotations

import argparse
import ast
import time
from pathlib import Path

import numpy as np
import yaml

from knowledge import faq

SEED = Path(__file__).resolve().parent.parent / "knowledge" / "seed_data" / "faq.yml"
FOLDS = 6  # every seed entry has at least six phrasings
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35)


def _entries() -> list[dict]:
    return [e for e in yaml.safe_load(SEED.read_text(encoding="utf-8")) if e["published"]]


def _fit(entries: list[dict], held: int | None = None) -> faq._Model:
    """The model for `entries`, without each entry's `held`-th phrasing."""
    labelled = [(e["id"], text) for e in entries for text in faq.examples(
        [q for i, q in enumerate(e["questions"]) if i != held], e["answer"], e["tags"])]
    model = faq.fit(labelled, {e["id"]: (e["answer"], e["demo"]) for e in entries})
    assert model is not None
    return model


def _ask(model: faq._Model, questions: list[str]) -> list[tuple[list[str], float]]:
    """Top three entry ids and the best score for each question."""
    return [([m.id for m in matches], matches[0].score) for matches in (model.rank(q, 3) for q in questions)]


def cross_validate() -> None:
    entries = _entries()
    known: list[tuple[list[str], float, str]] = []
    unknown: list[float] = []
    started = time.perf_counter()
    for k in range(FOLDS):
        model = _fit(entries, held=k)
        asked = [e for e in entries if len(e["questions"]) > k]
        answered = _ask(model, [e["questions"][k] for e in asked])
        known += [(ids, score, e["id"]) for (ids, score), e in zip(answered, asked)]
        model = _fit([e for i, e in enumerate(entries) if i % FOLDS != k])
        unknown += [score for _, score in _ask(model, [q for i, e in enumerate(entries) if i % FOLDS == k
                                                      for q in e["questions"]])]
    seconds = (time.perf_counter() - started) / (2 * FOLDS)
    print(f"{len(known)} answerable, {len(unknown)} unknown, {seconds:.2f} s per fold (fit and questions)")
    print(f"top1 {np.mean([ids[:1] == [want] for ids, _, want in known]):.3f}  "
          f"top3 {np.mean([want in ids for ids, _, want in known]):.3f}")
    for threshold in THRESHOLDS:
        kept = np.mean([ids[:1] == [want] and score >= threshold for ids, score, want in known])
        rejected = np.mean([score < threshold for score in unknown])
        mark = "  <- THRESHOLD" * (threshold == faq.THRESHOLD)
        print(f"threshold {threshold:.2f}  kept {kept:.3f}  rejected {rejected:.3f}{mark}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    for assignment in parser.parse_args().set:
        name, value = assignment.split("=", 1)
        assert hasattr(faq, name), f"knowledge.faq has no {name}"
        setattr(faq, name, ast.literal_eval(value))
    cross_validate()
