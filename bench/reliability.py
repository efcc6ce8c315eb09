"""Reliability: a steady load through the web gateway while the action server, then Rasa, are killed.

A fresh stack is supervised as `make run` supervises it (runner/supervise.py restarts what dies). Many
senders send at a steady rate for `duration` seconds; the action server is killed at a third of the run and
Rasa at two thirds. Each message ends as answered, answered with an apology (Rasa's French apology while the
action server is away, the gateway's French 503 while Rasa is), or lost (no answer, or an error without a
French explanation): lost must be 0. The p95 is of answered messages sent outside the restarts. With
ODYSSEE_TEST_PG_URL and ODYSSEE_TEST_REDIS_URL set, the tracker store is PostgreSQL and the lock store Redis.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import scale_out
from bench.latency import percentiles
from runner.stack import Stack, free_port
from runner.supervise import Supervisor

MESSAGES = ("bonjour", "quels ateliers sur l'IA ?", "où se trouve la cité ?", "quelles formations en cybersécurité ?",
            "qui dirige le site IBM de Montpellier ?", "je voudrais parler à un conseiller")
APOLOGIES = ("problème technique", "injoignable", "Réessayez")


@dataclass
class Sent:
    at: float  # seconds since the start of the run
    status: int  # 0: no HTTP answer
    ms: float
    apology: bool


class Restarts:
    """Runs the supervisor in a thread and remembers when each killed process was back."""

    def __init__(self, stack: Stack) -> None:
        self.stack, self.supervisor = stack, Supervisor(stack)
        self.windows: list[tuple[str, float, float]] = []  # name, killed at, back at (monotonic)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self.supervisor.check()

    def kill_and_wait(self, name: str) -> None:
        """SIGKILL `name`, then wait until the supervisor has it serving again."""
        killed, dead = time.monotonic(), self.stack.processes[name]
        dead.kill()
        while self.stack.processes[name] is dead or name in self.supervisor.restart_at:
            time.sleep(0.1)  # until the supervisor has started a new one
        self.stack.wait_ready(timeout=600)
        self.windows.append((name, killed, time.monotonic()))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


async def _send(client: httpx.AsyncClient, url: str, sender: str, text: str, began: float, out: list[Sent]) -> None:
    at = time.monotonic()
    try:
        reply = await client.post(url, json={"sender": sender, "message": text})
        body = reply.text
        status = reply.status_code
    except httpx.HTTPError:
        body, status = "", 0
    out.append(Sent(at - began, status, (time.monotonic() - at) * 1000, any(word in body for word in APOLOGIES)))


async def _steady_load(url: str, rate: float, duration: float, senders: int, began: float) -> list[Sent]:
    """`rate` messages a second for `duration` seconds, sender i mod `senders`, without waiting for answers."""
    out: list[Sent] = []
    names = [f"rel-{uuid.uuid4().hex[:12]}" for _ in range(senders)]
    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=200)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        tasks, n = [], 0
        while (now := time.monotonic()) - began < duration:
            due = began + n / rate
            if due > now:
                await asyncio.sleep(due - now)
            tasks.append(asyncio.create_task(_send(client, url, names[n % senders], MESSAGES[n % len(MESSAGES)],
                                                   began, out)))
            n += 1
        await asyncio.gather(*tasks)
    return out


def summary(sent: list[Sent], windows: list[tuple[str, float, float]], began: float) -> dict[str, object]:
    """Counts by outcome, and latency of the answers sent outside the restart windows."""
    answered = [s for s in sent if s.status == 200 and not s.apology]
    apologised = [s for s in sent if s.apology and s.status in (200, 429, 503)]
    relative = [(name, start - began, end - began + 5) for name, start, end in windows]
    calm = [s.ms for s in answered if not any(start <= s.at <= end for _, start, end in relative)]
    return {"sent": len(sent), "answered": len(answered), "apologised": len(apologised),
            "lost": len(sent) - len(answered) - len(apologised),
            "outside_restarts": percentiles(calm) if calm else {},
            "restarts_s": {name: round(end - start - 5, 1) for name, start, end in relative}}


def run(duration: float = 600, rate: float = 20, senders: int = 400) -> dict[str, object]:
    """The reliability figures of one run (see the module's docstring)."""
    with tempfile.TemporaryDirectory() as workdir, ExitStack() as scale:
        env = {"WEBCHAT_RATE_LIMIT": "600/minute", "WEBCHAT_ADDRESS_RATE_LIMIT": "1000000/minute"}
        stores = "SQLite tracker store, in-memory lock store"
        if not scale_out.missing():
            tracker = scale.enter_context(scale_out.scratch_database(os.environ[scale_out.PG_ENV]))
            env |= scale_out.scale_env(tracker, os.environ[scale_out.REDIS_ENV])
            stores = "PostgreSQL tracker store, Redis lock store"
        stack = Stack(var=Path(workdir), rasa_port=free_port(), actions_port=free_port(), web_port=free_port(),
                      env=env)
        stack.start()
        try:
            stack.wait_ready(timeout=600)
            restarts = Restarts(stack)
            began = time.monotonic()
            sent: list[Sent] = []
            load = threading.Thread(target=lambda: sent.extend(asyncio.run(_steady_load(
                f"{stack.web_url}/api/messages", rate, duration, senders, began))))
            load.start()
            for name, fraction in (("actions", 1 / 3), ("rasa", 2 / 3)):
                time.sleep(max(0.0, began + duration * fraction - time.monotonic()))
                restarts.kill_and_wait(name)
            load.join()
            restarts.stop()
        finally:
            stack.stop()
    return {"duration_s": duration, "rate": rate, "senders": senders, "stores": stores,
            **summary(sent, restarts.windows, began)}
