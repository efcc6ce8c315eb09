"""Import and export of each record type, with the same files (YAML or CSV) as the command line."""

from __future__ import annotations

import tempfile
from pathlib import Path

from aiohttp import web

from backoffice.labels import KINDS
from backoffice.web import actor, call, redirect, render
from knowledge import editing, records_io

routes = web.RouteTableDef()
FORMATS = {"yml": "text/yaml", "csv": "text/csv"}


@routes.get("/import-export")
async def transfer_page(request: web.Request, error: str | None = None, status: int = 200) -> web.Response:
    return await render(request, "transfer.html", {"error": error}, status=status)


def _import(kind: str, name: str, content: bytes, who: str) -> int:
    """Import one uploaded file of records of `kind`, audited; the number of records."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(content)
        [(_, _, count)] = records_io.import_files([path], kind=kind)
    editing.audit(who, kind, "", "import", None, {"file_name": name, "records": count})
    return count


@routes.post("/import-export")
async def import_file(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    kind, upload = form.get("kind"), form.get("file")
    if kind not in KINDS:
        return await transfer_page(request, "Choisissez le type de fiches que contient le fichier.", 400)
    if not isinstance(upload, web.FileField) or not upload.filename:
        return await transfer_page(request, "Choisissez un fichier .yml ou .csv à importer.", 400)
    if Path(upload.filename).suffix.lower() not in (".yml", ".yaml", ".csv"):
        return await transfer_page(request, "Le fichier doit être un .yml ou un .csv.", 400)
    try:
        await call(_import, str(kind), upload.filename, upload.file.read(), actor(request))
    except ValueError as invalid:  # RecordFileError: the row and the reason
        row = getattr(invalid, "row", None)
        reason = getattr(invalid, "reason", str(invalid))
        where = f"ligne {row} : " if row is not None else ""
        return await transfer_page(request, f"Rien n'a été importé. {upload.filename}, {where}{reason}.", 400)
    raise redirect("/import-export", "importe")


def _export(kind: str, suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.{suffix}"
        records_io.export_file(path)
        return path.read_bytes()


@routes.get("/export/{kind}.{suffix}")
async def export_file(request: web.Request) -> web.StreamResponse:
    kind, suffix = request.match_info["kind"], request.match_info["suffix"]
    if kind not in KINDS or suffix not in FORMATS:
        raise web.HTTPNotFound(text="Cet export n'existe pas.")
    body = await call(_export, kind, suffix)
    return web.Response(body=body, content_type=FORMATS[suffix], charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{kind}.{suffix}"'})
