"""The kind of answer a question asks for, and the sentences that can hold it."""

from __future__ import annotations

import pytest

from knowledge.answer_types import AnswerType, expected, holds, only_passage_holds, passage_says_more
from knowledge.faq import Entry, known_words


@pytest.mark.parametrize(("question", "kinds"), [
    ("ya eu cb d'entrepreneurs au forum ?", {AnswerType.COUNT}),
    ("cb de places dans l'academie IBM ?", {AnswerType.COUNT}),
    ("Combien la Région a-t-elle investi ?", {AnswerType.AMOUNT}),
    ("et c payant ?", {AnswerType.AMOUNT}),
    ("ça dure combien de temps ?", {AnswerType.DURATION}),
    ("Quel pourcentage de retour à l'emploi ?", {AnswerType.FIGURE}),
    ("c'est combien de personnes ?", {AnswerType.COUNT}),  # a count, though « c'est combien » asks a price
    ("le forum c'était quand ?", {AnswerType.DATE}),
    ("En quelle année NEGE est-il né ?", {AnswerType.DATE}),
    ("le campus il ouvre qd", {AnswerType.DATE}),  # SMS spelling
    ("slt c ou exactement la cite ?", {AnswerType.PLACE}),
    ("Où se trouvent les locaux de la Cité ?", {AnswerType.PLACE}),
    ("l'academie IBM c pour qui ?", {AnswerType.PUBLIC}),
    ("l'academie ibm c pour ki en fait ?", {AnswerType.PUBLIC}),
    ("À combien s'élève le soutien de la Région à cette initiative ?", {AnswerType.AMOUNT}),
    ("l'exploratoire des métiers, ça concerne qui ?", {AnswerType.PUBLIC}),
    ("et l'academie IBM c pr les lyceens aussi ?", {AnswerType.PUBLIC}),  # whether it is for them: its public
    ("Le campus est-il ouvert aux adultes en reconversion ?", {AnswerType.PUBLIC}),
    ("Qui est Etienne Blanc ?", set()),
    ("c quoi le campus numérique ?", set()),
])
def test_expected_kinds(question: str, kinds: set[AnswerType]) -> None:
    assert expected(question) == kinds


@pytest.mark.parametrize(("sentence", "figure", "date"), [
    ("L'Académie IBM forme 25 demandeurs d'emploi.", True, False),
    ("La Région y consacre 273 000 euros.", True, False),
    ("80 % des métiers de 2030 n'existent pas encore.", True, True),
    ("Le forum s'est tenu le 5 novembre 2018.", False, True),  # a day of a month and a year are no figure
    ("La convention a été signée en 2019.", False, True),
    ("La Cité veut fédérer son écosystème.", False, False),
    ("Les six défis clés de la Cité ont été identifiés après une enquête.", True, False),  # a figure in words
    ("C'était une promesse de campagne, tenue en septembre.", False, True),  # « une », « septembre »: no figure
])
def test_sentences_holding_a_figure_or_a_date(sentence: str, figure: bool, date: bool) -> None:
    assert holds(sentence, AnswerType.FIGURE) is figure
    assert holds(sentence, AnswerType.DATE) is date


@pytest.mark.parametrize(("sentence", "kinds"), [
    ("La formation de l'Académie IBM est un cursus de 18 mois.", {AnswerType.DURATION}),
    ("La Région soutient l'Académie IBM à hauteur de 273 000 €.", {AnswerType.AMOUNT}),
    ("Le budget atteint 2 millions d'euros.", {AnswerType.AMOUNT}),
    ("L'Académie IBM forme 25 demandeurs d'emploi.", {AnswerType.COUNT}),
    ("NEGE affiche un taux de retour à l'emploi de 90 %.", {AnswerType.COUNT}),
    ("Un cursus de 18 mois pour 25 demandeurs d'emploi.", {AnswerType.DURATION, AnswerType.COUNT}),
])
def test_figures_of_each_kind(sentence: str, kinds: set[AnswerType]) -> None:
    """A duration or an amount is a figure, but no count (« combien de places ? » is not « 18 mois »)."""
    figures = {AnswerType.COUNT, AnswerType.DURATION, AnswerType.AMOUNT}
    assert {kind for kind in figures if holds(sentence, kind)} == kinds
    assert holds(sentence, AnswerType.FIGURE)


@pytest.mark.parametrize(("sentence", "place", "public"), [
    ("La CEMD occupe des locaux de 3 000 m² dans le quartier Odysseum, à Montpellier.", True, False),
    ("L'Académie IBM forme 25 demandeurs d'emploi à l'intelligence artificielle.", False, True),
    ("L'exploratoire des métiers s'adresse aux citoyens.", False, True),
    ("La formation de l'Académie IBM est un cursus de 18 mois.", False, False),
])
def test_sentences_naming_a_place_or_a_public(sentence: str, place: bool, public: bool) -> None:
    assert holds(sentence, AnswerType.PLACE) is place
    assert holds(sentence, AnswerType.PUBLIC) is public


def test_only_the_passage_holds_what_is_asked_for() -> None:
    entry = "NEGE sélectionne, forme et réinsère des demandeurs d'emploi avec les entreprises de la région."
    passage = ["NEGE affiche un taux de retour à l'emploi de 90 %."]
    assert only_passage_holds("cmb de gens retrouvent un taf apres NEGE ?", entry, passage)  # a figure
    assert not only_passage_holds("cmb de gens ?", entry + " Il forme 200 stagiaires.", passage)  # in both
    assert not only_passage_holds("à quoi sert NEGE ?", entry, passage)  # no kind of answer asked for
    fee = ["La Région a versé 273 000 € à l'Académie IBM."]
    assert not only_passage_holds("c'est payant ?", "Non, c'est entièrement gratuit.", fee)  # « gratuit » answers
    people = ["Juliette Jarry est vice-présidente chargée du Numérique."]
    assert only_passage_holds("Quelle élue est chargée du numérique ?", entry, people)  # someone (knowledge.people)


CAMPUS = "Le Campus numérique est un projet de la Région, installé dans l'ancien siège de la Région à Charbonnières."
PLANS = ["Le campus numérique de Charbonnières doit être accessible sur les plans géographique, culturel et financier."]
TITLE = "Le futur campus numérique de Charbonnières"


def test_a_passage_saying_the_words_asked_wins_over_an_entry_matching_the_subject_only() -> None:
    known = known_words([Entry("campus", ["c'est quoi le campus numérique ?", "le campus de Charbonnières"], CAMPUS,
                               [], False)])["campus"]
    assert passage_says_more("le campus doit etre accessible a tous, mais sur quels plans ?", CAMPUS, PLANS, TITLE,
                             known)
    assert not passage_says_more("le campus, il est accessible ?", CAMPUS, PLANS, TITLE, known)  # one word only
    assert not passage_says_more("c'est quoi le campus numérique de Charbonnières ?", CAMPUS, PLANS, TITLE, known)
    assert not passage_says_more("le campus est accessible sur quels plans, dans l'ancien siège ?", CAMPUS, PLANS,
                                 TITLE, known)  # the answer says a word asked that the passage does not
    risk = ["Le risque évoqué pour Charbonnières est celui d'un campus isolé."]
    assert passage_says_more("c'est quoi le risque évoqué pour le campus ?", CAMPUS, risk, "Un campus", known)
    assert not passage_says_more("c'est quoi le risque évoqué pour le campus ?", CAMPUS, risk,
                                 "Le risque évoqué pour Charbonnières", known)  # its title's words: the subject


def test_words_in_many_entries_phrasings_are_known_for_every_entry() -> None:
    entries = [Entry(f"e{i}", [f"combien de sujet{i} ?"], "", [], False) for i in range(30)]
    known = known_words(entries)
    assert {"combien", "sujet3"} <= known["e3"] and "sujet4" not in known["e3"]
