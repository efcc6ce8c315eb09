"""FAQ entries: the list with search and filters, the form with its preview, publishing."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from backoffice.forms import faq_draft
from backoffice.web import actor, call, redirect, render, text, version
from knowledge import editing, preview

routes = web.RouteTableDef()
PUBLISHED = {"oui": True, "non": False}


@routes.get("/faq")
async def faq_list(request: web.Request) -> web.StreamResponse:
    query = request.query
    rows = await call(editing.list_records, "faq", search=query.get("q", "").strip(),
                      tag=query.get("etiquette") or None, region=query.get("region") or None,
                      published=PUBLISHED.get(query.get("publiee", "")))
    every = await call(editing.list_records, "faq")
    tags = sorted({tag for row in every for tag in row.tags})
    return await render(request, "faq_list.html", {"rows": rows, "tags": tags, "query": query})


async def _form(request: web.Request, draft: dict[str, Any], stored: dict[str, Any] | None, *,
                error: str | None = None, tried: preview.Preview | None = None, status: int = 200
                ) -> web.Response:
    return await render(request, "faq_form.html", {
        "draft": draft, "stored": stored, "error": error, "tried": tried,
        "question": text(await request.post(), "question") if request.method == "POST" else "",
        "version": draft.get("version"),
    }, status=status)


@routes.get("/faq/nouvelle")
async def new_entry(request: web.Request) -> web.StreamResponse:
    draft = {"id": "", "questions": [], "answer": "", "tags": [], "region": "", "published": True, "version": None}
    return await _form(request, draft, None)


@routes.get("/faq/{id}")
async def edit_entry(request: web.Request) -> web.StreamResponse:
    stored = await call(editing.get_record, "faq", request.match_info["id"])
    if stored is None:
        raise web.HTTPNotFound(text="Cette fiche n'existe pas (ou plus).")
    return await _form(request, stored, stored)


@routes.post("/faq/{id}")
@routes.post("/faq/nouvelle")
async def save_entry(request: web.Request) -> web.StreamResponse:
    """« Prévisualiser » shows what the assistant would answer with the draft; « Enregistrer » saves it."""
    form = await request.post()
    entry_id = request.match_info.get("id")
    stored = await call(editing.get_record, "faq", entry_id) if entry_id else None
    if entry_id and stored is None:
        raise web.HTTPNotFound(text="Cette fiche n'existe pas (ou plus).")
    draft = faq_draft(form, stored)
    expected = version(form)
    draft["version"] = expected
    if form.get("action") == "preview":
        question = text(form, "question")
        if not question:
            return await _form(request, draft, stored, error="Tapez une question pour prévisualiser la réponse.")
        return await _form(request, draft, stored, tried=await call(preview.preview_answer, question, draft))
    values = {k: v for k, v in draft.items() if k != "version"}
    try:
        await call(editing.save_record, "faq", values, actor(request), expected if stored else None)
    except editing.StaleEdit as stale:
        return await _form(request, draft, stored, error=str(stale), status=409)
    except ValueError as invalid:  # RecordFileError included: the import's validation, in French
        return await _form(request, draft, stored, error=getattr(invalid, "reason", str(invalid)), status=400)
    raise redirect(f"/faq/{draft['id']}", "enregistree")


@routes.post("/faq/{id}/publication")
async def publish(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    entry_id, published = request.match_info["id"], form.get("published") == "1"
    try:
        await call(editing.set_published, "faq", entry_id, published, actor(request), version(form))
    except editing.StaleEdit as stale:
        stored = await call(editing.get_record, "faq", entry_id)
        return await _form(request, stored or {}, stored, error=str(stale), status=409)
    raise redirect(f"/faq/{entry_id}", "publiee" if published else "depubliee")


@routes.post("/faq/{id}/suppression")
async def delete(request: web.Request) -> web.StreamResponse:
    await call(editing.delete_record, "faq", request.match_info["id"], actor(request))
    raise redirect("/faq", "supprime")
