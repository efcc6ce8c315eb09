"""Rasa's own horizontal scaling, measured: 1 and 2 Rasa replicas behind one address.

The replicas share a PostgreSQL tracker store and a Redis lock store (`deploy/endpoints.scale.yml`) and
one action server; the client sends message i to replica i mod n, as a round-robin load balancer would.
Needs ODYSSEE_TEST_PG_URL and ODYSSEE_TEST_REDIS_URL (`.ci/run` sets both); a scratch database is made
for the run and dropped after it.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from bench import latency
from runner.stack import ROOT, Stack, free_port

PG_ENV, REDIS_ENV = "ODYSSEE_TEST_PG_URL", "ODYSSEE_TEST_REDIS_URL"


def missing() -> str | None:
    """Why this part cannot run here, or None."""
    absent = [name for name in (PG_ENV, REDIS_ENV) if not os.environ.get(name)]
    return f"scale-out not measured: set {' and '.join(absent)}" if absent else None


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A new empty PostgreSQL database on the server of `url`, dropped afterwards; its URL."""
    name = f"odyssee_bench_{uuid.uuid4().hex[:8]}"
    admin = make_url(url).set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def scale_env(tracker_url: str, redis_url: str) -> dict[str, str]:
    """The variables of deploy/endpoints.scale.yml."""
    tracker, redis = make_url(tracker_url), make_url(redis_url)
    return {"RASA_ENDPOINTS": str(ROOT / "deploy" / "endpoints.scale.yml"),
            "TRACKER_DB_HOST": tracker.host or "127.0.0.1", "TRACKER_DB_PORT": str(tracker.port or 5432),
            "TRACKER_DB_NAME": tracker.database or "", "TRACKER_DB_USER": tracker.username or "",
            "TRACKER_DB_PASSWORD": tracker.password or "", "REDIS_HOST": redis.host or "127.0.0.1",
            "REDIS_PORT": str(redis.port or 6379), "REDIS_DB": redis.database or "0"}


def _measure(urls: list[str], count: int, runs: int, levels: tuple[int, ...]) -> dict[str, dict]:
    """Medians of `runs` runs of store-backed turns spread over `urls`, keyed "N replica(s) @ level"."""
    name = "1 replica" if len(urls) == 1 else f"{len(urls)} replicas"
    figures = latency.median_of([latency.store_backed(urls, count, levels) for _ in range(runs)])
    return {f"{name} {key}": value for key, value in figures.items()}


def run(count: int, runs: int, levels: tuple[int, ...] = (1, 8, 32)) -> dict[str, dict]:
    """Store-backed turns at each concurrency, with one replica then two."""
    with scratch_database(os.environ[PG_ENV]) as tracker_url, tempfile.TemporaryDirectory() as workdir:
        env = scale_env(tracker_url, os.environ[REDIS_ENV])
        first = Stack(var=Path(workdir) / "1", rasa_port=free_port(), actions_port=free_port(), web_port=None, env=env)
        second = Stack(var=Path(workdir) / "2", rasa_port=free_port(), actions_port=first.actions_port, web_port=None,
                       env=env)
        try:
            first.start()
            first.wait_ready(timeout=600)
            one = _measure([first.rasa_url], count, runs, levels)
            second.start("rasa")
            second.wait_ready(timeout=600)
            return {**one, **_measure([first.rasa_url, second.rasa_url], count, runs, levels)}
        finally:
            second.stop()
            first.stop()
