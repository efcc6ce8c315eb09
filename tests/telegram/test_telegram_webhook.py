"""Webhook mode: Telegram POSTs updates to the bridge, which checks the secret header."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import httpx
import pytest

from runner.stack import free_port
from tests.telegram.background import wait_for
from tests.telegram.bridge_process import Bridge, new_chat_id, run_to_exit
from tests.telegram.fake_bot_api import TOKEN, FakeBotApi, text_update
from tests.telegram.fake_rasa import FakeRasa

SECRET = "s3cret_Odyssee-webhook"
PUBLIC_URL = "https://odyssee.example.fr/telegram/hook"


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def rasa() -> Iterator[FakeRasa]:
    fake = FakeRasa({"bonjour": [{"text": "Bonjour, **bienvenue** !"}]})
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def webhook(fake_api: FakeBotApi, rasa: FakeRasa, bridges: Callable[..., Bridge]) -> str:
    """A bridge in webhook mode; the local URL Telegram would POST to (behind the public one)."""
    port = free_port()
    bridge = bridges(TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake_api.base_url, RASA_URL=rasa.url,
                     TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_URL=PUBLIC_URL, TELEGRAM_WEBHOOK_SECRET=SECRET,
                     TELEGRAM_WEBHOOK_LISTEN="127.0.0.1", TELEGRAM_WEBHOOK_PORT=str(port))
    wait_for(lambda: bridge.alive() and fake_api.calls_of("setWebhook") and _listening(port),
             what="the webhook server")
    return f"http://127.0.0.1:{port}/telegram/hook"


def post(url: str, update: dict, secret: str | None) -> httpx.Response:
    """POST an update as Telegram does, with `secret` in its header (no header if None)."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return httpx.post(url, json=update, headers=headers, timeout=10)


def test_the_webhook_is_registered_with_its_secret(fake_api: FakeBotApi, webhook: str) -> None:
    [call] = fake_api.calls_of("setWebhook")
    assert call.params["url"] == PUBLIC_URL
    assert call.params["secret_token"] == SECRET
    assert set(call.params["allowed_updates"]) == {"message", "callback_query"}


def test_an_update_with_the_secret_is_answered(fake_api: FakeBotApi, rasa: FakeRasa, webhook: str,
                                               chat_id: int) -> None:
    assert post(webhook, {"update_id": 10, **text_update(chat_id, "bonjour")}, SECRET).status_code == 200
    [answer] = fake_api.wait_sent(chat_id)
    assert answer.params["text"] == "Bonjour, <b>bienvenue</b> !"
    assert answer.params["parse_mode"] == "HTML"
    assert rasa.received == [{"sender": f"tg-{chat_id}", "message": "bonjour", "channel": "telegram"}]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_an_update_without_the_secret_is_refused(fake_api: FakeBotApi, rasa: FakeRasa, webhook: str,
                                                 chat_id: int, secret: str | None) -> None:
    other_chat = new_chat_id()
    assert post(webhook, {"update_id": 20, **text_update(chat_id, "bonjour")}, secret).status_code == 403
    assert post(webhook, {"update_id": 21, **text_update(other_chat, "bonjour")}, SECRET).status_code == 200
    fake_api.wait_sent(other_chat)
    assert fake_api.sent(chat_id) == [] and len(rasa.received) == 1


def test_an_update_posted_twice_is_answered_once(fake_api: FakeBotApi, rasa: FakeRasa, webhook: str,
                                                 chat_id: int) -> None:
    update = {"update_id": 30, **text_update(chat_id, "bonjour")}
    assert post(webhook, update, SECRET).status_code == 200
    assert post(webhook, update, SECRET).status_code == 200
    fake_api.wait_sent(chat_id)
    assert post(webhook, {"update_id": 31, **text_update(chat_id, "encore")}, SECRET).status_code == 200
    fake_api.wait_sent(chat_id, 2)
    assert rasa.messages() == ["bonjour", "encore"]


def test_without_secret_the_webhook_mode_refuses_to_start() -> None:
    result = run_to_exit(TELEGRAM_TOKEN=TOKEN, TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_URL=PUBLIC_URL)
    assert result.returncode == 2
    assert "TELEGRAM_WEBHOOK_SECRET" in result.stderr and "faux messages" in result.stderr
