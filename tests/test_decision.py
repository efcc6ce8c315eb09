"""The answer decision, branch by branch (knowledge.decision, no Rasa)."""

from __future__ import annotations

import pytest

from knowledge.decision import (
    FALLBACK_FAQ_THRESHOLD,
    FAQ_OVER_CATALOGUE,
    FAQ_OVER_REQUEST,
    FAQ_SURE,
    FAQ_THRESHOLD,
    PASSAGE_OVER_CATALOGUE,
    PASSAGE_OVER_REQUEST,
    PASSAGE_STRONG,
    PASSAGE_THRESHOLD,
    Question,
    Source,
    asks_for_fact,
    asks_for_list,
    decide,
    named_request,
    names_offer,
)


def ask(intent: str, faq: float = 0.0, passage: float = 0.0, wants: bool = False, fact: bool = False) -> Source:
    return decide(Question(intent=intent, wants_catalogue=wants, faq_score=faq, passage_score=passage, asks_fact=fact))


def test_a_catalogue_request_gets_the_catalogue_unless_a_fact_is_nearly_certain() -> None:
    assert ask("ask_workshops", faq=FAQ_OVER_REQUEST - 0.01, passage=PASSAGE_OVER_REQUEST - 0.01,
               wants=True) is Source.CATALOGUE
    assert ask("ask_workshops", faq=FAQ_OVER_REQUEST, wants=True) is Source.FAQ
    assert ask("ask_workshops", passage=PASSAGE_OVER_REQUEST, wants=True) is Source.PASSAGE


@pytest.mark.parametrize("intent", ["ask_services", "ask_workshops", "ask_trainings", "ask_job_info", "explore_jobs"])
def test_a_confident_fact_wins_over_a_catalogue_intent_without_a_request(intent: str) -> None:
    assert ask(intent, faq=FAQ_OVER_CATALOGUE) is Source.FAQ
    assert ask(intent, passage=PASSAGE_OVER_CATALOGUE) is Source.PASSAGE
    assert ask(intent, faq=FAQ_OVER_CATALOGUE - 0.01, passage=PASSAGE_OVER_CATALOGUE - 0.01) is Source.CATALOGUE


@pytest.mark.parametrize("intent", ["ask_services", "ask_workshops", "ask_trainings", "explore_jobs"])
def test_a_fact_question_is_weighed_as_any_question_whatever_the_intent(intent: str) -> None:
    assert ask(intent, faq=FAQ_THRESHOLD, fact=True) is Source.FAQ
    assert ask(intent, passage=PASSAGE_THRESHOLD, fact=True) is Source.PASSAGE
    assert ask(intent, faq=FAQ_SURE - 0.01, passage=PASSAGE_STRONG, fact=True) is Source.PASSAGE
    unsure = ask(intent, faq=FAQ_THRESHOLD - 0.01, passage=PASSAGE_THRESHOLD - 0.01, fact=True)
    assert unsure is (Source.UNKNOWN if intent == "explore_jobs" else Source.CATALOGUE)  # never the jobs guide
    about_jobs = Question(intent=intent, wants_catalogue=False, faq_score=0.0, passage_score=0.0, asks_fact=True,
                          about_jobs=True)  # « pk pas, des idées de métiers ? »: the guide, for explore_jobs
    assert decide(about_jobs) is Source.CATALOGUE


def follow(intent: str, faq: float = 0.0, passage: float = 0.0, wants: bool = False) -> Source:
    return decide(Question(intent=intent, wants_catalogue=wants, faq_score=faq, passage_score=passage,
                           follows_fact=True))


def test_a_question_following_a_fact_read_as_exploring_jobs_gets_a_fact_or_is_admitted() -> None:
    assert follow("explore_jobs", faq=FAQ_THRESHOLD) is Source.FAQ
    assert follow("explore_jobs", passage=PASSAGE_THRESHOLD) is Source.PASSAGE
    assert follow("explore_jobs", faq=FAQ_THRESHOLD - 0.01, passage=PASSAGE_THRESHOLD - 0.01) is Source.UNKNOWN
    assert follow("explore_jobs", wants=True) is Source.CATALOGUE  # a request for jobs still gets the guide


@pytest.mark.parametrize("intent", ["ask_services", "ask_workshops", "ask_trainings", "ask_job_info"])
def test_a_question_following_a_fact_read_as_a_catalogue_request_gets_a_fact_else_the_listing(intent: str) -> None:
    assert follow(intent, passage=PASSAGE_THRESHOLD) is Source.PASSAGE  # « Des incubateurs y siègent-ils ? »
    assert follow(intent, faq=FAQ_THRESHOLD) is Source.FAQ
    assert follow(intent, faq=FAQ_THRESHOLD - 0.01, passage=PASSAGE_THRESHOLD - 0.01) is Source.CATALOGUE
    assert follow(intent, wants=True, passage=PASSAGE_THRESHOLD) is Source.CATALOGUE  # a request keeps the listing


def test_a_message_naming_an_offer_names_it() -> None:
    assert names_offer("Et des ateliers là-dessus ?") and names_offer("et les formations ?")
    assert not names_offer("Des incubateurs y siègent-ils ?")


def test_a_sure_faq_entry_wins_over_a_strong_passage() -> None:
    assert ask("faq", faq=FAQ_SURE, passage=0.99) is Source.FAQ


def test_a_strong_passage_wins_over_a_loose_faq_entry() -> None:
    assert ask("faq", faq=FAQ_SURE - 0.01, passage=PASSAGE_STRONG) is Source.PASSAGE


def test_a_confident_faq_entry_wins_over_a_weak_passage() -> None:
    assert ask("faq", faq=FAQ_THRESHOLD, passage=PASSAGE_STRONG - 0.01) is Source.FAQ


def test_a_passage_answers_when_the_faq_does_not() -> None:
    assert ask("faq", faq=FAQ_THRESHOLD - 0.01, passage=PASSAGE_THRESHOLD) is Source.PASSAGE


@pytest.mark.parametrize("intent", ["faq", "ask_services", "nlu_fallback"])
def test_a_passage_holding_what_is_asked_for_wins_over_a_sure_faq_entry_that_does_not(intent: str) -> None:
    who = Question(intent=intent, wants_catalogue=False, faq_score=0.9, passage_score=PASSAGE_THRESHOLD,
                   asks_fact=True, only_passage_holds=True)
    assert decide(who) is Source.PASSAGE
    below = Question(intent=intent, wants_catalogue=False, faq_score=0.9, passage_score=PASSAGE_THRESHOLD - 0.01,
                     asks_fact=True, only_passage_holds=True)
    assert decide(below) is Source.FAQ  # a passage below its threshold never answers


def test_nothing_confident_is_admitted_or_out_of_scope() -> None:
    assert ask("faq", faq=FAQ_THRESHOLD - 0.01, passage=PASSAGE_THRESHOLD - 0.01) is Source.UNKNOWN
    assert ask("out_of_scope", faq=0.1, passage=0.1) is Source.OUT_OF_SCOPE
    assert ask("out_of_scope", faq=FAQ_SURE) is Source.FAQ  # NLU said off-topic, the FAQ knows better


def test_when_nlu_was_unsure_the_faq_must_be_surer() -> None:
    between = (FAQ_THRESHOLD + FALLBACK_FAQ_THRESHOLD) / 2
    assert ask("faq", faq=between) is Source.FAQ
    assert ask("nlu_fallback", faq=between) is Source.UNKNOWN
    assert ask("nlu_fallback", faq=FALLBACK_FAQ_THRESHOLD) is Source.FAQ


@pytest.mark.parametrize("text, expected", [
    ("quels sont les prochains ateliers ?", True),
    ("vous avez des formations en ligne ?", True),
    ("je cherche un accompagnement pour ma boutique", True),
    ("tu peux m aider a trouver un metier d avenir ?", True),  # a request for help, whatever FAQ entry is near
    ("Combien d'entreprises ont répondu à la consultation ?", False),
    ("Quels services les entreprises ont-elles demandés en 2018 ?", False),
    ("Vos locaux font quelle superficie ? Nous aurions peut-être besoin d'une salle.", False),  # context, not asked
    ("Nous sommes une PME du Gard. Avez-vous des ateliers sur l'IA ?", True),
])
def test_requests_for_a_list(text: str, expected: bool) -> None:
    assert asks_for_list(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("Combien d'entreprises la Cité de Montpellier a-t-elle accompagnées ?", True),
    ("c quand l'inauguration a montpellier", True),
    ("Qui dirige le site IBM de Montpellier ?", True),
    ("Pourquoi un campus numérique à Charbonnières ?", True),
    ("Quelle élue a expliqué que les TPE n'ont pas le même niveau d'information ?", True),
    ("quel type de financement est envisagé pour le campus ?", True),
    ("Quelle collectivité devait s'impliquer dans la Cité ?", True),
    ("Xavier Vasques c qui ?", True),
    ("Où se trouvent les locaux de la Cité ?", True),
    ("NEGE, ça veut dire quoi ?", True),
    ("Le comité stratégique, il sert à quoi ?", True),
    ("au fait c koi le truc d'informatique quantique d'IBM a montpellier ?", True),
    ("l'Académie IBM c quoi ?", True),
    ("c'est quoi le SRDEII ?", True),
    ("c quoi les formations pour etre data analyst", False),
    ("c'est quoi les ateliers à Toulouse ?", False),
    ("Qu'est-ce que le SRDEII ?", True),
    ("Qu'est-ce que NEGE apporte aux demandeurs d'emploi ?", True),
    ("Qu'est-ce que la Cité peut faire pour une entreprise comme la nôtre ?", False),
    ("qu'est ce que vous proposez aux TPE à Nîmes ?", False),
    ("Un dirigeant de Nicollin a parlé au forum : qu'est-ce qui l'inquiétait ?", True),
    ("qu'est-ce qui existe comme ateliers sur l'IA ?", False),
    ("qu'est-ce qui se passe à la cité ce soir ?", False),
    ("où est-ce que je peux trouver des ateliers sur l'IA ?", False),
    ("les ateliers IA à Toulouse la semaine prochaine", False),
    ("des formations qui mènent au métier de data analyst à Lyon ?", False),
    ("et les patrons ils voulaient des conferences sur l'economie ? cb de %", True),
    ("la transfo numerique ca touche ki ? meme les agriculteurs ?", True),
    ("quelles formations pour devenir data analyst ?", False),
    ("quels sont les prochains ateliers à Montpellier ?", False),
    ("quel type de formation pour travailler dans la cybersécurité ?", False),
    ("Quels métiers recrutent dans le numérique ?", False),
])
def test_questions_on_a_figure_date_person_or_reason(text: str, expected: bool) -> None:
    assert asks_for_fact(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("Avez-vous des ateliers prévus sur la vente en ligne dans le Gard ou à Montpellier ?", "ask_workshops"),
    ("vous avez des formations en data ?", "ask_trainings"),
    ("je cherche un accompagnement pour mon site", "ask_services"),
    ("les prochaines conférences ?", "ask_workshops"),
    ("combien d'ateliers avez-vous organisé en 2018 ?", None),  # a fact
    ("les ateliers du forum portaient sur quoi", None),  # no request for a list
    ("vous avez des infos sur NEGE ?", None),  # no offer named
    ("ok cool. tu peux m'aider a trouver un metier du futur ?", "explore_jobs"),  # the jobs guide
    ("je cherche un métier d'avenir", "explore_jobs"),
    ("jsuis au chomage depuis 1 an apres 20 ans en compta jcherche un metier davenir", "explore_jobs"),
    ("vous avez des formations sur les métiers d'avenir ?", "ask_trainings"),  # the offer named comes first
    ("la Cité des métiers de demain peut m'aider ?", None),  # the centre's name asks for no job
    ("je cherche les métiers d'avenir qui recrutent, combien de postes ?", None),  # a fact
    ("on a besoin de recruter sur des métiers d'avenir", None),  # no job sought for oneself
    ("vous avez des offres d'emploi dans les métiers du futur ?", None),
])
def test_offers_asked_for_by_name(text: str, expected: str | None) -> None:
    assert named_request(text) == expected
