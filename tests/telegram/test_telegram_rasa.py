"""The bridge (polling the fake Bot API) against the real Rasa stack: commands, questions, buttons, erasure."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest

import knowledge
from channels.telegram_bridge import FORGOTTEN
from channels.texts import ASK_FEEDBACK
from runner.stack import Stack
from tests.telegram.background import wait_for
from tests.telegram.bridge_process import Bridge, start_polling
from tests.telegram.fake_bot_api import Call, FakeBotApi, button_update, text_update

TIMEOUT = 60  # the first answers of a freshly loaded model can be slow
ALLOWED_TAGS = re.compile(r'</?b>|<a href="[^"<>]*">|</a>')


@pytest.fixture(scope="module")
def api() -> Iterator[FakeBotApi]:
    fake = FakeBotApi()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def bridge(api: FakeBotApi, stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bridge]:
    """One polling bridge for the module; each test talks in its own chat."""
    running = start_polling(api, tmp_path_factory.mktemp("telegram") / "bridge.log", stack.rasa_url,
                            TRACKER_DB_URL=f"sqlite:///{stack.tracker_db}")
    yield running
    running.stop()


def answer_with_keyboard(api: FakeBotApi, chat_id: int, after: int = 0) -> list[Call]:
    """The messages sent to `chat_id` after the first `after`, once one of them carries a keyboard."""
    def done() -> list[Call]:
        sent = api.sent(chat_id)[after:]
        return sent if any("reply_markup" in call.params for call in sent) else []
    return wait_for(done, TIMEOUT, f"an answer with buttons in chat {chat_id}")


def payloads(calls: list[Call]) -> list[str]:
    return [button["callback_data"] for call in calls if "reply_markup" in call.params
            for row in call.params["reply_markup"]["inline_keyboard"] for button in row]


def user_events(stack: Stack, chat_id: int) -> list[dict]:
    tracker = httpx.get(f"{stack.rasa_url}/conversations/tg-{chat_id}/tracker", params=stack.token, timeout=30).json()
    return [event for event in tracker["events"] if event["event"] == "user"]


def test_start_greets_with_the_menu(api: FakeBotApi, bridge: Bridge, chat_id: int) -> None:
    api.inject(text_update(chat_id, "/start"))
    [greeting] = answer_with_keyboard(api, chat_id)
    assert "Bonjour et bienvenue" in greeting.params["text"]
    assert {"/ask_workshops", "/ask_services", "/request_human"} <= set(payloads([greeting]))
    assert api.calls_of("sendChatAction", chat_id)


def test_a_question_is_answered_from_the_store(api: FakeBotApi, bridge: Bridge, chat_id: int) -> None:
    workshops = knowledge.upcoming_workshops(topic="intelligence artificielle").items
    assert workshops, "the seed has workshops on AI"
    api.inject(text_update(chat_id, "quels ateliers sur l'IA ?"))
    answer = answer_with_keyboard(api, chat_id)
    assert all(call.params["parse_mode"] == "HTML" for call in answer)
    text = "\n".join(call.params["text"] for call in answer)
    assert any(html.escape(workshop.title, quote=False) in text for workshop in workshops), text
    assert "• " in text and "<a href=" in text


def test_a_factual_question_gets_the_fact_with_its_source(api: FakeBotApi, bridge: Bridge, chat_id: int) -> None:
    api.inject(text_update(chat_id, "qui dirige le site IBM de Montpellier ?"))
    text = "\n".join(call.params["text"] for call in answer_with_keyboard(api, chat_id))
    assert "Vasques" in text and "D'après" in text


def test_a_button_press_is_acknowledged_and_answered(api: FakeBotApi, bridge: Bridge, chat_id: int) -> None:
    press = button_update(chat_id, "/ask_capabilities")
    api.inject(press)
    answer = answer_with_keyboard(api, chat_id)
    assert "Je peux vous aider" in answer[0].params["text"]
    assert [c.params["callback_query_id"] for c in api.calls_of("answerCallbackQuery")].count(
        press["callback_query"]["id"]) == 1


def test_html_typed_by_a_user_is_not_interpreted(api: FakeBotApi, bridge: Bridge, chat_id: int) -> None:
    api.inject(text_update(chat_id, "<b>Bonjour</b> & <script>alert('ateliers')</script>"))
    answer = answer_with_keyboard(api, chat_id)
    for call in answer:
        assert "<" not in ALLOWED_TAGS.sub("", call.params["text"]), call.params["text"]
    assert "alert" not in bridge.log()


def test_aide_explains_the_commands_then_shows_the_menu(api: FakeBotApi, bridge: Bridge, chat_id: int) -> None:
    api.inject(text_update(chat_id, "/aide"))
    help_text, *menu = answer_with_keyboard(api, chat_id)
    assert all(command in help_text.params["text"] for command in ("/start", "/aide", "/oubli"))
    assert "/ask_workshops" in payloads(menu)


def test_oubli_erases_the_conversation(api: FakeBotApi, bridge: Bridge, stack: Stack, chat_id: int) -> None:
    api.inject(text_update(chat_id, "quels ateliers sur l'IA ?"))
    # the listing has buttons, then comes the question on its usefulness: wait for the last one
    sent = len(wait_for(lambda: [c for c in api.sent(chat_id) if c.params.get("text") == ASK_FEEDBACK]
                        and api.sent(chat_id), TIMEOUT, "the question on the answer's usefulness"))
    assert user_events(stack, chat_id)
    api.inject(text_update(chat_id, "/oubli"))
    [confirmation] = api.wait_sent(chat_id, sent + 1, TIMEOUT)[sent:]
    assert confirmation.params["text"] == html.escape(FORGOTTEN, quote=False)
    assert user_events(stack, chat_id) == []
    assert str(chat_id) not in bridge.log()  # the chat id names the person: never in the logs


def test_an_update_delivered_twice_is_answered_once(api: FakeBotApi, bridge: Bridge, chat_id: int) -> None:
    start = text_update(chat_id, "/start")
    assert len(set(api.inject(start, start))) == 1  # the same update (same update_id) twice in one batch
    answer_with_keyboard(api, chat_id)
    api.inject(text_update(chat_id, "/aide"))
    after_help = wait_for(lambda: [c for c in api.sent(chat_id) if "/oubli" in c.params["text"]] and
                          answer_with_keyboard(api, chat_id, after=2), TIMEOUT, "the answer to /aide")
    greetings = [c for c in api.sent(chat_id) if "Bonjour et bienvenue" in c.params["text"]]
    assert len(greetings) == 1 and after_help
