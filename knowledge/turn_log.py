"""The turn log the assistant writes for statistics, people's votes on its answers, and how both go away.

A turn keeps when, which channel, a digest of the conversation (never the sender id itself), the intent and its
confidence, what answered (an FAQ entry, a document, the catalogue, a person, nothing) and how long it took; the
question's text only when nothing answered it or its answer was judged not useful, masked as personal data is.
Turns are erased with their conversation and purged after the retention period, a whole day at a time; a purged
day's counts are kept in `daily_counts`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum

from sqlalchemy import Select, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.dates import PARIS
from knowledge.db import session_scope
from knowledge.models import DailyCount, Document, FaqEntry, Feedback, ReviewedConversation, Turn, utcnow
from knowledge.queries import active_regions
from knowledge.requests_log import MAX_TEXT, masked, record_unanswered

RATED = frozenset({"faq", "document", "catalogue"})  # the answers people may rate
# Every source a turn may have (what answered it), and the outcome it counts as.
OUTCOMES = {"faq": "answered", "document": "answered", "catalogue": "answered", "handoff": "handed_off",
            "unknown": "not_understood", "out_of_scope": "out_of_scope"}
MAX_COMMENT = 1000
EVERY = "*"  # a daily count over every channel or every region
COUNTED = ("messages", "answered", "not_understood", "handed_off", "out_of_scope", "useful", "not_useful")


def conversation_of(sender_id: str) -> str:
    """The pseudonymous id of a conversation: the SHA-256 of its sender id."""
    return hashlib.sha256(sender_id.encode()).hexdigest()


def day_of(moment: datetime) -> date:
    """The day of `moment` in Paris time, as staff count days."""
    return moment.astimezone(PARIS).date()


def day_start(day: date) -> datetime:
    """Midnight, Paris time, at the start of `day`."""
    return datetime.combine(day, time(), tzinfo=PARIS)


def _region(session: Session, source: str, source_id: str) -> str:
    """The answering record's region; else the region served, when the deployment serves only one."""
    model = {"faq": FaqEntry, "document": Document}.get(source)
    region = session.scalar(select(model.region).where(model.id == source_id)) if model and source_id else None
    served = active_regions() or []
    return region or (served[0] if len(served) == 1 else "")


@dataclass(frozen=True)
class NewTurn:
    """A turn to log: its id and time are given when it happens, whenever it is written."""

    sender_id: str
    channel: str
    intent: str
    confidence: float
    source: str
    source_id: str = ""
    latency_ms: int = 0
    question: str | None = None  # kept (masked) only when nothing answered (`source` "unknown")
    at: datetime = field(default_factory=utcnow)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        if self.source not in OUTCOMES:
            raise ValueError(f"unknown source {self.source!r}")


def record_turns(turns: Iterable[NewTurn]) -> None:
    """Log turns, in one transaction."""
    with session_scope() as s:
        for turn in turns:
            text = masked(turn.question[:MAX_TEXT]) if turn.question and turn.source == "unknown" else None
            s.add(Turn(id=turn.id, at=turn.at, channel=turn.channel[:40], conversation=conversation_of(turn.sender_id),
                       intent=turn.intent[:80], confidence=round(turn.confidence, 4), source=turn.source,
                       source_id=turn.source_id[:120], region=_region(s, turn.source, turn.source_id),
                       latency_ms=max(0, turn.latency_ms), text=text))


def record_turn(sender_id: str, channel: str, intent: str, confidence: float, source: str, source_id: str = "",
                latency_ms: int = 0, question: str | None = None, at: datetime | None = None) -> str:
    """Log one turn now; its id."""
    turn = NewTurn(sender_id, channel, intent, confidence, source, source_id, latency_ms, question, at or utcnow())
    record_turns([turn])
    return turn.id


class Vote(str, Enum):
    RECORDED = "recorded"
    ALREADY = "already"  # one vote per answer
    UNKNOWN = "unknown"  # an answer of another conversation, or not one to rate
    MISSING = "missing"  # no such turn logged: not yet (it is written just after the answer), erased or purged


def record_feedback(turn_id: str, sender_id: str, useful: bool, channel: str = "", question: str = "") -> Vote:
    """Keep a person's vote on one of their answers (one vote per answer). A 👎 keeps the question (masked) and
    puts it in the staff inbox. MISSING when the turn is not (or not yet) logged."""
    try:
        with session_scope() as s:
            turn = s.get(Turn, turn_id)
            if turn is None:
                return Vote.MISSING
            if turn.conversation != conversation_of(sender_id) or turn.source not in RATED:
                return Vote.UNKNOWN
            if s.get(Feedback, turn_id) is not None:
                return Vote.ALREADY
            s.add(Feedback(turn_id=turn_id, useful=useful, channel=channel[:40]))
            disliked = not useful and bool(question.strip())
            if disliked:
                turn.text = masked(question.strip()[:MAX_TEXT])
            best = turn.source_id if turn.source == "faq" else ""
    except IntegrityError:  # the same vote, twice at once
        return Vote.ALREADY
    if disliked:
        record_unanswered(question.strip(), channel=channel, best_match=best, sender_id=sender_id)
    return Vote.RECORDED


def add_comment(turn_id: str, sender_id: str, comment: str) -> bool:
    """Add « ce qui manquait » to a person's 👎 (masked); False when there is no such vote or it has its comment."""
    with session_scope() as s:
        vote = s.get(Feedback, turn_id)
        turn = s.get(Turn, turn_id)
        if (vote is None or turn is None or vote.useful or vote.comment
                or turn.conversation != conversation_of(sender_id) or not comment.strip()):
            return False
        vote.comment = masked(comment.strip()[:MAX_COMMENT])
        return True


def mark_reviewed(conversation: str, by: str) -> bool:
    """Mark a conversation « revue »; False when it has no turn left."""
    with session_scope() as s:
        if s.scalar(select(Turn.id).where(Turn.conversation == conversation).limit(1)) is None:
            return False
        if s.get(ReviewedConversation, conversation) is None:
            s.add(ReviewedConversation(conversation=conversation, reviewed_by=by[:200]))
        return True


# -- reading turns back, for the statistics and the daily counts --------------------------------------------------

@dataclass(frozen=True)
class TurnRow:
    id: str
    at: datetime
    conversation: str
    channel: str
    region: str
    intent: str
    source: str
    source_id: str
    latency_ms: int
    text: str | None
    useful: bool | None  # None: no vote


def rows(session: Session, start: datetime, end: datetime, channel: str | None = None,
         region: str | None = None) -> list[TurnRow]:
    """The turns from `start` (included) to `end` (excluded), of one channel and region when given, oldest first."""
    query: Select = (select(Turn.id, Turn.at, Turn.conversation, Turn.channel, Turn.region, Turn.intent,  # type: ignore[type-arg]
                            Turn.source, Turn.source_id, Turn.latency_ms, Turn.text, Feedback.useful)
                     .outerjoin(Feedback, Feedback.turn_id == Turn.id)
                     .where(Turn.at >= start, Turn.at < end).order_by(Turn.at, Turn.id))
    if channel is not None:
        query = query.where(Turn.channel == channel)
    if region is not None:
        query = query.where(Turn.region == region)
    return [TurnRow(*row) for row in session.execute(query)]


@dataclass
class Tally:
    """One day's counts."""

    conversations: set[str] = field(default_factory=set)
    messages: int = 0
    answered: int = 0
    not_understood: int = 0
    handed_off: int = 0
    out_of_scope: int = 0
    useful: int = 0
    not_useful: int = 0

    def add(self, row: TurnRow) -> None:
        self.conversations.add(row.conversation)
        self.messages += 1
        outcome = OUTCOMES[row.source]
        setattr(self, outcome, getattr(self, outcome) + 1)
        if row.useful is not None:
            self.useful += row.useful
            self.not_useful += not row.useful


def tally(turns: Iterable[TurnRow]) -> dict[date, Tally]:
    """The counts of each day (Paris time) the turns fall on."""
    days: dict[date, Tally] = {}
    for row in turns:
        days.setdefault(day_of(row.at), Tally()).add(row)
    return days


def _roll_up(session: Session, turns: list[TurnRow]) -> None:
    """Add the turns' counts to `daily_counts`, per channel and region and over all of them."""
    channels = {row.channel for row in turns} | {EVERY}
    regions = {row.region for row in turns} | {EVERY}
    for channel in channels:
        for region in regions:
            chosen = [r for r in turns if channel in (EVERY, r.channel) and region in (EVERY, r.region)]
            for day, counts in tally(chosen).items():
                kept = session.get(DailyCount, (day, channel, region)) or DailyCount(
                    day=day, channel=channel, region=region, **dict.fromkeys(COUNTED, 0), conversations=0)
                kept.conversations += len(counts.conversations)
                for name in COUNTED:
                    setattr(kept, name, getattr(kept, name) + getattr(counts, name))
                session.add(kept)


def purge_turns(older_than_days: int, now: datetime | None = None) -> int:
    """Delete the turns of the days older than `older_than_days` days (whole Paris days: a turn is kept at least
    that long) after adding their counts to `daily_counts`; the turns deleted."""
    cutoff = day_start(day_of((now or utcnow()) - timedelta(days=older_than_days)))
    with session_scope() as s:
        old = rows(s, datetime(1970, 1, 1, tzinfo=PARIS), cutoff)
        if not old:
            return 0
        _roll_up(s, old)
        ids = [row.id for row in old]
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            s.execute(delete(Feedback).where(Feedback.turn_id.in_(part)))
            s.execute(delete(Turn).where(Turn.id.in_(part)))
        left = select(Turn.conversation)
        s.execute(delete(ReviewedConversation).where(ReviewedConversation.conversation.not_in(left)))
    return len(old)


def forget_turns(sender_id: str) -> int:
    """Delete the turns, votes and review mark of the conversation `sender_id`; the turns deleted."""
    conversation = conversation_of(sender_id)
    with session_scope() as s:
        ids = list(s.scalars(select(Turn.id).where(Turn.conversation == conversation)))
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            s.execute(delete(Feedback).where(Feedback.turn_id.in_(part)))
            s.execute(delete(Turn).where(Turn.id.in_(part)))
        s.execute(delete(ReviewedConversation).where(ReviewedConversation.conversation == conversation))
    return len(ids)
