"""What kind of answer a question expects, and whether a sentence can hold it.

« Combien… ? » is answered by a sentence with a figure, « quand… ? » by one with a date: among the sentences
of a document that mention the subject asked about, the one holding that kind of answer is usually the one
that answers. Passage retrieval gives such sentences a small bonus (`knowledge.passages`).
"""

from __future__ import annotations

import re
from enum import Enum

from knowledge.text import fold, says

MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
          "novembre", "decembre")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH = re.compile(rf"\b(?:{'|'.join(MONTHS)})\b")
_FIGURE = re.compile(rf"\b\d+(?: \d{{3}})*\b(?! (?:{'|'.join(MONTHS)})\b)")  # not a year, not a day of a month
NUMBER_MARKERS = ("combien", "cb", "cmb", "nombre", "montant", "budget", "pourcentage", "quelle part",
                  "quelle somme", "quel age")
DATE_MARKERS = ("quand", "quelle annee", "quelle date", "depuis quand", "quelle periode", "quel mois", "quel jour")


class AnswerType(str, Enum):
    FIGURE = "figure"
    DATE = "date"


def expected(question: str) -> set[AnswerType]:
    """The kinds of answer `question` asks for: a figure (« cb de chômeurs ? »), a date (« c'était quand ? »)."""
    return ({AnswerType.FIGURE} if says(question, NUMBER_MARKERS) else set()) | (
        {AnswerType.DATE} if says(question, DATE_MARKERS) else set())


def holds(sentence: str, kind: AnswerType) -> bool:
    """Whether `sentence` states a figure (a year or a day of a month is no figure) or a date."""
    folded = fold(sentence)
    if kind is AnswerType.FIGURE:
        return bool(_FIGURE.search(_YEAR.sub(" ", folded)))
    return bool(_YEAR.search(folded) or _MONTH.search(folded))
