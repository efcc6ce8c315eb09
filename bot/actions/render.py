"""French rendering of store records for chat: short, with light markdown (bold, links, lists)."""

from __future__ import annotations

from datetime import date, datetime

from knowledge.dates import PARIS
from knowledge.schemas import DEMO_MARK as DEMO
from knowledge.schemas import JobInfo, ServiceInfo, TrainingInfo, WorkshopInfo

MAX_CHARS = 600
DAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
Button = dict[str, str]


def button(title: str, payload: str) -> Button:
    return {"title": title, "payload": payload}


def day_label(day: date) -> str:
    """"jeu. 26 nov." style date."""
    return f"{DAYS[day.weekday()]} {day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]}"


def moment_label(moment: datetime) -> str:
    local = moment.astimezone(PARIS)
    return f"{day_label(local.date())}, {local.hour}h{local.minute:02d}"


def fit(header: str, lines: list[str], footer: str = "", limit: int = MAX_CHARS) -> str:
    """Header, as many whole lines as fit within `limit` characters, then footer."""
    kept: list[str] = []
    for line in lines:
        if len("\n".join([header, *kept, line, footer])) > limit and kept:
            break
        kept.append(line)
    return "\n".join(part for part in [header, *kept, footer] if part)


def _link(title: str, url: str) -> str:
    return f"[{title}]({url})" if url else f"**{title}**"


def workshop_line(w: WorkshopInfo) -> str:
    where = w.city or ("en ligne" if w.online_url else "")
    price = "gratuit" if w.price_eur == 0 else f"{w.price_eur:g} €" if w.price_eur else ""
    details = ", ".join(part for part in (moment_label(w.start), where, price) if part)
    return f"- {_link(w.title, w.registration_url or w.online_url)} : {details}{DEMO if w.demo else ''}"


def training_line(t: TrainingInfo) -> str:
    start = f"début {day_label(t.next_start)}" if t.next_start else "prochaine session à confirmer"
    details = ", ".join(part for part in (start, t.city, t.duration, _short(t.funding, 70)) if part)
    return f"- {_link(t.title, t.url)} : {details}{DEMO if t.demo else ''}"


def service_line(s: ServiceInfo) -> str:
    return f"- **{s.name}** : {_short(s.summary, 140)}{DEMO if s.demo else ''}"


def job_card(job: JobInfo) -> str:
    parts = [f"**{job.title}**{DEMO if job.demo else ''}", _short(job.description, 260)]
    if job.skills:
        parts.append("Compétences : " + ", ".join(job.skills[:4]) + ".")
    if job.outlook:
        parts.append("Perspectives : " + _short(job.outlook, 140))
    return fit(parts[0], parts[1:])


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
