"""Erasing a conversation from the tracker store ("supprimer ma conversation", /oubli)."""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text
from sqlalchemy.exc import NoSuchTableError, OperationalError, ProgrammingError


def tracker_db_url() -> str:
    """The tracker store's URL (`TRACKER_DB_URL`), as Rasa's SQL tracker store uses it."""
    url = os.environ.get("TRACKER_DB_URL", "")
    if not url:
        raise RuntimeError("TRACKER_DB_URL is not set")
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def forget_conversation(sender_id: str) -> int:
    """Delete every stored event of `sender_id`; returns how many were deleted."""
    engine = create_engine(tracker_db_url())
    try:
        with engine.begin() as connection:
            return connection.execute(text("DELETE FROM events WHERE sender_id = :sender"),
                                      {"sender": sender_id}).rowcount
    except (NoSuchTableError, OperationalError, ProgrammingError) as error:
        if "events" in str(error) and ("no such table" in str(error) or "does not exist" in str(error)):
            return 0
        raise
    finally:
        engine.dispose()
