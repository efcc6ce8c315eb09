"""French text normalisation and tolerant matching (accents, case, plurals, typos, synonyms)."""

from __future__ import annotations

import re
import time

import snowballstemmer
from cachetools.func import ttl_cache
from rapidfuzz import fuzz, process
from unidecode import unidecode

from knowledge.vocabulary import ABBREVIATIONS, AUDIENCES, REGION_PLACES, SECTORS, TOPICS

_NON_WORD = re.compile(r"[^a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("french")

STOPWORDS = frozenset(
    [
        "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "en", "et",
        "eux", "il", "ils", "je", "la", "le", "les", "leur", "lui", "ma", "mais", "me", "meme", "mes", "moi",
        "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se",
        "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c",
        "d", "j", "l", "m", "n", "s", "t", "y", "est", "sont", "suis", "es", "etes", "ai", "as", "avez",
        "avons", "ont", "etre", "avoir", "fait", "faire", "peut", "peux", "puis", "pouvez", "pourrais",
        "pourriez", "voudrais", "veux", "voulez", "svp", "stp", "merci", "bonjour", "salut", "alors", "donc",
        "quel", "quelle", "quels", "quelles", "est-ce", "ca", "cela", "ceci", "il-y-a", "y-a-t-il", "tout",
        "tous", "toute", "toutes", "tres", "bien", "plus", "moins", "si", "aussi", "encore", "deja", "ici",
        "la-bas", "chez", "vers", "sans", "sous", "entre", "leurs", "dont", "dire", "dis", "dites", "savoir",
        "sais",
        # greetings and interjections that carry no subject (« attends c'est où exactement ? », « coucou, … »)
        "attends", "att", "euh", "bon", "ok", "okay", "hello", "coucou", "hey", "yo", "slt", "bjr", "bonsoir",
        "exactement", "precisement", "dailleurs",
    ]
)


# People's messages pass through these caches, so an entry lives an hour at most: a message is gone from memory
# well within ODYSSEE_RETENTION_DAYS, and within the hour after an erasure request. Store texts are folded again.
CACHE_SECONDS = 3600


def _clock() -> float:
    return time.monotonic()


@ttl_cache(maxsize=50_000, ttl=CACHE_SECONDS, timer=_clock)
def fold(text: str) -> str:
    """Lower case, accents removed, punctuation turned into single spaces."""
    return _NON_WORD.sub(" ", unidecode(text).lower()).strip()


def tokens(text: str) -> list[str]:
    return fold(text).split()


def expand(text: str) -> str:
    """Folded `text` with short forms spelled out ("dev ia" -> "developpeur intelligence artificielle")."""
    return " ".join(ABBREVIATIONS.get(t, t) for t in tokens(text))


@ttl_cache(maxsize=50_000, ttl=CACHE_SECONDS, timer=_clock)
def stem(token: str) -> str:
    """Snowball French stem, so "formations", "formation" and "former" meet."""
    return _STEMMER.stemWord(token)


def content_stems(text: str) -> list[str]:
    """Stems of the meaningful words of `text` (stop words dropped)."""
    return [stem(t) for t in tokens(text) if t not in STOPWORDS]


def stems(text: str) -> frozenset[str]:
    """The stems of the content words of `text`, short forms spelled out."""
    return frozenset(content_stems(expand(text)))


QUESTION_WORDS = frozenset({"qui", "ou"})  # stop words that tell what is asked: who, where ("où" once folded)


def search_terms(text: str) -> str:
    """Stems of `text`, short forms expanded, plus the question words and canonical topics it mentions."""
    asked = [t for t in tokens(text) if t in QUESTION_WORDS]
    topics = [t.replace(" ", "_") for t in mentioned("topic", text)]
    return " ".join([*content_stems(expand(text)), *asked, *topics])


def _variant_index(table: dict[str, list[str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, variants in table.items():
        for variant in (canonical, *variants):
            index.setdefault(fold(variant), canonical)
    return index


_INDEXES = {name: _variant_index(table) for name, table in
            {"topic": TOPICS, "sector": SECTORS, "audience": AUDIENCES, "region": REGION_PLACES}.items()}


def canonical(kind: str, value: str, cutoff: float = 85) -> str | None:
    """The canonical topic, sector, audience or region `value` stands for, typos tolerated, or None."""
    index = _INDEXES[kind]
    key = fold(value)
    if not key:
        return None
    if key in index:
        return index[key]
    singular = " ".join(t[:-1] if len(t) > 3 and t.endswith(("s", "x")) else t for t in key.split())
    if singular in index:
        return index[singular]
    best = process.extractOne(key, index.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
    return index[best[0]] if best else None


def says(text: str, markers: tuple[str, ...]) -> bool:
    """Whether one of the folded `markers` appears as whole words in `text`."""
    padded = f" {fold(text)} "
    return any(f" {marker} " in padded for marker in markers)


def mentioned(kind: str, text: str) -> list[str]:
    """Canonical values whose name or a variant appears as whole words in `text`."""
    padded = f" {fold(text)} "
    found: list[str] = []
    for variant, value in sorted(_INDEXES[kind].items(), key=lambda kv: -len(kv[0])):
        if len(variant) > 1 and f" {variant} " in padded and value not in found:
            found.append(value)
            padded = padded.replace(f" {variant} ", " ")
    return found


def similarity(query: str, name: str) -> float:
    """0-100 tolerant similarity between a user's words and a name (order and typos tolerated)."""
    q, n = expand(query), expand(name)
    if not q or not n:
        return 0.0
    return max(fuzz.token_set_ratio(q, n), fuzz.partial_ratio(q, n) if len(q) >= 4 else 0)
