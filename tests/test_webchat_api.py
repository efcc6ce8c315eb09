"""The web chat gateway's API (channels.webchat), against the running stack."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from channels.webchat import TRACKER_PREFIX
from runner.stack import APP_PYTHON, ROOT, Stack, free_port

PARTNER = "https://partenaire.example"


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex}"


def post(base_url: str, payload: object) -> httpx.Response:
    return httpx.post(f"{base_url}/api/messages", json=payload, timeout=60)


def user_events(stack: Stack, sender: str) -> list[dict]:
    tracker = httpx.get(f"{stack.rasa_url}/conversations/{TRACKER_PREFIX}{sender}/tracker", timeout=30).json()
    return [event for event in tracker.get("events", []) if event.get("event") == "user"]


@pytest.fixture(scope="module")
def lonely_gateway() -> Iterator[str]:
    """A second gateway whose Rasa server is down (a closed port), allowing one partner origin."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WEBCHAT_ALLOWED_ORIGINS": f"{PARTNER}, https://autre.example"}
    process = subprocess.Popen(
        [str(APP_PYTHON), "-m", "channels.webchat", "--port", str(port), "--rasa-url", f"http://127.0.0.1:{free_port()}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_a_message_gets_the_bot_messages(stack: Stack) -> None:
    reply = post(stack.web_url, {"sender": new_sender(), "message": "bonjour"})
    assert reply.status_code == 200
    messages = reply.json()["messages"]
    assert messages and all(set(m) == {"text", "buttons"} for m in messages)
    assert any(m["text"] for m in messages)
    assert all(set(b) == {"title", "payload"} for m in messages for b in m["buttons"])


def test_bad_json_is_refused_in_french(stack: Stack) -> None:
    reply = httpx.post(f"{stack.web_url}/api/messages", content=b"{pas du json",
                       headers={"Content-Type": "application/json"}, timeout=10)
    assert reply.status_code == 400
    assert reply.json()["error"].startswith("Requête invalide")


@pytest.mark.parametrize("payload", [
    {"sender": "abc", "message": "bonjour"},
    {"sender": "pas un identifiant", "message": "bonjour"},
    {"sender": "x" * 65, "message": "bonjour"},
    {"message": "bonjour"},
    {"sender": new_sender()},
    ["bonjour"],
])
def test_bad_sender_or_message_is_refused(stack: Stack, payload: object) -> None:
    reply = post(stack.web_url, payload)
    assert reply.status_code == 400
    assert "invalide" in reply.json()["error"]


def test_delete_erases_the_conversation(stack: Stack) -> None:
    sender = new_sender()
    assert post(stack.web_url, {"sender": sender, "message": "bonjour"}).status_code == 200
    assert user_events(stack, sender)

    reply = httpx.delete(f"{stack.web_url}/api/conversations/{sender}", timeout=30)

    assert reply.status_code == 200
    assert reply.json()["deleted"] > 0
    assert not user_events(stack, sender)


def test_delete_refuses_a_bad_sender(stack: Stack) -> None:
    assert httpx.delete(f"{stack.web_url}/api/conversations/court", timeout=10).status_code == 400


def test_rasa_down_gives_a_french_503(lonely_gateway: str) -> None:
    reply = post(lonely_gateway, {"sender": new_sender(), "message": "bonjour"})
    assert reply.status_code == 503
    assert "injoignable" in reply.json()["error"]


def test_pages_have_strict_security_headers(lonely_gateway: str) -> None:
    for path in ("/", "/services.html"):
        reply = httpx.get(f"{lonely_gateway}{path}", timeout=10)
        assert reply.status_code == 200
        policy = reply.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert 'src="/widget/odyssee-chat.js"' in reply.text and "<script>" not in reply.text


def test_allowed_origins_get_cors_headers(lonely_gateway: str) -> None:
    preflight = httpx.options(f"{lonely_gateway}/api/messages", timeout=10, headers={
        "Origin": PARTNER, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == PARTNER
    assert "DELETE" in preflight.headers["Access-Control-Allow-Methods"]

    reply = httpx.post(f"{lonely_gateway}/api/messages", json={"sender": new_sender(), "message": "bonjour"},
                       headers={"Origin": PARTNER}, timeout=10)
    assert reply.headers["Access-Control-Allow-Origin"] == PARTNER


def test_other_origins_are_refused(lonely_gateway: str) -> None:
    reply = httpx.post(f"{lonely_gateway}/api/messages", json={"sender": new_sender(), "message": "bonjour"},
                       headers={"Origin": "https://inconnu.example"}, timeout=10)
    assert reply.status_code == 403
    assert "Access-Control-Allow-Origin" not in reply.headers
    assert "autorisé" in reply.json()["error"]


def test_own_pages_behind_a_proxy_are_not_cross_origin(lonely_gateway: str) -> None:
    reply = httpx.post(f"{lonely_gateway}/api/messages", json={"sender": new_sender(), "message": "bonjour"},
                       headers={"Origin": "https://chat.example.fr", "X-Forwarded-Host": "chat.example.fr"},
                       timeout=10)
    assert reply.status_code == 503  # past the origin check, then Rasa is down
