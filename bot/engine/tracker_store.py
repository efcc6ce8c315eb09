"""Rasa's SQL tracker store with lighter reads, and a tuned SQLite file (runs inside the Rasa process).

Used by both deployments: the embedded SQLite file (`endpoints.yml`) and PostgreSQL at scale
(`deploy/endpoints.scale.yml`). Two changes to Rasa's `SQLTrackerStore`, found by profiling:

- a conversation is read back as its events' JSON only, instead of one ORM object per event row
  (a fifth of a turn late in a long conversation);
- on SQLite, one connection is kept (Rasa's SQLAlchemy 1.4 opens one per query session for a file;
  SQLAlchemy 2.0 keeps one by default), in write-ahead-log mode with `synchronous=NORMAL`: a commit
  survives a crash of the process, and readers (the web gateway erasing a conversation) never block
  the writer.

It also erases on request: when an action sets the `redact` slot to a text (the contact a person typed and
then declined to leave), every string of the conversation that contains that text (the message itself, its
parse data, slot values, the `redact` slot too) is replaced by « [effacé] » as the turn is saved.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

REDACT_SLOT = "redact"  # the slot an action sets to a text to erase from the conversation
ERASED = "[effacé]"


def _tune_sqlite(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class LeanSQLTrackerStore(SQLTrackerStore):
    """`type: bot.engine.tracker_store.LeanSQLTrackerStore` in endpoints files; same keys as Rasa's `SQL` type."""

    def __init__(self, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: Any) -> None:
        super().__init__(dialect=dialect, db=db, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self.engine.dispose()
            self.engine = sa.create_engine(self.engine.url, poolclass=QueuePool, pool_size=1, max_overflow=4,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _tune_sqlite)
            self.sessionmaker = sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """The conversation's events (latest session only, unless asked), read as JSON text."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions)
            events = [json.loads(data) for (data,) in query.with_entities(self.SQLEvent.data)]
        if not self.domain or not events:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the turn's new events, then erase what the turn asked to forget (`redact` slot)."""
        await super().save(tracker)
        for secret in _to_redact(tracker):
            with self.session_scope() as session:
                pattern = json.dumps(secret)[1:-1]  # as it is written inside the events' JSON
                rows = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id,
                                                           self.SQLEvent.data.contains(pattern, autoescape=True))
                for row in rows:
                    row.data = json.dumps(_erase(json.loads(row.data), secret))
                session.commit()


def _to_redact(tracker: DialogueStateTracker) -> list[str]:
    """The texts the latest turn (since the user's last message) set the `redact` slot to."""
    found: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, SlotSet) and event.key == REDACT_SLOT and isinstance(event.value, str) and event.value:
            found.append(event.value)
    return found


def _erase(value: Any, secret: str) -> Any:
    """`value` (decoded JSON) with every string that contains `secret` replaced by ERASED."""
    if isinstance(value, str):
        return ERASED if secret in value else value
    if isinstance(value, list):
        return [_erase(item, secret) for item in value]
    if isinstance(value, dict):
        return {key: _erase(item, secret) for key, item in value.items()}
    return value
