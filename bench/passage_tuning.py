"""Choose the passage scoring weights, quoting ratio and answer-type bonus on the development sets of factual questions.

`bench/data/facts_dev.yml` and `facts_dev2.yml` (hard styles: SMS, long context) were written from the source
documents by helper sessions that saw neither the bot's data nor the held-out set; they are the only sets these
settings are tuned on. For each setting, the share of
questions whose quoted sentences carry the expected fact (answer decision left out) is printed, best first.
The held-out set (`tests/data/facts_heldout.yml`) is only ever used to report the chosen settings.

    PYTHONPATH=. .venv/bin/python -m bench.passage_tuning      # with the seeded store
"""

from __future__ import annotations

import itertools
from pathlib import Path
from unittest import mock

import yaml

from bench.facts import carries
from knowledge import passages

DEV = [Path(__file__).resolve().parent / "data" / name for name in ("facts_dev.yml", "facts_dev2.yml")]
GRID = {
    "chars": [0.5, 1.0],
    "meaning": [1.0, 2.0, 3.0],
    "ratio": [0.75, 0.8, 0.85],
    "quoted": [2, 3],
    "bonus": [0.0, 0.05, 0.1, 0.15],
}


def dev_cases() -> list[dict]:
    return [case for path in DEV for case in yaml.safe_load(path.read_text(encoding="utf-8"))]


def hit_rate(cases: list[dict]) -> float:
    """Share of `cases` whose best passage, with the settings in force, carries the expected fact."""
    hits = 0
    for case in cases:
        match = passages.PASSAGES.best(case["question"])
        hits += bool(match and carries(" ".join(match.sentences), case["expect"]))
    return round(hits / len(cases), 3)


def main() -> None:
    cases = dev_cases()
    results = []
    for chars, meaning, ratio, quoted, bonus in itertools.product(*GRID.values()):
        weights = {"stems": 1.0, "chars": chars, "meaning": meaning}
        with mock.patch.multiple(passages, WEIGHTS=weights, QUOTE_RATIO=ratio, QUOTED=quoted, ANSWER_TYPE_BONUS=bonus):
            results.append((hit_rate(cases),
                            f"chars={chars} meaning={meaning} ratio={ratio} quoted={quoted} bonus={bonus}"))
    for rate, setting in sorted(results, reverse=True)[:10]:
        print(f"{rate:.3f}  {setting}")
    print(f"in force: {hit_rate(cases):.3f}  {passages.WEIGHTS} ratio={passages.QUOTE_RATIO} quoted={passages.QUOTED} "
          f"bonus={passages.ANSWER_TYPE_BONUS}")


if __name__ == "__main__":
    main()
