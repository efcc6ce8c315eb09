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
from knowledge.requests_log import (
    callbacks, forget_sender, mark_callback_handled, purge, record_callback, record_unanswered, retention_days,
    unanswered,
)
from knowledge.text import canonical, mentioned

__all__ = [
    "FAQ_THRESHOLD", "callbacks", "canonical", "centre_contacts", "centres", "date_range", "faq", "find_services",
    "find_trainings", "forget_sender", "job_card", "known_cities", "mark_callback_handled", "match_job", "mentioned",
    "purge", "record_callback", "record_unanswered", "resolve_city", "retention_days", "suggest_jobs", "unanswered",
    "upcoming_workshops",
]
