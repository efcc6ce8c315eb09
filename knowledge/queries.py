"""Catalogue queries: services, workshops, trainings, jobs, centres. Plain data in, plain data out."""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, String, cast, func, or_, select

from knowledge.dates import PARIS
from knowledge.db import session_scope
from knowledge.models import Centre, Job, Service, Training, Workshop
from knowledge.schemas import (
    CentreInfo,
    JobInfo,
    JobSuggestion,
    Page,
    ServiceInfo,
    TrainingInfo,
    WorkshopInfo,
    from_row,
)
from knowledge.text import canonical, fold, similarity
from knowledge.validation import ALL_REGIONS

JOB_MATCH_CUTOFF = 80.0


def active_regions() -> list[str] | None:
    """Regions this deployment serves (`ODYSSEE_REGIONS`, comma-separated); None means all."""
    raw = os.environ.get("ODYSSEE_REGIONS", "").strip()
    return [r.strip() for r in raw.split(",") if r.strip()] or None


def in_regions(stmt: Select, model: Any) -> Select:  # type: ignore[type-arg]
    """`stmt` kept to the records of the regions served, and to those without a region (all regions)."""
    regions = active_regions()
    return stmt.where(model.region.in_([*regions, ALL_REGIONS])) if regions else stmt


def offered(stmt: Select, model: Any) -> Select:  # type: ignore[type-arg]
    """`stmt` kept to what the assistant may offer: records of the regions served, published, not cancelled."""
    stmt = in_regions(stmt, model).where(model.published.is_(True))
    return stmt.where(model.cancelled_at.is_(None)) if model is Workshop else stmt


def _has(column, value: str):  # type: ignore[no-untyped-def]
    """SQL test that a JSON list column holds `value` (stored with accents, see db._json)."""
    return cast(column, String).like(f'%"{value}"%')


def _for_audience(column, audience: str | None):  # type: ignore[no-untyped-def]
    """Records for `audience`, or open to all (empty audience list)."""
    if not audience:
        return None
    return or_(_has(column, audience), cast(column, String) == "[]")


def known_cities() -> list[str]:
    """Cities that have workshops or trainings on offer."""
    with session_scope() as s:
        rows = [*s.scalars(offered(select(Workshop.city), Workshop).distinct()),
                *s.scalars(offered(select(Training.city), Training).distinct())]
    return sorted({c for c in rows if c})


def resolve_city(text: str | None) -> str | None:
    """The known city `text` names (accents, case, hyphens and small typos tolerated)."""
    if not text:
        return None
    scored = [(similarity(text, city), city) for city in known_cities() if abs(len(fold(city)) - len(fold(text))) < 4]
    best = max(scored, default=(0.0, None))
    return best[1] if best[0] >= 85 else None


def upcoming_workshops(
    topic: str | None = None,
    audience: str | None = None,
    city: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 3,
    offset: int = 0,
    now: datetime | None = None,
) -> Page[WorkshopInfo]:
    """Workshops not yet over, filtered, soonest first, one page of them with the total."""
    now = now or datetime.now(PARIS)
    after = max(now, start) if start else now
    stmt = offered(select(Workshop), Workshop).where(Workshop.end >= after)
    if end:
        stmt = stmt.where(Workshop.start < end)
    if topic := (canonical("topic", topic) if topic else None):
        stmt = stmt.where(_has(Workshop.topics, topic))
    if (audience_filter := _for_audience(Workshop.audience, canonical("audience", audience or ""))) is not None:
        stmt = stmt.where(audience_filter)
    if city:
        stmt = stmt.where(func.lower(Workshop.city) == city.lower())
    with session_scope() as s:
        total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = s.scalars(stmt.order_by(Workshop.start, Workshop.id).offset(offset).limit(limit)).all()
        return Page([from_row(WorkshopInfo, r) for r in rows], total, offset)


def find_trainings(
    topic: str | None = None,
    job: str | None = None,
    audience: str | None = None,
    city: str | None = None,
    limit: int = 3,
    offset: int = 0,
    today: date | None = None,
) -> Page[TrainingInfo]:
    """Trainings by topic, job id and audience; next start first, those without a date last."""
    today = today or datetime.now(PARIS).date()
    stmt = offered(select(Training), Training).where(
        or_(Training.next_start.is_(None), Training.next_start >= today)
    )
    if topic := (canonical("topic", topic) if topic else None):
        stmt = stmt.where(_has(Training.topics, topic))
    if job:
        stmt = stmt.where(_has(Training.jobs, job))
    if (audience_filter := _for_audience(Training.audience, canonical("audience", audience or ""))) is not None:
        stmt = stmt.where(audience_filter)
    if city:
        stmt = stmt.where(func.lower(Training.city) == city.lower())
    order = (Training.next_start.is_(None), Training.next_start, Training.id)
    with session_scope() as s:
        total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = s.scalars(stmt.order_by(*order).offset(offset).limit(limit)).all()
        return Page([from_row(TrainingInfo, r) for r in rows], total, offset)


def find_services(
    need: str | None = None, audience: str | None = None, text: str = "", limit: int = 3
) -> list[ServiceInfo]:
    """Services ranked by the need they answer, the audience they serve and the words of `text`."""
    need = canonical("topic", need) if need else None
    audience = canonical("audience", audience) if audience else None
    with session_scope() as s:
        services = [from_row(ServiceInfo, r) for r in s.scalars(offered(select(Service), Service))]

    def score(service: ServiceInfo) -> float:
        value = 3.0 if need and need in service.needs else 0.0
        value += 1.0 if audience and audience in service.audience else 0.0
        if text:
            value += similarity(text, f"{service.name} {' '.join(service.needs)}") / 100
        return value

    ranked = sorted(services, key=lambda sv: (-score(sv), sv.demo, sv.name))
    if need:
        ranked = [sv for sv in ranked if need in sv.needs] or ranked
    return ranked[:limit]


def _job_info(job: Job, trainings: list[TrainingInfo] | None = None) -> JobInfo:
    return from_row(JobInfo, job, trainings=trainings or [])


def match_job(text: str) -> JobInfo | None:
    """The job `text` names (title or synonym; accents, case, typos and short forms tolerated)."""
    with session_scope() as s:
        jobs = s.scalars(offered(select(Job), Job)).all()
        scored = [
            (max(similarity(text, name) for name in (job.title, *job.synonyms)), job) for job in jobs
        ]
        best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        return _job_info(best[1]) if best[1] is not None and best[0] >= JOB_MATCH_CUTOFF else None


def job_card(job_id: str) -> JobInfo | None:
    """A job with the upcoming trainings that lead to it."""
    with session_scope() as s:
        job = s.scalar(offered(select(Job), Job).where(Job.id == job_id))
        if job is None:
            return None
        info = _job_info(job)
    return JobInfo(**{**info.__dict__, "trainings": find_trainings(job=job_id, limit=3).items})


def suggest_jobs(
    sector: str | None = None, topic: str | None = None, audience: str | None = None, limit: int = 3
) -> list[JobSuggestion]:
    """Jobs of tomorrow for a sector or an interest, each with a line on why it fits."""
    sector = canonical("sector", sector) if sector else None
    topic = canonical("topic", topic) if topic else None
    audience = canonical("audience", audience) if audience else None
    with session_scope() as s:
        jobs = [_job_info(j) for j in s.scalars(offered(select(Job), Job).order_by(Job.title))]
        trained = {
            job_id
            for t in s.scalars(offered(select(Training), Training))
            if not audience or not t.audience or audience in t.audience
            for job_id in t.jobs
        }

    def why(job: JobInfo) -> tuple[float, str]:
        reasons, score = [], 0.0
        if sector and sector in job.sectors:
            score += 2
            reasons.append(f"recherché dans le secteur « {sector} »")
        if topic and (similarity(topic, f"{job.title} {job.description}") >= 80 or topic in job.skills):
            score += 2
            reasons.append(f"en plein dans votre intérêt « {topic} »")
        if job.id in trained:
            score += 0.5
            reasons.append("une formation y mène" + (" pour votre profil" if audience else ""))
        return score, ", ".join(reasons) or job.outlook.split(".")[0] + "."

    ranked = sorted(jobs, key=lambda j: -why(j)[0])
    return [JobSuggestion(job, why(job)[1]) for job in ranked[:limit]]


def centre_contacts() -> list[CentreInfo]:
    """Centres that have a way to reach a person (phone, e-mail or website), real ones first."""
    with session_scope() as s:
        rows = s.scalars(in_regions(select(Centre), Centre).order_by(Centre.demo, Centre.id)).all()
        return [from_row(CentreInfo, r) for r in rows if r.phone or r.email or r.website]


def all_job_names() -> list[str]:
    """Every job title and synonym, for NLU lookup tables."""
    with session_scope() as s:
        return sorted({name for job in s.scalars(offered(select(Job), Job)) for name in (job.title, *job.synonyms)})
