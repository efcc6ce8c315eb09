"""Day-to-day running: a busy port or a bad database file said in one French line, no model pile-up, a process
that dies restarted while the rest keeps answering."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from runner import model, preflight
from runner.stack import ROOT, Stack, free_port
from runner.supervise import GaveUp, Supervisor
from tests.conftest import say, texts


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_make_run_names_a_busy_port_in_one_french_line(busy_port: int) -> None:
    env = {**os.environ, "WEB_PORT": str(busy_port), "RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port())}
    result = subprocess.run(["make", "--no-print-directory", "run"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "port" in line]
    assert len(lines) == 1, result.stdout + result.stderr
    [line] = lines
    assert f"Le port {busy_port} est déjà utilisé" in line and f"WEB_PORT={busy_port + 1}" in line
    assert "Démarrage" not in result.stdout  # nothing was started


def test_test_ports_are_distinct_free_and_outside_the_range_of_outgoing_connections() -> None:
    low, high = (int(n) for n in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    ports = [free_port() for _ in range(50)]
    assert len(set(ports)) == len(ports)
    assert not [port for port in ports if low <= port <= high]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", ports[0]))  # free when given


def test_a_process_that_dies_at_start_is_reported_with_its_last_log_lines(tmp_path: Path) -> None:
    stack = Stack(var=tmp_path, rasa_port=free_port(), actions_port=free_port(), web_port=None)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "rasa.log").write_text("chargement\nOSError: [Errno 98] address already in use\n")
    stack.processes["rasa"] = subprocess.Popen([sys.executable, "-c", "raise SystemExit(2)"])
    stack.processes["rasa"].wait()
    with pytest.raises(RuntimeError, match=r"(?s)rasa s'est arrêté \(code 2\).*Errno 98"):
        stack.wait_ready(timeout=5)


def test_every_busy_port_is_named(busy_port: int, tmp_path: Path) -> None:
    stack = Stack(var=tmp_path, rasa_port=busy_port, actions_port=free_port(), web_port=free_port())
    assert [m for m in preflight.problems(stack) if "RASA_PORT" in m and str(busy_port) in m]
    stack.rasa_port, stack.actions_port = free_port(), busy_port
    assert [m for m in preflight.problems(stack) if "ACTIONS_PORT" in m]


def test_the_back_office_listens_on_loopback_port_8090_and_its_port_is_checked(busy_port: int, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ODYSSEE_ADMIN_PORT", "ODYSSEE_ADMIN_HOST"):
        monkeypatch.delenv(name, raising=False)
    made = Stack.from_env()
    assert (made.admin_host, made.admin_port, made.admin_url) == ("127.0.0.1", 8090, "http://127.0.0.1:8090")
    assert made.commands()["admin"][-4:] == ["--host", "127.0.0.1", "--port", "8090"]
    monkeypatch.setenv("ODYSSEE_HOST", "0.0.0.0")  # opening the web chat to the network leaves the back-office alone
    assert Stack.from_env().commands()["admin"][-4:] == ["--host", "127.0.0.1", "--port", "8090"]
    stack = Stack(var=tmp_path, rasa_port=free_port(), actions_port=free_port(), web_port=free_port(),
                  admin_port=busy_port)
    assert [m for m in preflight.problems(stack) if f"ODYSSEE_ADMIN_PORT={busy_port + 1}" in m]


def test_the_telegram_webhook_port_is_checked_with_the_bridge_settings(busy_port: int, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"TELEGRAM_TOKEN": "123:abc", "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_SECRET": "s3cret",
                        "TELEGRAM_WEBHOOK_URL": "https://odyssee.example.fr/telegram",
                        "TELEGRAM_WEBHOOK_PORT": str(busy_port)}.items():
        monkeypatch.setenv(name, value)
    stack = Stack(var=tmp_path, rasa_port=free_port(), actions_port=free_port(), web_port=free_port(), telegram=True)
    assert [m for m in preflight.problems(stack) if "TELEGRAM_WEBHOOK_PORT" in m and str(busy_port) in m]
    monkeypatch.setenv("TELEGRAM_WEBHOOK_PORT", "huit")
    assert any(m.startswith("TELEGRAM_WEBHOOK_PORT doit être un numéro de port") for m in preflight.problems(stack))


def test_a_database_path_that_is_a_folder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "knowledge.db"
    folder.mkdir()
    monkeypatch.setenv("KNOWLEDGE_DB_URL", f"sqlite:///{folder}")
    stack = Stack(var=tmp_path, rasa_port=free_port(), actions_port=free_port(), web_port=free_port())
    assert preflight.problems(stack) == [f"{folder} n'est pas un fichier de base de données (c'est un dossier) : "
                                         "corrigez KNOWLEDGE_DB_URL."]


def test_the_knowledge_command_says_when_its_database_cannot_be_opened(tmp_path: Path) -> None:
    env = {**os.environ, "KNOWLEDGE_DB_URL": f"sqlite:///{tmp_path}"}  # a folder
    result = subprocess.run([sys.executable, "-m", "knowledge", "migrate"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Erreur : la base de connaissances est injoignable ou illisible")


def test_training_again_with_nothing_changed_keeps_the_same_model() -> None:
    if not model.up_to_date(model.MODELS, model.fingerprint()):
        pytest.skip("the model in bot/models was not trained by `make train` (make test does)")
    before = model.archives(model.MODELS)
    result = subprocess.run([sys.executable, "-m", "runner.model"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and "Modèle à jour" in result.stdout
    assert model.archives(model.MODELS) == before


def test_the_fingerprint_follows_every_training_input(tmp_path: Path) -> None:
    for name in model.INPUTS[:2] + ("bot/data/nlu/faq.yml",) + model.INPUTS[3:]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("v1", encoding="utf-8")
    first = model.fingerprint(tmp_path)
    assert model.fingerprint(tmp_path) == first
    for name in ("config.yml", "bot/data/nlu/faq.yml", "requirements/rasa.txt"):
        (tmp_path / name).write_text("v2", encoding="utf-8")
        assert model.fingerprint(tmp_path) != first, name
        (tmp_path / name).write_text("v1", encoding="utf-8")
    (tmp_path / "bot/data/nlu/lookups.generated.yml").write_text("new", encoding="utf-8")
    assert model.fingerprint(tmp_path) != first


def test_only_the_three_latest_models_are_kept(tmp_path: Path) -> None:
    for age in range(5):
        archive = tmp_path / f"model-{age}.tar.gz"
        archive.write_bytes(b"x")
        os.utime(archive, (time.time() - age * 60, time.time() - age * 60))
    (tmp_path / "fingerprint.json").write_text('{"fingerprint": "f", "model": "model-0.tar.gz"}', encoding="utf-8")
    assert [p.name for p in model.prune(tmp_path)] == ["model-3.tar.gz", "model-4.tar.gz"]
    assert [p.name for p in model.archives(tmp_path)] == ["model-0.tar.gz", "model-1.tar.gz", "model-2.tar.gz"]
    assert model.up_to_date(tmp_path, "f") and not model.up_to_date(tmp_path, "other")
    (tmp_path / "model-0.tar.gz").unlink()
    assert not model.up_to_date(tmp_path, "f")  # the stamped model is gone: train again


def supervise_until(supervisor: Supervisor, ready: str, timeout: float = 120) -> list[str]:
    """Run the supervisor's checks until `ready` (a URL) answers 200; what it reported."""
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines += supervisor.check()
        try:
            if httpx.get(ready, timeout=2).status_code == 200:
                return lines
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{ready} not back after {timeout} s: {lines}")


def test_a_killed_action_server_comes_back_while_the_rest_answers(stack: Stack) -> None:
    supervisor = Supervisor(stack)
    stack.processes["actions"].kill()
    stack.processes["actions"].wait()
    [died] = supervisor.check()
    assert died.startswith("actions s'est arrêté (tué par le signal SIGKILL), redémarrage dans 1 s")
    assert "problème technique" in texts(say(stack, "runner-a", "quels ateliers sur l'IA ?"))  # Rasa apologises
    assert "actions redémarré." in supervise_until(supervisor, f"{stack.actions_url}/health")
    assert "intelligence artificielle" in texts(say(stack, "runner-b", "quels ateliers sur l'IA ?"))


def test_a_killed_web_gateway_comes_back_while_the_rest_answers(stack: Stack) -> None:
    supervisor = Supervisor(stack)
    stack.processes["web"].kill()
    stack.processes["web"].wait()
    assert supervisor.check()[0].startswith("web s'est arrêté")
    assert say(stack, "runner-c", "bonjour")  # Rasa's webhook (Telegram's way in) still answers
    supervise_until(supervisor, f"{stack.web_url}/healthz")
    message = {"sender": f"runner-{uuid.uuid4().hex}", "message": "bonjour"}
    reply = httpx.post(f"{stack.web_url}/api/messages", json=message, timeout=60)
    assert reply.status_code == 200 and reply.json()["messages"]


class CrashingStack(Stack):
    """A stack whose one process exits at once, every time."""

    def commands(self) -> dict[str, list[str]]:
        return {"crasher": [sys.executable, "-c", "import sys; print('configuration illisible'); sys.exit(3)"]}


def test_a_process_that_keeps_dying_stops_everything_with_a_clear_message(tmp_path: Path) -> None:
    stack = CrashingStack(var=tmp_path, rasa_token="t")
    stack.start()
    supervisor, reports = Supervisor(stack, first_delay=0.05, max_delay=0.2), []
    try:
        with pytest.raises(GaveUp, match=r"crasher s'est arrêté 5 fois en moins de 60 s \(code de sortie 3\)"):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                reports += supervisor.check()
                time.sleep(0.02)
    finally:
        stack.stop()
    assert "dernière ligne" in reports[0] and "configuration illisible" in reports[0]
    delays = [r.split("redémarrage dans ")[1].split(" s ;")[0] for r in reports if "redémarrage dans" in r]
    assert delays == ["0.05", "0.1", "0.2", "0.2"]  # doubling, capped; the fifth death in a minute gives up
