"""What a message is within a conversation: a question, a follow-up on the previous subject, and its subject.

Used by the guided forms (a question asked instead of an answer is answered, then the form resumes) and by
the answer decision (« et c'est payant ? » after an answer about a programme is about that programme).
"""

from __future__ import annotations

import re

from knowledge.text import STOPWORDS, fold, tokens

OPENERS = (  # folded starts of a question, with or without a question mark
    "qu ", "que ", "quoi", "quel", "comment", "combien", "cmb ", "ou ", "quand", "pourquoi", "pk ", "pq ",
    "est ce", "c est quoi", "c est ou", "c est combien", "c est qui", "c est quand", "il faut", "faut il",
    "y a t il", "ya t il", "il y a", "peut on", "on peut", "je peux", "puis je", "est il", "est elle",
    "a quelle", "a quel", "en quelle", "en quoi", "par qui", "avec qui", "pour qui", "de quoi", "qui ", "c ou ",
    "c koi", "c quoi", "c qui", "cest quoi", "cest ou", "koi ", "kel",
)
LEADS = ("et ", "mais ", "du coup ", "alors ", "sinon ")  # « et pour les lycéens ? »
POINTERS = frozenset({"ca", "cela", "il", "ils", "elle", "elles", "y", "en", "leur", "lui", "celui", "celle",
                      "ceux", "celles", "dessus"})
# « c'est payant ? », « c'était quand ? », not « c'est quoi l'académie IBM ? »
THIS_IS = re.compile(r"^(?:(?:et|mais) )?c (?:est|etait|sera)(?: \w+){0,2}$")
FOLLOW_UP_WORDS = 8  # a follow-up is short: a longer message states its own subject
FILLER = frozenset({"connais", "connaissez", "parle", "parlez", "parler", "explique", "expliquez", "presente",
                    "presentez", "dit", "quoi", "comment", "combien", "quand", "pourquoi", "ya", "c", "cest",
                    "koi", "kel", "kelle", "stp", "svp", "question", "info", "infos", "information", "informations"})


def is_question(text: str) -> bool:
    """Whether `text` asks something (a question mark, or a French question opening)."""
    folded = f"{fold(text)} "
    return text.rstrip().endswith("?") or folded.startswith(OPENERS)


def is_follow_up(text: str) -> bool:
    """Whether a short message points back at what was just said (« et c'est payant ? », « ça dure
    combien de temps ? », « c'était quand ? ») rather than naming a subject of its own."""
    words = tokens(text)
    if not words or len(words) > FOLLOW_UP_WORDS:
        return False
    joined = " ".join(words)
    return f"{joined} ".startswith(LEADS) or bool(THIS_IS.match(joined)) or any(word in POINTERS for word in words)


def subject_of(text: str) -> str:
    """The words of `text` that name what it is about (« l'Académie IBM » in « c'est quoi l'Académie IBM ? »),
    as typed, for a follow-up to be searched with."""
    kept = [word for word in text.replace("’", "'").split()
            if (folded := fold(word.split("'")[-1])) and folded not in STOPWORDS and folded not in FILLER]
    return " ".join(word.strip("?!.,;:«»\"()").split("'")[-1] for word in kept).strip()


def with_subject(text: str, subject: str | None) -> str:
    """The text to search for a follow-up: the message, then the subject it refers to."""
    return f"{text.rstrip()} ({subject})" if subject else text
