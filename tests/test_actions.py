"""Custom actions with a CollectingDispatcher and trackers built here, on the seeded store."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from bot.action_server import warm_up
from bot.actions.answer import (
    ActionAnswer,
    ActionAnswerAboutJobs,
    ActionFollowUp,
    ActionSeeMore,
    ActionSmallTalk,
    served_request,
)
from bot.actions.contact import find_contact
from bot.actions.forms import ValidateCallbackForm, ValidateJobExplorationForm
from bot.actions.human import ActionContactHuman, ActionSaveCallback
from bot.actions.jobs import ActionSuggestJobs
from bot.actions.render import MAX_CHARS


def tracker(text: str, intent: str, entities: list[dict[str, Any]] | None = None,
            slots: dict[str, Any] | None = None, said: str | None = None) -> Tracker:
    """A conversation whose last message is `text`, after the assistant `said` something if given."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or []}
    events = [{"event": "bot", "text": said}] if said else []
    events.append({"event": "user", "text": text, "parse_data": message, "input_channel": "web"})
    return Tracker("test-user", slots or {}, message, events, False, None, {}, "action_listen")


def after(question: str, t: Tracker) -> Tracker:
    """`t`, with the person's `question` asked before its last message."""
    t.events.insert(0, {"event": "user", "text": question, "parse_data": {}, "input_channel": "web"})
    return t


def run(action: Any, t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def slot(events: list[dict[str, Any]], name: str) -> Any:
    return next(e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name)


@pytest.fixture(scope="module", autouse=True)
def _warm(seeded_store: str) -> None:
    """As the action server does before serving: the retrieval models are built before the first question,
    which would otherwise run into the actions' timeout."""
    warm_up()


@pytest.fixture(autouse=True)
def _store(seeded_store: str) -> None:
    """Every action test reads the session's seeded store."""


def test_workshops_by_topic_come_from_the_store() -> None:
    messages, events = run(ActionAnswer(), tracker("quels ateliers sur l'IA ?", "ask_workshops",
                                                          [{"entity": "topic", "value": "intelligence artificielle"}]))
    expected = knowledge.upcoming_workshops(topic="intelligence artificielle", limit=1).items[0].title
    assert expected in messages[0]["text"] and len(messages[0]["text"]) <= MAX_CHARS
    assert "/request_human" in [b["payload"] for b in messages[0]["buttons"]]
    assert slot(events, "search")["topic"] == "intelligence artificielle"


def test_offers_named_in_the_message_are_listed_whatever_catalogue_intent_nlu_read() -> None:
    """« vous avez des ateliers pour ça ? » read as ask_services: workshops, not services."""
    messages, events = run(ActionAnswer(), tracker("on voudrait vendre en ligne, vous avez des ateliers pour ça ?",
                                                   "ask_services", [{"entity": "topic", "value": "e-commerce"}]))
    assert slot(events, "search")["kind"] == "workshops" and "événements" in messages[0]["text"]


def test_topic_found_without_entity_and_date_range_from_text() -> None:
    _, events = run(ActionAnswer(), tracker("des ateliers cybersecu la semaine prochaine ?", "ask_workshops"))
    search = slot(events, "search")
    assert search["topic"] == "cybersécurité" and search["start"] < search["end"]


def test_no_workshop_is_an_honest_answer_with_alternatives() -> None:
    messages, _ = run(ActionAnswer(), tracker("ateliers blockchain à Perpignan le 1er août ?", "ask_workshops",
                                                     [{"entity": "topic", "value": "blockchain"},
                                                      {"entity": "city", "value": "Perpignan"}]))
    assert messages[0]["text"].startswith("Je n'ai trouvé aucun événement")


def test_follow_up_keeps_context_and_changes_city() -> None:
    previous = {"kind": "workshops", "topic": "intelligence artificielle", "offset": 0}
    toulouse = [{"entity": "city", "value": "Toulouse"}]
    messages, events = run(ActionFollowUp(), tracker("et à Toulouse ?", "inform", toulouse,
                                                     {"search": previous}))
    assert slot(events, "search") == {**previous, "city": "Toulouse"}
    assert "Toulouse" in messages[0]["text"]


def test_see_more_pages_through_results() -> None:
    search = {"kind": "workshops", "offset": 0}
    first, _ = run(ActionAnswer(), tracker("prochains ateliers", "ask_workshops"))
    more, events = run(ActionSeeMore(), tracker("voir plus", "see_more", slots={"search": search}))
    assert slot(events, "search")["offset"] == 3 and more[0]["text"] != first[0]["text"]


def test_a_question_read_as_see_more_without_a_search_gets_the_fact() -> None:
    question = "et le comité stratégique, il a combien de membres en tout ?"
    messages, _ = run(ActionSeeMore(), tracker(question, "see_more"))
    assert "34 membres" in messages[0]["text"]
    messages, _ = run(ActionSeeMore(), tracker("voir plus", "see_more"))  # nothing to page through
    assert [m.get("response") for m in messages] == ["utter_capabilities"]


def test_services_for_an_sme_include_a_related_workshop() -> None:
    text = "Je dirige une PME du BTP à Nîmes, on veut se protéger des cyberattaques"
    messages, _ = run(ActionAnswer(), tracker(text, "ask_services", [{"entity": "topic", "value": "cybersécurité"}]))
    assert messages[0]["text"].startswith("Voici les services que nous pouvons vous proposer")
    assert "cybersécurité" in messages[0]["text"] and len(messages[0]["text"]) <= MAX_CHARS


def test_job_card_then_how_to_get_there() -> None:
    messages, events = run(ActionAnswer(), tracker("c'est quoi un data scientist ?", "ask_job_info",
                                                    [{"entity": "job", "value": "data scientist"}]))
    assert "Data scientist" in messages[0]["text"] or "data scientist" in messages[0]["text"].lower()
    assert slot(events, "job") == "data-scientist"
    trainings, _ = run(ActionAnswer(), tracker("comment y arriver ?", "ask_trainings",
                                               slots={"job": "data-scientist", "subject": slot(events, "subject")}))
    assert "pour devenir" in trainings[0]["text"]  # the catalogue's own context, not the card's subject
    read_as_faq, _ = run(ActionAnswer(), tracker("comment y arriver ?", "faq",
                                                 slots={"job": "data-scientist", "subject": slot(events, "subject")}))
    assert "pour devenir Data scientist" in read_as_faq[0]["text"]  # whatever NLU read
    after_a_fact, _ = run(ActionAnswer(), tracker("comment y arriver ?", "faq", slots={
        "job": "data-scientist", "subject": "campus", "answered_from": {"region": "auvergne-rhone-alpes"}}))
    assert "pour devenir" not in after_a_fact[0]["text"]  # a fact answered since the card: about that fact


def test_suggested_jobs_after_guided_questions() -> None:
    messages, _ = run(ActionSuggestJobs(), tracker("la santé", "inform",
                                                   slots={"situation": "demandeur d'emploi", "interest": "santé"}))
    assert messages[0]["text"].startswith("Voici trois métiers") and len(messages[0]["buttons"]) >= 3


def test_another_interest_after_the_suggested_jobs_suggests_again() -> None:
    slots = {"situation": "lycéen", "interest": "intelligence artificielle"}
    _, events = run(ActionSuggestJobs(), tracker("l'IA", "inform", slots=slots))
    suggested = slot(events, "search")
    assert suggested == {"kind": "jobs", "offset": 0, "topic": "intelligence artificielle", "audience": "lycéen"}
    health, events = run(ActionFollowUp(), tracker("Santé", "inform", [{"entity": "sector", "value": "santé"}],
                                                   slots={"search": suggested}))
    assert "« santé »" in health[0]["text"] and "intelligence artificielle" not in health[0]["text"]
    assert slot(events, "search") == {"kind": "jobs", "offset": 0, "sector": "santé", "audience": "lycéen"}
    more, _ = run(ActionSeeMore(), tracker("voir plus", "see_more", slots={"search": slot(events, "search")}))
    assert more[0]["text"].startswith("Voici d'autres métiers de demain")
    data, events = run(ActionAnswer(), tracker("Données (data)", "nlu_fallback", slots={"search": suggested}))
    assert "« data »" in data[0]["text"] and slot(events, "search")["topic"] == "data"  # a button title typed
    fact, _ = run(ActionAnswer(), tracker("Données (data)", "nlu_fallback", slots={
        "search": suggested, "subject": "NEGE"}))
    assert not fact[0]["text"].startswith("Voici")  # a fact answered since: no listing refined
    same, _ = run(ActionFollowUp(), tracker("et à Toulouse ?", "inform", [{"entity": "city", "value": "Toulouse"}],
                                            slots={"search": suggested}))
    assert not same or "Voici trois métiers" not in same[0]["text"]  # the jobs suggested know no place
    workshops = {"kind": "workshops", "offset": 0, "topic": "intelligence artificielle"}
    hours, _ = run(ActionAnswer(), tracker("horaires à Montpellier", "faq", slots={"search": workshops}))
    assert "événements" not in hours[0]["text"]  # a place alone is no theme: not a refinement


def test_form_validation_maps_free_answers() -> None:
    form = ValidateJobExplorationForm()
    dispatcher = CollectingDispatcher()
    assert form.validate_situation("je suis au chomage", dispatcher, tracker("", "inform"), {}) == {
        "situation": "demandeur d'emploi"}
    interest = form.validate_interest("l'IA", dispatcher, tracker("", "inform"), {})
    assert interest == {"interest": "intelligence artificielle"}


def test_faq_answer_and_unknown_question_recorded() -> None:
    messages, _ = run(ActionAnswer(), tracker("où se trouve la cité ?", "faq"))
    assert "Odysseum" in messages[0]["text"]
    before = len(knowledge.unanswered(limit=1000))
    messages, _ = run(ActionAnswer(), tracker("quel est le menu de la cantine mardi ?", "faq"))
    assert "pas encore la réponse" in messages[0]["text"]
    latest = knowledge.unanswered(limit=1000)
    assert len(latest) == before + 1 and latest[0].channel == "web"


def test_callback_is_recorded_only_with_consent() -> None:
    assert find_contact("mon mail : marie.dupont@example.com merci") == "marie.dupont@example.com"
    assert find_contact("06 12 34 56 78") == "06 12 34 56 78"
    assert find_contact("demain") is None
    refused, _ = run(ActionSaveCallback(), tracker("non", "deny", slots={"contact": "refus@b.fr", "consent": False}))
    assert "rien enregistré" in refused[0]["text"] and slot(_, "redact") == "refus@b.fr"  # erased from the tracker
    assert "refus@b.fr" not in [c.contact for c in knowledge.callbacks()]
    accepted, events = run(ActionSaveCallback(), tracker("oui", "affirm", slots={"contact": "a@b.fr", "consent": True}))
    assert "C'est noté" in accepted[0]["text"] and slot(events, "contact") is None
    saved = [c for c in knowledge.callbacks() if c.contact == "a@b.fr"]
    assert len(saved) == 1 and saved[0].handled_at is None


def test_contact_comes_from_the_store() -> None:
    messages, _ = run(ActionContactHuman(), tracker("je veux parler à quelqu'un", "request_human"))
    contact = knowledge.centre_contacts()[0]
    assert (contact.phone or contact.email) in messages[0]["text"]
    assert "/request_callback" in [b["payload"] for b in messages[0]["buttons"]]


STORE_TURNS = {  # each action that reads or writes the store, in a turn where it must reach it
    "catalogue": (ActionAnswer(), tracker("ateliers ?", "ask_workshops")),
    "faq": (ActionAnswer(), tracker("où se trouve la cité ?", "faq")),
    "job card": (ActionAnswerAboutJobs(), tracker("c'est quoi un data analyst ?", "ask_job_info")),
    "follow-up": (ActionFollowUp(), tracker("et à Toulouse ?", "inform", [{"entity": "city", "value": "Toulouse"}],
                                            {"search": {"kind": "workshops", "offset": 0}})),
    "see more": (ActionSeeMore(), tracker("voir plus", "see_more",
                                          slots={"search": {"kind": "trainings", "offset": 0}})),
    "contact": (ActionContactHuman(), tracker("un conseiller", "request_human")),
    "callback": (ActionSaveCallback(), tracker("oui", "affirm", slots={"contact": "down@b.fr", "consent": True})),
    "suggest jobs": (ActionSuggestJobs(), tracker("la santé", "inform", slots={"situation": "étudiant",
                                                                               "interest": "santé"})),
}


@pytest.mark.parametrize("turn", STORE_TURNS.values(), ids=STORE_TURNS.keys())
def test_store_down_gives_a_french_apology(turn: tuple[Any, Tracker], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNOWLEDGE_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    messages, events = run(*turn)
    assert [m.get("response") for m in messages] == ["utter_action_unavailable"]
    assert events == []


@pytest.mark.parametrize("slot_name, said, expected", [("situation", "je suis étudiante", "étudiant"),
                                                        ("interest", "la cybersécurité", "cybersécurité")])
def test_form_validation_needs_no_store(slot_name: str, said: str, expected: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The guided questions go on during a store outage: their vocabulary is loaded with the action server."""
    monkeypatch.setenv("KNOWLEDGE_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    validate = getattr(ValidateJobExplorationForm(), f"validate_{slot_name}")
    assert validate(said, CollectingDispatcher(), tracker(said, "inform"), {}) == {slot_name: expected}
    callback = ValidateCallbackForm().validate_contact("c'est down@b.fr", CollectingDispatcher(),
                                                       tracker("c'est down@b.fr", "inform"), {})
    assert callback == {"contact": "down@b.fr"}


def test_a_hanging_store_gives_the_apology_within_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_TIMEOUT_S", "0.5")
    release = threading.Event()

    def hang(*_: object, **__: object) -> list[object]:
        release.wait(10)
        return []

    async def timed() -> tuple[float, CollectingDispatcher, list[dict[str, Any]]]:
        dispatcher, began = CollectingDispatcher(), time.monotonic()
        events = await ActionAnswer().run(dispatcher, tracker("où se trouve la cité ?", "faq"), {})
        elapsed = time.monotonic() - began
        release.set()
        return elapsed, dispatcher, events

    monkeypatch.setattr(knowledge, "search_faq", hang)
    elapsed, dispatcher, events = asyncio.run(timed())
    assert elapsed < 3
    assert [m.get("response") for m in dispatcher.messages] == ["utter_action_unavailable"] and events == []


def test_a_fact_question_with_a_catalogue_word_gets_the_fact() -> None:
    """NLU says "services" for a question about the consultation; the store knows the figure."""
    messages, _ = run(ActionAnswer(), tracker("combien d'entreprises ont répondu à la consultation sur la Cité ?",
                                              "ask_services"))
    assert "800" in messages[0]["text"] and not messages[0]["text"].startswith("Voici les services")


def test_a_request_the_catalogue_serves_is_answered_without_retrieval(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_retrieval(*_: object, **__: object) -> None:
        raise AssertionError("retrieval was run for a request the catalogue serves")

    monkeypatch.setattr(knowledge, "search_faq", no_retrieval)
    monkeypatch.setattr(knowledge, "best_passage", no_retrieval)
    messages, _ = run(ActionAnswer(), tracker("quels ateliers sur l'IA ?", "ask_workshops",
                                              [{"entity": "topic", "value": "intelligence artificielle"}]))
    assert messages[0]["text"].startswith("Voici les prochains ateliers et événements")


def test_a_request_the_catalogue_cannot_serve_is_weighed_against_the_facts() -> None:
    served = tracker("des ateliers à Montpellier ?", "ask_workshops", [{"entity": "city", "value": "Montpellier"}])
    unserved = tracker("des ateliers à Oyonnax ?", "ask_workshops", [{"entity": "city", "value": "Oyonnax"}])
    assert served_request(CollectingDispatcher(), served, "ask_workshops") is not None
    assert served_request(CollectingDispatcher(), unserved, "ask_workshops") is None


def test_a_fact_question_naming_a_city_gets_the_fact_not_the_listing() -> None:
    """A city is a catalogue filter, but « quand » asks for a date: the store states it."""
    messages, _ = run(ActionAnswer(), tracker("c'était quand l'inauguration de la Cité à Montpellier ?",
                                              "ask_services", [{"entity": "city", "value": "Montpellier"}]))
    assert "19 octobre" in messages[0]["text"] and not messages[0]["text"].startswith("Voici les services")


def test_a_sentence_announcing_a_list_is_quoted_with_its_items() -> None:
    messages, _ = run(ActionAnswer(), tracker("quelles sont les trois priorités de la Région Auvergne-Rhône-Alpes "
                                              "pour le numérique ?", "faq"))
    assert all(rank in messages[0]["text"] for rank in ("première", "deuxième", "troisième"))


def test_a_fact_only_a_document_states_is_quoted_with_its_source() -> None:
    messages, _ = run(ActionAnswer(), tracker("qui dirige le site IBM de Montpellier ?", "faq"))
    assert "Vasques" in messages[0]["text"] and messages[0]["text"].startswith("D'après ")
    assert {"/ask_capabilities", "/request_human"} <= {b["payload"] for b in messages[0]["buttons"]}


def test_a_wish_to_explore_jobs_starts_the_guided_form_unless_a_fact_answers() -> None:
    _, events = run(ActionAnswerAboutJobs(), tracker("je sais pas quel métier faire plus tard", "explore_jobs"))
    assert slot(events, "fact_answered") is False
    messages, events = run(ActionAnswerAboutJobs(), tracker("combien de demandeurs d'emploi l'Académie IBM "
                                                            "va-t-elle former ?", "explore_jobs"))
    assert "25" in messages[0]["text"] and slot(events, "fact_answered") is True
    # a wish to explore jobs in a place is no question on a fact: the guide, even if a passage names the place
    _, events = run(ActionAnswerAboutJobs(), tracker("quels métiers recrutent à Montpellier ?", "explore_jobs",
                                                     entities=[{"entity": "city", "value": "Montpellier"}]))
    assert slot(events, "fact_answered") is False


def test_offers_asked_for_by_name_are_listed_when_no_fact_answers() -> None:
    """NLU read a workshop request as `faq`: rather than « je n'ai pas la réponse », the workshops."""
    messages, events = run(ActionAnswer(), tracker(
        "Avez-vous des ateliers prévus sur la vente en ligne dans le Gard ou à Montpellier ?", "faq",
        entities=[{"entity": "topic", "value": "e-commerce"}]))
    assert "atelier" in messages[0]["text"].lower() and "pas encore la réponse" not in messages[0]["text"]
    assert slot(events, "search")["kind"] == "workshops"


def test_out_of_scope_stays_out_of_scope() -> None:
    messages, _ = run(ActionAnswer(), tracker("quel temps fera-t-il demain ?", "out_of_scope"))
    assert [m.get("response") for m in messages] == ["utter_out_of_scope"]


def test_gibberish_is_asked_again_with_examples_and_not_logged_for_staff() -> None:
    before = len(knowledge.unanswered(limit=1000))
    messages, events = run(ActionAnswer(), tracker("qsdfgh wxcvbn", "nlu_fallback"))
    assert [m.get("response") for m in messages] == ["utter_default"] and events == []
    assert len(knowledge.unanswered(limit=1000)) == before
    typos, _ = run(ActionAnswer(), tracker("le menu de la cantine mardi svp", "nlu_fallback"))
    assert "pas encore la réponse" in typos[0]["text"]  # words, even unanswered: kept for staff
    assert len(knowledge.unanswered(limit=1000)) == before + 1


@pytest.mark.parametrize("intent", ["affirm", "deny"])
def test_mashing_read_as_yes_or_no_is_asked_again_and_a_long_yes_is_a_yes(intent: str) -> None:
    messages, _ = run(ActionSmallTalk(), tracker("aaaaazzzzzzeeee rrrr", intent))
    assert [m.get("response") for m in messages] == ["utter_default"]
    messages, _ = run(ActionSmallTalk(), tracker("ouiiii" if intent == "affirm" else "nooooon", intent))
    assert [m.get("response") for m in messages] == ["utter_anything_else"]


def test_a_follow_up_is_answered_about_the_last_subject() -> None:
    first_messages, events = run(ActionAnswer(), tracker("C'est quoi l'Académie IBM ?", "faq"))
    subject = slot(events, "subject")
    assert "IBM" in subject
    alone, _ = run(ActionAnswer(), tracker("et c'est payant ?", "faq"))
    messages, events = run(ActionAnswer(), tracker("et c'est payant ?", "faq", slots={"subject": subject}))
    expected = knowledge.search_faq("et c'est payant ? (Académie IBM)", limit=1)[0]
    assert messages[0]["text"].startswith(expected.answer) and messages[0]["text"] != alone[0]["text"]
    assert messages[0]["text"] != first_messages[0]["text"]
    assert slot(events, "subject") == subject  # a follow-up keeps its subject for the next one


def test_a_follow_up_that_would_get_the_last_answer_again_is_admitted() -> None:
    """« et pour les retraités ? » after the convention: the same text again, never naming them, is no answer."""
    subject = "convention Syntec Numérique Grand Est"
    first, _ = run(ActionAnswer(), tracker("et pour les retraités ?", "faq", slots={"subject": subject}))
    assert "pas encore la réponse" not in first[0]["text"] and "retraité" not in first[0]["text"].lower()
    before = len(knowledge.unanswered(limit=1000))
    again, events = run(ActionAnswer(), tracker("et pour les retraités ?", "faq", slots={"subject": subject},
                                                said=first[0]["text"]))
    assert "pas encore la réponse" in again[0]["text"] and len(knowledge.unanswered(limit=1000)) == before + 1
    assert not any(e.get("name") == "subject" for e in events)  # the subject stays for the next follow-up
    when, _ = run(ActionAnswer(), tracker("c'était quand ?", "faq", slots={"subject": subject},
                                          said=first[0]["text"]))
    assert "pas encore la réponse" not in when[0]["text"]  # asking only when: the same answer may hold it


def test_a_follow_up_that_would_get_the_last_answer_again_gets_the_sentence_naming_what_it_asks() -> None:
    """« et pour les lycéens ? » after the convention's FAQ answer: the convention's sentence on lycéens."""
    subject = "convention Syntec Numérique Grand Est"
    first, _ = run(ActionAnswer(), tracker("et pour les lycéens ?", "faq", slots={"subject": subject}))
    assert "lycéen" not in first[0]["text"].lower()
    again, _ = run(ActionAnswer(), tracker("et pour les lycéens ?", "faq", slots={"subject": subject},
                                           said=first[0]["text"]))
    assert again[0]["text"].startswith("D'après") and "lycéens" in again[0]["text"]


def test_a_follow_up_the_same_entry_would_leave_unsaid_gets_the_document_sentences_that_say_it() -> None:
    """« et la deuxième, elle consiste en quoi ? » after the convention's priorities: the second priority, quoted."""
    first, events = run(ActionAnswer(), tracker("Quelles sont les grandes priorités de la convention signée avec le "
                                                "Syntec Numérique ?", "faq"))
    slots = {"subject": slot(events, "subject"), "answered_from": slot(events, "answered_from")}
    messages, _ = run(ActionAnswer(), tracker("Et la deuxième, elle consiste en quoi ?", "faq", slots=slots,
                                              said=first[0]["text"]))
    assert "deuxième priorité" in messages[0]["text"] and messages[0]["text"] != first[0]["text"]


def test_a_follow_up_the_last_answer_already_answered_gets_that_sentence_again() -> None:
    """« et il progresse vite ? » after Syntec's figures: the same entry again, so only its sentence on growth."""
    first, events = run(ActionAnswer(), tracker("Le secteur du numérique, ça pèse combien en chiffre d'affaires ?",
                                                "faq"))
    assert "4,2 %" in first[0]["text"]
    slots = {"subject": slot(events, "subject"), "answered_from": slot(events, "answered_from")}
    before = len(knowledge.unanswered(limit=1000))
    messages, _ = run(ActionAnswer(), tracker("Et il progresse vite ?", "nlu_fallback", slots=slots,
                                              said=first[0]["text"]))
    assert messages[0]["text"] == "Comme je vous le disais : « Le secteur progressait de 4,2 % en 2019. »"
    assert len(knowledge.unanswered(limit=1000)) == before  # answered, not logged for staff
    then, _ = run(ActionAnswer(), tracker("et pour les retraités ?", "faq", slots=slots, said=messages[0]["text"]))
    assert "pas encore la réponse" in then[0]["text"]  # the same entry again, which the recall was part of


def test_a_follow_up_naming_nothing_is_answered_from_the_last_answer_when_it_holds_what_is_asked() -> None:
    """« c'était quand ? », « par qui ? » after the inauguration: the last answer's sentences holding a date or naming
    people, said again."""
    first, events = run(ActionAnswer(), tracker("Qui a inauguré la Cité de Montpellier ?", "faq"))
    assert "19 octobre" in first[0]["text"] and "Carole Delga" in first[0]["text"]
    slots = {"subject": slot(events, "subject"), "answered_from": slot(events, "answered_from")}
    for question, fact in (("c'était quand ?", "19 octobre"), ("par qui ?", "Carole Delga")):
        messages, _ = run(ActionAnswer(), tracker(question, "faq", slots=slots, said=first[0]["text"]))
        assert messages[0]["text"].startswith("Comme je vous le disais") and fact in messages[0]["text"]
        assert question == "par qui ?" or "Saurel" not in messages[0]["text"]  # the date's sentence alone


def test_a_follow_up_naming_someone_else_gets_the_sentences_of_the_same_document_naming_them() -> None:
    """« Et pour IBM, qui avait pris la parole lors de ce même forum ? » after the Groupe Nicollin at the forum."""
    first, events = run(ActionAnswer(), tracker("Au forum de la Cité, quel grand groupe s'inquiétait de l'arrivée des "
                                                "véhicules autonomes pour ses chauffeurs ?", "faq"))
    assert "Nicollin" in first[0]["text"]
    slots = {"subject": slot(events, "subject"), "answered_from": slot(events, "answered_from")}
    messages, events = run(ActionAnswer(), tracker("Et pour IBM, qui avait pris la parole lors de ce même forum ?",
                                                   "faq", slots=slots, said=first[0]["text"]))
    assert "Xavier Vasques" in messages[0]["text"]


def test_a_question_on_what_the_person_just_named_does_gets_the_sentences_naming_them() -> None:
    """« Quelle fonction occupe-t-il ? » (read as small talk) after an answer naming Guillaume Héritier: his role, said
    in another sentence of the same document; after an answer naming nobody, the small talk it was read as."""
    first, events = run(ActionAnswer(), tracker(
        "Lors du forum de 2018, un dirigeant du Groupe Nicollin aurait parlé des véhicules autonomes : de qui "
        "s'agit-il ?", "faq"))
    assert "Héritier" in first[0]["text"] and "directeur général adjoint" not in first[0]["text"]
    slots = {"subject": slot(events, "subject"), "answered_from": slot(events, "answered_from")}
    asked = "Quelle fonction occupe-t-il ?"
    messages, _ = run(ActionSmallTalk(), after("de qui s'agit-il ?", tracker(asked, "ask_capabilities", slots=slots,
                                                                            said=first[0]["text"])))
    assert "directeur général adjoint" in messages[0]["text"]
    first, events = run(ActionAnswer(), tracker("le NEGE ça traite combien de dossiers par an ?", "faq"))
    slots = {"subject": slot(events, "subject"), "answered_from": slot(events, "answered_from")}
    messages, _ = run(ActionSmallTalk(), after("c'est qui ?", tracker(asked, "ask_capabilities", slots=slots,
                                                                     said=first[0]["text"])))
    assert [m.get("response") for m in messages] == ["utter_capabilities"]  # the last answer names no one


def test_a_role_asked_after_an_answer_naming_two_people_gets_their_roles_again() -> None:
    """« et elle, elle est chargée de quoi ? » after the two vice-presidents named: each one's role, said again."""
    first, events = run(ActionAnswer(), tracker(
        "c qui les deux vice presidents interviewes sur le campus numerique en auvergne rhone alpes ?", "faq"))
    assert "Jarry" in first[0]["text"] and "Blanc" in first[0]["text"]
    slots = {"subject": slot(events, "subject"), "answered_from": slot(events, "answered_from")}
    messages, _ = run(ActionAnswer(), after("c qui les deux vice presidents ?", tracker(
        "et elle, elle est chargee de quoi ?", "faq", slots=slots, said=first[0]["text"])))
    assert messages[0]["text"].startswith("Comme je vous le disais") and "Numérique" in messages[0]["text"]


def test_a_follow_up_an_entry_nearly_certainly_answers_gets_it_again() -> None:
    """« ça marche vraiment ? » after NEGE's figures is one of that entry's phrasings: its answer again, not an
    admission because « marche » is not in it."""
    first, events = run(ActionAnswer(), tracker("le NEGE ça traite combien de dossiers par an ?", "faq"))
    assert "90 %" in first[0]["text"]
    slots = {"subject": slot(events, "subject"), "answered_from": slot(events, "answered_from")}
    messages, _ = run(ActionAnswer(), tracker("ça marche vraiment ?", "faq", slots=slots, said=first[0]["text"]))
    assert "90 %" in messages[0]["text"]


def test_a_fact_question_read_as_a_catalogue_request_is_searched_with_the_conversation_subject() -> None:
    """« c dans quel batiment ? » read as a wish to explore jobs, after the campus: the campus's building, not the
    guided form; without a subject, admitted, never the guided form; a question read as a question that nothing
    answers stays admitted, subject or not."""
    first, events = run(ActionAnswer(), tracker("le campus numérique d'Auvergne-Rhône-Alpes, il est où ?", "faq"))
    slots = {"subject": slot(events, "subject"), "answered_from": slot(events, "answered_from")}
    alone, alone_events = run(ActionAnswerAboutJobs(), tracker("c dans quel batiment", "explore_jobs"))
    assert slot(alone_events, "fact_answered") and "pas encore la réponse" in alone[0]["text"]
    messages, events = run(ActionAnswerAboutJobs(), tracker("c dans quel batiment", "explore_jobs", slots=slots,
                                                            said=first[0]["text"]))
    assert slot(events, "fact_answered") and "Campus" in messages[0]["text"]
    unknown, _ = run(ActionAnswer(), tracker("Combien de salariés travaillent à la Cité ?", "faq", slots=slots,
                                             said=first[0]["text"]))
    assert "pas encore la réponse" in unknown[0]["text"]


def test_a_persons_role_read_as_a_job_gets_no_job_card() -> None:
    """« Quel vice-président était chargé des finances dans ce projet ? » read as a job (« chargé »): the person."""
    text = "Quel vice-président était chargé des finances pour le campus numérique de Charbonnières ?"
    messages, _ = run(ActionAnswer(), tracker(text, "ask_job_info", [{"entity": "job", "value": "chargé"}]))
    assert "Blanc" in messages[0]["text"]


def test_a_wish_for_a_job_read_as_information_starts_the_guide() -> None:
    """« … au chomage depuis 1 an … jcherche un metier davenir » read as inform: the jobs guide, not the services."""
    text = "bjr jai 45 ans jsuis au chomage depuis 1 an apres 20 ans en compta jcherche un metier davenir"
    _, events = run(ActionFollowUp(), tracker(text, "inform", [{"entity": "audience", "value": "demandeur d'emploi"}]))
    assert {"event": "followup", "name": "job_exploration_form"} in [
        {"event": e.get("event"), "name": e.get("name")} for e in events]


def test_a_bare_follow_up_after_a_fact_is_about_that_fact_not_the_last_search() -> None:
    previous = {"kind": "workshops", "topic": "intelligence artificielle", "offset": 0}
    messages, events = run(ActionFollowUp(), tracker("et ça dure combien de temps ?", "inform",
                                                     slots={"search": previous, "subject": "Académie IBM"}))
    expected = knowledge.search_faq("et ça dure combien de temps ? (Académie IBM)", limit=1)[0]
    assert messages[0]["text"].startswith(expected.answer)
    assert not any(e.get("name") == "search" for e in events)


def test_a_catalogue_answer_clears_the_subject() -> None:
    _, events = run(ActionAnswer(), tracker("quels ateliers sur l'IA ?", "ask_workshops",
                                            [{"entity": "topic", "value": "intelligence artificielle"}],
                                            {"subject": "Académie IBM"}))
    assert slot(events, "subject") is None


def test_a_follow_up_is_searched_in_the_region_of_the_last_fact() -> None:
    """« et elle devait être signée où et quand ? » after the Grand Est convention: not the Cité's dates."""
    question = "Et elle devait être signée où et quand ?"
    occitanie = {"region": "occitanie", "document": None}
    elsewhere, _ = run(ActionAnswer(), tracker(question, "faq", slots={"answered_from": occitanie}))
    assert "Strasbourg" not in elsewhere[0]["text"]  # the same words after a fact of Occitanie
    grand_est = {"region": "grand-est", "document": None}  # after the convention (its subject, as a fact sets it)
    slots = {"answered_from": grand_est, "subject": "convention tripartite Grand Est"}
    messages, events = run(ActionAnswer(), tracker(question, "faq", slots=slots))
    assert "26 novembre 2019" in messages[0]["text"] and "Strasbourg" in messages[0]["text"]
    convention = "grand-est-convention-syntec-grand-enov"
    assert slot(events, "answered_from") == {"region": "grand-est", "document": convention, "faq": None}


def test_a_demonstrative_naming_another_regions_subject_leaves_the_last_fact() -> None:
    """« Où et quand cette convention tripartite a-t-elle été signée ? » after the Cité's committee (Occitanie): the
    Grand Est convention, not the Cité searched again."""
    committee = "Le comité stratégique comptait aussi des organismes : Digital 113, le Medef et l'UIMM."
    slots = {"answered_from": {"region": "occitanie", "document": None, "faq": "cite-partenaires-organismes"},
             "subject": "comité stratégique organismes"}
    messages, events = run(ActionAnswer(), tracker("Où et quand cette convention tripartite a-t-elle été signée ?",
                                                   "faq", slots=slots, said=committee))
    assert "26 novembre" in messages[0]["text"] and "Strasbourg" in messages[0]["text"]
    assert slot(events, "answered_from")["region"] == "grand-est"


def test_a_question_pointing_back_with_a_demonstrative_stays_with_the_last_fact() -> None:
    """« c qui qui a lancé ce projet ? » after the campus of Charbonnières: the campus, not the Cité."""
    question = "c qui qui a lancé ce projet ?"
    cite = {"subject": "Cité", "answered_from": {"region": "occitanie", "document": None}}
    elsewhere, _ = run(ActionAnswer(), tracker(question, "faq", slots=cite))
    assert "Charbonnières" not in elsewhere[0]["text"]
    campus = {"subject": "campus numerique auvergne rhone alpes",
              "answered_from": {"region": "auvergne-rhone-alpes", "document": None}}
    messages, _ = run(ActionAnswer(), tracker(question, "faq", slots=campus))
    assert "Charbonnières" in messages[0]["text"] and "Occitanie" not in messages[0]["text"]


def test_a_sure_answer_of_another_region_is_kept_for_a_follow_up() -> None:
    """The conversation's region is a preference, not a wall: « et c'est où la Cité ? » is answered."""
    messages, _ = run(ActionAnswer(), tracker("et c'est où la Cité de Montpellier ?", "faq",
                                              slots={"answered_from": {"region": "grand-est", "document": None}}))
    assert "Odysseum" in messages[0]["text"]


def test_a_region_named_keeps_the_answer_in_that_region() -> None:
    question = ("Est-ce que la Région Grand Est s'intéresse vraiment aux toutes petites entreprises comme la mienne, "
                "ou seulement aux start-up ?")
    messages, events = run(ActionAnswer(), tracker(question, "faq"))
    assert "Grand Est" in messages[0]["text"] and "Charbonnières" not in messages[0]["text"]
    assert slot(events, "answered_from")["region"] == "grand-est"


def test_the_region_of_the_last_fact_outlives_a_catalogue_answer_but_not_a_job_card() -> None:
    grand_est = {"answered_from": {"region": "grand-est", "document": None}}
    _, events = run(ActionAnswer(), tracker("quels ateliers sur l'IA ?", "ask_workshops",
                                            [{"entity": "topic", "value": "intelligence artificielle"}], grand_est))
    assert not any(e.get("name") == "answered_from" for e in events)
    _, events = run(ActionAnswer(), tracker("c quoi le metier de data scientist ?", "ask_job_info",
                                            [{"entity": "job", "value": "data scientist"}], grand_est))
    assert slot(events, "answered_from") is None  # the card's subject is a job, of no region


@pytest.mark.parametrize("slot_name", ["situation", "interest"])
def test_a_question_inside_the_job_form_is_answered_and_the_form_asks_again(slot_name: str) -> None:
    said = "c'est où exactement la Cité ?"
    dispatcher = CollectingDispatcher()
    validate = getattr(ValidateJobExplorationForm(), f"validate_{slot_name}")
    assert validate(said, dispatcher, tracker(said, "inform"), {}) == {
        slot_name: None, "subject": "Cité",
        "answered_from": {"region": "occitanie", "document": None, "faq": "cite-adresse"}}
    assert "Odysseum" in dispatcher.messages[0]["text"]  # and its subject and region are kept for a follow-up


def test_a_follow_up_inside_the_job_form_is_about_the_fact_answered_in_it() -> None:
    """« c quoi ce NEGE ? » then « il a été créé quand ? », both asked while the guide waits for an answer."""
    first = "c quoi ce NEGE dont on m'a parlé ?"
    validated = ValidateJobExplorationForm().validate_situation(first, CollectingDispatcher(),
                                                                tracker(first, "faq"), {})
    assert validated["situation"] is None and "NEGE" in validated["subject"]
    dispatcher = CollectingDispatcher()
    follow_up = "il a été créé quand ?"
    ValidateJobExplorationForm().validate_situation(follow_up, dispatcher,
                                                    tracker(follow_up, "faq", slots=validated), {})
    assert "NEGE" in dispatcher.messages[0]["text"] or "pas encore la réponse" in dispatcher.messages[0]["text"]
    assert "Odysseum" not in dispatcher.messages[0]["text"]  # not the Cité's dates


@pytest.mark.parametrize("slot_name", ["situation", "interest"])
def test_keyboard_mashing_inside_the_job_form_is_no_answer(slot_name: str) -> None:
    said = "fjdksl qpwoeiru"
    dispatcher = CollectingDispatcher()
    validate = getattr(ValidateJobExplorationForm(), f"validate_{slot_name}")
    assert validate(said, dispatcher, tracker(said, "nlu_fallback"), {}) == {slot_name: None}
    assert "reformuler" in dispatcher.messages[0]["text"]
    assert validate("Cybersécurité", CollectingDispatcher(), tracker("Cybersécurité", "inform"), {})[slot_name]


def test_a_question_on_a_fact_naming_a_topic_inside_the_job_form_is_answered() -> None:
    said = "au fait c koi le truc d'informatique quantique d'IBM a montpellier ?"
    dispatcher = CollectingDispatcher()
    assert ValidateJobExplorationForm().validate_interest(said, dispatcher, tracker(said, "inform"), {})[
        "interest"] is None
    assert "quantique" in dispatcher.messages[0]["text"] and "IBM" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()  # the topic its entity mapping gave as the answer
    assert ValidateJobExplorationForm().validate_interest("informatique quantique", dispatcher, tracker(said, "faq"),
                                                          {})["interest"] is None
    assert "IBM" in dispatcher.messages[0]["text"]


def test_an_answer_inside_the_job_form_is_not_taken_for_a_question() -> None:
    dispatcher = CollectingDispatcher()
    said = "je suis en reconversion"
    assert ValidateJobExplorationForm().validate_situation(said, dispatcher, tracker(said, "inform"), {}) == {
        "situation": "reconversion"}
    assert dispatcher.messages == []
    said_again = ValidateJobExplorationForm().validate_interest("Salarié·e", dispatcher, tracker("Salarié·e", "inform"),
                                                                 {})
    assert said_again == {"situation": "salarié", "interest": None}  # the situation again: the interest asked again
    own_words = "devenir entrepreneur"
    assert ValidateJobExplorationForm().validate_interest(own_words, dispatcher, tracker(own_words, "inform"), {}) == {
        "interest": own_words}  # names a public, but is no situation: kept as said
    asked_again = "ok aide moi a trouver un metier d'avenir"
    assert ValidateJobExplorationForm().validate_situation(
        asked_again, dispatcher, tracker(asked_again, "explore_jobs"), {}) == {"situation": None}
    assert dispatcher.messages == []  # the form asks its question again


def test_a_question_instead_of_a_contact_is_answered_without_the_error() -> None:
    dispatcher = CollectingDispatcher()
    said = "attendez, elle est où la Cité ?"
    validated = ValidateCallbackForm().validate_contact(said, dispatcher, tracker(said, "inform"), {})
    assert validated["contact"] is None and "Cité" in validated["subject"]
    assert len(dispatcher.messages) == 1 and "Odysseum" in dispatcher.messages[0]["text"]
    wrong = CollectingDispatcher()
    ValidateCallbackForm().validate_contact("06 12", wrong, tracker("06 12", "inform"), {})
    assert "pas reconnu" in wrong.messages[0]["text"]


def test_a_question_read_as_information_is_answered_as_a_question() -> None:
    messages, _ = run(ActionFollowUp(), tracker("où se trouve la cité ?", "inform"))
    assert "Odysseum" in messages[0]["text"]


def test_a_company_describing_itself_gets_the_services_for_it() -> None:
    said = "nous sommes une menuiserie de huit personnes"
    messages, events = run(ActionFollowUp(), tracker(said, "inform"))
    search = slot(events, "search")
    assert search["kind"] == "services" and search["sector"] == "artisanat"
    assert messages[0]["buttons"]


def test_information_with_nothing_to_use_is_asked_again() -> None:
    messages, events = run(ActionFollowUp(), tracker("bof", "inform"))
    assert [m.get("response") for m in messages] == ["utter_default"] and events == []


@pytest.mark.parametrize("text, intent, response", [
    ("t'es un robot ?", "bot_challenge", "utter_bot_challenge"),
    ("tu sers à quoi ?", "ask_capabilities", "utter_capabilities"),
    ("non merci", "deny", "utter_anything_else"),
    ("oui", "affirm", "utter_anything_else"),
    ("et toi, tu vas bien ?", "bot_challenge", "utter_bot_challenge"),  # a follow-up without a subject: small talk
    ("merci, au revoir", "goodbye", "utter_goodbye"),
])
def test_small_talk_gets_its_answer(text: str, intent: str, response: str) -> None:
    before = len(knowledge.unanswered(limit=1000))
    messages, events = run(ActionSmallTalk(), tracker(text, intent))
    assert [m.get("response") for m in messages] == [response] and events == []
    assert len(knowledge.unanswered(limit=1000)) == before  # nothing searched aloud, nothing logged for staff


def test_a_question_read_as_small_talk_gets_the_fact() -> None:
    """A question long enough to name its subject, or a follow-up on the last one, is answered when the store
    knows the answer, whatever small-talk intent NLU read in it."""
    messages, events = run(ActionSmallTalk(), tracker("la Cité, c'était une promesse de campagne de qui, non ?",
                                                      "deny"))
    assert "Delga" in messages[0]["text"] and slot(events, "subject")
    subject = slot(run(ActionAnswer(), tracker("C'est quoi l'Académie IBM ?", "faq"))[1], "subject")
    messages, _ = run(ActionSmallTalk(), tracker("et ça dure combien de temps ?", "ask_capabilities",
                                                 slots={"subject": subject}))
    assert "18 mois" in messages[0]["text"]
    messages, _ = run(ActionSmallTalk(), tracker("le dispositif nege c ne en quelle annee", "deny"))
    assert "2013" in messages[0]["text"]  # no question mark, but it asks for a date
    subject = slot(run(ActionAnswer(), tracker("Qui a créé la Cité ?", "faq"))[1], "subject")
    messages, _ = run(ActionSmallTalk(), tracker("Qui porte ce projet ?", "bot_challenge", slots={"subject": subject}))
    assert "Occitanie" in messages[0]["text"]  # short, but pointing back at the last subject


def test_a_question_read_as_goodbye_gets_the_fact_and_a_goodbye_stays_one() -> None:
    """« pk ils ont pris cet endroit alors » (read as goodbye) after the campus asks about it; « ok ça marche, bonne
    journée » after the same answer is a goodbye, though « ça » might point back, and so are « merci c'était top »
    (« c'était » often asks for a fact) and « tchuss » (gibberish to the store)."""
    subject = slot(run(ActionAnswer(), tracker("Où doit s'installer le campus numérique de Charbonnières ?",
                                               "faq"))[1], "subject")
    messages, _ = run(ActionSmallTalk(), tracker("pk ils ont pris cet endroit alors", "goodbye",
                                                 slots={"subject": subject}))
    assert "Charbonnières" in messages[0]["text"]
    for goodbye in ("ok ça marche, bonne journée", "merci c'était top, à plus", "tchuss"):
        messages, _ = run(ActionSmallTalk(), tracker(goodbye, "goodbye", slots={"subject": subject}))
        assert [m.get("response") for m in messages] == ["utter_goodbye"], goodbye


def test_a_contact_in_a_sentence_answers_the_callback_form_whatever_the_intent() -> None:
    slots = {"requested_slot": "contact"}
    t = tracker("Par mail : direction@transfroid66.fr", "faq", slots=slots)
    t.active_loop = {"name": "callback_form"}
    messages, events = run(ActionAnswer(), t)
    assert messages == [] and slot(events, "contact") == "direction@transfroid66.fr"
    t.active_loop = {"name": "job_exploration_form"}  # another form: not a contact for a callback
    assert run(ActionAnswer(), t)[0]


@pytest.mark.parametrize("action, intent", [(ActionAnswer(), "ask_workshops"), (ActionFollowUp(), "inform"),
                                            (ActionSmallTalk(), "affirm"), (ActionContactHuman(), "request_human")])
def test_a_contact_given_outside_any_form_starts_the_callback_request_with_it(action: Any, intent: str) -> None:
    """« D'accord. Mon numéro : 04 76 55 44 33. » after « parler à un conseiller »: the form asks consent next."""
    messages, events = run(action, tracker("D'accord. Mon numéro : 04 76 55 44 33, plutôt le matin.", intent))
    assert messages == [] and slot(events, "contact") == "04 76 55 44 33"
    assert {"event": "followup", "name": "callback_form"} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    for question in ("où se trouve la cité ? écrivez-moi à lea@exemple.fr", "la cantine ? marc@exemple.fr"):
        asked, events = run(action, tracker(question, intent))
        assert asked and not any(e.get("event") == "followup" for e in events)  # answered, its contact not taken


@pytest.mark.parametrize("action, intent", [(ActionAnswer(), "ask_services"), (ActionContactHuman(), "request_human")])
def test_a_callback_asked_for_starts_the_callback_request_whatever_the_intent(action: Any, intent: str) -> None:
    """A company describing itself, then asking to be called back: the callback request, not a listing."""
    messages, events = run(action, tracker(
        "Bonjour, nous avons cinq boulangeries autour de Grenoble et voulons vendre en ligne. J'aimerais être "
        "rappelé par un conseiller pour en discuter.", intent))
    assert messages == [] and [e.get("name") for e in events if e.get("event") == "followup"] == ["callback_form"]
    reminded, events = run(action, tracker("pouvez-vous me rappeler vos horaires d'ouverture ?", intent))
    assert reminded and not any(e.get("event") == "followup" for e in events)


def test_the_callback_form_takes_the_contact_in_the_message_that_asked_for_it() -> None:
    form = ValidateCallbackForm()
    asked = tracker("bon ok rappelez moi au 07 81 22 33 44", "request_callback")
    assert form.extract_contact(CollectingDispatcher(), asked, {}) == {"contact": "07 81 22 33 44"}
    assert form.extract_contact(CollectingDispatcher(), tracker("rappelez-moi", "request_callback"), {}) == {}
    asking = tracker("07 81 22 33 44", "inform", slots={"requested_slot": "contact"})
    assert form.extract_contact(CollectingDispatcher(), asking, {}) == {}  # the form's own mapping takes it


def test_the_guide_takes_what_was_already_said() -> None:
    form = ValidateJobExplorationForm()
    earlier = tracker("tu peux me proposer des métiers ?", "explore_jobs")
    earlier.events.insert(0, {"event": "user", "text": "je suis en terminale et j'hésite à faire de l'info"})
    assert form.extract_situation(CollectingDispatcher(), earlier, {}) == {"situation": "lycéen"}
    assert form.extract_interest(CollectingDispatcher(), earlier, {}) == {}
    sms = tracker("tu peux me faire le questionnaire pour trouver un metier ? jsuis en 1ere", "explore_jobs")
    assert form.extract_situation(CollectingDispatcher(), sms, {}) == {"situation": "lycéen"}
    named = tracker("des métiers dans la cybersécurité ?", "explore_jobs")
    assert form.extract_interest(CollectingDispatcher(), named, {}) == {"interest": "cybersécurité"}
    others = tracker("tu peux me proposer des métiers ?", "explore_jobs")
    others.events.insert(0, {"event": "user", "text": "mon fils est en terminale, il y a des ateliers ?"})
    assert form.extract_situation(CollectingDispatcher(), others, {}) == {}  # not their own situation
    own_work = tracker("je bosse dans la banque depuis 15 ans, quels métiers pour me reconvertir ?", "explore_jobs")
    assert form.extract_interest(CollectingDispatcher(), own_work, {}) == {}  # where they are, not where they go
    past = tracker("j'ai 42 ans, en reconversion après 15 ans dans la banque : tu m'aides à trouver un métier ?",
                   "explore_jobs")
    assert form.extract_interest(CollectingDispatcher(), past, {}) == {}  # where they come from; « j'ai » is no IA
    asked = tracker("la cybersécurité", "inform", slots={"requested_slot": "situation"})
    assert form.extract_situation(CollectingDispatcher(), asked, {}) == {}  # the form's own mapping answers
    assert form.extract_interest(CollectingDispatcher(), asked, {}) == {}


def test_a_fact_question_read_as_a_request_for_a_person_gets_the_fact() -> None:
    messages, _ = run(ActionContactHuman(), tracker("j'ai vu passer le nom cité connectée, c'est quoi ?",
                                                    "request_human"))
    assert "joindre un conseiller" not in messages[0]["text"] and "connect" in messages[0]["text"].lower()
    mayor, _ = run(ActionContactHuman(), tracker("qui était l'ancien maire de Montpellier ?", "request_human"))
    assert "Saurel" in mayor[0]["text"]
    for text in ("je voudrais parler à un conseiller", "avec qui je peux parler de mon entreprise ?",
                 "qui peut m'aider pour mon site internet ?", "c'est qui mon interlocuteur à la Cité ?",
                 "à qui s'adresser à la Cité ?", "qui contacter pour un accompagnement ?",
                 "Qui est le responsable des formations ?", "Qui gère les ateliers ?"):
        messages, _ = run(ActionContactHuman(), tracker(text, "request_human"))
        assert "joindre un conseiller" in messages[0]["text"]


def test_a_wish_to_find_a_job_of_the_future_read_as_a_catalogue_request_starts_the_jobs_guide() -> None:
    """« tu peux m'aider à trouver un métier du futur ? » read as ask_services: the guide asks the situation, no
    listing of services; read as explore_jobs, the rules start the guide (no follow-up action of its own)."""
    text = "ok cool. tu peux m'aider a trouver un metier du futur ?"
    messages, events = run(ActionAnswer(), tracker(text, "ask_services"))
    assert messages == [] and [e.get("name") for e in events if e.get("event") == "followup"] == [
        "job_exploration_form"]
    _, events = run(ActionAnswerAboutJobs(), tracker(text, "explore_jobs"))
    assert not any(e.get("event") == "followup" for e in events) and slot(events, "fact_answered") is False
    in_form = tracker(text, "ask_services")
    in_form.active_loop = {"name": "callback_form"}
    _, events = run(ActionAnswer(), in_form)
    assert not any(e.get("event") == "followup" for e in events)  # the callback request resumes (rules.yml)


def test_a_wish_to_talk_to_a_person_read_as_a_question_gets_the_contacts() -> None:
    """« Je souhaiterais parler à un conseiller pour étudier un partenariat » read as a question on the FAQ: the
    contacts (action_contact_human), not a fact about partnerships; within a form, the form's own rules decide."""
    text = "Très bien, merci. Je souhaiterais parler à un conseiller pour étudier un éventuel partenariat avec la Cité."
    messages, events = run(ActionAnswer(), tracker(text, "faq"))
    assert messages == [] and [e.get("name") for e in events if e.get("event") == "followup"] == [
        "action_contact_human"]
    in_form = tracker(text, "faq")
    in_form.active_loop = {"name": "job_exploration_form"}
    _, events = run(ActionAnswer(), in_form)
    assert not any(e.get("event") == "followup" for e in events)
    messages, events = run(ActionAnswer(), tracker("Je voudrais parler à un conseiller : combien de demandeurs "
                                                   "d'emploi l'Académie IBM forme-t-elle ?", "faq"))
    assert "25" in messages[0]["text"] and not any(e.get("event") == "followup" for e in events)  # a fact asked


def test_a_liking_read_as_another_intent_still_answers_the_job_forms_question() -> None:
    """« ce qui m'attire c'est aider les gens et l'organisation »: NLU read the services in it; the guide takes it."""
    said = "ok. moi ce qui mattire cest aider les gens et lorganisation"
    form = ValidateJobExplorationForm()
    asked = tracker(said, "ask_services", slots={"situation": "salarié", "requested_slot": "interest"})
    assert form.extract_interest(CollectingDispatcher(), asked, {}) == {"interest": said}
    question = "ça m'attire, mais il faut un diplôme pour ça ?"  # a question is answered, not taken
    assert form.extract_interest(CollectingDispatcher(), tracker(question, "faq", slots={
        "situation": "salarié", "requested_slot": "interest"}), {}) == {}
    for said, intent in (("parlez-moi de vos services", "ask_services"),  # no liking said
                         ("je préfère qu'un conseiller me rappelle", "request_callback"),  # their own way
                         ("ça m'intéresse pas, au revoir", "goodbye"), ("ça m'intéresse pas trop tout ça", "faq")):
        assert form.extract_interest(CollectingDispatcher(), tracker(said, intent, slots={
            "situation": "salarié", "requested_slot": "interest"}), {}) == {}


def test_a_yes_said_with_thanks_is_consent_even_when_nlu_heard_a_goodbye() -> None:
    form, asked = ValidateCallbackForm(), {"contact": "04 66 21 37 90", "requested_slot": "consent"}
    assert form.extract_consent(CollectingDispatcher(), tracker("J'accepte, merci.", "goodbye", slots=asked),
                                {}) == {"consent": True}
    assert form.extract_consent(CollectingDispatcher(), tracker("non, je n'accepte pas", "deny", slots=asked), {}) == {}
    assert form.extract_consent(CollectingDispatcher(), tracker("merci, au revoir", "goodbye", slots=asked), {}) == {}
    hesitating = "d'accord, mais vous gardez mes données combien de temps ?"  # a question, answered as such
    assert form.extract_consent(CollectingDispatcher(), tracker(hesitating, "faq", slots=asked), {}) == {}
