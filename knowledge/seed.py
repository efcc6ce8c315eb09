"""Seed content: facts from the source documents (records and fact sheets), plus demo records dated from
the day of seeding."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select

from knowledge.dates import PARIS
from knowledge.db import session_scope
from knowledge.documents import read_document, store_document
from knowledge.models import FaqEntry, Record
from knowledge.records_io import MODELS, read_records, upsert

SEED_DIR = Path(__file__).with_name("seed_data")
ORDER = ["centres", "jobs", "services", "trainings", "faq"]


def _demo_workshop(raw: dict[str, Any], today: date) -> dict[str, Any]:
    record = {k: v for k, v in raw.items() if k not in ("in_days", "time", "duration_min")}
    start = datetime.combine(today + timedelta(days=raw["in_days"]), time.fromisoformat(raw["time"]), tzinfo=PARIS)
    return {**record, "start": start.isoformat(), "end": (start + timedelta(minutes=raw["duration_min"])).isoformat(),
            "demo": True}


def _demo_training(raw: dict[str, Any], today: date) -> dict[str, Any]:
    record = {k: v for k, v in raw.items() if k != "starts_in_days"}
    return {**record, "next_start": (today + timedelta(days=raw["starts_in_days"])).isoformat(), "demo": True}


def demo_files(today: date, workdir: Path) -> list[Path]:
    """The demo records written as ordinary import files, with dates computed from `today`."""
    paths = []
    for kind, dated in (("trainings", _demo_training), ("workshops", _demo_workshop)):
        raw = yaml.safe_load((SEED_DIR / "demo" / f"{kind}.yml").read_text(encoding="utf-8")) or []
        path = workdir / f"demo-{kind}.yml"
        path.write_text(yaml.safe_dump([dated(r, today) for r in raw], allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def is_empty(url: str | None = None) -> bool:
    with session_scope(url) as s:
        return not s.scalar(select(func.count()).select_from(FaqEntry))


def seed(workdir: Path, today: date | None = None, url: str | None = None, demo_only: bool = False) -> dict[str, int]:
    """Load the seed files (unless `demo_only`) and the demo records, in one transaction."""
    today = today or datetime.now(PARIS).date()
    files = [] if demo_only else [SEED_DIR / f"{kind}.yml" for kind in ORDER]
    batches = [read_records(path) for path in files + demo_files(today, workdir)]
    counts: dict[str, int] = {}
    documents = [] if demo_only else [read_document(path) for path in sorted((SEED_DIR / "documents").glob("*.md"))]
    with session_scope(url) as session:
        for kind, rows in batches:
            records = [record for _, record in rows]
            if demo_only:
                records = [_redated(session, MODELS[kind], r) for r in records
                           if _still_demo(session, MODELS[kind], r["id"])]
            counts[kind] = counts.get(kind, 0) + upsert(session, kind, records)
        if documents:
            counts["documents"] = len(documents)
            for document in documents:
                store_document(session, document)
    return counts


def _still_demo(session, model: type[Record], record_id: str) -> bool:  # type: ignore[no-untyped-def]
    """A demo record may be re-dated unless staff took it over (set demo to false)."""
    row = session.get(model, record_id)
    return row is None or row.demo


def _redated(session, model: type[Record], record: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A demo record with its new dates, still published or hidden as staff left it."""
    row = session.get(model, record["id"])
    return record if row is None else {**record, "published": row.published}
