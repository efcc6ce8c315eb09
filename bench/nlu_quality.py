"""NLU quality on the held-out set: our pipeline, Rasa's default pipeline, and a TF-IDF + LR floor."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
HELDOUT = ROOT / "tests" / "data" / "nlu_heldout.yml"
# Written by a helper who never saw bot/data, in another style (long messages with context, two questions in one,
# SMS spelling, regional words), with entity annotations (issue 13); never trained on.
HELDOUT_STYLES = ROOT / "tests" / "data" / "nlu_heldout2.yml"
ENTITIES = ("topic", "sector", "job", "audience", "city")
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false"}
ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs of a Rasa NLU file, annotations removed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in data.get("nlu", []):
        if "intent" in block:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    pairs.append((ANNOTATION.sub(r"\1", line.strip()[2:]), block["intent"]))
    return pairs


def rasa_scores(model: Path, out: Path, plot: bool = False, heldout: Path = HELDOUT) -> dict[str, object]:
    """Intent accuracy and macro F1, entity micro F1 and each entity's recall, by `rasa test nlu`."""
    command = [str(RASA), "test", "nlu", "--nlu", str(heldout), "--model", str(model), "--out", str(out)]
    subprocess.run(command + ([] if plot else ["--no-plot"]), cwd=ROOT, env=ENV, check=True, capture_output=True)
    intents = json.loads((out / "intent_report.json").read_text())
    entities = json.loads(next(out.glob("*DIETClassifier_report.json")).read_text())  # ours or Rasa's DIET
    return {"intent_accuracy": round(intents["accuracy"], 3),
            "intent_macro_f1": round(intents["macro avg"]["f1-score"], 3),
            "entity_f1": round(entities.get("micro avg", entities.get("weighted avg"))["f1-score"], 3),
            "entity_recall": {name: round(entities[name]["recall"], 3) for name in ENTITIES if name in entities}}


def train_default(out: Path) -> Path:
    subprocess.run([str(RASA), "train", "nlu", "--config", "bench/config_default.yml", "--nlu", "bot/data/nlu",
                    "--out", str(out), "--fixed-model-name", "default"], cwd=ROOT, env=ENV, check=True,
                   capture_output=True)
    return out / "default.tar.gz"


def tfidf_floor() -> dict[str, float]:
    train = [pair for path in sorted((ROOT / "bot" / "data" / "nlu").glob("*.yml")) for pair in examples(path)]
    test = examples(HELDOUT)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    model = LogisticRegression(C=10, max_iter=3000).fit(vectorizer.fit_transform([t for t, _ in train]),
                                                         [i for _, i in train])
    predicted = model.predict(vectorizer.transform([t for t, _ in test]))
    truth = [i for _, i in test]
    return {"intent_accuracy": round(accuracy_score(truth, predicted), 3),
            "intent_macro_f1": round(f1_score(truth, predicted, average="macro"), 3), "entity_f1": None}


def latest_model() -> Path:
    return max((ROOT / "bot" / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)


def run(with_default: bool = True) -> dict[str, dict]:
    with tempfile.TemporaryDirectory() as workdir:
        work = Path(workdir)
        results = {"ours (config.yml)": rasa_scores(latest_model(), work / "ours", plot=True),
                   "ours, second held-out set (other styles)": rasa_scores(latest_model(), work / "styles",
                                                                          heldout=HELDOUT_STYLES)}
        matrix = work / "ours" / "intent_confusion_matrix.png"
        if matrix.exists():
            shutil.copy(matrix, ROOT / "bench" / "nlu_confusion_matrix.png")
        if with_default:
            results["Rasa default pipeline, fr"] = rasa_scores(train_default(work), work / "default")
        results["TF-IDF + logistic regression"] = tfidf_floor()
    return results
