"""A smoke run of the benchmark harness on tiny sizes (the figures come from `make bench`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not any((ROOT / "bot" / "models").glob("*.tar.gz")), reason="no trained model: run make train")
def test_bench_smoke_run(seeded_store: str) -> None:
    result = subprocess.run([sys.executable, "-m", "bench", "--smoke"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'errors': 0" in result.stdout and "p95_ms" in result.stdout
