"""Admins only: staff accounts (add, disable) and the audit log of every change."""

from __future__ import annotations

from aiohttp import web

from backoffice.labels import AUDITED
from backoffice.views.history import changes, record_page
from backoffice.web import call, redirect, render, text
from knowledge import accounts, editing

routes = web.RouteTableDef()


@routes.get("/comptes")
async def users_page(request: web.Request, error: str | None = None, email: str = "", status: int = 200
                     ) -> web.Response:
    return await render(request, "users.html", {"users": await call(accounts.list_users), "error": error,
                                                "email": email, "roles": accounts.ROLES}, status=status)


@routes.post("/comptes")
async def add_user(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    email, password = text(form, "email"), form.get("password", "")
    try:
        await call(accounts.add_user, email, password if isinstance(password, str) else "", text(form, "role"))
    except ValueError as invalid:
        return await users_page(request, str(invalid), email, 400)
    raise redirect("/comptes", "compte")


@routes.post("/comptes/desactivation")
async def disable_user(request: web.Request) -> web.StreamResponse:
    await call(accounts.disable_user, text(await request.post(), "email"))
    raise redirect("/comptes", "desactive")


@routes.get("/journal")
async def audit_page(request: web.Request) -> web.StreamResponse:
    entries = await call(editing.audit_log, limit=200)
    return await render(request, "audit.html", {
        "entries": [(e, changes(e), record_page(e.kind, e.record_id)) for e in entries], "audited": AUDITED})
