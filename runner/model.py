"""The model the assistant serves: trained only when what it is made of changed; the three latest kept.

`python -m runner.model` (`make train`, hence `make run`, `make test`, `make shell`). Rasa would package a
new 43 MB archive at every `rasa train`, even with nothing changed. Here a fingerprint of the training
inputs (config, domain, training data with the generated lookup tables, our NLU components, the engine's
requirements) is kept next to the model, in `bot/models/fingerprint.json`; Rasa trains only when it differs
or the model it names is gone. Older archives beyond `KEEP` are deleted.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from runner.stack import RASA, ROOT

MODELS = ROOT / "bot" / "models"
INPUTS = ("config.yml", "domain.yml", "bot/data", "bot/engine/nlu_components.py", "bot/engine/gibberish.py",
          "requirements/rasa.txt")
KEEP = 3


def fingerprint(root: Path = ROOT, inputs: tuple[str, ...] = INPUTS) -> str:
    """A digest of every input file's path and content."""
    digest = hashlib.sha256()
    for name in inputs:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes() if file.exists() else b"(absent)")
    return digest.hexdigest()


def archives(models: Path) -> list[Path]:
    """The model archives, newest first."""
    return sorted(models.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)


def up_to_date(models: Path, current: str) -> bool:
    """Whether the stamp names `current` and its model is still there."""
    try:
        stamp = json.loads((models / "fingerprint.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return stamp.get("fingerprint") == current and (models / str(stamp.get("model"))).is_file()


def prune(models: Path, keep: int = KEEP) -> list[Path]:
    """Delete the archives older than the `keep` newest; the ones deleted."""
    old = archives(models)[keep:]
    for path in old:
        path.unlink()
    return old


def train_command(out: Path) -> list[str]:
    """`rasa train` of our project into `out`."""
    return [str(RASA), "train", "--config", "config.yml", "--domain", "domain.yml", "--data", "bot/data",
            "--out", str(out)]


def train(models: Path = MODELS) -> int:
    """Train with Rasa when the inputs changed, stamp the new model, prune; Rasa's exit code."""
    current = fingerprint()
    if up_to_date(models, current):
        print("Modèle à jour : pas de réentraînement.", flush=True)
    else:
        if code := subprocess.call(train_command(models), cwd=ROOT):
            return code
        (models / "fingerprint.json").write_text(
            json.dumps({"fingerprint": current, "model": archives(models)[0].name}), encoding="utf-8")
    for path in prune(models):
        print(f"Ancien modèle supprimé : {path.name}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(train())
