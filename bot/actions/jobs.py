"""Jobs of tomorrow: the guided exploration, its suggestions, and job cards."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from bot.actions import catalogue
from bot.actions.base import StoreAction
from bot.actions.context import ANCHOR_SLOT, SUBJECT_SLOT, entity, text_of
from bot.actions.render import button, job_card
from bot.actions.turn_log import log_turn
from knowledge.schemas import JobInfo

EXPLORE = button("Explorer les métiers", "/explore_jobs")


def asked_job(tracker: Tracker) -> JobInfo | None:
    """The job of tomorrow the message names, if the store knows it."""
    return knowledge.match_job(entity(tracker, "job") or text_of(tracker))


def job_info(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """A job card for the job named; "comment y arriver ?" then finds its trainings."""
    job = asked_job(tracker)
    if job is None:
        dispatcher.utter_message(
            text="Je ne connais pas encore ce métier. Je peux vous présenter les métiers de demain que je connais.",
            buttons=[EXPLORE, button("Parler à un conseiller", "/request_human")],
        )
        return []
    card = knowledge.job_card(job.id) or job
    dispatcher.utter_message(text=job_card(card), buttons=[button("Comment y arriver ?", "/ask_trainings"), EXPLORE])
    return [SlotSet("job", job.id), SlotSet(SUBJECT_SLOT, card.title), SlotSet(ANCHOR_SLOT, None)]  # about a job


class ActionSuggestJobs(StoreAction):
    """Three jobs of tomorrow for the situation and interest gathered by the form, with why; kept as the last
    search, so that « et la santé ? » or « voir plus » goes on from there."""

    def name(self) -> str:
        return "action_suggest_jobs"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        interest = tracker.get_slot("interest") or ""
        search = {"kind": "jobs", "offset": 0, "sector": knowledge.canonical("sector", interest),
                  "topic": knowledge.canonical("topic", interest),
                  "audience": knowledge.canonical("audience", tracker.get_slot("situation") or "")}
        events = catalogue.reply_to(dispatcher, {k: v for k, v in search.items() if v is not None})
        log_turn(dispatcher, tracker, "catalogue", "jobs")
        return [*events, SlotSet("situation", None), SlotSet("interest", None), SlotSet(SUBJECT_SLOT, None)]
