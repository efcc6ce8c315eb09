"""FAQ answers retrieved from the store at run time, and honest answers when nothing matches."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from bot.actions.base import StoreAction
from bot.actions.context import channel_of, text_of
from bot.actions.render import button

NEXT_STEPS = [button("Une autre question", "/ask_capabilities"), button("Parler à un conseiller", "/request_human")]
UNKNOWN = ("Je n'ai pas encore la réponse à cette question. Je l'ai notée pour que l'équipe complète mes "
           "informations. Un conseiller peut vous répondre directement :")


def answer_or_admit(dispatcher: CollectingDispatcher, tracker: Tracker, threshold: float) -> list[EventType]:
    """Answer from the FAQ if a published entry is close enough, else say so and log the question."""
    question = text_of(tracker)
    if not any(character.isalnum() for character in question):
        dispatcher.utter_message(response="utter_default")
        return []
    best = knowledge.faq.search(question, limit=1)
    if best and best[0].score >= threshold:
        answer = best[0].answer + ("\n(Information de démonstration.)" if best[0].demo else "")
        dispatcher.utter_message(text=answer, buttons=NEXT_STEPS)
        return []
    knowledge.record_unanswered(question, channel=channel_of(tracker),
                                best_match=best[0].id if best else "", best_score=best[0].score if best else 0.0)
    dispatcher.utter_message(text=UNKNOWN, buttons=[button("Parler à un conseiller", "/request_human"),
                                                    button("Ce que je sais faire", "/ask_capabilities")])
    return []


class ActionAnswerFaq(StoreAction):
    def name(self) -> str:
        return "action_answer_faq"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        return answer_or_admit(dispatcher, tracker, knowledge.FAQ_THRESHOLD)


class ActionFallback(StoreAction):
    """NLU was unsure: a close FAQ entry still answers; otherwise an honest answer and the menu."""

    def name(self) -> str:
        return "action_fallback"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if text_of(tracker).startswith("/"):
            dispatcher.utter_message(response="utter_default")
            return []
        return answer_or_admit(dispatcher, tracker, knowledge.FAQ_THRESHOLD + 0.1)
