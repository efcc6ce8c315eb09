"""What the user asked for, read from the tracker: entities, mentioned values, dates, last search."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

import knowledge
from knowledge.text import fold

Search = dict[str, Any]
FILTERS = ("topic", "audience", "city", "sector", "job")
SUBJECT_SLOT = "subject"  # what the last fact or job card was about, for a follow-up (« et c'est payant ? »)
ANCHOR_SLOT = "answered_from"  # the region, document and FAQ entry of the last fact, searched first for a follow-up


def text_of(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def last_bot_text(tracker: Tracker) -> str | None:
    """The text of the assistant's last message in the conversation, if any."""
    return next((event.get("text") for event in reversed(tracker.events) if event.get("event") == "bot"), None)


def user_texts(tracker: Tracker) -> list[str]:
    """What the person wrote in this conversation, latest first."""
    return [event.get("text") or "" for event in reversed(tracker.events) if event.get("event") == "user"]


def entity(tracker: Tracker, name: str) -> str | None:
    values = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == name]
    return str(values[0]) if values and values[0] else None


def mentioned_city(text: str) -> str | None:
    """A known city named in `text`, even when NLU did not tag it."""
    padded = f" {fold(text)} "
    return next((c for c in knowledge.known_cities() if f" {fold(c)} " in padded), None)


def filters_from_message(tracker: Tracker) -> Search:
    """Filters the latest message states: NLU entities first, then what the store's vocabulary finds."""
    text = text_of(tracker)
    found: Search = {}
    for kind in ("topic", "audience", "sector"):
        value = entity(tracker, kind)
        value = knowledge.canonical(kind, value) if value else None
        if value is None and (mentions := knowledge.mentioned(kind, text)):
            value = mentions[0]
        if value:
            found[kind] = value
    city = entity(tracker, "city")
    if city := (knowledge.resolve_city(city) or city) if city else mentioned_city(text):
        found["city"] = city
    if job := entity(tracker, "job"):
        found["job_text"] = job
    if period := knowledge.date_range(text):
        found["start"], found["end"] = period[0].isoformat(), period[1].isoformat()
    return found


ANAPHORA = (" la dessus ", " dessus ", " ce sujet ", " ce theme ", " sur ca ", " sur cela ", " meme theme ",
            " meme sujet ", " en rapport ", " sur le sujet ")


def refers_back(text: str) -> bool:
    """Whether the message points at the previous topic ("des ateliers là-dessus ?")."""
    padded = f" {fold(text)} "
    return any(marker in padded for marker in ANAPHORA)


def regions_named(text: str) -> frozenset[str] | None:
    """The regions a message names (« la Région Grand Est », « à Lyon »), None when it names none."""
    return frozenset(knowledge.mentioned("region", text)) or None


def last_fact(tracker: Tracker) -> dict[str, str] | None:
    """The region (and document, for a passage) of the last fact answered, if it had a region."""
    anchor = tracker.get_slot(ANCHOR_SLOT)
    return anchor if isinstance(anchor, dict) and anchor.get("region") else None


def last_search(tracker: Tracker) -> Search | None:
    value = tracker.get_slot("search")
    return dict(value) if isinstance(value, dict) and value.get("kind") else None


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or ""
