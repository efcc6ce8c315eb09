"""Record forms: which fields a page shows, their values as the inputs hold them, and back."""

from __future__ import annotations

import re
from typing import Any

from unidecode import unidecode

from backoffice.web import lines, listed, text
from knowledge.records_io import Field, fields_of

HIDDEN = {"version", "cancelled_at", "updated_by", "updated_at", "demo", "published"}
LONG_TEXT = {"summary", "details", "description", "outlook", "how_to_get", "contact", "prerequisites", "funding",
             "cost", "place"}


def slug(words: str) -> str:
    """An identifier made from a title or a question: `Qu'est-ce qu'un FabLab ?` -> `qu-est-ce-qu-un-fablab`."""
    return re.sub(r"[^a-z0-9]+", "-", unidecode(words).lower()).strip("-")[:60].rstrip("-")


def shown_fields(kind: str) -> list[Field]:
    """The fields the form of a record type shows, in the import's order."""
    return [field for field in fields_of(kind) if field.name not in HIDDEN]


def widget(field: Field) -> str:
    """The input a field gets: lines, long, datetime-local, date, number, checkbox or text."""
    if field.kind == "list":
        return "lines"
    if field.name in LONG_TEXT:
        return "long"
    return {"datetime": "datetime-local", "date": "date", "int": "number", "float": "number",
            "bool": "checkbox"}.get(field.kind, "text")


def shown(field: Field, value: Any) -> str:
    """A stored value as its input holds it."""
    if value is None:
        return ""
    if field.kind == "list":
        return "\n".join(value)
    if field.kind == "datetime":
        return str(value)[:16]  # ISO in Paris time, without seconds and offset: what datetime-local holds
    return str(value)


def typed(kind: str, form: Any, stored: dict[str, Any] | None) -> dict[str, Any]:
    """The record the form describes, over the stored one (fields the form does not show are kept)."""
    values = {k: v for k, v in (stored or {}).items() if k not in ("version", "cancelled")}
    for field in shown_fields(kind):
        if field.kind == "list":
            values[field.name] = lines(form, field.name)
        elif field.kind == "bool":
            values[field.name] = form.get(field.name) == "on"
        else:
            values[field.name] = text(form, field.name)
    values["published"] = form.get("published") == "on"
    if not values.get("id"):
        values["id"] = slug(values.get("title") or values.get("name") or "")
    return values


def faq_draft(form: Any, stored: dict[str, Any] | None) -> dict[str, Any]:
    """The FAQ entry the form describes, over the stored one."""
    values = {k: v for k, v in (stored or {}).items() if k not in ("version", "cancelled")}
    questions = lines(form, "questions")
    values.update(questions=questions, answer=text(form, "answer"), tags=listed(form, "tags"),
                  region=text(form, "region"), published=form.get("published") == "on")
    values["id"] = (stored or {}).get("id") or text(form, "id") or slug(questions[0] if questions else "")
    return values
