"""A smoke run of the benchmark harness on tiny sizes (the figures come from `make bench`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import scale_out

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not any((ROOT / "bot" / "models").glob("*.tar.gz")), reason="no trained model: run make train")
def test_bench_smoke_run(seeded_store: str) -> None:
    result = subprocess.run([sys.executable, "-m", "bench", "--smoke"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    errors = re.findall(r"'errors': (\d+)", result.stdout)
    assert len(errors) > 20 and set(errors) == {"0"}, result.stdout[-3000:]
    assert "p95_ms" in result.stdout and "'1/1, /model/parse @ 8'" in result.stdout and "'hit_rate'" in result.stdout
    if scale_out.missing():  # the two-replica run needs PostgreSQL and Redis (.ci/run gives both)
        assert scale_out.missing() in result.stdout
    else:
        assert "'2 replicas @ 8'" in result.stdout, result.stdout[-3000:]


def test_cross_validation_folds_are_stratified_disjoint_and_seeded() -> None:
    from bench.nlu_cv import _blocks, folds

    others, pairs = _blocks()
    dealt = folds(pairs, 3, seed=1)
    flat = [pair for fold in dealt for pair in fold]
    assert sorted(flat) == sorted(set(pairs)) and len(flat) == len(set(flat))  # each example once
    faq = [sum(intent == "faq" for intent, _ in fold) for fold in dealt]
    assert max(faq) - min(faq) <= 1  # every intent spread evenly
    assert dealt == folds(pairs, 3, seed=1) and dealt != folds(pairs, 3, seed=2)
    assert any("lookup" in block for block in others)  # lookup tables go to every training fold
