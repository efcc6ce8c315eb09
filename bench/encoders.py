"""The sentence encoders compared on our data: passage retrieval for the seed FAQ phrasings.

For each phrasing of a FAQ entry taken from the source documents, the best sentence of the fact sheets
is a hit when it carries a figure or proper name of that entry's answer (the proxy of
`bench.decision_tuning`). The held-out sets are never read.

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python -m bench.encoders
"""

from __future__ import annotations

import os
import re
import time

import numpy as np

from bench.decision_tuning import KEY, WORKDIR, keys  # also points the store at a fresh temporary database
from bench.faq_tuning import _entries
from knowledge.migrate import migrate
from knowledge.passages import PASSAGES
from knowledge.seed import seed

ENCODERS = ("none", "use", "e5")


def main() -> None:
    migrate()
    seed(WORKDIR)
    cases = [(q, keys(e["answer"])) for e in _entries() if "seeds/" in e.get("source", "") and not e.get("demo")
             for q in e["questions"]]
    for name in ENCODERS:
        os.environ["ODYSSEE_ENCODER"] = name
        began = time.perf_counter()
        PASSAGES.best("préparation")  # index built and sentences encoded (stored: once per encoder)
        indexed = time.perf_counter() - began
        hits, times = [], []
        for question, wanted in cases:
            began = time.perf_counter()
            match = PASSAGES.best(question)
            times.append((time.perf_counter() - began) * 1000)
            quoted = {re.sub(r"\s", "", k) for s in (match.sentences if match else []) for k in KEY.findall(s)}
            hits.append(bool(wanted & quoted))
        print(f"{name:<5} hit {np.mean(hits):.3f} on {len(cases)} phrasings; question p50 {np.median(times):.1f} ms; "
              f"first index {indexed:.1f} s")


if __name__ == "__main__":
    main()
