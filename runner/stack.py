"""Start and stop the whole assistant: action server, Rasa server, web chat, staff back-office, Telegram bridge.

Used by `make run` (python -m runner) and by the tests, which start the same stack on free ports.
Only the web gateway listens where `host` says; Rasa and the action server listen on loopback unless
`rasa_host` / `actions_host` say otherwise, the back-office on `admin_host` (loopback by default); Rasa's HTTP API
requires `rasa_token` (`RASA_TOKEN`, else one generated once into `var/rasa_token`).
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def _reachable(host: str) -> str:
    """The address to connect to a server listening on `host` (every interface is reached on loopback)."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def rasa_token(var: Path) -> str:
    """`RASA_TOKEN`, else the token kept in `var/rasa_token`, generated (readable by its owner only) the first time."""
    if token := os.environ.get("RASA_TOKEN", "").strip():
        return token
    path = var / "rasa_token"
    if not path.exists():
        var.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


_ISSUED: set[int] = set()


def _ephemeral_range() -> tuple[int, int]:
    """The kernel's range for outgoing connections' source ports (Linux; IANA's range elsewhere)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 49152, 65535


def free_port() -> int:
    """A loopback port free now and outside the ephemeral range.

    A port taken from the ephemeral range (bind to 0) can be given, while Rasa loads its model for a minute,
    to some outgoing connection as its source port, and Rasa then fails to listen (EADDRINUSE).
    """
    low, high = _ephemeral_range()
    candidates = [port for port in range(20000, 65536) if not low <= port <= high and port not in _ISSUED]
    for port in random.sample(candidates, len(candidates)):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _ISSUED.add(port)
        return port
    raise RuntimeError("aucun port libre hors de la plage éphémère")


@dataclass
class Stack:
    """The processes of one running assistant; `var` holds their databases and logs."""

    var: Path = ROOT / "var"
    host: str = "127.0.0.1"  # the web gateway's interface
    rasa_host: str = "127.0.0.1"
    actions_host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    web_port: int | None = 8080
    admin_host: str = "127.0.0.1"
    admin_port: int | None = None  # the staff back-office; `make run` starts it on 8090
    telegram: bool = False
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    rasa_token: str = ""

    def __post_init__(self) -> None:
        self.rasa_token = self.rasa_token or rasa_token(self.var)

    @classmethod
    def from_env(cls) -> Stack:
        """The stack `make run` starts, placed by ODYSSEE_HOST, RASA_HOST, ACTIONS_HOST, ODYSSEE_ADMIN_HOST and the
        *_PORT variables."""
        return cls(
            host=os.environ.get("ODYSSEE_HOST", "127.0.0.1"),
            rasa_host=os.environ.get("RASA_HOST", "127.0.0.1"),
            actions_host=os.environ.get("ACTIONS_HOST", "127.0.0.1"),
            rasa_port=int(os.environ.get("RASA_PORT", "5005")),
            actions_port=int(os.environ.get("ACTIONS_PORT", "5055")),
            web_port=int(os.environ.get("WEB_PORT", "8080")),
            admin_host=os.environ.get("ODYSSEE_ADMIN_HOST", "127.0.0.1"),
            admin_port=int(os.environ.get("ODYSSEE_ADMIN_PORT", "8090")),
            telegram=bool(os.environ.get("TELEGRAM_TOKEN")),
        )

    @property
    def rasa_url(self) -> str:
        return f"http://{_reachable(self.rasa_host)}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{_reachable(self.actions_host)}:{self.actions_port}"

    @property
    def web_url(self) -> str | None:
        return f"http://{_reachable(self.host)}:{self.web_port}" if self.web_port else None

    @property
    def admin_url(self) -> str | None:
        return f"http://{_reachable(self.admin_host)}:{self.admin_port}" if self.admin_port else None

    @property
    def token(self) -> dict[str, str]:
        """Query parameters that authorise a call to Rasa's HTTP API."""
        return {"token": self.rasa_token}

    @property
    def tracker_db(self) -> Path:
        return self.var / "tracker.db"

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ACTION_ENDPOINT_URL": f"{self.actions_url}/webhook",
            "TRACKER_DB_PATH": str(self.tracker_db),
            "TRACKER_DB_URL": f"sqlite:///{self.tracker_db}",
            "RASA_URL": self.rasa_url,
            "SANIC_HOST": self.actions_host,  # rasa_sdk's interface (its default is every interface)
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "TF_INTRA_OP_PARALLELISM_THREADS": os.environ.get("TF_INTRA_OP_PARALLELISM_THREADS", "1"),
            "TF_INTER_OP_PARALLELISM_THREADS": os.environ.get("TF_INTER_OP_PARALLELISM_THREADS", "1"),
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            **self.env,
        }

    def commands(self) -> dict[str, list[str]]:
        commands = {
            "actions": [str(APP_PYTHON), "-m", "bot.action_server", "--actions", "bot.actions",
                        "--port", str(self.actions_port)],
            "rasa": [str(RASA), "run", "--enable-api", f"--auth-token={self.rasa_token}", "-i", self.rasa_host,
                     "-p", str(self.rasa_port),
                     "--model", str(ROOT / "bot" / "models"), "--credentials", str(ROOT / "credentials.yml"),
                     "--endpoints", str(self.env.get("RASA_ENDPOINTS", ROOT / "endpoints.yml"))],
        }
        if self.web_port:
            commands["web"] = [str(APP_PYTHON), "-m", "channels.webchat", "--host", self.host,
                               "--port", str(self.web_port), "--rasa-url", self.rasa_url]
        if self.admin_port:
            commands["admin"] = [str(APP_PYTHON), "-m", "backoffice", "--host", self.admin_host,
                                 "--port", str(self.admin_port)]
        if self.telegram:
            commands["telegram"] = [str(APP_PYTHON), "-m", "channels.telegram_bridge"]
        return commands

    def start(self, *names: str) -> None:
        """Start the named processes (all by default), logs in var/logs/NAME.log."""
        (self.var / "logs").mkdir(parents=True, exist_ok=True)
        for name, command in self.commands().items():
            if names and name not in names:
                continue
            log = (self.var / "logs" / f"{name}.log").open("ab")
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=self._env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 300) -> None:
        """Wait until Rasa has loaded its model and every HTTP process answers."""
        deadline = time.monotonic() + timeout
        checks = {"rasa": f"{self.rasa_url}/status", "actions": f"{self.actions_url}/health"}
        if self.web_url:
            checks["web"] = f"{self.web_url}/healthz"
        if self.admin_url:
            checks["admin"] = f"{self.admin_url}/healthz"
        pending = {name: url for name, url in checks.items() if name in self.processes}
        while pending:
            for name in list(pending):
                self._check_alive(name)
                try:
                    reply = httpx.get(pending[name], params=self.token if name == "rasa" else None, timeout=2)
                    if reply.status_code == 200 and (name != "rasa" or reply.json().get("model_id")):
                        del pending[name]
                except httpx.HTTPError:
                    pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"pas prêt après {timeout:g} s : {', '.join(pending)} (voir {self.var / 'logs'})")
            time.sleep(0.5)

    def _check_alive(self, name: str) -> None:
        code = self.processes[name].poll()
        if code is not None:
            log = self.var / "logs" / f"{name}.log"
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
            tail = "\n".join(lines[-15:])
            raise RuntimeError(f"{name} s'est arrêté (code {code}) : voir {log}\n{tail}")

    def stop(self, *names: str) -> None:
        """Stop the named processes (all by default): SIGINT, then SIGKILL after 15 s."""
        for name in [n for n in self.processes if not names or n in names]:
            process = self.processes.pop(name)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
