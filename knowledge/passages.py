"""Passage retrieval: a question in, the document sentences that answer it, with their source.

Every sentence of every document of the regions served is a unit, read with its section heading. A unit
scores a weighted mean of three similarities to the question, each from 0 to 1: stems (TF-IDF cosine),
character n-grams (typos, missing accents) and the sentence encoder's cosine rescaled above the encoder's
`floor` (paraphrases; see knowledge.encoder). The answer quotes the best sentence, the one after it in its
section (a sentence that echoes the question is often followed by the detail asked), and up to two more of
the same document that score nearly as well; a sentence announcing a list (ending with « : ») brings the
items that follow it. Weights and ratio were chosen on a development set of factual questions
(`bench/data/facts_dev.yml`, `python -m bench.passage_tuning`), never on the held-out set. The index is
rebuilt when a document is imported or deleted, so a new document is answered from at the next question;
sentence vectors are stored, so each sentence is encoded once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from knowledge.db import database_url, session_scope
from knowledge.documents import sentences
from knowledge.encoder import SentenceEncoder, encoder, stored_vectors
from knowledge.models import Document, Passage
from knowledge.queries import active_regions, in_regions
from knowledge.text import expand, search_terms

WEIGHTS = {"stems": 1.0, "chars": 0.5, "meaning": 2.0}
QUOTE_RATIO = 0.8  # another sentence is quoted when it scores at least this share of the best one
QUOTED = 3
LIST_ITEMS = 5  # sentences quoted after one announcing a list, within its section


@dataclass(frozen=True)
class PassageMatch:
    """The sentences that answer a question, from one document."""

    document_id: str
    title: str
    source: str
    demo: bool
    published: date | None
    sentences: list[str]
    score: float


@dataclass(frozen=True)
class _Unit:
    document_id: str
    order: int  # position of the sentence in its document
    heading: str
    text: str


@dataclass(frozen=True)
class _Index:
    signature: tuple
    units: list[_Unit]
    documents: dict[str, tuple[str, str, bool, date | None]]  # id -> title, source, demo, published
    words: TfidfVectorizer
    chars: TfidfVectorizer
    terms: sp.csr_matrix  # stems block, then character block, one row per unit
    dense: np.ndarray | None
    encoder: SentenceEncoder | None

    def scores(self, question: str) -> np.ndarray:
        words = self.words.transform([search_terms(question)])
        chars = self.chars.transform([expand(question)])
        split = len(self.words.vocabulary_)
        total = (WEIGHTS["stems"] * (self.terms[:, :split] @ words.T).toarray().ravel()
                 + WEIGHTS["chars"] * (self.terms[:, split:] @ chars.T).toarray().ravel())
        if self.dense is None or self.encoder is None:
            return total / (WEIGHTS["stems"] + WEIGHTS["chars"])
        cosine = self.dense @ self.encoder.queries([question])[0]
        meaning = np.clip((cosine - self.encoder.floor) / (1 - self.encoder.floor), 0, 1)
        return (total + WEIGHTS["meaning"] * meaning) / sum(WEIGHTS.values())

    def _follows(self, i: int, j: int) -> bool:
        """Whether unit `j` is in the same document and section as unit `i`."""
        return (j < len(self.units) and self.units[j].document_id == self.units[i].document_id
                and self.units[j].heading == self.units[i].heading)

    def _with_context(self, chosen: list[int], best: int) -> list[int]:
        """`chosen`, the sentence after `best` in its section, and the items that follow a sentence announcing a
        list, in document order."""
        quoted = set(chosen) | ({best + 1} if self._follows(best, best + 1) else set())
        for i in chosen:
            if self.units[i].text.rstrip().endswith(":"):
                quoted.update(j for j in range(i + 1, i + 1 + LIST_ITEMS) if self._follows(i, j))
        return sorted(quoted, key=lambda i: self.units[i].order)

    def best(self, question: str) -> PassageMatch | None:
        scores = self.scores(question)
        top = int(np.argmax(scores))
        best = self.units[top]
        same_document = [i for i in np.argsort(-scores, kind="stable")[:20]
                         if self.units[i].document_id == best.document_id]
        quoted = [i for i in same_document[:QUOTED] if scores[i] >= QUOTE_RATIO * scores[top]]
        title, source, demo, published = self.documents[best.document_id]
        return PassageMatch(
            document_id=best.document_id, title=title, source=source, demo=demo, published=published,
            sentences=[self.units[i].text for i in self._with_context(quoted, top)],
            score=round(float(scores[top]), 4),
        )


def _signature() -> tuple:
    """Changes whenever a document is imported, replaced or deleted, or the encoder changes."""
    with session_scope() as s:
        latest = s.scalar(select(func.max(Document.imported_at)))
        count = s.scalar(select(func.count()).select_from(Document))
        passages = s.scalar(select(func.count()).select_from(Passage))
    model = encoder()
    return (database_url(), tuple(active_regions() or ()), count, str(latest), passages, model and model.name)


def _units() -> tuple[list[_Unit], dict[str, tuple[str, str, bool, date | None]]]:
    with session_scope() as s:
        rows = s.scalars(in_regions(select(Document), Document).options(selectinload(Document.passages))).all()
        documents = {d.id: (d.title, d.source, d.demo, d.published) for d in rows}
        units = [_Unit(d.id, order, p.heading, sentence) for d in rows
                 for order, (p, sentence) in enumerate((p, s) for p in d.passages for s in sentences(p.text))]
    return units, documents


def _build(signature: tuple) -> _Index | None:
    units, documents = _units()
    if not units:
        return None
    texts = [f"{u.heading} {u.text}" for u in units]
    words = TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+").fit([search_terms(t) for t in texts])
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit([expand(t) for t in texts])
    terms = sp.hstack([words.transform([search_terms(t) for t in texts]),
                       chars.transform([expand(t) for t in texts])]).tocsr()
    model = encoder()
    texts = [f"{u.heading} : {u.text}" if u.heading else u.text for u in units]
    dense = stored_vectors(model, texts) if model else None
    return _Index(signature, units, documents, words, chars, terms, dense, model)


class PassageRetriever:
    """Keeps one index per store and rebuilds it when the documents change."""

    def __init__(self) -> None:
        self._index: _Index | None = None
        self._lock = threading.Lock()

    def _current(self) -> _Index | None:
        signature = _signature()
        with self._lock:
            if self._index is None or self._index.signature != signature:
                self._index = _build(signature)
            return self._index

    def best(self, question: str) -> PassageMatch | None:
        """The sentences of the documents that best answer `question`, with a score from 0 to 1."""
        if not question.strip():
            return None
        index = self._current()
        return index.best(question) if index else None


PASSAGES = PassageRetriever()
