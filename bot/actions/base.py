"""Base of every action that reads or writes the store: a failure or a hang becomes a polite French apology.

An action that takes longer than `ACTION_TIMEOUT_S` seconds (8 by default, well under the web gateway's 30 s
and Rasa's 300 s) is answered with the apology, so that the conversation is never left waiting or locked.
"""

from __future__ import annotations

import asyncio
import logging
import os
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)


class StoreAction(Action, ABC):
    """Runs `answer` in a worker thread (store calls block); store errors and hangs are answered, not raised."""

    @abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Reply to the user; return the events to apply."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        own = CollectingDispatcher()  # a late thread must not add to the answer once the apology is given
        try:
            events = await asyncio.wait_for(asyncio.to_thread(self.answer, own, tracker), timeout=action_timeout())
        except TimeoutError:  # before OSError, of which it is a subclass
            logger.error("%s took longer than %s s", self.name(), action_timeout())
        except (SQLAlchemyError, OSError):
            logger.exception("store unavailable in %s", self.name())
        else:
            dispatcher.messages.extend(own.messages)
            return events
        dispatcher.utter_message(response="utter_action_unavailable")
        return []


def action_timeout() -> float:
    return float(os.environ.get("ACTION_TIMEOUT_S") or 8)
