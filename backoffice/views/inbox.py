"""The inbox of unanswered questions (to a new FAQ entry, to a phrasing of an entry, or dismissed) and the
callback requests."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from backoffice.forms import slug
from backoffice.web import actor, call, listed, redirect, render, text
from knowledge import inbox, requests_log

routes = web.RouteTableDef()


def _ids(form: Any) -> list[int]:
    """The question ids a form or a link carries: `ids=12,15`."""
    return [int(part) for part in text(form, "ids").split(",") if part.strip().isdigit()]


async def _group(ids: list[int]) -> inbox.InboxGroup:
    groups = await call(inbox.inbox)
    found = next((g for g in groups if set(ids) <= set(g.question_ids)), None)
    if not ids or found is None:
        raise web.HTTPNotFound(text="Ces questions ne sont plus dans la boîte.")
    return found


@routes.get("/boite")
async def inbox_page(request: web.Request) -> web.StreamResponse:
    return await render(request, "inbox.html", {"groups": await call(inbox.inbox)})


@routes.get("/boite/fiche")
async def new_entry_form(request: web.Request) -> web.StreamResponse:
    group = await _group(_ids(request.query))
    return await render(request, "inbox_entry.html", {"group": group, "values": {
        "id": slug(group.text), "answer": "", "tags": "", "region": ""}, "error": None})


@routes.post("/boite/fiche")
async def create_entry(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    group = await _group(_ids(form))
    values = {"id": text(form, "id") or slug(group.text), "answer": text(form, "answer"),
              "tags": text(form, "tags"), "region": text(form, "region")}
    try:
        entry_id = await call(inbox.create_entry_from, group.question_ids, values["id"], values["answer"],
                              listed(form, "tags"), values["region"] or None, actor(request))
    except ValueError as invalid:
        error = getattr(invalid, "reason", str(invalid))
        return await render(request, "inbox_entry.html", {"group": group, "values": values, "error": error},
                            status=400)
    raise redirect(f"/faq/{entry_id}", "enregistree")


@routes.post("/boite/formulation")
async def add_phrasing(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    group = await _group(_ids(form))
    await call(inbox.add_as_phrasing, group.question_ids, text(form, "entry"), actor(request))
    raise redirect("/boite", "formulation")


@routes.post("/boite/ignorer")
async def dismiss(request: web.Request) -> web.StreamResponse:
    group = await _group(_ids(await request.post()))
    await call(inbox.dismiss, group.question_ids, actor(request))
    raise redirect("/boite", "ignoree")


@routes.get("/rappels")
async def callbacks_page(request: web.Request) -> web.StreamResponse:
    return await render(request, "callbacks.html", {"requests": await call(requests_log.callbacks),
                                                    "retention": requests_log.retention_days()})


@routes.post("/rappels/{id:\\d+}")
async def mark_handled(request: web.Request) -> web.StreamResponse:
    await call(requests_log.mark_callback_handled, int(request.match_info["id"]), actor=actor(request))
    raise redirect("/rappels", "traitee")
