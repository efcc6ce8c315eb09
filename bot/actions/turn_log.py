"""The turn log written for each answer (knowledge.turn_log), and the answer's turn id for the channels' 👍 / 👎.

A turn never waits for its log line: the line is queued and a thread of its own writes what queued, in one
transaction (`make bench` measures both). Writing it never breaks a turn either: a failure is logged, not raised.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import channel_of
from knowledge.turn_log import RATED, NewTurn, record_turns

logger = logging.getLogger(__name__)
TURN_KEY = "turn"  # in the answer's `custom` payload: {"turn": "<id>"}
BATCH = 200
BACKLOG = 10_000  # lines waiting beyond it (the store down for long) are dropped, with a warning
EXIT_WAIT_S = 5.0  # at exit, the queued lines get this long to be written (a store down must not hold the exit)


class TurnWriter:
    """Writes queued turns in a daemon thread, started at the first turn; `flush` waits until all are written."""

    def __init__(self) -> None:
        self._queue: queue.Queue[NewTurn] = queue.Queue(maxsize=BACKLOG)
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, turn: NewTurn) -> None:
        with self._started:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="turn-log", daemon=True)
                self._thread.start()
        try:
            self._queue.put_nowait(turn)
        except queue.Full:
            logger.warning("turn log backlog full: a turn was not logged")

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                record_turns(batch)
            except Exception:  # noqa: BLE001 - statistics must never stop the action server
                logger.exception("turn log not written (%d turns)", len(batch))
            finally:
                for _ in batch:
                    self._queue.task_done()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued turn is written (or failed), at most `timeout` seconds; whether all were."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._queue.all_tasks_done.wait(left)
        return True


WRITER = TurnWriter()
atexit.register(WRITER.flush, EXIT_WAIT_S)


def latency_ms(tracker: Tracker, now: float | None = None) -> int:
    """Milliseconds since Rasa received the latest user message (0 when unknown)."""
    received = next((e.get("timestamp") for e in reversed(tracker.events) if e.get("event") == "user"), None)
    return max(0, round(((now or time.time()) - received) * 1000)) if isinstance(received, (int, float)) else 0


def log_turn(dispatcher: CollectingDispatcher, tracker: Tracker, source: str, source_id: str = "",
             question: str | None = None) -> None:
    """Queue the turn's log line (`question` kept only when nothing answered); an answer people may rate (FAQ,
    document, catalogue) carries the turn's id in its last message's `custom` payload."""
    intent = tracker.latest_message.get("intent") or {}
    try:
        turn = NewTurn(tracker.sender_id, channel_of(tracker), str(intent.get("name") or ""),
                       float(intent.get("confidence") or 0.0), source, source_id, latency_ms(tracker), question)
        WRITER.submit(turn)
    except Exception:  # noqa: BLE001 - statistics must never cost a person their answer
        logger.exception("turn log not written")
        return
    if source in RATED and dispatcher.messages:
        dispatcher.messages[-1]["custom"] = {**(dispatcher.messages[-1].get("custom") or {}), TURN_KEY: turn.id}
