"""Reaching a person: the centre's contact, and a callback request kept only with consent."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from bot.actions.answer import state_fact, weigh
from bot.actions.base import StoreAction
from bot.actions.contact import handed_over
from bot.actions.context import channel_of, last_search, text_of
from bot.actions.render import DEMO, button, fit
from bot.actions.turn_log import log_turn
from knowledge.decision import Source, asks_what_is
from knowledge.people import asks_who
from knowledge.text import fold

REDACT_SLOT = "redact"  # bot/engine/tracker_store.py erases the conversation's texts that hold its value


# a question on whom to reach: the person speaks of themselves, or of reaching someone
REACHING = frozenset({"je", "j", "m", "me", "moi", "mon", "ma", "mes", "nous", "notre", "nos", "on", "jpeux", "jveux",
                      "contacter", "appeler", "joindre", "ecrire", "parler", "adresser", "interlocuteur",
                      "conseiller", "conseillere", "aider", "rappeler", "renseigner", "accompagner", "vous", "votre",
                      "gere", "gerer", "responsable", "standard", "accueil", "joignable", "occupe", "charge"})


def asks_for_fact_instead(text: str) -> bool:
    """Whether a message read as asking for a person rather asks what something is, or who someone is
    (« c ki l'ancien maire ? »); not whom to reach (« à qui m'adresser ? », « qui peut m'aider ? », « c'est qui
    mon interlocuteur ? », « qui contacter ? »): the contacts."""
    folded = fold(text)
    return asks_what_is(folded) or (asks_who(text) and not REACHING & set(folded.split()))


class ActionContactHuman(StoreAction):
    """The centre's contacts; a callback request when the message gives a contact or asks to be called back; the
    fact when it rather asks what something is or who someone is and the store knows (« j'ai vu passer le nom cité
    connectée, c'est quoi ? », « c ki l'ancien maire ? »). A question on a person to talk to (« à qui m'adresser ? »,
    « qui peut m'aider ? ») gets the contacts."""

    def name(self) -> str:
        return "action_contact_human"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if (events := handed_over(tracker)) is not None:
            return events  # « je veux parler à quelqu'un, mon numéro : … », « … ou qu'on me rappelle »
        if asks_for_fact_instead(text_of(tracker)):
            weighed = weigh(tracker, "faq", False, False)
            if weighed.source in (Source.FAQ, Source.PASSAGE):
                return state_fact(dispatcher, tracker, weighed)
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
