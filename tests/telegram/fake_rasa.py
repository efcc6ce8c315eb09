"""A fake Rasa REST webhook with scripted answers, for what the real bot never says (very long texts, raw HTML)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.telegram.background import BackgroundServer

BotMessage = dict[str, Any]


class FakeRasa(BackgroundServer):
    """POST /webhooks/rest/webhook: `answers[message]`, else a short default answer; records what it received."""

    def __init__(self, answers: dict[str, list[BotMessage]]) -> None:
        super().__init__()
        self.answers = answers
        self.received: list[dict[str, Any]] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        return app

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self.lock:
            self.received.append(body)
        return web.json_response(self.answers.get(body["message"], [{"text": "Bien reçu."}]))

    def messages(self) -> list[str]:
        """The user messages received, oldest first."""
        with self.lock:
            return [body["message"] for body in self.received]
