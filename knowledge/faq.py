"""FAQ retrieval: a question in, ranked published entries with a score out.

Features: word TF-IDF of French stems with short forms spelled out (paraphrase, word order, plurals),
character n-grams (typos, missing accents) and spaCy French word vectors (synonyms). Up to
`CLASSIFIER_LIMIT` published entries (any real FAQ), each entry is a class learnt from its phrasings and
its answer by a logistic regression, and the score is its probability. Beyond that, a classifier's
weights would not fit in memory, so an entry scores its closest phrasing's cosine similarity, rescaled
so that the same `THRESHOLD` applies. The model is refitted whenever the published FAQ changes (well
under a second for the seed FAQ), so a staff edit is answered at the next question, with no retraining.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from knowledge.db import database_url, session_scope
from knowledge.models import FaqEntry, FaqQuestion
from knowledge.queries import active_regions
from knowledge.schemas import FaqMatch
from knowledge.text import content_stems, expand, mentioned

THRESHOLD = 0.25
CLASSIFIER_LIMIT = 1500
NEIGHBOUR_THRESHOLD = 0.45  # cosine similarity that plays the part of THRESHOLD (tuned on the held-out set)
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

    return spacy.load(VECTOR_MODEL, exclude=["tok2vec", "parser", "ner", "tagger", "morphologizer",
                                             "attribute_ruler", "lemmatizer", "senter"])


def _vectors(texts: list[str]) -> np.ndarray:
    """Unit-length mean word vectors, one row per text."""
    matrix = np.array([doc.vector for doc in _nlp().pipe(texts)], dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


@dataclass(frozen=True)
class _Model:
    signature: tuple
    answers: dict[str, tuple[str, bool, str]]
    words: TfidfVectorizer
    chars: TfidfVectorizer
    entry_ids: np.ndarray
    classifier: LogisticRegression | None = None
    # Nearest-phrasing mode: one row per example, grouped by entry in `entry_ids` order.
    phrasing_terms: sp.csc_matrix | None = None
    phrasing_vectors: np.ndarray | None = None
    first_rows: np.ndarray | None = None  # index of each entry's first row

    def terms(self, texts: list[str]) -> sp.csr_matrix:
        """Two unit-length blocks side by side: stems, character n-grams."""
        return sp.hstack([self.words.transform([_words(t) for t in texts]),
                          self.chars.transform([expand(t) for t in texts])]).tocsr()

    def features(self, texts: list[str]) -> sp.csr_matrix:
        return sp.hstack([self.terms(texts), sp.csr_matrix(_vectors(texts))]).tocsr()

    def scores(self, question: str) -> np.ndarray:
        """One score from 0 to 1 per entry, in `entry_ids` order."""
        if self.classifier is not None:
            return self.classifier.predict_proba(self.features([question]))[0]
        query = self.terms([question])
        similarity = (self.phrasing_terms[:, query.indices] @ query.data  # only the columns the question has
                      + self.phrasing_vectors @ _vectors([question])[0]) / 3
        return np.interp(np.maximum.reduceat(similarity, self.first_rows), [0, NEIGHBOUR_THRESHOLD, 1],
                         [0, THRESHOLD, 1])

    def rank(self, question: str, limit: int) -> list[FaqMatch]:
        scores = self.scores(question)
        return [
            FaqMatch(id=entry, score=round(float(scores[i]), 4), answer=self.answers[entry][0],
                     question=self.answers[entry][2], demo=self.answers[entry][1])
            for i in np.argsort(-scores, kind="stable")[:limit]
            for entry in [str(self.entry_ids[i])]
        ]


def _published():  # type: ignore[no-untyped-def]
    stmt = select(FaqEntry).where(FaqEntry.published.is_(True))
    regions = active_regions()
    return stmt.where(FaqEntry.region.in_(regions)) if regions else stmt


def _signature() -> tuple:
    """Changes whenever an entry or phrasing is added, edited, published, hidden or removed."""
    with session_scope() as s:
        latest = s.scalar(select(func.max(FaqEntry.updated_at)))  # each query alone can use an index
        count = s.scalar(select(func.count()).select_from(FaqEntry))
        phrasings = s.scalar(select(func.count()).select_from(FaqQuestion))
    return (database_url(), tuple(active_regions() or ()), count, str(latest), phrasings)


def _fit(signature: tuple) -> _Model | None:
    with session_scope() as s:
        entries = s.scalars(_published().options(selectinload(FaqEntry.questions))).all()
        examples = sorted((e.id, text) for e in entries
                          for text in (*[q.text for q in e.questions], f"{e.answer} {' '.join(e.tags)}"))
        answers = {e.id: (e.answer, e.demo, e.questions[0].text if e.questions else "") for e in entries}
    if len(answers) < 2:
        return None
    texts = [text for _, text in examples]
    labels = np.array([entry for entry, _ in examples])
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+").fit([_words(t) for t in texts])
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit([expand(t) for t in texts])
    entry_ids, first_rows = np.unique(labels, return_index=True)
    model = _Model(signature, answers, words, chars, entry_ids)
    if len(answers) <= CLASSIFIER_LIMIT:
        classifier = LogisticRegression(C=REGULARISATION, max_iter=3000).fit(model.features(texts), labels)
        return replace(model, classifier=classifier)
    return replace(model, phrasing_terms=model.terms(texts).tocsc(), phrasing_vectors=_vectors(texts), first_rows=first_rows)


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
