"""FAQ retrieval quality on the held-out paraphrases: ours beside plain TF-IDF cosine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

import knowledge
from knowledge.faq import THRESHOLD
from knowledge.records_io import export_records

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "faq_heldout.yml"


@dataclass(frozen=True)
class FaqScores:
    top1: float
    top3: float
    unknown_rejected: float
    answerable_kept: float
    cases: int


def heldout() -> list[dict]:
    return yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))


def _scores(ranked: list[tuple[list[str], float]], cases: list[dict], threshold: float) -> FaqScores:
    known = [(r, c) for r, c in zip(ranked, cases) if c["id"]]
    unknown = [(r, c) for r, c in zip(ranked, cases) if not c["id"]]
    return FaqScores(
        top1=sum(ids[:1] == [c["id"]] for (ids, _), c in known) / len(known),
        top3=sum(c["id"] in ids[:3] for (ids, _), c in known) / len(known),
        unknown_rejected=sum(score < threshold for (_, score), _ in unknown) / max(len(unknown), 1),
        answerable_kept=sum(score >= threshold and ids[:1] == [c["id"]] for (ids, score), c in known) / len(known),
        cases=len(known),
    )


def ours(cases: list[dict]) -> FaqScores:
    ranked = []
    for case in cases:
        matches = knowledge.search_faq(case["question"], limit=3)
        ranked.append(([m.id for m in matches], matches[0].score if matches else 0.0))
    return _scores(ranked, cases, THRESHOLD)


def tfidf_baseline(cases: list[dict]) -> FaqScores:
    """Plain TF-IDF cosine between the question and each phrasing (scikit-learn defaults)."""
    entries = [e for e in export_records("faq") if e["published"]]
    rows = [(e["id"], q) for e in entries for q in e["questions"]]
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform([q for _, q in rows])
    ranked = []
    for case in cases:
        scores = (matrix @ vectorizer.transform([case["question"]]).T).toarray().ravel()
        ids: list[str] = []
        for row in np.argsort(-scores):
            if rows[row][0] not in ids:
                ids.append(rows[row][0])
            if len(ids) == 3:
                break
        ranked.append((ids, float(scores.max())))
    return _scores(ranked, cases, 0.5)


if __name__ == "__main__":
    cases = heldout()
    print("ours", ours(cases))
    print("tfidf", tfidf_baseline(cases))
    for case in cases:
        if case["id"]:
            got = knowledge.search_faq(case["question"], limit=1)
            if not got or got[0].id != case["id"]:
                score = got[0].score if got else 0
                print(f"MISS {case['id']:<34} got {got[0].id if got else None:<34} {score:.2f} {case['question']}")
