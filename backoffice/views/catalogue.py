"""The catalogue (workshops, trainings, services, jobs): list, create, edit, unpublish, cancel a workshop."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from backoffice import forms
from backoffice.labels import CATALOGUE
from backoffice.web import actor, call, redirect, render, version
from knowledge import editing

routes = web.RouteTableDef()


def _kind(request: web.Request) -> str:
    kind = request.match_info["kind"]
    if kind not in CATALOGUE:
        raise web.HTTPNotFound(text="Cette partie du catalogue n'existe pas.")
    return kind


@routes.get("/catalogue/{kind}")
async def catalogue_list(request: web.Request) -> web.StreamResponse:
    kind = _kind(request)
    rows = await call(editing.list_records, kind, search=request.query.get("q", "").strip(),
                      region=request.query.get("region") or None)
    return await render(request, "catalogue_list.html", {"kind": kind, "rows": rows, "query": request.query})


async def _form(request: web.Request, kind: str, values: dict[str, Any], stored: dict[str, Any] | None,
                error: str | None = None, status: int = 200) -> web.Response:
    fields = [(field, forms.widget(field), forms.shown(field, values.get(field.name)))
              for field in forms.shown_fields(kind)]
    return await render(request, "catalogue_form.html", {
        "kind": kind, "fields": fields, "values": values, "stored": stored, "error": error,
    }, status=status)


@routes.get("/catalogue/{kind}/nouveau")
async def new_record(request: web.Request) -> web.StreamResponse:
    kind = _kind(request)
    return await _form(request, kind, {"published": True, "version": None}, None)


@routes.get("/catalogue/{kind}/{id}")
async def edit_record(request: web.Request) -> web.StreamResponse:
    kind = _kind(request)
    stored = await call(editing.get_record, kind, request.match_info["id"])
    if stored is None:
        raise web.HTTPNotFound(text="Cette fiche n'existe pas (ou plus).")
    return await _form(request, kind, stored, stored)


@routes.post("/catalogue/{kind}/{id}")
@routes.post("/catalogue/{kind}/nouveau")
async def save(request: web.Request) -> web.StreamResponse:
    kind, form = _kind(request), await request.post()
    record_id = request.match_info.get("id")
    stored = await call(editing.get_record, kind, record_id) if record_id else None
    if record_id and stored is None:
        raise web.HTTPNotFound(text="Cette fiche n'existe pas (ou plus).")
    values = forms.typed(kind, form, stored)
    try:
        await call(editing.save_record, kind, values, actor(request), version(form) if stored else None)
    except editing.StaleEdit as stale:
        return await _form(request, kind, {**values, "version": version(form)}, stored, str(stale), 409)
    except ValueError as invalid:  # the import's validation, in French
        reason = getattr(invalid, "reason", str(invalid))
        return await _form(request, kind, {**values, "version": version(form)}, stored, reason, 400)
    raise redirect(f"/catalogue/{kind}/{values['id']}", "enregistree")


@routes.post("/catalogue/{kind}/{id}/publication")
async def publish(request: web.Request) -> web.StreamResponse:
    kind, form, record_id = _kind(request), await request.post(), request.match_info["id"]
    published = form.get("published") == "1"
    try:
        await call(editing.set_published, kind, record_id, published, actor(request), version(form))
    except editing.StaleEdit as stale:
        stored = await call(editing.get_record, kind, record_id)
        return await _form(request, kind, stored or {}, stored, str(stale), 409)
    raise redirect(f"/catalogue/{kind}/{record_id}", "publiee" if published else "depubliee")


@routes.post("/catalogue/workshops/{id}/annulation")
async def cancel(request: web.Request) -> web.StreamResponse:
    form, record_id = await request.post(), request.match_info["id"]
    try:
        await call(editing.cancel_workshop, record_id, actor(request), version(form))
    except editing.StaleEdit as stale:
        stored = await call(editing.get_record, "workshops", record_id)
        return await _form(request, "workshops", stored or {}, stored, str(stale), 409)
    raise redirect(f"/catalogue/workshops/{record_id}", "annule")


@routes.post("/catalogue/{kind}/{id}/suppression")
async def delete(request: web.Request) -> web.StreamResponse:
    kind, record_id = _kind(request), request.match_info["id"]
    try:
        await call(editing.delete_record, kind, record_id, actor(request))
    except ValueError as kept:  # a job that trainings lead to
        stored = await call(editing.get_record, kind, record_id)
        return await _form(request, kind, stored or {}, stored, getattr(kept, "reason", str(kept)), 409)
    raise redirect(f"/catalogue/{kind}", "supprime")
