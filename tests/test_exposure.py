"""Nothing reachable that should not be: Rasa's API needs its token, Rasa and the action server stay on
loopback even when the web chat is opened to the network."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from runner.stack import ROOT, Stack, rasa_token


def _outside_address() -> str | None:
    """An address of this machine other than loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_rasa_api_refuses_calls_without_its_token(stack: Stack) -> None:
    tracker = f"{stack.rasa_url}/conversations/someone-else/tracker"
    assert httpx.get(tracker, timeout=30).status_code == 401
    assert httpx.get(tracker, params={"token": "guessed"}, timeout=30).status_code == 401
    assert httpx.post(f"{stack.rasa_url}/model/parse", json={"text": "bonjour"}, timeout=30).status_code == 401
    assert httpx.get(tracker, params=stack.token, timeout=30).status_code == 200
    assert httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": "exposure", "message": "bonjour"},
                      timeout=30).status_code == 200  # the channel itself stays open


def test_rasa_and_the_action_server_do_not_listen_beyond_loopback(stack: Stack) -> None:
    outside = _outside_address()
    if outside is None:
        pytest.skip("this machine has no address other than loopback to try")
    for port in (stack.rasa_port, stack.actions_port):
        with socket.socket() as client:
            client.settimeout(2)
            assert client.connect_ex((outside, port)) != 0, f"port {port} answers on {outside}"


def test_opening_the_web_chat_to_the_network_keeps_rasa_and_actions_on_loopback(tmp_path: Path) -> None:
    opened = Stack(var=tmp_path, host="0.0.0.0")
    rasa = opened.commands()["rasa"]
    assert rasa[rasa.index("-i") + 1] == "127.0.0.1" and f"--auth-token={opened.rasa_token}" in rasa
    assert opened._env()["SANIC_HOST"] == "127.0.0.1"
    assert opened.commands()["web"][opened.commands()["web"].index("--host") + 1] == "0.0.0.0"


def test_a_token_starting_with_a_dash_reaches_rasa_as_the_token(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """secrets.token_urlsafe may start with « - »: given as a separate argument, Rasa's parser took it for an
    option and stopped (« expected one argument », exit code 2: the CI failures of the bench smoke run)."""
    monkeypatch.delenv("RASA_TOKEN", raising=False)
    (tmp_path / "rasa_token").write_text("-Ab3_dashed", encoding="utf-8")
    rasa = Stack(var=tmp_path).commands()["rasa"]
    assert "--auth-token=-Ab3_dashed" in rasa and "-Ab3_dashed" not in rasa


def test_the_generated_token_is_kept_and_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_TOKEN", raising=False)
    first = rasa_token(tmp_path)
    assert len(first) >= 32 and rasa_token(tmp_path) == first
    assert (tmp_path / "rasa_token").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("RASA_TOKEN", "given-by-the-deployment")
    assert rasa_token(tmp_path) == "given-by-the-deployment"


def test_make_shell_keeps_both_servers_on_loopback() -> None:
    """`make shell` starts the action server and a Rasa server of its own: loopback too (make -n prints them)."""
    result = subprocess.run(["make", "-n", "--no-print-directory", "shell"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    commands = result.stdout
    assert "SANIC_HOST=127.0.0.1" in commands and "bot.action_server" in commands
    [shell] = [line for line in commands.splitlines() if " shell " in line and "rasa" in line]
    assert " -i 127.0.0.1 " in shell
