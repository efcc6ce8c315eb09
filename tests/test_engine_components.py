"""Our components inside the Rasa server, each checked against Rasa's own in the engine environment."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
PG_ENV = "ODYSSEE_TEST_PG_URL"


def engine_check(*args: str) -> Any:
    """Run one check of tests/engine_checks.py in the engine environment; its JSON result."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "TF_INTRA_OP_PARALLELISM_THREADS": "1",
           "TF_INTER_OP_PARALLELISM_THREADS": "1"}
    result = subprocess.run([str(ENGINE_PYTHON), str(ROOT / "tests" / "engine_checks.py"), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_action_validation_and_event_lookup_behave_like_rasa() -> None:
    result = engine_check("speedups")
    assert result["same_classes"] and result["event_names"] > 20
    assert result["good"] is True
    assert [rasa_raised == ours_raised and same for rasa_raised, ours_raised, same in result["bad"]] == [True] * 3
    assert [rasa_raised for rasa_raised, _, _ in result["bad"]].count(True) == 2
    assert result["unknown"] == "ValueError"


def _check_store(url: str) -> dict[str, Any]:
    result = engine_check("tracker_store", url)
    assert result["same_as_rasa"] and result["full_same_as_rasa"]
    assert result["latest_session"] < result["full"]
    assert result["slot"] == {"kind": "workshops"} and result["missing"]
    assert "zoe.test" not in result["erased_json"] and "des ateliers IA ?" in result["erased_json"]
    assert result["erased_texts"][-3:] == ["/request_callback", "[effacé]", "/deny"]
    assert result["erased_slots"] == [None, "[effacé]"]
    return result


def test_tracker_store_reads_what_rasa_reads_on_sqlite(tmp_path: Path) -> None:
    assert _check_store(f"sqlite:///{tmp_path / 'tracker.db'}")["journal"] == "wal"


def test_tracker_store_reads_what_rasa_reads_on_postgresql() -> None:
    if not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    _check_store(os.environ[PG_ENV])


@pytest.mark.skipif(not any((ROOT / "bot" / "models").glob("*.tar.gz")),
                    reason="no trained model in bot/models: run `make train` (make test does)")
def test_fast_loading_diet_predicts_exactly_like_rasas_loading() -> None:
    ours, rasas = engine_check("parses", "ours"), engine_check("parses", "rasa")
    assert len(ours) == 60 and len({intent for intent, *_ in ours}) > 10
    assert ours == rasas


def test_gibberish_gate_overrides_a_confident_intent_only_for_keyboard_mashing() -> None:
    assert engine_check("gibberish") == {"jhgjhg kkkk": "nlu_fallback", "fjdksl qpwoeiru": "nlu_fallback",
                                         "non merci": "deny", "Nubbo ?": "deny", "slt cmb de places ?": "deny",
                                         "xkcdz vvbn": "deny",  # a name, SMS spelling, an entity found: kept
                                         "mmmmmmmm vvvvvv": "nlu_fallback"}  # unless found in the mashing
