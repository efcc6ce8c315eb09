"""Intent accuracy and entity recall of the served model on an NLU set, through Rasa's /model/parse.

The intent is the one the fallback classifier stood in for (as `rasa test nlu` counts it); an annotated entity is
recalled when the parse holds an entity of its type anywhere in the message (lenient: not comparable with the
token-level recall of `rasa test nlu`, and seconds instead of minutes). The development set's errors can be
printed (`--errors`); the held-out sets' cannot.

    PYTHONPATH=. .venv/bin/python -m bench.nlu_served --rasa-url http://127.0.0.1:5005 --set dev --errors
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import yaml

from runner.stack import rasa_token

ROOT = Path(__file__).resolve().parent.parent
SETS = {"dev": ROOT / "bench" / "data" / "nlu_dev.yml", "dev2": ROOT / "bench" / "data" / "nlu_dev2.yml",
        "heldout": ROOT / "tests" / "data" / "nlu_heldout.yml",
        "heldout2": ROOT / "tests" / "data" / "nlu_heldout2.yml"}
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\((\w+)\)|\{\"entity\": \"(\w+)\"[^}]*\})")


def examples(path: Path) -> list[tuple[str, str, list[str]]]:
    """(text, intent, annotated entity types) of every example of an NLU file."""
    found = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            if line.strip().startswith("- "):
                raw = line.strip()[2:]
                types = [simple or extended for _, simple, extended in ANNOTATION.findall(raw)]
                found.append((ANNOTATION.sub(r"\1", raw), block["intent"], types))
    return found


def run(rasa_url: str, token: str, path: Path) -> dict[str, object]:
    """Intent accuracy, entity recall per type, and the errors (expected, parsed, text)."""
    right, recalled, errors = 0, defaultdict(lambda: [0, 0]), []
    cases = examples(path)
    with httpx.Client(timeout=60) as client:
        for text, intent, types in cases:
            parsed = client.post(f"{rasa_url}/model/parse", params={"token": token}, json={"text": text}).json()
            ranking = [i["name"] for i in parsed.get("intent_ranking") or [] if i["name"] != "nlu_fallback"]
            got = ranking[0] if ranking else parsed["intent"]["name"]
            right += got == intent
            if got != intent:
                errors.append((intent, got, text))
            found = {e["entity"] for e in parsed.get("entities", [])}
            for kind in types:
                recalled[kind][0] += kind in found
                recalled[kind][1] += 1
    return {"messages": len(cases), "intent_accuracy": round(right / len(cases), 3),
            "entity_recall": {k: round(hit / total, 3) for k, (hit, total) in sorted(recalled.items())},
            "confusions": Counter((e, g) for e, g, _ in errors).most_common(10), "errors": errors}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-url", required=True)
    parser.add_argument("--var", type=Path, default=ROOT / "var", help="where the Rasa token is kept")
    parser.add_argument("--set", choices=SETS, default="dev")
    parser.add_argument("--errors", action="store_true", help="print the errors (development sets only)")
    args = parser.parse_args()
    result = run(args.rasa_url, rasa_token(args.var), SETS[args.set])
    errors = result.pop("errors")
    if not args.set.startswith("dev"):
        result.pop("confusions")
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.errors and args.set.startswith("dev"):
        for expected, got, text in errors:
            print(f"{expected} -> {got}: {text}")
