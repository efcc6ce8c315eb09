"""Cross-validation of the answer decision's thresholds on the training phrasings only.

- Catalogue questions: the examples of the catalogue intents in `bot/data/nlu` that carry no filter and no
  request for a list (for those the decision is not asked): the catalogue is right; their FAQ score comes
  from the FAQ model of all seed entries, their passage score from the seed documents.
- Fact questions: the seed FAQ phrasings, each scored by a FAQ model fitted without it (fold k holds out
  the k-th phrasing of every entry), asked as if NLU had said a catalogue intent (the hard case): the FAQ
  or a passage is right.
- With a catalogue request (a filter or asking for a list), the catalogue must stay the answer of at least
  97 % of the catalogue examples; the thresholds then let through as many fact phrasings as they can.
- Passage threshold (questions NLU does not route to the catalogue): the phrasings of FAQ entries taken
  from the source documents, which the fact sheets state, against the `out_of_scope` examples.

Each threshold is the one with the best balanced accuracy. The held-out sets (tests/data) are never read.

    OMP_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python -m bench.decision_tuning
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import yaml

WORKDIR = Path(tempfile.mkdtemp(prefix="odyssee-decision-"))
os.environ["KNOWLEDGE_DB_URL"] = f"sqlite:///{WORKDIR / 'knowledge.db'}"

from rasa_sdk import Tracker  # noqa: E402

from bench.faq_tuning import FOLDS, _entries, _fit  # noqa: E402
from bot.actions.answer import wants_catalogue  # noqa: E402
from knowledge import decision  # noqa: E402
from knowledge.migrate import migrate  # noqa: E402
from knowledge.passages import PASSAGES  # noqa: E402
from knowledge.seed import seed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REQUEST_KEPT = 0.97  # a catalogue request still gets the catalogue (issue 10): at most 3 % of them given a fact
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\((\w+)\)|(\{[^}]*\}))")


def annotated(line: str) -> tuple[str, list[dict]]:
    """The text of a Rasa example line and its entities."""
    entities = []

    def plain(match: re.Match) -> str:
        name = match.group(2) or json.loads(match.group(3))["entity"]
        value = match.group(1) if match.group(2) else json.loads(match.group(3)).get("value", match.group(1))
        entities.append({"entity": name, "value": value})
        return match.group(1)

    return ANNOTATION.sub(plain, line), entities


def nlu_examples(intents: frozenset[str]) -> list[tuple[str, str, list[dict]]]:
    found = []
    for path in sorted((ROOT / "bot" / "data" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if block.get("intent") in intents:
                for line in block["examples"].splitlines():
                    if line.strip().startswith("- "):
                        found.append((block["intent"], *annotated(line.strip()[2:])))
    return found


def tracker(text: str, intent: str, entities: list[dict]) -> Tracker:
    return Tracker("tuning", {}, {"text": text, "intent": {"name": intent}, "entities": entities}, [], False,
                   None, None, "action_listen")


def passage_score(text: str) -> float:
    match = PASSAGES.best(text)
    return match.score if match else 0.0


def best_threshold(positives: list[float], negatives: list[float], grid: np.ndarray) -> tuple[float, float]:
    """The threshold with the best balanced accuracy (positives at or above, negatives under) and that accuracy."""
    accuracy = [(np.mean(np.array(positives) >= t) + np.mean(np.array(negatives) < t)) / 2 for t in grid]
    best = int(np.argmax(accuracy))
    return round(float(grid[best]), 3), round(float(accuracy[best]), 3)


KEY = re.compile(r"\d[\d  ,.]*\d|\d|(?<![.!?] )(?<!^)\b[A-ZÉ][\w'-]{2,}")


def keys(answer: str) -> set[str]:
    """Figures and proper names of an answer: a passage carrying one of them states the entry's fact."""
    return {re.sub(r"\s", "", k) for k in KEY.findall(answer.replace("**", ""))}


def best_precision_thresholds(entries: list[dict], grid: np.ndarray) -> tuple[float, float]:
    """FAQ_SURE and PASSAGE_STRONG that answer most held-out phrasings rightly: the FAQ when it ranks the
    phrasing's entry first, a passage when its sentences carry a figure or name of that entry's answer."""
    cases = []  # (faq score, faq right, passage score, passage right)
    for k in range(FOLDS):
        model = _fit(entries, held=k)
        for e in entries:
            if len(e["questions"]) > k:
                question, wanted = e["questions"][k], keys(e["answer"])
                top, passage = model.rank(question, 1)[0], PASSAGES.best(question)
                quoted = {re.sub(r"\s", "", k) for s in passage.sentences for k in KEY.findall(s)} if passage else set()
                cases.append((top.score, top.id == e["id"], passage.score if passage else 0.0, bool(wanted & quoted)))

    def right() -> float:
        chosen = [decision._fact(decision.Question("faq", False, f, p), decision.FAQ_THRESHOLD,
                                 decision.PASSAGE_THRESHOLD)
                  for f, _, p, _ in cases]
        return float(np.mean([(c is decision.Source.FAQ and fr) or (c is decision.Source.PASSAGE and pr)
                              for c, (_, fr, _, pr) in zip(chosen, cases)]))

    saved = decision.FAQ_SURE, decision.PASSAGE_STRONG
    scores = {}
    for sure in np.append(grid, 1.01):
        for strong in np.append(grid, 1.01):
            decision.FAQ_SURE, decision.PASSAGE_STRONG = float(sure), float(strong)
            scores[(round(float(sure), 3), round(float(strong), 3))] = right()
    decision.FAQ_SURE, decision.PASSAGE_STRONG = saved
    best = max(scores, key=lambda pair: (scores[pair], -pair[0]))
    print(f"answered rightly: {scores[best]:.3f} with {best}; FAQ alone (never a passage first) "
          f"{max(v for (s, p), v in scores.items() if p == 1.01):.3f}")
    return best


def main() -> None:
    migrate()
    seed(WORKDIR)
    entries = _entries()
    full = _fit(entries)
    catalogue: dict[bool, list[tuple[float, float]]] = {True: [], False: []}  # by "carries a request"
    for intent, text, entities in nlu_examples(decision.CATALOGUE_INTENTS):
        catalogue[wants_catalogue(tracker(text, intent, entities), intent)].append(
            (full.rank(text, 1)[0].score, passage_score(text)))
    facts: dict[bool, list[tuple[float, float]]] = {True: [], False: []}  # asked as if NLU said "services"
    for k in range(FOLDS):
        model = _fit(entries, held=k)
        for q in [e["questions"][k] for e in entries if len(e["questions"]) > k]:
            facts[wants_catalogue(tracker(q, "ask_services", []), "ask_services")].append(
                (model.rank(q, 1)[0].score, passage_score(q)))
    grid = np.round(np.arange(0.2, 1.0, 0.025), 3)
    for request, names in ((False, ("FAQ_OVER_CATALOGUE", "PASSAGE_OVER_CATALOGUE")),
                           (True, ("FAQ_OVER_REQUEST", "PASSAGE_OVER_REQUEST"))):
        kept, answered = catalogue[request], facts[request]

        def score(fp: tuple[float, float], kept: list = kept, answered: list = answered,
                  request: bool = request) -> tuple[float, tuple[float, float]]:
            """Balanced accuracy; with a request, the catalogue must be kept (≥ REQUEST_KEPT), then most facts."""
            catalogue_kept = np.mean([not (faq >= fp[0] or passage >= fp[1]) for faq, passage in kept])
            facts_answered = np.mean([faq >= fp[0] or passage >= fp[1] for faq, passage in answered])
            if request:
                return (facts_answered if catalogue_kept >= REQUEST_KEPT else -1.0), fp
            return catalogue_kept + facts_answered, fp

        best = max(((f, p) for f in np.append(grid, 1.01) for p in np.append(grid, 1.01)), key=score)
        print(f"{'with' if request else 'without'} a catalogue request: {len(kept)} catalogue examples, "
              f"{len(answered)} fact phrasings; {names[0]} {best[0]}  {names[1]} {best[1]}: catalogue kept "
              f"{np.mean([not (f >= best[0] or p >= best[1]) for f, p in kept]):.3f}, facts answered "
              f"{np.mean([f >= best[0] or p >= best[1] for f, p in answered]):.3f} "
              f"(now {getattr(decision, names[0])}, {getattr(decision, names[1])})")

    sure, strong = best_precision_thresholds(entries, grid)
    print(f"FAQ_SURE {sure}  PASSAGE_STRONG {strong} (now {decision.FAQ_SURE}, {decision.PASSAGE_STRONG})")

    sourced = [q for e in entries if "seeds/" in e.get("source", "") and not e.get("demo") for q in e["questions"]]
    unrelated = [text for _, text, _ in nlu_examples(frozenset({"out_of_scope"}))]
    threshold, accuracy = best_threshold([passage_score(q) for q in sourced], [passage_score(q) for q in unrelated],
                                         grid)
    print(f"PASSAGE_THRESHOLD {threshold}: balanced accuracy {accuracy} on {len(sourced)} fact phrasings and "
          f"{len(unrelated)} out-of-scope examples (now {decision.PASSAGE_THRESHOLD})")


if __name__ == "__main__":
    main()
