"""FAQ retrieval: a question in, ranked published entries with a score out.

Each entry is a class learnt from its phrasings and its answer: a logistic regression over
word TF-IDF of French stems with short forms spelled out (paraphrase, word order, plurals),
character n-grams (typos, missing accents) and spaCy French word vectors (synonyms). The score is the
model's probability for the entry. The model is refitted (well under a second) whenever the published
FAQ changes, so a staff edit is answered at the next question, with no retraining of the assistant.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sqlalchemy import func, select

from knowledge.db import database_url, session_scope
from knowledge.models import FaqEntry, FaqQuestion
from knowledge.queries import active_regions
from knowledge.schemas import FaqMatch
from knowledge.text import content_stems, expand, mentioned

THRESHOLD = 0.25
REGULARISATION = 20.0
VECTOR_MODEL = "fr_core_news_md"


def _words(text: str) -> str:
    """Stems of `text`, short forms expanded, plus the canonical topics it mentions."""
    topics = " ".join(t.replace(" ", "_") for t in mentioned("topic", text))
    return " ".join(content_stems(expand(text))) + (f" {topics}" if topics else "")


@lru_cache(maxsize=1)
def _nlp():  # type: ignore[no-untyped-def]
    """spaCy's French model, vectors only (loaded once per process)."""
    import spacy

    return spacy.load(VECTOR_MODEL, exclude=["parser", "ner", "tagger", "morphologizer", "attribute_ruler",
                                             "lemmatizer", "senter"])


def _vectors(texts: list[str]) -> sp.csr_matrix:
    matrix = np.array([doc.vector for doc in _nlp().pipe(texts)])
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return sp.csr_matrix(matrix / np.where(norms == 0, 1, norms))


@dataclass(frozen=True)
class _Model:
    signature: tuple
    answers: dict[str, tuple[str, bool, str]]
    words: TfidfVectorizer
    chars: TfidfVectorizer
    classifier: LogisticRegression

    def features(self, texts: list[str]) -> sp.csr_matrix:
        return sp.hstack([self.words.transform([_words(t) for t in texts]),
                          self.chars.transform([expand(t) for t in texts]), _vectors(texts)]).tocsr()

    def rank(self, question: str, limit: int) -> list[FaqMatch]:
        probabilities = self.classifier.predict_proba(self.features([question]))[0]
        order = np.argsort(-probabilities, kind="stable")[:limit]
        return [
            FaqMatch(id=entry, score=round(float(probabilities[i]), 4), answer=self.answers[entry][0],
                     question=self.answers[entry][2], demo=self.answers[entry][1])
            for i in order
            for entry in [str(self.classifier.classes_[i])]
        ]


def _published():  # type: ignore[no-untyped-def]
    stmt = select(FaqEntry).where(FaqEntry.published.is_(True))
    regions = active_regions()
    return stmt.where(FaqEntry.region.in_(regions)) if regions else stmt


def _signature() -> tuple:
    """Changes whenever a published entry or phrasing is added, edited, hidden or removed."""
    with session_scope() as s:
        entries = _published().subquery()
        count, latest = s.execute(select(func.count(), func.max(entries.c.updated_at))).one()
        phrasings = s.scalar(select(func.count(FaqQuestion.id)).where(FaqQuestion.entry_id.in_(select(entries.c.id))))
    return (database_url(), tuple(active_regions() or ()), count, str(latest), phrasings)


def _fit(signature: tuple) -> _Model | None:
    with session_scope() as s:
        entries = s.scalars(_published().order_by(FaqEntry.id)).all()
        examples = [(e.id, text) for e in entries for text in (*[q.text for q in e.questions],
                                                                 f"{e.answer} {' '.join(e.tags)}")]
        answers = {e.id: (e.answer, e.demo, e.questions[0].text if e.questions else "") for e in entries}
    if len(answers) < 2:
        return None
    texts = [text for _, text in examples]
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+").fit([_words(t) for t in texts])
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit([expand(t) for t in texts])
    model = _Model(signature, answers, words, chars, LogisticRegression(C=REGULARISATION, max_iter=3000))
    model.classifier.fit(model.features(texts), [entry for entry, _ in examples])
    return model


class FaqRetriever:
    """Keeps one model per store and refits it when the published FAQ changes."""

    def __init__(self) -> None:
        self._model: _Model | None = None
        self._lock = threading.Lock()

    def _current(self) -> _Model | None:
        signature = _signature()
        with self._lock:
            if self._model is None or self._model.signature != signature:
                self._model = _fit(signature)
            return self._model

    def search(self, question: str, limit: int = 3) -> list[FaqMatch]:
        """Best entries for `question`, highest score (probability, 0 to 1) first."""
        if not question.strip():
            return []
        model = self._current()
        return model.rank(question, limit) if model else []

    def answer(self, question: str, threshold: float = THRESHOLD) -> FaqMatch | None:
        """The best entry if its score reaches `threshold`, else None (the bot says it does not know)."""
        matches = self.search(question, limit=1)
        return matches[0] if matches and matches[0].score >= threshold else None


RETRIEVER = FaqRetriever()
