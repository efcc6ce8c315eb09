"""The staff inbox: the questions the assistant could not answer, close ones grouped, each group turned in one
step into a new FAQ entry, added to an entry as phrasings, or dismissed.

Two questions are grouped when their content words have the same stems (case, accents, plurals, stop words and
word order do not matter), one to one or nearly (a typo: `SAME_STEM` similarity). The sentence encoder is not
used: with the default e5 encoder, distinct questions on one subject (« C'est quoi l'Académie IBM ? », « À qui
s'adresse l'Académie IBM ? ») reach a cosine of 0.98, above 99 % of the seed FAQ's paraphrase pairs, so no
threshold separates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.db import session_scope
from knowledge.editing import record_row, save, write_audit
from knowledge.models import UnansweredQuestion, utcnow
from knowledge.records_io import plain_record
from knowledge.schemas import FaqMatch
from knowledge.text import fold, stems

SAME_STEM = 80  # similarity (0-100) of two stems taken as one word mistyped
MIN_FUZZY = 4  # shorter stems must be equal
MAX_QUESTIONS = 2000  # the newest questions considered


@dataclass
class InboxGroup:
    key: str
    text: str  # the newest question of the group
    count: int
    last_asked: datetime
    question_ids: list[int]
    closest: list[FaqMatch] = field(default_factory=list)


def _close(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= MIN_FUZZY and fuzz.ratio(a, b) >= SAME_STEM)


def same_question(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two questions' stems match one to one, equal or nearly (a typo)."""
    return len(a) == len(b) and all(any(_close(x, y) for y in b) for x in a) and all(
        any(_close(y, x) for x in a) for y in b)


def grouped(questions: Sequence[tuple[int, str, datetime]]) -> list[InboxGroup]:
    """(id, text, asked at) questions, newest first, in groups of the same question, newest group first."""
    groups: dict[frozenset[str], InboxGroup] = {}  # in order of creation: newest first
    for question_id, text, asked_at in questions:
        key = stems(text) or frozenset([text.strip().lower()])  # no content word: the same text only
        if key not in groups:
            key = next((k for k in groups if same_question(k, key)), key)
        group = groups.setdefault(key, InboxGroup(" ".join(sorted(key)), text, 0, asked_at, []))
        group.count += 1
        group.question_ids.append(question_id)
    return list(groups.values())


def inbox(limit: int = 100, url: str | None = None) -> list[InboxGroup]:
    """Groups of unanswered questions not yet handled, newest first, each with the 3 closest FAQ entries."""
    from knowledge import search_faq  # the retrieval models load here only

    with session_scope(url) as s:
        rows = s.execute(select(UnansweredQuestion.id, UnansweredQuestion.text, UnansweredQuestion.asked_at)
                         .where(UnansweredQuestion.dismissed_at.is_(None))
                         .order_by(UnansweredQuestion.asked_at.desc(), UnansweredQuestion.id.desc())
                         .limit(MAX_QUESTIONS)).tuples().all()
    groups = grouped(rows)[:limit]
    for group in groups:
        group.closest = search_faq(group.text, limit=3)
    return groups


def _pending(session: Session, question_ids: list[int], required: bool = True) -> list[UnansweredQuestion]:
    """The questions still in the inbox, newest first; ValueError (French) if none is and some are `required`."""
    rows = list(session.scalars(select(UnansweredQuestion).where(
        UnansweredQuestion.id.in_(question_ids), UnansweredQuestion.dismissed_at.is_(None))
        .order_by(UnansweredQuestion.asked_at.desc(), UnansweredQuestion.id.desc())))
    if required and not rows:
        raise ValueError("ces questions ont déjà été traitées")
    return rows


def _handled(rows: list[UnansweredQuestion], existing: list[str]) -> list[str]:
    """Mark the questions handled; their texts that are not already among `existing` phrasings."""
    now, seen, texts = utcnow(), {fold(t) for t in existing}, []
    for row in rows:
        row.dismissed_at = now
        if fold(row.text) not in seen:
            seen.add(fold(row.text))
            texts.append(row.text)
    return texts


def create_entry_from(question_ids: list[int], entry_id: str, answer: str, tags: list[str], region: str | None,
                      actor: str, url: str | None = None) -> str:
    """A new published FAQ entry answering the questions, which are its phrasings (the newest first) and leave
    the inbox. Returns its id; RecordFileError (French) if the values are not valid."""
    with session_scope(url) as s:
        phrasings = _handled(_pending(s, question_ids), [])
        values = {"id": entry_id, "questions": phrasings, "answer": answer, "tags": tags, "region": region,
                  "published": True}
        return str(save(s, "faq", values, actor, None).id)


def add_as_phrasing(question_ids: list[int], entry_id: str, actor: str, url: str | None = None) -> int:
    """Add the questions to an entry's phrasings (those it has not already); they leave the inbox. Returns the
    entry's new version."""
    with session_scope(url) as s:
        entry = record_row(s, "faq", entry_id)
        if entry is None:
            raise ValueError(f"aucune entrée de la FAQ n'a l'identifiant {entry_id!r}")
        values = plain_record("faq", entry)
        values["questions"] += _handled(_pending(s, question_ids), values["questions"])
        return int(save(s, "faq", values, actor, entry.version, action="add_phrasing").version)


def dismiss(question_ids: list[int], actor: str, url: str | None = None) -> int:
    """Take questions out of the inbox without an answer; how many were still in it (audited, without their
    text, which the retention period deletes)."""
    with session_scope(url) as s:
        rows = _pending(s, question_ids, required=False)
        _handled(rows, [])
        if rows:
            write_audit(s, actor, "inbox", "", "dismiss", None, {"question_ids": sorted(r.id for r in rows)})
        return len(rows)
