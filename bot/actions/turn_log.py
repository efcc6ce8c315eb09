"""The turn log written for each answer (knowledge.turn_log), and the answer's turn id for the channels' 👍 / 👎.

Writing it never breaks a turn: a failure is logged, and the answer goes out without a turn id.
"""

from __future__ import annotations

import logging
import time

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import channel_of
from knowledge.turn_log import RATED, record_turn

logger = logging.getLogger(__name__)
TURN_KEY = "turn"  # in the answer's `custom` payload: {"turn": "<id>"}


def latency_ms(tracker: Tracker, now: float | None = None) -> int:
    """Milliseconds since Rasa received the latest user message (0 when unknown)."""
    received = next((e.get("timestamp") for e in reversed(tracker.events) if e.get("event") == "user"), None)
    return max(0, round(((now or time.time()) - received) * 1000)) if isinstance(received, (int, float)) else 0


def log_turn(dispatcher: CollectingDispatcher, tracker: Tracker, source: str, source_id: str = "",
             question: str | None = None) -> None:
    """Log the turn (`question` kept only when nothing answered); an answer people may rate (FAQ, document,
    catalogue) carries the turn's id in its last message's `custom` payload."""
    intent = tracker.latest_message.get("intent") or {}
    try:
        turn_id = record_turn(tracker.sender_id, channel_of(tracker), str(intent.get("name") or ""),
                              float(intent.get("confidence") or 0.0), source, source_id, latency_ms(tracker),
                              question)
    except Exception:  # noqa: BLE001 - statistics must never cost a person their answer
        logger.exception("turn log not written")
        return
    if source in RATED and dispatcher.messages:
        dispatcher.messages[-1]["custom"] = {**(dispatcher.messages[-1].get("custom") or {}), TURN_KEY: turn_id}
