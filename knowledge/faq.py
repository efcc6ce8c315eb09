"""FAQ retrieval: a question in, ranked published entries with a score out.

Features: word TF-IDF of French stems with short forms spelled out, plus the question words "qui" and "où"
that stop-word removal would drop (paraphrase, word order, plurals, who vs where); character n-grams
(typos, missing accents); the mean spaCy French vector of the content words (synonyms). Up to
`CLASSIFIER_LIMIT` published entries (any real FAQ), each entry is a class learnt from its phrasings and
its answer by a logistic regression, and the score is its probability. Beyond that, a classifier's
weights would not fit in memory, so an entry scores its closest phrasing's cosine similarity, rescaled
so that the same `THRESHOLD` applies. The model is refitted whenever the published FAQ changes (about
1.5 s for the seed FAQ on 2 CPUs), so a staff edit is answered at the next question, with no retraining.
The features and constants were chosen by cross-validation on the seed phrasings (`bench.faq_tuning`).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from threadpoolctl import threadpool_limits

from knowledge import elision
from knowledge.db import database_url, session_scope
from knowledge.models import FaqEntry, FaqQuestion
from knowledge.queries import active_regions, in_regions
from knowledge.schemas import FaqMatch
from knowledge.text import STOPWORDS, expand, fold, mentioned, search_terms, stems
from knowledge.validation import ALL_REGIONS

THRESHOLD = 0.3
CLASSIFIER_LIMIT = 1500
REFIT_WAIT = 5.0  # seconds a question waits for a refit before the previous model answers (actions: 8 s at most)
NEIGHBOUR_THRESHOLD = 0.48  # cosine similarity that plays the part of THRESHOLD
REGULARISATION = 20.0
WORD_NGRAMS = (1, 1)  # stems alone: adding bigrams did worse in cross-validation
VECTOR_MODEL = "fr_core_news_md"
COMMON_SHARE = 0.05  # a stem in the phrasings of more entries than this share names no subject (« combien »)
_NOT_CONTENT = STOPWORDS | {""}  # folded tokens left out of the mean vector (punctuation folds to "")


@lru_cache(maxsize=1)
def french():  # type: ignore[no-untyped-def]
    """spaCy's French model, loaded once per process: its vectors (the FAQ's features, the gibberish test) and its
    recogniser of names (knowledge.people), one copy of its vocabulary for both."""
    import spacy

    return spacy.load(VECTOR_MODEL, exclude=["parser", "tagger", "morphologizer", "attribute_ruler", "lemmatizer",
                                             "senter"])


_RUN = re.compile(r"([^\W\d_])\1{2,}")  # a letter three times in a row or more, one run however long


def _mashed(word: str) -> bool:
    """« rrrr », « aaaazzzzeeee »: one letter three times or more and nothing else, or several runs of a letter
    (« ouiiiiii », « nooooon » are words, « nn » is « non »)."""
    runs = _RUN.findall(word.lower())
    return (len(word) >= 3 and len(set(word.lower())) == 1) or len(runs) >= 2


def is_gibberish(text: str) -> bool:
    """Whether `text` reads as keyboard mashing rather than words: fewer than half of its words are French words
    (in spaCy's vocabulary, and not mashed), and it names none of our topics, sectors or audiences ("qsdfgh
    wxcvbn", "aaaazzzzeeee rrrr")."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    if not words or any(mentioned(kind, text) for kind in ("topic", "sector", "audience")):
        return False
    vocab = french().vocab
    known = sum(1 for word in words if (vocab.has_vector(word) or vocab.has_vector(word.lower()))
                and not _mashed(word))
    return known < len(words) / 2


def _vectors(texts: list[str]) -> np.ndarray:
    """Unit-length mean vectors of the content words (stop words say little), one row per text."""
    width = french().vocab.vectors_length
    rows = [[t.vector for t in doc if t.has_vector and fold(t.text) not in _NOT_CONTENT]
            for doc in french().pipe(texts, disable=["tok2vec", "ner"])]  # the tokens' vectors only
    matrix = np.array([np.mean(row, axis=0) if row else np.zeros(width) for row in rows], dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


@dataclass(frozen=True)
class _Model:
    signature: tuple
    answers: dict[str, tuple[str, bool]]
    words: TfidfVectorizer
    chars: TfidfVectorizer
    entry_ids: np.ndarray
    classifier: LogisticRegression | None = None
    # Nearest-phrasing mode: one row per example, grouped by entry in `entry_ids` order.
    phrasing_terms: sp.csc_matrix | None = None
    phrasing_vectors: np.ndarray | None = None
    first_rows: np.ndarray | None = None  # index of each entry's first row
    regions: dict[str, str] | None = None  # each entry's region (ALL_REGIONS: every region)
    known: dict[str, frozenset[str]] | None = None  # each entry's words_of
    vocabulary: frozenset[str] = frozenset()  # the folded words of the examples (knowledge.elision)

    def terms(self, texts: list[str]) -> sp.csr_matrix:
        """Two unit-length blocks side by side: stems, character n-grams."""
        return sp.hstack([self.words.transform([search_terms(t) for t in texts]),
                          self.chars.transform([expand(t) for t in texts])]).tocsr()

    def features(self, texts: list[str]) -> sp.csr_matrix:
        return sp.hstack([self.terms(texts), sp.csr_matrix(_vectors(texts))]).tocsr()

    def scores(self, question: str) -> np.ndarray:
        """One score from 0 to 1 per entry, in `entry_ids` order."""
        if self.classifier is not None:
            return self.classifier.predict_proba(self.features([question]))[0]
        query = self.terms([question])
        assert self.phrasing_terms is not None and self.phrasing_vectors is not None and self.first_rows is not None
        similarity = (self.phrasing_terms[:, query.indices] @ query.data  # only the columns the question has
                      + self.phrasing_vectors @ _vectors([question])[0]) / 3
        return np.interp(np.maximum.reduceat(similarity, self.first_rows), [0, NEIGHBOUR_THRESHOLD, 1],
                         [0, THRESHOLD, 1])

    def region_of(self, entry: str) -> str:
        return (self.regions or {}).get(entry, ALL_REGIONS)

    def rank(self, question: str, limit: int, regions: frozenset[str] | None = None) -> list[FaqMatch]:
        """The best entries; when `regions` is given, only those of these regions and of every region. Scores are
        not renormalised, so that the threshold keeps its meaning."""
        scores = self.scores(question)
        matches: list[FaqMatch] = []
        for i in np.argsort(-scores, kind="stable"):
            entry = str(self.entry_ids[i])
            region = self.region_of(entry)
            if regions and region != ALL_REGIONS and region not in regions:
                continue
            matches.append(FaqMatch(id=entry, score=round(float(scores[i]), 4), answer=self.answers[entry][0],
                                    demo=self.answers[entry][1], region=region))
            if len(matches) == limit:
                break
        return matches


def _published():  # type: ignore[no-untyped-def]
    return in_regions(select(FaqEntry).where(FaqEntry.published.is_(True)), FaqEntry)


def _signature() -> tuple:
    """Changes whenever an entry or phrasing is added, edited, published, hidden or removed."""
    with session_scope() as s:
        latest = s.scalar(select(func.max(FaqEntry.updated_at)))  # each query alone can use an index
        count = s.scalar(select(func.count()).select_from(FaqEntry))
        phrasings = s.scalar(select(func.count()).select_from(FaqQuestion))
    return (database_url(), tuple(active_regions() or ()), count, str(latest), phrasings)


def examples(questions: list[str], answer: str, tags: list[str]) -> list[str]:
    """An entry's training texts: its phrasings, and its answer followed by its tags."""
    return [*questions, f"{answer} {' '.join(tags)}"]


def fit(labelled: list[tuple[str, str]], answers: dict[str, tuple[str, bool]],
        signature: tuple = ()) -> _Model | None:
    """The model for `(entry id, text)` examples; `answers` maps each id to (answer, demo)."""
    if len(answers) < 2:
        return None
    labelled = sorted(labelled)
    texts = [text for _, text in labelled]
    labels = np.array([entry for entry, _ in labelled])
    words = TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True, token_pattern=r"\S+")
    words.fit([search_terms(t) for t in texts])
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit([expand(t) for t in texts])
    entry_ids, first_rows = np.unique(labels, return_index=True)
    model = _Model(signature, answers, words, chars, entry_ids, vocabulary=elision.words_of(texts))
    if len(answers) <= CLASSIFIER_LIMIT:
        with threadpool_limits(1):  # BLAS threads slow this small problem down three times on a busy machine
            classifier = LogisticRegression(C=REGULARISATION, max_iter=3000).fit(model.features(texts), labels)
        return replace(model, classifier=classifier)
    return replace(model, phrasing_terms=model.terms(texts).tocsc(), phrasing_vectors=_vectors(texts),
                   first_rows=first_rows)


@dataclass(frozen=True)
class Entry:
    """What retrieval learns from an entry."""

    id: str
    questions: list[str]
    answer: str
    tags: list[str]
    demo: bool
    region: str = ALL_REGIONS


def published_entries(url: str | None = None) -> list[Entry]:
    """The published entries of the regions served."""
    with session_scope(url) as s:
        rows = s.scalars(_published().options(selectinload(FaqEntry.questions))).all()
        return [Entry(e.id, [q.text for q in e.questions], e.answer, list(e.tags), e.demo, e.region) for e in rows]


def known_words(entries: list[Entry]) -> dict[str, frozenset[str]]:
    """Each entry's phrasing stems, with those of many entries' phrasings: what a question matching the entry says
    besides them is what it asks (« le campus doit être accessible sur quels plans ? »: « accessible », « plans »)."""
    said = {e.id: frozenset().union(*(stems(q) for q in e.questions)) for e in entries}
    spread = Counter(stem for words in said.values() for stem in words)
    common = frozenset(stem for stem, count in spread.items() if count > max(2, COMMON_SHARE * len(said)))
    return {entry: words | common for entry, words in said.items()}


def fit_entries(entries: list[Entry], signature: tuple = ()) -> _Model | None:
    """The model answering with `entries`."""
    labelled = [(e.id, text) for e in entries for text in examples(e.questions, e.answer, e.tags)]
    model = fit(labelled, {e.id: (e.answer, e.demo) for e in entries}, signature)
    return replace(model, regions={e.id: e.region for e in entries}, known=known_words(entries)) if model else None


def _fit(signature: tuple) -> _Model | None:
    """The model for the published FAQ."""
    return fit_entries(published_entries(), signature)


class FaqRetriever:
    """Keeps one model per store and refits it when the published FAQ changes. The refit runs in its own thread:
    a question waits for it at most `REFIT_WAIT` seconds (on a loaded machine), then gets the previous model's
    answer, so that an action never outlasts its timeout; the questions after it get the new model once ready."""

    def __init__(self) -> None:
        self._model: _Model | None = None
        self._fitted: tuple | None = None  # the signature of `_model` (None: nothing fitted yet)
        self._refits: dict[tuple, threading.Thread] = {}
        self._lock = threading.Lock()

    def _refit(self, signature: tuple) -> None:
        try:
            model = _fit(signature)
            with self._lock:
                self._model, self._fitted = model, signature
        finally:
            with self._lock:
                self._refits.pop(signature, None)

    def _current(self) -> _Model | None:
        signature = _signature()
        with self._lock:
            if self._fitted is None:  # the first model: every question needs it
                self._model, self._fitted = _fit(signature), signature
            if self._fitted == signature:
                return self._model
            refit = self._refits.get(signature)
            if refit is None:
                refit = self._refits[signature] = threading.Thread(target=self._refit, args=(signature,), daemon=True)
                refit.start()
        refit.join(timeout=REFIT_WAIT)
        with self._lock:
            return self._model

    def search(self, question: str, limit: int = 3, regions: frozenset[str] | None = None) -> list[FaqMatch]:
        """Best entries for `question` (of `regions` and of every region, when given), highest score (probability,
        0 to 1) first."""
        if not question.strip():
            return []
        model = self._current()
        return model.rank(elision.unglue(question, model.vocabulary), limit, regions) if model else []

    def words_of(self, entry: str) -> frozenset[str]:
        """The stems `entry`'s phrasings say, and those many entries' phrasings say (see known_words), from the model
        that answers now (never waiting for a refit)."""
        with self._lock:
            model = self._model
        return (model.known or {}).get(entry, frozenset()) if model else frozenset()


RETRIEVER = FaqRetriever()
