"""Odyssée's knowledge store: services, workshops, trainings, jobs of tomorrow, FAQ and documents.

Plain typed functions returning plain data; nothing here knows about Rasa or the channels. Retrieval
(scikit-learn, spaCy vectors, the sentence encoder) is loaded at the first `search_faq` or `best_passage`,
so commands that do not retrieve (`migrate`, `stats`, imports) start without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from knowledge.dates import date_range
from knowledge.queries import (
    centre_contacts,
    find_services,
    find_trainings,
    job_card,
    known_cities,
    match_job,
    resolve_city,
    suggest_jobs,
    upcoming_workshops,
)
from knowledge.requests_log import (
    callbacks,
    forget_sender,
    mark_callback_handled,
    purge,
    record_callback,
    record_unanswered,
    retention_days,
    unanswered,
)
from knowledge.text import canonical, mentioned

if TYPE_CHECKING:
    from knowledge.passages import PassageMatch
    from knowledge.schemas import FaqMatch


def search_faq(question: str, limit: int = 3, regions: frozenset[str] | None = None) -> list[FaqMatch]:
    """The published FAQ entries closest to `question` (of `regions` and of every region, when given), best first,
    each with its score (0 to 1)."""
    from knowledge.faq import RETRIEVER  # loaded where retrieval is used only

    return RETRIEVER.search(question, limit=limit, regions=regions)


def faq_words(entry_id: str) -> frozenset[str]:
    """The stems the phrasings of FAQ entry `entry_id` say, and those said by many entries' phrasings: a question
    matching the entry asks what it says besides them."""
    from knowledge.faq import RETRIEVER  # loaded where retrieval is used only

    return RETRIEVER.words_of(entry_id)


def is_gibberish(text: str) -> bool:
    """Whether `text` reads as keyboard mashing rather than words (spaCy's French vocabulary)."""
    from knowledge.faq import is_gibberish as gibberish  # loaded where retrieval is used only

    return gibberish(text)


def best_passage(question: str, regions: frozenset[str] | None = None,
                 anchor: str | None = None) -> PassageMatch | None:
    """The sentences of the published documents (of `regions` and of every region, when given) that best answer
    `question`, with a score (0 to 1), if any; the `anchor` document (the last answered from) favoured."""
    from knowledge.passages import PASSAGES  # loaded where retrieval is used only

    return PASSAGES.best(question, regions, anchor)


__all__ = [
    "best_passage", "callbacks", "canonical", "centre_contacts", "date_range", "faq_words", "find_services",
    "find_trainings", "forget_sender", "is_gibberish", "job_card", "known_cities", "mark_callback_handled", "match_job",
    "mentioned", "purge", "record_callback", "record_unanswered", "resolve_city", "retention_days", "search_faq",
    "suggest_jobs", "unanswered", "upcoming_workshops",
]
