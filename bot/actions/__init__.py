"""Odyssée's custom actions: thin adapters between the Rasa tracker and the knowledge store."""

from bot.actions import catalogue, faq, human, jobs

__all__ = ["catalogue", "faq", "human", "jobs"]
