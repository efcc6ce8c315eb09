"""What the assistant writes for staff (unanswered questions, consented callback requests), and how it goes away:
erasure of one person's rows on request, deletion of old rows after the retention period."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, delete, select
from sqlalchemy.orm import Session

from knowledge.db import session_scope
from knowledge.editing import write_audit
from knowledge.models import CallbackRequest, UnansweredQuestion, utcnow
from knowledge.schemas import CallbackInfo, UnansweredInfo, from_row

MAX_TEXT = 2000
DEFAULT_RETENTION_DAYS = 30
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(?:\+|00)?\d(?:[\s.-]?\d){8,13}(?!\w)")


def masked(text: str) -> str:
    """`text` with what looks like an e-mail address or a phone number replaced by a mark."""
    return _PHONE.sub("[téléphone masqué]", _EMAIL.sub("[e-mail masqué]", text))


def retention_days() -> int:
    """How many days personal data is kept: `ODYSSEE_RETENTION_DAYS`, 30 by default."""
    return int(os.environ.get("ODYSSEE_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


def record_unanswered(text: str, channel: str = "", best_match: str = "", best_score: float = 0.0,
                      sender_id: str = "") -> None:
    """Keep a question the assistant could not answer, for staff to write its FAQ entry (contacts masked)."""
    with session_scope() as s:
        s.add(UnansweredQuestion(text=masked(text[:MAX_TEXT]), channel=channel[:40], best_match=best_match,
                                 best_score=best_score, sender_id=sender_id[:120]))


def unanswered(limit: int = 100) -> list[UnansweredInfo]:
    """The latest unanswered questions staff have not handled yet, newest first."""
    with session_scope() as s:
        rows = s.scalars(select(UnansweredQuestion).where(UnansweredQuestion.dismissed_at.is_(None))
                         .order_by(UnansweredQuestion.id.desc()).limit(limit))
        return [from_row(UnansweredInfo, r) for r in rows]


def record_callback(contact: str, topic: str = "", channel: str = "", sender_id: str = "") -> None:
    """Keep a callback request; call only once the user has given a contact and consented."""
    with session_scope() as s:
        s.add(CallbackRequest(contact=contact[:200], topic=topic[:MAX_TEXT], channel=channel[:40],
                              sender_id=sender_id[:120]))


def callbacks(pending_only: bool = False) -> list[CallbackInfo]:
    """Callback requests, oldest first (those still to handle only, with `pending_only`)."""
    with session_scope() as s:
        query = select(CallbackRequest).order_by(CallbackRequest.id)
        if pending_only:
            query = query.where(CallbackRequest.handled_at.is_(None))
        return [from_row(CallbackInfo, r) for r in s.scalars(query)]


def mark_callback_handled(request_id: int, actor: str = "") -> bool:
    """Note that staff (`actor`) called back, audited; the request is then deleted after the retention period.
    False if unknown."""
    with session_scope() as s:
        request = s.get(CallbackRequest, request_id)
        if request is None:
            return False
        if request.handled_at is None:
            request.handled_at = utcnow()
            write_audit(s, actor, "callbacks", str(request_id), "handled", None,
                        {"handled_at": request.handled_at.isoformat()})  # no contact: it is deleted in time
        return True


@dataclass(frozen=True)
class Erased:
    unanswered: int
    callbacks: int


def _deleted(session: Session, statement: Delete) -> int:
    """Run a DELETE; the number of rows it deleted."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def forget_sender(sender_id: str) -> Erased:
    """Delete every row the store keeps about the conversation `sender_id` (its erasure request)."""
    with session_scope() as s:
        questions = _deleted(s, delete(UnansweredQuestion).where(UnansweredQuestion.sender_id == sender_id))
        requests = _deleted(s, delete(CallbackRequest).where(CallbackRequest.sender_id == sender_id))
    return Erased(questions, requests)


def purge(older_than_days: int | None = None, now: datetime | None = None) -> Erased:
    """Delete the unanswered questions and the handled callback requests older than the retention period."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days() if older_than_days is None else older_than_days)
    with session_scope() as s:
        questions = _deleted(s, delete(UnansweredQuestion).where(UnansweredQuestion.asked_at < cutoff))
        requests = _deleted(s, delete(CallbackRequest).where(CallbackRequest.handled_at < cutoff))
    return Erased(questions, requests)
