"""The answer decision: which source answers a question, the FAQ, a document or the catalogue.

NLU says what kind of question it is; the scores say what the store actually knows. A catalogue request
(an intent of the catalogue with a filter, or asking for a list) gets the catalogue; otherwise a confident
FAQ entry, then a confident document passage, answers; below both the catalogue intent keeps its listing
and any other question is admitted unanswered. The thresholds were chosen by cross-validation on the
training phrasings (`python -m bench.decision_tuning`), never on a held-out set.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from knowledge.faq import THRESHOLD as FAQ_THRESHOLD
from knowledge.text import fold

CATALOGUE_INTENTS = frozenset({"ask_services", "ask_workshops", "ask_trainings", "ask_job_info", "explore_jobs"})
FALLBACK_FAQ_THRESHOLD = 0.4  # when NLU itself was unsure (nlu_fallback)
PASSAGE_THRESHOLD = 0.25
FAQ_OVER_CATALOGUE = 0.475  # a catalogue intent without a request for a list gives way above these
PASSAGE_OVER_CATALOGUE = 0.4
LIST_MARKERS = (
    "a venir", "prochain", "prochains", "prochaine", "prochaines", "liste", "lister", "catalogue", "programme",
    "agenda", "tous les", "toutes les", "vos ateliers", "vos formations", "vos services", "vos evenements",
    "proposez", "proposes", "avez vous", "vous avez", "t as", "y a t il des", "il y a des", "cherche",
    "recherche", "besoin",
)


class Source(str, Enum):
    FAQ = "faq"
    PASSAGE = "passage"
    CATALOGUE = "catalogue"
    UNKNOWN = "unknown"  # admitted, logged for staff
    OUT_OF_SCOPE = "out_of_scope"  # not our subject: say so and show the menu


@dataclass(frozen=True)
class Question:
    intent: str
    wants_catalogue: bool  # a catalogue filter (topic, city, dates, job...) or a request for a list
    faq_score: float
    passage_score: float


def asks_for_list(text: str) -> bool:
    """Whether the message asks for offers rather than for a fact ("quels ateliers à venir ?")."""
    padded = f" {fold(text)} "
    return any(f" {marker} " in padded for marker in LIST_MARKERS)


def decide(question: Question) -> Source:
    """The source that answers `question`."""
    if question.intent in CATALOGUE_INTENTS:
        if question.wants_catalogue:
            return Source.CATALOGUE
        if question.faq_score >= FAQ_OVER_CATALOGUE:
            return Source.FAQ
        if question.passage_score >= PASSAGE_OVER_CATALOGUE:
            return Source.PASSAGE
        return Source.CATALOGUE
    faq_threshold = FALLBACK_FAQ_THRESHOLD if question.intent == "nlu_fallback" else FAQ_THRESHOLD
    if question.faq_score >= faq_threshold:
        return Source.FAQ
    if question.passage_score >= PASSAGE_THRESHOLD:
        return Source.PASSAGE
    return Source.OUT_OF_SCOPE if question.intent == "out_of_scope" else Source.UNKNOWN
