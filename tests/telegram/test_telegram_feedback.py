"""👍 / 👎 in Telegram, against the fake Bot API and a scripted Rasa: the inline keyboard under a rated answer, one
vote per answer, « Qu'est-ce qui manquait ? » answered by a reply, and the votes in the store."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from channels.telegram_bridge import ASK_WHAT_WAS_MISSING, sender_id
from channels.texts import ALREADY_VOTED, ASK_FEEDBACK, CANNOT_RATE, THANKS, THANKS_COMMENT
from knowledge import turn_log
from knowledge.db import session_scope
from knowledge.models import Feedback, Turn, UnansweredQuestion
from runner.stack import Stack
from tests.telegram.background import wait_for
from tests.telegram.bridge_process import Bridge, start_polling
from tests.telegram.fake_bot_api import Call, FakeBotApi, button_update, reply_update, text_update
from tests.telegram.fake_rasa import FakeRasa

QUESTION = "où est la cité ?"


@pytest.fixture
def turn(seeded_store: str, chat_id: int) -> str:
    """An FAQ answer of the chat's conversation in the turn log, as the action server writes it."""
    return turn_log.record_turn(sender_id(chat_id), "telegram", "faq", 0.93, "faq", "cite-adresse", 120)


@pytest.fixture
def bridge(fake_api: FakeBotApi, turn: str, tmp_path: Path) -> Iterator[tuple[Bridge, FakeRasa]]:
    """A bridge whose Rasa answers QUESTION as Rasa's REST channel does: the answer, then its turn id."""
    rasa = FakeRasa({QUESTION: [{"text": "Au cœur d'Odysseum, à Montpellier.",
                                 "buttons": [{"title": "Une autre question", "payload": "/ask_capabilities"}]},
                                {"custom": {"turn": turn}}]})
    rasa.start()
    running = start_polling(fake_api, tmp_path / "bridge.log", rasa.url, TRACKER_DB_URL="")
    yield running, rasa
    running.stop()
    rasa.stop()


def edits(api: FakeBotApi, chat_id: int, count: int) -> list[Call]:
    def enough() -> list[Call]:
        done = api.calls_of("editMessageText", chat_id)
        return done if len(done) >= count else []
    return wait_for(enough, what=f"{count} edit(s) in chat {chat_id}")


def stored_vote(turn: str) -> Feedback | None:
    with session_scope() as s:
        return s.get(Feedback, turn)


def test_a_rated_answer_gets_the_vote_keyboard_and_a_thumbs_up_is_kept_once(
        fake_api: FakeBotApi, bridge: tuple[Bridge, FakeRasa], chat_id: int, turn: str) -> None:
    fake_api.inject(text_update(chat_id, QUESTION))
    answer, question = fake_api.wait_sent(chat_id, 2)
    assert "Odysseum" in answer.params["text"] and question.params["text"] == ASK_FEEDBACK
    [[up, down]] = question.params["reply_markup"]["inline_keyboard"]
    assert (up["text"], up["callback_data"]) == ("👍 Oui, utile", f"avis:{turn}:1")
    assert (down["text"], down["callback_data"]) == ("👎 Non, pas utile", f"avis:{turn}:0")
    fake_api.inject(button_update(chat_id, up["callback_data"]))
    [thanks] = edits(fake_api, chat_id, 1)
    assert thanks.params["text"] == THANKS and "reply_markup" not in thanks.params  # the keyboard goes away
    vote = stored_vote(turn)
    assert vote is not None and vote.useful and vote.channel == "telegram"
    fake_api.inject(button_update(chat_id, down["callback_data"]))  # the same keyboard, pressed again
    assert edits(fake_api, chat_id, 2)[1].params["text"] == ALREADY_VOTED
    assert stored_vote(turn).useful  # type: ignore[union-attr]
    assert len(fake_api.sent(chat_id)) == 2 and bridge[1].messages() == [QUESTION]  # votes never reach Rasa


def test_a_thumbs_down_asks_what_was_missing_and_the_reply_is_its_comment(
        fake_api: FakeBotApi, bridge: tuple[Bridge, FakeRasa], chat_id: int, turn: str) -> None:
    fake_api.inject(button_update(chat_id, f"avis:{turn}:0"))
    [ask] = fake_api.wait_sent(chat_id)
    assert ask.params["text"] == ASK_WHAT_WAS_MISSING
    assert ask.params["reply_markup"]["force_reply"] is True
    asked_id = len(fake_api.calls_of("sendMessage"))  # the fake numbers messages 1, 2, ... across chats
    fake_api.inject(reply_update(chat_id, "Le plan d'accès, rappelez-moi au 06 12 34 56 78", asked_id))
    assert fake_api.wait_sent(chat_id, 2)[1].params["text"] == html.escape(THANKS_COMMENT, quote=False)
    vote = stored_vote(turn)
    assert vote is not None and not vote.useful
    assert vote.comment == "Le plan d'accès, rappelez-moi au [téléphone masqué]"
    assert bridge[1].messages() == []  # the comment is not a question for Rasa


def test_a_vote_on_another_chats_answer_is_refused(fake_api: FakeBotApi, bridge: tuple[Bridge, FakeRasa],
                                                   chat_id: int) -> None:
    other = turn_log.record_turn(sender_id(chat_id + 1), "telegram", "faq", 0.9, "faq", "cite-adresse")
    fake_api.inject(button_update(chat_id, f"avis:{other}:0"))
    [refused] = edits(fake_api, chat_id, 1)
    assert refused.params["text"] == CANNOT_RATE and stored_vote(other) is None
    assert fake_api.sent(chat_id) == []  # no « Qu'est-ce qui manquait ? » without a vote


def test_with_the_real_assistant_a_thumbs_down_keeps_the_question_asked(
        fake_api: FakeBotApi, stack: Stack, chat_id: int, tmp_path: Path) -> None:
    """The whole chain: the action server's turn id, the bridge's keyboard, the question read back from the
    tracker store for the inbox."""
    running = start_polling(fake_api, tmp_path / "bridge.log", stack.rasa_url,
                            TRACKER_DB_URL=f"sqlite:///{stack.tracker_db}")
    try:
        fake_api.inject(text_update(chat_id, "où se trouve la cité ?"))
        sent = wait_for(lambda: [c for c in fake_api.sent(chat_id) if c.params["text"] == ASK_FEEDBACK],
                        timeout=60, what="the vote keyboard")
        down = sent[0].params["reply_markup"]["inline_keyboard"][0][1]["callback_data"]
        fake_api.inject(button_update(chat_id, down))
        assert edits(fake_api, chat_id, 1)[0].params["text"] == THANKS
        turn = down.split(":")[1]
        with session_scope() as s:
            stored = s.get(Turn, turn)
            inbox = list(s.scalars(select(UnansweredQuestion.text).where(
                UnansweredQuestion.sender_id == sender_id(chat_id))))
        assert stored is not None and (stored.source, stored.channel) == ("faq", "telegram")
        assert stored.text == "où se trouve la cité ?" and inbox == ["où se trouve la cité ?"]
    finally:
        running.stop()
