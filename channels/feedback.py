"""People's 👍 / 👎 on answers, for every channel: a 👎 is stored with the question it answered, read back from
the tracker store (the turn log itself keeps no text of answered questions)."""

from __future__ import annotations

import json
import logging
import re
import time

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from channels.forget import tracker_db_url, tracker_engine
from knowledge import turn_log
from knowledge.turn_log import Vote

logger = logging.getLogger(__name__)
LOGGED_WITHIN_S = 5.0  # the action server writes an answer's turn just after sending it (bot/actions/turn_log.py)
RETRY_EVERY_S = 0.2

TURN = re.compile(r"[0-9a-f]{32}")
_EVENTS = text("SELECT type_name, data FROM events WHERE sender_id = :sender AND type_name IN ('user', 'bot') "
               "ORDER BY id DESC LIMIT 500")


def turn_of(message: dict[str, object]) -> str | None:
    """The turn id a bot message carries in its custom payload (rated answers only)."""
    custom = message.get("custom")
    turn = custom.get("turn") if isinstance(custom, dict) else None
    return turn if isinstance(turn, str) and TURN.fullmatch(turn) else None


def answer_said(sender_id: str, turn_id: str) -> tuple[bool, str]:
    """Whether the tracker store holds a bot message of `sender_id` carrying `turn_id`, and the message it replied
    to ("" for a button or when unknown)."""
    try:
        with tracker_engine(tracker_db_url()).connect() as connection:
            events = connection.execute(_EVENTS, {"sender": sender_id}).all()
    except (SQLAlchemyError, RuntimeError) as error:
        logger.warning("answer of a vote not found: %s", type(error).__name__)
        return False, ""
    answered = False
    for type_name, data in events:  # newest first
        event = json.loads(data)
        if type_name == "bot" and turn_of(event.get("data") or {}) == turn_id:
            answered = True
        elif answered and type_name == "user":
            said = str(event.get("text") or "")
            return True, "" if said.startswith("/") else said
    return answered, ""


def vote(sender_id: str, turn_id: str, useful: bool, channel: str) -> Vote:
    """Store a person's vote on an answer of theirs; a 👎 with the question it answered. A vote on an answer the
    person was sent but whose turn is not logged yet waits for it, a few seconds at most; any other vote on a turn
    not logged (erased, purged, made up) is refused at once."""
    said, question = answer_said(sender_id, turn_id)
    question = "" if useful else question
    deadline = time.monotonic() + LOGGED_WITHIN_S
    while (result := turn_log.record_feedback(turn_id, sender_id, useful, channel, question)) is Vote.MISSING:
        if not said or time.monotonic() >= deadline:
            return Vote.UNKNOWN
        time.sleep(RETRY_EVERY_S)
    return result
