"""The web chat gateway's API (channels.webchat), against the running stack."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from channels.texts import FORGET_FAILED
from channels.webchat import TRACKER_PREFIX
from runner.stack import APP_PYTHON, ROOT, Stack, free_port

PARTNER = "https://partenaire.example"


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex}"


def post(base_url: str, payload: object) -> httpx.Response:
    return httpx.post(f"{base_url}/api/messages", json=payload, timeout=60)


def user_events(stack: Stack, sender: str) -> list[dict]:
    tracker = httpx.get(f"{stack.rasa_url}/conversations/{TRACKER_PREFIX}{sender}/tracker", params=stack.token,
                        timeout=30).json()
    return [event for event in tracker.get("events", []) if event.get("event") == "user"]


def start_gateway(rasa: str, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    """A gateway process in front of `rasa`, with extra environment `env`; the process and its URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(APP_PYTHON), "-m", "channels.webchat", "--port", str(port), "--rasa-url", rasa],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise
        time.sleep(0.2)


def stop_gateway(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=15)


@pytest.fixture(scope="module")
def lonely_gateway() -> Iterator[str]:
    """A second gateway whose Rasa server and tracker store are down (closed ports), allowing one partner
    origin, behind a trusted proxy on loopback."""
    process, url = start_gateway(f"http://127.0.0.1:{free_port()}",
                                 WEBCHAT_ALLOWED_ORIGINS=f"{PARTNER}, https://autre.example",
                                 WEBCHAT_TRUSTED_PROXIES="127.0.0.1",
                                 TRACKER_DB_URL=f"postgresql://nobody@127.0.0.1:{free_port()}/tracker")
    yield url
    stop_gateway(process)


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


def test_erasing_with_the_tracker_store_down_gives_a_french_503(lonely_gateway: str) -> None:
    reply = httpx.delete(f"{lonely_gateway}/api/conversations/{new_sender()}", timeout=30)
    assert reply.status_code == 503 and reply.json()["error"] == FORGET_FAILED


class _HtmlInsteadOfRasa(BaseHTTPRequestHandler):
    """What a misconfigured proxy in front of Rasa answers: an HTML page with status 200."""

    def do_POST(self) -> None:  # noqa: N802 (the http.server API)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body>Bienvenue sur nginx</body></html>")

    def log_message(self, *_: object) -> None:
        pass


def test_a_reply_that_is_not_json_gives_a_french_503() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HtmlInsteadOfRasa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    process, url = start_gateway(f"http://127.0.0.1:{server.server_address[1]}")
    try:
        reply = post(url, {"sender": new_sender(), "message": "bonjour"})
        assert reply.status_code == 503 and "injoignable" in reply.json()["error"]
    finally:
        stop_gateway(process)
        server.shutdown()


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


def test_forwarding_headers_of_an_untrusted_client_are_ignored(stack: Stack) -> None:
    """Without WEBCHAT_TRUSTED_PROXIES, a client cannot pass as the page's own origin with X-Forwarded-Host."""
    process, url = start_gateway(stack.rasa_url)
    try:
        reply = httpx.post(f"{url}/api/messages", json={"sender": new_sender(), "message": "bonjour"},
                           headers={"Origin": "https://chat.example.fr", "X-Forwarded-Host": "chat.example.fr"},
                           timeout=10)
        assert reply.status_code == 403 and "autorisé" in reply.json()["error"]
    finally:
        stop_gateway(process)


def test_a_flood_gets_429_in_french_per_sender_then_per_address(stack: Stack) -> None:
    process, url = start_gateway(stack.rasa_url, WEBCHAT_RATE_LIMIT="3/minute", WEBCHAT_ADDRESS_RATE_LIMIT="5/minute")
    try:
        flooding, other = new_sender(), new_sender()
        codes = [post(url, {"sender": flooding, "message": "bonjour"}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert post(url, {"sender": other, "message": "bonjour"}).status_code == 200  # another person, same address
        refused = post(url, {"sender": other, "message": "bonjour"})
        assert refused.status_code == 429 and "patientez" in refused.json()["error"]  # the address is over 5
        assert refused.headers["Retry-After"] == "60"
        assert httpx.delete(f"{url}/api/conversations/{other}", timeout=10).status_code == 429
        assert len(user_events(stack, flooding)) == 3  # refused messages never reached Rasa
    finally:
        stop_gateway(process)


def test_an_erasure_during_a_turn_waits_for_it_and_leaves_nothing(stack: Stack) -> None:
    """The turn in progress would otherwise save the conversation after the erasure deleted it. On a loaded machine
    the erasure may reach the gateway before the message it follows by 20 ms: it then erases nothing and the turn
    starts a new conversation, so the attempt is made again (without the wait, no attempt ever erases anything)."""
    question = "combien d'entreprises ont répondu à la consultation sur la Cité ?"  # a full retrieval turn
    for _ in range(5):
        sender = new_sender()
        with ThreadPoolExecutor(max_workers=1) as pool:
            turn = pool.submit(post, stack.web_url, {"sender": sender, "message": question})
            time.sleep(0.02)
            erased = httpx.delete(f"{stack.web_url}/api/conversations/{sender}", timeout=60)
            assert turn.result().status_code == 200 and erased.status_code == 200
        if erased.json()["deleted"] > 0:
            assert user_events(stack, sender) == []
            return
        httpx.delete(f"{stack.web_url}/api/conversations/{sender}", timeout=60)  # the turn that came after
    pytest.fail("no erasure sent during a turn erased it")


def test_ten_messages_at_once_from_one_person_are_all_answered(stack: Stack) -> None:
    sender = new_sender()
    messages = [f"bonjour {n}" for n in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        replies = list(pool.map(lambda text: post(stack.web_url, {"sender": sender, "message": text}), messages))
    assert all(r.status_code == 200 and r.json()["messages"] for r in replies)
    assert sorted(e["text"] for e in user_events(stack, sender)) == sorted(messages)  # none lost, none twice
