"""A contact given or a callback asked for in any message: the events that start the callback request."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from bot.actions.context import text_of
from knowledge.decision import asks_for_fact
from knowledge.turns import asks_for_callback, asks_for_human, is_question

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
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


def human_asked(tracker: Tracker) -> list[EventType] | None:
    """Outside any form, a message asking to talk to a person (« Très bien, merci. Je souhaiterais parler à un
    conseiller pour étudier un partenariat. ») gets the contacts, whatever intent NLU read in the rest of it; a
    question on a fact is answered instead. None otherwise."""
    text = text_of(tracker)
    if (tracker.active_loop or {}).get("name") or not asks_for_human(text) or asks_for_fact(text):
        return None
    return [FollowupAction("action_contact_human")]


def handed_over(tracker: Tracker) -> list[EventType] | None:
    """The callback request a message starts by giving a contact or by asking to be called back; None if none."""
    events = take_contact(tracker)
    return events if events is not None else callback_asked(tracker)
