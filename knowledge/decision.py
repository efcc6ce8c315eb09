"""The answer decision: which source answers a question, the FAQ, a document or the catalogue.

NLU says what kind of question it is; the scores say what the store actually knows. A catalogue request
(an intent of the catalogue with a filter, or asking for a list) gets the catalogue; otherwise a sure FAQ
entry, a strong document passage (more precise than a loosely matching entry), then whichever is confident
answers; below both, a catalogue intent keeps its listing and any other question is admitted unanswered. A
question pointing back at the fact just answered, or asking for a fact, read as a wish to explore jobs (« Quel poste
occupe-t-il ? », « ya eu des galeres avec l'ancien maire ? c'etait qui »), is about that fact: it gets a fact or an
honest « je ne sais pas », never the jobs guide, which would hold the next turns too. Pointing back, read as
another catalogue intent and naming no offer, it gets a fact above the ordinary thresholds, else its listing: the
catalogue holds some of the documents' facts (the campus's services, the Lab's challenges).
A question on a fact (who, how many, when, why, « quelle élue… ») is weighed as any question is, whatever
the intent: a catalogue listing never carries the fact it asks for, so it comes only when no fact does. A question
asking who or how many gets the passage above its threshold when it names someone or holds a figure and the FAQ
answer does not (knowledge.answer_types.only_passage_holds); so does a question whose asked words the passage says and
the FAQ answer does not (passage_says_more: the entry matched only the subject).
The thresholds were chosen by cross-validation on the training phrasings (`python -m bench.decision_tuning`),
never on a held-out set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from knowledge.faq import THRESHOLD as FAQ_THRESHOLD
from knowledge.text import fold, says
from knowledge.turns import asked_sentences

CATALOGUE_INTENTS = frozenset({"ask_services", "ask_workshops", "ask_trainings", "ask_job_info", "explore_jobs"})
FALLBACK_FAQ_THRESHOLD = 0.4  # when NLU itself was unsure (nlu_fallback)
PASSAGE_THRESHOLD = 0.325
FAQ_OVER_CATALOGUE = 0.475  # a catalogue intent without a request for a list gives way above these
PASSAGE_OVER_CATALOGUE = 0.425
FAQ_OVER_REQUEST = 0.85  # ... and with a request only above these (the catalogue kept for 97 % of requests)
PASSAGE_OVER_REQUEST = 0.6
FAQ_SURE = 0.6  # below it, a strong passage is preferred to the FAQ entry (it states the precise fact)
PASSAGE_STRONG = 0.375
LIST_MARKERS = (
    "a venir", "prochain", "prochains", "prochaine", "prochaines", "liste", "lister", "catalogue", "programme",
    "agenda", "tous les", "toutes les", "vos ateliers", "vos formations", "vos services", "vos evenements",
    "proposez", "proposes", "avez vous", "vous avez", "t as", "y a t il des", "il y a des", "cherche",
    "recherche", "jcherche", "besoin", "m aider", "maider", "aide moi", "aidez moi",
    "m orienter",  # « tu peux m'aider à … »
)
FACT_MARKERS = (  # a question on a figure, a date, a person or a reason asks for a fact, even with a city in it
    "combien", "cmb", "quand", "qui est", "qui sont", "qui a", "c est qui", "pourquoi", "pk", "pq", "depuis quand",
    "en quelle annee", "quelle date",
    "quel pourcentage", "quel montant", "quel budget", "quel nombre", "le nombre",
    # who, where, what it means (each found in the FAQ phrasings and in no catalogue example: bench.decision_tuning)
    "c qui", "a qui", "pour qui", "avec qui", "de qui", "par qui", "c etait", "est il", "est elle", "a t elle",
    "ou se trouve", "ou se trouvent", "ou se situe", "ou sera", "ou seront", "ou devait", "ou est la", "ou est le",
    "c est ou", "veut dire", "signifie", "s appelle", "sert a quoi", "a quoi sert", "de quoi",
    "cetait", "cest qui", "cest quand", "cest ou", "sappelle", "qd",  # without the apostrophe (« cetait qui »)
    # the same in SMS spelling (none in a catalogue example either)
    "cb", "kan", "c ki", "ki est", "ki sont", "ki a", "a ki", "pour ki", "avec ki", "de ki", "par ki",
    "touche qui", "touche ki", "concerne qui", "concerne ki",
)

WHAT_IS = ("c est quoi", "c quoi", "c koi", "cest quoi", "c est koi", "cest koi", "c etait quoi")  # SMS spellings too
WHAT = ("qu est ce que", "qu est ce qu", "qu est ce qui")  # a fact, unless it asks what is offered: « qu'est-ce que
# vous proposez », « qu'est-ce qui existe comme ateliers »
OFFERING = frozenset({"peut", "peux", "pouvez", "peuvent", "pourrait", "pourriez", "propose", "proposez", "proposes",
                      "proposent", "offre", "offrez", "faire", "existe", "existent", "passe"})

WHICH = frozenset({"quel", "quelle", "quels", "quelles"})
LINKING = frozenset({"est", "sont", "etait", "etaient", "sera", "seront", "serait", "le", "la", "les", "l", "un",
                     "une", "des", "de", "d", "du", "type", "types", "genre", "sorte", "sortes", "autre", "autres"})
OFFERS = frozenset({  # folded, without a final s or x: the catalogue's offers, asked for by « quel(le)s … »
    "atelier", "formation", "service", "evenement", "metier", "offre", "accompagnement", "aide", "dispositif",
    "programme", "webinaire", "conference", "stage", "cour", "emploi", "poste", "job", "filiere", "cursu",
    "diplome", "certification", "prochain", "prochaine", "rendez", "animation", "solution", "prestation",
})


NAMED_KINDS = {  # folded, without a final s: the offer a message names, and the catalogue intent that lists it
    "atelier": "ask_workshops", "evenement": "ask_workshops", "conference": "ask_workshops",
    "webinaire": "ask_workshops", "formation": "ask_trainings", "cursu": "ask_trainings",
    "service": "ask_services", "accompagnement": "ask_services",
}
# folded: a wish to find a job (the jobs guide), not « la Cité des métiers de demain » nor « recruter sur des métiers
# d'avenir »
JOB_GUIDE = re.compile(
    r"\b(?:trouver|chercher|cherche|jcherche|choisir|changer de|decouvrir)(?: \w+){0,2}? (?:metiers?|voie)\b")


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
    asks_fact: bool = False  # a question on a figure, a date, a person or a reason (asks_for_fact)
    only_passage_holds: bool = False  # the passage holds what it asks for (a kind of answer, words), the FAQ answer not
    follows_fact: bool = False  # a question pointing back at the fact just answered (« il occupe quel poste ? »)
    about_jobs: bool = False  # the message speaks of the person or of jobs (« pk pas, des idées de métiers ? »)


def asks_for_list(text: str) -> bool:
    """Whether the message asks for offers rather than for a fact ("quels ateliers à venir ?"), in the sentences that
    ask something when some do (« Vos locaux font quelle superficie ? Nous aurions besoin d'une salle. » asks for a
    figure)."""
    return says(asked_sentences(text), LIST_MARKERS)


def named_request(text: str) -> str | None:
    """The catalogue intent of a message that asks for a list of offers it names (« avez-vous des ateliers sur la
    vente en ligne ? »), or for help to find a job of the future (« tu peux m'aider à trouver un métier du
    futur ? »: the jobs guide), whatever NLU read; None for anything else, a question on a fact included."""
    if not asks_for_list(text) or asks_for_fact(text):
        return None
    folded = fold(text)
    named = next((NAMED_KINDS[w.rstrip("sx")] for w in folded.split() if w.rstrip("sx") in NAMED_KINDS), None)
    return named or ("explore_jobs" if JOB_GUIDE.search(folded) else None)


def names_offer(text: str) -> bool:
    """Whether the message names an offer of the catalogue (« des ateliers là-dessus ? », « et les formations ? »)."""
    return any(word.rstrip("sx") in NAMED_KINDS for word in fold(text).split())


def _asks_which_thing(words: list[str]) -> bool:
    """« quel(le)(s) » followed by anything but an offer of the catalogue (« quelle élue », « quel type de
    financement », not « quelles formations », « quels sont les ateliers »)."""
    for at, word in enumerate(words):
        if word not in WHICH:
            continue
        rest = [w for w in words[at + 1:at + 6] if w not in LINKING]
        if rest and rest[0].rstrip("sx") not in OFFERS:
            return True
    return False


def asks_what_is(folded: str) -> bool:
    """« c'est quoi » / « c koi » about anything but an offer of the catalogue (« c koi le truc d'informatique
    quantique d'IBM ? », « l'Académie IBM c quoi ? », not « c quoi les formations pour être data analyst »);
    « qu'est-ce que … » unless it asks what is offered (« qu'est-ce que la Cité peut faire pour nous ? »)."""
    padded = f" {folded} "
    for marker in WHAT_IS:
        at = padded.find(f" {marker} ")
        if at < 0:
            continue
        rest = [w for w in padded[at + len(marker) + 2:].split()[:5] if w not in LINKING]
        if not rest or rest[0].rstrip("sx") not in OFFERS:
            return True
    for marker in WHAT:
        at = padded.find(f" {marker} ")
        if at >= 0 and not OFFERING & set(padded[at + len(marker) + 2:].split()[:5]):
            return True
    return False


def asks_for_fact(text: str) -> bool:
    """Whether the message asks for a figure, a date, a person, a reason or which thing ("combien d'entreprises
    à Lyon ?", "quelle élue a dit…", "c koi le SRDEII ?"), rather than for offers."""
    folded = fold(text)
    return (folded.startswith("qui ") or says(text, FACT_MARKERS) or _asks_which_thing(folded.split())
            or asks_what_is(folded))


def _fact(question: Question, faq_minimum: float, passage_minimum: float) -> Source | None:
    """A passage holding what is asked for (someone, a figure) where the FAQ answer does not, a sure FAQ entry, else
    a strong passage
    (more precise than a loosely matching entry), else whichever reaches its minimum; None when neither does."""
    if question.only_passage_holds and question.passage_score >= passage_minimum:
        return Source.PASSAGE
    if question.faq_score >= max(faq_minimum, FAQ_SURE):
        return Source.FAQ
    if question.passage_score >= max(passage_minimum, PASSAGE_STRONG):
        return Source.PASSAGE
    if question.faq_score >= faq_minimum:
        return Source.FAQ
    if question.passage_score >= passage_minimum:
        return Source.PASSAGE
    return None


def decide(question: Question) -> Source:
    """The source that answers `question`."""
    about_a_fact = question.follows_fact or (question.asks_fact and not question.about_jobs)
    if question.intent == "explore_jobs" and about_a_fact and not question.wants_catalogue:
        return _fact(question, FAQ_THRESHOLD, PASSAGE_THRESHOLD) or Source.UNKNOWN  # admitted, not the jobs guide
    if question.intent in CATALOGUE_INTENTS and question.follows_fact and not question.wants_catalogue:
        return _fact(question, FAQ_THRESHOLD, PASSAGE_THRESHOLD) or Source.CATALOGUE
    if question.intent in CATALOGUE_INTENTS and question.asks_fact:
        return _fact(question, FAQ_THRESHOLD, PASSAGE_THRESHOLD) or Source.CATALOGUE
    if question.intent in CATALOGUE_INTENTS:
        if question.wants_catalogue:
            return _fact(question, FAQ_OVER_REQUEST, PASSAGE_OVER_REQUEST) or Source.CATALOGUE
        return _fact(question, FAQ_OVER_CATALOGUE, PASSAGE_OVER_CATALOGUE) or Source.CATALOGUE
    faq_minimum = FALLBACK_FAQ_THRESHOLD if question.intent == "nlu_fallback" else FAQ_THRESHOLD
    fact = _fact(question, faq_minimum, PASSAGE_THRESHOLD)
    return fact or (Source.OUT_OF_SCOPE if question.intent == "out_of_scope" else Source.UNKNOWN)
