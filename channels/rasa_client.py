"""Talking to the Rasa server's REST webhook, for every channel."""

from __future__ import annotations

import os
from typing import Any

import httpx

from channels.texts import APOLOGY

BotMessage = dict[str, Any]


class RasaUnavailable(Exception):
    """The Rasa server could not be reached or answered with an error."""


def rasa_url() -> str:
    return os.environ.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/")


class RasaClient:
    """POSTs user messages to /webhooks/rest/webhook and returns the bot's messages."""

    def __init__(self, base_url: str | None = None, timeout: float = 30.0) -> None:
        self.base_url = (base_url or rasa_url()).rstrip("/")
        self._http = httpx.AsyncClient(timeout=timeout)

    async def send(self, sender: str, text: str, channel: str) -> list[BotMessage]:
        """The bot's answers (text and buttons) to `text` from `sender`; RasaUnavailable on failure."""
        try:
            reply = await self._http.post(
                f"{self.base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "channel": channel},
            )
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        if reply.status_code >= 500:
            raise RasaUnavailable(f"HTTP {reply.status_code}")
        try:
            data = reply.json()
        except ValueError as error:  # a proxy's HTML page, a truncated body: not Rasa's answer
            raise RasaUnavailable(f"HTTP {reply.status_code}, not JSON") from error
        if reply.status_code >= 400:
            return [{"text": data.get("error", APOLOGY) if isinstance(data, dict) else APOLOGY}]
        return data if isinstance(data, list) else []

    async def close(self) -> None:
        await self._http.aclose()
