"""The web chat gateway: the demo site, the widget's files and a small JSON API in front of Rasa.

    python -m channels.webchat --host 127.0.0.1 --port 8080 --rasa-url http://127.0.0.1:5005

Browsers talk only to this server (same origin, or the origins listed in WEBCHAT_ALLOWED_ORIGINS);
it checks every request, limits how often a sender and a client address may post (WEBCHAT_RATE_LIMIT,
WEBCHAT_ADDRESS_RATE_LIMIT), forwards messages to Rasa's REST channel and erases conversations on demand.
Forwarding headers (X-Forwarded-Host, X-Forwarded-For) are read only from the proxies named in
WEBCHAT_TRUSTED_PROXIES.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import logging
import os
import re
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.exc import SQLAlchemyError

from channels.feedback import TURN, turn_of, vote
from channels.forget import forget_conversation
from channels.rasa_client import BotMessage, RasaClient, RasaUnavailable, rasa_url
from channels.texts import ALREADY_VOTED, CANNOT_RATE, FEEDBACK_FAILED, FORGET_FAILED
from knowledge import turn_log
from knowledge.turn_log import MAX_COMMENT, Vote

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
PAGES = {"/": "index.html", "/services.html": "services.html"}
SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# Web senders live in their own namespace of the tracker store, so a browser can never post into,
# or erase, a conversation of another channel (Telegram chat ids are plain, guessable numbers).
TRACKER_PREFIX = "web-"
MAX_BODY = 32 * 1024
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

BAD_JSON = "Requête invalide : le corps doit être un objet JSON {\"sender\": ..., \"message\": ...}."
BAD_SENDER = ("Identifiant de conversation invalide : il doit compter de 8 à 64 caractères "
              "(lettres, chiffres, « - » ou « _ »).")
BAD_MESSAGE = "Requête invalide : « message » doit être un texte."
TOO_BIG = "Votre message est beaucoup trop long : pouvez-vous le raccourcir ?"
UNREACHABLE = ("L'assistante Odyssée est momentanément injoignable. "
               "Réessayez dans quelques instants, s'il vous plaît.")
FORBIDDEN_ORIGIN = "Ce site n'est pas autorisé à utiliser la discussion Odyssée."
TOO_MANY = ("Vous envoyez beaucoup de messages en peu de temps : patientez une minute, s'il vous plaît, "
            "puis réessayez.")
BAD_FEEDBACK = ("Requête invalide : le corps doit être un objet JSON {\"sender\": ..., \"turn\": ..., "
                "\"useful\": true ou false} ou {\"sender\": ..., \"turn\": ..., \"comment\": ...}.")

CLIENT = web.AppKey("client", RasaClient)
TURNS = web.AppKey("turns", weakref.WeakValueDictionary)
ORIGINS = web.AppKey("origins", frozenset)
PROXIES = web.AppKey("proxies", frozenset)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    """A JSON response with French accents left readable."""
    return web.json_response(data, status=status, dumps=functools.partial(json.dumps, ensure_ascii=False))


def _error(message: str, status: int) -> web.Response:
    return _json({"error": message}, status)


def allowed_origins() -> frozenset[str]:
    """Origins allowed besides the same origin, from WEBCHAT_ALLOWED_ORIGINS (comma separated)."""
    raw = os.environ.get("WEBCHAT_ALLOWED_ORIGINS", "")
    return frozenset(origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip())


def trusted_proxies() -> frozenset[str]:
    """Addresses of the reverse proxies whose forwarding headers are believed (WEBCHAT_TRUSTED_PROXIES)."""
    raw = os.environ.get("WEBCHAT_TRUSTED_PROXIES", "")
    return frozenset(address.strip() for address in raw.split(",") if address.strip())


def _forwarded(request: web.Request, header: str) -> str:
    """The first value of a forwarding header, only when the request comes from a trusted proxy."""
    if request.remote not in request.app[PROXIES]:
        return ""
    return request.headers.get(header, "").split(",")[0].strip()


def client_address(request: web.Request) -> str:
    return _forwarded(request, "X-Forwarded-For") or request.remote or ""


class RateLimits:
    """Moving-window limits per sender and per client address, in this process's memory."""

    def __init__(self, per_sender: str, per_address: str) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._sender: RateLimitItem = parse(per_sender)
        self._address: RateLimitItem = parse(per_address)

    def allow(self, address: str, sender: str) -> bool:
        """Count one request; False when the address or the sender is over its limit."""
        return self._limiter.hit(self._address, "address", address) and self._limiter.hit(self._sender, "sender",
                                                                                           sender)


LIMITS = web.AppKey("limits", RateLimits)


def _too_many() -> web.Response:
    response = _error(TOO_MANY, 429)
    response.headers["Retry-After"] = "60"
    return response


def _cross_origin(request: web.Request) -> str | None:
    """The request's Origin when it is not the page's own origin (None for same origin or no Origin).

    Behind a trusted reverse proxy, the public host comes in Host or X-Forwarded-Host.
    """
    origin = request.headers.get("Origin")
    forwarded = _forwarded(request, "X-Forwarded-Host")
    if not origin or urlsplit(origin).netloc in {host for host in (request.host, forwarded) if host}:
        return None
    return origin


def _turn_lock(request: web.Request, tracker_id: str) -> asyncio.Lock:
    """The lock of one conversation: a message holds it until Rasa has saved the turn, an erasure waits for it,
    so that a turn in progress never writes an erased conversation back."""
    locks = request.app[TURNS]
    lock = locks.get(tracker_id)
    if lock is None:
        lock = locks[tracker_id] = asyncio.Lock()
    return lock


def _tracker_id(sender: str) -> str:
    return TRACKER_PREFIX + sender


# -- middleware and headers ----------------------------------------------------------------------

@web.middleware
async def guard_api(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse API calls from origins not allowed; answer CORS preflights of allowed ones."""
    origin = _cross_origin(request) if request.path.startswith("/api/") else None
    if origin is None:
        return await handler(request)
    if origin not in request.app[ORIGINS]:
        return _error(FORBIDDEN_ORIGIN, 403)
    if request.method == "OPTIONS":
        return web.Response(status=204, headers={
            "Access-Control-Allow-Methods": "POST, DELETE",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600",
        })
    return await handler(request)


async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Security headers on every response, a strict CSP on pages, CORS headers for allowed origins."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    if response.content_type == "text/html":
        response.headers["Content-Security-Policy"] = CSP
    if request.path.startswith("/widget/"):
        response.headers["Cache-Control"] = "no-cache"
    origin = _cross_origin(request)
    if request.path.startswith("/api/") and origin in request.app[ORIGINS]:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"


# -- routes --------------------------------------------------------------------------------------

async def page(request: web.Request) -> web.FileResponse:
    """A page of the demo site, with the widget embedded as a site owner would."""
    return web.FileResponse(WEB_DIR / "site" / PAGES[request.path], headers={"Cache-Control": "no-cache"})


async def healthz(_: web.Request) -> web.Response:
    return _json({"status": "ok"})


def _for_widget(messages: list[BotMessage]) -> list[dict[str, Any]]:
    """Rasa's messages reduced to what the widget shows: text, quick-reply buttons, and the turn id of an answer
    people may rate (Rasa's REST channel sends it as a message of its own, right after the answer)."""
    result: list[dict[str, Any]] = []
    for message in messages:
        buttons = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
                   for b in message.get("buttons") or [] if isinstance(b, dict)]
        if message.get("text") or buttons:
            result.append({"text": str(message.get("text") or ""), "buttons": buttons})
        if (turn := turn_of(message)) and result:
            result[-1]["turn"] = turn
    return result


async def post_message(request: web.Request) -> web.Response:
    """{"sender", "message"} in, {"messages": [{"text", "buttons"}]} out."""
    try:
        payload = await request.json()
    except web.HTTPRequestEntityTooLarge:
        return _error(TOO_BIG, 413)
    except (ValueError, UnicodeDecodeError):
        return _error(BAD_JSON, 400)
    if not isinstance(payload, dict):
        return _error(BAD_JSON, 400)
    sender, text = payload.get("sender"), payload.get("message")
    if not isinstance(sender, str) or not SENDER.match(sender):
        return _error(BAD_SENDER, 400)
    if not isinstance(text, str):
        return _error(BAD_MESSAGE, 400)
    if not request.app[LIMITS].allow(client_address(request), sender):
        return _too_many()
    try:
        async with _turn_lock(request, _tracker_id(sender)):
            messages = await request.app[CLIENT].send(_tracker_id(sender), text, channel="web")
    except RasaUnavailable as error:
        logger.warning("Rasa unreachable: %s", error)
        return _error(UNREACHABLE, 503)
    return _json({"messages": _for_widget(messages)})


async def delete_conversation(request: web.Request) -> web.Response:
    """Erase every stored event of the conversation ("Supprimer ma conversation")."""
    sender = request.match_info["sender"]
    if not SENDER.match(sender):
        return _error(BAD_SENDER, 400)
    if not request.app[LIMITS].allow(client_address(request), sender):
        return _too_many()
    try:
        async with _turn_lock(request, _tracker_id(sender)):
            deleted = await asyncio.to_thread(forget_conversation, _tracker_id(sender))
    except (SQLAlchemyError, RuntimeError):
        logger.exception("could not erase a conversation")
        return _error(FORGET_FAILED, 503)
    return _json({"deleted": deleted})


async def post_feedback(request: web.Request) -> web.Response:
    """{"sender", "turn", "useful": bool} records a 👍 or 👎 (one per answer); {"sender", "turn", "comment"} adds
    « ce qui manquait » to a 👎."""
    try:
        payload = await request.json()
    except web.HTTPRequestEntityTooLarge:
        return _error(TOO_BIG, 413)
    except (ValueError, UnicodeDecodeError):
        return _error(BAD_FEEDBACK, 400)
    if not isinstance(payload, dict):
        return _error(BAD_FEEDBACK, 400)
    sender, turn = payload.get("sender"), payload.get("turn")
    useful, comment = payload.get("useful"), payload.get("comment")
    if not isinstance(sender, str) or not SENDER.match(sender):
        return _error(BAD_SENDER, 400)
    if (not isinstance(turn, str) or not TURN.fullmatch(turn) or (useful is None) == (comment is None)
            or (useful is not None and not isinstance(useful, bool))
            or (comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT))):
        return _error(BAD_FEEDBACK, 400)
    if not request.app[LIMITS].allow(client_address(request), sender):
        return _too_many()
    try:
        if comment is not None:
            added = await asyncio.to_thread(turn_log.add_comment, turn, _tracker_id(sender), comment)
            return _json({"recorded": True}) if added else _error(CANNOT_RATE, 409)
        result = await asyncio.to_thread(vote, _tracker_id(sender), turn, useful, "web")
    except SQLAlchemyError:
        logger.exception("could not store a vote")
        return _error(FEEDBACK_FAILED, 503)
    if result is Vote.RECORDED:
        return _json({"recorded": True})
    return _error(ALREADY_VOTED if result is Vote.ALREADY else CANNOT_RATE, 409)


def create_app(rasa_server: str) -> web.Application:
    """The gateway application, forwarding to the Rasa server at `rasa_server`."""
    app = web.Application(middlewares=[guard_api], client_max_size=MAX_BODY)
    app[ORIGINS] = allowed_origins()
    app[PROXIES] = trusted_proxies()
    app[TURNS] = weakref.WeakValueDictionary()
    app[LIMITS] = RateLimits(os.environ.get("WEBCHAT_RATE_LIMIT", "30/minute"),
                             os.environ.get("WEBCHAT_ADDRESS_RATE_LIMIT", "120/minute"))
    app.on_response_prepare.append(add_headers)

    async def rasa_client(app: web.Application) -> AsyncIterator[None]:
        app[CLIENT] = RasaClient(rasa_server)
        yield
        await app[CLIENT].close()

    app.cleanup_ctx.append(rasa_client)
    for path in PAGES:
        app.router.add_get(path, page)
    app.router.add_get("/healthz", healthz)
    app.router.add_post("/api/messages", post_message)
    app.router.add_post("/api/feedback", post_feedback)
    app.router.add_delete("/api/conversations/{sender}", delete_conversation)
    app.router.add_static("/widget/", WEB_DIR / "widget")
    app.router.add_static("/assets/", WEB_DIR / "site" / "assets")
    return app


class RedactedAccessLogger(AbstractAccessLogger):
    """Access log lines without personal data: no client address, no conversation id in the path."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        path = re.sub(r"^/api/conversations/[^/]+", "/api/conversations/…", request.path)
        self.logger.info('"%s %s" %s %.0f ms', request.method, path, response.status, time * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description="Odyssée web chat gateway")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default=None, help="Rasa server URL (default: RASA_URL)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    web.run_app(create_app(args.rasa_url or rasa_url()), host=args.host, port=args.port,
                access_log_class=RedactedAccessLogger)


if __name__ == "__main__":
    main()
