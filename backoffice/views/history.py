"""A record's history (who changed what, when) and going back to one of its versions."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from backoffice.labels import KINDS
from backoffice.web import actor, call, redirect, render
from knowledge import editing

routes = web.RouteTableDef()


def changes(entry: editing.AuditEntry) -> list[tuple[str, Any, Any]]:
    """The fields an audited change touched: (name, before, after)."""
    before, after = entry.before or {}, entry.after or {}
    return [(name, before.get(name), after.get(name)) for name in dict.fromkeys([*before, *after])
            if name not in ("version", "updated_at") and before.get(name) != after.get(name)]


OTHER_PAGES = {"documents": "/documents", "callbacks": "/rappels", "inbox": "/boite"}


def record_page(kind: str, record_id: str) -> str:
    """The page of an audited record, else of its list (a file import, a document, a callback request...)."""
    if kind in OTHER_PAGES:
        return OTHER_PAGES[kind]
    listing = "/faq" if kind == "faq" else f"/catalogue/{kind}"
    return f"{listing}/{record_id}" if record_id else listing


@routes.get("/historique/{kind}/{id}")
async def history(request: web.Request) -> web.StreamResponse:
    kind, record_id = request.match_info["kind"], request.match_info["id"]
    if kind not in KINDS:
        raise web.HTTPNotFound(text="Ce type de fiche n'existe pas.")
    entries = await call(editing.history, kind, record_id)
    return await render(request, "history.html", {
        "kind": kind, "record_id": record_id, "entries": [(e, changes(e)) for e in entries],
        "record_page": record_page(kind, record_id),
    })


@routes.post("/historique/{kind}/{id}/{audit_id:\\d+}")
async def revert(request: web.Request) -> web.StreamResponse:
    kind, record_id = request.match_info["kind"], request.match_info["id"]
    if kind not in KINDS:
        raise web.HTTPNotFound(text="Ce type de fiche n'existe pas.")
    await call(editing.revert, kind, record_id, int(request.match_info["audit_id"]), actor(request))
    raise redirect(f"/historique/{kind}/{record_id}", "retablie")
