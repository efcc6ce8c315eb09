"""Plain data returned by the store's queries (no ORM object leaves the package)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")
DEMO_MARK = " (démo)"  # after every demo record, wherever it is shown (chat answers, staff listings)


def from_row(cls: type[T], row: Any, **extra: Any) -> T:
    """Copy the dataclass's fields from an ORM row (lists are copied, never shared)."""
    values = {f.name: getattr(row, f.name) for f in fields(cls) if f.name not in extra}  # type: ignore[arg-type]
    values = {k: list(v) if isinstance(v, list) else v for k, v in values.items()}
    return cls(**values, **extra)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


@dataclass(frozen=True)
class CentreInfo:
    id: str
    name: str
    summary: str
    address: str
    city: str
    hours: str
    phone: str
    email: str
    website: str
    region: str
    source: str
    demo: bool


@dataclass(frozen=True)
class ServiceInfo:
    id: str
    name: str
    summary: str
    details: str
    audience: list[str]
    needs: list[str]
    how_to_get: str
    contact: str
    region: str
    source: str
    demo: bool


@dataclass(frozen=True)
class WorkshopInfo:
    id: str
    title: str
    kind: str
    topics: list[str]
    audience: list[str]
    start: datetime
    end: datetime
    place: str
    city: str
    online_url: str
    capacity: int | None
    registration_url: str
    price_eur: float | None
    summary: str
    region: str
    source: str
    demo: bool


@dataclass(frozen=True)
class TrainingInfo:
    id: str
    title: str
    provider: str
    topics: list[str]
    jobs: list[str]
    audience: list[str]
    format: str
    duration: str
    cost: str
    funding: str
    prerequisites: str
    next_start: date | None
    city: str
    url: str
    summary: str
    region: str
    source: str
    demo: bool


@dataclass(frozen=True)
class JobInfo:
    id: str
    title: str
    synonyms: list[str]
    description: str
    skills: list[str]
    sectors: list[str]
    outlook: str
    region: str
    source: str
    demo: bool
    trainings: list[TrainingInfo] = field(default_factory=list)


@dataclass(frozen=True)
class JobSuggestion:
    job: JobInfo
    why: str


@dataclass(frozen=True)
class FaqMatch:
    id: str
    score: float
    answer: str
    demo: bool
    region: str = ""  # the entry's region; empty: every region


@dataclass(frozen=True)
class CallbackInfo:
    id: int
    contact: str
    topic: str
    channel: str
    consent_at: datetime
    handled_at: datetime | None


@dataclass(frozen=True)
class UnansweredInfo:
    id: int
    text: str
    asked_at: datetime
    channel: str
    best_match: str
    best_score: float
