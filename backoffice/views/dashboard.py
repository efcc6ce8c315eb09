"""The dashboard (volumes, outcomes, what is asked, what failed, satisfaction, answer time) with its CSV exports,
and the conversation review (the list to review, one conversation's turns, the « revue » mark)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup

from backoffice import charts
from backoffice.charts import Bar
from backoffice.web import actor, call, redirect, render
from knowledge import analytics, turn_log
from knowledge.analytics import Dashboard, Scope
from knowledge.vocabulary import REGIONS

routes = web.RouteTableDef()
DEFAULT_DAYS = 7
MAX_DAYS = 366
CHANNELS = {"web": "Site web", "telegram": "Telegram"}
OUTCOMES = {"answered": "Répondu", "not_understood": "Non compris", "handed_off": "Transmis à un conseiller",
            "out_of_scope": "Hors sujet"}
CONVERSATION_OUTCOMES = {**OUTCOMES, "disliked": "Réponse jugée pas utile"}
SOURCES = {"faq": "Fiche FAQ", "document": "Document", "catalogue": "Catalogue", "handoff": "Conseiller",
           "unknown": "Sans réponse", "out_of_scope": "Hors sujet"}
CATALOGUE = {"workshops": "ateliers", "trainings": "formations", "services": "services", "jobs": "métiers",
             "contact": "coordonnées", "callback": "demande de rappel"}
CONVERSATION_ID = re.compile(r"[0-9a-f]{64}")
BAD_DATES = "Ces dates ne sont pas valides : voici les 7 derniers jours."
BAD_PERIOD = "La période doit aller d'une date à une date postérieure, sur un an au plus : voici les 7 derniers jours."


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    number: bool = False


@dataclass(frozen=True)
class Table:
    key: str  # its CSV file's name
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    empty: str = "Rien sur cette période."


def percent(share: float | None) -> str:
    """« 62 % » (French spacing); « — » without a figure."""
    return "—" if share is None else f"{round(share * 100)}\u00a0%"


def day_label(day: date) -> str:
    return day.strftime("%d/%m")


def source_label(source: str, source_id: str) -> str:
    """« Fiche FAQ cite-adresse », « Catalogue : ateliers »."""
    if source in ("catalogue", "handoff"):
        return f"{SOURCES[source]} : {CATALOGUE.get(source_id, source_id)}" if source_id else SOURCES[source]
    return f"{SOURCES.get(source, source)} {source_id}".strip()


def source_link(source: str, source_id: str) -> str | None:
    return f"/faq/{source_id}" if source == "faq" and source_id else "/documents" if source == "document" else None


# -- filters ---------------------------------------------------------------------------------------------------------

def scope_of(query: Any) -> tuple[Scope, str | None]:
    """The period, channel and region asked in the query string (the last 7 days by default); an error to show."""
    default = Scope.last_days(DEFAULT_DAYS)
    channel = query.get("canal") if query.get("canal") in CHANNELS else None
    region = query.get("region") if query.get("region") in REGIONS else None
    try:
        start = date.fromisoformat(query.get("du") or default.start.isoformat())
        end = date.fromisoformat(query.get("au") or default.end.isoformat())
    except ValueError:
        return Scope(default.start, default.end, channel, region), BAD_DATES
    if start > end or (end - start).days >= MAX_DAYS:
        return Scope(default.start, default.end, channel, region), BAD_PERIOD
    return Scope(start, end, channel, region), None


def filters_query(scope: Scope) -> str:
    """The query string of the scope, for links and exports."""
    values = {"du": scope.start.isoformat(), "au": scope.end.isoformat(), "canal": scope.channel or "",
              "region": scope.region or ""}
    return urlencode({k: v for k, v in values.items() if v})


# -- tables, shown on the page and exported as CSV ------------------------------------------------------------------

def tables(board: Dashboard) -> list[Table]:
    """Every table of the dashboard, in the order of the page."""
    outcomes = board.outcomes
    failed = [[Cell(q.text), Cell(str(q.failed), number=True), Cell(str(q.disliked), number=True),
               Cell("Créer une fiche FAQ" if q.inbox_ids else "Voir la boîte",
                    f"/boite/fiche?ids={','.join(map(str, q.inbox_ids))}" if q.inbox_ids else "/boite")]
              for q in board.failed_questions]
    return [
        Table("jours", "Conversations et messages par jour", ["Jour", "Conversations", "Messages"],
              [[Cell(d.day.strftime("%d/%m/%Y")), Cell(str(d.conversations), number=True),
                Cell(str(d.messages), number=True)] for d in board.per_day]),
        Table("issues", "Issue des messages", ["Issue", "Messages", "Part"],
              [[Cell(label), Cell(str(getattr(outcomes, key)), number=True),
                Cell(percent(outcomes.share(key) if outcomes.messages else None), number=True)]
               for key, label in OUTCOMES.items()]),
        Table("intentions", "Les 10 intentions les plus fréquentes", ["Intention", "Messages"],
              [[Cell(c.label), Cell(str(c.count), number=True)] for c in board.top_intents]),
        Table("fiches", "Les 10 fiches FAQ les plus utilisées", ["Fiche", "Réponses"],
              [[Cell(c.label, f"/faq/{c.label}"), Cell(str(c.count), number=True)] for c in board.top_entries]),
        Table("documents", "Les 10 documents les plus cités", ["Document", "Réponses"],
              [[Cell(c.label, "/documents"), Cell(str(c.count), number=True)] for c in board.top_documents]),
        Table("echecs", "Les 10 questions les plus souvent sans réponse ou jugées pas utiles",
              ["Question", "Sans réponse", "Réponse pas utile", "Action"], failed,
              "Aucune question sans réponse ni réponse jugée pas utile sur cette période."),
        Table("satisfaction", "Satisfaction par réponse (les moins appréciées d'abord)",
              ["Réponse", "Réponses données", "Utile", "Pas utile", "Part d'avis « utile »"],
              [[Cell(source_label(e.source, e.source_id), source_link(e.source, e.source_id)),
                Cell(str(e.answers), number=True), Cell(str(e.satisfaction.useful), number=True),
                Cell(str(e.satisfaction.not_useful), number=True), Cell(percent(e.satisfaction.share), number=True)]
               for e in board.per_entry], "Aucun avis sur cette période."),
        Table("temps-de-reponse", "Temps de réponse", ["Mesure", "Millisecondes"],
              [[Cell("Médiane (p50)"), Cell(_ms(board.latency.p50), number=True)],
               [Cell("95e centile (p95)"), Cell(_ms(board.latency.p95), number=True)],
               [Cell("Messages mesurés"), Cell(str(board.latency.count), number=True)]]),
    ]


def _ms(value: int | None) -> str:
    return "—" if value is None else str(value)


def chart_set(board: Dashboard) -> dict[str, Markup]:
    outcomes = board.outcomes
    return {
        "jours": charts.columns("Conversations et messages par jour", [day_label(d.day) for d in board.per_day],
                                [("Conversations", [d.conversations for d in board.per_day]),
                                 ("Messages", [d.messages for d in board.per_day])]),
        "issues": charts.shares("Issue des messages", [
            Bar(label, getattr(outcomes, key), percent(outcomes.share(key) if outcomes.messages else None))
            for key, label in OUTCOMES.items()]),
        "intentions": charts.bars("Les 10 intentions les plus fréquentes",
                                  [Bar(c.label, c.count, str(c.count)) for c in board.top_intents]),
        "fiches": charts.bars("Les 10 fiches FAQ les plus utilisées",
                              [Bar(c.label, c.count, str(c.count)) for c in board.top_entries], charts.SERIES[2]),
        "documents": charts.bars("Les 10 documents les plus cités",
                                 [Bar(c.label, c.count, str(c.count)) for c in board.top_documents], charts.SERIES[3]),
        "avis": charts.shares("Satisfaction", [
            Bar("Utile", board.satisfaction.useful, str(board.satisfaction.useful)),
            Bar("Pas utile", board.satisfaction.not_useful, str(board.satisfaction.not_useful))]),
    }


# -- pages -----------------------------------------------------------------------------------------------------------

@routes.get("/tableau-de-bord")
async def dashboard(request: web.Request) -> web.StreamResponse:
    scope, error = scope_of(request.query)
    board = await call(analytics.dashboard, scope)
    return await render(request, "dashboard.html", {
        "scope": scope, "error": error, "board": board, "tables": tables(board), "charts": chart_set(board),
        "channels": CHANNELS, "filters": filters_query(scope), "percent": percent,
        "quick": {label: filters_query(Scope.last_days(days, channel=scope.channel, region=scope.region))
                  for label, days in (("7 derniers jours", 7), ("30 derniers jours", 30), ("90 derniers jours", 90))}})


@routes.get("/tableau-de-bord/{key}.csv")
async def export(request: web.Request) -> web.StreamResponse:
    scope, _ = scope_of(request.query)
    board = await call(analytics.dashboard, scope)
    table = next((t for t in tables(board) if t.key == request.match_info["key"]), None)
    if table is None:
        raise web.HTTPNotFound(text="Ce tableau n'existe pas.")
    return csv_response(f"odyssee-{table.key}-{scope.start}-{scope.end}.csv", table.headers,
                        [[cell.text for cell in row] for row in table.rows])


def csv_response(name: str, headers: list[str], rows: list[list[str]]) -> web.Response:
    """A CSV file as spreadsheets open it in France: UTF-8 with its mark, « ; » between columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    writer.writerows([[text.replace("\u00a0", " ") for text in row] for row in rows])
    return web.Response(body=("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _conversation_rows(found: list[analytics.ConversationSummary]) -> list[list[str]]:
    return [[c.ended.strftime("%d/%m/%Y %H:%M"), CHANNELS.get(c.channel, c.channel), str(c.turns),
             CONVERSATION_OUTCOMES[c.outcome], "revue" if c.reviewed else "à revoir"] for c in found]


@routes.get("/conversations")
async def conversations(request: web.Request) -> web.StreamResponse:
    scope, error = scope_of(request.query)
    every = request.query.get("toutes") == "1"
    outcome = request.query.get("issue") if request.query.get("issue") in CONVERSATION_OUTCOMES else None
    found = await call(analytics.conversations, scope, to_review=not every, outcome=outcome)
    return await render(request, "conversations.html", {
        "scope": scope, "error": error, "found": found, "every": every, "channels": CHANNELS,
        "outcomes": CONVERSATION_OUTCOMES, "outcome": outcome,
        "filters": filters_query(scope) + (f"&issue={outcome}" if outcome else "")})


@routes.get("/conversations.csv")
async def export_conversations(request: web.Request) -> web.StreamResponse:
    scope, _ = scope_of(request.query)
    outcome = request.query.get("issue") if request.query.get("issue") in CONVERSATION_OUTCOMES else None
    found = await call(analytics.conversations, scope, to_review=request.query.get("toutes") != "1", outcome=outcome)
    return csv_response(f"odyssee-conversations-{scope.start}-{scope.end}.csv",
                        ["Dernier message", "Canal", "Messages", "Issue", "État"], _conversation_rows(found))


def _conversation_id(request: web.Request) -> str:
    conversation = request.match_info["id"]
    if not CONVERSATION_ID.fullmatch(conversation):
        raise web.HTTPNotFound(text="Cette conversation n'existe pas.")
    return conversation


@routes.get("/conversations/{id}")
async def conversation(request: web.Request) -> web.StreamResponse:
    conversation_id = _conversation_id(request)
    turns, reviewed = await call(analytics.conversation, conversation_id)
    if not turns:
        raise web.HTTPNotFound(text="Cette conversation n'existe plus : la personne l'a effacée, ou elle a dépassé "
                                    "la durée de conservation.")
    return await render(request, "conversation.html", {
        "id": conversation_id, "turns": turns, "reviewed": reviewed, "channels": CHANNELS,
        "source_label": source_label, "source_link": source_link, "percent": percent})


@routes.post("/conversations/{id}/revue")
async def mark_reviewed(request: web.Request) -> web.StreamResponse:
    conversation_id = _conversation_id(request)
    if not await call(turn_log.mark_reviewed, conversation_id, actor(request)):
        raise web.HTTPNotFound(text="Cette conversation n'existe plus.")
    raise redirect("/conversations", "revue")

