"""Who is asking and may they: the session cookie, the CSRF token of every form, the role of each page, and the
security headers of every response."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from backoffice.web import call, redirect, render
from knowledge import accounts

logger = logging.getLogger(__name__)

SESSION_COOKIE = "odyssee_staff"
LOGIN_COOKIE = "odyssee_login"  # a random value before login, so that the login form has a CSRF token too
LOGIN_SEED = "login_seed"  # the login cookie being set by this very response
CSRF_FIELD = "csrf"
PUBLIC = ("/connexion", "/healthz", "/static/")
ADMIN_ONLY = ("/comptes", "/journal")
SECRET = web.AppKey("secret", bytes)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def app_secret() -> bytes:
    """The key of the CSRF tokens: `ODYSSEE_ADMIN_SECRET`, else a random one for this process."""
    configured = os.environ.get("ODYSSEE_ADMIN_SECRET", "").strip()
    return configured.encode() if configured else secrets.token_bytes(32)


def behind_https() -> bool:
    return os.environ.get("ODYSSEE_ADMIN_HTTPS", "") == "1"


def set_cookie(response: web.StreamResponse, name: str, value: str) -> None:
    """A cookie scripts cannot read, never sent by another site, and only over HTTPS when we are behind it."""
    response.set_cookie(name, value, httponly=True, samesite="Strict", secure=behind_https(), path="/")


def csrf_token(request: web.Request) -> str:
    """The token forms carry: bound to the session (or to the login cookie before login)."""
    seed = request.get("session_id") or request.cookies.get(LOGIN_COOKIE) or request.get(LOGIN_SEED, "")
    return hmac.new(request.app[SECRET], seed.encode(), hashlib.sha256).hexdigest() if seed else ""


async def _csrf_ok(request: web.Request) -> bool:
    expected = csrf_token(request)
    sent = (await request.post()).get(CSRF_FIELD)
    return bool(expected) and isinstance(sent, str) and hmac.compare_digest(sent, expected)


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Sign-in required except on public paths; a POST without its CSRF token is refused; admin pages for admins."""
    if request.path.startswith(PUBLIC):
        if request.method == "POST" and not await _csrf_ok(request):
            return await forbidden(request, "Ce formulaire a expiré : rechargez la page, puis réessayez.")
        return await handler(request)
    session_id = request.cookies.get(SESSION_COOKIE, "")
    user = await call(accounts.session_user, session_id) if session_id else None
    if user is None:
        if request.method == "POST":
            return await forbidden(request, "Votre session a expiré : reconnectez-vous, puis réessayez.")
        raise redirect("/connexion", "session") if session_id else web.HTTPSeeOther("/connexion")
    request["user"], request["session_id"] = user, session_id
    if request.method == "POST" and not await _csrf_ok(request):
        return await forbidden(request, "Ce formulaire a expiré : rechargez la page, puis réessayez.")
    if request.path.startswith(ADMIN_ONLY) and user.role != "admin":
        return await forbidden(request, "Cette page est réservée aux administrateurs.")
    try:
        return await handler(request)
    except web.HTTPNotFound as missing:
        said = missing.text or ""
        message = "Cette page n'existe pas." if said.startswith("404") else said
        return await render(request, "message.html", {"title": "Page introuvable", "message": message}, status=404)


async def forbidden(request: web.Request, message: str) -> web.Response:
    return await render(request, "message.html", {"title": "Accès refusé", "message": message}, status=403)


async def add_headers(_: web.Request, response: web.StreamResponse) -> None:
    """Security headers on every response; pages are never cached (they show personal data)."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if response.content_type == "text/html":
        response.headers["Cache-Control"] = "no-store"
    if behind_https():
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
