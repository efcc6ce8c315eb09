"""Catalogue queries on the seeded store, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import knowledge
from knowledge.queries import PARIS


def test_upcoming_workshops_soonest_first_and_paginated(store_url: str) -> None:
    first = knowledge.upcoming_workshops(limit=3)
    second = knowledge.upcoming_workshops(limit=3, offset=3)
    starts = [w.start for w in first.items + second.items]
    assert first.total >= 20 and len(first.items) == 3 and first.has_more
    assert starts == sorted(starts) and starts[0] >= datetime.now(PARIS) - timedelta(hours=4)
    assert not {w.id for w in first.items} & {w.id for w in second.items}


@pytest.mark.parametrize("asked", ["IA", "intelligence artificielle", "Intelligence Artificiele", "i.a"])
def test_workshops_by_topic_tolerate_synonyms_and_typos(store_url: str, asked: str) -> None:
    page = knowledge.upcoming_workshops(topic=asked, limit=50)
    assert page.total >= 3
    assert all("intelligence artificielle" in w.topics for w in page.items)


def test_workshops_by_city_and_date_range(store_url: str) -> None:
    city = knowledge.resolve_city("montpelier")
    assert city == "Montpellier"
    start = datetime.now(PARIS)
    end = start + timedelta(days=14)
    page = knowledge.upcoming_workshops(city=city, start=start, end=end, limit=50)
    assert page.items and all(w.city == "Montpellier" and w.start < end for w in page.items)
    assert knowledge.upcoming_workshops(city="Montpellier", start=end + timedelta(days=400),
                                        end=end + timedelta(days=401)).total == 0


def test_workshops_by_audience_include_open_events(store_url: str) -> None:
    page = knowledge.upcoming_workshops(audience="pme", limit=100)
    assert page.items
    assert all(not w.audience or "entreprise" in w.audience for w in page.items)


def test_trainings_by_topic_job_and_audience(store_url: str) -> None:
    by_job = knowledge.find_trainings(job="developpeur-ia", limit=10).items
    assert any("IBM" in t.title or "IBM" in t.provider for t in by_job)
    for_job_seekers = knowledge.find_trainings(audience="chomeur", limit=50).items
    assert for_job_seekers and all(not t.audience or "demandeur d'emploi" in t.audience for t in for_job_seekers)
    cyber = knowledge.find_trainings(topic="cyber", limit=50).items
    assert cyber and all("cybersécurité" in t.topics for t in cyber)
    dated = [t.next_start for t in knowledge.find_trainings(limit=50).items if t.next_start]
    assert dated == sorted(dated)


@pytest.mark.parametrize("asked, expected", [
    ("data scientist", "data-scientist"),
    ("Data Scientiste", "data-scientist"),
    ("dev IA", "developpeur-ia"),
    ("développeur d'applications en intelligence artificielle", "developpeur-ia"),
    ("expert cyber", "expert-cybersecurite"),
])
def test_match_job_tolerates_case_typos_and_short_forms(store_url: str, asked: str, expected: str) -> None:
    job = knowledge.match_job(asked)
    assert job is not None and job.id == expected


def test_match_job_rejects_unknown_jobs(store_url: str) -> None:
    assert knowledge.match_job("boulanger pâtissier") is None


def test_job_card_lists_trainings_that_lead_to_it(store_url: str) -> None:
    card = knowledge.job_card("developpeur-ia")
    assert card is not None and card.skills and card.trainings
    assert all("developpeur-ia" in t.jobs for t in card.trainings)


def test_suggest_jobs_explains_why(store_url: str) -> None:
    suggestions = knowledge.suggest_jobs(sector="santé", topic=None, audience="demandeur d'emploi")
    assert len(suggestions) == 3 and all(s.why for s in suggestions)
    assert "santé" in suggestions[0].job.sectors


def test_services_by_need_and_audience(store_url: str) -> None:
    services = knowledge.find_services(need="cybersécurité", audience="entreprise")
    assert services and "cybersécurité" in services[0].needs


def test_region_filter(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    everywhere = ({s.region for s in knowledge.find_services(limit=500)},
                  {w.region for w in knowledge.upcoming_workshops(limit=500).items})
    assert all({"grand-est", "occitanie"} <= regions for regions in everywhere)  # the filter has something to remove
    monkeypatch.setenv("ODYSSEE_REGIONS", "grand-est")
    services, workshops = knowledge.find_services(limit=500), knowledge.upcoming_workshops(limit=500).items
    assert services and workshops  # not an empty list passing `all`
    assert {s.region for s in services} <= {"grand-est", ""} and {w.region for w in workshops} <= {"grand-est", ""}


def test_unanswered_questions_are_recorded_for_staff(store_url: str) -> None:
    knowledge.record_unanswered("Y a-t-il une cafétéria ?", channel="web", best_match="cite-adresse", best_score=0.2)
    latest = knowledge.unanswered(limit=1)[0]
    assert (latest.text, latest.channel) == ("Y a-t-il une cafétéria ?", "web")
