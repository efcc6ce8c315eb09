"""Retention: delete personal data older than `ODYSSEE_RETENTION_DAYS` (30 by default) everywhere.

Conversations silent for longer (tracker store), unanswered questions, handled callback requests and the turn log
with its votes (knowledge store; the turn log's counts per day are kept). `make run` runs it at start and then
daily; by hand:

    TRACKER_DB_URL=sqlite:///var/tracker.db .venv/bin/python -m runner.purge [--older-than DAYS]
"""

from __future__ import annotations

import argparse

import knowledge
from channels.forget import purge_conversations


def purge_all(older_than_days: int | None = None) -> str:
    """Purge both stores; a French summary of what was deleted."""
    days = knowledge.retention_days() if older_than_days is None else older_than_days
    events = purge_conversations(days)
    erased = knowledge.purge(days)
    return (f"Conservation {days} jours : {events} événement(s) de conversation, {erased.unanswered} question(s) "
            f"sans réponse, {erased.callbacks} demande(s) de rappel traitée(s) et {erased.turns} message(s) du "
            "journal des statistiques supprimés (leurs comptes par jour sont gardés).")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--older-than", type=int, metavar="DAYS")
    print(purge_all(parser.parse_args().older_than))
