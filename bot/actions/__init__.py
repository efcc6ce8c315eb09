"""Odyssée's custom actions: thin adapters between the Rasa tracker and the knowledge store."""

from bot.actions import answer, catalogue, faq, forms, human, jobs

__all__ = ["answer", "catalogue", "faq", "forms", "human", "jobs"]
