"""The Rasa project itself: data validation, conversation tests and NLU on the held-out set."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false",
       "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}

pytestmark = pytest.mark.skipif(not any((ROOT / "bot" / "models").glob("*.tar.gz")),
                                reason="no trained model in bot/models: run `make train` (make test does)")


def rasa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RASA), *args], cwd=ROOT, env=ENV, text=True, capture_output=True, timeout=1200)


def test_training_data_is_valid() -> None:
    result = rasa("data", "validate", "--config", "config.yml", "--domain", "domain.yml", "--data", "bot/data")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_conversation_stories(tmp_path: Path) -> None:
    result = rasa("test", "core", "--stories", "bot/tests", "--model", "bot/models", "--out", str(tmp_path),
                  "--fail-on-prediction-errors", "--no-plot")
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text(encoding="utf-8") if failed.exists() else ""
    assert result.returncode == 0, details[-4000:] + result.stderr[-2000:]


def test_nlu_on_the_heldout_set(tmp_path: Path) -> None:
    """A regression floor; the figures themselves are in BENCHMARKS.md (make bench)."""
    result = rasa("test", "nlu", "--nlu", "tests/data/nlu_heldout.yml", "--model", "bot/models", "--out", str(tmp_path),
                  "--no-plot")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "intent_report.json").read_text(encoding="utf-8"))
    assert report["accuracy"] >= 0.85, f"intent accuracy {report['accuracy']:.3f}"
