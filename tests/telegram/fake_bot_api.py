"""A fake Telegram Bot API: answers what python-telegram-bot calls, records every call, serves injected updates.

The bridge talks to it over real HTTP (TELEGRAM_API_BASE_URL = `fake.base_url`). Updates injected with
`inject` are served by getUpdates (long polling, offset respected) as Telegram does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.telegram.background import BackgroundServer, wait_for

TOKEN = "123456789:TEST-fake-token"
BOT = {"id": 123456789, "is_bot": True, "first_name": "Odyssée", "username": "odyssee_test_bot",
       "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
JSON_PARAMS = {"reply_markup", "allowed_updates", "link_preview_options", "reply_parameters", "entities"}
INT_PARAMS = {"chat_id", "offset", "limit", "timeout", "message_id"}
Update = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One Bot API call: its method and decoded parameters."""

    method: str
    params: dict[str, Any]


class ApiError(Exception):
    """A Bot API error (400 Bad Request) with its description."""


def _decode(name: str, value: str) -> Any:
    if name in JSON_PARAMS:
        return json.loads(value)
    if name in INT_PARAMS and value.lstrip("-").isdigit():
        return int(value)
    return value


class FakeBotApi(BackgroundServer):
    """The Bot API at `base_url` for the bot `TOKEN`."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self._pending: list[Update] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = {name: _decode(name, str(value)) for name, value in (await request.post()).items()}
        with self.lock:
            self.calls.append(Call(method, params))
        answer = getattr(self, f"_api_{method}", None)
        if answer is None:
            return web.json_response({"ok": False, "error_code": 404, "description": f"Not Found: {method}"},
                                     status=404)
        try:
            return web.json_response({"ok": True, "result": await answer(params)})
        except ApiError as error:
            return web.json_response({"ok": False, "error_code": 400, "description": str(error)}, status=400)

    async def _api_getMe(self, _: dict[str, Any]) -> dict[str, Any]:
        return BOT

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[Update]:
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            with self.lock:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
                if self._pending or time.monotonic() >= deadline:
                    return self._pending[:limit]
            await asyncio.sleep(0.02)

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"message_id": next(self._message_ids), "date": int(time.time()), "text": params["text"],
                "chat": {"id": params["chat_id"], "type": "private"}, "from": BOT}

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"message_id": params["message_id"], "date": int(time.time()), "text": params["text"],
                "chat": {"id": params["chat_id"], "type": "private"}, "from": BOT}

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if params["callback_query_id"].startswith("too-old"):
            raise ApiError("Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    async def _true(self, _: dict[str, Any]) -> bool:
        return True

    _api_deleteWebhook = _api_setWebhook = _api_sendChatAction = _true
    _api_close = _api_logOut = _true

    def inject(self, *updates: Update) -> list[int]:
        """Queue updates for getUpdates (all at once); those without update_id get a new one. Their ids."""
        with self.lock:
            for update in updates:
                update.setdefault("update_id", next(self._update_ids))
            self._pending.extend(updates)
        return [u["update_id"] for u in updates]

    def calls_of(self, method: str, chat_id: int | None = None) -> list[Call]:
        """The recorded calls of `method` (to `chat_id` if given), oldest first."""
        with self.lock:
            return [c for c in self.calls if c.method == method and chat_id in (None, c.params.get("chat_id"))]

    def sent(self, chat_id: int) -> list[Call]:
        """The messages sent to `chat_id`."""
        return self.calls_of("sendMessage", chat_id)

    def wait_sent(self, chat_id: int, count: int = 1, timeout: float = 30) -> list[Call]:
        """Wait until at least `count` messages were sent to `chat_id`; all of them."""
        def enough() -> list[Call]:
            sent = self.sent(chat_id)
            return sent if len(sent) >= count else []
        return wait_for(enough, timeout, f"{count} message(s) to chat {chat_id}")


def _user(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Camille", "language_code": "fr"}


def _message(chat_id: int, **content: Any) -> dict[str, Any]:
    return {"message_id": chat_id % 100000, "date": int(time.time()), "from": _user(chat_id),
            "chat": {"id": chat_id, "type": "private", "first_name": "Camille"}, **content}


def text_update(chat_id: int, text: str) -> Update:
    """A text message from a user (a command if it starts with "/")."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"message": _message(chat_id, **content)}


def reply_update(chat_id: int, text: str, to_message_id: int) -> Update:
    """A text message from a user replying to the bot's message `to_message_id`."""
    replied = {**_message(chat_id, text="…"), "message_id": to_message_id, "from": BOT}
    return {"message": {**_message(chat_id, text=text), "message_id": to_message_id + 1,
                        "reply_to_message": replied}}


def button_update(chat_id: int, data: str, too_old: bool = False) -> Update:
    """A press on an inline button whose callback data is `data` (`too_old` to acknowledge: answering fails)."""
    query_id = f"{'too-old' if too_old else 'cb'}-{chat_id}-{time.monotonic_ns()}"
    return {"callback_query": {"id": query_id, "from": _user(chat_id),
                               "chat_instance": str(chat_id), "data": data,
                               "message": {**_message(chat_id, text="menu"), "from": BOT}}}


def sticker_update(chat_id: int) -> Update:
    """A sticker sent by a user."""
    sticker = {"file_id": "sticker-1", "file_unique_id": "s1", "type": "regular", "width": 512, "height": 512,
               "is_animated": False, "is_video": False}
    return {"message": _message(chat_id, sticker=sticker)}
