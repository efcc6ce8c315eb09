"""Every figure of the staff dashboard, from the turn log and the votes, for a period, a channel and a region.

Days are Paris days. Volumes, outcome shares and satisfaction include the purged days (their `daily_counts`);
the other figures cover the turns still kept (the retention period). Percentiles are nearest-rank.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.db import session_scope
from knowledge.models import DailyCount, Feedback, ReviewedConversation, Turn, UnansweredQuestion, utcnow
from knowledge.turn_log import COUNTED, EVERY, OUTCOMES, Tally, TurnRow, day_of, day_start, rows, tally

TOP = 10
ENTRY_DAYS = 30


@dataclass(frozen=True)
class Scope:
    """What a figure covers: the days from `start` to `end` included, one channel or region when given."""

    start: date
    end: date
    channel: str | None = None
    region: str | None = None

    @classmethod
    def last_days(cls, days: int, today: date | None = None, channel: str | None = None,
                  region: str | None = None) -> Scope:
        """The `days` days ending today (Paris time)."""
        end = today or day_of(utcnow())
        return cls(end - timedelta(days=days - 1), end, channel, region)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class DayCount:
    day: date
    conversations: int
    messages: int


@dataclass(frozen=True)
class Outcomes:
    """How the messages went: answered (FAQ, document, catalogue), not understood, handed off, out of scope."""

    messages: int
    answered: int
    not_understood: int
    handed_off: int
    out_of_scope: int

    def share(self, outcome: str) -> float:
        """The share (0 to 1) of messages with `outcome`; 0 without messages."""
        return getattr(self, outcome) / self.messages if self.messages else 0.0


@dataclass(frozen=True)
class Count:
    label: str  # an intent, an FAQ entry id or a document id
    count: int


@dataclass(frozen=True)
class FailedQuestion:
    text: str
    failed: int  # times it was not answered
    disliked: int  # times its answer got a 👎
    inbox_ids: list[int]  # its questions still in the staff inbox

    @property
    def count(self) -> int:
        return self.failed + self.disliked


@dataclass(frozen=True)
class Satisfaction:
    useful: int
    not_useful: int

    @property
    def votes(self) -> int:
        return self.useful + self.not_useful

    @property
    def share(self) -> float | None:
        """The share of 👍 (0 to 1); None without votes."""
        return self.useful / self.votes if self.votes else None


@dataclass(frozen=True)
class EntrySatisfaction:
    source: str  # faq, document or catalogue
    source_id: str
    answers: int
    satisfaction: Satisfaction


@dataclass(frozen=True)
class Latency:
    count: int
    p50: int | None
    p95: int | None


@dataclass(frozen=True)
class ConversationSummary:
    id: str
    channel: str
    started: datetime
    ended: datetime
    turns: int
    outcome: str  # handed_off, disliked, not_understood, out_of_scope or answered
    reviewed: bool


@dataclass(frozen=True)
class TurnDetail:
    at: datetime
    intent: str
    confidence: float
    source: str
    source_id: str
    latency_ms: int
    text: str | None
    useful: bool | None
    comment: str


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    per_day: list[DayCount]
    outcomes: Outcomes
    top_intents: list[Count]
    top_entries: list[Count]
    top_documents: list[Count]
    failed_questions: list[FailedQuestion]
    satisfaction: Satisfaction
    per_entry: list[EntrySatisfaction]
    latency: Latency


# -- loading ---------------------------------------------------------------------------------------------------------

def _turns(session: Session, scope: Scope) -> list[TurnRow]:
    return rows(session, day_start(scope.start), day_start(scope.end + timedelta(days=1)), scope.channel,
                scope.region)


def _archived(session: Session, scope: Scope) -> dict[date, DailyCount]:
    """The purged days' counts in the scope."""
    query = select(DailyCount).where(DailyCount.day >= scope.start, DailyCount.day <= scope.end,
                                     DailyCount.channel == (scope.channel if scope.channel is not None else EVERY),
                                     DailyCount.region == (scope.region if scope.region is not None else EVERY))
    return {count.day: count for count in session.scalars(query)}


def _days(session: Session, scope: Scope, turns: list[TurnRow]) -> dict[date, Tally | DailyCount]:
    """Each day's counts: from its turns, else from its daily count once purged."""
    return {**_archived(session, scope), **tally(turns)}


# -- figures from loaded turns ---------------------------------------------------------------------------------------

def _conversations(counts: Tally | DailyCount) -> int:
    return len(counts.conversations) if isinstance(counts, Tally) else counts.conversations


def _per_day(scope: Scope, days: dict[date, Tally | DailyCount]) -> list[DayCount]:
    return [DayCount(day, _conversations(days[day]), days[day].messages) if day in days else DayCount(day, 0, 0)
            for day in scope.days()]


def _outcomes(days: dict[date, Tally | DailyCount]) -> Outcomes:
    total = {name: sum(getattr(counts, name) for counts in days.values()) for name in COUNTED}
    return Outcomes(total["messages"], total["answered"], total["not_understood"], total["handed_off"],
                    total["out_of_scope"])


def _satisfaction(days: dict[date, Tally | DailyCount]) -> Satisfaction:
    return Satisfaction(sum(c.useful for c in days.values()), sum(c.not_useful for c in days.values()))


def _top(labels: list[str], limit: int = TOP) -> list[Count]:
    """The most frequent labels, most frequent first, ties in alphabetical order."""
    return [Count(label, n) for label, n in sorted(Counter(labels).items(), key=lambda item: (-item[1], item[0]))
            ][:limit]


def _failed(session: Session, turns: list[TurnRow], limit: int = TOP) -> list[FailedQuestion]:
    """The questions not answered or whose answer got a 👎, most frequent first, with their inbox ids."""
    failed: Counter[str] = Counter()
    disliked: Counter[str] = Counter()
    for row in turns:
        if row.text and row.source == "unknown":
            failed[row.text] += 1
        elif row.text and row.useful is False:
            disliked[row.text] += 1
    ranked = sorted(set(failed) | set(disliked), key=lambda text: (-(failed[text] + disliked[text]), text))[:limit]
    inbox: dict[str, list[int]] = defaultdict(list)
    if ranked:
        query = select(UnansweredQuestion.id, UnansweredQuestion.text).where(
            UnansweredQuestion.text.in_(ranked), UnansweredQuestion.dismissed_at.is_(None)
        ).order_by(UnansweredQuestion.id)
        for question_id, text in session.execute(query):
            inbox[text].append(question_id)
    return [FailedQuestion(text, failed[text], disliked[text], inbox[text]) for text in ranked]


def _per_entry(turns: list[TurnRow]) -> list[EntrySatisfaction]:
    """Each rated source's answers and votes, the least liked first (then the most voted)."""
    answers: Counter[tuple[str, str]] = Counter()
    votes: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for row in turns:
        if row.source in ("faq", "document", "catalogue"):
            answers[(row.source, row.source_id)] += 1
            if row.useful is not None:
                votes[(row.source, row.source_id)].append(row.useful)
    found = [EntrySatisfaction(source, source_id, answers[(source, source_id)],
                               Satisfaction(sum(v), len(v) - sum(v))) for (source, source_id), v in votes.items()]
    return sorted(found, key=lambda e: (e.satisfaction.share or 0.0, -e.satisfaction.votes, e.source, e.source_id))


def percentile(values: list[int], share: float) -> int | None:
    """The nearest-rank percentile of `values` (`share` from 0 to 1); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _latency(turns: list[TurnRow]) -> Latency:
    values = [row.latency_ms for row in turns]
    return Latency(len(values), percentile(values, 0.5), percentile(values, 0.95))


def _outcome_of(turns: list[TurnRow]) -> str:
    sources = {row.source for row in turns}
    if "handoff" in sources:
        return "handed_off"
    if any(row.useful is False for row in turns):
        return "disliked"
    for source in ("unknown", "out_of_scope"):
        if source in sources:
            return OUTCOMES[source]
    return "answered"


def _summaries(session: Session, turns: list[TurnRow], to_review: bool, limit: int,
               outcome: str | None = None) -> list[ConversationSummary]:
    grouped: dict[str, list[TurnRow]] = defaultdict(list)
    for row in turns:
        grouped[row.conversation].append(row)
    reviewed = set(session.scalars(select(ReviewedConversation.conversation).where(
        ReviewedConversation.conversation.in_(list(grouped))))) if grouped else set()
    found = [ConversationSummary(conversation, its[0].channel, its[0].at, its[-1].at, len(its), _outcome_of(its),
                                 conversation in reviewed)
             for conversation, its in grouped.items() if not (to_review and conversation in reviewed)]
    chosen = [c for c in found if outcome is None or c.outcome == outcome]
    return sorted(chosen, key=lambda c: c.ended, reverse=True)[:limit]


# -- the figures, one function each ----------------------------------------------------------------------------------

def per_day(scope: Scope) -> list[DayCount]:
    """Conversations and messages of each day of the scope (zero for a silent day)."""
    with session_scope() as s:
        return _per_day(scope, _days(s, scope, _turns(s, scope)))


def outcomes(scope: Scope) -> Outcomes:
    """How many messages were answered, not understood, handed off to a person or out of scope."""
    with session_scope() as s:
        return _outcomes(_days(s, scope, _turns(s, scope)))


def top_intents(scope: Scope, limit: int = TOP) -> list[Count]:
    """The most frequent intents."""
    with session_scope() as s:
        return _top([row.intent for row in _turns(s, scope)], limit)


def top_sources(scope: Scope, source: str, limit: int = TOP) -> list[Count]:
    """The FAQ entries (`source` "faq") or documents ("document") that answered most."""
    with session_scope() as s:
        return _top([row.source_id for row in _turns(s, scope) if row.source == source], limit)


def failed_questions(scope: Scope, limit: int = TOP) -> list[FailedQuestion]:
    """The questions most often not answered or disliked, with their ids in the staff inbox."""
    with session_scope() as s:
        return _failed(s, _turns(s, scope), limit)


def satisfaction(scope: Scope) -> Satisfaction:
    """The 👍 and 👎 given to the scope's answers."""
    with session_scope() as s:
        return _satisfaction(_days(s, scope, _turns(s, scope)))


def satisfaction_per_entry(scope: Scope) -> list[EntrySatisfaction]:
    """Each voted answer's source with its votes, the least liked first."""
    with session_scope() as s:
        return _per_entry(_turns(s, scope))


def latency(scope: Scope) -> Latency:
    """The answer time's median and 95th percentile, in milliseconds."""
    with session_scope() as s:
        return _latency(_turns(s, scope))


def conversations(scope: Scope, to_review: bool = False, limit: int = 50,
                  outcome: str | None = None) -> list[ConversationSummary]:
    """The conversations with a turn in the scope, latest first; only those not marked « revue » with `to_review`,
    only those with `outcome` when given."""
    with session_scope() as s:
        return _summaries(s, _turns(s, scope), to_review, limit, outcome)


def dashboard(scope: Scope) -> Dashboard:
    """Every figure of the dashboard, from one read of the turn log."""
    with session_scope() as s:
        turns = _turns(s, scope)
        days = _days(s, scope, turns)
        return Dashboard(scope=scope, per_day=_per_day(scope, days), outcomes=_outcomes(days),
                         top_intents=_top([row.intent for row in turns]),
                         top_entries=_top([row.source_id for row in turns if row.source == "faq"]),
                         top_documents=_top([row.source_id for row in turns if row.source == "document"]),
                         failed_questions=_failed(s, turns), satisfaction=_satisfaction(days),
                         per_entry=_per_entry(turns), latency=_latency(turns))


def conversation(conversation_id: str) -> tuple[list[TurnDetail], bool]:
    """One conversation's turns, oldest first, and whether it is marked « revue » (no turns: erased or purged)."""
    with session_scope() as s:
        query = (select(Turn, Feedback).outerjoin(Feedback, Feedback.turn_id == Turn.id)
                 .where(Turn.conversation == conversation_id).order_by(Turn.at, Turn.id))
        details = [TurnDetail(t.at, t.intent, t.confidence, t.source, t.source_id, t.latency_ms, t.text,
                              f.useful if f else None, f.comment if f else "") for t, f in s.execute(query).tuples()]
        return details, s.get(ReviewedConversation, conversation_id) is not None


@dataclass(frozen=True)
class EntryQuality:
    answers: int
    satisfaction: Satisfaction


def entry_quality(source: str = "faq", days: int = ENTRY_DAYS, now: datetime | None = None
                  ) -> dict[str, EntryQuality]:
    """Per entry of `source`, over the last `days` days: how often it answered, and its votes."""
    since = (now or utcnow()) - timedelta(days=days)
    with session_scope() as s:
        turns = [row for row in rows(s, since, (now or utcnow()) + timedelta(seconds=1)) if row.source == source]
    answers = Counter(row.source_id for row in turns)
    liked = Counter(row.source_id for row in turns if row.useful is True)
    disliked = Counter(row.source_id for row in turns if row.useful is False)
    return {entry: EntryQuality(n, Satisfaction(liked[entry], disliked[entry])) for entry, n in answers.items()}
