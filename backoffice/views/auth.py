"""Signing in and out, and the home page."""

from __future__ import annotations

import logging
import math
import secrets

from aiohttp import web

from backoffice import security
from backoffice.web import call, redirect, render, text
from knowledge import accounts, requests_log

logger = logging.getLogger(__name__)
routes = web.RouteTableDef()


@routes.get("/connexion")
async def login_page(request: web.Request) -> web.StreamResponse:
    if request.cookies.get(security.LOGIN_COOKIE):
        return await render(request, "login.html", {"email": "", "error": None})
    request[security.LOGIN_SEED] = secrets.token_urlsafe(32)
    response = await render(request, "login.html", {"email": "", "error": None})
    security.set_cookie(response, security.LOGIN_COOKIE, request[security.LOGIN_SEED])
    return response


@routes.post("/connexion")
async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    email, password = text(form, "email"), form.get("password", "")
    result = await call(accounts.check_login, email, password if isinstance(password, str) else "")
    if result.user is None:
        logger.warning("échec de connexion pour %r", email)  # never the password
        if result.retry_after > 0:
            seconds = math.ceil(result.retry_after)
            error = f"Trop de tentatives, réessayez dans {seconds} seconde{'s' if seconds > 1 else ''}."
        else:
            error = "Adresse e-mail ou mot de passe incorrect."
        return await render(request, "login.html", {"email": email, "error": error}, status=401)
    response = web.HTTPSeeOther("/")
    security.set_cookie(response, security.SESSION_COOKIE, await call(accounts.open_session, result.user.email))
    response.del_cookie(security.LOGIN_COOKIE, path="/")
    logger.info("connexion de %s", result.user.email)
    raise response


@routes.post("/deconnexion")
async def logout(request: web.Request) -> web.StreamResponse:
    await call(accounts.close_session, request["session_id"])
    response = redirect("/connexion", "au-revoir")
    response.del_cookie(security.SESSION_COOKIE, path="/")
    raise response


@routes.get("/")
async def home(request: web.Request) -> web.StreamResponse:
    questions = await call(requests_log.unanswered, limit=1000)  # counted without grouping: no model to load
    pending = await call(requests_log.callbacks, pending_only=True)
    return await render(request, "home.html", {"questions": len(questions), "pending": len(pending)})
