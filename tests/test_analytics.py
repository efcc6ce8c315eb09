"""The turn log, the votes and every figure of the dashboard, on SQLite and PostgreSQL, from known turns."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

import knowledge
from knowledge import analytics, turn_log
from knowledge.analytics import Scope
from knowledge.dates import PARIS
from knowledge.db import session_scope
from knowledge.models import DailyCount, Turn, UnansweredQuestion
from knowledge.turn_log import Vote

DAY1, DAY2 = date(2026, 11, 20), date(2026, 11, 21)
BOTH = Scope(DAY1, DAY2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def turn(sender: str, channel: str, source: str, source_id: str = "", intent: str = "faq", latency: int = 0,
         when: datetime | None = None, question: str | None = None) -> str:
    return turn_log.record_turn(sender, channel, intent, 0.9, source, source_id, latency, question, at=when)


@pytest.fixture
def known(store_url: str) -> dict[str, str]:
    """Eight turns in three conversations over two days (Paris time), with three votes and a comment.

    web-a, web, day 1: FAQ cite-adresse (occitanie) 👍, FAQ cite-adresse 👎 « et le dimanche ? », not answered.
    tg-1, telegram, day 1: document (occitanie), catalogue workshops 👍.
    web-c, web, day 2 (00:30, still day 1 in UTC): FAQ convention-grand-est (grand-est), handoff, out of scope,
    not answered.
    """
    ids = {
        "a1": turn("web-a", "web", "faq", "cite-adresse", latency=100, when=at(DAY1, 10)),
        "a2": turn("web-a", "web", "faq", "cite-adresse", latency=200, when=at(DAY1, 10, 1)),
        "a3": turn("web-a", "web", "unknown", intent="nlu_fallback", latency=300, when=at(DAY1, 10, 2),
                   question="Je cherche un stage, écrivez à paul@exemple.fr"),
        "b1": turn("tg-1", "telegram", "document", "cemd-ouverture-odysseum", latency=400, when=at(DAY1, 11)),
        "b2": turn("tg-1", "telegram", "catalogue", "workshops", intent="ask_workshops", latency=500,
                   when=at(DAY1, 11, 1)),
        "c1": turn("web-c", "web", "faq", "convention-grand-est", latency=600, when=at(DAY2, 0, 30)),
        "c2": turn("web-c", "web", "handoff", intent="request_human", latency=700, when=at(DAY2, 0, 31)),
        "c3": turn("web-c", "web", "out_of_scope", intent="out_of_scope", latency=800, when=at(DAY2, 0, 32)),
        "c4": turn("web-c", "web", "unknown", intent="nlu_fallback", latency=900, when=at(DAY2, 0, 33),
                   question="Je cherche un stage, écrivez à paul@exemple.fr"),
    }
    knowledge.record_unanswered("Je cherche un stage, écrivez à paul@exemple.fr", channel="web", sender_id="web-a")
    assert turn_log.record_feedback(ids["a1"], "web-a", True, "web") is Vote.RECORDED
    assert turn_log.record_feedback(ids["a2"], "web-a", False, "web", question="et le dimanche ?") is Vote.RECORDED
    assert turn_log.add_comment(ids["a2"], "web-a", "Les horaires du dimanche")
    assert turn_log.record_feedback(ids["b2"], "tg-1", True, "telegram") is Vote.RECORDED
    return ids


def test_answered_turns_keep_no_text_and_unanswered_ones_keep_it_masked(known: dict[str, str]) -> None:
    with session_scope() as s:
        texts = {t.id: t.text for t in s.scalars(select(Turn))}
        turns = {t.id: t for t in s.scalars(select(Turn))}
    assert texts[known["a1"]] is None and texts[known["b1"]] is None and texts[known["c3"]] is None
    assert texts[known["a3"]] == "Je cherche un stage, écrivez à [e-mail masqué]"
    assert texts[known["a2"]] == "et le dimanche ?"  # disliked: kept for staff
    assert turns[known["a1"]].conversation == turn_log.conversation_of("web-a") != "web-a"
    assert (turns[known["a1"]].region, turns[known["b1"]].region, turns[known["c1"]].region,
            turns[known["b2"]].region) == ("occitanie", "occitanie", "grand-est", "")


def test_one_vote_per_answer_and_only_on_ones_own_rated_answers(known: dict[str, str]) -> None:
    assert turn_log.record_feedback(known["a1"], "web-a", False) is Vote.ALREADY
    assert turn_log.record_feedback(known["b1"], "web-a", True) is Vote.UNKNOWN  # another person's answer
    assert turn_log.record_feedback(known["a3"], "web-a", True) is Vote.UNKNOWN  # nothing answered: nothing to rate
    assert turn_log.record_feedback("0" * 32, "web-a", True) is Vote.MISSING  # not logged (yet)
    assert not turn_log.add_comment(known["a2"], "web-a", "encore")  # one comment
    assert not turn_log.add_comment(known["a1"], "web-a", "sur un 👍")
    assert turn_log.record_feedback(known["b1"], "tg-1", False, "telegram",
                                    question="joignez le 06 12 34 56 78") is Vote.RECORDED
    assert not turn_log.add_comment(known["b1"], "tg-1", "   ")
    with session_scope() as s:
        inbox = list(s.scalars(select(UnansweredQuestion.text).order_by(UnansweredQuestion.id)))
    assert inbox[-2:] == ["et le dimanche ?", "joignez le [téléphone masqué]"]  # disliked: in the staff inbox


def test_every_figure_of_the_dashboard(known: dict[str, str]) -> None:
    board = analytics.dashboard(BOTH)
    assert [(d.day, d.conversations, d.messages) for d in board.per_day] == [(DAY1, 2, 5), (DAY2, 1, 4)]
    assert board.outcomes == analytics.Outcomes(messages=9, answered=5, not_understood=2, handed_off=1,
                                                out_of_scope=1)
    assert board.outcomes.share("answered") == pytest.approx(5 / 9)
    assert [(c.label, c.count) for c in board.top_intents] == [
        ("faq", 4), ("nlu_fallback", 2), ("ask_workshops", 1), ("out_of_scope", 1), ("request_human", 1)]
    assert [(c.label, c.count) for c in board.top_entries] == [("cite-adresse", 2), ("convention-grand-est", 1)]
    assert [(c.label, c.count) for c in board.top_documents] == [("cemd-ouverture-odysseum", 1)]
    failed = board.failed_questions
    assert [(f.text, f.failed, f.disliked, f.count) for f in failed] == [
        ("Je cherche un stage, écrivez à [e-mail masqué]", 2, 0, 2), ("et le dimanche ?", 0, 1, 1)]
    assert len(failed[0].inbox_ids) == 1 and len(failed[1].inbox_ids) == 1
    assert (board.satisfaction.useful, board.satisfaction.not_useful, board.satisfaction.share) == (2, 1, 2 / 3)
    assert [(e.source, e.source_id, e.answers, e.satisfaction.useful, e.satisfaction.not_useful)
            for e in board.per_entry] == [("faq", "cite-adresse", 2, 1, 1), ("catalogue", "workshops", 1, 1, 0)]
    assert (board.latency.count, board.latency.p50, board.latency.p95) == (9, 500, 900)
    assert analytics.per_day(BOTH) == board.per_day and analytics.outcomes(BOTH) == board.outcomes
    assert analytics.top_intents(BOTH, limit=1) == board.top_intents[:1]
    assert analytics.top_sources(BOTH, "faq") == board.top_entries
    assert analytics.failed_questions(BOTH) == failed and analytics.satisfaction(BOTH) == board.satisfaction
    assert analytics.satisfaction_per_entry(BOTH) == board.per_entry and analytics.latency(BOTH) == board.latency


def test_filters_by_period_channel_and_region(known: dict[str, str]) -> None:
    web = analytics.dashboard(Scope(DAY1, DAY2, channel="web"))
    assert [(d.conversations, d.messages) for d in web.per_day] == [(1, 3), (1, 4)]
    assert (web.satisfaction.useful, web.satisfaction.not_useful) == (1, 1)
    day2 = analytics.dashboard(Scope(DAY2, DAY2))
    assert day2.outcomes.messages == 4 and (day2.latency.p50, day2.latency.p95) == (700, 900)
    grand_est = analytics.dashboard(Scope(DAY1, DAY2, region="grand-est"))
    assert grand_est.outcomes.messages == 1 and [c.label for c in grand_est.top_entries] == ["convention-grand-est"]
    occitanie = analytics.outcomes(Scope(DAY1, DAY2, region="occitanie"))
    assert (occitanie.messages, occitanie.answered) == (3, 3)
    empty = analytics.dashboard(Scope(date(2026, 10, 1), date(2026, 10, 3)))
    assert [d.messages for d in empty.per_day] == [0, 0, 0] and empty.satisfaction.share is None
    assert empty.latency == analytics.Latency(0, None, None)


def test_conversations_to_review_and_their_turns(known: dict[str, str]) -> None:
    listed = analytics.conversations(BOTH)
    assert [(c.channel, c.turns, c.outcome, c.reviewed) for c in listed] == [
        ("web", 4, "handed_off", False), ("telegram", 2, "answered", False), ("web", 3, "disliked", False)]
    web_a = listed[2].id
    turns, reviewed = analytics.conversation(web_a)
    assert [(t.source, t.source_id, t.useful, t.comment) for t in turns] == [
        ("faq", "cite-adresse", True, ""), ("faq", "cite-adresse", False, "Les horaires du dimanche"),
        ("unknown", "", None, "")]
    assert not reviewed and turns[2].text == "Je cherche un stage, écrivez à [e-mail masqué]"
    assert turn_log.mark_reviewed(web_a, "editor@cite.example.fr") and turn_log.mark_reviewed(web_a, "x")
    assert not turn_log.mark_reviewed("inconnue", "x")
    assert [c.id for c in analytics.conversations(BOTH, to_review=True)] == [listed[0].id, listed[1].id]
    assert analytics.conversation(web_a)[1]
    assert [c.outcome for c in analytics.conversations(Scope(DAY1, DAY2, channel="telegram"))] == ["answered"]
    assert [c.id for c in analytics.conversations(BOTH, outcome="disliked")] == [web_a]


def test_entry_quality_over_thirty_days(known: dict[str, str]) -> None:
    quality = analytics.entry_quality("faq", now=at(DAY2, 12))
    assert {k: (q.answers, q.satisfaction.useful, q.satisfaction.not_useful) for k, q in quality.items()} == {
        "cite-adresse": (2, 1, 1), "convention-grand-est": (1, 0, 0)}
    assert analytics.entry_quality("faq", now=at(DAY2 + timedelta(days=40), 12)) == {}


def test_forgetting_a_sender_erases_their_turns_votes_and_review_mark(known: dict[str, str]) -> None:
    web_a = turn_log.conversation_of("web-a")
    assert turn_log.mark_reviewed(web_a, "x")
    erased = knowledge.forget_sender("web-a")
    assert erased.turns == 3
    assert analytics.conversation(web_a) == ([], False)
    board = analytics.dashboard(BOTH)
    assert board.outcomes.messages == 6 and (board.satisfaction.useful, board.satisfaction.not_useful) == (1, 0)


def test_purge_keeps_the_days_counts_after_the_turns(known: dict[str, str]) -> None:
    before = analytics.dashboard(BOTH)
    erased = knowledge.purge(30, now=at(DAY2 + timedelta(days=30), 12))  # day 1 is over 30 days old, day 2 is not
    assert erased.turns == 5
    after = analytics.dashboard(BOTH)
    assert after.per_day == before.per_day and after.outcomes == before.outcomes
    assert after.satisfaction == before.satisfaction
    assert [c.label for c in after.top_entries] == ["convention-grand-est"]  # the details go with the turns
    web = analytics.per_day(Scope(DAY1, DAY1, channel="web"))
    assert [(d.conversations, d.messages) for d in web] == [(1, 3)]
    assert analytics.outcomes(Scope(DAY1, DAY1, region="occitanie")).messages == 3
    assert knowledge.purge(30, now=at(DAY2 + timedelta(days=30), 12)).turns == 0  # nothing counted twice
    assert analytics.per_day(BOTH) == before.per_day
    with session_scope() as s:
        assert s.scalar(select(func.count()).select_from(DailyCount)) > 0


def test_percentiles_are_nearest_rank() -> None:
    assert analytics.percentile([], 0.5) is None
    assert analytics.percentile([5], 0.95) == 5
    assert analytics.percentile(list(range(1, 101)), 0.5) == 50
    assert analytics.percentile(list(range(1, 101)), 0.95) == 95
    assert analytics.percentile([3, 1, 2, 4], 0.5) == 2
