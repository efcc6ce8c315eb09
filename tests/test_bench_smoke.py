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


def test_cross_validation_folds_are_stratified_disjoint_and_seeded(tmp_path: Path) -> None:
    import yaml

    from bench.nlu_cv import _blocks, _write_nlu, folds

    others, pairs = _blocks()
    dealt = folds(pairs, 3, seed=1)
    flat = [pair for fold in dealt for pair in fold]
    assert sorted(flat) == sorted(set(pairs)) and len(flat) == len(set(flat))  # each example once
    faq = [sum(intent == "faq" for intent, _ in fold) for fold in dealt]
    assert max(faq) - min(faq) <= 1  # every intent spread evenly
    assert dealt == folds(pairs, 3, seed=1) and dealt != folds(pairs, 3, seed=2)
    assert all("intent" not in block for block in others)
    lookup = {"lookup": "city", "examples": "- Lunel\n"}  # lookup tables, synonyms, regexes: in every training fold
    _write_nlu(tmp_path / "train.yml", [lookup], dealt[0][:3])
    written = yaml.safe_load((tmp_path / "train.yml").read_text(encoding="utf-8"))["nlu"]
    assert lookup in written and sum(block["examples"].count("\n- ") + 1 for block in written[:-1]) == 3


def test_served_nlu_scores_read_both_annotation_syntaxes(tmp_path: Path) -> None:
    from bench.nlu_served import SETS, examples

    nlu = tmp_path / "nlu.yml"
    nlu.write_text('version: "3.1"\nnlu:\n- intent: ask_job_info\n  examples: |\n'
                   '    - un [dev IA]{"entity": "job", "value": "développeur"} à [Lyon](city) ?\n'
                   '    - c quoi un métier d\'avenir\n', encoding="utf-8")
    assert examples(nlu) == [("un dev IA à Lyon ?", "ask_job_info", ["job", "city"]),
                             ("c quoi un métier d'avenir", "ask_job_info", [])]
    assert len(examples(SETS["dev"])) == 292
