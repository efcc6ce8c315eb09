"""Erasing a person's conversation (« supprimer ma conversation », /oubli) and old conversations (retention).

Conversations live in Rasa's SQL tracker store (`events` table, `TRACKER_DB_URL`); what the assistant wrote
about the person in the knowledge store (unanswered questions, callback requests) goes with them.
"""

from __future__ import annotations

import os
import time
from functools import lru_cache

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import NoSuchTableError, OperationalError, ProgrammingError

import knowledge
from knowledge.db import normalized

# Conversations whose latest event is older than the cutoff, deleted whole.
_OLD_CONVERSATIONS = text("DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events GROUP BY sender_id "
                          "HAVING MAX(timestamp) < :cutoff)")


def tracker_db_url() -> str:
    """The tracker store's URL (`TRACKER_DB_URL`), as Rasa's SQL tracker store uses it."""
    url = os.environ.get("TRACKER_DB_URL", "")
    if not url:
        raise RuntimeError("TRACKER_DB_URL is not set")
    return normalized(url)


@lru_cache(maxsize=4)
def tracker_engine(url: str) -> Engine:
    """One pooled engine per tracker store, with a connect timeout, never echoing message data into errors."""
    if url.startswith("sqlite"):
        return create_engine(url, hide_parameters=True, connect_args={"timeout": 15})
    return create_engine(url, hide_parameters=True, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def _delete(statement: text, parameters: dict[str, object]) -> int:
    try:
        with tracker_engine(tracker_db_url()).begin() as connection:
            return connection.execute(statement, parameters).rowcount
    except (NoSuchTableError, OperationalError, ProgrammingError) as error:
        if "events" in str(error) and ("no such table" in str(error) or "does not exist" in str(error)):
            return 0  # no conversation was ever stored
        raise


def forget_conversation(sender_id: str) -> int:
    """Delete every stored event of `sender_id` and the store's rows about them; returns the events deleted."""
    deleted = _delete(text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender_id})
    knowledge.forget_sender(sender_id)
    return deleted


def purge_conversations(older_than_days: int) -> int:
    """Delete the conversations silent for more than `older_than_days` days; returns the events deleted."""
    return _delete(_OLD_CONVERSATIONS, {"cutoff": time.time() - older_than_days * 86400})
