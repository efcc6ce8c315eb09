"""The store's main queries at 100 times the seed volume: p95 per query (SQLite file)."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import knowledge
from knowledge.db import session_scope
from knowledge.migrate import migrate
from knowledge.records_io import export_records, upsert
from knowledge.seed import seed


def grow(url: str, factor: int) -> dict[str, int]:
    """Copy every workshop, training and FAQ entry `factor` times (new ids, shifted dates)."""
    counts = {}
    for kind in ("workshops", "trainings", "faq"):
        records = export_records(kind, url)
        copies = []
        for copy in range(1, factor):
            for record in records:
                clone = {**record, "id": f"{record['id']}-x{copy}"}
                if kind == "workshops":
                    for key in ("start", "end"):
                        clone[key] = _shift(record[key], copy % 60)
                copies.append(clone)
        with session_scope(url) as session:
            upsert(session, kind, [_typed(kind, c) for c in copies])
        counts[kind] = len(records) * factor
    return counts


def _shift(moment: str, days: int) -> str:
    from datetime import datetime
    return (datetime.fromisoformat(moment) + timedelta(days=days)).isoformat()


def _typed(kind: str, record: dict) -> dict:
    from datetime import date, datetime
    typed = dict(record)
    for key in ("start", "end"):
        if kind == "workshops":
            typed[key] = datetime.fromisoformat(typed[key])
    if kind == "trainings" and typed.get("next_start"):
        typed["next_start"] = date.fromisoformat(typed["next_start"])
    if kind == "faq":
        typed.pop("updated_at", None)
    return typed


QUERIES: dict[str, Callable[[], object]] = {
    "upcoming_workshops(topic, city)": lambda: knowledge.upcoming_workshops(topic="IA", city="Montpellier"),
    "upcoming_workshops(page 3)": lambda: knowledge.upcoming_workshops(offset=6),
    "find_trainings(audience)": lambda: knowledge.find_trainings(audience="demandeur d'emploi"),
    "find_services(need)": lambda: knowledge.find_services(need="cybersécurité", text="se protéger des cyberattaques"),
    "match_job(text)": lambda: knowledge.match_job("data scientiste"),
    "faq.search (model warm)": lambda: knowledge.search_faq("où se trouve la cité ?"),
}


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def run(factor: int = 100, repeats: int = 200) -> dict[str, object]:
    import os
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite:///{Path(workdir) / 'scale.db'}"
        previous = os.environ.get("KNOWLEDGE_DB_URL")
        os.environ["KNOWLEDGE_DB_URL"] = url
        try:
            migrate(url)
            seed(Path(workdir), url=url)
            counts = grow(url, factor)
            began = time.perf_counter()
            knowledge.search_faq("où se trouve la cité ?")
            refit = round(time.perf_counter() - began, 1)
            results = {}
            for name, query in QUERIES.items():
                query()
                samples = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    query()
                    samples.append((time.perf_counter() - start) * 1000)
                results[name] = round(p95(samples), 2)
        finally:
            if previous is None:
                os.environ.pop("KNOWLEDGE_DB_URL")
            else:
                os.environ["KNOWLEDGE_DB_URL"] = previous
    return {"records": counts, "p95_ms": results, "faq_refit_s": refit}
