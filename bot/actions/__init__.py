"""Odyssée's custom actions: thin adapters between the Rasa tracker and the knowledge store."""

from bot.actions import answer, catalogue, faq, human, jobs

__all__ = ["answer", "catalogue", "faq", "human", "jobs"]
