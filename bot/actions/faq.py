"""Answers from the store's texts: a FAQ entry, the sentences of a document, or an honest « je ne sais pas »."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from bot.actions.context import channel_of, text_of
from bot.actions.render import DEMO, button
from knowledge.passages import PassageMatch
from knowledge.schemas import FaqMatch
from knowledge.turns import RECALL

NEXT_STEPS = [button("Une autre question", "/ask_capabilities"), button("Parler à un conseiller", "/request_human")]
UNKNOWN = ("Je n'ai pas encore la réponse à cette question. Je l'ai notée pour que l'équipe complète mes "
           "informations. Un conseiller peut vous répondre directement :")


def faq_text(match: FaqMatch) -> str:
    return match.answer + (DEMO if match.demo else "")


def faq_reply(dispatcher: CollectingDispatcher, match: FaqMatch) -> str:
    """Say the FAQ answer; the text said."""
    dispatcher.utter_message(text=(said := faq_text(match)), buttons=NEXT_STEPS)
    return said


def source_phrase(match: PassageMatch) -> str:
    """« D'après un article de … » when staff wrote the source to follow « D'après », else the name quoted."""
    source = match.source.strip()
    return f"D'après {source}" if source[:1].islower() else f"D'après « {source or match.title} »"


def passage_text(match: PassageMatch) -> str:
    """The matching sentences only, with their source."""
    return f"{source_phrase(match)} : {' '.join(match.sentences)}{DEMO if match.demo else ''}"


def passage_reply(dispatcher: CollectingDispatcher, match: PassageMatch) -> str:
    """Say the passage with its source; the text said."""
    dispatcher.utter_message(text=(said := passage_text(match)), buttons=NEXT_STEPS)
    return said


def recall_reply(dispatcher: CollectingDispatcher, sentences: list[str], demo: bool) -> None:
    """The sentences of the last answer that hold what a follow-up asks, said again."""
    dispatcher.utter_message(text=f"{RECALL} « {' '.join(sentences)} »{DEMO if demo else ''}", buttons=NEXT_STEPS)


def admit(dispatcher: CollectingDispatcher, tracker: Tracker, best: FaqMatch | None) -> None:
    """Say we do not know yet, and log the question for staff."""
    knowledge.record_unanswered(text_of(tracker), channel=channel_of(tracker), sender_id=tracker.sender_id,
                                best_match=best.id if best else "", best_score=best.score if best else 0.0)
    dispatcher.utter_message(text=UNKNOWN, buttons=[button("Parler à un conseiller", "/request_human"),
                                                    button("Ce que je sais faire", "/ask_capabilities")])
