"""The action server writes one turn per answer, gives rated answers their turn id, and never fails a turn for it."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.action_server import warm_up
from bot.actions import turn_log as action_log
from bot.actions.answer import ActionAnswer, ActionFollowUp, ActionSeeMore
from bot.actions.human import ActionContactHuman
from channels import feedback
from knowledge.db import session_scope
from knowledge.models import Turn
from knowledge.turn_log import Vote, conversation_of, record_turns


@pytest.fixture(scope="module", autouse=True)
def _warm(seeded_store: str) -> None:
    warm_up()


def said(text: str, intent: str, slots: dict[str, Any] | None = None, received: float | None = None
         ) -> Tracker:
    """A tracker of a new web conversation whose latest message is `text`, received at `received`."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.87}, "entities": []}
    event = {"event": "user", "text": text, "parse_data": message, "input_channel": "web",
             "timestamp": received or time.time()}
    return Tracker(f"web-{uuid.uuid4().hex}", slots or {}, message, [event], False, None, {}, "action_listen")


def answered(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[Turn]]:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    action_log.WRITER.flush()
    with session_scope() as s:
        turns = list(s.scalars(select(Turn).where(Turn.conversation == conversation_of(tracker.sender_id))))
    return dispatcher.messages, turns


def test_an_faq_answer_is_logged_without_its_text_and_carries_its_turn_id() -> None:
    messages, turns = answered(ActionAnswer(), said("où se trouve la cité ?", "faq", received=time.time() - 0.25))
    [turn] = turns
    assert (turn.source, turn.source_id, turn.intent, turn.confidence, turn.channel, turn.text) == (
        "faq", "cite-adresse", "faq", 0.87, "web", None)
    assert 250 <= turn.latency_ms < 5000
    assert messages[-1]["custom"] == {"turn": turn.id} and "Odysseum" in messages[-1]["text"]


def test_a_question_not_answered_keeps_its_masked_text_and_cannot_be_rated() -> None:
    messages, [turn] = answered(ActionAnswer(), said("le menu de la cantine mardi ? marc@exemple.fr", "faq"))
    assert (turn.source, turn.text) == ("unknown", "le menu de la cantine mardi ? [e-mail masqué]")
    assert all(not m.get("custom") for m in messages)


def test_gibberish_and_out_of_scope_are_logged_without_text() -> None:
    _, [gibberish] = answered(ActionAnswer(), said("qsdfgh wxcvbn", "nlu_fallback"))
    _, [weather] = answered(ActionAnswer(), said("quel temps fera-t-il demain ?", "out_of_scope"))
    assert (gibberish.source, gibberish.text, weather.source, weather.text) == ("unknown", None, "out_of_scope", None)


def test_catalogue_answers_and_pages_are_logged_with_their_kind() -> None:
    messages, [turn] = answered(ActionAnswer(), said("/ask_workshops", "ask_workshops"))
    assert (turn.source, turn.source_id) == ("catalogue", "workshops") and messages[-1]["custom"] == {"turn": turn.id}
    search = {"kind": "trainings", "offset": 0}
    more, [page] = answered(ActionSeeMore(), said("/see_more", "see_more", {"search": search}))
    assert (page.source, page.source_id) == ("catalogue", "trainings") and more[-1]["custom"] == {"turn": page.id}


def test_a_refined_search_is_logged_with_its_kind() -> None:
    previous = {"kind": "workshops", "topic": "intelligence artificielle", "offset": 0}
    tracker = said("et à Toulouse ?", "inform", {"search": previous})
    tracker.latest_message["entities"] = [{"entity": "city", "value": "Toulouse"}]
    messages, [turn] = answered(ActionFollowUp(), tracker)
    assert (turn.source, turn.source_id) == ("catalogue", "workshops") and messages[-1]["custom"] == {"turn": turn.id}


def test_a_handoff_is_logged_and_not_offered_for_rating() -> None:
    messages, [turn] = answered(ActionContactHuman(), said("je veux parler à quelqu'un", "request_human"))
    assert (turn.source, turn.source_id) == ("handoff", "contact") and not messages[-1]["custom"]


def test_a_failing_turn_log_costs_nothing_but_a_log_line(monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(action_log, "record_turns", broken)
    with caplog.at_level(logging.ERROR, logger="bot.actions.turn_log"):
        messages, turns = answered(ActionAnswer(), said("où se trouve la cité ?", "faq"))
    assert "Odysseum" in messages[-1]["text"] and turns == []
    assert "turn log not written (1 turns)" in caplog.text
    monkeypatch.setattr(action_log, "NewTurn", broken)  # failing before it is even queued
    with caplog.at_level(logging.ERROR, logger="bot.actions.turn_log"):
        messages, _ = answered(ActionAnswer(), said("où se trouve la cité ?", "faq"))
    assert "Odysseum" in messages[-1]["text"] and not messages[-1]["custom"]


def test_a_slow_store_never_holds_up_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    written = []

    def slow(turns: list[Any]) -> None:
        time.sleep(1.0)
        written.extend(turns)

    monkeypatch.setattr(action_log, "record_turns", slow)
    dispatcher = CollectingDispatcher()
    began = time.perf_counter()
    action_log.log_turn(dispatcher, said("bonjour", "greet"), "out_of_scope")
    assert time.perf_counter() - began < 0.1 and written == []
    assert not action_log.WRITER.flush(timeout=0.2)  # an exit never waits longer than it is given
    assert action_log.WRITER.flush() and [turn.source for turn in written] == ["out_of_scope"]


def test_a_vote_cast_before_its_answer_is_logged_waits_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(turns: list[Any]) -> None:
        time.sleep(1.0)
        record_turns(turns)

    monkeypatch.setattr(action_log, "record_turns", slow)
    monkeypatch.setattr(feedback, "answer_said", lambda sender, turn: (True, ""))  # as Rasa's tracker store says
    dispatcher, tracker = CollectingDispatcher(), said("où se trouve la cité ?", "faq")
    asyncio.run(ActionAnswer().run(dispatcher, tracker, {}))
    turn = dispatcher.messages[-1]["custom"]["turn"]
    assert feedback.vote(tracker.sender_id, turn, True, "web") is Vote.RECORDED  # cast while the line is queued
    monkeypatch.setattr(feedback, "LOGGED_WITHIN_S", 0.3)
    assert feedback.vote(tracker.sender_id, uuid.uuid4().hex, True, "web") is Vote.UNKNOWN  # never logged
    monkeypatch.setattr(feedback, "LOGGED_WITHIN_S", 60.0)
    monkeypatch.setattr(feedback, "answer_said", lambda sender, turn: (False, ""))  # never sent to this person
    began = time.perf_counter()
    assert feedback.vote(tracker.sender_id, uuid.uuid4().hex, True, "web") is Vote.UNKNOWN
    assert time.perf_counter() - began < 5  # refused at once


def test_latency_is_counted_from_the_message_rasa_received() -> None:
    tracker = said("bonjour", "greet", received=100.0)
    assert action_log.latency_ms(tracker, now=100.4) == 400
    assert action_log.latency_ms(Tracker("x", {}, {}, [], False, None, {}, "action_listen")) == 0
