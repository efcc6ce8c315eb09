"""End-to-end latency through the REST webhook, /model/parse, the action server alone, utter-only turns."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections.abc import Callable

import httpx

from runner.stack import Stack

STORE_QUESTION = "quels ateliers sur l'IA ?"  # NLU, dialogue, custom action and a store query
LAYERS = ("webhook + action + store", "webhook, utter only", "/model/parse", "action server alone")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50": round(pick(0.50), 1), "p95": round(pick(0.95), 1), "p99": round(pick(0.99), 1)}


async def load(urls: str | list[str], bodies: list[dict], concurrency: int) -> dict[str, float]:
    """Send `bodies` with `concurrency` workers; message i goes to urls[i % len(urls)] (a load balancer)."""
    targets = [urls] if isinstance(urls, str) else urls
    samples: list[float] = []
    errors = 0
    queue: asyncio.Queue[tuple[str, dict]] = asyncio.Queue()
    for i, body in enumerate(bodies):
        queue.put_nowait((targets[i % len(targets)], body))

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty():
            url, body = queue.get_nowait()
            start = time.perf_counter()
            try:
                reply = await client.post(url, json=body)
                errors += reply.status_code != 200
            except httpx.HTTPError:
                errors += 1
            samples.append((time.perf_counter() - start) * 1000)

    async with httpx.AsyncClient(timeout=60) as client:
        began = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {**percentiles(samples), "rps": round(len(samples) / elapsed, 1), "errors": errors}


def _messages(text: str, count: int) -> list[dict]:
    return [{"sender": f"bench-{uuid.uuid4().hex[:10]}", "message": text} for _ in range(count)]


def action_body() -> dict:
    return {"next_action": "action_answer", "sender_id": "bench", "domain": {},
            "tracker": {"sender_id": "bench", "slots": {}, "latest_message": {
                "text": "ateliers sur l'IA", "intent": {"name": "ask_workshops"},
                "entities": [{"entity": "topic", "value": "intelligence artificielle"}]},
                "events": [], "paused": False, "followup_action": None, "active_loop": {},
                "latest_action_name": "action_listen"}}


def median_of(runs: list[dict[str, dict]]) -> dict[str, dict]:
    """Per key and metric, the median over runs of the same measurements."""
    return {key: {metric: statistics.median(run[key][metric] for run in runs) for metric in runs[0][key]}
            for key in runs[0]}


def _webhook(rasa_url: str) -> str:
    return f"{rasa_url}/webhooks/rest/webhook"


def _store_backed_bodies(count: int) -> list[dict]:
    return _messages(STORE_QUESTION, count)


def _layer(urls: list[str], bodies: Callable[[int], list[dict]], count: int,
           levels: tuple[int, ...]) -> dict[str, dict]:
    """One layer at each concurrency, keyed "@ level", after a warm-up."""
    asyncio.run(load(urls, bodies(10), 2))
    return {f"@ {level}": asyncio.run(load(urls, bodies(count), level)) for level in levels}


def store_backed(rasa_urls: list[str], count: int, levels: tuple[int, ...] = (1, 8, 32)) -> dict[str, dict]:
    """The store-backed turn through the webhooks of `rasa_urls`, at each concurrency, after a warm-up."""
    return _layer([_webhook(url) for url in rasa_urls], _store_backed_bodies, count, levels)


def run(stack: Stack, count: int = 200, levels: tuple[int, ...] = (1, 8, 32),
        layers: tuple[str, ...] = LAYERS) -> dict[str, dict]:
    """Bounded runs with distinct senders, after a warm-up, for each of `layers` and concurrency."""
    webhook = _webhook(stack.rasa_url)
    table: dict[str, tuple[str, Callable[[int], list[dict]]]] = {
        "webhook + action + store": (webhook, _store_backed_bodies),
        "webhook, utter only": (webhook, lambda n: _messages("bonjour", n)),
        "/model/parse": (f"{stack.rasa_url}/model/parse?token={stack.rasa_token}",
                         lambda n: [{"text": STORE_QUESTION}] * n),
        "action server alone": (f"{stack.actions_url}/webhook", lambda n: [action_body()] * n),
    }
    return {f"{name} {key}": figures for name in layers
            for key, figures in _layer([table[name][0]], table[name][1], count, levels).items()}


def long_conversation(stack: Stack, turns: int = 200) -> dict[str, float]:
    """Latency at turn 1 against turn `turns` of one conversation (median of the 5 turns around each)."""
    sender = f"bench-long-{uuid.uuid4().hex[:8]}"
    samples = []
    with httpx.Client(timeout=60) as client:
        for turn in range(turns):
            start = time.perf_counter()
            client.post(_webhook(stack.rasa_url),
                        json={"sender": sender, "message": STORE_QUESTION if turn % 2 else "merci"})
            samples.append((time.perf_counter() - start) * 1000)
    return {"first_ms": round(statistics.median(samples[:5]), 1),
            "last_ms": round(statistics.median(samples[-5:]), 1)}


def flood(stack: Stack, count: int) -> dict[str, float]:
    """`count` store-backed messages at concurrency 8 (for memory growth)."""
    return asyncio.run(load(_webhook(stack.rasa_url), _store_backed_bodies(count), 8))
