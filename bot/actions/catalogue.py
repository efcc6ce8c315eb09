"""Catalogue searches: services, workshops, trainings and jobs of tomorrow, with follow-ups ("et à Toulouse ?",
« et la santé ? ») and paging."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import knowledge
from bot.actions.context import Search, filters_from_message, last_search, refers_back, text_of
from bot.actions.render import DEMO, Button, button, day_label, fit, service_line, training_line, workshop_line
from bot.actions.turn_log import log_turn

PAGE = 3
ADVISOR = button("Parler à un conseiller", "/request_human")
Reply = tuple[str, list[Button]]


def _describe(search: Search) -> str:
    """" sur l'IA à Montpellier" style description of the active filters."""
    parts = []
    if search.get("topic"):
        parts.append(f"sur « {search['topic']} »")
    if search.get("job_title"):
        parts.append(f"pour devenir {search['job_title']}")
    if search.get("audience"):
        parts.append(f"pour le public « {search['audience']} »")
    if search.get("city"):
        parts.append(f"à {search['city']}")
    if search.get("start"):
        start, end = (datetime.fromisoformat(search[k]) for k in ("start", "end"))
        last_day = date.fromordinal(end.toordinal() - 1)
        parts.append(f"le {day_label(start.date())}" if last_day == start.date()
                     else f"du {day_label(start.date())} au {day_label(last_day)}")
    return (" " + " ".join(parts)) if parts else ""


def _more(search: Search, has_more: bool) -> list[Button]:
    return [button("Voir plus", "/see_more")] if has_more else []


def _workshop_filters(search: Search) -> dict[str, Any]:
    period = {k: datetime.fromisoformat(search[k]) for k in ("start", "end") if search.get(k)}
    return {**{k: search.get(k) for k in ("topic", "audience", "city")}, **period}


def _training_filters(search: Search) -> dict[str, Any]:
    return {k: search.get(k) for k in ("topic", "audience", "city", "job")}


def _service_filters(search: Search) -> dict[str, Any]:
    return {"need": search.get("topic"), "audience": search.get("audience"), "text": search.get("text", "")}


def workshops_reply(search: Search) -> Reply:
    """Upcoming workshops for the search; an honest "aucun" with the nearest alternative otherwise."""
    page = knowledge.upcoming_workshops(**_workshop_filters(search), limit=PAGE, offset=search.get("offset", 0))
    topic_button = [button("Formations sur ce thème", f'/ask_trainings{{"topic": "{search["topic"]}"}}')] \
        if search.get("topic") else []
    if page.items:
        header = f"Voici les prochains ateliers et événements{_describe(search)} ({page.total} au total) :"
        buttons = _more(search, page.has_more) + topic_button + [ADVISOR]
        return fit(header, [workshop_line(w) for w in page.items]), buttons
    if search.get("offset"):
        return "Il n'y a pas d'autre événement pour cette recherche.", [ADVISOR]
    relaxed = [("start", "end"), ("city",), ("audience",), ("topic",)]
    for dropped in relaxed:
        wider = {k: v for k, v in search.items() if k not in dropped and k != "offset"}
        alternative = knowledge.upcoming_workshops(**_workshop_filters(wider), limit=2)
        if alternative.items:
            text = fit(
                f"Je n'ai trouvé aucun événement{_describe(search)}".rstrip(".")
                + ". En élargissant la recherche, voici ce qui arrive :",
                [workshop_line(w) for w in alternative.items],
            )
            return text, [button("Tous les événements", "/ask_workshops")] + topic_button + [ADVISOR]
    return (f"Je n'ai trouvé aucun événement{_describe(search)} pour le moment. "
            "Revenez bientôt : le programme est mis à jour régulièrement."), topic_button + [ADVISOR]


def trainings_reply(search: Search) -> Reply:
    page = knowledge.find_trainings(**_training_filters(search), limit=PAGE, offset=search.get("offset", 0))
    if page.items:
        header = f"Voici des formations{_describe(search)} :"
        return fit(header, [training_line(t) for t in page.items]), _more(search, page.has_more) + [
            button("Métiers de demain", "/explore_jobs"), ADVISOR]
    if search.get("offset"):
        return "Il n'y a pas d'autre formation pour cette recherche.", [ADVISOR]
    return (f"Je n'ai pas trouvé de formation{_describe(search)} dans notre catalogue pour l'instant. "
            "Un conseiller peut vous orienter vers d'autres offres."), [
        button("Toutes les formations", "/ask_trainings"), ADVISOR]


def services_reply(search: Search) -> Reply:
    offset = search.get("offset", 0)
    services = knowledge.find_services(**_service_filters(search), limit=offset + PAGE + 1)
    shown, has_more = services[offset: offset + PAGE], len(services) > offset + PAGE
    if not shown:
        return "Je n'ai pas d'autre accompagnement à vous proposer pour cette demande.", [ADVISOR]
    lines = [service_line(s) for s in shown]
    if search.get("topic") and not offset:
        upcoming = knowledge.upcoming_workshops(topic=search["topic"], city=search.get("city"), limit=1).items
        lines += [f"Prochain événement sur ce thème :\n{workshop_line(w)}" for w in upcoming]
    header = f"Voici les services que nous pouvons vous proposer{_describe({'topic': search.get('topic')})} :"
    return fit(header, lines), _more(search, has_more) + [
        button("Ateliers à venir",
               "/ask_workshops" + (f'{{"topic": "{search["topic"]}"}}' if search.get("topic") else "")),
        ADVISOR]


def jobs_reply(search: Search) -> Reply:
    """Jobs of tomorrow for an interest (a sector or a topic) and a situation, each with why it fits."""
    offset = search.get("offset", 0)
    filters = {k: search.get(k) for k in ("sector", "topic", "audience")}
    suggestions = knowledge.suggest_jobs(**filters, limit=offset + PAGE + 1)
    shown, has_more = suggestions[offset: offset + PAGE], len(suggestions) > offset + PAGE
    if not shown:
        return ("Je n'ai pas d'autre métier de demain à vous proposer." if offset
                else "Je n'ai pas encore de fiches métiers à vous proposer."), [ADVISOR]
    lines = [f"- **{s.job.title}**{DEMO if s.job.demo else ''} : {s.why}" for s in shown]
    header = "Voici d'autres métiers de demain :" if offset else \
        f"Voici {'trois' if len(shown) == 3 else 'des'} métiers de demain qui pourraient vous plaire :"
    buttons = [button(f"C'est quoi, {s.job.title} ?", f'/ask_job_info{{"job": "{s.job.title}"}}') for s in shown]
    return fit(header, lines, "Choisissez-en un pour en savoir plus."), buttons + _more(search, has_more) + [
        button("Ateliers à venir", "/ask_workshops")]


REPLIES = {"workshops": workshops_reply, "trainings": trainings_reply, "services": services_reply,
           "jobs": jobs_reply}
# Filters a new value replaces together: a new interest (« et la santé ? ») is a sector or a topic, never both.
EXCLUSIVE = {"jobs": ("sector", "topic")}
REFINING = {"jobs": ("sector", "topic", "audience")}  # the jobs suggested know no place nor date


def reply_to(dispatcher: CollectingDispatcher, search: Search) -> list[EventType]:
    text, buttons = REPLIES[search["kind"]](search)
    dispatcher.utter_message(text=text, buttons=buttons)
    return [SlotSet("search", search)]


def _trainings_job(search: Search, tracker: Tracker) -> Search:
    """Trainings for the job named, else for the job last looked at when no other filter is given."""
    job = knowledge.match_job(search.pop("job_text", None) or text_of(tracker))
    job_id = job.id if job else None
    if not job_id and not any(search.get(k) for k in ("topic", "audience", "city")):
        job_id = tracker.get_slot("job")
        job = knowledge.job_card(job_id) if job_id else None
    if job:
        search.update(job=job.id, job_title=job.title)
    return search


def search_for(kind: str, tracker: Tracker) -> Search:
    """The search a message asks for; "là-dessus" and the like bring back the previous topic and city."""
    search = {"kind": kind, "offset": 0, **filters_from_message(tracker)}
    previous = last_search(tracker)
    if previous and "topic" not in search and refers_back(text_of(tracker)):
        search.update({k: previous[k] for k in ("topic", "city") if previous.get(k) and k not in search})
    if kind == "services":
        search["text"] = text_of(tracker)[:500]
    return _trainings_job(search, tracker) if kind == "trainings" else search


def has_offers(search: Search) -> bool:
    """Whether the catalogue holds at least one offer for `search` as it stands (no widening)."""
    if search["kind"] == "workshops":
        return bool(knowledge.upcoming_workshops(**_workshop_filters(search), limit=1).items)
    if search["kind"] == "trainings":
        return bool(knowledge.find_trainings(**_training_filters(search), limit=1).items)
    return bool(knowledge.find_services(**_service_filters(search), limit=1))


def find(kind: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Answer with the catalogue of `kind` (workshops, services or trainings) for the message."""
    return reply_to(dispatcher, search_for(kind, tracker))


def refine(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """A bare answer ("et à Toulouse ?", "et le mois prochain ?") refines the last search; None, with nothing
    said, when there is no search or nothing to refine it with."""
    previous, update = last_search(tracker), filters_from_message(tracker)
    update.pop("job_text", None)
    if previous is not None and previous["kind"] in REFINING:
        update = {k: v for k, v in update.items() if k in REFINING[previous["kind"]]}
    if previous is None or not update:
        return None
    replaced = EXCLUSIVE.get(previous["kind"], ())
    if any(k in update for k in replaced):
        previous = {k: v for k, v in previous.items() if k not in replaced}
    return reply_to(dispatcher, {**previous, **update, "offset": 0})


def more(dispatcher: CollectingDispatcher, tracker: Tracker, previous: Search) -> list[EventType]:
    """The next page of the last search."""
    events = reply_to(dispatcher, {**previous, "offset": previous.get("offset", 0) + PAGE})
    log_turn(dispatcher, tracker, "catalogue", previous["kind"])
    return events
