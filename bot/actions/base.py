"""Base of every action that reads or writes the store: a failure becomes a polite French apology."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)


class StoreAction(Action, ABC):
    """Runs `answer` in a worker thread (store calls block); store errors are answered, not raised."""

    @abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Reply to the user; return the events to apply."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            return await asyncio.to_thread(self.answer, dispatcher, tracker)
        except (SQLAlchemyError, OSError):
            logger.exception("store unavailable in %s", self.name())
            dispatcher.utter_message(response="utter_action_unavailable")
            return []
