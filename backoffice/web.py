"""Small helpers every page uses: store calls off the event loop, rendering, redirects with a notice, form values."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

import aiohttp_jinja2
from aiohttp import web

T = TypeVar("T")
# What every page's template gets (the user, the CSRF token, the menu...), set by backoffice.app.
CONTEXT = web.AppKey("context", Callable[[web.Request], Awaitable[dict[str, Any]]])

NOTICES = {
    "session": ("Votre session a pris fin (elle se ferme après 30 minutes sans activité) : reconnectez-vous, "
                "s'il vous plaît."),
    "au-revoir": "Déconnexion faite. À bientôt !",
    "enregistree": "La fiche est enregistrée : l'assistante s'en sert dès la prochaine question.",
    "publiee": "La fiche est publiée.",
    "depubliee": "La fiche est retirée : l'assistante ne la propose plus.",
    "annule": "L'atelier est annulé : l'assistante ne le propose plus.",
    "supprime": "C'est supprimé ; un administrateur peut le rétablir depuis le journal.",
    "document-supprime": "Le document est supprimé.",
    "retablie": "Cette version est rétablie.",
    "importe": "L'import est fait.",
    "document": "Le document est ajouté.",
    "formulation": "La question est ajoutée comme formulation de la fiche.",
    "ignoree": "La question est retirée de la boîte.",
    "traitee": "La demande est marquée comme traitée.",
    "compte": "Le compte est créé.",
    "desactive": "Le compte est désactivé.",
}


async def call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a (blocking) store function in a worker thread."""
    return await asyncio.to_thread(functools.partial(function, *args, **kwargs))


async def render(request: web.Request, template: str, context: dict[str, Any], status: int = 200) -> web.Response:
    common = await request.app[CONTEXT](request)
    notice = NOTICES.get(request.query.get("ok", ""))
    return aiohttp_jinja2.render_template(template, request, {**common, "notice": notice, **context}, status=status)


def redirect(location: str, notice: str) -> web.HTTPSeeOther:
    """A redirect after a successful POST, with the notice the next page shows."""
    separator = "&" if "?" in location else "?"
    return web.HTTPSeeOther(f"{location}{separator}{urlencode({'ok': notice})}")


def text(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def lines(form: Any, name: str) -> list[str]:
    """A textarea's non-empty lines."""
    return [line.strip() for line in text(form, name).splitlines() if line.strip()]


def listed(form: Any, name: str) -> list[str]:
    """Items separated by commas or new lines."""
    return [item.strip() for line in lines(form, name) for item in line.split(",") if item.strip()]


def version(form: Any) -> int | None:
    raw = text(form, "version")
    return int(raw) if raw.isdigit() else None


def actor(request: web.Request) -> str:
    return request["user"].email
