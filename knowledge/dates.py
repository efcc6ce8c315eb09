"""French date expressions ("demain", "la semaine prochaine", "en décembre", "avant Noël", "le 12")
turned into [start, end) ranges in Europe/Paris."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateparser.search import search_dates

from knowledge.text import fold

PARIS = ZoneInfo("Europe/Paris")  # the time zone of every date the assistant reads or shows
MONTHS = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
          "novembre", "decembre"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DateRange = tuple[datetime, datetime]


def _at_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=PARIS)


def _days(first: date, last: date) -> DateRange:
    """From the start of `first` to the end of `last`."""
    return _at_midnight(first), _at_midnight(last + timedelta(days=1))


def _month(year: int, month: int) -> DateRange:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return _at_midnight(first), _at_midnight(following)


def _next_month_number(today: date, month: int) -> int:
    """The year of the next occurrence of `month` (this year if not yet over)."""
    return today.year if month >= today.month else today.year + 1


def date_range(text: str, now: datetime | None = None) -> DateRange | None:
    """The period a French message refers to, or None when it names no date."""
    now = (now or datetime.now(PARIS)).astimezone(PARIS)
    today = now.date()
    words = f" {fold(text)} "
    monday = today - timedelta(days=today.weekday())
    fixed = {
        " aujourd hui ": lambda: _days(today, today),
        " ce soir ": lambda: _days(today, today),
        " apres demain ": lambda: _days(today + timedelta(2), today + timedelta(2)),
        " demain ": lambda: _days(today + timedelta(1), today + timedelta(1)),
        " ce week end ": lambda: _days(monday + timedelta(5), monday + timedelta(6)),
        " cette semaine ": lambda: _days(today, monday + timedelta(6 if today.weekday() < 5 else 13)),
        " semaine prochaine ": lambda: _days(monday + timedelta(7), monday + timedelta(13)),
        " semaine pro ": lambda: _days(monday + timedelta(7), monday + timedelta(13)),
        " ce mois ": lambda: (_at_midnight(today), _month(today.year, today.month)[1]),
        " mois prochain ": lambda: _month(today.year + (today.month == 12), today.month % 12 + 1),
        " mois pro ": lambda: _month(today.year + (today.month == 12), today.month % 12 + 1),
        " avant noel ": lambda: (_at_midnight(today), _at_midnight(date(_noel_year(today), 12, 25))),
        " noel ": lambda: _days(date(_noel_year(today), 12, 24), date(_noel_year(today), 12, 25)),
        " dans les 15 jours ": lambda: _days(today, today + timedelta(14)),
        " dans 15 jours ": lambda: _days(today + timedelta(14), today + timedelta(14)),
        " bientot ": lambda: _days(today, today + timedelta(14)),
        " prochains jours ": lambda: _days(today, today + timedelta(7)),
    }
    for phrase, build in fixed.items():
        if phrase in words:
            return build()
    months = "|".join(MONTHS)
    if match := re.search(rf" (\d{{1,2}})(?:er)? ({months})(?: (\d{{4}}))? ", words):
        month = MONTHS.index(match.group(2)) + 1
        year = int(match.group(3)) if match.group(3) else _next_month_number(today, month)
        try:
            day = date(year, month, int(match.group(1)))
        except ValueError:
            return None
        if day < today and not match.group(3):
            day = day.replace(year=day.year + 1)
        return _days(day, day)
    for number, name in enumerate(MONTHS, start=1):
        if re.search(rf" (en |au mois d |mois de |debut |fin )?{name} ", words):
            return _month(_next_month_number(today, number), number)
    for number, name in enumerate(WEEKDAYS):
        if f" {name} " in words:
            ahead = (number - today.weekday()) % 7 + (7 if " prochain" in words and number == today.weekday() else 0)
            day = today + timedelta(days=ahead)
            return _days(day, day)
    if match := re.search(r" le (\d{1,2})(?: |er )", words):
        return _day_of_month(int(match.group(1)), today)
    return _parsed(text, now)


def _noel_year(today: date) -> int:
    return today.year if today <= date(today.year, 12, 25) else today.year + 1


def _day_of_month(day: int, today: date) -> DateRange | None:
    """The next date that is the `day`-th of a month ("le 12")."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate and candidate >= today:
            return _days(candidate, candidate)
        year, month = (year + (month == 12), month % 12 + 1)
    return None


def _parsed(text: str, now: datetime) -> DateRange | None:
    """Full dates ("le 3 mars", "12/12") left to dateparser, preferring the future."""
    if not re.search(r"\d", text):
        return None
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": now.replace(tzinfo=None),
                "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"]}
    found = search_dates(text, languages=["fr"], settings=settings)
    if not found:
        return None
    day = found[0][1].date()
    return _days(day, day)

