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
