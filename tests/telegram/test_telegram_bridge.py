"""The bridge process against the fake Bot API, with a scripted Rasa or none: settings, errors, formatting."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from channels.telegram_bridge import NOT_TEXT, UNKNOWN_COMMAND
from channels.texts import APOLOGY, FORGET_FAILED
from runner.stack import free_port
from tests.telegram.background import wait_for
from tests.telegram.bridge_process import Bridge, run_to_exit, start_polling
from tests.telegram.fake_bot_api import FakeBotApi, button_update, sticker_update, text_update
from tests.telegram.fake_rasa import FakeRasa

LONG_PAYLOAD = '/inform{"job": "technicien de maintenance en énergies renouvelables", "city": "Brest"}'
LONG_ANSWER = "\n".join(f"- **Question {i}** : réponse <b>non interprétée</b> & détaillée " + "z" * 40
                        for i in range(100))
SCRIPT = {
    "/greet": [{"text": "Bonjour !", "buttons": [{"title": "Éolien à Brest", "payload": LONG_PAYLOAD}]}],
    "réponse cassée": [{"text": ["pas", "un", "texte"]}],
    "tout savoir": [{"text": LONG_ANSWER,
                     "buttons": [{"title": "Une autre question", "payload": "/ask_capabilities"}]}],
}


def visible(html_text: str) -> str:
    """What Telegram shows of an HTML text (its length limit applies after entities parsing)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def test_without_token_the_bridge_refuses_to_start() -> None:
    result = run_to_exit()
    assert result.returncode == 2
    assert "TELEGRAM_TOKEN n'est pas défini" in result.stderr and "BotFather" in result.stderr


@pytest.fixture
def scripted_rasa() -> Iterator[FakeRasa]:
    rasa = FakeRasa(SCRIPT)
    rasa.start()
    yield rasa
    rasa.stop()


@pytest.fixture
def rasa_down_bridge(fake_api: FakeBotApi, tmp_path: Path) -> Iterator[Bridge]:
    """A bridge whose Rasa URL is a closed port, without tracker store."""
    bridge = start_polling(fake_api, tmp_path / "bridge.log", f"http://127.0.0.1:{free_port()}", TRACKER_DB_URL="")
    yield bridge
    bridge.stop()


def test_rasa_down_gets_an_apology(fake_api: FakeBotApi, rasa_down_bridge: Bridge, chat_id: int) -> None:
    fake_api.inject(text_update(chat_id, "quels ateliers sur l'IA ?"))
    [apology] = fake_api.wait_sent(chat_id)
    assert apology.params["text"] == APOLOGY
    assert "Rasa unavailable" in rasa_down_bridge.log()
    assert "ateliers" not in rasa_down_bridge.log()


def test_oubli_with_the_tracker_store_down_says_it_failed(fake_api: FakeBotApi, tmp_path: Path,
                                                         chat_id: int) -> None:
    """Never « c'est fait » when nothing was erased: the person is told to try again."""
    bridge = start_polling(fake_api, tmp_path / "bridge.log", f"http://127.0.0.1:{free_port()}",
                           TRACKER_DB_URL=f"postgresql://nobody@127.0.0.1:{free_port()}/tracker")
    try:
        fake_api.inject(text_update(chat_id, "/oubli"))
        [failure] = fake_api.wait_sent(chat_id)
        assert failure.params["text"] == html.escape(FORGET_FAILED, quote=False)
        assert "could not erase a conversation" in bridge.log() and str(chat_id) not in bridge.log()
    finally:
        bridge.stop()


def test_button_with_rasa_down_is_acknowledged_then_apologized(fake_api: FakeBotApi, rasa_down_bridge: Bridge,
                                                               chat_id: int) -> None:
    fake_api.inject(button_update(chat_id, "/ask_workshops"))
    [apology] = fake_api.wait_sent(chat_id)
    assert apology.params["text"] == APOLOGY
    assert fake_api.calls_of("answerCallbackQuery")


def test_an_unexpected_error_gets_an_apology(fake_api: FakeBotApi, scripted_bridge: Bridge, chat_id: int) -> None:
    fake_api.inject(text_update(chat_id, "réponse cassée"))  # Rasa's answer holds a list where a text belongs
    assert fake_api.wait_sent(chat_id)[0].params["text"] == APOLOGY
    wait_for(lambda: "update handling failed" in scripted_bridge.log(), what="the error in the log")


def test_stickers_and_unknown_commands_get_a_polite_answer(fake_api: FakeBotApi, rasa_down_bridge: Bridge,
                                                           chat_id: int) -> None:
    fake_api.inject(sticker_update(chat_id))
    assert fake_api.wait_sent(chat_id)[0].params["text"] == NOT_TEXT
    fake_api.inject(text_update(chat_id, "/meteo"))
    assert fake_api.wait_sent(chat_id, 2)[1].params["text"] == UNKNOWN_COMMAND


@pytest.fixture
def scripted_bridge(fake_api: FakeBotApi, scripted_rasa: FakeRasa, tmp_path: Path) -> Iterator[Bridge]:
    bridge = start_polling(fake_api, tmp_path / "bridge.log", scripted_rasa.url)
    yield bridge
    bridge.stop()


def test_a_long_answer_is_split_with_the_keyboard_last(fake_api: FakeBotApi, scripted_bridge: Bridge,
                                                        chat_id: int) -> None:
    fake_api.inject(text_update(chat_id, "tout savoir"))
    wait_for(lambda: fake_api.calls_of("sendMessage", chat_id) and
             "reply_markup" in fake_api.sent(chat_id)[-1].params, what="the keyboard")
    sent = [call.params for call in fake_api.sent(chat_id)]
    assert len(sent) == 3
    assert all(len(visible(params["text"])) <= 4096 and params["parse_mode"] == "HTML" for params in sent)
    assert ["reply_markup" in params for params in sent] == [False, False, True]
    assert "<b>Question 0</b> : réponse &lt;b&gt;non interprétée&lt;/b&gt; &amp; détaillée" in sent[0]["text"]
    assert "\n".join(params["text"] for params in sent).count("• <b>Question") == 100


def test_long_payloads_go_through_a_short_key(fake_api: FakeBotApi, scripted_rasa: FakeRasa,
                                              scripted_bridge: Bridge, chat_id: int) -> None:
    fake_api.inject(text_update(chat_id, "/start"))
    [greeting] = fake_api.wait_sent(chat_id)
    [[button]] = greeting.params["reply_markup"]["inline_keyboard"]
    assert len(button["callback_data"].encode()) <= 64
    fake_api.inject(button_update(chat_id, button["callback_data"]))
    fake_api.wait_sent(chat_id, 2)
    assert scripted_rasa.messages()[-1] == LONG_PAYLOAD


def test_an_expired_button_is_explained(fake_api: FakeBotApi, scripted_bridge: Bridge, chat_id: int) -> None:
    fake_api.inject(button_update(chat_id, "~0123456789abcdef0123"))
    assert "plus disponible" in fake_api.wait_sent(chat_id)[0].params["text"]


def test_a_button_too_old_to_acknowledge_is_answered_anyway(fake_api: FakeBotApi, scripted_bridge: Bridge,
                                                             chat_id: int) -> None:
    fake_api.inject(button_update(chat_id, "/greet", too_old=True))
    assert fake_api.wait_sent(chat_id)[0].params["text"] == "Bonjour !"
    assert fake_api.calls_of("answerCallbackQuery")
