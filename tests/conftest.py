"""Shared fixtures: an isolated store (SQLite, and PostgreSQL when its URL is set) and the running stack."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PG_ENV = "ODYSSEE_TEST_PG_URL"
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="odyssee-tests-"))
# Every test talks to its own store, never to var/knowledge.db.
os.environ["KNOWLEDGE_DB_URL"] = f"sqlite:///{_SESSION_DIR / 'knowledge.db'}"

from knowledge.db import normalized  # noqa: E402
from knowledge.migrate import migrate  # noqa: E402
from knowledge.seed import seed  # noqa: E402
from runner.stack import Stack, free_port  # noqa: E402


def _seeded(url: str) -> str:
    migrate(url)
    with tempfile.TemporaryDirectory() as workdir:
        seed(Path(workdir), url=url)
    return url


@pytest.fixture(scope="session")
def seeded_store() -> str:
    """The session's SQLite store (KNOWLEDGE_DB_URL), migrated and seeded once."""
    return _seeded(os.environ["KNOWLEDGE_DB_URL"])


def _postgres_schema_url() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests skipped: set {PG_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    schema = f"odyssee_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalized(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, migrated, seeded store on each backend; KNOWLEDGE_DB_URL points to it for the test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'knowledge.db'}"
        monkeypatch.setenv("KNOWLEDGE_DB_URL", url)
        yield _seeded(url)
        return
    for url in _postgres_schema_url():
        monkeypatch.setenv("KNOWLEDGE_DB_URL", url)
        yield _seeded(url)


@pytest.fixture(scope="session")
def stack(seeded_store: str) -> Iterator[Stack]:
    """The whole assistant (actions, Rasa, web chat, back-office) on free ports, against the session's store."""
    if not any((ROOT / "bot" / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in bot/models: run `make train` (make test does)")
    var = _SESSION_DIR / "var"
    running = Stack(var=var, rasa_port=free_port(), actions_port=free_port(), web_port=free_port(),
                    admin_port=free_port(),  # the back-office, for tests/browser/test_backoffice.py
                    env={"KNOWLEDGE_DB_URL": seeded_store,
                         "WEBCHAT_ADDRESS_RATE_LIMIT": "600/minute"})  # every test talks from one address
    running.start()
    try:
        running.wait_ready(timeout=420)
        yield running
    finally:
        running.stop()


def say(stack: Stack, sender: str, message: str) -> list[dict]:
    """One user message through the REST webhook; the bot's messages."""
    reply = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                       timeout=60)
    reply.raise_for_status()
    return reply.json()


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def payloads(messages: list[dict]) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons", [])]
