"""What kind of answer a question expects, and whether a sentence can hold it.

« Combien… ? » is answered by a sentence with a figure (« combien de temps ? » by a duration, « ça coûte
combien ? » by an amount, « combien de places ? » by a count, neither a duration nor an amount), « quand… ? » by
one with a date, « c'est où ? » by one naming a place, « c'est pour qui ? » by one naming a public: among the
sentences of a document that mention the subject asked about, the one holding that kind of answer is usually the
one that answers. Passage retrieval gives such sentences a small bonus (`knowledge.passages`).
"""

from __future__ import annotations

import re
from enum import Enum

from knowledge.people import names_someone_else
from knowledge.text import fold, says, stems

MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
          "novembre", "decembre")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH = re.compile(rf"\b(?:{'|'.join(MONTHS)})\b")
NUMBER_WORDS = ("deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze", "quinze",
                "vingt", "trente", "quarante", "cinquante", "soixante", "cent", "cents", "mille")  # « les six défis »
_FIGURE = re.compile(  # not a year, not a day of a month
    rf"\b\d+(?: \d{{3}})*\b(?! (?:{'|'.join(MONTHS)})\b)|\b(?:{'|'.join(NUMBER_WORDS)})\b")
_NUMBER = r"\b\d+(?: \d{3})*(?: \d+)?"  # folded: « 1,5 » is « 1 5 », « 273 000 » stays
_DURATION = re.compile(rf"{_NUMBER} (?:mois|ans?|annees?|semaines?|jours?|heures?|h)\b")
_AMOUNT = re.compile(rf"{_NUMBER} (?:(?:millions?|milliards?|mds?|k) )?(?:d )?(?:eur|euros?|meur|keur)\b")
_PLACE = re.compile(  # « s'adresse à » is no address
    r"\b(?:quartier|rue|avenue|boulevard|locaux|situee?s?|installee?s?|siege|(?<!s )adresse|batiment|site)\b")
_PUBLIC = re.compile(  # folded, singular or plural
    r"\b(?:demandeu(?:r|se)s? d emploi|jeunes?|etudiants?|lyceens?|eleves?|citoyens?|salarie(?:e|s|es)?|"
    r"chomeurs?|apprentis?|adultes?|seniors?|femmes?|filles?|particuliers?|habitants?|tous|tout public|"
    r"grand public|porteurs? de projets?|chercheurs?|pme|tpe|start ups?|entreprises?|createurs? d entreprise)\b")
NUMBER_MARKERS = ("combien", "cb", "cmb", "nombre", "montant", "budget", "pourcentage", "quelle part",
                  "quelle somme", "quel age")
DATE_MARKERS = ("quand", "qd", "kan", "kand", "quelle annee", "quelle date", "depuis quand", "quelle periode",
                "quel mois", "quel jour")
PLACE_MARKERS = ("ou se trouve", "ou se trouvent", "ou se situe", "ou se situent", "ou est", "ou sont", "c ou",
                 "c est ou", "ou exactement", "a quel endroit", "quelle adresse", "quel quartier", "quelle ville",
                 "dans quelle ville", "ou ca", "etes ou", "ou sera", "ou seront", "ou devait")
DURATION_MARKERS = ("combien de temps", "cb de temps", "cmb de temps", "cb de tps", "combien de tps", "dure combien",
                    "duree", "ca dure", "pendant combien", "combien de mois", "combien d annees", "combien d ans",
                    "cb de mois")
AMOUNT_MARKERS = ("coute", "coutent", "cout", "couts", "prix", "payant", "payante", "tarif", "tarifs", "montant",
                  "budget", "somme", "investi", "investit", "subvention", "euros", "c est combien", "c combien",
                  "a hauteur de combien", "finance a hauteur", "combien d argent", "s eleve", "s elevait",
                  "s elevent")  # « à combien s'élève le soutien de la Région ? »
_COUNT = re.compile(r"\b(?:combien|cb|cmb|nombre) d(?:e|es)? (\w+)")  # « combien de places », « cb d'entreprises »
PUBLIC_MARKERS = ("pour qui", "concerne qui", "s adresse a qui", "a qui s adresse", "destine a qui", "ouvert a qui",
                  "quel public", "quels publics", "qui est concerne", "qui sont concernes", "qui est vise", "vise qui",
                  "qui peut", "qui peuvent", "pour ki", "pr qui", "pr ki",  # « l'academie ibm c pour ki ? »
                  # « c'est pour les lycéens aussi ? », « c pr les jeunes ? », « c'est ouvert aux adultes ? »
                  "c est pour les", "c pour les", "c pr les", "ouvert aux", "ouverte aux", "accessible aux",
                  "reserve aux", "reservee aux", "destine aux", "destinee aux")


class AnswerType(str, Enum):
    FIGURE = "figure"  # any figure (« combien ? »)
    COUNT = "count"  # a figure that is neither a duration nor an amount (« combien de places ? »)
    DURATION = "duration"
    AMOUNT = "amount"
    DATE = "date"
    PLACE = "place"
    PUBLIC = "public"


_MARKERS = {AnswerType.FIGURE: NUMBER_MARKERS, AnswerType.DATE: DATE_MARKERS, AnswerType.PLACE: PLACE_MARKERS,
            AnswerType.PUBLIC: PUBLIC_MARKERS}


def expected(question: str) -> set[AnswerType]:
    """The kinds of answer `question` asks for: a figure (« combien ? »), as a duration (« ça dure combien de
    temps ? »), an amount (« c'est payant ? ») or a count (« cb de chômeurs ? »); a date (« ça ouvre qd ? »), a
    place (« c'est où exactement ? »), a public (« c'est pour qui ? »)."""
    kinds = {kind for kind, markers in _MARKERS.items() if says(question, markers)}
    figure = _figure_asked(question)
    return (kinds - {AnswerType.FIGURE}) | {figure} if figure else kinds


def _figure_asked(question: str) -> AnswerType | None:
    """The kind of figure `question` asks for, when it asks for a duration, an amount or a count."""
    if says(question, DURATION_MARKERS):
        return AnswerType.DURATION
    counted = _COUNT.search(fold(question))  # « c'est combien de places ? » counts places, whatever « c'est combien »
    if counted and not counted.group(1).startswith(("euro", "argent")):
        return AnswerType.COUNT
    return AnswerType.AMOUNT if says(question, AMOUNT_MARKERS) or counted else None


def holds(sentence: str, kind: AnswerType) -> bool:
    """Whether `sentence` states a figure (a year or a day of a month is no figure) of the kind asked, a date, a place
    or a public."""
    folded = fold(sentence)
    if kind is AnswerType.FIGURE:
        return bool(_FIGURE.search(_YEAR.sub(" ", folded)))
    if kind is AnswerType.DURATION:
        return bool(_DURATION.search(folded))
    if kind is AnswerType.AMOUNT:
        return bool(_AMOUNT.search(folded))
    if kind is AnswerType.COUNT:
        return bool(_FIGURE.search(_AMOUNT.sub(" ", _DURATION.sub(" ", _YEAR.sub(" ", folded)))))
    if kind is AnswerType.DATE:
        return bool(_YEAR.search(folded) or _MONTH.search(folded))
    return bool((_PLACE if kind is AnswerType.PLACE else _PUBLIC).search(folded))


DECISIVE = frozenset({AnswerType.FIGURE, AnswerType.COUNT})  # detected surely enough to overrule a sure FAQ entry:
# an amount, a date, a place or a public may be said in words the patterns miss (« gratuit », « tous les mardis »,
# « à Montpellier »)


def only_passage_holds(question: str, answer: str, sentences: list[str]) -> bool:
    """Whether the passage's `sentences` hold a figure `question` asks for (« cmb de gens retrouvent un taf ? »), or
    name someone it asks for, where the FAQ `answer` does not."""
    kinds, passage = expected(question) & DECISIVE, " ".join(sentences)
    if kinds and not any(holds(answer, kind) for kind in kinds) and any(holds(passage, kind) for kind in kinds):
        return True
    return names_someone_else(question, answer, sentences)


SAYS_MORE = 2  # words asked that the passage says and the FAQ answer does not (one was as often wrong as right)


def passage_says_more(question: str, answer: str, sentences: list[str], title: str, known: frozenset[str]) -> bool:
    """Whether the passage's `sentences` say at least SAYS_MORE words of `question` that the FAQ `answer` does not,
    while the answer says none that the passage lacks. Only the words asked count: not those of the matched entry's
    phrasings nor common ones (`known`, knowledge.faq_words), nor the document's `title` (« c'est quoi le risque
    évoqué pour le campus de Charbonnières ? »: the campus entry is matched, the passage says the risk)."""
    asked = stems(question) - known - stems(title)
    in_answer, in_passage = asked & stems(answer), asked & stems(" ".join(sentences))
    return len(in_passage - in_answer) >= SAYS_MORE and not in_answer - in_passage
