"""FAQ retrieval: a question in, ranked published entries with a score out.

Each phrasing is represented twice: word TF-IDF over French stems with synonyms spelled out
(paraphrase, word order, plural/singular) and character n-gram TF-IDF (typos, missing accents).
An entry's score is the best of its phrasings, blended with its answer's similarity. The index is
rebuilt when the published entries change, so a staff edit is answered at the next question.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import func, select

from knowledge.db import database_url, session_scope
from knowledge.models import FaqEntry, FaqQuestion
from knowledge.queries import active_regions
from knowledge.schemas import FaqMatch
from knowledge.text import content_stems, expand, mentioned

THRESHOLD = 0.38
WORD_WEIGHT, CHAR_WEIGHT, ANSWER_WEIGHT = 0.55, 0.35, 0.10


def _words(text: str) -> str:
    """Stems of `text`, short forms expanded, plus the canonical topics it mentions."""
    expanded = expand(text)
    topics = " ".join(t.replace(" ", "_") for t in mentioned("topic", text))
    return " ".join(content_stems(expanded)) + (f" {topics}" if topics else "")


@dataclass(frozen=True)
class _Index:
    signature: tuple
    entry_ids: list[str]
    answers: dict[str, tuple[str, bool]]
    row_entry: np.ndarray
    row_text: list[str]
    words: TfidfVectorizer
    chars: TfidfVectorizer
    word_matrix: object
    char_matrix: object
    answer_matrix: object

    def rank(self, question: str, limit: int) -> list[FaqMatch]:
        words, chars = self.words.transform([_words(question)]), self.chars.transform([expand(question)])
        row_scores = WORD_WEIGHT * (self.word_matrix @ words.T).toarray().ravel()
        row_scores += CHAR_WEIGHT * (self.char_matrix @ chars.T).toarray().ravel()
        entry_scores = np.zeros(len(self.entry_ids))
        np.maximum.at(entry_scores, self.row_entry, row_scores)
        entry_scores += ANSWER_WEIGHT * (self.answer_matrix @ words.T).toarray().ravel()

        def best_phrasing(entry: int) -> str:
            rows = np.flatnonzero(self.row_entry == entry)
            return self.row_text[rows[np.argmax(row_scores[rows])]]

        order = np.argsort(-entry_scores, kind="stable")[:limit]
        return [
            FaqMatch(
                id=self.entry_ids[i],
                score=round(float(entry_scores[i]), 4),
                answer=self.answers[self.entry_ids[i]][0],
                question=best_phrasing(i),
                demo=self.answers[self.entry_ids[i]][1],
            )
            for i in order
            if entry_scores[i] > 0
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


def _build(signature: tuple) -> _Index | None:
    with session_scope() as s:
        entries = s.scalars(_published().order_by(FaqEntry.id)).all()
        rows = [(i, q.text) for i, e in enumerate(entries) for q in e.questions]
        if not rows:
            return None
        answer_texts = [_words(f"{e.answer} {' '.join(e.tags)}") for e in entries]
        entry_ids = [e.id for e in entries]
        answers = {e.id: (e.answer, e.demo) for e in entries}
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"\S+")
    word_matrix = words.fit_transform([_words(text) for _, text in rows] + answer_texts)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    char_matrix = chars.fit_transform([expand(text) for _, text in rows])
    return _Index(
        signature=signature,
        entry_ids=entry_ids,
        answers=answers,
        row_entry=np.array([i for i, _ in rows]),
        row_text=[text for _, text in rows],
        words=words,
        chars=chars,
        word_matrix=word_matrix[: len(rows)],
        char_matrix=char_matrix,
        answer_matrix=word_matrix[len(rows):],
    )


class FaqRetriever:
    """Keeps one index per store and rebuilds it when the published FAQ changes."""

    def __init__(self) -> None:
        self._index: _Index | None = None
        self._lock = threading.Lock()

    def _current(self) -> _Index | None:
        signature = _signature()
        with self._lock:
            if self._index is None or self._index.signature != signature:
                self._index = _build(signature)
            return self._index

    def search(self, question: str, limit: int = 3) -> list[FaqMatch]:
        """Best entries for `question`, highest score first (scores between 0 and about 1)."""
        index = self._current()
        if index is None or not question.strip():
            return []
        return index.rank(question, limit)

    def answer(self, question: str, threshold: float = THRESHOLD) -> FaqMatch | None:
        """The best entry if its score reaches `threshold`, else None (the bot says it does not know)."""
        matches = self.search(question, limit=1)
        return matches[0] if matches and matches[0].score >= threshold else None


RETRIEVER = FaqRetriever()
