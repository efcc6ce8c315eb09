"""Documents the assistant quotes from: upload (.md, .txt, .html, .pdf), list, delete."""

from __future__ import annotations

import tempfile
from pathlib import Path

from aiohttp import web

from backoffice.web import actor, call, redirect, render, text
from knowledge import documents, editing
from knowledge.db import session_scope

routes = web.RouteTableDef()


@routes.get("/documents")
async def documents_page(request: web.Request, error: str | None = None, status: int = 200) -> web.Response:
    listed = await call(documents.list_documents)
    return await render(request, "documents.html", {"documents": listed, "error": error,
                                                    "suffixes": sorted(documents.SUFFIXES)}, status=status)


def _store(name: str, content: bytes, region: str | None, who: str) -> str:
    """Read and store one uploaded document, audited; its identifier."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(content)
        document = documents.read_document(path, region=region)
    with session_scope() as session:
        passages = documents.store_document(session, document)
    editing.audit(who, "documents", document.id, "import", None, {"file_name": name, "passages": passages})
    return document.id


@routes.post("/documents")
async def upload(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField) or not upload.filename:
        return await documents_page(request, "Choisissez un fichier à ajouter.", 400)
    if Path(upload.filename).suffix.lower() not in documents.SUFFIXES:
        return await documents_page(request, "Ce format n'est pas pris : choisissez un fichier .md, .txt, .html "
                                    "ou .pdf.", 400)
    try:
        await call(_store, upload.filename, upload.file.read(), text(form, "region") or None, actor(request))
    except ValueError as invalid:
        reason = getattr(invalid, "reason", str(invalid))
        return await documents_page(request, f"Ce document n'a pas pu être lu : {reason}.", 400)
    raise redirect("/documents", "document")


@routes.post("/documents/{id}/suppression")
async def delete(request: web.Request) -> web.StreamResponse:
    document_id = request.match_info["id"]
    if await call(documents.delete_document, document_id):
        await call(editing.audit, actor(request), "documents", document_id, "delete", {"id": document_id}, None)
    raise redirect("/documents", "document-supprime")
