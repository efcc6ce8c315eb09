"""What the turn log adds to a turn: `log_turn` as the actions call it (the line queued, the turn id attached), and
the writing the actions' writer thread does for one turn (region looked up, row written, committed), on a fresh
SQLite file, and on PostgreSQL when `ODYSSEE_BENCH_PG_URL` is set."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine, text

from bench.latency import percentiles
from bot.actions.turn_log import WRITER, log_turn
from knowledge.db import normalized
from knowledge.migrate import migrate
from knowledge.seed import seed
from knowledge.turn_log import NewTurn, record_turns


def _tracker(sender: str) -> Tracker:
    message = {"text": "où se trouve la cité ?", "intent": {"name": "faq", "confidence": 0.97}, "entities": []}
    events = [{"event": "user", "text": message["text"], "parse_data": message, "input_channel": "web",
               "timestamp": time.time()}]
    return Tracker(sender, {}, message, events, False, None, {}, "action_listen")


def _ms(began: float) -> float:
    return (time.perf_counter() - began) * 1000


def _summary(samples: list[float]) -> dict[str, float]:
    """Percentiles and mean in milliseconds, to the microsecond."""
    in_us = percentiles([sample * 1000 for sample in samples])
    return {**{name: round(value / 1000, 3) for name, value in in_us.items()},
            "mean": round(statistics.fmean(samples), 3), "turns": len(samples)}


def _timed(url: str, turns: int) -> dict[str, dict[str, float]]:
    """Milliseconds per turn on the store at `url` (seeded): added to the answer, and written in the background."""
    migrate(url)
    with tempfile.TemporaryDirectory() as workdir:
        seed(Path(workdir), url=url)
    previous = os.environ.get("KNOWLEDGE_DB_URL")
    os.environ["KNOWLEDGE_DB_URL"] = url
    try:
        trackers = [_tracker(f"web-bench-{n}") for n in range(20)]
        for tracker in trackers:  # connections opened, statements compiled: as in a running action server
            log_turn(CollectingDispatcher(), tracker, "faq", "cite-adresse")
        WRITER.flush()
        answer, written = [], []
        for n in range(turns):
            dispatcher = CollectingDispatcher()
            dispatcher.utter_message(text="Au cœur d'Odysseum.")
            began = time.perf_counter()
            log_turn(dispatcher, trackers[n % len(trackers)], "faq", "cite-adresse")
            answer.append(_ms(began))
            assert dispatcher.messages[-1]["custom"].get("turn"), "the turn log failed: see the log"
            WRITER.flush()
        for n in range(turns):
            turn = NewTurn(f"web-bench-{n % 20}", "web", "faq", 0.97, "faq", "cite-adresse", 120)
            began = time.perf_counter()
            record_turns([turn])
            written.append(_ms(began))
    finally:
        if previous is None:
            os.environ.pop("KNOWLEDGE_DB_URL", None)
        else:
            os.environ["KNOWLEDGE_DB_URL"] = previous
    return {"added to the answer": _summary(answer), "written by the writer thread": _summary(written)}


def run(turns: int = 2000) -> dict[str, dict[str, float]]:
    """Per store and step: p50, p95, p99 and mean milliseconds of the turn log, per turn."""
    figures = {}
    with tempfile.TemporaryDirectory() as workdir:
        for step, values in _timed(f"sqlite:///{Path(workdir) / 'knowledge.db'}", turns).items():
            figures[f"SQLite file, {step}"] = values
    base = os.environ.get("ODYSSEE_BENCH_PG_URL")
    if base:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(normalized(base))
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
            for step, values in _timed(url, turns).items():
                figures[f"PostgreSQL, {step}"] = values
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    return figures
