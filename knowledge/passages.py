"""Passage retrieval: a question in, the document sentences that answer it, with their source.

Every sentence of every document of the regions served is a unit, read with its section heading. A unit scores a
weighted mean of three similarities to the question, each from 0 to 1: stems (TF-IDF cosine), character n-grams
(typos, missing accents) and the sentence encoder's cosine rescaled above the encoder's `floor` (paraphrases; see
knowledge.encoder). The best unit chooses the document and gives the match its score. Within that document the
sentences are ranked again, by BM25 with term weights learnt from that document alone (the words naming its
subject, in most of its sentences, then weigh little and the words of what is asked decide; a score is the share
of what a sentence holding all the question's words would get, so that when no sentence holds the word asked, the
encoder decides; the words naming the source, « d'après l'interview », are left out), character n-grams and the
encoder's cosine to the sentence alone (its heading, shared by its section, says nothing of what it adds); a
sentence holding the kind of answer asked for (a figure for « combien », a duration for « combien de temps », an
amount for « c'est payant », a count for « combien de places », a date for « quand », a place for
« c'est où », a public for « c'est pour qui »: knowledge.answer_types) gets a small bonus, and so does a sentence
stating a figure the question quotes (« c ki qui avait dit le truc des 80 % ? »; no year), in every document when
the question is short. The answer quotes the
best sentence, the one after it in its section (a sentence that echoes the question is often followed by the detail
asked), up to two more that score nearly as well, and, when none of those holds the kind of answer asked for, the
best sentence that does; a sentence announcing a list (ending with « : ») brings the items that follow it. The
weights were chosen on the first development set of factual questions (`bench/data/facts_dev.yml`, `python -m
bench.passage_tuning`), the bonus on both development sets (`facts_dev2.yml` too), BM25's k1 and b and the quoting
ratio on those and the validation set (bench/NOTES.md), never on the held-out set. The index is
rebuilt when a document is imported or deleted, so a new document is answered from at the next question; sentence
vectors are stored, so each sentence is encoded once.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date

import bm25s
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from knowledge.answer_types import AnswerType, expected, holds
from knowledge.db import database_url, session_scope
from knowledge.documents import sentences
from knowledge.elision import unglue, words_of
from knowledge.encoder import SentenceEncoder, encoder, stored_vectors
from knowledge.models import Document, Passage
from knowledge.queries import active_regions, in_regions
from knowledge.text import expand, fold, search_terms
from knowledge.validation import ALL_REGIONS

WEIGHTS = {"stems": 1.0, "chars": 0.5, "meaning": 2.0}
QUOTE_RATIO = 0.8  # another sentence is quoted when it scores at least this share of the best one
QUOTED = 3
LIST_ITEMS = 5  # sentences quoted after one announcing a list, within its section
ANCHOR_BONUS = 0.05  # added, for a follow-up, to the sentences of the document last answered from
ANSWER_TYPE_BONUS = 0.1  # added, within the chosen document, to a sentence holding the kind of answer asked for
FIGURE_BONUS = 0.1  # added, within the chosen document, to a sentence stating a figure the question quotes
_FIGURES = re.compile(r"(?<![\d,.])\d{2,}(?:[  \u202f]\d{3})*(?![\d,.]\d)")  # « 273 000 », « 80 »; not « 4,2 »
_YEAR = re.compile(r"(?:19|20)\d\d")
QUOTING_WORDS = 12  # a longer message's figures often tell who asks (« une ESN de 80 salariés »), not what
BM25_K1, BM25_B = 1.2, 0.3  # within a document; b: a long sentence is little penalised
KIND_LOOKAHEAD = 10  # best sentences searched for one holding the kind of answer asked for, when none quoted does
FRAMING = frozenset({"apres", "selon", "interview", "entretien", "article", "presse", "dossier"})  # folded


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
    region: str = ALL_REGIONS


@dataclass(frozen=True)
class _Unit:
    document_id: str
    order: int  # position of the sentence in its document
    heading: str
    text: str


def _characters(texts: list[str]) -> tuple[TfidfVectorizer, sp.csr_matrix]:
    """Character n-gram TF-IDF (typos, missing accents) fitted on `texts`, with their vectors."""
    model = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    return model, model.fit_transform([expand(t) for t in texts])


@dataclass(frozen=True)
class _Lexical:
    """Stem and character TF-IDF models fitted on some units, with those units' vectors."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    terms: sp.csr_matrix  # stems block, then character block, one row per unit

    @classmethod
    def fit(cls, texts: list[str]) -> _Lexical:
        words = TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+")
        stems = words.fit_transform([search_terms(t) for t in texts])
        chars, char_terms = _characters(texts)
        return cls(words, chars, sp.hstack([stems, char_terms]).tocsr())

    def scores(self, question: str) -> np.ndarray:
        """Weighted sum of the stem and character cosines of each unit to `question`."""
        split = len(self.words.vocabulary_)
        words = self.words.transform([search_terms(question)])
        chars = self.chars.transform([expand(question)])
        return (WEIGHTS["stems"] * (self.terms[:, :split] @ words.T).toarray().ravel()
                + WEIGHTS["chars"] * (self.terms[:, split:] @ chars.T).toarray().ravel())


@dataclass(frozen=True)
class _Local:
    """BM25 on stems and character TF-IDF fitted on the sentences of one document. BM25 adds the weights of the
    question's words a sentence holds, where a cosine would favour a short sentence made of the subject's words."""

    stems: bm25s.BM25
    idf: dict[str, float]  # each stem's BM25 weight in this document
    chars: TfidfVectorizer
    char_terms: sp.csr_matrix

    @classmethod
    def fit(cls, texts: list[str]) -> _Local:
        tokenised = [search_terms(t).split() for t in texts]
        stems = bm25s.BM25(k1=BM25_K1, b=BM25_B, method="lucene")
        stems.index(tokenised, show_progress=False)
        frequency = Counter(stem for words in tokenised for stem in set(words))
        idf = {stem: _idf(count, len(texts)) for stem, count in frequency.items()}
        return cls(stems, idf, *_characters(texts))

    def coverage(self, words: list[str]) -> np.ndarray:
        """Each sentence's BM25 score as a share of what a sentence holding every word of the question once would
        score (a word no sentence holds weighs as the rarest): a sentence holding only the subject's common words
        scores little even when no sentence holds more."""
        rows = self.char_terms.shape[0]
        if not words:
            return np.zeros(rows)
        rarest = _idf(0, rows)
        possible = sum(self.idf.get(word, rarest) for word in words) / (BM25_K1 + 1)
        return np.asarray(self.stems.get_scores(words), dtype=float) / possible

    def scores(self, question: str) -> np.ndarray:
        """Weighted sum of each sentence's BM25 coverage of the question and character cosine."""
        chars = (self.char_terms @ self.chars.transform([expand(question)]).T).toarray().ravel()
        return WEIGHTS["stems"] * self.coverage(search_terms(question).split()) + WEIGHTS["chars"] * chars


def _idf(frequency: int, sentences: int) -> float:
    """BM25's weight (Lucene's) of a word held by `frequency` of `sentences`."""
    return math.log(1 + (sentences - frequency + 0.5) / (frequency + 0.5))


def figures(text: str) -> set[str]:
    """The figures of two digits or more `text` states (« 80 % » → « 80 », « 273 000 € » → « 273 000 »; not « 4,2 % »),
    years left out (too common: « lors de la consultation de 2018 » names no sentence)."""
    found = (re.sub(r"\s", " ", figure) for figure in _FIGURES.findall(text))
    return {figure for figure in found if not _YEAR.fullmatch(figure)}


def without_framing(question: str) -> str:
    """`question` without the words that name where a fact was said (« d'après l'interview », « selon
    l'article »): every sentence of a document shares its source, so they say nothing of what is asked."""
    return " ".join(word for word in fold(question).split() if word not in FRAMING)


@dataclass(frozen=True)
class _Index:
    signature: tuple
    units: list[_Unit]
    documents: dict[str, tuple[str, str, bool, date | None, str]]  # id -> title, source, demo, published, region
    lexical: _Lexical  # fitted on every unit
    by_document: dict[str, tuple[list[int], _Local]]  # each document's units, and a model fitted on them alone
    dense: np.ndarray | None  # each unit read with its heading: chooses the document
    sentence_dense: np.ndarray | None  # each sentence alone: ranks within the document, where headings repeat
    encoder: SentenceEncoder | None
    figures: list[set[str]]  # the figures each unit states
    words: frozenset[str] = frozenset()  # the folded words of the units (knowledge.elision)

    def _meaning(self, question: str) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
        """The encoder's cosine of every unit to `question`, rescaled above its floor, with and without the unit's
        heading; None without an encoder."""
        if self.dense is None or self.sentence_dense is None or self.encoder is None:
            return None, None
        query, floor = self.encoder.queries([question])[0], self.encoder.floor
        headed, alone = self.dense @ query, self.sentence_dense @ query
        return np.clip((headed - floor) / (1 - floor), 0, 1), np.clip((alone - floor) / (1 - floor), 0, 1)

    @staticmethod
    def _mean(lexical: np.ndarray, meaning: np.ndarray | None) -> np.ndarray:
        if meaning is None:
            return lexical / (WEIGHTS["stems"] + WEIGHTS["chars"])
        return (lexical + WEIGHTS["meaning"] * meaning) / sum(WEIGHTS.values())

    def _ranked_within(self, document_id: str, question: str, meaning: np.ndarray | None,
                       kinds: set[AnswerType]) -> list[tuple[int, float]]:
        """The units of one document, best first, scored with that document's own term weights plus the bonus
        of the `kinds` of answer asked for."""
        rows, lexical = self.by_document[document_id]
        scores = self._mean(lexical.scores(without_framing(question)), None if meaning is None else meaning[rows])
        for kind in kinds:
            scores = scores + np.array([ANSWER_TYPE_BONUS * holds(self.units[i].text, kind) for i in rows])
        if asked := figures(question):  # « c ki qui avait dit le truc des 80 % ? »: the sentence stating 80 %
            scores = scores + np.array([FIGURE_BONUS * bool(asked & self.figures[i]) for i in rows])
        order = np.argsort(-scores, kind="stable")
        return [(rows[k], float(scores[k])) for k in order]

    def _holding_what_is_asked(self, kinds: set[AnswerType], quoted: list[int],
                               ranked: list[tuple[int, float]]) -> list[int]:
        """For each of the `kinds` of answer asked for that no quoted sentence holds (« combien » and no figure
        quoted), the best of the first KIND_LOOKAHEAD sentences that holds it."""
        added: list[int] = []
        for kind in sorted(kinds):
            if not any(holds(self.units[i].text, kind) for i in quoted + added):
                found = next((i for i, _ in ranked[:KIND_LOOKAHEAD] if holds(self.units[i].text, kind)), None)
                if found is not None:
                    added.append(found)
        return added

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

    def _outside(self, regions: frozenset[str]) -> np.ndarray:
        """Whether each unit's document is of none of `regions` (nor of every region)."""
        kept = regions | {ALL_REGIONS}
        return np.array([self.documents[u.document_id][4] not in kept for u in self.units])

    def best(self, question: str, regions: frozenset[str] | None = None,
             anchor: str | None = None) -> PassageMatch | None:
        meaning, sentence_meaning = self._meaning(question)
        scores = self._mean(self.lexical.scores(question), meaning)
        if regions:
            scores = np.where(self._outside(regions), -1.0, scores)
        # the document last answered from, favoured for a follow-up
        bonus = np.array([ANCHOR_BONUS * (u.document_id == anchor) for u in self.units]) if anchor else 0.0
        if len(question.split()) <= QUOTING_WORDS and (asked := figures(question)):
            scores = scores + np.array([FIGURE_BONUS * bool(asked & stated) for stated in self.figures])
        top = int(np.argmax(scores + bonus))
        if scores[top] < 0:
            return None  # no document of these regions
        document_id = self.units[top].document_id
        kinds = expected(question)
        ranked = self._ranked_within(document_id, question, sentence_meaning, kinds)
        quoted = [i for i, score in ranked[:QUOTED] if score >= QUOTE_RATIO * ranked[0][1]]
        quoted += self._holding_what_is_asked(kinds, quoted, ranked)
        title, source, demo, published, region = self.documents[document_id]
        return PassageMatch(
            document_id=document_id, title=title, source=source, demo=demo, published=published,
            sentences=[self.units[i].text for i in self._with_context(quoted, ranked[0][0])],
            score=round(float(scores[top]), 4), region=region,
        )


def _signature() -> tuple:
    """Changes whenever a document is imported, replaced or deleted, or the encoder changes."""
    with session_scope() as s:
        latest = s.scalar(select(func.max(Document.imported_at)))
        count = s.scalar(select(func.count()).select_from(Document))
        passages = s.scalar(select(func.count()).select_from(Passage))
    model = encoder()
    return (database_url(), tuple(active_regions() or ()), count, str(latest), passages, model and model.name)


def _units() -> tuple[list[_Unit], dict[str, tuple[str, str, bool, date | None, str]]]:
    with session_scope() as s:
        rows = s.scalars(in_regions(select(Document), Document).options(selectinload(Document.passages))).all()
        documents = {d.id: (d.title, d.source, d.demo, d.published, d.region) for d in rows}
        units = [_Unit(d.id, order, p.heading, sentence) for d in rows
                 for order, (p, sentence) in enumerate((p, s) for p in d.passages for s in sentences(p.text))]
    return units, documents


def _build(signature: tuple) -> _Index | None:
    units, documents = _units()
    if not units:
        return None
    texts = [f"{u.heading} {u.text}" for u in units]
    rows: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        rows.setdefault(unit.document_id, []).append(i)
    by_document = {d: (r, _Local.fit([texts[i] for i in r])) for d, r in rows.items()}
    model = encoder()
    headed = [f"{u.heading} : {u.text}" if u.heading else u.text for u in units]
    dense = stored_vectors(model, headed) if model else None
    sentence_dense = stored_vectors(model, [u.text for u in units]) if model else None
    return _Index(signature, units, documents, _Lexical.fit(texts), by_document, dense, sentence_dense, model,
                  [figures(u.text) for u in units], words_of(texts))


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

    def best(self, question: str, regions: frozenset[str] | None = None,
             anchor: str | None = None) -> PassageMatch | None:
        """The sentences of the documents that best answer `question`, with a score from 0 to 1: only documents of
        `regions` (and of every region) when given; the `anchor` document (the last one answered from) favoured."""
        if not question.strip():
            return None
        index = self._current()
        return index.best(unglue(question, index.words), regions, anchor) if index else None


PASSAGES = PassageRetriever()
