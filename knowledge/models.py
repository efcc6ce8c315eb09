"""SQLAlchemy 2.0 models of the knowledge store. Nothing outside this package sees them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(timezone.utc)


class AwareDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend: stored in UTC, read back as UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=timezone.utc) if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map = {list[str]: JSON, datetime: AwareDateTime}


class Record(Base):
    """Columns every record carries: identity, region, provenance, demo flag."""

    __abstract__ = True

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    region: Mapped[str] = mapped_column(String(40), index=True)
    source: Mapped[str] = mapped_column(Text, default="")
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Versioned:
    """Optimistic locking: every change sets `version` to the next number, and an UPDATE whose row changed
    meanwhile (another version in the table) fails with StaleDataError."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}  # type: ignore[attr-defined]


class Publishable:
    """Hidden from the assistant while `published` is false."""

    published: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Centre(Versioned, Record):
    __tablename__ = "centres"

    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    hours: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    partners: Mapped[list[str]] = mapped_column(default=list)


class Service(Versioned, Publishable, Record):
    __tablename__ = "services"

    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[list[str]] = mapped_column(default=list)
    needs: Mapped[list[str]] = mapped_column(default=list)
    how_to_get: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    centre: Mapped[str] = mapped_column(String(120), default="")


class Workshop(Versioned, Publishable, Record):
    __tablename__ = "workshops"

    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(60), default="atelier")
    topics: Mapped[list[str]] = mapped_column(default=list)
    audience: Mapped[list[str]] = mapped_column(default=list)
    start: Mapped[datetime] = mapped_column(index=True)
    end: Mapped[datetime]
    place: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120), default="", index=True)
    online_url: Mapped[str] = mapped_column(String(300), default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    registration_url: Mapped[str] = mapped_column(String(300), default="")
    price_eur: Mapped[float | None] = mapped_column(Numeric(10, 2, asdecimal=False), nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)  # never offered again once set


class Training(Versioned, Publishable, Record):
    __tablename__ = "trainings"

    title: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(200), default="")
    topics: Mapped[list[str]] = mapped_column(default=list)
    jobs: Mapped[list[str]] = mapped_column(default=list)
    audience: Mapped[list[str]] = mapped_column(default=list)
    format: Mapped[str] = mapped_column(String(60), default="")
    duration: Mapped[str] = mapped_column(String(120), default="")
    cost: Mapped[str] = mapped_column(Text, default="")
    funding: Mapped[str] = mapped_column(Text, default="")
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    next_start: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")


class Job(Versioned, Publishable, Record):
    __tablename__ = "jobs"

    title: Mapped[str] = mapped_column(String(200))
    synonyms: Mapped[list[str]] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[str]] = mapped_column(default=list)
    sectors: Mapped[list[str]] = mapped_column(default=list)
    outlook: Mapped[str] = mapped_column(Text, default="")


class FaqEntry(Versioned, Record):
    __tablename__ = "faq_entries"

    answer: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    published: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    questions: Mapped[list[FaqQuestion]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="FaqQuestion.position"
    )


class FaqQuestion(Base):
    __tablename__ = "faq_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("faq_entries.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    entry: Mapped[FaqEntry] = relationship(back_populates="questions")


class UnansweredQuestion(Base):
    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(40), default="")
    sender_id: Mapped[str] = mapped_column(String(120), default="", server_default="", index=True)
    best_match: Mapped[str] = mapped_column(String(120), default="")
    best_score: Mapped[float] = mapped_column(default=0.0)
    dismissed_at: Mapped[datetime | None] = mapped_column(default=None)  # handled by staff: out of the inbox


class CallbackRequest(Base):
    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contact: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(40), default="")
    sender_id: Mapped[str] = mapped_column(String(120), default="", server_default="", index=True)
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(default=None)


class Document(Record):
    """A document staff published (fact sheet, article, PDF): its text lives in its passages."""

    __tablename__ = "documents"

    title: Mapped[str] = mapped_column(String(300))
    file_name: Mapped[str] = mapped_column(String(300), default="")
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    passages: Mapped[list[Passage]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Passage.position"
    )


class Passage(Base):
    """A few consecutive sentences of a document, under their section heading."""

    __tablename__ = "passages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    heading: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    document: Mapped[Document] = relationship(back_populates="passages")


class CachedEmbedding(Base):
    """A sentence encoder's vector of one text, computed once (key: encoder name and text digest)."""

    __tablename__ = "embeddings"

    encoder: Mapped[str] = mapped_column(String(80), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class StaffUser(Base):
    """A staff account of the back-office (Argon2id password hash, failed logins for the growing delay)."""

    __tablename__ = "staff_users"

    email: Mapped[str] = mapped_column(String(200), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(default=None)


class StaffSession(Base):
    """A signed-in staff member; `id` is the SHA-256 of the session token (the token itself is never stored)."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(ForeignKey("staff_users.email", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditRow(Base):
    """One staff change: who, when, what record, and the record's plain values before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_kind_record_id", "kind", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
