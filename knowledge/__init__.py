"""Odyssée's knowledge store: services, workshops, trainings, jobs of tomorrow and FAQ.

Plain typed functions returning plain data; nothing here knows about Rasa or the channels.
"""

from knowledge.dates import date_range
from knowledge.faq import RETRIEVER as faq
from knowledge.faq import THRESHOLD as FAQ_THRESHOLD
from knowledge.queries import (
    centre_contacts, centres, find_services, find_trainings, job_card, known_cities, match_job,
    resolve_city, suggest_jobs, upcoming_workshops,
)
from knowledge.requests_log import record_callback, record_unanswered, unanswered
from knowledge.text import canonical, mentioned

__all__ = [
    "FAQ_THRESHOLD", "canonical", "centre_contacts", "centres", "date_range", "faq", "find_services", "find_trainings",
    "job_card", "known_cities", "match_job", "mentioned", "record_callback", "record_unanswered",
    "resolve_city", "suggest_jobs", "unanswered", "upcoming_workshops",
]
