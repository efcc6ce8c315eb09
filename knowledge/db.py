"""Database connection: one engine per URL, sessions as context managers."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'knowledge.db'}"


def normalized(url: str) -> str:
    """PostgreSQL URLs without a driver use psycopg 3."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def database_url() -> str:
    """The store's URL: `KNOWLEDGE_DB_URL`, else a SQLite file in `var/`."""
    return normalized(os.environ.get("KNOWLEDGE_DB_URL") or DEFAULT_URL)


def _json(value: object) -> str:
    """JSON with accents kept, so list columns can be filtered with LIKE '%"cybersécurité"%'."""
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """A pooled engine for `url`; SQLite files get WAL mode and foreign keys; PostgreSQL gets connect and
    statement timeouts. Errors never echo the statement's parameters (they may hold a person's message)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15}, json_serializer=_json, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    engine = create_engine(url, pool_pre_ping=True, json_serializer=_json, hide_parameters=True,
                           connect_args={"connect_timeout": 5})

    @event.listens_for(engine, "connect")
    def _statement_timeout(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 15000")
        dbapi_connection.commit()

    return engine


def get_engine(url: str | None = None) -> Engine:
    return engine_for(normalized(url) if url else database_url())


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    factory = sessionmaker(get_engine(url), expire_on_commit=False)
    with factory() as session, session.begin():
        yield session
