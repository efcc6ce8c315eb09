"""Staff editing of records, one at a time: optimistic locking (a record changed since it was opened is not
overwritten), publication, cancellation of workshops, deletion, and an audit log from which any state comes back.

Values are the plain mappings `records_io` exports and imports, checked by the same validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from knowledge.db import session_scope
from knowledge.models import AuditRow, FaqEntry, Training, Workshop, utcnow
from knowledge.records_io import MODELS, check_job_ids, plain_record, upsert, validate
from knowledge.text import fold
from knowledge.validation import RecordFileError

KINDS = ("faq", "workshops", "trainings", "services", "jobs")
TAGS = {"faq": "tags", "workshops": "topics", "trainings": "topics", "services": "needs", "jobs": "sectors"}
STATE_KEYS = ("version", "cancelled")  # what get_record adds to the plain values


class StaleEdit(Exception):
    """The record changed (or was deleted) since the version the editor started from."""

    def __init__(self) -> None:
        super().__init__("Quelqu'un a modifié cette fiche pendant que vous la modifiiez. Rechargez-la pour voir "
                         "sa version actuelle, puis refaites vos changements.")


@dataclass(frozen=True)
class RecordRow:
    kind: str
    id: str
    label: str
    region: str
    published: bool
    cancelled: bool
    demo: bool
    version: int
    updated_at: datetime | None
    tags: list[str]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    kind: str
    record_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _model(kind: str) -> Any:
    if kind not in KINDS:
        raise ValueError(f"type inconnu {kind!r} (possibles : {', '.join(KINDS)})")
    return MODELS[kind]


def _label(kind: str, row: Any) -> str:
    if kind == "faq":
        return row.questions[0].text if row.questions else row.id
    return row.name if kind == "services" else row.title


def record_row(session: Session, kind: str, record_id: str) -> Any:
    """The stored record (FAQ entries with their phrasings), or None."""
    model = _model(kind)
    stmt = select(model).where(model.id == record_id)
    return session.scalar(stmt.options(selectinload(FaqEntry.questions)) if kind == "faq" else stmt)


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(row.id, row.at, row.actor, row.kind, row.record_id, row.action, row.before, row.after)


def write_audit(session: Session, actor: str, kind: str, record_id: str, action: str,
                before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Add an audit row in the caller's transaction."""
    session.add(AuditRow(at=utcnow(), actor=actor, kind=kind, record_id=record_id, action=action,
                         before=before, after=after))


def audit(actor: str, kind: str, record_id: str, action: str, before: dict[str, Any] | None,
          after: dict[str, Any] | None, url: str | None = None) -> None:
    """Note a staff change made elsewhere (document upload, file import) in the audit log."""
    with session_scope(url) as s:
        write_audit(s, actor, kind, record_id, action, before, after)


def list_records(kind: str, search: str = "", tag: str | None = None, region: str | None = None,
                 published: bool | None = None, url: str | None = None) -> list[RecordRow]:
    """Records of a type, workshops soonest first and others by label; `search` looks in the label and the id
    (accents and case ignored), `tag` in the tags (FAQ), topics (workshops, trainings), needs or sectors."""
    model = _model(kind)
    stmt = select(model).order_by(Workshop.start, Workshop.id) if kind == "workshops" else select(model)
    if region is not None:
        stmt = stmt.where(model.region == region)
    if published is not None:
        stmt = stmt.where(model.published.is_(published))
    with session_scope(url) as s:
        if kind == "faq":
            stmt = stmt.options(selectinload(FaqEntry.questions))
        edited = dict(s.execute(select(AuditRow.record_id, func.max(AuditRow.at)).where(AuditRow.kind == kind)
                                .group_by(AuditRow.record_id)).tuples().all())
        rows = [
            RecordRow(kind, r.id, _label(kind, r), r.region, r.published, getattr(r, "cancelled_at", None) is not None,
                      r.demo, r.version, r.updated_at if kind == "faq" else edited.get(r.id),
                      list(getattr(r, TAGS[kind])))
            for r in s.scalars(stmt)
        ]
    needle = fold(search)
    rows = [r for r in rows if needle in fold(f"{r.label} {r.id}") and (tag is None or tag in r.tags)]
    return rows if kind == "workshops" else sorted(rows, key=lambda r: (fold(r.label), r.id))


def get_record(kind: str, record_id: str, url: str | None = None) -> dict[str, Any] | None:
    """A record's plain values with its "version" and whether it is "published" and "cancelled"; None if unknown."""
    with session_scope(url) as s:
        row = record_row(s, kind, record_id)
        if row is None:
            return None
        return {**plain_record(kind, row), "version": row.version,
                "cancelled": getattr(row, "cancelled_at", None) is not None}


def _checked(session: Session, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Values validated as an import would; RecordFileError (French) naming the record if they are not valid."""
    raw = {k: v for k, v in values.items() if k not in STATE_KEYS}
    name = str(raw.get("id") or "fiche")
    try:
        record = validate(kind, raw)
        if kind == "trainings":
            check_job_ids(session, record)
    except ValueError as error:
        raise RecordFileError(name, None, str(error)) from None
    return record


def _flush(session: Session) -> None:
    """Write the changes; StaleEdit if a record changed since this transaction read it (another one committed)."""
    try:
        session.flush()
    except StaleDataError:
        raise StaleEdit() from None


def _current(session: Session, kind: str, record_id: str, expected_version: int) -> Any:
    """The record as it is, if still at `expected_version`; else StaleEdit."""
    row = record_row(session, kind, record_id)
    if row is None or row.version != expected_version:
        raise StaleEdit()
    return row


def _signed(kind: str, row: Any, actor: str) -> None:
    if kind == "faq":
        row.updated_by = actor[:120]


def _write(session: Session, kind: str, record: dict[str, Any], actor: str) -> Any:
    upsert(session, kind, [record])
    row = record_row(session, kind, record["id"])
    _signed(kind, row, actor)
    return row


def save(session: Session, kind: str, values: dict[str, Any], actor: str, expected_version: int | None,
         action: str = "") -> Any:
    """`save_record` in the caller's transaction; the saved row."""
    _model(kind)
    record = _checked(session, kind, values)
    if expected_version is None:
        if record_row(session, kind, record["id"]) is not None:
            raise RecordFileError(record["id"], None, "cet identifiant est déjà pris")
        before = None
    else:
        before = plain_record(kind, _current(session, kind, record["id"], expected_version))
    row = _write(session, kind, record, actor)
    _flush(session)
    write_audit(session, actor, kind, row.id, action or ("create" if before is None else "update"), before,
           plain_record(kind, row))
    return row


def save_record(kind: str, values: dict[str, Any], actor: str, expected_version: int | None,
                url: str | None = None) -> int:
    """Create a record (`expected_version` None: its id must be new) or update it from the version the editor
    opened (else StaleEdit); audited. Returns the record's new version."""
    with session_scope(url) as s:
        return int(save(s, kind, values, actor, expected_version).version)


def _change(kind: str, record_id: str, actor: str, expected_version: int, action: str, url: str | None,
            **changes: Any) -> int:
    """Set some columns of a record still at `expected_version`, as a new version; audited."""
    with session_scope(url) as s:
        row = _current(s, kind, record_id, expected_version)
        before = plain_record(kind, row)
        for name, value in changes.items():
            setattr(row, name, value)
        _signed(kind, row, actor)
        row.version += 1
        _flush(s)
        write_audit(s, actor, kind, record_id, action, before, plain_record(kind, row))
        return int(row.version)


def set_published(kind: str, record_id: str, published: bool, actor: str, expected_version: int,
                  url: str | None = None) -> int:
    """Publish a record or hide it from the assistant; returns its new version."""
    return _change(kind, record_id, actor, expected_version, "publish" if published else "unpublish", url,
                   published=published)


def cancel_workshop(record_id: str, actor: str, expected_version: int, url: str | None = None) -> int:
    """Cancel a workshop: never offered again, even if edited or imported later. Returns its new version."""
    return _change("workshops", record_id, actor, expected_version, "cancel", url, cancelled_at=utcnow())


def delete_record(kind: str, record_id: str, actor: str, url: str | None = None) -> bool:
    """Delete a record (its last values stay in the audit log); False if unknown. A job that trainings lead to
    is kept: RecordFileError names them."""
    with session_scope(url) as s:
        row = record_row(s, kind, record_id)
        if row is None:
            return False
        if kind == "jobs":
            leading = sorted(t.id for t in s.scalars(select(Training)) if record_id in t.jobs)
            if leading:
                raise RecordFileError(record_id, None, f"des formations mènent à ce métier : {', '.join(leading)}")
        write_audit(s, actor, kind, record_id, "delete", plain_record(kind, row), None)
        s.delete(row)
        _flush(s)
        return True


def history(kind: str, record_id: str, url: str | None = None) -> list[AuditEntry]:
    """The audited changes of one record, newest first."""
    with session_scope(url) as s:
        rows = s.scalars(select(AuditRow).where(AuditRow.kind == kind, AuditRow.record_id == record_id)
                         .order_by(AuditRow.id.desc()))
        return [_entry(r) for r in rows]


def audit_log(limit: int = 200, url: str | None = None) -> list[AuditEntry]:
    """The latest staff changes, newest first."""
    with session_scope(url) as s:
        return [_entry(r) for r in s.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit))]


def revert(kind: str, record_id: str, audit_id: int, actor: str, url: str | None = None) -> int:
    """Bring a record back to the state an audit entry left it in (for a deletion, the state before it), as a
    new version; audited as "revert". Returns the record's new version. A cancelled workshop stays cancelled."""
    with session_scope(url) as s:
        entry = s.get(AuditRow, audit_id)
        if entry is None or (entry.kind, entry.record_id) != (kind, record_id):
            raise ValueError(f"aucune modification n° {audit_id} de cette fiche")
        state = entry.after if entry.after is not None else entry.before
        if state is None:
            raise ValueError(f"la modification n° {audit_id} ne garde aucun état de la fiche")
        record = _checked(s, kind, state)
        current = record_row(s, kind, record_id)
        before = plain_record(kind, current) if current is not None else None
        row = _write(s, kind, record, actor)
        _flush(s)
        write_audit(s, actor, kind, record_id, "revert", before, plain_record(kind, row))
        return int(row.version)
