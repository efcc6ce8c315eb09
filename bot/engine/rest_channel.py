"""Rasa's REST channel with guarded input: French answers to bad requests, never a silent bot.

Runs inside the Rasa process (engine environment). Registered in credentials.yml under the name
"rest", so the webhook stays POST /webhooks/rest/webhook. Loading it also installs
`bot.engine.speedups` (two Rasa hot paths made cheaper), since every deployment loads it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.engine import speedups
from channels.texts import APOLOGY

logger = logging.getLogger(__name__)
speedups.install()

MAX_CHARS = 2000
MAX_SENDER = 128
CHANNELS = {"web", "telegram", "rest"}
EMPTY = "Votre message est vide : écrivez-moi votre question, je suis là pour vous aider."
TOO_LONG = (f"Votre message est un peu long pour moi (plus de {MAX_CHARS} caractères). "
            "Pouvez-vous le résumer en quelques phrases ?")


def _error(reason: str, status: int = 400) -> HTTPResponse:
    return response.json({"error": reason}, status=status)


def _bot(sender: str, text: str) -> HTTPResponse:
    return response.json([{"recipient_id": sender, "text": text}])


class SafeRestInput(RestInput):
    """POST {"sender": str, "message": str, "channel"?: "web"|"telegram"} and get the bot's messages."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("odyssee_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                payload = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return _error("Requête invalide : le corps doit être un JSON {\"sender\": ..., \"message\": ...}.")
            if not isinstance(payload, dict):
                return _error("Requête invalide : un objet JSON est attendu.")
            sender, text = payload.get("sender"), payload.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER:
                return _error(f"Requête invalide : « sender » doit être un texte de 1 à {MAX_SENDER} caractères.")
            if text is None or not isinstance(text, str):
                return _error("Requête invalide : « message » doit être un texte.")
            if not text.strip():
                return _bot(sender, EMPTY)
            if len(text) > MAX_CHARS:
                return _bot(sender, TOO_LONG)
            channel = payload.get("channel") if payload.get("channel") in CHANNELS else self.name()
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text.strip(), collector, sender, input_channel=channel))
            except Exception:  # noqa: BLE001 - the user gets an apology whatever failed
                logger.exception("message handling failed")
                return _bot(sender, APOLOGY)
            return response.json(collector.messages or [{"recipient_id": sender, "text": APOLOGY}])

        return webhook
