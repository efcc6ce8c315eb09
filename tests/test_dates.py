"""French date expressions become Europe/Paris ranges."""

from __future__ import annotations

from datetime import datetime

import pytest

from knowledge.dates import PARIS, date_range

NOW = datetime(2026, 11, 19, 10, 0, tzinfo=PARIS)  # a Thursday


@pytest.mark.parametrize("text, first, last", [
    ("ateliers demain ?", "2026-11-20", "2026-11-20"),
    ("cette semaine", "2026-11-19", "2026-11-22"),
    ("la semaine prochaine", "2026-11-23", "2026-11-29"),
    ("en décembre", "2026-12-01", "2026-12-31"),
    ("en decembre", "2026-12-01", "2026-12-31"),
    ("avant Noël", "2026-11-19", "2026-12-24"),
    ("le 12", "2026-12-12", "2026-12-12"),
    ("le 25", "2026-11-25", "2026-11-25"),
    ("le 3 janvier", "2027-01-03", "2027-01-03"),
    ("le mois prochain", "2026-12-01", "2026-12-31"),
    ("mardi", "2026-11-24", "2026-11-24"),
])
def test_date_expressions(text: str, first: str, last: str) -> None:
    start, end = date_range(text, NOW)
    assert start.tzinfo is not None and start.isoformat()[:10] == first
    assert (end - start).days >= 1 and (end.toordinal() - 1) == datetime.fromisoformat(last).toordinal()


def test_no_date_named() -> None:
    assert date_range("quels ateliers sur l'IA à Montpellier ?", NOW) is None
