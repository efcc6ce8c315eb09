"""Reaching a person: the centre's contact, and a callback request kept only with consent."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from bot.actions.base import StoreAction
from bot.actions.context import channel_of, last_search, text_of
from bot.actions.render import DEMO, button, fit
from bot.actions.turn_log import log_turn
from knowledge.decision import asks_for_fact
from knowledge.turns import asks_for_callback, is_question

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
REDACT_SLOT = "redact"  # bot/engine/tracker_store.py erases the conversation's texts that hold its value
PHONE = re.compile(r"(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}")


def find_contact(text: str) -> str | None:
    """An e-mail address or a French phone number in `text`."""
    match = EMAIL.search(text) or PHONE.search(text)
    return match.group(0) if match else None


def take_contact(tracker: Tracker) -> list[EventType] | None:
    """The events for an e-mail address or phone number in the message, whatever intent NLU read: the callback
    form's answer while it asks for one (« Au 04 66 12 34 56, plutôt le matin »); outside any form, a callback
    request with that contact (« rappelez-moi au 07 81 22 33 44 », « Mon numéro : … »), consent asked next.
    None when the message holds no contact, or another form is running, or it asks a question outside any form
    (« où se trouve la Cité ? écrivez-moi à … » is answered; its contact is masked wherever it is logged)."""
    text = text_of(tracker)
    contact = find_contact(text)
    loop = (tracker.active_loop or {}).get("name")
    if contact is None or loop not in (None, "callback_form"):
        return None
    if loop is None:
        asks = "?" in text or is_question(text)  # « le menu de la cantine ? marc@… » asks, then signs
        return None if asks else [SlotSet("contact", contact), FollowupAction("callback_form")]
    return [SlotSet("contact", contact)] if tracker.get_slot("requested_slot") == "contact" else None


def callback_asked(tracker: Tracker) -> list[EventType] | None:
    """Outside any form, a message asking to be called back (« … J'aimerais être rappelé par un conseiller. »)
    starts the callback request, whatever intent NLU read in the rest of it (a company describing itself reads
    as a request for services); a question on a fact that mentions a callback is answered instead. None otherwise."""
    text = text_of(tracker)
    in_form = bool((tracker.active_loop or {}).get("name"))
    if in_form or not asks_for_callback(text) or asks_for_fact(text):
        return None
    return [FollowupAction("callback_form")]


def handed_over(tracker: Tracker) -> list[EventType] | None:
    """The callback request a message starts by giving a contact or by asking to be called back; None if none."""
    events = take_contact(tracker)
    return events if events is not None else callback_asked(tracker)


class ActionContactHuman(StoreAction):
    def name(self) -> str:
        return "action_contact_human"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if (events := handed_over(tracker)) is not None:
            return events  # « je veux parler à quelqu'un, mon numéro : … », « … ou qu'on me rappelle »
        contacts = knowledge.centre_contacts()
        callback = button("Être rappelé·e", "/request_callback")
        log_turn(dispatcher, tracker, "handoff", "contact")
        if not contacts:
            dispatcher.utter_message(
                text="Je n'ai pas encore de coordonnées à vous communiquer, mais un conseiller peut vous rappeler.",
                buttons=[callback])
            return []
        lines = []
        for centre in contacts[:2]:
            ways = ", ".join(part for part in (centre.phone, centre.email, centre.website) if part)
            hours = f" ({centre.hours})" if centre.hours else ""
            lines.append(f"- **{centre.name}** : {ways}{hours}{DEMO if centre.demo else ''}")
        dispatcher.utter_message(
            text=fit("Vous pouvez joindre un conseiller de la Cité :", lines,
                     "Vous pouvez aussi laisser un contact pour être rappelé·e."),
            buttons=[callback, button("Une autre question", "/ask_capabilities")],
        )
        return []


class ActionSaveCallback(StoreAction):
    """Records the callback request only when a contact was given and consent was said."""

    def name(self) -> str:
        return "action_save_callback"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        contact, consent = tracker.get_slot("contact"), tracker.get_slot("consent")
        if contact and consent is True:
            topic = (last_search(tracker) or {}).get("topic", "")
            knowledge.record_callback(contact, topic=topic, channel=channel_of(tracker), sender_id=tracker.sender_id)
            log_turn(dispatcher, tracker, "handoff", "callback")
            dispatcher.utter_message(text="C'est noté : un conseiller vous recontactera rapidement. Merci !",
                                     buttons=[button("Une autre question", "/ask_capabilities")])
            return [SlotSet("contact", None), SlotSet("consent", None)]
        dispatcher.utter_message(text="Entendu, je n'ai rien enregistré.",
                                 buttons=[button("Une autre question", "/ask_capabilities")])
        erase = [SlotSet(REDACT_SLOT, contact)] if contact else []  # the tracker store erases what was typed
        return [SlotSet("contact", None), SlotSet("consent", None), *erase]
