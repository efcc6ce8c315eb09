"""What the assistant writes for staff: unanswered questions and consented callback requests."""

from __future__ import annotations

from sqlalchemy import select

from knowledge.db import session_scope
from knowledge.models import CallbackRequest, UnansweredQuestion
from knowledge.schemas import UnansweredInfo, from_row

MAX_TEXT = 2000


def record_unanswered(text: str, channel: str = "", best_match: str = "", best_score: float = 0.0) -> None:
    """Keep a question the assistant could not answer, for staff to write its FAQ entry."""
    with session_scope() as s:
        s.add(UnansweredQuestion(text=text[:MAX_TEXT], channel=channel[:40], best_match=best_match,
                                 best_score=best_score))


def unanswered(limit: int = 100) -> list[UnansweredInfo]:
    """The latest unanswered questions, newest first."""
    with session_scope() as s:
        rows = s.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id.desc()).limit(limit))
        return [from_row(UnansweredInfo, r) for r in rows]


def record_callback(contact: str, topic: str = "", channel: str = "") -> None:
    """Keep a callback request; call only once the user has given a contact and consented."""
    with session_scope() as s:
        s.add(CallbackRequest(contact=contact[:200], topic=topic[:MAX_TEXT], channel=channel[:40]))
