"""Questions asking who, and the people, organisations and places a text names (spaCy's French model, its named
entities).

« Quelle élue est chargée du numérique ? » is answered by a text naming someone: an FAQ entry on the right
subject that names nobody, or only others, does not answer it, where a document sentence naming the person does.
"""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.text import STOPWORDS, fold

ROLES = (  # folded, singular: « quel(le) … » asking for a person by their role
    "elu", "elue", "conseiller", "conseillere", "president", "presidente", "vice president", "vice presidente",
    "maire", "directeur", "directrice", "dirigeant", "dirigeante", "responsable", "journaliste", "personne",
    "fondateur", "fondatrice", "ministre", "depute", "deputee", "interlocuteur", "interlocutrice",
)
# « qui » first (after a filler), « c'est qui », « par qui », « de qui », « il y avait qui », « quel(le) » and a role;
# not « qui peut » (a public: answer_types) nor a relative « qui » (« les entreprises qui ont répondu »)
_WHO = re.compile(
    r"^(?:(?:et|mais|alors|au|fait|bon|ok|slt|salut|bonjour|sinon|donc|du|coup|euh|dis|dites|moi|att|attends) )*"
    r"(?:qui|ki)\b(?! (?:peut|peuvent|est concerne|sont concernes|est vise))"
    r"|\b(?:c est|c|cest) (?:qui|ki)\b|\b(?:par|de) (?:qui|ki)\b|\b(?:y a|ya|y avait|il y a|il y avait) (?:qui|ki)\b"
    rf"|\bquel(?:le)?s? (?:est |sont |etait )?(?:l |le |la |les )?(?:{'|'.join(ROLES)})s?\b"
)
_PARTS = re.compile(r"[.?!;:,]")  # « qui » may come first in any sentence or clause of a long message


def asks_who(question: str) -> bool:
    """Whether `question` asks for a person: « qui a inauguré… ? », « c ki ? », « quelle élue… ? »; not for a
    public (« c'est pour qui ? »)."""
    return any(_WHO.search(fold(part)) for part in _PARTS.split(question))


def _entities(text: str) -> tuple[tuple[str, str], ...]:
    """The named entities of `text`, folded, with their label (PER, ORG, LOC, MISC)."""
    from knowledge.faq import french  # loads retrieval: only when a name is first looked for

    return tuple((fold(entity.text), entity.label_) for entity in french()(text).ents)


@lru_cache(maxsize=4096)
def people(text: str) -> frozenset[str]:
    """The people `text` names, folded (« Marie-Thérèse Mercier » → « marie therese mercier »). Kept in memory: it
    reads only the store's texts (FAQ answers, document sentences, answers said), never a person's message."""
    return frozenset(name for name, label in _entities(text) if label == "PER")


def proper_names(text: str) -> frozenset[str]:
    """The people, organisations and places `text` names, folded (« ca » read as an organisation is « ça »)."""
    return frozenset(name for name, _ in _entities(text) if not set(name.split()) <= STOPWORDS)


def names_another(question: str, answer: str) -> bool:
    """Whether `question` names a person, an organisation or a place that `answer` does not (« et pour IBM, qui a
    pris la parole ? » after an answer on the Groupe Nicollin)."""
    said = f" {fold(answer)} "
    return any(f" {name} " not in said for name in proper_names(question))


def names_someone_else(question: str, answer: str, sentences: list[str]) -> bool:
    """Whether, for a question asking who, the `sentences` name someone `answer` does not name."""
    if not asks_who(question) or not sentences:
        return False
    named = people(answer)
    return any(person not in named for sentence in sentences for person in people(sentence))
