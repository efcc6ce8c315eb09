"""The guided forms' validation: free answers mapped to the store's vocabulary, and a question asked instead
of an answer answered before the form asks again (« et il faut un diplôme pour ça ? »)."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

import knowledge
from bot.actions.answer import ActionAnswer, intent_of
from bot.actions.contact import find_contact
from bot.actions.context import text_of, user_texts
from knowledge.decision import asks_for_fact
from knowledge.text import says, tokens
from knowledge.turns import is_question

logger = logging.getLogger(__name__)
_ANSWER = ActionAnswer()


def answered_instead(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any] | None:
    """When the message is a question rather than an answer, answer it (as a question, whatever NLU said)
    and say so: the slots the answer sets (its subject, for a follow-up), the form then asking its question
    again; None for an answer."""
    if not is_question(str(value or "")) or str(value) != text_of(tracker):
        return None
    try:
        events = _ANSWER.respond(dispatcher, tracker, intent="faq")[1]
    except (SQLAlchemyError, OSError):
        logger.exception("store unavailable for a question asked in a form")
        dispatcher.utter_message(response="utter_action_unavailable")
        return {}
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def unreadable(text: str, dispatcher: CollectingDispatcher) -> bool:
    """Keyboard mashing instead of an answer (« fjdksl qpwoeiru »): say so; the form asks its question again."""
    if not knowledge.is_gibberish(text):
        return False
    dispatcher.utter_message(text="Pardon, je n'ai pas compris votre réponse. Pouvez-vous reformuler avec vos mots ?")
    return True


def not_an_answer(text: str, found: str | None, dispatcher: CollectingDispatcher,
                  tracker: Tracker) -> dict[str, Any] | None:
    """When the guided form's answer is rather keyboard mashing or a question, which is answered (nothing of the
    vocabulary was `found` in it, or the message asks for a fact: « c koi le truc d'informatique quantique ? »,
    whose topic an entity mapping may have given as the answer), the slots to set besides; None for an answer."""
    message = text_of(tracker)
    if found is not None and not asks_for_fact(message):
        return None
    if unreadable(text, dispatcher):
        return {}
    return answered_instead(message, dispatcher, tracker)


FIRST_PERSON = frozenset({"je", "j", "jsuis", "jsui", "chui", "moi"})
OWN_WORK = ("travaille", "bosse", "taf", "mon poste", "mon metier", "mon emploi", "mon entreprise", "ma boite",
            "notre entreprise", "nous sommes", "salarie", "salariee", "employe", "employee",
            "ans dans", "annees dans", "j etais", "ancien", "ancienne")  # past work: « après 15 ans dans la banque »


LIKING = ("m attire", "mattire", "m attirent", "mattirent", "j aime", "jaime", "j adore", "jadore", "me plait",
          "me plairait", "me branche", "me passionne", "m interesse", "minteresse", "m interesserait")
NOT_LIKING = ("pas", "plus", "rien", "jamais", "sais")  # « ça m'intéresse pas », « ce qui m'attire ? je sais pas »
CONTENT_INTENTS = frozenset({"faq", "ask_services", "ask_workshops", "ask_trainings", "out_of_scope", "nlu_fallback"})


def asks_anything(text: str) -> bool:
    """A question, or a question mark anywhere (« ce qui m'attire ? je sais pas trop »)."""
    return is_question(text) or "?" in text


def states_a_liking(text: str, intent: str) -> bool:
    """Whether the message says what the person likes (« moi ce qui m'attire c'est aider les gens ») where NLU read a
    question on our content in it (« aider », « organisation »: the services): an answer to the guide's question. A
    goodbye, a refusal or a request for a person keep their own way."""
    return intent in CONTENT_INTENTS and says(text, LIKING) and not says(text, NOT_LIKING) and not asks_anything(text)


def speaks_of_self(text: str) -> bool:
    """Whether the person speaks of themselves (« je suis en terminale »), not of others (« et pour les lycéens ? »)."""
    return bool(FIRST_PERSON & set(tokens(text)))


def describes_own_work(text: str) -> bool:
    """Whether the message describes the person's work, current or past, whose sector is no wish for the future."""
    return says(text, OWN_WORK)


class ValidateJobExplorationForm(FormValidationAction):
    """Maps free answers to the store's vocabulary; an answer it cannot map is kept as said. What the person
    already said is not asked again: their situation told earlier (« je suis en terminale »), the interest named
    in the message that starts the guide (« des métiers dans la cybersécurité ? »)."""

    def name(self) -> str:
        return "validate_job_exploration_form"

    def extract_situation(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: dict[str, Any]) -> dict[str, Any]:
        if tracker.get_slot("situation") or tracker.get_slot("requested_slot"):
            return {}  # once the form asks, its own mapping takes the answer
        told = next((found for text in user_texts(tracker)
                     if speaks_of_self(text) and (found := knowledge.mentioned("audience", text))), None)
        return {"situation": told[0]} if told else {}

    def extract_interest(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: dict[str, Any]) -> dict[str, Any]:
        if tracker.get_slot("interest"):
            return {}
        if tracker.get_slot("requested_slot") == "interest":  # the form's own mapping takes the answer, unless NLU
            text = text_of(tracker)  # read an interruption in a liking: « ce qui m'attire c'est aider les gens »
            liked = "interest" not in tracker.slots_to_validate() and states_a_liking(text, intent_of(tracker))
            return {"interest": text} if liked else {}
        if tracker.get_slot("requested_slot"):
            return {}
        text = text_of(tracker)
        if describes_own_work(text):  # « je bosse dans une banque, quels métiers ? »: not where they want to go
            return {}
        named = knowledge.mentioned("topic", text) + knowledge.mentioned("sector", text)
        return {"interest": named[0]} if named else {}

    def validate_situation(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: dict[str, Any]) -> dict[str, Any]:
        text = str(value or "").strip()
        found = knowledge.canonical("audience", text) or next(iter(knowledge.mentioned("audience", text)), None)
        if (answered := not_an_answer(text, found, dispatcher, tracker)) is not None:
            return {**answered, "situation": None}
        if found is None and intent_of(tracker) == "explore_jobs":  # « aide moi a trouver un metier »: asked again
            return {"situation": None}
        return {"situation": found or text[:100] or None}

    def validate_interest(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: dict[str, Any]) -> dict[str, Any]:
        text = str(value or "").strip()
        found = (knowledge.canonical("sector", text) or knowledge.canonical("topic", text)
                 or next(iter(knowledge.mentioned("topic", text) + knowledge.mentioned("sector", text)), None))
        if (answered := not_an_answer(text, found, dispatcher, tracker)) is not None:
            return {**answered, "interest": None}
        situation = knowledge.canonical("audience", text)  # a situation's name, not « devenir entrepreneur »
        if found is None and situation:  # a situation (« Salarié·e ») said again: taken, the interest asked again
            return {"situation": situation, "interest": None}
        return {"interest": found or text[:100] or None}


AGREEING = ("j accepte", "jaccepte", "d accord", "daccord")
REFUSING = ("non", "pas", "refuse", "n accepte", "mais", "reflechir", "finalement")


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_callback_form"

    def extract_contact(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: dict[str, Any]) -> dict[str, Any]:
        """The contact in the very message that asked for the callback (« rappelez-moi au 07 81 22 33 44 »):
        the form does not ask for it again. Once the form asks, its own mapping takes the answer."""
        if tracker.get_slot("contact") or tracker.get_slot("requested_slot"):
            return {}
        contact = find_contact(text_of(tracker))
        return {"contact": contact} if contact else {}

    def extract_consent(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: dict[str, Any]) -> dict[str, Any]:
        """« J'accepte, merci. » is a yes, even when NLU heard a goodbye in the thanks; a refusal is left to NLU."""
        if tracker.get_slot("requested_slot") != "consent" or tracker.get_slot("consent") is not None:
            return {}
        text = text_of(tracker)
        agrees = says(text, AGREEING) and not says(text, REFUSING) and not asks_anything(text)
        return {"consent": True} if agrees else {}

    def validate_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: dict[str, Any]) -> dict[str, Any]:
        contact = find_contact(str(value or ""))
        answered = None if contact else answered_instead(value, dispatcher, tracker)
        if contact is None and answered is None:
            dispatcher.utter_message(text="Je n'ai pas reconnu d'adresse e-mail ni de numéro de téléphone. "
                                          "Pouvez-vous vérifier ? (ou répondez « non » pour annuler)")
        return {**(answered or {}), "contact": contact}
