"""The back-office application: templates, static files, the guard, and every page's route."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markdown_it import MarkdownIt

from backoffice import labels, security
from backoffice.views import accounts, auth, catalogue, documents, faq, history, inbox, transfer
from backoffice.web import CONTEXT
from knowledge.dates import PARIS
from knowledge.vocabulary import REGIONS

HERE = Path(__file__).resolve().parent
MAX_UPLOAD = 20 * 1024 * 1024
_MARKDOWN = MarkdownIt("commonmark", {"html": False})
NAV = [("/boite", "Boîte à questions"), ("/rappels", "Rappels"), ("/faq", "FAQ"),
       *[(f"/catalogue/{kind}", labels.KINDS[kind]) for kind in labels.CATALOGUE],
       ("/documents", "Documents"), ("/import-export", "Import et export")]
ADMIN_NAV = [("/comptes", "Comptes"), ("/journal", "Journal")]


async def _context(request: web.Request) -> dict[str, Any]:
    user = request.get("user")
    return {"user": user, "nav": NAV + (ADMIN_NAV if user and user.role == "admin" else []),
            "csrf": security.csrf_token(request), "path": request.path,
            "kinds": labels.KINDS, "catalogue": labels.CATALOGUE, "regions": REGIONS}


def show(value: object) -> str:
    """A field's value in the history: a list one item per line, booleans as oui / non, times in Paris time."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d", value):
        return when(value)
    return str(value)


def plain(text: str) -> str:
    """An answer's text without its light markdown, for a short excerpt: « **gras** [lien](url) » -> « gras lien »."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "").replace("*", "")


def when(moment: datetime | str | None) -> str:
    """A date and time as staff read it, in Paris time: « 29/11/2026 à 14:05 »."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


async def healthz(_: web.Request) -> web.Response:
    return web.Response(text="ok")


def create_app() -> web.Application:
    app = web.Application(middlewares=[security.guard], client_max_size=MAX_UPLOAD)
    app[security.SECRET] = security.app_secret()
    app[CONTEXT] = _context
    environment = aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"),
                                       autoescape=True)
    environment.filters["markdown"] = lambda text: jinja2.utils.markupsafe.Markup(_MARKDOWN.render(text or ""))
    environment.filters["when"] = when
    environment.filters["plain"] = plain
    environment.globals.update(label=lambda name: labels.FIELDS.get(name, name), short=labels.short,
                               actions=labels.ACTIONS,
                               show=show)
    app.on_response_prepare.append(security.add_headers)
    app.router.add_get("/healthz", healthz)
    app.router.add_static("/static/", HERE / "static")
    for module in (auth, faq, catalogue, history, documents, transfer, inbox, accounts):
        app.router.add_routes(module.routes)
    return app
