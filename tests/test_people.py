"""Questions asking who, and the people a text names (knowledge.people)."""

from __future__ import annotations

import pytest

from knowledge.people import asks_who, names_someone_else, people


@pytest.mark.parametrize(("question", "who"), [
    ("Qui a inauguré la Cité ?", True),
    ("et Guillaume Héritier, au forum, c'est qui déjà ?", True),
    ("Quelle conseillère régionale a parlé des TPE-PME ?", True),
    ("Je dirige une PME à Lyon. Au fait, qui préside la Région ?", True),  # « qui » first in a later clause
    ("Il a été inauguré par qui ?", True),
    ("Un dirigeant du Groupe Nicollin a parlé des véhicules autonomes : de qui s'agit-il ?", True),
    ("et il y avait qui d'autre ce jour-là ?", True),
    ("le campus c pour qui ?", False),  # a public (knowledge.answer_types)
    ("qui peut s'inscrire à l'Académie ?", False),
    ("les entreprises qui ont répondu étaient combien ?", False),  # a relative « qui »
    ("c'est quoi le campus ?", False),
])
def test_questions_asking_who(question: str, who: bool) -> None:
    assert asks_who(question) is who


def test_people_named_are_found_by_the_french_model() -> None:
    assert people("Selon Marie-Thérèse Mercier, conseillère régionale, la CEMD aidera les PME.") == {
        "marie therese mercier"}
    assert people("La Région Grand Est a signé avec Syntec Numérique.") == frozenset()


def test_a_passage_naming_someone_the_faq_answer_does_not() -> None:
    faq = "Dès 2018, la Région expliquait que les TPE-PME n'ont pas le même niveau d'information face au digital."
    passage = ["Marie-Thérèse Mercier, conseillère régionale, souligne que les TPE et PME n'ont pas le même niveau "
               "d'information sur le digital."]
    assert names_someone_else("Quelle conseillère régionale a dit ça ?", faq, passage)
    assert not names_someone_else("Pourquoi la Région a dit ça ?", faq, passage)  # no person asked for
    assert not names_someone_else("Qui a dit ça ?", faq + " Selon Marie-Thérèse Mercier.", passage)  # named in both
